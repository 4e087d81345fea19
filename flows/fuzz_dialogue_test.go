package flows

import (
	"strings"
	"testing"

	"github.com/sportello/sportello/bot"
)

// FuzzDialogue holds what a customer may rely on whatever they write, in
// whatever order: the bot never fails, never meets a message with silence
// unless it handed the conversation over, and never asks the same question
// a third time in a row without offering a person.
func FuzzDialogue(f *testing.F) {
	for _, seed := range [][3]string{
		{"il mio pixel 8 non si accende", "marzo 2024", "privato"},
		{"vorrei comprare 3 galaxy a55", "anzi no 2, budget 400 l'uno", "mario@example.it"},
		{"voglio fare un reso", "si", "SP-123456"},
		{"", "\x00\xff", "???"},
		{"dov'è il mio ordine? e posso pagare a rate?", "no", "sì"},
		{"my laptop is broken", "no wait, it's the macbook", "last summer"},
		{"spedizione o reso?", "boh", "boh"},
		{"avete la playstation?", "ok grazie lo stesso", "ciao"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	b := mustShop(f)
	f.Fuzz(func(t *testing.T, a, b2, c string) {
		d := newDriver(t, b, june2025)
		asked := map[string]int{}
		last := ""
		for _, text := range []string{a, b2, c, b2, c} {
			if d.s.Mode != bot.ModeBot {
				return // an agent's conversation now
			}
			text = bot.CleanText(text, bot.MaxTextLen)
			if strings.TrimSpace(text) == "" {
				continue // the engine answers empty messages itself
			}
			turn := d.send(bot.Message{Text: text})
			if len(turn.Replies) == 0 && turn.Handoff == nil {
				t.Fatalf("no reply to %q", text)
			}
			for _, r := range turn.Replies {
				for _, bt := range r.Buttons {
					if bt.Payload == PayloadHuman || bt.Payload == PayloadDocHuman {
						asked, last = map[string]int{}, "" // a person was offered: the way on
					}
				}
			}
			for _, e := range turn.Events {
				if e.Type != bot.EventAsked {
					continue
				}
				if e.Slot == last {
					asked[e.Slot]++
				} else {
					asked = map[string]int{e.Slot: 1}
				}
				last = e.Slot
				if asked[e.Slot] >= 3 {
					t.Fatalf("asked for %s three times in a row (last message %q)", e.Slot, text)
				}
			}
		}
	})
}
