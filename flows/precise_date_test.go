package flows

import (
	"strings"
	"testing"
)

// TestAPreciseDateWinsOverAVagueOne: a date that makes a vaguer one
// before it precise ("last year, on 3 march 2024", "a marzo, il 14 marzo
// 2025") is the purchase date; a later date of another event (the
// delivery) or of another period leaves the first.
func TestAPreciseDateWinsOverAVagueOne(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, want string
	}{
		{"en", "the pixel 8 won't charge, bought it last year, on 3 march 2024", "purchase_date=2024-03-03"},
		{"en", "the thinkpad e14 screen flickers, got it in 2024, exactly 9 october 2024", "purchase_date=2024-10-09"},
		{"it", "il pixel 8 non si carica, preso l anno scorso, il 5 aprile 2024", "purchase_date=2024-04-05"},
		// Near misses: another period, another event.
		{"en", "the pixel 8 won't charge, bought it in march 2025, my old one on 3 may 2023", "purchase_date=2025-03"},
		{"it", "il pixel 8 non si carica, comprato a gennaio 2025, arrivato il 5 febbraio 2025", "purchase_date=2025-01"},
	} {
		got := commandsText(understandIn(t, b, tc.lang, tc.text))
		if !strings.Contains(got, tc.want+" ") && !strings.Contains(got, tc.want+"\"") {
			t.Errorf("%q: %s, want %q", tc.text, got, tc.want)
		}
	}
}
