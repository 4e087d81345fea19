package flows

import (
	"context"
	"testing"
)

// TestLeadingYesNo: the yes or no that opens a message, and the Italian
// "si" that is a pronoun, not a yes.
func TestLeadingYesNo(t *testing.T) {
	for _, tc := range []struct {
		text    string
		yes, ok bool
	}{
		{"si", true, true},
		{"sì grazie", true, true},
		{"si, il colore non è quello della foto", true, true},
		{"si dai, fatemi sapere", true, true},
		{"no grazie", false, true},
		{"ok", true, true},
		{"si chiama non so", false, false},
		{"si è rotto lo schermo", false, false},
		{"si e rotto", false, false},
		{"si accende ma non carica", false, false},
		{"yes please", true, true},
		{"il telefono non si accende", false, false},
		// A "si" before a yes of its own is a yes.
		{"si vai avanti pure", true, true},
		{"si volentieri grazie", true, true},
		{"si prosegui", true, true},
		{"si blocca ogni tanto", false, false},
		// A "si" before an imperative with its pronoun is a yes; before a
		// verb of the third person it is the pronoun.
		{"si aprilo pure", true, true},
		{"si spediscimelo", true, true},
		{"si mandatemi l etichetta", true, true},
		{"si riparala", true, true},
		{"si scolla il bordo dello schermo", false, false},
		{"si spegne da sola", false, false},
		// An answer phrase that opens a long message without a pause.
		{"i don't think so thank you", false, true},
		{"that would be great thanks a lot", true, true},
		{"the screen is not working now", false, false},
		// A "fine" that goes on to agree after the pause agrees; one that
		// goes on otherwise declines, and an intensifier before a
		// negation denies.
		{"im good, go ahead with the refund", true, true},
		{"i'm good, that's all for now", false, true},
		{"ovviamente no, non ci serve altro", false, true},
		{"certo che no grazie", false, true},
	} {
		t.Run(tc.text, func(t *testing.T) {
			yes, ok := leadingYesNo(tc.text, "it")
			if yes != tc.yes || ok != tc.ok {
				t.Errorf("leadingYesNo(%q) = %v, %v; want %v, %v", tc.text, yes, ok, tc.yes, tc.ok)
			}
		})
	}
}

// TestNoThatTakesBackIsNoDenial: the "no" that ends a correction ("anzi
// no, 347 ...", "oh no sorry, the 26th", "no wait no, the pavilion")
// takes back the value before it: the one after it is the new value,
// not one said no to. "not the iphone", "non aprile" still deny.
func TestNoThatTakesBackIsNoDenial(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, slot, want string
	}{
		{"it", "il mio cell e 347 555 1234 anzi no, 347 555 1243", "contact", "+393475551243"},
		{"en", "my number is 333 111 2222 oh no sorry 333 111 2233", "contact", "+393331112233"},
		{"it", "scrivete a mario@esempio.it, scusa no, a mario.rossi@esempio.it", "contact", "mario.rossi@esempio.it"},
		// Near misses: a "no" or a "not" right before a value denies it.
		{"en", "my number is 333 111 2222, not 333 111 2233", "contact", "+393331112222"},
		{"it", "scrivete a mario@esempio.it non a mario.rossi@esempio.it", "contact", "mario@esempio.it"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			// Asked how many, in a purchase: the contact is told aside.
			st := State{Flow: "sales", Slot: "quantity", Slots: map[string]string{"product": "pixel-8"}}
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3, State: st})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, c := range cmds {
				if c.Slot == tc.slot && (c.Kind == CmdSetSlot || c.Kind == CmdCorrectSlot) {
					got = c.Value
				}
			}
			if got != tc.want {
				t.Errorf("%s = %q, want %q (%s)", tc.slot, got, tc.want, commandsText(cmds))
			}
		})
	}
}

// TestBareNewOrderNumberCorrects: asked for the proof of an order, a
// message that is only another order number in the shop's format
// corrects the number; the same number, a postcode, or the number at its
// own question do not.
func TestBareNewOrderNumberCorrects(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, slot string
		want             string // the corrected order number, "" for none
	}{
		{"it", "SP-112233", "order_proof", "SP-112233"},
		{"en", "sp-112233", "order_proof", "SP-112233"},
		{"it", "SP 112233 ", "order_proof", "SP-112233"},
		// Near misses.
		{"it", "SP-112234", "order_proof", ""},
		{"en", "20121", "order_proof", ""},
		{"en", "SP-112233", "order_number", ""},
		{"en", "is SP-112233 also on its way?", "order_proof", ""},
	} {
		t.Run(tc.text+" "+tc.slot, func(t *testing.T) {
			st := State{Flow: "order_status", Slot: tc.slot, Slots: map[string]string{"order_number": "SP-112234"}}
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3, State: st})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, c := range cmds {
				if c.Kind == CmdCorrectSlot && c.Slot == "order_number" {
					got = c.Value
				}
			}
			if got != tc.want {
				t.Errorf("corrected order %q, want %q (%s)", got, tc.want, commandsText(cmds))
			}
		})
	}
}

// TestLeadingWaitCorrects: a message that opens with "wait" or "aspetta"
// and gives another value of a filled slot corrects it; one that asks
// something, or gives no value, corrects nothing.
func TestLeadingWaitCorrects(t *testing.T) {
	b := mustShop(t)
	slots := map[string]string{"product": "thinkpad-e14", "purchase_date": "2023-03", "order_number": "SP-123987", "order": "found"}
	for _, tc := range []struct {
		lang, text, slot, want string
	}{
		{"en", "wait thats my other order, the broken one is SP-200109", "order_number", "SP-200109"},
		{"it", "aspetta, era il pavilion", "product", "pavilion-15"},
		{"en", "wait it was march 2024", "purchase_date", "2024-03"},
		// Near misses.
		{"en", "wait, do you also sell the pixel 8?", "product", ""},
		{"en", "wait how long will the repair take?", "", ""},
		{"it", "aspetta che controllo lo scontrino", "", ""},
		{"en", "wait, first - has my other order SP-200109 shipped?", "order_number", ""},
		{"it", "aspetta un attimo, il pixel 8 di mia figlia invece va", "product", ""},
	} {
		t.Run(tc.text, func(t *testing.T) {
			st := State{Flow: "warranty", Slot: "buyer", Slots: slots}
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3, State: st})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cmds {
				if c.Kind == CmdCorrectSlot {
					got = append(got, c.Slot+"="+c.Value)
				}
			}
			want := []string{}
			if tc.want != "" {
				want = []string{tc.slot + "=" + tc.want}
			}
			if len(got) != len(want) || len(want) > 0 && got[0] != want[0] {
				t.Errorf("corrections %v, want %v (%s)", got, want, commandsText(cmds))
			}
		})
	}
}
