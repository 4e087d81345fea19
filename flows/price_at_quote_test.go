package flows

import "testing"

// TestPriceAskedAtTheQuote: at "would you like a quote for a paid
// repair?", a question of only the price ("how much would it cost?")
// says yes: the agents the yes hands over to tell the price. No sale
// starts from "how much", and no page is looked up. The near misses keep
// their reading: a no, a price of something else, a yes-or-no question
// whose yes hands nobody over.
func TestPriceAskedAtTheQuote(t *testing.T) {
	expired := map[string]string{
		"en": "my samsung qled bought in january 2022 shows no picture, private purchase",
		"it": "la samsung qled comprata a gennaio 2022 non dà immagine, acquisto privato",
	}
	for _, c := range []struct {
		lang, text string
		quote      bool
	}{
		{"en", "how much would it cost?", true},
		{"en", "how much does the quote cost?", true},
		{"it", "quanto costerebbe?", true},
		{"it", "quanto costa il preventivo?", true},
		// Near misses.
		{"en", "no thanks, I don't want to pay for it", false},
		{"en", "how much is shipping to you?", false},
		{"it", "quanto costa la spedizione?", false},
	} {
		t.Run(c.text, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = c.lang
			d.say(expired[c.lang])
			if d.asking() != "repair_quote" {
				t.Fatalf("asks %q, want the quote", d.asking())
			}
			out := d.say(c.text)
			quote := d.last.Handoff != nil && d.s.Slots["repair_quote"] == "yes"
			if quote != c.quote || c.quote && d.s.Flow == "sales" {
				t.Errorf("quote handed off %v (flow %q), want %v:\n%s", quote, d.s.Flow, c.quote, out)
			}
		})
	}
	// A yes that leads on to more questions ("start a return?") is no
	// handoff: the price question is not its yes.
	d := newDriver(t, mustShop(t), june2025)
	d.hint = "en"
	d.say("I'd like to return the airfryer I bought")
	if d.asking() == "start_return" {
		d.say("how much does it cost?")
		if d.s.Slots["start_return"] == "yes" {
			t.Errorf("the price question started the return")
		}
	}
}
