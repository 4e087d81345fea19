package extract

import (
	"regexp"
	"strings"
)

// Money finds an amount of money: "800 euro", "€1.200", "1.200,50 €",
// "1,5k", "$900", "2 mila euro", "mille euro", "EUR 300". Thousands and
// decimal separators are read the Italian or the English way (see
// parseAmount). currency is an ISO 4217 code ("EUR", "USD", "GBP", "CHF"), or
// "" when the text names none: a bare "800" is still an amount, since the
// caller asked for one.
//
// Money takes the upper bound of a range ("tra 500 e 800 euro", "500-800€",
// "from 500 to 800 dollars" give 800), and more generally the largest amount
// the text names as money: a budget is what the customer is ready to spend at
// most. Numbers that belong to dates, times, percentages or other units ("2
// anni", "10 pezzi", "64 GB") are not amounts. lang is accepted for symmetry
// with Date; both vocabularies are always read.
func Money(text, lang string) (amount float64, currency string, ok bool) {
	lo := maskDates(lowerASCII(text))
	type cand struct {
		v          float64
		cur        string
		start, end int // byte offsets of the amount, with its multiplier
	}
	var cands []cand
	for _, m := range reAmount.FindAllStringIndex(lo, -1) {
		v, ok := parseAmount(lo[m[0]:m[1]])
		if !ok {
			continue
		}
		end := m[1]
		if mul, n := multiplierAt(lo[end:]); n > 0 {
			v *= mul
			end += n
		}
		if nonMoneyUnit(lo[end:]) {
			continue
		}
		c := cand{v: v, start: m[0], end: end}
		c.cur = currencyAround(lo, m[0], end)
		cands = append(cands, c)
	}
	// Amounts in words count only as money: "mille euro", "two hundred dollars".
	toks := tokenize(lo)
	for i := 0; i < len(toks); i++ {
		if isDigits(toks[i].text) {
			continue
		}
		v, end, ok := numberAt(toks, i)
		if !ok || v < 1 {
			continue
		}
		stop := toks[end-1].end
		if mul, n := multiplierAt(lo[stop:]); n > 0 {
			v *= int(mul)
			stop += n
		}
		if cur := currencyAround(lo, toks[i].start, stop); cur != "" {
			cands = append(cands, cand{v: float64(v), cur: cur, start: toks[i].start, end: stop})
		}
		i = end - 1
	}
	if len(cands) == 0 {
		return 0, "", false
	}
	sortByStart(cands, func(c cand) int { return c.start })

	// A range shares its currency: "€500-800", "tra 500 e 800 euro".
	for pass := 0; pass < 2; pass++ {
		for i := 0; i+1 < len(cands); i++ {
			a, b := &cands[i], &cands[i+1]
			if (a.cur == "") == (b.cur == "") || !rangeBetween(lo[a.end:b.start]) {
				continue
			}
			if a.cur == "" {
				a.cur = b.cur
			} else {
				b.cur = a.cur
			}
		}
	}
	hasCur := false
	for _, c := range cands {
		hasCur = hasCur || c.cur != ""
	}
	best := -1
	for i, c := range cands {
		if hasCur && c.cur == "" {
			continue
		}
		if best < 0 || c.v > cands[best].v {
			best = i
		}
	}
	return cands[best].v, cands[best].cur, true
}

func sortByStart[T any](s []T, key func(T) int) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && key(s[j]) < key(s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

var (
	reFullDate  = regexp.MustCompile(`\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2}:\d{2}`)
	reShortDate = regexp.MustCompile(`(?:^|[^\d])\d{1,2}/\d{1,2}(?:[^\d]|$)`)
	reRange     = regexp.MustCompile(`^\s*(?:-|–|/|e|and|to|a|o|or|fino a|up to|max|massimo)?\s*$`)
)

// maskDates blanks out dates and times, whose digits are no amounts. Full
// dates go first: "15/03/2025" must not lose only its "15/03".
func maskDates(s string) string {
	s = reFullDate.ReplaceAllStringFunc(s, blank)
	return reShortDate.ReplaceAllStringFunc(s, blank)
}

func blank(s string) string { return strings.Repeat(" ", len(s)) }

func rangeBetween(s string) bool {
	s = strings.TrimSpace(currencySigns.Replace(s))
	switch s {
	case "", "-", "–", "/", "e", "and", "to", "a", "o", "or", "fino a", "up to", "max", "massimo",
		"e i", "e gli", "agli", "ai", "alle", "a i", "e le", "and about", "or so":
		return true
	}
	return reRange.MatchString(s)
}

var currencySigns = strings.NewReplacer("€", "", "$", "", "£", "")

// multiplierAt reads "k", "mila", "thousand", "mln" right after an amount.
func multiplierAt(s string) (float64, int) {
	t := strings.TrimLeft(s, " ")
	skip := len(s) - len(t)
	for _, m := range []struct {
		word string
		mul  float64
	}{
		{"k", 1e3}, {"mila", 1e3}, {"mille", 1e3}, {"thousand", 1e3}, {"grand", 1e3}, {"mln", 1e6},
		{"milioni", 1e6}, {"milione", 1e6}, {"million", 1e6}, {"millions", 1e6},
	} {
		if w, ok := wordAt(t, m.word); ok {
			return m.mul, skip + w
		}
	}
	return 1, 0
}

// wordAt reports whether s starts with the word w, followed by no letter.
func wordAt(s, w string) (int, bool) {
	if !strings.HasPrefix(s, w) {
		return 0, false
	}
	if len(s) > len(w) && isWordByte(s[len(w)]) {
		return 0, false
	}
	return len(w), true
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c >= 0x80
}

var currencyWords = []struct{ word, code string }{
	{"€", "EUR"}, {"euro", "EUR"}, {"euros", "EUR"}, {"eur", "EUR"}, {"euri", "EUR"},
	{"$", "USD"}, {"usd", "USD"}, {"dollari", "USD"}, {"dollaro", "USD"}, {"dollars", "USD"},
	{"dollar", "USD"}, {"bucks", "USD"}, {"£", "GBP"}, {"gbp", "GBP"}, {"sterline", "GBP"},
	{"pounds", "GBP"}, {"pound", "GBP"}, {"chf", "CHF"}, {"franchi", "CHF"},
}

// currencyAround returns the currency written right before s[start:end]
// ("€800", "EUR 800") or right after it ("800 €", "800 euro").
func currencyAround(s string, start, end int) string {
	after := strings.TrimLeft(s[end:], " ")
	for _, c := range currencyWords {
		if isWordByte(c.word[0]) {
			if _, ok := wordAt(after, c.word); ok {
				return c.code
			}
		} else if strings.HasPrefix(after, c.word) {
			return c.code
		}
	}
	before := strings.TrimRight(s[:start], " ")
	for _, c := range currencyWords {
		if !strings.HasSuffix(before, c.word) {
			continue
		}
		// A word must stand alone: "treuro" is not "tr" + "euro".
		if i := len(before) - len(c.word); !isWordByte(c.word[0]) || i == 0 || !isWordByte(before[i-1]) {
			return c.code
		}
	}
	return ""
}

// nonMoneyUnits follow numbers that count other things than money.
var nonMoneyUnits = []string{
	"%", "anni", "anno", "mesi", "mese", "giorni", "giorno", "settimane", "settimana",
	"years", "year", "months", "month", "days", "day", "weeks", "week", "pezzi", "pezzo",
	"pieces", "pcs", "gb", "tb", "mb", "kg", "g", "cm", "mm", "m", "pollici", "inch",
	"inches", "w", "watt", "v", "volt", "ore", "hours", "minuti", "minutes", "volte", "times",
	"x", "persone", "people", "rate", "installments",
}

func nonMoneyUnit(s string) bool {
	t := strings.TrimLeft(s, " ")
	for _, u := range nonMoneyUnits {
		if u == "%" {
			if strings.HasPrefix(t, u) {
				return true
			}
			continue
		}
		if _, ok := wordAt(t, u); ok {
			return true
		}
	}
	return false
}
