package extract

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// FindPattern returns re.FindString(text). A flow file's pattern (an order
// number, a postcode or an e-mail) is tried on every message, and on a long
// one the regexp is the costliest part of reading it; so a cheap test,
// derived from the pattern, first looks for what any match must hold (an
// "@", five digits in a row) and skips the regexp when the text lacks it.
func FindPattern(re *regexp.Regexp, text string) string {
	if re == nil {
		return ""
	}
	if !prefilterOf(re).mayMatch(text) {
		return ""
	}
	return re.FindString(text)
}

// prefilters holds the test of each pattern, by its expression: a flow
// file has a few, and reloading it compiles them again.
var prefilters sync.Map // string -> *prefilter

func prefilterOf(re *regexp.Regexp) *prefilter {
	expr := re.String()
	if p, ok := prefilters.Load(expr); ok {
		return p.(*prefilter)
	}
	p := newPrefilter(expr)
	prefilters.Store(expr, p)
	return p
}

// A prefilter is what any match of a pattern holds: one of its needs, or
// anything when it has none.
type prefilter struct {
	any   bool
	needs []need
}

// A need is a literal (ASCII, folded when fold) or a run of at least n
// runes of a class (pairs of bounds, as syntax.Regexp.Rune).
type need struct {
	lit   string
	fold  bool
	class []rune
	n     int
	// ascii marks a class of ASCII runes only, held in set as bits.
	ascii bool
	set   [2]uint64
	// word: the run is a whole word between \b and \b ("\b\d{5}\b"),
	// of n to max runes of a class of word characters (max < 0: no
	// bound); the run of word characters holding it has no other rune.
	word bool
	max  int
}

// classNeed is the need of a run of n runes of class.
func classNeed(class []rune, n int) need {
	nd := need{class: class, n: n, ascii: true}
	for i := 0; i+1 < len(class); i += 2 {
		if class[i+1] >= utf8.RuneSelf {
			nd.ascii = false
			break
		}
		for r := class[i]; r <= class[i+1]; r++ {
			nd.set[r>>6] |= 1 << (r & 63)
		}
	}
	return nd
}

// newPrefilter reads expr as regexp.Compile does. Where the analysis does
// not know a construct, the pattern needs nothing and the regexp always
// runs: the test may only ever skip texts the regexp cannot match.
func newPrefilter(expr string) *prefilter {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return &prefilter{any: true}
	}
	needs, ok := needsOf(re)
	if !ok {
		return &prefilter{any: true}
	}
	return &prefilter{needs: needs}
}

// needsOf returns needs one of which every match of re holds, and false
// when it knows none.
func needsOf(re *syntax.Regexp) ([]need, bool) {
	switch re.Op {
	case syntax.OpCapture:
		return needsOf(re.Sub[0])
	case syntax.OpPlus:
		return needsOf(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min < 1 {
			return nil, false
		}
		if c, ok := runeClass(re.Sub[0]); ok {
			return []need{classNeed(c, re.Min)}, true
		}
		return needsOf(re.Sub[0])
	case syntax.OpLiteral:
		lit := string(re.Rune)
		fold := re.Flags&syntax.FoldCase != 0 && strings.IndexFunc(lit, unicode.IsLetter) >= 0
		if fold && !isASCII(lit) || strings.ContainsRune(lit, utf8.RuneError) {
			return nil, false // the regexp reads an invalid byte as U+FFFD
		}
		return []need{{lit: lit, fold: fold}}, true
	case syntax.OpCharClass:
		return []need{classNeed(re.Rune, 1)}, true
	case syntax.OpAlternate:
		var all []need
		for _, sub := range re.Sub {
			n, ok := needsOf(sub)
			if !ok {
				return nil, false
			}
			all = append(all, n...)
		}
		return all, true
	case syntax.OpConcat:
		// Every part is needed: keep the part that says the most, a
		// literal before a run, a longer one before a shorter, a whole
		// word before a run in any word.
		var best []need
		for j, sub := range re.Sub {
			n, ok := needsOf(sub)
			if w, isWord := wordNeed(re.Sub, j); isWord {
				n, ok = []need{w}, true
			}
			if ok && len(n) == 1 && (best == nil || stronger(n[0], best[0])) {
				best = n
			}
		}
		return best, best != nil
	}
	return nil, false
}

// runeClass returns the class re matches one rune of, if it is one.
func runeClass(re *syntax.Regexp) ([]rune, bool) {
	switch {
	case re.Op == syntax.OpCharClass:
		return re.Rune, true
	case re.Op == syntax.OpLiteral && len(re.Rune) == 1 && re.Flags&syntax.FoldCase == 0:
		return []rune{re.Rune[0], re.Rune[0]}, true
	}
	return nil, false
}

// wordNeed returns the need of subs[j] when it is a run of word
// characters between two \b: a whole word of that run's length.
func wordNeed(subs []*syntax.Regexp, j int) (need, bool) {
	if j == 0 || j+1 >= len(subs) || subs[j-1].Op != syntax.OpWordBoundary || subs[j+1].Op != syntax.OpWordBoundary {
		return need{}, false
	}
	sub, lo, hi := subs[j], 1, 1
	if sub.Op == syntax.OpRepeat || sub.Op == syntax.OpPlus {
		if sub.Op == syntax.OpRepeat {
			lo, hi = sub.Min, sub.Max
		} else {
			hi = -1
		}
		sub = sub.Sub[0]
	}
	c, ok := runeClass(sub)
	if !ok || lo < 1 {
		return need{}, false
	}
	nd := classNeed(c, lo)
	for r := rune(0); r < utf8.RuneSelf; r++ {
		if nd.set[r>>6]&(1<<(r&63)) != 0 && !isRegexpWordByte(byte(r)) {
			return need{}, false
		}
	}
	if !nd.ascii {
		return need{}, false
	}
	nd.word, nd.max = true, hi
	return nd, true
}

// isRegexpWordByte reports whether c is a word character to \b: an
// ASCII letter, digit or underscore (no byte of a longer rune is).
func isRegexpWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

func stronger(a, b need) bool {
	if (a.lit != "") != (b.lit != "") {
		return a.lit != ""
	}
	if a.lit != "" {
		return len(a.lit) > len(b.lit)
	}
	if a.n != b.n {
		return a.n > b.n
	}
	return a.word && !b.word
}

// mayMatch reports whether text holds one of the needs.
func (p *prefilter) mayMatch(text string) bool {
	if p.any {
		return true
	}
	for _, n := range p.needs {
		if n.heldBy(text) {
			return true
		}
	}
	return false
}

func (n need) heldBy(text string) bool {
	if n.lit != "" {
		if n.fold {
			// The only runes beyond ASCII that fold to an ASCII letter:
			// the long s and the Kelvin sign.
			if strings.ContainsAny(text, "\u017f\u212a") {
				return true
			}
			return strings.Contains(lowerASCII(text), strings.ToLower(n.lit))
		}
		return strings.Contains(text, n.lit)
	}
	if n.word {
		return n.wordIn(text)
	}
	run := 0
	if n.ascii {
		// A byte of a longer rune is outside the class, as the rune is.
		for i := 0; i < len(text); i++ {
			if c := text[i]; c >= utf8.RuneSelf || n.set[c>>6]&(1<<(c&63)) == 0 {
				run = 0
				continue
			}
			if run++; run >= n.n {
				return true
			}
		}
		return false
	}
	for _, r := range text {
		if !inClass(r, n.class) {
			run = 0
			continue
		}
		if run++; run >= n.n {
			return true
		}
	}
	return false
}

// wordIn reports whether text holds a run of word characters (\b to \b)
// of n to max bytes, all of the need's class.
func (n need) wordIn(text string) bool {
	run, in := 0, true // the run of word bytes so far, and whether all are in the class
	for i := 0; i <= len(text); i++ {
		if i < len(text) && isRegexpWordByte(text[i]) {
			run++
			in = in && n.set[text[i]>>6]&(1<<(text[i]&63)) != 0
			continue
		}
		if run >= n.n && (n.max < 0 || run <= n.max) && in {
			return true
		}
		run, in = 0, true
	}
	return false
}

func inClass(r rune, class []rune) bool {
	for i := 0; i+1 < len(class); i += 2 {
		if class[i] <= r && r <= class[i+1] {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
