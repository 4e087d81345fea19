package flows

import (
	"maps"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows/knowledge"
)

// faqSection is the Value of an FAQ command whose question the section of
// the FAQ's page answers (sectionAsked): the page's section is said, the
// FAQ recorded as answered; faqSectionBeside that of one whose section
// is said before the FAQ's own answer.
const (
	faqSection       = "section"
	faqSectionBeside = "section_beside"
)

// sectionOwnShare is how far ahead of the section an FAQ sums up the
// search must put another section of the same page, for a question, for
// that section to tell what is asked instead of the FAQ (sectionBeyondFAQ).
const sectionOwnShare = 0.8

// sectionAsked returns the Value for the FAQ command intent, outside any
// flow, of a question that a section of the FAQ's page answers better
// than the FAQ's summary (sectionBeyondFAQ), or "". When the classifier
// does not single the FAQ out (its intent is not the top one, or the
// runner-up scores half of it or more: "how much is a repair once the
// warranty is over?" is as much the claim's as the terms'), the section
// answers (faqSection). When it does, the FAQ answers, and the section
// before it only if the question writes a word that the section holds
// and neither the FAQ's answer nor its intent's examples do ("posso
// ritirare in negozio?": where to pick up, then the hours; "what are your
// opening hours?" keeps the FAQ alone, whatever the search finds beside).
func (u *understanding) sectionAsked(intent *Command) string {
	ix := u.b.Knowledge()
	if ix == nil || u.flow != nil || intent == nil || intent.Kind != CmdFAQ || u.b.FAQ[intent.FAQ] == nil || len(u.scores) == 0 {
		return ""
	}
	f := u.b.FAQ[intent.FAQ]
	a, ok := u.b.sectionBeyondFAQ(ix, u.text, f, u.in.Lang)
	if !ok {
		return ""
	}
	in := u.b.intents[u.scores[0].Intent]
	if in == nil || in.FAQ != intent.FAQ || len(u.scores) > 1 && u.scores[1].Confidence >= u.scores[0].Confidence/2 {
		return faqSection
	}
	answer, section := stemsOf(pick(f.Answer.Text, u.in.Lang, u.b.DefaultLanguage)), stemsOf(a.Passage.Text)
	for _, w := range u.words {
		if st, ok := stem(w); ok && section[st] && !answer[st] && !in.stems[st] {
			return faqSectionBeside
		}
	}
	return ""
}

// stemsOf returns the stems of the longer words of text.
func stemsOf(text string) map[string]bool {
	out := map[string]bool{}
	for _, w := range words(text) {
		if st, ok := stem(w); ok {
			out[st] = true
		}
	}
	return out
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
	own := b.faqOwnPassage(ix, f, lang)
	if own == nil || own.Doc != a.Passage.Doc || own == a.Passage {
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
// (faqSection), with that section, and the FAQ's answer after it when
// beside (faqSectionBeside), cited, asking whether it helped; it reports
// whether it did. The FAQ is recorded as answered: its topic is, by its
// page.
func (c *conv) answerSection(f *FAQ, beside bool) bool {
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
	text = plainText(text)
	if beside {
		vars := c.vars()
		maps.Copy(vars, c.termsVars())
		text += "\n\n" + fill(pick(f.Answer.Text, c.lang, c.b.DefaultLanguage), vars)
	}
	c.askFeedback(c.text, text+"\n\n"+c.source(a), c.buttons(f.Buttons)...)
	return true
}

// faqOwnKey names a passage of faqOwn.
type faqOwnKey struct {
	ix   *knowledge.Index
	faq  string
	lang string
}

// faqOwnPassage returns the passage of ix that f's answer in lang finds
// first (the section the FAQ sums up), or nil: searched once per index,
// FAQ and language (a long answer is a costly query), not once per
// message.
func (b *Bot) faqOwnPassage(ix *knowledge.Index, f *FAQ, lang string) *knowledge.Passage {
	key := faqOwnKey{ix, f.ID, lang}
	if p, ok := b.faqOwn.Load(key); ok {
		return p.(*knowledge.Passage)
	}
	var own *knowledge.Passage
	if sum, _ := ix.Answer(fill(pick(f.Answer.Text, lang, b.DefaultLanguage), nil), lang); len(sum.Hits) > 0 {
		own = sum.Hits[0].Passage
	}
	b.faqOwn.Store(key, own)
	return own
}
