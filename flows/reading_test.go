package flows

import (
	"math/rand/v2"
	"slices"
	"strings"
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

// TestCountFields checks countFields against strings.Fields, on random
// texts with ASCII and other spaces, marks, other scripts and broken UTF-8.
func TestCountFields(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	alphabet := []string{"a", "Z", "9", " ", "  ", "\t", "\n", "\v", "\r", ",", "è", "\u00a0", "\u0085", "\u2003", "\u3000", "日", "\xff", "\xe2\x80"}
	for range 20000 {
		var b strings.Builder
		for range r.IntN(20) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		s := b.String()
		if got, want := countFields(s), len(strings.Fields(s)); got != want {
			t.Fatalf("countFields(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestSayWordsOfMessage checks that the phrases of words a message holds
// one after the other, taken from the message's, are those sayWords finds
// in them alone, for every run of the message's words.
func TestSayWordsOfMessage(t *testing.T) {
	for _, text := range []string{
		"ciao, nn ricordo quando l'ho preso ma vorrei parlare con una persona e poi sapere quanto costa la spedizione",
		"hi, my order hasn't arrived yet and i'd like to send it back, how much is delivery? also can i pay with paypal",
		"grazie mille, non mi serve più il portatile: vorrei fare il reso e anche cambiare l'indirizzo",
	} {
		w := words(text)
		m := &messageTexts{words: w, said: sayWords(w)}
		if len(m.said.hits) < 2 {
			t.Fatalf("%q holds %d phrases: a test of none", text, len(m.said.hits))
		}
		for a := 0; a <= len(w); a++ {
			for b := a + 1; b <= len(w); b++ {
				got, want := m.sayWords(w[a:b]), sayWords(w[a:b])
				if !slices.Equal(got.words, want.words) || !slices.Equal(got.hits, want.hits) {
					t.Fatalf("%q, words %d to %d: %+v, want %+v", text, a, b, got, want)
				}
			}
		}
	}
}
