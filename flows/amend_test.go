package flows

import (
	"context"
	"strings"
	"testing"

	"github.com/sportello/sportello/bot"
)

// TestAmendCorrectsTheOpenCase: a customer whose case is open corrects
// a value it holds; the session, the card's slot and its summary change,
// and the customer is told. A message that corrects nothing, or names a
// value the case did not hold, changes nothing.
func TestAmendCorrectsTheOpenCase(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		name, lang, intent, text string
		slots                    map[string]string
		slot, want, told         string
	}{
		{name: "email typo", lang: "en", intent: "buy", text: "sorry typo, its jo.smith@example.org",
			slots: map[string]string{"product": "pixel-8", "contact": "jo.smith@exmaple.org"},
			slot:  "contact", want: "jo.smith@example.org", told: "jo.smith@example.org"},
		{name: "mail sbagliata", lang: "it", intent: "buy", text: "scusate ho sbagliato la mail, è anna.r@example.it",
			slots: map[string]string{"product": "pixel-8", "contact": "anna.r@exampel.it"},
			slot:  "contact", want: "anna.r@example.it", told: "anna.r@example.it"},
		{name: "per la ditta", lang: "it", intent: "warranty", text: "ah no aspetta, è per la mia azienda",
			slots: map[string]string{"product": "pixel-8", "purchase_date": "2025-02", "buyer": "consumer"},
			slot:  "buyer", want: "business", told: "Azienda"},
		{name: "nothing corrected", lang: "en", intent: "buy", text: "how long until someone picks this up?",
			slots: map[string]string{"product": "pixel-8", "contact": "jo.smith@example.org"}},
		{name: "nothing held", lang: "en", intent: "buy", text: "my number is 3331234567",
			slots: map[string]string{"product": "pixel-8"}},
		// Another product or purchase told later is news, not a correction.
		{name: "another product works", lang: "en", intent: "warranty", text: "btw my galaxy a55 works fine, its just the pixel",
			slots: map[string]string{"product": "pixel-8", "purchase_date": "2025-01", "buyer": "consumer"}},
		{name: "another purchase", lang: "en", intent: "warranty", text: "i also got a macbook air from u last week",
			slots: map[string]string{"product": "pixel-8", "purchase_date": "2025-01", "buyer": "consumer"}},
		{name: "un altro acquisto", lang: "it", intent: "warranty", text: "a maggio ho preso anche una friggitrice da voi",
			slots: map[string]string{"product": "pixel-8", "purchase_date": "2025-01", "buyer": "consumer"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := bot.NewSession(bot.Address{Channel: "test", ChatID: "1"}, june3)
			s.Language, s.Mode = tc.lang, bot.ModeQueued
			s.Slots = map[string]string{}
			cs := &bot.Case{ID: "C-1", Team: "sales", TeamName: "Vendite", Intent: tc.intent, Slots: map[string]string{}}
			for k, v := range tc.slots {
				s.Slots[k] = v
				cs.Slots[k] = b.display(k, v, "it")
				cs.Summary = append(cs.Summary, k+": "+b.display(k, v, "it"))
			}
			s.Case = cs
			turn := &bot.Turn{Session: s, Message: bot.Message{Text: tc.text, Time: june3, Address: s.Address}}
			changed, err := NewRuntime(b).Amend(context.Background(), turn)
			if err != nil {
				t.Fatal(err)
			}
			if tc.slot == "" {
				if changed || len(turn.Replies) > 0 {
					t.Errorf("changed %v, replies %v: want nothing for %q", changed, turn.Replies, tc.text)
				}
				return
			}
			if !changed || s.Slots[tc.slot] != tc.want {
				t.Fatalf("changed %v, %s = %q: want %q", changed, tc.slot, s.Slots[tc.slot], tc.want)
			}
			shown := b.display(tc.slot, tc.want, "it")
			if cs.Slots[tc.slot] != shown || !strings.Contains(strings.Join(cs.Summary, "\n"), shown) {
				t.Errorf("card %v, summary %q: want %q on it", cs.Slots, cs.Summary, shown)
			}
			if len(turn.Replies) != 1 || !strings.Contains(turn.Replies[0].Text, tc.told) {
				t.Errorf("replies %v, want one telling %q", turn.Replies, tc.told)
			}
		})
	}
}

// TestAmendChangesOnlyTheValueOnTheCard: a corrected quantity changes the
// summary's quantity, not the same digit inside the budget or the phone
// number the agents will call.
func TestAmendChangesOnlyTheValueOnTheCard(t *testing.T) {
	b := mustShop(t)
	s := bot.NewSession(bot.Address{Channel: "test", ChatID: "1"}, june3)
	s.Language, s.Mode = "en", bot.ModeQueued
	s.Slots = map[string]string{"category": "laptop", "quantity": "2", "budget": "1200", "contact": "+39 333 222 1234"}
	cs := &bot.Case{ID: "C-1", Team: "sales", Intent: "buy", Slots: map[string]string{}}
	for _, k := range []string{"category", "quantity", "budget", "contact"} {
		cs.Slots[k] = b.display(k, s.Slots[k], "it")
		cs.Summary = append(cs.Summary, k+": "+cs.Slots[k])
	}
	s.Case = cs
	turn := &bot.Turn{Session: s, Message: bot.Message{Text: "oops, I meant 3 of them, not 2", Time: june3, Address: s.Address}}
	changed, err := NewRuntime(b).Amend(context.Background(), turn)
	if err != nil || !changed || s.Slots["quantity"] != "3" {
		t.Fatalf("changed %v, err %v, quantity %q: want 3", changed, err, s.Slots["quantity"])
	}
	want := []string{"category: " + cs.Slots["category"], "quantity: 3", "budget: 1200", "contact: +39 333 222 1234"}
	if strings.Join(cs.Summary, "\n") != strings.Join(want, "\n") {
		t.Errorf("summary %q, want %q", cs.Summary, want)
	}
}
