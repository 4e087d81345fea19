package knowledge

import (
	"os"
	"testing"
)

// TestTuningMisses prints the answerable queries of a development set's
// tuning part whose right page is not first: the rank of the right page
// among the best 50 (-1 beyond), the right page, the first, the query.
// It runs only with KNOWLEDGE_MISSES=squad_it (or emanual_tv), and never
// looks at the held-out part.
func TestTuningMisses(t *testing.T) {
	name := os.Getenv("KNOWLEDGE_MISSES")
	if name == "" {
		t.Skip("set KNOWLEDGE_MISSES to a development set's name")
	}
	set := mustDevSet(t, name)
	ix := NewIndex(set.docs, Options{})
	tune, _ := splitQueries(set.queries)
	var misses, sameFolder, top5 int
	for _, q := range tune {
		if q.Gold == NoAnswer {
			continue
		}
		rs, _ := ix.ix.search(q.Text, "", 50)
		if len(rs) == 0 {
			continue
		}
		rank := -1
		for i, r := range rs {
			if ix.passages[r.p].Doc.ID == q.Gold {
				rank = i
				break
			}
		}
		if rank == 0 {
			continue
		}
		misses++
		first := ix.passages[rs[0].p].Doc.ID
		if folderOf(first) == folderOf(q.Gold) {
			sameFolder++
		}
		if rank > 0 && rank < 5 {
			top5++
		}
		t.Logf("%d\t%s\t%s\t%s", rank, q.Gold, first, q.Text)
	}
	t.Logf("%d misses: %d with the first page in the right page's folder, %d with the right page in the best 5", misses, sameFolder, top5)
}
