package flows

import (
	"context"
	"strings"
	"testing"
)

// A refund asked of an order the message names is a return, over a weak
// guess at a purchase; a refund already under way, asked after, and a
// message with no refund word are not.
func TestRefundAskedIsAReturn(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text string }{
		{"en", "i'd like a refund for the pixel 8 from order SP-445566"},
		{"en", "could I have my money back for the airfryer, SP-445566? it's not for me"},
		{"it", "chiedo il rimborso della friggitrice, ordine SP-445566"},
	} {
		cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
		if got := commandsText(cmds); !strings.HasPrefix(got, "start_flow(returns") {
			t.Errorf("%q: commands %s, want the return first", tc.text, got)
		}
	}
	// Near misses: a refund under way, a reorder.
	for _, tc := range []struct{ lang, text string }{
		{"en", "how long until the refund for SP-445566 comes through?"},
		{"en", "still waiting for my refund on SP-445566"},
		{"it", "quando arriva il rimborso dell'ordine SP-445566?"},
		{"en", "please order me the same as SP-445566 once more"},
	} {
		cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
		if got := commandsText(cmds); strings.HasPrefix(got, "start_flow(returns") {
			t.Errorf("%q: commands %s, want no return from the refund word", tc.text, got)
		}
	}
}

// The reason of a return told as "X is fine but Y" is Y: what comes
// before "but" is no complaint.
func TestReturnReasonAfterBut(t *testing.T) {
	for _, tc := range []struct{ lang, say, reason string }{
		{"en", "I want to return SP-111222, the blender works fine but we already have one", "we already have one"},
		{"en", "want to send back order SP-111222, the kettle is perfectly ok but my sister gave us one", "my sister gave us one"},
		{"it", "vorrei restituire l'ordine SP-111222, funziona bene ma ne abbiamo già uno", "ne abbiamo già uno"},
	} {
		t.Run(tc.say, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = tc.lang
			d.say(tc.say)
			d.say(map[string]string{"en": "yes", "it": "sì"}[tc.lang])
			if got := d.s.Slots["return_reason"]; got != tc.reason {
				t.Errorf("reason %q, want %q (bot said %q)", got, tc.reason, replies(d.last))
			}
		})
	}
}
