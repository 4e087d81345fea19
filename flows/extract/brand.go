package extract

import (
	"maps"
	"slices"
	"strings"
)

// builtinBrandNames are brands of consumer electronics and appliances that
// customers name, sold by the shop or not: a brand the shop does not sell
// deserves a polite "we don't sell it", not a third "which model?". Each
// line is a brand's ID, then its other spellings. Names that are also
// common words are left out ("vivo", "nothing", "sharp", "candy", "brother",
// "amazon", a shop customers buy from).
var builtinBrandNames = []string{
	"samsung", "apple", "google", "huawei", "xiaomi", "oppo", "oneplus|one plus", "motorola",
	"nokia", "sony", "lg", "philips|phillips", "panasonic", "tcl", "hisense", "toshiba", "grundig",
	"asus", "acer", "dell", "msi", "razer", "hp|hewlett packard", "lenovo", "microsoft", "honor",
	"realme", "fairphone", "bosch", "siemens", "whirlpool", "electrolux", "rowenta", "braun",
	"kenwood", "smeg", "delonghi|de longhi", "nespresso", "krups", "moulinex", "tefal", "imetec",
	"dyson", "irobot", "ariete", "polti", "beko", "haier", "miele", "gaggia", "jbl", "bose",
	"sennheiser", "garmin", "fitbit", "gopro", "canon", "nikon", "epson", "nintendo", "zte", "alcatel",
	"blackview", "ulefone", "doogee", "cubot", "meizu", "roborock", "ecovacs",
	"hotpoint", "indesit", "sonos", "marshall", "logitech",
}

// builtinLines are product lines that name their brand. A strong line does
// so alone ("il mio galaxy"); a weak one only with a model after it
// ("surface pro 9", "mate 20"), since it is also a word.
var builtinLines = []struct {
	line, brand string
	strong      bool
}{
	{"galaxy", "samsung", true}, {"iphone", "apple", true}, {"ipad", "apple", true}, {"macbook", "apple", true},
	{"imac", "apple", true}, {"airpods", "apple", true}, {"pixel", "google", false}, {"redmi", "xiaomi", true},
	{"poco", "xiaomi", false}, {"xperia", "sony", true}, {"bravia", "sony", true}, {"playstation", "sony", true},
	{"ps5", "sony", true}, {"ps4", "sony", true}, {"thinkpad", "lenovo", true}, {"ideapad", "lenovo", true},
	{"yoga", "lenovo", false}, {"legion", "lenovo", false}, {"pavilion", "hp", true}, {"envy", "hp", false},
	{"spectre", "hp", false}, {"omen", "hp", false}, {"elitebook", "hp", true}, {"zenbook", "asus", true},
	{"vivobook", "asus", true}, {"rog", "asus", false}, {"aspire", "acer", false}, {"predator", "acer", false},
	{"nitro", "acer", false}, {"xps", "dell", true}, {"inspiron", "dell", true}, {"latitude", "dell", false},
	{"alienware", "dell", true}, {"surface", "microsoft", false}, {"xbox", "microsoft", true},
	{"roomba", "irobot", true}, {"kindle", "amazon", true}, {"mate", "huawei", false}, {"nova", "huawei", false},
	{"magnifica", "delonghi", true}, {"dedica", "delonghi", false}, {"moto", "motorola", false},
	{"switch", "nintendo", false}, {"airfryer", "philips", true}, {"qled", "samsung", false}, {"oled", "lg", false},
}

// A brandEntry is one way to write a brand or one of its lines.
type brandEntry struct {
	words  []string // normalised: "de", "longhi"
	name   word     // a one-word name, for typos
	brand  string   // the brand's ID: "delonghi"
	line   bool
	strong bool // a brand, or a line that names its brand alone
}

// A brandIndex finds brands by the first word they are written with.
type brandIndex struct {
	first  map[string][]brandEntry
	starts *WordFilter // the keys of first
	// long are the one-word names of 6 letters or more, for typos
	// ("samsumg"), by first letter (a typo keeps it), in the order added:
	// a typo one edit from two names is read as the earlier one.
	long map[byte][]brandEntry
}

var builtinBrands = func() brandIndex {
	ix := brandIndex{first: map[string][]brandEntry{}}
	for _, line := range builtinBrandNames {
		names := strings.Split(line, "|")
		for _, n := range names {
			ix.add(brandEntry{words: strings.Fields(n), brand: names[0], strong: true})
		}
	}
	for _, l := range builtinLines {
		ix.add(brandEntry{words: []string{l.line}, brand: l.brand, line: true, strong: l.strong})
	}
	return ix
}()

func (ix *brandIndex) add(e brandEntry) {
	for _, o := range ix.first[e.words[0]] {
		if strings.Join(o.words, " ") == strings.Join(e.words, " ") {
			return
		}
	}
	ix.first[e.words[0]] = append(ix.first[e.words[0]], e)
	if ix.starts == nil {
		ix.starts = &WordFilter{}
	}
	ix.starts.Add(e.words[0])
	if len(e.words) == 1 && len(e.words[0]) >= 6 && !e.line {
		e.name = newWord(e.words[0])
		if ix.long == nil {
			ix.long = map[byte][]brandEntry{}
		}
		b := e.words[0][0]
		ix.long[b] = append(ix.long[b], e)
	}
}

// with returns a copy of ix that also knows the brands in extra
// (normalised name to ID), added after the built-in ones in
// alphabetical order of their names.
func (ix brandIndex) with(extra map[string]string) brandIndex {
	c := brandIndex{first: make(map[string][]brandEntry, len(ix.first)), long: make(map[byte][]brandEntry, len(ix.long))}
	for k, v := range ix.first {
		c.first[k] = append([]brandEntry(nil), v...)
	}
	for k, v := range ix.long {
		c.long[k] = append([]brandEntry(nil), v...)
	}
	if ix.starts != nil {
		f := *ix.starts
		c.starts = &f
	}
	// In sorted order, so that every process builds the same index: a
	// typo one edit from two names is read as the one added first (at).
	for _, n := range slices.Sorted(maps.Keys(extra)) {
		c.add(brandEntry{words: strings.Fields(n), brand: extra[n], strong: true})
	}
	return c
}

// addLine adds a line of brand, as a shop's product names show it.
func (ix *brandIndex) addLine(word, brand string) {
	if _, ok := ix.first[word]; ok {
		return
	}
	ix.add(brandEntry{words: []string{word}, brand: brand, line: true, strong: true})
}

// at returns the brand or line written at toks[i:], the longest first, and
// how many words it takes. fuzzy reports a misspelt name.
func (ix brandIndex) at(toks []string, i int) (e brandEntry, fuzzy bool, n int, ok bool) {
	if i >= len(toks) {
		return brandEntry{}, false, 0, false
	}
	if ix.starts != nil && ix.starts.MayHave(toks[i]) {
		for _, c := range ix.first[toks[i]] {
			if len(c.words) > n && hasSeqAt(toks, i, c.words...) {
				e, n, ok = c, len(c.words), true
			}
		}
	}
	t := toks[i]
	if ok || len(t) < 6 || hasDigit(t) || knownWord(t) {
		return e, false, n, ok
	}
	var w word
	for _, c := range ix.long[t[0]] {
		if len(c.words[0])-len(t) > 1 || len(t)-len(c.words[0]) > 1 {
			continue
		}
		if w.runes == nil {
			w = newWord(t)
		}
		// One edit changes the letters by one at most (t has no digits;
		// a name with digits is compared without the letters' check).
		if !c.name.digits && !maybeNear(&w, &c.name, 1) {
			continue
		}
		if osaDistance(w.runes, c.name.runes, 1) <= 1 {
			return c, true, 1, true
		}
	}
	return brandEntry{}, false, 0, false
}

// canonical returns the brand ID of words, or the words run together.
func (ix brandIndex) canonical(words []string) string {
	if e, _, n, ok := ix.at(words, 0); ok && n == len(words) && !e.line {
		return e.brand
	}
	return strings.Join(words, "")
}

// modelWords are the words a model's name is made of, besides those with
// digits: "pro", "max" in "iphone 15 pro max".
var modelWords = map[string]bool{
	"pro": true, "max": true, "plus": true, "ultra": true, "mini": true, "lite": true, "fe": true,
	"note": true, "air": true, "se": true, "edge": true, "neo": true, "gt": true, "5g": true, "4g": true,
	"fold": true, "flip": true, "slim": true, "xl": true, "xs": true, "xr": true,
}

// modelAt returns how many tokens from i name a model: words with digits
// ("p30", "s23", "15"), and the words models are named with ("pro").
// A number followed by a unit ("2 anni", "55 pollici") is no model.
func (s *scan) modelAt(i int) int {
	n := 0
	for j := i; j < len(s.toks) && j < i+4 && !s.taken[j] && (j == i || !s.bounds[j]); j++ {
		t := s.toks[j].text
		switch {
		case isDigits(t):
			if len(t) > 4 || unitAfter(s.tok(j+1)) {
				return n
			}
		case hasDigit(t) && len(t) <= 8:
		case modelWords[t] && n > 0:
		case modelWords[t] && (t == "pro" || t == "note" || t == "air" || t == "fold" || t == "flip"):
		default:
			return n
		}
		n++
	}
	return n
}

// unitAfter reports whether w counts something other than models: "anni",
// "gb", "pollici", "euro".
func unitAfter(w string) bool {
	if _, ok := units[w]; ok {
		return true
	}
	for _, u := range nonMoneyUnits {
		if u == w {
			return true
		}
	}
	for _, c := range currencyWords {
		if c.word == w {
			return true
		}
	}
	switch w {
	case "fa", "ago", "pezzi", "unita", "units", "volte", "times":
		return true
	}
	return false
}

// brands reads brands and product lines that the catalogue did not, with
// the model written after them: "un huawei p30", "galaxy s23", "my Philips".
func (s *scan) brands() {
	ix := builtinBrands
	if s.o.Shop != nil {
		ix = s.o.Shop.names
	}
	words := s.words()
	for i := 0; i < len(s.toks); i++ {
		if s.taken[i] {
			continue
		}
		e, fuzzy, n, ok := ix.at(words, i)
		if !ok || !s.freeToks(i, i+n) || s.elided(i+n-1) {
			continue
		}
		m := s.modelAt(i + n)
		if n == 1 && m == 0 && words[i] == "dell" && s.elisionBefore(ix, i+1) {
			continue // "il portatile dell ufficio": dell'ufficio, the apostrophe dropped
		}
		if e.line && !e.strong && m == 0 {
			continue
		}
		// A brand followed by one of its lines: "samsung galaxy s23".
		if !e.line && m == 0 {
			if l, _, ln, ok := ix.at(words, i+n); ok && l.line && l.brand == e.brand && s.freeToks(i+n, i+n+ln) {
				n += ln
				m = s.modelAt(i + n)
			}
		}
		model := ""
		if e.line {
			model = strings.Join(words[i:i+n+m], " ")
		} else if m == 1 && words[i+n] == "1" {
			// "the sony 1 is fine", "the lg 1 pls": the chat's "one" of
			// the brand, no model; a line's "1" ("xperia 1") is a model.
		} else if m > 0 {
			model = strings.Join(words[i+1:i+n+m], " ")
		}
		conf := 1.0
		if fuzzy {
			conf = 0.8
		}
		if e.line && !e.strong {
			conf = 0.7
		}
		s.addToks(i, i+n+m, Value{Kind: KindBrand, Value: e.brand, Model: model, Confidence: conf})
		i += n + m - 1
	}
}

// elided reports whether token i ends in an apostrophe that joins it to
// the next word: Italian "dell'ufficio" holds no Dell, "all'" no brand.
func (s *scan) elided(i int) bool {
	end := s.toks[i].end
	return strings.HasPrefix(s.text[end:], "'") || strings.HasPrefix(s.text[end:], "’")
}

// elisionBefore reports whether token i, after a word that is also an
// Italian article elided ("dell"), reads as the word the article was
// joined to: one that opens with a vowel or an h and is no product line
// ("dell inspiron" is a Dell).
func (s *scan) elisionBefore(ix brandIndex, i int) bool {
	if i >= len(s.w) || s.w[i] == "" || !strings.ContainsRune("aeiouh", rune(s.w[i][0])) {
		return false
	}
	_, _, _, line := ix.at(s.w, i)
	return !line
}

// words returns the tokens' texts.
func (s *scan) words() []string { return s.w }

// brandsSold decides, once categories are known, which brands and models
// the shop does not sell: another brand; a brand sold in other categories
// than the one named next to it ("my Philips TV"); a model of a sold brand
// that the catalogue lacks ("galaxy s23").
func (s *scan) brandsSold() {
	for i := range s.vals {
		v := &s.vals[i]
		if v.Kind != KindBrand {
			continue
		}
		v.Category = s.categoryNear(v)
		if s.o.Shop == nil {
			continue
		}
		bi := s.o.Shop.brands[v.Value]
		if v.Category == "" && v.Model != "" && bi != nil {
			// "galaxy s24", "samsung s24", "iphone 12": a model the
			// catalogue lacks, of a line it sells in one category.
			v.Category = s.o.Shop.lineCategory(bi, v.Value, v.Model)
		}
		switch {
		case bi == nil:
			v.NotSold = true
		case v.Category != "" && !bi.categories[v.Category]:
			v.NotSold = true
		case v.Model != "" && !s.o.Shop.sellsModel(bi, v.Model):
			v.NotSold = true
		}
		// What the shop sells of the brand, in the category named: the
		// choices to offer for "un samsung", "iphone 13".
		if bi != nil && len(v.Others) == 0 {
			for _, id := range bi.products {
				if v.Category == "" || s.o.Shop.info[id].category == v.Category {
					v.Others = append(v.Others, id)
				}
			}
		}
	}
}

// builtinFamilies are the first letters of a brand's models that name
// one of its lines when the line is left out: "samsung s24" is a Galaxy.
var builtinFamilies = map[string]map[string]string{
	"samsung": {"s": "galaxy", "a": "galaxy", "z": "galaxy", "m": "galaxy", "note": "galaxy"},
}

// lineCategory returns the one category in which the shop sells the line
// model is of ("galaxy s24": the Galaxy phones), or "".
func (sh *Shop) lineCategory(bi *brandInfo, brand, model string) string {
	ws := strings.Fields(model)
	line := ws[0]
	if e, _, _, ok := sh.names.at(ws, 0); !ok || !e.line {
		line = ""
		if fs := builtinFamilies[brand]; fs != nil {
			prefix := strings.TrimRight(ws[0], "0123456789")
			line = fs[prefix]
		}
	}
	if line == "" {
		return ""
	}
	cat := ""
	for _, id := range bi.products {
		info := sh.info[id]
		if !info.words[line] || info.category == "" {
			continue
		}
		if cat != "" && cat != info.category {
			return ""
		}
		cat = info.category
	}
	return cat
}

// sellsModel reports whether a product of the brand has every word of
// model with a digit in its names: "a55" is sold, "s23" is not.
func (sh *Shop) sellsModel(bi *brandInfo, model string) bool {
	for _, id := range bi.products {
		info := sh.info[id]
		all := true
		for _, w := range strings.Fields(model) {
			if !info.words[w] {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// categoryNear returns the category named right before or after v, in the
// same clause, as Scan found it: "philips tv", "una tv della philips";
// of two, the nearer ("la tv bravia dal mobile" is a TV, whatever the
// furniture after it).
func (s *scan) categoryNear(v *Value) string {
	first, last := s.tokIndex(v.Start), s.tokIndex(v.End-1)
	near, best := "", 3
	for _, c := range s.vals {
		if c.Kind != KindCategory {
			continue
		}
		cf, cl := s.tokIndex(c.Start), s.tokIndex(c.End-1)
		gap := -1
		switch {
		case cl < first:
			gap = first - cl - 1
			if s.hasBound(cl+1, first+1) {
				continue
			}
		case cf > last:
			gap = cf - last - 1
			if s.hasBound(last+1, cf+1) {
				continue
			}
		}
		if gap >= 0 && gap < best {
			near, best = c.Value, gap
		}
	}
	return near
}

// hasBound reports whether a clause ends between tokens i-1 and j-1.
func (s *scan) hasBound(i, j int) bool {
	for k := i; k < j && k < len(s.bounds); k++ {
		if s.bounds[k] {
			return true
		}
	}
	return false
}
