package knowledge

import (
	"math/rand/v2"
	"testing"
)

// TestTermFilterHasNoFalseNegatives checks that a token holding any term
// of a query passes the query's filter, whichever of its two terms it is.
func TestTermFilterHasNoFalseNegatives(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		qs := make([]qterm, 1+r.IntN(8))
		for i := range qs {
			for range 1 + r.IntN(4) {
				qs[i].alts = append(qs[i].alts, alt{term: r.Int32N(50000)})
			}
		}
		f := filterOf(qs)
		for _, q := range qs {
			for _, a := range q.alts {
				if !f.mayHold([2]int32{a.term, -1}) || !f.mayHold([2]int32{-1, a.term}) {
					t.Fatalf("term %d of the query does not pass its filter", a.term)
				}
			}
		}
	}
}
