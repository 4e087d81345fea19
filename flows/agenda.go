package flows

import (
	"maps"
	"slices"
	"strings"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows/nlu"
)

// The agenda: a message that asks for two flows ("has SP-200111
// shipped? and my pixel keeps rebooting") starts the first one; the
// second is queued, with the part of the message that asks for it, and
// starts when the first one ends, its values read from that part.

// CmdQueue puts Flow (for Intent) on the agenda: it starts when the
// flow the message starts ends; Span is the part of the message that
// asks for it.
const CmdQueue CommandKind = "queue_flow"

// varAgenda is the queued request, "flow intent\tspan", kept until the
// active flow ends (then it starts), a person takes the conversation or
// the customer cancels. A question for the documents is "\tspan": it is
// answered when the active flow ends.
const varAgenda = "agenda"

// queueQuestion is the Value of a queue_flow command that queues a
// question for the documents rather than a flow.
const queueQuestion = "documents"

// minQueued is how sure the reading of a part of the message alone must
// be that it asks for another flow, unless the part tells a value that
// flow asks and the first does not: a second request must be clear.
const minQueued = 0.5

// minOwn is how sure the reading of a value must be for the value to
// tell the request: a defect read as a known one, not a whole clause
// taken for one.
const minOwn = 0.85

// minPartFAQ is how sure the reading of a part alone must be that it
// asks an FAQ, without a word of that FAQ's own.
const minPartFAQ = 0.7

// ownsWord reports whether text names what only the examples of the
// intent of c name.
func (u *understanding) ownsWord(c Command, text string) bool {
	in, written := u.b.ownWordBut(text, u.dateWord)
	return in != nil && written && in.Name == c.Intent
}

// agendaJoins are the words that join two requests in one sentence.
var agendaJoins = []string{" e poi ", " and also ", " also ", " inoltre ", " e anche ", " e ", " and ", " poi ", " plus ", " then "}

// A part is a piece of a message read alone, as if the customer had
// sent it by itself: the commands of that reading. A part is read when
// it is first asked for (read): most parts of most messages are not.
type part struct {
	text string
	read bool
	cmds []Command
	flow *Command // the flow the part alone starts, if any
}

// parts cuts the message at its sentences and at the words that join
// two requests; each piece of three words or more is read alone when
// asked for (u.read). It returns nil for a message of one piece, or of
// too many to be requests.
func (u *understanding) parts() []part {
	if u.sub {
		return nil
	}
	if u.split != nil {
		return *u.split
	}
	var out []part
	from := 0 // where in the message the next piece is looked for
	for _, ps := range u.splitSentences(agendaJoins) {
		held := -1 // where a piece too short to ask anything began
		for k, p := range ps {
			at := strings.Index(u.text[from:], p)
			if at < 0 {
				held = -1 // not a piece of the text as written: read as cut
			} else {
				at += from
				from = at + len(p)
			}
			// "and I also want to send the pavilion back": a cut that
			// leaves a subject alone ("and I", "and I'd": no word of four
			// letters) is no cut; the words go with the piece that follows.
			if at >= 0 && k+1 < len(ps) && !slices.ContainsFunc(u.wordsOf(p), func(w string) bool { return len(w) > 3 }) {
				if held < 0 {
					held = at
				}
				continue
			}
			if held >= 0 && at >= 0 {
				p, held = u.text[held:at+len(p)], -1
			}
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, part{text: p})
			}
		}
	}
	if len(out) < 2 || len(out) > 6 {
		out = nil
	}
	u.split = &out
	return out
}

// read returns part i of the message, read alone.
func (u *understanding) read(i int) *part {
	p := &(*u.split)[i]
	if p.read {
		return p
	}
	p.read = true
	if countWords(p.text) < 3 {
		return p
	}
	p.cmds = u.alone(p.text)
	for _, c := range p.cmds {
		if c.Kind == CmdStartFlow {
			p.flow = &c
			break
		}
	}
	return p
}

// partAsks reports whether a part of the message, read alone, starts
// flow.
func (u *understanding) partAsks(flow string) bool {
	for i := range u.parts() {
		if p := u.read(i); p.flow != nil && p.flow.Flow == flow {
			return true
		}
	}
	return false
}

// alone reads text, a part of the message, as a message of its own
// outside any flow. A text is read once: a clause the questions read
// may be a part already read, and a reading is a function of the text.
func (u *understanding) alone(text string) []Command {
	if cmds, ok := u.alones[text]; ok {
		return cmds
	}
	u.classify(u.text) // the message's answers, shared with its parts
	u.textOf(u.text)   // and the words of its texts
	sub := u.b.understandingOf(Input{Text: text, Lang: u.in.Lang, Now: u.in.Now}, u)
	sub.sub = true
	cmds := sub.commands()
	if u.alones == nil {
		u.alones = map[string][]Command{}
	}
	u.alones[text] = cmds
	return cmds
}

// queue adds a queue_flow command when main starts a flow and a part of
// the message, read alone, clearly asks for another one. The queued
// request's span runs from its part to the next part that asks for
// main's flow again.
func (u *understanding) queue(main *Command) {
	if main == nil || main.Kind != CmdStartFlow || hasKind(u.cmds, CmdHuman, CmdCancel, CmdClarify, CmdNotSold) {
		return
	}
	parts := u.parts()
	first := u.b.Flows[main.Flow]
	if !u.partAsks(main.Flow) {
		return
	}
	for i := range parts {
		p := u.read(i)
		c := p.flow
		sale := u.buysIn(p)
		buys := sale != nil
		if buys && (c == nil || !u.b.Flows[c.Flow].sells(u.b)) {
			c = sale
		}
		if c == nil || c.Flow == main.Flow || u.flow != nil && c.Flow == u.flow.Name {
			continue // the flow going on is offered back when main ends
		}
		if quotes(u.text, p.text) {
			continue // what a screen says, quoted: no request
		}
		if u.b.Flows[c.Flow].checksWarranty() && u.cameBrokenIn(p.text) {
			// "il pacco è arrivato ammaccato e la tv dentro ha lo schermo
			// spaccato": read alone a crack, in the message broken on the
			// way, the parcel's matter that main takes.
			continue
		}
		if u.b.Flows[c.Flow].checksWarranty() && u.troubleTold(first, p.text) {
			// "SP-123456 came with the box already open and the phone
			// looks used": read alone a claim, in the message what came
			// wrong with the order, which main takes.
			continue
		}
		if u.onlyValuesFor(first, p.text) || pointsBack(p.text) {
			// "can I still return it? order SP-..., email ...": the
			// return's order; "sempre quell'ordine" points to it.
			continue
		}
		// A value only the other flow asks, read for sure, tells the
		// request: a known defect, not a whole clause taken for one; a
		// product or a category is no request's own ("the pavilion" may
		// be returned, repaired or bought), nor what the conversation
		// keeps of the customer ("for the office": a business buyer).
		// Nor is a date the first request takes too ("bought it on 10
		// November and want to return it": the return's delivery, read
		// alone a purchase date).
		own := slices.ContainsFunc(p.cmds, func(o Command) bool {
			s := u.b.Slots[o.Slot]
			return o.Kind == CmdSetSlot && o.Value != "" && s != nil && !first.asks(o.Slot) && u.b.Flows[c.Flow].asks(o.Slot) &&
				(o.Confidence == 0 || o.Confidence >= minOwn) && s.Type != SlotProduct && s.Type != SlotCategory && !s.Remember &&
				!(s.Type == SlotDate && o.Span != "" && u.datesFirstIn(first, o.Span))
		})
		// A part that asks outright ("e volevo anche comprare una
		// friggitrice", "la friggitrice presa lunedì quando arriva?")
		// needs only the classifier's threshold.
		said := saying(p.text)
		asks := (isRequestIn(said) || u.markedQuestion(p.text)) && c.Confidence >= u.b.Threshold || buys
		if c.Confidence < minQueued && !own && !asks {
			continue
		}
		// A part that tells no defect, no damage, asks nothing (a mark
		// the cut took asks: "la macchina ordinata ieri quando arriva?"), and
		// dates the first request ("the vacuum came last friday" beside
		// a return) is that request's story: no claim, no order's status.
		if !own && !asks && !isQuestion(p.text) && !u.markedQuestion(p.text) && u.datesFirstIn(first, p.text) {
			continue
		}
		// What the customer tells they ordered or bought ("it's two
		// thinkpads we ordered for the office") is theirs: no sale.
		if u.b.Flows[c.Flow].sells(u.b) && said.has(boughtPhrases) {
			continue
		}
		if u.flow == nil && first.checksWarranty() && u.b.Flows[c.Flow].sells(u.b) && u.oldOneBroke() && u.replacesKind(u.spanOf(i, c.Flow)) && !u.claimAskedBeside(u.spanOf(i, c.Flow)) {
			// "il mio vecchio pc è morto, cerco un portatile": the old
			// one's fault is why they buy; no claim is made on it.
			u.firstAsked(main, i, false)
			return
		}
		if u.flow == nil && i < slices.IndexFunc(parts, func(q part) bool { return q.flow != nil && q.flow.Flow == main.Flow }) && u.asksFirst(i) && !u.claimBeforeSale(main, c) {
			// "when will SP-200111 arrive? and I also want to send back the
			// pavilion from SP-200109": the requests are taken in the order
			// they were asked, each with the values of its own part.
			u.firstAsked(main, i, true)
			return
		}
		span := u.spanOf(i, c.Flow)
		// The words of the request put off are no free answer of this
		// flow's ("rendere il macbook e prendere un thinkpad", "return the
		// magnifica, and separately my iphone's battery dies": no reason
		// of the return).
		u.cmds = slices.DeleteFunc(u.cmds, func(o Command) bool {
			s := u.b.Slots[o.Slot]
			return o.Kind == CmdSetSlot && s != nil && s.Type == SlotText && o.Span != "" && strings.Contains(o.Span, parts[i].text)
		})
		u.add(Command{Kind: CmdQueue, Flow: c.Flow, Intent: c.Intent, Span: span, Confidence: c.Confidence})
		return
	}
}

// datesFirstIn reports whether part, a piece of the message, tells no
// fault and holds a date a question of first takes.
func (u *understanding) datesFirstIn(first *Flow, part string) bool {
	dated := false
	for _, fa := range u.facts {
		if fa.span == "" || !strings.Contains(part, fa.span) {
			continue
		}
		switch fa.kind {
		case factDefect, factDamage:
			return false
		case factDate:
			dated = dated || u.fitsStep(first, fa)
		}
	}
	return dated
}

// cameBrokenIn reports whether the faults the message tells in part, a
// piece of it, are all damage the product came with.
func (u *understanding) cameBrokenIn(part string) bool {
	came := false
	for _, fa := range u.facts {
		if fa.span == "" || !strings.Contains(part, fa.span) || fa.kind != factDefect && fa.kind != factDamage {
			continue
		}
		if fa.kind == factDamage || fa.code != codeArrivedDamaged {
			return false
		}
		came = true
	}
	return came
}

// troubleTold reports whether the message tells what went wrong with an
// order first takes (an option of a choice only order flows ask, as
// orderTrouble reads it) and part, a piece of it, tells no fault of its
// own: no defect but damage the product came with, no accident, no date.
func (u *understanding) troubleTold(first *Flow, part string) bool {
	if first == nil || first.checksWarranty() || first.sells(u.b) {
		return false
	}
	c := u.troubleFlow()
	if c == nil || c.Flow != first.Name {
		return false
	}
	for _, fa := range u.facts {
		if fa.span == "" || !strings.Contains(part, fa.span) {
			continue
		}
		if fa.kind == factDamage || fa.kind == factDate || fa.kind == factDefect && fa.code != codeArrivedDamaged {
			return false
		}
	}
	return true
}

// buysIn returns the start of the flow that sells when part p, a piece
// after the first of the message, opens with a verb of buying and names
// a product or a kind of the catalogue: "voglio restituire il macbook e
// prendere un thinkpad", "return the pixel and buy an iphone instead".
// The verb leans on the request before it, so the part alone reads as
// nothing the classifier knows.
func (u *understanding) buysIn(p *part) *Command {
	w := u.wordsOf(p.text)
	if len(w) > 0 && slices.Contains([]string{"e", "and", "poi", "then"}, w[0]) {
		w = w[1:]
	}
	if len(w) < 2 || !buyingInfinitives[w[0]] || u.orderNamedAt(w) || !slices.ContainsFunc(u.facts, func(fa fact) bool {
		return (fa.kind == factProduct || fa.kind == factCategory) && fa.span != "" && strings.Contains(p.text, fa.span)
	}) {
		return nil
	}
	if in := u.b.saleIntent(); in != nil {
		return &Command{Kind: CmdStartFlow, Flow: in.Flow, Intent: in.Name, Confidence: u.b.Threshold}
	}
	return nil
}

// orderNamedAt reports whether w, the words of a part, open with an
// order named by its number ("order SP-200109 came on june 1st", "order
// no. 123456"): the noun, no verb of buying.
func (u *understanding) orderNamedAt(w []string) bool {
	if w[0] != "order" {
		return false
	}
	if slices.Contains([]string{"number", "no", "nr", "num", "id", "ref"}, w[1]) {
		return true
	}
	rest := strings.Join(w[1:], " ")
	return slices.ContainsFunc(u.facts, func(fa fact) bool {
		return fa.kind == factOrder && fa.span != "" && strings.HasPrefix(rest, strings.Join(words(fa.span), " "))
	})
}

// buyingInfinitives open a second request to buy: "e prendere un
// thinkpad", "and get an iphone".
var buyingInfinitives = map[string]bool{
	"prendere": true, "comprare": true, "acquistare": true, "ordinare": true, "prenderne": true, "comprarne": true,
	"get": true, "buy": true, "order": true, "purchase": true,
}

// spanOf is the text of the request for flow of part i: the part, and
// those after it up to the next that asks for another flow.
func (u *understanding) spanOf(i int, flow string) string {
	parts := u.parts()
	span := []string{parts[i].text}
	for j := i + 1; j < len(parts) && (u.read(j).flow == nil || parts[j].flow.Flow == flow); j++ {
		span = append(span, parts[j].text)
	}
	return strings.Join(span, ". ")
}

// asksFirst reports whether part i, before the part that asks for the
// message's flow, is a request of its own, to be taken first: a clear
// question or request ("when will SP-200111 arrive?"), not what the
// customer tells before asking ("ho ordinato il 26 maggio e mi è
// arrivato il 30, lo posso restituire?"), nor the flow that has just
// ended asked again.
func (u *understanding) asksFirst(i int) bool {
	p := u.read(i)
	if p.flow.Confidence < minQueued && !(u.markedQuestion(p.text) && p.flow.Confidence >= u.b.Threshold) || p.flow.Flow == u.in.State.Ended {
		return false
	}
	w := words(p.text)
	if strings.Contains(u.text, p.text+"?") || isQuestionOf(p.text, w) || isRequestIn(sayWords(w)) {
		return true
	}
	// "my iphone 15 won't turn on (bought march 2024), and where is my
	// other order?": a fault told of the customer's product is a claim of
	// its own, taken first.
	if f := u.b.Flows[p.flow.Flow]; f != nil && f.checksWarranty() && slices.ContainsFunc(u.facts, func(fa fact) bool {
		return (fa.kind == factDefect || fa.kind == factDamage) && fa.span != "" && strings.Contains(p.text, fa.span)
	}) {
		return true
	}
	// "two things: where's my order SP-...", "due cose: dov'è il pacco":
	// what follows the lead-in's colon asks.
	if _, after, ok := strings.Cut(p.text, ":"); ok && countWords(after) > 1 {
		return isQuestionOf(after, words(after))
	}
	return false
}

// markedQuestion reports whether part, a piece of the message, ends
// with a question mark in the message: the cut took the mark, not the
// asking.
func (u *understanding) markedQuestion(part string) bool {
	return strings.Contains(u.text, strings.TrimSpace(part)+"?")
}

// claimBeforeSale reports whether main is a claim and the request asked
// before it a sale: "avete il pixel 8? il mio si è rotto" tells of the
// customer's own broken phone, which comes first; the purchase waits.
// A new one wanted ("il mio è rotto, ne voglio uno nuovo") is the sale's.
func (u *understanding) claimBeforeSale(main, first *Command) bool {
	m, f := u.b.Flows[main.Flow], u.b.Flows[first.Flow]
	return m != nil && f != nil && m.checksWarranty() && f.sells(u.b) && !u.said.has(newOnePhrases)
}

// firstAsked starts the request of part i, asked before main's, with the
// values of that part, and queues main with its own part when later: the
// whole message's values, read for main, are put aside.
func (u *understanding) firstAsked(main *Command, i int, later bool) {
	p := u.read(i)
	put := *main
	at := slices.IndexFunc(u.cmds, func(o Command) bool { return o.Kind == CmdStartFlow })
	if at < 0 {
		return
	}
	values := func(o Command) bool {
		return o.Kind == CmdStartFlow || o.Kind == CmdSetSlot || o.Kind == CmdCorrectSlot
	}
	// The values of the part and of those after it that ask for no
	// other flow ("cerco un portatile. scrivetemi al 347..."), as spanOf.
	first := []Command{*p.flow}
	parts := u.parts()
	for j := i; j < len(parts); j++ {
		q := u.read(j)
		if j > i && q.flow != nil && q.flow.Flow != p.flow.Flow {
			break
		}
		for _, o := range q.cmds {
			if o.Kind == CmdSetSlot && !slices.ContainsFunc(first, func(f Command) bool { return f.Kind == CmdSetSlot && f.Slot == o.Slot }) {
				first = append(first, o)
			}
		}
	}
	cmds := slices.DeleteFunc(slices.Clone(u.cmds[:at]), values)
	cmds = append(cmds, first...)
	u.cmds = append(cmds, slices.DeleteFunc(slices.Clone(u.cmds[at+1:]), values)...)
	*main = *p.flow
	if !later {
		return
	}
	j := slices.IndexFunc(u.parts(), func(q part) bool { return q.flow != nil && q.flow.Flow == put.Flow })
	u.add(Command{Kind: CmdQueue, Flow: put.Flow, Intent: put.Intent, Span: u.spanOf(j, put.Flow), Confidence: put.Confidence})
}

// oldOneBroke reports whether the message calls the product it tells of
// old: "il suo vecchio pc", "my old laptop", "la tv vecchia", "quello
// vecchio", "the old one". A fault of the old one beside a purchase is why the customer
// buys.
func (u *understanding) oldOneBroke() bool {
	if u.said.has(oldOnePhrases) {
		return true
	}
	return slices.ContainsFunc(u.facts, func(f fact) bool {
		if f.kind != factProduct && f.kind != factCategory || f.span == "" {
			return false
		}
		// "il vecchio pc", and "la tv vecchia" as Italian also puts it.
		w := words(f.span)
		at := indexWords(u.words, w)
		return at > 0 && oldWords[u.words[at-1]] || at >= 0 && at+len(w) < len(u.words) && oldWords[u.words[at+len(w)]]
	})
}

// replacesKind reports whether the purchase told in sale, a span of the
// message, is of the kind of product the rest of the message tells of,
// or either names none: "my old phone died, I want a new phone" replaces
// it; "my old phone died, and I want an airfryer" buys something else,
// and the phone is still a claim.
func (u *understanding) replacesKind(sale string) bool {
	kind := func(f fact) string {
		switch f.kind {
		case factCategory:
			return f.value
		case factProduct:
			if p := u.b.products[f.value]; p != nil {
				return p.Category
			}
		}
		return ""
	}
	var bought, told []string
	for _, f := range u.facts {
		if k := kind(f); k != "" && f.span != "" {
			if strings.Contains(sale, f.span) {
				bought = append(bought, k)
			} else {
				told = append(told, k)
			}
		}
	}
	return len(bought) == 0 || len(told) == 0 || slices.ContainsFunc(told, func(k string) bool { return slices.Contains(bought, k) })
}

// claimAskedBeside reports whether the message, outside sale (a span
// of it), asks about the old product or its warranty ("è ancora in
// garanzia?", "can it be repaired?") or tells when it was bought ("the
// old bravia bought in january 2025"): the customer wants it checked,
// and the sale waits.
func (u *understanding) claimAskedBeside(sale string) bool {
	if u.said.has(warrantyAskPhrases) {
		return true
	}
	if slices.ContainsFunc(u.facts, func(f fact) bool {
		return f.kind == factDate && f.cue == cuePurchase && f.span != "" && !strings.Contains(sale, f.span)
	}) {
		return true
	}
	rest := strings.Replace(u.text, sale, "", 1)
	return strings.Contains(rest, "?")
}

// warrantyAskPhrases ask for the warranty or a repair.
var warrantyAskPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" garanzia ", " warranty ", " guarantee ", " covered ", " coperto ", " coperta ", " riparare ", " ripararlo ",
		" ripararla ", " riparazione ", " repair ", " repaired ", " fix it ", " fixed "} {
		add(p)
	}
})

var oldWords = map[string]bool{"vecchio": true, "vecchia": true, "vecchi": true, "old": true}

var oldOnePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" quello vecchio ", " quella vecchia ", " il vecchio ", " la vecchia ", " the old one ", " my old one ", " our old one ",
		" mio vecchio ", " mia vecchia ", " suo vecchio ", " sua vecchia ", " nostro vecchio ", " nostra vecchia ",
		" my old ", " his old ", " her old ", " our old ", " their old "} {
		add(p)
	}
})

// questions adds the answers to the questions of the message's parts
// that the reading of the whole missed ("what are your hours and do
// you take amex?"): a part that asks, and that alone reads as a
// question for an FAQ, is answered before the flow starts or the person
// is called. A question of the documents for the whole message gives
// way to them.
func (u *understanding) questions() {
	// A reading is the commands of a text read alone.
	type reading struct {
		text string
		cmds []Command
	}
	var add []Command
	for i, cut := range u.parts() {
		// Only a part that asks, or holds a clause that asks, is read.
		// The words of a text are cut once for both its tests.
		asks := strings.Contains(u.text, cut.text+"?")
		if !asks {
			asks = isQuestionOf(cut.text, u.wordsOf(cut.text)) || asksIndirectly(u.sayingOf(cut.text))
		}
		var clauses []string
		for _, c := range strings.Split(cut.text, ",") {
			if c = strings.TrimSpace(c); c == cut.text {
				continue
			}
			if w := u.wordsOf(c); len(w) >= 3 && isQuestionOf(c, w) {
				clauses = append(clauses, c)
			}
		}
		if !asks && len(clauses) == 0 {
			if p := u.read(i); u.requestForPages(i, p) {
				// "a che punto è l'ordine? e mi servirebbe la fattura
				// intestata alla ditta": a request no flow or FAQ takes
				// waits for the flow's end, for the pages or a person.
				u.add(Command{Kind: CmdQueue, Value: queueQuestion, Span: p.text, Confidence: 1})
			}
			continue
		}
		p := u.read(i)
		if p.flow != nil {
			if asks && u.asksOfTerms(i) {
				add = append(add, Command{Kind: CmdDocuments, Span: p.text, Confidence: 1})
				// The question is no free answer of the flow's; a clause
				// before or after it that asks nothing is ("won't turn on,
				// is that covered?" tells the defect).
				u.cmds = slices.DeleteFunc(u.cmds, func(o Command) bool {
					s := u.b.Slots[o.Slot]
					return o.Kind == CmdSetSlot && s != nil && s.Type.free() && o.Span != "" && strings.Contains(p.text, o.Span) &&
						!u.toldBesideQuestion(p.text, o.Span)
				})
			}
			continue
		}
		if asks && u.pagesInsteadOfSale(p) {
			// "do you rent phones? I'd buy a pixel 8 otherwise": the pages
			// answer what the shop does not sell (renting, taking the old
			// one back), and the sale the rest asks for goes on after it.
			add = append(add, Command{Kind: CmdDocuments, Value: documentsBeside, Span: p.text, Confidence: 1})
			continue
		}
		if asks && u.howToAlone(p) {
			// "dov'è il mio ordine SP-...? e anche come si decalcifica la
			// magnifica": the pages answer how, once the order is told; a
			// message that starts no flow has the answer at once.
			span := p.text
			if prev := u.parts(); i > 0 && saying(p.text).has(doThatPhrases) && strings.Contains(u.text, prev[i-1].text+"?") {
				// "should I descale it first? how do I do that?": the
				// question before says what "that" is.
				span = prev[i-1].text + "? " + p.text
			}
			if u.flow == nil && hasKind(u.cmds, CmdStartFlow) && !hasKind(u.cmds, CmdQueue) {
				u.add(Command{Kind: CmdQueue, Value: queueQuestion, Span: span, Confidence: 1})
			} else {
				add = append(add, Command{Kind: CmdDocuments, Span: span, Confidence: 1})
			}
			continue
		}
		var readings []reading
		if asks {
			readings = append(readings, reading{p.text, p.cmds})
		}
		if !hasKind(p.cmds, CmdFAQ) {
			// "2 questions, is there a fee for paying with paypal": a
			// clause of the part may be the question; it is read alone.
			for _, c := range clauses {
				readings = append(readings, reading{c, u.alone(c)})
			}
		}
		for _, r := range readings {
			for _, c := range r.cmds {
				// Clear alone, or naming what only that FAQ's examples name
				// ("amex", "paypal"): "do you take away old tvs for
				// recycling?" is no shipping question.
				if c.Kind == CmdFAQ && (c.Confidence >= minPartFAQ || u.ownsWord(c, r.text)) &&
					!slices.ContainsFunc(u.cmds, func(o Command) bool { return o.Kind == CmdFAQ && o.FAQ == c.FAQ }) &&
					!slices.ContainsFunc(add, func(o Command) bool { return o.FAQ == c.FAQ }) {
					add = append(add, c)
				}
			}
		}
	}
	if len(add) == 0 {
		return
	}
	u.cmds = slices.DeleteFunc(u.cmds, func(o Command) bool { return o.Kind == CmdDocuments && o.Span == u.text || o.Kind == CmdOutOfScope })
	i := slices.IndexFunc(u.cmds, func(o Command) bool { return o.Kind == CmdHuman || o.Kind == CmdStartFlow })
	if i < 0 {
		i = len(u.cmds)
	}
	u.cmds = slices.Insert(u.cmds, i, add...)
}

// pagesInsteadOfSale reports whether p, a part of a message whose whole
// starts a sale, asks of a topic the shop's pages answer in place of a
// sale (an intent with answer: documents and instead_of: sale, cued in
// the part: renting, the take-back of the old one) and alone is for the
// documents; the whole message, read as the sale, dropped it.
func (u *understanding) pagesInsteadOfSale(p *part) bool {
	if u.b.Knowledge() == nil || p.flow != nil || hasKind(u.cmds, CmdDocuments) {
		return false
	}
	start := slices.IndexFunc(u.cmds, func(o Command) bool { return o.Kind == CmdStartFlow })
	if start < 0 || u.b.Flows[u.cmds[start].Flow] == nil || !u.b.Flows[u.cmds[start].Flow].sells(u.b) {
		return false
	}
	if !u.b.pagesCuedIn(u.b.cuedIntents(u.wordsOf(p.text)), InsteadSale) {
		return false
	}
	return slices.ContainsFunc(p.cmds, func(o Command) bool { return o.Kind == CmdDocuments }) && !hasKind(p.cmds, CmdFAQ)
}

// requestForPages reports whether p, part i of a message that starts a
// flow outside any and queues nothing else, is a request of its own for
// a paper after the first part ("e mi servirebbe la fattura", "and I
// need a copy of the manual") that alone reads as nothing but a question
// for the pages: no flow, no FAQ. "I need it by friday" tells of the
// first request.
func (u *understanding) requestForPages(i int, p *part) bool {
	if i == 0 || u.flow != nil || u.b.Knowledge() == nil || p.flow != nil || !hasKind(u.cmds, CmdStartFlow) || hasKind(u.cmds, CmdQueue) {
		return false
	}
	if said := saying(p.text); !isRequestIn(said) || !said.has(paperPhrases) || countWords(p.text) < 4 {
		return false
	}
	return hasKind(p.cmds, CmdDocuments) && !hasKind(p.cmds, CmdFAQ, CmdStartFlow, CmdHuman, CmdSmallTalk)
}

// paperPhrases name the papers a customer asks of a shop.
var paperPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" fattura ", " scontrino ", " ricevuta ", " copia ", " duplicato ", " certificato ", " manuale ", " documento ",
		" numero di serie ", " invoice ", " receipt ", " copy ", " certificate ", " manual ", " document ", " serial number "} {
		add(p)
	}
})

// doThatPhrases ask how to do what was said before: "how do I do that?",
// "come si fa?", "come lo faccio?".
var doThatPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" do that ", " do it ", " do this ", " do so ", " si fa ", " lo faccio ", " lo fai ", " farlo ", " fare questo ",
		" fare cio ", " fare quello ", " lo si fa "} {
		add(p)
	}
})

// howToAlone reports whether p, a part of a message that the whole
// message's reading does not send to the documents, asks how to do
// something and alone is for the documents: its own answer, beside the
// whole message's FAQ or flow.
func (u *understanding) howToAlone(p *part) bool {
	if u.b.Knowledge() == nil || p.flow != nil || hasKind(u.cmds, CmdDocuments) || !asksHowToIn(saying(p.text)) {
		return false
	}
	return slices.ContainsFunc(p.cmds, func(o Command) bool { return o.Kind == CmdDocuments }) && !hasKind(p.cmds, CmdFAQ)
}

// asksOfTerms reports whether part i of the message, a question that
// alone asks for a flow a part before it asks for too, asks how that flow
// goes rather than for it ("come faccio il reso? e il rimborso in quanto
// tempo arriva?"): it tells the flow no value, only free words a text
// question might take, and the shop's documents answer it.
func (u *understanding) asksOfTerms(i int) bool {
	p := u.read(i)
	ix := u.b.Knowledge()
	if ix == nil || p.flow == nil || !slices.ContainsFunc(u.cmds, func(o Command) bool { return o.Kind == CmdStartFlow && o.Flow == p.flow.Flow }) {
		return false
	}
	for _, o := range p.cmds {
		if s := u.b.Slots[o.Slot]; o.Kind == CmdSetSlot && (s == nil || !s.Type.free()) {
			return false
		}
	}
	// The request comes first ("dov'è il mio ordine?? non è ancora
	// arrivato" asks for the order's status), the question of how it
	// goes after it.
	for j := range i {
		if q := u.read(j); q.flow != nil && q.flow.Flow == p.flow.Flow {
			_, ok := u.b.docsAnswer(ix, p.text, u.in.Lang)
			return ok
		}
	}
	return false
}

// toldBesideQuestion reports whether span lies in a comma clause of
// text that tells a fault and asks nothing, while another clause of it
// asks: "the screen went black, does the warranty cover that" tells the
// defect beside the question, where "does the warranty cover a black
// screen" only asks and "and the refund, how long?" tells no fault.
func (u *understanding) toldBesideQuestion(text, span string) bool {
	clauses := strings.Split(text, ",")
	if len(clauses) < 2 {
		return false
	}
	// The question mark after the text asks by its last clause ("non
	// si accende, è coperto?").
	marked := strings.Contains(u.text, text+"?")
	told, asked := false, false
	for i, c := range clauses {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if marked && i == len(clauses)-1 || isQuestionOf(c, u.wordsOf(c)) || asksIndirectly(u.sayingOf(c)) {
			if strings.Contains(c, span) {
				return false
			}
			asked = true
		} else if strings.Contains(c, span) && slices.ContainsFunc(u.facts, func(fa fact) bool {
			return (fa.kind == factDefect || fa.kind == factDamage) && fa.span != "" && strings.Contains(c, fa.span)
		}) {
			told = true
		}
	}
	return told && asked
}

// termsAsked returns the FAQ of the terms when text, the message or a
// clause of it that scores classify, asks a question of the claim top's
// flow would check, but the message tells nothing of a product of the
// customer's: no defect, no date, no order, not theirs ("what's the
// warranty on the dyson v8?" asks how long it lasts, as the runner-up
// says, whose words it holds). It returns nil otherwise.
func (u *understanding) termsAsked(top *Intent, scores []nlu.Scored, text string) *Command {
	f := u.b.Flows[top.Flow]
	if u.flow != nil || f == nil || !f.checksWarranty() || len(scores) < 2 || u.describesFault() || u.possessive() {
		return nil
	}
	if !isQuestion(text) && !strings.Contains(u.text, strings.TrimSpace(text)+"?") {
		return nil
	}
	if slices.ContainsFunc(u.facts, func(x fact) bool { return x.kind == factDate || x.kind == factOrder }) {
		return nil
	}
	in := u.b.intents[scores[1].Intent]
	if in == nil || in.FAQ == "" || scores[1].Confidence < u.b.Threshold/4 || !u.grounded(in) {
		return nil
	}
	return u.b.intentCommand(in, scores[1].Confidence)
}

// enqueue keeps the request of a queue_flow command for when the
// active flow ends.
func (c *conv) enqueue(cmd Command) {
	if cmd.Value == queueQuestion && cmd.Span != "" && c.s.Flow != "" {
		c.s.SetVar(varAgenda, "\t"+cmd.Span)
		c.say(c.b.text(TextQueuedQuestion, c.lang))
		return
	}
	if cmd.Value == queueAnother && c.b.Flows[cmd.Flow] != nil && cmd.Span != "" {
		// The second product of a claim: the same flow, after this one.
		c.s.SetVar(varAgenda, cmd.Flow+" "+cmd.Intent+"\t"+cmd.Span)
		c.say(c.b.Text(TextQueuedAnother, c.lang, map[string]string{"item": cmd.Span}))
		return
	}
	if c.b.Flows[cmd.Flow] == nil || cmd.Flow == c.s.Flow {
		return
	}
	c.s.SetVar(varAgenda, cmd.Flow+" "+cmd.Intent+"\t"+cmd.Span)
	c.say(c.b.Text(TextQueued, c.lang, map[string]string{"flow": c.flowLabel(cmd.Flow)}))
}

// flowLabel names flow for the customer: its label, or its name.
func (c *conv) flowLabel(flow string) string {
	if f := c.b.Flows[flow]; f != nil {
		if l := pick(f.Label.Text, c.lang, c.b.DefaultLanguage); l != "" {
			return l
		}
	}
	return strings.ReplaceAll(flow, "_", " ")
}

// nextOnAgenda starts the queued request when a flow ends, with the
// values its part of the message told. It reports whether one started.
func (c *conv) nextOnAgenda() (bool, error) {
	head, span, _ := strings.Cut(c.s.Vars[varAgenda], "\t")
	name, intent, _ := strings.Cut(head, " ")
	if name == "" && span != "" {
		// The question queued beside the flow: the pages answer it, or
		// the bot says it cannot for sure.
		c.dropAgenda()
		if !c.answerDocuments(span) {
			// No page answers: a person may ("mi servirebbe la fattura").
			c.say(c.b.text(TextDocumentsNoAnswer, c.lang), c.humanButtons()...)
			c.s.SetVar(varOffer, offerElse)
		}
		return false, nil
	}
	f := c.b.Flows[name]
	if f == nil {
		c.dropAgenda()
		return false, nil
	}
	c.say(c.b.Text(TextAgendaNext, c.lang, map[string]string{"flow": c.flowLabel(f.Name)}))
	c.begin(f, intent) // takes the agenda's values
	return true, c.run(f, 0)
}

// fromAgenda fills, as f starts, the values the queued request for f
// told in its part of the message, and clears the agenda: f starts by
// itself when the first request ends, or the customer asks for it
// ("in caso ne prenderei una nuova, tipo la lg oled", then "passiamo
// alla tv nuova": the LG OLED). The part is read as a message of its
// own, as it was when it was queued: "the pavilion from SP-200109, too
// heavy for me" tells the return its order and its reason, which the
// first request's values would take for corrections. The message that
// starts it comes after, and its values win.
func (c *conv) fromAgenda(f *Flow) {
	head, span, _ := strings.Cut(c.s.Vars[varAgenda], "\t")
	name, _, _ := strings.Cut(head, " ")
	if name != f.Name {
		return
	}
	c.dropAgenda()
	got, err := c.u.Understand(c.ctx, Input{Text: span, Lang: c.lang, Now: c.now})
	if err != nil {
		return // the values are asked for
	}
	got = c.b.check(got)
	// The order the first request was about is not this one's, unless
	// its part names it: "has SP-123456 shipped? and my pixel 8 reboots"
	// is no claim about what SP-123456 holds. A flow that looks no order
	// up ("and cancel one of the two laptops": a change, for a person) is
	// about the order just asked about.
	if o := c.b.orderSlot; o != "" && c.s.Slots[o] != "" && !slices.ContainsFunc(got, func(x Command) bool { return x.Kind == CmdSetSlot && x.Slot == o }) &&
		f.runs("order_lookup") {
		delete(c.s.Slots, o)
		c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: o, Value: ""})
	}
	for _, o := range got {
		if (o.Kind == CmdSetSlot || o.Kind == CmdCorrectSlot) && o.Value != "" && (f.asks(o.Slot) || c.b.Slots[o.Slot].Remember) {
			o.Flow = f.Name
			c.setSlot(o)
		}
	}
}

// agendaLine is the case's line, in the agents' language, for the
// request still on the agenda when a person takes the conversation, or
// "" when there is none.
func (c *conv) agendaLine(agents string) string {
	head, span, _ := strings.Cut(c.s.Vars[varAgenda], "\t")
	name, _, _ := strings.Cut(head, " ")
	if name == "" && span != "" {
		return c.b.Text(TextDocumentsQuestion, agents, map[string]string{"question": span})
	}
	f := c.b.Flows[name]
	if f == nil || span == "" {
		return ""
	}
	label := pick(f.Label.Text, agents, c.b.DefaultLanguage)
	if label == "" {
		label = strings.ReplaceAll(name, "_", " ")
	}
	return c.b.Text(TextAgendaCase, agents, map[string]string{"flow": label, "request": span})
}

// dropAgenda forgets the queued request: a person takes the
// conversation, or the customer cancels.
func (c *conv) dropAgenda() { c.s.SetVar(varAgenda, "") }

// claimInSale reports whether the message, in the middle of a sale,
// tells of a defect of a product the customer owns ("a proposito, il
// mio iphone 15 non carica più"), which top's flow decides a warranty
// for: a claim, a digression, whatever question of the sale its
// product would answer.
func (u *understanding) claimInSale(top *Intent) bool {
	f := u.b.Flows[top.Flow]
	if u.flow == nil || !u.flow.sells(u.b) || u.flow.checksWarranty() || f == nil || !f.checksWarranty() {
		return false
	}
	return u.possessive() && slices.ContainsFunc(u.facts, func(fa fact) bool { return fa.kind == factDefect || fa.kind == factDamage })
}

// answerFor takes back the answers read for the pending question when
// they belong to the request the message starts instead: their values
// are read again for flow, with the rest of the message.
func (u *understanding) answerFor(flow string) {
	f := u.b.Flows[flow]
	u.cmds = slices.DeleteFunc(u.cmds, func(c Command) bool {
		if c.Kind != CmdSetSlot || u.flow == nil || c.Flow != u.flow.Name || !f.asks(c.Slot) {
			return false
		}
		for i, fa := range u.facts {
			if fa.span == c.Span && fa.value == c.Value {
				u.used[i] = false
			}
		}
		return true
	})
}

// defectElsewhere reports whether the message describes a known defect
// that flow f has no question for ("il galaxy a55 arrivato sabato ha il
// touch che non risponde, ordine SP-505050"): the order's status has no
// use for it, so it is a claim, where a return would take it as its
// reason.
func (u *understanding) defectElsewhere(f *Flow) bool {
	for _, st := range f.Steps {
		if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && (s.Type == SlotDefect || s.Type == SlotText) {
			return false
		}
	}
	// A value of f's own ("arrived smashed, box all crushed" tells the
	// parcel's state) keeps the message f's; so does a part of it that
	// alone asks for f ("has SP-200111 shipped? and my pixel reboots":
	// two requests, for the agenda).
	for _, fa := range u.facts {
		for _, st := range f.Steps {
			if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && !s.Remember && s.Type != SlotProduct && s.Type != SlotCategory && u.b.fits(s, fa) {
				return false
			}
		}
	}
	if u.partAsks(f.Name) {
		return false
	}
	// Broken on the way ("arrived smashed") is the parcel's matter.
	return slices.ContainsFunc(u.facts, func(fa fact) bool {
		return fa.kind == factDefect && fa.conf >= minOwn && fa.code != codeArrivedDamaged
	})
}

// onlyValuesFor reports whether text, a part of the message, is nothing
// but values that questions of f take, with at most one word around
// each that names what they are ("ordine SP-418263", "order SP-418263,
// email ...": words of the slots' labels): an answer for f, no request
// of its own ("cerco un telefono" asks). A span read two ways (an
// e-mail, and the proof of an order) needs one reading that fits.
func (u *understanding) onlyValuesFor(f *Flow, text string) bool {
	var in []fact
	var other []string // spans of readings that fit no question
	names := map[string]bool{}
	for _, fa := range u.facts {
		if fa.span == "" || !strings.Contains(text, fa.span) {
			continue
		}
		fits := false
		for _, st := range f.Steps {
			if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && u.b.fits(s, fa) {
				fits = true
				for _, l := range s.Label.Text {
					for _, w := range words(l) {
						names[w] = true
					}
				}
			}
		}
		if !fits {
			other = append(other, fa.span)
			continue
		}
		in = append(in, fa)
	}
	if slices.ContainsFunc(other, func(span string) bool { return !slices.ContainsFunc(in, func(fa fact) bool { return fa.span == span }) }) {
		return false
	}
	rest := residue(text, in)
	return len(in) > 0 && len(rest) <= len(in) && !slices.ContainsFunc(rest, func(w string) bool { return !names[w] })
}

// brandInCategory turns a brand the catalogue sells into its product
// when the conversation's category leaves one product of that brand
// ("la samsung", asked which tv: the Samsung QLED), and returns the
// fact's index; -1 when there is no such brand.
func (u *understanding) brandInCategory() int {
	cat := ""
	for name, v := range u.in.State.Slots {
		if s := u.b.Slots[name]; s != nil && s.Type == SlotCategory && v != "" {
			cat = v
		}
	}
	if cat == "" || slices.ContainsFunc(u.facts, func(fa fact) bool { return fa.kind == factProduct }) {
		return -1
	}
	for i, fa := range u.facts {
		if fa.kind != factBrand || !fa.sold {
			continue
		}
		only := ""
		for _, id := range fa.others {
			if p := u.b.products[id]; p != nil && p.Category == cat {
				if only != "" {
					return -1
				}
				only = id
			}
		}
		if only != "" {
			u.facts[i].kind, u.facts[i].value, u.facts[i].conf = factProduct, only, min(fa.conf, 0.8)
			return i
		}
	}
	return -1
}

// notAgain returns the other request of a message that would start
// again the flow that has just ended, telling it nothing new ("ok è
// quello, arrivato. però il macbook di quell'ordine ha la tastiera che
// scrive doppie lettere" after the order's status): the part of the
// message that alone asks for another flow. It returns nil when the
// message tells the ended flow a new value, or no part asks for
// another.
func (u *understanding) notAgain(intent *Command) *Command {
	if intent == nil || intent.Kind != CmdStartFlow || u.flow != nil || intent.Flow != u.in.State.Ended {
		return nil
	}
	f := u.b.Flows[intent.Flow]
	for _, fa := range u.facts {
		if u.fitsStep(f, fa) && !slices.Contains(slices.Collect(maps.Values(u.in.State.Slots)), fa.value) {
			return nil // a new order, a new date: asked again
		}
	}
	for i := range u.parts() {
		if p := u.read(i); p.flow != nil && p.flow.Flow != f.Name {
			c := *p.flow
			c.Confidence = max(c.Confidence, u.b.Threshold)
			return &c
		}
	}
	return nil
}

// queueAnother is the Value of a queue_flow command that queues the same
// flow again, for the second product a claim names: "my tv and my laptop
// both died" claims on the tv first, then on the laptop.
const queueAnother = "another"

// anotherClaim queues a second claim when the message that starts a
// claim names two things of the catalogue joined as one list ("la tv e
// il portatile", "my qled and my macbook"): the claim takes the first, and
// the second, with its words, waits on the agenda; a person taking the
// first claim finds it on the case card. A product and its own kind
// ("il televisore qled") are one thing; two things joined by other words
// ("the pixel won't pair with my macbook") are one claim about the first.
func (u *understanding) anotherClaim(main *Command) {
	if main == nil || main.Kind != CmdStartFlow || u.flow != nil || hasKind(u.cmds, CmdQueue, CmdHuman, CmdCancel, CmdClarify, CmdNotSold) {
		return
	}
	if f := u.b.Flows[main.Flow]; f == nil || !f.checksWarranty() {
		return
	}
	type thing struct {
		category, product string
		span              string // the words that name it, as written: the last one's
		at, end           int    // where its words start and end in the text
	}
	var things []thing
	for _, fa := range u.facts {
		t := thing{span: fa.span}
		switch fa.kind {
		case factProduct:
			p := u.b.products[fa.value]
			if p == nil {
				continue
			}
			t.category, t.product = p.Category, fa.value
		case factCategory:
			t.category = fa.value
		default:
			continue
		}
		if t.at = strings.Index(u.text, fa.span); t.at < 0 || fa.span == "" {
			continue
		}
		t.end = t.at + len(fa.span)
		things = append(things, t)
	}
	slices.SortFunc(things, func(a, b thing) int { return a.at - b.at })
	var merged []thing
	for _, t := range things {
		if n := len(merged); n > 0 {
			last := &merged[n-1]
			if last.category == t.category && (last.product == "" || t.product == "" || last.product == t.product) && len(words(u.text[last.end:max(last.end, t.at)])) <= 1 {
				// "il televisore qled", "my sony tv": one thing.
				if t.product != "" {
					last.product = t.product
				}
				last.span = u.text[last.at:t.end]
				last.end = t.end
				continue
			}
		}
		merged = append(merged, t)
	}
	if len(merged) != 2 {
		return
	}
	a, b := merged[0], merged[1]
	if a.product != "" && a.product == b.product || a.product == "" && b.product == "" && a.category == b.category {
		return
	}
	if b.at < a.end || !joinsList(u.text[a.end:b.at]) {
		return
	}
	u.add(Command{Kind: CmdQueue, Flow: main.Flow, Intent: main.Intent, Value: queueAnother, Span: b.span, Confidence: 1})
}

// joinsList reports whether gap, the words between two things named,
// joins them as one list: an "and" or a comma, with articles and
// possessives only ("e il", "and my", ", the", "ed anche la").
func joinsList(gap string) bool {
	joined := strings.Contains(gap, ",") || strings.Contains(gap, "&")
	for _, w := range words(gap) {
		switch w {
		case "e", "ed", "and", "anche", "also", "plus", "pure":
			joined = true
		case "il", "lo", "la", "l", "i", "gli", "le", "mio", "mia", "miei", "mie", "nostro", "nostra", "the", "my", "our", "sia", "both":
		default:
			return false
		}
	}
	return joined
}
