package flows

import (
	"slices"
	"strings"
)

// The shop's own out of scope. A shop's customers ask about much that no
// flow does: a discount for students, gift cards, a job, unlocking a phone
// from a carrier, gift wrapping, whether an accessory fits. The classifier
// knows only the shop's intents, and such a question resembles one of
// them word for word ("do you give discounts to businesses?" is a
// purchase); it is sure of it for the words it shares. What a flow acts
// on is plainer: a sale sells something (a product, a kind or a brand of
// the catalogue, a budget, a purchase asked for in words); a claim is
// about a fault, a date or a repair; an order's status is about an
// order, its number or where it is. A question that holds none of what
// the flow it resembles acts on is for the shop's pages, and when they do
// not answer it, the bot says it cannot answer and offers a person: no
// flow asks it questions it has no use for.

// beyondFlows returns the command for a message outside any flow whose
// intent would start a flow that the message gives nothing to act on,
// or nil when the start stands.
func (u *understanding) beyondFlows(intent *Command) *Command {
	if u.flow != nil || intent == nil || intent.Kind != CmdStartFlow {
		return nil
	}
	f := u.b.Flows[intent.Flow]
	if f == nil || u.cuesFlow(intent.Flow) || u.actsOn(f, intent.Confidence) {
		return nil
	}
	if u.b.Knowledge() == nil {
		return &Command{Kind: CmdOutOfScope, Confidence: intent.Confidence}
	}
	return &Command{Kind: CmdDocuments, Value: documentsOrPerson, Span: u.text, Confidence: 1}
}

// documentsOrPerson is the Value of a search of the documents for a
// question no flow handles: when no page answers, the bot says it cannot
// answer and offers a person (a bare "ok" takes the news), rather than
// asking to rephrase a question it read well.
const documentsOrPerson = "or_person"

// actsOn reports whether the message gives f something to act on, or is
// no message the rule reads: a claim is left to the classifier unless the
// customer asks (a question, or "vorrei sapere se..."), a sale unless
// they ask or request; an order's flows read any message, as a complaint
// about a courier resembles a delivery.
// A claim or an order the classifier is sure of (conf, surer) stands: their
// examples are faults and deliveries, told in words no list holds ("che
// faccio se l'iphone si scalda in carica?"); a sale's examples ask about
// discounts too, so its sure guess proves nothing.
func (u *understanding) actsOn(f *Flow, conf float64) bool {
	// "vorrei sapere se fate sconti agli studenti" asks as a question does.
	asks := u.question || asksIndirectly(u.said)
	switch {
	case f.sells(u.b):
		// A request too: "I'd like to apply for a job in your shop" asks
		// for nothing the shop sells.
		if !asks && !isRequestIn(u.said) {
			return true
		}
		if u.said.has(warrantyPlanPhrases) || u.said.has(priceMatchPhrases) || u.said.has(disposalPhrases) || u.said.has(giftCardPhrases) {
			// "can I buy an extended warranty for the macbook?" asks the
			// warranty's terms; "it's cheaper elsewhere, do you match
			// it?" and "do you take the old one for recycling?" the shop's
			// policies: the pages', whatever product they name. A gift
			// card is none of the catalogue, whatever amount it is for.
			return false
		}
		// "does the pixel 8 support wireless charging?", "potete
		// configurarmi il portatile nuovo?": what a product does, or a
		// service on it, asks for no sale; its price or its stock does.
		item := u.namesWhatFlowsSell() && !u.said.has(specPhrases) && !u.said.has(doForMePhrases)
		return item || u.said.has(purchasePhrases) || u.telling(f) > 0 ||
			slices.ContainsFunc(u.facts, func(fa fact) bool {
				// "vorrei qualcosa per il mio ufficio": a business buys,
				// however loosely its words say it is one.
				return fa.kind == factMoney || fa.kind == factChoice && (fa.conf >= 0.8 || fa.value == "business" && fa.conf >= 0.6)
			})
	case f.checksWarranty():
		if asks && u.said.has(disposalPhrases) {
			return false // "do you take broken tvs for recycling?": no repair asked
		}
		return !asks || conf >= surer || u.asksWhyOwn() || u.said.has(claimPhrases) || u.said.has(repairPhrases) || u.tellsOfProduct() || slices.ContainsFunc(u.facts, func(fa fact) bool {
			switch fa.kind {
			case factDefect, factDamage, factDate, factOrder:
				return true
			}
			return false
		})
	case u.b.orderSlot != "" && f.asks(u.b.orderSlot):
		return conf >= surer || u.telling(f) > 0 || u.said.has(ownOrderPhrases) || u.said.has(orderWordPhrases) && !asks || u.said.has(orderStatePhrases)
	}
	return true
}

// cuesFlow reports whether the message holds a cue of an intent of the
// flow: the intents' cues are what the shop says starts it ("sto ancora
// aspettando", "where is my parcel"), and no rule of this file reads
// them otherwise.
func (u *understanding) cuesFlow(flow string) bool {
	cued := u.b.cuedIntents(u.words)
	for i, in := range u.b.Intents {
		if cued[i] && in.Flow == flow {
			return true
		}
	}
	return false
}

// asksWhyOwn reports whether the message asks why the customer's own
// product behaves as it does ("why does my pixel keep restarting?",
// "come mai il mio portatile è così lento?"): a claim asked as a
// question.
func (u *understanding) asksWhyOwn() bool {
	return u.said.has(whyPhrases) && u.possessive()
}

var whyPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" why ", " how come ", " perche ", " come mai "} {
		add(p)
	}
})

// surer is the confidence of a claim's or an order's intent that starts
// its flow whatever the words (the gift wrap of "the order" came at 0.79).
const surer = 0.85

// tellsOfProduct reports whether a sentence of the message that asks no
// question names a product or a kind of product: "my macbook trackpad
// feels mushy lately. and do you sell usb-c hubs?" tells of the laptop
// before it asks; "can you unlock my phone? it's locked" names the phone
// in its question.
func (u *understanding) tellsOfProduct() bool {
	for _, sn := range sentences(u.text) {
		if strings.Contains(u.text, strings.TrimSpace(sn)+"?") || isQuestion(sn) {
			continue
		}
		if slices.ContainsFunc(u.facts, func(fa fact) bool {
			return (fa.kind == factProduct || fa.kind == factCategory) && fa.span != "" && strings.Contains(sn, fa.span)
		}) {
			return true
		}
	}
	return false
}

// purchasePhrases ask to buy, or for what a salesperson gives: a
// recommendation, a price, a quote, the stock, the offers of the week,
// a business's purchase. A discount for a kind of customer ("for
// students", "per i pensionati") is a policy, which the pages state, and
// no purchase; one for a business is the sale's (the shop sells to them).
var purchasePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" comprare ", " compro ", " comprarne ", " acquistare ", " acquisto ", " prendere ", " prenderei ", " ordinare ", " cerco ", " cercavo ", " stiamo cercando ",
		" consigli ", " consiglio ", " consigliate ", " consigliare ", " consigliami ", " consigliatemi ", " preventivo ", " prezzo ", " prezzi ", " costa ", " costano ",
		" disponibile ", " disponibili ", " vendete ", " listino ", " offerte ", " offerta ", " promozione ", " promozioni ",
		" buy ", " buying ", " purchase ", " get one ", " looking for ", " recommend ", " recommendation ", " suggest ", " quote ", " price ", " prices ",
		" cost ", " costs ", " in stock ", " available ", " do you sell ", " do you carry ", " do you stock ", " for sale ",
		" offers ", " offer on ", " offers on ", " deal ", " deals ", " promotion ", " promotions ", " on sale ", " order ", " ordine ",
		" info ", " informazioni ", " details ", " dettagli ",
		" consigliarmi ", " consigliarci ", " scegliere ", " choose ", " choosing ", " pick ", " tell me about ", " parlarmi di ",
		" would you have ", " could you have ", " set aside ", " put aside ", " hold one ", " reserve ", " mettere da parte ", " tenere da parte ",
		" mettermi da parte ", " tenermi da parte ", " prenotare ",
		" mi interessa ", " mi interessano ", " interessato ", " interessata ", " interested ", " prendo ", " ne prendo ",
		" for businesses ", " to businesses ", " for companies ", " for my company ", " for our company ", " for my business ", " business customers ",
		" with a vat number ", " per aziende ", " alle aziende ", " per le aziende ", " per la mia azienda ", " per la nostra azienda ", " per la mia ditta ",
		" con partita iva ", " clienti business "} {
		add(p)
	}
})

// specPhrases ask what a product does or what goes with it.
var specPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" support ", " supports ", " compatible ", " fit ", " fits ", " work with ", " works with ", " in the box ", " included ",
		" supporta ", " supportano ", " compatibile ", " compatibili ", " funziona con ", " funzionano con ", " va bene per ",
		" nella scatola ", " nella confezione ", " incluso ", " inclusa "} {
		add(p)
	}
})

// doForMePhrases ask the shop to do something for the customer.
var doForMePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" can you ", " could you ", " would you ", " potete ", " potreste ", " mi fate ", " me lo fate ", " me la fate "} {
		add(p)
	}
})

// warrantyPlanPhrases ask to buy more warranty or an insurance, which is
// a question of the warranty's terms, not of the catalogue.
var warrantyPlanPhrases = newPhrases(func(add func(string)) {
	for _, verb := range []string{" buy ", " purchase ", " get ", " add ", " sell ", " offer "} {
		for _, plan := range []string{"an extended warranty ", "extended warranty ", "extended warranties ", "extra warranty ", "a warranty extension ",
			"a longer warranty ", "insurance ", "an insurance ", "extra insurance ", "applecare ", "a protection plan "} {
			add(verb + plan)
		}
	}
	for _, verb := range []string{" comprare ", " acquistare ", " fare ", " fate ", " aggiungere ", " prendere ", " vendete ", " offrite "} {
		for _, plan := range []string{"un estensione di garanzia ", "l estensione di garanzia ", "l estensione della garanzia ", "una garanzia estesa ",
			"la garanzia estesa ", "garanzia estesa ", "un assicurazione ", "una polizza ", "estensioni di garanzia "} {
			add(verb + plan)
		}
	}
})

// priceMatchPhrases ask the shop to match a lower price seen elsewhere.
var priceMatchPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" price match ", " price matching ", " match the price ", " match that price ", " match their price ", " match the same price ",
		" stesso prezzo ", " allineare il prezzo ", " allineate il prezzo ", " adeguare il prezzo ", " adeguate il prezzo ", " pareggiare il prezzo ", " pareggiate il prezzo "} {
		add(p)
	}
})

// disposalPhrases ask about getting rid of an old product: recycling,
// the take-back of old appliances.
var disposalPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" recycle ", " recycling ", " get rid of ", " dispose of ", " disposal ", " take away the old ", " take the old one away ",
		" riciclo ", " riciclare ", " smaltire ", " smaltimento ", " raee ", " ritirate il vecchio ", " ritirate la vecchia ", " ritiro dell usato ", " uno contro uno "} {
		add(p)
	}
})

// giftCardPhrases name a gift card or voucher: what the shop sells to
// spend in it, no product of the catalogue.
var giftCardPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" gift card ", " gift cards ", " giftcard ", " giftcards ", " gift voucher ", " gift vouchers ", " voucher ", " vouchers ",
		" gift certificate ", " gift certificates ", " buono regalo ", " buoni regalo ", " buono acquisto ", " buoni acquisto ", " buono sconto ",
		" carta regalo ", " carte regalo ", " card regalo ", " voucher regalo "} {
		add(p)
	}
})

// carrierMeant reports whether the "operatore" or "operator" of the
// message is the phone's network, not a person of the shop: the message
// tells of a SIM, a network, its lock or a network's name ("sbloccare il
// telefono dall'operatore, voglio una sim iliad") and asks for no person
// in other words ("un operatore", "a person"). The human intent's
// examples share the word, and the classifier is sure of it.
func (u *understanding) carrierMeant() bool {
	return u.said.has(carrierPhrases) && !u.said.has(personPhrases)
}

var carrierPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" sim ", " esim ", " operatore telefonico ", " gestore telefonico ", " compagnia telefonica ", " carrier ", " network ", " rete mobile ",
		" sbloccare ", " sbloccarlo ", " sbloccarla ", " sbloccarmi ", " sbloccato ", " sbloccata ", " sblocco ", " unlock ", " unlocked ", " unlocking ",
		" tim ", " vodafone ", " windtre ", " wind tre ", " iliad ", " fastweb ", " kena ", " ho mobile ", " very mobile ", " postemobile ", " coopvoce "} {
		add(p)
	}
})

// claimPhrases name the warranty or a problem with a product, or ask
// for help with one ("can you help me with my laptop?").
var claimPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" garanzia ", " garanzie ", " assistenza ", " problema ", " problemi ", " difetto ", " difettoso ", " guasto ", " rotto ", " rotta ",
		" warranty ", " guarantee ", " problem ", " problems ", " issue ", " defect ", " defective ", " faulty ", " broken ", " covered ", " cover ", " coverage ",
		" coperto ", " coperta ", " copre ", " repaired ", " riparato ", " riparata ", " riparabile ", " service ", " help ", " aiutare ", " aiutarmi ", " aiutatemi ", " aiuto "} {
		add(p)
	}
})

// orderWordPhrases name an order; a parcel is the order's when the
// message says it is the customer's (ownOrderPhrases) or tells where it
// is (orderStatePhrases): "il corriere ha lanciato il pacco" asks
// nothing of an order.
var orderWordPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" ordine ", " ordini ", " order ", " orders "} {
		add(p)
	}
})

// ownOrderPhrases name the customer's own order or parcel: a question
// about "my order" is about its status ("can you help me with my
// order?"), one that asks a service on "the order" ("can you gift wrap the
// order?") is not.
var ownOrderPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" my order ", " our order ", " my orders ", " mio ordine ", " nostro ordine ", " miei ordini ", " i ordered ", " we ordered ",
		" ho ordinato ", " abbiamo ordinato ", " ordinato ", " ordered ", " my package ", " my parcel ", " my delivery ", " mio pacco ", " mia consegna ", " mio acquisto ",
		" my packages ", " my parcels ", " my shipment ", " miei pacchi ", " mia spedizione ", " ordinata ", " ordinati "} {
		add(p)
	}
})

// orderStatePhrases ask where an order is, or tell what went wrong with
// its delivery.
var orderStatePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" dove ", " dov e ", " quando ", " arriva ", " arrivato ", " arrivata ", " arrivati ", " arrivo ", " consegna ", " consegnato ", " consegnata ",
		" spedito ", " spedita ", " spedizione ", " tracking ", " traccia ", " tracciamento ", " ritardo ", " lo stato ", " stato dell ", " stato del ", " stato dello ", " a che punto ", " ricevuto ", " ricevuta ",
		" perso ", " smarrito ", " annullare ", " modificare ", " reso ", " resi ", " recesso ", " rimborso ", " restituire ", " restituirlo ", " restituirla ",
		" rendere ", " renderlo ", " renderla ", " mai arrivato ", " partito ", " partita ", " indietro ", " arrivare ", " fermo ", " bloccato ", " giacenza ",
		" danneggiato ", " rovinato ", " sbagliato ", " sbagliata ", " ancora niente ", " controllare ", " verificare ", " problema ",
		" where ", " when ", " arrive ", " arrived ", " arriving ", " delivery ", " delivered ", " deliver ", " shipped ", " shipping ", " track ", " status ",
		" came ", " left ", " stuck ", " damaged ", " wrong ", " nothing yet ", " not yet ", " shown up ", " show up ", " turned up ", " late ", " delayed ", " received ", " lost ", " missing ", " cancel ", " change ", " return ", " returns ", " returning ", " refund ",
		" back ", " withdrawal ", " check ", " problem ", " still ",
		" ancora ", " aspettando ", " aspetto ", " aspettiamo ", " novita ", " notizie ", " pervenuto ", " pervenuta ", " che fine ",
		" yet ", " update ", " updates ", " news ", " got ", " hasn t come ", " hasnt come ", " not come ", " waiting "} {
		add(p)
	}
})

// smallTalkGoesOn reports whether the rest of a greeting, which the
// classifier knows too little of, asks nothing: none of its words (but a
// day's, "oggi") is of the examples of an intent the bot does more for
// than reply, unless small talk's examples hold it too ("ciao, come va
// oggi? tutto bene da voi?", "ciao! spero che stiate tutti bene"): the
// greeting's reply answers it, no "say it in other words". "hello, i
// live in france, can you send there?" asks of shipping.
func (u *understanding) smallTalkGoesOn(rest string) bool {
	var day []string // the words of the dates told
	for _, f := range u.facts {
		if f.kind == factDate {
			day = append(day, words(f.span)...)
		}
	}
	for _, w := range words(rest) {
		st, ok := stem(w)
		if !ok || commonWords[w] || slices.Contains(day, w) {
			continue
		}
		talk := func(in *Intent) bool { return !in.Reply.IsZero() && in.Flow == "" && in.FAQ == "" && !in.Handoff }
		if slices.ContainsFunc(u.b.Intents, func(in *Intent) bool { return talk(in) && in.stems[st] }) {
			continue
		}
		if slices.ContainsFunc(u.b.Intents, func(in *Intent) bool { return in.stems[st] }) {
			return false
		}
	}
	return true
}

// pastGreeting reads a message that opens with small talk of a few words
// and goes on ("good morning, do you ship to austria?", "ciao! il mio
// pixel non si accende") by what follows: the greeting, which the
// classifier weighs as much as the request, asks for nothing. Only a
// first message (no flow, no offer of the bot's pending) is read so: in
// a conversation, "ok thanks, ..." answers the bot.
func (u *understanding) pastGreeting() {
	if u.flow != nil || u.in.State.Offer != "" || len(u.scores) == 0 {
		return
	}
	if in := u.b.intents[u.scores[0].Intent]; in == nil || in.Reply.IsZero() {
		return
	}
	i := strings.IndexAny(u.text, ",!.")
	if i < 0 || len(words(u.text[:i])) > 3 {
		return
	}
	rest := u.text[i+1:]
	if len(words(rest)) < 3 {
		return
	}
	lead, after := u.classify(u.text[:i]), u.classify(rest)
	if len(lead) == 0 || len(after) == 0 || lead[0].Intent != u.scores[0].Intent {
		return
	}
	// The rest is read when it asks clearly for something that is no small
	// talk, or when it is a long message the classifier knows nothing of
	// (the pages may answer it); "hi, how are you doing today" resembles
	// the opening hours a little, and stays small talk.
	in := u.b.intents[after[0].Intent]
	clear := in != nil && in.Reply.IsZero() && after[0].Confidence >= max(0.6, u.b.Threshold+0.2)
	unknown := after[0].Confidence < u.b.Threshold && len(words(rest)) >= 5 && !u.smallTalkGoesOn(rest)
	if clear || unknown {
		u.scores = after
	}
}
