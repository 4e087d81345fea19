package flows

import (
	"context"
	"strings"
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

// TestFAQAskedInAFlowShortOfInterrupting: a question in the middle of a
// sale that the classifier takes for an FAQ, surely enough to count but
// short of what interrupts a flow, is answered by the FAQ when a word of
// its own backs it, as a weaker guess is; the pages do not answer in its
// place.
func TestFAQAskedInAFlowShortOfInterrupting(t *testing.T) {
	b := mustShop(t)
	in := Input{Text: "is there the 24 month warranty for a business buyer too?", Lang: "en", Now: june3,
		State: State{Flow: "sales", Slot: "budget"}}
	cmds, _ := rules{b}.Understand(context.Background(), in)
	if got := commandsText(cmds); !strings.HasPrefix(got, "faq(warranty_terms") {
		t.Errorf("commands %s, want the warranty's terms first", got)
	}
}
