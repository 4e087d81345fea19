package extract

import "testing"

func TestYesNo(t *testing.T) {
	tests := []struct {
		text string
		yes  bool
	}{
		{"sì", true}, {"si", true}, {"Sì!", true}, {"SI", true}, {"sisi", true}, {"certo", true},
		{"esatto", true}, {"va bene", true}, {"Va bene, grazie", true}, {"ok", true}, {"OK!", true},
		{"d'accordo", true}, {"perfetto", true}, {"confermo", true}, {"sì, non si accende più", true},
		{"certo che sì", true}, {"perché no", true}, {"yes", true}, {"Yes please", true}, {"yep", true},
		{"yeah sure", true}, {"sure", true}, {"of course", true}, {"why not", true}, {"that's right", true},
		{"absolutely", true}, {"👍", true}, {"ok 👍", true},
		{"no", false}, {"No, grazie", false}, {"no grazie", false}, {"no ok grazie", false}, {"nope", false},
		{"non ancora", false}, {"not yet", false}, {"certo che no", false}, {"assolutamente no", false},
		{"of course not", false}, {"non proprio", false}, {"not really", false}, {"no, thanks", false},
		{"nah", false}, {"non si accende", false}, {"mai", false}, {"never", false}, {"👎", false},
		{"No.", false},
		// A decline wins over the yes that softens it.
		{"vabbè, lascia perdere", false}, {"ok never mind", false}, {"sì sì, fa niente", false}, {"forget it", false},
		{"sì, non mi serve più", true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if yes, ok := YesNo(tt.text, ""); !ok || yes != tt.yes {
				t.Errorf("YesNo(%q) = %v, %v; want %v", tt.text, yes, ok, tt.yes)
			}
		})
	}
}

func TestYesNoNone(t *testing.T) {
	for _, text := range []string{"", "boh", "forse", "maybe", "non lo so", "non so", "I don't know", "not sure", "ciao", "grazie", "il mio telefono", "?"} {
		t.Run(text, func(t *testing.T) {
			if yes, ok := YesNo(text, ""); ok {
				t.Errorf("YesNo(%q) = %v; want no answer", text, yes)
			}
		})
	}
}
