package flows

import (
	"slices"
	"testing"

	"github.com/sportello/sportello/bot"
)

// TestAReturnWishedOutrightNeedsOnlyItsProof: a return wished outright
// ("I want to return", "vorrei restituirlo") with its order number and
// its reason, whose order the bot asks to be proven, opens the case once
// the proof finds the order: "start a return?" would ask again what the
// customer said. A return asked about ("can I return...?", "come faccio
// il reso?"), or wished without its reason, still gets the question.
func TestAReturnWishedOutrightNeedsOnlyItsProof(t *testing.T) {
	for _, tc := range []struct {
		lang string
		say  []string
		asks bool // the last message is answered with "start a return?"
	}{
		{"en", []string{"I want to return the dyson from SP-200101, it's too loud", "00184"}, false},
		{"en", []string{"the vacuum is far too heavy for me to carry upstairs, order SP-200101, I'd like to return it", "marco.rossi@example.com"}, false},
		{"it", []string{"buongiorno, l'aspirapolvere dell'ordine SP-200101 è troppo ingombrante per casa mia, vorrei restituirlo", "00184"}, false},
		{"it", []string{"ordine SP-200101: non mi serve più, lo voglio restituire", "marco.rossi@example.com"}, false},
		// Near misses: asked about, no reason, or the proof asked twice.
		{"en", []string{"can I return the dyson from SP-200101? it's too loud", "00184"}, true},
		{"it", []string{"l'aspirapolvere dell'ordine SP-200101 è troppo ingombrante per casa mia, come faccio a restituirlo?", "00184"}, true},
		{"en", []string{"I want to return order SP-200101", "00184"}, true},
		{"it", []string{"vorrei restituire l'ordine SP-200101", "marco.rossi@example.com"}, true},
	} {
		t.Run(tc.say[0], func(t *testing.T) {
			d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
			d.hint = tc.lang
			for _, s := range tc.say {
				d.say(s)
			}
			asked := slices.ContainsFunc(d.last.Events, func(e bot.Event) bool { return e.Type == bot.EventAsked && e.Slot == "start_return" })
			if asked != tc.asks {
				t.Fatalf("after %q the bot said %q: asked start_return %v, want %v", tc.say, replies(d.last), asked, tc.asks)
			}
			if h := d.last.Handoff; !tc.asks && (h == nil || h.Team != "support" || d.s.Slots["return"] != ReturnOpen) {
				t.Errorf("after %q the bot said %q, handoff %+v, return %q: want an open return's case for support", tc.say, replies(d.last), h, d.s.Slots["return"])
			}
		})
	}
}
