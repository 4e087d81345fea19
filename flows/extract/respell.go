package extract

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Mistyped words. A message is respelt once, before anything reads it,
// against one vocabulary: the words a bot knows (its phrase lists, its
// intents' cues and examples, its texts, catalogue and FAQ answers, its
// pages) and this package's lists (RealWords: the phrase lists, dates,
// months, numbers). One mechanism gives three readings of a word, each to
// the readers that trust it:
//
//   - Sure (Respell): a word of five letters or more (minSpelled) the
//     vocabulary lacks, one typing mistake away from exactly one known
//     word, is written as that word in the Respelt's Text, which every
//     reader reads. A mistake is two letters side by side swapped
//     ("grazei"), or a double letter written once or a letter written
//     twice ("prezo", "pavillion"); another letter more, less or changed
//     is as often another word ("mentre" is no "mente", "venite" no
//     "vendite"). The first letter is always right, as it nearly always
//     is, and a difference in the last letter only is an inflection
//     ("rotta" stays, though only "rotto" may be known); an English
//     plural is its word's ("ihpones" is "iphones"). A word in a token
//     with a digit, an @ or a dot inside (order numbers, models, e-mails,
//     sites) is never respelt, nor a word with a capital after the start
//     of a sentence (a name: "Mario", "Pavia").
//   - Phrase (phraseFix, for fixTypo): a word of six letters or more one
//     edit (a letter more, less or changed, or two swapped) from exactly
//     one word of this package's phrase lists, with the same first
//     letter, is read as that word by the phrase matcher (the faults,
//     damage and buyers' phrases), which looks for those words only.
//   - Intent (Respelt.IntentWords): a word neither the intents' examples
//     nor this package's lists have, one letter more or less or two
//     letters swapped from exactly one word of the examples, is read as
//     it by the classifier when the message as written names no intent
//     surely ("shippin", "spedizone").
//
// Short words are never respelt ("si", "no", "tre" are one letter from
// too many others). The looser readings are asked of a word only by
// their readers, and only of the text as respelt: a message's words are
// corrected once. The Respelt maps each respelt word back to what the
// customer wrote (Original, OriginalOf), so that what a command records
// points at the customer's own words.

// minSpelled is the length of the shortest word respelt.
const minSpelled = 5

// A Speller is the vocabulary of Respell: the words known, and those of
// them the intents' examples have. It is made once, at load, and is safe
// for concurrent use.
type Speller struct {
	known map[string]uint8 // every word known, to its classes (classIntent)
	// byKey are the known words of minSpelled-1 letters or more in the
	// buckets of spellingsOf, and byIntent those of the intents' examples.
	byKey, byIntent map[spellKey][]string
}

// The classes of a known word: of the intents' examples, a word of its
// own to this package's lists (RealWord).
const (
	classIntent uint8 = 1 << iota
	classList
)

// NewSpeller returns the Speller of this package's words (RealWords) and
// the words words gives: add(w, intent) adds w, a word as Words writes
// it, intent when the intents' examples have it. words may be nil.
func NewSpeller(words func(add func(w string, intent bool))) *Speller {
	known := map[string]uint8{}
	RealWords(func(w string) {
		if RealWord(w) {
			known[w] |= classList
		} else {
			known[w] |= 0
		}
	})
	if words != nil {
		words(func(w string, intent bool) {
			if w == "" {
				return
			}
			c := known[w]
			if intent {
				c |= classIntent
			}
			known[w] = c
		})
	}
	intents := map[string]uint8{}
	for w, c := range known {
		if c&classIntent != 0 {
			intents[w] = c
		}
	}
	return &Speller{known: known, byKey: spellingsOf(known), byIntent: spellingsOf(intents)}
}

// ownSpeller is the Speller of this package's words alone, for a nil
// Respelt.
var ownSpeller = sync.OnceValue(func() *Speller { return NewSpeller(nil) })

// A Respelt is a text respelt (Speller.Respell): Text, and what each
// respelt word was. The zero of its methods' answers is the text itself:
// a nil *Respelt is a text with no word respelt.
type Respelt struct {
	// Text is the text with its mistyped words written as the words known
	// (the sure respelling); the rest (marks, spaces, accents of other
	// words, capitals) is the text's.
	Text  string
	orig  string
	sp    *Speller
	edits []respeltWord
}

// A respeltWord is Text[at:end], written orig[from:to] by the customer.
type respeltWord struct{ at, end, from, to int }

// Respell returns text respelt (see above). sp may be nil: nothing is
// respelt.
func (sp *Speller) Respell(text string) *Respelt {
	r := &Respelt{Text: text, orig: text, sp: sp}
	if sp == nil {
		return r
	}
	var out strings.Builder
	copied := 0 // text[:copied] is in out
	// first: the field starts a sentence (the text, or after . ! ?).
	first := true
	for i := 0; i < len(text); {
		// The next field: the bytes up to an ASCII space (the rare other
		// spaces are a field's, which costs a word at most).
		for i < len(text) && isSpaceByte(text[i]) {
			i++
		}
		start := i
		for i < len(text) && !isSpaceByte(text[i]) {
			i++
		}
		if start == i {
			break
		}
		field := text[start:i]
		starts := first
		first = strings.ContainsAny(field[len(field)-1:], ".!?")
		if len(field) < minSpelled {
			continue
		}
		plain := plainField(field)
		off := start
		eachLetterRun(field, func(from, to int) {
			run := field[from:to]
			if len(run) < minSpelled || utf8.RuneCountInString(run) < minSpelled ||
				from > 0 && isDigitByte(field[from-1]) || to < len(field) && isDigitByte(field[to]) {
				return // short, or a word of digits and letters
			}
			// Most words are ASCII: lower-cased without Words' cutting.
			w := run
			if asciiLetters(run) {
				w = lowerASCII(run)
			} else if ws := Words(run); len(ws) == 1 {
				w = ws[0]
			} else {
				return
			}
			if !lettersAZ(w) {
				return // a letter Words leaves as it is
			}
			if _, ok := sp.known[w]; ok || !plain {
				return
			}
			r0, _ := utf8.DecodeRuneInString(run)
			caps := strings.IndexFunc(run, unicode.IsLower) < 0
			name := unicode.IsUpper(r0) && !caps && !(starts && from == 0)
			if !name {
				if fix, ok := sp.fix(w); ok {
					switch {
					case caps:
						fix = strings.ToUpper(fix)
					case unicode.IsUpper(r0):
						fix = strings.ToUpper(fix[:1]) + fix[1:]
					}
					if out.Len() == 0 {
						out.Grow(len(text) + 8)
					}
					out.WriteString(text[copied : off+from])
					at := out.Len()
					out.WriteString(fix)
					r.edits = append(r.edits, respeltWord{at: at, end: out.Len(), from: off + from, to: off + to})
					copied = off + to
				}
			}
		})
	}
	if copied > 0 {
		out.WriteString(text[copied:])
		r.Text = out.String()
	}
	return r
}

// Original returns the bytes of the customer's text that Text[start:end]
// was read from: a respelt word inside the span, or cut by it, is the
// word as written, whole.
func (r *Respelt) Original(start, end int) (int, int) {
	if r == nil || len(r.edits) == 0 {
		return start, end
	}
	return r.back(start, false), r.back(end, true)
}

// back returns the place in the customer's text of byte p of Text: the
// start (end false) or the end of the respelt word p is inside of.
func (r *Respelt) back(p int, end bool) int {
	shift := 0 // orig offset minus Text offset after the edits passed
	for _, e := range r.edits {
		switch {
		case p <= e.at:
			return p + shift
		case p < e.end:
			if end {
				return e.to
			}
			return e.from
		}
		shift = e.to - e.end
	}
	return p + shift
}

// Written returns the customer's text, as given to Respell.
func (r *Respelt) Written() string {
	if r == nil {
		return ""
	}
	return r.orig
}

// OriginalOf returns span, a string of Text, as the customer wrote it:
// at its first place in Text, mapped back (Original); a span that is no
// string of Text (a text made of the message's words) has each respelt
// word written as the customer wrote it. It returns span itself when no
// word of it was respelt.
func (r *Respelt) OriginalOf(span string) string {
	if r == nil || len(r.edits) == 0 || span == "" {
		return span
	}
	if at := strings.Index(r.Text, span); at >= 0 {
		from, to := r.Original(at, at+len(span))
		if out := r.orig[from:to]; out != span {
			return out
		}
		return span
	}
	out := span
	for _, e := range r.edits {
		fix, was := r.Text[e.at:e.end], r.orig[e.from:e.to]
		out = replaceWord(out, fix, was)
	}
	return out
}

// replaceWord returns s with each whole word old (not inside a longer run
// of letters) written as new.
func replaceWord(s, old, new string) string {
	var b strings.Builder
	for i := 0; ; {
		j := strings.Index(s[i:], old)
		if j < 0 {
			if b.Len() == 0 {
				return s
			}
			b.WriteString(s[i:])
			return b.String()
		}
		j += i
		k := j + len(old)
		before, _ := utf8.DecodeLastRuneInString(s[:j])
		after, _ := utf8.DecodeRuneInString(s[k:])
		if j > 0 && unicode.IsLetter(before) || k < len(s) && unicode.IsLetter(after) {
			b.WriteString(s[i:k])
		} else {
			b.WriteString(s[i:j])
			b.WriteString(new)
		}
		i = k
	}
}

// IntentWords returns ws, the words of a text of the message, with each
// word the classifier may read as a word of the intents' examples
// written as it (see above), and whether any was. A word of the
// classifier's or of this package's lists is what it says.
func (r *Respelt) IntentWords(ws []string) ([]string, bool) {
	sp := r.speller()
	var out []string
	for i, w := range ws {
		if c, ok := sp.known[w]; ok && c&(classIntent|classList) != 0 {
			continue
		}
		fix := sp.intentFix(w)
		if fix == "" {
			continue
		}
		if out == nil {
			out = slices.Clone(ws)
		}
		out[i] = fix
	}
	return out, out != nil
}

// speller returns the vocabulary r was respelt against: this package's
// own for a nil r.
func (r *Respelt) speller() *Speller {
	if r == nil {
		return ownSpeller()
	}
	return r.sp
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// lettersAZ reports whether w is lower-case ASCII letters only.
func lettersAZ(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// plainField reports whether a field of a message (a token between
// spaces) is words, which Respell may write otherwise: no digit (an order
// number, a model, a phone), no @ (an e-mail), no slash between letters
// (a site's path, "w/o"), no site ("www.", "://", a last dot before two
// or three letters: "sportello.it", "shop.com"). A dot before a longer
// word is a space left out: "grazie.vorrei sapere".
func plainField(f string) bool {
	if strings.Contains(f, "www.") || strings.Contains(f, "://") {
		return false
	}
	for i := 0; i < len(f); i++ {
		switch c := f[i]; {
		case '0' <= c && c <= '9', c == '@', c == '_', c == '#':
			return false
		case c == '/' && i > 0 && i+1 < len(f) && letterOrRuneByte(f[i-1]) && letterOrRuneByte(f[i+1]):
			return false
		}
	}
	if i := strings.LastIndexByte(f, '.'); i > 0 && letterOrRuneByte(f[i-1]) {
		tld := strings.TrimRight(f[i+1:], ",;:!?)")
		if n := len(tld); n >= 2 && n <= 3 && strings.IndexFunc(tld, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 {
			return false
		}
	}
	return true
}

// asciiLetters reports whether s is ASCII letters only.
func asciiLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// letterOrRuneByte reports whether c is an ASCII letter or a byte of a
// longer rune.
func letterOrRuneByte(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' || c >= utf8.RuneSelf }

// eachLetterRun calls fn with the byte spans of the runs of letters of f.
func eachLetterRun(f string, fn func(from, to int)) {
	from := -1
	for i, r := range f {
		switch {
		case unicode.IsLetter(r) && from < 0:
			from = i
		case !unicode.IsLetter(r) && from >= 0:
			fn(from, i)
			from = -1
		}
	}
	if from >= 0 {
		fn(from, len(f))
	}
}

// fix returns the known word w is mistyped for, if there is exactly one
// (the sure respelling, see above). w is lower-case ASCII letters, and
// unknown.
func (sp *Speller) fix(w string) (string, bool) {
	n := len(w)
	if n < minSpelled {
		return "", false
	}
	// An English plural of a known word is known ("thinkpads"), and a
	// mistyped one is respelt as the plural of its word ("ihpones").
	if stem := strings.TrimSuffix(w, "s"); len(stem) < n && len(stem) >= minSpelled {
		if _, ok := sp.known[stem]; ok {
			return "", false
		}
		if fix, ok := sp.fix(stem); ok {
			return fix + "s", true
		}
	}
	// Of two words as near, a swap of w's own letters is the likelier
	// mistake: "persoan" is "persona", not "person".
	found, swap, swaps := "", "", 0
	sp.near(w, max(n-1, minSpelled), n+1, func(c string) {
		if c == found || c == swap || !oneMistake(w, c) || endEditOnly(w, c) {
			return
		}
		if len(c) == n && swapped(w, c) {
			swap, swaps = c, swaps+1
		}
		if found != "" {
			found = "\x00" // two words as near
		} else {
			found = c
		}
	})
	switch {
	case swaps == 1:
		return swap, true
	case swaps > 1 || found == "\x00":
		return "", false // two words as near: leave it
	}
	return found, found != ""
}

// intentFix returns the word of the intents' examples w is mistyped for,
// one letter more or less or two swapped, if there is exactly one; "" if
// none.
func (sp *Speller) intentFix(w string) string {
	n := len(w)
	if sp == nil || n < minSpelled || !lettersAZ(w) {
		return ""
	}
	found := ""
	for l := n - 1; l <= n+1; l++ {
		// The words that can be w's: two of l's buckets (spellingsOf).
		keys := [2]spellKey{bySecond(w[0], l, w[1]), byLast(w[0], l, w[n-2:])}
		if l == n {
			keys[1] = bySecond(w[0], l, w[2])
		}
		for k, key := range keys {
			if k == 1 && key == keys[0] {
				break
			}
			for _, c := range sp.byIntent[key] {
				if l == n && !swapped(w, c) || l != n && !oneLetterMore(w, c) {
					continue
				}
				if found != "" && found != c {
					return "" // two words as near: leave it
				}
				found = c
			}
		}
	}
	return found
}

// near calls fn with the known words of lengths lo to hi that may be one
// letter more or less from w, or two of its letters swapped: those of
// the buckets of spellingsOf w's words may be in. A word may come twice.
func (sp *Speller) near(w string, lo, hi int, fn func(c string)) {
	n := len(w)
	for l := lo; l <= hi; l++ {
		// A swap keeps the first letter and puts the third second; a
		// letter more or less keeps the first two or the last two.
		keys := [3]spellKey{bySecond(w[0], l, w[1]), byLast(w[0], l, w[n-2:]), 0}
		if l == n {
			keys[2] = bySecond(w[0], l, w[2])
		}
		for k, key := range keys {
			if key == 0 || k > 0 && key == keys[0] || k == 2 && key == keys[1] {
				continue
			}
			for _, c := range sp.byKey[key] {
				fn(c)
			}
		}
	}
}

// phraseFix returns the word of the phrase lists w is mistyped for: of
// six letters or more, one edit away, the same first letter, and the only
// one; "" if none, or if w and it differ in the last letter only (an
// inflection: "charged", "freezer") or w is a word of its own (notTypos).
// A word of the phrase lists is read as itself by the matcher before it
// asks (fixTypo).
func phraseFix(w string) string {
	phrasesOnce.Do(loadPhrases)
	n := len(w)
	if n < 6 || !lettersAZ(w) {
		return ""
	}
	var wd word
	found := ""
	for l := n - 1; l <= n+1; l++ {
		cands := phraseVocabBy[vocabKey(w[0], l)]
		if len(cands) > 0 && wd.runes == nil {
			wd = newWord(w)
		}
		for k := range cands {
			c := &cands[k]
			if maybeNear(&wd, c, 1) && osaDistance(wd.runes, c.runes, 1) <= 1 {
				if found != "" && found != c.text {
					found = "\x00" // two words as near: leave it
				} else {
					found = c.text
				}
			}
		}
	}
	if found == "" || found == "\x00" || endEditOnly(w, found) || notTypos[w] {
		return ""
	}
	return found
}

// oneMistake reports whether a, as typed, is one mistake from b: two
// letters side by side swapped, or a double letter written once or a
// letter written twice ("febraio", "pavillion"). Another letter more, less
// or changed is as often another word, which the bot's words do not
// hold: on the dev stories, every such respelling was one ("mentre" is
// no "mente", "venite" no "vendite", "provato" no "privato", "sapete" no
// "sapere", "writing" no "waiting").
func oneMistake(a, b string) bool {
	switch len(a) - len(b) {
	case 0:
		return swapped(a, b)
	case 1:
		return doubled(a, b)
	case -1:
		return doubled(b, a)
	}
	return false
}

// doubled reports whether long is short with one of its letters written
// twice: "pavillion", "pavilion".
func doubled(long, short string) bool {
	i := 0
	for i < len(short) && long[i] == short[i] {
		i++
	}
	// long[i] is the letter more: one of its neighbours is the same.
	return long[i+1:] == short[i:] && (i > 0 && long[i-1] == long[i] || i+1 < len(long) && long[i+1] == long[i])
}

// swapped reports whether a and b, of one length, differ by two letters
// side by side swapped: "pagamneto", "pagamento".
func swapped(a, b string) bool {
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}

// oneLetterMore reports whether a and b, one letter apart in length,
// are the longer with one letter left out: their Levenshtein distance
// is 1, found without distance's table.
func oneLetterMore(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	return a[i+1:] == b[i:]
}

// A spellKey is a bucket of the known words Respell may take for another:
// those of one first letter and length, and one second letter, or
// (second zero) one last two letters. It is one number, so that its
// look-up is a map's fast one: first letter, length, second letter and
// last two letters, a byte each but the length's three.
type spellKey uint64

// bySecond is the bucket of first letter, length n and second letter.
func bySecond(first byte, n int, second byte) spellKey {
	return spellKey(first)<<48 | spellKey(n&0xffffff)<<24 | spellKey(second)<<16
}

// byLast is the bucket of first letter, length n and last two letters.
func byLast(first byte, n int, last string) spellKey {
	return spellKey(first)<<48 | spellKey(n&0xffffff)<<24 | spellKey(last[0])<<8 | spellKey(last[1])
}

// spellingsOf indexes the known words for Respell, each word in two
// buckets: by its first letter, length and second letter, and by its
// first letter, length and last two letters. A word one letter longer
// or shorter than w agrees with w on its first two letters or its last
// two, so it is in one of w's two buckets of its length; a word with two
// letters side by side swapped agrees with w on its first letter, and its
// second letter is w's second or third ("pagamneto", "pgaamento"), so it
// is in one of w's buckets by second letter of w's length. The words of
// one bucket are sorted, so that the same answer comes on every run.
func spellingsOf(known map[string]uint8) map[spellKey][]string {
	out := map[spellKey][]string{}
	for w := range known {
		if len(w) >= minSpelled-1 && lettersAZ(w) {
			for _, k := range []spellKey{bySecond(w[0], len(w), w[1]), byLast(w[0], len(w), w[len(w)-2:])} {
				out[k] = append(out[k], w)
			}
		}
	}
	for _, ws := range out {
		slices.Sort(ws)
	}
	return out
}
