package knowledge

import (
	"strings"
	"testing"
)

func TestZZFailures(t *testing.T) {
	set := mustDevSet(t, "squad_it")
	ix := NewIndex(set.docs, Options{})
	tune, _ := splitQueries(set.queries)
	same, other, n := 0, 0, 0
	for _, q := range tune {
		if q.Gold == NoAnswer {
			continue
		}
		p := ix.Predict(q)
		if len(p.Docs) > 0 && p.Docs[0] != q.Gold {
			art := func(s string) string { return s[:strings.Index(s, "/")] }
			if art(p.Docs[0]) == art(q.Gold) {
				same++
			} else {
				other++
			}
			if n < 6 {
				n++
				t.Logf("%s | gold %s | got %v", q.Text, q.Gold, p.Docs[:3])
			}
		}
	}
	t.Logf("wrong top: same article %d, other article %d", same, other)
}
