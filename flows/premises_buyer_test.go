package flows

import (
	"strings"
	"testing"
)

// TestPremisesSayABusiness: a thing bought for a business's premises
// named with the article alone ("per la pizzeria", "for the hotel") is a
// business's, as "per il mio ristorante" is. The home's rooms, and a
// premises the customer only passes by or is at, are no business.
func TestPremisesSayABusiness(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, want string
	}{
		{"it", "la tv sony presa per la pizzeria non si accende", "buyer=business"},
		{"it", "il frigo l ho preso per il ristorante a maggio 2025 e non raffredda", "buyer=business"},
		{"en", "the dyson v8 we got for the salon stopped charging", "buyer=business"},
		{"en", "bought the airfryer for the cafe in march 2025, it no longer heats", "buyer=business"},
		// Near misses.
		{"it", "la tv sony presa per il salotto non si accende", "buyer=consumer"},
		{"en", "i was at the bar when the pixel 8 fell, the screen is cracked", ""},
		{"it", "il pixel 8 mi e caduto al bar, lo schermo e rotto", ""},
	} {
		got := commandsText(understandIn(t, b, tc.lang, tc.text))
		if tc.want != "" && !strings.Contains(got, tc.want) || tc.want == "" && strings.Contains(got, "buyer=") {
			t.Errorf("%q: %s, want %q", tc.text, got, tc.want)
		}
	}
}
