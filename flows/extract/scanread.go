package extract

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

var reURL = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"]+[^\s<>".,;:!?)]`)

// urlsAndEmails reads web and e-mail addresses first: their words and
// digits mean nothing else.
func (s *scan) urlsAndEmails() {
	if strings.Contains(s.lo, "http") || strings.Contains(s.lo, "www.") {
		s.urls()
	}
	if !strings.Contains(s.text, "@") {
		return
	}
	// The expression runs only on the word around each "@": it costs as
	// much as the text it reads.
	t := s.text
	for i := 0; i < len(t); i++ {
		if t[i] != '@' {
			continue
		}
		lo, hi := i, i+1
		for lo > 0 && lo > i-64 && !isSpaceOrBracket(t[lo-1]) {
			lo--
		}
		for hi < len(t) && hi < i+256 && !isSpaceOrBracket(t[hi]) {
			hi++
		}
		if m := reEmail.FindStringIndex(t[lo:hi]); m != nil {
			e := t[lo+m[0] : lo+m[1]]
			if !strings.Contains(e, "..") {
				s.add(Value{Kind: KindEmail, Start: lo + m[0], End: lo + m[1], Value: strings.ToLower(e), Confidence: 1})
			}
		}
		i = hi - 1
	}
}

func isSpaceOrBracket(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '<' || c == '>' || c == '(' || c == ')' || c == '"' || c == ',' || c == ';'
}

func (s *scan) urls() {
	for _, m := range reURL.FindAllStringIndex(s.text, -1) {
		s.add(Value{Kind: KindURL, Start: m[0], End: m[1], Value: s.text[m[0]:m[1]], Confidence: 1})
	}
}

// orderCues are the words an order number is given after.
var orderCues = map[string]bool{
	"ordine": true, "order": true, "ordini": true, "orders": true, "ord": true, "n": true, "nr": true,
	"num": true, "numero": true, "number": true, "no": true, "acquisto": true, "purchase": true,
	"pratica": true, "riferimento": true, "reference": true, "ref": true, "codice": true, "code": true,
}

// prefixedOrders reads order numbers written with the shop's prefix, in
// any case and with any separator: "SP-482001", "sp 482001", "#sp482001".
func (s *scan) prefixedOrders() {
	if s.o.Shop == nil {
		return
	}
	for _, f := range s.o.Shop.orders {
		p := strings.ToLower(f.Prefix)
		for i := 0; i+len(p) <= len(s.lo); {
			j := strings.Index(s.lo[i:], p)
			if j < 0 {
				break
			}
			at := i + j
			i = at + len(p)
			if at > 0 && isWordByte(s.lo[at-1]) {
				continue
			}
			k := at + len(p)
			// One separator at most: "sp-482001", "sp 482001", "sp. 482001", "sp #482001".
			// A dash a phone wrote for "-" ("SP–482001") is one too.
			for n := 0; n < 2 && k < len(s.lo); n++ {
				switch {
				case strings.IndexByte("-/. #_", s.lo[k]) >= 0:
					k++
				case strings.HasPrefix(s.lo[k:], "–"), strings.HasPrefix(s.lo[k:], "—"):
					k += len("–")
				default:
					n = 2
				}
			}
			digitsFrom := func(i int) int {
				for i < len(s.lo) && '0' <= s.lo[i] && s.lo[i] <= '9' {
					i++
				}
				return i
			}
			d := digitsFrom(k)
			digits := s.lo[k:d]
			// "sp 482 001": the digits in two groups.
			if n := d - k; n < f.Digits && n >= 2 && d+1 < len(s.lo) && s.lo[d] == ' ' {
				if e := digitsFrom(d + 1); n+e-d-1 == f.Digits {
					digits, d = digits+s.lo[d+1:e], e
				}
			}
			if len(digits) != f.Digits || d < len(s.lo) && isWordByte(s.lo[d]) {
				continue
			}
			start := at
			if start > 0 && s.text[start-1] == '#' {
				start--
			}
			s.add(Value{Kind: KindOrder, Start: start, End: d, Value: f.Prefix + f.Sep + digits, Confidence: 1})
		}
	}
}

// bareOrders reads an order number written without its prefix: "ordine
// 482001", "#482001", or, less surely, a bare "482001".
func (s *scan) bareOrders() {
	if s.o.Shop == nil || len(s.o.Shop.orders) == 0 {
		return
	}
	for i, t := range s.toks {
		if s.taken[i] || !isDigits(t.text) {
			continue
		}
		var f *OrderFormat
		for k := range s.o.Shop.orders {
			if s.o.Shop.orders[k].Digits == len(t.text) {
				f = &s.o.Shop.orders[k]
				break
			}
		}
		if f == nil || !s.standsAlone(t.start, t.end) {
			continue
		}
		conf, start := 0.5, t.start
		if t.start > 0 && s.text[t.start-1] == '#' {
			conf, start = 0.9, t.start-1
		}
		for j := i - 1; j >= max(i-4, 0) && !s.bounds[j+1]; j-- {
			if orderCues[s.toks[j].text] {
				conf = 0.9
				break
			}
		}
		if s.o.Expect == KindOrder {
			conf = max(conf, 0.9)
		}
		s.add(Value{Kind: KindOrder, Start: start, End: t.end, Value: f.Prefix + f.Sep + t.text, Confidence: conf})
	}
}

// standsAlone reports whether the digits at [start, end) are a number of
// their own, not part of "1.200", "3/4" or "a55".
func (s *scan) standsAlone(start, end int) bool {
	if start > 0 {
		c := s.text[start-1]
		if isWordByte(c) || (c == '.' || c == ',' || c == '/' || c == '-' || c == ':') && start > 1 && isWordByte(s.lo[start-2]) {
			return false // "1.200", "SPX-482001"
		}
	}
	if end < len(s.text) {
		c := s.text[end]
		if isWordByte(c) || (c == '.' || c == ',' || c == '/' || c == '-' || c == ':') && end+1 < len(s.text) && isDigitByte(s.text[end+1]) {
			return false
		}
	}
	return true
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// numericDates reads dates written with digits: "15/03/2025", "3/3".
func (s *scan) numericDates() {
	dp := dateParser{lang: s.o.Lang, now: s.o.Now, past: true}
	s.dateHits = dp.hitsOf(s.lo, s.toks, s.w, s.lex)
	slices.SortStableFunc(s.dateHits, func(a, b dateHit) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		if d := (b.end - b.start) - (a.end - a.start); d != 0 {
			return d
		}
		return a.start - b.start
	})
	for _, h := range s.dateHits {
		if h.rank <= rankDayMonth {
			s.addDate(h)
		}
	}
}

// wordDates reads the dates written in words: "a marzo", "last summer",
// "da tre giorni", "verso Pasqua".
func (s *scan) wordDates() {
	for _, h := range s.dateHits {
		if h.rank > rankDayMonth {
			s.addDate(h)
		}
	}
}

func (s *scan) addDate(h dateHit) {
	if h.length {
		s.add(Value{Kind: KindDuration, Start: h.start, End: h.end, Value: h.dur, Confidence: 0.9})
		return
	}
	if !h.valid || !saneYear(h.t.Year()) {
		s.add(Value{Start: h.start, End: h.end}) // no date, and no numbers either
		return
	}
	v := Value{Kind: KindDate, Start: h.start, End: h.end, Value: formatDate(h.t, h.p), Precision: h.p, Approx: h.approx, Confidence: 1}
	if h.since {
		v.Cue, v.Duration = CueSince, h.dur
	}
	today := dateParser{now: s.o.Now}.today()
	switch h.p {
	case PrecisionDay:
		v.Future = h.t.After(today)
	case PrecisionMonth:
		v.Future = h.t.After(time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, today.Location()))
	case PrecisionYear:
		v.Future = h.t.Year() > today.Year()
	}
	switch {
	case h.approx:
		v.Confidence = 0.7
	case h.rank == rankDayMonth, h.rank == rankWeekday:
		v.Confidence = 0.8
	}
	if h.rank == rankWords && s.fuzzyMonthIn(h.start, h.end) {
		v.Confidence = 0.8
	}
	s.add(v)
}

func (s *scan) fuzzyMonthIn(start, end int) bool {
	for _, t := range s.toks {
		if t.start >= start && t.end <= end {
			if _, ok := months[t.text]; !ok {
				if _, ok := fuzzyMonth(t.text); ok {
					return true
				}
			}
		}
	}
	return false
}

// formatDate writes a date at its precision: "2025-03-15", "2025-03", "2025".
func formatDate(t time.Time, p Precision) string {
	y, m, d := t.Date()
	if 1000 <= y && y <= 9999 {
		// time.Format's layouts, written out: Format is a third of
		// adding a date.
		b := make([]byte, 0, 10)
		b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
		if p == PrecisionYear {
			return string(b)
		}
		b = append(b, '-', byte('0'+int(m)/10), byte('0'+int(m)%10))
		if p == PrecisionMonth {
			return string(b)
		}
		return string(append(b, '-', byte('0'+d/10), byte('0'+d%10)))
	}
	switch p {
	case PrecisionMonth:
		return t.Format("2006-01")
	case PrecisionYear:
		return t.Format("2006")
	}
	return t.Format("2006-01-02")
}

// phones reads phone numbers anywhere in a sentence: "+44 7700 900123",
// "il mio numero è 333 1234567", "0039 02 1234567". A run of digits and
// separators too long to be one number loses its last groups until it is
// one: "333 1234567 2 volte".
func (s *scan) phones() {
	t := s.text
	isPhoneByte := func(c byte) bool {
		return isDigitByte(c) || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/'
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		plus := c == '+' || c == '(' && i+1 < len(t) && t[i+1] == '+'
		if !plus && !isDigitByte(c) || i > 0 && (isDigitByte(t[i-1]) || isLetterByte(t[i-1]) || t[i-1] == '+') {
			continue
		}
		if i > 1 && t[i-1] == '-' && isLetterByte(t[i-2]) {
			continue // "ORD-333123456" is a code
		}
		e := i + 1
		if c == '(' {
			e++
		}
		for e < len(t) && e-i < 26 && isPhoneByte(t[e]) {
			e++
		}
		for e > i && !isDigitByte(t[e-1]) {
			e--
		}
		for e > i {
			if e < len(t) && (isLetterByte(t[e]) || t[e] == '%' || isDigitByte(t[e]) || strings.HasPrefix(t[e:], "€")) {
				break
			}
			if !s.free(i, e) {
				break
			}
			if n, ok := phoneNumber(t[i:e]); ok {
				conf := 1.0
				if !plus && !strings.HasPrefix(t[i:], "00") {
					conf = 0.9
				}
				s.add(Value{Kind: KindPhone, Start: i, End: e, Value: n, Confidence: conf})
				i = e - 1
				break
			}
			// Drop the last group of digits and try again.
			k := strings.LastIndexAny(t[i:e], " -./()")
			if k <= 0 {
				break
			}
			e = i + k
			for e > i && !isDigitByte(t[e-1]) {
				e--
			}
		}
	}
}

// An amount is a number written with digits or words, maybe money.
type amount struct {
	v          float64
	cur        string
	start, end int // the span: the number, its multiplier, its currency
	words      bool
}

// amounts returns the numbers of the text that lie on free bytes, with
// their multipliers ("k", "mila") and the currency written next to them.
func (s *scan) amounts() []amount {
	if s.rawAmounts == nil {
		// Read once, with the currencies, when the money readers first
		// ask: e-mails, dates and phones have taken their digits by then.
		s.rawAmounts = s.readAmounts()
		for i, a := range s.rawAmounts {
			s.rawAmounts[i] = s.withCurrency(a)
		}
	}
	out := make([]amount, 0, len(s.rawAmounts))
	for _, a := range s.rawAmounts {
		if s.free(a.start, a.end) {
			out = append(out, a)
		}
	}
	return out
}

// readAmounts reads every number of the text once, in order.
func (s *scan) readAmounts() []amount {
	out := []amount{}
	lo := s.lo
	for i := 0; s.digits > 0 && i < len(lo); i++ {
		if !isDigitByte(lo[i]) || i > 0 && isDigitByte(lo[i-1]) {
			continue
		}
		// Digits with thousands or decimal separators: "800", "1.200,50", "1'200".
		e := i
		for e < len(lo) && isDigitByte(lo[e]) {
			e++
		}
		for e+1 < len(lo) && (lo[e] == '.' || lo[e] == ',' || lo[e] == '\'') && isDigitByte(lo[e+1]) {
			e++
			for e < len(lo) && isDigitByte(lo[e]) {
				e++
			}
		}
		start := i
		i = e - 1
		if !s.standsAloneLeft(start) {
			continue
		}
		v, ok := parseAmount(lo[start:e])
		if !ok {
			continue
		}
		if mul, n := multiplierAt(lo[e:]); n > 0 {
			v *= mul
			e += n
		} else if e < len(lo) && isWordByte(lo[e]) && !currencyAt(lo[e:]) {
			continue // "15th", "3x", "64gb", but "300€", "300eur"
		}
		out = append(out, amount{v: v, start: start, end: e})
	}
	for i := 0; i < len(s.toks); i++ {
		w := s.toks[i].text
		if isDigits(w) || !numberStartOf(w, s.lex[i]) {
			continue
		}
		n, end, ok := numberAt(s.toks, i)
		if !ok {
			continue
		}
		a := amount{v: float64(n), start: s.toks[i].start, end: s.toks[end-1].end, words: true}
		if mul, k := multiplierAt(lo[a.end:]); k > 0 {
			a.v *= mul
			a.end += k
		}
		out = append(out, a)
		i = end - 1
	}
	slices.SortFunc(out, func(a, b amount) int { return a.start - b.start })
	return out
}

// numberStart reports whether a number in words may start with w.
func numberStart(w string) bool {
	// No number word has these letters: most words are rejected at once.
	if len(w) > 40 {
		return false
	}
	for i := 0; i < len(w); i++ {
		switch w[i] {
		case 'b', 'f', 'g', 'j', 'k', 'p', 'x', 'y', 'h', 'w':
			// Few number words have these letters: look them up.
			_, ok := englishSmall[w]
			return ok || quantityStarts[w]
		}
	}
	if _, ok := englishSmall[w]; ok {
		return true
	}
	if quantityStarts[w] {
		return true
	}
	_, ok := italianNumber(w)
	return ok
}

// quantityStarts are the first words of quantityPhrases.
var quantityStarts = func() map[string]bool {
	m := map[string]bool{"a": true}
	for p := range quantityPhrases {
		m[strings.Fields(p)[0]] = true
	}
	return m
}()

func (s *scan) standsAloneLeft(start int) bool {
	if start == 0 {
		return true
	}
	c := s.lo[start-1]
	if c >= 0x80 {
		// A symbol before the number is fine: "€300", "£450".
		if strings.HasSuffix(s.lo[:start], "€") || strings.HasSuffix(s.lo[:start], "£") {
			return true
		}
	}
	return !isWordByte(c) && !(c == '-' && start > 1 && isWordByte(s.lo[start-2]) && !isDigitByte(s.lo[start-2]))
}

// currencyAt reports whether s starts with a currency: "€", "eur", "euro".
func currencyAt(s string) bool {
	for _, c := range currencyWords {
		if isWordByte(c.word[0]) {
			if _, ok := wordAt(s, c.word); ok {
				return true
			}
		} else if strings.HasPrefix(s, c.word) {
			return true
		}
	}
	return false
}

// withCurrency extends a over the currency written right before or after it.
func (s *scan) withCurrency(a amount) amount {
	after := s.lo[a.end:]
	trimmed := strings.TrimLeft(after, " ")
	for _, c := range currencyWords {
		n := 0
		if isWordByte(c.word[0]) {
			if k, ok := wordAt(trimmed, c.word); ok {
				n = k
			}
		} else if strings.HasPrefix(trimmed, c.word) {
			n = len(c.word)
		}
		if n > 0 && s.free(a.end, a.end+len(after)-len(trimmed)+n) {
			a.cur, a.end = c.code, a.end+len(after)-len(trimmed)+n
			return a
		}
	}
	before := strings.TrimRight(s.lo[:a.start], " ")
	for _, c := range currencyWords {
		if !strings.HasSuffix(before, c.word) {
			continue
		}
		i := len(before) - len(c.word)
		if isWordByte(c.word[0]) && i > 0 && isWordByte(before[i-1]) {
			continue // "treuro" is not "tr" + "euro"
		}
		if s.free(i, a.start) {
			a.cur, a.start = c.code, i
			return a
		}
	}
	return a
}

// moneyWithCurrency reads amounts with a currency: "300 euro", "€1.200",
// "mille euro", and ranges "tra 500 e 800 euro", read as their top.
func (s *scan) moneyWithCurrency() {
	as := s.amounts()
	for i := 0; i < len(as); i++ {
		a := as[i]
		if a.cur == "" {
			// A range shares its currency: "tra 500 e 800 euro", "500-800€".
			if i+1 < len(as) && as[i+1].start >= a.end && as[i+1].cur != "" && rangeBetween(s.lo[a.end:as[i+1].start]) && !a.words == !as[i+1].words {
				b := as[i+1]
				v := math.Max(a.v, b.v)
				if a.words && strings.TrimSpace(s.lo[a.end:b.start]) == "e" && a.v >= 1000 && math.Mod(a.v, 1000) == 0 && b.v < 1000 {
					v = a.v + b.v // "mille e cinquecento euro" is one amount, not a range
				}
				s.addMoney(s.rangeStart(a.start), b.end, v, b.cur, 1, false)
				i++
			}
			continue
		}
		// The currency before the first number: "€500-800".
		if i+1 < len(as) && as[i+1].start >= a.end && as[i+1].cur == "" && !isDigitByte(s.lo[a.start]) && !a.words && !as[i+1].words && rangeBetween(s.lo[a.end:as[i+1].start]) {
			// "€500-800"
			b := as[i+1]
			s.addMoney(a.start, b.end, math.Max(a.v, b.v), a.cur, 1, false)
			i++
			continue
		}
		s.addMoney(a.start, a.end, a.v, a.cur, 1, false)
	}
}

// rangeStart includes "tra", "between", "da", "from" before a range.
func (s *scan) rangeStart(start int) int {
	i := s.tokIndex(start)
	if i > 1 && isOneOf(s.toks[i-1].text, "i", "gli") && isOneOf(s.toks[i-2].text, "tra", "fra") && !s.taken[i-2] {
		return s.toks[i-2].start // "tra i 300 e i 400 euro"
	}
	if i > 0 && isOneOf(s.toks[i-1].text, "tra", "fra", "between", "from", "da", "dai", "dagli") && !s.taken[i-1] {
		return s.toks[i-1].start
	}
	return start
}

func (s *scan) addMoney(start, end int, v float64, cur string, conf float64, approx bool) {
	if v <= 0 || v > 1e12 {
		return
	}
	each := false
	if i := s.tokIndex(end); i < len(s.toks) && !s.bounds[i] {
		switch {
		case hasSeqAt(s.words(), i, "a", "pezzo"), hasSeqAt(s.words(), i, "al", "pezzo"), hasSeqAt(s.words(), i, "l", "uno"), hasSeqAt(s.words(), i, "l", "una"),
			hasSeqAt(s.words(), i, "a", "testa"), hasSeqAt(s.words(), i, "per", "unit"), hasSeqAt(s.words(), i, "per", "piece"),
			hasSeqAt(s.words(), i, "a", "piece"), hasSeqAt(s.words(), i, "per", "pezzo"), hasSeqAt(s.words(), i, "a", "unit"):
			each, end = true, s.toks[i+1].end
		case isOneOf(s.toks[i].text, "each", "ciascuno", "ciascuna", "cadauno", "cad", "apiece", "cadauna"):
			each, end = true, s.toks[i].end
		}
	}
	if cur == "" {
		cur = s.o.Currency
	}
	if i := s.tokIndex(start); i > 0 && !s.bounds[i] && moneyRough[s.toks[i-1].text] {
		approx = true
	}
	s.add(Value{Kind: KindMoney, Start: start, End: end, Value: formatAmount(v) + " " + cur, Confidence: conf, Approx: approx, Each: each})
}

// moneyRough are the words that make an amount rough: "about 300".
var moneyRough = map[string]bool{
	"circa": true, "about": true, "around": true, "roughly": true, "approx": true, "approximately": true,
	"sui": true, "sugli": true, "intorno": true, "attorno": true, "verso": true,
}

// budgetCues make the number after them money, with no currency written:
// "budget 800", "about 300", "max mille", "spendere 500".
var budgetCues = map[string]bool{
	"budget": true, "max": true, "massimo": true, "massima": true, "maximum": true, "fino": true,
	"up": true, "under": true, "below": true, "sotto": true, "spendere": true, "spendo": true,
	"spend": true, "spending": true, "costa": true, "costano": true, "cost": true, "costs": true,
	"price": true, "prezzo": true, "pagato": true, "paid": true, "pay": true, "pagare": true,
	"circa": true, "about": true, "around": true, "sui": true, "sugli": true, "intorno": true,
	"attorno": true, "entro": true, "spesa": true, "roughly": true, "approx": true,
	"approximately": true, "meno": true, "less": true,
}

// boundCues make money of an amount that is not small: "non più di
// 600", "no more than 800", "I can stretch to 1200", "posso arrivare a
// 1000" (but "più di 3" may count things).
var boundCues = map[string]bool{"piu": true, "more": true, "than": true, "oltre": true, "over": true,
	"stretch": true, "arrivare": true, "salire": true}

// minPrice is the least amount that words of a bound or a unit price
// make money without a currency.
const minPrice = 20

// perUnitAt reports whether the words from token i say "each": "a
// testa", "a pezzo", "l'uno", "each", "ciascuno".
func (s *scan) perUnitAt(i int) bool {
	if i >= len(s.toks) || s.bounds[i] {
		return false
	}
	w := s.words()
	return hasSeqAt(w, i, "a", "pezzo") || hasSeqAt(w, i, "al", "pezzo") || hasSeqAt(w, i, "l", "uno") || hasSeqAt(w, i, "l", "una") || hasSeqAt(w, i, "a", "testa") ||
		hasSeqAt(w, i, "per", "unit") || hasSeqAt(w, i, "per", "piece") || hasSeqAt(w, i, "a", "piece") || hasSeqAt(w, i, "per", "pezzo") ||
		hasSeqAt(w, i, "a", "unit") || isOneOf(s.toks[i].text, "each", "ciascuno", "ciascuna", "cadauno", "cad", "apiece", "cadauna")
}

// moneyByCue reads numbers that a budget word before them makes money:
// "budget 800 a pezzo", "about 300", "max mille". A number that counts
// something ("about 3 laptops", "circa 10 pezzi") is no money.
func (s *scan) moneyByCue() {
	for _, a := range s.amounts() {
		i := s.tokIndex(a.start)
		if i >= len(s.toks) || s.taken[i] {
			continue
		}
		cue, rough := "", false
		for j := i - 1; j >= max(i-3, 0) && !s.bounds[j+1]; j-- {
			w := s.toks[j].text
			if budgetCues[w] || boundCues[w] && a.v >= minPrice {
				cue, rough = w, moneyRough[w]
				break
			}
		}
		e := s.tokIndex(a.end - 1)
		// "600 a testa", "700 l'uno": a price per unit, whatever comes before.
		if cue == "" && a.v >= minPrice && s.perUnitAt(e+1) {
			cue = "each"
		}
		if cue == "" && (s.o.Expect != KindMoney || a.v < minPrice && a.cur == "") {
			continue // asked for a budget, "4" is no budget ("make that 4" counts)
		}
		// "700 l uno" is "700 l'uno" with the apostrophe left out, no litres.
		if next := s.tok(e + 1); s.countsSomething(e+1) || isMeasure(next) && !s.elidedTok(e+1) && !s.perUnitAt(e+1) || unitAfter(next) || a.v < 1 && cue == "" {
			continue // "3 installments", "about 3 laptops", "10 pezzi"
		}
		conf := 0.8
		if cue == "" {
			conf = 0.7
		}
		if a.words && a.v < 10 && cue == "" {
			continue
		}
		s.addMoney(a.start, a.end, a.v, a.cur, conf, rough)
	}
}

// countUnits follow numbers that count things.
var countUnits = map[string]bool{
	"pezzi": true, "pezzo": true, "unita": true, "units": true, "unit": true, "pcs": true, "pz": true,
	"copie": true, "copies": true, "pieces": true, "piece": true, "confezioni": true, "packs": true,
	"licenze": true, "licenses": true, "postazioni": true, "items": true, "articoli": true,
	"persone": true, "people": true, "dipendenti": true, "employees": true,
}

// thingEndsAt reports whether a product, a category or a brand found
// ends on token i.
func (s *scan) thingEndsAt(i int) bool {
	return slices.ContainsFunc(s.vals, func(v Value) bool {
		return v.End == s.toks[i].end && (v.Kind == KindProduct || v.Kind == KindCategory || v.Kind == KindBrand)
	})
}

// countsSomething reports whether the words from token i say what a number
// counts: a unit ("pezzi"), a category or product found, "of them", a
// measure ("64 gb", "2 anni").
func (s *scan) countsSomething(i int) bool {
	if i >= len(s.toks) || s.bounds[i] {
		return false
	}
	w := s.toks[i].text
	if countUnits[w] || hasSeqAt(s.words(), i, "of", "them") || hasSeqAt(s.words(), i, "di", "questi") {
		return true
	}
	// "two of the macbook air", "due dei pixel 8", "one of your air
	// fryers", "uno dei vostri portatili".
	next := -1
	switch {
	case hasSeqAt(s.words(), i, "of", "the"), hasSeqAt(s.words(), i, "of", "those"), hasSeqAt(s.words(), i, "of", "your"):
		next = i + 2
	case isOneOf(w, "dei", "degli", "delle"):
		next = i + 1
		if next < len(s.toks) && isOneOf(s.toks[next].text, "vostri", "vostre", "tuoi", "tue") {
			next++
		}
	}
	if next > 0 && next < len(s.toks) {
		if k := s.kindAt[next]; k == KindCategory || k == KindProduct || k == KindBrand {
			return true
		}
	}
	for j := i; j <= i+1 && j < len(s.toks); j++ {
		if k := s.kindAt[j]; k == KindCategory || k == KindProduct || k == KindBrand {
			return true
		}
		if j == i+1 || !s.taken[j] && !isAdjective(s.toks[j].text) {
			break
		}
	}
	return false
}

// countsThing reports whether token i starts what a number may count: a
// product, a category or a brand read, or a unit ("pezzi"), after an
// article or an adjective or two ("4 x le friggitrici", "4 x the new
// airfryers").
func (s *scan) countsThing(i int) bool {
	for j := i; j < len(s.toks) && j <= i+2 && (j == i || !s.bounds[j]); j++ {
		k := s.kindAt[j]
		if k == KindProduct || k == KindCategory || k == KindBrand || countUnits[s.toks[j].text] {
			return true
		}
		if s.taken[j] || !isArticle(s.toks[j].text) && !isAdjective(s.toks[j].text) {
			return false
		}
	}
	return false
}

// isArticle reports an article that may stand before what a number
// counts: "4 x le friggitrici", "4 x the airfryers".
func isArticle(w string) bool {
	return isOneOf(w, "il", "lo", "la", "l", "i", "gli", "le", "the", "dei", "degli", "delle")
}

// isAdjective reports a word that may stand between a number and what it
// counts: "2 nuovi portatili", "3 new phones".
func isAdjective(w string) bool {
	switch w {
	case "nuovi", "nuove", "nuovo", "nuova", "new", "used", "usati", "usate", "altri", "altre", "more", "other",
		"buoni", "good", "piccoli", "small", "grandi", "big", "large", "identici", "uguali", "same",
		// The singulars, after an article: "un altro portatile", "una bella tv".
		"altro", "altra", "buon", "buono", "buona", "bel", "bello", "bella", "piccolo", "piccola", "grande", "cheap", "decent", "nice":
		return true
	}
	return false
}

// approxQuantities are the words that count roughly: "una decina".
var approxQuantities = map[string]int{
	"decina": 10, "dozzina": 12, "quindicina": 15, "ventina": 20, "trentina": 30, "quarantina": 40,
	"cinquantina": 50, "centinaio": 100, "migliaio": 1000, "dozen": 12, "dozens": 24,
}

// numbers reads the numbers left: quantities when they count something
// ("2 portatili", "una decina", "three of them", "ne vorrei 3"), bare
// numbers otherwise. Articles ("un", "a") count only where a quantity was
// asked for.
func (s *scan) numbers() {
	as := s.amounts()
	for k := 0; k < len(as); k++ {
		a := as[k]
		i := s.tokIndex(a.start)
		if i >= len(s.toks) || s.taken[i] || a.v != math.Trunc(a.v) || a.v > math.MaxInt32 || a.v < 0 {
			continue
		}
		e := s.tokIndex(a.end-1) + 1
		start, v, approx := a.start, a.v, false
		// "2 o 3 portatili", "tre o quattro": a range, read as its top.
		if k+1 < len(as) && as[k+1].start >= a.end {
			b := as[k+1]
			gap := s.lo[a.end:b.start]
			if g := strings.TrimSpace(gap); (g == "o" || g == "or" || g == "-" || g == "/" || g == "e" && i > 0 && isOneOf(s.toks[i-1].text, "tra", "fra", "between") || g == "and" && i > 0 && s.toks[i-1].text == "between") && b.v == math.Trunc(b.v) && b.v > a.v && s.free(b.start, b.end) {
				v, approx = b.v, true
				a.end = b.end
				e = s.tokIndex(b.end-1) + 1
				k++
			}
		}
		if e < len(s.toks) && !s.bounds[e] && isMeasure(s.toks[e].text) {
			s.add(Value{Start: a.start, End: s.toks[e].end}) // "64 GB", "55 pollici": neither a quantity nor money
			continue
		}
		if !a.words && i >= 2 && s.toks[i-1].text == "da" && !s.bounds[i] && !s.bounds[i-1] && s.thingEndsAt(i-2) {
			s.add(Value{Start: s.toks[i-1].start, End: a.end}) // "il macbook air da 13", "una tv da 55": a size
			continue
		}
		word := a.words
		// "uno dei vostri portatili", "one of the laptops": one of them,
		// no article.
		article := word && v == 1 && e-i == 1 && isOneOf(s.toks[i].text, "un", "una", "uno", "a", "an", "one") &&
			!(e < len(s.toks) && !s.bounds[e] && isOneOf(s.toks[e].text, "dei", "degli", "delle", "of"))
		approxWord := false
		if word && e-i >= 1 {
			if _, ok := approxQuantities[s.toks[e-1].text]; ok {
				approx, approxWord = true, true
			}
		}
		// "ne vorrei 3", "ne prendo due", "ne vorremmo prendere 5": "ne" up
		// to two verbs before the number.
		ne := i > 0 && !s.bounds[i] && (s.toks[i-1].text == "ne" || encliticNe(s.toks[i-1].text) || i > 1 && s.toks[i-2].text == "ne" && !s.bounds[i-1] ||
			i > 2 && s.toks[i-3].text == "ne" && !s.bounds[i-1] && !s.bounds[i-2] && !s.taken[i-1] && !s.taken[i-2])
		// "just one", "solo due", "una sola": a count, whatever was asked.
		// So is a number alone between commas: "una friggitrice philips, una, per casa".
		only := i > 0 && !s.bounds[i] && isOneOf(s.toks[i-1].text, "just", "only", "solo", "soltanto", "solamente") ||
			e < len(s.toks) && !s.bounds[e] && isOneOf(s.toks[e].text, "solo", "sola", "soltanto") ||
			(i == 0 || s.bounds[i]) && (e >= len(s.toks) || s.bounds[e]) && len(s.toks) > e-i ||
			s.saysOnlyCount(i, e) || s.opensAnswers(i, e)
		// "need two for my kids", "ne prendo due per l'ufficio": a verb of
		// wanting before the number, and nothing after it or a word that
		// says who or what for, count.
		wanted := i > 0 && !s.bounds[i] && isOneOf(s.toks[i-1].text, "need", "want", "like", "take", "buy", "get", "order",
			"prendo", "compro", "voglio", "vorrei", "servono", "prenderei", "comprerei", "ordino") &&
			(e >= len(s.toks) || s.bounds[e] || isOneOf(s.toks[e].text, "for", "per", "please", "pls", "thanks", "grazie", "if", "se"))
		counts := s.countsSomething(e) || ne || approxWord || wanted
		switch {
		case article && (s.toks[i].text != "uno" || counts || e < len(s.toks) && !s.bounds[e] && takesUno(s.toks[e].text)) && s.toks[i].text != "one" && !ne && !only && !(s.o.Expect == KindQuantity && len(s.toks) <= 3):
			continue // "un portatile", "uno smartphone" name a thing; "uno" alone, ", una,", may answer "how many?"
		case a.words && !counts && !only && s.o.Expect != KindQuantity && len(s.toks) > e-i:
			continue // "sei" is also "you are", "due" a deadline
		}
		val := Value{Kind: KindNumber, Start: start, End: a.end, Value: strconv.Itoa(int(v)), Confidence: 0.5, Approx: approx}
		switch {
		case counts || only:
			val.Kind, val.Confidence = KindQuantity, 0.9
		case s.o.Expect == KindQuantity:
			val.Kind, val.Confidence = KindQuantity, 0.8
		}
		if approx && !approxWord {
			val.Confidence -= 0.1
		}
		s.add(val)
	}
}

// namedAsOne marks each product, category or brand that an indefinite
// article names, right after it or after an adjective ("una tv", "an air
// fryer", "un nuovo portatile"): one of it, a count the caller may take
// where nothing else counts the thing (Value.One). It runs after the
// numbers: an article read as a count ("uno solo") is no article. The
// Italian "a" is "to" ("passare a samsung"), no article.
func (s *scan) namedAsOne() {
	for i, t := range s.toks {
		if s.taken[i] || !isOneOf(t.text, "un", "una", "uno", "a", "an") || t.text == "a" && s.o.Lang == "it" {
			continue
		}
		// An adjective or a size may stand between: "a new laptop", "a 15
		// inch laptop".
		for j, words := i+1, 0; j < len(s.toks) && !s.bounds[j] && words < 3; j++ {
			if k := s.kindAt[j]; k == KindCategory || k == KindProduct || k == KindBrand {
				if v := s.valueAt(j, k); v != nil {
					v.One = s.text[t.start:v.End]
				}
				break
			}
			if s.taken[j] && !s.sizeAt(j) || !s.taken[j] && !isAdjective(s.toks[j].text) {
				break
			}
			words++
		}
	}
}

// sizeAt reports whether token j is part of a size ("15 inch", "55
// pollici"): a span read as no value.
func (s *scan) sizeAt(j int) bool {
	for _, v := range s.vals {
		if v.Kind == "" && v.Start <= s.toks[j].start && s.toks[j].end <= v.End {
			return true
		}
	}
	return false
}

// valueAt returns the value of kind k that starts at token j, or nil.
func (s *scan) valueAt(j int, k Kind) *Value {
	for n := range s.vals {
		if v := &s.vals[n]; v.Kind == k && s.tokIndex(v.Start) == j {
			return v
		}
	}
	return nil
}

// takesUno reports whether w is an Italian word the article "uno" goes
// before (s and a consonant, z, gn, ps, pn, x, y): "uno smartphone", "uno
// zaino", where "uno" is an article, not a count; "uno solo" counts.
func takesUno(w string) bool {
	if len(w) < 2 {
		return false
	}
	switch {
	case w[0] == 's':
		return !strings.ContainsRune("aeiouh", rune(w[1])) && w[1] >= 'a' && w[1] <= 'z'
	case w[0] == 'z', w[0] == 'x', w[0] == 'y':
		return true
	}
	return strings.HasPrefix(w, "gn") || strings.HasPrefix(w, "ps") || strings.HasPrefix(w, "pn")
}

// times reads counts written as multiplications: "iphone 15 x2", "2x
// pixel 8" (before the models are read: "x2" is no model). Called again
// with spaced after the catalogue was read, it reads "3 x thinkpad",
// where the "x" stands between a number and the thing it counts: before
// any other word the "x" is the chat spelling of "per" ("un portatile
// da 15 x lavoro", "2 x mia figlia"), and counts nothing.
func (s *scan) times(spaced bool) {
	for i, t := range s.toks {
		if s.taken[i] {
			continue
		}
		n, ok := 0, false
		switch w := t.text; {
		case spaced:
			if len(w) <= 3 && isDigits(w) && i+1 < len(s.toks) && s.toks[i+1].text == "x" && !s.bounds[i+1] && i+2 < len(s.toks) && !s.bounds[i+2] &&
				!s.taken[i+1] && s.countsThing(i+2) {
				n, ok = atoi(w), true
				s.taken[i+1] = true // the "x"
			}
		case len(w) >= 2 && len(w) <= 3 && w[0] == 'x' && isDigits(w[1:]) && (i+1 == len(s.toks) || s.bounds[i+1]):
			// "x2" at the end of a clause; not a model ("thinkpad x1",
			// "bravia x75"): from 2 to 20 only.
			if n = atoi(w[1:]); n >= 2 && n <= 20 {
				ok = true
			}
		case len(w) >= 2 && len(w) <= 3 && w[len(w)-1] == 'x' && isDigits(w[:len(w)-1]):
			n, ok = atoi(w[:len(w)-1]), true
		}
		if !ok || n < 1 || n > 999 {
			continue
		}
		s.addToks(i, i+1, Value{Kind: KindQuantity, Value: strconv.Itoa(n), Confidence: 0.9})
	}
}

// encliticNe tells an infinitive with "ne" attached: "comprarne due",
// "prenderne tre", "ordinarne 5"; not an adjective or a noun of the same
// ending ("porte esterne 2").
func encliticNe(w string) bool {
	return len(w) >= 6 && !notInfinitiveNe[w] && (strings.HasSuffix(w, "arne") || strings.HasSuffix(w, "erne") || strings.HasSuffix(w, "irne"))
}

var notInfinitiveNe = map[string]bool{
	"carne": true, "scarne": true, "esterne": true, "interne": true, "moderne": true, "eterne": true, "materne": true,
	"paterne": true, "fraterne": true, "alterne": true, "superne": true, "lanterne": true, "taverne": true,
	"cisterne": true, "caserne": true, "caverne": true, "lucerne": true,
}

// measures follow numbers that are sizes, not counts: "64 gb", "55 pollici".
var measures = map[string]bool{
	"gb": true, "tb": true, "mb": true, "kb": true, "kg": true, "g": true, "gr": true, "cm": true, "mm": true,
	"m": true, "pollici": true, "inch": true, "inches": true, "w": true, "watt": true, "v": true, "volt": true,
	"ore": true, "hours": true, "hour": true, "ora": true, "minuti": true, "minutes": true, "minuto": true,
	"secondi": true, "seconds": true, "mah": true, "hz": true, "ghz": true, "mhz": true, "mp": true,
	"megapixel": true, "litri": true, "liters": true, "litres": true, "l": true, "ml": true, "gradi": true,
	"degrees": true, "rate": true, "installments": true, "instalments": true, "percento": true, "percent": true,
	"bar": true, "rpm": true, "giri": true, "fps": true, "k": true,
}

func isMeasure(w string) bool { return measures[w] }

// elidedTok reports whether token i is an elided article ("l'uno",
// "l'ordine"), not a unit such as the litre.
func (s *scan) elidedTok(i int) bool { return i < len(s.toks) && s.elided(i) }
