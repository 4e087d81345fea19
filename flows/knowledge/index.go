package knowledge

import (
	"container/heap"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/flows/extract"
	"github.com/sportello/sportello/flows/nlu"
)

// The fields of a passage, scored apart (BM25F): the page's title, the
// section's heading path, and its text.
const (
	fTitle = iota
	fHeading
	fBody
	nFields
)

// params are the ranking's constants, chosen on the tuning part of the
// development sets (docs/knowledge.md).
type params struct {
	k1        float64
	weight    [nFields]float64 // how much a word in each field counts
	b         [nFields]float64 // length normalisation per field
	typo      float64          // weight of a word matched at edit distance 1
	synonym   float64          // weight of a word matched through a synonym
	derive    float64          // weight of a word matched through another form of its family (morph.go)
	proximity float64          // bonus for two query words side by side, in idf
	window    int              // "side by side": at most this many positions apart
	otherLang float64          // factor on a page in another language than the query's
	rerank    int              // candidates re-scored with proximity
	prefix    float64          // weight of a word matched by its first prefixLen letters only
	name      float64          // extra weight of a name in the query (names)
	span      float64          // weight of the query's words held by one stretch of spanLen words
	spanLen   int
	exact     float64 // bonus, in idf, for a query word found as written, not only by its stem
	typed     float64 // bonus for the share of the query one sentence holding the answer type holds (answertype.go)
	// phrase is the bonus, in idf, for two consecutive words of the query
	// (a stop word too) found as written and side by side; it re-orders
	// the best phraseTop passages only.
	phrase    float64
	phraseTop int
	// winLen and win: a passage longer than winLen words also scores its
	// best stretch of winLen words (windowScore); win of what that
	// stretch scores above the whole passage is added.
	winLen  int
	win     float64
	winNorm float64 // share of that bonus the score the abstention reads holds
	// winFrom > 0: the window re-orders only the places from winFrom on,
	// the best winFrom kept as the rest of the ranking orders them.
	winFrom int
}

// prefixLen is how many letters of a longer word its prefix term keeps:
// "spedizione" and "spedire" share "spedi".
const prefixLen = 5

var defaultParams = params{
	k1:        1.2,
	weight:    [nFields]float64{1, 1.5, 1},
	b:         [nFields]float64{0.5, 0.5, 0.6},
	typo:      0.6,
	synonym:   0.9,
	derive:    0.7,
	proximity: 0.25,
	window:    3,
	otherLang: 0.8,
	rerank:    50,
	prefix:    0.5,
	name:      0.3,
	span:      0.4,
	spanLen:   12,
	exact:     0.5,
	typed:     0.2,
	phrase:    0.2,
	phraseTop: 3,
	winLen:    80,
	win:       1,
	winFrom:   3,
}

type posting struct {
	p  int32 // passage
	tf [nFields]uint16
}

// pdata is what the index keeps of a passage for scoring.
type pdata struct {
	length [nFields]float32
	lang   string
	// tokens are the passage's words in order (title, heading, body, with
	// gaps between the fields), as term IDs per language, -1 for none:
	// for proximity.
	tokens [][2]int32
	// forms are the tokens' words as written (normalised), hashed, 0 in
	// the gaps: for the words of the query found as the customer wrote
	// them.
	forms []uint32
	// sentences are the text's sentences, for the answer types.
	sentences []sentence
	// headingStart and bodyStart are where the headings' and the text's
	// tokens begin.
	headingStart, bodyStart int32
}

// index is the inverted index behind Index.
type index struct {
	p        params
	terms    map[string]int32
	postings [][]posting
	pd       []pdata
	avg      [nFields]float64
	// vocab maps each word seen to its terms, for typo tolerance; buckets
	// lists the words by length and first two letters, and by length and
	// last two (nearKey), sorted: two words one edit apart share one.
	vocab    map[string][2]int32
	buckets  map[string][]string
	synonyms map[string][][]string // first word of an entry -> entries and the group's other members
	scratch  sync.Pool
}

// synEntry is one way of writing a synonym: its words, and the group's
// members (all of them, itself included).
type synEntry struct {
	words []string
	group [][]string
}

func (ix *index) term(key string) int32 {
	if id, ok := ix.terms[key]; ok {
		return id
	}
	id := int32(len(ix.postings))
	ix.terms[key] = id
	ix.postings = append(ix.postings, nil)
	return id
}

// build indexes passages.
func build(passages []*Passage, opts Options, p params) *index {
	ix := &index{p: p, terms: map[string]int32{}, vocab: map[string][2]int32{}}
	ix.pd = make([]pdata, len(passages))
	var sum [nFields]float64
	tf := map[int32]*[nFields]uint16{}
	var order []int32
	cache := map[string][2]string{} // stemming costs more than the rest
	for i, ps := range passages {
		langs := langIndex(ps.Doc.Lang)
		pd := &ix.pd[i]
		pd.lang = ps.Doc.Lang
		clear(tf)
		order = order[:0]
		texts := [nFields]string{ps.Doc.Title, strings.Join(ps.Path, "\n"), ps.Text}
		if ps.Doc.FAQ {
			texts[fTitle] = ps.Doc.Title // the question
		}
		for f, text := range texts {
			if f > 0 {
				pd.tokens = append(pd.tokens, [2]int32{-1, -1}, [2]int32{-1, -1}, [2]int32{-1, -1}, [2]int32{-1, -1})
				pd.forms = append(pd.forms, 0, 0, 0, 0)
			}
			switch f {
			case fHeading:
				pd.headingStart = int32(len(pd.tokens))
			case fBody:
				pd.bodyStart = int32(len(pd.tokens))
			}
			ws := words(text)
			if f == fBody && p.typed > 0 {
				ws, pd.sentences = bodySentences(text, len(pd.tokens))
			}
			for _, w := range ws {
				st, ok := cache[w]
				if !ok {
					st = stems(w)
					cache[w] = st
				}
				tok := [2]int32{-1, -1}
				for j, l := range langs {
					if st[l] == "" {
						continue
					}
					id := ix.term(st[l])
					tok[j] = id
					c := tf[id]
					if c == nil {
						c = new([nFields]uint16)
						tf[id] = c
						order = append(order, id)
					}
					if c[f] < math.MaxUint16 {
						c[f]++
					}
				}
				if p.prefix > 0 && len(w) > prefixLen && (tok[0] >= 0 || tok[1] >= 0) {
					id := ix.term("p:" + w[:prefixLen])
					c := tf[id]
					if c == nil {
						c = new([nFields]uint16)
						tf[id] = c
						order = append(order, id)
					}
					if c[f] < math.MaxUint16 {
						c[f]++
					}
				}
				if tok[0] >= 0 || tok[1] >= 0 {
					pd.length[f]++
					if _, seen := ix.vocab[w]; !seen && len(w) >= 4 {
						ix.vocab[w] = tok
					}
				}
				pd.tokens = append(pd.tokens, tok)
				pd.forms = append(pd.forms, formHash(w))
			}
			sum[f] += float64(pd.length[f])
		}
		for _, id := range order {
			ix.postings[id] = append(ix.postings[id], posting{p: int32(i), tf: *tf[id]})
		}
	}
	for f := range sum {
		ix.avg[f] = max(sum[f]/float64(max(len(passages), 1)), 1)
	}
	ix.buckets = map[string][]string{}
	for w := range ix.vocab {
		head, tail := nearKeys(len(w), w)
		ix.buckets[head] = append(ix.buckets[head], w)
		ix.buckets[tail] = append(ix.buckets[tail], w)
	}
	for _, l := range ix.buckets {
		slices.Sort(l)
	}
	ix.synonyms = synonymTable(opts.Synonyms)
	n := len(passages)
	ix.scratch.New = func() any { return newScratch(n) }
	return ix
}

// synonymTable indexes the groups by the first word of each member.
func synonymTable(groups [][]string) map[string][][]string {
	t := map[string][][]string{}
	for _, g := range groups {
		var members [][]string
		for _, m := range g {
			if ws := words(m); len(ws) > 0 {
				members = append(members, ws)
			}
		}
		for _, m := range members {
			for _, o := range members {
				if !slices.Equal(m, o) {
					// entry: the member's words, then "", then another member's words
					e := append(append(slices.Clone(m), ""), o...)
					t[m[0]] = append(t[m[0]], e)
					// A one-word member stands for its other forms too, by its
					// stems ("resetta" for "resettare"): keyed by the term,
					// which no word is, with no words to match after it.
					if len(m) == 1 {
						for _, key := range stems(m[0]) {
							if key != "" {
								t[key] = append(t[key], append([]string{""}, o...))
							}
						}
					}
				}
			}
		}
	}
	return t
}

// An alt is one term a query word matches, with its weight.
type alt struct {
	term   int32
	weight float64
}

// A qterm is one word of the query and the terms it matches.
type qterm struct {
	idf  float64 // the word's idf: what matching it is worth at most
	alts []alt
	// known is whether the word itself (not a typo or synonym) is in the
	// index.
	known bool
	// boost weighs a name (a capitalised word inside the question) more.
	boost float64
	form  uint32 // the word as written, hashed (formHash)
}

// formHash is a word's hash (FNV-1a, never 0).
func formHash(w string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		h ^= uint32(w[i])
		h *= 16777619
	}
	return h | 1
}

// names returns the words of text written with a capital letter, other
// than its first: names of products, places, people.
func names(text string) map[string]bool {
	fields := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	m := map[string]bool{}
	for i, f := range fields {
		if r, _ := utf8.DecodeRuneInString(f); i > 0 && unicode.IsUpper(r) {
			m[nlu.Normalize(f)] = true
		}
	}
	return m
}

func (ix *index) idf(df int) float64 {
	n := float64(len(ix.pd))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

// query analyses a query in language lang ("" when not known).
func (ix *index) query(text, lang string) []qterm {
	ws := words(text)
	if len(ws) > maxQueryWords {
		ws = ws[:maxQueryWords]
	}
	ql := -1
	switch lang {
	case "it":
		ql = langIT
	case "en":
		ql = langEN
	}
	names := names(text)
	var qs []qterm
	seen := map[string]bool{}
	own := map[string]bool{} // the query's words' own terms
	if ix.p.derive > 0 {
		for _, w := range ws {
			for _, key := range stems(w) {
				own[key] = true
			}
		}
	}
	for i, w := range ws {
		st := stems(w)
		if ql >= 0 && st[ql] == "" || st[0] == "" && st[1] == "" || seen[w] {
			// A stop word in the query's language, unless it opens a
			// synonym of the shop's ("dove siete" for the address).
			if q, ok := ix.stopSynonym(ws[i:], ql, seen); ok {
				qs = append(qs, q)
			}
			continue
		}
		seen[w] = true
		q := qterm{idf: math.Inf(1), boost: 1, form: formHash(w)}
		if names[w] {
			q.boost += ix.p.name
		}
		for l, key := range st {
			if key == "" {
				continue
			}
			id, ok := ix.terms[key]
			df := 0
			if ok {
				df = len(ix.postings[id])
				q.alts = addAlt(q.alts, id, 1)
				q.known = true
			}
			if ql < 0 || l == ql {
				q.idf = min(q.idf, ix.idf(df))
			}
		}
		if ix.p.derive > 0 {
			for l, key := range st {
				for _, o := range derived[l][key] {
					// Another form the question itself holds is that
					// word's: "l'azienda di produzione che ha prodotto"
					// counts each once.
					if id, ok := ix.terms[o]; ok && !own[o] {
						q.alts = addAlt(q.alts, id, ix.p.derive)
					}
				}
			}
		}
		if ix.p.prefix > 0 && len(w) > prefixLen {
			if id, ok := ix.terms["p:"+w[:prefixLen]]; ok {
				q.alts = addAlt(q.alts, id, ix.p.prefix)
			}
		}
		// A word the pages lack is read as one a letter from it, unless
		// it is a real word of its own ("black" is no "back").
		if !q.known && len(w) >= 5 && !extract.RealWord(w) {
			for _, c := range ix.near(w) {
				for _, id := range ix.vocab[c] {
					if id >= 0 {
						q.alts = addAlt(q.alts, id, ix.p.typo)
					}
				}
			}
		}
		entries := ix.synonyms[w]
		for _, key := range st {
			if key != "" {
				entries = append(slices.Clip(entries), ix.synonyms[key]...)
			}
		}
		for _, e := range entries {
			sep := slices.Index(e, "")
			if !hasPrefix(ws[i:], e[:sep]) {
				continue
			}
			for _, o := range e[sep+1:] {
				for _, key := range stems(o) {
					if id, ok := ix.terms[key]; ok && key != "" {
						q.alts = addAlt(q.alts, id, ix.p.synonym)
					}
				}
			}
		}
		qs = append(qs, q)
		if len(qs) == 64 {
			break // matched is a bitmask
		}
	}
	return qs
}

// stopSynonym is the query term of a synonym made of stop words only
// ("dove siete", "where are you") at the start of ws: it matches the
// terms of the group's other members, and is worth what the commonest
// of them is.
func (ix *index) stopSynonym(ws []string, ql int, seen map[string]bool) (qterm, bool) {
	stop := func(w string) bool {
		st := stems(w)
		return ql >= 0 && st[ql] == "" || st[0] == "" && st[1] == ""
	}
	for _, e := range ix.synonyms[ws[0]] {
		sep := slices.Index(e, "")
		phrase := strings.Join(e[:sep], " ")
		if sep == 0 || seen[phrase] || !hasPrefix(ws, e[:sep]) || !allStop(e[:sep], stop) {
			continue
		}
		q := qterm{idf: math.Inf(1), boost: 1, form: formHash(phrase), known: true}
		for _, o := range e[sep+1:] {
			for _, key := range stems(o) {
				if id, ok := ix.terms[key]; ok && key != "" {
					q.alts = addAlt(q.alts, id, ix.p.synonym)
					q.idf = min(q.idf, ix.idf(len(ix.postings[id])))
				}
			}
		}
		if len(q.alts) > 0 {
			seen[phrase] = true
			return q, true
		}
	}
	return qterm{}, false
}

func allStop(ws []string, stop func(string) bool) bool {
	for _, w := range ws {
		if !stop(w) {
			return false
		}
	}
	return true
}

// maxQueryWords bounds the work of one search.
const maxQueryWords = 64

func hasPrefix(ws, prefix []string) bool {
	return len(ws) >= len(prefix) && slices.Equal(ws[:len(prefix)], prefix)
}

// addAlt adds a term, keeping the higher weight of a term twice.
func addAlt(alts []alt, id int32, w float64) []alt {
	for i := range alts {
		if alts[i].term == id {
			alts[i].weight = max(alts[i].weight, w)
			return alts
		}
	}
	return append(alts, alt{id, w})
}

// nearKeys are the keys of the buckets of a word of length n whose first
// and last two letters are those of w (len(w) >= 4). A word of 5 letters
// or more and a word one edit from it agree on their first two letters
// (the edit is further on) or on their last two (it is in the first two).
func nearKeys(n int, w string) (head, tail string) {
	l := string(rune('0' + n))
	return l + "<" + w[:2], l + ">" + w[len(w)-2:]
}

// near returns the words of the index at edit distance 1 (one letter
// added, dropped, changed, or two swapped) from w, of 5 letters or more,
// in a fixed order.
func (ix *index) near(w string) []string {
	var out []string
	for n := len(w) - 1; n <= len(w)+1; n++ {
		head, tail := nearKeys(n, w)
		for _, c := range ix.buckets[head] {
			if editOne(w, c) {
				out = append(out, c)
			}
		}
		for _, c := range ix.buckets[tail] {
			if c[:2] != w[:2] && editOne(w, c) {
				out = append(out, c) // not found by its head already
			}
		}
	}
	return out
}

// editOne reports whether a and b are one edit apart (Damerau).
func editOne(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	switch len(b) - len(a) {
	case 0:
		if i == len(a) {
			return false // equal
		}
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case 1:
		return a[i:] == b[i+1:]
	}
	return false
}

// scratch is one search's working memory.
type scratch struct {
	acc     []float64
	best    []float64
	matched []uint64
	touched []int32
	mark    []bool
}

func newScratch(n int) *scratch {
	return &scratch{acc: make([]float64, n), best: make([]float64, n), matched: make([]uint64, n), mark: make([]bool, n)}
}

// A result is one passage found, with what the abstention model reads.
type result struct {
	p       int32
	raw     float64 // BM25F and proximity
	norm    float64 // raw over the query's attainable maximum
	matched uint64  // the query words the passage holds
	// typed is the share of the query (by idf) that one sentence holding
	// the answer the question asks for holds (answertype.go); -1 when the
	// question asks for no type.
	typed float64
	win   float64 // the best window's bonus, when it orders the lower places only (winFrom)
}

// search scores every passage holding a word of the query and returns the
// best k, best first, and the query's words.
func (ix *index) search(text, lang string, k int) ([]result, []qterm) {
	if k <= 0 || len(ix.pd) == 0 {
		return nil, nil
	}
	if lang == "" {
		lang, _ = nlu.DetectLanguage(text)
	}
	qs := ix.query(text, lang)
	if len(qs) == 0 {
		return nil, qs
	}
	s := ix.scratch.Get().(*scratch)
	defer ix.scratch.Put(s)
	p := &ix.p
	var maxScore float64
	for j, q := range qs {
		maxScore += q.idf * q.boost
		var local []int32
		for _, a := range q.alts {
			idf := ix.idf(len(ix.postings[a.term]))
			for _, po := range ix.postings[a.term] {
				pd := &ix.pd[po.p]
				var t float64
				for f := range nFields {
					if po.tf[f] > 0 {
						t += p.weight[f] * float64(po.tf[f]) / (1 - p.b[f] + p.b[f]*float64(pd.length[f])/ix.avg[f])
					}
				}
				c := q.boost * a.weight * idf * t / (p.k1 + t)
				if !s.mark[po.p] {
					s.mark[po.p] = true
					local = append(local, po.p)
					if s.matched[po.p] == 0 && s.acc[po.p] == 0 {
						s.touched = append(s.touched, po.p)
					}
				}
				s.best[po.p] = max(s.best[po.p], c)
			}
		}
		for _, i := range local {
			s.acc[i] += s.best[i]
			s.matched[i] |= 1 << j
			s.best[i], s.mark[i] = 0, false
		}
	}
	// The best candidates by BM25F, then re-scored with proximity and the
	// language of the page.
	h := &resultHeap{}
	m := max(k, p.rerank)
	for _, i := range s.touched {
		r := result{p: i, raw: s.acc[i], matched: s.matched[i]}
		s.acc[i], s.matched[i] = 0, 0
		if h.Len() < m {
			heap.Push(h, r)
		} else if better(r, (*h)[0]) {
			(*h)[0] = r
			heap.Fix(h, 0)
		}
	}
	s.touched = s.touched[:0]
	out := []result(*h)
	var maxProx float64
	for j := 1; j < len(qs); j++ {
		maxProx += p.proximity * min(qs[j-1].idf, qs[j].idf)
	}
	for _, q := range qs {
		maxProx += (p.span + p.exact) * q.idf
	}
	held := filterOf(qs)
	typ := questionType(text)
	var forms map[uint32]bool
	var total float64
	if typ != typeNone && p.typed > 0 {
		forms = map[uint32]bool{}
		for _, w := range words(text) {
			forms[formHash(w)] = true
		}
		for _, q := range qs {
			total += q.idf
		}
	}
	for n := range out {
		r := &out[n]
		var win float64
		if p.win > 0 {
			win = p.win * max(0, ix.windowScore(r.p, qs, held)-r.raw)
		}
		r.raw += ix.proximity(r.p, qs, held)
		var typed float64
		r.typed = -1
		if forms != nil {
			r.typed = ix.typedHeld(r.p, qs, typ, forms) / total
			typed = p.typed * r.typed * (maxScore + maxProx)
		}
		if lang != "" && ix.pd[r.p].lang != "" && ix.pd[r.p].lang != lang {
			r.raw *= p.otherLang
			typed *= p.otherLang
			win *= p.otherLang
		}
		// The answer type orders the passages; the score, which the
		// abstention reads, is left without it.
		r.norm = min(1, (r.raw+p.winNorm*win)/(maxScore+maxProx))
		r.raw += typed
		if p.winFrom > 0 {
			r.win = win
		} else {
			r.raw += win
		}
	}
	sortResults(out)
	if pairs := ix.phrases(text, qs); len(pairs) > 0 {
		top := out[:min(p.phraseTop, len(out))]
		for n := range top {
			top[n].raw += ix.phraseBonus(top[n].p, pairs)
		}
		sortResults(top)
	}
	if p.winFrom > 0 && len(out) > p.winFrom {
		rest := out[p.winFrom:]
		for n := range rest {
			rest[n].raw += rest[n].win
		}
		sortResults(rest)
	}
	if len(out) > k {
		out = out[:k]
	}
	return out, qs
}

func sortResults(rs []result) {
	slices.SortFunc(rs, func(a, b result) int {
		if better(a, b) {
			return -1
		}
		return 1
	})
}

// A phrase is two consecutive words of the query as written (formHash),
// one of them at least not a stop word, worth the idf of the rarer word
// that is not. Stop words count here: "the Smart Hub", "reset the
// TV", "la forza degli uragani" are as the page writes them, where the
// query's words alone ("smart hub", "forza uragani") say less of how.
type phrase struct {
	a, b uint32
	idf  float64
}

// phrases returns the query's phrases, each once.
func (ix *index) phrases(text string, qs []qterm) []phrase {
	if ix.p.phrase == 0 || ix.p.phraseTop < 2 {
		return nil
	}
	idf := make(map[uint32]float64, len(qs))
	for _, q := range qs {
		idf[q.form] = q.idf
	}
	ws := words(text)
	if len(ws) > maxQueryWords {
		ws = ws[:maxQueryWords]
	}
	var out []phrase
	for i := 1; i < len(ws); i++ {
		a, b := formHash(ws[i-1]), formHash(ws[i])
		ia, ib := idf[a], idf[b]
		v := max(ia, ib)
		if ia > 0 && ib > 0 {
			v = min(ia, ib)
		}
		if v == 0 || slices.ContainsFunc(out, func(o phrase) bool { return o.a == a && o.b == b }) {
			continue
		}
		out = append(out, phrase{a, b, v})
	}
	return out
}

// phraseBonus is passage i's bonus for the query's phrases it holds.
func (ix *index) phraseBonus(i int32, ps []phrase) float64 {
	forms := ix.pd[i].forms
	var bonus float64
	for _, ph := range ps {
		for pos := 1; pos < len(forms); pos++ {
			if forms[pos] == ph.b && forms[pos-1] == ph.a {
				bonus += ix.p.phrase * ph.idf
				break
			}
		}
	}
	return bonus
}

// proximity is the bonus of passage i for the query's consecutive words
// found side by side in it, for its words found as written, not only by
// their stem ("uragani" where the question says "uragani", rather than
// "uragano"), and for its best stretch (span).
func (ix *index) proximity(i int32, qs []qterm, held *termFilter) float64 {
	var last [64]int
	for j := range qs {
		last[j] = -1 << 30
	}
	var pairs, exact uint64
	forms := ix.pd[i].forms
	for pos, tok := range ix.pd[i].tokens {
		if !held.mayHold(tok) {
			continue
		}
		for j, q := range qs {
			if !q.holds(tok) {
				continue
			}
			if forms[pos] == q.form {
				exact |= 1 << j
			}
			if j > 0 && pos-last[j-1] <= ix.p.window {
				pairs |= 1 << j
			}
			if j+1 < len(qs) && pos-last[j+1] <= ix.p.window {
				pairs |= 1 << (j + 1)
			}
			last[j] = pos
		}
	}
	var bonus float64
	for j, q := range qs {
		if j > 0 && pairs&(1<<j) != 0 {
			bonus += ix.p.proximity * min(qs[j-1].idf, q.idf)
		}
		if exact&(1<<j) != 0 {
			bonus += ix.p.exact * q.idf
		}
	}
	return bonus + ix.span(i, qs, held)
}

// span is the bonus of passage i for the most of the query (by idf) that
// one stretch of spanLen words holds: the sentence that answers.
func (ix *index) span(i int32, qs []qterm, held *termFilter) float64 {
	if ix.p.span == 0 {
		return 0
	}
	return ix.p.span * ix.spanHeld(i, qs, held)
}

// spanHeld is the most of the query (the sum of its words' idf) that one
// stretch of spanLen words of passage i holds.
func (ix *index) spanHeld(i int32, qs []qterm, held *termFilter) float64 {
	type hit struct {
		pos int
		j   int
	}
	var hits []hit
	for pos, tok := range ix.pd[i].tokens {
		if !held.mayHold(tok) {
			continue
		}
		for j := range qs {
			if qs[j].holds(tok) {
				hits = append(hits, hit{pos, j})
			}
		}
	}
	var count [64]int
	var cur, best float64
	lo := 0
	for _, h := range hits {
		if count[h.j] == 0 {
			cur += qs[h.j].idf
		}
		count[h.j]++
		for hits[lo].pos <= h.pos-ix.p.spanLen {
			count[hits[lo].j]--
			if count[hits[lo].j] == 0 {
				cur -= qs[hits[lo].j].idf
			}
			lo++
		}
		best = max(best, cur)
	}
	return best
}

func (q *qterm) holds(tok [2]int32) bool {
	for _, a := range q.alts {
		if a.term == tok[0] || a.term == tok[1] {
			return true
		}
	}
	return false
}

// better orders results: higher score first, then the earlier passage, so
// that the order never depends on anything but the files.
func better(a, b result) bool {
	if a.raw != b.raw {
		return a.raw > b.raw
	}
	return a.p < b.p
}

// resultHeap is a min-heap of results: the worst on top.
type resultHeap []result

func (h resultHeap) Len() int           { return len(h) }
func (h resultHeap) Less(i, j int) bool { return better(h[j], h[i]) }
func (h resultHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *resultHeap) Push(x any)        { *h = append(*h, x.(result)) }
func (h *resultHeap) Pop() any {
	old := *h
	r := old[len(old)-1]
	*h = old[:len(old)-1]
	return r
}

// windowScore is the BM25F of passage i's title and headings with its
// best stretch of winLen words of text, scored as a text of that length: a
// long page whose one line answers the question holds the question's
// words in that line (and its title), where its score as a whole is
// spread over all its words (docs/knowledge.md, "The best window"). 0 for
// a passage whose text is no longer than the window.
func (ix *index) windowScore(i int32, qs []qterm, held *termFilter) float64 {
	n := ix.p.winLen
	pd := &ix.pd[i]
	if n <= 0 || float64(pd.length[fBody]) <= float64(n) {
		return 0
	}
	p := &ix.p
	type hit struct {
		pos int
		j   int
		w   float64
	}
	var hits []hit
	var tf [64]float64
	field := fTitle
	for pos, tok := range pd.tokens {
		if pos == int(pd.headingStart) {
			field = fHeading
		}
		if pos == int(pd.bodyStart) {
			field = fBody
		}
		if !held.mayHold(tok) {
			continue
		}
		for j := range qs {
			var w float64
			for _, a := range qs[j].alts {
				if a.term == tok[0] || a.term == tok[1] {
					w = max(w, a.weight)
				}
			}
			switch {
			case w == 0:
			case field == fBody:
				hits = append(hits, hit{pos, j, w})
			default:
				tf[j] += w * p.weight[field] / (1 - p.b[field] + p.b[field]*float64(pd.length[field])/ix.avg[field])
			}
		}
	}
	body := 1 / (1 - p.b[fBody] + p.b[fBody]*float64(n)/ix.avg[fBody])
	score := func() float64 {
		var s float64
		for j, q := range qs {
			if tf[j] > 0 {
				s += q.boost * q.idf * tf[j] / (p.k1 + tf[j])
			}
		}
		return s
	}
	best := score()
	lo := 0
	for _, h := range hits {
		tf[h.j] += h.w * body
		for hits[lo].pos <= h.pos-n {
			tf[hits[lo].j] -= hits[lo].w * body
			lo++
		}
		best = max(best, score())
	}
	return best
}
