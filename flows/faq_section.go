package flows

import (
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows/knowledge"
)

// faqSection is the Value of an FAQ command whose question the section of
// the FAQ's page answers (sectionAsked): the page's section is said, the
// FAQ recorded as answered.
const faqSection = "section"

// sectionOwnShare is how far ahead of the section an FAQ sums up the
// search must put another section of the same page, for a question, for
// that section to tell what is asked instead of the FAQ (sectionBeyondFAQ).
const sectionOwnShare = 0.8

// sectionAsked reports whether the FAQ command intent, outside any flow,
// is for a question that a section of the FAQ's page answers better than
// the FAQ's summary (sectionBeyondFAQ), and the classifier does not single
// the FAQ out: its intent is not the top one, or the runner-up scores half
// of it or more ("how much is a repair once the warranty is over?" is as
// much the warranty claim's as the terms'). A question the classifier
// is sure of keeps the FAQ, which the search may read worse ("what are
// your opening hours?" finds the address beside them).
func (u *understanding) sectionAsked(intent *Command) bool {
	ix := u.b.Knowledge()
	if ix == nil || u.flow != nil || intent == nil || intent.Kind != CmdFAQ || u.b.FAQ[intent.FAQ] == nil || len(u.scores) == 0 {
		return false
	}
	if in := u.b.intents[u.scores[0].Intent]; in != nil && in.FAQ == intent.FAQ &&
		(len(u.scores) < 2 || u.scores[1].Confidence < u.scores[0].Confidence/2) {
		return false
	}
	_, ok := u.b.sectionBeyondFAQ(ix, u.text, u.b.FAQ[intent.FAQ], u.in.Lang)
	return ok
}

// sectionBeyondFAQ returns the pages' answer to q, asked of the FAQ entry
// f, when it is a section of the FAQ's own page other than the one the
// FAQ sums up, and the search puts the FAQ's section well behind it: the
// FAQ is the page's summary ("you can pay by card, PayPal, bank
// transfer..."), the section tells what is asked ("if I pay by bank
// transfer, when do you ship?": the bank transfer's). The FAQ's section
// is the one its own answer finds. A question the pages answer on
// another page, on the FAQ's section, or on sections all near it ("what
// payment methods do you accept?" finds every method) keeps the FAQ.
func (b *Bot) sectionBeyondFAQ(ix *knowledge.Index, q string, f *FAQ, lang string) (knowledge.Answer, bool) {
	a, ok := b.docsAnswer(ix, q, lang)
	if !ok || a.Passage == nil || len(a.Hits) == 0 {
		return a, false
	}
	sum, _ := ix.Answer(fill(pick(f.Answer.Text, lang, b.DefaultLanguage), nil), lang)
	if len(sum.Hits) == 0 {
		return a, false
	}
	own := sum.Hits[0].Passage
	if own.Doc != a.Passage.Doc || own == a.Passage {
		return a, false
	}
	for _, h := range a.Hits {
		if h.Passage == own && h.Score >= a.Hits[0].Score*sectionOwnShare {
			return a, false
		}
	}
	return a, true
}

// answerSection answers the question of the message, which the
// understanding found a section of the FAQ entry f's page to answer
// (faqSection), with that section, cited, asking whether it helped; it
// reports whether it did. The FAQ is recorded as answered: its topic is,
// by its page.
func (c *conv) answerSection(f *FAQ) bool {
	ix := c.b.Knowledge()
	if ix == nil || f == nil || c.text == "" {
		return false
	}
	a, ok := c.b.sectionBeyondFAQ(ix, c.text, f, c.lang)
	if !ok {
		return false
	}
	c.recordFAQ(f)
	c.recordLookup(bot.Event{Text: c.text, Intent: faqMarker + f.ID}, a, true)
	text := a.Text
	if p := howToPassage(a, c.text); p != nil {
		text = p.Text
	} else if p := whenPassage(a, c.text); p != nil {
		text = p.Text
	}
	c.askFeedback(c.text, plainText(text)+"\n\n"+c.source(a))
	return true
}
