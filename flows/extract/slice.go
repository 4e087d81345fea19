package extract

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// A message's parts are read alone as well as the whole message (the
// dialogue's agenda reads each request of "my pixel broke and I want a
// tv" as if sent by itself). A part's words are the message's words
// within it, and what Scan reads of a word on its own (its typo fixed,
// its span as the catalogues match it) is the same in the part as in the
// message: Slice gives the part's Text from the message's, and the two
// share what was read of each word, so that reading a part does not
// read its words again.

// ReadMessage is Read of a message whose parts may be read too: its
// scans keep what they read of each word for the scans of its slices.
// A message of a few words is read as Read reads it: its parts, if any,
// are too short for the memo to pay.
func ReadMessage(text string) *Text {
	t := Read(text)
	t.shared = len(t.toks) >= minSharedWords
	return t
}

// minSharedWords is the fewest words of a message whose scans keep what
// they read for its slices (ReadMessage).
const minSharedWords = 6

// Slice returns the Text of t.String()[start:end], as Read would make it,
// sharing with t what is read of each word; ok is false, and the Text
// nil, when a word of t straddles start or end (the slice would cut it),
// or start and end are not within t.
func (t *Text) Slice(start, end int) (*Text, bool) {
	if start < 0 || end > len(t.text) || start > end {
		return nil, false
	}
	a := t.tokIndex(start) // the first token that ends after start
	b := a
	for b < len(t.toks) && t.toks[b].end <= end {
		b++
	}
	if a < len(t.toks) && t.toks[a].start < start || b < len(t.toks) && t.toks[b].start < end {
		return nil, false // a word straddles a cut
	}
	toks := make([]token, b-a)
	for i, tk := range t.toks[a:b] {
		toks[i] = token{text: tk.text, start: tk.start - start, end: tk.end - start}
	}
	// The token's texts are strings of their own: the lower case of t
	// sliced, or written out for other scripts, as Read of the slice
	// makes them. Capped, so that Scan's first change copies them.
	sub := &Text{text: t.text[start:end], lo: t.lo[start:end], toks: toks, w: t.w[a:b:b], lex: t.lex[a:b:b],
		shared: true, from: t.from + a}
	sub.memo.Store(t.memory())
	return sub, true
}

// tokIndex returns the index of the first token of t that ends after byte p.
func (t *Text) tokIndex(p int) int {
	lo, hi := 0, len(t.toks)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.toks[m].end <= p {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// SliceOf returns the Text of sub, a string of t.String() (a slice of
// the same string, or the text at its first occurrence), as Slice does;
// false when sub is not in t or its cut straddles a word.
func (t *Text) SliceOf(sub string) (*Text, bool) {
	at := strings.Index(t.text, sub)
	if at < 0 {
		return nil, false
	}
	return t.Slice(at, at+len(sub))
}

// A textMemo is what Scan read of each word of a message, shared by the
// message's Text and its slices (by the index of the word in the
// message: a slice's word i is the message's word from+i). What is kept
// is a function of the word alone (after modelPlural, which is one too):
// reading it again would give the same.
type textMemo struct {
	mu sync.Mutex
	// fixed are the words spelled as the phrase lists spell them
	// (fixTypo), where fixedRead says so.
	fixed     []string
	fixedRead []bool
	spans     []spanMemo
}

// memory returns the memo t shares with its slices, made on first use.
func (t *Text) memory() *textMemo {
	if m := t.memo.Load(); m != nil {
		return m
	}
	t.memo.CompareAndSwap(nil, &textMemo{})
	return t.memo.Load()
}

// fixedTypos returns fixTypos(toks, lex) for the scan of a Text, toks and
// lex its tokens and lexemes after modelPlural.
func (t *Text) fixedTypos(toks []token, lex []*lexeme) []string {
	if !t.shared {
		return fixTypos(toks, lex)
	}
	phrasesOnce.Do(loadPhrases)
	m := t.memory()
	m.mu.Lock()
	defer m.mu.Unlock()
	if n := t.from + len(toks); len(m.fixed) < n {
		m.fixed = append(m.fixed, make([]string, n-len(m.fixed))...)
		m.fixedRead = append(m.fixedRead, make([]bool, n-len(m.fixedRead))...)
	}
	fixed, read := m.fixed[t.from:t.from+len(toks):t.from+len(toks)], m.fixedRead[t.from:]
	for i := range toks {
		if !read[i] {
			fixed[i], read[i] = fixTypo(toks[i], lex[i]), true
		}
	}
	return fixed
}

// A spanMemo is scanSpans's reading of each word of a message, and of
// each pair of words, for one set of catalogue words (words, all): the
// spans of the first scan that read them (store), found by word. A word's
// span there is that of the word on its own: the span the words around
// it make (contextSpan: a counted plural, "three pixels"; a name short of
// one letter before a model's number) is read each time.
type spanMemo struct {
	words *wordBits
	all   bool
	store []span
	// single[k] and pair[k] are 1 + the index in store of the span of
	// word k, and of words k and k+1; -1 for none, 0 for not read.
	single, pair []int32
}

// spansOf returns scanSpans(toks, lex, words, all) for the scan of a Text,
// toks and lex its tokens and lexemes after modelPlural.
func (t *Text) spansOf(toks []token, lex []*lexeme, words *wordBits, all bool) []span {
	if !t.shared {
		return scanSpans(toks, lex, words, all)
	}
	m := t.memory()
	m.mu.Lock()
	defer m.mu.Unlock()
	var sm *spanMemo
	for i := range m.spans {
		if m.spans[i].words == words && m.spans[i].all == all {
			sm = &m.spans[i]
		}
	}
	if sm == nil {
		m.spans = append(m.spans, spanMemo{words: words, all: all})
		sm = &m.spans[len(m.spans)-1]
	}
	if n := t.from + len(toks); len(sm.single) < n {
		sm.single = append(sm.single, make([]int32, n-len(sm.single))...)
		sm.pair = append(sm.pair, make([]int32, n-len(sm.pair))...)
	}
	// The first scan's spans are the store, and it records them.
	first := sm.store == nil
	var spans []span
	var runes []rune
	if first {
		spans = make([]span, 0, len(toks)+len(toks)/2)
		n := 0
		for _, t := range toks {
			n += len(t.text)
		}
		runes = make([]rune, 0, n)
	} else {
		// A slice's spans are mostly the store's: counted first, so that
		// the slice of spans, large, is made at its size.
		n := 0
		for i := range toks {
			if k := sm.single[t.from+i]; k >= 0 || hasContextSpan(toks, i, lex, words) {
				n++
			}
			if k := sm.pair[t.from+i]; k >= 0 && i+1 < len(toks) {
				n++
			}
		}
		spans = make([]span, 0, n)
	}
	for i, tk := range toks {
		if sp, ok := contextSpan(toks, i, lex, words, &runes); ok {
			spans = append(spans, sp)
			continue
		}
		switch k := sm.single[t.from+i]; {
		case k > 0:
			sp := sm.store[k-1]
			sp.first, sp.last = i, i
			spans = append(spans, sp)
		case k == 0:
			sp, ok := wordSpan(tk, lex[i], words, all, &runes)
			if ok {
				sp.first, sp.last = i, i
				spans = append(spans, sp)
			}
			if first && ok {
				sm.single[t.from+i] = int32(len(spans))
			} else if first {
				sm.single[t.from+i] = -1
			}
		}
	}
	for i := 0; i+1 < len(toks); i++ {
		switch k := sm.pair[t.from+i]; {
		case k > 0:
			sp := sm.store[k-1]
			sp.first, sp.last = i, i+1
			spans = append(spans, sp)
		case k == 0:
			sp, ok := pairSpan(toks[i].text, toks[i+1].text, words, all)
			if ok {
				sp.first, sp.last = i, i+1
				spans = append(spans, sp)
			}
			if first && ok {
				sm.pair[t.from+i] = int32(len(spans))
			} else if first {
				sm.pair[t.from+i] = -1
			}
		}
	}
	if first {
		sm.store = spans
	}
	return spans
}

// hasContextSpan reports whether contextSpan gives token i a span, without
// making it.
func hasContextSpan(toks []token, i int, lex []*lexeme, words *wordBits) bool {
	if _, in := countedPlural(toks, i, words); in != 0 {
		return true
	}
	return utf8.RuneCountInString(toks[i].text) == 4 && shortOfOne(toks, i, lex, words)
}
