package extract

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// A found is one option a catalogue found on free tokens.
type found struct {
	candidate
	others []string
}

// find returns the options c names on the free tokens, each on tokens of
// its own, best first; an option named as well as another on the same
// words comes with the other in others.
func (s *scan) find(c *Catalog) []found {
	if c == nil || len(c.synonyms) == 0 {
		return nil
	}
	bit := s.catalogueBit(c)
	spans := s.allSpans
	if bit == 0 {
		// A catalogue without a bit looks up every span.
		if s.everySpan == nil {
			s.everySpan = s.src.spansOf(s.toks, s.lex, s.catalogueWords(), true)
		}
		spans = s.everySpan
	} else if spans == nil {
		s.allSpans = s.src.spansOf(s.toks, s.lex, s.catalogueWords(), false)
		spans = s.allSpans
	}
	cands := c.scoreSpans(spans, len(s.toks), s.taken, true, &s.scratch, bit)
	var out []found
	used := make([]bool, len(s.toks))
	for k, cd := range cands {
		if cd.score < minScore {
			break
		}
		clash := false
		for i := cd.lo; i <= cd.hi; i++ {
			clash = clash || used[i]
		}
		if clash {
			continue
		}
		f := found{candidate: cd}
		for _, o := range cands[k+1:] {
			if o.hi < cd.lo || o.lo > cd.hi || o.score < minCandidate {
				continue
			}
			if cd.score-o.score < tieScore || cd.score < fullScore && o.cover >= cd.cover {
				f.others = append(f.others, c.values[o.option])
			}
		}
		for i := cd.lo; i <= cd.hi; i++ {
			used[i] = true
		}
		out = append(out, f)
	}
	return out
}

// scanSpans are the spans of toks as Scan's catalogues match them (spansFor
// with local), each exact-only span with the bits of the catalogues of
// words that have its text. Without all, an exact-only span that no
// catalogue has is left out, since no catalogue with a bit reads it: most
// words and pairs of a message, whose pair's text is never built. lex are
// the tokens' lexemes. A span that the words around a token make is
// contextSpan's; wordSpan and pairSpan are functions of their words alone,
// which a message's slices take from the message's (Text.spansOf): each
// rule has this one copy.
func scanSpans(toks []token, lex []*lexeme, words *wordBits, all bool) []span {
	spans := make([]span, 0, len(toks)+len(toks)/2)
	n := 0
	for _, t := range toks {
		n += len(t.text)
	}
	runes := make([]rune, 0, n)
	for i, t := range toks {
		if sp, ok := contextSpan(toks, i, lex, words, &runes); ok {
			spans = append(spans, sp)
			continue
		}
		if sp, ok := wordSpan(t, lex[i], words, all, &runes); ok {
			sp.first, sp.last = i, i
			spans = append(spans, sp)
		}
	}
	for i := 0; i+1 < len(toks); i++ {
		if sp, ok := pairSpan(toks[i].text, toks[i+1].text, words, all); ok {
			sp.first, sp.last = i, i+1
			spans = append(spans, sp)
		}
	}
	return spans
}

// contextSpan returns the span of token i that the words around it make
// (scanSpans), its runes written in buf, and false when they make none:
// then the token's span is that of the word by itself (wordSpan).
func contextSpan(toks []token, i int, lex []*lexeme, words *wordBits, buf *[]rune) (span, bool) {
	if stem, in := countedPlural(toks, i, words); in != 0 {
		// "three pixels": the name counted in the English plural,
		// though "pixels" alone is a common word ("dead pixels").
		return span{word: word{text: stem}, first: i, last: i, n: len(stem), exactOnly: true, in: in}, true
	}
	if n := utf8.RuneCountInString(toks[i].text); n == 4 && shortOfOne(toks, i, lex, words) {
		w := newWordIn(toks[i].text, buf)
		return span{word: w, first: i, last: i, n: n, shortOfOne: true}, true
	}
	return span{}, false
}

// wordSpan is the span of scanSpans for token t by itself, lx its
// lexeme, its runes written in buf; false when scanSpans leaves it out. It
// is a function of the word alone (Text.spansOf keeps it for a message's
// slices); first and last are left to the caller.
func wordSpan(t token, lx *lexeme, words *wordBits, all bool, buf *[]rune) (span, bool) {
	n := utf8.RuneCountInString(t.text)
	if n < 5 || lx != nil && (lx.common || lx.known) {
		// Matched exactly or not at all: no runes needed.
		text := t.text
		in := words.of(text)
		if in == 0 && lx != nil && lx.chat != "" && len(t.text) > 1 {
			// "nn ho ricevuto" is "non ho ricevuto": a chat spelling
			// reads as the word it stands for, as the phrase lists
			// read it (ChatSpelled). A letter alone ("x", also a
			// times sign) is left to the readers that know its place
			// ("x me": ownUse).
			if c := words.of(lx.chat); c != 0 || all {
				text, in = lx.chat, c
			}
		}
		if in != 0 || all {
			return span{word: word{text: text, digits: hasDigit(text)}, n: utf8.RuneCountInString(text), exactOnly: true, in: in}, true
		}
		return span{}, false
	}
	w := newWordIn(t.text, buf)
	return span{word: w, n: len(w.runes)}, true
}

// pairSpan is the span of scanSpans for two words side by side, written
// together; false when scanSpans leaves it out. first and last are left
// to the caller.
func pairSpan(a, b string, words *wordBits, all bool) (span, bool) {
	in := uint64(0)
	if words.filter.mayHave(a[0], b[len(b)-1], len(a)+len(b)) {
		var arr [64]byte
		buf := append(append(arr[:0], a...), b...)
		in = words.bits[string(buf)]
	}
	if in == 0 && !all {
		return span{}, false
	}
	text := a + b
	return span{word: word{text: text, digits: hasDigit(text)}, n: utf8.RuneCountInString(text), exactOnly: true, in: in}, true
}

// shortOfOne reports whether token i, of four letters, may be a name of
// five with one letter dropped: a word of letters that no list knows,
// right before a model number that a catalogue has ("pixl 8", "dysn
// v8"). The number is what makes it a name: "pixl" alone is read
// exactly, as every word under five letters.
func shortOfOne(toks []token, i int, lex []*lexeme, words *wordBits) bool {
	if i+1 >= len(toks) || lex[i] != nil && (lex[i].common || lex[i].known || lex[i].number) {
		return false
	}
	for _, r := range toks[i].text {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	next := toks[i+1].text
	return hasDigit(next) && words.of(next) != 0
}

// countedPlural returns token i without its English plural "s" and the
// bits of the catalogues that have that word, when a count above one
// stands right before it: "three pixels", "2 pixels"; "dead pixels" and
// "3 pixels stuck" are no phones.
func countedPlural(toks []token, i int, words *wordBits) (string, uint64) {
	t := toks[i].text
	if i == 0 || len(t) < 4 || t[len(t)-1] != 's' || t[len(t)-2] == 's' || hasDigit(t) {
		return "", 0
	}
	if n, end, ok := numberAt(toks, i-1); !ok || end != i || n < 2 {
		return "", 0
	}
	if i+1 < len(toks) && isOneOf(toks[i+1].text, "dead", "stuck", "bright", "dark", "missing", "burnt", "broken") {
		return "", 0
	}
	stem := t[:len(t)-1]
	return stem, words.of(stem)
}

// products reads the catalogue's products, and the models a brand the
// shop sells is named with that the catalogue lacks: "iphone 13" when the
// shop sells the iPhone 15.
func (s *scan) products() {
	sh := s.o.Shop
	for _, f := range s.find(sh.products) {
		if !s.freeToks(f.lo, f.hi+1) {
			continue
		}
		id := sh.products.values[f.option]
		info := sh.info[id]
		lo, hi := f.lo, f.hi+1
		// Part of a name that is a category's word names the category:
		// "friggitrice" is any air fryer, not the Philips one.
		if f.score < fullScore && s.categoryWords(lo, hi) {
			continue
		}
		// The rest of the product's name around the words matched:
		// "samsung galaxy a55", "samsung qled 55".
		for lo > 0 && !s.taken[lo-1] && !s.bounds[lo] && info.words[s.toks[lo-1].text] && !isDigits(s.toks[lo-1].text) {
			lo--
		}
		for hi < len(s.toks) && !s.taken[hi] && !s.bounds[hi] && info.words[s.toks[hi].text] {
			hi++
		}
		// A size is no model: "a 55 inch one" is a TV of 55 inches, not
		// the Galaxy A55 ("qled 55 pollici" names the QLED still).
		if hi < len(s.toks) && !s.bounds[hi] && isMeasure(s.toks[hi].text) && isDigits(s.toks[hi-1].text) &&
			!slices.ContainsFunc(s.toks[lo:hi], func(t token) bool { return len(t.text) > 1 && !isDigits(t.text) }) {
			continue
		}
		// The brand misspelt before the name: "samsumg galaxy a55".
		if lo > 0 && !s.taken[lo-1] && !s.bounds[lo] {
			if b, _, n, ok := sh.names.at(s.words(), lo-1); ok && n == 1 && !b.line && b.brand == info.brand {
				lo--
			}
		}
		v := Value{Kind: KindProduct, Value: id, Confidence: f.score, Others: f.others}
		words := s.words()
		one := 0 // the chat's "1" after the brand
		if s.pluralModel(info, lo, hi) {
			hi++ // "two iPhone 15s": two iPhone 15, not an "iPhone 15s"
		}
		if m := s.modelAt(hi); m > 0 {
			unknown := false
			for _, w := range words[hi : hi+m] {
				unknown = unknown || !info.words[w]
			}
			if b, _, n, ok := sh.names.at(words, lo); unknown && m == 1 && words[hi] == "1" && ok && !b.line && n == hi-lo {
				// "the sony 1 is fine": the chat's "one" of the brand, no
				// model of it (brands).
				unknown = false
				hi++
				one = 1
			}
			if unknown {
				// Another model of the brand: "iphone 13", "pixel 8 pro".
				model := strings.Join(words[lo:hi+m], " ")
				if b, _, n, ok := sh.names.at(words, lo); ok && !b.line {
					model = strings.Join(words[lo+n:hi+m], " ")
				}
				s.addToks(lo, hi+m, Value{Kind: KindBrand, Value: info.brand, Model: model, Confidence: 0.8, Others: []string{id}})
				continue
			}
		}
		if len(f.others) > 0 {
			if b, _, n, ok := sh.names.at(words, lo); ok && n == hi-lo-one && !b.line {
				// Only the brand, which the shop sells more of: "un samsung".
				s.addToks(lo, hi, Value{Kind: KindBrand, Value: b.brand, Confidence: 0.9, Others: append([]string{id}, f.others...)})
				continue
			}
			v.Confidence = min(v.Confidence, 0.5)
		}
		if p := s.addToks(lo, hi, v); p != nil && info.brandOnly[strings.Join(words[lo:hi], " ")] {
			s.brandOnly = append(s.brandOnly, len(s.vals)-1)
		}
	}
}

// pluralModel reports whether token hi, after a product's name on tokens
// [lo, hi), is the plural of its model number, the English way: "two
// iPhone 15s", "3 Pixel 8s". A count above one, or a word of buying or
// of many ("looking for Pixel 8s", "some iPhone 15s"), must stand before
// the name in its clause, since "iPhone 6s" alone is a model of its own.
func (s *scan) pluralModel(info *productInfo, lo, hi int) bool {
	if hi >= len(s.toks) || s.taken[hi] || s.bounds[hi] {
		return false
	}
	w := s.toks[hi].text
	if len(w) < 2 || w[len(w)-1] != 's' || !hasDigit(w) || !info.words[w[:len(w)-1]] {
		return false
	}
	for i := lo - 1; i >= 0 && i >= lo-3; i-- {
		if n, end, ok := numberAt(s.toks, i); ok && end <= lo && n > 1 {
			return true
		}
		if buyingVerbs[s.fixed[i]] || manyWords[s.fixed[i]] {
			return true
		}
		if s.bounds[i] {
			break
		}
	}
	return false
}

// firstClause narrows a category named with words of two clauses to
// those of the first, when they name it by themselves: "a vacuum,
// something cordless" says "vacuum" and then describes it, it names no
// "cordless vacuum". It reports false when the first clause's words do
// not.
func (s *scan) firstClause(f *found) bool {
	for i := f.lo + 1; i <= f.hi; i++ {
		if !s.bounds[i] {
			continue
		}
		if !s.categoryWords(f.lo, i) {
			return false
		}
		f.hi = i - 1
		break
	}
	return true
}

// manyWords say that what follows is more than one: "some Pixel 8s".
var manyWords = map[string]bool{"some": true, "several": true, "few": true, "multiple": true, "more": true, "other": true}

// catalogue reads the options of c as values of kind, from catalogue slot.
func (s *scan) catalogue(c *Catalog, kind Kind, slot string) {
	for _, f := range s.find(c) {
		if !s.freeToks(f.lo, f.hi+1) {
			continue
		}
		// A choice is named whole: "number" is no "vat number"; a
		// category nearly so: "smart" is no "smart tv".
		if kind == KindChoice && f.score < fullScore || f.score < 0.8 {
			continue
		}
		if kind == KindCategory && (s.contactLabel(f.lo, f.hi) || s.phoneVerb(f.hi)) {
			continue // "my phone number is 347...", "cellulare: 347...": a label; "phone me": the verb
		}
		if kind == KindCategory && !s.firstClause(&f) {
			continue
		}
		conf := f.score
		if len(f.others) > 0 {
			conf = min(conf, 0.5)
		}
		// A choice's words are often common ones ("company", "per me"):
		// sure only in answer to the choice's question.
		if kind == KindChoice && s.o.Expect != KindChoice {
			conf *= 0.7
		}
		s.addToks(f.lo, f.hi+1, Value{Kind: kind, Slot: slot, Value: c.values[f.option], Confidence: conf, Others: f.others})
	}
}

// phoneWords are the words of a phone that also label a phone number.
var phoneWords = map[string]bool{
	"phone": true, "telefono": true, "cellulare": true, "mobile": true, "cell": true, "cellphone": true,
	"telefonino": true, "tel": true, "cel": true,
	// A landline's words label its number too: "chiamatemi sul telefono
	// fisso 06...", "my landline is 06...".
	"fisso": true, "fissi": true, "cordless": true, "landline": true,
}

// contactLabel reports whether tokens [lo, hi] are a phone's word that
// labels the phone number after it: "my phone number is 347...",
// "numero di cellulare: 347...", "il mio telefono è 347...".
func (s *scan) contactLabel(lo, hi int) bool {
	if !phoneWords[s.toks[hi].text] {
		return false
	}
	for j := hi + 1; j < len(s.toks) && j <= hi+3; j++ {
		if s.kindAt[j] == KindPhone {
			return true
		}
		if s.taken[j] || !isOneOf(s.toks[j].text, "number", "numero", "no", "nr", "is", "e", "il", "lo", "di") {
			return false
		}
	}
	return false
}

// phoneVerb reports whether the phone's word at hi is the verb: "phone
// me", "phone us back".
func (s *scan) phoneVerb(hi int) bool {
	return phoneWords[s.toks[hi].text] && hi+1 < len(s.toks) && !s.bounds[hi+1] && isOneOf(s.toks[hi+1].text, "me", "us", "back", "him", "her")
}

// productTypes are kinds of products customers ask for, which a shop's
// catalogue may lack: "un tablet" gets a polite "we don't sell it". The
// English plurals are written out, since a customer asks whether the
// shop sells "drones" or "projectors".
var productTypes = NewCatalog([]Option{
	{Value: "phone", Synonyms: []string{"telefono", "telefonino", "cellulare", "smartphone", "phone", "mobile phone", "cell phone", "cellphone"}},
	{Value: "laptop", Synonyms: []string{"portatile", "notebook", "laptop", "computer portatile", "pc portatile"}},
	{Value: "desktop", Synonyms: []string{"computer fisso", "pc fisso", "desktop", "desktop computer"}},
	// A landline is no smartphone: "il telefono fisso", "my cordless phone".
	{Value: "landline", Synonyms: []string{"telefono fisso", "telefoni fissi", "telefono cordless", "telefoni cordless", "cordless",
		"landline", "landlines", "landline phone", "cordless phone", "cordless phones", "home phone", "house phone", "desk phone", "fixed phone"}},
	{Value: "tv", Synonyms: []string{"televisore", "tv", "televisione", "smart tv", "television", "telly"}},
	{Value: "tablet", Synonyms: []string{"tablet", "tablets", "ipad", "ipads"}},
	{Value: "smartwatch", Synonyms: []string{"smartwatch", "smartwatches", "orologio smart", "smart watch", "smart watches", "fitness tracker", "fitness trackers"}},
	{Value: "headphones", Synonyms: []string{"cuffie", "auricolari", "cuffiette", "headphones", "earbuds", "earphones", "headset"}},
	{Value: "fridge", Synonyms: []string{"frigorifero", "frigo", "fridge", "fridges", "refrigerator", "refrigerators", "freezer", "freezers", "congelatore"}},
	{Value: "washing_machine", Synonyms: []string{"lavatrice", "washing machine", "washing machines", "washer", "asciugatrice", "dryer", "dryers", "tumble dryer", "tumble dryers"}},
	{Value: "dishwasher", Synonyms: []string{"lavastoviglie", "dishwasher", "dishwashers"}},
	{Value: "kettle", Synonyms: []string{"bollitore", "bollitori", "bollitore elettrico", "kettle", "kettles", "electric kettle"}},
	{Value: "iron", Synonyms: []string{"ferro da stiro", "ferri da stiro", "steam iron", "clothes iron"}},
	{Value: "oven", Synonyms: []string{"forno", "forni", "microonde", "forno a microonde", "oven", "ovens", "microwave", "microwaves"}},
	{Value: "printer", Synonyms: []string{"stampante", "printer", "printers", "scanner", "scanners"}},
	// "camera" is a room in Italian ("camera da letto"): see roomOrPart.
	{Value: "photo_camera", Synonyms: []string{"fotocamera", "fotocamere", "macchina fotografica", "macchine fotografiche", "fotocamera digitale", "fotocamere digitali",
		"reflex", "videocamera", "videocamere", "camcorder", "action cam", "action cams", "camcorders",
		"camera", "cameras", "digital camera", "digital cameras", "action camera", "action cameras", "webcam", "webcams"}},
	{Value: "console", Synonyms: []string{"console", "consoles", "playstation", "xbox", "nintendo switch"}},
	{Value: "monitor", Synonyms: []string{"monitor", "monitors", "schermo per pc"}},
	{Value: "router", Synonyms: []string{"router", "routers", "modem", "modems", "ripetitore wifi", "wifi extender"}},
	{Value: "bluetooth_speaker", Synonyms: []string{"cassa bluetooth", "casse bluetooth", "bluetooth speaker", "bluetooth speakers", "smart speaker", "smart speakers", "soundbar", "soundbars"}},
	{Value: "air_conditioner", Synonyms: []string{"condizionatore", "climatizzatore", "air conditioner", "air conditioners", "deumidificatore", "dehumidifier", "dehumidifiers"}},
	{Value: "ebook_reader", Synonyms: []string{"ebook reader", "ebook readers", "e reader", "e readers", "ereader", "ereaders", "kindle"}},
	{Value: "drone", Synonyms: []string{"drone", "droni", "drones"}},
	{Value: "hair_dryer", Synonyms: []string{"phon", "asciugacapelli", "piastra per capelli", "hair dryer", "hair dryers", "hairdryer", "straightener"}},
	{Value: "projector", Synonyms: []string{"proiettore", "videoproiettore", "projector", "projectors"}},
	{Value: "ebike", Synonyms: []string{"bici elettrica", "bici elettriche", "bicicletta elettrica", "biciclette elettriche", "e bike", "ebike", "e bikes", "ebikes",
		"electric bike", "electric bikes", "monopattino", "monopattini", "monopattino elettrico", "e scooter", "electric scooter", "electric scooters"}},
	// A bicycle with no motor: the longer "bici elettrica" above is the
	// e-bike.
	{Value: "bicycle", Synonyms: []string{"bici", "bicicletta", "biciclette", "mountain bike", "mountain bikes", "bicycle", "bicycles", "bike", "bikes"}},
})

// productTypes reads the kinds of products the shop's categories did not:
// a shop category of the same ID if it has one, otherwise, with a shop, a
// kind it does not sell. With qualified, before the shop's categories, it
// reads only the kinds of two words or more the shop does not sell: their
// first or last word may be a shop's category ("telefono fisso",
// "cordless phone", "computer fisso"), and the whole names another kind.
func (s *scan) productTypes(qualified bool) {
	for _, f := range s.find(productTypes) {
		if !s.freeToks(f.lo, f.hi+1) || f.score < fullScore || s.contactLabel(f.lo, f.hi) || s.phoneVerb(f.hi) {
			continue
		}
		if qualified && (f.hi == f.lo || s.o.Shop == nil || s.o.Shop.categoryIDs[productTypes.values[f.option]]) {
			continue
		}
		if s.roomOrPart(f.lo, f.hi) {
			continue
		}
		id := productTypes.values[f.option]
		v := Value{Kind: KindCategory, Value: id, Confidence: f.score * 0.9}
		if sh := s.o.Shop; sh != nil && !sh.categoryIDs[id] {
			v.NotSold = true
		}
		s.addToks(f.lo, f.hi+1, v)
	}
}

// otherKindMeaning are, by language, words of productTypes that mean
// something else in it: the Italian "camera" is a room.
var otherKindMeaning = map[string]map[string]bool{
	"it": {"camera": true, "camere": true, "cameras": true},
}

// kindModifiers are kinds' words that alone also describe one of the
// shop's products: a "cordless" is a landline, but "il mio dyson
// cordless", "an aspirapolvere cordless" are the shop's vacuum.
var kindModifiers = map[string]bool{"cordless": true}

// roomOrPart reports whether the kind named on tokens [lo, hi] is no
// kind asked for: a word of another meaning in the message's language
// ("la camera da letto"), or a part of a product ("the camera of my
// pixel", "la fotocamera del telefono": every word a component) or a
// word that describes one (kindModifiers) in a clause that names a
// product, a brand or a category of the shop.
func (s *scan) roomOrPart(lo, hi int) bool {
	words := make([]string, 0, hi-lo+1)
	part := true
	for i := lo; i <= hi; i++ {
		words = append(words, s.toks[i].text)
		part = part && components[s.toks[i].text]
	}
	if otherKindMeaning[s.o.Lang][strings.Join(words, " ")] {
		return true
	}
	if !part && !(hi == lo && kindModifiers[words[0]]) {
		return false
	}
	for _, v := range s.vals {
		if v.Kind != KindProduct && v.Kind != KindBrand && (v.Kind != KindCategory || v.NotSold) {
			continue
		}
		first, last := s.tokIndex(v.Start), s.tokIndex(v.End-1)
		if last < lo && !s.hasBound(last+1, lo+1) || first > hi && !s.hasBound(hi+1, first+1) {
			return true
		}
		if hi == lo && last < lo && s.modifierAfterComma(last+1, lo) {
			return true
		}
	}
	return false
}

// modifierAfterComma reports whether the kind modifier at token m is set
// off by commas only from the product named before it, token lo on, and
// stands as its describing word, not as a thing of its own: "a vacuum,
// something cordless", "un aspirapolvere, meglio cordless", but not "a
// vacuum, and a cordless" nor "the vacuum, my cordless".
func (s *scan) modifierAfterComma(lo, m int) bool {
	for i := lo; i <= m; i++ {
		if s.bounds[i] && strings.TrimSpace(s.text[s.toks[i-1].end:s.toks[i].start]) != "," {
			return false
		}
	}
	prev := s.toks[m-1].text
	return !determiners[prev] && !isOneOf(prev, "a", "an", "un", "uno", "una", "another", "altro")
}

// recheckBrandOnly turns a product named only by its brand into the brand
// when the category named next to it is another: "cuffie sony" is no Bravia.
func (s *scan) recheckBrandOnly() {
	for _, k := range s.brandOnly {
		v := &s.vals[k]
		info := s.o.Shop.info[v.Value]
		if c := s.categoryNear(v); c != "" && c != info.category {
			v.Kind, v.Value, v.Others, v.Confidence = KindBrand, info.brand, []string{v.Value}, 0.9
		}
	}
}

// categoryWords reports whether every token of [lo, hi) is a word of the
// shop's categories.
func (s *scan) categoryWords(lo, hi int) bool {
	for i := lo; i < hi; i++ {
		if _, ok := s.o.Shop.categories.index[s.toks[i].text]; !ok {
			return false
		}
	}
	return true
}

// perUnit marks money followed by what it is the price of: "800 a pezzo"
// (which the money reader already took), "400 per phone".
func (s *scan) perUnit() {
	for k := range s.vals {
		v := &s.vals[k]
		if v.Kind != KindMoney || v.Each {
			continue
		}
		i := s.tokIndex(v.End)
		if i+1 >= len(s.toks) || s.bounds[i] || s.bounds[i+1] || !isOneOf(s.toks[i].text, "per", "a", "al", "for", "each") {
			continue
		}
		if k := s.kindAt[i+1]; k == KindCategory || k == KindProduct || countUnits[s.toks[i+1].text] || isOneOf(s.toks[i+1].text, "person", "persona", "device", "dispositivo", "head", "testa", "user", "utente") {
			v.Each = true
		}
	}
}

// catalogueWords are the words of the catalogues Scan reads, each with the
// bits of the catalogues that have it.
func (s *scan) catalogueWords() *wordBits {
	if s.o.Shop != nil {
		return s.o.Shop.words
	}
	return typeWords
}

// catalogueBit is c's bit in catalogueWords.
func (s *scan) catalogueBit(c *Catalog) uint64 {
	if s.o.Shop != nil {
		return s.o.Shop.bits[c]
	}
	if c == productTypes {
		return 1
	}
	return 0
}

var typeWords = catalogueWords(productTypes)

// wordBits are words, each with the bits of the catalogues that have it.
type wordBits struct {
	bits   map[string]uint64
	filter WordFilter
}

// of returns the bits of w, 0 if no catalogue has it.
func (wb *wordBits) of(w string) uint64 {
	if !wb.filter.MayHave(w) {
		return 0
	}
	return wb.bits[w]
}

// catalogueWords returns every word of cs, with a bit per catalogue.
func catalogueWords(cs ...*Catalog) *wordBits {
	wb := &wordBits{bits: map[string]uint64{}}
	for i, c := range cs {
		if i >= 64 || c == nil {
			break
		}
		for w := range c.index {
			wb.bits[w] |= 1 << i
			wb.filter.Add(w)
		}
	}
	return wb
}
