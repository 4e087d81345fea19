package flows

import "testing"

// TestNoAndAPersonAtFeedback: "no, a person please" at "did this help?"
// says the answer did not help and asks for the person, who is given;
// a bare no, or a no that tells something else, only rates the answer.
func TestNoAndAPersonAtFeedback(t *testing.T) {
	for _, tc := range []struct {
		lang, question, reply string
		handoff               bool
	}{
		{"en", "where is your shop?", "no, a human pls", true},
		{"en", "where is your shop?", "nope, a real person please", true},
		{"it", "dove si trova il negozio?", "no, una persona per favore", true},
		{"it", "dove si trova il negozio?", "no voglio un operatore", true},
		{"en", "where is your shop?", "no, an agent please", true},
		{"it", "dove si trova il negozio?", "no, un operatore", true},
		// Not a person asked for.
		{"en", "where is your shop?", "no thanks", false},
		{"en", "where is your shop?", "no, someone told me you do", false},
		{"it", "dove si trova il negozio?", "no grazie", false},
		{"it", "dove si trova il negozio?", "no, qualcuno mi ha detto di si", false},
		{"en", "where is your shop?", "no", false},
	} {
		t.Run(tc.question+" "+tc.reply, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.say(tc.question)
			if d.s.Vars[varOffer] != offerFeedback {
				t.Skipf("no feedback asked after %q", tc.question)
			}
			d.say(tc.reply)
			if got := d.last.Handoff != nil; got != tc.handoff {
				t.Errorf("%q: handed off %v, want %v", tc.reply, got, tc.handoff)
			}
		})
	}
}
