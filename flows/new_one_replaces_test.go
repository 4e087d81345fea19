package flows

import (
	"testing"
)

// TestANewOneReplacesTheCustomersProduct: after a claim about the
// customer's own product, a sale that asks for "a new one" and names
// nothing of the catalogue ("allora ne prendo uno nuovo", "I'll just get
// a new one") is for that product again, on the salesperson's card and
// without asking the model. A new one of another kind, a model named or
// a question about what else there is keeps the sale's own questions.
func TestANewOneReplacesTheCustomersProduct(t *testing.T) {
	claim := map[string][]string{
		"en": {"my hp pavilion won't boot anymore, bought it in january 2022", "personal", "no thanks"},
		"it": {"il mio hp pavilion non parte più, comprato a gennaio 2022", "privato", "no grazie"},
	}
	for _, tc := range []struct {
		lang, say string
		product   string // the sale's product after the message
	}{
		{"en", "fine, I'll just get a new one", "pavilion-15"},
		{"en", "ok then we'll buy a new one", "pavilion-15"},
		{"it", "allora ne prendo uno nuovo", "pavilion-15"},
		{"it", "va bene, a questo punto ne compro uno nuovo", "pavilion-15"},
		// Near misses.
		{"en", "fine, I'll buy a new one, the thinkpad this time", "thinkpad-e14"},
		{"en", "ok then I'd like to buy a new phone instead", ""},
		{"it", "allora ne compro uno nuovo, che portatili avete?", ""},
	} {
		t.Run(tc.say, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.lang
			for _, s := range claim[tc.lang] {
				d.say(s)
			}
			if d.s.Slots["warranty"] != "expired" {
				t.Fatalf("after %q: warranty %q, want expired", claim[tc.lang], d.s.Slots["warranty"])
			}
			out := d.say(tc.say)
			if d.s.Flow != "sales" {
				t.Fatalf("%q: the bot said %q in flow %q, want the sale", tc.say, out, d.s.Flow)
			}
			if got := d.s.Slots["product"]; got != tc.product {
				t.Errorf("%q: the bot said %q, product %q, want %q", tc.say, out, got, tc.product)
			}
		})
	}
}
