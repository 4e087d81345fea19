package extract

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Perché NON si accende?!", "perche non si accende"},
		{"  Caffè   macchina  ", "caffe macchina"},
		{"l'anno scorso", "l anno scorso"},
		{"L’ÀNNO", "l anno"},
		{"Straße", "strasse"},
		{"Œuvre Ærø", "oeuvre aero"},
		{"nova-x", "nova x"},
		{"1.200,50 €", "1 200 50"},
		{"e\u0301", "e"}, // e + combining acute
		{"Ελλάδα", "ελλαδα"},
		{"ciao 👋 mondo", "ciao mondo"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzNormalizeAgreesWithTokenize checks that Normalize, which writes
// tokens as it finds them, gives tokenize's tokens joined by spaces: the
// two must agree on what a word is.
func FuzzNormalizeAgreesWithTokenize(f *testing.F) {
	for _, s := range []string{"", "Perché NON si accende?!", "ß œ Æ", "e\u0301 x", "\u0301abc", "a\u0301\u0301", "\xff\xfe", "  x  ", "ǅ ﬃ ㎒ ＡＢＣ", "l'iPhone 15, preso a €300"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var toks []string
		for _, tok := range tokenize(s) {
			toks = append(toks, tok.text)
		}
		if got, want := Normalize(s), strings.Join(toks, " "); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", s, got, want)
		}
	})
}
