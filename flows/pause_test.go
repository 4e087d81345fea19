package flows

import (
	"context"
	"strings"
	"testing"
)

// TestPauseKeepsTheQuestion: time asked to find the answer ("wait, I'm
// looking for the receipt", "un attimo, sto cercando lo scontrino") is a
// pause: no failed answer, no sale, no value read from the paper looked
// for ("la fattura" is no business buyer). A pause that goes on to
// answer, or to ask, keeps its old reading.
func TestPauseKeepsTheQuestion(t *testing.T) {
	b := mustShop(t)
	state := State{Flow: "warranty", Slot: "purchase_date", Slots: map[string]string{"product": "pixel-8", "category": "phone", "defect": "no_charge"}}
	for _, tc := range []struct {
		lang, text string
		pause      bool
	}{
		{"en", "hold on, let me look for the receipt", true},
		{"en", "wait, I'm looking for the invoice", true},
		{"en", "one sec, I need to find the confirmation email", true},
		{"it", "un attimo, sto cercando lo scontrino", true},
		{"it", "aspetta che vado a cercare la fattura", true},
		{"it", "aspetta un attimo", true},
		// Near misses: an answer after the pause, a question, a value.
		{"en", "wait, it was march 2025", false},
		{"en", "hold on, do you sell tablets?", false},
		{"it", "aspetta, era a marzo", false},
		{"it", "cerco un portatile nuovo", false},
		{"en", "i'm looking for the receipt but i think it was in april", false},
	} {
		cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3, State: state})
		if err != nil {
			t.Fatal(err)
		}
		got := commandsText(cmds)
		if strings.HasPrefix(got, "pause(") != tc.pause {
			t.Errorf("%q: %s, want a pause: %v", tc.text, got, tc.pause)
		}
		if tc.pause && len(cmds) != 1 {
			t.Errorf("%q: %s, want the pause alone", tc.text, got)
		}
	}
}
