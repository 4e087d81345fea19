package flows

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/bot"
)

// The outcomes of return_check, in its output slot return.
const (
	ReturnOpen    = "open"    // within the withdrawal period
	ReturnClosed  = "closed"  // the period is over
	ReturnUnknown = "unknown" // no delivery date, or one too vague to tell
)

// CheckReturn decides whether a purchase delivered on a stored date value
// (2006-01-02, or 2006-01 and 2006 when the customer was vague) may still
// be returned at now, with days of withdrawal (14 in the EU, counted from
// the day after delivery). It returns the outcome and the last day of the
// period (zero when unknown). When the customer gave only a month and the
// period ends within it, the outcome is unknown: the delivery note
// decides.
func CheckReturn(date string, days int, now time.Time) (string, time.Time) {
	first, last, ok := parseDateValue(date, now.Location())
	if !ok {
		return ReturnUnknown, time.Time{}
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	early, late := first.AddDate(0, 0, days), last.AddDate(0, 0, days)
	switch {
	case first.After(today):
		return ReturnUnknown, time.Time{}
	case !today.After(early):
		return ReturnOpen, early
	case today.After(late):
		return ReturnClosed, late
	}
	return ReturnUnknown, early
}

// returnCheck runs the built-in action return_check on the session's
// slots and returns the output slots to set.
func (b *Bot) returnCheck(st *Step, slots map[string]string, lang string, now time.Time) (string, map[string]string) {
	slot := actionArgs["return_check"]["date"]
	if s, ok := st.With["date"]; ok {
		slot = s
	}
	outcome, until := CheckReturn(slots[slot], b.WithdrawalDays, now)
	out := map[string]string{"return": outcome, "return_days": strconv.Itoa(b.WithdrawalDays), "return_until": ""}
	if !until.IsZero() {
		out["return_until"] = until.Format("2006-01-02")
	}
	key := map[string]string{ReturnOpen: TextReturnOpen, ReturnClosed: TextReturnClosed, ReturnUnknown: TextReturnUnknown}[outcome]
	out["return_note"] = b.Text(key, lang, map[string]string{
		"return_days": out["return_days"], "return_until": formatDate(out["return_until"], lang),
	})
	return outcome, out
}

// saysWhatIsWrong reports whether the words of a short clause say what
// is wrong with what came: "wrong colour", "too big", "taglia
// sbagliata". Two such words are a reason for a return, where two words
// are otherwise too few to tell one from a greeting.
func saysWhatIsWrong(part string) bool { return saying(part).has(wrongWords) }

var wrongWords = newPhrases(func(add func(string)) {
	for _, p := range []string{" wrong ", " too ", " sbagliato ", " sbagliata ", " sbagliati ", " sbagliate ",
		" troppo ", " troppa ", " troppi ", " troppe ", " scomodo ", " scomoda ", " uncomfortable "} {
		add(p)
	}
})

// returnWish starts the flow that decides a return when the message
// asks to send something back or give it back and tells no defect,
// damage or repair ("I'd like to send back the blender, it's bigger than
// I thought"): a repair is sent back too, so "send back" is no cue of
// its own, but with nothing wrong with the product it is a return. So is
// a product that came and is no longer wanted ("ho ricevuto l'airfryer
// il 28, non mi serve più", "got the blender on monday, changed my
// mind"), whatever order number comes with it: an order delivered has
// no status to look up. Of the intents of such flows, the one the
// classifier scores best, else the first.
func (u *understanding) returnWish() *Command {
	if !(sendsBack(u.said) || u.unwantedAfterDelivery() || givesBackIt(u.text)) || u.said.has(repairPhrases) || u.said.has(shopSendsBackPhrases) ||
		slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factDefect || f.kind == factDamage }) {
		return nil
	}
	return u.returnStart()
}

// returnStart starts the flow that decides a return: of the intents of
// such flows, the one the classifier scores best, else the first.
func (u *understanding) returnStart() *Command {
	decides := func(in *Intent) bool {
		f := u.b.Flows[in.Flow]
		return f != nil && slices.ContainsFunc(f.Steps, func(st *Step) bool { return st.Kind == StepAction && st.Action == "return_check" })
	}
	for _, sc := range u.scores {
		if in := u.b.intents[sc.Intent]; in != nil && decides(in) {
			return &Command{Kind: CmdStartFlow, Flow: in.Flow, Intent: in.Name, Confidence: max(sc.Confidence, u.b.Threshold)}
		}
	}
	// The classifier's few best are elsewhere: the first such intent.
	for _, in := range u.b.Intents {
		if decides(in) {
			return &Command{Kind: CmdStartFlow, Flow: in.Flow, Intent: in.Name, Confidence: u.b.Threshold}
		}
	}
	return nil
}

// refundAsked reports whether the message asks for the money of an
// order it names back ("refund for SP-123456 please", "voglio il
// rimborso dell'ordine SP-123456", "can I get my money back for
// SP-123456?"): a refund asked of an order is a return, whatever weak
// guess at a purchase or at the order's status the classifier makes. A
// refund already under way ("when will the refund for SP-123456
// arrive?", "still waiting for my refund", "rimborso non ancora
// ricevuto", "I sent it back, where's my refund?") asks after it, which
// the order's status tells: no new return. Nor is a refund for an order
// that never came ("SP-123456 never arrived, I want a refund") or for a
// trouble of the order a flow of its own takes ("charged twice"): they
// are the order's, not a return of what came.
func (u *understanding) refundAsked() bool {
	if u.said.has(repairPhrases) || slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factDefect || f.kind == factDamage }) {
		return false
	}
	return u.said.has(refundPhrases) && !u.said.has(refundUnderWayPhrases) &&
		slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factOrder }) &&
		!slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factChoice })
}

// refundPhrases ask for the money back.
var refundPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" refund ", " money back ", " rimborso ", " rimborsare ", " rimborsarmi ", " rimborsate ", " soldi indietro "} {
		add(p)
	}
})

// refundUnderWayPhrases ask after a refund already granted (whether it
// was made, "did you refund ...?", "è stato fatto il rimborso?") or a return
// already sent (when it comes, where it is, that it has not come yet), or
// tell an order that never came.
var refundUnderWayPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" when ", " where ", " how long ", " still ", " yet ", " status ", " arrive ", " arrived ", " received ", " receive ", " waiting ",
		" returned ", " sent back ", " sent it back ", " sent them back ", " never ", " hasn t ", " hasnt ", " didn t ", " not arrived ", " not delivered ", " lost ", " cancel ", " cancelled ", " canceled ",
		" did you ", " have you ", " has the ", " has my ", " been ", " processed ", " issued ", " sent ", " done ",
		" partial ", " difference ", " discount ", " coupon ", " extra ", " half ", " shipping ", " delivery ",
		" quando ", " dove ", " quanto tempo ", " ancora ", " stato ", " arriva ", " arrivato ", " arrivata ", " ricevuto ", " aspetto ", " attesa ", " aspettando ",
		" restituito ", " restituita ", " rispedito ", " rispedita ", " ho reso ", " mai ", " non e arrivato ", " non e arrivata ", " non consegnato ", " perso ", " persa ", " smarrito ", " smarrita ",
		" annullare ", " annullate ", " annullato ", " annullata ", " annullo ", " disdire ",
		" avete ", " e stato ", " fatto ", " emesso ", " effettuato ", " partito ",
		" parziale ", " differenza ", " sconto ", " meta ", " spedizione ", " consegna "} {
		add(p)
	}
})

// givesBackIt reports whether a clause of text ends on a wish to give
// it back: "vorrei renderlo", "ora che lo vedo è troppo piccolo, voglio
// renderla", "posso renderli?". "Rendere" with its pronoun is also "to
// make" ("vorrei renderlo più silenzioso"), which a word after it tells;
// a clause that ends on it gives back.
func givesBackIt(text string) bool {
	for _, clause := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return strings.ContainsRune(",.;:!?", r) }) {
		w := words(clause)
		for k, x := range w {
			if !giveBackClitics[x] || k == 0 || !wishVerbs[w[k-1]] {
				continue
			}
			if k == len(w)-1 || slices.Contains(clauseJoins, " "+w[k+1]+" ") || w[k+1] == "grazie" || w[k+1] == "perche" {
				return true
			}
		}
	}
	return false
}

var giveBackClitics = map[string]bool{"renderlo": true, "renderla": true, "renderli": true, "renderle": true}

// wishVerbs ask or may, before an infinitive: "vorrei", "posso".
var wishVerbs = map[string]bool{"vorrei": true, "voglio": true, "volevo": true, "vorremmo": true, "vogliamo": true, "devo": true,
	"dobbiamo": true, "posso": true, "possiamo": true, "potrei": true, "potremmo": true}

// unwantedAfterDelivery reports whether the message says the customer
// has the product (it came, on a day: "ho ricevuto", "arrived last
// friday") and no longer wants it.
func (u *understanding) unwantedAfterDelivery() bool {
	if !u.said.has(unwantedPhrases) {
		return false
	}
	return u.said.hasUndenied(receivedPhrases) || slices.ContainsFunc(u.facts, func(f fact) bool {
		return f.kind == factDate && (f.cue == cueDelivery || f.cue == cuePurchase)
	})
}

// unwantedPhrases say a product is no longer wanted, with nothing wrong
// with it.
var unwantedPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" non mi serve piu ", " non ci serve piu ", " non mi serve ", " non ci serve ", " non lo voglio piu ", " non la voglio piu ",
		" non mi interessa piu ", " ho cambiato idea ", " abbiamo cambiato idea ",
		" no longer need ", " no longer want ", " don t need it ", " dont need it ", " don t need it anymore ", " don t want it ", " dont want it ",
		" do not need it ", " do not want it ", " changed my mind ", " change of mind "} {
		add(p)
	}
})

// receivedPhrases tell that the product came.
var receivedPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" ho ricevuto ", " abbiamo ricevuto ", " mi e arrivato ", " mi e arrivata ", " mi sono arrivati ", " e arrivato ", " e arrivata ", " consegnato ", " consegnata ",
		" received ", " arrived ", " got delivered ", " was delivered ", " came "} {
		add(p)
	}
})

// shopSendsBackPhrases make the shop the one who sends back ("when will
// you send back my laptop?", "quando me lo rispedite?"): a repaired item
// coming home, no return by the customer.
var shopSendsBackPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" you send back ", " you send it back ", " you send them back ", " you ll send back ", " you will send back ",
		" you re sending back ", " you are sending back ", " are you sending back ", " are you sending it back ", " will you send ", " you give back ", " you give it back ",
		" rispedite ", " rispedirete ", " me lo rispedite ", " me la rispedite ", " me li rispedite ", " mi rispedite ",
		" rimandate indietro ", " me lo rimandate ", " me la rimandate ", " mi rimandate ", " ridate ", " mi ridate ",
		" potete ridare ", " potreste ridare ", " ridarmi ", " ridarmelo ", " ridarmela ", " ridarmeli "} {
		add(p)
	}
})

var sendBackPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" send back ", " sending back ", " send them back ", " give back ", " give it back ",
		" rimandare indietro ", " rimandarlo indietro ", " rimandarla indietro ", " rispedire ", " rispedirla ", " rispedirli ", " ridarvi ",
		" ridare indietro ", " ridarlo indietro ", " ridarla indietro ", " ridarli indietro ", " ridarle indietro ", " ridarvelo ", " ridarvela "} {
		add(p)
	}
})

// sendsBack reports whether s asks to send or give something back: a
// phrase of sendBackPhrases, or the thing between the verb and "back"
// ("send the coffee machine back", "give my pixel back"), a few words
// that name it (an article or a possessive first). "Send me back a
// reply", "can you send my laptop back" (the shop sends) and "send the
// tv to the back office" are none.
func sendsBack(s said) bool {
	if s.has(sendBackPhrases) {
		return true
	}
	w := s.words
	for i, x := range w {
		if x != "send" && x != "sending" && x != "give" && x != "giving" {
			continue
		}
		if i+1 >= len(w) || !thingStarts[w[i+1]] || i > 0 && (w[i-1] == "you" || w[i-1] == "u") {
			continue
		}
		for j := i + 2; j < len(w) && j <= i+5; j++ {
			if w[j] == "back" {
				return true
			}
			if thingStops[w[j]] {
				break
			}
		}
	}
	return false
}

// thingStarts begin the name of a thing sent back; thingStops end it
// before any "back" ("send the tv to the back office").
var thingStarts = map[string]bool{"the": true, "my": true, "our": true, "this": true, "these": true, "that": true, "those": true}

var thingStops = map[string]bool{"to": true, "and": true, "or": true, "for": true, "in": true, "at": true, "on": true, "with": true, "from": true, "if": true}

// buysFirst returns the start of the sale for a message outside a flow
// that asks whether a product can be returned before it is bought: "se
// compro la tv e non mi piace posso restituirla?", "if I order the
// blender and it's too big, can I send it back?". A return of a product
// still to buy is a purchase with a question: the shop's pages answer
// the question (the span of the sentence that asks it, which the
// commands carry as documents), and the sale goes on. An order, a
// delivery, a fault or damage told in the message is a return after
// all, and so is a return of what the customer already has beside a
// purchase to come ("before I buy the new model I need to return the
// old one", "thinking of buying the bigger tv, can I return the one I
// got last week?").
func (u *understanding) buysFirst(intent *Command) (start, question *Command) {
	if intent == nil || intent.Kind != CmdStartFlow || u.flow != nil || !u.said.has(ifBuyPhrases) {
		return nil, nil
	}
	if f := u.b.Flows[intent.Flow]; f == nil || !f.runs("return_check") {
		return nil, nil
	}
	// What the customer has already bought or had delivered ("the 55
	// inch I got last week", "ho comprato", an order), a fault, or a
	// return asked outright ("voglio restituire") is a return after all.
	if u.said.has(boughtPhrases) || u.said.has(returnWantPhrases) || slices.ContainsFunc(u.facts, func(f fact) bool {
		return f.kind == factOrder || f.kind == factDefect || f.kind == factDamage || f.kind == factDate && f.cue != cueDeadline
	}) {
		return nil, nil
	}
	sale := u.b.saleIntent()
	if sale == nil {
		return nil, nil
	}
	// The question is the part of its sentence after the condition: "se
	// la compro e non mi piace, posso restituirla?" asks the pages
	// "posso restituirla?", which the product's name would only blur.
	q := u.text
	if end := strings.Index(u.text, "?"); end >= 0 {
		q = u.text[:end+1]
		if i := strings.LastIndexAny(q[:end], ".!,;"); i >= 0 && countWords(q[i+1:]) >= 2 {
			q = q[i+1:]
		}
		q = strings.TrimSpace(q)
	}
	return &Command{Kind: CmdStartFlow, Flow: sale.Flow, Intent: sale.Name, Confidence: max(intent.Confidence, u.b.Threshold)},
		&Command{Kind: CmdDocuments, Span: q, Confidence: 1}
}

// claimBeforeBuying returns the start of the sale for a message outside
// a flow that the classifier read as a warranty claim, but that tells a
// purchase still to be made and nothing owned: "we're thinking of buying
// some thinkpads for the team", "sto pensando di prendere un pixel". A
// claim needs a product bought; a fault, damage, an order, a date of
// owning it or a question keeps the classifier's reading ("thinking of
// buying a new one, mine won't turn on" is the claim's).
func (u *understanding) claimBeforeBuying(intent *Command) *Command {
	if intent == nil || intent.Kind != CmdStartFlow || u.flow != nil || u.question || !u.said.has(ifBuyPhrases) || u.said.has(boughtPhrases) {
		return nil
	}
	if f := u.b.Flows[intent.Flow]; f == nil || !f.checksWarranty() {
		return nil
	}
	if slices.ContainsFunc(u.facts, func(f fact) bool {
		return f.kind == factOrder || f.kind == factDefect || f.kind == factDamage || f.kind == factDate && f.cue != cueDeadline
	}) {
		return nil
	}
	sale := u.b.saleIntent()
	if sale == nil {
		return nil
	}
	return &Command{Kind: CmdStartFlow, Flow: sale.Flow, Intent: sale.Name, Confidence: max(intent.Confidence, u.b.Threshold)}
}

// returnIfBuying returns the question for the pages of a message, in a
// sale, that would start a return on a condition of the product still to
// buy: "what's your return policy if I don't like it?", "e se non mi
// piace posso renderlo?". The sale goes on; an order, a fault or damage
// told makes it a return after all.
func (u *understanding) returnIfBuying(intent *Command) *Command {
	if intent == nil || intent.Kind != CmdStartFlow || u.flow == nil || !u.flow.sells(u.b) || !u.said.has(ifUnwantedPhrases) {
		return nil
	}
	if f := u.b.Flows[intent.Flow]; f == nil || !f.runs("return_check") {
		return nil
	}
	if slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factOrder || f.kind == factDefect || f.kind == factDamage }) {
		return nil
	}
	return &Command{Kind: CmdDocuments, Span: u.text, Confidence: 1}
}

// ifUnwantedPhrases put a condition on a product still to buy: "if I
// don't like it", "se non mi piace".
var ifUnwantedPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" if i don t like ", " if i do not like ", " if it doesn t fit ", " if it does not fit ", " if i change my mind ",
		" if we don t like ", " in case i don t like ", " se non mi piace ", " se non ci piace ", " se non mi va bene ", " se non mi convince ",
		" se cambio idea ", " nel caso non mi piaccia ", " se poi non mi piace "} {
		add(p)
	}
})

// returnWantPhrases ask for a return outright: "i want to return",
// "vorrei fare il reso" (not "can I return it?", which asks whether).
var returnWantPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" want to return ", " need to return ", " like to return ", " have to return ", " voglio restituire ", " vorrei restituire ",
		" devo restituire ", " voglio rendere ", " vorrei rendere ", " fare il reso ", " fare un reso "} {
		add(p)
	}
})

// ifBuyPhrases tell a purchase still to be made, on a condition: "se lo
// compro", "in caso la prenderei", "if I buy it", "before I order".
var ifBuyPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" se compro ", " se lo compro ", " se la compro ", " se li compro ", " se prendo ", " se lo prendo ", " se la prendo ",
		" se ordino ", " se lo ordino ", " se la ordino ", " se acquisto ", " lo prenderei ", " la prenderei ", " lo comprerei ", " la comprerei ",
		" prima di comprare ", " prima di comprarlo ", " prima di comprarla ", " prima di ordinare ", " prima di acquistare ",
		" if i buy ", " if i order ", " if i get ", " if i purchase ", " before i buy ", " before i order ", " before buying ", " before ordering ",
		" i d buy ", " i would buy ", " i d order ", " i would order ", " i d get it ", " thinking of buying ", " thinking about buying ",
		" sto pensando di comprare ", " sto pensando di prendere ", " pensavo di prendere ", " pensavo di comprare ",
		" thinking of getting ", " thinking about getting ", " thinking of ordering ", " stiamo pensando di comprare ", " stiamo pensando di prendere ",
		" pensavamo di prendere ", " pensavamo di comprare "} {
		add(p)
	}
})

// reasonAhead takes, at another question of a flow whose later free
// question is still open (the return's reason), a message that answers
// nothing and asks nothing but says what is wrong with what came or that
// it is no longer wanted ("it's too big for my hand", "ho cambiato idea")
// as that later answer: the bot notes it, asks its own question again,
// and never asks why. It reports whether it did.
func (u *understanding) reasonAhead() bool {
	if u.flow == nil || u.ask == nil || u.slot == nil || u.slot.Type.free() || u.question || len(u.facts) > 0 || countWords(u.text) < 3 {
		return false
	}
	unwanted := u.said.has(unwantedPhrases)
	if !(unwanted || u.said.has(returnReasonPhrases)) || isRequestIn(u.said) && !unwanted {
		return false
	}
	i, ok := u.flow.index[u.ask.ID]
	if !ok {
		return false
	}
	for _, st := range u.flow.Steps[i+1:] {
		s := u.b.slotOf(st)
		if st.Kind != StepAsk || s == nil || s.Type != SlotText || st.Slot == u.ask.Slot {
			continue
		}
		if u.in.State.Slots[st.Slot] != "" {
			return false
		}
		text := strings.TrimSpace(u.text)
		u.add(Command{Kind: CmdSetSlot, Slot: st.Slot, Flow: u.flow.Name, Value: text, Span: text, Confidence: 0.6})
		return true
	}
	return false
}

// returnReasonPhrases say what is wrong with what came, or that the
// customer does not like it: "too big", "colore sbagliato", "non mi
// convince" ("too hard to say" or "I don't like bots" tell no reason).
var returnReasonPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" too big ", " too small ", " too large ", " too heavy ", " too bulky ", " too noisy ", " too loud ", " too slow ",
		" too bright ", " too dark ", " wrong colour ", " wrong color ", " wrong size ", " wrong model ",
		" troppo grande ", " troppo piccolo ", " troppo piccola ", " troppo pesante ", " troppo ingombrante ", " troppo rumoroso ", " troppo rumorosa ",
		" troppo lento ", " troppo lenta ", " colore sbagliato ", " taglia sbagliata ", " misura sbagliata ", " modello sbagliato ",
		" non mi piace il ", " non mi piace la ", " non mi piace per niente ", " non mi piace piu ", " non mi piace proprio ", " non mi convince ",
		" non fa per me ", " i don t like it ", " i don t like the ", " i don t really like it ", " not what i expected ", " not for me ",
		" i don t like how "} {
		add(p)
	}
})

// toldInOneGo reports whether the yes-or-no question st, step i of f, a
// flow that decides a return ("start a return?"), is answered by the
// message itself: the flow began with this message, which told the
// answer of every question the flow asks after st (the order number, the
// reason: "want to return SP-123987, email ..., reason: ...") and
// whatever proves the order, found in this turn. The
// customer said all a return case needs in one go; asking whether they
// want it asks again what they told. A return asked about or wished for
// with less ("I'd like to return the bravia, it's too small"), or whose
// order the bot first had to ask to be proven, or that the customer comes
// to after another request with the order told before, gets the question
// once the bot has told the deadline.
func (c *conv) toldInOneGo(f *Flow, st *Step, i int) bool {
	if st.Kind != StepAsk || c.b.Slots[st.Slot] == nil || c.b.Slots[st.Slot].Type != SlotYesNo || !f.runs("return_check") {
		return false
	}
	began := slices.IndexFunc(c.t.Events, func(e bot.Event) bool { return e.Type == bot.EventFlowStarted && e.Flow == f.Name })
	if began < 0 || slices.ContainsFunc(c.t.Events[began:], func(e bot.Event) bool { return e.Type == bot.EventAsked }) {
		return false
	}
	// The order is the shop's to check: found, and proven the
	// customer's, in this turn.
	if !slices.ContainsFunc(c.t.Events[began:], func(e bot.Event) bool {
		return e.Type == bot.EventLookup && e.Action == EventLookupOrder && e.Value == LookupFound
	}) {
		return false
	}
	told := func(slot string) bool {
		v := c.s.Slots[slot]
		return v != "" && slices.ContainsFunc(c.t.Events, func(e bot.Event) bool {
			return e.Type == bot.EventSlotFilled && e.Slot == slot && e.Value == v
		})
	}
	later := 0
	for _, l := range f.Steps[i+1:] {
		s := c.b.Slots[l.Slot]
		if l.Kind != StepAsk || s == nil || s.Type == SlotYesNo {
			continue
		}
		if !told(l.Slot) {
			return false
		}
		later++
	}
	return later > 0
}
