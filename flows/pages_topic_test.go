package flows

import (
	"strings"
	"testing"
)

// TestPagesTopicNeedsItsWords: a question in the cue words of a topic
// the pages answer (the demo's price match) is answered only by a
// passage that writes a cue of it, and when none does, the bot says it
// cannot tell and offers a person, rather than "say it in other words"
// or a passage that shares one word ("price").
func TestPagesTopicNeedsItsWords(t *testing.T) {
	b := mustShop(t)
	for _, c := range []struct {
		q, text string
		missed  bool
	}{
		{"would you price match a cheaper shop?", "The price depends on the fault and the model.", true},
		{"would you price match a cheaper shop?", "We price match any shop in Italy.", false},
		{"how much does a repair cost?", "The price depends on the fault and the model.", false},
	} {
		if got := b.topicMissed(c.q, c.text); got != c.missed {
			t.Errorf("topicMissed(%q, %q) = %v, want %v", c.q, c.text, got, c.missed)
		}
	}
	for _, text := range []string{
		"would you match the price i saw on another site?",
		"can you do price matching with mediaworld?",
		"do you guys price match?",
	} {
		d := newDriver(t, b, june2025)
		d.hint = "en"
		if out := d.say(text); !strings.Contains(out, "someone on our staff") {
			t.Errorf("%q: no person offered:\n%s", text, out)
		}
	}
}
