package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns text in lower case, with accents removed, every character
// that is neither a letter nor a digit turned into a space, and runs of spaces
// collapsed: "Perché NON si accende?!" becomes "perche non si accende".
// Ligatures are spelled out ("ß" becomes "ss", "œ" becomes "oe").
//
// It reads as tokenize does, writing the tokens as it finds them: it is
// called on every message several times, and a slice of tokens would be
// its main cost.
func Normalize(text string) string { return normalize(text, nil) }

// normalize is Normalize, appending to starts, if not nil, the offset in
// its result of each word.
func normalize(text string, starts *[]int) string {
	var b strings.Builder
	b.Grow(len(text))
	word := false // inside a token that has written something
	for _, r := range text {
		if r < utf8.RuneSelf {
			switch {
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			case 'A' <= r && r <= 'Z':
				r += 'a' - 'A'
			default:
				word = false
				continue
			}
			if !word {
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				if starts != nil {
					*starts = append(*starts, b.Len())
				}
			}
			word = true
			b.WriteByte(byte(r))
			continue
		}
		folded, ok := foldRune(r)
		if !ok {
			word = false
			continue
		}
		if folded == "" { // a combining mark: part of the word, but not kept
			continue
		}
		if !word {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			if starts != nil {
				*starts = append(*starts, b.Len())
			}
		}
		word = true
		b.WriteString(folded)
	}
	return b.String()
}

// A token is one word or number of the input, normalised, with its place in
// the original text so that a match can quote what the customer wrote.
type token struct {
	text       string
	start, end int // byte offsets in the original text
}

// modelPlural returns a model's name without the English plural: "a55s"
// is "a55", "v8s" is "v8" ("3 Galaxy A55s" are three A55): one or two
// letters, digits, "s". "90s" and "ios" stay.
func modelPlural(w string) string {
	n := len(w)
	if n < 4 || w[n-1] != 's' || w[n-2] < '0' || w[n-2] > '9' {
		return w
	}
	i := n - 2
	for i > 0 && w[i-1] >= '0' && w[i-1] <= '9' {
		i--
	}
	if i == 0 {
		return w // digits only: "90s"
	}
	for j := 0; j < i; j++ {
		if w[j] < 'a' || w[j] > 'z' {
			return w
		}
	}
	if i > 2 {
		return w // a word before the digits, not a model's letter or two
	}
	return w[:n-1]
}

// tokenize splits text into normalised tokens. It is the one place that
// decides what a word is, so Normalize and the extractors always agree.
func tokenize(text string) []token {
	return tokenizeLower(text, lowerASCII(text))
}

// tokenizeLower is tokenize given lo, text with its ASCII in lower case:
// a token spelt as in lo, as most are, shares its memory.
func tokenizeLower(text, lo string) []token {
	toks := make([]token, 0, len(text)/5+1)
	var cur []byte
	start := -1
	// plain: the token so far is lo[start:i], ASCII letters and digits,
	// and cur is not written; a rune of other scripts starts writing it.
	plain := false
	flush := func(end int) {
		if start >= 0 {
			t := token{start: start, end: end}
			if plain || end-start == len(cur) && lo[start:end] == string(cur) {
				t.text = lo[start:end]
			} else {
				t.text = string(cur)
			}
			toks = append(toks, t)
		}
		cur = cur[:0]
		start = -1
	}
	for i := 0; i < len(text); {
		// ASCII is nearly all of what customers write: keep it fast.
		if c := lo[i]; c < utf8.RuneSelf {
			if !isLowerWordByte(c) {
				flush(i)
				i++
				continue
			}
			// The run of ASCII letters and digits, at once.
			j := i + 1
			for j < len(lo) && isLowerWordByte(lo[j]) {
				j++
			}
			if start < 0 {
				start, plain = i, true
			} else if !plain {
				cur = append(cur, lo[i:j]...)
			}
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		folded, ok := foldRune(r)
		if !ok {
			flush(i)
			i += size
			continue
		}
		if start >= 0 && plain {
			cur, plain = append(cur[:0], lo[start:i]...), false
		}
		if folded == "" { // a combining mark: part of the word, but not kept
			i += size
			continue
		}
		if start < 0 {
			start, plain = i, false
		}
		cur = append(cur, folded...)
		i += size
	}
	flush(len(text))
	return toks
}

// isLowerWordByte reports whether c is a lower-case ASCII letter or a digit.
func isLowerWordByte(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// ligatures are letters that Unicode does not decompose into a base letter.
var ligatures = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'þ': "th", 'ı': "i",
}

// latinFold holds foldRune's answers for the Latin letters below U+0250
// (è, à, ç, ß...), which are nearly all the accents Italian and English
// customers type: NFD on every one of them would cost more than the rest
// of the reading.
var latinFold = func() (t [0x250]struct {
	s  string
	ok bool
}) {
	for r := rune(0x80); r < 0x250; r++ {
		t[r].s, t[r].ok = foldSlow(r)
	}
	return t
}()

// foldRune returns the lower-case, accent-free spelling of a non-ASCII rune,
// "" for a combining mark, and ok=false for a separator.
func foldRune(r rune) (string, bool) {
	if r >= 0 && r < 0x250 {
		return latinFold[r].s, latinFold[r].ok
	}
	return foldSlow(r)
}

func foldSlow(r rune) (string, bool) {
	if s, ok := ligatures[r]; ok {
		return s, true
	}
	if unicode.Is(unicode.Mn, r) {
		return "", true
	}
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return "", false
	}
	var b strings.Builder
	for _, d := range norm.NFD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		b.WriteRune(unicode.ToLower(d))
	}
	return b.String(), true
}

// fold lower-cases text and removes accents but keeps punctuation, for the
// extractors that need it: "15/03", "1.200,50 €", "+39".
func fold(text string) string {
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(text)
	}
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range text {
		if r < utf8.RuneSelf {
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		if s, ok := foldRune(r); ok {
			b.WriteString(s)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
