package extract

import (
	"regexp"
	"testing"
)

// prefilterPatterns are flow-file patterns: the demo's, and others a shop
// might write.
var prefilterPatterns = []string{
	`(?i)\b(sp-?\d{6})\b`,
	`(?i)([a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}|\b\d{5}\b)`,
	`(?i)ord-\d{6}`, `(?i)sk-\d+`, `^\d{4}$`, `[A-Z]{2}\d{3,}`, `x*`, `(?i)é\d`, `(a|b*)c?`, `\x{FFFD}`, `.+`,
	`\b\d{3,5}\b`, `\b\w+\b`, `\b[0-9_]{2,}\b`, `(?i)\bx\b`, `\b\d{5}\b|@`, `\b[\d-]{5}\b`, `\b\d+\b`, `(?i)\b[a-z]\d\b`,
}

// TestFindPattern checks that FindPattern finds what the regexp finds, on
// texts with and without what the patterns need (the long s and the Kelvin
// sign fold to ASCII letters; invalid bytes read as U+FFFD).
func TestFindPattern(t *testing.T) {
	texts := []string{"", "ciao", "il mio ordine SP-482001 non arriva", "sp482001", "ſp-123456", "ſk-1", "\u212ak-12",
		"scrivete a mario.rossi@example.com", "CAP 20121", "cap 2012", "1234", "AB1234", "ab123", "é1", "É1", "\xff\xfe",
		"ORD-000000", "ord-12345", "c", "perché non si accende, comprato a marzo 2024",
		"12345", "123456", "a12345", "_12345", "12345_", "1234é", "é12345", "12345€", "x 12345 y", "1_2345", "12-345", "ordine SP-418263, CAP 2012",
		"x", "ax", "x1", "X", "12", "1_", "é1é", "a1"}
	for _, p := range prefilterPatterns[:2] {
		if prefilterOf(regexp.MustCompile(p)).any {
			t.Errorf("%s: no need found, the regexp runs on every text", p)
		}
	}
	for _, p := range prefilterPatterns {
		re := regexp.MustCompile(p)
		for _, text := range texts {
			if got, want := FindPattern(re, text), re.FindString(text); got != want {
				t.Errorf("FindPattern(%s, %q) = %q, want %q", p, text, got, want)
			}
		}
	}
}

func FuzzFindPattern(f *testing.F) {
	for _, s := range []string{"SP-482001", "a@b.it", "20121", "ſp-123456", "\xff"} {
		f.Add(s)
	}
	res := make([]*regexp.Regexp, len(prefilterPatterns))
	for i, p := range prefilterPatterns {
		res[i] = regexp.MustCompile(p)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, re := range res {
			if got, want := FindPattern(re, text), re.FindString(text); got != want {
				t.Errorf("FindPattern(%s, %q) = %q, want %q", re, text, got, want)
			}
		}
	})
}
