package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
)

// LogRef names value in a log line without showing it: label, a colon
// and the first 8 hex digits of the SHA-256 of label and value. The same
// value gives the same reference on every line and replica, so that an
// operator can follow one order through the logs; the logs never hold
// the value itself. It is a pseudonym, not a secret: a value from a small
// space (a six-digit order number) can be found by trying them all.
func LogRef(label, value string) string {
	s := sha256.Sum256([]byte(label + "\x00" + value))
	return label + ":" + hex.EncodeToString(s[:4])
}

// OrderRef is the LogRef of an order number, compared as OrderKey
// compares it: "#sp-482001" and "SP482001" are one reference.
func OrderRef(number string) string { return LogRef("order", OrderKey(number)) }

// RedactOrder returns text with the order number, as the customer gave
// it and as the shop systems name it (no spaces, no "#"), replaced by its
// OrderRef. Errors of the shop systems name the order they looked up;
// their text goes to the logs through it.
func RedactOrder(text, number string) string {
	ref := OrderRef(number)
	for _, v := range []string{number, strings.TrimPrefix(strings.TrimSpace(number), "#")} {
		if strings.TrimSpace(v) != "" {
			text = strings.ReplaceAll(text, v, ref)
		}
	}
	return text
}

// LinkKind says what is wrong with a link that IsTrackingURL refuses,
// in words that hold nothing of the link: a tracking link may carry the
// customer's postcode or a token in its path or query.
func LinkKind(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 }) {
		return "spaces or control characters"
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "not a URL"
	case u.Scheme == "":
		return "no scheme"
	case u.Scheme != "http" && u.Scheme != "https":
		return "scheme " + CleanLine(u.Scheme, 16)
	case u.Host == "":
		return "no host"
	case u.User != nil:
		return "user info"
	}
	return "too long"
}
