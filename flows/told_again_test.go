package flows

import (
	"context"
	"strings"
	"testing"
)

// At an optional question, an earlier answer told again (the product the
// kind named already, confirmed while the budget is asked) answers
// nothing of it: the question is put again, not let go, and a third
// time it is let go. A later question's answer, new or known, still
// goes past it.
func TestOptionalAfterEarlierToldAgain(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, first, again string
	}{
		{"it", "vorrei comprare una macchinetta del caffè", "sì, la de'longhi magnifica"},
		{"en", "I'd like to buy an air fryer", "yes the philips one"},
		{"en", "looking to buy an espresso machine", "the magnifica s is the one"},
	} {
		t.Run(tc.again, func(t *testing.T) {
			d := newDriver(t, b, june2025)
			d.hint = tc.lang
			d.say(tc.first)
			if got := d.asking(); got != "budget" {
				t.Fatalf("after %q: asking %q, want budget", tc.first, got)
			}
			got := d.say(tc.again)
			if a := d.asking(); a != "budget" {
				t.Errorf("after %q: %q asking %q, want budget again", tc.again, got, a)
			}
			if _, ok := d.s.Slots["budget"]; ok {
				t.Errorf("after %q: budget %q let go", tc.again, d.s.Slots["budget"])
			}
			// Told again once more, with the question put twice: let go.
			d.say(tc.again)
			if a := d.asking(); a == "budget" {
				t.Errorf("after %q twice: the budget asked a third time", tc.again)
			}
		})
	}
	// Near misses: what a later question asks goes past the optional one.
	for _, tc := range []struct {
		lang, first, later, want string
	}{
		{"en", "I'd like to buy an air fryer", "it's for my company", "contact"},
		{"it", "vorrei comprare una friggitrice ad aria per casa mia", "privato", "contact"},
	} {
		t.Run(tc.later, func(t *testing.T) {
			d := newDriver(t, b, june2025)
			d.hint = tc.lang
			d.say(tc.first)
			got := d.say(tc.later)
			if a := d.asking(); a != tc.want {
				t.Errorf("after %q: %q asking %q, want %s", tc.later, got, a, tc.want)
			}
		})
	}
}

// A "no" for the pending optional question named by its label, beside
// more ("la magnifica, nessun budget preciso"), declines it, and the rest
// is read as usual; the decline alone is the question's own skip, and a
// value for it is its answer.
func TestPendingDeclinedBesideMore(t *testing.T) {
	b := mustShop(t)
	slots := func() map[string]string {
		return map[string]string{"category": "appliance", "product": "delonghi-magnifica", "quantity": "1"}
	}
	for _, tc := range []struct {
		lang, text, want, not string
	}{
		{"it", "sì la magnifica, nessun budget preciso", "skip(budget", "set_slot(budget"},
		{"en", "the de'longhi is right, no specific budget though", "skip(budget", "set_slot(budget"},
		{"en", "we are a small office, no particular budget", "skip(budget", "set_slot(budget"},
		// Near misses.
		{"it", "nessun budget", "skip(budget", ""},
		{"it", "la magnifica, massimo 400 euro", "budget=400", "skip(budget"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			in := Input{Text: tc.text, Lang: tc.lang, Now: june3, State: State{Flow: "sales", Slot: "budget", Slots: slots()}}
			cmds, err := rules{b}.Understand(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			got := commandsText(cmds)
			if !strings.Contains(got, tc.want) || tc.not != "" && strings.Contains(got, tc.not) {
				t.Errorf("commands %s, want %q and no %q", got, tc.want, tc.not)
			}
		})
	}
}

// At any question, the product the kind named already told again is a
// confirmation, no failed answer: the question is put again; a question
// beside it is answered as beside an answer. A model other than the
// known one keeps its own reading.
func TestEarlierToldAgainAtTheDate(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, first, again string
	}{
		{"it", "la scopa elettrica ha smesso di caricarsi", "è un dyson v8"},
		{"en", "my espresso machine makes no coffee, only hot water", "the delonghi magnifica s"},
		{"en", "the air fryer won't switch on anymore", "philips airfryer xl"},
	} {
		t.Run(tc.again, func(t *testing.T) {
			d := newDriver(t, b, june2025)
			d.hint = tc.lang
			d.say(tc.first)
			if a := d.asking(); a != "purchase_date" {
				t.Fatalf("after %q: asking %q, want purchase_date", tc.first, a)
			}
			got := d.say(tc.again)
			low := strings.ToLower(got)
			if strings.Contains(low, "capito") || strings.Contains(low, "didn't get") || strings.Contains(low, "understand") {
				t.Errorf("after %q: %q, want no failed answer", tc.again, got)
			}
			if a := d.asking(); a != "purchase_date" {
				t.Errorf("after %q: asking %q, want purchase_date again", tc.again, a)
			}
		})
	}
	in := Input{Text: "the dyson v8. by the way, can I drop it off at your store?", Lang: "en", Now: june3,
		State: State{Flow: "warranty", Slot: "purchase_date", Slots: map[string]string{"category": "appliance", "product": "dyson-v8"}}}
	cmds, err := rules{b}.Understand(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if got := commandsText(cmds); !strings.Contains(got, "documents(") {
		t.Errorf("commands %s, want the question beside the model told again", got)
	}
	// Near miss: another model at the date question is a correction.
	d := newDriver(t, b, june2025)
	d.hint = "en"
	d.say("my vacuum cleaner lost its suction")
	d.say("actually it's the magnifica s")
	if v := d.s.Slots["product"]; v != "delonghi-magnifica" {
		t.Errorf("another model told: product %q, want delonghi-magnifica", v)
	}
}
