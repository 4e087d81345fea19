package flows

import (
	"strings"

	"github.com/sportello/sportello/flows/nlu"
)

// ownWordFAQ returns the FAQ that a question names by a word written only
// in its examples ("u guys take gpay?", "satispay ok?") when the
// classifier, put off by the other words, leans to it without reaching
// the threshold: the word says what the question is about. nil
// otherwise, and for a question that also tells values (a flow's).
func (u *understanding) ownWordFAQ() *Command {
	if len(u.scores) == 0 || len(u.facts) > 0 || !(u.question || strings.Contains(u.text, "?")) {
		return nil
	}
	s := u.scores[0]
	if s.Confidence < u.b.Threshold/2 {
		return nil
	}
	in, written := u.b.ownWordBut(u.text, u.dateWord)
	if in == nil || !written || in.Name != s.Intent || in.Flow != "" || in.Handoff {
		return nil
	}
	return u.b.intentCommand(in, s.Confidence)
}

// ownWordAsked returns the FAQ that a word of text names as written in
// its examples only (ownWordBut, skipping the words skip reports), or nil.
// A question how to do something keeps that FAQ only when the classifier
// gives it half the threshold or more in scores: "if I order for my
// company how do I get an invoice" names the payments' "invoice" but asks
// for the steps the pages tell, where "if I order for my company, do you
// send an invoice?" is the FAQ's.
func (u *understanding) ownWordAsked(text string, skip func(w string) bool, scores []nlu.Scored) *Intent {
	in, written := u.b.ownWordBut(text, skip)
	if in == nil || !written {
		return nil
	}
	if scoreOf(scores, in.Name) < u.b.Threshold/2 && asksHowTo(text) {
		return nil
	}
	return in
}
