package flows

import (
	"strings"
	"testing"
)

// TestAnotherClaimQueued: a claim that names two things of the catalogue
// joined as a list takes the first and queues the second, which the bot
// says; a product and its own kind are one thing, and two products joined
// by other words are one claim about the first.
func TestAnotherClaimQueued(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		second     string // the queued span, "" for none
	}{
		{"en", "my bravia and my thinkpad both stopped working", "thinkpad"},
		{"en", "the dyson, the airfryer: neither turns on anymore", "airfryer"},
		{"it", "il thinkpad e la bravia non si accendono più", "bravia"},
		{"it", "il mio iphone 15 e il portatile hp sono morti tutti e due", "portatile hp"},
		{"en", "my galaxy a55 and the lg oled have both died", "lg oled"},
		// Near misses: one thing, or two joined by other words.
		{"it", "il televisore qled non si accende più", ""},
		{"en", "my sony tv has no picture", ""},
		{"en", "my pixel 8 won't connect to my macbook", ""},
		{"it", "il pixel non si collega al portatile", ""},
	} {
		cmds := understandIn(t, b, tc.lang, tc.text)
		got := ""
		for _, c := range cmds {
			if c.Kind == CmdQueue && c.Value == queueAnother {
				got = c.Span
			}
		}
		if !strings.EqualFold(got, tc.second) {
			t.Errorf("%q: queued %q, want %q: %s", tc.text, got, tc.second, commandsText(cmds))
		}
	}
}

// TestAnotherClaimOnTheCase: the second product waits while the first
// claim runs, and a person taking the first finds it on the case card.
func TestAnotherClaimOnTheCase(t *testing.T) {
	d := newDriver(t, mustShop(t), june3)
	d.hint = "en"
	contains(t, d.say("my bravia and my thinkpad both stopped working, bought in march 2025"), "noted the other product too (thinkpad)")
	d.say("private")
	h := d.last.Handoff
	if h == nil {
		t.Fatalf("no handoff: %q", d.s.Vars)
	}
	if !strings.Contains(strings.Join(h.Summary, "\n"), "thinkpad") {
		t.Errorf("the case card lacks the second product: %q", h.Summary)
	}
}
