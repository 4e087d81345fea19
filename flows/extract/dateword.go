package extract

import (
	"slices"
	"strings"
	"time"
)

// A dateReader reads the dates written in words in one text.
type dateReader struct {
	dp    dateParser
	w     []string // the tokens' texts
	toks  []token
	out   []dateHit
	flags []uint8 // each token's dateFlags, looked up once
	any   uint8   // the union of flags
	lex   []*lexeme
	lo    string // the text, ASCII in lower case
}

// shortYear reads "'23" at token i, a year of two digits after an
// apostrophe: "agosto '23".
func (r *dateReader) shortYear(i int) (int, bool) {
	if i < 0 || i >= len(r.toks) || len(r.w[i]) != 2 || !isDigits(r.w[i]) {
		return 0, false
	}
	s := r.toks[i].start
	if s == 0 || r.lo[s-1] != '\'' && !strings.HasSuffix(r.lo[:s], "’") {
		return 0, false
	}
	y := 2000 + atoi(r.w[i])
	return y, saneYear(y)
}

// spokenYear reads a year said in words at token i, as a dictated message
// writes it: "twenty twenty four", "nineteen ninety", "two thousand and
// twenty", "duemilaventiquattro", "duemila ventiquattro", "duemila e
// ventidue". It returns the year and the index after its words. Its words
// follow one another with no comma between ("march twenty, twenty
// minutes" is a day and a count), and no word that counts follows them
// ("two thousand euros", "twenty thirty days", "twenty twenty five").
func (r *dateReader) spokenYear(i int) (year, end int, ok bool) {
	y, end, ok := spokenYearWords(r.w, i)
	if !ok {
		return 0, i, false
	}
	for j := i + 1; j < end; j++ {
		if strings.TrimSpace(r.lo[r.toks[j-1].end:r.toks[j].start]) != "" {
			return 0, i, false
		}
	}
	_, small := englishSmall[r.at(end)]
	_, italian := italianNumber(r.at(end))
	if next := r.at(end); next != "" && (small || italian || isDigits(next) || countedWords[next] || units[next].days+units[next].months > 0 ||
		slices.ContainsFunc(currencyWords, func(c struct{ word, code string }) bool { return c.word == next })) {
		return 0, i, false
	}
	return y, end, true
}

// countedWords follow a number that counts, not a year.
var countedWords = map[string]bool{
	"minutes": true, "minute": true, "mins": true, "minuti": true, "minuto": true, "hours": true, "hour": true, "ore": true,
	"seconds": true, "secondi": true, "units": true, "unita": true, "pezzi": true, "pieces": true, "pcs": true, "times": true, "volte": true,
	"percent": true, "per": true, "x": true,
}

// spokenYearWords is spokenYear's reading of the words w alone.
func spokenYearWords(w []string, i int) (year, end int, ok bool) {
	t := at(w, i)
	if t == "" || strings.IndexByte("dmtn", t[0]) < 0 {
		return 0, i, false // no year in words starts otherwise
	}
	// Italian writes a number as one word, or "duemila" and the rest.
	if strings.Contains(t, "mil") {
		y, ok := italianNumber(t)
		if !ok {
			return 0, i, false
		}
		if y == 2000 || y == 1000 {
			j := i + 1
			if at(w, j) == "e" {
				j++
			}
			if n, ok := italianNumber(at(w, j)); ok && n >= 1 && n <= 99 && y+n <= MaxYear {
				return y + n, j + 1, true
			}
		}
		// "duemila" alone is more often an amount than a year.
		return y, i + 1, saneYear(y) && y%1000 != 0
	}
	// English says a year in pairs ("twenty twenty four", "nineteen
	// ninety") or as a number ("two thousand and nine").
	if hundreds, ok := englishSmall[t]; ok && (hundreds == 19 || hundreds == 20) {
		for k := min(i+3, len(w)); k > i+1; k-- {
			if n, ok := englishNumber(w[i+1 : k]); ok && n >= 10 && n <= 99 && !slices.Contains(w[i+1:k], "and") {
				return hundreds*100 + n, k, true
			}
		}
		return 0, i, false
	}
	if t == "two" && at(w, i+1) == "thousand" {
		for k := min(i+5, len(w)); k > i+1; k-- {
			if n, ok := englishNumber(w[i:k]); ok && saneYear(n) {
				return n, k, true
			}
		}
	}
	return 0, i, false
}

// yearAt reports whether token i is a year: "2023".
func (r *dateReader) yearAt(i int) bool {
	_, ok := yearNumber(r.at(i))
	return ok
}

// yearsAgo finds "due anni fa", "two years ago" within a few tokens of
// [lo, hi) (yearWords finds "l'anno scorso"): the year of the month in
// "due anni fa a marzo", "in March two years ago". It returns the year
// and the tokens it takes.
func (r *dateReader) yearsAgo(lo, hi int) (year, a, b int, ok bool) {
	for i := max(lo-5, 0); i < hi+5 && i < len(r.w); i++ {
		if i >= lo && i < hi || !isOneOf(r.w[i], "anni", "anno", "years", "year") || !isOneOf(r.at(i+1), "fa", "ago") {
			continue
		}
		n, start, found := quantityBefore(r.w, i)
		if !found || n < 1 || n > 20 || start < hi && i+2 > lo {
			continue
		}
		return r.dp.now.Year() - n, start, i + 2, true
	}
	return 0, 0, 0, false
}

// The kinds of date words, so that each reader looks only at its own.
const (
	flagMonth uint8 = 1 << iota
	flagHoliday
	flagSeason
	flagUnit
	flagRelative
	flagWeekday
)

// dateFlags are the words the date readers start from.
var dateFlags = func() map[string]uint8 {
	m := map[string]uint8{}
	for w := range months {
		m[w] |= flagMonth
	}
	for w := range monthAbbrs {
		m[w] |= flagMonth
	}
	for _, h := range holidays {
		m[h.words[0]] |= flagHoliday
	}
	for w := range seasons {
		m[w] |= flagSeason
	}
	for w := range units {
		m[w] |= flagUnit
	}
	for _, p := range relativePhrases {
		m[strings.Fields(p.words)[0]] |= flagRelative
	}
	for w := range weekdays {
		m[w] |= flagWeekday
	}
	return m
}()

// flag sets the tokens' dateFlags from their lexemes lex.
func (r *dateReader) flag(lex []*lexeme) {
	r.lex = lex
	r.flags = make([]uint8, len(r.w))
	for i, lx := range lex {
		if lx == nil {
			continue
		}
		f := lx.date
		r.flags[i] = f
		r.any |= f
	}
}

func (r *dateReader) at(i int) string { return at(r.w, i) }

// hit records a date on tokens [i, j).
func (r *dateReader) hit(i, j int, h dateHit) {
	if i < 0 || j > len(r.toks) || i >= j {
		return
	}
	h.start, h.end = r.toks[i].start, r.toks[j-1].end
	r.out = append(r.out, h)
}

// monthAt reads a month name at token i: exact, abbreviated, or misspelt
// by a letter or two ("januray", "setembre", "dicenbre").
func (r *dateReader) monthAt(i int) (m int, abbr, english, fuzzy bool) {
	t := r.at(i)
	if r.flags != nil && r.flags[i]&flagMonth == 0 {
		if len(t) < 5 || len(t) > 11 || strings.IndexByte("gfmalsondj", t[0]) < 0 {
			return 0, false, false, false // no month is spelt so
		}
	} else {
		if m, ok := months[t]; ok {
			return m, false, false, false
		}
		if a, ok := monthAbbrs[t]; ok {
			return a.month, true, a.english, false
		}
	}
	if r.lex != nil && i >= 0 && i < len(r.lex) && r.lex[i] != nil && r.lex[i].known {
		return 0, false, false, false // a known word is no misspelt month (fuzzyMonth)
	}
	if m, ok := fuzzyMonth(t); ok {
		return m, false, false, true
	}
	return 0, false, false, false
}

// notMonths are words a letter or two away from a month's name.
var notMonths = map[string]bool{
	"aprire": true, "aprite": true, "aprirle": true, "aprirlo": true, "marco": true, "mazzo": true,
	"marzi": true, "maggiore": true, "maggior": true, "maggiori": true, "giugni": true, "luglia": true,
	"agosti": true, "ottobri": true, "marched": true, "marches": true, "marcia": true, "marchi": true,
	"margo": true, "agusto": true, "augusto": true, "augusta": true, "gennaro": true, "julia": true,
	"julie": true, "junior": true, "settembrini": true, "novembrini": true, "abrile": true,
	"octopus": true, "decembrist": true, "marzio": true, "mauro": true, "magari": true, "maggi": true,
	"settimane": true, "settimana": true, "settembri": true, "ottone": true,
	"ottimo": true, "ottima": true, "ottobrata": true, "dicembrina": true, "gennaiolo": true,
	"giugnolo": true, "gianni": true, "giorno": true, "agosta": true, "apriva": true,
	"mario": true, "maria": true, "marta": true, "marzia": true, "marito": true, "maggie": true,
	"juno": true, "julius": true, "augustus": true, "aprilia": true, "ottobrina": true,
}

// fuzzyMonth reads a misspelt month name of five letters or more: one
// edit, two in names of eight or more, the first letter always right.
func fuzzyMonth(t string) (int, bool) {
	if len(t) < 5 || notMonths[t] || hasDigit(t) {
		return 0, false
	}
	cands := monthsByFirst[t[0]]
	near := false
	for _, c := range cands {
		near = near || len(c.text)-len(t) <= 2 && len(t)-len(c.text) <= 2
	}
	if !near || knownWord(t) {
		return 0, false
	}
	w := newWord(t)
	best, bestD := 0, 3
	for i := range cands {
		c := &cands[i]
		k := 1
		if len(c.runes) >= 8 {
			k = 2
		}
		if !maybeNear(&w, c, k) {
			continue // too far by length or letters: osaDistance would say so
		}
		if d := osaDistance(w.runes, c.runes, k); d <= k && d < bestD {
			best, bestD = months[c.text], d
		}
	}
	return best, best > 0
}

// monthsByFirst are the month names of five letters or more by first letter.
var monthsByFirst = func() *[256][]word {
	m := &[256][]word{}
	for name := range months {
		if len(name) >= 5 {
			m[name[0]] = append(m[name[0]], newWord(name))
		}
	}
	for _, ws := range m {
		slices.SortFunc(ws, func(a, b word) int { return strings.Compare(a.text, b.text) })
	}
	return m
}()

// dateTypos returns the tokens' texts w and lexemes lex with the date
// words mistyped by one letter spelt right: "naatle", "christmsa", "il
// mese scoros", "a copule of weeks ago". A word of six letters or more,
// no word of the lists, one edit from exactly one date word of six
// letters or more with the same first letter, and not only at its end
// (an inflection: "scorsi"), is read as that word. Months have their own
// reading (fuzzyMonth), which wants a preposition. w and lex are copied
// when a word is fixed.
func dateTypos(w []string, lex []*lexeme) ([]string, []*lexeme) {
	copied := false
	for i, t := range w {
		if len(t) < 6 || hasDigit(t) || notTypos[t] || lex[i] != nil && (lex[i].known || lex[i].date != 0) {
			continue
		}
		cands := dateTypoWords[t[0]]
		if len(cands) == 0 {
			continue
		}
		tw := newWord(t)
		found := ""
		for k := range cands {
			c := &cands[k]
			if !maybeNear(&tw, c, 1) || osaDistance(tw.runes, c.runes, 1) > 1 || endEditOnly(t, c.text) {
				continue
			}
			if found != "" {
				found = "" // two date words as near: leave it
				break
			}
			found = c.text
		}
		if found == "" {
			continue
		}
		if !copied {
			w, lex, copied = slices.Clone(w), slices.Clone(lex), true
		}
		w[i], lex[i] = found, lexemeOf(found)
	}
	return w, lex
}

// dateTypoWords are the words of six letters or more of the holidays,
// the relative dates, the seasons, the weekdays and the units, by first
// letter.
var dateTypoWords = func() *[256][]word {
	seen := map[string]bool{}
	m := &[256][]word{}
	add := func(ws ...string) {
		for _, w := range ws {
			if len(w) >= 6 && !seen[w] {
				seen[w] = true
				m[w[0]] = append(m[w[0]], newWord(w))
			}
		}
	}
	for _, h := range holidays {
		add(h.words...)
	}
	for _, p := range relativePhrases {
		add(strings.Fields(p.words)...)
	}
	for w := range seasons {
		add(w)
	}
	for w := range weekdays {
		add(w)
	}
	for w := range units {
		add(w)
	}
	add("couple") // "a couple of weeks ago" (quantityBefore)
	for _, ws := range m {
		slices.SortFunc(ws, func(a, b word) int { return strings.Compare(a.text, b.text) })
	}
	return m
}()

// datePreps are the words a month is said after, which a misspelt month
// needs to be read as one.
var datePreps = map[string]bool{
	"a": true, "ad": true, "in": true, "di": true, "del": true, "dal": true, "da": true, "nel": true,
	"since": true, "of": true, "last": true, "scorso": true, "fine": true, "inizio": true, "meta": true,
	"early": true, "late": true, "mid": true, "entro": true, "until": true, "fino": true, "this": true,
	"next": true, "prossimo": true, "verso": true, "around": true, "il": true, "the": true, "on": true,
}

// words reads dates with the month in words.
func (r *dateReader) words() {
	for i := range r.w {
		m, isAbbr, english, fuzzy := r.monthAt(i)
		if m == 0 {
			continue
		}
		t := r.w[i]
		lo, hi := i, i+1
		// The day: "15 marzo", "15 di marzo", "the 15th of March", "March 15".
		day, dayBefore := dayNumber(r.at(i - 1))
		if dayBefore {
			lo = i - 1
		} else if isOneOf(r.at(i-1), "di", "of") {
			if day, dayBefore = dayNumber(r.at(i - 2)); dayBefore {
				lo = i - 2
			}
		}
		next := i + 1
		dayAfter := false
		if _, short := r.shortYear(next); !dayBefore && !short {
			if day, dayAfter = dayNumber(r.at(next)); dayAfter {
				next++
			} else if isOneOf(r.at(next), "il", "the") && !isDigits(r.at(next+2)) {
				// "era marzo, il 13": the day after the month.
				if day, dayAfter = dayNumber(r.at(next + 1)); dayAfter {
					next += 2
				}
			}
		}
		// The year: "marzo 2024", "March 15, 2025", "marzo del 2024",
		// the Roman "dicembre der 2023" (a chat or dialect spelling).
		yi := next
		if w := ChatSpelled(r.at(yi)); w == "del" || w == "of" || w == "di" || w == "dell" {
			yi++
		}
		year, hasYear := yearNumber(r.at(yi))
		yend := yi + 1
		if !hasYear {
			year, hasYear = r.shortYear(yi)
		}
		if !hasYear {
			year, yend, hasYear = r.spokenYear(yi)
		}
		if w := r.at(yi); !hasYear && yi > next && len(w) == 2 && isDigits(w) && units[r.at(yi+1)].days+units[r.at(yi+1)].months == 0 {
			// "aprile del 24", "april of 22": two digits after "del" or
			// "of" are the year, as "aprile '24" is.
			year = 2000 + atoi(w)
			hasYear = saneYear(year)
		}
		if w := r.at(yi); !hasYear && len(w) == 4 && isDigits(w) && (!isAbbr && !fuzzy || dayBefore || dayAfter) {
			// "15 marzo 0001": a year out of range, not a date of this year.
			r.hit(lo, yi+1, dateHit{rank: rankWords})
			continue
		}
		switch {
		case t == "may" && !dayBefore && !dayAfter && !hasYear && !isOneOf(r.at(i-1), "in", "of", "last", "since", "early", "late", "mid", "next", "this") && !r.yearAt(i-1):
			continue // "I may have bought it"
		case isAbbr && !dayBefore && !hasYear && !(dayAfter && english) && !(english && isOneOf(r.at(i-1), "last", "since", "in", "early", "late", "mid")) &&
			!(english && isOneOf(r.at(i+1), "this", "last") && isOneOf(r.at(i+2), "year", "yr")):
			continue // "set", "ago", "mar" are words; "last sept", "in oct", "jan this year" are months
		case fuzzy && !dayBefore && !dayAfter && !hasYear && !datePreps[r.at(i-1)] && !isOneOf(r.at(i+1), "scorso", "passato") && len(r.w) > 1 &&
			!purchaseCues[r.at(i-1)] && !deliveryCues[r.at(i-1)] && !isOneOf(r.at(i+1), "this", "last", "quest", "dell", "del", "of"):
			continue // a word like a month, with nothing saying it is one (alone, it answers "when?")
		}
		if hasYear {
			hi = yend
		} else if dayAfter {
			hi = next
		}
		hasDay := dayBefore || dayAfter
		if !hasYear {
			// "marzo dell'anno scorso", "l'anno scorso a ottobre", "in October last year".
			if y, a, b, ok := r.yearWords(lo, hi); ok {
				year, hasYear = y, true
				lo, hi = min(lo, a), max(hi, b)
			}
		}
		if !hasYear && !hasDay {
			// "due anni fa a marzo", "in March two years ago".
			if y, a, b, ok := r.yearsAgo(lo, hi); ok {
				year, hasYear = y, true
				lo, hi = min(lo, a), max(hi, b)
			}
		}
		if !hasYear {
			// "nel duemila e ventitre a novembre": the year in words first.
			for j := lo - 1; j >= max(lo-5, 0); j-- {
				if y, end, ok := r.spokenYear(j); ok && (end == lo || end == lo-1 && isOneOf(r.at(end), "a", "ad", "in")) {
					year, hasYear, lo = y, true, j
					if isOneOf(r.at(j-1), "nel", "in", "del") {
						lo = j - 1
					}
					break
				}
			}
		}
		if !hasYear {
			// "nel 2023 a novembre", "in 2023, in November": the year first.
			for j := lo - 1; j >= max(lo-3, 0); j-- {
				y, ok := yearNumber(r.at(j))
				switch {
				case ok && isOneOf(r.at(j-1), "nel", "in", "del"):
					year, hasYear, lo = y, true, j-1
				case ok && correctsBefore(r.w, j) && (j == lo-1 || j == lo-2 && isOneOf(r.at(lo-1), "in", "a", "ad", "nel")):
					// "2021, sorry I mean 2023, in may": the year put right
					// is the month's.
					year, hasYear, lo = y, true, j
				case ok && j == lo-1: // "bought in 2022 may", "2024 marzo"
					year, hasYear, lo = y, true, j
				case ok && j == lo-2 && isOneOf(r.at(j+1), "in", "a", "ad", "nel") && y <= r.dp.now.Year() && y > r.dp.now.Year()-10:
					// "no sorry, 2023, in october", "2022 a marzo": a recent
					// year, then the month after a preposition.
					year, hasYear, lo = y, true, j
				default:
					continue
				}
				break
			}
		}
		h := dateHit{rank: rankWords, valid: true}
		switch {
		case hasYear && !hasDay:
			h.t, h.p = r.dp.date(year, m, 1), PrecisionMonth
		case hasYear:
			h.t, h.valid = r.dp.day(year, m, day)
			h.p = PrecisionDay
		case hasDay:
			dp := r.dp
			dp.past = dp.past && !deadlineBefore(r.w, lo)
			h.t, h.valid = dp.inferYear(m, day)
			h.p = PrecisionDay
		default:
			// "gennaio scorso", "lo scorso gennaio", "last January": not this one.
			strict := isOneOf(r.at(i+1), "scorso", "passato", "prossimo") || isOneOf(r.at(i-1), "scorso", "last", "prossimo", "next")
			dp := r.dp
			if isOneOf(r.at(i+1), "prossimo") || isOneOf(r.at(i-1), "prossimo", "next") {
				dp.past = false
			} else if strict {
				dp.past = true
			}
			if isOneOf(r.at(i+1), "scorso", "passato", "prossimo") {
				hi = i + 2
			} else if isOneOf(r.at(i-1), "scorso", "last", "prossimo", "next") {
				lo = i - 1
			}
			h.t, h.p = dp.inferMonth(m, strict), PrecisionMonth
		}
		if !h.valid {
			h.p = PrecisionNone
		}
		r.hit(lo, hi, h)
	}
}

// yearWords finds "anno scorso", "last year", "quest'anno" within a few
// words of tokens [lo, hi), and returns the year and the tokens it takes.
func (r *dateReader) yearWords(lo, hi int) (year, a, b int, ok bool) {
	phrases := []struct {
		words []string
		delta int
	}{
		{[]string{"anno", "scorso"}, -1}, {[]string{"scorso", "anno"}, -1}, {[]string{"anno", "passato"}, -1}, {[]string{"ano", "scorso"}, -1},
		{[]string{"last", "year"}, -1}, {[]string{"quest", "anno"}, 0}, {[]string{"this", "year"}, 0},
		{[]string{"last", "yr"}, -1}, {[]string{"this", "yr"}, 0},
	}
	for i := max(lo-4, 0); i < hi+4 && i < len(r.w); i++ {
		if i >= lo && i < hi {
			continue
		}
		for _, p := range phrases {
			if hasSeqAt(r.w, i, p.words...) {
				a, b = i, i+len(p.words)
				if isOneOf(r.at(a-1), "dell", "of", "del") {
					a--
				}
				return r.dp.now.Year() + p.delta, a, b, true
			}
		}
	}
	return 0, 0, 0, false
}

// holidays are the days people buy presents on, and Easter.
var holidays = []struct {
	words  []string
	m, d   int
	easter int // days after Easter, when m is 0
	bf     bool
}{
	{words: []string{"vigilia", "di", "natale"}, m: 12, d: 24},
	{words: []string{"christmas", "eve"}, m: 12, d: 24},
	{words: []string{"natale"}, m: 12, d: 25},
	{words: []string{"christmas"}, m: 12, d: 25},
	{words: []string{"xmas"}, m: 12, d: 25},
	{words: []string{"vigilia"}, m: 12, d: 24},
	{words: []string{"boxing", "day"}, m: 12, d: 26},
	{words: []string{"santo", "stefano"}, m: 12, d: 26},
	{words: []string{"epifania"}, m: 1, d: 6},
	{words: []string{"befana"}, m: 1, d: 6},
	{words: []string{"ferragosto"}, m: 8, d: 15},
	{words: []string{"halloween"}, m: 10, d: 31},
	{words: []string{"capodanno"}, m: 1, d: 1},
	{words: []string{"san", "silvestro"}, m: 12, d: 31},
	{words: []string{"new", "year", "s", "eve"}, m: 12, d: 31},
	{words: []string{"new", "years", "eve"}, m: 12, d: 31},
	{words: []string{"new", "year", "s", "day"}, m: 1, d: 1},
	{words: []string{"new", "years", "day"}, m: 1, d: 1},
	{words: []string{"new", "year", "s"}, m: 1, d: 1},
	{words: []string{"new", "years"}, m: 1, d: 1},
	{words: []string{"new", "year"}, m: 1, d: 1},
	{words: []string{"black", "friday"}, bf: true},
	{words: []string{"cyber", "monday"}, bf: true, easter: 3},
	{words: []string{"san", "valentino"}, m: 2, d: 14},
	{words: []string{"valentine", "s", "day"}, m: 2, d: 14},
	{words: []string{"valentines", "day"}, m: 2, d: 14},
	{words: []string{"valentine", "s"}, m: 2, d: 14},
	{words: []string{"valentines"}, m: 2, d: 14},
	{words: []string{"valentine"}, m: 2, d: 14},
	// Carnival ends on Shrove Tuesday, 47 days before Easter: "l'ho
	// preso a carnevale" is about then.
	{words: []string{"martedi", "grasso"}, easter: -47},
	{words: []string{"giovedi", "grasso"}, easter: -52},
	{words: []string{"carnevale"}, easter: -47},
	{words: []string{"shrove", "tuesday"}, easter: -47},
	{words: []string{"pancake", "day"}, easter: -47},
	{words: []string{"mardi", "gras"}, easter: -47},
	{words: []string{"pasquetta"}, easter: 1},
	{words: []string{"easter", "monday"}, easter: 1},
	{words: []string{"lunedi", "dell", "angelo"}, easter: 1},
	{words: []string{"pasqua"}},
	{words: []string{"easter"}},
	{words: []string{"ferragosto"}, m: 8, d: 15},
	{words: []string{"epifania"}, m: 1, d: 6},
	{words: []string{"befana"}, m: 1, d: 6},
	{words: []string{"halloween"}, m: 10, d: 31},
}

// holidaysByFirst are the indexes of holidays by their first word.
var holidaysByFirst = func() map[string][]int {
	m := map[string][]int{}
	for i, h := range holidays {
		m[h.words[0]] = append(m[h.words[0]], i)
	}
	return m
}()

// easter returns Easter Sunday of year y (the Gregorian computus of
// Meeus, Jones and Butcher).
func easter(y int) (month, day int) {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month = (h + l - 7*m + 114) / 31
	day = (h+l-7*m+114)%31 + 1
	return month, day
}

// holidayIn returns the holiday's date in year y.
func (dp dateParser) holidayIn(i, y int) time.Time {
	h := holidays[i]
	switch {
	case h.bf:
		t := dp.date(y, 11, 1)
		for t.Weekday() != time.Thursday {
			t = t.AddDate(0, 0, 1)
		}
		return t.AddDate(0, 0, 22+h.easter) // the fourth Thursday, then the Friday
	case h.m == 0:
		m, d := easter(y)
		return dp.date(y, m, d).AddDate(0, 0, h.easter)
	}
	return dp.date(y, h.m, h.d)
}

// holidays reads "a natale", "last Christmas", "verso Pasqua", "al black
// friday", "natale 2023". Without a year, the most recent one (the next,
// with past=false, or after "prossimo", "next").
func (r *dateReader) holidays() {
	for i := 0; i < len(r.w) && r.any&flagHoliday != 0; i++ {
		if r.flags[i]&flagHoliday == 0 {
			continue
		}
		hi := -1
		for _, k := range holidaysByFirst[r.w[i]] {
			h := holidays[k]
			if !hasSeqAt(r.w, i, h.words...) {
				continue
			}
			lo, end := i, i+len(h.words)
			dp := r.dp
			switch {
			case isOneOf(r.at(end), "scorso", "scorsa", "passato", "passata"):
				dp.past, end = true, end+1
			case isOneOf(r.at(lo-1), "scorso", "scorsa", "last"):
				dp.past, lo = true, lo-1
			case isOneOf(r.at(end), "prossimo", "prossima"):
				dp.past, end = false, end+1
			case isOneOf(r.at(lo-1), "prossimo", "prossima", "next", "this", "questo"):
				dp.past, lo = false, lo-1
			}
			var t time.Time
			yi := end
			if isOneOf(r.at(yi), "del", "of", "di") {
				yi++
			}
			if y, ok := yearNumber(r.at(yi)); ok {
				t, end = dp.holidayIn(k, y), yi+1
			} else if y, a, b, ok := r.yearWords(lo, end); ok {
				// "around Easter last year", "l'anno scorso a natale".
				t, lo, end = dp.holidayIn(k, y), min(lo, a), max(end, b)
			} else {
				today := dp.today()
				for y := today.Year() - 1; y <= today.Year()+1; y++ {
					c := dp.holidayIn(k, y)
					if dp.past && !c.After(today) {
						t = c
					}
					if !dp.past && !c.Before(today) && t.IsZero() {
						t = c
					}
				}
			}
			r.hit(lo, end, dateHit{t: t, p: PrecisionDay, valid: true, rank: rankHoliday})
			hi = end
			break
		}
		if hi > i {
			i = hi - 1
		}
	}
}

// seasons are read as their middle month, roughly: spring is March to May.
var seasons = map[string]int{
	"primavera": 4, "spring": 4, "estate": 7, "summer": 7, "autunno": 10, "autumn": 10, "fall": 10,
	"inverno": 1, "winter": 1,
}

// seasons reads "l'estate scorsa", "last summer", "quest'inverno", "in
// autunno", "estate 2023". A season needs a word that makes it a time
// ("fall", "spring" and "estate" are also other words). Seasons run by
// whole months (summer is June to August) and read as their middle month.
func (r *dateReader) seasons() {
	for i, t := range r.w {
		if r.flags[i]&flagSeason == 0 {
			continue
		}
		mid := seasons[t]
		lo, hi := i, i+1
		const (
			latest = iota
			last
			this
			next
		)
		rel := latest
		switch {
		case isOneOf(r.at(i+1), "scorso", "scorsa", "passato", "passata"):
			rel, hi = last, i+2
		case isOneOf(r.at(i-1), "scorso", "scorsa", "last", "past"):
			rel, lo = last, i-1
		case isOneOf(r.at(i+1), "prossimo", "prossima"):
			rel, hi = next, i+2
		case isOneOf(r.at(i-1), "prossimo", "prossima", "next"):
			rel, lo = next, i-1
		case isOneOf(r.at(i-1), "quest", "this", "questa", "questo"):
			rel, lo = this, i-1
		case t != "fall" && isOneOf(r.at(i-1), "in", "d", "nell", "durante", "during"):
		case isOneOf(r.at(i-1), "the") && isOneOf(r.at(i-2), "in", "during", "since"):
		default:
			_, ok := yearNumber(r.at(i + 1))
			if _, _, _, words := r.yearWords(lo, hi); !ok && !words && !(isOneOf(r.at(i+1), "del", "dell", "of", "di") && r.yearAt(i+2)) {
				continue
			}
		}
		// "la primavera dell'anno scorso", "spring last year", "summer of
		// 2023": the season of that year.
		if rel == latest {
			y, a, b, ok := r.yearWords(lo, hi)
			if !ok && isOneOf(r.at(hi), "del", "dell", "of", "di") && r.yearAt(hi+1) {
				y, _ = yearNumber(r.at(hi + 1))
				a, b, ok = lo, hi+2, true
			}
			if ok {
				r.hit(min(lo, a), max(hi, b), dateHit{t: r.dp.date(y, mid, 1), p: PrecisionMonth, valid: true, rank: rankSeason, approx: true})
				continue
			}
		}
		start := func(y int) time.Time {
			if mid == 1 { // winter runs from December of the year before
				return r.dp.date(y-1, 12, 1)
			}
			return r.dp.date(y, mid-1, 1)
		}
		today := r.dp.today()
		y := today.Year() + 1
		for start(y).After(today) {
			y--
		}
		// start(y) is the latest season of that name begun by today.
		going := start(y).AddDate(0, 3, 0).After(today)
		if yr, ok := yearNumber(r.at(hi)); ok && rel == latest {
			y, hi = yr, hi+1
			if mid == 1 {
				y++
			}
		} else {
			switch {
			case rel == last && going:
				y--
			case rel == next, rel == latest && !r.dp.past && !going:
				y++
			case rel == this && !going && !r.dp.past && start(today.Year()+boolInt(mid == 1)).After(today):
				y = today.Year() + boolInt(mid == 1)
			}
		}
		t0 := r.dp.date(y, mid, 1)
		if going && t0.After(today) && !start(y).After(today) {
			t0 = r.dp.date(today.Year(), int(today.Month()), 1) // a season still going on
		}
		r.hit(lo, hi, dateHit{t: t0, p: PrecisionMonth, valid: true, rank: rankSeason, approx: true})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// relative reads dates named relative to today, and lengths of time.
func (r *dateReader) relative() {
	today := r.dp.today()
	shift := func(days, months int, p Precision) time.Time {
		switch p {
		case PrecisionYear:
			return r.dp.date(today.Year()+months/12, 1, 1)
		case PrecisionMonth:
			return r.dp.date(today.Year(), int(today.Month())+months, 1)
		}
		return today.AddDate(0, 0, days)
	}
	w := r.w

	// "tre settimane fa", "2 months ago", "un anno e mezzo fa", "da due anni",
	// "tra 2 settimane", "in two weeks", "for a week now", "dopo 3 giorni".
	for i, t := range w {
		if r.flags[i]&flagUnit == 0 {
			continue
		}
		u := units[t]
		n, qtyStart, ok := quantityBefore(w, i)
		half := false
		if i >= 3 && hasSeqAt(w, i-3, "and", "a", "half") {
			// "three and a half years ago"
			if n2, s2, ok2 := quantityBefore(w, i-3); ok2 {
				n, qtyStart, ok, half = n2, s2, true, true
			}
		}
		if !ok {
			continue
		}
		end := i + 1
		switch {
		case half:
		case hasSeqAt(w, end, "e", "mezzo") || hasSeqAt(w, end, "e", "mezza"):
			half, end = true, end+2
		case hasSeqAt(w, end, "and", "a", "half"):
			half, end = true, end+3
		}
		lo := qtyStart
		// "negli ultimi 3 giorni", "for the past two weeks".
		pre := qtyStart - 1
		if isOneOf(at(w, pre), "ultimi", "ultime", "past", "last") {
			pre--
			if at(w, pre) == "the" {
				pre--
			}
		}
		// "for about a year", "da quasi due anni": the rough word stands
		// between the cue and the length.
		rough := pre
		if isOneOf(at(w, rough), "about", "almost", "nearly", "roughly", "circa", "quasi") {
			rough--
		}
		sign, since := 0, false
		switch {
		case isOneOf(at(w, end), "fa", "ago", "back"):
			if isOneOf(at(w, pre), "da", "since") {
				// "da una settimana fa rumore": the "fa" may be the verb, so
				// "da una settimana" is read too (a since, the earlier hit).
				r.hit(pre, end, r.sinceHit(n, t, u, half, shift))
			}
			sign, end = -1, end+1
		case isOneOf(at(w, pre), "da", "for", "since") || pre != qtyStart-1 && isOneOf(at(w, pre), "negli", "nelle", "in", "over", "during"):
			sign, since, lo = -1, true, pre // "ce l'ho da due anni": since then
			if isOneOf(at(w, end), "now", "ormai", "already") {
				end++
			}
		case rough != pre && isOneOf(at(w, rough), "da", "for", "since"):
			sign, since, lo = -1, true, rough
			if isOneOf(at(w, end), "now", "ormai", "already") {
				end++
			}
		case isOneOf(at(w, qtyStart-1), "tra", "fra", "in", "entro", "within"):
			sign, lo = 1, qtyStart-1
		case ownedFor(w, qtyStart):
			// "had it 30 months", "used it two years": the "for" left out.
			sign, since = -1, true
		case productAge(w, qtyStart, end) && (u.months < 12 || n <= maxProductAge):
			// "it's only 3 months old", "ha solo sei mesi": bought then
			// (dateCues reads it so).
			sign, since = -1, true
		}
		days, months := n*u.days, n*u.months
		if half {
			days += u.days / 2
			months += u.months / 2
		}
		dur := isoDuration(n, t, half)
		if sign == 0 {
			r.hit(lo, end, dateHit{valid: true, rank: rankUnits, length: true, dur: dur})
			continue
		}
		h := dateHit{valid: true, rank: rankUnits, since: since, approx: since && lo == rough && rough != pre}
		if since {
			h.dur = dur
		}
		if months != 0 {
			// Count months from the first of the month: the 31st of March
			// minus one month is February, not the 3rd of March.
			h.t, h.p = shift(0, months*sign, PrecisionMonth), PrecisionMonth
		} else {
			h.t, h.p = shift(days*sign, 0, PrecisionDay), PrecisionDay
		}
		r.hit(lo, end, h)
	}

	for i := range w {
		if r.flags[i]&flagRelative == 0 {
			continue
		}
		for _, k := range relativeByFirst[w[i]] {
			p := relativePhrases[k]
			ws := relativeSplit[k]
			if !hasSeqAt(w, i, ws...) {
				continue
			}
			lo := i
			if (ws[0] == "settimana" || ws[0] == "mese" || ws[0] == "anno" || slices.Contains(unitShortenings["settimana"], ws[0])) && isOneOf(at(w, i-1), "la", "il", "l") {
				lo = i - 1
			}
			t := shift(p.days, p.months, p.p)
			if p.hour > 0 && r.dp.now.Hour() < p.hour {
				t = t.Add(time.Duration(p.hour) * time.Hour) // later today: after now
			}
			r.hit(lo, i+len(ws), dateHit{t: t, p: p.p, valid: true, rank: rankPhrase})
			break
		}
	}

	// "lunedì scorso", "last Friday", "venerdì".
	for i, t := range w {
		if r.flags[i]&flagWeekday == 0 {
			continue
		}
		wd := weekdays[t]
		lo, hi := i, i+1
		past := r.dp.past && !deadlineBefore(r.w, i)
		switch {
		case isOneOf(at(w, i+1), "scorso", "passato"):
			past, hi = true, i+2
		case isOneOf(at(w, i-1), "scorso", "last"):
			past, lo = true, i-1
		case isOneOf(at(w, i+1), "prossimo"):
			past, hi = false, i+2
		case isOneOf(at(w, i-1), "prossimo", "next"):
			past, lo = false, i-1
		case t == "weekend":
			continue
		case r.dayDateAfter(i):
			continue // "lunedì 19 maggio", "Monday, May 19": the calendar date says it
		}
		diff := int(wd - today.Weekday())
		if past {
			if diff >= 0 {
				diff -= 7
			}
		} else if diff <= 0 {
			diff += 7
		}
		r.hit(lo, hi, dateHit{t: today.AddDate(0, 0, diff), p: PrecisionDay, valid: true, rank: rankWeekday})
	}
}

// dayDateAfter reports whether a date of a day named by its month starts
// right after the weekday at token i ("lunedì 19 maggio", "monday the
// 19th of may", "Monday, May 19"), and if so stretches that date over
// the weekday: the weekday only restates it.
func (r *dateReader) dayDateAfter(i int) bool {
	next := i + 1
	if isOneOf(r.at(next), "il", "the") {
		next++
	}
	if next >= len(r.toks) {
		return false
	}
	for k := range r.out {
		h := &r.out[k]
		if h.start == r.toks[next].start && h.p == PrecisionDay && h.valid && h.rank <= rankWords {
			h.start = r.toks[i].start
			return true
		}
	}
	return false
}

// ownedFor reports whether the length starting at word q follows a verb
// of having and its object with no "for": "had it 30 months", "I've owned
// it two years", "used them 3 years". The clause's cues then date the
// purchase from it.
func ownedFor(w []string, q int) bool {
	return isOneOf(at(w, q-1), "it", "them", "one") && isOneOf(at(w, q-2), "had", "owned", "used", "have", "kept")
}

// productAge reports whether the length on words [q, end) tells how old
// the product is: "2 years old", "il pc ha solo sei mesi", "ha quasi un
// anno"; not "ha 2 anni di garanzia" (how long the warranty lasts), nor
// a person's age: "mia mamma ha 78 anni", "my son is 6 years old".
func productAge(w []string, q, end int) bool {
	for j := max(q-6, 0); j < q; j++ {
		if people[w[j]] {
			return false
		}
	}
	if at(w, end) == "old" {
		return true
	}
	if isOneOf(at(w, end), "di", "of") && isOneOf(at(w, end+1), "garanzia", "warranty", "guarantee") {
		return false
	}
	k := q - 1
	if isOneOf(at(w, k), "solo", "appena", "gia", "quasi", "circa", "neanche", "nemmeno", "meno", "piu") {
		k--
	}
	return isOneOf(at(w, k), "ha", "hanno")
}

// maxProductAge is the most years a product is told to be old: more is a
// person's age.
const maxProductAge = 12

// people are the words for the people whose age a customer may tell.
var people = map[string]bool{
	"mamma": true, "madre": true, "papa": true, "padre": true, "figlio": true, "figlia": true, "figli": true,
	"nonno": true, "nonna": true, "moglie": true, "marito": true, "bambino": true, "bambina": true,
	"bimbo": true, "bimba": true, "ragazzo": true, "ragazza": true, "nipote": true, "fratello": true,
	"sorella": true, "zio": true, "zia": true, "lui": true, "lei": true, "io": true, "sono": true,
	"mum": true, "mom": true, "mother": true, "dad": true, "father": true, "son": true, "daughter": true,
	"kid": true, "kids": true, "child": true, "grandma": true, "grandpa": true, "grandmother": true,
	"grandfather": true, "wife": true, "husband": true, "boy": true, "girl": true, "brother": true,
	"sister": true, "he": true, "she": true, "i": true, "im": true, "am": true, "nephew": true, "niece": true,
}

// sinceHit is the date n units (and a half) ago that a problem started.
func (r *dateReader) sinceHit(n int, t string, u struct{ days, months int }, half bool, shift func(days, months int, p Precision) time.Time) dateHit {
	days, months := n*u.days, n*u.months
	if half {
		days += u.days / 2
		months += u.months / 2
	}
	h := dateHit{valid: true, rank: rankUnits, since: true, dur: isoDuration(n, t, half)}
	if months != 0 {
		h.t, h.p = shift(0, -months, PrecisionMonth), PrecisionMonth
	} else {
		h.t, h.p = shift(-days, 0, PrecisionDay), PrecisionDay
	}
	return h
}

// dayOnly reads a day of the month alone after a purchase or delivery
// word: "è arrivato il 30", "delivered on the 2nd", the last such day by
// today. Without such a word "il 30" is no date.
func (r *dateReader) dayOnly() {
	for i := 1; i < len(r.w); i++ {
		if !isOneOf(r.w[i-1], "il", "the", "l") || !isDigits(strings.TrimRight(r.w[i], "stndrh")) {
			continue
		}
		d, ok := dayNumber(r.w[i])
		if !ok || r.flags[i] != 0 || i+1 < len(r.w) && (r.flags[i+1]&flagMonth != 0 || isDigits(r.w[i+1]) || units[r.w[i+1]].days+units[r.w[i+1]].months > 0 || isMeasure(r.w[i+1]) || countUnits[r.w[i+1]]) {
			continue
		}
		cued := false
		for j := max(i-4, 0); j < i-1; j++ {
			cued = cued || purchaseCues[r.w[j]] || deliveryCues[r.w[j]]
		}
		if !cued {
			continue
		}
		today := r.dp.today()
		t, ok := r.dp.day(today.Year(), int(today.Month()), d)
		for back := 1; (!ok || t.After(today)) && back <= 2; back++ {
			first := r.dp.date(today.Year(), int(today.Month())-back, 1) // the month before, across a new year
			t, ok = r.dp.day(first.Year(), int(first.Month()), d)
		}
		if !ok {
			continue
		}
		// "the 3rd of last month", "il 3 del mese scorso": that month's.
		if n := lastMonthAt(r.w, i+1); n > 0 {
			first := r.dp.date(today.Year(), int(today.Month())-1, 1)
			if t, ok = r.dp.day(first.Year(), int(first.Month()), d); ok {
				r.hit(i-1, i+1+n, dateHit{t: t, p: PrecisionDay, valid: true, rank: rankDayMonth})
			}
			continue
		}
		r.hit(i-1, i+1, dateHit{t: t, p: PrecisionDay, valid: true, rank: rankWeekday})
	}
}

// lastMonthAt returns how many words from i say "of last month" ("of
// last month", "del mese scorso", "dello scorso mese", "of the previous
// month"), or 0.
func lastMonthAt(w []string, i int) int {
	for _, p := range [][]string{
		{"of", "last", "month"}, {"of", "the", "previous", "month"}, {"of", "the", "last", "month"},
		{"del", "mese", "scorso"}, {"dello", "scorso", "mese"}, {"del", "mese", "prima"}, {"del", "mese", "precedente"},
	} {
		if hasSeqAt(w, i, p...) {
			return len(p)
		}
	}
	return 0
}

// relativeSplit are the words of each of relativePhrases, and
// relativeByFirst the phrases by their first word, longest first.
var relativeSplit, relativeByFirst = func() ([][]string, map[string][]int) {
	split := make([][]string, len(relativePhrases))
	first := map[string][]int{}
	for i, p := range relativePhrases {
		split[i] = strings.Fields(p.words)
		first[split[i][0]] = append(first[split[i][0]], i)
	}
	return split, first
}()

// isoDuration writes n units (and a half) in ISO 8601: "P3D", "P2W", "P1Y6M".
func isoDuration(n int, unit string, half bool) string {
	u := units[unit]
	switch {
	case u.days == 7 && half:
		return "P" + itoa(n*7+3) + "D"
	case u.days == 7:
		return "P" + itoa(n) + "W"
	case u.days == 1:
		return "P" + itoa(n) + "D"
	case u.months == 12 && half:
		return "P" + itoa(n) + "Y6M"
	case u.months == 12:
		return "P" + itoa(n) + "Y"
	case half:
		return "P" + itoa(n) + "M15D"
	}
	return "P" + itoa(n) + "M"
}

// years reads a year alone: "nel 2023", "in 2023", "dal 2023", "2023".
func (r *dateReader) years() {
	for i, t := range r.w {
		y, ok := yearNumber(t)
		end := i + 1
		if !ok {
			// A year in words alone is a date only as the year of a
			// purchase: "l'ho preso nel duemilaventitre", "bought it in
			// twenty twenty two" ("born in two thousand and ten" is none).
			if y, end, ok := r.spokenYear(i); ok && y%1000 != 0 && isOneOf(r.at(i-1), "nel", "del", "dal", "in", "since") &&
				(purchaseCues[r.at(i-2)] || purchaseCues[r.at(i-3)] || purchaseCues[r.at(i-4)]) {
				r.hit(i-1, end, dateHit{t: r.dp.date(y, 1, 1), p: PrecisionYear, valid: true, rank: rankYear})
			}
			continue
		}
		// A short answer to "when?" ("it was 2023", "boh, 2022") is a year;
		// in a sentence a word must say so ("nel 2022", "era il 2022").
		if len(r.w) <= 3 || isOneOf(r.at(i-1), "nel", "in", "del", "dal", "since", "anno", "year", "from", "of", "durante", "during",
			"was", "circa", "around", "about", "verso", "early", "late", "mid", "inizio", "fine", "meta", "end") ||
			r.at(i-1) == "il" && isOneOf(r.at(i-2), "era", "e", "nel", "durante") ||
			// "nel lontano 2019", "in the distant 2019": a word of how long
			// ago between the preposition and the year.
			isOneOf(r.at(i-1), "lontano", "lontanissimo", "remoto", "distant", "faraway") && isOneOf(r.at(i-2), "nel", "del", "dal", "the", "in") ||
			// A guess at the year: "2024 I think", "forse 2023", "credo il 2022".
			isOneOf(r.at(i-1), "forse", "maybe", "probably", "probabilmente", "credo", "think", "perhaps", "guess") ||
			// A year put right: "2021, sorry I mean 2023", "nel 2021, anzi 2022".
			correctsBefore(r.w, i) ||
			r.at(end) == "i" && isOneOf(r.at(end+1), "think", "guess", "believe") || isOneOf(r.at(end), "credo", "penso", "forse", "maybe", "probably", "probabilmente") {
			r.hit(i, end, dateHit{t: r.dp.date(y, 1, 1), p: PrecisionYear, valid: true, rank: rankYear})
		}
	}
}

// correctsBefore reports whether the words w right before token i put
// right what was said before them: "I mean", "I meant", "anzi",
// "intendevo", "volevo dire".
func correctsBefore(w []string, i int) bool {
	switch at(w, i-1) {
	case "anzi", "intendevo", "meant":
		return true
	case "mean":
		return at(w, i-2) == "i"
	case "dire":
		return at(w, i-2) == "volevo"
	}
	return false
}

// deadlineBefore reports whether the words w before token i say the date
// from i is a deadline: "entro venerdì", "entro il 15", "by Friday", "by
// the 20th", "non oltre lunedì", "no later than Monday". ("Before" and
// "prima di" are not: "bought it before Christmas" dates a purchase.)
func deadlineBefore(w []string, i int) bool {
	j := i - 1
	if isOneOf(at(w, j), "il", "lo", "la", "l", "the", "next", "prossimo") {
		j--
	}
	switch at(w, j) {
	case "entro", "by":
		return true
	case "oltre":
		return at(w, j-1) == "non"
	case "than":
		return at(w, j-1) == "later" && at(w, j-2) == "no"
	}
	return false
}

// yearParts reads a year's beginning, middle or end: "a inizio 2024",
// "all'inizio dell'anno scorso", "early last year", "at the end of
// 2023", "a metà 2022". Each is a rough month, as a season is: February,
// June, November ("late 2024"); the year's end itself is its last month
// ("a fine anno scorso", "at the end of 2023": December, the days of the
// holidays), and before its end November ("entro la fine del 2024").
// Warranty terms count months, and "early last year" is no
// longer the whole year.
func (r *dateReader) yearParts() {
	for k := range r.out {
		h := &r.out[k]
		if h.p != PrecisionYear || !h.valid || h.length || h.since {
			continue
		}
		i := tokenAt(r.toks, h.start)
		if i < 0 {
			continue
		}
		lo := i - 1
		if isOneOf(r.at(lo), "dell", "del", "di", "of", "the", "d") {
			lo--
		}
		month := yearPartMonth[r.at(lo)]
		if month == 0 {
			continue
		}
		// Before the year's end is some weeks before it: "entro la fine
		// dell'anno scorso", "before the end of last year".
		if b := lo - 1; month == 12 && (isOneOf(r.at(b), "before", "entro", "by", "prima") ||
			isOneOf(r.at(b), "la", "the", "della", "dell") && isOneOf(r.at(b-1), "before", "entro", "by", "prima")) {
			month = 11
		}
		if isOneOf(r.at(lo-1), "a", "al", "all", "alla", "ad", "in", "at", "the", "verso", "towards", "around") {
			lo--
			if r.at(lo) == "the" && isOneOf(r.at(lo-1), "at", "in", "towards", "around") {
				lo--
			}
		}
		h.t, h.p, h.approx = r.dp.date(h.t.Year(), month, 1), PrecisionMonth, true
		h.start = r.toks[lo].start
	}
}

// yearPartMonth is the month that stands for a part of a year.
var yearPartMonth = map[string]int{
	"inizio": 2, "inizi": 2, "early": 2, "beginning": 2, "start": 2, "primi": 2,
	"meta": 6, "mid": 6, "middle": 6, "mezzo": 6,
	"fine": 12, "late": 11, "end": 12, "finire": 12,
}

// approxWords say that the date after them is rough: "verso Pasqua",
// "around Christmas", "intorno a marzo".
var approxWords = map[string]bool{
	"verso": true, "intorno": true, "attorno": true, "circa": true, "tipo": true, "around": true,
	"about": true, "roughly": true, "approximately": true, "sotto": true,
}

// sinceWords before a date say it is when something began: "dal 3 marzo",
// "since Monday", "da ieri".
var sinceWords = map[string]bool{
	"da": true, "dal": true, "dalla": true, "dall": true, "dai": true, "dagli": true, "since": true,
}

// marks extends each date over the words before it that say it is rough
// or a beginning, and sets approx and since.
func (r *dateReader) marks() {
	for k := range r.out {
		h := &r.out[k]
		if h.length || h.since {
			continue
		}
		i := tokenAt(r.toks, h.start)
		if i < 0 {
			continue
		}
		lo := i
		if isOneOf(r.at(lo-1), "a", "al", "alla", "ad", "the", "di") && approxWords[r.at(lo-2)] {
			lo -= 2
		} else if approxWords[r.at(lo-1)] {
			lo--
		}
		if lo < i {
			h.approx = true
		} else if sinceWords[r.at(i-1)] {
			lo, h.since = i-1, true
		}
		h.start = r.toks[lo].start
	}
}

// tokenAt returns the index of the token that starts at byte b, or -1.
func tokenAt(toks []token, b int) int {
	for i, t := range toks {
		if t.start == b {
			return i
		}
		if t.start > b {
			break
		}
	}
	return -1
}
