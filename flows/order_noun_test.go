package flows

import (
	"strings"
	"testing"
)

// TestOrderNamedIsNoPurchase: a part that opens with "order" and the
// order's number names the order; it buys nothing. "order" as a verb of
// a part still queues a purchase.
func TestOrderNamedIsNoPurchase(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text string
		sale bool
	}{
		{"order SP-200103 arrived monday with the lg oled and i'd like to return it", false},
		{"order SP-200106 came friday, the airfryer is nice but noisy and we want a refund", false},
		{"order SP-200104 arrived friday, the dyson v8 is fine but too loud, i want to send it back and get a refund", false},
		// A verb of buying.
		{"order a pixel 8 for me and return the galaxy", true},
		{"i want to return the galaxy a55 and order a pixel 8 instead", true},
		{"buy a pixel 8 and return the galaxy please", true},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := commandsText(understandIn(t, b, "en", tc.text))
			if !strings.Contains(got, "start_flow(returns") || strings.Contains(got, "(sales") != tc.sale {
				t.Errorf("commands %s: want the return, and a sale %v", got, tc.sale)
			}
		})
	}
}
