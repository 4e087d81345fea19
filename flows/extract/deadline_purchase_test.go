package extract

import "testing"

// TestPurchaseByADateIsNoDeadline: "entro", "by" after a purchase cue date
// the purchase, roughly; alone they still give a deadline.
func TestPurchaseByADateIsNoDeadline(t *testing.T) {
	for _, tc := range []struct {
		text string
		cue  Cue
	}{
		{"l'ho acquistato entro l'inizio dell'anno scorso", CuePurchase},
		{"lo abbiamo comprato entro marzo 2024, non ricordo il giorno", CuePurchase},
		{"I bought it by the middle of last year", CuePurchase},
		{"mi serve entro venerdì", CueDeadline},
		{"I need it delivered by the 20th", CueDeadline},
	} {
		var got []Value
		for _, v := range Scan(tc.text, Options{Now: now}) {
			if v.Kind == KindDate {
				got = append(got, v)
			}
		}
		if len(got) != 1 || got[0].Cue != tc.cue || tc.cue == CuePurchase && !got[0].Approx {
			t.Errorf("Scan(%q) dates = %+v, want one %s date", tc.text, got, tc.cue)
		}
	}
}
