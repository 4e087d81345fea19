package flows

import (
	"slices"
	"strings"
	"testing"
)

// A kind's word in the plural or misspelt is that kind, read as the
// catalogue reads its names: the shop's one product of the kind.
func TestKindPluralOrMisspelt(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, want, not string
	}{
		{"it", "ci servono cinque friggitrici per la mensa", "product=philips-airfryer", ""},
		{"en", "do you sell vacuum cleaners for offices", "product=dyson-v8", ""},
		{"en", "we want three coffee makers for the break room", "product=delonghi-magnifica", ""},
		{"it", "vorrei due macchine da caffè per lo studio", "product=delonghi-magnifica", ""},
		{"it", "l'aspirapolvee fa un fischio", "product=dyson-v8", ""},
		{"en", "the air fryier will not heat", "product=philips-airfryer", ""},
		{"it", "la machinetta del caffè perde", "product=delonghi-magnifica", ""},
		// The count before a kind read so: "quattro" is the quantity.
		{"it", "ne prendiamo quattro macchine del caffe", "quantity=4", ""},
		// Near misses: half a kind's words, a word of the kind alone,
		// another thing named.
		{"it", "la macchina non parte più", "", "product=delonghi"},
		{"en", "the coffee tastes burnt", "", "product="},
		{"en", "my pixel 8 screen cracked", "product=pixel-8", "dyson"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := commandsText(understandIn(t, b, tc.lang, tc.text))
			if !strings.Contains(got, tc.want) || tc.not != "" && strings.Contains(got, tc.not) {
				t.Errorf("commands %s, want %s and no %s", got, tc.want, tc.not)
			}
		})
	}
}

// A screen size in the message that leads to the model question narrows
// it as an answer to it would: one product of the size is taken, several
// are the question's buttons.
func TestSizeNarrowsTheFirstModelQuestion(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		want       []string // the model question's buttons; one: taken
	}{
		{"it", "mi interessa un televisore da 55 pollici", []string{`Samsung QLED 55" Q60`, `LG OLED 55" C3`}},
		{"en", "shopping for a 55 inch television", []string{`Samsung QLED 55" Q60`, `LG OLED 55" C3`}},
		{"en", "my 43 inch tv has no picture", []string{"sony-bravia-43"}},
		{"it", "cerco una tv da 43 pollici per la cucina", []string{"sony-bravia-43"}},
		// Near misses: no size, a size no product has, a price.
		{"it", "vorrei comprare un televisore", []string{`Samsung QLED 55" Q60`, `LG OLED 55" C3`, `Sony Bravia 43" X75`}},
		{"en", "i want a 65 inch tv", []string{`Samsung QLED 55" Q60`, `LG OLED 55" C3`, `Sony Bravia 43" X75`}},
		{"it", "vorrei una tv sui 550 euro", []string{`Samsung QLED 55" Q60`, `LG OLED 55" C3`, `Sony Bravia 43" X75`}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			d := newDriver(t, b, june2025)
			d.hint = tc.lang
			got := d.say(tc.text)
			if len(tc.want) == 1 {
				if v := d.s.Slots["product"]; v != tc.want[0] {
					t.Errorf("%q: product %q, want %s", got, v, tc.want[0])
				}
				return
			}
			if bs := slices.DeleteFunc(d.buttons(), func(s string) bool { return s == "Salta" || s == "Skip" }); !slices.Equal(bs, tc.want) {
				t.Errorf("%q with buttons %v, want %v", got, bs, tc.want)
			}
		})
	}
}
