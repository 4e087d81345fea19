package flows

import (
	"context"
	"strings"
	"testing"

	"github.com/sportello/sportello/bot"
)

// Customers who leave the question mark out still ask: a question of
// two words that ask together ("quanto costa", "do you", "siete
// aperti"), wherever it stands in the message, is a question inside a
// flow too, and its FAQ is answered before the flow's question is put
// again.
func TestQuestionWithoutMark(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		name, opening, question, want string
	}{
		{"it hours mid-message", "la mia macchina del caffe delonghi perde acqua da sotto",
			"aspetta ma voi la domenica siete aperti che magari passo", "hours"},
		{"it shipping after an answer", "vorrei comprare un aspirapolvere dyson",
			"uno solo ma la spedizione in sardegna quanto costa", "shipping"},
		{"en payments after an answer", "i want to buy a pixel 8",
			"just the one btw do you take apple pay", "payments"},
		{"en no caps no mark", "my thinkpad keyboard stopped working",
			"hold on how long is the warranty for a company", "warranty_terms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, b, june3)
			d.say(tc.opening)
			if d.s.Flow == "" {
				t.Fatalf("%q started no flow", tc.opening)
			}
			d.say(tc.question)
			if !d.hasEvent(bot.EventAction, "faq="+tc.want) {
				t.Errorf("%q in a flow: no FAQ %s answered; the bot said:\n%s", tc.question, tc.want, replies(d.last))
			}
		})
	}
	// A statement stays one: "when" and "come" join as often as they ask.
	for _, text := range []string{"si spegne quando lo accendo", "it turns off when i unplug it", "la tv e come nuova"} {
		if asksWithoutMark(text, saying(text)) {
			t.Errorf("asksWithoutMark(%q) = true, want false", text)
		}
	}
}

// A greeting before the request, which pulled the whole message toward
// an FAQ or nothing, is read past: the rest alone asks more surely.
func TestGreetingBeforeTheRequest(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, want string
	}{
		{"en", "morning, where's my stuff at", "start_flow(order_status"},
		{"it", "buongiorno, info garanzia friggitrice", "start_flow(warranty"},
		{"it", "ciao, domanda sulla garanzia del tostapane", "start_flow(warranty"},
		{"en", "hi, gimme a macbook", "start_flow(sales"},
		// Gibberish after a greeting is as unread as without it: the
		// second such message offers a person.
		{"it", "ciao, qwrtz qwrtz", `documents("qwrtz qwrtz")`},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june2025})
			if err != nil {
				t.Fatal(err)
			}
			if all := commandsText(cmds); !strings.Contains(all, tc.want) {
				t.Errorf("commands %s, want %s", all, tc.want)
			}
		})
	}
}
