package flows

import (
	"testing"

	"github.com/sportello/sportello/bot"
)

// TestAskingForALanguage: a message that only asks for a language
// switches the reply's language and says so, wherever it comes (the
// first message, after the greeting, at a question of a flow, whose
// question is put again), with no handoff, no flow and no "didn't
// understand"; a language the bot does not write gets its own named.
func TestAskingForALanguage(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
		want  []string // in the last reply
		flow  string   // the flow after the last line
	}{
		{"first message, English to Italian", []string{"could we talk in italian?"}, []string{"ti scrivo in italiano", "Come posso aiutarti"}, ""},
		{"first message, Italian to English", []string{"parli inglese?"}, []string{"write in English", "How can I help"}, ""},
		{"after the greeting", []string{"good morning", "italiano per favore"}, []string{"ti scrivo in italiano"}, ""},
		{"a preference", []string{"buonasera", "I'd rather write in english"}, []string{"write in English"}, ""},
		{"a greeting and the ask", []string{"salve, english please"}, []string{"write in English"}, ""},
		{"at a question of a flow", []string{"il thinkpad non carica piu", "english please"}, []string{"write in English", "When did you buy it"}, "warranty"},
		{"an imperative at a question", []string{"the tv has lines on the screen", "scrivimi in italiano per favore"}, []string{"ti scrivo in italiano"}, "warranty"},
		{"a language the bot does not write", []string{"the macbook screen flickers", "parlate francese?"}, []string{"Italian and English", "When did you buy it"}, "warranty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			var out string
			for _, l := range tc.lines {
				out = d.say(l)
			}
			contains(t, out, tc.want...)
			if d.last.Handoff != nil {
				t.Errorf("handoff %+v, want none", d.last.Handoff)
			}
			if d.s.Flow != tc.flow {
				t.Errorf("flow %q, want %q", d.s.Flow, tc.flow)
			}
			if !hasCommand(d.last, CmdLanguage) {
				t.Errorf("no language command in %+v", d.last.Events)
			}
		})
	}
}

// TestAskingForALanguageNearMisses: a message that names a language
// about something else, or asks for something beside it, is read for
// what it asks.
func TestAskingForALanguageNearMisses(t *testing.T) {
	for _, text := range []string{
		"is the manual of the magnifica in english?",
		"english please, my pixel won't charge",
		"il menu della tv è in inglese, come lo metto in italiano?",
		"I don't speak Italian",
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.say(text)
		if hasCommand(d.last, CmdLanguage) {
			t.Errorf("%q: read as only asking for a language", text)
		}
	}
}

// hasCommand reports whether the turn recorded a command of kind k.
func hasCommand(t *bot.Turn, k CommandKind) bool {
	for _, e := range t.Events {
		if e.Type == bot.EventCommand && e.Action == string(k) {
			return true
		}
	}
	return false
}
