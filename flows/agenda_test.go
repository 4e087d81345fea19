package flows

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/sportello/sportello/bot"
)

// TestAgendaSecondRequest asks for an order's status and, in the same
// message, tells of a defect: the order is looked up first, then the
// claim starts by itself with what the message told of it, and asks
// only what it does not know.
func TestAgendaSecondRequest(t *testing.T) {
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	d.hint = "en"
	out := d.say("two things - has order SP-123456 shipped yet, and my pixel 8 randomly reboots, bought it last october")
	contains(t, out, "your other request too (warranty)", "postcode")
	if d.s.Flow != "order_status" {
		t.Fatalf("flow %q, want order_status first", d.s.Flow)
	}
	if !slices.ContainsFunc(d.last.Events, func(e bot.Event) bool {
		return e.Type == bot.EventCommand && e.Action == string(CmdQueue) && e.Flow == "warranty"
	}) {
		t.Errorf("no queue_flow(warranty) command recorded in %+v", d.last.Events)
	}
	out = d.say("20121")
	contains(t, out, "2 June 2025", "Now, your other request (warranty).", "private customer or as a business")
	if strings.Contains(out, "I found order") {
		t.Errorf("the claim for the pixel looked up the other request's order: %q", out)
	}
	if d.s.Flow != "warranty" || d.s.Slots["product"] != "pixel-8" || d.s.Slots["purchase_date"] != "2024-10" {
		t.Fatalf("flow %q, slots %v: want the claim for the pixel 8 bought in October 2024", d.s.Flow, d.s.Slots)
	}
	contains(t, d.press("Private customer"), "under warranty")
	if d.last.Handoff == nil || d.last.Handoff.Team != "support" {
		t.Fatalf("handoff %+v, want support", d.last.Handoff)
	}
}

// TestAgendaInTheOrderAsked: the request asked first is taken first
// though a later part's words decide the whole message, and the queued
// one takes its own order, checked with the proof the customer gave.
func TestAgendaInTheOrderAsked(t *testing.T) {
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	d.hint = "en"
	d.say("when will SP-123456 arrive? and I'd like to return the iphone of order SP-200108, it's too small for me")
	if d.s.Flow != "order_status" || d.s.Slots["order_number"] != "SP-123456" {
		t.Fatalf("flow %q, slots %v: want the status of SP-123456 first", d.s.Flow, d.s.Slots)
	}
	out := d.say("giulia.bianchi@example.it")
	contains(t, out, "5 June 2025", "Now, your other request (return).")
	if got := d.lookupEvents(); !slices.Contains(got, LookupFound+" SP-200108") {
		t.Errorf("lookups %v: the return did not look up its own order with the proof given", got)
	}
	if strings.Contains(out, "postcode") {
		t.Errorf("the proof was asked again for the second order: %q", out)
	}
}

// TestAgendaDroppedByAPerson: a person who takes the conversation
// takes the second request with it, on the case card; the bot does not
// start it later.
func TestAgendaDroppedByAPerson(t *testing.T) {
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	d.hint = "en"
	d.say("has order SP-123456 shipped yet? and my pixel 8 randomly reboots")
	if d.s.Vars[varAgenda] == "" {
		t.Fatalf("nothing on the agenda after two requests: vars %v", d.s.Vars)
	}
	d.say("I want to talk to a person")
	if d.s.Vars[varAgenda] != "" {
		t.Errorf("agenda %q kept after the handoff", d.s.Vars[varAgenda])
	}
	h := d.last.Handoff
	if h == nil || !slices.ContainsFunc(h.Summary, func(l string) bool { return strings.Contains(l, "my pixel 8 randomly reboots") }) {
		t.Errorf("handoff %+v: the card does not carry the queued request", h)
	}
}

// TestPartQuestionsAnswered: a question in a part of the message that
// the whole's reading missed is answered, before the flow or the person.
func TestPartQuestionsAnswered(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ name, lang, text, want string }{
		{"beside a person", "en", "what time do you open tomorrow? and can i talk to a real person please", "faq(hours"},
		{"two questions and an order", "en", "what are your hours and do you take amex? also my order SP-998877 still hasnt come", "faq(payments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			got := commandsText(cmds)
			if !strings.Contains(got, tc.want) {
				t.Errorf("commands %s lack %s", got, tc.want)
			}
			if h := strings.Index(got, "human("); h >= 0 && strings.Index(got, tc.want) > h {
				t.Errorf("commands %s: the answer comes after the person", got)
			}
		})
	}
}

// TestOneRequestNotQueued: a message that asks for one thing, in words
// joined by "and", queues nothing.
func TestOneRequestNotQueued(t *testing.T) {
	b := mustShop(t)
	for _, text := range []string{
		"my macbook air's trackpad stopped clicking. i bought it about two and a half years ago, personal use",
		"posso gia chiedere il reso dell'ordine SP-123456? ho trovato lo stesso telefono a meno su un altro sito",
		"my tv arrived smashed, box all crushed. order SP200105",
	} {
		cmds, _ := rules{b}.Understand(context.Background(), Input{Text: text, Lang: "en", Now: june3})
		if hasKind(cmds, CmdQueue) {
			t.Errorf("%q: %s queues a second request", text, commandsText(cmds))
		}
	}
}

// TestSecondRequestOrNot: a part that asks for a purchase is queued
// after the order's status; a part that tells what the customer
// ordered, or who it is for, asks for nothing of its own.
func TestSecondRequestOrNot(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		name, lang, text, want string
	}{
		{"asked outright", "it", "il mio ordine SP-123456 è partito? e volevo anche un aspirapolvere dyson", "queue_flow(sales"},
		{"a subject alone is no part", "en", "where's my parcel SP-123456? and i also want to buy a dyson vacuum", "queue_flow(sales \"and i also want"},
		{"what was ordered", "en", "has SP-123456 shipped yet? it's the three pixels we ordered for our staff, the team keeps asking", ""},
		// A discount for a kind of customer is a policy (beyondFlows), no
		// purchase to queue, whichever flow the message starts.
		{"a policy, it", "it", "vorrei restituire le cuffie, e volevo anche chiedere se fate sconti ai pensionati", ""},
		{"a policy, en", "en", "I'd like to return the blender, and I also wanted to know if you give discounts to teachers", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			got := commandsText(cmds)
			if tc.want == "" && hasKind(cmds, CmdQueue) || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("%q: commands %s, want %q", tc.text, got, tc.want)
			}
		})
	}
}

// TestQuestionOfTheTerms: a later part that asks how the flow the
// message starts goes ("and the refund, how long?") is answered from
// the documents, and is no free answer of the flow's; a first part
// that asks for the flow is the request.
func TestQuestionOfTheTerms(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		name, text, want, not string
	}{
		{"after the request", "voglio fare il reso del pixel 8, ordine SP-123456. il rimborso quanto ci mette?", `documents("il rimborso quanto ci mette")`, "return_reason"},
		{"the request itself", "dove si trova il mio pacco?? non mi è ancora arrivato niente", "start_flow(order_status", "documents("},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: "it", Now: june3})
			got := commandsText(cmds)
			if !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
				t.Errorf("%q: commands %s, want %s and no %s", tc.text, got, tc.want, tc.not)
			}
		})
	}
}

// TestOnItsWayAndAQuestion: "on its way" asks for the order's status
// outright, beside a question for an FAQ: both are carried out.
func TestOnItsWayAndAQuestion(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text string }{
		{"en", "is my parcel SP-123456 on its way? and can i pay with apple pay next time"},
		{"it", "ciao, l'ordine SP-123456 è in viaggio? e accettate satispay"},
	} {
		cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
		if got := commandsText(cmds); !strings.Contains(got, "faq(payments") || !strings.Contains(got, "start_flow(order_status") {
			t.Errorf("%q: commands %s, want the payments FAQ and the order's status", tc.text, got)
		}
	}
}

// TestWhereIsTheOrderMidClaim: "dov'è l'ordine ...?" in the middle of a
// claim that reads orders asks where the order is: a digression, not the
// claim's order.
func TestWhereIsTheOrderMidClaim(t *testing.T) {
	b := mustShop(t)
	in := Input{Text: "un attimo, dov'è l'ordine SP-123456? l'email è giulia.bianchi@example.it", Lang: "it", Now: june3,
		State: State{Flow: "warranty", Slot: "purchase_date"}}
	cmds, _ := rules{b}.Understand(context.Background(), in)
	if got := commandsText(cmds); !strings.HasPrefix(got, "start_flow(order_status") {
		t.Errorf("commands %s, want the order's status first", got)
	}
}

// TestWarrantyTermsAsked: a question of the warranty of a product that
// tells nothing of one of the customer's asks for the terms, alone or
// beside another question; a defect of theirs is a claim.
func TestWarrantyTermsAsked(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ text, want, not string }{
		{"whats the warranty on the dyson v8 please?", "faq(warranty_terms", "start_flow("},
		{"whats the warranty on the iphone 15 and how long is delivery?", "faq(warranty_terms", "start_flow("},
		{"whats the warranty on my macbook air? the keyboard stopped working", "start_flow(warranty", "faq(warranty_terms"},
	} {
		cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: "en", Now: june3})
		if got := commandsText(cmds); !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
			t.Errorf("%q: commands %s, want %s and no %s", tc.text, got, tc.want, tc.not)
		}
	}
}

// TestReasonIsNoClaim: at "why would you like to return it?", what
// only sounds like a claim, with no defect told, is the reason.
func TestReasonIsNoClaim(t *testing.T) {
	b := mustShop(t)
	for _, text := range []string{"it doesn't fit on the shelf in my hallway", "the colour doesn't match my kitchen"} {
		in := Input{Text: text, Lang: "en", Now: june3, State: State{Flow: "returns", Slot: "return_reason"}}
		cmds, _ := rules{b}.Understand(context.Background(), in)
		if got := commandsText(cmds); !strings.HasPrefix(got, "set_slot(return_reason=") || hasKind(cmds, CmdStartFlow) {
			t.Errorf("%q: commands %s, want the reason and no claim", text, got)
		}
	}
}

// TestPartsKeepAccentlessVerb: "a che punto e" is "è" written without
// its accent, no "and" between two requests.
func TestPartsKeepAccentlessVerb(t *testing.T) {
	b := mustShop(t)
	u := b.newUnderstanding(Input{Text: "salve, a che punto e il pacco SP-123456? e posso pagare con paypal", Lang: "it", Now: june3})
	var got []string
	for _, p := range u.parts() {
		got = append(got, p.text)
	}
	if len(got) != 2 || !strings.Contains(got[0], "a che punto e il pacco") {
		t.Errorf("parts %q, want the question whole and the payment", got)
	}
}

// TestResumedWithThanks: "ok thanks, I bought it in march" at "shall we
// pick up where we left off?" goes on with the claim, with no "you're
// welcome, anything else?" before its next question.
func TestResumedWithThanks(t *testing.T) {
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	d.hint = "en"
	d.say("my pixel 8 keeps rebooting")
	d.say("where is my order SP-123456?")
	contains(t, d.say("20121"), "pick up where we left off")
	out := d.say("ok thanks, I bought it in march 2025")
	contains(t, out, "private customer or as a business")
	if strings.Contains(out, "welcome") {
		t.Errorf("the resumed claim's question comes after a goodbye: %q", out)
	}
	if d.s.Flow != "warranty" || d.s.Slots["purchase_date"] != "2025-03" {
		t.Errorf("flow %q, slots %v: want the claim with its date", d.s.Flow, d.s.Slots)
	}
}

// TestBrandInCategory: a brand told for "which model?" is the one
// product of that brand in the category the conversation is about.
func TestBrandInCategory(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ cat, text, want string }{
		{"tv", "la samsung", "set_slot(product=samsung-qled-55"},
		{"phone", "il samsung", "set_slot(product=galaxy-a55"},
	} {
		st := State{Flow: "warranty", Slot: "product", Slots: map[string]string{"category": tc.cat}}
		cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: "it", Now: june3, State: st})
		if got := commandsText(cmds); !strings.Contains(got, tc.want) {
			t.Errorf("%q asked which %s: %s, want %s", tc.text, tc.cat, got, tc.want)
		}
	}
}

// TestAgendaAskedForLater: the customer asks for the queued request
// themselves, before the first ends: it starts with what the first
// message told of it.
func TestAgendaAskedForLater(t *testing.T) {
	d := newDriver(t, mustShop(t), june3)
	d.hint = "it"
	d.say("la samsung qled comprata nel 2022 ha delle righe verticali, immagino sia fuori garanzia. l'avevo presa da privato. in caso ne prenderei una nuova, tipo la lg oled")
	if d.s.Flow != "warranty" || d.s.Vars[varAgenda] == "" {
		t.Fatalf("flow %q, agenda %q: want the claim, the sale queued", d.s.Flow, d.s.Vars[varAgenda])
	}
	d.say("no, il preventivo non mi interessa, passiamo alla tv nuova")
	if d.s.Flow != "sales" || d.s.Slots["product"] != "lg-oled-55" {
		t.Errorf("flow %q, slots %v: want the sale of the LG OLED", d.s.Flow, d.s.Slots)
	}
}

// TestEndedFlowNotAgain: a message after an order's status that names
// the order again and tells of a defect is the claim, not the same
// lookup once more.
func TestEndedFlowNotAgain(t *testing.T) {
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	d.hint = "it"
	d.say("a che punto è l'ordine SP-200102? la mail è marco.rossi@example.com")
	if d.s.Flow != "" {
		t.Fatalf("flow %q after the order's status, want it ended", d.s.Flow)
	}
	d.say("ok è quello, arrivato. però il macbook di quell'ordine ha la tastiera che scrive doppie lettere")
	if d.s.Flow != "warranty" || d.s.Slots["product"] != "macbook-air" {
		t.Errorf("flow %q, slots %v: want the claim for the macbook", d.s.Flow, d.s.Slots)
	}
}

// TestDeclineAfterAnAnswer: "non ho un modello in mente" after an
// answer's "did this help?" declines the sale's question; it rates no
// answer, and the sale goes on.
func TestDeclineAfterAnAnswer(t *testing.T) {
	d := newDriver(t, mustShop(t), june3)
	d.hint = "it"
	d.say("vorrei comprare una tv da 55 pollici")
	contains(t, d.say("ah, e quanto costa la spedizione?"), "corriere espresso", "modello")
	out := d.say("non ho un modello in mente")
	contains(t, out, "Hai un budget") // "una tv" is one: no "how many?"
	if strings.Contains(out, "Mi dispiace") {
		t.Errorf("the decline taken for a rating of the answer: %q", out)
	}
}

// TestDigressionLeavesTheOrder: a claim that interrupts an order's
// status does not look up that order for its product; going back to
// the order finds it again.
func TestDigressionLeavesTheOrder(t *testing.T) {
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	d.hint = "it"
	d.say("dov'è il mio ordine SP-123456?")
	out := d.say("intanto, il mio pixel 8 non si accende più, l'ho comprato a marzo")
	contains(t, out, "privato o come azienda")
	if strings.Contains(out, "SP-123456") || d.s.Slots["order_number"] != "" {
		t.Errorf("the claim for the pixel took the other request's order: %q, slots %v", out, d.s.Slots)
	}
	if len(d.s.Stack) != 1 || d.s.Stack[0].Slots["order_number"] != "SP-123456" {
		t.Errorf("stack %+v: want the order's status kept with its order", d.s.Stack)
	}
}

// TestClassifiedAsSpaces: a clause of the message and the same words
// as a part of it, without the spaces around them, share one answer of
// the classifier (understanding.classify): nlu must give them the same.
func TestClassifiedAsSpaces(t *testing.T) {
	b := mustShop(t)
	for _, text := range []string{
		"ditemi voi come fare perché non posso stare senza",
		"Could you please advise on the next steps",
		"is there a fee for paying with paypal?",
		"e poi\tquanto costa la spedizione",
	} {
		for _, spaced := range []string{" " + text, text + " ", "  " + text + "\n", "\u00a0" + text} {
			if b.classifiedAs(spaced) != b.classifiedAs(text) {
				t.Fatalf("%q kept apart from %q", spaced, text)
			}
			if got, want := b.Classify(spaced), b.Classify(text); !slices.Equal(got, want) {
				t.Errorf("Classify(%q) = %v, Classify(%q) = %v: one answer kept for both", spaced, got, text, want)
			}
		}
	}
}

// TestDeliveryOfTheReturnQueuesNothing: a part that only tells when the
// product to return came ("the phone was delivered two days ago"), with
// no fault and no question, is the return's story: no claim or order's
// status is queued beside it.
func TestDeliveryOfTheReturnQueuesNothing(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text string }{
		{"en", "how do returns work? the phone was delivered two days ago and I'm not sure about it"},
		{"it", "come funziona il reso? l'aspirapolvere è arrivato martedì e non mi convince"},
		{"it", "come si fa il reso? la friggitrice mi è arrivata lunedì scorso e non so se mi piace"},
	} {
		cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june2025})
		if got := commandsText(cmds); !strings.HasPrefix(got, "start_flow(returns") || strings.Contains(got, "queue_flow") {
			t.Errorf("%q: %s, want the return alone", tc.text, got)
		}
	}
}

// TestWrongAddressIsAChange: a customer who tells they got the address
// of an order wrong asks for it to be changed, whatever the order number
// pulls to: a change for a person, not the order's status.
func TestWrongAddressIsAChange(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text string }{
		{"it", "nell'ordine SP-200103 ho messo il vecchio indirizzo, si può sistemare?"},
		{"it", "ho sbagliato indirizzo per SP-200104, manca l'interno"},
		{"en", "I typed the wrong address for SP-200103, the street number is off"},
		{"en", "order SP-200104: I used my old address by mistake, can you fix it?"},
	} {
		cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june2025})
		if got := commandsText(cmds); !strings.HasPrefix(got, "start_flow(order_change") {
			t.Errorf("%q: %s, want order_change", tc.text, got)
		}
	}
}

// TestOrderChangeBesideItsStatus: cancelling an order named by its
// number, or one of its items beside the question of its status, is a
// change for a person; queued after the status, it keeps the order.
func TestOrderChangeBesideItsStatus(t *testing.T) {
	b := mustShop(t)
	for _, text := range []string{
		"pls cancel SP-123456 asap",
		"vorrei annullare SP-200103, ho sbagliato",
		"can you cancel my SP-200101 order",
	} {
		cmds, _ := rules{b}.Understand(context.Background(), Input{Text: text, Lang: "en", Now: june2025})
		if got := commandsText(cmds); !strings.Contains(got, "start_flow(order_change") {
			t.Errorf("%q: %s, want order_change", text, got)
		}
	}
	for _, text := range []string{
		"when does SP-123456 arrive? and we want to cancel one of the phones",
		"quando arriva SP-123456? e vorrei annullarne uno dei due",
	} {
		d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
		d.hint = text[:2]
		d.say(text)
		if d.s.Flow != "order_status" {
			t.Fatalf("%q: flow %q, want order_status first", text, d.s.Flow)
		}
		d.say("20121")
		if d.last.Handoff == nil || d.last.Handoff.Team != "support" || d.last.Handoff.Slots["order_number"] != "SP-123456" {
			t.Errorf("%q: handoff %v, want support with SP-123456", text, d.last.Handoff != nil)
		}
	}
}

// TestAgendaBuyInstead reads a purchase joined to a return or a claim
// by a bare infinitive ("e prendere un thinkpad", "and buy an iphone"):
// the sale is queued with its own product, and its words are no reason
// of the return.
func TestAgendaBuyInstead(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, queued string
	}{
		{"it", "vorrei rendere la friggitrice dell'ordine SP-200103 e comprare una dyson", `queue_flow(sales "comprare una dyson"`},
		{"en", "I'd like to send back the pixel from SP-200104 and buy an iphone 15 instead", `queue_flow(sales "buy an iphone 15 instead"`},
		{"it", "devo restituire il portatile e prendere un macbook al posto suo", `queue_flow(sales "prendere un macbook al posto suo"`},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			got := commandsText(cmds)
			if !strings.Contains(got, tc.queued) {
				t.Errorf("commands %s lack %s", got, tc.queued)
			}
			if strings.Contains(got, "return_reason=") {
				t.Errorf("commands %s take the purchase for the return's reason", got)
			}
		})
	}
}

// TestHowToBesideAnotherRequest: a part of the message that asks how to
// do something is the documents' beside the whole message's FAQ, answered
// at once; beside a flow it waits on the agenda, and is answered when the
// flow ends.
func TestHowToBesideAnotherRequest(t *testing.T) {
	for _, c := range []struct{ lang, text, want string }{
		{"en", "quick one, how can i reset the lg tv to factory settings, and how long is its warranty?", "0000"},
		{"it", "come si resetta la tv lg alle impostazioni di fabbrica? e quanto dura la garanzia", "0000"},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		out := d.say(c.text)
		contains(t, out, c.want, "36")
		if !slices.ContainsFunc(d.last.Events, func(e bot.Event) bool { return e.Type == bot.EventAction && e.Action == "faq" }) {
			t.Errorf("%q: no FAQ answered", c.text)
		}
	}
	for _, c := range []struct{ lang, text, want string }{
		{"en", "wheres SP-123456 and also how do i descale the magnifica", "45 minutes"},
		{"it", "a che punto e SP-123456? poi come si decalcifica la magnifica che ho a casa", "decalcificante"},
		{"en", "has SP-123456 left yet? and how do i reset my lg tv to factory settings", "0000"},
	} {
		d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
		d.hint = c.lang
		out := d.say(c.text)
		if strings.Contains(out, c.want) || d.s.Flow != "order_status" {
			t.Errorf("%q: flow %q, the question answered before the order's: %q", c.text, d.s.Flow, out)
		}
		out = d.say("20121")
		contains(t, out, "SP-123456", c.want)
		if d.s.Vars[varAgenda] != "" {
			t.Errorf("%q: agenda %q left", c.text, d.s.Vars[varAgenda])
		}
	}
}

// TestOldOneBrokeIsASale: a fault of the customer's old product beside a
// purchase is why they buy: the sale starts with the message's values,
// and no claim is made or queued; a fault of their product with no old
// one named is still a claim, the sale after it.
func TestOldOneBrokeIsASale(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		flow       string
		queued     bool
	}{
		{"it", "il mio vecchio telefono non si accende piu. cerco uno smartphone sotto i 300 euro", "sales", false},
		{"en", "my old laptop died last week. looking for a new laptop around 800 euros, just one", "sales", false},
		{"it", "la tv vecchia di mio padre si e rotta. vorrei comprare una tv nuova per lui, max 500 euro", "sales", false},
		{"it", "il mio pixel 8 non si accende piu. vorrei anche comprare una friggitrice", "warranty", true},
		// Asked whether the old one is covered, it is a claim first.
		{"en", "my old pixel 8 stopped charging, is it covered still? i might also buy a new phone", "warranty", true},
		// Its purchase told, the old one is checked first.
		{"it", "il mio vecchio macbook air preso a gennaio 2025 non si accende. ne vorrei comprare un altro per l ufficio", "warranty", true},
		// An old one of another kind is still a claim, the sale after it.
		{"it", "il mio vecchio iphone 15 non carica piu. vorrei anche comprare una friggitrice", "warranty", true},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june2025})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			started := ""
			for _, c := range cmds {
				got = append(got, c.String())
				if c.Kind == CmdStartFlow {
					started = c.Flow
				}
			}
			if started != tc.flow || hasKind(cmds, CmdQueue) != tc.queued {
				t.Errorf("commands %s: flow %q (queued %v), want %q (queued %v)", strings.Join(got, " "), started, hasKind(cmds, CmdQueue), tc.flow, tc.queued)
			}
		})
	}
}

// TestHowToDoThatTakesTheQuestionBefore: "how do I do that?" asks how to
// do what the question before it named; the pages are asked both, in a
// flow as outside one.
func TestHowToDoThatTakesTheQuestionBefore(t *testing.T) {
	for _, c := range []struct{ lang, first, text, want string }{
		{"it", "la magnifica fa il caffe tiepido", "devo decalcificarla? come si fa?", "decalcificante"},
		{"en", "my magnifica leaks a bit", "does it need descaling? how would i do it?", "magnifica-s-descaling"},
		{"en", "my lg oled keeps freezing on the menu", "would a factory reset help? how do i do that", "0000"},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		d.say(c.first)
		contains(t, d.say(c.text), c.want)
	}
}

// TestRequestForPagesWaitsForTheFlow: a request beside an order's status
// that no flow or FAQ takes waits for the order; when no page answers
// it, the bot says so and offers a person, and a yes hands off.
func TestRequestForPagesWaitsForTheFlow(t *testing.T) {
	for _, c := range []struct{ lang, text, yes string }{
		{"it", "mi dite a che punto e SP-123456? e poi mi servirebbe una copia dello scontrino intestata a mio padre", "si"},
		{"en", "has SP-123456 shipped yet? and i need the receipt made out to my father please", "yes"},
		{"it", "dove si trova il pacco SP-123456? mi servirebbe anche il numero di serie del telefono per l assicurazione", "si grazie"},
	} {
		d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
		d.hint = c.lang
		d.say(c.text)
		if d.s.Flow != "order_status" || d.s.Vars[varAgenda] == "" {
			t.Fatalf("%q: flow %q, agenda %q: want the order first, the request waiting", c.text, d.s.Flow, d.s.Vars[varAgenda])
		}
		out := d.say("20121")
		contains(t, out, "SP-123456", mustShop(t).text(TextDocumentsNoAnswer, c.lang))
		d.say(c.yes)
		if d.last.Handoff == nil {
			t.Errorf("%q: no handoff after %q", c.text, c.yes)
		}
	}
	// What tells of the first request waits for nothing.
	for _, text := range []string{"where is SP-123456? i need it by friday for a party", "a che punto e SP-123456? ho bisogno di saperlo per organizzarmi"} {
		d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
		d.say(text)
		if d.s.Vars[varAgenda] != "" {
			t.Errorf("%q: agenda %q, want none", text, d.s.Vars[varAgenda])
		}
	}
}

// TestOneCaseForTwoRequestsOfATeam: a fault told first and an order asked
// after it ("my pixel 8 flickers ..., and where is my order SP-...?") are
// taken in that order, the claim first; when both end with the same team
// in the one turn (a repair covered, a late or lost order), one case
// carries both, the claim's lines first. When the order's request would
// first ask something (no proof) or needs no person (on time), the claim
// hands off alone with the order's request on its card, as before.
func TestOneCaseForTwoRequestsOfATeam(t *testing.T) {
	for _, tc := range []struct {
		lang, text string
		together   bool
	}{
		{"en", "my pixel 8 screen flickers, bought it in april 2025 for myself, and where is my order SP-200103? giulia.bianchi@example.it", true},
		{"it", "il mio iphone 15 non si accende più, comprato a gennaio 2025 da privato, e dov'è il mio ordine SP-200103? cap 20121", true},
		{"en", "my dyson v8 lost suction, I bought it in january 2025 for home, and where is my order SP-200104? 20121", true},
		// Near misses: the claim hands off alone.
		{"en", "my pixel 8 screen flickers, bought it in april 2025 for myself, and where is my order SP-200103?", false},
		{"en", "my pixel 8 screen flickers, bought it in april 2025 for myself, and where is my order SP-123456? 20121", false},
	} {
		t.Run(tc.text, func(t *testing.T) {
			d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
			d.hint = tc.lang
			d.say(tc.text)
			var started []string
			for _, e := range d.last.Events {
				if e.Type == bot.EventFlowStarted {
					started = append(started, e.Flow)
				}
			}
			h := d.last.Handoff
			if h == nil || h.Team != "support" || len(started) == 0 || started[0] != "warranty" || d.s.Slots["warranty"] != "covered" {
				t.Fatalf("flows %v, handoff %+v, slots %v: want the covered claim first and a case for support", started, h, d.s.Slots)
			}
			hasOrder := h.Slots["order_number"] != ""
			if tc.together != (slices.Equal(started, []string{"warranty", "order_status"}) && hasOrder) {
				t.Errorf("flows %v, case slots %v, summary %q: want the two together: %v", started, h.Slots, h.Summary, tc.together)
			}
			if !tc.together && !slices.ContainsFunc(h.Summary, func(l string) bool { return strings.Contains(l, "SP-") }) {
				t.Errorf("summary %q: the card does not carry the queued request", h.Summary)
			}
		})
	}
	// Both requests tell the one thing (the claim looked up the order the
	// carrier lost, and so did the order's status): the card says it once.
	d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
	d.hint = "en"
	d.say("the galaxy a55 I bought in february 2025 for home keeps rebooting, and what happened to my order SP-200104? 20121")
	h := d.last.Handoff
	if h == nil {
		t.Fatalf("no case after %q", replies(d.last))
	}
	once := func(l []string) bool { return len(slices.Compact(slices.Sorted(slices.Values(l)))) == len(l) }
	if !once(strings.Split(h.Reason, "; ")) || !once(h.Summary) {
		t.Errorf("reason %q, summary %q: a line twice", h.Reason, h.Summary)
	}
}

// A product that came broken is the delivery's problem: the order's flow
// starts with the parcel read as arrived damaged, and asks the order, not
// the model. A fault of the customer's, or one that showed after the
// arrival, stays the warranty's.
func TestArrivedBrokenIsTheOrders(t *testing.T) {
	for _, tc := range []struct {
		text, hint, flow string
	}{
		{"the blender I ordered came with a cracked jug", "en", "order_status"},
		{"my new laptop was delivered with the hinge all bent", "en", "order_status"},
		{"la lavatrice è arrivata con l'oblò spaccato", "it", "order_status"},
		{"il frullatore mi è arrivato con la caraffa crepata", "it", "order_status"},
		// Near misses: the customer's accident, a fault after the arrival.
		{"I dropped my laptop and the hinge is bent", "en", "warranty"},
		{"mi è caduto il telefono e lo schermo si è crepato", "it", "warranty"},
		{"the laptop arrived last month and now it won't turn on", "en", "warranty"},
	} {
		d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
		d.hint = tc.hint
		d.say(tc.text)
		if d.s.Flow != tc.flow {
			t.Errorf("%q starts %q, want %q", tc.text, d.s.Flow, tc.flow)
		}
		if got := d.s.Slots["parcel"]; (got == codeArrivedDamaged) != (tc.flow == "order_status") {
			t.Errorf("%q: parcel %q", tc.text, got)
		}
	}
}
