// Package redact removes personal data from texts before they are
// archived: payment card numbers (checked with Luhn), IBANs (checked with
// their mod-97 digits), e-mail addresses and phone numbers. Each is
// replaced by a marker such as [card], so a reader still sees that the
// customer gave one.
//
// Redaction is idempotent (redacting a redacted text changes nothing),
// and every piece is found in the text as written, whatever separators
// the customer typed (spaces, dashes, dots, slashes), several in a row.
// Emails and Phones expose the detection itself, for code that needs the
// values rather than their removal.
package redact

import (
	"slices"
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

// A Match is a piece of personal data found in a text: text[Start:End],
// and Value, its normalised form (see Emails and Phones).
type Match struct {
	Start, End int
	Value      string
}

// A Redactor rewrites texts. The zero value redacts nothing.
type Redactor struct{ cfg Config }

// New returns a Redactor for cfg.
func New(cfg Config) *Redactor { return &Redactor{cfg: cfg} }

// String returns s with what cfg names replaced by markers. Redacting
// the result again changes nothing.
func (r *Redactor) String(s string) string {
	if r == nil || s == "" || !r.cfg.Cards && !r.cfg.IBANs && !r.cfg.Emails && !r.cfg.Phones {
		return s
	}
	// One pass finds everything but in contrived texts (a marker can
	// make a word boundary where a letter was glued to an IBAN); passes
	// go on until one changes nothing, which makes String idempotent. It
	// ends: a pass that changes the text removes at least one digit or
	// "@" (every span holds one) and adds none.
	for {
		next := r.pass(s)
		if next == s {
			return s
		}
		s = next
	}
}

// pass redacts s once.
//
// E-mail addresses go first: their digits would look like the rest.
// IBANs, cards and phone numbers are then looked for in the same text,
// and wherever their spans overlap (a card's digits run on into a phone
// number, an IBAN's tail passes the Luhn check) the union is replaced by
// one marker, of the longest of them: no digit of any of them is left.
func (r *Redactor) pass(s string) string {
	if r.cfg.Emails {
		s = replace(s, labelled(Emails(s), Email))
	}
	var spans []span
	if r.cfg.IBANs {
		spans = append(spans, labelled(ibans(s), IBAN)...)
	}
	if r.cfg.Cards || r.cfg.Phones {
		gs := scanGroups(s)
		var ph []Match
		if r.cfg.Phones {
			ph = phones(s, gs)
		}
		if r.cfg.Cards {
			spans = append(spans, labelled(cards(s, gs, ph), Card)...)
		}
		spans = append(spans, labelled(ph, Phone)...)
	}
	return replace(s, merge(spans))
}

// A span is a part of the text to replace by its marker.
type span struct {
	start, end int
	marker     string
}

func labelled(ms []Match, marker string) []span {
	out := make([]span, len(ms))
	for i, m := range ms {
		out[i] = span{m.Start, m.End, marker}
	}
	return out
}

// merge joins overlapping spans; the joined span takes the marker of the
// longest of its parts (the first found on a tie: IBAN, card, phone).
func merge(spans []span) []span {
	slices.SortStableFunc(spans, func(a, b span) int { return a.start - b.start })
	var out []span
	longest := 0
	for _, sp := range spans {
		if n := len(out); n > 0 && sp.start < out[n-1].end {
			last := &out[n-1]
			if sp.end-sp.start > longest {
				longest, last.marker = sp.end-sp.start, sp.marker
			}
			last.end = max(last.end, sp.end)
			continue
		}
		out = append(out, sp)
		longest = sp.end - sp.start
	}
	return out
}

// replace replaces the sorted, disjoint spans of s by their markers.
func replace(s string, spans []span) string {
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	at := 0
	for _, sp := range spans {
		b.WriteString(s[at:sp.start])
		b.WriteString(sp.marker)
		at = sp.end
	}
	b.WriteString(s[at:])
	return b.String()
}
