package extract

import "testing"

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
