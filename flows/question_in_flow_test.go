package flows

import (
	"testing"
)

// TestShopQuestionInFlowTellsNothing: a short question of the customer's
// in the middle of a claim, whose words only resemble the answer to a
// later question ("home" for a private buyer), is a question: nothing is
// filled, and the claim's question follows the answer.
func TestShopQuestionInFlowTellsNothing(t *testing.T) {
	for _, tc := range []struct{ name, hint, open, ask, again string }{
		{"en", "en", "my pixel 8 won't turn on", "any home repair service?", "When did you buy it"},
		{"it", "it", "il mio pixel 8 non si accende", "fate anche buoni regalo?", "Quando l'hai acquistato"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = tc.hint
			d.say(tc.open)
			out := d.say(tc.ask)
			if v, ok := d.s.Slots["buyer"]; ok {
				t.Errorf("buyer = %q after a question that tells nothing", v)
			}
			if d.s.Flow != "warranty" {
				t.Fatalf("flow %q: want the claim going on", d.s.Flow)
			}
			contains(t, out, tc.again)
		})
	}
}
