package redact

import "regexp"

// ibanStart is where an IBAN can begin: two letters and two check digits
// at the start of a word.
var ibanStart = regexp.MustCompile(`(?i)\b[a-z]{2}[0-9]{2}`)

// ibanLen is the length of the IBANs of the countries Sportello's
// customers are most likely to write (ISO 13616 registry). An IBAN of one
// of them is found even when the text runs on without a space after it;
// others end where a group of letters and digits ends.
var ibanLen = map[string]int{
	"IT": 27, "SM": 27, "VA": 22, "FR": 27, "MC": 27, "DE": 22, "AT": 20, "CH": 21, "LI": 21,
	"ES": 24, "PT": 25, "GB": 22, "IE": 22, "NL": 18, "BE": 16, "LU": 20, "DK": 18, "SE": 24,
	"NO": 15, "FI": 18, "PL": 28, "CZ": 24, "SK": 24, "SI": 19, "HR": 21, "HU": 28, "RO": 24,
	"BG": 22, "GR": 27, "MT": 31, "CY": 28, "EE": 20, "LV": 21, "LT": 20, "AL": 28, "RS": 22,
}

// ibans returns the IBANs in text, grouped ("IT60 X054 2811 ...") or not,
// with mod-97 check digits that hold.
func ibans(text string) []Match {
	var out []Match
	next := 0
	for _, loc := range ibanStart.FindAllStringIndex(text, -1) {
		if loc[0] < next {
			continue
		}
		if end, ok := ibanAt(text, loc[0]); ok {
			out = append(out, Match{Start: loc[0], End: end, Value: compact(text[loc[0]:end])})
			next = end
		}
	}
	return out
}

// ibanAt returns the end of the longest valid IBAN that starts at
// text[start]: letters and digits, in groups split by one space or dash.
func ibanAt(text string, start int) (int, bool) {
	// ends[n] is where the IBAN of n characters would end; boundary[n]
	// says whether a group of letters and digits ends there.
	var ends [35]int
	var boundary [35]bool
	n := 0
	for i := start; i < len(text) && n < 34; i++ {
		c := text[i]
		if isAlnum(c) {
			n++
			ends[n] = i + 1
			boundary[n] = i+1 == len(text) || !isAlnum(text[i+1])
			continue
		}
		if (c == ' ' || c == '-') && n > 0 && i+1 < len(text) && isAlnum(text[i+1]) {
			continue
		}
		break
	}
	want, known := ibanLen[upper2(text[start:start+2])]
	for l := min(n, 34); l >= 15; l-- {
		if known && l != want || !known && !boundary[l] {
			continue
		}
		if validIBAN(text[start:ends[l]]) {
			return ends[l], true
		}
	}
	return 0, false
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func upper2(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// compact returns the IBAN s upper-cased, without its separators.
func compact(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; isAlnum(c) {
			if 'a' <= c && c <= 'z' {
				c = c - 'a' + 'A'
			}
			b = append(b, c)
		}
	}
	return string(b)
}

// validIBAN checks an IBAN's mod-97 check digits (ISO 13616).
func validIBAN(s string) bool {
	s = compact(s)
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	s = s[4:] + s[:4]
	rem := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		default:
			rem = (rem*100 + int(c-'A'+10)) % 97
		}
	}
	return rem == 1
}
