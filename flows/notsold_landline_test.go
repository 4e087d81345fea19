package flows

import "testing"

// TestNotSoldLandlines: a landline or a cordless phone is a kind the
// shop does not sell, though its name holds the word of the shop's
// smartphones ("telefono", "phone"); so is a desktop computer named with
// the word of the laptops. The near misses keep their reading: a
// smartphone, a cordless vacuum the shop sells, a home phone number
// given as a contact.
func TestNotSoldLandlines(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		notSold    bool
	}{
		{"it", "il telefono fisso non prende la linea", true},
		{"it", "ho un problema con il cordless di casa", true},
		{"it", "il mio computer fisso non si accende", true},
		{"en", "my cordless phone has no dial tone", true},
		{"en", "the landline keeps crackling", true},
		{"en", "our desk phone at the office is dead", true},
		// Near misses.
		{"it", "il mio telefono non si accende più", false},
		{"en", "my phone won't charge", false},
		{"en", "my cordless vacuum lost suction", false},
		{"it", "il mio dyson v8 cordless non aspira più", false},
		// A bare "cordless" beside the shop's vacuum describes it.
		{"it", "vendete aspirapolvere cordless?", false},
		{"it", "la mia scopa cordless dyson non carica", false},
		{"en", "is the dyson cordless still under warranty?", false},
		{"en", "any cordless vacuum cleaners under 300?", false},
	} {
		cmds := understandIn(t, b, tc.lang, tc.text)
		if got := hasKind(cmds, CmdNotSold); got != tc.notSold {
			t.Errorf("%q: not sold %v, want %v: %s", tc.text, got, tc.notSold, commandsText(cmds))
		}
	}
}
