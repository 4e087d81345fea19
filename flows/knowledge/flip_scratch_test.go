package knowledge

import (
	"os"
	"testing"
)

func TestScratchFlip(t *testing.T) {
	name := os.Getenv("KNOWLEDGE_FLIP")
	if name == "" {
		t.Skip()
	}
	set := mustDevSet(t, name)
	tune, _ := splitQueries(set.queries)
	a := NewIndex(set.docs, Options{})
	p := defaultParams
	p.knownTypo = 0.9
	b := newIndex(set.docs, Options{}, p)
	for _, q := range tune {
		pa, pb := a.Predict(q), b.Predict(q)
		ok := func(p Prediction) bool {
			if q.Gold == NoAnswer {
				return !p.Answered
			}
			return p.Answered && len(p.Docs) > 0 && p.Docs[0] == q.Gold
		}
		if ok(pa) != ok(pb) || (q.Gold != NoAnswer && (pa.Docs[0] == q.Gold) != (pb.Docs[0] == q.Gold)) {
			qs := b.ix.query(q.Text, "")
			var alts []int
			for _, x := range qs {
				alts = append(alts, len(x.alts))
			}
			t.Logf("acc %v→%v first %s→%s gold %s | %s %v", ok(pa), ok(pb), pa.Docs[0], pb.Docs[0], q.Gold, q.Text, alts)
		}
	}
}
