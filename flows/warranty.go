package flows

import (
	"strconv"
	"time"
)

// The outcomes of warranty_check, in its output slot warranty.
const (
	WarrantyCovered = "covered"
	WarrantyExpired = "expired"
	WarrantyUnknown = "unknown"
	// WarrantyDamage: accidental damage (a drop, liquid, a crack), which
	// the legal guarantee does not cover: it covers defects of
	// conformity. A paid repair is the way on.
	WarrantyDamage = "damage"
)

// A WarrantyDecision is what warranty_check decided and why.
type WarrantyDecision struct {
	Outcome string // covered, expired or unknown
	// Months is the warranty's length for this buyer, extension included.
	Months int
	// Until is the last day of the warranty (zero when unknown).
	Until time.Time
	// Reason is the key of the built-in text that explains the decision.
	Reason string
}

// CheckWarranty decides whether product p, bought on a stored date value
// (2006-01-02, or 2006-01 and 2006 when the customer was vague) by a
// business or a consumer, is under warranty at now.
//
// In Italy and the EU a consumer has 24 months of legal guarantee; a
// business buyer usually gets what the contract says, often 12 months.
// The product's extended months come on top for both. The warranty
// covers the purchase day plus its months: bought on 15 March 2024 with
// 24 months, it is covered through 15 March 2026. When the customer gave
// only a month or a year and the warranty ends within that span, the
// outcome is unknown: the receipt decides.
func CheckWarranty(p *Product, date string, business bool, now time.Time) WarrantyDecision {
	if p == nil {
		return WarrantyDecision{Outcome: WarrantyUnknown, Reason: TextWarrantyNoProduct}
	}
	months := p.Warranty.Consumer
	if business {
		months = p.Warranty.Business
	}
	months += p.Warranty.Extended
	d := WarrantyDecision{Outcome: WarrantyUnknown, Months: months}
	first, last, ok := parseDateValue(date, now.Location())
	if !ok {
		d.Reason = TextWarrantyNoDate
		return d
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	if first.After(today) {
		d.Reason = TextWarrantyFuture
		return d
	}
	early, late := addMonths(first, months), addMonths(last, months)
	switch {
	case !today.After(early):
		d.Outcome, d.Until, d.Reason = WarrantyCovered, early, TextWarrantyCovered
	case today.After(late):
		d.Outcome, d.Until, d.Reason = WarrantyExpired, late, TextWarrantyExpired
	default:
		d.Until, d.Reason = early, TextWarrantyBoundary
	}
	return d
}

// addMonths adds n months to t, keeping the day within the month: 31
// January plus one month is the last day of February.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, t.Location())
}

// warrantyCheck runs the built-in action warranty_check on the session's
// slots and returns the output slots to set.
func (b *Bot) warrantyCheck(st *Step, slots map[string]string, lang string, now time.Time) (string, map[string]string) {
	arg := func(name string) string { return slots[st.argSlot(name)] }
	p := b.products[arg("product")]
	business := arg("buyer") == "business"
	if p == nil {
		// Without the exact model the catalogue's terms decide: a
		// consumer's legal guarantee does not depend on the model.
		p = b.anyProduct(arg("category"), lang)
	}
	d := CheckWarranty(p, arg("date"), business, now)
	if d.Outcome == WarrantyExpired && b.products[arg("product")] == nil && b.extensionCovers(arg("category"), arg("date"), business, now) {
		d.Outcome, d.Reason = WarrantyUnknown, TextWarrantyNeedModel
	}
	if arg("damage") == "" && (arg("buyer") == "" || b.products[arg("product")] == nil) {
		// The model or the buyer not asked, the purchase older than any
		// warranty either could give: the longest one is the one told.
		if months, until, ok := b.expiredForAll(st, slots, now); ok {
			d = WarrantyDecision{Outcome: WarrantyExpired, Months: months, Until: until, Reason: TextWarrantyLongest}
		}
	}
	if arg("damage") != "" {
		d.Outcome, d.Reason = WarrantyDamage, TextWarrantyDamage
	}
	out := map[string]string{"warranty": d.Outcome, "warranty_months": "", "warranty_until": ""}
	if d.Months > 0 && p != nil {
		out["warranty_months"] = strconv.Itoa(d.Months)
	}
	if !d.Until.IsZero() {
		out["warranty_until"] = d.Until.Format("2006-01-02")
	}
	vars := map[string]string{
		"warranty_months": out["warranty_months"],
		"warranty_until":  formatDate(out["warranty_until"], lang),
		"purchase_date":   formatDate(arg("date"), lang),
		"buyer":           b.text(TextBuyerConsumer, lang),
	}
	if business {
		vars["buyer"] = b.text(TextBuyerBusiness, lang)
	}
	if p != nil {
		vars["product"] = p.Name
	}
	if d.Outcome == WarrantyDamage && b.products[arg("product")] == nil {
		// No model asked: "the product", not the category's name.
		vars["product"] = b.text(TextTheProduct, lang)
	}
	out["warranty"] = d.Outcome
	out["warranty_reason"] = b.Text(d.Reason, lang, vars)
	return d.Outcome, out
}

// anyProduct stands for a product of category (or of the catalogue) the
// customer could not name: the catalogue's warranty, the category's name.
func (b *Bot) anyProduct(category, lang string) *Product {
	p := &Product{Name: b.text(TextTheProduct, lang), Category: category, Warranty: b.Warranty}
	if c := b.categories[category]; c != nil {
		if n := pick(c.Name.Text, lang, b.DefaultLanguage); n != "" {
			p.Name = n
		}
	}
	return p
}

// extensionCovers reports whether a product of category with the
// longest warranty of the catalogue for this buyer (an extension, or a
// business term longer than the usual: the ThinkPad's 24 months for
// companies) would still be covered: then the model decides, and the bot
// does not say "expired" without it.
func (b *Bot) extensionCovers(category, date string, business bool, now time.Time) bool {
	longest := warrantyMonths(b.Warranty, business)
	var w *Warranty
	for _, p := range b.Products {
		if (category == "" || p.Category == category) && warrantyMonths(p.Warranty, business) > longest {
			longest, w = warrantyMonths(p.Warranty, business), &p.Warranty
		}
	}
	if w == nil {
		return false
	}
	return CheckWarranty(&Product{Warranty: *w}, date, business, now).Outcome != WarrantyExpired
}

// warrantyMonths is the length of warranty w for a business or a
// consumer buyer, its extension included.
func warrantyMonths(w Warranty, business bool) int {
	if business {
		return w.Business + w.Extended
	}
	return w.Consumer + w.Extended
}

// argSlot is the slot action step st reads for its argument arg: the
// one with: names, else the action's default.
func (st *Step) argSlot(arg string) string {
	if name, ok := st.With[arg]; ok {
		return name
	}
	return actionArgs[st.Action][arg]
}

// settledVerdict returns the verdict warranty_check step st takes on
// slots whatever the customer would answer to the questions still open
// (the kind of product, the model, the date, the buyer), or "" when an
// answer could change it. Accidental damage is not covered, whoever
// bought what and when: the legal guarantee covers defects of
// conformity. A purchase older than the longest warranty that could
// apply (of any model of the kind, for any buyer, where those are not
// known) is expired.
func (b *Bot) settledVerdict(st *Step, slots map[string]string, now time.Time) string {
	if st.Kind != StepAction || st.Action != "warranty_check" {
		return ""
	}
	if slots[st.argSlot("damage")] != "" {
		return WarrantyDamage
	}
	if _, _, ok := b.expiredForAll(st, slots, now); ok {
		return WarrantyExpired
	}
	return ""
}

// expiredForAll reports whether the purchase date of slots is past the
// longest warranty that the product (any product of the category, or of
// the catalogue, when the model is not known) has for the buyer (for
// any buyer, when not known), with that warranty's months and last day.
func (b *Bot) expiredForAll(st *Step, slots map[string]string, now time.Time) (int, time.Time, bool) {
	date := slots[st.argSlot("date")]
	if date == "" {
		return 0, time.Time{}, false
	}
	terms := []Warranty{b.Warranty}
	if p := b.products[slots[st.argSlot("product")]]; p != nil {
		terms = []Warranty{p.Warranty}
	} else {
		category := slots[st.argSlot("category")]
		for _, p := range b.Products {
			if category == "" || p.Category == category {
				terms = append(terms, p.Warranty)
			}
		}
	}
	buyers := []bool{false, true}
	switch slots[st.argSlot("buyer")] {
	case "business":
		buyers = []bool{true}
	case "":
	default:
		buyers = []bool{false}
	}
	longest := 0
	for _, w := range terms {
		for _, business := range buyers {
			longest = max(longest, warrantyMonths(w, business))
		}
	}
	d := CheckWarranty(&Product{Warranty: Warranty{Consumer: longest}}, date, false, now)
	return longest, d.Until, d.Outcome == WarrantyExpired
}

// needless reports whether the question of step i of f can change
// nothing: the first action after it that reads its slot takes the same
// verdict whatever the answer (settledVerdict). The flow asks only what
// can change its verdict; the agent asks the rest, if the case needs it.
func (b *Bot) needless(f *Flow, i int, slots map[string]string, now time.Time) bool {
	slot := f.Steps[i].Slot
	for _, st := range f.Steps[i+1:] {
		if st.Kind == StepAction && st.reads(slot) {
			return b.settledVerdict(st, slots, now) != ""
		}
	}
	return false
}

// reads reports whether action step st reads slot for one of its
// arguments.
func (st *Step) reads(slot string) bool {
	for arg := range actionArgs[st.Action] {
		if st.argSlot(arg) == slot {
			return true
		}
	}
	return false
}
