package flows

import (
	"context"
	"strings"
	"testing"
)

// TestPriceOfTheOffer: a yes to "would you like a quote for a paid
// repair?" that asks only what it costs says yes to the quote: no sale
// starts from "how much", and no page is looked up for a question of no
// subject. A yes that names something else, a no, or a question of more
// than the price keeps its old reading.
func TestPriceOfTheOffer(t *testing.T) {
	b := mustShop(t)
	state := State{Flow: "warranty", Slot: "repair_quote", Slots: map[string]string{"product": "pavilion-15", "purchase_date": "2022-03", "buyer": "consumer"}}
	for _, tc := range []struct {
		lang, text string
		yes        bool   // the quote is accepted
		also       string // another command wanted ("" none but the yes)
	}{
		{"en", "yes, how much does it cost", true, ""},
		{"en", "sure, how much would that be?", true, ""},
		{"en", "ok great, what would it cost?", true, ""},
		{"it", "sì, e quanto costerebbe?", true, ""},
		{"it", "certo, quanto costa?", true, ""},
		{"it", "va bene, quanto mi costa più o meno?", true, ""},
		// Near misses: something named, a no.
		{"en", "yes, how much is the pixel 8?", true, "documents("},
		{"en", "no, how much would it cost anyway?", false, ""},
	} {
		cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3, State: state})
		if err != nil {
			t.Fatal(err)
		}
		got := commandsText(cmds)
		if strings.Contains(got, "set_slot(repair_quote=yes") != tc.yes {
			t.Errorf("%q: %s, want the quote accepted: %v", tc.text, got, tc.yes)
		}
		for _, c := range cmds {
			if c.Kind == CmdSetSlot || c.Kind == CmdAffirm || c.Kind == CmdDeny || tc.also != "" && strings.HasPrefix(c.String(), tc.also) {
				continue
			}
			if tc.yes && tc.also == "" {
				t.Errorf("%q: %s, want nothing beside the yes", tc.text, got)
				break
			}
		}
		if tc.also != "" && !strings.Contains(got, tc.also) {
			t.Errorf("%q: %s, want %s", tc.text, got, tc.also)
		}
	}
}
