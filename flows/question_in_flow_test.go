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

// TestPagesAskedBesideAnAnswer: a question of its own beside the answer
// to the flow's question, which no FAQ answers, is asked of the shop's
// pages: the answer is filled, the pages answer, and the flow goes on.
func TestPagesAskedBesideAnAnswer(t *testing.T) {
	for _, tc := range []struct{ hint, open, say, slot, want, next string }{
		{"it", "vorrei comprare un portatile", "il macbook air. ma dove si trova il vostro negozio?", "product", "Via Roma", "Hai un budget"},
		{"en", "my airfryer stopped heating", "bought it in april 2025. one thing, is there a store i could drop it off at?", "purchase_date", "Via Roma", "private customer or as a business"},
		{"it", "la mia friggitrice non scalda piu", "presa ad aprile 2025. il vostro punto vendita in che via sta? la porterei li", "purchase_date", "Via Roma", "privato o come azienda"},
		{"en", "i need a new phone", "the pixel 8. do you have a shop in town where i could see it?", "product", "Via Roma", "budget in mind"},
	} {
		t.Run(tc.say, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = tc.hint
			d.say(tc.open)
			out := d.say(tc.say)
			if d.s.Slots[tc.slot] == "" {
				t.Errorf("%s not filled by %q (slots %v)", tc.slot, tc.say, d.s.Slots)
			}
			contains(t, out, tc.want, tc.next)
		})
	}
}
