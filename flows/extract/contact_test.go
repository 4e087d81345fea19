package extract

import (
	"regexp"
	"testing"
)

func TestPattern(t *testing.T) {
	order := regexp.MustCompile(`(?i)ord-?\d{6}`)
	tests := []struct {
		text string
		re   *regexp.Regexp
		want string
		ok   bool
	}{
		{"ord-123456", order, "ORD-123456", true},
		{"il mio ordine è ORD-654321, grazie", order, "ORD-654321", true},
		{"ord123456 e ord-999999", order, "ORD123456", true},
		{"my order is Ord-000001", order, "ORD-000001", true},
		{"ordine 12345", order, "", false},
		{"ciao", order, "", false},
		{"ord-123456", nil, "", false},
		{"  ab  ", regexp.MustCompile(`\s*ab\s*`), "AB", true},
	}
	for _, tt := range tests {
		got, ok := Pattern(tt.text, tt.re)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Pattern(%q) = %q, %v; want %q, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}

func TestEmail(t *testing.T) {
	tests := []struct{ text, want string }{
		{"mario.rossi@gmail.com", "mario.rossi@gmail.com"},
		{"scrivetemi a Mario.Rossi@Example.IT grazie", "mario.rossi@example.it"},
		{"my email is john_doe+shop@mail.co.uk.", "john_doe+shop@mail.co.uk"},
		{"<anna-bianchi@libero.it>", "anna-bianchi@libero.it"},
		{"ciao", ""}, {"mario@", ""}, {"@gmail.com", ""}, {"mario at gmail dot com", ""},
		{"mario..rossi@gmail.com", ""}, {"mario@gmail", ""},
	}
	for _, tt := range tests {
		got, ok := Email(tt.text)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Email(%q) = %q, %v; want %q", tt.text, got, ok, tt.want)
		}
	}
}

func TestPhone(t *testing.T) {
	tests := []struct{ text, want string }{
		{"+39 333 123 4567", "+393331234567"},
		{"il mio numero è 333-1234567", "+393331234567"},
		{"3331234567", "+393331234567"},
		{"333.123.4567", "+393331234567"},
		{"0039 333 1234567", "+393331234567"},
		{"(+39) 333 1234567", "+393331234567"},
		{"02 1234567", "+39021234567"},
		{"tel. 06/12345678", "+390612345678"},
		{"+44 20 7946 0958", "+442079460958"},
		{"+1 (555) 123-4567", "+15551234567"},
		{"numero verde 800 123456", "+39800123456"},
		{"ciao", ""}, {"ordine ORD-3331234567", ""}, {"15/03/2025", ""}, {"02/03/2025", ""},
		{"1.200,50 euro", ""}, {"12345", ""}, {"+39 12", ""}, {"123456789", ""},
	}
	for _, tt := range tests {
		got, ok := Phone(tt.text)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Phone(%q) = %q, %v; want %q", tt.text, got, ok, tt.want)
		}
	}
}
