package flows

import (
	"strings"
	"testing"
)

// TestChatSpellingAsksAvailability: "do u sell", "have ya got any" ask
// whether the shop sells a kind it does not: it says so.
func TestChatSpellingAsksAvailability(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text string
		sold bool // want a not_sold command
	}{
		{"do u sell drones", true},
		{"have ya got any smartwatches?", true},
		{"u guys sell drones??", true},
		{"do u have any electric scooters", true},
		// Near misses: no kind of product the shop lacks.
		{"do u sell it cheaper in the shop?", false},
		{"have u got my order yet", false},
		{"u got any idea when SP-123456 comes", false},
		{"do u sell the pixel 8", false},
		{"ya my tv is broken", false},
	} {
		got := commandsText(understandIn(t, b, "en", tc.text))
		if strings.Contains(got, "not_sold") != tc.sold {
			t.Errorf("%q: %s, want not_sold %v", tc.text, got, tc.sold)
		}
	}
}

// TestHowAreYouIsAGreeting: a first message of greetings and "how are
// you" alone is the shop's greeting, not a goodbye nor a question for
// the pages; with a request beside it, the request.
func TestHowAreYouIsAGreeting(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		greets     bool
	}{
		{"it", "ciao, tutto bene? spero anche voi", true},
		{"it", "salve! come state oggi?", true},
		{"it", "ehi come va, tutto ok?", true},
		{"en", "hey hows it going, hope all is well", true},
		{"en", "hi there, how r u today?", true},
		// Near misses: a request beside the wish, or "how" of something else.
		{"it", "ciao tutto bene? oggi mi arriva il pacco?", false},
		{"it", "come sta il mio ordine?", false},
		{"it", "come va la spedizione oggi?", false},
		{"en", "how are you doing with my refund?", false},
		{"en", "hi how are u, is my order shipped today?", false},
		{"en", "how are you going to fix my tv?", false},
	} {
		got := commandsText(understandIn(t, b, tc.lang, tc.text))
		if strings.HasPrefix(got, "small_talk(greeting") != tc.greets {
			t.Errorf("%q: %s, want greeting %v", tc.text, got, tc.greets)
		}
	}
}
