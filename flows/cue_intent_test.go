package flows

import (
	"context"
	"strings"
	"testing"
)

// A flow intent known by its cues alone needs no examples where it has
// cues, and starts its flow whatever the classifier makes of the words.
func TestCueOnlyIntent(t *testing.T) {
	cued := strings.Replace(base, "intents:\n", `intents:
  cancel_order:
    flow: main
    cues: {it: [annullare l ordine], en: [cancel my order]}
`, 1)
	b, err := Parse("cued.yaml", []byte(cued))
	if err != nil {
		t.Fatalf("a cue-only intent does not load:\n%v", err)
	}
	for _, text := range []string{"vorrei annullare l'ordine A12", "I want to cancel my order, please"} {
		cmds, err := rules{b}.Understand(context.Background(), Input{Text: text, Lang: "en", Now: june3})
		if err != nil {
			t.Fatal(err)
		}
		if len(cmds) == 0 || cmds[0].Kind != CmdStartFlow || cmds[0].Intent != "cancel_order" || cmds[0].Confidence != 1 {
			t.Errorf("%q: got %v, want the start of main for cancel_order, sure", text, cmds)
		}
	}

	// Cues in one language only: the other still needs examples.
	half := strings.Replace(cued, "cues: {it: [annullare l ordine], en: [cancel my order]}", "cues: {it: [annullare l ordine]}", 1)
	if _, err := Parse("half.yaml", []byte(half)); err == nil || !strings.Contains(err.Error(), "intent cancel_order has no en examples") {
		t.Errorf("cues in it only: got %v, want the missing en examples", err)
	}
}
