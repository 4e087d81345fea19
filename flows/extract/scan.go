package extract

import (
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

// A Kind is what a value found in a message is.
type Kind string

// The kinds of values Scan finds.
const (
	KindProduct  Kind = "product"  // a product of the catalogue: Value is its ID
	KindCategory Kind = "category" // a category: Value is its ID, or a built-in product type with NotSold
	KindBrand    Kind = "brand"    // a brand, with the model named after it: Value is the brand, lower case
	KindChoice   Kind = "choice"   // an option of a choice catalogue: Slot names the catalogue
	KindBuyer    Kind = "buyer"    // who buys: Value is "consumer" or "business"
	KindDate     Kind = "date"     // a day, month or year: Value is "2025-03-15", "2025-03" or "2025"
	KindDuration Kind = "duration" // a length of time tied to no date ("dopo 3 giorni"): Value is ISO 8601, "P3D"
	KindMoney    Kind = "money"    // an amount: Value is "300 EUR"
	KindQuantity Kind = "quantity" // how many: Value is "2"
	KindNumber   Kind = "number"   // a number that says nothing more about itself: Value is "42"
	KindOrder    Kind = "order"    // an order number: Value is canonical, "SP-482001"
	KindEmail    Kind = "email"    // Value is lower case
	KindPhone    Kind = "phone"    // Value is E.164, "+393331234567"
	KindURL      Kind = "url"      // a web address, read so that its words mean nothing else
	KindDefect   Kind = "defect"   // the clause that describes a malfunction: Value is a symptom code, "no_power"
	KindDamage   Kind = "damage"   // accidental damage: Value is "drop", "liquid", "crack", "impact", "surge" or "other"
)

// A Cue is what a date is the date of, as the words around it say.
type Cue string

// The cues of a date.
const (
	CueNone     Cue = ""         // nothing says
	CuePurchase Cue = "purchase" // comprato, preso, ordinato, regalato, bought, got it, ordered; "ce l'ho da due anni"
	CueDelivery Cue = "delivery" // arrivato, consegnato, ricevuto, delivered, arrived, received
	CueSince    Cue = "since"    // da, dal, since, for: how long something (a problem) has lasted
	// CueDeadline: entro, by, non oltre, no later than: when something is
	// wanted, read forward ("entro venerdì" is the next Friday); no
	// purchase, delivery or defect is dated so.
	CueDeadline Cue = "deadline"
	// CueRepair: riparato, sistemato, aggiustato, repaired, fixed: when
	// the product was repaired, no purchase or delivery.
	CueRepair Cue = "repair"
)

// A Value is one typed value found in a message. The fields after
// Confidence matter for some kinds only, as their comments say.
type Value struct {
	Kind       Kind
	Start, End int    // byte offsets in the text given to Scan
	Text       string // text[Start:End], as the customer wrote it
	Value      string // canonical, as Kind says
	Confidence float64

	// Slot is the choice catalogue a KindChoice value comes from.
	Slot string
	// Others are the other options that the span names as well as Value
	// (product, category, choice), best first, for a "did you mean"; for a
	// brand, the shop's products it may mean ("iphone 13": iphone-15;
	// "un samsung": each Samsung product).
	Others []string
	// NotSold marks a brand, model or kind of product that the shop does
	// not sell: a brand outside the catalogue ("un huawei p30"), a brand
	// the shop sells but not in this category ("my Philips TV"), a model
	// of a sold brand missing from the catalogue ("iphone 13"), or a
	// built-in product type the catalogue has no category for ("un tablet").
	NotSold bool
	// Model is the model named with a brand, normalised: "p30", "galaxy s23".
	Model string
	// Category is the category named next to a brand, when the message
	// names one: a catalogue category ID or a built-in product type.
	Category string

	Precision Precision // date: how much of the date was given
	Cue       Cue       // date: what the date is the date of
	Future    bool      // date: after today (explain it to the customer rather than drop it)
	// Approx marks a value given roughly: a date "verso Pasqua", "last
	// summer"; money "about 300"; a quantity "una decina".
	Approx bool
	// Duration is the length of time of a date with CueSince ("da tre
	// giorni": "P3D") and of a KindDuration, in ISO 8601.
	Duration string
	// Each marks money that is a price per unit: "800 a pezzo", "800 each".
	Each bool
	// One is, for a product, category or brand, the words that name it as
	// one thing with an indefinite article, from the article to the thing's
	// end ("una tv", "an air fryer", "un nuovo portatile"): a count of one
	// that no number states. Empty for a thing named otherwise ("dei
	// portatili", "the laptop", "2 laptops").
	One string
	// Negated marks damage the customer denies: "non è caduto", "I never
	// dropped it".
	Negated bool
}

// Options are what Scan needs besides the text.
type Options struct {
	Lang string    // "it", "en" or "" for both; settles the ambiguous forms of dates
	Now  time.Time // dates without a year are the last before Now; zero for the current time
	// Currency is written into money without a currency ("about 300"); "EUR" if empty.
	Currency string
	// Expect is what the bot has just asked for, if anything: a bare
	// number then reads as it ("2" as a quantity, "800" as money, "482001"
	// as an order number), and a choice's synonyms are sure (KindChoice).
	Expect Kind
	// Shop holds the shop's catalogue; nil reads only what needs none
	// (dates, money, quantities, contacts, defects, damage, buyer cues).
	Shop *Shop
}

// Scan reads text once and returns every typed value in it, in the order
// they appear. Each span of the text has at most one meaning: where two
// readings overlap, the more specific wins (an e-mail or a phone over a
// number, a date over a number, money over a quantity, a product's model
// over a quantity, a duration "da tre giorni" over a purchase date). The
// caller decides which value fills which slot. Scan is safe for concurrent
// use.
func Scan(text string, o Options) []Value {
	return ScanText(Read(text), o)
}

// A Text is a message split into its words once: Scan reads it
// (ScanText), and its words are the caller's too (Words), so that one
// reading of a message serves both. It is not changed by either, and is
// safe for concurrent use.
type Text struct {
	text string
	lo   string // text with ASCII letters lower-cased: same byte offsets
	toks []token
	w    []string  // the tokens' texts
	lex  []*lexeme // the tokens' lexemes
	// memo is what Scan read of each word, shared with the Text's slices
	// (Slice, when shared), in which this Text's first word is word from.
	memo   atomic.Pointer[textMemo]
	shared bool
	from   int
}

// String returns the text as given to Read.
func (t *Text) String() string { return t.text }

// Read splits text into its words.
func Read(text string) *Text {
	lo := lowerASCII(text)
	t := &Text{text: text, lo: lo, toks: tokenizeLower(text, lo)}
	t.w = make([]string, len(t.toks))
	for i, tk := range t.toks {
		t.w[i] = tk.text
	}
	t.lex = lexemes(t.w)
	return t
}

// Words returns the words of the text as Words(text) does, in a slice of
// the caller's own.
func (t *Text) Words() []string {
	for _, w := range t.w {
		for i := 0; i < len(w); i++ {
			if c := w[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
				return Words(t.text)
			}
		}
	}
	// Normalize writes the tokens, between single spaces: its words when
	// they are ASCII letters and digits.
	return slices.Clone(t.w)
}

// Words returns the words of Normalize(text): split at its spaces and at
// every other rune that is neither a letter nor a digit.
func Words(text string) []string {
	if w, ok := asciiWords(text); ok {
		return w
	}
	starts := make([]int, 0, len(text)/4+1)
	n := normalize(text, &starts)
	for i := 0; i < len(n); i++ {
		if n[i] >= utf8.RuneSelf {
			return strings.FieldsFunc(n, func(r rune) bool {
				return !unicode.IsLetter(r) && !unicode.IsDigit(r)
			})
		}
	}
	// Normalize writes ASCII letters and digits between single spaces:
	// its words are where it started them.
	out := make([]string, len(starts))
	for k, s := range starts {
		e := len(n)
		if k+1 < len(starts) {
			e = starts[k+1] - 1
		}
		out[k] = n[s:e]
	}
	return out
}

// asciiWords is Words of an ASCII text, and false for any other: the runs
// of its letters and digits, lower-cased, as Normalize writes them, read
// without writing the normalised text (the dialogue splits parts of a
// message several times).
func asciiWords(text string) ([]string, bool) {
	lo, lowered := text, false // lo: text, lower-cased once a capital shows
	// A word and the space after it are rarely under four bytes: the
	// slice is made once (growing it was a tenth of the bytes read).
	out := make([]string, 0, len(text)/4+1)
	start := -1
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case 'A' <= c && c <= 'Z':
			if !lowered {
				lo, lowered = lowerASCII(text), true
			}
		case c >= utf8.RuneSelf:
			return nil, false
		default:
			if start >= 0 {
				out = append(out, lo[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, lo[start:])
	}
	return out, true
}

// ScanText is Scan of a text Read once.
func ScanText(t *Text, o Options) []Value {
	if o.Currency == "" {
		o.Currency = "EUR"
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	s := newScan(t, o)
	s.run()
	return s.out()
}

// A scan is one message being read.
type scan struct {
	src  *Text // the text read
	text string
	lo   string // text with ASCII letters lower-cased: same byte offsets
	o    Options
	toks []token
	w    []string // the tokens' texts
	// lex are the tokens' lexemes: those of the Text, but where a model's
	// plural was read as the model.
	lex []*lexeme
	// digits counts the text's digits: most messages have none, and need
	// no reader of numbers, dates in digits or phones.
	digits int
	// fixed are the tokens spelled as the phrase lists spell them, where a
	// customer's typo was one letter away ("acende" for "accende"), and
	// fixedLex their lexemes.
	fixed    []string
	fixedLex []*lexeme
	// clauseBits sums up the words of each token's clause (wordBit).
	clauseBits []uint64
	taken      []bool // tokens already part of a value
	vals       []Value
	used       []bool // bytes taken, including those of spans that yield no value
	kindAt     []Kind // the kind of the value that starts at each token
	bounds     []bool // bounds[i]: a clause ends between token i-1 and token i
	scratch    scratch
	// allSpans are the tokens and pairs of tokens as the catalogues match them.
	allSpans []span
	// everySpan are allSpans with the spans no catalogue has, for a
	// catalogue without a bit (see scanSpans).
	everySpan []span
	// rawAmounts are the numbers of the text, read once.
	rawAmounts []amount
	// dateHits are the dates of the text, read once for both date stages.
	dateHits []dateHit
	// brandOnly are the indexes in vals of products named by their brand
	// alone ("sony"), to check against the category named with them.
	brandOnly []int
}

func newScan(t *Text, o Options) *scan {
	text := t.text
	s := &scan{src: t, text: text, lo: t.lo, o: o, toks: t.toks, w: t.w, lex: t.lex}
	// Scan reads a model's plural as the model ("due s23s"); the Text's
	// words stay as written, so the first change copies them.
	shared := true
	for i := range s.toks {
		p := modelPlural(s.toks[i].text)
		if p == s.toks[i].text {
			continue
		}
		if shared {
			s.toks, s.w, s.lex, shared = slices.Clone(s.toks), slices.Clone(s.w), slices.Clone(s.lex), false
		}
		s.toks[i].text, s.w[i], s.lex[i] = p, p, lexemeOf(p)
	}
	for i := 0; i < len(text); i++ {
		if isDigitByte(text[i]) {
			s.digits++
		}
	}
	// One allocation for the flags.
	n := len(s.toks)
	flags := make([]bool, 2*n+1+len(text))
	s.taken, s.bounds, s.used = flags[:n:n], flags[n:2*n+1:2*n+1], flags[2*n+1:]
	s.kindAt = make([]Kind, n)
	s.vals = make([]Value, 0, 8)
	for i := 1; i < len(s.toks); i++ {
		gap := text[s.toks[i-1].end:s.toks[i].start]
		// "me, personally": the comma sets the adverb off the word it
		// qualifies, it ends no clause.
		if endsClause(gap) && !isDecimalGap(s.toks[i-1], s.toks[i], gap) && !isAbbreviation(s.toks[i-1], gap) &&
			!(strings.TrimSpace(gap) == "," && (s.toks[i].text == "personally" || s.toks[i].text == "personalmente")) {
			s.bounds[i] = true
		}
		switch s.toks[i].text {
		// Not "e": customers write "è" without its accent.
		case "ma", "pero", "poi", "and", "but", "then", "perche", "because":
			s.bounds[i] = true
		}
	}
	return s
}

// endsClause reports whether the text between two tokens ends a clause.
func endsClause(gap string) bool {
	for i := 0; i < len(gap); i++ {
		switch gap[i] {
		case '.', ';', '!', '?', ',', ':', '\n', '(', ')':
			return true
		}
	}
	return false
}

// isDecimalGap reports whether a gap between two tokens is the point or
// comma inside a number ("1.200", "5,90"), which ends no clause.
func isDecimalGap(a, b token, gap string) bool {
	return (gap == "." || gap == ",") && isDigits(a.text) && isDigits(b.text)
}

// isAbbreviation reports whether a token and the point after it are an
// abbreviation, which ends no clause: "order no. 482001", "tel. 333...".
func isAbbreviation(t token, gap string) bool {
	return strings.TrimSpace(gap) == "." && isOneOf(t.text, "no", "n", "nr", "num", "tel", "ord", "ref", "cod", "art", "sig", "dott", "ing", "mr", "mrs", "ms", "dr")
}

// run calls the readers from the most specific to the least: each one
// sees only what the ones before it left.
func (s *scan) run() {
	s.urlsAndEmails()
	if s.digits > 0 {
		s.prefixedOrders()
	}
	s.numericDates()
	if s.digits >= 6 { // the shortest phone number
		s.phones()
	}
	s.moneyWithCurrency()
	if s.digits > 0 {
		s.times(false)
	}
	s.phrases(damageDefectPhrases())
	s.reflexiveFaults()
	s.stoppedFaults()
	s.wordDates()
	if s.o.Shop != nil {
		s.products()
	}
	s.brands()
	if s.o.Shop != nil {
		s.productTypes(true)
		s.catalogue(s.o.Shop.categories, KindCategory, "")
	}
	s.productTypes(false)
	s.phrases(buyerPhrases())
	s.ownUse()
	if s.o.Shop != nil {
		for _, name := range s.o.Shop.choiceNames {
			s.catalogue(s.o.Shop.choices[name], KindChoice, name)
		}
	}
	s.homeDevice() // after every other word of who buys
	s.moneyByCue()
	s.bareOrders()
	if s.digits > 0 {
		s.times(true)
	}
	s.numbers()
	s.namedAsOne()
	s.extendClauses()
	s.perUnit()
	s.dateCues()
	s.restatedDates()
	if s.o.Shop != nil {
		s.recheckBrandOnly()
	}
	s.brandsSold()
}

// free reports whether bytes [start, end) are still unread.
func (s *scan) free(start, end int) bool {
	if start < 0 || end > len(s.text) {
		return false
	}
	for _, u := range s.used[start:end] {
		if u {
			return false
		}
	}
	return true
}

// freeToks reports whether tokens [i, j) are still unread.
func (s *scan) freeToks(i, j int) bool {
	if i < 0 || j > len(s.toks) || i >= j {
		return false
	}
	for k := i; k < j; k++ {
		if s.taken[k] {
			return false
		}
	}
	return true
}

// claim marks bytes [start, end) as read, and the tokens in them.
func (s *scan) claim(start, end int) {
	for i := start; i < end; i++ {
		s.used[i] = true
	}
	for i := s.tokIndex(start); i < len(s.toks) && s.toks[i].start < end; i++ {
		s.taken[i] = true
	}
}

// add records v, which must lie on free bytes, and claims its span. A
// value with no Kind claims its span and is not returned: an impossible
// date ("31/02/2025") is no date, and its digits are no numbers either.
func (s *scan) add(v Value) *Value {
	if v.Start < 0 || v.End > len(s.text) || v.Start >= v.End || !s.free(v.Start, v.End) {
		return nil
	}
	v.Text = s.text[v.Start:v.End]
	s.claim(v.Start, v.End)
	if i := s.tokIndex(v.Start); i < len(s.toks) {
		s.kindAt[i] = v.Kind
	}
	s.vals = append(s.vals, v)
	return &s.vals[len(s.vals)-1]
}

// addToks is add for tokens [i, j).
func (s *scan) addToks(i, j int, v Value) *Value {
	v.Start, v.End = s.toks[i].start, s.toks[j-1].end
	return s.add(v)
}

// out returns the values found, in the order of the text. The scan is done
// with: its memory is the caller's.
func (s *scan) out() []Value {
	out := slices.DeleteFunc(s.vals, func(v Value) bool { return v.Kind == "" })
	slices.SortFunc(out, func(a, b Value) int { return a.Start - b.Start })
	if len(out) == 0 {
		return nil
	}
	return out
}

// tok returns the text of token i, or "" outside the message.
func (s *scan) tok(i int) string {
	if i < 0 || i >= len(s.toks) {
		return ""
	}
	return s.toks[i].text
}

// tokIndex returns the index of the first token that ends after byte b.
func (s *scan) tokIndex(b int) int {
	i, _ := slices.BinarySearchFunc(s.toks, b, func(t token, b int) int {
		if t.end <= b {
			return -1
		}
		return 1
	})
	return i
}

// clauseStart returns the first token of the clause of token i.
func (s *scan) clauseStart(i int) int {
	for i > 0 && !s.bounds[i] {
		i--
	}
	return i
}

// clauseEnd returns the index after the last token of the clause of token i.
func (s *scan) clauseEnd(i int) int {
	i++
	for i < len(s.toks) && !s.bounds[i] {
		i++
	}
	return i
}

func formatAmount(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Start returns the byte offset in the text of word i of Words, or -1
// when the text's tokens are not its words one for one.
func (t *Text) Start(i int) int {
	if i < 0 || i >= len(t.toks) {
		return -1
	}
	return t.toks[i].start
}
