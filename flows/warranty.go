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
	arg := func(name string) string {
		if s, ok := st.With[name]; ok {
			return slots[s]
		}
		return slots[actionArgs["warranty_check"][name]]
	}
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
