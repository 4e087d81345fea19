package flows

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/flows/extract"
)

// A fact is one typed value a customer's message holds, as understanding
// sees it: read once per message, each stretch of text with one meaning,
// then given to whichever slot it fits.
type fact struct {
	kind  factKind
	value string // as a slot of the kind stores it
	span  string // the text it came from, as written
	conf  float64
	// cue says what a date is about: cuePurchase, cueDelivery, cueSince
	// (how long a problem lasts: no purchase date) or "".
	cue    string
	future bool     // a date after today
	slot   string   // choice facts: the choice slot whose options matched
	sold   bool     // brand facts: the catalogue has the brand
	code   string   // defect and damage facts: the kind (leak, no_power; drop, liquid)
	others []string // brand facts: the products of the catalogue of that brand
	// category is, for a brand fact, the category named with it or the
	// one its line is sold in ("galaxy s24": phone).
	category string
	// one is, for a product, category or brand fact, the words that name
	// it as one thing with an indefinite article ("una tv", "an air
	// fryer"): how many, where nothing else says (article_count.go).
	one string
	// unsoldKind is, for a brand fact, a kind of product the shop has no
	// category for ("a dishwasher", "un tablet"), not a brand or a model.
	unsoldKind bool
}

// A factKind is the type of a fact; slot types accept some kinds.
type factKind string

const (
	factProduct  factKind = "product"
	factCategory factKind = "category"
	factBrand    factKind = "brand" // a brand (or model) the customer named
	factDate     factKind = "date"
	factMoney    factKind = "money"
	factNumber   factKind = "number"
	factOrder    factKind = "order"
	factEmail    factKind = "email"
	factPhone    factKind = "phone"
	factChoice   factKind = "choice"
	factDefect   factKind = "defect" // a description of a malfunction
	factDamage   factKind = "damage" // accidental damage: drop, liquid, crack
)

// Cues of dates.
const (
	cuePurchase = "purchase"
	cueDelivery = "delivery"
	cueSince    = "since"
	cueDeadline = "deadline"
)

// read finds the facts of text, in one pass of extract.Scan: each
// stretch of text has one meaning (a product model is no quantity, a
// price no quantity, "da tre giorni" no purchase date). expect is the type
// of the slot the bot asked for, so a bare "2" reads as what was asked.
func (b *Bot) read(text, lang string, now time.Time, expect SlotType) []fact {
	return b.readText(extract.Read(text), lang, now, expect)
}

// readText is read of a message already split into its words.
func (b *Bot) readText(msg *extract.Text, lang string, now time.Time, expect SlotType) []fact {
	text := msg.String()
	vals := extract.ScanText(msg, extract.Options{Lang: lang, Now: now, Shop: b.shop, Expect: expectKind(expect)})
	out := make([]fact, 0, len(vals))
	for _, v := range vals {
		f := fact{value: v.Value, span: v.Text, conf: v.Confidence, one: v.One}
		switch v.Kind {
		case extract.KindProduct:
			f.kind = factProduct
		case extract.KindCategory:
			if otherMeaning[lang][strings.ToLower(v.Text)] {
				continue // "un mobile per la tv": furniture in Italian, no phone
			}
			f.kind = factCategory
			if v.NotSold { // a kind of product the shop has no category for: "un tablet"
				f.kind, f.value, f.unsoldKind = factBrand, v.Text, true
				break
			}
			// "la friggitrice" of a shop that sells one air fryer: that one.
			p := b.onlyNamed[strings.Join(words(v.Text), " ")]
			if k := b.kindNamed(v.Text); p == "" && len(b.kinds[k]) == 1 {
				p = b.kinds[k][0] // "due friggitrici", "the vaccum": the kind's word, as the catalogue read it
			}
			if p != "" && !slices.ContainsFunc(vals, func(o extract.Value) bool { return o.Kind == extract.KindProduct }) {
				out = append(out, f)
				f = fact{kind: factProduct, value: p, span: v.Text, conf: min(v.Confidence, 0.8), one: v.One}
			}
		case extract.KindBrand:
			if rest := words(text[min(v.End, len(text)):]); len(rest) > 0 && (rest[0] == "pay" || rest[0] == "wallet") {
				continue // "google pay", "apple pay": a way to pay, no product
			}
			f.kind, f.sold, f.value, f.others, f.category = factBrand, !v.NotSold, v.Text, v.Others, v.Category
			// "il portatile hp": the one HP laptop the shop sells.
			if p := b.onlyProduct(v, vals); p != "" {
				f.kind, f.value, f.conf = factProduct, p, min(f.conf, 0.8)
			}
		case extract.KindChoice:
			f.kind, f.slot = factChoice, v.Slot
		case extract.KindBuyer:
			f.kind, f.slot = factChoice, b.choiceWith(v.Value)
			if f.slot == "" {
				continue
			}
		case extract.KindDate:
			f.kind, f.cue, f.future = factDate, string(v.Cue), v.Future
		case extract.KindMoney:
			if priceDifference(text[min(v.End, len(text)):]) {
				continue // "100 euros cheaper", "50 euro in meno": a gap between prices, no budget
			}
			f.kind = factMoney
		case extract.KindQuantity, extract.KindNumber:
			f.kind = factNumber
			if v.Kind == extract.KindNumber {
				f.conf = min(f.conf, 0.5)
			}
		case extract.KindOrder:
			f.kind, f.slot = factOrder, b.orderSlot
		case extract.KindEmail:
			f.kind = factEmail
		case extract.KindPhone:
			f.kind = factPhone
		case extract.KindDefect:
			if aboutPackaging(text[:v.Start]) && v.Value != "" {
				continue // "il pacco è arrivato tutto ammaccato": the box
			}
			f.kind, f.value, f.code = factDefect, v.Text, v.Value
		case extract.KindDamage:
			if v.Negated { // "non è caduto": no damage
				continue
			}
			if aboutPackaging(text[:v.Start]) {
				continue // "la scatola era ammaccata": the box, not the product
			}
			if arrivedSo(text[:v.Start]) {
				// "la tv è arrivata con lo schermo spaccato": broken on the
				// way, the shop's matter, not the customer's accident.
				f.kind, f.value, f.code = factDefect, v.Text, codeArrivedDamaged
				// A choice of that name (the demo's parcel) takes it too:
				// the delivery's problem, asked of the order.
				if s := b.choiceWith(codeArrivedDamaged); s != "" {
					out = append(out, fact{kind: factChoice, slot: s, value: codeArrivedDamaged, span: v.Text, conf: v.Confidence})
				}
				break
			}
			if rest := strings.Fields(strings.ToLower(text[min(v.End, len(text)):])); len(rest) > 0 && rest[0] == "off" {
				continue // "I could drop it off": bring it, not let it fall
			}
			if (v.Value == "crack" || v.Value == "heat") && (byItself(text[min(v.End, len(text)):]) || causeDenied(vals)) {
				// Damage needs a cause: a crack or a melted part "da
				// solo", or "a crack, but I never dropped it", tells a
				// defect (a fall is a fall, by itself or not).
				f.kind, f.value, f.code = factDefect, v.Text, "broken"
				break
			}
			if v.Value == "heat" && meltedUncaused(v, vals) {
				// "the case melted near the charging port": it got hot by
				// itself; the stove or the heater it stood on is a cause.
				f.kind, f.value, f.code = factDefect, v.Text, "overheat"
				break
			}
			f.kind, f.code = factDamage, v.Value
		default:
			continue
		}
		out = append(out, f)
	}
	out = append(out, b.kindFacts(text, out)...)
	// "perde acqua, tutto il piano bagnato" is a leak, not a device that
	// got wet.
	if slices.ContainsFunc(out, func(f fact) bool { return f.kind == factDefect && f.code == "leak" }) {
		out = slices.DeleteFunc(out, func(f fact) bool { return f.kind == factDamage && f.code == "liquid" })
	}
	// A pattern slot whose pattern is no order format is read by its
	// pattern, where the text is not read as anything else.
	for _, s := range b.patternSlots() {
		// One match, read as extract.Pattern reads it: the regexp is the
		// costliest part of reading a long message (FindPattern skips it
		// when the text lacks what a match needs).
		if m := extract.FindPattern(s.Pattern, text); m != "" {
			out = append(out, fact{kind: factOrder, value: strings.ToUpper(strings.TrimSpace(m)), span: m, conf: 1, slot: s.Name})
		}
	}
	return boughtSo(text, b.orderPaper(text, paperNotBuyer(text, out)))
}

// codeInvoice is the option of a choice that is an order's paper asked
// for again (the demo's order_problem): read by orderPaper, never by a
// synonym, since the buyer's words take "fattura" and "invoice" first.
const codeInvoice = "invoice"

// orderPaper reads the invoice a message asks for beside the number of
// an order as that order's paper, not as who bought: "can you resend the
// invoice of SP-123456?", "ho perso la fattura dell'ordine SP-123456"
// want a copy, a person's matter, when the number is in the invoice's
// clause. The invoice of a purchase ("bought with an invoice", "con la
// fattura") stays the buyer's.
func (b *Bot) orderPaper(text string, facts []fact) []fact {
	slot := b.choiceWith(codeInvoice)
	if slot == "" || b.orderSlot == "" {
		return facts
	}
	for i, f := range facts {
		if f.kind != factChoice || f.span == "" || f.slot == slot {
			continue
		}
		if w := words(f.span); len(w) != 1 || (w[0] != "fattura" && w[0] != "invoice") {
			continue
		}
		// The number in the invoice's clause: "where is SP-123456? and I
		// need an invoice for my firm" asks the status, and the paper
		// of a business beside it.
		ws := clauseOf(text, f.span)
		if tellsPurchase(ws) || withPaper(ws) || !slices.ContainsFunc(facts, func(o fact) bool {
			return o.kind == factOrder && o.slot == b.orderSlot && o.span != "" && wordsAt(ws, words(o.span)) >= 0
		}) {
			continue
		}
		facts[i] = fact{kind: factChoice, slot: slot, value: codeInvoice, span: f.span, conf: f.conf}
	}
	return facts
}

// paperNotBuyer drops a choice read from the name of a paper the
// customer asks for beside a claim: "non si carica, mi servirebbe anche
// la fattura", "can I get an invoice?" want the paper, and tell nothing of who bought ("comprato
// con fattura", "bought with a vat invoice" do).
func paperNotBuyer(text string, facts []fact) []fact {
	// Only beside a claim (a fault or damage told): in a purchase, an
	// invoice wanted is a business's ("4 pixel 8, i need an invoice").
	if !slices.ContainsFunc(facts, func(f fact) bool { return f.kind == factDefect || f.kind == factDamage }) {
		return facts
	}
	return slices.DeleteFunc(facts, func(f fact) bool {
		if f.kind != factChoice || f.span == "" || !saying(f.span).has(paperPhrases) {
			return false
		}
		ws := clauseOf(text, f.span)
		said := sayWords(ws)
		return (isRequestIn(said) || said.has(paperWantedPhrases)) && !tellsPurchase(ws) && !withPaper(ws)
	})
}

// withPaper reports whether the words say a purchase is made with a
// paper, not that the paper is wanted: "con fattura", "with a vat
// invoice", "vorrei 3 portatili con la fattura".
func withPaper(ws []string) bool {
	for i, w := range ws {
		if w != "con" && w != "with" && w != "tramite" {
			continue
		}
		for _, x := range ws[i+1 : min(i+4, len(ws))] {
			if x == "fattura" || x == "invoice" || x == "ricevuta" {
				return true
			}
		}
	}
	return false
}

// paperWantedPhrases ask for a paper, besides the requests of
// isRequestIn: "can I get", "send me", "mandatemi".
var paperWantedPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" can i get ", " can i have ", " could i get ", " could you send ", " can you send ", " send me ",
		" email me ", " i still need ", " mandatemi ", " mi mandate ", " mi mandi ", " potete mandarmi ", " potreste mandarmi ",
		" mi fate ", " mi fareste ", " mi emettete ", " richiedere ", " avere la ", " avere una ", " avere anche ", " get ", " need "} {
		add(p)
	}
})

// boughtSo keeps, of two values of one choice that a message gives, the
// one its clause says the purchase was made with, when the other's does
// not: "it's a business laptop but I bought it privately", "è un
// portatile aziendale ma l'ho comprato da privato" are a consumer's, who
// bought it; "sono un privato ma l'ho preso con la partita iva" a
// business's. Without such a clause, or with two, both stay; and so in
// a message that corrects itself ("preso come privato... no aspetta, con
// la fattura della ditta"), where the correction tells which is meant.
func boughtSo(text string, facts []fact) []fact {
	if hasCorrection(text) {
		return facts
	}
	var bought, other []int // the facts of a choice whose clause buys, and the rest
	for i, f := range facts {
		if f.kind != factChoice || f.span == "" {
			continue
		}
		if tellsPurchase(clauseOf(text, f.span)) {
			bought = append(bought, i)
		} else {
			other = append(other, i)
		}
	}
	if len(bought) == 0 || len(other) == 0 {
		return facts
	}
	drop := map[int]bool{}
	for _, i := range bought {
		for _, j := range other {
			if facts[i].slot == facts[j].slot && facts[i].value != facts[j].value {
				drop[j] = true
			}
		}
	}
	// Two bought values of the slot that disagree leave it undecided: keep all.
	for _, i := range bought {
		for _, j := range bought {
			if facts[i].slot == facts[j].slot && facts[i].value != facts[j].value {
				return facts
			}
		}
	}
	if len(drop) == 0 {
		return facts
	}
	kept := make([]fact, 0, len(facts)-len(drop))
	for i, f := range facts {
		if !drop[i] {
			kept = append(kept, f)
		}
	}
	return kept
}

// clauseOf returns the words of the clause of text that holds span: from
// the punctuation or the "but" before it to the one after it.
func clauseOf(text, span string) []string {
	lo := strings.ToLower(text)
	i := strings.Index(lo, strings.ToLower(span))
	if i < 0 {
		return nil
	}
	before, after := lo[:i], lo[i+len(span):]
	if k := strings.LastIndexAny(before, ",.;:!?"); k >= 0 {
		before = before[k+1:]
	}
	if k := strings.IndexAny(after, ",.;:!?"); k >= 0 {
		after = after[:k]
	}
	ws := words(before)
	for k := len(ws) - 1; k >= 0; k-- {
		if clauseBreaks[ws[k]] {
			ws = ws[k+1:]
			break
		}
	}
	ws = append(ws, words(span)...)
	for _, w := range words(after) {
		if clauseBreaks[w] {
			break
		}
		ws = append(ws, w)
	}
	return ws
}

// clauseBreaks are the words that start a clause of their own: "but",
// "ma", "però".
var clauseBreaks = map[string]bool{"but": true, "though": true, "although": true, "ma": true, "pero": true, "però": true, "mentre": true, "while": true}

// tellsPurchase reports whether a clause says the purchase was made: "I bought
// it", "l'ho comprato", "paid for it", "preso con fattura".
func tellsPurchase(ws []string) bool {
	for _, w := range ws {
		switch w {
		case "bought", "purchased", "paid", "comprato", "comprata", "comprati", "acquistato", "acquistata",
			"preso", "presa", "presi", "pagato", "pagata", "comprai", "acquistai":
			return true
		}
	}
	return false
}

// onlyProduct returns the catalogue's product a sold brand means when it
// can mean one only, within the category the message names if any.
func (b *Bot) onlyProduct(v extract.Value, vals []extract.Value) string {
	if v.NotSold || v.Model != "" {
		return ""
	}
	cat := v.Category
	for _, o := range vals {
		if o.Kind == extract.KindCategory && !o.NotSold {
			cat = o.Value
		}
	}
	var only string
	for _, id := range v.Others {
		p := b.products[id]
		if p == nil || cat != "" && p.Category != cat {
			continue
		}
		if only != "" {
			return ""
		}
		only = id
	}
	return only
}

// onlyNamed maps each word a category is called by to the one product
// of the category whose name or synonyms hold it as words ("friggitrice"
// in "friggitrice philips"); words that name several products, or none,
// are left out.
func onlyNamed(cats []*Category, prods []*Product) map[string]string {
	out := map[string]string{}
	for _, c := range cats {
		var names []string
		for _, ws := range c.Synonyms {
			names = append(names, ws...)
		}
		names = append(names, textValues(c.Name.Text)...)
		for _, n := range names {
			key := strings.Join(words(n), " ")
			if key == "" {
				continue
			}
			only, count := "", 0
			for _, p := range prods {
				if p.Category != c.ID {
					continue
				}
				if slices.ContainsFunc(append([]string{p.Name}, allWords(p.Synonyms)...), func(syn string) bool {
					return strings.Contains(" "+strings.Join(words(syn), " ")+" ", " "+key+" ")
				}) {
					only, count = p.ID, count+1
				}
			}
			if count == 1 {
				out[key] = only
			}
		}
	}
	// The shop's kinds say it outright: "la macchina del caffè" is the
	// one coffee machine of the catalogue; of a kind with several
	// products, no word names one.
	for key, ids := range kindProducts(cats, prods) {
		if len(ids) == 1 {
			out[key] = ids[0]
		} else {
			delete(out, key)
		}
	}
	return out
}

// kindProducts maps each word of a category's kinds (normalised) to the
// products of that kind, in the catalogue's order.
func kindProducts(cats []*Category, prods []*Product) map[string][]string {
	out := map[string][]string{}
	for _, c := range cats {
		// In the kinds' order, a word two kinds share meaning the
		// products of both, so that every load reads it the same.
		for _, kind := range slices.Sorted(maps.Keys(c.Kinds)) {
			ws := c.Kinds[kind]
			var ids []string
			for _, p := range prods {
				if p.Category == c.ID && p.Kind == kind {
					ids = append(ids, p.ID)
				}
			}
			for _, w := range allWords(ws) {
				if key := strings.Join(words(w), " "); key != "" && len(ids) > 0 {
					for _, id := range ids {
						if !slices.Contains(out[key], id) {
							out[key] = append(out[key], id)
						}
					}
				}
			}
		}
	}
	return out
}

// expectKind is the kind of value Scan should read a bare number as,
// when the bot asked for a slot of type t.
func expectKind(t SlotType) extract.Kind {
	switch t {
	case SlotNumber:
		return extract.KindQuantity
	case SlotMoney:
		return extract.KindMoney
	case SlotPattern:
		return extract.KindOrder
	case SlotPhone, SlotContact:
		return extract.KindPhone
	case SlotDate:
		return extract.KindDate
	}
	return ""
}

// choiceWith returns the choice slot that has an option value: the buyer
// slot for "consumer" and "business".
func (b *Bot) choiceWith(value string) string {
	for _, name := range b.slotNames() {
		s := b.Slots[name]
		if s.Type != SlotChoice {
			continue
		}
		for _, o := range s.Options {
			if o.Value == value {
				return name
			}
		}
	}
	return ""
}

// overlaps reports whether spans a and b of text share a byte.
func overlaps(text, a, b string) bool {
	i, j := strings.Index(text, a), strings.Index(text, b)
	if i < 0 || j < 0 {
		return false
	}
	return i < j+len(b) && j < i+len(a)
}

// residue returns the words of text outside the facts' spans, without
// the little words that carry no request ("il", "the", "my").
func residue(text string, facts []fact) []string {
	for _, f := range facts {
		if f.span != "" {
			text = strings.Replace(text, f.span, " ", 1)
		}
	}
	var out []string
	for _, w := range words(text) {
		if !littleWords[w] {
			out = append(out, w)
		}
	}
	return out
}

var littleWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`il lo la i gli le un uno una l mio mia miei mie di del della dei delle da e ed o
		a al allo alla in su per con che si ok ecco allora era e  quello quella questo questa
		the a an my mine of and or it its is was to in on for with that this those ok so well yes no`) {
		m[w] = true
	}
	return m
}()

// findFold returns the part of text equal to s ignoring case.
func findFold(text, s string) string {
	i := strings.Index(strings.ToLower(text), strings.ToLower(s))
	if i < 0 || i+len(s) > len(text) {
		return ""
	}
	return text[i : i+len(s)]
}

// fits reports whether fact f can fill slot s.
func (b *Bot) fits(s *Slot, f fact) bool {
	switch s.Type {
	case SlotProduct:
		return f.kind == factProduct
	case SlotCategory:
		return f.kind == factCategory
	case SlotDate:
		// A deadline ("entro venerdì") dates only what is to come.
		return f.kind == factDate && f.cue != cueSince && (f.cue != cueDeadline || s.When == "future") &&
			(s.Cue == "" || f.cue == "" || f.cue == s.Cue || s.Cue == cueDelivery && f.cue == cuePurchase)
	case SlotMoney:
		return f.kind == factMoney
	case SlotNumber:
		if f.kind != factNumber {
			return false
		}
		n, err := strconv.Atoi(f.value)
		return err == nil && n >= s.Min && (s.Max == 0 || n <= s.Max)
	case SlotPattern:
		return f.kind == factOrder && f.slot == s.Name
	case SlotEmail:
		return f.kind == factEmail
	case SlotPhone:
		return f.kind == factPhone
	case SlotContact:
		return f.kind == factEmail || f.kind == factPhone
	case SlotChoice:
		return f.kind == factChoice && f.slot == s.Name
	case SlotDefect:
		return f.kind == factDefect
	case SlotDamage:
		return f.kind == factDamage
	}
	return false
}

// correctsFilled reports whether the message holds another value for a
// slot the conversation has filled: "no wait, it was July" after May.
func (u *understanding) correctsFilled() bool {
	for name, old := range u.in.State.Slots {
		s := u.b.Slots[name]
		if s == nil || old == "" || s == u.slot {
			continue
		}
		if slices.ContainsFunc(u.facts, func(f fact) bool { return u.b.fits(s, f) && f.value != old }) {
			return true
		}
	}
	return false
}

// restatesFilled reports whether the message tells again, with the word
// that says what it is the date of, a date the conversation has filled,
// and tells another: "I bought it in October 2024" after a purchase date
// of May corrects it, whatever the question pending. "bought it in May"
// after 31 May tells the same month; a message that names another
// product tells that one's date.
func (u *understanding) restatesFilled() bool {
	// "my tv, bought in March, has lines too" is another product's date.
	if slices.ContainsFunc(u.facts, func(f fact) bool {
		return (f.kind == factProduct || f.kind == factCategory || f.kind == factBrand) && !u.filledWith(f.value)
	}) {
		return false
	}
	for name, old := range u.in.State.Slots {
		s := u.b.Slots[name]
		if s == nil || old == "" || s.Type != SlotDate || s.Cue == "" || s == u.slot {
			continue
		}
		if slices.ContainsFunc(u.facts, func(f fact) bool {
			return f.kind == factDate && f.cue == s.Cue && f.value != old && !strings.HasPrefix(old, f.value+"-")
		}) {
			return true
		}
	}
	return false
}

// bareNewOrder reports whether the message is only an order number, in
// the shop's format, other than the one the conversation holds, while
// the bot asks for something else of that order (its proof): "SP-112233"
// right after "to check order SP-112234, your e-mail or postcode" says
// the number was wrong, with no "sorry" needed.
func (u *understanding) bareNewOrder() bool {
	o := u.b.orderSlot
	old := u.in.State.Slots[o]
	if o == "" || old == "" || u.slot == nil || u.slot.Name == o || len(u.facts) != 1 {
		return false
	}
	f := u.facts[0]
	return f.kind == factOrder && f.slot == o && f.conf >= 1 && f.value != old && len(residue(u.text, u.facts)) == 0
}

// filledWith reports whether a slot of the conversation holds v.
func (u *understanding) filledWith(v string) bool {
	for _, old := range u.in.State.Slots {
		if old == v {
			return true
		}
	}
	return false
}

// futureDate reports whether the stored date value v begins after today.
func (b *Bot) futureDate(v string, now time.Time) bool {
	first, _, ok := parseDateValue(v, now.Location())
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	return ok && first.After(today)
}

// describes reports whether facts of kind k may stand in a sentence that
// tells why (the reason of a return): the product and what is wrong
// with it, not a date, an amount or an order number.
func describes(k factKind) bool {
	switch k {
	case factProduct, factCategory, factBrand, factDefect, factDamage, factChoice:
		return true
	}
	return false
}

// priceDifference reports whether the words after an amount make it a
// difference between two prices ("100 euros cheaper", "50 euro in meno",
// "20 euros more expensive", "30 euro di sconto"), which tells how much
// less or more something costs, not what the customer would spend.
func priceDifference(after string) bool {
	after = strings.TrimLeft(after, " ")
	if r, _ := utf8.DecodeRuneInString(after); !unicode.IsLetter(r) {
		return false // "700 euro, meno se possibile": the comma ends the amount
	}
	w := words(after)
	switch {
	case len(w) == 0:
		return false
	case slices.Contains([]string{"cheaper", "less", "lower", "meno", "off"}, w[0]):
		return true
	case len(w) > 1 && (w[0] == "in" || w[0] == "di") && slices.Contains([]string{"meno", "più", "piu", "sconto"}, w[1]):
		return true
	case len(w) > 1 && w[0] == "more" && (w[1] == "expensive" || w[1] == "costly"):
		return true
	}
	return false
}

// codeArrivedDamaged is the code of a defect that is damage the product
// came with: broken on the way, the parcel's matter.
const codeArrivedDamaged = "arrived_damaged"

// arrivedSo reports whether the words just before a damage, in its
// sentence, say the product came so: "è arrivata con lo schermo
// spaccato", "it arrived with a cracked screen", "came smashed".
func arrivedSo(before string) bool {
	if i := strings.LastIndexAny(before, ".!?;"); i >= 0 {
		before = before[i+1:]
	}
	w := words(before)
	for j := len(w) - 1; j >= 0 && j >= len(w)-6; j-- {
		if isArrival(w[j]) {
			return true
		}
	}
	return parcelArrived(w) || deliveredWith(before)
}

// deliveredWith reports whether the clause before a damage (no comma
// between) delivered the product with it: "il corriere mi ha consegnato
// la tv con lo scatolone sfondato e lo schermo in mille pezzi", "they
// delivered the tv with the box torn and the screen smashed". The
// delivery and "con"/"with" after it, and no turn of the telling
// between ("ma", "poi", "but", "then").
func deliveredWith(before string) bool {
	if i := strings.LastIndexAny(before, ","); i >= 0 {
		before = before[i+1:]
	}
	w := words(before)
	for j, x := range w {
		if !isArrival(x) {
			continue
		}
		with := false
		for _, y := range w[j+1:] {
			switch y {
			case "con", "with":
				with = true
			case "ma", "pero", "poi", "dopo", "quando", "but", "then", "after", "when", "later":
				return false
			}
		}
		return with
	}
	return false
}

// byItself reports whether the words just after a damage, in its
// sentence, say nothing caused it: "si è crepato da solo", "cracked on
// its own", "melted without me doing anything".
func byItself(after string) bool {
	if i := strings.IndexAny(after, ",.!?;"); i >= 0 {
		after = after[:i]
	}
	w := words(after)
	w = w[:min(len(w), 4)]
	s := " " + strings.Join(w, " ") + " "
	for _, p := range []string{" da solo ", " da sola ", " da soli ", " da sole ", " senza motivo ", " senza nessun motivo ",
		" spontaneamente ", " dal nulla ", " on its own ", " by itself ", " of its own accord ", " out of nowhere ",
		" for no reason ", " without me ", " without any ", " senza che ", " senza averlo ", " senza averla ", " senza urti ",
		" senza cadute "} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// meltedUncaused reports whether heat damage v tells a part melted or
// warped ("si è sciolta", "melted") and vals hold no cause of it: no
// source of heat ("sul fornello", "near the heater"), no other accident,
// no "dal calore".
func meltedUncaused(v extract.Value, vals []extract.Value) bool {
	w := words(v.Text)
	if len(w) == 0 || slices.ContainsFunc(w, func(x string) bool { return x == "calore" || x == "heat" }) || heatSource(w) {
		return false
	}
	return !slices.ContainsFunc(vals, func(o extract.Value) bool {
		return o.Kind == extract.KindDamage && !o.Negated && o.Start != v.Start
	})
}

// heatSource reports whether the words of a heat damage name where the
// heat came from: "sul fornello", "near the stove".
func heatSource(w []string) bool {
	switch w[0] {
	case "sul", "sopra", "vicino", "accanto", "on", "near", "next":
		return true
	}
	return false
}

// deniesDamage reports whether msg denies an accident and tells none:
// "non è caduto", "I never dropped it".
func (b *Bot) deniesDamage(msg *extract.Text, lang string, now time.Time) bool {
	if msg == nil {
		return false
	}
	vals := extract.ScanText(msg, extract.Options{Lang: lang, Now: now, Shop: b.shop})
	return causeDenied(vals) && !slices.ContainsFunc(vals, func(v extract.Value) bool { return v.Kind == extract.KindDamage && !v.Negated })
}

// causeDenied reports whether vals hold an accident the customer denies:
// "I never dropped it", "non è mai caduto".
func causeDenied(vals []extract.Value) bool {
	return slices.ContainsFunc(vals, func(v extract.Value) bool { return v.Kind == extract.KindDamage && v.Negated })
}

// aboutPackaging reports whether the words just before a damage or a
// defect, in its clause, name the box it came in: "la scatola era tutta
// ammaccata", "the box was crushed", "il pacco SP-... è arrivato tutto
// ammaccato". A box the words put something in is where that thing
// was, and the thing is what is broken: "the charger in the box is
// broken", "il cavo nella confezione è rovinato"; not "arrived in a box
// that was crushed".
func aboutPackaging(before string) bool {
	if i := strings.LastIndexAny(before, ".,;!?"); i >= 0 {
		before = before[i+1:]
	}
	w := words(before)
	for j := len(w) - 1; j >= 0 && j >= len(w)-6; j-- {
		switch {
		case isPackaging(w[j]):
			return !inside(w[:j]) || j+1 < len(w) && (w[j+1] == "that" || w[j+1] == "which" || w[j+1] == "che")
		case w[j] == "ma", w[j] == "pero", w[j] == "and", w[j] == "but":
			return false // "the box is fine but the tv is dented": the tv
		case w[j] == "e" && j+1 < len(w) && isArticle(w[j+1]):
			return false // "la scatola distrutta e la tv crepata": the tv ("e arrivato": is)
		}
	}
	return false
}

// inside reports whether the words before a box put something in it:
// "the charger in the", "il cavo nella", "what was inside the".
func inside(w []string) bool {
	if n := len(w); n > 0 && (w[n-1] == "the" || w[n-1] == "a" || w[n-1] == "its" || w[n-1] == "la" || w[n-1] == "il") {
		w = w[:n-1]
	}
	if n := len(w); n > 1 {
		switch w[n-1] {
		case "in", "inside", "into", "within", "nella", "nel", "nell", "dentro":
			return true
		}
	}
	return false
}

// isArticle reports whether w is an Italian article, which after "e"
// makes it "and", not "è" written without its accent.
func isArticle(w string) bool {
	switch w {
	case "il", "lo", "la", "l", "i", "gli", "le", "un", "uno", "una":
		return true
	}
	return false
}

// isPackaging reports whether w names the box a product came in.
func isPackaging(w string) bool {
	switch w {
	case "scatola", "imballo", "imballaggio", "confezione", "pacco", "box", "packaging", "parcel", "package":
		return true
	}
	return false
}

// parcelArrived reports whether the words before a damage, in its
// sentence, tell the parcel came: "il pacco è arrivato e la tv dentro ha
// lo schermo spaccato", "the box came and the phone inside was cracked".
// The box told after the arrival, and no turn of the telling between
// ("poi", "then"), is the parcel that came: "my order arrived but the
// box was crushed and the tv has a crack", "l'ordine è arrivato, la
// scatola distrutta e la tv crepata".
func parcelArrived(w []string) bool {
	for j, x := range w {
		if !isArrival(x) {
			continue
		}
		if slices.ContainsFunc(w[:j], isPackaging) {
			return true
		}
		boxed := false
		for _, y := range w[j+1:] {
			switch {
			case isPackaging(y):
				boxed = true
			case slices.Contains([]string{"poi", "dopo", "quando", "mesi", "settimane", "anni", "then", "after", "when", "later", "months", "weeks", "years"}, y):
				return false
			}
		}
		return boxed
	}
	return false
}

func isArrival(w string) bool {
	switch w {
	case "arrivato", "arrivata", "arrivati", "arrivate", "consegnato", "consegnata", "arrived", "came", "delivered":
		return true
	}
	return false
}

// otherMeaning are, by language, words a category of another language
// has among its synonyms that mean something else in this one: the
// Italian "mobile" is a piece of furniture, the English "mobile" a phone.
var otherMeaning = map[string]map[string]bool{
	"it": {"mobile": true, "mobili": true, "mobiles": true},
}
