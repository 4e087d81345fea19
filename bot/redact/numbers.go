package redact

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Card and phone numbers are read the same way: the text's runs of digits
// (groups), and how each is tied to the one before it by the separators
// people type inside a number ("333 123-4567", "4111.1111.1111.1111",
// "(+39) 02/1234567"). A number is then a sequence of tied groups that
// passes its check: Luhn for cards, lengths by country for phones. Each
// group is tried as the start of a number, so that two numbers in a row
// ("+39 333 1234567 333 7654321") are two numbers, not one too long.

// A group is a run of ASCII digits, text[start:end].
type group struct {
	start, end int
	// open is where the number would start if it started at this group:
	// before a "+", "(" or "(+" written right before the digits.
	open int
	// plus: a "+" is written right before the digits (an international
	// number starts here).
	plus bool
	// phoneTie and cardTie: the text since the previous group is one to
	// three separators that a phone number (or a card number) may hold.
	phoneTie, cardTie bool
	// date: the group is part of a date ("12/03/2024", "2024-03-12",
	// "05/2027"), which is neither a card nor a phone.
	date bool
}

func (g group) len() int { return g.end - g.start }

// scanGroups returns the groups of text with their ties and dates marked.
func scanGroups(text string) []group {
	var gs []group
	prevEnd := -1
	for i := 0; i < len(text); {
		if !isDigit(text[i]) {
			i++
			continue
		}
		g := group{start: i, open: i}
		for i < len(text) && isDigit(text[i]) {
			i++
		}
		g.end = i
		switch {
		case strings.HasSuffix(text[:g.start], "(+"):
			g.open, g.plus = g.start-2, true
		case strings.HasSuffix(text[:g.start], "+"):
			g.open, g.plus = g.start-1, true
		case strings.HasSuffix(text[:g.start], "("):
			g.open = g.start - 1
		}
		if prevEnd >= 0 {
			gap := text[prevEnd:g.start]
			g.cardTie = tie(gap, "-./")
			// A "+" starts another number.
			g.phoneTie = !g.plus && tie(gap, "-./()")
		}
		gs = append(gs, g)
		prevEnd = g.end
	}
	markDates(text, gs)
	return gs
}

// tie reports whether gap is one to three separators: spaces (not line
// breaks) or the characters in seps.
func tie(gap, seps string) bool {
	n := 0
	for _, r := range gap {
		n++
		if n > 3 || !(r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '\t' ||
			r == '\u2013' && strings.Contains(seps, "-") || r < utf8.RuneSelf && strings.IndexByte(seps, byte(r)) >= 0) {
			return false
		}
	}
	return n > 0
}

// markDates marks the groups that make dates: day, month and year (or
// year, month and day) joined by one "/", "." or "-", and month and year
// joined by "/" (a card's expiry, "05/2027").
func markDates(text string, gs []group) {
	sep := func(i int) string { return text[gs[i-1].end:gs[i].start] }
	dateSep := func(s string) bool { return s == "/" || s == "." || s == "-" }
	for i := range gs {
		if i+2 < len(gs) && dateSep(sep(i+1)) && sep(i+1) == sep(i+2) {
			a, b, c := gs[i], gs[i+1], gs[i+2]
			if a.len() <= 2 && num(text, a) >= 1 && num(text, a) <= 31 && isMonth(text, b) && isYear(text, c) ||
				a.len() == 4 && isYear(text, a) && isMonth(text, b) && c.len() <= 2 && num(text, c) >= 1 && num(text, c) <= 31 {
				gs[i].date, gs[i+1].date, gs[i+2].date = true, true, true
			}
		}
		if i+1 < len(gs) && sep(i+1) == "/" && isMonth(text, gs[i]) && isYear(text, gs[i+1]) {
			gs[i].date, gs[i+1].date = true, true
		}
	}
}

func isMonth(text string, g group) bool {
	return g.len() <= 2 && num(text, g) >= 1 && num(text, g) <= 12
}

// isYear: two digits, or four from 1900 to 2099.
func isYear(text string, g group) bool {
	return g.len() == 2 || g.len() == 4 && num(text, g) >= 1900 && num(text, g) <= 2099
}

// num is the value of a group of at most four digits.
func num(text string, g group) int {
	n := 0
	for i := g.start; i < g.end && i < g.start+4; i++ {
		n = n*10 + int(text[i]-'0')
	}
	return n
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// digitsOf returns the digits of the groups gs.
func digitsOf(text string, gs []group) string {
	var b strings.Builder
	for _, g := range gs {
		b.WriteString(text[g.start:g.end])
	}
	return b.String()
}

// cards returns every sequence of tied groups (no dates) with 13 to 19
// digits, not starting with 0 nor after a "+", that passes the Luhn check.
// Sequences may overlap: String redacts their union, so a card is removed
// whole even when a number written next to it joins in.
//
// A sequence grouped as cards are printed (one group, fours, or Amex's
// 4-6-5) counts always. One grouped otherwise ("333 1234567 333") counts
// only where it overlaps none of phones: one in ten such sequences passes
// the Luhn check by chance, and two phone numbers in a row would read as
// one card.
func cards(text string, gs []group, phones []Match) []Match {
	var out []Match
	for i := range gs {
		if gs[i].date || gs[i].plus || text[gs[i].start] == '0' {
			continue
		}
		n := 0
		for j := i; j < len(gs) && (j == i || gs[j].cardTie) && !gs[j].date; j++ {
			if n += gs[j].len(); n > 19 {
				break
			}
			if n < 13 {
				continue
			}
			d := digitsOf(text, gs[i:j+1])
			if !luhn(d) {
				continue
			}
			m := Match{Start: gs[i].start, End: gs[j].end, Value: d}
			if !cardShaped(gs[i:j+1]) && overlaps(m, phones) {
				continue
			}
			out = append(out, m)
		}
	}
	return out
}

// cardShaped reports whether the groups are those of a printed card: one
// group, groups of four (the last may be shorter), or 4-6-4 and 4-6-5.
func cardShaped(gs []group) bool {
	if len(gs) == 1 {
		return true
	}
	if len(gs) == 3 && gs[0].len() == 4 && gs[1].len() == 6 && (gs[2].len() == 4 || gs[2].len() == 5) {
		return true
	}
	for i, g := range gs {
		if g.len() != 4 && (i < len(gs)-1 || g.len() > 4) {
			return false
		}
	}
	return true
}

func overlaps(m Match, ms []Match) bool {
	for _, o := range ms {
		if m.Start < o.End && o.Start < m.End {
			return true
		}
	}
	return false
}

// luhn reports whether the digits d pass the Luhn check of card numbers.
func luhn(d string) bool {
	sum := 0
	for i := range len(d) {
		n := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

// Phones returns the phone numbers in text, in order. A Match's Value is
// the number in E.164 form, "+" and digits; a number written without a
// country code is taken as Italian, or as North American when written
// "(415) 555-2671", "415-555-2671" or "1-800-555-0199".
//
// What counts as a phone number:
//   - after "+" or "00", a country code and the number: for +39 (Italy) a
//     mobile (3, 9 or 10 digits), a landline (0, 6 to 11 digits) or a
//     toll-free number (80, 6 to 10 digits); for +44 (UK) 9 or 10 digits,
//     a "(0)" allowed; for +1 (North America) 10 digits; for any other
//     country 8 to 15 digits in all;
//   - without a country code: a mobile (3, 9 or 10 digits), a landline
//     (0, 8 to 11 digits: Italian and UK ones), a toll-free number (80, 8
//     to 10 digits), or the North American forms above.
//
// Dates are not phone numbers, and neither are codes: digits written
// right after a letter, or after a letter and a dash ("SP-482001",
// "ORD-3331234567"). Of the groups tied together from a starting one, the
// longest that makes a phone number is taken; the next number starts at
// the group after it.
func Phones(text string) []Match { return phones(text, scanGroups(text)) }

func phones(text string, gs []group) []Match {
	var out []Match
	for i := 0; i < len(gs); {
		if gs[i].date || glued(text, gs[i].open) {
			i++
			continue
		}
		best, value := -1, ""
		n := 0
		for j := i; j < len(gs) && (j == i || gs[j].phoneTie) && !gs[j].date; j++ {
			if n += gs[j].len(); n > 17 {
				break
			}
			if v, ok := phoneValue(text, gs[i:j+1]); ok {
				best, value = j, v
			}
		}
		if best < 0 {
			i++
			continue
		}
		end := gs[best].end
		// "(415) 555-2671" and "(+39) 333...": the parenthesis opened
		// before the number closes inside it or right after it.
		if text[gs[i].open] == '(' && strings.Count(text[gs[i].open:end], "(") > strings.Count(text[gs[i].open:end], ")") &&
			end < len(text) && text[end] == ')' {
			end++
		}
		out = append(out, Match{Start: gs[i].open, End: end, Value: value})
		i = best + 1
	}
	return out
}

// glued reports whether the number that would start at open is part of
// a code: a letter right before it, or a letter and a dash.
func glued(text string, open int) bool {
	r, n := utf8.DecodeLastRuneInString(text[:open])
	if r == '-' {
		r, _ = utf8.DecodeLastRuneInString(text[:open-n])
	}
	return unicode.IsLetter(r)
}

// phoneValue returns the E.164 form of the number the groups gs make, if
// they make one (see Phones).
func phoneValue(text string, gs []group) (string, bool) {
	d := digitsOf(text, gs)
	switch {
	case gs[0].plus:
		return international(d)
	case strings.HasPrefix(d, "00"):
		return international(d[2:])
	}
	switch {
	case d[0] == '3' && (len(d) == 9 || len(d) == 10),
		d[0] == '0' && len(d) >= 8 && len(d) <= 11,
		strings.HasPrefix(d, "80") && len(d) >= 8 && len(d) <= 10:
		return "+39" + d, true
	}
	lens := make([]int, len(gs))
	for i, g := range gs {
		lens[i] = g.len()
	}
	switch {
	case slices.Equal(lens, []int{3, 3, 4}) && d[0] >= '2':
		return "+1" + d, true
	case slices.Equal(lens, []int{1, 3, 3, 4}) && d[0] == '1' && d[1] >= '2':
		return "+" + d, true
	}
	return "", false
}

// international checks the digits after "+" or "00": country code and
// number.
func international(d string) (string, bool) {
	if d == "" || d[0] == '0' {
		return "", false
	}
	switch {
	case strings.HasPrefix(d, "39"):
		n := d[2:]
		switch {
		case strings.HasPrefix(n, "3") && (len(n) == 9 || len(n) == 10),
			strings.HasPrefix(n, "0") && len(n) >= 6 && len(n) <= 11,
			strings.HasPrefix(n, "80") && len(n) >= 6 && len(n) <= 10:
			return "+" + d, true
		}
		return "", false
	case strings.HasPrefix(d, "44"):
		n := strings.TrimPrefix(d[2:], "0") // +44 (0)20 ...
		if len(n) >= 9 && len(n) <= 10 && n[0] != '0' {
			return "+44" + n, true
		}
		return "", false
	case d[0] == '1':
		if len(d) == 11 && d[1] >= '2' {
			return "+" + d, true
		}
		return "", false
	}
	if len(d) >= 8 && len(d) <= 15 {
		return "+" + d, true
	}
	return "", false
}
