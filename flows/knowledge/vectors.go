package knowledge

import (
	"math"
	"slices"
	"strings"
	"sync"
)

// Word vectors learned from the indexed pages themselves, for a question
// that says in other words what a page says ("morì" and "morte",
// "capitale" and "città principale"): each term's contexts within
// vecWindow words (stop words left out), weighed by their positive
// pointwise mutual information (PPMI, the contexts' counts smoothed to the
// power 0.75), each term's vecRow strongest contexts kept, as a sparse
// unit vector. Only terms seen vecMinCount times or more have one. A
// collection of fewer than vecMinTokens words has too little text to
// learn from: it has no vectors.
const (
	vecWindow    = 4
	vecMinCount  = 2
	vecMinTokens = 5_000
	vecRow       = 100
)

// A ctxWeight is one context of a term's vector.
type ctxWeight struct {
	c int32
	w float32
}

// vectors holds each term's sparse unit vector, by context, in the
// contexts' order.
type vectors struct {
	rows [][]ctxWeight
	knn  sync.Map // term -> the cosine of its vecKNN-th nearest term (float64)
}

// vecKNN is how many nearest terms of a query word count as alike
// (vecMode 3).
const vecKNN = 10

// knnFloor is the cosine of term t's vecKNN-th nearest term.
func (vs *vectors) knnFloor(t int32) float64 {
	if f, ok := vs.knn.Load(t); ok {
		return f.(float64)
	}
	var best []float64
	for c := range vs.rows {
		if int32(c) == t || vs.rows[c] == nil {
			continue
		}
		best = append(best, vs.cos(t, int32(c)))
	}
	slices.Sort(best)
	f := 1.0
	if len(best) >= vecKNN {
		f = best[len(best)-vecKNN]
	}
	vs.knn.Store(t, f)
	return f
}

// cos is the cosine of terms a and b, 0 when either has no vector.
func (vs *vectors) cos(a, b int32) float64 {
	if a == b {
		return 1
	}
	if a < 0 || b < 0 {
		return 0
	}
	x, y := vs.rows[a], vs.rows[b]
	var s float32
	for i, j := 0, 0; i < len(x) && j < len(y); {
		switch {
		case x[i].c < y[j].c:
			i++
		case x[i].c > y[j].c:
			j++
		default:
			s += x[i].w * y[j].w
			i++
			j++
		}
	}
	return float64(s)
}

// learnVectors learns the terms' vectors from the passages' words in
// order; nil when there is too little text.
func learnVectors(pd []pdata, nterms int) *vectors {
	count := make([]float64, nterms)
	var total int
	for i := range pd {
		for _, tok := range pd[i].tokens {
			for _, t := range tok {
				if t >= 0 {
					count[t]++
					total++
				}
			}
		}
	}
	if total < vecMinTokens {
		return nil
	}
	// Co-occurrences within the window, by slot (a page's language), as
	// pairs sorted and counted.
	var pairs []uint64
	seq := make([]int32, 0, 256)
	for i := range pd {
		for slot := range 2 {
			seq = seq[:0]
			for _, tok := range pd[i].tokens {
				if t := tok[slot]; t >= 0 && count[t] >= vecMinCount {
					seq = append(seq, t)
				}
			}
			for a, t := range seq {
				for b := a + 1; b < len(seq) && b <= a+vecWindow; b++ {
					if c := seq[b]; c != t {
						pairs = append(pairs, uint64(t)<<32|uint64(uint32(c)), uint64(c)<<32|uint64(uint32(t)))
					}
				}
			}
		}
	}
	slices.Sort(pairs)
	// The smoothed context distribution, and each term's total.
	var ctxTotal float64
	ctx := make([]float64, nterms)
	for t, n := range count {
		if n >= vecMinCount {
			ctx[t] = math.Pow(n, 0.75)
			ctxTotal += ctx[t]
		}
	}
	rowTotal := make([]float64, nterms)
	for _, k := range pairs {
		rowTotal[k>>32]++
	}
	vs := &vectors{rows: make([][]ctxWeight, nterms)}
	var row []ctxWeight
	flush := func(t int32) {
		if len(row) == 0 {
			return
		}
		if len(row) > vecRow {
			slices.SortFunc(row, func(a, b ctxWeight) int {
				if a.w != b.w {
					if a.w > b.w {
						return -1
					}
					return 1
				}
				return int(a.c - b.c)
			})
			row = row[:vecRow]
			slices.SortFunc(row, func(a, b ctxWeight) int { return int(a.c - b.c) })
		}
		var n float64
		for _, x := range row {
			n += float64(x.w) * float64(x.w)
		}
		inv := float32(1 / math.Sqrt(n))
		out := make([]ctxWeight, len(row))
		for i, x := range row {
			out[i] = ctxWeight{x.c, x.w * inv}
		}
		vs.rows[t] = out
		row = row[:0]
	}
	cur := int32(-1)
	for i := 0; i < len(pairs); {
		j := i
		for j < len(pairs) && pairs[j] == pairs[i] {
			j++
		}
		t, c := int32(pairs[i]>>32), int32(uint32(pairs[i]))
		if t != cur {
			if cur >= 0 {
				flush(cur)
			}
			cur = t
		}
		if pmi := math.Log(float64(j-i) * ctxTotal / (rowTotal[t] * ctx[c])); pmi > 0 {
			row = append(row, ctxWeight{c, float32(pmi)})
		}
		i = j
	}
	if cur >= 0 {
		flush(cur)
	}
	return vs
}

// softMatch is how much of the query (by idf, in [0, 1]) passage i says
// in its own words: for each query word, the most similar of the
// passage's words (a word the passage holds counts 1), above vecFloor.
func (ix *index) softMatch(i int32, qs []qterm, matched uint64) float64 {
	vs := ix.vecs
	if ix.p.vecMode == 2 {
		return ix.centroidCos(i, qs)
	}
	var total, got float64
	var seen []int32
	var qv [64]bool
	for j, q := range qs {
		total += q.idf
		if matched&(1<<j) != 0 {
			if ix.p.vecMode == 1 {
				got += q.idf
			}
			continue
		}
		qv[j] = ix.p.vecMode == 4 || q.vt >= 0 && vs.rows[q.vt] != nil
	}
	for _, tok := range ix.pd[i].tokens {
		t := tok[0]
		if t < 0 {
			t = tok[1]
		}
		if t < 0 || slices.Contains(seen, t) {
			continue
		}
		seen = append(seen, t)
	}
	for j, q := range qs {
		if !qv[j] {
			continue
		}
		best := 0.0
		for _, t := range seen {
			if ix.p.vecMode == 4 {
				best = max(best, dice(q.w, ix.termWord[t]))
				continue
			}
			best = max(best, vs.cos(q.vt, t))
		}
		if ix.p.vecMode == 3 {
			if best >= vs.knnFloor(q.vt) && best > 0 {
				got += q.idf * ix.p.vecFloor
			}
			continue
		}
		if best > ix.p.vecFloor {
			got += q.idf * (best - ix.p.vecFloor) / (1 - ix.p.vecFloor)
		}
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// centroidCos is the cosine of the query's centroid (its words' vectors
// by idf) and passage i's (its words' vectors by tf and idf).
func (ix *index) centroidCos(i int32, qs []qterm) float64 {
	vs := ix.vecs
	q := map[int32]float64{}
	for _, t := range qs {
		if t.vt < 0 {
			continue
		}
		for _, cw := range vs.rows[t.vt] {
			q[cw.c] += t.idf * float64(cw.w)
		}
	}
	p := map[int32]float64{}
	for _, tok := range ix.pd[i].tokens {
		t := tok[0]
		if t < 0 {
			t = tok[1]
		}
		if t < 0 {
			continue
		}
		idf := ix.idf(len(ix.postings[t]))
		for _, cw := range vs.rows[t] {
			p[cw.c] += idf * float64(cw.w)
		}
	}
	var d, nq, np float64
	for c, x := range q {
		nq += x * x
		d += x * p[c]
	}
	for _, x := range p {
		np += x * x
	}
	if nq == 0 || np == 0 {
		return 0
	}
	return d / math.Sqrt(nq*np)
}

// dice is the Dice coefficient of the letter trigrams of a and b, each
// padded with a space at the start.
func dice(a, b string) float64 {
	if len(a) < 3 || len(b) < 3 {
		return 0
	}
	a, b = " "+a, " "+b
	var n int
	for i := 0; i+3 <= len(a); i++ {
		if strings.Contains(b, a[i:i+3]) {
			n++
		}
	}
	return 2 * float64(n) / float64(len(a)-2+len(b)-2)
}
