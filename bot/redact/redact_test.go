package redact_test

import (
	"strings"
	"testing"

	"github.com/sportello/sportello/bot/redact"
)

func TestRedact(t *testing.T) {
	r := redact.New(redact.DefaultConfig())
	for _, tc := range []struct{ name, in, want string }{
		{"visa", "la mia carta è 4111 1111 1111 1111, scade 12/27", "la mia carta è [card], scade 12/27"},
		{"card with dashes", "card 5500-0000-0000-0004 ok", "card [card] ok"},
		{"not luhn", "ordine 4111111111111112", "ordine 4111111111111112"},
		{"iban grouped", "IBAN IT60 X054 2811 1010 0000 0123 456 grazie", "IBAN [iban] grazie"},
		{"iban compact", "pay to GB82WEST12345698765432", "pay to [iban]"},
		{"iban bad check", "IT61X0542811101000000123456", "IT61X0542811101000000123456"},
		{"email", "scrivimi a Mario.Rossi+shop@example.co.uk!", "scrivimi a [email]!"},
		{"intl phone", "call me on +39 333 123 4567 please", "call me on [phone] please"},
		{"0039 phone", "tel. 0039 02 1234 5678", "tel. [phone]"},
		{"mobile", "il mio cell è 3331234567", "il mio cell è [phone]"},
		{"landline", "fisso 02-12345678", "fisso [phone]"},
		{"order number", "ordine 12345678 del 3 marzo", "ordine 12345678 del 3 marzo"},
		{"order code", "order ORD-2024-5531", "order ORD-2024-5531"},
		{"year and price", "bought in 2023 for 349 euro", "bought in 2023 for 349 euro"},
		{"date", "il 12/03/2024", "il 12/03/2024"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.String(tc.in); got != tc.want {
				t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestRedactOnlyWhatIsConfigured(t *testing.T) {
	in := "a@b.it 4111111111111111"
	if got := redact.New(redact.Config{Emails: true}).String(in); got != "[email] 4111111111111111" {
		t.Errorf("emails only: %q", got)
	}
	if got := (*redact.Redactor)(nil).String(in); got != in {
		t.Errorf("nil redactor changed the text: %q", got)
	}
}

// FuzzRedact checks that redaction never panics, is idempotent, and
// leaves no valid card number behind.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"4111 1111 1111 1111", "IT60X0542811101000000123456", "a@b.co", "+39 333 1234567", "ordine 123"} {
		f.Add(s)
	}
	r := redact.New(redact.DefaultConfig())
	f.Fuzz(func(t *testing.T, s string) {
		once := r.String(s)
		if twice := r.String(once); twice != once {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, once, twice)
		}
		if strings.Contains(once, "4111111111111111") {
			t.Fatalf("card left in %q", once)
		}
	})
}
