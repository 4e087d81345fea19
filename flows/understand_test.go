package flows

import "testing"

// TestLeadingYesNo: the yes or no that opens a message, and the Italian
// "si" that is a pronoun, not a yes.
func TestLeadingYesNo(t *testing.T) {
	for _, tc := range []struct {
		text    string
		yes, ok bool
	}{
		{"si", true, true},
		{"sì grazie", true, true},
		{"si, il colore non è quello della foto", true, true},
		{"si dai, fatemi sapere", true, true},
		{"no grazie", false, true},
		{"ok", true, true},
		{"si chiama non so", false, false},
		{"si è rotto lo schermo", false, false},
		{"si e rotto", false, false},
		{"si accende ma non carica", false, false},
		{"yes please", true, true},
		{"il telefono non si accende", false, false},
		// A "si" before a yes of its own is a yes.
		{"si vai avanti pure", true, true},
		{"si volentieri grazie", true, true},
		{"si prosegui", true, true},
		{"si blocca ogni tanto", false, false},
		// A "si" before an imperative with its pronoun is a yes; before a
		// verb of the third person it is the pronoun.
		{"si aprilo pure", true, true},
		{"si spediscimelo", true, true},
		{"si mandatemi l etichetta", true, true},
		{"si riparala", true, true},
		{"si scolla il bordo dello schermo", false, false},
		{"si spegne da sola", false, false},
		// An answer phrase that opens a long message without a pause.
		{"i don't think so thank you", false, true},
		{"that would be great thanks a lot", true, true},
		{"the screen is not working now", false, false},
		// A "fine" that goes on to agree after the pause agrees; one that
		// goes on otherwise declines, and an intensifier before a
		// negation denies.
		{"im good, go ahead with the refund", true, true},
		{"i'm good, that's all for now", false, true},
		{"ovviamente no, non ci serve altro", false, true},
		{"certo che no grazie", false, true},
	} {
		t.Run(tc.text, func(t *testing.T) {
			yes, ok := leadingYesNo(tc.text, "it")
			if yes != tc.yes || ok != tc.ok {
				t.Errorf("leadingYesNo(%q) = %v, %v; want %v, %v", tc.text, yes, ok, tc.yes, tc.ok)
			}
		})
	}
}
