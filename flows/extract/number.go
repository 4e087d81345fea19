package extract

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Number finds the first whole number in the text, in digits or in Italian or
// English words: "2", "10 pezzi", "1.000", "due", "ventitré", "two", "twenty
// one", "una dozzina", "a couple", "un paio". "un"/"una"/"uno" count as one
// ("ne vorrei una"); the English "a" does not. A number with a fractional part
// ("2,5") is not a whole number and gives ok=false. lang is accepted for
// symmetry with Date; both vocabularies are always read.
func Number(text, lang string) (n int, ok bool) {
	lo := lowerASCII(text)
	digitAt, digitVal := -1, 0
	for _, m := range reAmount.FindAllStringIndex(lo, -1) {
		v, ok := parseAmount(lo[m[0]:m[1]])
		if !ok || v != math.Trunc(v) || v > math.MaxInt32 {
			continue
		}
		// "2,5" has already been read as 2.5 and skipped; "2" in "2.5.2025"
		// fails parseAmount, so dates are no numbers.
		digitAt, digitVal = m[0], int(v)
		break
	}
	toks := tokenize(text)
	for i := range toks {
		if digitAt >= 0 && toks[i].start >= digitAt {
			break
		}
		if isDigits(toks[i].text) {
			continue
		}
		if v, _, ok := numberAt(toks, i); ok {
			return v, true
		}
	}
	if digitAt >= 0 {
		return digitVal, true
	}
	return 0, false
}

// numberAt reads the longest number in words starting at toks[i] and returns
// it with the index after it.
func numberAt(toks []token, i int) (n, end int, ok bool) {
	var buf [6]string
	words := buf[:0]
	for j := i; j < len(toks) && j < i+6; j++ {
		// Only words that may be part of a number: "one hundred and five".
		if w := toks[j].text; j > i && !numberWord(w) {
			break
		}
		words = append(words, toks[j].text)
	}
	for k := len(words); k > 0; k-- {
		if v, ok := numberWords(words[:k]); ok {
			return v, i + k, true
		}
	}
	return 0, i, false
}

// numberWord reports whether w may stand inside a number in words.
func numberWord(w string) bool {
	switch w {
	case "and", "hundred", "thousand", "mila", "di", "of", "a", "dozen", "dozzina", "paio", "couple", "pair", "coppia",
		"decina", "ventina", "trentina", "quarantina", "cinquantina", "quindicina", "centinaio", "migliaio":
		return true
	}
	if _, ok := englishSmall[w]; ok {
		return true
	}
	_, ok := italianNumber(w)
	return ok
}

// quantityPhrases are the words for amounts that are not numbers.
var quantityPhrases = map[string]int{
	"una dozzina": 12, "dozzina": 12, "a dozen": 12, "dozen": 12, "one dozen": 12,
	"mezza dozzina": 6, "half a dozen": 6, "un paio": 2, "paio": 2, "a couple": 2,
	"a pair": 2, "couple": 2, "pair": 2, "un centinaio": 100, "a hundred": 100,
	"un migliaio": 1000, "a thousand": 1000, "nessuno": 0, "nessuna": 0, "none": 0,
	"un paio di": 2, "a couple of": 2, "a pair of": 2, "una coppia di": 2,
	// Rough counts: "una decina di portatili" is about ten.
	"una decina": 10, "decina": 10, "una quindicina": 15, "una ventina": 20, "ventina": 20,
	"una trentina": 30, "una quarantina": 40, "una cinquantina": 50, "un centinaio di": 100,
}

// numberWords reads words that together spell one number: "ventitre",
// "twenty one", "one hundred and five", "due mila", "a dozen".
func numberWords(words []string) (int, bool) {
	if len(words) == 0 {
		return 0, false
	}
	if n, ok := quantityPhrases[strings.Join(words, " ")]; ok {
		return n, true
	}
	if len(words) == 1 {
		w := words[0]
		if isDigits(w) {
			if len(w) > 9 {
				return 0, false
			}
			return atoi(w), true
		}
		if n, ok := italianNumber(w); ok {
			return n, true
		}
	}
	if len(words) == 2 && words[1] == "mila" { // "due mila"
		if n, ok := numberWords(words[:1]); ok && n > 1 && n < 1000 {
			return n * 1000, true
		}
	}
	return englishNumber(words)
}

var italianSmall = map[string]int{
	"zero": 0, "uno": 1, "una": 1, "un": 1, "due": 2, "du": 2, "tre": 3, "quattro": 4, "cinque": 5,
	"sei": 6, "sette": 7, "otto": 8, "nove": 9, "dieci": 10, "undici": 11, "dodici": 12,
	"tredici": 13, "quattordici": 14, "quindici": 15, "sedici": 16, "diciassette": 17,
	"diciotto": 18, "diciannove": 19,
}

var italianTens = []struct {
	word string
	n    int
}{
	{"venti", 20}, {"vent", 20}, {"trenta", 30}, {"trent", 30}, {"quaranta", 40}, {"quarant", 40},
	{"cinquanta", 50}, {"cinquant", 50}, {"sessanta", 60}, {"sessant", 60}, {"settanta", 70},
	{"settant", 70}, {"ottanta", 80}, {"ottant", 80}, {"novanta", 90}, {"novant", 90},
}

// italianNumber reads an Italian number word, which is written as one word
// however long: "ventitre", "centottanta", "duemilacinquecento".
func italianNumber(w string) (int, bool) {
	if w == "" || strings.IndexByte("udtqcsonvmz", w[0]) < 0 {
		return 0, false // no Italian number starts otherwise
	}
	if n, ok := italianSmall[w]; ok {
		return n, true
	}
	if rest, ok := strings.CutPrefix(w, "mille"); ok {
		if rest == "" {
			return 1000, true
		}
		r, ok := italianNumber(rest)
		return 1000 + r, ok && r > 0 && r < 1000
	}
	if i := strings.Index(w, "mila"); i > 0 {
		left, ok := italianNumber(w[:i])
		if !ok || left < 2 || left > 999 {
			return 0, false
		}
		rest := w[i+4:]
		if rest == "" {
			return left * 1000, true
		}
		r, ok := italianNumber(rest)
		return left*1000 + r, ok && r > 0 && r < 1000
	}
	if i := strings.Index(w, "cent"); i >= 0 {
		left := 1
		if i > 0 {
			l, ok := italianSmall[w[:i]]
			if !ok || l < 2 || l > 9 {
				return 0, false
			}
			left = l
		}
		rest := strings.TrimPrefix(w[i+4:], "o")
		if rest == "" {
			return left * 100, true
		}
		// "centottanta" drops the o of cento before otto and ottanta.
		r, ok := italianNumber(rest)
		if !ok {
			r, ok = italianNumber("o" + rest)
		}
		return left*100 + r, ok && r > 0 && r < 100
	}
	for _, t := range italianTens {
		rest, ok := strings.CutPrefix(w, t.word)
		if !ok {
			continue
		}
		if rest == "" {
			return t.n, len(t.word) > 5 || t.n == 20 && t.word == "venti"
		}
		if u, ok := italianSmall[rest]; ok && u >= 1 && u <= 9 && rest != "un" && rest != "una" {
			return t.n + u, true
		}
	}
	return 0, false
}

var englishSmall = map[string]int{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
	"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
	"nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
	"seventy": 70, "eighty": 80, "ninety": 90,
}

// englishNumber reads English number words: "twenty one", "a hundred and
// five", "two thousand".
func englishNumber(words []string) (int, bool) {
	total, cur := 0, 0
	seen := false
	for i, w := range words {
		switch {
		case w == "a" && i == 0 && len(words) > 1:
			cur = 1
		case w == "and" && seen && i < len(words)-1:
		case w == "hundred":
			if cur < 1 || cur > 99 {
				return 0, false
			}
			cur *= 100
			seen = true
		case w == "thousand":
			if cur < 1 || cur > 999 {
				return 0, false
			}
			total += cur * 1000
			cur = 0
		default:
			n, ok := englishSmall[w]
			if !ok {
				return 0, false
			}
			// "twenty one" and "hundred and five" add up; "one twenty" does not.
			r := cur % 100
			if cur != 0 && r != 0 && !(r >= 20 && r%10 == 0 && n >= 1 && n <= 9) {
				return 0, false
			}
			cur += n
			seen = true
		}
	}
	if !seen {
		return 0, false
	}
	return total + cur, true
}

// reAmount is a number written with digits, with thousands or decimal
// separators: "800", "1.200", "1.200,50", "1,5", "1'200".
var reAmount = regexp.MustCompile(`\d+(?:[.,']\d+)*`)

// parseAmount reads a number written the Italian way ("1.200,50") or the
// English way ("1,200.50"). A separator followed by exactly three digits
// separates thousands ("1.200" is twelve hundred in Italy); one followed by
// one or two digits is the decimal point ("1,5", "12.50"). Anything else
// ("15.03.2025", "1.2.3") is not an amount.
func parseAmount(s string) (float64, bool) {
	last := strings.LastIndexAny(s, ".,'")
	if last < 0 {
		v, err := strconv.ParseFloat(s, 64)
		return v, err == nil
	}
	intPart, frac := s, ""
	if tail := s[last+1:]; len(tail) <= 2 && s[last] != '\'' {
		intPart, frac = s[:last], tail
	}
	groups := strings.FieldsFunc(intPart, func(r rune) bool { return r == '.' || r == ',' || r == '\'' })
	// One kind of thousands separator only, and groups of three.
	if seps := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return -1
		}
		return r
	}, intPart); seps != "" && strings.Trim(seps, seps[:1]) != "" {
		return 0, false
	}
	if frac != "" && strings.ContainsRune(intPart, rune(s[last])) {
		return 0, false // "1.200.50"
	}
	for i, g := range groups {
		if i == 0 && (len(g) == 0 || len(g) > 3 && len(groups) > 1) || i > 0 && len(g) != 3 {
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(strings.Join(groups, "")+"."+frac+"0", 64)
	return v, err == nil
}

// lowerASCII lower-cases ASCII letters only, so that byte offsets stay those
// of the original text.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
