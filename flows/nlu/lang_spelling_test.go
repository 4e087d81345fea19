package nlu

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// spellingByContains is spelling as it was written first, every group
// searched in every word: the reference of TestSpellingLetterGroups.
func spellingByContains(w string) float64 {
	if len(w) < 3 || strings.ContainsAny(w, "0123456789") {
		return 0
	}
	var s float64
	switch w[len(w)-1] {
	case 'a', 'e', 'i', 'o':
		s += 0.6
	case 'u':
	default:
		s -= 0.6
	}
	for _, g := range []string{"zz", "gli", "gn", "cch", "zion", "zia", "ggi", "cci", "sci", "tt", "pp"} {
		if strings.Contains(w, g) {
			s += 0.5
		}
	}
	for _, g := range []string{"th", "sh", "w", "k", "y", "ck", "ee", "oo", "ing", "tion", "ea", "ou"} {
		if strings.Contains(w, g) {
			s -= 0.5
		}
	}
	return math.Max(-1.5, math.Min(1.5, s))
}

// TestSpellingLetterGroups checks spelling, which searches a word only for
// the groups whose letters it holds, against the search of every group,
// on random words of letters, digits and accented letters.
func TestSpellingLetterGroups(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []rune("abcdefghijklmnopqrstuvwxyzzzggttppeeoo0123456789àèéìòù'")
	for range 100000 {
		w := make([]rune, 1+r.IntN(12))
		for i := range w {
			w[i] = alphabet[r.IntN(len(alphabet))]
		}
		s := string(w)
		if got, want := spelling(s), spellingByContains(s); got != want {
			t.Fatalf("spelling(%q) = %v, want %v", s, got, want)
		}
	}
	for _, s := range []string{"pizza", "figlio", "bagno", "zucchero", "stazione", "the", "shipping", "week", "station", "zia"} {
		if got, want := spelling(s), spellingByContains(s); got != want {
			t.Errorf("spelling(%q) = %v, want %v", s, got, want)
		}
	}
}
