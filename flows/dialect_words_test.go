package flows

import (
	"strings"
	"testing"
)

// TestDialectSpellings: the Roman "der" is "del" ("a marzo der 2024"),
// the Venetian "par" is "per" ("par casa"): a year after "der" is the
// month's, and "par casa" tells a private buyer as "per casa" does. A
// "der" or "par" with no month or use after it reads no date and no buyer.
func TestDialectSpellings(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text, want, not string
	}{
		{"il frigo philips nun va, preso a marzo der 2024, pe casa", "purchase_date=2024-03", ""},
		{"la tv sony se blocca, l ho comprata a settembre der 2023", "purchase_date=2023-09", ""},
		{"la friggitrice philips no la va pì, comprada a genaio der 2025", "purchase_date=2025-01", ""},
		{"el pixel 8 el se spegne, comprà a marso 2025, par casa", "buyer=consumer", ""},
		{"el thinkpad no funsiona, par uso personale, preso a aprile 2025", "buyer=consumer", ""},
		// Near misses: no month before "der", no use after "par".
		{"il pixel 8 der negozio nun se accende", "", "purchase_date"},
		{"el pixel 8 par rotto, comprà a marso 2025", "", "buyer"},
	} {
		got := commandsText(understandIn(t, b, "it", tc.text))
		if tc.want != "" && !strings.Contains(got, tc.want) || tc.not != "" && strings.Contains(got, tc.not) {
			t.Errorf("%q: %s, want %q, not %q", tc.text, got, tc.want, tc.not)
		}
	}
}
