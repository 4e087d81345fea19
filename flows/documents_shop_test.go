package flows

import (
	"strings"
	"testing"
)

// TestShopClaimAfterAnAnswerIsNoFeedback: a claim told while "did this
// help?" is open is a new request. Its "non si accende" rates no answer,
// and its case card has no question of the documents.
func TestShopClaimAfterAnAnswerIsNoFeedback(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	contains(t, d.say("how do I reset the TV to factory settings?"), "Did this help?")
	out := d.say("il mio pixel 8 non si accende piu, comprato a marzo 2025, privato")
	contains(t, out, "in garanzia", "Assistenza")
	if strings.Contains(out, "Mi dispiace") || d.feedback() != "" {
		t.Errorf("the claim rated the answer: %q %q", d.feedback(), out)
	}
	h := d.last.Handoff
	if h == nil || h.Team != "support" {
		t.Fatalf("handoff %+v, want support", h)
	}
	for _, l := range h.Summary {
		if strings.Contains(l, "reset the TV") {
			t.Errorf("the case card has the answered question: %q", h.Summary)
		}
	}
}
