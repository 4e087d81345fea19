package nlu

// Features are hashed strings: a 64-bit FNV-1a hash of a group letter and
// the feature's text, so extracting them allocates nothing beyond the slice
// they are appended to. A message's features are:
//
//   - w: each word as written (normalised)
//   - s: its English and Italian Snowball stems
//   - b: pairs of neighbouring stems, with the start and end of the message
//   - c: character trigrams of each word with its boundaries ("<ordine>":
//     "<or", "ord", "rdi", "din", "ine", "ne>"), which survive misspellings.
//     (Trigrams and 4-grams measured the same on CLINC150 at a third more
//     time; see docs/nlu.md.)
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

var minGram, maxGram = 3, 3

// Group letters double as the hash seed of each group.
const (
	groupWord   = 'w'
	groupStem   = 's'
	groupBigram = 'b'
	groupChar   = 'c'
)

func hashByte(h uint64, c byte) uint64 { return (h ^ uint64(c)) * fnvPrime }

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

func seed(group byte) uint64 { return hashByte(fnvOffset, group) }

// groupOf recovers nothing from a hash, so the weight of a feature's group is
// stored beside it: the low 2 bits of a feature key name its group.
const (
	gWord = iota
	gStem
	gBigram
	gChar
)

// key packs a hash and its group in one uint64.
func key(h uint64, g int) uint64 { return h&^3 | uint64(g) }

// stemmed is a word with its two stems, and the keys of its own features
// (appendLocal) when they were computed before (nil otherwise).
type stemmed struct {
	word, en, it string
	local        []uint64
}

// appendFeatures appends the feature keys of a tokenised message to dst.
// Keys may repeat; callers sort and count them.
func appendFeatures(dst []uint64, words []stemmed) []uint64 {
	for _, w := range words {
		if w.local != nil {
			dst = append(dst, w.local...)
		} else {
			dst = appendLocal(dst, w)
		}
	}
	return appendBigrams(dst, words)
}

// appendBigrams appends the keys of the stem bigrams of a tokenised message.
func appendBigrams(dst []uint64, words []stemmed) []uint64 {
	prev := "^" // start of message
	for _, w := range words {
		h := hashString(seed(groupBigram), prev)
		h = hashByte(h, ' ')
		dst = append(dst, key(hashString(h, w.en), gBigram))
		prev = w.en
	}
	if len(words) > 0 {
		h := hashString(seed(groupBigram), prev)
		h = hashByte(h, ' ')
		dst = append(dst, key(hashByte(h, '$'), gBigram))
	}
	return dst
}

// appendLocal appends the keys of the features of w that depend on w
// alone: the word, its stems, its character n-grams.
func appendLocal(dst []uint64, w stemmed) []uint64 {
	dst = append(dst, key(hashString(seed(groupWord), w.word), gWord))
	dst = append(dst, key(hashString(seed(groupStem), w.en), gStem))
	if w.it != w.en {
		dst = append(dst, key(hashString(seed(groupStem), w.it), gStem))
	}
	return appendCharGrams(dst, w.word)
}

// appendCharGrams appends the character n-grams of "<"+word+">".
func appendCharGrams(dst []uint64, word string) []uint64 {
	n := len(word) + 2
	at := func(i int) byte {
		switch i {
		case 0:
			return '<'
		case n - 1:
			return '>'
		}
		return word[i-1]
	}
	for i := 0; i+minGram <= n; i++ {
		h := seed(groupChar)
		for j := i; j < i+maxGram && j < n; j++ {
			h = hashByte(h, at(j))
			if j-i+1 >= minGram {
				dst = append(dst, key(h, gChar))
			}
		}
	}
	return dst
}
