package flows

import (
	"strings"
	"testing"
)

// TestDamagedParcelInOtherWords: the demo's pages write "a damaged
// parcel", "pacco danneggiato"; a customer writes of a box or a package,
// smashed, crushed or dented (the shop's synonyms), and is told to
// refuse it or accept it with reservation. A question of the original
// box of a return keeps the return's answer.
func TestDamagedParcelInOtherWords(t *testing.T) {
	for _, c := range []struct {
		lang, text, want string
		refuse           bool
	}{
		{"en", "the box arrived crushed, what do i do?", "refuse", true},
		{"en", "the package is all dented, can i refuse it?", "refuse", true},
		{"en", "the delivery guy has a smashed package for me, what do i do?", "refuse", true},
		{"it", "la scatola è arrivata schiacciata, cosa devo fare?", "rifiutarlo", true},
		// The original box of a return.
		{"en", "do i need the original box to return it?", "refuse", false},
		{"it", "serve la scatola originale per il reso?", "rifiutarlo", false},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		if out := d.say(c.text); strings.Contains(out, c.want) != c.refuse {
			t.Errorf("%q: the answer has %q %v, want %v:\n%s", c.text, c.want, !c.refuse, c.refuse, out)
		}
	}
}
