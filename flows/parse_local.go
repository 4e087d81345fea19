package flows

// Stand-ins for the parsers flows/extract is growing (Date, YesNo, Number,
// Money, Email, Phone); the slot extractors switch to extract's as they
// land.

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/flows/extract"
)

// A precision says how much of a date the customer gave.
type precision int

const (
	precDay precision = iota
	precMonth
	precYear
)

var months = map[string]time.Month{
	"gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6,
	"luglio": 7, "agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12,
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
	"july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"gen": 1, "feb": 2, "mar": 3, "apr": 4, "mag": 5, "giu": 6, "lug": 7, "ago": 8, "set": 9, "ott": 10, "nov": 11, "dic": 12,
	"jan": 1, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "dec": 12,
}

var numberWords = map[string]int{
	"uno": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9, "dieci": 10,
	"undici": 11, "dodici": 12, "quindici": 15, "venti": 20, "trenta": 30, "cinquanta": 50, "cento": 100,
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100,
	"paio": 2, "couple": 2, "dozen": 12, "dozzina": 12,
}

var (
	reDMY      = regexp.MustCompile(`\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b`)
	reYMD      = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	reMY       = regexp.MustCompile(`\b(\d{1,2})[/.-](\d{4})\b`)
	reYear     = regexp.MustCompile(`\b(19|20)\d\d\b`)
	reAgo      = regexp.MustCompile(`\b(\d+|[a-z]+)\s+(giorn[oi]|settiman[ae]|mes[ei]|ann[oi]|days?|weeks?|months?|years?)\s+(fa|ago)\b`)
	reEmail    = regexp.MustCompile(`(?i)[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}`)
	rePhone    = regexp.MustCompile(`\+?\d[\d .-]{6,16}\d`)
	reMoney    = regexp.MustCompile(`(?i)(€|eur|euro|\$|usd|£|gbp)?\s*(\d{1,3}(?:[.,' ]\d{3})+|\d+)(?:[.,](\d{1,2}))?\s*(k|mila)?\s*(€|eur|euro|euros|\$|usd|dollar[is]?|£|gbp|sterline|pounds?)?`)
	reInt      = regexp.MustCompile(`\b\d{1,6}\b`)
	reNonWords = regexp.MustCompile(`[^\p{L}\p{N}]+`)
)

// words returns the normalised words of text.
func words(text string) []string {
	return strings.Fields(reNonWords.ReplaceAllString(extract.Normalize(text), " "))
}

// parseDate reads a date in Italian or English: 15/03/2025, 2025-03-15,
// 15 marzo 2025, marzo 2025, 03/2025, two months ago, ieri, oggi.
func parseDate(text string, now time.Time) (time.Time, precision, bool) {
	norm := strings.Join(words(text), " ")
	day := func(y, m, d int) (time.Time, bool) {
		if y < 100 {
			y += 2000
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, now.Location())
		return t, t.Day() == d && int(t.Month()) == m
	}
	if m := reYMD.FindStringSubmatch(text); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if t, ok := day(y, mo, d); ok {
			return t, precDay, true
		}
	}
	if m := reDMY.FindStringSubmatch(text); m != nil {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		if t, ok := day(y, mo, d); ok {
			return t, precDay, true
		}
	}
	if m := reMY.FindStringSubmatch(text); m != nil {
		mo, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		if t, ok := day(y, mo, 1); ok {
			return t, precMonth, true
		}
	}
	if m := reAgo.FindStringSubmatch(norm); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			n = numberWords[m[1]]
			if m[1] == "un" || m[1] == "una" || m[1] == "a" || m[1] == "an" {
				n = 1
			}
		}
		if n > 0 {
			y, mo, d := now.Date()
			switch m[2][0] {
			case 'g', 'd':
				return time.Date(y, mo, d-n, 0, 0, 0, 0, now.Location()), precDay, true
			case 's', 'w':
				return time.Date(y, mo, d-7*n, 0, 0, 0, 0, now.Location()), precDay, true
			case 'm':
				return time.Date(y, mo-time.Month(n), 1, 0, 0, 0, 0, now.Location()), precMonth, true
			default:
				return time.Date(y-n, mo, 1, 0, 0, 0, 0, now.Location()), precMonth, true
			}
		}
	}
	ws := words(text)
	for i, w := range ws {
		mo, ok := months[w]
		if !ok || (len(w) <= 3 && w == "set") {
			continue
		}
		y := now.Year()
		explicitYear := false
		if i+1 < len(ws) {
			if n, err := strconv.Atoi(ws[i+1]); err == nil && n >= 1900 && n < 2200 {
				y, explicitYear = n, true
			}
		}
		if !explicitYear && time.Date(y, mo, 1, 0, 0, 0, 0, now.Location()).After(now) {
			y-- // "a marzo" in February is last March
		}
		if i > 0 {
			if d, err := strconv.Atoi(ws[i-1]); err == nil && d >= 1 && d <= 31 {
				if t, ok := day(y, int(mo), d); ok {
					return t, precDay, true
				}
			}
		}
		if i+1 < len(ws) && !explicitYear {
			if d, err := strconv.Atoi(ws[i+1]); err == nil && d >= 1 && d <= 31 {
				if i+2 < len(ws) {
					if n, err := strconv.Atoi(ws[i+2]); err == nil && n >= 1900 {
						y = n
					}
				}
				if t, ok := day(y, int(mo), d); ok {
					return t, precDay, true
				}
			}
		}
		return time.Date(y, mo, 1, 0, 0, 0, 0, now.Location()), precMonth, true
	}
	for _, w := range ws {
		y, mo, d := now.Date()
		switch w {
		case "oggi", "today":
			return time.Date(y, mo, d, 0, 0, 0, 0, now.Location()), precDay, true
		case "ieri", "yesterday":
			return time.Date(y, mo, d-1, 0, 0, 0, 0, now.Location()), precDay, true
		}
	}
	if m := reYear.FindString(text); m != "" && len(ws) <= 4 {
		y, _ := strconv.Atoi(m)
		return time.Date(y, 1, 1, 0, 0, 0, 0, now.Location()), precYear, true
	}
	return time.Time{}, 0, false
}

// parseYesNo reads a yes or a no.
func parseYesNo(text string) (yes, ok bool) {
	ws := words(text)
	if len(ws) == 0 || len(ws) > 6 {
		return false, false
	}
	switch strings.Join(ws, " ") {
	case "va bene", "ok grazie", "of course", "sure thing", "yes please", "si grazie", "no grazie", "no thanks", "not really", "non proprio", "per niente":
		return ws[0] != "no" && ws[0] != "not" && ws[0] != "non" && ws[0] != "per", true
	}
	switch ws[0] {
	case "si", "sì", "certo", "esatto", "giusto", "ok", "okay", "yes", "yeah", "yep", "sure", "certainly", "correct", "right", "y", "ja":
		return true, true
	case "no", "nope", "nah", "n", "non", "never", "mai":
		return false, true
	}
	return false, false
}

// parseNumber reads a whole number, in digits or words.
func parseNumber(text string) (int, bool) {
	if m := reInt.FindString(text); m != "" {
		n, err := strconv.Atoi(m)
		return n, err == nil
	}
	for _, w := range words(text) {
		if n, ok := numberWords[w]; ok {
			return n, true
		}
	}
	return 0, false
}

// parseMoney reads an amount and its currency (EUR when none is given).
func parseMoney(text string) (float64, string, bool) {
	for _, m := range reMoney.FindAllStringSubmatch(text, -1) {
		digits := strings.NewReplacer(".", "", ",", "", "'", "", " ", "").Replace(m[2])
		v, err := strconv.ParseFloat(digits, 64)
		if err != nil {
			continue
		}
		if m[3] != "" {
			c, _ := strconv.ParseFloat("0."+m[3], 64)
			v += c
		}
		if m[4] != "" {
			v *= 1000
		}
		cur := strings.ToLower(m[1] + m[5])
		switch {
		case strings.Contains(cur, "$") || strings.Contains(cur, "usd") || strings.Contains(cur, "dollar"):
			cur = "USD"
		case strings.Contains(cur, "£") || strings.Contains(cur, "gbp") || strings.Contains(cur, "sterlin") || strings.Contains(cur, "pound"):
			cur = "GBP"
		default:
			cur = "EUR"
		}
		return v, cur, true
	}
	return 0, "", false
}

func parseEmail(text string) (string, bool) {
	m := reEmail.FindString(text)
	return strings.ToLower(m), m != ""
}

func parsePhone(text string) (string, bool) {
	m := rePhone.FindString(text)
	if m == "" {
		return "", false
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '+' {
			return r
		}
		return -1
	}, m)
	if n := len(strings.TrimPrefix(digits, "+")); n < 8 || n > 15 {
		return "", false
	}
	return digits, true
}
