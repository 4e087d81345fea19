package flows

import (
	"strings"
	"testing"
)

// TestHowToStepsBesideWhatMadeThemAsk: a question how to do something
// that tells what made the customer ask (a light on) finds best the
// section around the steps, which holds those words; the steps are
// quoted when the search found them at a quarter of its score or more.
// A question of when or how often keeps the section that tells when.
func TestHowToStepsBesideWhatMadeThemAsk(t *testing.T) {
	for _, c := range []struct{ lang, text, want string }{
		{"it", "ho la spia del calcare accesa, come la pulisco?", "livello A"},
		{"it", "si è accesa la spia del calcare, come la pulisco?", "livello A"},
		{"it", "la spia del calcare della magnifica è accesa, cosa devo fare?", "livello A"},
		{"en", "my magnifica has the limescale light on, how do I clean it?", "level A"},
		// When, not how.
		{"it", "ogni quanto va decalcificata la magnifica?", "due o tre mesi"},
		{"en", "how often should i descale the magnifica?", "two or three months"},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		if out := d.say(c.text); !strings.Contains(out, c.want) {
			t.Errorf("%q: the answer has no %q:\n%s", c.text, c.want, out)
		}
	}
}
