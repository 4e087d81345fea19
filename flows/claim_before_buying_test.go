package flows

import (
	"strings"
	"testing"
)

// A purchase still to be made ("thinking of buying", "sto pensando di
// prendere") with nothing owned told is a sale, whatever the classifier
// guesses: a warranty claim needs a product bought. A fault, a date of
// owning it or a question keeps the claim or the pages.
func TestClaimBeforeBuyingIsASale(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, want string
	}{
		{"en", "we're thinking of buying a few thinkpads for our office", "start_flow(sales"},
		{"en", "we are thinking of getting some galaxy a55 phones for the staff", "start_flow(sales"},
		{"it", "stiamo pensando di prendere dei thinkpad per i ragazzi", "start_flow(sales"},
		// Near misses: something owned is told.
		{"en", "thinking of buying a new one, my pixel 8 won't turn on", "start_flow(warranty"},
		{"en", "thinking of buying another, the thinkpad I got in march keeps freezing", "start_flow(warranty"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := understandWith(t, b, tc.lang, "", "", nil, tc.text); !strings.Contains(got, tc.want) {
				t.Errorf("commands %s, want %q", got, tc.want)
			}
		})
	}
}
