package flows

import "testing"

// TestGreetingBeforeHowTo: a greeting before a how-to question the pages
// answer keeps the answer the bare question gets, whatever the greeting
// ("hello there," too, which the classifier reads as small talk). The
// near misses stay small talk: a greeting and "how are you", "how do you
// do", "come va", which no page answers.
func TestGreetingBeforeHowTo(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		pages      bool
	}{
		{"en", "hello there, how do I descale the magnifica?", true},
		{"en", "hello there! how can i reset the lg oled to factory settings?", true},
		{"en", "good evening, how do I descale the coffee machine?", true},
		{"it", "buonasera! come si ripristina il televisore lg?", true},
		// Near misses: small talk that goes on.
		{"en", "hello there, how are you doing today?", false},
		{"en", "hello, how do you do?", false},
		{"it", "ciao! come va?", false},
		{"it", "buongiorno, come state?", false},
	} {
		cmds := understandIn(t, b, tc.lang, tc.text)
		if got := hasKind(cmds, CmdDocuments); got != tc.pages {
			t.Errorf("%q: documents %v, want %v: %s", tc.text, got, tc.pages, commandsText(cmds))
		}
	}
}
