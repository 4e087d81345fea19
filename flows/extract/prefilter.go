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
			return []need{{class: c, n: re.Min}}, true
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
		return []need{{class: re.Rune, n: 1}}, true
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
		// literal before a run, a longer one before a shorter.
		var best []need
		for _, sub := range re.Sub {
			n, ok := needsOf(sub)
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

func stronger(a, b need) bool {
	if (a.lit != "") != (b.lit != "") {
		return a.lit != ""
	}
	if a.lit != "" {
		return len(a.lit) > len(b.lit)
	}
	return a.n > b.n
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
	run := 0
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
