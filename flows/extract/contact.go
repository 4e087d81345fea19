package extract

import (
	"regexp"
	"strings"
	"time"
)

// Pattern returns the first match of re in text, trimmed and upper-cased:
// with re `(?i)ord-\d{6}`, "il mio ordine è ord-123456" gives "ORD-123456".
// The flow file gives re; make it case-insensitive to accept what customers
// type. A nil re or an empty match gives ok=false.
func Pattern(text string, re *regexp.Regexp) (string, bool) {
	if re == nil {
		return "", false
	}
	m := strings.TrimSpace(re.FindString(text))
	if m == "" {
		return "", false
	}
	return strings.ToUpper(m), true
}

var reEmail = regexp.MustCompile(`(?i)[a-z0-9](?:[a-z0-9._%+\-]*[a-z0-9_%+\-])?@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,24}\b`)

// Email returns the first e-mail address in text, lower-cased: mailboxes are
// case-insensitive in practice, and the desk compares addresses.
func Email(text string) (string, bool) {
	if !strings.Contains(text, "@") {
		return "", false
	}
	s := newScan(Read(text), Options{})
	s.urlsAndEmails()
	for _, v := range s.vals {
		if v.Kind == KindEmail {
			return v.Value, true
		}
	}
	return "", false
}

// Phone returns the first phone number in text, as digits with a leading +
// and the country code: "+39 333 123 4567", "0039 333 1234567", "(+39)
// 333-1234567", "333-1234567", "02 1234567", "+44 20 7946 0958". A number
// without a country code is taken as Italian: a mobile (3..., 9 or 10
// digits), a landline (0..., 6 to 11 digits) or a toll-free number (80...).
// Order numbers, dates and prices are not phone numbers. Phone reads as
// Scan does.
func Phone(text string) (string, bool) {
	s := newScan(Read(text), Options{Now: time.Now()})
	s.numericDates() // "02/03/2025" has the digits of a landline
	s.phones()
	for _, v := range s.vals {
		if v.Kind == KindPhone {
			return v.Value, true
		}
	}
	return "", false
}

func isLetterByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func phoneNumber(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	intl := strings.HasPrefix(raw, "+") || strings.HasPrefix(raw, "(+")
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; '0' <= c && c <= '9' {
			b.WriteByte(c)
		}
	}
	d := b.String()
	if !intl && strings.HasPrefix(d, "00") {
		intl, d = true, d[2:]
	}
	if intl {
		// E.164: a country code that does not start with 0, at most 15 digits.
		if len(d) < 8 || len(d) > 15 || d[0] == '0' {
			return "", false
		}
		return "+" + d, true
	}
	switch {
	case d[0] == '3' && (len(d) == 9 || len(d) == 10):
	case d[0] == '0' && len(d) >= 6 && len(d) <= 11:
	case strings.HasPrefix(d, "80") && len(d) >= 6 && len(d) <= 10:
	default:
		return "", false
	}
	return "+39" + d, true
}
