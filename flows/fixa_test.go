package flows

import (
	"slices"
	"strings"
	"testing"
)

// TestColourWantedIsAPurchase: a thing of the catalogue wanted in a
// colour ("the pixel in white", "il macbook grigio") is a bare request,
// a purchase however weak the classifier's guess; a colour told of what
// the customer has is no purchase.
func TestColourWantedIsAPurchase(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		sale       bool
	}{
		{"en", "ok and i want the pixel in white", true},
		{"en", "and i would like the macbook air in silver", true},
		{"it", "ok allora vorrei il pixel 8 nero", true},
		{"it", "e mi servirebbe un iphone 15 colore rosa", true},
		{"en", "we need the thinkpad in grey", true},
		{"it", "ok e voglio il pixel bianco", true},
		// Near misses: the customer's own, a colour that is a fault.
		{"en", "i want my pixel in white back", false},
		{"en", "my pixel screen went white", false},
		{"it", "il mio iphone bianco non si accende", false},
	} {
		cmds := understandIn(t, b, tc.lang, tc.text)
		got := slices.ContainsFunc(cmds, func(c Command) bool { return c.Kind == CmdStartFlow && c.Flow == "sales" })
		if got != tc.sale {
			t.Errorf("%q: sale %v, want %v: %s", tc.text, got, tc.sale, commandsText(cmds))
		}
	}
}

// TestTermsOfWhatIsNotSold: the warranty's terms asked of a brand or a
// kind the shop does not sell are answered with the news that it is not
// sold here and its warranty is the seller's, naming it, and a person
// offered; a bare name next asks the same of it. The terms of what the
// shop sells, or of goods bought here, are the terms.
func TestTermsOfWhatIsNotSold(t *testing.T) {
	for _, tc := range []struct {
		lang, text, want string
	}{
		{"en", "how long is the guarantee on my bosch fridge?", "bosch is not among"},
		{"en", "whats the warranty on a huawei tablet", "huawei is not among"},
		{"it", "che garanzia ha il mio huawei p30?", "huawei p30 non è tra"},
		{"it", "quanto dura la garanzia di una lavatrice whirlpool?", "non è tra i prodotti"},
		// Near misses: the catalogue's own, goods bought here.
		{"en", "how long is the warranty on the pixel 8?", "For Google Pixel 8"},
		{"it", "quanto dura la garanzia del mio samsung?", "Per Samsung"},
		{"it", "quanto dura la garanzia del mio huawei comprato da voi?", "Per il prodotto"},
	} {
		d := newDriver(t, mustShop(t), june3)
		d.hint = tc.lang
		got := d.say(tc.text)
		if !strings.Contains(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.text, got, tc.want)
		}
	}
	d := newDriver(t, mustShop(t), june3)
	d.hint = "en"
	d.say("how long is the warranty on my bosch fridge?")
	contains(t, d.say("and apple?"), "For Apple")
}
