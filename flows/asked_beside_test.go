package flows

import (
	"context"
	"strings"
	"testing"
)

// TestQuestionBesideAnswer: an answer to the pending question, then a
// question of its own for an FAQ: both are read.
func TestQuestionBesideAnswer(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, slot string
		slots            map[string]string
		want             []string
	}{
		{"en", "only two. what does delivery to Milan cost?", "quantity", map[string]string{"product": "pixel-8"},
			[]string{"set_slot(quantity=2", "faq(shipping"}},
		{"it", "due. quanto costa la consegna a Torino?", "quantity", map[string]string{"product": "pixel-8"},
			[]string{"set_slot(quantity=2", "faq(shipping"}},
		{"en", "for my home. how much is delivery to Naples?", "buyer", map[string]string{"product": "pixel-8", "quantity": "1"},
			[]string{"set_slot(buyer=consumer", "faq(shipping"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june2025,
				State: State{Flow: "sales", Slot: tc.slot, Slots: tc.slots}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cmds {
				got = append(got, c.String())
			}
			all := strings.Join(got, " ")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("%q: commands %s, want %s", tc.text, all, w)
				}
			}
		})
	}
}
