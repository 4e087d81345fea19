package flows

import (
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
