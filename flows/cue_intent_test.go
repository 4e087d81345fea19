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

// A cue with a gap holds a few words between its parts: "add ... to my
// order" is "add a second charger to my order", not a message that adds
// something and names an order much later, nor the parts the wrong way
// round. In the demo it sends changes of an order to a person, not to
// the order's status.
func TestCueWithAGap(t *testing.T) {
	cued := strings.Replace(base, "intents:\n", `intents:
  change_order:
    flow: main
    cues: {it: [aggiungere ... all ordine], en: [add ... to my order]}
`, 1)
	b, err := Parse("gap.yaml", []byte(cued))
	if err != nil {
		t.Fatalf("an intent with a cue with a gap does not load:\n%v", err)
	}
	at := slices.IndexFunc(b.Intents, func(in *Intent) bool { return in.Name == "change_order" })
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"can I add a second charger to my order A12?", true},
		{"could you add one to my order", true},
		{"vorrei aggiungere una cover all'ordine A12", true},
		{"add to my order", true}, // an empty gap too
		{"I want to add that my neighbour took the parcel and signed for it, it was not my order", false},
		{"my order: can I add a case?", false},
		{"aggiungere il cavo e poi pagare tutto quanto all ordine", false},
	} {
		if got := b.cuedIntents(words(tc.text))[at]; got != tc.want {
			t.Errorf("%q: cued %v, want %v", tc.text, got, tc.want)
		}
	}

	bad := strings.Replace(cued, "[add ... to my order]", "[add ... to ... order]", 1)
	if _, err := Parse("bad.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "a cue has one gap at most") {
		t.Errorf("a cue of two gaps: got %v, want it reported", err)
	}

	shop := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		change     bool
	}{
		{"en", "is it possible to add a mouse to order SP-200107?", true},
		{"en", "i must change the delivery address on my order SP-123456", true},
		{"it", "devo cambiare il numero di telefono dell'ordine SP-123456", true},
		{"it", "annullate subito il mio ordine SP-200107", true},
		{"en", "where is my order SP-123456?", false},
		{"en", "i'd like to add a case, can i order one?", false},
		{"it", "dov'è il mio ordine SP-123456? l'ho pagato ieri", false},
	} {
		got := commandsText(understandIn(t, shop, tc.lang, tc.text))
		if strings.Contains(got, "start_flow(order_change") != tc.change {
			t.Errorf("%q: commands %s, want the order changed: %v", tc.text, got, tc.change)
		}
	}
}

// A back cue ("cancel it", "annullarlo") points at what the conversation
// holds: after the order's status it changes that order; with no order
// held, or in the middle of another flow, it is no cue.
func TestBackCuePointsAtTheOrderHeld(t *testing.T) {
	b := mustShop(t)
	held := map[string]string{"order_number": "SP-123456", "order_proof": "20121"}
	for _, tc := range []struct {
		lang, text, flow string
		slots            map[string]string
		change           bool
	}{
		{"en", "ok, can I still cancel it?", "", held, true},
		{"it", "ah ok, ma posso ancora annullarlo?", "", held, true},
		{"en", "great, and can you modify it? the flat number is wrong", "", held, true},
		{"en", "ok, can I still cancel it?", "", nil, false},
		{"it", "posso annullarlo?", "", nil, false},
		{"en", "actually cancel that, I changed my mind", "sales", held, false},
		// In the order's own flow, the order is what it points at; in a
		// claim, the claim.
		{"en", "I want to cancel it, I found it cheaper elsewhere", "order_status", held, true},
		{"it", "voglio annullarlo, l'ho trovato a meno", "order_status", held, true},
		{"en", "forget it, cancel it", "warranty", held, false},
	} {
		st := State{Flow: tc.flow, Slots: tc.slots}
		if tc.flow == "order_status" || tc.flow == "warranty" {
			st.Slot = "order_proof" // the proof of the order held
		}
		in := Input{Text: tc.text, Lang: tc.lang, Now: june3, State: st}
		cmds, err := rules{b}.Understand(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if got := commandsText(cmds); strings.Contains(got, "start_flow(order_change") != tc.change {
			t.Errorf("%q (flow %q, slots %v): commands %s, want the order changed: %v", tc.text, tc.flow, tc.slots, got, tc.change)
		}
	}
}

// A back cue that is no cancel word ("annullarlo", "disdirlo") while the
// order's status asks the proof of the number it holds leaves the status
// for the change of that order, as "I want to cancel it" does: no second
// question for the number it holds. Near misses keep the status: the
// proof itself, a cue in another flow, a word that points at nothing.
func TestBackCueLeavesTheOrdersStatus(t *testing.T) {
	b := mustShop(t)
	number := map[string]string{"order_number": "SP-123456"}
	for _, tc := range []struct {
		lang, text, flow string
		cancel, change   bool
	}{
		{"it", "voglio annullarlo", "order_status", true, true},
		{"it", "si può disdirlo?", "order_status", true, true},
		{"it", "preferisco modificarlo", "order_status", true, true},
		{"en", "please cancel it", "order_status", true, true},
		{"it", "mario.rossi@example.com", "order_status", false, false},
		{"it", "20121", "order_status", false, false},
		{"it", "non lo so, è arrivato?", "order_status", false, false},
		{"it", "voglio annullarla", "warranty", false, false},
	} {
		st := State{Flow: tc.flow, Slot: "order_proof", Slots: number}
		in := Input{Text: tc.text, Lang: tc.lang, Now: june3, State: st}
		cmds, err := rules{b}.Understand(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		got := commandsText(cmds)
		if strings.Contains(got, "cancel("+tc.flow) != tc.cancel || strings.Contains(got, "start_flow(order_change") != tc.change {
			t.Errorf("%q (flow %s): commands %s, want cancel %v, change %v", tc.text, tc.flow, got, tc.cancel, tc.change)
		}
	}
}
