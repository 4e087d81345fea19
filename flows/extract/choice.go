package extract

import (
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// An Option is one allowed value of a choice slot, e.g. a product of the
// catalogue.
type Option struct {
	Value    string   // canonical value stored in the slot, e.g. "nova-x"
	Synonyms []string // names a customer may use, any language: "Nova X", "telefono nova"
}

// A Match is an option found in the customer's text.
type Match struct {
	Value string  // the option's canonical value
	Score float64 // how well the text names the option, 0..1
	Text  string  // the part of the input that matched, as the customer wrote it
}

// Thresholds of Choice. A score is the share of a synonym's weight that the
// text matched; words that many options share weigh less (see NewCatalog).
const (
	// minScore is the score Choice accepts: below it the customer has not
	// named the option well enough, and the flow asks again.
	minScore = 0.6
	// minCandidate is the score ChoiceCandidates offers as a "did you mean".
	minCandidate = 0.3
	// tieScore is the difference of score under which two options tie unless
	// one of them covers more of the text ("nova x" names Nova X, not Nova).
	tieScore = 0.02
	// fullScore is the score of a text that names an option completely. Below
	// it, a second option named by as much of the text is as likely:
	// "lavatrice" with two washing machines.
	fullScore = 0.85
)

// Choice finds the option the text names. It tolerates misspellings
// (Damerau-Levenshtein on words, more edits allowed in longer words), accents,
// case, word order, words run together and extra words: "il mio nova x non si
// accende" names the option with synonym "Nova X". Words with digits ("S23",
// "4") must match exactly, so that model numbers are never confused.
//
// ok is false when no option scores well enough, or when two options are
// named equally well: then m holds the first of them (m.Value is not empty),
// and ChoiceCandidates(text, options, 2) returns both for a "did you mean"
// question. A partial name ("lavatrice") is accepted only if no other option
// matches as much of the text.
//
// Choice remembers the last few catalogues it prepared (by content, not by
// identity), so that a flow asking against the same options pays only for
// the match.
func Choice(text string, options []Option) (m Match, ok bool) {
	return catalogFor(options).Choice(text)
}

// ChoiceCandidates returns up to max options the text may name, best first,
// one Match per option, for "did you mean" buttons. It returns all of them if
// max <= 0, and none when nothing comes close.
func ChoiceCandidates(text string, options []Option, max int) []Match {
	return catalogFor(options).Candidates(text, max)
}

// A Catalog is a set of options prepared for matching. It is immutable and safe
// for concurrent use.
type Catalog struct {
	values  []string
	words   []word            // the distinct words of all the synonyms
	index   map[string]int32  // word text to its index in words
	byLen   [][]int32         // words that tolerate typos, by length in runes
	byFirst map[int64][]int32 // the same, by first letter and length, for Scan
	// firstLens has, for an ASCII first letter, the bit of each length
	// (up to 63) of byFirst's words: most spans of a message have no
	// word of their first letter and length, and are not looked up.
	firstLens [128]uint64
	indexed   WordFilter // the words of index
	synonyms  []synonym
	postings  [][]posting // word to the synonyms that use it
}

// A posting is a synonym that uses a word, with the share of the synonym's
// weight that the word carries.
type posting struct {
	synonym int32
	share   float32
}

type synonym struct {
	option  int32
	words   []int32   // indexes in Catalog.words, heaviest first
	weights []float64 // the words' weights
	total   float64   // sum of the weights
}

// A word is a normalised token with what the fuzzy match needs precomputed.
type word struct {
	text   string
	runes  []rune
	mask   uint64 // the letters it contains, to rule out far words cheaply
	digits bool
}

// NewCatalog prepares options for matching. Every synonym and the value itself
// ("nova-x" reads as "nova x") are matched, and each of them also with its
// words run together ("novax"). A word's weight is its length divided by the
// number of options that use it, so "telefono", shared by all the phones,
// says little, and "nova" says a lot.
func NewCatalog(options []Option) *Catalog {
	c := &Catalog{values: make([]string, len(options)), index: map[string]int32{}, byFirst: map[int64][]int32{}}
	df := map[string]int{}
	type raw struct {
		option int32
		toks   []string
	}
	var raws []raw
	dup := map[string]bool{}
	for i, o := range options {
		c.values[i] = o.Value
		seen := map[string]bool{}
		add := func(s string) {
			toks := strings.Fields(Normalize(s))
			if len(toks) == 0 {
				return
			}
			key := strings.Join(toks, " ")
			if k := strconv.Itoa(i) + "\x00" + key; !dup[k] {
				dup[k] = true
				raws = append(raws, raw{option: int32(i), toks: toks})
			}
			for _, t := range toks {
				if !seen[t] {
					seen[t] = true
					df[t]++
				}
			}
		}
		add(o.Value)
		for _, s := range o.Synonyms {
			add(s)
		}
	}
	for _, r := range raws {
		s := synonym{option: r.option}
		for _, t := range r.toks {
			w := float64(utf8.RuneCountInString(t)+1) / float64(df[t])
			s.words = append(s.words, c.wordID(t))
			s.weights = append(s.weights, w)
			s.total += w
		}
		// Heavier words claim their best input word first.
		sort.Sort(byWeight(s))
		c.synonyms = append(c.synonyms, s)
		// Customers also run the words together: "novax", "macbookair".
		if len(r.toks) > 1 {
			joined := synonym{option: r.option, words: []int32{c.wordID(strings.Join(r.toks, ""))}, weights: []float64{s.total}, total: s.total}
			c.synonyms = append(c.synonyms, joined)
		}
	}
	c.postings = make([][]posting, len(c.words))
	for si, s := range c.synonyms {
		for j, w := range s.words {
			c.postings[w] = append(c.postings[w], posting{int32(si), float32(s.weights[j] / s.total)})
		}
	}
	for id, w := range c.words {
		n := len(w.runes)
		if w.digits || maxEdits(n) == 0 {
			continue
		}
		for len(c.byLen) <= n {
			c.byLen = append(c.byLen, nil)
		}
		c.byLen[n] = append(c.byLen[n], int32(id))
		k := firstKey(w.runes[0], n)
		c.byFirst[k] = append(c.byFirst[k], int32(id))
		if r := w.runes[0]; r < 128 && n < 64 {
			c.firstLens[r] |= 1 << n
		}
	}
	for t := range c.index {
		c.indexed.Add(t)
	}
	return c
}

// mayStart reports whether byFirst may have words of first letter r and
// length n: false if it has none.
func (c *Catalog) mayStart(r rune, n int) bool {
	if r < 0 || r >= 128 || n < 0 || n >= 64 {
		return true
	}
	return c.firstLens[r]&(1<<n) != 0
}

func firstKey(r rune, n int) int64 { return int64(r)<<16 | int64(n) }

func (c *Catalog) wordID(t string) int32 {
	if id, ok := c.index[t]; ok {
		return id
	}
	id := int32(len(c.words))
	c.words = append(c.words, newWord(t))
	c.index[t] = id
	return id
}

type byWeight synonym

func (s byWeight) Len() int           { return len(s.words) }
func (s byWeight) Less(a, b int) bool { return s.weights[a] > s.weights[b] }
func (s byWeight) Swap(a, b int) {
	s.words[a], s.words[b] = s.words[b], s.words[a]
	s.weights[a], s.weights[b] = s.weights[b], s.weights[a]
}

func newWord(t string) word {
	return newWordIn(t, nil)
}

// newWordIn is newWord with the runes appended to *buf, when buf is not
// nil, so that many words share one allocation.
func newWordIn(t string, buf *[]rune) word {
	w := word{text: t}
	if buf == nil {
		w.runes = []rune(t)
	} else {
		n := len(*buf)
		for _, r := range t {
			*buf = append(*buf, r)
		}
		w.runes = (*buf)[n:len(*buf):len(*buf)]
	}
	for _, r := range w.runes {
		w.mask |= runeBit(r)
		if '0' <= r && r <= '9' {
			w.digits = true
		}
	}
	return w
}

func runeBit(r rune) uint64 {
	switch {
	case 'a' <= r && r <= 'z':
		return 1 << (r - 'a')
	case '0' <= r && r <= '9':
		return 1 << (26 + r - '0')
	}
	return 1 << 63
}

// Choice is the package function Choice against c.
func (c *Catalog) Choice(text string) (m Match, ok bool) {
	cands := c.rank(text)
	if len(cands) == 0 || cands[0].Score < minScore {
		return Match{}, false
	}
	best := cands[0]
	if len(cands) > 1 {
		next := cands[1]
		if next.cover >= best.cover && (best.Score-next.Score < tieScore || best.Score < fullScore) {
			return best.Match, false
		}
	}
	return best.Match, true
}

// Candidates is the package function ChoiceCandidates against c.
func (c *Catalog) Candidates(text string, max int) []Match {
	cands := c.rank(text)
	var out []Match
	for _, cd := range cands {
		if cd.Score < minCandidate || (max > 0 && len(out) == max) {
			break
		}
		out = append(out, cd.Match)
	}
	return out
}

// A candidate is the best reading of the text as one option.
type candidate struct {
	option int32
	score  float64
	cover  int // runes of the input matched, to break ties
	lo, hi int // the tokens of the input matched
}

// A ranked candidate is ready for the caller.
type ranked struct {
	Match
	cover int
}

// A span is a stretch of the input that a synonym word may match: one token,
// or two adjacent tokens written together ("smart phone" for "smartphone").
type span struct {
	word
	first, last int // token indexes
	n           int // length in runes
	// exactOnly marks, for Scan, a span never read as a misspelling: a
	// short or common word, a pair of words.
	exactOnly bool
	// shortOfOne marks, for Scan, a word of four letters before a model
	// number the catalogue has: it may be a name with one letter dropped
	// ("pixl 8", "dysn v8"), though shorter words are otherwise read
	// exactly.
	shortOfOne bool
	// in are the catalogues of a Shop that have the span's text as a word,
	// by their bit (Shop.bits): an exactOnly span is looked up in those only.
	in uint64
}

// A hit is a span of the input that matches a word of the catalogue.
type hit struct {
	span int
	sim  float64
}

// rank returns the best candidate of each option that the text names at
// least in part, best first.
func (c *Catalog) rank(text string) []ranked {
	toks := tokenize(text)
	top := c.score(toks, nil, false)
	out := make([]ranked, len(top))
	for i, cd := range top {
		out[i] = ranked{
			Match: Match{Value: c.values[cd.option], Score: cd.score, Text: text[toks[cd.lo].start:toks[cd.hi].end]},
			cover: cd.cover,
		}
	}
	return out
}

// score returns the best candidate of each option that toks name at least
// in part, best first. Tokens whose free entry is false are not read (Scan
// passes those other values took). With local, the words of a synonym must
// lie close together, as a name is written: Scan reads whole messages, in
// which "pixel" and a far "8" are no "pixel 8".
func (c *Catalog) score(toks []token, free []bool, local bool) []candidate {
	return c.scoreSpans(spansOf(toks, free), len(toks), nil, local, nil, 0)
}

// scratch is memory scoreSpans reuses from one catalogue to the next
// while Scan reads one message.
type scratch struct {
	hitOf []int32
	bound []float32
	best  []candidate
	used  []bool
	// hits and touched keep their memory from one catalogue to the
	// next, the inner slices of hits too.
	hits    [][]hit
	touched []int32
}

// grow returns s[:n], cleared, reusing s's memory when it can.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// spansOf returns the spans of toks a synonym word may match: each free
// token, and each two free tokens in a row written together. (Scan's are
// scanSpans.)
func spansOf(toks []token, free []bool) []span {
	spans := make([]span, 0, 2*len(toks))
	for i, t := range toks {
		if free != nil && !free[i] {
			continue
		}
		w := newWord(t.text)
		spans = append(spans, span{word: w, first: i, last: i, n: len(w.runes)})
	}
	for i := 0; i+1 < len(toks); i++ {
		if free != nil && (!free[i] || !free[i+1]) {
			continue
		}
		w := newWord(toks[i].text + toks[i+1].text)
		spans = append(spans, span{word: w, first: i, last: i + 1, n: len(w.runes)})
	}
	return spans
}

// scoreSpans is score on spans of a text of ntoks tokens, leaving out the
// spans on tokens taken (nil for none).
func (c *Catalog) scoreSpans(spans []span, ntoks int, taken []bool, local bool, sc *scratch, bit uint64) []candidate {
	if sc == nil {
		sc = &scratch{}
	}
	if ntoks == 0 || len(c.synonyms) == 0 || len(spans) == 0 {
		return nil
	}

	// Find the catalogue words in the text: exact ones by index, misspelt
	// ones among the words of about the same length.
	// hits[hitOf[w]-1] are the hits of catalogue word w; a slice, not a map,
	// because the scoring loop below looks words up thousands of times.
	sc.hitOf = grow(sc.hitOf, len(c.words))
	hitOf := sc.hitOf
	hits := sc.hits[:0]
	var hitWords []int32
	addHit := func(w int32, h hit) {
		if hitOf[w] == 0 {
			if len(hits) < cap(hits) {
				hits = hits[:len(hits)+1]
				hits[len(hits)-1] = hits[len(hits)-1][:0]
			} else {
				hits = append(hits, nil)
			}
			hitWords = append(hitWords, w)
			hitOf[w] = int32(len(hits))
		}
		hits[hitOf[w]-1] = append(hits[hitOf[w]-1], h)
	}
	for si := range spans {
		sp := &spans[si]
		if taken != nil && (taken[sp.first] || taken[sp.last]) || bit != 0 && sp.exactOnly && sp.in&bit == 0 {
			continue
		}
		exact, ok := int32(0), false
		if c.indexed.MayHave(sp.text) {
			exact, ok = c.index[sp.text]
		}
		if ok {
			addHit(exact, hit{si, 1})
		}
		// A word of the catalogue, spelt right, is not a misspelling of another.
		n := sp.n
		if ok || sp.digits || n < 3 || local && sp.exactOnly {
			continue
		}
		if local {
			// Scan: fewer typos, and never in the first letter.
			k := scanEdits(n)
			lo, hi := n-k, n+k
			if sp.shortOfOne && k == 0 {
				lo, hi = n+1, n+1 // one letter missing, no other mistake
			}
			for l := lo; l <= hi; l++ {
				if !c.mayStart(sp.runes[0], l) {
					continue
				}
				for _, id := range c.byFirst[firstKey(sp.runes[0], l)] {
					cw := &c.words[id]
					k := scanEdits(l)
					if sp.shortOfOne && l == n+1 {
						k = 1
					}
					if !maybeNear(&sp.word, cw, k) {
						continue
					}
					if d := osaDistance(sp.runes, cw.runes, k); d <= k {
						addHit(id, hit{si, 1 - float64(d)/float64(max(len(sp.runes), len(cw.runes)))})
					}
				}
			}
			continue
		}
		for l := max(n-3, 0); l <= n+3 && l < len(c.byLen); l++ {
			if d := n - l; d > maxEdits(l) || -d > maxEdits(l) {
				continue
			}
			for _, id := range c.byLen[l] {
				if sim := similarity(&sp.word, &c.words[id]); sim > 0 {
					addHit(id, hit{si, sim})
				}
			}
		}
	}
	sc.hits = hits
	if len(hits) == 0 {
		return nil
	}

	// Score only the synonyms whose words found in the text could reach
	// minCandidate: "serie", in every product name, alone never does.
	sc.bound = grow(sc.bound, len(c.synonyms))
	bound := sc.bound
	touched := sc.touched[:0]
	defer func() { sc.touched = touched }()
	for _, w := range hitWords {
		for _, p := range c.postings[w] {
			if bound[p.synonym] == 0 {
				touched = append(touched, p.synonym)
			}
			bound[p.synonym] += p.share
		}
	}
	sc.best = grow(sc.best, len(c.values))
	sc.used = grow(sc.used, ntoks)
	best, used := sc.best, sc.used
	for _, si := range touched {
		if bound[si] < minCandidate-1e-6 {
			continue
		}
		s := &c.synonyms[si]
		clear(used)
		var got float64
		cd := candidate{option: s.option, lo: -1}
		anchor := -1
		for j, w := range s.words {
			if hitOf[w] == 0 {
				continue
			}
			bi, bsim := -1, 0.0
			for _, h := range hits[hitOf[w]-1] {
				sp := &spans[h.span]
				// The heaviest word found anchors the name; the others
				// must stand near it.
				if local && anchor >= 0 && (sp.first-anchor > len(s.words) || anchor-sp.last > len(s.words)) {
					continue
				}
				if !used[sp.first] && !used[sp.last] && h.sim > bsim {
					bi, bsim = h.span, h.sim
				}
			}
			if bi < 0 {
				continue
			}
			sp := &spans[bi]
			if anchor < 0 {
				anchor = sp.first
			}
			used[sp.first], used[sp.last] = true, true
			got += s.weights[j] * bsim
			cd.cover += sp.n
			if cd.lo < 0 || sp.first < cd.lo {
				cd.lo = sp.first
			}
			cd.hi = max(cd.hi, sp.last)
		}
		cd.score = got / s.total
		b := &best[s.option]
		if b.score == 0 || cd.score > b.score || (cd.score == b.score && cd.cover > b.cover) {
			*b = cd
		}
	}

	var top []candidate
	for _, cd := range best {
		if cd.score >= minCandidate {
			top = append(top, cd)
		}
	}
	// Ties must not depend on the order of the catalogue: sort fully.
	sort.Slice(top, func(a, b int) bool {
		x, y := top[a], top[b]
		if d := x.score - y.score; d >= tieScore || d <= -tieScore {
			return d > 0
		}
		if x.cover != y.cover {
			return x.cover > y.cover
		}
		if x.score != y.score {
			return x.score > y.score
		}
		return x.option < y.option
	})
	return top
}

// maxEdits is the number of typing mistakes tolerated in a word of n letters:
// none in short words, where one edit makes another word ("tre", "tv").
func maxEdits(n int) int {
	switch {
	case n <= 3:
		return 0
	case n <= 5:
		return 1
	case n <= 9:
		return 2
	}
	return 3
}

// scanEdits is the number of typing mistakes Scan tolerates in a word of
// n letters: fewer than Choice, since Scan reads whole messages, whose
// every word could be taken for a name ("however" is no "hoover").
func scanEdits(n int) int {
	switch {
	case n < 5:
		return 0
	case n <= 8:
		return 1
	}
	return 2
}

// commonWords are never read as misspelt names by Scan: "sono" is no
// "sony", "persone" no "persona".
var commonWords = map[string]bool{
	"sono": true, "come": true, "cosa": true, "cose": true, "casa": true, "solo": true, "sola": true,
	"tutto": true, "tutti": true, "anche": true, "dove": true, "quando": true, "molto": true, "bene": true,
	"fatto": true, "detto": true, "dopo": true, "prima": true, "grazie": true, "salve": true, "vorrei": true,
	"voglio": true, "posso": true, "questo": true, "questa": true, "quello": true, "quella": true,
	"perche": true, "nostro": true, "vostro": true, "vostri": true, "vostra": true, "nostra": true,
	"sempre": true, "ancora": true, "allora": true, "quindi": true, "oppure": true, "nuovo": true,
	"nuova": true, "vecchio": true, "altro": true, "altra": true, "stesso": true, "persone": true,
	"negozi": true, "uffici": true, "studia": true, "studiare": true, "partite": true, "regali": true,
	"regala": true, "detta": true, "mobili": true, "macchine": true, "macchia": true, "personali": true,
	"computers": true, "however": true, "apply": true, "applied": true, "offices": true, "companies": true,
	"personally": true, "person": true, "people": true, "monitor": true, "money": true,
	"model": true, "other": true, "there": true, "their": true,
	"these": true, "those": true, "would": true, "could": true, "should": true, "about": true,
	"after": true, "again": true, "still": true, "since": true, "thanks": true, "please": true,
	"hello": true, "where": true, "which": true, "while": true, "hours": true,
	"house": true, "hover": true, "cover": true, "power": true, "holder": true, "poster": true,
	"pixels": true, "ditto": true, "studios": true, "mobilita": true, "telefonato": true,
	"telefonare": true, "telefonata": true, "chiamato": true, "ordinato": true, "ordine": true,
	"fisico": true, "fisici": true, "privati": true, "gifts": true, "carta": true,
	"carte": true, "conto": true, "tempo": true, "tardi": true, "presto": true, "sotto": true,
	"sopra": true, "dentro": true, "fuori": true, "sempra": true, "sembra": true, "rotto": true,
	"freeze": true, "tells": true, "smart": true, "alliance": true, "consume": true, "consumed": true,
}

// similarity is 1 for the same word, less for a misspelling of it, 0 for
// another word.
func similarity(in, syn *word) float64 {
	if in.text == syn.text {
		return 1
	}
	if in.digits || syn.digits {
		return 0
	}
	k := maxEdits(len(syn.runes))
	if k == 0 || len(in.runes) < 3 {
		return 0
	}
	n, m := len(in.runes), len(syn.runes)
	if n-m > k || m-n > k {
		return 0
	}
	// Every letter one word has and the other lacks costs at least one edit.
	if bits.OnesCount64(in.mask&^syn.mask) > k || bits.OnesCount64(syn.mask&^in.mask) > k {
		return 0
	}
	d := osaDistance(in.runes, syn.runes, k)
	if d > k {
		return 0
	}
	return 1 - float64(d)/float64(max(n, m))
}

// maybeNear reports whether a and b may be within k edits, as their
// lengths and letters tell: a cheap test before osaDistance.
func maybeNear(a, b *word, k int) bool {
	n, m := len(a.runes), len(b.runes)
	if n-m > k || m-n > k || a.digits || b.digits {
		return false
	}
	return bits.OnesCount64(a.mask&^b.mask) <= k && bits.OnesCount64(b.mask&^a.mask) <= k
}

// osaDistance is the optimal-string-alignment Damerau-Levenshtein distance of
// a and b (a swap of two adjacent letters is one edit, as in "smatrphone"). It
// computes only the band of cells within k of the diagonal, and returns k+1 as
// soon as the distance must exceed k.
func osaDistance(a, b []rune, k int) int {
	if k == 1 {
		return osaOne(a, b)
	}
	return osaBand(a, b, k)
}

// osaOne is osaDistance with k = 1, without the table: the words are
// equal, or one substitution, insertion, deletion or swap of two
// adjacent letters apart, or more (2). Most typo checks ask this.
func osaOne(a, b []rune) int {
	if len(a) < len(b) {
		a, b = b, a // the distance is symmetric; a is the longer
	}
	n, m := len(a), len(b)
	if n-m > 1 {
		return 2
	}
	i := 0
	for i < m && a[i] == b[i] {
		i++
	}
	switch {
	case i == m && n == m:
		return 0
	case i == m: // one letter more at the end
		return 1
	case n > m: // one letter more at i
		if slices.Equal(a[i+1:], b[i:]) {
			return 1
		}
		return 2
	case slices.Equal(a[i+1:], b[i+1:]): // one letter changed at i
		return 1
	case i+1 < n && a[i] == b[i+1] && a[i+1] == b[i] && slices.Equal(a[i+2:], b[i+2:]): // two swapped
		return 1
	}
	return 2
}

// osaBand is osaDistance computed on the band of the table.
func osaBand(a, b []rune, k int) int {
	n, m := len(a), len(b)
	if n-m > k || m-n > k {
		return k + 1
	}
	inf := k + 1
	var buf [3 * 32]int
	var rows []int
	if 3*(m+2) <= len(buf) {
		rows = buf[:3*(m+2)]
	} else {
		rows = make([]int, 3*(m+2))
	}
	prev2, prev, cur := rows[:m+2], rows[m+2:2*(m+2)], rows[2*(m+2):]
	for j := range prev {
		prev[j] = inf
		if j <= k {
			prev[j] = j
		}
	}
	for i := 1; i <= n; i++ {
		lo, hi := max(1, i-k), min(m, i+k)
		if lo == 1 {
			cur[0] = i
		} else {
			cur[lo-1] = inf
		}
		cur[hi+1] = inf
		rowMin := inf
		if lo == 1 {
			rowMin = cur[0] // "è" against "": the first column counts too
		}
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > k {
			return inf
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[m], inf)
}
