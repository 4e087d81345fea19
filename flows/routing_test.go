package flows

import (
	"context"
	"strings"
	"testing"
)

// A routingCase is a message read in a state of the demo shop's
// conversation, and the commands it must and must not give.
type routingCase struct {
	name, lang, text string
	flow, slot       string
	slots            map[string]string
	offer            string
	want, not        []string
}

// checkRouting reads each case with the demo shop and checks its commands.
func checkRouting(t *testing.T, cases []routingCase) {
	t.Helper()
	b := mustShop(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Text: tc.text, Lang: tc.lang, Now: june2025,
				State: State{Flow: tc.flow, Slot: tc.slot, Slots: tc.slots, Offer: tc.offer}}
			cmds, err := rules{b}.Understand(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			all := commandsText(cmds)
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("%q: commands %s, want %s", tc.text, all, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(all, w) {
					t.Errorf("%q: commands %s, want no %s", tc.text, all, w)
				}
			}
		})
	}
}

// TestAcknowledgeNews: after "something else, or a person?", words that
// only take the news ask for nobody.
func TestAcknowledgeNews(t *testing.T) {
	checkRouting(t, []routingCase{
		{name: "ok capito", lang: "it", text: "ah ok ho capito", offer: offerElse, want: []string{"deny(human"}},
		{name: "chiaro", lang: "it", text: "ok chiaro allora", offer: offerElse, want: []string{"deny(human"}},
		{name: "got it", lang: "en", text: "ok got it", offer: offerElse, want: []string{"deny(human"}},
		{name: "i see", lang: "en", text: "okay i see", offer: offerElse, want: []string{"deny(human"}},
		{name: "a yes is a yes", lang: "it", text: "si grazie", offer: offerElse, want: []string{"affirm(human"}},
	})
}

// TestModelOfALine: a model the catalogue lacks, of a line the shop sells
// in one category, is of that category ("galaxy s24": a phone).
func TestModelOfALine(t *testing.T) {
	checkRouting(t, []routingCase{
		{name: "samsung model without the line", lang: "it", text: "mi e caduto il samsung s23 e si e crepato lo schermo, comprato qui a marzo",
			want: []string{"start_flow(warranty", "set_slot(category=phone"}},
		{name: "the line named", lang: "en", text: "my galaxy s21 fell in the sink, I bought it from you last year",
			want: []string{"start_flow(warranty", "set_slot(category=phone"}},
		{name: "an older iphone", lang: "en", text: "dropped my iphone 11 that I got from you guys, the back is shattered",
			want: []string{"set_slot(category=phone"}},
		{name: "a tv line", lang: "it", text: "il mio bravia 50 comprato da voi ha preso una botta ed e rotto",
			want: []string{"set_slot(category=tv"}},
	})
}

// TestNoThenOnlyAsking: a "no" to the flow's offer, then a wish to know
// or a purchase put off to later, starts no sale.
func TestNoThenOnlyAsking(t *testing.T) {
	ret := map[string]string{"delivery_date": "2025-05-30", "return": "open"}
	quote := map[string]string{"product": "pixel-8", "purchase_date": "2025-03", "buyer": "consumer", "damage": "liquid", "warranty": "damage"}
	checkRouting(t, []routingCase{
		{name: "wanted to know the policy", lang: "en", text: "no, I just wanted to know the policy", flow: "returns", slot: "start_return", slots: ret,
			want: []string{"set_slot(start_return=no"}, not: []string{"start_flow("}},
		{name: "like to know the terms", lang: "en", text: "no, I'd like to know the terms first", flow: "returns", slot: "start_return", slots: ret,
			not: []string{"start_flow("}},
		{name: "a product named is a sale", lang: "en", text: "no, but I'd like to know the price of the iphone 15", flow: "returns", slot: "start_return", slots: ret,
			want: []string{"start_flow(sales"}},
		{name: "put off in a cancel", lang: "it", text: "no lascia stare, ne prendo uno nuovo piu in la", flow: "warranty", slot: "repair_quote", slots: quote,
			not: []string{"start_flow("}},
		{name: "put off in English", lang: "en", text: "forget it, maybe I'll buy a new one some other time", flow: "warranty", slot: "repair_quote", slots: quote,
			not: []string{"start_flow("}},
		{name: "a new one now", lang: "en", text: "forget it, I'll buy a new one then", flow: "warranty", slot: "repair_quote", slots: quote,
			want: []string{"start_flow(sales"}},
	})
}

// TestTakenByOther: someone else who took or has the product tells no
// fault: no claim, unless a defect is told too. "volevo sapere" asks a
// question, not the claim the classifier puts second.
func TestTakenByOther(t *testing.T) {
	checkRouting(t, []routingCase{
		{name: "il marito", lang: "it", text: "mio marito ha preso il telefono", not: []string{"start_flow("}},
		{name: "the wife", lang: "en", text: "my wife took the phone with her", not: []string{"start_flow("}},
		{name: "the daughter and the hours", lang: "it", text: "mia figlia si e presa il portatile. volevo sapere quando aprite",
			want: []string{"faq(hours"}, not: []string{"start_flow("}},
		{name: "a fault told too", lang: "en", text: "my son borrowed the laptop and now it won't turn on",
			want: []string{"start_flow(warranty"}},
		{name: "dropped by the son", lang: "en", text: "my kid took the tv off the stand and dropped it",
			want: []string{"start_flow(warranty"}},
	})
}

// TestPossessiveOfAnother: a "my" that owns something else (the room,
// the son) before the product is named makes no claim of a purchase.
func TestPossessiveOfAnother(t *testing.T) {
	checkRouting(t, []routingCase{
		{name: "the room", lang: "en", text: "looking for a telly for my kids room, the lg oled, up to 1200", want: []string{"start_flow(sales", "set_slot(budget=1200"}},
		{name: "il figlio", lang: "it", text: "cerco un pc per mio figlio, il pavilion, massimo 600 euro", want: []string{"start_flow(sales", "set_slot(budget=600"}},
		{name: "my own is mine", lang: "en", text: "my new macbook air keeps freezing", want: []string{"start_flow(warranty"}},
		{name: "il mio vecchio", lang: "it", text: "il mio vecchio iphone si spegne da solo", want: []string{"start_flow(warranty"}},
	})
}

// TestRentalIsNoSale: the demo rents nothing out; asking to rent or
// hire starts no sale, whatever product or number the message names.
func TestRentalIsNoSale(t *testing.T) {
	checkRouting(t, []routingCase{
		{name: "hire a tv", lang: "en", text: "could we hire a tv for the weekend? just one", not: []string{"start_flow("}},
		{name: "noleggiare due portatili", lang: "it", text: "vorrei noleggiare due portatili per un corso di tre giorni", not: []string{"start_flow("}},
		{name: "renting a dyson", lang: "en", text: "is renting a dyson possible for a month", not: []string{"start_flow("}},
		{name: "buying is a sale", lang: "en", text: "I want to buy a laptop for a conference next week", want: []string{"start_flow(sales"}},
	})
}

// TestFutureDateOwnsNothing: a date to come beside a product is when
// the customer wants it, not a purchase made: a sale.
func TestFutureDateOwnsNothing(t *testing.T) {
	checkRouting(t, []routingCase{
		{name: "next week", lang: "en", text: "I want to buy a laptop for a trip next week", want: []string{"start_flow(sales"}},
		{name: "settimana prossima", lang: "it", text: "mi serve un telefono nuovo per la settimana prossima", want: []string{"start_flow(sales"}},
		{name: "a past delivery owns", lang: "en", text: "the laptop that came last week won't boot", want: []string{"start_flow(warranty"}},
	})
}
