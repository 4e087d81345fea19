package flows

import (
	"strings"
	"testing"
)

// TestABareRequestForAProductIsAPurchase: "i want a pixel 8" asks for a
// thing of the catalogue and nothing more, which is a sale however weakly
// the classifier guesses it; the customer's own product, a repair, a
// part of it, a refund or a question are not.
func TestABareRequestForAProductIsAPurchase(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		sale       bool
	}{
		{"en", "i want a pixel 8", true},
		{"en", "i need a pixel 8 pls", true},
		{"en", "we need 3 thinkpads", true},
		{"it", "voglio il pixel 8", true},
		{"it", "vorrei anche io il macbok air", true},
		{"it", "mi serve un galaxy a55 grazie", true},
		{"it", "voglio il mio pixel 8", false},
		{"en", "i want the pixel 8 fixed", false},
		{"en", "i want my pixel 8 back", false},
		{"en", "i need a pixel 8 charger", false},
		{"en", "i want a refund for the pixel 8", false},
		{"it", "voglio restituire il pixel 8", false},
		{"en", "i want to know about the pixel 8", false},
		{"it", "voglio il pixel 8 che ho preso a marzo riparato", false},
	} {
		got := commandsText(understandIn(t, b, tc.lang, tc.text))
		if strings.Contains(got, "start_flow(sales") != tc.sale {
			t.Errorf("%q: %s, want a sale: %v", tc.text, got, tc.sale)
		}
	}
}

// TestAfterAThingIsAPurchase: the British "after" of "looking for",
// before a thing of the catalogue that ends there ("I'm after a new
// laptop", "after a telly, the sony"), is a sale; "after a" before a
// time, an accident or another noun ("after a phone call") is not.
func TestAfterAThingIsAPurchase(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text string
		sale bool
	}{
		{"after a telly, sony bravia, nothing fancy", true},
		{"im after an airfryer for my gran", true},
		{"we re after a laptop under 700", true},
		{"i m after a new phone", true},
		// Near misses.
		{"after a week the laptop stopped charging", false},
		{"after a fall the phone screen is cracked", false},
		{"after a phone call with you yesterday, what now?", false},
		{"after a tv repair you did nothing works", false},
		{"after a telly repair how long is the warranty?", false},
		{"i bought it after a long wait, the pixel", false},
	} {
		got := commandsText(understandIn(t, b, "en", tc.text))
		if strings.Contains(got, "start_flow(sales") != tc.sale {
			t.Errorf("%q: %s, want a sale: %v", tc.text, got, tc.sale)
		}
	}
}

// TestMacchinettaAloneIsNoCoffeeMachine: the demo's colloquial words for
// its kinds keep the words that make them one ("macchinetta del caffè"):
// a "macchinetta" alone is a camera, a clipper, an ice-cream maker.
func TestMacchinettaAloneIsNoCoffeeMachine(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text      string
		appliance bool
	}{
		{"la macchinetta del caffe perde acqua", true},
		{"vorrei una macchinetta da caffè per l ufficio", true},
		{"la scopa elettrica non aspira piu", true},
		{"vendete macchinette fotografiche?", false},
		{"avete una macchinetta per la barba?", false},
		{"cerco una macchinetta per il gelato", false},
	} {
		got := commandsText(understandIn(t, b, "it", tc.text))
		if strings.Contains(got, "category=appliance") != tc.appliance {
			t.Errorf("%q: %s, want the appliances: %v", tc.text, got, tc.appliance)
		}
	}
}
