package flows

import (
	"slices"
	"strings"

	"github.com/sportello/sportello/flows/nlu"
)

// askedBesideAnswer returns the FAQ that a sentence of its own, ending
// with "?", asks in a message that answered the pending question ("just
// one. how much is delivery to Rome?", "a marzo. fate anche le rate?"):
// the sentence is read as it would be alone, at the bot's threshold, not
// at the stricter one of a second request (which guards a long request
// against a clause its classifier misreads). nil when it asks none.
func (u *understanding) askedBesideAnswer(p clause, scores []nlu.Scored, top *Intent, answered bool) *Command {
	if !answered || p.comma || top == nil || top.FAQ == "" || len(scores) == 0 || scores[0].Confidence < u.b.Threshold {
		return nil
	}
	// Close to the flow going on is no doubt: "how much is delivery?" in
	// a sale also sounds like buying.
	if u.b.ambiguous(scores) && !(u.flow != nil && u.b.intents[scores[1].Intent] != nil && u.b.intents[scores[1].Intent].Flow == u.flow.Name) {
		return nil
	}
	if q := strings.TrimSpace(p.text); countWords(q) < 3 || !strings.Contains(u.text, q+"?") {
		return nil
	}
	return u.b.intentCommand(top, scores[0].Confidence)
}

// documentsBesideAnswer returns the question for the shop's pages that a
// clause ending with "?" asks in a message that answered the pending
// question, when no FAQ and no other flow is clear for it ("la sony
// bravia. ma il negozio dov'è?", "the magnifica. quick question, do you
// have a shop I can bring it to?"): the pages answer it, and the flow
// goes on with the answer. A clause that holds a value is the answer's,
// and "" is returned.
func (u *understanding) documentsBesideAnswer(p clause, answered bool) string {
	if !answered || u.flow == nil || u.b.Knowledge() == nil {
		return ""
	}
	q := strings.TrimSpace(p.text)
	if countWords(q) < 3 || !strings.Contains(u.text, q+"?") {
		return ""
	}
	scores := u.classify(q)
	top := u.b.confident(scores)
	// What the flow going on answers is no question for the pages
	// ("SP-200107. when will it arrive?" in an order's status).
	if top != nil && (top.Flow == u.flow.Name || top.Handoff || top.FAQ != "" && scores[0].Confidence >= u.b.Threshold || top.Flow != "" && top.Flow != u.flow.Name && scores[0].Confidence >= 0.8) {
		return ""
	}
	if slices.ContainsFunc(u.facts, func(f fact) bool { return f.span != "" && strings.Contains(q, f.span) }) {
		return ""
	}
	return q + "?"
}

// toldAgainEarlier reports whether the message tells again a value the
// conversation holds for a question the flow asks before the pending
// one ("dyson v8" at the date question, the vacuum having named it).
func (u *understanding) toldAgainEarlier() bool {
	if u.flow == nil || u.ask == nil {
		return false
	}
	i, ok := u.flow.index[u.ask.ID]
	if !ok {
		return false
	}
	for _, st := range u.flow.Steps[:i] {
		s := u.b.slotOf(st)
		if st.Kind != StepAsk || s == nil || u.in.State.Slots[s.Name] == "" {
			continue
		}
		if slices.ContainsFunc(u.facts, func(x fact) bool { return x.value == u.in.State.Slots[s.Name] && u.b.fits(s, x) }) {
			return true
		}
	}
	return false
}
