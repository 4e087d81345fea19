package flows

import (
	"math/rand/v2"
	"testing"
)

// TestCountWords checks countWords against the words words cuts, on
// random texts of letters, digits, marks, spaces and other scripts.
func TestCountWords(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	alphabet := []rune("abcXYZ019 ,.?!'-_\t\nàÈéñßﬁ°€’…日")
	for range 20000 {
		w := make([]rune, r.IntN(30))
		for i := range w {
			w[i] = alphabet[r.IntN(len(alphabet))]
		}
		s := string(w)
		if got, want := countWords(s), len(words(s)); got != want {
			t.Fatalf("countWords(%q) = %d, want %d", s, got, want)
		}
	}
	for _, s := range []string{"", "ciao", "il mio pixel 8, è morto", "SP-200111 shipped?", "non so... boh"} {
		if got, want := countWords(s), len(words(s)); got != want {
			t.Errorf("countWords(%q) = %d, want %d", s, got, want)
		}
	}
}
