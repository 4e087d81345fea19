package flows

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/flows/extract"
)

// Mistyped words. The phrase lists, the intents' cues and the rules read
// a message's words as written, and only the extraction forgave typos:
// "domanda sulla graanzia" held no "garanzia" and read as a defect, "si
// grazei" was no yes, "persoan" no person. So a message is respelt once,
// before anything reads it: a word of five letters or more (minSpelled)
// that the bot does not know, one typing mistake away from exactly one
// word it does, is written as that word. A mistake is two letters side by
// side swapped ("grazei"), or a double letter written once or a letter
// written twice ("prezo", "pavillion"); another letter more, less or
// changed is left (oneMistake says why). The first letter is always
// right, as it nearly always is, and a difference in the last letter
// only is an inflection, not a mistake ("rotta" stays, though only
// "rotto" may be known); an English plural is its word's ("ihpones" is
// "iphones"). Words the bot knows
// are those of its phrase lists, its intents' cues and examples, its
// texts, catalogue and FAQ answers, and the extraction's lists
// (extract.RealWords). Short words are never respelt ("si", "no", "tre"
// are one letter from too many others), nor a word in a token with a
// digit, an @ or a dot inside (order numbers, models, e-mails, sites),
// nor a word with a capital after the start of a sentence (a name:
// "Mario", "Pavia").

// A speller holds the words the bot knows, for respelled.
type speller struct {
	known map[string]string // every word known, to ""
	// byKey are the known words of minSpelled letters or more in the
	// buckets of spellingsOf.
	byKey map[spellKey][]string
}

// indexSpelling gathers the words the bot knows (see above). It runs
// once at load, after the cues are indexed and the classifier trained.
func (b *Bot) indexSpelling() *speller {
	known := map[string]string{}
	addWord := func(w string) {
		if w != "" {
			known[w] = ""
		}
	}
	addText := func(s string) {
		for _, w := range words(s) {
			addWord(w)
		}
	}
	addRef := func(r TextRef) {
		for _, s := range r.Text {
			addText(s)
		}
	}
	for _, x := range []*phraseIndex{builtin, b.cueIndex} {
		if x == nil {
			continue
		}
		for w, es := range x.first {
			addWord(w)
			for _, e := range es {
				for _, r := range e.rest {
					addWord(r)
				}
			}
		}
	}
	for w := range b.wordOwner {
		addWord(w)
	}
	extract.RealWords(addWord)
	for _, t := range b.Texts {
		for _, s := range t {
			addText(s)
		}
	}
	for _, in := range b.Intents {
		addRef(in.Label)
	}
	for _, f := range b.FAQ {
		addRef(f.Answer)
	}
	for _, c := range b.Categories {
		addRef(c.Name)
		for _, syns := range c.Synonyms {
			for _, s := range syns {
				addText(s)
			}
		}
	}
	for _, p := range b.Products {
		addText(p.Name)
		for _, syns := range p.Synonyms {
			for _, s := range syns {
				addText(s)
			}
		}
	}
	for _, f := range b.Flows {
		for _, st := range f.Steps {
			addRef(st.Say)
			addRef(st.Prompt)
			addRef(st.Retry)
		}
	}
	// The shop's pages, as loaded: words of their own, never respelt.
	if ix := b.Knowledge(); ix != nil {
		ix.Words(addWord)
	}
	return &speller{known: known, byKey: spellingsOf(known)}
}

// respelled returns text with its mistyped words written as the words
// the bot knows (see above), and text itself when it has none. The
// rest of the text (marks, spaces, accents of other words, capitals) is
// kept; a respelt word keeps its first capital or its capitals.
func (b *Bot) respelled(text string) string {
	sp := b.speller
	if sp == nil {
		return text
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
		if len(field) < minSpelled || !plainField(field) {
			continue
		}
		off := start
		eachLetterRun(field, func(from, to int) {
			run := field[from:to]
			if utf8.RuneCountInString(run) < minSpelled {
				return
			}
			r0, _ := utf8.DecodeRuneInString(run)
			caps := strings.IndexFunc(run, unicode.IsLower) < 0
			if unicode.IsUpper(r0) && !caps && !(starts && from == 0) {
				return // a name
			}
			// Most words are ASCII: lower-cased without words' cutting.
			w := run
			if asciiLetters(run) {
				w = strings.ToLower(run)
			} else if ws := words(run); len(ws) == 1 {
				w = ws[0]
			} else {
				return
			}
			fix, ok := sp.fix(w)
			if !ok {
				return
			}
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
			out.WriteString(fix)
			copied = off + to
		})
	}
	if copied == 0 {
		return text
	}
	out.WriteString(text[copied:])
	return out.String()
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// plainField reports whether a field of a message (a token between
// spaces) is words, which respelled may read: no digit (an order number,
// a model, a phone), no @ (an e-mail), no slash between letters (a
// site's path, "w/o"), no site ("www.", "://", a last dot before two or
// three letters: "sportello.it", "shop.com"). A dot before a longer word
// is a space left out: "grazie.vorrei sapere".
func plainField(f string) bool {
	if strings.Contains(f, "www.") || strings.Contains(f, "://") {
		return false
	}
	for i := 0; i < len(f); i++ {
		switch c := f[i]; {
		case '0' <= c && c <= '9', c == '@', c == '_', c == '#':
			return false
		case c == '/' && i > 0 && i+1 < len(f) && isLetterByte(f[i-1]) && isLetterByte(f[i+1]):
			return false
		}
	}
	if i := strings.LastIndexByte(f, '.'); i > 0 && isLetterByte(f[i-1]) {
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

func isLetterByte(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' || c >= utf8.RuneSelf }

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
// (see above). w is a word as words writes it.
func (sp *speller) fix(w string) (string, bool) {
	n := len(w)
	if n < minSpelled {
		return "", false
	}
	for i := 0; i < n; i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return "", false // a digit, or a letter words leaves as it is
		}
	}
	if _, ok := sp.known[w]; ok {
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
	for l := max(n-1, minSpelled); l <= n+1; l++ {
		// The buckets the words one mistake from w are in: a swap keeps
		// the first letter and puts the third second; a changed letter
		// keeps the second or the last two; a letter more or less keeps
		// the first two or the last two (spellingsOf).
		keys := [3]spellKey{bySecond(w[0], l, w[1]), byLast(w[0], l, w[n-2:]), 0}
		if l == n {
			keys[2] = bySecond(w[0], l, w[2])
		}
		for k, key := range keys {
			if key == 0 || k > 0 && key == keys[0] || k == 2 && key == keys[1] {
				continue
			}
			for _, c := range sp.byKey[key] {
				if c == found || c == swap || !oneMistake(w, c) || extract.Inflected(w, c) {
					continue
				}
				if len(c) == n && swapped(w, c) {
					swap, swaps = c, swaps+1
				}
				if found != "" {
					found = "\x00" // two words as near
				} else {
					found = c
				}
			}
		}
	}
	switch {
	case swaps == 1:
		return swap, true
	case swaps > 1 || found == "\x00":
		return "", false // two words as near: leave it
	}
	return found, found != ""
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
