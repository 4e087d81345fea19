package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// WithApostrophes returns text with the English contractions customers
// write without their apostrophe written with it ("dont" as "don't",
// "Im" as "I'm", "id like" as "i'd like"), so that every rule reads
// them as it reads the contraction. "id", "ill" and "wed" are also
// words ("order id", "Wed 4 June"): they take one only before a verb
// that follows such a contraction.
func WithApostrophes(text string) string {
	var b strings.Builder
	changed := false
	rest := text
	for len(rest) > 0 {
		// Copy what is not a word, then read the next word.
		i := strings.IndexFunc(rest, unicode.IsLetter)
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		rest = rest[i:]
		j := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) })
		if j < 0 {
			j = len(rest)
		}
		w, after := rest[:j], rest[j:]
		rest = after
		if r, _ := utf8.DecodeRuneInString(after); r == '\'' || r == '’' {
			b.WriteString(w) // written with one already
			continue
		}
		lower := strings.ToLower(w)
		at, ok := contractions[lower]
		if !ok {
			if at, ok = beforeVerb[lower]; ok && !verbFollows(after) {
				ok = false
			}
		}
		if !ok {
			b.WriteString(w)
			continue
		}
		b.WriteString(w[:at])
		b.WriteByte('\'')
		b.WriteString(w[at:])
		changed = true
	}
	if !changed {
		return text
	}
	return b.String()
}

// contractions are English contractions written without the apostrophe
// that no other word is spelled as, by where the apostrophe goes.
var contractions = func() map[string]int {
	m := map[string]int{}
	for _, c := range strings.Fields(`don't doesn't didn't isn't aren't wasn't weren't won't can't couldn't wouldn't
		shouldn't haven't hasn't hadn't mustn't needn't ain't i'm i've you're you've they're they've we've
		that's what's where's there's who's how's here's it'll you'll they'll we'll i'll`) {
		m[strings.ReplaceAll(c, "'", "")] = strings.IndexByte(c, '\'')
	}
	// "we'll" is "well", "i'll" "ill": words as written ("its", "lets",
	// "were" are left out of the list for the same reason).
	for _, w := range []string{"ill", "well"} {
		delete(m, w)
	}
	return m
}()

// beforeVerb are the contractions that are words too, taken for the
// contraction before a verb.
var beforeVerb = map[string]int{"id": 1, "ill": 1, "wed": 2}

// verbFollows reports whether the next word of after is one that follows
// "I'd", "I'll" or "we'd" ("like", "rather", "take").
func verbFollows(after string) bool {
	f := strings.Fields(strings.ToLower(after))
	if len(f) == 0 {
		return false
	}
	return contractedVerbs[strings.TrimFunc(f[0], func(r rune) bool { return !unicode.IsLetter(r) })]
}

var contractedVerbs = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`like love prefer rather need want be have take buy get go try call send wait check come pay
		keep do make ask appreciate say order return just also probably really definitely never not still`) {
		m[w] = true
	}
	return m
}()
