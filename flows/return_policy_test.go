package flows

import (
	"strings"
	"testing"
)

// TestReturnPolicyAskedStartsTheReturn: the shop's return policy asked
// in the words of the return's cues ("refund policy", "politica dei
// resi") starts the return, whose first step tells the policy and asks
// whether to start one, when no page answers it on its own; a clause
// that asks it beside another question is the return's, no FAQ's that
// a word of it ("policy") names. Other policies are no return.
func TestReturnPolicyAskedStartsTheReturn(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		returns    bool
		not        string // a command that must not be there
	}{
		{"en", "could you tell me your refund policy?", true, ""},
		{"en", "hey what's the returns policy like", true, ""},
		{"it", "qual è la politica dei resi del negozio?", true, ""},
		{"it", "ciao, mi dite la vostra politica di restituzione?", true, ""},
		{"en", "what's your return policy, and is delivery free?", true, "faq(warranty_terms"},
		// Near misses.
		{"en", "what is your warranty policy?", false, ""},
		{"en", "what's your privacy policy?", false, ""},
		{"it", "qual è la politica sulla garanzia?", false, ""},
	} {
		got := commandsText(understandIn(t, b, tc.lang, tc.text))
		if strings.Contains(got, "start_flow(returns") != tc.returns {
			t.Errorf("%q: %s, want a return: %v", tc.text, got, tc.returns)
		}
		if tc.not != "" && strings.Contains(got, tc.not) {
			t.Errorf("%q: %s, want no %s", tc.text, got, tc.not)
		}
	}
}
