package flows

import "testing"

// TestHowInTheFirstPerson: "come" and a verb in the first person asks how
// to do something, as "come si" does: with a pronoun before the verb or an
// article after it. The near misses ask nothing of the kind: a comparison,
// "come" with a noun or an adjective.
func TestHowInTheFirstPerson(t *testing.T) {
	for _, tc := range []struct {
		text string
		how  bool
	}{
		{"mi si è accesa la spia, come la pulisco?", true},
		{"come lo collego al wifi?", true},
		{"come resetto la tv?", true},
		{"come aggiorno il mio portatile", true},
		// Near misses.
		{"il telefono è come nuovo", false},
		{"vorrei un portatile come il mio", false},
		{"come mio fratello, ho un pixel", false},
		{"come la volta scorsa", false},
	} {
		if got := asksHowToIn(saying(tc.text)); got != tc.how {
			t.Errorf("%q: how-to %v, want %v", tc.text, got, tc.how)
		}
	}
}
