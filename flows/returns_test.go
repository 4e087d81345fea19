package flows

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/sportello/sportello/bot"
)

// A return's reason told beside the request is not asked for again:
// the clause that tells (not the one that asks) is the reason, and so
// is what follows the "yes" that starts the return.
func TestReturnReasonToldWithTheRequest(t *testing.T) {
	for _, tc := range []struct {
		name, lang string
		say        []string
		reason     string
	}{
		{"it, a defect as the reason", "it", []string{"vorrei restituire la macchina del caffè arrivata 3 giorni fa, fa un rumore strano. ordine SP-111222", "sì"}, "fa un rumore strano"},
		{"it, a change of mind", "it", []string{"ordine SP-111222 consegnato ieri, ho cambiato idea, voglio restituirlo", "sì"}, "ho cambiato idea"},
		{"en, no longer needed", "en", []string{"got the laptop 2 days ago, order SP-111222, I want to return it, we bought a second one by mistake", "yes"}, "we bought a second one by mistake"},
		{"it, the pronoun before rendere, the reason after ma", "it", []string{"il portatile dell'ordine SP-111222 è arrivato lunedì ma è più pesante di quanto pensassi, lo posso rendere?", "sì"}, "è più pesante di quanto pensassi"},
		{"it, no longer needed", "it", []string{"ho ricevuto la tv ieri (ordine SP-111222), la voglio rendere. non mi serve più", "sì"}, "non mi serve più"},
		{"en, the reason after yes, past a corrected number", "en", []string{"I want to return order SP-111223, delivered yesterday", "sorry, it's SP-111222", "yes, the colour is not the one in the photo"}, "the colour is not the one in the photo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = tc.lang
			for _, s := range tc.say {
				d.say(s)
			}
			h := d.last.Handoff
			if h == nil || h.Team != "support" {
				t.Fatalf("after %q the bot said %q, handoff %+v: want a return case for support", tc.say, replies(d.last), h)
			}
			if got := d.s.Slots["return_reason"]; got != tc.reason {
				t.Errorf("reason %q, want %q", got, tc.reason)
			}
		})
	}
}

// Told when it was ordered and when it arrived, the return counts from
// the arrival.
func TestReturnCountsFromTheDelivery(t *testing.T) {
	for _, tc := range []struct {
		lang, say, until string
	}{
		{"it", "vorrei restituire il telefono: ordinato il 25 maggio, consegnato il 3 giugno", "17/06/2025"},
		{"en", "I'd like to return my order, I placed it on May 25 and it was delivered on June 3", "17 June 2025"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = tc.lang
			contains(t, d.say(tc.say), tc.until)
			if got := d.s.Slots["delivery_date"]; got != "2025-06-03" {
				t.Errorf("delivery date %q, want 2025-06-03", got)
			}
		})
	}
}

// A date corrected after the bot decided from it is decided again, and
// the "no" of "no wait" answers nothing.
func TestCorrectedDateIsDecidedAgain(t *testing.T) {
	t.Run("return, it", func(t *testing.T) {
		d := newDriver(t, mustShop(t), june2025)
		contains(t, d.say("vorrei restituire le cuffie, arrivate la settimana scorsa"), "14 giorni")
		d.say("no scusa, sono arrivate a febbraio")
		if got := d.s.Slots["return"]; got != "closed" {
			t.Errorf("return %q after the delivery was corrected to February, want closed (slots %v)", got, d.s.Slots)
		}
		if v, ok := d.s.Slots["start_return"]; ok {
			t.Errorf("start_return = %q: the \"no\" of a correction answered the question", v)
		}
	})
	t.Run("warranty, en", func(t *testing.T) {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = "en"
		contains(t, d.say("the thinkpad keyboard stopped working, bought in january 2023, private"), "no longer under warranty")
		out := d.say("no wait, sorry, it was january 2024")
		contains(t, out, "under warranty")
		if got := d.s.Slots["warranty"]; got != "covered" {
			t.Errorf("warranty %q after the date was corrected to January 2024, want covered", got)
		}
	})
}

// A thing received and no longer wanted is a return, not a claim: when
// the classifier is unsure, the delivery date decides (it fits only the
// return), though the product is the customer's own.
func TestReceivedAndUnwantedIsAReturn(t *testing.T) {
	for _, tc := range []struct{ lang, say string }{
		{"it", "ricevuto l'aspirapolvere 3 giorni fa, a ripensarci non mi serve"},
		{"en", "got the air fryer delivered on monday, on second thought I don't need it"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = tc.lang
			d.say(tc.say)
			if d.s.Flow != "returns" {
				t.Errorf("flow %q, want returns (slots %v)", d.s.Flow, d.s.Slots)
			}
		})
	}
}

// "Send back" with nothing wrong with the product is a return, though
// the order number beside it pulls the classifier to the order's status;
// a repair is sent back too, and is no return.
func TestSendBackIsAReturn(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ name, lang, text string }{
		{name: "en", lang: "en", text: "want to send back the dyson, order SP-445566, the colour is not what I hoped"},
		{name: "it", lang: "it", text: "vorrei rispedire la friggitrice, ordine SP-445566, è più grande di quanto pensassi"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			if got := commandsText(cmds); !strings.HasPrefix(got, "start_flow(returns") {
				t.Errorf("commands %s, want the return first", got)
			}
		})
	}
	// The thing between the verb and "back", and a give-back in Italian.
	for _, tc := range []struct{ lang, text string }{
		{"en", "i wanna send the blender back, order SP-445566, its way too loud"},
		{"en", "id like to send my new headphones back pls SP-445566"},
		{"it", "vorrei ridare indietro il frullatore, ordine SP-445566"},
		{"it", "posso ridarlo indietro? ordine SP-445566, nn mi piace il colore"},
	} {
		cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
		if got := commandsText(cmds); !strings.HasPrefix(got, "start_flow(returns") {
			t.Errorf("%q: commands %s, want the return first", tc.text, got)
		}
	}
	cmds, _ := rules{b}.Understand(context.Background(), Input{Text: "can I send back my tv for repair? order SP-445566", Lang: "en", Now: june3})
	if got := commandsText(cmds); strings.HasPrefix(got, "start_flow(returns") {
		t.Errorf("commands %s for a repair, want no return", got)
	}
	// The shop sending something back to the customer is no return.
	for _, text := range []string{"can you send my laptop back soon", "please send the invoice to the back office", "send me the tracking and back up my data"} {
		if sendsBack(saying(text)) {
			t.Errorf("%q: read as sending something back", text)
		}
	}
	for _, text := range []string{"will you send the pixel back to me this week?", "quando me lo rispedite il televisore?", "when are you sending back my phone?",
		"quando mi potete ridare indietro il portatile? SP-445566"} {
		cmds, _ := rules{b}.Understand(context.Background(), Input{Text: text, Now: june3})
		if got := commandsText(cmds); strings.HasPrefix(got, "start_flow(returns") {
			t.Errorf("%q: commands %s, want no return", text, got)
		}
	}
}

// An order number and its proof told beside a return are the return's:
// no request of their own, whatever the classifier makes of them alone.
// A clause that asks of the order still is one.
func TestTheReturnsOrderIsNoOtherRequest(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ name, lang, text string }{
		{name: "e-mail, en", lang: "en", text: "is it too late to return my macbook? order SP-445566, email anna.verdi@example.com"},
		{name: "postcode, it", lang: "it", text: "posso ancora restituire il frullatore? ordine SP-445566, cap 10121"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			got := commandsText(cmds)
			if !strings.HasPrefix(got, "start_flow(returns") || hasKind(cmds, CmdQueue) {
				t.Errorf("commands %s, want the return and nothing queued", got)
			}
		})
	}
	cmds, _ := rules{b}.Understand(context.Background(), Input{Text: "I want to return the blender, and where is SP-445566?", Lang: "en", Now: june3})
	if !hasKind(cmds, CmdQueue) {
		t.Errorf("commands %s, want the order's question queued", commandsText(cmds))
	}
}

// TestBuysFirst: whether a product can be returned, asked before buying
// it, is a sale with a question for the pages; a return of what came is
// a return.
func TestBuysFirst(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, flow, question string
	}{
		{"it", "se prendo il pixel 8 e non mi trovo bene, lo posso rendere?", "sales", "lo posso rendere?"},
		{"en", "if i order the dyson and its too heavy for me, can i send it back?", "sales", "can i send it back?"},
		{"it", "sto pensando di comprare la tv lg, se e troppo grande per il salotto si puo restituire?", "sales", "se e troppo grande per il salotto si puo restituire?"},
		// What came is returned, a purchase to come beside it or not.
		{"en", "before i order the bigger model i have to return this blender, how does it work?", "returns", ""},
		{"it", "pensavo di prendere un altro telefono, posso restituire quello che ho preso martedi?", "returns", ""},
		{"en", "i want to return the vacuum, if i order a new one can i use the refund?", "returns", ""},
		{"en", "the blender came on monday and i dont like it, can i return it?", "returns", ""},
		{"it", "ho ricevuto ieri la friggitrice, non mi piace, posso restituirla?", "returns", ""},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june2025})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			started, asked := "", ""
			for _, c := range cmds {
				got = append(got, c.String())
				switch c.Kind {
				case CmdStartFlow:
					started = c.Flow
				case CmdDocuments:
					asked = c.Span
				}
			}
			if started != tc.flow || tc.question != "" && asked != tc.question {
				t.Errorf("commands %s: flow %q and question %q, want %q and %q", strings.Join(got, " "), started, asked, tc.flow, tc.question)
			}
		})
	}
}

// Asked whether to start a return, "ah no scusa, ..." with a value told
// anew (the proof that did not match, a date the flow holds) corrects
// it: the "no" is the correction's, no answer. "no thanks, sorry" and a
// bare "no" still decline.
func TestNoOfACorrectionAtTheReturnQuestion(t *testing.T) {
	for _, tc := range []struct{ hint, opening, wrong, fix string }{
		{"it", "vorrei restituire l aspirapolvere, ordine SP-200101", "marco.rossi@example.org", "ah no scusa la mail e marco.rossi@example.com"},
		{"en", "i want to return the vacuum from SP-200101", "marco.rossi@example.org", "wait no sorry, its marco.rossi@example.com"},
	} {
		t.Run(tc.hint, func(t *testing.T) {
			fake := &fakeOrders{}
			d, _ := orderDriver(t, fake, OrderOptions{})
			d.hint = tc.hint
			d.say(tc.opening)
			d.say(tc.wrong)
			d.say(tc.fix)
			if v, ok := d.s.Slots["start_return"]; ok {
				t.Errorf("start_return = %q: the \"no\" of a correction answered the question", v)
			}
			if d.s.Slots["order"] != OrderFound {
				t.Errorf("order %q, want found with the proof told again", d.s.Slots["order"])
			}
		})
	}
	t.Run("same date after wait no", func(t *testing.T) {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = "en"
		contains(t, d.say("id like to return the headphones, they came on june 2"), "14 days")
		d.say("hang on, wait no, they came on june 2 sorry")
		if v, ok := d.s.Slots["start_return"]; ok {
			t.Errorf("start_return = %q: the \"no\" of a correction answered the question", v)
		}
	})
	for _, no := range []string{"no thanks, sorry, they arrived on june 2", "no", "nope, not now sorry"} {
		t.Run(no, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = "en"
			contains(t, d.say("id like to return the headphones, they came on june 2"), "14 days")
			d.say(no)
			if got := d.s.Slots["start_return"]; got != "no" {
				t.Errorf("start_return = %q, want no", got)
			}
		})
	}
}

// An order number told with the yes to "start a return?" is the
// return's, which asks for it: it starts no order's status, and what
// follows it is the reason. A clause that asks of an order does start
// it, and a purchase asked beside the yes too.
func TestOrderNumberWithTheYesToAReturn(t *testing.T) {
	for _, tc := range []struct {
		lang   string
		say    []string
		reason string
	}{
		{"it", []string{"vorrei restituire le cuffie, arrivate ieri", "si, ordine SP-111222, le uso poco e occupano spazio"}, "le uso poco e occupano spazio"},
		{"en", []string{"I want to send back the blender, it came yesterday", "yes please, order SP-111222, the colour is not what I wanted"}, "the colour is not what I wanted"},
		{"it", []string{"voglio rendere il telefono consegnato lunedi", "si certo, nn mi piace piu, l ordine e SP-111222"}, "nn mi piace piu"},
	} {
		t.Run(tc.say[1], func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.lang
			for _, s := range tc.say {
				d.say(s)
			}
			h := d.last.Handoff
			if h == nil || h.Team != "support" || d.s.Flow != "" && d.s.Flow != "returns" {
				t.Fatalf("after %q the bot said %q in flow %q, handoff %+v: want a return case for support", tc.say, replies(d.last), d.s.Flow, h)
			}
			if got := d.s.Slots["return_reason"]; got != tc.reason {
				t.Errorf("reason %q, want %q", got, tc.reason)
			}
		})
	}
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, flow string }{
		{"en", "yes, and where is my other order SP-111223?", "order_status"},
		{"it", "si, ma dov e il mio ordine SP-111223?", "order_status"},
		{"en", "yes, also my order SP-111223 hasnt arrived yet", "order_status"},
		{"it", "si, e poi il mio ordine SP-111223 nn e ancora arrivato", "order_status"},
		{"it", "si, poi vorrei comprare un pixel 8", "sales"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3,
				State: State{Flow: "returns", Slot: "start_return", Slots: map[string]string{"delivery_date": "2025-06-02"}}})
			if err != nil {
				t.Fatal(err)
			}
			if got := commandsText(cmds); !strings.Contains(got, "start_flow("+tc.flow) {
				t.Errorf("commands %s, want start_flow(%s", got, tc.flow)
			}
		})
	}
}

// The reason for a return told at another question ("when was it
// delivered?") is kept: the bot notes it, asks its question again and
// never asks why. What tells no reason (a wait, a doubt, a dislike of
// something else) is not taken for one.
func TestReturnReasonToldEarly(t *testing.T) {
	for _, tc := range []struct {
		lang, early, date, reason string
	}{
		{"en", "honestly its way too heavy to carry around", "on 1 june", "honestly its way too heavy to carry around"},
		{"it", "sinceramente e troppo ingombrante per la mia cucina", "il 31 maggio", "sinceramente e troppo ingombrante per la mia cucina"},
		{"it", "ho cambiato idea, nn mi serve piu", "ieri", "ho cambiato idea, nn mi serve piu"},
		{"en", "the colour is not what i expected", "yesterday", "the colour is not what i expected"},
	} {
		t.Run(tc.early, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.lang
			first := map[string]string{"en": "i want to return the headphones i got", "it": "voglio restituire le cuffie che ho ricevuto"}[tc.lang]
			d.say(first)
			when := map[string]string{"en": "When was it delivered", "it": "Quando ti è stato consegnato"}[tc.lang]
			contains(t, d.say(map[string]string{"en": "yes", "it": "si"}[tc.lang]), when)
			contains(t, d.say(tc.early), when)
			d.say(tc.date)
			if got := d.s.Slots["return_reason"]; got != tc.reason {
				t.Errorf("reason %q, want %q", got, tc.reason)
			}
			if r := replies(d.last); strings.Contains(r, "Why would you like") || strings.Contains(r, "Perché vuoi") {
				t.Errorf("the bot asked the reason again: %q", r)
			}
		})
	}
	b := mustShop(t)
	for _, tc := range []struct{ lang, text string }{
		{"en", "wait im checking the email"},
		{"en", "too hard to say"},
		{"en", "i dont like talking to bots"},
		{"en", "is it too late to return?"},
		{"it", "aspetta che controllo la mail"},
		{"it", "troppo tempo fa, non ricordo"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3,
				State: State{Flow: "returns", Slot: "delivery_date", Slots: map[string]string{"start_return": "yes"}}})
			if err != nil {
				t.Fatal(err)
			}
			if got := commandsText(cmds); strings.Contains(got, "return_reason") {
				t.Errorf("commands %s take a reason", got)
			}
		})
	}
}

// TestAReturnToldInOneGoStartsWithoutAsking: a message that asks for a
// return and tells the order, what proves it the customer's and why
// ("can I return SP-200101? postcode 00184, we changed our mind") has
// told all a return case needs: the bot checks the order, tells the
// deadline and opens the case, without "start a return?". With less (no
// proof, which the bot asks first; no order; no reason; the order told
// before, in another request) the bot tells the deadline and asks.
func TestAReturnToldInOneGoStartsWithoutAsking(t *testing.T) {
	asked := func(d *driver) bool {
		return slices.ContainsFunc(d.last.Events, func(e bot.Event) bool { return e.Type == bot.EventAsked && e.Slot == "start_return" })
	}
	for _, tc := range []struct {
		lang string
		say  []string
		asks bool // the last message is answered with "start a return?"
	}{
		{"en", []string{"I want to send back the dyson from order SP-200101, marco.rossi@example.com, it's too loud for my flat"}, false},
		{"it", []string{"vorrei fare il reso dell'ordine SP-200101, cap 00184, l'aspirapolvere è troppo rumoroso"}, false},
		{"en", []string{"can I return SP-200101? postcode 00184, we changed our mind"}, false},
		{"it", []string{"SP-200101 marco.rossi@example.com il dyson non mi serve più, lo voglio rendere"}, false},
		// Near misses: the bot asks.
		{"en", []string{"I want to return the dyson from SP-200101, it's too loud", "00184"}, true},
		{"it", []string{"vorrei restituire il dyson arrivato venerdì, è troppo rumoroso"}, true},
		{"en", []string{"I want to return SP-200101, marco.rossi@example.com"}, true},
		{"en", []string{"where is my order SP-200101? 00184", "oh it came, fine. I want to return it, it's too loud"}, true},
	} {
		t.Run(tc.say[len(tc.say)-1], func(t *testing.T) {
			d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
			d.hint = tc.lang
			for _, s := range tc.say {
				d.say(s)
			}
			if got := asked(d); got != tc.asks {
				t.Fatalf("after %q the bot said %q: asked start_return %v, want %v", tc.say, replies(d.last), got, tc.asks)
			}
			if h := d.last.Handoff; !tc.asks && (h == nil || h.Team != "support" || d.s.Slots["return"] != ReturnOpen) {
				t.Errorf("after %q the bot said %q, handoff %+v, return %q: want an open return's case for support", tc.say, replies(d.last), h, d.s.Slots["return"])
			}
		})
	}
}

// TestGivingItBackIsAReturn: a clause that ends on a wish to give it
// back ("vorrei renderlo") asks for a return; "rendere" with its pronoun
// and a word after it makes it something ("vorrei renderlo più
// silenzioso"), no return.
func TestGivingItBackIsAReturn(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text    string
		returns bool
	}{
		{"l'ho ricevuto ieri ma è troppo grande, vorrei renderlo", true},
		{"ora che la vedo dal vivo non mi convince, voglio renderla", true},
		{"il pacco è arrivato stamattina, sinceramente vorrei renderlo", true},
		{"il frullatore è arrivato sabato, volevo renderlo e prenderne uno più piccolo", true},
		// Near misses.
		{"vorrei renderlo più silenzioso, c'è un'impostazione?", false},
		{"il portatile è lento, vorrei renderlo più veloce", false},
		{"vorrei renderlo compatibile con alexa", false},
	} {
		got := commandsText(understandIn(t, b, "it", tc.text))
		if strings.Contains(got, "start_flow(returns") != tc.returns {
			t.Errorf("%q: %s, want a return: %v", tc.text, got, tc.returns)
		}
	}
}

// TestTheReasonIsTheClauseThatSaysWhy: of the clauses of a return's
// opening message, the one that says what is wrong or that it is no
// longer wanted is the reason, though another one comes first ("I found
// it at the neighbour's. but the colour is wrong"); with none such, the
// first that says something else than the request is, as before.
func TestTheReasonIsTheClauseThatSaysWhy(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, reason string }{
		{"it", "l'ho trovato in portineria stamattina. però è troppo grande per la mia cucina, vorrei renderlo", "troppo grande per la mia cucina"},
		{"en", "it came on monday, my neighbour kept it for me. but the colour is wrong, I want to return it", "the colour is wrong"},
		{"en", "the parcel came yesterday, the box was perfect, we don't need it anymore, I'd like to return it", "we don't need it anymore"},
		// Near miss: nothing says what is wrong; the first clause stays.
		{"it", "ho ricevuto il frullatore lunedì, l'ho usato una volta sola, vorrei restituirlo", "l'ho usato una volta sola"},
	} {
		got := commandsText(understandIn(t, b, tc.lang, tc.text))
		at := strings.Index(got, "set_slot(return_reason=")
		if at < 0 || !strings.Contains(strings.SplitN(got[at:], "\"", 2)[0], tc.reason) {
			t.Errorf("%q: %s, want the reason %q", tc.text, got, tc.reason)
		}
	}
}
