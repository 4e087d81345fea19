package flows

import (
	"context"
	"strings"
	"testing"
)

// A date told in a sentence of its own before a question for an FAQ
// answers the pending date question; only a date inside the question
// ("il sabato siete aperti?") is part of it.
func TestDateBeforeAQuestion(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, want string
	}{
		{"it", "marzo 2024. ma siete aperti la domenica?", "set_slot(purchase_date=2024-03"},
		{"en", "bought it in jan 2025! btw r u open on sundays?", "set_slot(purchase_date=2025-01"},
		{"it", "preso a dicembre 2024 pero siete aperti lunedi?", "set_slot(purchase_date=2024-12"},
		{"en", "march 2024 but are you open on saturday?", "set_slot(purchase_date=2024-03"},
		// Near misses: the day is the question's.
		{"it", "il sabato siete aperti?", ""},
		{"it", "ma il 2 giugno siete aperti?", ""},
		{"en", "are you open on the 2nd of june?", ""},
		{"it", "sabato mattina siete aperti?", ""},
		{"en", "are you open saturday afternoon?", ""},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3,
				State: State{Flow: "warranty", Slot: "purchase_date", Slots: map[string]string{"product": "pixel-8"}}})
			if err != nil {
				t.Fatal(err)
			}
			got := commandsText(cmds)
			if !strings.Contains(got, "faq(hours") {
				t.Errorf("commands %s answer no hours", got)
			}
			if tc.want == "" && strings.Contains(got, "purchase_date") || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("commands %s, want %q", got, tc.want)
			}
		})
	}
}
