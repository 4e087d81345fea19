package flows

import "testing"

// TestModifierAfterComma: a word that describes one of the shop's kinds
// ("cordless") set off by a comma after the product still describes it,
// so the model question narrows to the vacuum; the near misses keep the
// landline the shop does not sell.
func TestModifierAfterComma(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		notSold    bool
	}{
		{"en", "looking for a vacuum, ideally cordless", false},
		{"en", "I'd like a new hoover, preferably cordless", false},
		{"it", "cerco un aspirapolvere, meglio se cordless", false},
		{"it", "vorrei una scopa elettrica, possibilmente cordless", false},
		// Near misses: a cordless phone, or a cordless of its own.
		{"en", "my cordless phone has no dial tone", true},
		{"it", "ho un problema con il cordless di casa", true},
	} {
		cmds := understandIn(t, b, tc.lang, tc.text)
		if got := hasKind(cmds, CmdNotSold); got != tc.notSold {
			t.Errorf("%q: not sold %v, want %v: %s", tc.text, got, tc.notSold, commandsText(cmds))
		}
	}
}
