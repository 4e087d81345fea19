// Package redact removes personal data from texts before they are
// archived: payment card numbers (checked with Luhn), IBANs (checked with
// their mod-97 digits), e-mail addresses and phone numbers. Each is
// replaced by a marker such as [card], so a reader still sees that the
// customer gave one.
package redact

import (
	"regexp"
	"strings"
)

// Config says what to redact. DefaultConfig redacts everything.
type Config struct {
	Cards  bool `yaml:"cards" json:"cards"`
	IBANs  bool `yaml:"ibans" json:"ibans"`
	Emails bool `yaml:"emails" json:"emails"`
	Phones bool `yaml:"phones" json:"phones"`
}

// DefaultConfig redacts cards, IBANs, e-mail addresses and phone numbers.
func DefaultConfig() Config { return Config{Cards: true, IBANs: true, Emails: true, Phones: true} }

// The markers that replace what is redacted.
const (
	Card  = "[card]"
	IBAN  = "[iban]"
	Email = "[email]"
	Phone = "[phone]"
)

var (
	// Digits in groups, as people type card numbers: 4111 1111-1111 1111.
	cardRe = regexp.MustCompile(`\b\d(?:[ -]?\d){12,18}\b`)
	// Two letters, two check digits, then up to 30 letters and digits,
	// possibly in groups of four.
	ibanRe  = regexp.MustCompile(`(?i)\b[a-z]{2}\d{2}(?:[ ]?[a-z0-9]){11,30}\b`)
	emailRe = regexp.MustCompile(`(?i)\b[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}\b`)
	// International numbers (+39 or 0039 and 8 to 15 digits), and Italian
	// ones without the prefix: fixed lines start with 0, mobiles with 3,
	// 9 to 11 digits. Order numbers (letters, or other first digits) are
	// left alone.
	phoneIntlRe = regexp.MustCompile(`(?:\+|\b00)\d{1,3}(?:[ .\-/]?\(?\d+\)?){2,6}`)
	phoneNatRe  = regexp.MustCompile(`\b[03]\d{1,4}(?:[ .\-/]?\d{2,5}){1,4}\b`)
)

// A Redactor rewrites texts. The zero value redacts nothing.
type Redactor struct{ cfg Config }

// New returns a Redactor for cfg.
func New(cfg Config) *Redactor { return &Redactor{cfg: cfg} }

// String returns s with what cfg names replaced by markers.
func (r *Redactor) String(s string) string {
	if r == nil || s == "" || !r.cfg.Cards && !r.cfg.IBANs && !r.cfg.Emails && !r.cfg.Phones {
		return s
	}
	// Cards and IBANs first: their digits would look like phone numbers.
	if r.cfg.Cards {
		s = cardRe.ReplaceAllStringFunc(s, func(m string) string {
			if luhn(digits(m)) {
				return Card
			}
			return m
		})
	}
	if r.cfg.IBANs {
		s = ibanRe.ReplaceAllStringFunc(s, redactIBAN)
	}
	if r.cfg.Emails {
		s = emailRe.ReplaceAllString(s, Email)
	}
	if r.cfg.Phones {
		s = phoneIntlRe.ReplaceAllStringFunc(s, func(m string) string {
			if n := len(digits(m)); n >= 8 && n <= 15 {
				return Phone
			}
			return m
		})
		s = phoneNatRe.ReplaceAllStringFunc(s, func(m string) string {
			if n := len(digits(m)); n >= 9 && n <= 11 {
				return Phone
			}
			return m
		})
	}
	return s
}

func digits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// luhn reports whether the digits d pass the Luhn check of card numbers.
func luhn(d string) bool {
	if len(d) < 13 || len(d) > 19 {
		return false
	}
	sum := 0
	for i := range len(d) {
		n := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

// redactIBAN replaces the longest valid IBAN at the start of m: the
// pattern may have run on into the words that follow it.
func redactIBAN(m string) string {
	for end := len(m); end >= 15; end-- {
		if end < len(m) && m[end] != ' ' {
			continue
		}
		if validIBAN(m[:end]) {
			return IBAN + m[end:]
		}
	}
	return m
}

// validIBAN checks an IBAN's mod-97 check digits (ISO 13616).
func validIBAN(s string) bool {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	s = s[4:] + s[:4]
	rem := 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return rem == 1
}
