package redact_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sportello/sportello/bot/redact"
)

// What customers write, in Italian and English, and what the archive
// must keep of it.
var redacted = []struct{ name, in, want string }{
	// Phones, Italian, with the country code.
	{"+39 mobile grouped", "chiamami al +39 333 123 4567 grazie", "chiamami al [phone] grazie"},
	{"+39 mobile", "il mio numero è +39 333 1234567", "il mio numero è [phone]"},
	{"+39 mobile compact", "+393331234567", "[phone]"},
	{"+39 mobile dashes", "tel +39-333-1234567.", "tel [phone]."},
	{"(+39) mobile", "(+39) 333 1234567", "[phone]"},
	{"0039 mobile", "0039 333 1234567", "[phone]"},
	{"00 39 mobile", "00 39 333 1234567", "[phone]"},
	{"+39 Milan landline", "ufficio +39 02 1234 5678", "ufficio [phone]"},
	{"+39 (0)2", "+39 (0)2 12345678", "[phone]"},
	{"0039 Rome landline", "tel. 0039 06 1234 5678", "tel. [phone]"},
	// Phones, Italian, without it.
	{"mobile compact", "il mio cell è 3331234567", "il mio cell è [phone]"},
	{"mobile spaced", "cell 333 1234567", "cell [phone]"},
	{"mobile dash", "333-1234567", "[phone]"},
	{"mobile dots", "333.123.4567", "[phone]"},
	{"mobile pairs", "333 123 45 67", "[phone]"},
	{"mobile slash", "333/1234567", "[phone]"},
	{"Milan landline", "fisso 02 12345678", "fisso [phone]"},
	{"Milan landline dash", "fisso 02-12345678", "fisso [phone]"},
	{"Milan landline compact", "0212345678", "[phone]"},
	{"Rome landline grouped", "06 1234 5678", "[phone]"},
	{"Rome landline slash", "tel. 06/12345678", "tel. [phone]"},
	{"Rome landline dots", "06.1234.5678", "[phone]"},
	{"Turin landline", "011 1234567", "[phone]"},
	{"Rimini landline", "0541 123456", "[phone]"},
	{"toll-free", "numero verde 800 123456", "numero verde [phone]"},
	// Phones, UK and US.
	{"UK London", "call +44 20 7946 0958", "call [phone]"},
	{"UK (0)", "+44 (0)20 7946 0958", "[phone]"},
	{"UK mobile intl", "+44 7700 900123", "[phone]"},
	{"UK mobile", "my mobile is 07700 900123", "my mobile is [phone]"},
	{"UK London national", "020 7946 0958", "[phone]"},
	{"UK London (020)", "(020) 7946 0958", "[phone]"},
	{"US intl", "+1 (415) 555-2671", "[phone]"},
	{"US intl dashes", "+1 415-555-2671", "[phone]"},
	{"US national", "call (415) 555-2671 today", "call [phone] today"},
	{"US dashes", "415-555-2671", "[phone]"},
	{"US dots", "415.555.2671", "[phone]"},
	{"US toll-free", "1-800-555-0199", "[phone]"},
	{"Germany", "+49 30 12345678", "[phone]"},
	{"France", "+33 6 12 34 56 78", "[phone]"},
	// Several in a row.
	{"two mobiles after one +39", "+39 333 1234567 333 7654321", "[phone] [phone]"},
	{"two 0039 numbers", "0039 333 1234567 0039 347 7654321", "[phone] [phone]"},
	{"two 0039 numbers with words", "0039 333 1234567 oppure 0039 347 7654321", "[phone] oppure [phone]"},
	{"two mobiles comma", "3331234567, 3477654321", "[phone], [phone]"},
	{"two mobiles space", "3331234567 3477654321", "[phone] [phone]"},
	{"mobile and landline slash", "333 1234567 / 06 12345678", "[phone] / [phone]"},
	{"mobile and mobile dash", "tel: 333 1234567 - 347 7654321", "tel: [phone] - [phone]"},
	{"two +39", "+39 333 1234567, +39 347 7654321", "[phone], [phone]"},
	{"landline and +39", "+39 06 12345678 e +39 333 1234567", "[phone] e [phone]"},
	// Cards, with any separator.
	{"visa spaces", "la mia carta è 4111 1111 1111 1111, scade 12/27", "la mia carta è [card], scade 12/27"},
	{"mastercard dashes", "card 5500-0000-0000-0004 ok", "card [card] ok"},
	{"visa dots", "carta 4111.1111.1111.1111", "carta [card]"},
	{"visa slashes", "carta 4111/1111/1111/1111", "carta [card]"},
	{"visa compact", "4111111111111111", "[card]"},
	{"visa double spaces", "4111  1111  1111  1111", "[card]"},
	{"amex", "amex 3782 822463 10005", "amex [card]"},
	{"mastercard 2-series", "2223 0031 2200 3222", "[card]"},
	{"visa 13", "vecchia carta 4222222222222", "vecchia carta [card]"},
	{"discover", "6011-1111-1111-1117", "[card]"},
	{"card with expiry and cvv", "carta 4111 1111 1111 1111 scadenza 05/2027 cvv 123", "carta [card] scadenza 05/2027 cvv 123"},
	{"card and phone", "la carta è 4111 1111 1111 1111, il cell 333 1234567", "la carta è [card], il cell [phone]"},
	{"phone then card", "333 1234567 4111 1111 1111 1111", "[phone] [card]"},
	// IBANs, grouped or not.
	{"iban IT grouped", "IBAN IT60 X054 2811 1010 0000 0123 456 grazie", "IBAN [iban] grazie"},
	{"iban IT compact", "IT60X0542811101000000123456", "[iban]"},
	{"iban IT lower case", "it60x0542811101000000123456", "[iban]"},
	{"iban IT glued", "IBAN:IT60X0542811101000000123456.", "IBAN:[iban]."},
	{"iban GB grouped", "pay to GB82 WEST 1234 5698 7654 32", "pay to [iban]"},
	{"iban GB compact", "pay to GB82WEST12345698765432", "pay to [iban]"},
	{"iban DE", "DE89 3704 0044 0532 0130 00", "[iban]"},
	{"iban FR", "FR14 2004 1010 0505 0001 3M02 606", "[iban]"},
	{"iban ES", "ES91 2100 0418 4502 0005 1332", "[iban]"},
	{"iban NL", "NL91ABNA0417164300", "[iban]"},
	{"two ibans", "IT60X0542811101000000123456 GB82WEST12345698765432", "[iban] [iban]"},
	// E-mails.
	{"email", "mario.rossi@gmail.com", "[email]"},
	{"email plus", "scrivimi a Mario.Rossi+shop@example.co.uk!", "scrivimi a [email]!"},
	{"email brackets", "<anna-bianchi@libero.it>", "<[email]>"},
	{"email accents", "josé.garcía@correo.es", "[email]"},
	{"email double dot", "mario..rossi@gmail.com", "[email]"},
	{"email and phone", "scrivi a info@negozio.it o al 3331234567", "scrivi a [email] o al [phone]"},
	{"email with digits", "mario.3331234567@gmail.com", "[email]"},
}

// What looks like numbers and must be kept: order numbers, dates, prices,
// quantities, product models, postcodes.
var kept = []string{
	"ordine SP-482001",
	"order ORD-2024-5531",
	"ordine ORD-3331234567",
	"order #12345678",
	"ordine 12345678 del 3 marzo",
	"seriale 123456789",
	"il 12/03/2024",
	"on 2024-03-12",
	"consegna il 03.12.2024",
	"scade 05/2027",
	"dal 02/03/2025 al 15/03/2025",
	"alle 14:30",
	"costa 1.299,00 €",
	"€ 349,90",
	"$1,299.99",
	"12,50 euro",
	"bought in 2023 for 349 euro",
	"2 pezzi",
	"quantità: 10",
	"2x 1.5 kg",
	"Pixel 8",
	"iPhone 15 Pro Max",
	"Galaxy S23 Ultra",
	"MacBook Air M2 2022",
	"RTX 4090",
	"20121 Milano",
	"Via Roma 10, 00184 Roma",
	"London SW1A 1AA",
	"San Francisco, CA 94103",
	"garanzia 24 mesi, 12 mesi per le aziende",
	"ordine 4111111111111112",
	"IT61X0542811101000000123456",
	"192.168.1.1",
	"versione 17.4.1",
	"tracking 1Z999AA10123456784",
	"mario at gmail dot com",
	"",
}

func TestRedact(t *testing.T) {
	r := redact.New(redact.DefaultConfig())
	if len(redacted) < 50 {
		t.Fatalf("only %d strings to redact; the table promises at least 50", len(redacted))
	}
	for _, tc := range redacted {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.String(tc.in); got != tc.want {
				t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	for _, in := range kept {
		t.Run("kept "+in, func(t *testing.T) {
			if got := r.String(in); got != in {
				t.Errorf("String(%q) = %q, want it unchanged", in, got)
			}
		})
	}
}

// The findings, one test each.

func TestTwoMobilesAfterOneCountryCodeAreBothRedacted(t *testing.T) {
	r := redact.New(redact.DefaultConfig())
	if got := r.String("+39 333 1234567 333 7654321"); got != "[phone] [phone]" {
		t.Fatalf("got %q: the pattern joined the two numbers and gave up", got)
	}
}

func TestTheFirstOfTwo0039NumbersIsRedacted(t *testing.T) {
	r := redact.New(redact.DefaultConfig())
	if got := r.String("0039 333 1234567 0039 347 7654321"); got != "[phone] [phone]" {
		t.Fatalf("got %q", got)
	}
}

func TestCardsWrittenWithDotsOrSlashesAreRedacted(t *testing.T) {
	r := redact.New(redact.DefaultConfig())
	for _, in := range []string{"4111.1111.1111.1111", "4111/1111/1111/1111", "5500.0000.0000.0004"} {
		if got := r.String(in); got != "[card]" {
			t.Errorf("String(%q) = %q", in, got)
		}
	}
}

// The inputs fuzzing found on the old patterns: a second redaction
// changed what the first had left.
func TestRedactionIsIdempotent(t *testing.T) {
	r := redact.New(redact.DefaultConfig())
	for _, in := range []string{
		"A0 000000000 000000000000A000000000",
		"+39 333 1234567 333 7654321",
		"0039 333 1234567 0039 347 7654321",
		"IT60X0542811101000000123456 GB82WEST12345698765432",
		"IT60X0542811101000000123456AB12 3456 7890 1234 5",
	} {
		once := r.String(in)
		if twice := r.String(once); twice != once {
			t.Errorf("%q -> %q -> %q", in, once, twice)
		}
	}
}

func TestRedactOnlyWhatIsConfigured(t *testing.T) {
	in := "a@b.it 4111111111111111 333 1234567 IT60X0542811101000000123456"
	for _, tc := range []struct {
		cfg  redact.Config
		want string
	}{
		{redact.Config{Emails: true}, "[email] 4111111111111111 333 1234567 IT60X0542811101000000123456"},
		{redact.Config{Cards: true}, "a@b.it [card] 333 1234567 IT60X0542811101000000123456"},
		{redact.Config{Phones: true}, "a@b.it 4111111111111111 [phone] IT60X0542811101000000123456"},
		{redact.Config{IBANs: true}, "a@b.it 4111111111111111 333 1234567 [iban]"},
		{redact.Config{}, in},
	} {
		if got := redact.New(tc.cfg).String(in); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.cfg, got, tc.want)
		}
	}
	if got := (*redact.Redactor)(nil).String(in); got != in {
		t.Errorf("nil redactor changed the text: %q", got)
	}
}

// Phones gives the numbers themselves, in E.164 form.
func TestPhones(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"+39 333 123 4567", "+393331234567"},
		{"il mio numero è 333-1234567", "+393331234567"},
		{"3331234567", "+393331234567"},
		{"333.123.4567", "+393331234567"},
		{"0039 333 1234567", "+393331234567"},
		{"(+39) 333 1234567", "+393331234567"},
		{"02 1234567", "+39021234567"},
		{"tel. 06/12345678", "+390612345678"},
		{"+44 20 7946 0958", "+442079460958"},
		{"+44 (0)20 7946 0958", "+442079460958"},
		{"+1 (555) 123-4567", "+15551234567"},
		{"(415) 555-2671", "+14155552671"},
		{"1-800-555-0199", "+18005550199"},
		{"numero verde 800 123456", "+39800123456"},
		{"+39 333 1234567 333 7654321", "+393331234567 +393337654321"},
		{"ciao", ""}, {"ordine ORD-3331234567", ""}, {"15/03/2025", ""}, {"02/03/2025", ""},
		{"1.200,50 euro", ""}, {"12345", ""}, {"+39 12", ""}, {"123456789", ""},
	} {
		var got []string
		for _, m := range redact.Phones(tc.text) {
			got = append(got, m.Value)
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("Phones(%q) = %q, want %q", tc.text, g, tc.want)
		}
	}
}

func TestEmails(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"scrivetemi a Mario.Rossi@Example.IT grazie", "mario.rossi@example.it"},
		{"my email is john_doe+shop@mail.co.uk.", "john_doe+shop@mail.co.uk"},
		{"a@b.it, c@d.com", "a@b.it c@d.com"},
		{"ciao", ""}, {"mario@", ""}, {"@gmail.com", ""}, {"mario@gmail", ""},
	} {
		var got []string
		for _, m := range redact.Emails(tc.text) {
			got = append(got, m.Value)
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("Emails(%q) = %q, want %q", tc.text, g, tc.want)
		}
	}
}

// FuzzRedact checks that redaction never panics and is idempotent, and
// that a card number written anywhere, with any separator, leaves none of
// its digits behind: a Luhn-valid number made from seed is written in
// groups (fours, or Amex's 4-6-5) with the separator sep picks, between
// the fuzzer's before and after.
func FuzzRedact(f *testing.F) {
	for _, tc := range redacted {
		f.Add(tc.in, "", uint64(len(tc.in)), uint8(0))
	}
	for _, in := range kept {
		f.Add(in, in, uint64(len(in)), uint8(3))
	}
	f.Add("A0 000000000 000000000000A000000000", "+39 333", uint64(7), uint8(2))
	r := redact.New(redact.DefaultConfig())
	f.Fuzz(func(t *testing.T, before, after string, seed uint64, sep uint8) {
		once := r.String(before)
		if twice := r.String(once); twice != once {
			t.Fatalf("not idempotent: %q -> %q -> %q", before, once, twice)
		}
		card, written := luhnCard(seed, sep)
		if strings.Contains(digits(before+after), card) {
			return // the fuzzer wrote the card itself
		}
		in := before + " " + written + " " + after
		out := r.String(in)
		if strings.Contains(digits(out), card) {
			t.Fatalf("card %s left in %q -> %q", card, in, out)
		}
		if twice := r.String(out); twice != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", in, out, twice)
		}
	})
}

// luhnCard returns a Luhn-valid card number made from seed, and the card
// as written with the separator sep picks.
func luhnCard(seed uint64, sep uint8) (card, written string) {
	rng := rand.New(rand.NewPCG(seed, seed>>32))
	amex := seed%5 == 0
	n, first := 16, []byte("2456")[rng.IntN(4)]
	if amex {
		n, first = 15, '3'
	}
	d := []byte{first}
	for len(d) < n-1 {
		d = append(d, byte('0'+rng.IntN(10)))
	}
	for c := byte('0'); c <= '9'; c++ {
		if luhn(string(append(d, c))) {
			d = append(d, c)
			break
		}
	}
	card = string(d)
	s := []string{"", " ", "-", ".", "/"}[int(sep)%5]
	if amex {
		return card, card[:4] + s + card[4:10] + s + card[10:]
	}
	return card, card[:4] + s + card[4:8] + s + card[8:12] + s + card[12:]
}

func luhn(d string) bool {
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

func digits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
