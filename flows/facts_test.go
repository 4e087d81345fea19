package flows

import (
	"slices"
	"testing"
)

// A kind of product the shop sells one model of is that model: the
// warranty claim for "the air fryer" does not ask which one.
func TestCategoryOfOneProductNamesIt(t *testing.T) {
	for _, tc := range []struct {
		name, lang, say, asks string
	}{
		{"it", "it", "la friggitrice fa fumo nero", "quando l'hai acquistato"},
		{"en", "en", "my air fryer smells of burnt plastic", "when did you buy"},
		{"several models: the model is asked", "it", "la macchina del caffè perde acqua", "modello"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = tc.lang
			contains(t, d.say(tc.say), tc.asks)
		})
	}
	var got []string
	for _, f := range mustShop(t).read("vorrei una friggitrice", "it", june2025, "") {
		got = append(got, string(f.kind)+"="+f.value)
	}
	if want := []string{"category=appliance", "product=philips-airfryer"}; !slices.Equal(got, want) {
		t.Errorf("\"vorrei una friggitrice\" reads as %v, want %v", got, want)
	}
}
