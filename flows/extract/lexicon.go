package extract

import "sync"

// Every reader of a message asks its own fixed word lists about each word:
// is it a word of the phrase lists, a chat spelling, a month, a number
// word? Asked of each list's map in turn, that was a tenth of reading a
// long message (docs/benchmarks.md). The lexicon gathers what all the
// lists say of a word into one entry, found with one look-up per word
// when the message is Read and carried by its Text; the readers take what
// they need from the entry. The lists stay where they are, the data of
// their readers: the lexicon is built from them once per process.

// A lexeme is what this package's fixed word lists say of one word. A
// word that no list has has no lexeme (nil), which says the same as a
// lexeme of zeros, but for numbers: such a word may still be a number
// written in one word ("duecentocinquanta"), see numberStartOf.
type lexeme struct {
	// phrases are, for each phrase set (phraseSet.id), the phrases that
	// may start with the word.
	phrases [phraseSets][]*phrase
	chat    string // what the word stands for as a chat spelling ("nn": "non"), or ""
	known   bool   // knownWord
	common  bool   // commonWords
	number  bool   // numberStart
	date    uint8  // dateFlags
	bit     uint64 // wordBit
}

var (
	lexiconOnce sync.Once
	lexicon     map[string]*lexeme
	// chatWords has the chat spellings: ChatSpelled is asked of every word
	// of every text the dialogue reads, and most are none.
	chatWords WordFilter
)

// lexemeOf returns the lexeme of w, or nil if no list has w.
func lexemeOf(w string) *lexeme {
	lexiconOnce.Do(loadLexicon)
	return lexicon[w]
}

// lexemes returns the lexemes of the tokens' texts w.
func lexemes(w []string) []*lexeme {
	lexiconOnce.Do(loadLexicon)
	out := make([]*lexeme, len(w))
	for i, x := range w {
		out[i] = lexicon[x]
	}
	return out
}

func loadLexicon() {
	phrasesOnce.Do(loadPhrases)
	lexicon = map[string]*lexeme{}
	entry := func(w string) *lexeme {
		lx := lexicon[w]
		if lx == nil {
			lx = &lexeme{}
			lexicon[w] = lx
		}
		return lx
	}
	for _, ps := range []*phraseSet{damageDefectSet, buyerSet} {
		for w, p := range ps.first {
			entry(w).phrases[ps.id] = p
		}
	}
	for w, s := range chatSpellings {
		entry(w).chat = s
		chatWords.Add(w)
	}
	for w := range knownWords {
		entry(w).known = true
	}
	for w := range commonWords {
		entry(w).common = true
	}
	for w, f := range dateFlags {
		entry(w).date = f
	}
	for w := range englishSmall {
		entry(w)
	}
	for w := range quantityStarts {
		entry(w)
	}
	for w := range italianSmall {
		entry(w)
	}
	for w, lx := range lexicon {
		lx.number = numberStart(w)
		lx.bit = wordBit(w)
	}
}

// numberStartOf is numberStart(w), lx the lexeme of w.
func numberStartOf(w string, lx *lexeme) bool {
	if lx != nil {
		return lx.number
	}
	// No list has w: numberStart without its look-ups.
	if len(w) > 40 {
		return false
	}
	for i := 0; i < len(w); i++ {
		switch w[i] {
		case 'b', 'f', 'g', 'j', 'k', 'p', 'x', 'y', 'h', 'w':
			return false
		}
	}
	_, ok := italianNumber(w)
	return ok
}

// A WordFilter answers at once for most words that they are not in a
// set: it has one bit for each first letter, last letter and length, and
// a word whose bit is not set was never added. A word whose bit is set
// may still be missing, and is then looked up in the set itself. Most
// words of a message start no phrase and name no product: this costs a
// tenth of the map look-up it spares. The zero value is empty.
type WordFilter struct {
	bits [1 << 10]uint64
}

// filterBit is the bit of a word of n bytes from first to last.
func filterBit(first, last byte, n int) uint {
	return ((uint(first)*31+uint(last))<<5 ^ uint(min(n, 31))) % (64 << 10)
}

// Add adds w.
func (f *WordFilter) Add(w string) {
	if w == "" {
		return
	}
	b := filterBit(w[0], w[len(w)-1], len(w))
	f.bits[b/64] |= 1 << (b % 64)
}

// MayHave reports whether w may have been added: false if it was not.
// The empty word is never added.
func (f *WordFilter) MayHave(w string) bool {
	if w == "" {
		return false
	}
	return f.mayHave(w[0], w[len(w)-1], len(w))
}

// mayHave is MayHave of a word of n bytes from first to last.
func (f *WordFilter) mayHave(first, last byte, n int) bool {
	b := filterBit(first, last, n)
	return f.bits[b/64]&(1<<(b%64)) != 0
}
