package flows

import (
	"context"
	"strings"
	"testing"
)

// TestFaultBesideCoverQuestion: a fault told in a clause before "is that
// covered?" is the claim's defect, though the documents answer the part
// the clause is in: with accidental damage told, the verdict and the
// quote's question come at once, and the defect is never asked.
func TestFaultBesideCoverQuestion(t *testing.T) {
	for _, c := range []struct{ lang, text string }{
		{"en", "I dropped my laptop in the bath and the screen stays black, is that covered?"},
		{"en", "the airfryer fell off the shelf and now it won't heat, does the warranty cover that?"},
		{"it", "la friggitrice mi è caduta nel lavandino e non scalda più, è coperta?"},
		{"it", "il portatile si è bagnato con la pioggia e non si accende, rientra in garanzia?"},
	} {
		t.Run(c.text, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = c.lang
			out := d.say(c.text)
			if d.s.Slots["defect"] == "" || d.asking() != "repair_quote" || d.s.Slots["warranty"] != WarrantyDamage {
				t.Errorf("defect %q, asks %q, verdict %q: want the defect told, the damage verdict and the quote:\n%s",
					d.s.Slots["defect"], d.asking(), d.s.Slots["warranty"], out)
			}
		})
	}
}

// TestQuestionClauseTellsNoFreeAnswer: near misses. A question of the
// terms after the request, with no clause that only tells, is still no
// free answer of the flow's; nor is a clause holding the question itself.
func TestQuestionClauseTellsNoFreeAnswer(t *testing.T) {
	b := mustShop(t)
	for _, c := range []struct{ lang, text, not string }{
		{"it", "vorrei rendere la friggitrice, ordine SP-123456. il rimborso in quanti giorni arriva?", "return_reason"},
		{"it", "devo fare il reso del pixel 8, ordine SP-123456. e il rimborso, quanto ci vuole?", "return_reason"},
		{"it", "vorrei restituire il macbook, ordine SP-123456. allora, il rimborso quando arriva?", "return_reason"},
	} {
		t.Run(c.text, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: c.text, Lang: c.lang, Now: june3})
			if got := commandsText(cmds); strings.Contains(got, c.not) {
				t.Errorf("commands %s: want no %s", got, c.not)
			}
		})
	}
}
