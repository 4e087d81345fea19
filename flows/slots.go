package flows

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sportello/sportello/flows/extract"
)

// prepare builds what the runtime needs once: the fuzzy-match catalogues
// of choice slots, products and categories.
func (b *Bot) prepare() {
	b.resolveSlots()
	b.choices = map[string]*extract.Catalog{}
	for _, s := range b.Slots {
		if s.Type != SlotChoice {
			continue
		}
		opts := make([]extract.Option, len(s.Options))
		for i, o := range s.Options {
			opts[i] = extract.Option{Value: o.Value, Synonyms: append(allWords(o.Synonyms), textValues(o.Label.Text)...)}
		}
		b.choices[s.Name] = extract.NewCatalog(opts)
	}
	var opts []extract.Option
	for _, p := range b.Products {
		opts = append(opts, extract.Option{Value: p.ID, Synonyms: append([]string{p.Name}, allWords(p.Synonyms)...)})
	}
	b.productCat = extract.NewCatalog(opts)
	opts = nil
	for _, c := range b.Categories {
		opts = append(opts, extract.Option{Value: c.ID, Synonyms: append(allWords(c.Synonyms), textValues(c.Name.Text)...)})
	}
	b.categoryCat = extract.NewCatalog(opts)
	b.onlyNamed = onlyNamed(b.Categories, b.Products)
	b.kinds = kindProducts(b.Categories, b.Products)
	b.kindCat = kindCatalog(b.Categories, b.kinds)

	// The one reading of a message: every typed value with its span.
	cat := extract.Catalogue{Categories: opts, Choices: map[string][]extract.Option{}}
	for _, p := range b.Products {
		cat.Products = append(cat.Products, extract.Product{ID: p.ID, Name: p.Name, Category: p.Category, Synonyms: allWords(p.Synonyms)})
	}
	for _, s := range b.Slots {
		switch s.Type {
		case SlotChoice:
			for _, o := range s.Options {
				cat.Choices[s.Name] = append(cat.Choices[s.Name], extract.Option{Value: o.Value, Synonyms: append(allWords(o.Synonyms), textValues(o.Label.Text)...)})
			}
		case SlotPattern:
			if f, ok := extract.OrderFormatOf(s.Pattern.String()); ok {
				cat.Orders = append(cat.Orders, f)
				b.orderSlot = s.Name
			}
		}
	}
	b.shop = extract.NewShop(cat)
	b.patterns, b.patternsPrepared = b.patternSlots(), true
}

func allWords(m map[string][]string) []string {
	var out []string
	for _, ws := range m {
		out = append(out, ws...)
	}
	return out
}

func textValues(t Text) []string {
	var out []string
	for _, s := range t {
		out = append(out, s)
	}
	return out
}

// reArticle matches the Italian articles extract.Number reads as one.
var reArticle = regexp.MustCompile(`(?i)\b(un|una|uno)\b|\bun'`)

// words returns the normalised words of text (extract.Words).
func words(text string) []string { return extract.Words(text) }

// extractSlot reads a value of slot s from text. It returns the value to
// store, the part of text that gave it (empty when unknown), and whether
// the text held a valid value. strict is for messages that did not answer
// the slot's question: a budget then needs a currency, and "un" is not a
// quantity.
func (b *Bot) extractSlot(s *Slot, text, lang string, now time.Time, strict bool) (value, matched string, ok bool) {
	switch s.Type {
	case SlotChoice:
		m, ok := b.choices[s.Name].Choice(text)
		return m.Value, m.Text, ok
	case SlotProduct:
		m, ok := b.productCat.Choice(text)
		return m.Value, m.Text, ok
	case SlotCategory:
		m, ok := b.categoryCat.Choice(text)
		return m.Value, m.Text, ok
	case SlotDate:
		parse := extract.Date
		if s.When == "future" {
			parse = extract.DateAhead
		}
		t, prec, ok := parse(text, lang, now)
		if !ok {
			return "", "", false
		}
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
		switch {
		case s.When == "past" && t.After(today):
			return "", "", false
		case s.When == "future" && t.Before(today):
			return "", "", false
		}
		return formatDateValue(t, prec), "", true
	case SlotPattern:
		v, ok := extract.Pattern(text, s.Pattern)
		return v, s.Pattern.FindString(text), ok
	case SlotNumber:
		if strict {
			// "un preventivo per 10 pc" is about 10, not one.
			text = reArticle.ReplaceAllString(text, " ")
		}
		n, ok := extract.Number(text, lang)
		if !ok || n < s.Min || (s.Max != 0 && n > s.Max) {
			return "", "", false
		}
		return strconv.Itoa(n), "", true
	case SlotMoney:
		v, cur, ok := extract.Money(text, lang)
		if !ok || v <= 0 || (strict && cur == "") {
			return "", "", false
		}
		if cur == "" {
			cur = "EUR"
		}
		return strconv.FormatFloat(v, 'f', -1, 64) + " " + cur, "", true
	case SlotYesNo:
		yes, ok := extract.YesNo(text, lang)
		if !ok {
			return "", "", false
		}
		if yes {
			return "yes", "", true
		}
		return "no", "", true
	case SlotEmail:
		v, ok := extract.Email(text)
		return v, v, ok
	case SlotPhone:
		v, ok := extract.Phone(text)
		return v, "", ok
	case SlotContact:
		if v, ok := extract.Email(text); ok {
			return v, v, true
		}
		v, ok := extract.Phone(text)
		return v, "", ok
	case SlotText:
		v := strings.Join(strings.Fields(text), " ")
		if utf8.RuneCountInString(v) < max(s.Min, 2) {
			return "", "", false
		}
		return v, v, true
	}
	return "", "", false
}

// formatDateValue stores a date as 2006-01-02, 2006-01 or 2006 by precision.
func formatDateValue(t time.Time, p extract.Precision) string {
	switch p {
	case extract.PrecisionMonth:
		return t.Format("2006-01")
	case extract.PrecisionYear:
		return t.Format("2006")
	}
	return t.Format("2006-01-02")
}

// parseDateValue reads what formatDateValue wrote: the first day it may
// mean and the last.
func parseDateValue(v string, loc *time.Location) (first, last time.Time, ok bool) {
	if t, err := time.ParseInLocation("2006-01-02", v, loc); err == nil {
		return t, t, true
	}
	if t, err := time.ParseInLocation("2006-01", v, loc); err == nil {
		return t, t.AddDate(0, 1, -1), true
	}
	if t, err := time.ParseInLocation("2006", v, loc); err == nil {
		return t, t.AddDate(1, 0, -1), true
	}
	return time.Time{}, time.Time{}, false
}

var monthNames = map[string][]string{
	"it": {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// formatDate writes a stored date for a customer of lang.
func formatDate(v, lang string) string {
	first, _, ok := parseDateValue(v, time.UTC)
	if !ok {
		return v
	}
	names := monthNames[lang]
	month := ""
	if names != nil {
		month = names[first.Month()-1]
	}
	switch {
	case len(v) == 4:
		return v
	case len(v) == 7 && names != nil:
		return fmt.Sprintf("%s %d", month, first.Year())
	case len(v) == 7:
		return first.Format("01/2006")
	case lang == "en":
		return fmt.Sprintf("%d %s %d", first.Day(), month, first.Year())
	}
	return first.Format("02/01/2006")
}

// display writes a slot's stored value for a customer of lang: a
// product's name, an option's label, a date in the language's form.
func (b *Bot) display(name, value, lang string) string {
	s := b.Slots[name]
	if s == nil || value == "" {
		return value
	}
	switch s.Type {
	case SlotChoice:
		for _, o := range s.Options {
			if o.Value == value {
				return b.optionLabel(o, lang)
			}
		}
	case SlotProduct:
		if p := b.products[value]; p != nil {
			return p.Name
		}
	case SlotCategory:
		if c := b.categories[value]; c != nil {
			return pick(c.Name.Text, lang, b.DefaultLanguage)
		}
	case SlotDate:
		return formatDate(value, lang)
	case SlotYesNo:
		if value == "yes" {
			return b.text(TextButtonYes, lang)
		}
		return b.text(TextButtonNo, lang)
	case slotOutput:
		if isOrderOutput(name) {
			return b.orderDisplay(name, value, lang)
		}
		switch name {
		case "warranty_until", "return_until":
			return formatDate(value, lang)
		case "warranty", "return":
			// Readable for the agents: "in garanzia", not "covered".
			if t, ok := b.Texts["outcome_"+name+"_"+value]; ok {
				return pick(t, lang, b.DefaultLanguage)
			}
			if t, ok := builtinTexts["outcome_"+name+"_"+value]; ok {
				return pick(t, lang, b.DefaultLanguage)
			}
		}
	}
	return value
}

// optionLabel is how a button names an option: its label, or its first
// synonym in lang, or its value.
func (b *Bot) optionLabel(o Option, lang string) string {
	if l := pick(o.Label.Text, lang, b.DefaultLanguage); l != "" {
		return l
	}
	if ws := o.Synonyms[lang]; len(ws) > 0 {
		return ws[0]
	}
	return o.Value
}

// pick returns t in lang, else in def.
func pick(t Text, lang, def string) string {
	if s, ok := t[lang]; ok {
		return s
	}
	return t[def]
}

// accepts reports whether value is one slot s can hold: an option of a
// choice, a product or category of the catalogue, a stored date, a
// number in range. Commands from any source are held to it.
func (s *Slot) accepts(value string) bool {
	if value == "" {
		return true // skipped
	}
	switch s.Type {
	case SlotChoice, SlotYesNo:
		return s.values == nil || slices.Contains(s.values, value)
	case SlotDate:
		_, _, ok := parseDateValue(value, time.UTC)
		return ok
	case SlotNumber:
		n, err := strconv.Atoi(value)
		return err == nil && n >= s.Min && (s.Max == 0 || n <= s.Max)
	}
	return utf8.ValidString(value) && len(value) <= 1000
}

// slotNames returns the names of b.Slots in order, sorted once at load
// rather than for each message.
func (b *Bot) slotNames() []string {
	if len(b.sortedSlots) != len(b.Slots) { // a Bot not made by Load
		return keysOf(b.Slots)
	}
	return b.sortedSlots
}
