package flows

import (
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows/knowledge"
)

// Answers from the shop's documents. A question the flows and the FAQ
// entries do not handle is searched in the documents (CmdDocuments):
// above the threshold the bot answers with the passage as the shop wrote
// it, the citation, and "did this help?"; below it, it says it did not
// understand, as for any message it cannot handle.

// The payloads of the feedback buttons; "a person" is PayloadHuman.
const (
	PayloadHelped    = "k:y"
	PayloadNotHelped = "k:n"
)

const (
	// offerFeedback: the bot asked whether its answer from the documents
	// helped.
	offerFeedback = "feedback"
	// varDocQuestion keeps the question the documents answered while the
	// customer says whether it helped, for the transcript and the case.
	varDocQuestion = "doc_question"
)

// answerDocuments answers q from the documents and reports whether it
// did. Outside a flow the answer asks whether it helped; inside one the
// pending question follows, and its buttons are the ones to press.
func (c *conv) answerDocuments(q string, inFlow bool) bool {
	ix := c.b.Knowledge()
	if ix == nil {
		return false
	}
	a, ok := ix.Answer(q, c.lang)
	c.recordLookup(q, a, ok)
	if !ok {
		return false
	}
	// The passage is the shop's text, never a template: it is not filled.
	text := a.Text + "\n\n" + c.b.Text(TextDocumentsSource, c.lang, map[string]string{"source": a.Citation})
	if inFlow {
		c.say(text)
		return true
	}
	c.s.SetVar(varOffer, offerFeedback)
	c.s.SetVar(varDocQuestion, q)
	c.say(text+"\n\n"+c.b.text(TextDocumentsHelpful, c.lang),
		bot.Button{Title: c.b.text(TextButtonYes, c.lang), Payload: PayloadHelped},
		bot.Button{Title: c.b.text(TextButtonNo, c.lang), Payload: PayloadNotHelped},
		bot.Button{Title: c.b.text(TextButtonHuman, c.lang), Payload: PayloadHuman})
	return true
}

// recordLookup records a search of the documents for the managers' list
// of what the help centre lacks.
func (c *conv) recordLookup(q string, a knowledge.Answer, ok bool) {
	ev := bot.Event{Type: bot.EventLookup, Action: bot.LookupDocuments, Text: q, Value: bot.DocumentsAbstained, Language: c.lang}
	if ok {
		ev.Value, ev.Confidence = bot.DocumentsAnswered, a.Score
	} else if len(a.Hits) > 0 {
		ev.Confidence = a.Hits[0].Score
	}
	for _, h := range a.Hits {
		ev.Passages = append(ev.Passages, h.Passage.ID)
	}
	c.t.Record(ev)
}

// citeFAQ adds to an FAQ answer the page of the documents that answers
// the same question, when there is one: the FAQ entry is the shop's
// answer, the page where the customer reads more.
func (c *conv) citeFAQ(answer string) string {
	ix := c.b.Knowledge()
	if ix == nil || c.text == "" {
		return answer
	}
	a, ok := ix.Answer(c.text, c.lang)
	if !ok {
		return answer
	}
	// No lookup is recorded: the FAQ entry answered, and the managers'
	// count of searches is of the questions the documents alone answer.
	return answer + "\n\n" + c.b.Text(TextDocumentsSource, c.lang, map[string]string{"source": a.Citation})
}

// feedback records the customer's answer to "did this help?" about q.
func (c *conv) feedback(q, value string) {
	c.t.Record(bot.Event{Type: bot.EventAction, Action: bot.DocumentsFeedback, Text: q, Value: value, Language: c.lang})
}

// helped answers the customer's yes or no to "did this help?".
func (c *conv) helped(q string, yes bool) {
	if yes {
		c.feedback(q, bot.FeedbackHelped)
		c.say(c.b.text(TextDocumentsHelped, c.lang))
		return
	}
	c.feedback(q, bot.FeedbackNotHelped)
	// The offer of a person keeps the question, for the case.
	c.s.SetVar(varOffer, offerHuman)
	c.s.SetVar(varDocQuestion, q)
	c.say(c.b.text(TextDocumentsNotHelp, c.lang), c.humanButtons()...)
}
