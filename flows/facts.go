package flows

import (
	"strconv"
	"strings"
	"time"

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
	future bool   // a date after today
	slot   string // choice facts: the choice slot whose options matched
	sold   bool   // brand facts: the catalogue has the brand
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
)

// read finds the facts of text. Spans already read as one kind are not
// read again as another: a product model ("pixel 8") is no quantity, a
// price no quantity, a date no phone number.
func (b *Bot) read(text, lang string, now time.Time) []fact {
	var out []fact
	rest := text
	take := func(span string) {
		if span != "" {
			rest = strings.Replace(rest, span, strings.Repeat(" ", len(span)), 1)
		}
	}
	if v, ok := extract.Email(rest); ok {
		out = append(out, fact{kind: factEmail, value: v, span: v, conf: 1})
		take(findFold(rest, v))
	}
	for _, s := range b.Slots {
		if s.Type != SlotPattern || s.Pattern == nil {
			continue
		}
		if m := s.Pattern.FindString(rest); m != "" {
			v, _ := extract.Pattern(rest, s.Pattern)
			out = append(out, fact{kind: factOrder, value: v, span: m, conf: 1, slot: s.Name})
			take(m)
		}
	}
	// A product and a category may be read in the same words ("phone"
	// is close to "iphone"): the better reading wins.
	pm, pok := b.productCat.Choice(rest)
	cm, cok := b.categoryCat.Choice(rest)
	if pok && cok && overlaps(rest, pm.Text, cm.Text) {
		if cm.Score > pm.Score {
			pok = false
		} else {
			cok = false
		}
	}
	if pok {
		out = append(out, fact{kind: factProduct, value: pm.Value, span: pm.Text, conf: pm.Score})
		take(pm.Text)
	}
	if cok {
		out = append(out, fact{kind: factCategory, value: cm.Value, span: cm.Text, conf: cm.Score})
		take(cm.Text)
	}
	for name, cat := range b.choices {
		if m, ok := cat.Choice(rest); ok {
			out = append(out, fact{kind: factChoice, value: m.Value, span: m.Text, conf: m.Score, slot: name})
			take(m.Text)
		}
	}
	if v, cur, ok := extract.Money(rest, lang); ok && v > 0 && cur != "" {
		out = append(out, fact{kind: factMoney, value: strconv.FormatFloat(v, 'f', -1, 64) + " " + cur, conf: 1})
	}
	if t, prec, ok := extract.Date(rest, lang, now); ok {
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
		out = append(out, fact{kind: factDate, value: formatDateValue(t, prec), conf: 1, future: t.After(today)})
	}
	if v, ok := extract.Phone(rest); ok {
		out = append(out, fact{kind: factPhone, value: v, conf: 1})
	}
	numbers := rest
	if len(words(rest)) > 1 {
		numbers = reArticle.ReplaceAllString(rest, " ") // "una tv" is no quantity, "una" is
	}
	if n, ok := extract.Number(numbers, lang); ok {
		out = append(out, fact{kind: factNumber, value: strconv.Itoa(n), conf: 1})
	}
	return out
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
		return f.kind == factDate && f.cue != cueSince &&
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
