package flows

import "strings"

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
