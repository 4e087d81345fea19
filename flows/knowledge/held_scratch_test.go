package knowledge

import (
	"os"
	"testing"
)

func TestScratchHeldR5(t *testing.T) {
	if os.Getenv("KNOWLEDGE_HELD") == "" {
		t.Skip()
	}
	set := mustDevSet(t, "emanual_tv")
	_, held := splitQueries(set.queries)
	rank := func(ix *Index, q Query) int {
		rs, _ := ix.ix.search(q.Text, "", 50)
		for i, r := range rs {
			if ix.passages[r.p].Doc.ID == q.Gold {
				return i
			}
		}
		return -1
	}
	def := NewIndex(set.docs, Options{})
	p := defaultParams
	p.phrase = 0
	noPhrase := newIndex(set.docs, Options{}, p)
	p = defaultParams
	p.exact = 0
	noExact := newIndex(set.docs, Options{}, p)
	b := newBM25(set.docs)
	for _, q := range held {
		if q.Gold == NoAnswer {
			continue
		}
		ids, _ := b.search(q.Text, "en")
		br := -1
		for i, id := range ids {
			if id == q.Gold {
				br = i
				break
			}
		}
		r := rank(def, q)
		if r >= 5 || r < 0 || br >= 5 || br < 0 {
			t.Logf("ours %d nophrase %d noexact %d bm25 %d | %s | %s", r, rank(noPhrase, q), rank(noExact, q), br, q.Gold, q.Text)
		}
	}
}
