package flows

import (
	"context"
	"testing"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows/extract"
)

// A message written without marks is read with the marks its words
// show: what follows a change of subject is a sentence of its own (a
// question ended by "?"), and a yes is followed by a comma. A question
// opened in the middle is not cut off: it goes on the first clause as
// often as it starts another ("sp482001 how long does it take", "the
// phone you sent is broken accettate il reso").
func TestMarkClauses(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"my kettle stopped heating btw do you deliver on sundays", "my kettle stopped heating. btw do you deliver on sundays?"},
		{"il tostapane fa scintille comunque l ho preso a maggio", "il tostapane fa scintille. comunque l ho preso a maggio"},
		{"il tostapane che ho preso fa scintille quanto costa ripararlo", "il tostapane che ho preso fa scintille quanto costa ripararlo"},
		{"the tablet i ordered SP-555001 how long does it take", "the tablet i ordered SP-555001 how long does it take"},
		{"il frullatore che mi avete mandato e rotto accettate il cambio", "il frullatore che mi avete mandato e rotto accettate il cambio"},
		// A yes, then what it says.
		{"si il frullatore perde olio dal fondo", "si, il frullatore perde olio dal fondo"},
		{"yes the lid is cracked on one side", "yes, the lid is cracked on one side"},
		{"si non lo uso quasi mai", "si, non lo uso quasi mai"},
		{"si è rotto il manico ieri sera", "si è rotto il manico ieri sera"},
		// Marks of its own, a short message or an answer keep it as written.
		{"il frullatore, quello rosso, fa rumore", "il frullatore, quello rosso, fa rumore"},
		{"quanto costa il frullatore", "quanto costa il frullatore"},
		{"yes how much would the part be", "yes how much would the part be"},
		{"si quanto costerebbe il ricambio", "si quanto costerebbe il ricambio"},
		{"scrivetemi a carla.neri@example.it grazie mille davvero", "scrivetemi a carla.neri@example.it grazie mille davvero"},
	} {
		msg := extract.Read(tc.text)
		if got := markClauses(tc.text, msg, sayWords(msg.Words())); got != tc.want {
			t.Errorf("markClauses(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// Inside a flow, a question asked without a mark after an answer is
// answered: the FAQ's clause is read alone.
func TestUnmarkedQuestionBesideAnswer(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ opening, text, want string }{
		{"vorrei comprare un aspirapolvere dyson", "ne prendo uno solo comunque a che ora chiudete il sabato", "hours"},
		{"i want to buy a macbook air", "only one for me btw do you ship to the islands", "shipping"},
		{"la mia friggitrice philips non si accende piu", "l ho presa ad aprile 2025 ma quanto dura la garanzia per un privato", "warranty_terms"},
	} {
		d := newDriver(t, b, june3)
		d.say(tc.opening)
		if d.s.Flow == "" {
			t.Fatalf("%q started no flow", tc.opening)
		}
		d.say(tc.text)
		if !d.hasEvent(bot.EventAction, "faq="+tc.want) {
			t.Errorf("%q: no FAQ %s answered; the bot said:\n%s", tc.text, tc.want, replies(d.last))
		}
	}
}

// A return told without marks gives its reason between two of its
// values: what follows the delivery date, up to the order's number,
// without the word that names the number.
func TestReasonBetweenValuesWithoutMarks(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, want string }{
		{"it", "voglio rendere la friggitrice arrivata 3 giorni fa scalda troppo poco ordine SP-777001", "scalda troppo poco"},
		{"it", "devo restituire il dyson consegnato ieri non aspira bene numero ordine SP-777002", "non aspira bene"},
		{"en", "i want to return the pixel 8 delivered 4 days ago the colour looks dull order SP-777003", "the colour looks dull"},
	} {
		cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
		got := ""
		for _, c := range cmds {
			if c.Kind == CmdSetSlot && c.Slot == "return_reason" {
				got = c.Value
			}
		}
		if got != tc.want {
			t.Errorf("%q: return_reason %q, want %q (commands %v)", tc.text, got, tc.want, cmds)
		}
	}
}

// TestReasonWithoutMarks: a return asked without commas or full stops
// keeps its reason, wherever it stands: before the request, between two
// values, after the last (a defect), and an e-mail's dot ends no clause.
func TestReasonWithoutMarks(t *testing.T) {
	checkRouting(t, []routingCase{
		{name: "a defect after the last value", lang: "it", text: "vorrei restituire la friggitrice dell'ordine SP-123456 consegnata 4 giorni fa è troppo rumorosa per casa mia",
			want: []string{`return_reason=è troppo rumorosa per casa mia "`}},
		{name: "a defect after the last value, English", lang: "en", text: "i want to return the laptop from order SP-222333 delivered 3 days ago it is too noisy for home",
			want: []string{`return_reason=it is too noisy for home "`}},
		{name: "before the wish", lang: "it", text: "la tv fa un ronzio fastidioso la vorrei restituire ordine SP-654321",
			want: []string{`return_reason=la tv fa un ronzio fastidioso "`}},
		{name: "before the wish, English", lang: "en", text: "the fan is way too loud i want to send it back order SP-222333",
			want: []string{`return_reason=the fan is way too loud "`}},
		{name: "after please, before an e-mail", lang: "en", text: "return SP-777111 please it is too heavy my email is anna.verdi@example.com",
			want: []string{`return_reason=it is too heavy "`}},
		// Near misses: no reason told.
		{name: "the delivery only", lang: "it", text: "vorrei restituire l'ordine SP-123456 arrivato 2 giorni fa", not: []string{"return_reason="}},
		{name: "per favore", lang: "it", text: "voglio fare il reso ordine SP-654321 per favore", not: []string{"return_reason="}},
		{name: "please and an e-mail", lang: "en", text: "return SP-777111 please my email is anna.verdi@example.com", not: []string{"return_reason="}},
		{name: "a greeting first", lang: "it", text: "ciao buongiorno vorrei fare un reso ordine SP-222333", not: []string{"return_reason="}},
		{name: "a greeting first, English", lang: "en", text: "hello there i want to return it order SP-222333", not: []string{"return_reason="}},
	})
}

// TestYesBeforeAQuestionWithoutComma: an opening "si" before a question
// word or an imperative with "ci", or "sì" with its accent, answers the
// offer without its comma; "si" before a verb is the pronoun.
func TestYesBeforeAQuestionWithoutComma(t *testing.T) {
	quote := map[string]string{"product": "pixel-8", "purchase_date": "2025-03", "buyer": "consumer", "damage": "liquid", "warranty": "damage"}
	at := func(name, text string, yes bool) routingCase {
		c := routingCase{name: name, lang: "it", text: text, flow: "warranty", slot: "repair_quote", slots: quote}
		if yes {
			c.want = []string{"set_slot(repair_quote=yes"}
		} else {
			c.not = []string{"repair_quote=yes"}
		}
		return c
	}
	checkRouting(t, []routingCase{
		at("si quanto", "si quanto costerebbe piu o meno", true),
		at("si quando", "si quando potrei riaverlo", true),
		at("sì accented", "sì mi dite il prezzo", true),
		at("si fateci", "si fateci sapere il costo", true),
		// Near misses: the pronoun.
		at("si rompe quando", "si rompe quando lo accendo", false),
		at("si blocca come", "si blocca come prima", false),
		at("si spegne quando", "si spegne quando vuole", false),
		at("si chiama come", "si chiama come il modello di prima", false),
	})
}

// TestNoThenInsteadWithoutComma: a "no" to the repair's quote followed
// by what the customer does instead, without the comma, declines and
// starts the purchase; a "no" of a noun or "no lo so" does not buy.
func TestNoThenInsteadWithoutComma(t *testing.T) {
	quote := map[string]string{"product": "pixel-8", "purchase_date": "2025-03", "buyer": "consumer", "damage": "liquid", "warranty": "damage"}
	at := func(name, lang, text string, buys bool) routingCase {
		c := routingCase{name: name, lang: lang, text: text, flow: "warranty", slot: "repair_quote", slots: quote}
		if buys {
			c.want = []string{"repair_quote=no", "start_flow(sales"}
		} else {
			c.not = []string{"start_flow(sales"}
		}
		return c
	}
	checkRouting(t, []routingCase{
		at("no lo ricompro", "it", "no lo ricompro uguale ma nuovo", true),
		at("no a questo punto", "it", "no a questo punto ne compro un altro", true),
		at("nah rather", "en", "nah I'd rather buy another phone", true),
		at("no I'd rather", "en", "no I'd rather get a new one", true),
		// Near misses.
		at("no lo so", "it", "no lo so quanto costa", false),
		at("no rush", "en", "no rush at all", false),
		at("no grazie", "it", "no grazie per ora", false),
		at("no thanks", "en", "no thanks not worth it", false),
	})
}
