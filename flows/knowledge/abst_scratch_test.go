package knowledge

import (
	"os"
	"testing"
)

func TestScratchAbstention(t *testing.T) {
	name := os.Getenv("KNOWLEDGE_ABST")
	if name == "" {
		t.Skip()
	}
	set := mustDevSet(t, name)
	ix := NewIndex(set.docs, Options{})
	tune, _ := splitQueries(set.queries)
	for _, q := range tune {
		rs, qs := ix.ix.search(q.Text, "", candidates)
		if len(rs) == 0 {
			continue
		}
		x := ix.features(rs, qs)
		c := ix.model().confidence(x)
		right := ix.passages[rs[0].p].Doc.ID == q.Gold
		none := q.Gold == NoAnswer
		if (none && c >= 0.5) || (right && c < 0.5) {
			t.Logf("none=%v conf %.3f x %.3v first %s | %s", none, c, x, ix.passages[rs[0].p].Doc.ID, q.Text)
		}
	}
}
