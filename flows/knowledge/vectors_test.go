package knowledge

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestVectorNeighbours prints the nearest terms of a few words by the
// vectors learned from a development set (KNOWLEDGE_VECTORS=squad_it,
// the words in KNOWLEDGE_VECTOR_WORDS, comma-separated), and how long
// learning them took.
func TestVectorNeighbours(t *testing.T) {
	name := os.Getenv("KNOWLEDGE_VECTORS")
	if name == "" {
		t.Skip("set KNOWLEDGE_VECTORS to a development set's name")
	}
	set := mustDevSet(t, name)
	p := defaultParams
	p.vec = 0
	ix := newIndex(set.docs, Options{}, p)
	start := time.Now()
	vs := learnVectors(ix.ix.pd, len(ix.ix.postings))
	t.Logf("%d terms, learned in %v", len(ix.ix.postings), time.Since(start))
	names := make([]string, len(ix.ix.postings))
	for k, id := range ix.ix.terms {
		names[id] = k
	}
	lang := langIT
	if name == "emanual_tv" {
		lang = langEN
	}
	for _, w := range strings.Split(os.Getenv("KNOWLEDGE_VECTOR_WORDS"), ",") {
		id, ok := ix.ix.terms[stems(w)[lang]]
		if vs == nil || !ok || vs.rows[id] == nil {
			t.Logf("%s: no vector", w)
			continue
		}
		type nb struct {
			t string
			s float64
		}
		var nbs []nb
		for c := range names {
			if int32(c) != id && vs.rows[c] != nil {
				nbs = append(nbs, nb{names[c], vs.cos(id, int32(c))})
			}
		}
		slices.SortFunc(nbs, func(a, b nb) int {
			if a.s > b.s {
				return -1
			}
			return 1
		})
		var out []string
		for _, n := range nbs[:min(12, len(nbs))] {
			out = append(out, n.t+" "+strconv.FormatFloat(n.s, 'f', 2, 64))
		}
		t.Logf("%s: %s", w, strings.Join(out, ", "))
	}
}

// TestVectorMisses compares the soft match of the right passage and of
// the first one, on the tuning queries whose right page is in the best 5
// but not first (KNOWLEDGE_VECTORS=squad_it, KNOWLEDGE_VECTOR_MODE 0 to 3).
func TestVectorMisses(t *testing.T) {
	name := os.Getenv("KNOWLEDGE_VECTORS")
	if name == "" {
		t.Skip("set KNOWLEDGE_VECTORS to a development set's name")
	}
	set := mustDevSet(t, name)
	p := defaultParams
	p.vec = 1e-9 // learn the vectors, leave the order
	p.vecFloor = 0
	p.vecMode, _ = strconv.Atoi(os.Getenv("KNOWLEDGE_VECTOR_MODE"))
	ix := newIndex(set.docs, Options{}, p)
	tune, _ := splitQueries(set.queries)
	var misses, higher, equal int
	for _, q := range tune {
		if q.Gold == NoAnswer {
			continue
		}
		rs, qs := ix.ix.search(q.Text, "", 5)
		if len(rs) == 0 || ix.passages[rs[0].p].Doc.ID == q.Gold {
			continue
		}
		for _, r := range rs[1:] {
			if ix.passages[r.p].Doc.ID != q.Gold {
				continue
			}
			misses++
			g, f := ix.ix.softMatch(r.p, qs, r.matched), ix.ix.softMatch(rs[0].p, qs, rs[0].matched)
			switch {
			case g > f:
				higher++
			case g == f:
				equal++
			}
			break
		}
	}
	t.Logf("%d misses in the best 5: the right passage's soft match higher in %d, equal in %d", misses, higher, equal)
}
