package flows

import (
	"context"
	"slices"
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

// An unless cue stops the cues of its intent that it overlaps, and no
// other: "wrong address" is the order's, "wrong address email" is not,
// and a cue beside it ("cancel my order, email ...") or elsewhere in the
// message still counts.
func TestUnlessStopsTheCueItOverlaps(t *testing.T) {
	cued := strings.Replace(base, "intents:\n", `intents:
  change_order:
    flow: main
    cues: {it: [sbagliato indirizzo, annullare l ordine], en: [wrong address, cancel my order]}
    unless: {it: [indirizzo email, indirizzo del negozio], en: [address email, address of the shop, my order page]}
`, 1)
	b, err := Parse("unless.yaml", []byte(cued))
	if err != nil {
		t.Fatalf("an intent with unless cues does not load:\n%v", err)
	}
	at := slices.IndexFunc(b.Intents, func(in *Intent) bool { return in.Name == "change_order" })
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"ho sbagliato indirizzo nell ordine A12", true},
		{"i gave the wrong address for the delivery", true},
		{"ho sbagliato indirizzo email, non arriva niente", false},
		{"oops wrong address email in the form", false},
		{"ho sbagliato indirizzo del negozio, dove siete?", false},
		{"i saw the wrong address of the shop on maps", false},
		{"pls cancel my order page shows it twice", false},
		// Beside the cue, or elsewhere, an unless cue stops nothing.
		{"cancel my order, address email anna@example.com", true},
		{"wrong address on the parcel, my email is anna@example.com", true},
		{"vorrei annullare l ordine, indirizzo email anna@example.com", true},
	} {
		if got := b.cuedIntents(words(tc.text))[at]; got != tc.want {
			t.Errorf("%q: cued %v, want %v", tc.text, got, tc.want)
		}
	}
}

// A cue an unless cue stopped counts when the message holds a value the
// intent's flow asks for: the demo's account address with an order
// number is the order's.
func TestUnlessYieldsToTheFlowsValue(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		change     bool
	}{
		{"en", "i typed the wrong address for my account so SP-123456 goes to my old place", true},
		{"it", "ho sbagliato l indirizzo email, l ordine SP-123456 e arrivato ma la mail no", true},
		{"en", "i typed the wrong address for my account, how do i fix it", false},
		{"it", "ho sbagliato l indirizzo email del profilo", false},
	} {
		got := commandsText(understandIn(t, b, tc.lang, tc.text))
		if strings.Contains(got, "start_flow(order_change") != tc.change {
			t.Errorf("%q: commands %s, want the order changed: %v", tc.text, got, tc.change)
		}
	}
}
