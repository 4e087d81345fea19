package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a date the customer gave.
type Precision int

// The precisions of a date. A date is truncated to its precision: a month is
// returned as its first day, a year as its first of January.
const (
	PrecisionNone  Precision = iota // no date
	PrecisionDay                    // "15/03/2025", "ieri", "three weeks ago"
	PrecisionMonth                  // "marzo 2024", "two months ago", "last month"
	PrecisionYear                   // "nel 2023", "l'anno scorso"
)

// String returns the precision's name: "day", "month", "year" or "none".
func (p Precision) String() string {
	switch p {
	case PrecisionDay:
		return "day"
	case PrecisionMonth:
		return "month"
	case PrecisionYear:
		return "year"
	}
	return "none"
}

// Date finds a date in Italian or English and returns it at midnight in now's
// location, with its precision. It reads:
//
//   - numeric dates, day first as in Italy and the EU: "15/03/2025", "15-3-25",
//     "15.03.2025", "2025-03-15", "15/03" (year inferred), "03/2025" (a month);
//     an English "03/15/2025", impossible day first, is read month first
//     unless lang is "it";
//   - dates in words: "15 marzo 2025", "il primo marzo", "March 15th, 2025",
//     "15 mar 2025", "marzo 2024", "March of 2024", "a gennaio", "in January",
//     "marzo dell'anno scorso";
//   - relative dates: "oggi", "ieri", "l'altro ieri", "yesterday", "tre
//     settimane fa", "2 mesi fa", "two months ago", "un anno e mezzo fa", "da
//     due anni", "la settimana scorsa", "last month", "l'anno scorso", "lunedì
//     scorso", "last Friday";
//   - years: "nel 2023", "in 2023", "2023".
//
// A date without a year ("15 marzo", "a gennaio", "venerdì") is the most
// recent one not after now: Sportello asks for dates of purchases and
// defects. DateAhead reads them forward instead. Explicit dates are returned
// as written, even in the future: the caller decides. An impossible date
// ("31/02/2025") gives ok=false, as does a text with no date ("ciao", "boh").
//
// Years run from MinYear to MaxYear (1900 to 2100); a date outside them
// gives ok=false.
//
// "N years ago" keeps its month (PrecisionMonth) because warranty terms are
// counted in months; "last year" names a calendar year (PrecisionYear).
//
// lang is "it", "en" or "" for both; both vocabularies are always read,
// since customers mix them, and lang only settles the ambiguous forms.
func Date(text, lang string, now time.Time) (d time.Time, p Precision, ok bool) {
	return dateParser{lang: lang, now: now, past: true}.parse(text)
}

// DateAhead is Date for dates in the future, such as an appointment: a date
// without a year ("15 marzo", "venerdì") is the next one not before now.
func DateAhead(text, lang string, now time.Time) (d time.Time, p Precision, ok bool) {
	return dateParser{lang: lang, now: now, past: false}.parse(text)
}

type dateParser struct {
	lang string
	now  time.Time
	past bool // a date without a year is in the past
}

var (
	reISODate = regexp.MustCompile(`(?:^|[^\d])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[^\d])`)
	reDMY     = regexp.MustCompile(`(?:^|[^\d.,])(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4}|\d{2})(?:$|[^\d])`)
	reMonthYr = regexp.MustCompile(`(?:^|[^\d.,])(\d{1,2})[-/.](\d{4})(?:$|[^\d])`)
	reDayMon  = regexp.MustCompile(`(?:^|[^\d.,/-])(\d{1,2})/(\d{1,2})(?:$|[^\d/-])`)
)

// MinYear and MaxYear bound the dates Date and DateAhead return: a year
// outside them ("0000", "tra 300 anni") is no date a customer means for a
// purchase, a defect or an appointment.
const (
	MinYear = 1900
	MaxYear = 2100
)

func saneYear(y int) bool { return y >= MinYear && y <= MaxYear }

func (dp dateParser) parse(text string) (time.Time, Precision, bool) {
	d, p, ok := dp.find(text)
	// One check for every form: numeric, in words, relative.
	if !ok || !saneYear(d.Year()) {
		return time.Time{}, PrecisionNone, false
	}
	return d, p, true
}

func (dp dateParser) find(text string) (time.Time, Precision, bool) {
	f := fold(text)
	if d, p, ok, found := dp.numeric(f); found {
		return d, p, ok
	}
	toks := strings.Fields(Normalize(text))
	if d, p, ok, found := dp.words(toks); found {
		return d, p, ok
	}
	if d, ok := dp.holiday(toks); ok {
		return d, PrecisionDay, true
	}
	if d, p, ok := dp.relative(toks); ok {
		return d, p, true
	}
	if d, ok := dp.year(toks); ok {
		return d, PrecisionYear, true
	}
	return time.Time{}, PrecisionNone, false
}

// numeric reads dates written with digits. found reports that the text holds
// one, valid or not: "31/02/2025" must not be read again as "02/2025".
func (dp dateParser) numeric(f string) (d time.Time, p Precision, ok, found bool) {
	if m := reISODate.FindStringSubmatch(f); m != nil {
		d, ok := dp.day(atoi(m[1]), atoi(m[2]), atoi(m[3]))
		return d, PrecisionDay, ok, true
	}
	if m := reDMY.FindStringSubmatch(f); m != nil && m[2] == m[4] {
		a, b, y := atoi(m[1]), atoi(m[3]), dp.fullYear(m[5])
		if d, ok := dp.day(y, b, a); ok {
			return d, PrecisionDay, true, true
		}
		// 03/15/2025 cannot be the 3rd of the 15th month: an American wrote it.
		if b > 12 && dp.lang != "it" {
			d, ok := dp.day(y, a, b)
			return d, PrecisionDay, ok, true
		}
		return time.Time{}, PrecisionNone, false, true
	}
	if m := reMonthYr.FindStringSubmatch(f); m != nil {
		mo, y := atoi(m[1]), atoi(m[2])
		if mo < 1 || mo > 12 || !saneYear(y) {
			return time.Time{}, PrecisionNone, false, true
		}
		return dp.date(y, mo, 1), PrecisionMonth, true, true
	}
	if m := reDayMon.FindStringSubmatch(f); m != nil {
		d, ok := dp.inferYear(atoi(m[2]), atoi(m[1]))
		return d, PrecisionDay, ok, true
	}
	return time.Time{}, PrecisionNone, false, false
}

// fullYear reads a year of two or four digits: "25" is 2025, "98" is 1998.
func (dp dateParser) fullYear(s string) int {
	y := atoi(s)
	if len(s) == 2 {
		y += 2000
		if y > dp.now.Year()+20 {
			y -= 100
		}
	}
	return y
}

func (dp dateParser) date(y, m, d int) time.Time {
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, dp.now.Location())
}

// day returns the date y-m-d, or ok=false if there is no such day.
func (dp dateParser) day(y, m, d int) (time.Time, bool) {
	if !saneYear(y) || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := dp.date(y, m, d)
	return t, t.Day() == d && int(t.Month()) == m
}

func (dp dateParser) today() time.Time {
	y, m, d := dp.now.Date()
	return dp.date(y, int(m), d)
}

// inferYear completes a day of a month without a year: the most recent one
// not after today, or with past=false the next one not before today. The
// 29th of February waits for a leap year.
func (dp dateParser) inferYear(m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	today := dp.today()
	step := -1
	if !dp.past {
		step = 1
	}
	for i, y := 0, today.Year(); i < 8; i, y = i+1, y+step {
		t, ok := dp.day(y, m, d)
		if !ok {
			continue
		}
		if dp.past && !t.After(today) || !dp.past && !t.Before(today) {
			return t, true
		}
	}
	return time.Time{}, false
}

// holiday reads the days people buy presents on: "a natale", "last
// Christmas", "al black friday", "natale 2023". Without a year, the most
// recent one (or the next, with past=false).
func (dp dateParser) holiday(toks []string) (time.Time, bool) {
	var m, d int
	switch {
	case containsSeq(toks, "natale"), containsSeq(toks, "christmas"), containsSeq(toks, "xmas"):
		m, d = 12, 25
	case containsSeq(toks, "vigilia"):
		m, d = 12, 24
	case containsSeq(toks, "capodanno"), containsSeq(toks, "new", "year"), containsSeq(toks, "new", "years"):
		m, d = 1, 1
	case containsSeq(toks, "black", "friday"):
		m = 11 // the day after the fourth Thursday of November
	case containsSeq(toks, "san", "valentino"), containsSeq(toks, "valentine"), containsSeq(toks, "valentines"):
		m, d = 2, 14
	default:
		return time.Time{}, false
	}
	blackFriday := func(y int) time.Time {
		t := dp.date(y, 11, 1)
		for t.Weekday() != time.Thursday {
			t = t.AddDate(0, 0, 1)
		}
		return t.AddDate(0, 0, 22) // the fourth Thursday, then the Friday
	}
	for _, t := range toks {
		if y, ok := yearNumber(t); ok {
			if d == 0 {
				return blackFriday(y), true
			}
			return dp.day(y, m, d)
		}
	}
	if d != 0 {
		return dp.inferYear(m, d)
	}
	today := dp.today()
	for y := today.Year() + 1; y >= today.Year()-1; y-- {
		if bf := blackFriday(y); dp.past && !bf.After(today) {
			return bf, true
		}
	}
	if bf := blackFriday(today.Year()); !bf.Before(today) {
		return bf, true
	}
	return blackFriday(today.Year() + 1), true
}

// inferMonth completes a month without a year, as inferYear does a day.
func (dp dateParser) inferMonth(m int, strict bool) time.Time {
	y, cur := dp.now.Year(), int(dp.now.Month())
	switch {
	case dp.past && (m > cur || strict && m == cur):
		y--
	case !dp.past && (m < cur || strict && m == cur):
		y++
	}
	return dp.date(y, m, 1)
}

var months = map[string]int{
	"gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6,
	"luglio": 7, "agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12,
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
	"july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}

// monthAbbrs are trusted only next to a day or a year: "set", "ago" and "mar"
// are also words. english marks those an American writes before the day
// ("Mar 15").
var monthAbbrs = map[string]struct {
	month   int
	english bool
}{
	"gen": {1, false}, "feb": {2, true}, "mar": {3, true}, "apr": {4, true}, "mag": {5, false},
	"giu": {6, false}, "lug": {7, false}, "ago": {8, false}, "set": {9, false}, "sett": {9, false},
	"ott": {10, false}, "nov": {11, true}, "dic": {12, false}, "jan": {1, true}, "jun": {6, true},
	"jul": {7, true}, "aug": {8, true}, "sep": {9, true}, "sept": {9, true}, "oct": {10, true}, "dec": {12, true},
}

// words reads dates with the month in words.
func (dp dateParser) words(toks []string) (d time.Time, p Precision, ok, found bool) {
	at := func(i int) string { return at(toks, i) }
	for i, t := range toks {
		m, full := months[t]
		abbr, isAbbr := monthAbbrs[t]
		if !full && !isAbbr {
			continue
		}
		if isAbbr {
			m = abbr.month
		}
		// The day: "15 marzo", "15 di marzo", "the 15th of March", "March 15".
		day, dayBefore := dayNumber(at(i - 1))
		if !dayBefore && (at(i-1) == "di" || at(i-1) == "of") {
			day, dayBefore = dayNumber(at(i - 2))
		}
		next := i + 1
		dayAfter := false
		if !dayBefore {
			if day, dayAfter = dayNumber(at(next)); dayAfter {
				next++
			}
		}
		// The year: "marzo 2024", "March 15, 2025", "marzo del 2024".
		if w := at(next); w == "del" || w == "of" || w == "di" || w == "dell" {
			next++
		}
		year, hasYear := yearNumber(at(next))
		if w := at(next); !hasYear && len(w) == 4 && isDigits(w) && (full || dayBefore || dayAfter) {
			// "15 marzo 0001": a year out of range, not a date of this year.
			return time.Time{}, PrecisionNone, false, true
		}
		switch {
		case t == "may" && !dayBefore && !dayAfter && !hasYear && !isOneOf(at(i-1), "in", "of", "last", "since", "early", "late", "mid", "next", "this"):
			continue // "I may have bought it"
		case isAbbr && !dayBefore && !hasYear && !(dayAfter && abbr.english):
			continue
		}
		hasDay := dayBefore || dayAfter
		if !hasYear {
			switch {
			case containsSeq(toks, "anno", "scorso") || containsSeq(toks, "scorso", "anno") || containsSeq(toks, "last", "year") || containsSeq(toks, "anno", "passato"):
				year, hasYear = dp.now.Year()-1, true
			case containsSeq(toks, "quest", "anno") || containsSeq(toks, "this", "year"):
				year, hasYear = dp.now.Year(), true
			}
		}
		if hasYear {
			if !hasDay {
				return dp.date(year, m, 1), PrecisionMonth, true, true
			}
			d, ok := dp.day(year, m, day)
			return d, PrecisionDay, ok, true
		}
		if hasDay {
			d, ok := dp.inferYear(m, day)
			return d, PrecisionDay, ok, true
		}
		// "gennaio scorso", "lo scorso gennaio", "last January": not this one.
		strict := isOneOf(at(i+1), "scorso", "passato", "prossimo") || isOneOf(at(i-1), "scorso", "last", "prossimo", "next")
		dp := dp
		if isOneOf(at(i+1), "prossimo") || isOneOf(at(i-1), "prossimo", "next") {
			dp.past = false
		} else if strict {
			dp.past = true
		}
		return dp.inferMonth(m, strict), PrecisionMonth, true, true
	}
	return time.Time{}, PrecisionNone, false, false
}

// dayNumber reads a day of the month: "15", "15th", "1st", "primo".
func dayNumber(s string) (int, bool) {
	if s == "primo" || s == "first" {
		return 1, true
	}
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if strings.HasSuffix(s, suf) {
			s = strings.TrimSuffix(s, suf)
			break
		}
	}
	if len(s) == 0 || len(s) > 2 || !isDigits(s) {
		return 0, false
	}
	d := atoi(s)
	return d, d >= 1 && d <= 31
}

func yearNumber(s string) (int, bool) {
	if len(s) != 4 || !isDigits(s) {
		return 0, false
	}
	y := atoi(s)
	return y, saneYear(y)
}

// units are the lengths of time of "N units ago", in days or in months.
var units = map[string]struct{ days, months int }{
	"giorno": {1, 0}, "giorni": {1, 0}, "day": {1, 0}, "days": {1, 0},
	"settimana": {7, 0}, "settimane": {7, 0}, "week": {7, 0}, "weeks": {7, 0},
	"mese": {0, 1}, "mesi": {0, 1}, "month": {0, 1}, "months": {0, 1},
	"anno": {0, 12}, "anni": {0, 12}, "year": {0, 12}, "years": {0, 12},
}

var weekdays = map[string]time.Weekday{
	"domenica": time.Sunday, "lunedi": time.Monday, "martedi": time.Tuesday, "mercoledi": time.Wednesday,
	"giovedi": time.Thursday, "venerdi": time.Friday, "sabato": time.Saturday,
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

// relativePhrases are dates named relative to today, longest first so that
// "l altro ieri" wins over "ieri".
var relativePhrases = []struct {
	words        string
	days, months int // added to today, or to this month when months != 0
	p            Precision
}{
	{"the day before yesterday", -2, 0, PrecisionDay},
	{"day before yesterday", -2, 0, PrecisionDay},
	{"l altro ieri", -2, 0, PrecisionDay},
	{"altro ieri", -2, 0, PrecisionDay},
	{"altroieri", -2, 0, PrecisionDay},
	{"avantieri", -2, 0, PrecisionDay},
	{"ieri", -1, 0, PrecisionDay},
	{"yesterday", -1, 0, PrecisionDay},
	{"oggi", 0, 0, PrecisionDay},
	{"today", 0, 0, PrecisionDay},
	{"stamattina", 0, 0, PrecisionDay},
	{"stamani", 0, 0, PrecisionDay},
	{"stasera", 0, 0, PrecisionDay},
	{"this morning", 0, 0, PrecisionDay},
	{"domani", 1, 0, PrecisionDay},
	{"tomorrow", 1, 0, PrecisionDay},
	{"settimana scorsa", -7, 0, PrecisionDay},
	{"scorsa settimana", -7, 0, PrecisionDay},
	{"settimana passata", -7, 0, PrecisionDay},
	{"last week", -7, 0, PrecisionDay},
	{"settimana prossima", 7, 0, PrecisionDay},
	{"prossima settimana", 7, 0, PrecisionDay},
	{"next week", 7, 0, PrecisionDay},
	{"mese scorso", 0, -1, PrecisionMonth},
	{"scorso mese", 0, -1, PrecisionMonth},
	{"mese passato", 0, -1, PrecisionMonth},
	{"last month", 0, -1, PrecisionMonth},
	{"questo mese", 0, 0, PrecisionMonth},
	{"this month", 0, 0, PrecisionMonth},
	{"mese prossimo", 0, 1, PrecisionMonth},
	{"prossimo mese", 0, 1, PrecisionMonth},
	{"next month", 0, 1, PrecisionMonth},
	{"anno scorso", 0, -12, PrecisionYear},
	{"scorso anno", 0, -12, PrecisionYear},
	{"anno passato", 0, -12, PrecisionYear},
	{"last year", 0, -12, PrecisionYear},
	{"quest anno", 0, 0, PrecisionYear},
	{"this year", 0, 0, PrecisionYear},
	{"anno prossimo", 0, 12, PrecisionYear},
	{"prossimo anno", 0, 12, PrecisionYear},
	{"next year", 0, 12, PrecisionYear},
}

// relative reads dates named relative to today.
func (dp dateParser) relative(toks []string) (time.Time, Precision, bool) {
	today := dp.today()
	shift := func(days, months int, p Precision) time.Time {
		switch p {
		case PrecisionYear:
			return dp.date(today.Year()+months/12, 1, 1)
		case PrecisionMonth:
			return dp.date(today.Year(), int(today.Month())+months, 1)
		}
		return today.AddDate(0, 0, days)
	}

	// "tre settimane fa", "2 months ago", "un anno e mezzo fa", "da due anni",
	// "tra 2 settimane", "in two weeks".
	for i, t := range toks {
		u, ok := units[t]
		if !ok {
			continue
		}
		n, qtyStart, ok := quantityBefore(toks, i)
		if !ok {
			continue
		}
		end := i + 1
		half := false
		if hasSeqAt(toks, end, "e", "mezzo") || hasSeqAt(toks, end, "e", "mezza") {
			half, end = true, end+2
		} else if hasSeqAt(toks, end, "and", "a", "half") {
			half, end = true, end+3
		}
		sign := 0
		switch {
		case isOneOf(at(toks, end), "fa", "ago"):
			sign = -1
		case isOneOf(at(toks, qtyStart-1), "da", "for"):
			sign = -1 // "ce l'ho da due anni": bought two years ago
		case isOneOf(at(toks, qtyStart-1), "tra", "fra", "in", "entro", "within"):
			sign = 1
		default:
			continue
		}
		days, months := n*u.days*sign, n*u.months*sign
		if half {
			days += u.days / 2 * sign
			months += u.months / 2 * sign
		}
		if months != 0 {
			// Count months from the first of the month: the 31st of March
			// minus one month is February, not the 3rd of March.
			return shift(0, months, PrecisionMonth), PrecisionMonth, true
		}
		return shift(days, 0, PrecisionDay), PrecisionDay, true
	}

	line := " " + strings.Join(toks, " ") + " "
	for _, r := range relativePhrases {
		if strings.Contains(line, " "+r.words+" ") {
			return shift(r.days, r.months, r.p), r.p, true
		}
	}

	// "lunedì scorso", "last Friday", "venerdì".
	for i, t := range toks {
		wd, ok := weekdays[t]
		if !ok {
			continue
		}
		past := dp.past
		if isOneOf(at(toks, i+1), "scorso", "passato") || isOneOf(at(toks, i-1), "scorso", "last") {
			past = true
		} else if isOneOf(at(toks, i+1), "prossimo") || isOneOf(at(toks, i-1), "prossimo", "next") {
			past = false
		}
		diff := int(wd - today.Weekday())
		if past {
			if diff >= 0 {
				diff -= 7
			}
		} else if diff <= 0 {
			diff += 7
		}
		return today.AddDate(0, 0, diff), PrecisionDay, true
	}
	return time.Time{}, PrecisionNone, false
}

// quantityBefore reads the number of units in front of toks[i]: "3", "tre",
// "un paio di", "a couple of", "qualche", "a few", "a".
func quantityBefore(toks []string, i int) (n, start int, ok bool) {
	switch {
	case i >= 3 && (hasSeqAt(toks, i-3, "un", "paio", "di") || hasSeqAt(toks, i-3, "a", "couple", "of")):
		return 2, i - 3, true
	case i >= 2 && hasSeqAt(toks, i-2, "a", "few"):
		return 3, i - 2, true
	case i >= 1 && isOneOf(toks[i-1], "qualche", "alcuni", "alcune", "several", "some"):
		return 3, i - 1, true
	case i >= 1 && isOneOf(toks[i-1], "a", "an"): // "a week ago", not a number elsewhere
		return 1, i - 1, true
	case i >= 2:
		// "twenty one", "ventuno": a number of up to two words.
		if n, ok := numberWords(toks[i-2 : i]); ok {
			return n, i - 2, true
		}
	}
	if i >= 1 {
		if n, ok := numberWords(toks[i-1 : i]); ok {
			return n, i - 1, true
		}
	}
	return 0, 0, false
}

// year reads a year alone: "nel 2023", "in 2023", "2023".
func (dp dateParser) year(toks []string) (time.Time, bool) {
	for i, t := range toks {
		y, ok := yearNumber(t)
		if !ok {
			continue
		}
		if len(toks) == 1 || isOneOf(at(toks, i-1), "nel", "in", "del", "dal", "since", "anno", "year", "from", "of", "durante", "during") {
			return dp.date(y, 1, 1), true
		}
	}
	return time.Time{}, false
}

func at(toks []string, i int) string {
	if i < 0 || i >= len(toks) {
		return ""
	}
	return toks[i]
}

func isOneOf(s string, words ...string) bool {
	for _, w := range words {
		if s == w {
			return true
		}
	}
	return false
}

// hasSeqAt reports whether toks holds the words from index i.
func hasSeqAt(toks []string, i int, words ...string) bool {
	if i < 0 || i+len(words) > len(toks) {
		return false
	}
	for j, w := range words {
		if toks[i+j] != w {
			return false
		}
	}
	return true
}

func containsSeq(toks []string, words ...string) bool {
	for i := range toks {
		if hasSeqAt(toks, i, words...) {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi reads a string of at most a few digits; the regular expressions have
// already checked them.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
