package flows

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestSecondQuestionAnswered reads messages that ask two things, one of
// them a question without its question mark after a joining word, or
// after an e-mail address whose dots end no sentence: both are answered.
func TestSecondQuestionAnswered(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		name, lang, text string
		want             []string
	}{
		{name: "also and no question mark", lang: "en",
			text: "where is my order SP-200101? marco.rossi@example.com. also do you accept paypal",
			want: []string{"faq(payments", "start_flow(order_status", "set_slot(order_proof=MARCO.ROSSI@EXAMPLE.COM"}},
		{name: "e poi senza punto di domanda", lang: "it",
			text: "dove si trova il pacco SP-200101? la mail è marco.rossi@example.com. e poi posso pagare con paypal",
			want: []string{"faq(payments", "start_flow(order_status"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			got := commandsText(cmds)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("commands %s lack %s", got, w)
				}
			}
		})
	}
}

func commandsText(cmds []Command) string {
	var parts []string
	for _, c := range cmds {
		parts = append(parts, c.String())
	}
	return strings.Join(parts, " ")
}

func TestSentences(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"write to a.b@example.it. thanks", []string{"write to a.b@example.it", " thanks"}},
		{"it costs 3.5 euros? ok!", []string{"it costs 3.5 euros", " ok"}},
		{"one. two", []string{"one", " two"}},
		{"end.", []string{"end"}},
	} {
		if got := sentences(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("sentences(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestReturnReasonInTheOpening takes the reason of a return from the
// message that asks for it, after "because" or "and", whatever its
// words: it is not asked again.
func TestReturnReasonInTheOpening(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		name, lang, text, want string
	}{
		{name: "perché", lang: "it", text: "vorrei rendere le cuffie arrivate 3 giorni fa perché mi servono più comode",
			want: `set_slot(return_reason=mi servono più comode`},
		{name: "e dopo la data", lang: "it", text: "la friggitrice è arrivata lunedì e non la uso mai, posso restituirla?",
			want: `set_slot(return_reason=non la uso mai`},
		{name: "because", lang: "en", text: "i'd like to send back the tv delivered on friday because the colours look washed out",
			want: `set_slot(return_reason=the colours look washed out`},
		{name: "and after the date", lang: "en", text: "the laptop came two days ago and it is far too heavy, how do i send it back?",
			want: `set_slot(return_reason=it is far too heavy`},
		{name: "dopo la data", lang: "it", text: "la tv che mi avete consegnato lunedì ha i colori troppo spenti, la voglio rendere",
			want: `set_slot(return_reason=ha i colori troppo spenti`},
		{name: "after the date", lang: "en", text: "the headphones delivered on monday sound really tinny to me, I want to return them",
			want: `set_slot(return_reason=sound really tinny to me`},
		{name: "two words, it", lang: "it", text: "voglio rendere le cuffie dell'ordine SP-345678, misura sbagliata",
			want: `set_slot(return_reason=misura sbagliata`},
		{name: "two words, en", lang: "en", text: "I want to return the headphones of SP-345678, too bulky",
			want: `set_slot(return_reason=too bulky`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			if got := commandsText(cmds); !strings.Contains(got, "start_flow(returns") || !strings.Contains(got, tc.want) {
				t.Errorf("commands %s, want the return and %s", got, tc.want)
			}
		})
	}
}

// TestCorrectionAfterTheDecision corrects the date a flow decided from
// at the message after it ended: the flow opens again and decides with
// the new date, and the rest of the claim goes on.
func TestCorrectionAfterTheDecision(t *testing.T) {
	for _, tc := range []struct {
		name, hint, opening, closed, correction, reopened string
	}{
		{name: "reso, il giorno giusto", hint: "it", opening: "voglio restituire la friggitrice, consegnata il 2 maggio",
			closed: "scaduto", correction: "scusa mi sono sbagliata, è arrivata il 29 maggio", reopened: "Vuoi avviare un reso?"},
		{name: "return, the right day", hint: "en", opening: "can I return the headphones? they were delivered on 1 may",
			closed: "no longer open a return", correction: "oops my mistake, I meant the 30th of may", reopened: "start a return?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			contains(t, d.say(tc.opening), tc.closed)
			if d.s.Flow != "" {
				t.Fatalf("flow %q after the decision, want it ended", d.s.Flow)
			}
			contains(t, d.say(tc.correction), tc.reopened)
			if d.s.Flow != "returns" || d.s.Slots["return"] != "open" {
				t.Fatalf("flow %q, return %q: want the return open again", d.s.Flow, d.s.Slots["return"])
			}
		})
	}
	// A message after the end that corrects nothing starts no flow again.
	d := newDriver(t, mustShop(t), june3)
	d.hint = "en"
	d.say("can I return the headphones? they were delivered on 1 may")
	d.say("ok thanks, bye")
	if d.s.Flow != "" {
		t.Errorf("flow %q after a goodbye, want none", d.s.Flow)
	}
}

// TestYesBeforeTheDecisionStays: "start a return?" answered yes before
// the delivery date, then the date corrected after the bot refused the
// return: the return opens with the new date and the bot goes on to the
// order, never asking the yes it has again.
func TestYesBeforeTheDecisionStays(t *testing.T) {
	for _, tc := range []struct{ name, hint, opening, yes, date, correction, next string }{
		{name: "it", hint: "it", opening: "vorrei fare un reso della macchina del caffè", yes: "sì", date: "il 3 maggio",
			correction: "anzi no, l'ho ricevuta il 31 maggio, il 3 l'avevo ordinata", next: "numero d'ordine"},
		{name: "en", hint: "en", opening: "how do I send back the headphones?", yes: "yes please", date: "the 5th of May",
			correction: "sorry, they arrived on the 29th of May, I ordered them on the 5th", next: "order number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			d.say(tc.opening)
			d.say(tc.yes)
			d.say(tc.date)
			if got := d.s.Slots["start_return"]; got != "yes" {
				t.Fatalf("start_return %q after the yes, want yes", got)
			}
			contains(t, d.say(tc.correction), tc.next)
			if d.s.Slots["return"] != "open" || d.s.Slots["start_return"] != "yes" {
				t.Errorf("return %q, start_return %q: want the return open and the yes kept", d.s.Slots["return"], d.s.Slots["start_return"])
			}
		})
	}
}

// TestNewsTakenAsksForNobody: after "we don't sell it: something else,
// or a person?", taking the news and asking for nothing reaches no team.
func TestNewsTakenAsksForNobody(t *testing.T) {
	for _, tc := range []struct{ name, hint, ask, answer string }{
		{"pazienza", "it", "vorrei comprare un tablet per mio figlio", "ah pazienza"},
		{"niente allora", "it", "cercate stampanti laser? me ne serve una", "ok, allora niente"},
		{"oh well", "en", "i'm looking for a tablet for my son", "oh well"},
		{"nothing then", "en", "do you sell printers? i need one", "ah ok nothing then"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			d.say(tc.ask)
			if d.s.Vars[varOffer] != offerElse {
				t.Fatalf("offer %q after %q, want the news and the offer of something else", d.s.Vars[varOffer], tc.ask)
			}
			d.say(tc.answer)
			if d.last.Handoff != nil {
				t.Errorf("%q handed off to %s, want nobody", tc.answer, d.last.Handoff.Team)
			}
		})
	}
}

// TestNotSoldTwiceNoThirdQuestion: a brand the shop does not sell, told
// twice for "which model?", gets the news and its offer of a person,
// not the model question a third time; "no" to the offer goes on.
func TestNotSoldTwiceNoThirdQuestion(t *testing.T) {
	for _, tc := range []struct{ name, hint, claim, brand, again, model, goOn string }{
		{"italiano", "it", "il mio telefono non si carica più", "è un huawei", "huawei, te l'ho detto", "Qual è il modello", "no"},
		{"english", "en", "my phone won't charge anymore", "a huawei", "I said huawei", "Which model", "no"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			contains(t, d.say(tc.claim), tc.model)
			d.say(tc.brand)
			out := d.say(tc.again)
			if strings.Contains(out, tc.model) {
				t.Errorf("the model asked a third time in a row: %q", out)
			}
			if d.s.Vars[varOffer] != offerElse {
				t.Errorf("offer %q, want the person offered", d.s.Vars[varOffer])
			}
			contains(t, d.say(tc.goOn), tc.model)
		})
	}
}

// TestClarifiedValuesKept: the values of the message the bot asked "A or
// B?" about are kept by the flow the answer picks, by its button or in
// words.
func TestClarifiedValuesKept(t *testing.T) {
	for _, tc := range []struct{ name, answer string }{
		{"button", "press Warranty and repairs"},
		{"words", "get it repaired please"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = "en"
			contains(t, d.say("send it back or get it fixed? dunno, my dyson v8 keeps cutting out"), "returns and refunds or warranty and repairs")
			if b, ok := strings.CutPrefix(tc.answer, "press "); ok {
				d.press(b)
			} else {
				d.say(tc.answer)
			}
			if d.s.Flow != "warranty" || d.s.Slots["product"] != "dyson-v8" {
				t.Errorf("flow %q, slots %v: want the claim about the dyson of the first message", d.s.Flow, d.s.Slots)
			}
		})
	}
}

// TestFreeAnswerIsWhole: the answer to a free question ("why would you
// like to return it?") is the whole message; a clause after its comma
// that resembles a purchase starts no sale.
func TestFreeAnswerIsWhole(t *testing.T) {
	b := mustShop(t)
	slots := map[string]string{"delivery_date": "2025-05-30", "return": "open", "start_return": "yes", "order_number": "SP-200101"}
	for _, tc := range []struct{ name, lang, text string }{
		{"italiano", "it", "la friggitrice non mi piace, ne vorrei una più piccola"},
		{"english", "en", "not happy with the headphones, I'd rather get a different model"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3,
				State: State{Flow: "returns", Slot: "return_reason", Slots: slots}})
			got := commandsText(cmds)
			if !strings.Contains(got, "set_slot(return_reason=") || strings.Contains(got, "start_flow(") {
				t.Errorf("commands %s, want the reason and no other flow", got)
			}
		})
	}
}

// TestQuestionInALongerMessage: a question the documents answer, told
// with more about the customer's case, is answered from its sentence.
func TestQuestionInALongerMessage(t *testing.T) {
	for _, tc := range []struct{ name, hint, text, want string }{
		{"english", "en", "do I need the original box? mine went out with the recycling last week", "original box"},
		{"italiano", "it", "serve la confezione originale? l'ho già buttata via purtroppo", "confezione originale"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			contains(t, d.say(tc.text), tc.want)
		})
	}
}

// TestYesWithTheRequestAfterAnAnswer: "did this help?" asked while the
// flow waits for its yes or no, a yes that names the flow's request
// answers the flow's question.
func TestYesWithTheRequestAfterAnAnswer(t *testing.T) {
	b := mustShop(t)
	slots := map[string]string{"delivery_date": "2025-05-30", "return": "open"}
	for _, tc := range []struct{ name, lang, text string }{
		{"english", "en", "ok yes go ahead with the return"},
		{"italiano", "it", "ok sì procedi pure con il reso"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3,
				State: State{Flow: "returns", Slot: "start_return", Slots: slots, Offer: offerFeedback}})
			if got := commandsText(cmds); !strings.Contains(got, "set_slot(start_return=yes") {
				t.Errorf("commands %s, want the yes to the return", got)
			}
		})
	}
}

// TestUnansweredQuestionInAFlow: a question of the customer's in a flow
// that no page answers is said to be unanswered, and the flow's question
// comes again as itself, not as a failed answer's retry.
func TestUnansweredQuestionInAFlow(t *testing.T) {
	for _, tc := range []struct{ name, hint, claim, question, unsure, prompt string }{
		{"italiano", "it", "il mio pixel 8 non si accende più", "ma voi fate anche assistenza a domicilio?", "non so rispondere", "Quando l'hai acquistato?"},
		{"english", "en", "my pixel 8 won't turn on any more", "by the way, can a technician come to my house?", "can't answer", "When did you buy it?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			contains(t, d.say(tc.claim), tc.prompt)
			out := d.say(tc.question)
			if !strings.Contains(out, tc.unsure) || !strings.Contains(out, tc.prompt) {
				t.Errorf("reply %q, want the question said unanswered and ours again", out)
			}
		})
	}
}

// TestSaleGoesOnAfterNotSold: after "we don't sell that: something
// else?", a message with values for the sale goes on with it, keeping
// what the first message told of it.
func TestSaleGoesOnAfterNotSold(t *testing.T) {
	for _, tc := range []struct{ name, hint, ask, goOn string }{
		{"italiano", "it", "avete portatili msi sotto gli 800 euro?", "va bene, allora uno dei vostri, sono un privato"},
		{"english", "en", "do you sell msi laptops under 800 euros?", "ok then one of yours, it's for me"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			d.say(tc.ask)
			if d.s.Flow != "" || d.s.Vars[varOffer] != offerElse {
				t.Fatalf("flow %q, offer %q: want the news and no sale yet", d.s.Flow, d.s.Vars[varOffer])
			}
			d.say(tc.goOn)
			if d.s.Flow != "sales" || d.s.Slots["buyer"] != "consumer" || d.s.Slots["category"] != "laptop" || d.s.Slots["budget"] == "" {
				t.Errorf("flow %q, slots %v: want the sale with the laptop, the budget and the buyer", d.s.Flow, d.s.Slots)
			}
		})
	}
}

// TestDateNotKnownInTheOpening: a claim that says the date is not known
// does not ask it; the catalogue's terms and the agent do the rest.
func TestDateNotKnownInTheOpening(t *testing.T) {
	for _, tc := range []struct{ name, hint, claim, notAsked string }{
		{"italiano", "it", "la friggitrice philips non scalda più, non ricordo quando l'ho comprata", "Quando l'hai acquistato"},
		{"english", "en", "the airfryer stopped heating, can't remember when I got it", "When did you buy it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			if out := d.say(tc.claim); strings.Contains(out, tc.notAsked) {
				t.Errorf("the date asked after %q: %q", tc.claim, out)
			}
			if _, ok := d.s.Slots["purchase_date"]; !ok || d.s.Flow != "warranty" {
				t.Errorf("flow %q, slots %v: want the claim with the date let go", d.s.Flow, d.s.Slots)
			}
		})
	}
}

// TestNotSoldWithAnAlternative: "do you sell X? if not, I need a Y": the
// news of X, and the sale of Y with what the message told of it.
func TestNotSoldWithAnAlternative(t *testing.T) {
	for _, tc := range []struct{ name, hint, text, news string }{
		{"italiano", "it", "avete droni? altrimenti mi serve un televisore per la sala, sui 700 euro", "non è tra i prodotti"},
		{"english", "en", "do you sell washing machines? if not I need a tv for the lounge, about 700 euros", "not among the products"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			contains(t, d.say(tc.text), tc.news)
			if d.s.Flow != "sales" || d.s.Slots["category"] != "tv" || d.s.Slots["budget"] == "" {
				t.Errorf("flow %q, slots %v: want the sale of the tv with its budget", d.s.Flow, d.s.Slots)
			}
		})
	}
}

// TestNotSoldThenNothingElse: after "we don't sell it: something else,
// or a person?", another brand not sold gets the same news, and a typed
// "no thanks" with no flow to go back to is the goodbye, not "let's try
// again".
func TestNotSoldThenNothingElse(t *testing.T) {
	for _, tc := range []struct{ name, hint, first, second, no, news, bye string }{
		{"english", "en", "do you have drones at all?", "hmm and a gopro?", "nope thats all, bye", "not among the products", "have a nice day"},
		{"italiano", "it", "vendete droni?", "e una gopro invece?", "no grazie ciao", "non è tra i prodotti", "buona giornata"},
		{"typed fast", "en", "have you got projectors", "what about a canon then", "no ty", "not among the products", "have a nice day"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			contains(t, d.say(tc.first), tc.news)
			contains(t, d.say(tc.second), tc.news)
			out := d.say(tc.no)
			contains(t, out, tc.bye)
			if d.s.Flow != "" || d.last.Handoff != nil {
				t.Errorf("flow %q, handoff %v: want no flow and no case", d.s.Flow, d.last.Handoff)
			}
		})
	}
}

// TestNotSoldThenOkAndAnother: at "something else, or a person?", an "ok"
// that goes on with something of the catalogue is the something else (a
// sale); an ok that asks for a person is the person.
func TestNotSoldThenOkAndAnother(t *testing.T) {
	for _, tc := range []struct {
		name, hint, first, then string
		sale                    bool
	}{
		{"ok and a kind sold", "en", "do u have drones", "ok and samsung phones?", true},
		{"ok e un portatile", "it", "vendete droni?", "ok e un portatile lenovo?", true},
		{"okay then a tv", "en", "any projectors?", "okay then an lg tv", true},
		{"ok a person", "en", "do you have drones at all?", "ok a person for my pixel 8 please", false},
		{"ok una persona", "it", "vendete droni?", "ok, una persona per favore", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			d.say(tc.first)
			d.say(tc.then)
			if got := d.s.Flow == "sales"; got != tc.sale {
				t.Errorf("%q: flow %q, handoff %v: want a sale %v", tc.then, d.s.Flow, d.last.Handoff != nil, tc.sale)
			}
			if !tc.sale && d.last.Handoff == nil {
				t.Errorf("%q: no person, want one", tc.then)
			}
		})
	}
}

// TestQuestionInASaleStaysInIt: a question in the middle of a purchase
// that an FAQ entry answers, only guessed at as another flow, is
// answered and the purchase goes on; a clear request, or one with its
// values, still starts the other flow.
func TestQuestionInASaleStaysInIt(t *testing.T) {
	b := mustShop(t)
	f := b.Flows["sales"]
	var ask *Step
	for _, st := range f.Steps {
		if st.Kind == StepAsk && st.Slot == "product" {
			ask = st
		}
	}
	faq := Command{Kind: CmdFAQ, FAQ: "shipping", Intent: "shipping", Confidence: 0.6}
	guess := Command{Kind: CmdStartFlow, Flow: "order_status", Intent: "order_status", Confidence: 0.7}
	for _, tc := range []struct {
		name, text string
		cmds       []Command
		keep       bool
	}{
		{"a guess beside the answer", "if I order it now when does it arrive?", []Command{faq, guess}, false},
		{"a clear request", "and where is my other order?", []Command{faq, {Kind: CmdStartFlow, Flow: "order_status", Confidence: 0.95}}, true},
		{"its values", "when does SP-123456 arrive?", []Command{faq, guess, {Kind: CmdSetSlot, Slot: "order_number", Flow: "order_status", Value: "SP-123456"}}, true},
		{"no question", "I will order it now then", []Command{faq, guess}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &conv{b: b, text: tc.text}
			got := c.answeredStays(tc.cmds, f, ask)
			if kept := hasKind(got, CmdStartFlow); kept != tc.keep {
				t.Errorf("commands %s: the other flow kept %v, want %v", commandsText(got), kept, tc.keep)
			}
		})
	}
}

// TestPersonKeepsWhatWasTold: a person asked for in a message that
// names an order number or a contact: the case card has them.
func TestPersonKeepsWhatWasTold(t *testing.T) {
	for _, tc := range []struct{ name, hint, text string }{
		{"italiano", "it", "basta, voglio parlare con un operatore adesso, l'ordine è SP-654987"},
		{"english", "en", "get me a real human now please, it's about order SP-654987"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			d.say(tc.text)
			if d.last.Handoff == nil || d.last.Handoff.Slots["order_number"] != "SP-654987" {
				t.Errorf("handoff %+v, want a case with the order number", d.last.Handoff)
			}
		})
	}
}

// A question put as a statement that names what it wants to know
// ("vorrei sapere i prezzi della spedizione", "I wanted to know your
// hours") asks: between an FAQ and a flow, the answer.
func TestQuestionPutAsAStatement(t *testing.T) {
	for _, text := range []string{"vorrei sapere i costi di spedizione per la sardegna", "volevo sapere gli orari di sabato",
		"I wanted to know the return address", "I'd like to know your opening hours on sunday"} {
		if !asksIndirectly(saying(text)) {
			t.Errorf("asksIndirectly(%q) = false, want a question", text)
		}
	}
	if asksIndirectly(saying("voglio rendere le cuffie")) {
		t.Errorf("a request read as a question")
	}
}

// TestGoingOnSaysYes: at "start a return?", the order number the return
// asks next says yes: the bot goes on, and never puts the question again.
func TestGoingOnSaysYes(t *testing.T) {
	for _, tc := range []struct{ name, hint, opening, order, next string }{
		{name: "en", hint: "en", opening: "can I give back the blender? it was delivered on Saturday", order: "it's order SP-200101",
			next: "Why would you like to return it"},
		{name: "it", hint: "it", opening: "posso restituire il frullatore? mi è arrivato sabato", order: "ordine SP-200101",
			next: "Perché vuoi restituirlo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.hint
			d.say(tc.opening)
			if d.s.Flow != "returns" || d.s.Slots["return"] != "open" {
				t.Fatalf("flow %q, return %q: want a return open", d.s.Flow, d.s.Slots["return"])
			}
			contains(t, d.say(tc.order), tc.next)
			if got := d.s.Slots["start_return"]; got != "yes" {
				t.Errorf("start_return %q, want yes", got)
			}
		})
	}
}

// TestUnknownBrandAndAGift: a customer who does not know the brand does
// not know the model either, and a product given as a present was a
// consumer's: a claim with a kind of product, a date and a defect asks
// neither, and decides.
func TestUnknownBrandAndAGift(t *testing.T) {
	for _, tc := range []struct{ name, lang, text, want string }{
		{name: "it", lang: "it", text: "il portatile me l'hanno regalato a marzo, non so che marca sia, ora non si accende più", want: "in garanzia"},
		{name: "en", lang: "en", text: "my laptop was a gift, bought here in march, I do not know the brand and it will not turn on anymore", want: "under warranty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = tc.lang
			out := d.say(tc.text)
			contains(t, out, tc.want)
			if d.last.Handoff == nil || d.s.Slots["buyer"] != "consumer" {
				t.Errorf("handoff %v, slots %v: want a consumer's claim handed off", d.last.Handoff, d.s.Slots)
			}
		})
	}
}

// TestProductOfTheAnswer: a flow started right after an FAQ answer is
// about the product the question named, unless the message names
// another kind of product; a later message does not inherit it.
func TestProductOfTheAnswer(t *testing.T) {
	for _, tc := range []struct {
		name, lang, faq, then string
		want, not             string // a reply that must (not) be said
	}{
		{name: "sale after shipping", lang: "en", faq: "how much does shipping cost for the dyson v8?", then: "great, id like to buy one then. private buyer, lia.b@example.com",
			not: "What kind of product"},
		{name: "claim after the terms", lang: "it", faq: "quanto e la garanzia sul thinkpad?", then: "ok perche il mio non si accende piu, comprato a gennaio 2025, privato",
			not: "Di che tipo di prodotto"},
		{name: "another kind named", lang: "it", faq: "quanto e la garanzia sul thinkpad?", then: "e il mio telefono non si accende piu, preso a gennaio 2025",
			want: "ThinkPad", not: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.say(tc.faq)
			got := d.say(tc.then)
			if tc.not != "" && strings.Contains(got, tc.not) {
				t.Errorf("%q after %q: replies %q, want no %q", tc.then, tc.faq, got, tc.not)
			}
			if tc.name == "another kind named" && strings.Contains(got, tc.want) {
				t.Errorf("%q after %q: replies %q, want nothing of the %s", tc.then, tc.faq, got, tc.want)
			}
		})
	}
	// Two messages on, the answer's product is forgotten.
	d := newDriver(t, mustShop(t), june2025)
	d.say("how long is the warranty on the dyson v8?")
	d.say("ok thanks")
	if got := d.say("i want to buy something for my kitchen"); strings.Contains(got, "Dyson") {
		t.Errorf("a later sale: replies %q, want no Dyson", got)
	}
}

// TestPurchaseDateBeforeTheClaim keeps a date told with a purchase's
// words before any request for the claim that follows: it is not asked
// again. A date with no cue says nothing of what it dates, and is not
// kept.
func TestPurchaseDateBeforeTheClaim(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		name, first, second string
		kept                bool
	}{
		{"it", "salve, l ho acquistato il 2 febbraio 2025", "il pixel non si accende piu", true},
		{"en", "hi, i bought it on march 4th this year", "the thinkpad keyboard stopped working", true},
		{"typo", "ciao, comprata il 12 genaio 2025 da privata", "la friggitrice fa un rumore strano", true},
		{"no cue", "ciao, oggi e il 2 febbraio", "il pixel non si accende piu", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, b, june3)
			d.say(tc.first)
			d.say(tc.second)
			if got := d.s.Slots["purchase_date"] != ""; got != tc.kept {
				t.Errorf("purchase_date = %q (step %s), want kept %v", d.s.Slots["purchase_date"], d.s.Step, tc.kept)
			}
		})
	}
}

// TestDeadlineIsNoPurchaseDate reads a date the customer wants
// something by ("entro venerdì", "by friday") as no purchase date: the
// claim asks when the product was bought.
func TestDeadlineIsNoPurchaseDate(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text string }{
		{"en", "the pixel keeps rebooting, i need it fixed by friday"},
		{"it", "il thinkpad non si accende e mi serve entro lunedi per lavoro"},
		{"en", "my dyson wont charge, can someone look at it no later than the 20th"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			if got := commandsText(cmds); strings.Contains(got, "purchase_date=") || !strings.Contains(got, "start_flow(warranty") {
				t.Errorf("commands %s: want a claim with no purchase date", got)
			}
		})
	}
}

// TestChatSpelledNotKnowing: a chat spelling reads as the word it stands
// for in the bot's phrases, so "nn ricordo qnd" does not know the date as
// "non ricordo quando" does: the claim asks no purchase date.
func TestChatSpelledNotKnowing(t *testing.T) {
	for _, text := range []string{
		"il thinkpad nn si accende, nn mi ricordo qnd l ho preso",
		"nn so qndo ho comprato il dyson ma nn aspira piu",
		"la tv lg ha righe verticali, nn ricordo la data d acquisto",
	} {
		t.Run(text, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = "it"
			contains(t, d.say(text), "privato o come azienda")
			if d.s.Flow != "warranty" {
				t.Errorf("flow %q, want warranty", d.s.Flow)
			}
		})
	}
}

// TestYesOrNoWithARequestAtAnythingElse: a yes or a no at "anything
// else?" that goes on with a request is the request, not a bare answer;
// one that names something without starting it asks what is wanted
// (never a goodbye).
func TestYesOrNoWithARequestAtAnythingElse(t *testing.T) {
	for _, tc := range []struct{ lang, opening, cancel, answer string }{
		{"it", "vorrei comprare una friggitrice", "annulla", "si un portatile"},
		{"it", "cerco un aspirapolvere", "lascia stare", "no cerco un telefono"},
		{"en", "I'd like to buy a vacuum", "cancel", "yes I want to buy a laptop"},
		{"en", "looking for a phone", "forget it", "no I need a tv"},
	} {
		t.Run(tc.answer, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.lang
			d.say(tc.opening)
			d.say(tc.cancel)
			d.say(tc.answer)
			if d.s.Flow != "sales" {
				t.Errorf("flow %q after %q, want sales; the bot said:\n%s", d.s.Flow, tc.answer, replies(d.last))
			}
		})
	}
}

// TestNoNamingSomethingAtAnythingElseIsNoGoodbye: "no, a tv then" at
// "anything else?" names what is wanted: the bot asks, it does not say
// goodbye.
func TestNoNamingSomethingAtAnythingElseIsNoGoodbye(t *testing.T) {
	for _, tc := range []struct{ lang, opening, cancel, answer, not string }{
		{"en", "looking for a phone", "forget it", "no a tv then", "nice day"},
		{"en", "I'd like to buy a vacuum", "cancel", "yes a laptop please", "other words"},
		{"it", "cerco un aspirapolvere", "annulla", "no allora una tv", "buona giornata"},
	} {
		t.Run(tc.answer, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.lang
			d.say(tc.opening)
			d.say(tc.cancel)
			if got := d.say(tc.answer); strings.Contains(strings.ToLower(got), tc.not) {
				t.Errorf("%q got %q", tc.answer, got)
			}
		})
	}
}

// TestBareYesOrNoAtAnythingElse: "can I help you with anything else?"
// after an answer that helped is a question too: a bare yes asks what,
// a bare no says goodbye; neither is "say it in other words".
func TestBareYesOrNoAtAnythingElse(t *testing.T) {
	for _, tc := range []struct{ lang, question, helped, answer, want string }{
		{"it", "a che ora aprite il sabato?", "sì, grazie", "si", "dimmi pure"},
		{"it", "accettate il pagamento con paypal?", "sì", "sì certo", "dimmi pure"},
		{"it", "quanto costa la spedizione?", "sì grazie", "no grazie", "buona giornata"},
		{"en", "are you open on saturday?", "yes", "yes please", "what can I do for you"},
		{"en", "can I pay with paypal?", "yes thanks", "no thanks", "have a nice day"},
		{"en", "how much is shipping?", "yes", "nope", "have a nice day"},
	} {
		t.Run(tc.answer, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.lang
			d.say(tc.question)
			d.say(tc.helped)
			contains(t, strings.ToLower(d.say(tc.answer)), strings.ToLower(tc.want))
		})
	}
}

// TestNeverMindAtDidThisHelp: "never mind" at "did this help?" lets the
// question go: a polite close, no "sorry it did not help" and no person
// offered again.
func TestNeverMindAtDidThisHelp(t *testing.T) {
	for _, tc := range []struct{ lang, question, drop, want, not string }{
		{"en", "when do you open on saturdays?", "forget it", "anything else", "I'm sorry"},
		{"en", "do you take paypal?", "ah nevermind", "anything else", "I'm sorry"},
		{"it", "quali sono gli orari di apertura?", "lascia stare", "in altro", "Mi dispiace"},
		{"it", "posso pagare con paypal?", "vabbè non importa più", "in altro", "Mi dispiace"},
	} {
		t.Run(tc.drop, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.lang
			contains(t, d.say(tc.question), "?")
			out := d.say(tc.drop)
			contains(t, out, tc.want)
			if strings.Contains(out, tc.not) || d.last.Handoff != nil {
				t.Errorf("%q at \"did this help?\" got %q", tc.drop, out)
			}
		})
	}
}
