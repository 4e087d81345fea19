package extract

import (
	"slices"
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

// MinYear and MaxYear bound the dates Date, DateAhead and Scan return: a
// year outside them ("0000", "tra 300 anni") is no date a customer means
// for a purchase, a defect or an appointment.
const (
	MinYear = 1900
	MaxYear = 2100
)

func saneYear(y int) bool { return y >= MinYear && y <= MaxYear }

// A dateHit is one date found in a text, valid or not.
type dateHit struct {
	start, end int // byte offsets
	t          time.Time
	p          Precision
	valid      bool // false for a date that does not exist: "31/02/2025"
	rank       int  // the reader's precedence, for Date: numeric first
	approx     bool // "verso Pasqua", "last summer"
	since      bool // "da tre giorni", "since Monday", "dal 2023"
	dur        string
	length     bool // a length of time tied to no date: "dopo 3 giorni"
}

// The precedence of the readers, as Date applies it: the first reader
// that finds something in the text decides.
const (
	rankISO = iota
	rankDMY
	rankMonthYear
	rankDayMonth
	rankWords
	rankHoliday
	rankSeason
	rankUnits
	rankPhrase
	rankWeekday
	rankYear
)

func (dp dateParser) parse(text string) (time.Time, Precision, bool) {
	best := -1
	hits := dp.hits(text, lowerASCII(text), tokenize(text))
	for i, h := range hits {
		if h.length {
			continue
		}
		if best < 0 || h.rank < hits[best].rank || h.rank == hits[best].rank && h.start < hits[best].start {
			best = i
		}
	}
	// One check of the year for every form: numeric, in words, relative.
	if best < 0 || !hits[best].valid || !saneYear(hits[best].t.Year()) {
		return time.Time{}, PrecisionNone, false
	}
	return hits[best].t, hits[best].p, true
}

// hits returns every date in text, overlapping ones included; lo is text
// with ASCII in lower case and toks its tokens.
func (dp dateParser) hits(text, lo string, toks []token) []dateHit {
	w := make([]string, len(toks))
	for i, t := range toks {
		w[i] = t.text
	}
	return dp.hitsOf(lo, toks, w, lexemes(w))
}

// hitsOf is hits given the tokens' texts w and their lexemes lex.
func (dp dateParser) hitsOf(lo string, toks []token, w []string, lex []*lexeme) []dateHit {
	out := dp.numeric(lo)
	w, lex = dateTypos(w, lex)
	r := dateReader{dp: dp, w: w, toks: toks, out: out, lo: lo}
	r.flag(lex)
	r.words()
	r.holidays()
	r.seasons()
	r.relative()
	r.dayOnly()
	r.years()
	r.yearParts()
	r.marks()
	return r.out
}

// numeric reads dates written with digits: "2025-03-15", "15/03/2025",
// "15-3-25", "03/2025", "15/03". A date that does not exist ("31/02/2025")
// is returned invalid, so that its digits are not read again as another
// date ("02/2025"). The rules are those of regular expressions such as
// (?:^|[^\d.,])(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?:$|[^\d]), written
// out by hand: Go's regular expressions are slow at such boundaries.
func (dp dateParser) numeric(lo string) []dateHit {
	var out []dateHit
	isSep := func(c byte) bool { return c == '-' || c == '/' || c == '.' }
	// run returns the end of the digits from i.
	run := func(i int) int {
		for i < len(lo) && isDigitByte(lo[i]) {
			i++
		}
		return i
	}
	before := func(i int) byte {
		if i == 0 {
			return ' '
		}
		return lo[i-1]
	}
	after := func(i int) byte {
		if i >= len(lo) {
			return ' '
		}
		return lo[i]
	}
	for i := 0; i < len(lo); i++ {
		if !isDigitByte(lo[i]) || i > 0 && isDigitByte(lo[i-1]) {
			continue
		}
		e1 := run(i)
		n1 := e1 - i
		if e1 >= len(lo) || !isSep(lo[e1]) {
			continue
		}
		s1 := lo[e1]
		e2 := run(e1 + 1)
		n2 := e2 - e1 - 1
		if n2 < 1 || n2 > 4 {
			continue
		}
		var e3, n3 int
		var s2 byte
		if e2 < len(lo) && isSep(lo[e2]) {
			s2 = lo[e2]
			e3 = run(e2 + 1)
			n3 = e3 - e2 - 1
		}
		b := before(i)
		notNumBefore := b != '.' && b != ',' && !isDigitByte(b)
		// 2025-03-15
		if n1 == 4 && n2 <= 2 && n3 >= 1 && n3 <= 2 && !isDigitByte(after(e3)) {
			d, ok := dp.day(atoi(lo[i:e1]), atoi(lo[e1+1:e2]), atoi(lo[e2+1:e3]))
			out = append(out, dateHit{start: i, end: e3, t: d, p: PrecisionDay, valid: ok, rank: rankISO})
		}
		// 15/03/2025, 15-3-25
		if notNumBefore && n1 <= 2 && n2 <= 2 && (n3 == 4 || n3 == 2) && s1 == s2 && !isDigitByte(after(e3)) {
			a, m, y := atoi(lo[i:e1]), atoi(lo[e1+1:e2]), dp.fullYear(lo[e2+1:e3])
			h := dateHit{start: i, end: e3, p: PrecisionDay, rank: rankDMY}
			if d, ok := dp.day(y, m, a); ok {
				h.t, h.valid = d, true
			} else if m > 12 && dp.lang != "it" {
				// 03/15/2025 cannot be the 3rd of the 15th month: an American wrote it.
				h.t, h.valid = dp.day(y, a, m)
			}
			out = append(out, h)
		}
		// 03/2025
		if notNumBefore && n1 <= 2 && n2 == 4 && !isDigitByte(after(e2)) {
			mo, y := atoi(lo[i:e1]), atoi(lo[e1+1:e2])
			h := dateHit{start: i, end: e2, p: PrecisionMonth, rank: rankMonthYear}
			if mo >= 1 && mo <= 12 && saneYear(y) {
				h.t, h.valid = dp.date(y, mo, 1), true
			}
			out = append(out, h)
		}
		// 15/03, but not "24/7", always
		if notNumBefore && b != '/' && b != '-' && n1 <= 2 && s1 == '/' && n2 <= 2 && after(e2) != '/' && after(e2) != '-' && !isDigitByte(after(e2)) {
			d, mo := atoi(lo[i:e1]), atoi(lo[e1+1:e2])
			h := dateHit{start: i, end: e2, p: PrecisionDay, rank: rankDayMonth}
			if !(d == 24 && mo == 7) {
				h.t, h.valid = dp.inferYear(mo, d)
			}
			out = append(out, h)
		}
	}
	return out
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

// dayNumber reads a day of the month: "15", "15th", "1st", "primo".
func dayNumber(s string) (int, bool) {
	if d, ok := dayWords[s]; ok {
		return d, true
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

// dayWords are the days written in words that Scan reads before or after
// a month: "il dodici marzo", "the twelfth of March". Not the Italian
// numbers that are also words ("sei", "tre" stay numbers here only with
// digits), nor "second" (a second one).
var dayWords = func() map[string]int {
	m := map[string]int{"primo": 1, "first": 1}
	for i, w := range strings.Fields(`_ _ _ quattro cinque _ sette otto nove dieci undici dodici tredici quattordici
		quindici sedici diciassette diciotto diciannove venti ventuno ventidue ventitre ventiquattro venticinque
		ventisei ventisette ventotto ventinove trenta trentuno`) {
		if w != "_" {
			m[w] = i + 1
		}
	}
	for i, w := range strings.Fields(`_ _ third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth
		thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth`) {
		if w != "_" {
			m[w] = i + 1
		}
	}
	m["thirtieth"] = 30
	return m
}()

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
	"fortnight": {14, 0}, "fortnights": {14, 0},
	// As chats shorten them ("2 yrs ago") and fondly ("un annetto fa").
	"yr": {0, 12}, "yrs": {0, 12}, "wk": {7, 0}, "wks": {7, 0}, "mth": {0, 1}, "mths": {0, 1},
	"annetto": {0, 12}, "annetti": {0, 12}, "mesetto": {0, 1}, "mesetti": {0, 1},
	"settimanella": {7, 0},
}

var weekdays = map[string]time.Weekday{
	"domenica": time.Sunday, "lunedi": time.Monday, "martedi": time.Tuesday, "mercoledi": time.Wednesday,
	"giovedi": time.Thursday, "venerdi": time.Friday, "sabato": time.Saturday,
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
	// "lo scorso weekend", "last weekend": its Saturday (only with a word
	// that says which: "aperti nel weekend?" names no date).
	"weekend": time.Saturday,
}

// A relativePhrase is a date named relative to today.
type relativePhrase struct {
	words        string
	days, months int // added to today, or to this month when months != 0
	p            Precision
	// hour is when the part of the day the phrase names begins
	// ("stasera": 18): before it, the phrase is later today, a date
	// after now, which no past date is ("lo ritiro stasera").
	hour int
}

// relativePhrases are dates named relative to today, longest first so that
// "l altro ieri" wins over "ieri", each also with its unit as chats
// shorten it (unitShortenings): "la sett scorsa", "last wk".
var relativePhrases = withShortUnits(relativeWords)

// unitShortenings are the chat spellings of the units of relativeWords.
// "sett" is also September: before "scorsa", "passata", "prossima" (of a
// feminine word) it is the week.
var unitShortenings = map[string][]string{
	"settimana": {"sett", "settim"},
	"week":      {"wk"},
	"month":     {"mth", "mo"},
	"year":      {"yr"},
}

// withShortUnits returns ps, each phrase followed by its copies with its
// unit shortened (unitShortenings).
func withShortUnits(ps []relativePhrase) []relativePhrase {
	var out []relativePhrase
	for _, p := range ps {
		out = append(out, p)
		ws := strings.Fields(p.words)
		for i, w := range ws {
			for _, short := range unitShortenings[w] {
				c := slices.Clone(ws)
				c[i] = short
				q := p
				q.words = strings.Join(c, " ")
				out = append(out, q)
			}
		}
	}
	return out
}

var relativeWords = []relativePhrase{
	{"the day before yesterday", -2, 0, PrecisionDay, 0},
	{"day before yesterday", -2, 0, PrecisionDay, 0},
	{"l altro ieri", -2, 0, PrecisionDay, 0},
	{"altro ieri", -2, 0, PrecisionDay, 0},
	{"altroieri", -2, 0, PrecisionDay, 0},
	{"avantieri", -2, 0, PrecisionDay, 0},
	{"ieri", -1, 0, PrecisionDay, 0},
	{"yesterday", -1, 0, PrecisionDay, 0},
	{"oggi pomeriggio", 0, 0, PrecisionDay, 14},
	{"this afternoon", 0, 0, PrecisionDay, 14},
	{"this evening", 0, 0, PrecisionDay, 18},
	{"questa sera", 0, 0, PrecisionDay, 18},
	{"oggi", 0, 0, PrecisionDay, 0},
	{"today", 0, 0, PrecisionDay, 0},
	{"stamattina", 0, 0, PrecisionDay, 0},
	{"stamani", 0, 0, PrecisionDay, 0},
	{"stasera", 0, 0, PrecisionDay, 18},
	{"tonight", 0, 0, PrecisionDay, 18},
	{"this morning", 0, 0, PrecisionDay, 0},
	{"domani", 1, 0, PrecisionDay, 0},
	{"tomorrow", 1, 0, PrecisionDay, 0},
	{"settimana scorsa", -7, 0, PrecisionDay, 0},
	{"scorsa settimana", -7, 0, PrecisionDay, 0},
	{"settimana passata", -7, 0, PrecisionDay, 0},
	{"last week", -7, 0, PrecisionDay, 0},
	{"settimana prossima", 7, 0, PrecisionDay, 0},
	{"prossima settimana", 7, 0, PrecisionDay, 0},
	{"next week", 7, 0, PrecisionDay, 0},
	{"mese scorso", 0, -1, PrecisionMonth, 0},
	{"scorso mese", 0, -1, PrecisionMonth, 0},
	{"mese passato", 0, -1, PrecisionMonth, 0},
	{"last month", 0, -1, PrecisionMonth, 0},
	{"questo mese", 0, 0, PrecisionMonth, 0},
	{"this month", 0, 0, PrecisionMonth, 0},
	{"mese prossimo", 0, 1, PrecisionMonth, 0},
	{"prossimo mese", 0, 1, PrecisionMonth, 0},
	{"next month", 0, 1, PrecisionMonth, 0},
	{"anno scorso", 0, -12, PrecisionYear, 0},
	{"scorso anno", 0, -12, PrecisionYear, 0},
	{"anno passato", 0, -12, PrecisionYear, 0},
	{"last year", 0, -12, PrecisionYear, 0},
	{"ano scorso", 0, -12, PrecisionYear, 0}, // "l'ano scorso": a typo of anno
	{"scorso ano", 0, -12, PrecisionYear, 0},
	{"quest anno", 0, 0, PrecisionYear, 0},
	{"this year", 0, 0, PrecisionYear, 0},
	{"anno prossimo", 0, 12, PrecisionYear, 0},
	{"prossimo anno", 0, 12, PrecisionYear, 0},
	{"next year", 0, 12, PrecisionYear, 0},
}

// quantityBefore reads the number of units in front of toks[i]: "3", "tre",
// "un paio di", "a couple of", "qualche", "a few", "a".
func quantityBefore(toks []string, i int) (n, start int, ok bool) {
	switch {
	case i >= 3 && (hasSeqAt(toks, i-3, "un", "paio", "di") || hasSeqAt(toks, i-3, "un", "paio", "d") || hasSeqAt(toks, i-3, "a", "couple", "of")):
		return 2, i - 3, true
	case i >= 2 && hasSeqAt(toks, i-2, "a", "few"):
		return 3, i - 2, true
	case i >= 3 && isOneOf(toks[i-3], "una", "un") && toks[i-1] == "di" && approxQuantities[toks[i-2]] > 0:
		return approxQuantities[toks[i-2]], i - 3, true // "una decina di giorni fa"
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

// IsMonth reports whether word (normalised: lower case, no accents) is the
// name of a month, in Italian or English: a sentence holding one holds a
// date.
func IsMonth(word string) bool {
	_, ok := months[word]
	return ok
}
