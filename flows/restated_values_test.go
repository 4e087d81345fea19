package flows

import (
	"context"
	"strings"
	"testing"
)

// understandWith returns the commands for text with the flow, the pending
// slot and the slots held.
func understandWith(t *testing.T, b *Bot, lang, flow, slot string, slots map[string]string, text string) string {
	t.Helper()
	cmds, err := rules{b}.Understand(context.Background(), Input{Text: text, Lang: lang, Now: june3,
		State: State{Flow: flow, Slot: slot, Slots: slots}})
	if err != nil {
		t.Fatal(err)
	}
	return commandsText(cmds)
}

// A year put right in the same message ("2021, sorry I mean 2023") is
// the year of the month told after it: "bought it in 2021, sorry I mean
// 2023, in may" is May 2023, not this May.
func TestYearPutRightInTheSameMessage(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, want string
	}{
		{"en", "my dyson v8 won't charge anymore, bought it in 2020, sorry I mean 2022, in march", "set_slot(purchase_date=2022-03 "},
		{"en", "the airfryer stopped heating, got it in 2021, I mean 2023, in october", "set_slot(purchase_date=2023-10 "},
		{"it", "il pixel non si accende, l'ho preso nel 2021, anzi 2023, a febbraio", "set_slot(purchase_date=2023-02 "},
		{"it", "la magnifica perde acqua, comprata nel 2022, volevo dire 2024, a gennaio", "set_slot(purchase_date=2024-01 "},
		{"en", "the thinkpad screen flickers, bought in 2020, sorry I mean 2023", "set_slot(purchase_date=2023 "},
		// Near misses: no year put right, the month is this year's or the year's.
		{"en", "the thinkpad screen flickers, bought in 2023, in may", "set_slot(purchase_date=2023-05 "},
		{"en", "the thinkpad screen flickers, I mean it, bought it in may", "set_slot(purchase_date=2025-05 "},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := understandWith(t, b, tc.lang, "", "", nil, tc.text); !strings.Contains(got, tc.want) {
				t.Errorf("commands %s, want %q", got, tc.want)
			}
		})
	}
}

// A bound the customer can go to ("I can stretch to 1200", "posso
// arrivare a 1000") is a budget: put right while another question is
// pending, it replaces the budget told before.
func TestBudgetRaisedToABound(t *testing.T) {
	b := mustShop(t)
	held := map[string]string{"product": "macbook-air", "quantity": "1", "budget": "900 EUR"}
	for _, tc := range []struct {
		lang, text, want string
	}{
		{"en", "hmm actually I can stretch to 1300 if it gets me more memory", "_slot(budget=1300 EUR"},
		{"en", "sorry, we could stretch to 1100", "_slot(budget=1100 EUR"},
		{"it", "anzi posso arrivare a 1200 se serve", "_slot(budget=1200 EUR"},
		{"it", "scusa, posso salire a 1150", "_slot(budget=1150 EUR"},
		// Near misses: a small number after the same words is no money.
		{"it", "anzi posso arrivare a 2", ""},
		{"en", "actually I can stretch to 3 of them", ""},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := understandWith(t, b, tc.lang, "sales", "buyer", held, tc.text)
			if tc.want == "" && strings.Contains(got, "budget=") || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("commands %s, want %q", got, tc.want)
			}
		})
	}
}

// Where the customer uses the product, when it is a room of the home or
// the home itself ("lo usiamo in salotto a casa", "we use it at home"),
// they bought it as a private person. Leaving it at home says nothing.
func TestHomeUseIsAPrivateBuyer(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		want       bool
	}{
		{"it", "il televisore samsung qled si è spento, lo usiamo in salotto a casa", true},
		{"it", "la friggitrice non scalda più, la uso in cucina tutti i giorni", true},
		{"en", "the tv went black, we use it at home in the evenings", true},
		{"en", "the airfryer won't heat, we keep it in the kitchen", true},
		{"it", "si è rotto lo schermo, l'ho lasciato a casa", false},
		{"en", "the laptop won't start, we use it in the office", false},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := understandWith(t, b, tc.lang, "", "", nil, tc.text)
			if has := strings.Contains(got, "set_slot(buyer=consumer"); has != tc.want {
				t.Errorf("commands %s, private buyer %v, want %v", got, has, tc.want)
			}
		})
	}
}

// "me, personally" answers who bought it: the comma sets the adverb off,
// the customer asks for no person.
func TestMePersonallyIsAPrivateBuyer(t *testing.T) {
	b := mustShop(t)
	held := map[string]string{"product": "iphone-15", "purchase_date": "2024-01"}
	for _, tc := range []struct {
		lang, text, want string
	}{
		{"en", "me, personally", "set_slot(buyer=consumer"},
		{"en", "myself, personally", "set_slot(buyer=consumer"},
		{"it", "io, personalmente", "set_slot(buyer=consumer"},
		// Near miss: speaking to someone in person is no buyer.
		{"en", "I'd rather talk to someone, personally", "human("},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := understandWith(t, b, tc.lang, "warranty", "buyer", held, tc.text)
			if !strings.Contains(got, tc.want) || tc.want == "human(" && strings.Contains(got, "buyer=") {
				t.Errorf("commands %s, want %q", got, tc.want)
			}
		})
	}
}
