package extract

import (
	"math/rand"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// TestTextWords checks that the words of a Text read once are those of
// Normalize, split as Words splits them, for ASCII and other text.
func TestTextWords(t *testing.T) {
	texts := []string{"", "   ", "Perché NON si accende?!", "il mio pixel 8 è morto", "l'ho preso il 15/03, 1.200,50 €",
		"Straße œuvre ß", "e\u0301 arrivato", "Ωmega 3 ÀB_c-d", "\xff\xfe ok", "ｆｕｌｌ width", "١٢٣ arabic digits", "x\u0903y"}
	r := rand.New(rand.NewSource(1))
	alphabet := []rune("aZ9 .,'-éèÀßœΩ\u0301\u0903١ｆ\xff_")
	// ASCII only, as most messages are: Words reads it without Normalize.
	ascii := []rune("aZ9 .,'-_\t\n!?Mz0")
	for i := 0; i < 2000; i++ {
		for _, a := range [][]rune{alphabet, ascii} {
			var b strings.Builder
			for n := r.Intn(20); n > 0; n-- {
				b.WriteRune(a[r.Intn(len(a))])
			}
			texts = append(texts, b.String())
		}
	}
	for _, text := range texts {
		want := strings.FieldsFunc(Normalize(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if got := Words(text); !slices.Equal(got, want) {
			t.Errorf("Words(%q) = %q, want %q", text, got, want)
		}
		if got := Read(text).Words(); !slices.Equal(got, want) {
			t.Errorf("Read(%q).Words() = %q, want %q", text, got, want)
		}
		if got := Read(text).String(); got != text {
			t.Errorf("Read(%q).String() = %q", text, got)
		}
	}
}
