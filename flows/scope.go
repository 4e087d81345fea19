package flows

import (
	"slices"
	"strings"

	"github.com/sportello/sportello/flows/nlu"
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
//
// Which topics are the pages' is the shop's decision, in its flow file:
// intents with answer: documents, their cues, and instead_of, the guesses
// they replace (docs/flows.md#topics-the-pages-answer; the demo's jobs,
// gift cards, discounts for kinds of customers, price match, warranty
// plans, recycling). The rules here read them (pagesCued) and hold only
// the language: questions, requests, what a flow acts on.

// beyondFlows returns the command for a message outside any flow whose
// intent would start a flow that the message gives nothing to act on,
// or nil when the start stands.
func (u *understanding) beyondFlows(intent *Command) *Command {
	if c := u.beyondFAQs(intent); c != nil {
		return c
	}
	if u.flow != nil {
		return nil
	}
	if u.asksToCompose() {
		// "help me write a letter to my landlord": no service of the
		// shop, whatever fault the letter tells of.
		return &Command{Kind: CmdOutOfScope, Confidence: 1}
	}
	if c := u.asksStock(intent); c != nil {
		return c
	}
	if c := u.aboutManners(intent); c != nil {
		return c
	}
	if c := u.asksShipTo(intent); c != nil {
		return c
	}
	if u.pagesAnyway() && intent != nil && (intent.Kind == CmdFAQ || intent.Kind == CmdStartFlow) {
		// "are you hiring in the shop?" is no question of the opening
		// hours the shop's words resemble: the demo's jobs are the pages'.
		return u.toPages(intent)
	}
	if intent == nil || intent.Kind != CmdStartFlow {
		return nil
	}
	f := u.b.Flows[intent.Flow]
	if f == nil || u.actsOn(f, intent.Confidence) {
		return nil
	}
	// A cue names the flow outright ("sto ancora aspettando il mio
	// portatile"): the customer said what they want in its words.
	if in := u.cued(); in != nil && in.Flow == f.Name {
		return nil
	}
	return u.toPages(intent)
}

// toPages sends a question no flow handles to the shop's pages, which
// answer it or say they cannot and offer a person (documentsOrPerson);
// a bot without pages says it is out of scope, or, when nothing was
// guessed at all, nil: "say it in other words".
func (u *understanding) toPages(intent *Command) *Command {
	if u.b.Knowledge() == nil {
		if intent == nil {
			return nil
		}
		return &Command{Kind: CmdOutOfScope, Confidence: intent.Confidence}
	}
	return &Command{Kind: CmdDocuments, Value: documentsOrPerson, Span: u.text, Confidence: 1}
}

// asksStock returns the start of the sale for a message outside any flow
// that asks whether the shop has something of the catalogue: "do you have
// the dyson v8?", "avete il pixel 8 nero?", "is the galaxy tab in stock?".
// The classifier reads such a question by the product it names (the
// dyson's examples are faults): a buyer is a salesperson's, with the
// product on the card. The product must be what is asked for: right
// after the words that ask (an article, "any", "ancora" between), or
// right before "available", "in stock", "disponibile". "do you have the
// manual for the dyson v8?", "avete il numero dell'assistenza?", "do you
// have my order?" ask for something else; a fault, a date or an order
// in the message, a request for a person, are no purchase.
func (u *understanding) asksStock(intent *Command) *Command {
	// A greeting before the question asks for nothing ("buongiorno, c'è
	// ancora la friggitrice in offerta?").
	if intent != nil && intent.Kind != CmdStartFlow && intent.Kind != CmdFAQ && intent.Kind != CmdDocuments && intent.Kind != CmdOutOfScope && intent.Kind != CmdSmallTalk {
		return nil
	}
	// "avete il pixel 8? il mio si è rotto" is a claim first; "the tv's
	// warranty card", "con reso gratuito", "with extended warranty" ask
	// for a paper or a policy, no product.
	if u.asksPolicy() || u.said.has(policyPhrases) || u.said.has(troublePhrases) || u.said.has(damageEventPhrases) ||
		u.said.has(specPhrases) || u.said.has(notForSalePhrases) || u.said.has(ownOrderPhrases) {
		return nil
	}
	sale := u.b.saleIntent()
	if sale == nil || intent != nil && intent.Kind == CmdStartFlow && intent.Flow == sale.Flow {
		return nil
	}
	named := -1 // where the first product, kind or brand of the catalogue is
	for _, fa := range u.facts {
		switch fa.kind {
		case factDefect, factDamage, factDate, factOrder:
			return nil
		case factProduct, factCategory, factBrand:
			if fa.kind == factBrand && !fa.sold || fa.span == "" {
				continue
			}
			if at := indexWords(u.words, words(fa.span)); at >= 0 && (named < 0 || at < named) {
				named = at
			}
		}
	}
	if named < 0 {
		return nil
	}
	// Only fillers between the asking words and the product, before or
	// after it.
	only := func(ws []string) bool {
		return !slices.ContainsFunc(ws, func(w string) bool { return !stockFillers[w] })
	}
	before := func(_, end int) bool { return end <= named && only(u.words[end:named]) }
	asked := u.said.each(availabilityPhrases, before) || u.said.each(stockAskPhrases, before) || u.said.each(inStockPhrases, func(start, _ int) bool {
		if start <= named {
			return false
		}
		// The words of the product itself, then fillers: "is the pixel
		// 8 still available?".
		for _, fa := range u.facts {
			if at := indexWords(u.words, words(fa.span)); at == named {
				return only(u.words[named+len(words(fa.span)) : start])
			}
		}
		return false
	})
	if !asked {
		return nil
	}
	conf := 0.9

	if intent != nil {
		conf = max(conf, intent.Confidence)
	}
	return &Command{Kind: CmdStartFlow, Flow: sale.Flow, Intent: sale.Name, Confidence: conf}
}

// aboutManners returns the shop's answer to a complaint for a message
// outside any flow that tells how a person behaved, the courier, the
// staff, a technician ("my courier was really rude on the phone
// yesterday"), where the classifier guessed a claim or an order: "on the
// phone" is no product, "yesterday" no purchase, and no fault is told.
// The answer is the reply of the intent whose examples tell of manners
// (the shop's complaint); a fault, damage or an order number in the
// message keeps the flow ("the courier was rude and the tv is cracked").
func (u *understanding) aboutManners(intent *Command) *Command {
	if intent == nil || intent.Kind != CmdStartFlow && intent.Kind != CmdClarify || !u.said.has(staffPhrases) || !u.said.has(mannersPhrases) {
		return nil
	}
	if f := u.b.Flows[intent.Flow]; intent.Kind == CmdStartFlow && (f == nil || f.sells(u.b)) {
		return nil
	}
	if u.asksBesideManners() {
		return nil
	}
	for _, in := range u.b.Intents {
		if in.Flow != "" || in.Reply.IsZero() || in.Handoff {
			continue
		}
		if slices.ContainsFunc(in.Examples, func(ex Example) bool { return saying(ex.Text).has(mannersPhrases) }) {
			// "on the phone" is how they spoke: no product to remember
			// for the next flow.
			for i := range u.facts {
				u.used[i] = true
			}
			return &Command{Kind: CmdSmallTalk, Intent: in.Name, Confidence: 1}
		}
	}
	return nil
}

// asksBesideManners reports whether a message that tells how a person
// behaved tells or asks something a flow acts on too: an order or its
// state ("and my parcel never arrived"), a fault or damage ("il pacco è
// arrivato danneggiato"), a return ("voglio restituire il tv"), a repair
// ("my laptop is still not repaired"). The complaint's reply is for
// manners alone.
func (u *understanding) asksBesideManners() bool {
	if slices.ContainsFunc(u.facts, func(fa fact) bool {
		return fa.kind == factOrder || fa.kind == factDefect || fa.kind == factDamage
	}) {
		return true
	}
	return u.said.has(ownOrderPhrases) || u.said.has(troublePhrases) || u.said.has(damageEventPhrases) || u.said.has(repairPhrases) || sendsBack(u.said)
}

// troublePhrases tell what went wrong with an order or a product,
// or ask for a return or a repair: beside manners or a product asked
// for, they are what the message is about.
var troublePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" never arrived ", " never came ", " not arrived ", " hasn t arrived ", " hasnt arrived ", " didn t arrive ", " not delivered ", " lost my ",
		" damaged ", " broken ", " cracked ", " return ", " refund ", " repaired ", " fixed ", " replacement ",
		" mai arrivato ", " mai arrivata ", " non e arrivato ", " non e arrivata ", " non e ancora arrivato ", " non e ancora arrivata ", " non consegnato ", " perso il ",
		" danneggiato ", " danneggiata ", " rotto ", " rotta ", " rovinato ", " rovinata ", " restituire ", " reso ", " rimborso ", " riparato ", " riparata ", " sostituzione "} {
		add(p)
	}
})

// asksShipTo returns the shop's answer on shipping for a message outside
// any flow that asks whether the shop sends to a place: "i am from germany
// and i want know if you send also to munich", "mandate anche a parigi?",
// "can you send it to london?". The classifier knows few places and
// reads the rest of the words; the answer is the FAQ of the intent whose
// examples ask the same ("do you deliver to Sardinia?"). A message about
// the customer's order, a product or a fault is the flows'.
func (u *understanding) asksShipTo(intent *Command) *Command {
	if intent != nil && (intent.Kind == CmdHuman || intent.Kind == CmdStartFlow && intent.Confidence >= surer) {
		return nil
	}
	// "can i send it in for repair?", "spedire in assistenza": a repair,
	// whose answer is the claim's, no shipping.
	if u.said.has(ownOrderPhrases) || u.said.has(repairPhrases) || u.said.has(servicePlacePhrases) || slices.ContainsFunc(u.facts, func(fa fact) bool {
		switch fa.kind {
		case factOrder, factDefect, factDamage, factProduct, factCategory:
			return true
		}
		return false
	}) {
		return nil
	}
	// "send it to my sister", "ship it to you": a person, no place.
	place := u.said.each(shipToPhrases, func(_, end int) bool {
		return end < len(u.words) && !shipToPersons[u.words[end]]
	})
	if !place {
		return nil
	}
	in := u.b.shipToFAQ()
	if in == nil || intent != nil && intent.Kind == CmdFAQ && intent.FAQ == in.FAQ {
		return nil
	}
	return u.b.intentCommand(in, 1)
}

// shipToFAQ is the FAQ intent whose examples ask whether the shop sends
// to a place ("do you deliver to Sardinia?"), or nil.
func (b *Bot) shipToFAQ() *Intent {
	for _, in := range b.Intents {
		if in.FAQ != "" && slices.ContainsFunc(in.Examples, func(ex Example) bool { return saying(ex.Text).has(shipToPhrases) }) {
			return in
		}
	}
	return nil
}

// arrivalAsked returns the FAQ of shipping when, in the middle of a
// purchase, the customer asks how long delivery takes to a place ("e a
// Napoli quando arriva?", "and how long to Naples?"): an order not made
// yet, whatever the classifier reads of it (an order's status, the
// warranty's "how long"). It returns nil for a message that names an
// order, and outside a sale.
func (u *understanding) arrivalAsked() *Command {
	if u.flow == nil || !u.flow.sells(u.b) || !u.question && !strings.Contains(u.text, "?") || !u.said.has(arrivalPhrases) ||
		u.said.has(namedOrderPhrases) || u.said.has(ownOrderPhrases) || slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factOrder }) {
		return nil
	}
	// A place: a word after "to", "a", "in", "per" that no intent's
	// examples hold ("in time", "a casa" are no places).
	place := false
	for k := 0; k+1 < len(u.words) && !place; k++ {
		switch u.words[k] {
		case "to", "a", "in", "per":
			w := u.words[k+1]
			place = len(w) >= 4 && !shipToPersons[w] && !u.b.exampleWord(w)
		}
	}
	if !place {
		return nil
	}
	if in := u.b.shipToFAQ(); in != nil {
		return u.b.intentCommand(in, max(u.score(in.Name), u.b.Threshold))
	}
	return nil
}

// exampleWord reports whether the examples of an intent hold w, or a
// word of its stem.
func (b *Bot) exampleWord(w string) bool {
	st, ok := stem(w)
	if !ok {
		return false
	}
	for _, in := range b.Intents {
		if in.stems[st] {
			return true
		}
	}
	return false
}

// arrivalPhrases ask how long a delivery takes.
var arrivalPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" quando arriva ", " quando arrivano ", " quando arriverebbe ", " in quanto tempo ", " quanto ci mette ", " quanto ci vuole ",
		" quanti giorni ", " tempi di consegna ", " how long ", " how many days ", " when would it arrive ", " when will it arrive ",
		" when does it arrive ", " how fast ", " how quickly ", " delivery time "} {
		add(p)
	}
})

// shipToPhrases ask whether the shop sends to a place: a verb of
// sending, a preposition of place after it.
var shipToPhrases = newPhrases(func(add func(string)) {
	for _, verb := range []string{" send ", " ship ", " deliver ", " post ", " spedite ", " spedire ", " spedisci ", " mandate ", " mandare ", " consegnate ", " consegnare ", " inviate ", " inviare "} {
		for _, mid := range []string{"", "it ", "them ", "also ", "it also ", "anche ", "also ", "even ", "pure "} {
			for _, to := range []string{"to ", "in ", "a ", "all ", "abroad ", "overseas ", "outside "} {
				add(verb + mid + to)
			}
		}
	}
})

// newOnePhrases tell that a new product is wanted in place of the
// customer's own: "mine is broken, i want a new one", "ne voglio uno
// nuovo", "it's out of warranty anyway".
var newOnePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" a new one ", " buy a new ", " get a new ", " replace it ", " replace mine ", " out of warranty ",
		" uno nuovo ", " una nuova ", " ne voglio uno ", " ne voglio una ", " ne compro uno ", " ne compro una ", " comprarne uno ", " comprarne una ",
		" sostituirlo ", " sostituirla ", " fuori garanzia "} {
		add(p)
	}
})

// servicePlacePhrases name where a product goes to be repaired.
var servicePlacePhrases = newPhrases(func(add func(string)) {
	// " in garanzia ", " under warranty ", not a warranty alone: "do you
	// deliver to ireland, and is the warranty valid there?" asks both.
	for _, p := range []string{" assistenza ", " centro assistenza ", " laboratorio ", " in garanzia ", " service centre ", " service center ", " repair service ",
		" under warranty ", " for warranty ", " warranty repair ", " workshop ", " technician ", " tecnico "} {
		add(p)
	}
})

// shipToPersons are the words after "send it to" that name a person or
// the customer's place, no place of the map.
var shipToPersons = map[string]bool{
	"me": true, "my": true, "our": true, "us": true, "you": true, "your": true, "him": true, "her": true, "them": true, "someone": true, "somebody": true,
	"mio": true, "mia": true, "miei": true, "mie": true, "voi": true, "lui": true, "lei": true, "qualcuno": true, "casa": true, "home": true,
	"the": true, "il": true, "la": true, "l": true, "un": true, "una": true, "uno": true, "fare": true, "do": true, "get": true,
	"for": true, "per": true,
}

// pagesAnyway reports whether the message holds a cue of a topic the
// shop's pages answer whatever the classifier guesses (instead_of: any,
// the demo's job requests: "are you hiring?", "lavora con noi") and
// tells of no order, fault, damage or budget, which are the flows' ("my
// order is stuck at the same stage").
func (u *understanding) pagesAnyway() bool {
	if !u.pagesCued(InsteadAny) || u.said.has(ownOrderPhrases) {
		return false
	}
	return !slices.ContainsFunc(u.facts, func(fa fact) bool {
		switch fa.kind {
		case factOrder, factDefect, factDamage, factMoney:
			return true
		}
		return false
	})
}

// staffPhrases name a person of the shop or of the delivery.
var staffPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" courier ", " driver ", " delivery guy ", " delivery man ", " delivery driver ", " postman ", " staff ", " employee ", " employees ",
		" technician ", " clerk ", " shop assistant ", " salesman ", " saleswoman ", " operator ", " agent ", " cashier ",
		" corriere ", " fattorino ", " postino ", " autista ", " personale ", " dipendente ", " dipendenti ", " tecnico ", " commesso ", " commessa ",
		" operatore ", " operatrice ", " addetto ", " addetta ", " cassiere ", " cassiera ", " venditore "} {
		add(p)
	}
})

// mannersPhrases tell that a person behaved badly.
var mannersPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" rude ", " impolite ", " unfriendly ", " unprofessional ", " aggressive ", " arrogant ", " shouted ", " yelled ", " insulted ",
		" treated me badly ", " treated me like ", " behaved ", " hung up on me ", " disrespectful ", " nasty ",
		" maleducato ", " maleducata ", " scortese ", " sgarbato ", " sgarbata ", " arrogante ", " aggressivo ", " aggressiva ", " urlato ", " insultato ",
		" trattato male ", " trattata male ", " trattato malissimo ", " trattata malissimo ", " comportamento ", " attaccato il telefono ", " sbattuto il telefono ", " villano "} {
		add(p)
	}
})

// indexWords returns where sub starts in w, or -1.
func indexWords(w, sub []string) int {
	for i := 0; len(sub) > 0 && i+len(sub) <= len(w); i++ {
		if slices.Equal(w[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// stockFillers are the words that may stand between the words that ask
// whether the shop has something and the thing: articles, "any",
// "still", "new".
var stockFillers = map[string]bool{
	"the": true, "a": true, "an": true, "any": true, "some": true, "still": true, "also": true, "new": true, "that": true, "this": true,
	"il": true, "lo": true, "la": true, "l": true, "i": true, "gli": true, "le": true, "un": true, "uno": true, "una": true,
	"ancora": true, "anche": true, "qualche": true, "dei": true, "degli": true, "delle": true, "del": true, "della": true, "nuovo": true, "nuova": true, "nuovi": true,
	"is": true, "are": true, "e": true, "sono": true, "ora": true, "now": true,
}

// stockAskPhrases ask whether the shop has something, as customers
// type it, besides availabilityPhrases: "do u have", "c'e", "ce l'hai".
var stockAskPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" do u have ", " do ya have ", " do you guys have ", " you have ", " u have ", " have u got ", " got any ", " do you still have ",
		" c e ", " ce ", " ce l avete ", " ce l hai ", " ce lavete ", " ne avete ", " avete ancora ", " avte ", " tenete ", " ci sono ", " vendi ", " hai "} {
		add(p)
	}
})

// inStockPhrases follow a product to ask whether the shop has it.
var inStockPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" available ", " availabe ", " avaliable ", " in stock ", " disponibile ", " disponibili ", " disponbile ", " in magazzino ", " in negozio "} {
		add(p)
	}
})

// notForSalePhrases name what a shop has and does not sell: a manual,
// a phone number, a receipt, spare parts.
var notForSalePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" manual ", " manuale ", " instructions ", " istruzioni ", " receipt ", " invoice ", " scontrino ", " fattura ",
		" number ", " numero ", " email ", " address ", " indirizzo ", " spare parts ", " ricambi ", " pezzi di ricambio ", " repair ", " riparazione "} {
		add(p)
	}
})

// documentsOrPerson is the Value of a search of the documents for a
// question no flow handles: when no page answers, the bot says it cannot
// answer and offers a person (a bare "ok" takes the news), rather than
// asking to rephrase a question it read well.
const documentsOrPerson = "or_person"

// documentsBeside is the Value of a search of the documents for a
// question asked beside the sale the message starts ("do you rent
// phones? I'd buy a pixel 8 otherwise"): when no page answers, the bot
// says it cannot answer for sure, and the sale goes on.
const documentsBeside = "beside"

// beyondFAQs returns the command for a question outside any flow about a
// topic the shop's pages answer in place of an FAQ (instead_of: faq; the
// demo's discounts for kinds of customers and gift cards: "do you do
// student discounts? I've got my uni card", "do you sell gift cards?"),
// that the classifier took for an FAQ by a word they share (the card one
// pays with): the shop's pages answer, or nobody.
// The FAQ answers of its clauses are dropped too; nil when the intent
// stands.
func (u *understanding) beyondFAQs(intent *Command) *Command {
	if u.flow != nil || !u.question || !u.pagesCued(InsteadFAQ) {
		return nil
	}
	// The answer of a clause ("I can show my card") goes too.
	u.cmds = slices.DeleteFunc(u.cmds, func(c Command) bool { return c.Kind == CmdFAQ })
	if intent != nil && intent.Kind != CmdFAQ {
		return nil
	}
	return u.toPages(intent)
}

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
		if u.asksPolicy() {
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
		if asks && u.pagesCued(InsteadClaim) {
			// "do you take broken tvs for recycling?": no repair asked, in
			// the demo's words (instead_of: claim).
			return false
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

// asksPolicy reports whether the message asks a policy of the shop that
// no product answers, in the words of an intent the pages answer in
// place of the sale (instead_of: sale; the demo's more warranty, price
// match, take-back of an old product, gift cards).
//
// A purchase of a product the shop sells, in a clause no such cue is in,
// is a sale all the same: "I'm renting a flat and I'd like to buy a pixel
// 8" rents the flat, and buys the phone.
func (u *understanding) asksPolicy() bool {
	if !u.pagesCued(InsteadSale) {
		return false
	}
	for _, c := range u.splitClauses() {
		s := saying(c.text)
		buys := s.each(buyVerbPhrases, func(start, _ int) bool {
			// "I don't want to buy one", "non voglio comprarla": no
			// purchase; "if not I'll buy one", "se no compro" is one.
			for i := max(0, start-4); i < start; i++ {
				if deniesNext(s.words[:i+1]) && (i == 0 || s.words[i-1] != "if" && s.words[i-1] != "se") {
					return false
				}
			}
			return true
		})
		// "can I rent a tv? otherwise I'll buy one", "noleggiate portatili?
		// se no lo compro": the purchase is the alternative, of the thing
		// named in the clause before.
		alternative := s.has(otherwisePhrases)
		if buys && !u.b.pagesCuedIn(u.b.cuedIntents(s.words), InsteadSale) && slices.ContainsFunc(u.facts, func(f fact) bool {
			return (f.kind == factProduct || f.kind == factCategory) && f.span != "" && (alternative || strings.Contains(c.text, f.span))
		}) {
			return false
		}
	}
	return true
}

// buyVerbPhrases say the customer buys: plainer than purchasePhrases,
// which also ask a price ("costa meno altrove" is a price match's).
var buyVerbPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" comprare ", " acquistare ", " ordinare ", " compro ", " prendo ", " buy ", " purchase ", " order "} {
		add(p)
	}
})

// policyPhrases name a paper of a product or the shop's terms it may come
// with: a warranty card, more warranty, a free return. Not "warranty" alone: "do you have
// the iphone 15 in stock? does it come with warranty?" is a purchase.
var policyPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" warranty card ", " warranty certificate ", " guarantee card ", " free returns ", " free return ", " returnable ",
		" extended warranty ", " warranty extension ", " certificato di garanzia ", " tagliando di garanzia ", " garanzia estesa ", " estensione di garanzia ", " scheda di garanzia ", " reso gratuito ", " resi gratuiti ", " reso gratis ", " restituibile ", " restituibili "} {
		add(p)
	}
})

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
// in its question. A sentence that praises the product ("just got the
// oled, it looks amazing") tells of no problem; nor does one beside a
// question how to do something ("how do I convert cups to grams? it's
// for my airfryer"), which names what the question is about.
func (u *understanding) tellsOfProduct() bool {
	if u.said.has(howToPhrases) && !u.said.has(whatToDoPhrases) {
		return false
	}
	for _, sn := range sentences(u.text) {
		if strings.Contains(u.text, strings.TrimSpace(sn)+"?") || isQuestion(sn) || praises(sn) {
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

// praises reports whether a sentence says the customer's product works
// well or pleases them, with no "but" that turns to a problem: "funziona
// benissimo!", "it looks amazing", "love it"; not "fantastico, solo che
// la batteria dura due ore", nor "it no longer works well", whose
// negation denies the praise.
func praises(sentence string) bool {
	s := saying(sentence)
	return !s.has(butPhrases) && s.each(praisePhrases, func(start, end int) bool {
		return !deniesNext(s.words[:start]) && !s.each(limitPhrases, func(ls, le int) bool { return ls == end || le == start })
	})
}

// limitPhrases, just before or after a praise, hold it to a case: "works
// great when plugged in", "funziona bene solo attaccato alla corrente",
// "it only works well if...", "se funziona bene...". A fault is told
// beside it.
var limitPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" solo ", " soltanto ", " solamente ", " unicamente ", " quando ", " se ", " purche ", " basta che ", " tranne quando ",
		" only ", " when ", " whenever ", " if ", " unless ", " as long as ", " provided "} {
		add(p)
	}
})

// praisedNoFault reports whether the message praises a product and tells
// of no fault: no defect or damage read, no sentence that names a
// product without praising it (tellsOfProduct), and no clause of a
// praising sentence that says more than the praise (ownWords): a date,
// an age, thanks are the praise's company. "My pixel still works great
// after a year, bought it in may" is no claim; "works great, but the
// battery dies by noon" is one, and so are "the tv is great. the remote
// is broken", "the tv is great, it's the remote that won't pair" (a
// part's fault), "it works fine, can i still get more years of
// warranty" (a question of its own).
func (u *understanding) praisedNoFault() bool {
	if slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factDefect || f.kind == factDamage }) {
		return false
	}
	praised := false
	for _, sn := range sentences(u.text) {
		if !praises(sn) {
			continue
		}
		praised = true
		for _, c := range splitClauses(sn) {
			if !praises(c.text) && u.ownWords(c.text) >= 2 {
				return false
			}
		}
	}
	return praised && !u.tellsOfProduct()
}

var praisePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" e bellissimo ", " e bellissima ", " e fantastico ", " e fantastica ", " e perfetto ", " e perfetta ", " mi piace tantissimo ", " lo adoro ", " la adoro ", " si vede benissimo ",
		" looks amazing ", " looks great ", " looks fantastic ", " looks stunning ", " sounds amazing ", " sounds great ", " are great ", " are amazing ",
		" is amazing ", " is great ", " s amazing ", " s great ", " love it ", " loving it ", " i love my ", " it s perfect ", " is perfect "} {
		add(p)
	}
	// How well it works, an adverb of time or stress between: "funziona
	// ancora benissimo", "va sempre alla grande", "still works well".
	praise := func(verbs, adverbs, hows []string) {
		for _, v := range verbs {
			for _, a := range adverbs {
				for _, h := range hows {
					add(" " + strings.Join(strings.Fields(v+" "+a+" "+h), " ") + " ")
				}
			}
		}
	}
	itAdverbs := []string{"", "ancora", "sempre", "davvero", "proprio", "tuttora", "ancora oggi", "ancora adesso"}
	praise([]string{"funziona", "funzionano"}, itAdverbs, []string{"benissimo", "bene", "alla grande", "perfettamente", "a meraviglia", "da dio"})
	praise([]string{"va", "vanno"}, itAdverbs, []string{"benissimo", "alla grande", "a meraviglia", "da dio"})
	praise([]string{"works", "work", "runs", "is working", "is running", "s working", "s running"}, []string{"", "still", "really", "just", "always"},
		[]string{"great", "fine", "perfectly", "well", "like a charm", "flawlessly", "beautifully", "like new"})
})

// butPhrases turn a praise to a problem: a "but", and a praise that
// lasts a while or holds sometimes ("works fine for an hour, then...",
// "funziona bene finché non si scalda", "solo a volte").
var butPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" ma ", " pero ", " tranne ", " solo che ", " peccato che ", " se non che ", " sennonche ", " l unica cosa ", " l unico problema ",
		" a parte ", " poi ", " dopo un po ", " finche ", " fino a quando ", " fin quando ", " a volte ", " ogni tanto ", " non sempre ", " solo quando ", " per qualche ",
		" but ", " except ", " although ", " though ", " only thing is ", " the only thing ", " only problem ", " just that ", " shame that ", " pity that ",
		" apart from ", " then ", " until ", " till ", " sometimes ", " not always ", " only when ", " for a while ", " for an hour ", " for a few ", " for a bit "} {
		add(p)
	}
})

// whatToDoPhrases ask what to do about something, which a problem
// prompts: "my tv went black, what should I do?".
var whatToDoPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" what do i do ", " what should i do ", " what can i do ", " cosa devo fare ", " che devo fare ", " cosa faccio ", " che faccio ", " cosa posso fare "} {
		add(p)
	}
})

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

// personNotMeant reports whether the person the classifier read in the
// message is none: the message holds a cue of a topic the pages answer
// in place of a person (instead_of: human; the demo's phone networks,
// whose "operatore" is no person of the shop: "sbloccare il telefono
// dall'operatore, voglio una sim iliad") and asks for no person in
// other words ("un operatore", "a person"). The human intent's examples
// share the word, and the classifier is sure of it.
func (u *understanding) personNotMeant() bool {
	return u.pagesCued(InsteadHuman) && !u.said.has(personPhrases)
}

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
		if slices.ContainsFunc(u.b.Intents, func(in *Intent) bool { return in.talks() && in.stems[st] }) {
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
	i := strings.IndexAny(u.text, ",!.")
	if i < 0 || countWords(u.text[:i]) > 3 || countWords(u.text[i+1:]) < 2 {
		return
	}
	if in := u.b.intents[u.scores[0].Intent]; in == nil || in.Reply.IsZero() {
		// The greeting's words pulled the whole elsewhere ("ciao, vorrei
		// la garanzia per il pixel 8" read as the warranty's terms): the
		// rest alone, when it reads more surely, is what is asked.
		u.pastGreetingAsked(i)
		return
	}
	rest := u.text[i+1:]
	// The rest is classified only after a greeting that reads as the
	// whole message does.
	if lead := u.classify(u.text[:i]); len(lead) == 0 || lead[0].Intent != u.scores[0].Intent {
		return
	}
	after := u.classify(rest)
	if len(after) == 0 {
		return
	}
	// The rest is read when it asks clearly for something that is no small
	// talk, or when it is a long message the classifier knows nothing of
	// (the pages may answer it); "hi, how are you doing today" resembles
	// the opening hours a little, and stays small talk.
	in := u.b.intents[after[0].Intent]
	clear := in != nil && in.Reply.IsZero() && after[0].Confidence >= max(0.6, u.b.Threshold+0.2) && !u.smallTalkGoesOn(rest)
	unknown := after[0].Confidence < u.b.Threshold && countWords(rest) >= 5 && !u.smallTalkGoesOn(rest)
	if clear || unknown {
		u.scores = after
	}
}

// howAreYou reads a first message of greetings and "how are you" alone
// ("ciao, tutto bene?", "buongiorno! come state oggi?", "hey hows it
// going") as the shop's answer to a "how are you": the classifier may
// weigh "tutto" as "that's all" or send the question to the pages. The
// shop's own intents say what "how are you" is: its plainest form is
// classified. A message with a word of a request ("ciao, tutto bene? il
// mio ordine non arriva") is read as it is.
func (u *understanding) howAreYou() {
	if u.flow != nil || u.in.State.Offer != "" || !u.said.has(howAreYouPhrases) {
		return
	}
	// The words of the wish itself ("oggi", "well", "going") are in other
	// intents' examples too; the rest must be small talk.
	var rest []string
	for _, w := range u.words {
		if !howAreYouWords[w] {
			rest = append(rest, w)
		}
	}
	if !u.smallTalkGoesOn(strings.Join(rest, " ")) {
		return
	}
	// Nothing of the shop's told beside it ("how are you going to fix my
	// tv?"), but the day of the wish ("oggi").
	for _, f := range u.facts {
		if f.kind != factDate || slices.ContainsFunc(u.wordsOf(f.span), func(w string) bool { return !howAreYouWords[w] }) {
			return
		}
	}
	plain := "how are you"
	if u.in.Lang == "it" {
		plain = "come va"
	}
	sc := u.classify(plain)
	if len(sc) == 0 {
		return
	}
	if in := u.b.intents[sc[0].Intent]; in == nil || !in.talks() {
		return
	}
	// The words are all small talk and one of them asks how things are:
	// as sure as the phrase, whatever the classifier made of the whole.
	u.scores = append([]nlu.Scored{{Intent: sc[0].Intent, Confidence: 0.9}},
		slices.DeleteFunc(slices.Clone(u.scores), func(x nlu.Scored) bool { return x.Intent == sc[0].Intent })...)
}

var howAreYouWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`come stai state sta va vi tutto bene ok posto oggi spero di si sì anche voi te
		how are you u r ya doing going is it s hows things today hope well all fine guys`) {
		m[w] = true
	}
	return m
}()

var howAreYouPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{
		" come stai ", " come state ", " come sta ", " come va ", " come vi va ", " tutto bene ", " tutto ok ", " tutto a posto ",
		" come ve la passate ", " come te la passi ",
		" how are you ", " how are u ", " how r u ", " how are ya ", " hows it going ", " how s it going ", " how is it going ",
		" how are things ", " how you doing ", " how are you doing ", " hope you re well ", " hope you are well ", " hope all is well ",
	} {
		add(p)
	}
})

// pastGreetingAsked reads the rest of a message after a greeting of a
// few words that ends at i, when the whole message reads as no small
// talk: the rest, alone, is taken when it asks for something that is no
// small talk more surely than the whole.
func (u *understanding) pastGreetingAsked(i int) {
	lead := u.classify(u.text[:i])
	if len(lead) == 0 || lead[0].Confidence < u.b.Threshold {
		return
	}
	if in := u.b.intents[lead[0].Intent]; in == nil || in.Reply.IsZero() {
		return // "ordine SP-123456, dove si trova?" opens with no greeting
	}
	after := u.classify(u.text[i+1:])
	if len(after) == 0 || after[0].Confidence < u.b.Threshold || after[0].Confidence <= u.scores[0].Confidence {
		return
	}
	if in := u.b.intents[after[0].Intent]; in != nil && in.Reply.IsZero() {
		u.scores = after
	}
}

// pagesCued reports whether the message holds a cue of an intent the
// shop's pages answer (answer: documents) in place of the guess instead
// (InsteadFAQ, InsteadSale...): the shop's words for its topics are in
// its flow file, the rules that read them here.
func (u *understanding) pagesCued(instead string) bool {
	return u.b.pagesCuedIn(u.cuedIn(), instead)
}

// pagesTopicCued reports whether the message holds a cue of an intent
// the shop's pages answer (answer: documents), whatever it replaces.
func (u *understanding) pagesTopicCued() bool {
	cued := u.cuedIn()
	for i, in := range u.b.Intents {
		if cued[i] && in.Answer == AnswerDocuments {
			return true
		}
	}
	return false
}

// pagesCuedIn is pagesCued of the intents cued (cuedIntents).
func (b *Bot) pagesCuedIn(cued []bool, instead string) bool {
	for i, in := range b.Intents {
		if cued[i] && in.Answer == AnswerDocuments && slices.Contains(in.InsteadOf, instead) {
			return true
		}
	}
	return false
}

// asksToCompose reports whether the message asks the bot to write a text
// for the customer: a letter, an essay, a poem, a CV ("can you help me
// write a letter to my boss?", "mi scrivi un tema sui vulcani?"), the
// text named within a few words of the request. No flow writes them, and
// what the text is to tell (a fault of something the shop never sold, a
// date) is no claim on the shop. A message that names what a flow acts
// on is the flows' all the same: a product, a kind or a brand of the
// catalogue, an order, damage, or words of the shop's service ("a
// withdrawal letter for the return", "a letter to the courier about my
// parcel", "a quote on letter paper").
func (u *understanding) asksToCompose() bool {
	if !u.said.each(composePhrases, func(_, end int) bool {
		return slices.ContainsFunc(u.words[end:min(end+3, len(u.words))], func(w string) bool { return composedTexts[w] })
	}) {
		return false
	}
	if u.said.has(serviceWordPhrases) {
		return false
	}
	return !slices.ContainsFunc(u.facts, func(f fact) bool {
		return f.kind == factOrder || f.kind == factProduct || f.kind == factCategory || f.kind == factBrand || f.kind == factDamage
	})
}

// composePhrases ask someone to write for the customer; "I want to write
// a complaint" writes it oneself.
var composePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" help me write ", " help me draft ", " can you write ", " could you write ", " would you write ",
		" write me ", " draft me ", " can you draft ", " aiutami a scrivere ", " mi aiuti a scrivere ", " mi aiutate a scrivere ",
		" puoi scrivere ", " potresti scrivere ", " puoi scrivermi ", " potresti scrivermi ", " mi scrivi ", " scrivimi ",
		" mi prepari "} {
		add(p)
	}
})

// composedTexts are the texts people ask an assistant to write.
var composedTexts = map[string]bool{
	"letter": true, "essay": true, "poem": true, "speech": true, "cv": true, "story": true, "song": true, "toast": true,
	"lettera": true, "tema": true, "poesia": true, "discorso": true, "curriculum": true, "saggio": true, "racconto": true, "canzone": true,
}

// serviceWordPhrases are the shop's service in the words of a text to
// write: the text is the service asked for.
var serviceWordPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" ordine ", " order ", " pacco ", " parcel ", " corriere ", " courier ", " reso ", " return ", " refund ", " rimborso ",
		" recesso ", " withdrawal ", " spedizione ", " shipping ", " consegna ", " delivery ", " delivered ", " garanzia ", " warranty ",
		" preventivo ", " quote ", " tracking ", " fattura ", " invoice ", " acquisto ", " purchase ", " comprato ", " bought ", " difettoso ",
		" defective ", " manufacturer ", " produttore "} {
		add(p)
	}
})
