package flows

import (
	"slices"
	"strings"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows/extract"
	"github.com/sportello/sportello/flows/knowledge"
	"github.com/sportello/sportello/flows/nlu"
)

// Answers from the shop's documents. A question the flows and the FAQ
// entries do not handle is searched in the documents (CmdDocuments):
// above the threshold the bot answers with the passage as the shop wrote
// it, the citation, and "did this help?"; below it, it says it did not
// understand, as for any message it cannot handle. An FAQ entry whose
// question a page answers too cites the page, and is recorded and asked
// about as a search of the documents.
//
// Inside a flow the answer is a digression: "did this help?" is asked,
// then the flow's pending question again. The next message may answer
// either: a bare yes, no or "a person" is the feedback (thanks is a yes;
// unless the pending question is itself a yes/no one: then a yes or no
// is that answer), and anything else is read as usual, the answer to the
// pending question first. The feedback buttons pressed later still rate
// the answer, once (lateFeedback).

// The payloads of the feedback buttons. "A person" under an answer hands
// off as PayloadHuman does, and says which answer it was under when it
// is pressed after the conversation moved on.
const (
	PayloadHelped    = "k:y"
	PayloadNotHelped = "k:n"
	PayloadDocHuman  = "k:h"
)

const (
	// offerFeedback: the bot asked whether its answer from the documents
	// helped.
	offerFeedback = "feedback"
	// varDocQuestion keeps the question the documents answered while the
	// customer says whether it helped, for the transcript and the case.
	varDocQuestion = "doc_question"
	// varDocUnrated keeps the last question answered whose feedback has
	// not come, for a press of its buttons after the conversation moved
	// on (Telegram keeps them under the answer).
	varDocUnrated = "doc_unrated"
)

// faqMarker prefixes the Intent of the search recorded for an FAQ
// entry's answer, with the entry's ID: the entry answered, the page is
// its citation.
const faqMarker = "faq:"

// answerDocuments answers q from the documents and reports whether it
// did.
func (c *conv) answerDocuments(q string) bool {
	ix := c.b.Knowledge()
	if ix == nil || asksOnlyPrice(q) {
		// "quanto costa?", "how much would it be roughly?": the price of
		// what the conversation is about, which no page of a help centre
		// lists (it would answer with the cost of shipping): a person
		// tells it.
		return false
	}
	a, ok := c.b.docsAnswer(ix, q, c.lang)
	if !ok {
		// "do I need the original box? I think I threw the foam away": the
		// question of a message that tells more is asked on its own.
		if b, q2, found := c.b.questionOf(ix, q, c.lang); found {
			a, ok, q = b, true, q2
		}
	}
	if !ok && len(a.Hits) > 0 {
		// "ho già spedito il reso, il rimborso quando arriva?": what the
		// customer did, then the clause that asks, which is asked on its
		// own. The page must be the one the whole message found best: a
		// clause alone may have lost what it asks of ("the tv, how do I
		// reset it?").
		if q2 := c.b.askedClause(q, c.lang); q2 != "" {
			if b, found := c.b.docsAnswer(ix, q2, c.lang); found && b.Passage != nil && b.Passage.Doc == a.Hits[0].Passage.Doc {
				a, ok, q = b, true, q2
			}
		}
	}
	if !ok {
		// "the magnifica I already have at the office shows the descale
		// light": whose the product is tells the pages nothing, and its
		// words weigh against the answer. The page must be the one the
		// whole message found best: the words left decide no other topic.
		if q2 := withoutOwnership(q); q2 != "" && len(a.Hits) > 0 {
			if b, found := c.b.docsAnswer(ix, q2, c.lang); found && b.Passage != nil && b.Passage.Doc == a.Hits[0].Passage.Doc {
				a, ok = b, true
			}
		}
	}
	c.recordLookup(bot.Event{Text: q}, a, ok)
	if !ok {
		return false
	}
	text := a.Text
	if p := howToPassage(a, q); p != nil {
		text = p.Text
	} else if p := whenPassage(a, q); p != nil {
		text = p.Text
	}
	// The passage is the shop's text, never a template: it is not
	// filled, and is shown as a reader of the page sees it (answer_text.go).
	c.askFeedback(q, plainText(text)+"\n\n"+c.source(a))
	return true
}

// othersOwnThing reports whether a how-to question that names nothing of
// the catalogue asks about a thing of the customer's ("my password",
// "la password del mio account") that doc, a page about a product of
// the catalogue (its title names one), neither names in its title nor in
// its headings: the product's page shares a word with the question
// ("reset", a Wi-Fi "password" to write down), not its subject. "How do
// I reset it?" names no thing and "how do I descale my machine?" one
// its headings name.
func (b *Bot) othersOwnThing(q, lang string, doc *knowledge.Document) bool {
	if doc == nil || !slices.ContainsFunc(b.read(doc.Title, lang, time.Time{}, ""), func(f fact) bool { return f.kind == factProduct }) {
		return false
	}
	own := ownedNouns(words(q))
	if len(own) == 0 {
		return false
	}
	var page []string
	page = append(page, words(doc.Title)...)
	for _, line := range strings.Split(doc.Body, "\n") {
		if strings.HasPrefix(line, "#") {
			page = append(page, words(line)...)
		}
	}
	for _, n := range own {
		stem := n[:min(len(n), 5)]
		if !slices.ContainsFunc(page, func(w string) bool { return strings.HasPrefix(w, stem) }) {
			return true
		}
	}
	return false
}

// ownedNouns returns the words of w that follow a possessive ("my
// password", "il mio account"), pronouns and fillers left out.
func ownedNouns(w []string) []string {
	var out []string
	for i := 0; i+1 < len(w); i++ {
		if !possessiveWords[w[i]] {
			continue
		}
		n := w[i+1]
		if n == "own" && i+2 < len(w) {
			n = w[i+2]
		}
		if len(n) >= 3 && !possessiveWords[n] && !notOwnedThings[n] {
			out = append(out, n)
		}
	}
	return out
}

// possessiveWords own what follows them: "my laptop", "il mio account"
// ("tuo" when the customer quotes someone: "il tuo telefono").
var possessiveWords = map[string]bool{"my": true, "our": true, "mio": true, "mia": true, "miei": true, "mie": true, "nostro": true, "nostra": true,
	"nostri": true, "tuo": true}

// notOwnedThings follow a possessive without naming a thing: "my own",
// "my new one", "il mio nuovo".
var notOwnedThings = map[string]bool{"own": true, "new": true, "old": true, "one": true, "nuovo": true, "nuova": true, "vecchio": true, "vecchia": true}

// howToPassage returns the section of the answer's page that tells how
// (its heading "How to...", "Come..."), for a question q that asks how
// to do something, when the best passage is the one around the steps
// ("Before you reset", "When to descale": it holds the question's words,
// and the customer asked for the steps) and the search found the steps
// near it; nil otherwise.
func howToPassage(a knowledge.Answer, q string) *knowledge.Passage {
	if s := saying(q); a.Passage == nil || !isContextHeading(a.Passage.Heading) || !asksHowToIn(s) && !s.has(stepsPhrases) {
		return nil
	}
	return nearSection(a, isHowToHeading, stepsShare)
}

// nearSection returns the section of the answer's page whose heading
// wants says it answers, when the search scored it at share of the best
// passage's score or more; nil otherwise.
func nearSection(a knowledge.Answer, wants func(heading string) bool, share float64) *knowledge.Passage {
	best := 0.0
	for _, h := range a.Hits {
		if h.Passage == a.Passage {
			best = h.Score
		}
	}
	for _, h := range a.Hits {
		if h.Passage.Doc == a.Passage.Doc && h.Passage != a.Passage && h.Score >= best*share && wants(h.Passage.Heading) {
			return h.Passage
		}
	}
	return nil
}

// whenPassage returns the section of the answer's page that tells when
// (its heading "When to descale", "Quando decalcificare"), for a question
// q that asks how often or when ("ogni quanto va fatta?", "how often
// should I descale?", "quando devo decalcificarla?"), when the best
// passage is the one of the steps ("How to descale": a name of the
// product the steps write, "De'Longhi", weighs it up) and the search
// found the when section near it; nil otherwise. A question that asks
// how, too, keeps the steps.
func whenPassage(a knowledge.Answer, q string) *knowledge.Passage {
	if s := saying(q); a.Passage == nil || !isHowToHeading(a.Passage.Heading) || !s.has(whenPhrases) || asksHowToIn(s) {
		return nil
	}
	return nearSection(a, isWhenHeading, whenShare)
}

// whenPhrases ask how often or when something is to be done.
var whenPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" ogni quanto ", " ogni quanti ", " ogni quante ", " quanto spesso ", " con che frequenza ", " con quale frequenza ",
		" quando va ", " quando vanno ", " quando devo ", " quando bisogna ", " quando e il momento ",
		" how often ", " how frequently ", " when should i ", " when do i need ", " when do i have ", " when is it time "} {
		add(p)
	}
})

// isWhenHeading reports whether a section's heading says it tells when:
// "When to descale", "Quando decalcificare".
func isWhenHeading(h string) bool {
	w := words(h)
	return len(w) > 1 && (w[0] == "when" || w[0] == "quando")
}

// stepsPhrases ask for the steps too, beside a how-to question: "is
// there a way to reset it myself?", "what do I do?".
var stepsPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" is there a way to ", " a way to ", " what do i do ", " what should i do ",
		" c e un modo per ", " c e un modo di ", " cosa devo fare ", " cosa faccio ", " che devo fare "} {
		add(p)
	}
})

// whenShare is how close to the best passage's score the section that
// tells when must come to be quoted instead of the steps; stepsShare that
// for the steps, instead of the section around them, for a question that
// asks how. The section around the steps holds the words of what made the
// customer ask ("la spia del calcare", "the light is on"), which the
// steps do not repeat: "the limescale light came on, how do I clean it?"
// may find the steps at under half of it.
const (
	whenShare  = 0.5
	stepsShare = 0.25
)

// isContextHeading reports whether a section's heading says it tells
// what comes around the steps rather than the steps: "Before you reset",
// "When to descale", "Prima di ripristinare", "Quando decalcificare". A
// section on a topic of its own ("Paying with PayPal") answers as it is.
func isContextHeading(h string) bool {
	w := words(h)
	return len(w) > 1 && (w[0] == "before" || w[0] == "when" || w[0] == "prima" || w[0] == "quando")
}

// isHowToHeading reports whether a section's heading says it tells how
// to do something: "How to reset the TV", "Come decalcificare".
func isHowToHeading(h string) bool {
	w := words(h)
	return len(w) > 1 && (w[0] == "how" || w[0] == "come")
}

// asksOnlyPrice reports whether q asks a price and names nothing else:
// every other word is a little word, a word of any question, or one that
// makes the price vague ("more or less", "roughly").
func asksOnlyPrice(q string) bool {
	price := false
	for _, w := range words(q) {
		switch {
		case priceWords[w]:
			price = true
		case littleWords[w] || commonWords[w] || vaguePriceWords[w]:
		default:
			return false
		}
	}
	return price
}

var priceWords = map[string]bool{
	"costa": true, "costo": true, "costi": true, "costano": true, "prezzo": true, "prezzi": true, "costerebbe": true, "costerebbero": true, "costera": true,
	"cost": true, "costs": true, "price": true, "prices": true, "much": true,
}

var vaguePriceWords = map[string]bool{
	"piu": true, "più": true, "meno": true, "circa": true, "indicativamente": true, "magari": true, "verrebbe": true, "sarebbe": true, "ci": true, "mi": true,
	// The price asked of a quote is the quote's: "how much is the quote?".
	"quote": true, "preventivo": true,
	"how": true, "be": true, "roughly": true, "approximately": true, "more": true, "less": true, "or": true, "would": true, "will": true, "does": true, "do": true, "me": true, "us": true,
}

// questionOf asks the documents each question sentence of text on its
// own, when text has more than one sentence, and returns the best
// answered one and the sentence.
func (b *Bot) questionOf(ix *knowledge.Index, text, lang string) (knowledge.Answer, string, bool) {
	parts := sentences(text)
	if len(parts) < 2 {
		return knowledge.Answer{}, "", false
	}
	var best knowledge.Answer
	var q string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if !isQuestion(p) && !strings.Contains(text, p+"?") {
			continue
		}
		if a, ok := b.docsAnswer(ix, p, lang); ok && a.Score > best.Score {
			best, q = a, p
		}
	}
	return best, q, q != ""
}

// askedClause returns the last clause of q, cut at a comma, and its
// question mark, when q is one question of more clauses ("ho reso il
// pacco, quando mi rimborsate?") and what comes before the clause names
// nothing of the catalogue ("il portatile, come lo resetto?" asks of the
// laptop, which the clause alone has lost); else "".
func (b *Bot) askedClause(q, lang string) string {
	q = strings.TrimSpace(q)
	cs := splitClauses(q)
	if len(cs) < 2 || len(sentences(q)) > 1 || !strings.HasSuffix(q, "?") {
		return ""
	}
	last := cs[len(cs)-1]
	i := strings.LastIndex(q, last.text)
	if !last.comma || i < 0 {
		return ""
	}
	for _, f := range b.read(q[:i], lang, time.Time{}, "") {
		if f.kind == factProduct || f.kind == factCategory || f.kind == factBrand {
			return ""
		}
	}
	return strings.TrimSpace(last.text) + "?"
}

// withoutOwnership returns the words of q without the phrases that say
// the product is the customer's own, or where they keep it ("che ho
// già", "I already have at the office"), or "" when q has none.
func withoutOwnership(q string) string {
	s := saying(q)
	drop := make([]bool, len(s.words))
	s.each(ownershipPhrases, func(start, end int) bool {
		for k := start; k < end; k++ {
			drop[k] = true
		}
		return false // every phrase
	})
	if !slices.Contains(drop, true) {
		return ""
	}
	var w []string
	for k, x := range s.words {
		if !drop[k] {
			w = append(w, x)
		}
	}
	return strings.Join(w, " ")
}

// ownershipPhrases say a product is the customer's, or where it is kept.
var ownershipPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" che ho gia ", " che ho ", " che abbiamo gia ", " che abbiamo ", " che ho a casa ", " che ho in ufficio ",
		" a casa ", " in ufficio ", " in negozio da me ",
		" i already have ", " we already have ", " that i have ", " that we have ", " i have at home ", " i have at the office ",
		" at home ", " at the office ", " at work "} {
		add(p)
	}
})

// citeFAQ says the answer of the FAQ entry f with the page of the
// documents that answers the same question, when there is one, and
// reports whether there was: the FAQ entry is the shop's answer, the
// page where the customer reads more. Such an answer is recorded as a
// search of the documents, answered, and asks "did this help?", so the
// managers' list of gaps counts it and its feedback.
func (c *conv) citeFAQ(f *FAQ, answer string, buttons []bot.Button) bool {
	ix := c.b.Knowledge()
	if ix == nil || c.text == "" {
		return false
	}
	a, ok := ix.Answer(c.text, c.lang)
	if !ok {
		return false
	}
	c.recordLookup(bot.Event{Text: c.text, Intent: faqMarker + f.ID}, a, true)
	c.askFeedback(c.text, answer+"\n\n"+c.source(a), buttons...)
	return true
}

// source is the line that cites the page of a.
func (c *conv) source(a knowledge.Answer) string {
	return c.b.Text(TextDocumentsSource, c.lang, map[string]string{"source": a.Citation})
}

// askFeedback says text, an answer to q, and asks whether it helped;
// buttons (an FAQ entry's own) come before yes, no and a person.
func (c *conv) askFeedback(q, text string, buttons ...bot.Button) {
	c.s.SetVar(varOffer, offerFeedback)
	c.s.SetVar(varDocQuestion, q)
	c.s.SetVar(varDocUnrated, q)
	buttons = append(buttons,
		bot.Button{Title: c.b.text(TextButtonYes, c.lang), Payload: PayloadHelped},
		bot.Button{Title: c.b.text(TextButtonNo, c.lang), Payload: PayloadNotHelped},
		bot.Button{Title: c.b.text(TextButtonHuman, c.lang), Payload: PayloadDocHuman})
	c.say(text+"\n\n"+c.b.text(TextDocumentsHelpful, c.lang), buttons...)
}

// feedbackThanks reads thanks given to "did this help?" (joined: the
// message's words between spaces) and reports whether it says the answer
// helped, and whether it is thanks at all: "ok grazie", "thanks, that
// worked" did; "grazie lo stesso", "no thanks", "thanks anyway" did not.
func feedbackThanks(s said) (helped, ok bool) {
	if s.has(thanksNotHelpedPhrases) {
		return false, true
	}
	if s.has(thanksHelpedPhrases) {
		return true, true
	}
	return false, false
}

var thanksNotHelpedPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{
		" lo stesso ", " comunque ", " anyway ", " no grazie ", " niente grazie ", " no thanks ", " no thank you ",
	} {
		add(p)
	}
})

var thanksHelpedPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{
		" grazie ", " perfetto ", " ottimo ", " thanks ", " thank you ", " thx ", " perfect ", " great ",
	} {
		add(p)
	}
})

// recordLookup records a search of the documents for the managers' list
// of what the help centre lacks: ev holds the question (and for an FAQ
// entry's answer, its marker), a the search's result.
func (c *conv) recordLookup(ev bot.Event, a knowledge.Answer, ok bool) {
	ev.Type, ev.Action, ev.Value, ev.Language = bot.EventLookup, bot.LookupDocuments, bot.DocumentsAbstained, c.lang
	if ok {
		ev.Value, ev.Confidence = bot.DocumentsAnswered, a.Score
	} else if len(a.Hits) > 0 {
		ev.Confidence = a.Hits[0].Score
	}
	for _, h := range a.Hits {
		ev.Passages = append(ev.Passages, h.Passage.ID)
	}
	c.t.Record(ev)
}

// feedback records the customer's answer to "did this help?" about q.
func (c *conv) feedback(q, value string) {
	c.s.SetVar(varDocUnrated, "")
	c.t.Record(bot.Event{Type: bot.EventAction, Action: bot.DocumentsFeedback, Text: q, Value: value, Language: c.lang})
}

// lateFeedback takes the press of a yes or no button of "did this help?"
// that came after the conversation moved on (the customer answered the
// flow's question first, then the answer's buttons) as the feedback on
// the last answer not rated yet, and reports whether it did; st is the
// pending step. A button of an answer already rated is stale.
func (c *conv) lateFeedback(st *Step) bool {
	p, q := c.t.Message.Payload, c.s.Vars[varDocUnrated]
	if q == "" || p != PayloadHelped && p != PayloadNotHelped {
		return false
	}
	inFlow := st != nil && st.Kind == StepAsk
	c.helped(q, p == PayloadHelped, inFlow)
	if inFlow && p == PayloadHelped {
		c.prompt(st)
	}
	return true
}

// helped answers the customer's yes or no to "did this help?". Inside a
// flow (inFlow) a yes goes back to the flow, which asks its question
// again; a no offers a person, and "no, go on" goes back to it.
func (c *conv) helped(q string, yes, inFlow bool) {
	if yes {
		c.feedback(q, bot.FeedbackHelped)
		if inFlow {
			c.say(c.b.text(TextDocumentsHelpedFlow, c.lang))
			return
		}
		c.say(c.b.text(TextDocumentsHelped, c.lang))
		c.s.SetVar(varOffer, offerMore)
		return
	}
	c.feedback(q, bot.FeedbackNotHelped)
	// The offer of a person keeps the question, for the case.
	c.s.SetVar(varOffer, offerHuman)
	c.s.SetVar(varDocQuestion, q)
	c.say(c.b.text(TextDocumentsNotHelp, c.lang), c.humanButtons()...)
}

// Questions mistyped. A word the intents' examples lack, one letter away
// from one they have, is read as that word when the message as written
// is understood by no intent: "hw much is shippin", "how much is
// shiping" ask the shipping FAQ as "how much is shipping" does. The
// message's respelling r says which words (extract.Respelt.IntentWords).

// classifyMistyped returns the classifier's scores of text with its words
// respelt for the classifier when they name a confident intent more
// surely than scores, those of text as written, name theirs ("how much
// for shippng" is no purchase); otherwise scores. ws are the words of
// text, r the respelling of the message text is of.
func (b *Bot) classifyMistyped(r *extract.Respelt, text string, ws []string, scores []nlu.Scored) []nlu.Scored {
	if b.wordOwner == nil {
		return scores
	}
	fixed, ok := r.IntentWords(ws)
	if !ok {
		return scores
	}
	q := strings.Join(fixed, " ")
	if strings.Contains(text, "?") {
		q += "?"
	}
	if sc := b.Classify(q); b.confident(sc) != nil && (len(scores) == 0 || sc[0].Confidence > scores[0].Confidence) {
		return sc
	}
	return scores
}

// beforeTheOrder returns the FAQ closest to a question in the middle of
// a purchase that reads as an order's status: "in quanto tempo arriva a
// Genova?", "when would it arrive?" while buying ask of the delivery of
// an order not made yet, which has no status to look up. A question that
// names an order ("and my other order?") is left to the order's flow;
// nil then, and when nothing else applies.
func (u *understanding) beforeTheOrder(top *Intent, answered bool) *Command {
	b := u.b
	if answered || u.flow == nil || !u.question || !u.flow.sells(b) || b.orderSlot == "" || u.said.has(namedOrderPhrases) ||
		slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factOrder }) {
		return nil
	}
	status := func(in *Intent) bool {
		return in != nil && b.Flows[in.Flow] != nil && b.Flows[in.Flow].asks(b.orderSlot)
	}
	if top != nil && !status(top) {
		return nil
	}
	if !slices.ContainsFunc(u.scores[:min(len(u.scores), 3)], func(sc nlu.Scored) bool { return status(b.intents[sc.Intent]) }) {
		return nil
	}
	// The FAQ at a quarter of the threshold, or the best guess of all at
	// an eighth: "if I order it today" reads weakly as the opening hours.
	for i, sc := range u.scores {
		if in := b.intents[sc.Intent]; in != nil && in.FAQ != "" && (sc.Confidence >= b.Threshold/4 || i == 0 && sc.Confidence >= b.Threshold/8) {
			return b.intentCommand(in, sc.Confidence)
		}
	}
	return nil
}

// namedOrderPhrases name an order the customer has: "il mio ordine",
// "my parcel", "the other order".
var namedOrderPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" mio ordine ", " mio pacco ", " altro ordine ", " ordine precedente ", " mia spedizione ",
		" my order ", " my parcel ", " my package ", " other order ", " previous order ", " my delivery ", " my shipment "} {
		add(p)
	}
})

// docsAnswer asks the documents ix for q, and keeps the answer unless q
// asks how to do something the page only seems to tell:
//   - q names a kind or brand the shop does not sell ("how do I descale
//     my kettle?", "how do i reset the dishwasher?"): the shop's pages tell
//     how to use what it sells, and the nearest page ("descaling the
//     Magnifica") is no answer;
//   - the page holds only the catalogue's names of q ("how do i reset the
//     dyson?" and the warranty page, which names the Dyson): without the
//     names, q finds another page (the TV's reset);
//   - q names a product or a brand of the catalogue that the page does
//     not ("how do i clean the galaxy?" and the Magnifica's descaling):
//     the steps are another product's.
func (b *Bot) docsAnswer(ix *knowledge.Index, q, lang string) (knowledge.Answer, bool) {
	a, ok := ix.Answer(q, lang)
	if ok && a.Passage != nil && b.topicMissed(q, a.Passage.Text) {
		return a, false
	}
	if !ok || a.Passage == nil || !asksHowToIn(saying(q)) {
		return a, ok
	}
	var names []string
	named := map[string]bool{} // the products and brands q names
	for _, f := range b.read(q, lang, time.Time{}, "") {
		switch {
		case f.kind == factBrand && !f.sold:
			return a, false
		case f.kind == factProduct || f.kind == factCategory || f.kind == factBrand:
			names = append(names, f.span)
		}
		switch f.kind {
		case factProduct:
			named["p:"+f.value] = true
		case factBrand:
			named["b:"+f.value] = true
			for _, o := range f.others {
				named["p:"+o] = true
			}
		}
	}
	if len(names) == 0 {
		if b.othersOwnThing(q, lang, a.Passage.Doc) {
			return a, false
		}
		return a, ok
	}
	if len(named) > 0 && !b.pageNames(a.Passage.Doc, named, lang) {
		return a, false
	}
	rest := q
	for _, n := range names {
		rest = strings.Replace(rest, n, " ", 1)
	}
	if countWords(rest) == 0 {
		return a, ok
	}
	// Another page of the same language that the rest finds tells what
	// is asked; a rest that finds none says nothing against the page.
	if r, found := ix.Answer(rest, lang); found && r.Passage != nil && r.Passage.Doc != a.Passage.Doc && r.Passage.Doc.Lang == a.Passage.Doc.Lang {
		return a, false
	}
	return a, ok
}

// topicMissed reports whether q names, by a cue, a topic that the
// shop's pages answer (an intent with answer: documents: "price match",
// "gift card") and text, the passage found, writes none of that
// intent's cues: the search found a passage that shares a word with the
// topic ("the price depends on the fault"), not one that speaks of it.
func (b *Bot) topicMissed(q, text string) bool {
	cued := b.cuedIntents(words(q))
	in := " " + strings.Join(words(text), " ") + " "
	for i, it := range b.Intents {
		if !cued[i] || it.Answer != AnswerDocuments {
			continue
		}
		if !slices.ContainsFunc(it.cues, func(c string) bool { return !strings.Contains(c, "...") && strings.Contains(in, c) }) {
			return true
		}
	}
	return false
}

// pageNames reports whether the page doc names one of the products or
// brands in named ("p:" and a product's ID, "b:" and a brand), in its
// title or its text.
func (b *Bot) pageNames(doc *knowledge.Document, named map[string]bool, lang string) bool {
	for _, f := range b.read(doc.Title+"\n"+doc.Body, lang, time.Time{}, "") {
		if f.kind == factProduct && named["p:"+f.value] || f.kind == factBrand && named["b:"+f.value] {
			return true
		}
	}
	return false
}
