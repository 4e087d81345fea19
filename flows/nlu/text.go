package nlu

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/italian"
	"golang.org/x/text/unicode/norm"
)

// Limits that keep junk input cheap: a 4,000-character message costs no
// more than a normal one.
const (
	maxTokens     = 64 // tokens kept from one message
	maxTokenBytes = 32 // longer "words" are junk (a key held down), dropped
)

// Normalize returns text in the form the classifier sees: Unicode NFKC,
// lower case, accents removed ("perché" -> "perche"), typographic
// apostrophes and quotes made plain, runs of spaces collapsed.
//
// It decomposes with NFKD alone: NFKD of the NFKC form is the NFKD form
// (UAX #15's invariants), and the accents NFKD leaves apart are dropped.
// ASCII, most of what customers type, skips the Unicode tables.
func Normalize(text string) string {
	if isASCII(text) {
		return normalizeASCII(text)
	}
	var b strings.Builder
	b.Grow(len(text))
	space := true // drop leading spaces
	s := text
	if !isASCII(s) {
		s = norm.NFKD.String(s)
	}
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ' || '\t' <= c && c <= '\r':
				if !space {
					space = true
					b.WriteByte(' ')
				}
				continue
			case c == '`':
				c = '\''
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			}
			space = false
			b.WriteByte(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // combining accent left by NFKD
		case isApostrophe(r):
			r = '\''
		case unicode.IsSpace(r):
			if space {
				continue
			}
			space = true
			b.WriteByte(' ')
			continue
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRight(b.String(), " ")
}

// normalizeASCII is Normalize of an ASCII text. It copies the runs of
// bytes that stay as they are, and returns text itself when none changes.
func normalizeASCII(text string) string {
	var b strings.Builder
	from := 0 // start of the run of bytes not written yet
	space := true
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == ' ' || '\t' <= c && c <= '\r':
			if space || c != ' ' {
				if b.Cap() == 0 {
					b.Grow(len(text))
				}
				b.WriteString(text[from:i])
				from = i + 1
				if !space {
					b.WriteByte(' ')
				}
			}
			space = true
			continue
		case c == '`' || 'A' <= c && c <= 'Z':
			if b.Cap() == 0 {
				b.Grow(len(text))
			}
			b.WriteString(text[from:i])
			from = i + 1
			if c == '`' {
				b.WriteByte('\'')
			} else {
				b.WriteByte(c + 'a' - 'A')
			}
		}
		space = false
	}
	if b.Cap() == 0 {
		return strings.TrimRight(text, " ")
	}
	b.WriteString(text[from:])
	return strings.TrimRight(b.String(), " ")
}

func isASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 { // eight bytes at a time: one load
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if w&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', '`', '´', 'ʼ', '′':
		return true
	}
	return false
}

// Tokenize splits text into normalised words: runs of letters and digits.
// Apostrophes separate words, so the Italian elision "l'ordine" gives "l" and
// "ordine", and "dell'ordine" gives "dell" and "ordine"; English "don't"
// gives "don" and "t". Punctuation, symbols and emoji are dropped. At most 64
// tokens are returned; a token longer than 32 bytes is not a word and is
// dropped.
func Tokenize(text string) []string {
	return appendTokens(nil, Normalize(text))
}

// AppendWords appends the words of normalised text s (see Normalize) to
// dst, split as Tokenize splits them but with no limit on their number: a
// document, not a message. A token longer than 32 bytes is still dropped.
func AppendWords(dst []string, s string) []string {
	return scanTokens(dst, s, -1)
}

// appendTokens appends the tokens of normalised text s to dst, at most
// maxTokens of them.
func appendTokens(dst []string, s string) []string {
	return scanTokens(dst, s, len(dst)+maxTokens)
}

// scanTokens appends the tokens of s to dst until dst holds limit tokens
// (no limit when it is negative).
func scanTokens(dst []string, s string, limit int) []string {
	start := -1
	for i := 0; i < len(s); {
		at, word := i, false
		if c := s[i]; c < utf8.RuneSelf {
			word = asciiWord[c] // most of what customers type
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			word = unicode.IsLetter(r) || unicode.IsDigit(r)
			i += size
		}
		if word && start < 0 {
			start = at
		}
		if !word && start >= 0 {
			dst = appendToken(dst, s[start:at])
			start = -1
			if len(dst) == limit {
				return dst
			}
		}
	}
	if start >= 0 {
		dst = appendToken(dst, s[start:])
	}
	return dst
}

// asciiWord tells the ASCII letters and digits, what unicode.IsLetter and
// unicode.IsDigit tell of ASCII.
var asciiWord = func() (w [utf8.RuneSelf]bool) {
	for c := range w {
		w[c] = unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))
	}
	return w
}()

func appendToken(dst []string, t string) []string {
	if len(t) > maxTokenBytes {
		return dst
	}
	return append(dst, t)
}

// stemmer stems words with the Snowball English and Italian stemmers. The
// Snowball environment is not safe for concurrent use, hence the pool.
var envPool = sync.Pool{New: func() any { return snowballstem.NewEnv("") }}

// Stems returns the English and the Italian Snowball stems of a normalised
// word. Words of one or two letters, and words with digits, are their own
// stem. Stems remembers the words it has stemmed (see stemCache): the
// classifier and the documents' index stem the words of every message.
func Stems(word string) (en, it string) {
	st := cachedStems.stems(word)
	return st[0], st[1]
}

// cachedStems are the stems of the words stemmed so far, in this process.
var cachedStems = &stemCache{}

// ownStem reports whether word is its own stem.
func ownStem(word string) bool {
	if len(word) <= 2 {
		return true
	}
	for i := 0; i < len(word); i++ {
		if '0' <= word[i] && word[i] <= '9' {
			return true
		}
	}
	return false
}

// stem is Stems without the cache.
func stem(word string) (en, it string) {
	if ownStem(word) {
		return word, word
	}
	env := envPool.Get().(*snowballstem.Env)
	env.SetCurrent(word)
	english.Stem(env)
	en = env.Current()
	env.SetCurrent(word)
	italian.Stem(env)
	it = env.Current()
	envPool.Put(env)
	return en, it
}

// A stemCache remembers the stems of words: customers write the same
// words again, and stemming costs more than the rest of reading a word.
// It keeps at most
// maxStemCache words and starts over when full, so memory stays bounded
// whatever customers write. It is safe for concurrent use.
type stemCache struct {
	mu    sync.RWMutex
	words map[string]cachedWord
}

// A cachedWord is a word's stems and, once a classification has asked
// for them, the keys of its own features (appendLocal): the classifier
// meets the words it was not trained on again in each text of a message
// that holds them (the message, its clauses, its parts).
type cachedWord struct {
	stems [2]string
	local []uint64
}

const maxStemCache = 50_000

func (c *stemCache) stems(word string) [2]string {
	if ownStem(word) {
		return [2]string{word, word} // cheaper than the cache, and many words are
	}
	c.mu.RLock()
	cw, ok := c.words[word]
	c.mu.RUnlock()
	if ok {
		return cw.stems
	}
	cw.stems[0], cw.stems[1] = stem(word)
	c.put(word, cw)
	return cw.stems
}

// stemmed returns word with its stems and the keys of its own features;
// those of a word that is its own stem are left to the caller (nil), as
// computing them costs less than the cache.
func (c *stemCache) stemmed(word string) stemmed {
	if ownStem(word) {
		return stemmed{word: word, en: word, it: word}
	}
	c.mu.RLock()
	cw, ok := c.words[word]
	c.mu.RUnlock()
	if ok && cw.local != nil {
		return stemmed{word, cw.stems[0], cw.stems[1], cw.local}
	}
	if !ok {
		cw.stems[0], cw.stems[1] = stem(word)
	}
	w := stemmed{word: word, en: cw.stems[0], it: cw.stems[1]}
	w.local = appendLocal(nil, w)
	cw.local = w.local
	c.put(word, cw)
	return w
}

// put remembers cw for word, starting over when the cache is full.
func (c *stemCache) put(word string, cw cachedWord) {
	c.mu.Lock()
	if c.words == nil || len(c.words) >= maxStemCache {
		c.words = make(map[string]cachedWord, 1024)
	}
	c.words[strings.Clone(word)] = cw
	c.mu.Unlock()
}
