package flows

import (
	"strings"
	"testing"

	"github.com/sportello/sportello/bot"
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

// TestShopAnswerThatDidNotWorkThenAClaim: "the reset did not work" still
// says the answer did not help, before the claim it starts.
func TestShopAnswerThatDidNotWorkThenAClaim(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.hint = "en"
	contains(t, d.say("how do I reset the TV to factory settings?"), "Did this help?")
	contains(t, d.say("the reset did not work at all, the tv is still frozen"), "I'm sorry", "Which model")
	if f := d.feedback(); !strings.HasPrefix(f, bot.FeedbackNotHelped+" ") {
		t.Errorf("feedback %q, want not helped", f)
	}
}

// TestShopWhereAreYouWithFillers: the words that only fill ("ah", "di
// preciso", "exactly") weigh nothing in the pages' search: "ah dove
// siete di preciso?" is "dove siete?", the shop's address; a question
// of another topic with the same fillers still finds none.
func TestShopWhereAreYouWithFillers(t *testing.T) {
	b := mustShop(t)
	for _, q := range []string{"ah dove siete di preciso?", "dove siete esattamente?", "beh allora dove siete?", "oh dove siete?"} {
		a, ok := b.Knowledge().Answer(q, "it")
		if !ok || !strings.Contains(a.Text, "Via Roma") {
			t.Errorf("%q: answered %v %q, want the address", q, ok, a.Text)
		}
	}
	for _, q := range []string{"ah ma fate sconti agli studenti di preciso?", "beh allora avete la carta fedelta esattamente?"} {
		if a, ok := b.Knowledge().Answer(q, "it"); ok && strings.Contains(a.Text, "Via Roma") {
			t.Errorf("%q: answered with the address %q", q, a.Text)
		}
	}
}
