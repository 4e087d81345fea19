package flows

import (
	"strings"
	"testing"
)

// TestHelpAndAboutTheBot: a message that asks only for help, or what the
// bot can do, or whether it is a program, gets its answer (help,
// about_bot) and no "didn't understand", no flow and no handoff; at a
// question of a flow the question is put again.
func TestHelpAndAboutTheBot(t *testing.T) {
	for _, tc := range []struct {
		lines []string
		want  []string
		flow  string
	}{
		{[]string{"salve, avrei bisogno di aiuto"}, []string{"Posso aiutarti con garanzie"}, ""},
		{[]string{"what can you help me with?"}, []string{"I can help with warranty"}, ""},
		{[]string{"hey there! quick question"}, []string{"Tell me what you need"}, ""},
		{[]string{"ma tu sei un essere umano?"}, []string{"assistente virtuale", "non una persona"}, ""},
		{[]string{"am i talking to a robot"}, []string{"virtual assistant", "not a person"}, ""},
		{[]string{"scusi, con chi sto parlando?"}, []string{"assistente virtuale"}, ""},
		{[]string{"who am i talking to"}, []string{"virtual assistant"}, ""},
		{[]string{"my dyson makes a weird noise", "wait, are you human?"}, []string{"not a person", "which model", "when did you buy"}, "warranty"},
	} {
		d := newDriver(t, mustShop(t), june2025)
		var out string
		for _, l := range tc.lines {
			out = d.say(l)
		}
		if tc.flow == "warranty" {
			// The question put again is whichever the flow is at.
			if !containsAny(out, tc.want[1:]...) {
				t.Errorf("%q: reply %q puts no question of the flow again", tc.lines, out)
			}
			tc.want = tc.want[:1]
		}
		contains(t, out, tc.want...)
		if d.last.Handoff != nil || d.s.Flow != tc.flow {
			t.Errorf("%q: handoff %+v, flow %q; want none, %q", tc.lines, d.last.Handoff, d.s.Flow, tc.flow)
		}
	}
}

// TestHelpNearMisses: a request for help with something, or a question
// about a person, is read for what it says.
func TestHelpNearMisses(t *testing.T) {
	for _, text := range []string{
		"i need help with my order",
		"ho bisogno di aiuto con il reso",
		"voglio parlare con una persona",
		"can you help me choose a laptop?",
		"is the robot vacuum in stock?",
	} {
		if cmd, ok := askedAboutTheBot(text); ok {
			t.Errorf("%q: read as %v", text, cmd)
		}
	}
}

func containsAny(got string, want ...string) bool {
	for _, w := range want {
		if strings.Contains(strings.ToLower(got), strings.ToLower(w)) {
			return true
		}
	}
	return false
}
