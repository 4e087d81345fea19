package flows

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/flows/extract"
	"github.com/sportello/sportello/flows/nlu"
)

// rules is the built-in Understander: the classifier for what the
// customer wants, flows/extract for the values the message holds, and
// the conversation's state to tell an answer from a new request.
type rules struct{ b *Bot }

var _ Understander = rules{}

// Understand returns the commands of in. It never fails: a message it
// cannot read is out of scope.
func (r rules) Understand(_ context.Context, in Input) ([]Command, error) {
	if in.Payload != "" {
		return r.b.payloadCommands(in), nil
	}
	// "domanda sulla graanzia", "si grazei": read as spelt right, once
	// (spelling.go); a command records what the customer wrote.
	sp := in.Spelling
	if sp == nil || !strings.Contains(sp.Text, in.Text) {
		sp = r.b.respell(in.Text)
		in.Text, in.Spelling = sp.Text, sp
	}
	cmds := r.understand(in)
	for i, c := range cmds {
		if w := sp.OriginalOf(c.Span); w != c.Span {
			cmds[i].Written = w
		}
	}
	return cmds, nil
}

// understand is Understand of a message respelt.
func (r rules) understand(in Input) []Command {
	// A greeting before the request asks for nothing: the request is read
	// as written alone ("ciao, vorrei la garanzia per il pixel",
	// "hi, do u take amex", "hi, blah"). Only when the rest asks nothing
	// of the bot in words it knows ("ciao! spero stiate bene", "hi, how
	// are you doing today?") is the greeting what the message says.
	// "dont", "Im", "id like" read as "don't", "I'm", "i'd like".
	in.Text = extract.WithApostrophes(in.Text)
	if cmd, ok := languageOnly(in.Text); ok {
		return []Command{cmd}
	}
	if cmd, ok := askedAboutTheBot(in.Text); ok {
		return []Command{cmd}
	}
	if rest, last := pastOpeningGreeting(in.Text); rest != "" {
		past := in
		past.Text = rest
		cmds := r.b.newUnderstanding(past).commands()
		if r.b.gibberish(rest) {
			return cmds
		}
		greeted := in
		greeted.Text = last
		u := r.b.newUnderstanding(greeted)
		if u.smallTalkGoesOn(rest) && (unread(cmds, rest) || u.top != nil && !u.top.Reply.IsZero()) && !r.b.pagesTellHow(rest, in.Lang) {
			return u.commands()
		}
		return cmds
	}
	u := r.b.newUnderstanding(in)
	cmds := u.commands()
	if c := u.askedOfToo(cmds); c != nil {
		return []Command{*c}
	}
	// "hello wheres SP-135790", "ciao dove e il mio ordine SP-123456":
	// a greeting written without its mark, read as small talk with a
	// request beside it. The request alone, when it asks something of
	// the bot that is no small talk, is what the message says.
	// Small talk that goes on ("hi hope you are well") stays small talk,
	// unless the rest holds a value ("hello wheres SP-135790").
	if rest := pastBareGreeting(in.Text); rest != "" && onlySmallTalk(cmds) && !r.b.gibberish(rest) {
		past := in
		past.Text = rest
		pc := r.b.newUnderstanding(past).commands()
		if !unread(pc, rest) && !hasKind(pc, CmdSmallTalk) && (!u.smallTalkGoesOn(rest) || hasKind(pc, CmdSetSlot)) {
			return pc
		}
	}
	return cmds
}

// pagesTellHow reports whether rest, the message past its greeting,
// asks how to do something and the shop's pages answer it ("hello there,
// how do I descale the magnifica?"): a how-to question is no small talk
// going on, however few of its words the intents' examples hold.
func (b *Bot) pagesTellHow(rest, lang string) bool {
	ix := b.Knowledge()
	if ix == nil || !asksHowToIn(saying(rest)) {
		return false
	}
	_, ok := b.docsAnswer(ix, rest, lang)
	return ok
}

// onlySmallTalk reports whether cmds are small talk and the values read
// beside it.
func onlySmallTalk(cmds []Command) bool {
	return hasKind(cmds, CmdSmallTalk) && !slices.ContainsFunc(cmds, func(c Command) bool { return c.Kind != CmdSmallTalk && c.Kind != CmdSetSlot })
}

// ofThing reports whether the FAQ's answer tells of the product or kind
// the question names (the warranty's terms, {warranty_of}), so that the
// same question may be asked of another.
func (f *FAQ) ofThing() bool {
	for _, t := range f.Answer.Text {
		if strings.Contains(t, "{warranty_of}") {
			return true
		}
	}
	return false
}

// askedOfToo returns the FAQ the bot's last reply answered outside any
// flow, of a thing (ofThing), when the message is only a name, a
// product, a kind or a brand, that cmds would sell, answer with another
// FAQ or not understand ("che garanzia ha un frigo bosch?", then
// "samsung"; "e le tv"): the customer asks the same of it, and buys
// nothing. Nil otherwise.
func (u *understanding) askedOfToo(cmds []Command) *Command {
	f := u.b.FAQ[u.in.State.Answered]
	if f == nil || u.in.State.Flow != "" || len(u.facts) == 0 || !f.ofThing() {
		return nil
	}
	// A service the name starts (a claim on "the pixel 8") or a person
	// asked for stands.
	if hasKind(cmds, CmdHuman, CmdCancel) || slices.ContainsFunc(cmds, func(o Command) bool {
		return o.Kind == CmdStartFlow && (u.b.Flows[o.Flow] == nil || !u.b.Flows[o.Flow].sells(u.b))
	}) {
		return nil
	}
	for _, fa := range u.facts {
		if fa.kind != factProduct && fa.kind != factCategory && fa.kind != factBrand {
			return nil
		}
	}
	if len(residue(u.text, u.facts)) > 0 {
		return nil
	}
	return &Command{Kind: CmdFAQ, FAQ: f.ID, Confidence: 1}
}

// unread reports whether cmds, the commands of text, ask for nothing the
// bot knows: out of scope, or the whole text for the pages to search.
func unread(cmds []Command, text string) bool {
	return !slices.ContainsFunc(cmds, func(c Command) bool {
		return c.Kind != CmdOutOfScope && (c.Kind != CmdDocuments || c.Span != text)
	})
}

// An understanding is one message being read.
type understanding struct {
	b     *Bot
	in    Input
	text  string
	words []string
	said  said // the words with the phrases they hold
	// question: the message asks something (isQuestion).
	question bool
	// correction: the message corrects what was said.
	correction bool
	// opens: whether the message opens with a yes or a no (yesNo), once
	// asked.
	opens yesNoOpening
	// classified are the classifier's answers for parts of the message.
	classified map[string][]nlu.Scored
	facts      []fact
	used       []bool // facts already turned into a command
	scores     []nlu.Scored
	whole      []nlu.Scored // the classifier's answer for the whole message
	top        *Intent      // the confident intent, if any
	flow       *Flow        // the active flow
	ask        *Step        // the question pending, if any
	slot       *Slot        // its slot
	cmds       []Command
	// sub: a part of a message read alone, for the agenda; split: the
	// parts, once read (agenda.go).
	sub   bool
	split *[]part
	lower *lowered // u.text in lower case, once asked for
	// marked: the customer wrote the whole message without a mark that
	// ends a clause (punct.go).
	marked bool
	cues   []bool // the intents whose cues the message holds, once asked for (cuedIn)
	// alones are the readings of texts of the message read alone, by
	// text (agenda.go).
	alones map[string][]Command
	// texts are the words of texts of the message, shared with its parts
	// read alone (reading.go).
	texts *messageTexts
	// msg is the extraction's reading of u.text, which its parts' are
	// slices of (readOf).
	msg *extract.Text
}

func (b *Bot) newUnderstanding(in Input) *understanding { return b.understandingOf(in, nil) }

// understandingOf reads in; whole, when not nil, is the understanding of
// the message in is a part of (agenda.go), whose classifier's answers and
// words of texts are shared with it.
func (b *Bot) understandingOf(in Input, whole *understanding) *understanding {
	var classified map[string][]nlu.Scored
	if whole != nil {
		classified = whole.classified
		if in.Spelling == nil {
			in.Spelling = whole.in.Spelling
		}
	}
	// One reading of the message gives its words and the extraction's;
	// a part's is the message's reading within it.
	msg := b.readOf(in.Text, whole)
	u := &understanding{b: b, in: in, text: in.Text, words: msg.Words(), classified: classified}
	if whole != nil {
		u.texts = whole.texts
		u.said = u.sayingOf(in.Text) // Read(t).Words() is words(t)
	} else {
		u.said = sayWords(u.words)
	}
	// A whole message written without marks is read with the marks its
	// words show (punct.go); a part of one was cut from it already.
	if classified == nil {
		u.marked = !hasClauseMark(in.Text)
		if marked := markClauses(in.Text, msg, u.said); marked != in.Text {
			in.Text = marked
			msg = extract.ReadMessage(marked)
			u.in, u.text, u.words = in, marked, msg.Words()
			u.said = sayWords(u.words)
		}
	}
	// A part of a message (classified) lost its question mark to the
	// cut: only a whole message is asked whether it asks without one.
	u.question = isQuestionOf(in.Text, u.words) || classified == nil && asksWithoutMark(in.Text, u.said)
	u.correction = hasCorrectionIn(u.said) || ownsUpIn(u.said)
	if f := b.Flows[in.State.Flow]; f != nil {
		u.flow = f
		for _, st := range f.Steps {
			if st.Kind == StepAsk && st.Slot == in.State.Slot {
				u.ask, u.slot = st, b.slotOf(st)
				break
			}
		}
	}
	// A bare number reads as what was asked ("2" for how many), but in a
	// longer message the words around it decide.
	var expect SlotType
	if u.slot != nil && len(u.words) <= 3 {
		expect = u.slot.Type
	}
	u.msg = msg
	u.facts = b.correctedInPlace(in.Text, in.Lang, in.Now, b.readText(msg, in.Lang, in.Now, expect))
	u.used = make([]bool, len(u.facts))
	if classified != nil {
		u.scores = u.classify(in.Text)
	} else {
		u.scores = b.classifyMistyped(in.Spelling, in.Text, u.words, b.Classify(in.Text))
	}
	u.pastGreeting()
	u.howAreYou()
	u.whole = u.scores
	u.top = b.confident(u.scores)
	// "am I talking to a bot or a real person?" asks what the bot is; it
	// asks for no person (unless it does: "are you a bot? I want a human").
	if u.top != nil && u.top.Handoff && u.question && u.said.has(botQuestionPhrases) && !isRequestIn(u.said) {
		u.top = nil
	}
	if u.top != nil && u.top.Handoff && u.personNotMeant() {
		u.top = nil // "sbloccare il telefono dall'operatore" (scope.go)
	}
	if u.top != nil && u.scores[0].Confidence < b.Threshold+0.25 && !u.grounded(u.top) {
		u.top = nil
		// The runner-up the words do support takes its place: "voglio
		// fare un reclamo a una persona" names a person.
		if len(u.scores) > 1 && u.scores[1].Confidence >= b.Threshold {
			if in := b.intents[u.scores[1].Intent]; in != nil && u.grounded(in) {
				u.scores = slices.Clone(u.scores)
				u.scores[0], u.scores[1] = u.scores[1], u.scores[0]
				u.top = in
			}
		}
	}
	if !u.correction {
		u.correction = u.replacesValue() || u.restatesFilled() || u.bareNewOrder()
	}
	return u
}

// replacesValue reports whether the message names a filled slot's value
// beside another value for it: "march, not may", "the macbook, not the
// iphone" corrects, whatever the words around them. ", not" before the
// old value does too, read or not ("april, not may": "may" alone is no
// month to read).
func (u *understanding) replacesValue() bool { return u.replaces(false) }

// replaces is replacesValue; denied asks more: the old value is named,
// and said no to ("giugno 2024 non 2023", "the macbook, not the
// iphone"), as a message to an open case must say it to correct it ("my
// iphone works fine though, only the pixel is broken" names both and
// corrects nothing).
func (u *understanding) replaces(denied bool) bool {
	// Lower-cased only when asked: most messages name no other value.
	notAfter := func() bool {
		lower := strings.ToLower(u.text)
		return !denied && (strings.Contains(lower, ", not ") || strings.Contains(lower, ", non "))
	}
	for name, old := range u.in.State.Slots {
		s := u.b.Slots[name]
		if s == nil || old == "" {
			continue
		}
		same, other := false, false
		for _, f := range u.facts {
			if s.Type == SlotDate && f.kind == factNumber && len(f.value) == 4 && strings.HasPrefix(old, f.value+"-") && u.negated(f) {
				same = true // "giugno 2024 non 2023": the old date's year, said no to
				continue
			}
			if !u.b.fits(s, f) {
				continue
			}
			if f.value == old || strings.HasPrefix(old, f.value+"-") {
				// The count told again for the question of the budget
				// ("just one, 700 max") corrects only said no to.
				same = same || !denied && !(s.Type == SlotNumber && u.slot != nil && u.slot.Type == SlotMoney) || u.negated(f) // "february" beside 3 February, the old day
			} else {
				other = true
			}
		}
		if other && (same || notAfter()) {
			return true
		}
	}
	return false
}

func (u *understanding) add(c Command) { u.cmds = append(u.cmds, c) }

// classify classifies a part of the message once; a part that is the
// whole message has the whole message's scores.
func (u *understanding) classify(text string) []nlu.Scored {
	if u.classified == nil {
		u.classified = map[string][]nlu.Scored{u.b.classifiedAs(u.text): u.whole}
	}
	key := u.b.classifiedAs(text)
	if s, ok := u.classified[key]; ok {
		return s
	}
	s := u.b.classifyMistyped(u.in.Spelling, text, u.wordsOf(text), u.b.Classify(text))
	u.classified[key] = s
	return s
}

// classifiedAs is the text the classifier's answer for text is kept
// under: nlu reads the words only, so the spaces around them change
// nothing (" ditemi voi", a clause, is the part "ditemi voi").
func (b *Bot) classifiedAs(text string) string {
	if _, ok := b.classifier.(*nlu.Model); ok {
		return strings.TrimSpace(text)
	}
	return text
}

// commands reads the message in order of precedence: the answer to the
// bot's offer, a person, cancel, the answer to the pending question, the
// values for other questions, and what the customer wants.
// languageOnly reads a message that only asks for a language ("English
// please", "possiamo parlare in italiano?", "ciao, parlate tedesco?"),
// after a greeting if one opens it: the command that switches to it, or
// names the bot's own. A message that asks for something too ("English
// please, my laptop is broken") is read for that, in the language asked
// (Runtime.language).
func languageOnly(text string) (Command, bool) {
	text = pastGreeting(text)
	if rest, ok := afterLanguageAsk(text); !ok || rest != "" {
		return Command{}, false
	}
	code := announcedLanguage(text)
	if code == "" {
		return Command{}, false
	}
	return Command{Kind: CmdLanguage, Value: code, Span: strings.TrimSpace(text), Confidence: 1}, true
}

func (u *understanding) commands() []Command {
	b, st := u.b, u.in.State
	// A yes or a no answers an offer or a question only.
	var yes, yn bool
	if st.Offer != "" || u.ask != nil {
		yes, yn = u.yesNo()
	}
	// "ok grazie" after "did this help?" says it did (feedbackThanks).
	helped, thanks := false, false
	if st.Offer == offerFeedback {
		helped, thanks = feedbackThanks(u.said)
	}
	if thanks && helped && st.Offer == offerFeedback && u.slot != nil && u.slot.Type == SlotYesNo && sayYesBesideThanks(u.words) {
		// "perfetto grazie, sì avvialo" after an answer in a flow whose
		// question is a yes or no: the thanks and the yes, which answers
		// the question as a bare yes does.
		thanks = false
	}
	if st.Offer == offerFeedback && u.flow == nil && len(u.words) <= 4 && isCancelIn(u.said) {
		// "never mind", "lascia perdere" at "did this help?": the
		// customer lets the question go; no "sorry it did not help",
		// no person offered again.
		u.add(Command{Kind: CmdCancel, Confidence: 1})
		return u.cmds
	}
	switch {
	case thanks:
		yes, yn = helped, true
	case st.Offer == offerFeedback:
		// "ok ciao" rates nothing: no "sorry it did not help".
	case st.Offer == offerResume && thanksOnlyIn(u.said):
		// "ok grazie" at "shall we go back to the claim?" thanks for the
		// answer just given, and answers nothing: the dialogue asks again.
		yn = false
	case st.Offer != "" && thanksAnywayIn(u.said):
		yes, yn = false, true // "ok, grazie lo stesso" declines
	}
	if st.Offer == offerResume && thanksOnlyIn(u.said) {
		if in := u.smallTalk(); in != nil {
			u.add(Command{Kind: CmdSmallTalk, Intent: in.Name, Confidence: u.score(in.Name)})
			return u.cmds
		}
	}
	if st.Offer == offerElse {
		// "something else, or a person?": "ok", "ah ok" take the news.
		if yes && acknowledgesIn(u.said) {
			yes = false
		}
		st.Offer = offerHuman
	}
	if st.Offer == offerHuman && yn && !yes && u.noThenPerson() {
		// "no, voglio una persona" at "something else, or a person?": the
		// no is to something else; the person is asked for.
		yes = true
	}

	// The bot's offer is answered by yes or no in any form; "ah ok,
	// allora vorrei la friggitrice" asks for something else.
	// Thanks and a question ("thanks, and what about shipping?") still
	// say the answer helped.
	// "ok yes start the return" at "start a return?" says yes to it.
	if st.Offer != "" && yn && yes && len(u.words) > 4 && (u.top != nil && u.top.Handoff == false || len(u.facts) > 0) &&
		!(thanks && strings.Contains(u.text, "?")) && !(u.top != nil && u.flow != nil && u.top.Flow == u.flow.Name && len(u.facts) == 0) {
		yn = false
	}
	// "ok and samsung phones?" at "something else, or a person?": the ok
	// takes note of the answer, and what follows, of the catalogue, is the
	// something else.
	if st.Offer == offerHuman && yn && yes && len(u.words) > 1 && (u.words[0] == "ok" || u.words[0] == "okay") &&
		u.namesWhatFlowsSell() && !namesPersonIn(u.said) {
		yn = false
	}
	// A bare yes or no answers "did this help?", unless the pending
	// question asks for one: that answer must not be lost.
	feedbackOrAnswer := st.Offer == offerFeedback && u.slot != nil && u.slot.Type == SlotYesNo && !thanks
	if st.Offer != "" && yn && !feedbackOrAnswer {
		if yes {
			u.add(Command{Kind: CmdAffirm, Value: st.Offer, Confidence: 1})
		} else {
			u.add(Command{Kind: CmdDeny, Value: st.Offer, Confidence: 1})
		}
		if st.Offer == offerHuman || st.Offer == offerResume || st.Offer == offerFeedback || st.Offer == offerMore {
			// "no, the pixel 8" after "did this help?" in a flow also
			// answers its question.
			// "grazie, e la spedizione?": the feedback, and a question.
			// "sì, vorrei una tv" at "anything else?": the yes, and what
			// else.
			asksMore := st.Offer == offerMore && (len(u.facts) > 0 || u.top != nil && u.top.Flow != "")
			// "no, a person please" at "did this help?": the no, and the
			// person asked for.
			asksPerson := st.Offer == offerFeedback && !yes && len(u.words) > 1 && u.top != nil && u.top.Handoff && namesPersonIn(u.said)
			if len(u.words) <= 4 && !asksMore && !asksPerson && !(st.Offer == offerFeedback && (u.ask != nil && len(u.facts) > 0 || len(u.words) > 2 && strings.Contains(u.text, "?"))) {
				return u.cmds
			}
		}
	}
	// "wait, I'm looking for the receipt": time asked to find the
	// answer, which is no answer, no failed one and no new request.
	if u.ask != nil && u.pauses() {
		u.cmds = append(u.cmds[:0], Command{Kind: CmdPause, Slot: u.ask.Slot, Confidence: 1})
		return u.cmds
	}
	// The answer to the question comes first: "per me" answers "private
	// or business?", whatever it resembles.
	// "how much would it cost?" to "would you like a quote for a paid
	// repair?": the price is what the people its yes hands over to tell,
	// so the question says yes.
	pricedOnly := u.pricesHandoff()
	if pricedOnly {
		yes, yn = true, true
	}
	var answered bool
	leaves := u.flow != nil && (isCancelIn(u.said) || u.pointsBack())
	if u.ask != nil && u.slot != nil && !leaves {
		answered = u.answerPending(yes, yn && !thanks)
	}
	if st.Offer == offerHuman && u.top != nil && u.top.Handoff && u.declinesPerson() {
		// "no, non serve una persona", "I really dont need an agent" at
		// "something else, or a person?": the offer is declined.
		if !slices.ContainsFunc(u.cmds, func(c Command) bool { return c.Kind == CmdDeny }) {
			u.add(Command{Kind: CmdDeny, Value: st.Offer, Confidence: 1})
		}
		return u.cmds
	}
	if u.top != nil && u.top.Handoff && !u.answersText() && (!answered || u.topConfidence() >= 0.9 && !u.oneUnknownWord()) {
		if asksSellerIn(u.said) {
			u.seller() // a person of the sale
			return u.cmds
		}
		u.cmds = u.cmds[:0]
		u.add(Command{Kind: CmdHuman, Intent: u.top.Name, Confidence: u.scores[0].Confidence})
		// "can a person call me about buying 4 tvs? 340...": the values
		// say which flow the person is for, so its team and its card.
		if u.flow == nil {
			if c := u.onlyFit(); c != nil && u.b.Flows[c.Flow].Team != "" {
				u.cmds[0].Flow = c.Flow
				u.others(u.b.Flows[c.Flow], true)
			}
		} else {
			// "call me on 320 1234567 please" in the middle of a purchase:
			// the person gets the number on the case card.
			u.others(u.flow, false)
		}
		u.questions() // "what time do you open tomorrow? and can I talk to a person"
		return u.cmds
	}
	if leaves {
		u.add(Command{Kind: CmdCancel, Flow: u.flow.Name, Confidence: 1})
		// "forget it, I'll buy a new laptop instead": a new request too;
		// "I'll buy a new one later" puts it off. So is a cue of another
		// flow: "I want to cancel it" while the order's status asks its
		// proof cancels the order (a back cue), not the bot's question.
		cued := u.cued()
		if cued != nil && cued.Flow != u.flow.Name ||
			u.top != nil && u.top.Flow != "" && u.top.Flow != u.flow.Name && !u.b.ambiguous(u.scores) && !putsOffIn(u.said) {
			u.flow, u.ask, u.slot = nil, nil, nil
			u.in.State.Flow, u.in.State.Slot = "", ""
			if c := u.intent(false); c != nil && c.Kind == CmdStartFlow {
				u.add(*c)
				u.others(u.b.Flows[c.Flow], true)
			}
		}
		return u.cmds
	}

	intent := u.intent(answered)
	if u.flow == nil && intent != nil && intent.Kind == CmdStartFlow && u.b.Flows[intent.Flow].checksWarranty() && u.praisedNoFault() {
		// "my pixel still works great after a year": a product that
		// works is no claim, whatever the classifier or the date says;
		// the small talk beside it ("..., grazie") is answered.
		intent = nil
		if in := b.confident(u.scores); in != nil && !in.Reply.IsZero() {
			intent = b.intentCommand(in, u.scores[0].Confidence)
		}
	}
	if c := u.onItsWay(intent); c != nil {
		intent = c
	}
	if answered && intent != nil && intent.Kind == CmdStartFlow && putsOffIn(u.said) {
		// "yes please, and maybe I'll buy a new one later": the answer
		// to the question stands; the purchase is put off, nothing to
		// start now.
		intent = nil
	}
	// "yes, how much does it cost?" to "would you like a quote for a
	// paid repair?": the price of what the question offers, which the
	// flow's next step gives (the quote). No sale starts from "how
	// much", and no page is looked up for a question of no subject.
	priceOfOffer := answered && (pricedOnly || u.pricesTheOffer(yes))
	if priceOfOffer && intent != nil && intent.Kind != CmdHuman {
		intent = nil
	}
	if intent == nil && !answered {
		intent = u.ownWordFAQ() // "u guys take gpay?"
	}
	if c := u.notAgain(intent); c != nil {
		intent = c
	}
	if answered && intent != nil && intent.Kind == CmdStartFlow && u.top != nil && u.claimInSale(u.top) {
		u.answerFor(intent.Flow) // the product of the claim, not of the sale
	}
	if c := u.documentsFirst(intent); c != nil {
		intent = c
	}
	if v := u.sectionAsked(intent); v != "" {
		intent.Value = v // "se pago con bonifico, quando spedite?"
	}
	if u.flow == nil {
		if c := u.either(); c != nil {
			intent = c // "shipping or returns?": which one
		}
	}
	// Two requests in one message ("where is my order? and can I pay
	// with PayPal?"): each clause is read on its own; answers come first,
	// then at most one flow.
	// An earlier answer told again ("De'Longhi Magnifica." at the date
	// question, the coffee machine having named it) answers as the
	// pending question's answer would: a question beside it is read.
	extra := u.clauses(intent, answered || u.toldAgainEarlier())
	if len(extra) > 0 && intent != nil && intent.Kind == CmdClarify {
		intent = nil
	}
	if intent != nil && (intent.Kind == CmdFAQ || intent.Kind == CmdSmallTalk) && u.flow == nil {
		// "my pixel won't turn on: how much is shipping it to you?"
		if c := u.symptom(); c != nil {
			// "my pixel 8 battery drains in 2 hours" asks no hours: the
			// FAQ is answered only when the message asks a question.
			if u.question || strings.Contains(u.text, "?") || intent.Kind == CmdSmallTalk {
				extra = append([]Command{*intent}, extra...)
			}
			intent = c
		} else if i := slices.IndexFunc(extra, func(c Command) bool { return c.Kind == CmdStartFlow }); i >= 0 {
			// "dov'è il pacco SP-123456? e quanto dura la garanzia?": the
			// answer, then the flow a clause of its own asks for.
			c := extra[i]
			extra = append([]Command{*intent}, slices.Delete(extra, i, i+1)...)
			intent = &c
		} else if c := u.flowSentence(); c != nil {
			// "hey my tv order SP-200103 was supposed to come last week,
			// postcode 40121. also can i pay with klarna?"
			extra = append([]Command{*intent}, extra...)
			intent = c
		} else if c := u.orderClause(); c != nil {
			// "need to know where SP-123456 has got to, and is the
			// warranty on the tv 2 years?"
			extra = append([]Command{*intent}, extra...)
			intent = c
		} else if c := u.onlyFit(); c != nil && u.b.Flows[c.Flow].sells(u.b) && len(u.splitClauses()) > 1 {
			// "ho una ditta e vorrei prendere 3 thinkpad, ma prima mi dite
			// quanto dura la garanzia?": the values ask for a sale too.
			extra = append([]Command{*intent}, extra...)
			intent = c
		}
	}
	// A free answer is the whole message ("l'aspirapolvere non mi
	// convince, preferisco un altro modello" is why it goes back): what
	// follows its first comma asks for nothing of its own.
	if s, _ := u.restSlot(u.flow); answered && intent == nil && yn && (u.slot != nil && u.slot.Type == SlotYesNo || !u.correction) && s == "" &&
		!(u.slot != nil && u.slot.Type.free()) {
		if c := u.afterAnswer(); c != nil {
			extra = append(extra, *c)
		} else if q := u.askedAfterAnswer(); q != "" && b.Knowledge() != nil && !hasKind(extra, CmdFAQ) {
			// "sì, ma serve la scatola originale?": the yes answers the
			// question, and the shop's pages may answer the customer's.
			extra = append(extra, Command{Kind: CmdDocuments, Span: q, Confidence: 1})
		}
	}
	for _, c := range extra {
		if priceOfOffer && (c.Kind == CmdDocuments || c.Kind == CmdFAQ || c.Kind == CmdStartFlow) {
			continue
		}
		if c.Kind == CmdFAQ || c.Kind == CmdSmallTalk || c.Kind == CmdDocuments {
			u.add(c)
		}
	}
	if intent == nil && !priceOfOffer {
		for _, c := range extra {
			if c.Kind == CmdStartFlow {
				intent = &c
				break
			}
		}
	}
	if u.flow == nil && intent != nil && intent.Kind == CmdStartFlow && !u.question && nothingToChangeIn(u.said) {
		// "no niente, nell'ordine non c'è da cambiare nulla grazie": the
		// change is denied, and nothing is asked; the thanks beside it is
		// answered.
		intent = nil
		if in := u.smallTalk(); in != nil && slices.ContainsFunc(u.words, func(w string) bool { return thanksWords[w] }) {
			intent = &Command{Kind: CmdSmallTalk, Intent: in.Name, Confidence: u.score(in.Name)}
		}
	}
	if c, q := u.buysFirst(intent); c != nil {
		u.add(*q) // "se la compro e non mi piace, posso restituirla?" (returns.go)
		intent = c
	}
	if c := u.claimBeforeBuying(intent); c != nil {
		intent = c // "we're thinking of buying some thinkpads" (returns.go)
	}
	if q := u.returnIfBuying(intent); q != nil {
		u.add(*q) // "and if I don't like it, can I send it back?" in a sale (returns.go)
		intent = nil
	}
	if c := u.beyondFlows(intent); c != nil {
		intent = c // "do you offer student discounts?" (scope.go)
	}
	// "does the pixel 8 take two sims?": a buyer's question, which a
	// salesperson answers (presale.go).
	presale, asked := u.presaleQuestion(intent)
	if presale != nil {
		intent = presale
	}
	if (intent == nil || intent.Kind == CmdSmallTalk) && st.Offer == offerResume && u.flow == nil {
		// "ok thanks, I bought it in march": the thanks, then the flow.
		if c := u.resumedBy(); c != nil {
			if intent != nil {
				u.add(*intent)
			}
			intent = c
		}
	}
	target := u.flow
	if intent != nil && intent.Kind == CmdStartFlow {
		target = b.Flows[intent.Flow]
	}
	// What the customer wants comes before the values it brings, so the
	// dialogue knows which flow they are for.
	if intent != nil {
		u.add(*intent)
	}
	u.correctedCount()
	u.others(target, intent != nil && intent.Kind == CmdStartFlow)
	if presale != nil {
		u.add(Command{Kind: CmdSetSlot, Slot: asked, Flow: presale.Flow, Value: u.questionText(), Span: u.text, Confidence: 1})
	}
	u.aside(target)
	u.notSold(target)
	u.termsNotSold()
	u.queue(intent)
	u.anotherClaim(intent)
	u.questions()
	u.yesAhead(answered)
	// "no aspetta, era marzo": the "no" opens the correction; it is no
	// answer to the yes-or-no question the old value led to.
	// So does "ah no scusa, il cap è 60121", "wait no, it came on the
	// 2nd, sorry": a correction's words and a value anew for what the
	// flow already had, or for the order's proof or number that did not
	// match.
	if u.slot != nil && u.slot.Type == SlotYesNo && !yes && (hasKind(u.cmds, CmdCorrectSlot) || u.correction && u.retells()) {
		u.cmds = slices.DeleteFunc(u.cmds, func(c Command) bool { return c.Kind == CmdSetSlot && c.Slot == u.slot.Name })
		answered = false
	}
	if intent == nil && !answered && u.flow != nil && strings.Contains(u.text, "?") {
		u.dropGuessesIn()
	}
	// A person read without a team ("I'd like to talk to someone in sales
	// about a bulk order", a weak guess at a person) is one of the sale.
	if asksSellerIn(u.said) && !slices.ContainsFunc(u.cmds, func(c Command) bool { return c.Kind == CmdHuman && (c.Flow != "" || u.flow != nil) }) {
		u.seller()
	}
	u.withoutWhatIsLacked(intent)
	switch {
	case intent != nil || answered:
	case len(u.cmds) == 0 && u.reasonAhead():
		// "it's too big for my hand" asked the delivery date: the
		// return's reason, told early (returns.go).
	case len(u.cmds) == 0 && u.flow == nil && u.offTopicBy(offTopicSure):
		// "tell me a joke": no question for the shop's pages either,
		// whose nearest page would be no answer.
		u.add(Command{Kind: CmdOutOfScope, Value: offTopic, Confidence: u.topConfidence()})
	case b.Knowledge() != nil && u.onlyRemembered() && (u.flow == nil || u.question || asksHowToIn(u.said)):
		// Nothing the flows handle: the shop's documents may answer ("how
		// do I reset the TV?" names a category the conversation keeps,
		// and asks for nothing else). While the bot waits for an answer,
		// only a question of the customer's is one for the documents.
		// Likely off-topic ("what's the weather in Rome tomorrow?"): the
		// off_topic text when no page answers.
		docs := Command{Kind: CmdDocuments, Span: u.text, Confidence: 1}
		if u.flow == nil && u.offTopicBy(offTopicConfidence) {
			docs.Value = offTopic
		} else if u.flow == nil && u.pagesTopicCued() {
			// "do you price match?": a topic of the shop's own, which the
			// pages answer or a person does.
			docs.Value = documentsOrPerson
		}
		u.add(docs)
	case len(u.cmds) == 0:
		u.add(Command{Kind: CmdOutOfScope, Confidence: u.topConfidence()})
	}
	u.repairUnderway()
	u.documentsBesideFAQ()
	return u.cmds
}

// offTopic marks the out-of-scope command of a message that is clearly
// about something else than the shop ("what's the weather in Rome
// tomorrow?"): the bot says what it can help with instead of asking to
// rephrase, which a customer who was understood cannot do.
const offTopic = "off topic"

// offTopicConfidence is how sure the classifier must be that a message is
// out of scope (its oos examples, or the built-in off-topic pool) to call
// it off-topic rather than not understood: on the demo a garbled message
// ("asdf", "boh", "purple monkey dishwasher") or a vague one ("what do
// you mean") stays under 0.3, the weather, sport and general knowledge
// are over 0.5.
const offTopicConfidence = 0.5

// offTopicSure is how sure it must be to keep the message from the
// pages too: a question of the pages that names no product ("what does a
// factory reset delete?") may reach 0.5, not 0.9.
const offTopicSure = 0.9

// offTopicBy reports whether the classifier gives the message as a whole
// to the out-of-scope class with at least confidence at.
func (u *understanding) offTopicBy(at float64) bool {
	if slices.ContainsFunc(u.facts, func(f fact) bool {
		return f.kind == factProduct || f.kind == factCategory || f.kind == factBrand || f.kind == factOrder
	}) {
		return false // "how do I reset the tv?": of what the shop sells
	}
	m, ok := u.b.classifier.(interface{ OffTopic(string) float64 })
	return ok && m.OffTopic(u.text) >= at
}

// documentsBesideFAQ gives the shop's pages only the clauses of the
// message that its FAQ answer does not: "when are you open on saturday
// and where is the shop exactly?" has the hours' answer, and the pages
// search "where is the shop exactly", not the whole message, where the
// hours' words find the hours' page again and the second question is
// dropped. The FAQ keeps its clauses (cited with their page), and the
// two answers come in the message's order. A message whose clauses all
// read as the FAQ ("what time do you open on saturday, and until
// when?") is one question: one answer, no search beside it. A message
// whose clauses, read alone, none read as the FAQ is left as it was.
func (u *understanding) documentsBesideFAQ() {
	if u.sub {
		return
	}
	d := slices.IndexFunc(u.cmds, func(c Command) bool {
		return c.Kind == CmdDocuments && strings.TrimSpace(c.Span) == strings.TrimSpace(u.text)
	})
	f := slices.IndexFunc(u.cmds, func(c Command) bool { return c.Kind == CmdFAQ })
	if d < 0 || f < 0 || slices.ContainsFunc(u.cmds[f+1:], func(c Command) bool { return c.Kind == CmdFAQ }) {
		return
	}
	parts := u.splitClauses()
	if len(parts) < 2 {
		return
	}
	var mine, rest []string
	first := -1 // the clause the FAQ answers first
	for i, p := range parts {
		t := strings.TrimSpace(p.text)
		if slices.ContainsFunc(u.alone(t), func(c Command) bool { return c.Kind == CmdFAQ && c.FAQ == u.cmds[f].FAQ }) {
			if first < 0 {
				first = i
			}
			mine = append(mine, t)
			continue
		}
		rest = append(rest, t)
	}
	switch {
	case len(mine) == 0:
		return
	case len(rest) == 0:
		u.cmds = slices.Delete(u.cmds, d, d+1)
		return
	}
	q := strings.Join(rest, " ")
	if strings.Contains(u.text, "?") && !strings.HasSuffix(q, "?") {
		q += "?"
	}
	docs := u.cmds[d]
	docs.Span = q
	u.cmds[f].Span = strings.Join(mine, " ")
	u.cmds = slices.Delete(u.cmds, d, d+1)
	if first > 0 {
		// The pages' question comes first in the message: so does its
		// answer.
		if f > d {
			f--
		}
		u.cmds = slices.Insert(u.cmds, f, docs)
		return
	}
	if f >= d {
		f--
	}
	u.cmds = slices.Insert(u.cmds, f+1, docs)

}

// pauses reports whether the message only asks for time to find the
// answer to the question pending: a pause ("wait", "hold on", "un
// attimo", "aspetta") or a search ("I'm looking for", "let me check",
// "sto cercando", "vado a cercare") of what the answer is on (the
// receipt, the invoice, the order's e-mail), and nothing else: "wait,
// i'm searching for the receipt", "un attimo, sto cercando lo
// scontrino". "wait, it was march" answers; "hold on, do you sell
// tablets?" asks.
func (u *understanding) pauses() bool {
	if !u.said.has(pausePhrases) {
		return false
	}
	for _, w := range u.said.words {
		if !littleWords[w] && !pauseWords[w] {
			return false
		}
	}
	return true
}

// pausePhrases ask for time, or say the customer is looking for
// something.
var pausePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{
		" wait ", " hold on ", " one sec ", " one second ", " one moment ", " just a sec ", " just a second ", " just a moment ",
		" just a minute ", " give me a minute ", " give me a sec ", " give me a moment ", " bear with me ",
		" looking for ", " searching for ", " look for ", " search for ", " let me find ", " let me check ", " let me look ",
		" i ll check ", " i ll look ", " need to find ", " have to find ", " let me get ", " go and get ", " go get ",
		" un attimo ", " un momento ", " un secondo ", " un minuto ", " aspetta ", " aspetti ", " attendi ", " dammi un ",
		" cerco ", " sto cercando ", " vado a cercare ", " vado a vedere ", " vado a prendere ", " fammi cercare ",
		" fammi controllare ", " fammi vedere ", " devo cercare ", " devo trovare ", " controllo ", " lo cerco ", " la cerco ",
	} {
		add(p)
	}
})

// pauseWords are the words a pause may hold beside the little words:
// its own, the searching, and the papers an answer is on.
var pauseWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`wait hold on one sec second moment minute just give me bear with let i m ll will need have go
		get going looking searching look search find check quick please sorry thanks now first
		aspetta aspetti attendi attimo momento secondo minuto dammi cerco sto cercando vado cercare vedere prendere fammi
		controllare controllo devo trovare lo la li le un che ora adesso subito scusa grazie prima
		receipt receipts invoice invoices box email mail confirmation order number date papers documents card
		scontrino scontrini fattura fatture ricevuta scatola conferma ordine numero data documenti carte`) {
		m[w] = true
	}
	return m
}()

// pricesTheOffer reports whether the message, at a yes-or-no question,
// says yes and then only asks what it costs: "yes, how much does it
// cost", "sure, how much would that be?", "sì, e quanto costerebbe?".
// Not a yes that names something ("yes, how much is the pixel 8?"), nor
// a no, nor a question of more than the price ("yes, how much for the
// repair and how long does it take?").
func (u *understanding) pricesTheOffer(yes bool) bool {
	if !yes || u.slot == nil || u.slot.Type != SlotYesNo || len(u.facts) > 0 {
		return false
	}
	w := u.words
	for len(w) > 0 && (yesOpeners[w[0]] || littleWords[w[0]]) {
		w = w[1:]
	}
	return len(w) > 0 && len(w) < len(u.words) && asksOnlyPrice(strings.Join(w, " "))
}

// pricesHandoff reports whether the message, with no yes or no and no
// value, only asks the price at a yes-or-no question whose yes hands the
// conversation over ("how much would it cost?", "quanto costerebbe il
// preventivo?" at the offer of a quote): the agents tell the price.
func (u *understanding) pricesHandoff() bool {
	if u.flow == nil || u.ask == nil || u.slot == nil || u.slot.Type != SlotYesNo || len(u.facts) > 0 || !asksOnlyPrice(u.text) {
		return false
	}
	if _, ok := extract.YesNo(u.text, u.in.Lang); ok {
		return false
	}
	return u.flow.yesHandsOff(u.ask)
}

// yesHandsOff reports whether a yes to the yes-or-no question st of f
// goes to a handoff: the branch right after it sends "st.Slot == yes"
// to a handoff step.
func (f *Flow) yesHandsOff(st *Step) bool {
	i, ok := f.index[st.ID]
	if !ok || i+1 >= len(f.Steps) || f.Steps[i+1].Kind != StepBranch {
		return false
	}
	for _, k := range f.Steps[i+1].Cases {
		if c := k.Cond; c != nil && c.Op == "==" && c.Slot == st.Slot && len(c.Values) == 1 && c.Values[0] == "yes" {
			j, ok := f.index[k.Goto]
			return ok && f.Steps[j].Kind == StepHandoff
		}
	}
	return false
}

// yesOpeners are the words of a yes before what follows it ("sure,
// how much?", "certo, quanto costa?"), beside the little words ("yes",
// "si", "ok").
var yesOpeners = map[string]bool{
	"sure": true, "yeah": true, "yep": true, "yup": true, "okay": true, "please": true, "alright": true, "fine": true, "great": true,
	"certo": true, "certamente": true, "va": true, "bene": true, "dai": true, "perfetto": true, "ottimo": true, "volentieri": true, "grazie": true, "thanks": true,
	"but": true, "ma": true,
}

// retells reports whether the message sets, in the flow it is in, a
// value anew for a slot other than the question's: one the flow holds
// with another value (or the same, after "wait no"), or the number or proof of an order lookup that
// did not match (emptied for the customer to tell again).
func (u *understanding) retells() bool {
	if u.flow == nil {
		return false
	}
	again := u.toldAgain()
	return slices.ContainsFunc(u.cmds, func(c Command) bool {
		if c.Kind != CmdSetSlot && c.Kind != CmdCorrectSlot || c.Flow != u.flow.Name || c.Slot == u.slot.Name || c.Value == "" {
			return false
		}
		old := u.in.State.Slots[c.Slot]
		return old != "" && (old != c.Value || noCorrects(u.said)) || old == "" && again[c.Slot]
	})
}

// toldAgain are the slots of the active flow that its order lookup
// emptied for the customer to tell again: the number and the proof of a
// lookup that did not match.
func (u *understanding) toldAgain() map[string]bool {
	again := map[string]bool{}
	if u.flow == nil || u.in.State.Slots[actionOutputs["order_lookup"][0]] != OrderMismatch {
		return again
	}
	for _, st := range u.flow.Steps {
		if st.Kind == StepAction && st.Action == "order_lookup" {
			again[orderArg(st, "number")], again[orderArg(st, "proof")] = true, true
		}
	}
	return again
}

// noCorrects reports whether a "no" of s is one of its correction's
// words ("wait no", "no scusa"): a value told with it again, the same as
// the flow's, is told again, and the "no" no answer. "no thanks, sorry"
// keeps its no.
func noCorrects(s said) bool {
	return s.each(correctionPhrases, func(start, end int) bool { return slices.Contains(s.words[start:end], "no") })
}

// resumedBy returns the start of the innermost interrupted flow when the
// answer to "shall we pick up where we left off?" tells a value it asks
// ("ok grazie, l'ho preso a marzo": the date of the claim put aside), or
// nil. The dialogue goes on with that flow rather than starting it
// afresh.
func (u *understanding) resumedBy() *Command {
	st := u.in.State
	if len(st.Stack) == 0 {
		return nil
	}
	f := u.b.Flows[st.Stack[len(st.Stack)-1]]
	if f == nil || u.telling(f) == 0 {
		return nil
	}
	for _, in := range u.b.Intents {
		if in.Flow == f.Name {
			return &Command{Kind: CmdStartFlow, Flow: f.Name, Intent: in.Name, Confidence: max(u.score(in.Name), u.b.Threshold)}
		}
	}
	return nil
}

// seller turns the message into a request for a person of the sale
// ("posso parlare con un commesso per una tv?"): the answers it asks for
// stay, before it; outside a flow, the flow that sells gives the team and
// the message's values go on its case card.
func (u *understanding) seller() {
	u.cmds = slices.DeleteFunc(u.cmds, func(c Command) bool { return c.Kind != CmdFAQ && c.Kind != CmdSmallTalk })
	h := Command{Kind: CmdHuman, Confidence: 1}
	if u.flow != nil {
		u.add(h)
		u.others(u.flow, false)
		return
	}
	for _, in := range u.b.Intents {
		if f := u.b.Flows[in.Flow]; f != nil && f.Team != "" && f.sells(u.b) && !f.checksWarranty() {
			h.Intent, h.Flow = in.Name, f.Name
			u.add(h)
			u.others(f, true)
			return
		}
	}
	u.add(h)
}

// asksSellerIn reports whether the customer asks to talk to someone who
// sells: "parlare con un commesso", "speak to a salesperson". The word
// alone is no request ("il vostro commesso è stato scortese").
func asksSellerIn(s said) bool { return s.has(sellerPhrases) }

var sellerPhrases = newPhrases(func(add func(string)) {
	for _, verb := range []string{" parlare con ", " sentire ", " chiamare ", " essere richiamato da ", " contattare ", " passarmi ", " mi passate ", " mi passi "} {
		for _, who := range []string{"un commesso ", "una commessa ", "un venditore ", "una venditrice ", "un consulente ", "una consulente ",
			"un addetto alle vendite ", "l ufficio vendite ", "il reparto vendite ", "un vostro commesso ", "un vostro venditore ",
			"qualcuno delle vendite ", "qualcuno dell ufficio vendite ", "qualcuno del reparto vendite ", "qualcuno del commerciale ",
			"un commerciale ", "il commerciale ", "l ufficio commerciale ", "le vendite "} {
			add(verb + who)
		}
	}
	for _, verb := range []string{" talk to ", " speak to ", " speak with ", " talk with ", " chat with ", " call from ", " put me through to ", " connect me with ", " connect me to "} {
		for _, who := range []string{"a salesperson ", "a sales person ", "a sales rep ", "a sales assistant ", "a shop assistant ",
			"someone in sales ", "somebody in sales ", "your sales team ", "the sales team ", "sales ",
			"someone from sales ", "somebody from sales ", "someone from the sales team ", "the sales department ", "your sales department "} {
			add(verb + who)
		}
	}
	// The seller named first: "can someone from sales call me", "un
	// commerciale mi può richiamare?".
	for _, who := range []string{" someone from sales ", " somebody from sales ", " someone in sales ", " somebody in sales ", " someone from the sales team ",
		" a salesperson ", " a sales person ", " a sales rep ", " your sales team ", " the sales team ", " your sales department ", " the sales department "} {
		for _, verb := range []string{"call ", "ring ", "phone ", "contact ", "email ", "get in touch ", "reach out ", "give me a call ", "get back to me "} {
			add(who + verb)
		}
	}
	for _, who := range []string{" qualcuno delle vendite ", " qualcuno dell ufficio vendite ", " qualcuno del commerciale ", " un commerciale ", " il commerciale ",
		" un venditore ", " un vostro venditore ", " un consulente ", " l ufficio vendite ", " l ufficio commerciale "} {
		for _, verb := range []string{"mi chiami ", "mi chiama ", "mi richiami ", "mi richiama ", "mi contatti ", "mi contatta ", "mi puo chiamare ", "mi puo richiamare ",
			"mi puo contattare ", "mi scriva ", "mi ricontatti "} {
			add(who + verb)
		}
	}
})

// dropGuessesIn drops the values of a question of the customer's, asked
// in a flow, when every one is a guess for a question other than the
// pending one ("home visits?" in the middle of a claim: "home" resembles
// a private buyer's answer): the message asks something, it tells
// nothing, and the documents may answer it.
func (u *understanding) dropGuessesIn() {
	if len(u.cmds) == 0 || slices.ContainsFunc(u.cmds, func(c Command) bool {
		return c.Kind != CmdSetSlot || c.Confidence <= 0 || c.Confidence >= 0.8 || u.slot != nil && c.Slot == u.slot.Name
	}) {
		return
	}
	u.cmds = u.cmds[:0]
}

// documentsFirst answers from the documents a question the classifier
// only guesses at: two close intents, or a weak guess at a flow, for a
// question that names nothing a flow acts on (a defect, an order, a
// date, an amount). A clear request for an action stays the flow's.
func (u *understanding) documentsFirst(intent *Command) *Command {
	ix := u.b.Knowledge()
	if ix == nil || u.flow != nil || intent == nil || !u.question {
		return nil
	}
	howTo := asksHowToIn(u.said)
	if intent.Kind == CmdStartFlow && howTo && intent.Confidence < howToOverFlow && u.describesFault() {
		// "how do I factory reset my LG tv? it keeps freezing": the
		// product's own page tells how, first; the fault told beside
		// it is what made them ask.
		if c := u.productHowTo(ix); c != nil {
			return c
		}
	}
	switch {
	case intent.Kind == CmdClarify:
	case intent.Kind == CmdFAQ && howTo && intent.Confidence < documentsOverFlow && !u.ownsWord(*intent, u.text):
		// "how do i get an invoice with my vat number": how to do
		// something, which an FAQ's examples only resemble ("vat number"
		// is in the warranty's) and no word of its own names: the pages
		// tell how.
	case intent.Kind == CmdStartFlow && u.asksCoverInGeneral():
		// "is a cracked screen covered?": what the warranty covers, for
		// no product of the customer's: the terms, not a claim.
	case intent.Kind == CmdStartFlow && (intent.Confidence < documentsOverFlow || howTo && intent.Confidence < howToOverFlow && !u.describesFault()):
		// "come si decalcifica la magnifica? mi lampeggia una spia": how
		// to do it is asked, whatever the symptom that made them ask.
		for _, f := range u.facts {
			switch f.kind {
			case factDefect, factDamage:
				if howTo {
					continue
				}
				return nil
			case factOrder, factDate, factMoney, factNumber, factEmail, factPhone:
				return nil
			}
		}
	default:
		return nil
	}
	a, ok := u.b.docsAnswer(ix, u.text, u.in.Lang)
	if !ok {
		if intent.Kind == CmdStartFlow {
			// "what's your return policy?": a question in the words of a
			// flow's cue, which no page answers, is that flow's to
			// answer (its first step tells the policy), no guess.
			if in := u.cued(); in != nil && in.Flow == intent.Flow {
				return nil
			}
		}
		// A question how to do something with a product of the catalogue
		// that no page tells ("how do i clean the galaxy?") is no
		// purchase of it either.
		if intent.Kind == CmdStartFlow && (!u.namesWhatFlowsSell() || howTo && u.b.Flows[intent.Flow].sells(u.b)) && !u.asksCoverInGeneral() {
			// (A question whether something is covered that the pages do
			// not answer is the claim's to look into.)
			// A question about nothing the shop sells, which the pages
			// do not answer either ("student discounts?"): no flow on a
			// guess, but the honest "I don't know", and a gap recorded.
			return &Command{Kind: CmdDocuments, Value: documentsOrPerson, Span: u.text, Confidence: min(a.Score, 1)}
		}
		return nil
	}
	return &Command{Kind: CmdDocuments, Span: u.text, Confidence: min(a.Score, 1)}
}

// namesWhatFlowsSell reports whether the message names a product, a kind
// of product or a brand: a flow's guess about it is worth following.
func (u *understanding) namesWhatFlowsSell() bool {
	return slices.ContainsFunc(u.facts, func(f fact) bool {
		return f.kind == factProduct || f.kind == factCategory || f.kind == factBrand
	})
}

// documentsAnswer reports whether the message is a question the shop's
// documents answer.
func (u *understanding) documentsAnswer() bool {
	ix := u.b.Knowledge()
	if ix == nil || !u.question {
		return false
	}
	_, ok := u.b.docsAnswer(ix, u.text, u.in.Lang)
	return ok
}

// asksHowToIn reports whether the words ask how to do something: "come
// si", "come faccio a", "how do i", "how to".
func asksHowToIn(s said) bool { return s.has(howToPhrases) || asksHowInFirstPerson(s.words) }

// asksHowInFirstPerson reports whether words ask how with "come" and a
// verb in the first person: with a pronoun before it ("come la pulisco?",
// "come lo collego") or an article after it ("come resetto la tv?",
// "come decalcifico la magnifica"). "è come nuovo" asks nothing.
func asksHowInFirstPerson(w []string) bool {
	for i := 0; i+1 < len(w); i++ {
		if w[i] != "come" {
			continue
		}
		j := i + 1
		if howClitics[w[j]] {
			if j+1 < len(w) && len(w[j+1]) >= 4 && strings.HasSuffix(w[j+1], "o") {
				return true
			}
			continue
		}
		if len(w[j]) >= 5 && strings.HasSuffix(w[j], "o") && j+1 < len(w) && howArticles[w[j+1]] {
			return true
		}
	}
	return false
}

// howClitics are the pronouns between "come" and its verb; howArticles
// the articles and possessives after the verb.
var (
	howClitics  = map[string]bool{"lo": true, "la": true, "li": true, "le": true, "l": true}
	howArticles = map[string]bool{"il": true, "lo": true, "la": true, "l": true, "i": true, "gli": true, "le": true, "un": true, "una": true, "mio": true, "mia": true, "miei": true, "mie": true}
)

var howToPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" come si ", " come faccio ", " come devo ", " come posso ", " how do i ", " how can i ", " how do you ", " how to ", " how should i ",
		" what do i do ", " what should i do ", " what do we do ", " what should we do ", " what now ",
		" cosa devo fare ", " che devo fare ", " cosa faccio ", " che faccio ", " cosa facciamo ", " che si fa "} {
		add(p)
	}
})

// documentsOverFlow is the confidence of a flow's intent under which a
// question the documents answer is answered rather than the flow started;
// howToOverFlow that for a question how to do something that describes
// no fault ("come si decalcifica la magnifica?" reads like a claim about
// the machine it names).
const (
	documentsOverFlow = 0.7
	howToOverFlow     = 0.9
)

// asksCoverInGeneral reports whether the message asks whether something
// is covered ("does the warranty cover drops?", "un vetro rotto è
// coperto?") and tells nothing of the customer's own: no "my", no "I",
// no product, order, date or amount.
func (u *understanding) asksCoverInGeneral() bool {
	if !u.said.has(coverPhrases) || u.said.has(firstPersonPhrases) || u.in.Lang != "it" && u.said.has(firstPersonEnPhrases) || u.said.has(damageEventPhrases) {
		return false
	}
	return !slices.ContainsFunc(u.facts, func(f fact) bool {
		switch f.kind {
		case factProduct, factOrder, factDate, factMoney, factNumber, factEmail, factPhone:
			return true
		}
		return false
	})
}

// coverAsked returns the FAQ the message asks when it asks whether a
// product is covered, or for how long ("is the iphone 15 covered for 2
// years?", "il pixel è coperto per due anni?"), and tells nothing of the
// customer's own: no "my", no defect or damage, no order, date or amount.
// The model's name pulls the classifier to a sale; the question is of
// the terms: the first FAQ among its guesses that the words back. It
// returns nil otherwise.
func (u *understanding) coverAsked() *Command {
	if !u.said.has(coverPhrases) || !u.question && !strings.Contains(u.text, "?") || u.said.has(firstPersonPhrases) ||
		u.in.Lang != "it" && u.said.has(firstPersonEnPhrases) || u.said.has(damageEventPhrases) || u.said.has(damageCausePhrases) {
		return nil // "are drops covered?": what the terms say of a cause, the pages' (asksCoverInGeneral)
	}
	if slices.ContainsFunc(u.facts, func(f fact) bool {
		switch f.kind {
		case factDate:
			return f.cue != cueSince // "for 2 years" is the length asked of
		case factOrder, factMoney, factEmail, factPhone, factDefect, factDamage:
			return true
		}
		return false
	}) {
		return nil
	}
	for _, sc := range u.scores {
		if in := u.b.intents[sc.Intent]; in != nil && in.FAQ != "" && u.grounded(in) {
			return u.b.intentCommand(in, sc.Confidence)
		}
	}
	return nil
}

// damageEventPhrases tell damage as it happened, which is the
// customer's own even without "my" (Italian leaves the possessive out):
// "è caduto il telefono", "phone fell and screen cracked"; "a cracked
// screen", "i danni da liquidi" name a kind of damage.
var damageEventPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" fell ", " dropped ", " smashed ", " spilled ", " got wet ", " broke ", " screen cracked ", " display cracked ", " glass cracked ", " it cracked ",
		" e caduto ", " e caduta ", " e cascato ", " e cascata ", " fatto cadere ", " si e rotto ", " si e rotta ", " si e crepato ", " si e crepata ", " si e bagnato ", " si e bagnata ", " e finito in acqua ", " e finita in acqua "} {
		add(p)
	}
})

// damageCausePhrases name a cause of accidental damage in general, not
// as it happened: "are drops covered?", "se cade è coperto?", "does it
// cover water damage?". Whether it is covered is the pages' to say, with
// what they say of accidental damage, not the FAQ of the warranty's length.
var damageCausePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" drops ", " drop ", " dropping ", " falls ", " a fall ", " water ", " liquid ", " liquids ", " spills ", " a spill ",
		" cracks ", " a cracked ", " accidental ", " knocks ", " if it falls ", " if i drop ", " if it breaks ",
		" se cade ", " se cadesse ", " se mi cade ", " se lo faccio cadere ", " se si rompe ", " se si bagna ", " cadute ", " caduta ", " cadute accidentali ",
		" urti ", " acqua ", " liquidi ", " accidentali ", " accidentale ", " schermo rotto ", " vetro rotto ", " crepe "} {
		add(p)
	}
})

var coverPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" covered ", " cover ", " covers ", " coperto ", " coperta ", " coperti ", " coperte ", " copre ", " coprono ", " rientra nella garanzia ", " rientrano nella garanzia "} {
		add(p)
	}
})

// firstPersonPhrases are the words of someone who tells of their own;
// firstPersonEnPhrases those that are other words in Italian ("i danni").
var firstPersonPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" my ", " mine ", " our ",
		" mio ", " mia ", " miei ", " mie ", " mi ", " ho ", " abbiamo ", " nostro ", " nostra ", " nostri ", " nostre "} {
		add(p)
	}
})

var firstPersonEnPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" i ", " me ", " we ", " us "} {
		add(p)
	}
})

// pricePhrases ask what something costs (not "do you price match?").
var pricePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" quanto costa ", " quanto costano ", " quanto viene ", " quanto vengono ", " qual e il prezzo ", " che prezzo ", " il prezzo del ", " il prezzo della ",
		" how much is ", " how much are ", " how much does ", " how much do ", " what s the price ", " what is the price ", " the price of "} {
		add(p)
	}
})

// stockPhrases ask whether the shop has something in stock.
var stockPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" disponibile ", " disponibili ", " ce l avete ", " avete in negozio ", " in magazzino ", " in stock ", " available "} {
		add(p)
	}
})

// repairIntent returns the start of the flow that checks the warranty,
// or nil when none does.
func (u *understanding) repairIntent() *Command {
	for _, in := range u.b.Intents {
		if in.Flow != "" && u.b.Flows[in.Flow].checksWarranty() {
			return &Command{Kind: CmdStartFlow, Flow: in.Flow, Intent: in.Name, Confidence: max(u.score(in.Name), documentsOverFlow)}
		}
	}
	return nil
}

// asksWhereShopIn reports whether the words ask where the shop is: a
// "where" or an address and a word of a place of the shop's right after
// ("where is your store", "dove si trova il vostro negozio",
// "l'indirizzo del vostro negozio", "the address of your store"), or a
// phrase of its own ("dove vi trovo?").
func asksWhereShopIn(s said) bool {
	if s.has(whereShopPhrases) {
		return true
	}
	// The shop's e-mail address ("l'indirizzo email del negozio") is
	// none of its places.
	shopNext := func(_, end int) bool {
		next := s.words[end:min(len(s.words), end+3)]
		return slices.ContainsFunc(next, func(w string) bool { return shopPlaceWords[w] }) &&
			!slices.ContainsFunc(next, func(w string) bool { return w == "email" || w == "mail" || w == "pec" || w == "posta" })
	}
	return s.each(wherePhrases, shopNext) || s.each(addressPhrases, shopNext)
}

var wherePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" where is ", " where s ", " wheres ", " where are ", " where can i find ",
		" dove e ", " dov e ", " dove si trova ", " dove sono ", " dove trovo "} {
		add(p)
	}
})

// addressPhrases name an address, which a place of the shop's after
// makes the shop's ("indirizzo del vostro negozio", "address of the
// store"); the order's ("indirizzo di consegna") is not.
var addressPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" indirizzo ", " address "} {
		add(p)
	}
})

// shopPlaceWords name the shop as a place.
var shopPlaceWords = map[string]bool{
	"shop": true, "store": true, "showroom": true, "shops": true, "stores": true,
	"negozio": true, "negozi": true, "sede": true,
}

var whereShopPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" where are you located ", " where are you based ", " your address ", " the shop s address ",
		" physical store ", " physical shop ", " dove siete ", " vostro indirizzo ", " indirizzo del negozio ", " negozio fisico ",
		// "vi" for the shop: "dove vi trovo?".
		" dove vi trovo ", " dove vi trovate ", " dove vi posso trovare "} {
		add(p)
	}
})

// repairPhrases name a repair: its price is no purchase's.
var repairPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" riparare ", " riparazione ", " riparazioni ", " ripararlo ", " ripararla ", " aggiustare ", " aggiustarlo ", " aggiustarla ",
		" riparate ", " riparano ", " riparo ", " repair ", " repairs ", " repairing ", " fix ", " fixing ", " fixed "} {
		add(p)
	}
})

// invoicePhrases name an invoice.
var invoicePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" fattura ", " fatture ", " invoice ", " invoices "} {
		add(p)
	}
})

// ownPurchasePhrases name a purchase the customer made: "my purchase",
// "dell'acquisto", "il mio ordine".
var ownPurchasePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" my purchase ", " my purchases ", " my order ", " the purchase i made ", " the order i placed ",
		" mio acquisto ", " dell acquisto ", " l acquisto fatto ", " mio ordine ", " dell ordine "} {
		add(p)
	}
})

// sellingIntent returns the start of the flow that sells, by the intent
// of it the classifier scores best, or nil when no flow sells.
func (u *understanding) sellingIntent() *Command {
	for _, sc := range u.scores {
		in := u.b.intents[sc.Intent]
		if in != nil && in.Flow != "" && u.b.Flows[in.Flow].sells(u.b) {
			return &Command{Kind: CmdStartFlow, Flow: in.Flow, Intent: in.Name, Confidence: max(sc.Confidence, documentsOverFlow)}
		}
	}
	return nil
}

// describesFault reports whether the message tells of a defect or of
// accidental damage.
func (u *understanding) describesFault() bool {
	return slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factDefect || f.kind == factDamage })
}

// onlyRemembered reports whether the commands so far only keep values
// outside any flow (who the customer is, the product they talk about).
func (u *understanding) onlyRemembered() bool {
	return !slices.ContainsFunc(u.cmds, func(c Command) bool { return c.Kind != CmdSetSlot || c.Flow != "" })
}

func (u *understanding) topConfidence() float64 {
	if len(u.scores) == 0 {
		return 0
	}
	return u.scores[0].Confidence
}

// oneUnknownWord reports whether the message is one word that no intent's
// examples write: a mistyped answer ("personla" to "private or
// business?"), which the classifier takes by its letters for the word it
// resembles ("persona"), not a request of its own.
func (u *understanding) oneUnknownWord() bool {
	if len(u.words) != 1 || u.b.wordOwner == nil {
		return false
	}
	_, known := u.b.wordOwner[u.words[0]]
	return !known
}

// answersText reports whether the pending question takes free text, so
// that "I asked for a person already" answers "describe the problem"
// rather than asking for one. A person is still reached when the
// classifier is very sure.
func (u *understanding) answersText() bool {
	return u.slot != nil && u.slot.Type.free() && u.topConfidence() < 0.9
}

// answerPending reads the answer to the question the bot asked; it
// reports whether the message answered it.
func (u *understanding) answerPending(yes, yn bool) bool {
	s, st := u.slot, u.ask
	text, said := u.text, u.said
	// "una sola, nessun budget": the "no" is for the later question it
	// names, and the rest answers this one.
	if other, rest := u.declinesOther(); other != nil {
		u.add(Command{Kind: CmdSkip, Slot: other.Name, Flow: u.flow.Name, Span: u.text, Confidence: 0.9})
		text, said = rest, saying(rest)
	}
	if _, yn := u.yesNo(); u.in.State.Offer == offerFeedback && yn {
		// "no, the nova x": the no was for "did this help?".
		text = strings.Join(said.words[1:], " ")
		said = sayWords(said.words[1:])
		if w := u.said.words; s.Type != SlotYesNo && (w[0] == "non" || w[0] == "not") && !isSkipIn(said) && isSkipIn(u.said) {
			// "non ho un modello in mente": the "non" declines the
			// question, it rates no answer.
			text, said = u.text, u.said
			u.cmds = slices.DeleteFunc(u.cmds, func(c Command) bool { return c.Kind == CmdDeny && c.Value == offerFeedback })
		}
	}
	skip := isSkipIn(said)
	if s.Type.free() {
		skip = isBareSkip(text) // "nessuna immagine" describes a defect
	} else if s.Type == SlotProduct && unknownModelIn(u.said) && !slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factProduct }) {
		skip = true // "boh il modello, è nera", "idk the model"
	} else if skip && slices.ContainsFunc(u.facts, func(f fact) bool { return u.b.fits(s, f) && !f.future }) {
		// "non ricordo di preciso, forse la primavera scorsa": a doubt,
		// and the value all the same.
		skip = false
	}
	if skip && !(s.Type == SlotYesNo && yn) {
		u.add(Command{Kind: CmdSkip, Slot: s.Name, Flow: u.flow.Name, Span: u.text, Confidence: 1})
		return true
	}
	switch s.Type {
	case SlotYesNo:
		if !yn || u.correction && u.correctsFilled() && u.afterAnswer() == nil {
			// "no aspetta, era marzo": the "no" corrects, it answers nothing;
			// "no, I'd rather get a new one, the LG OLED" answers, and asks.
			return false
		}
		v := "no"
		if yes {
			v = "yes"
		}
		u.add(Command{Kind: CmdSetSlot, Slot: s.Name, Flow: u.flow.Name, Value: v, Span: u.text, Confidence: 1})
		return true
	case SlotText, SlotDefect:
		if u.clearlyElse(0.8) && !u.reasonNoClaim() {
			return false
		}
		if s.Type == SlotText && u.question && u.pagesAnswer() {
			// "do I need the original box?" at "why would you like to
			// return it?": a question the pages answer is no reason; it
			// is answered, and the reason asked again.
			return false
		}
		v := strings.Join(strings.Fields(u.text), " ")
		if len([]rune(v)) < max(s.Min, 2) {
			return false
		}
		if yn && len(u.words) <= 2 && !u.question {
			// "yes", "ok sure" at "why would you like to return it?" say
			// yes to the return; they tell no reason.
			return false
		}
		if s.Type == SlotText && u.restatesSkip() {
			return false
		}
		if u.onlyOtherValues() {
			// "mario.rossi@example.com" at "why would you like to return
			// it?" is the proof the order asks for, no reason.
			return false
		}
		u.add(Command{Kind: CmdSetSlot, Slot: s.Name, Flow: u.flow.Name, Value: v, Span: u.text, Confidence: 1})
		for i, f := range u.facts {
			if f.kind == factDefect {
				u.used[i] = true
			}
		}
		return true
	}
	// "idk the model", "boh il modello, è nera": not known.
	if s.Type == SlotProduct && unknownModelIn(u.said) && !slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factProduct }) {
		u.add(Command{Kind: CmdSkip, Slot: s.Name, Flow: u.flow.Name, Span: u.text, Confidence: 0.8})
		return true
	}
	// "Which model?" answered with only a kind of product ("boh, un
	// cellulare normale"): the customer does not know the model.
	// A question the documents answer is no such answer: "come si
	// resetta la tv?" asks the help pages.
	if s.Type == SlotProduct && !slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factProduct }) &&
		slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factCategory }) && !u.documentsAnswer() {
		u.add(Command{Kind: CmdSkip, Slot: s.Name, Flow: u.flow.Name, Span: u.text, Confidence: 0.8})
		return true
	}
	// A date that says how long something lasts answers "when did you
	// buy it?" when it is the whole answer: "da tre mesi".
	i := u.best(s, true)
	if i < 0 && s.Type == SlotProduct {
		i = u.brandInCategory() // "la samsung", asked which tv
	}
	if i < 0 && (s.Type == SlotNumber || s.Type == SlotMoney) && u.correction && u.correctsNumber(s) {
		// "oh wait, make that 4" while asked the budget corrects how
		// many: a correction's bare number goes to the number it replaces.
		return false
	}
	if i < 0 && (s.Type == SlotNumber || s.Type == SlotMoney) {
		// "una sola, sui 600 euro": a short clause answers how many
		// ("ok it's me again, sorry. just one, budget 800").
		if strings.ContainsAny(u.text, ",.;") {
			for k, part := range strings.FieldsFunc(u.text, func(r rune) bool { return r == ',' || r == '.' || r == ';' }) {
				if k > 0 && countWords(part) > 3 {
					continue
				}
				for _, f := range u.b.read(part, u.in.Lang, u.in.Now, s.Type) {
					if u.b.fits(s, f) {
						u.add(Command{Kind: CmdSetSlot, Slot: s.Name, Flow: u.flow.Name, Value: f.value, Span: f.span, Confidence: f.conf})
						return true
					}
				}
			}
		}
	}
	if i < 0 {
		return false
	}
	f := u.facts[i]
	// "oops, 2024" after "12 August 2025" was refused: the day and the
	// month stay.
	if f.kind == factDate && len(f.value) == 4 && len(u.in.State.Refused) == len("2006-01-02") {
		if v := f.value + u.in.State.Refused[4:]; s.accepts(v) && !u.b.futureDate(v, u.in.Now) {
			f.value = v
		}
	}
	if f.kind == factDate && f.cue == "" && u.asksFAQIn(f.span) {
		return false // "il sabato siete aperti?" asks the hours: it is no purchase on Saturday
	}
	u.used[i] = true
	_ = st
	if f.kind == factDate && f.future && s.When == "past" {
		// Explain it, rather than "I didn't understand".
		u.add(Command{Kind: CmdInvalid, Slot: s.Name, Flow: u.flow.Name, Value: f.value, Span: f.span, Confidence: f.conf})
		return true
	}
	u.add(Command{Kind: CmdSetSlot, Slot: s.Name, Flow: u.flow.Name, Value: f.value, Span: f.span, Confidence: f.conf})
	return true
}

// onlyOtherValues reports whether the message is nothing but values
// that other questions of the active flow take (an e-mail, an order
// number, a postcode): an answer to them, not free text for the pending
// one.
func (u *understanding) onlyOtherValues() bool {
	other := false
	for _, fa := range u.facts {
		if describes(fa.kind) || fa.span == "" {
			return false
		}
		if !u.b.fits(u.slot, fa) && u.fitsStep(u.flow, fa) {
			other = true
		}
	}
	return other && len(residue(u.text, u.facts)) <= 1
}

// asksFAQIn reports whether span lies in a question of the message
// that the classifier clearly reads as one for an FAQ: a value inside a
// question of the customer's is part of the question, not an answer.
func (u *understanding) asksFAQIn(span string) bool {
	for _, q := range strings.SplitAfter(u.text, "?") {
		if !strings.HasSuffix(q, "?") {
			continue
		}
		// Only the question's own sentence: "ottobre 2024. ma siete
		// aperti il sabato?", "march 2024 but are you open on sunday?"
		// answer before they ask.
		if i := strings.LastIndexAny(q[:len(q)-1], ".;!"); i >= 0 {
			q = q[i+1:]
		}
		for _, but := range []string{" ma ", " but ", " pero ", " però "} {
			if i := strings.LastIndex(strings.ToLower(q), but); i > 0 && countWords(q[:i]) > 0 {
				q = q[i:]
			}
		}
		if !strings.Contains(q, span) {
			continue
		}
		top := u.b.confident(u.classify(q))
		return top != nil && top.FAQ != "" && u.classify(q)[0].Confidence >= 0.8
	}
	return false
}

// correctedCount reads the bare number of a correction for the filled
// number it replaces: "no scusa, tre, c'è anche la piccola" after two
// laptops (a number word alone, which a longer message does not read as
// a count).
func (u *understanding) correctedCount() {
	if u.flow == nil || !u.correction {
		return
	}
	for _, st := range u.flow.Steps {
		s := u.b.slotOf(st)
		old := u.in.State.Slots[st.Slot]
		if st.Kind != StepAsk || s == nil || s.Type != SlotNumber || old == "" || slices.ContainsFunc(u.cmds, func(c Command) bool { return c.Slot == s.Name }) {
			continue
		}
		for _, part := range strings.FieldsFunc(u.text, func(r rune) bool { return strings.ContainsRune(",.;!?", r) }) {
			if countWords(part) > 2 {
				continue
			}
			for _, f := range u.b.read(part, u.in.Lang, u.in.Now, SlotNumber) {
				if f.kind == factNumber && f.value != old && u.b.fits(s, f) {
					u.add(Command{Kind: CmdCorrectSlot, Slot: s.Name, Flow: u.flow.Name, Value: f.value, Span: f.span, Confidence: 0.8})
					return
				}
			}
		}
	}
}

// correctsNumber reports whether a bare number of the message replaces
// the value of a filled number slot of the flow other than s.
func (u *understanding) correctsNumber(s *Slot) bool {
	for _, st := range u.flow.Steps {
		o := u.b.slotOf(st)
		if st.Kind != StepAsk || o == nil || o == s || o.Type != SlotNumber {
			continue
		}
		old := u.in.State.Slots[o.Name]
		if old == "" {
			continue
		}
		if slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factNumber && f.value != old && u.b.fits(o, f) }) {
			return true
		}
	}
	return false
}

// declinesOther finds a "no" for a later optional question of the flow,
// named by its label: "no budget", "nessun budget", "senza budget". It
// returns that question's slot and the message without those words.
// So it does for the pending question when the message says more ("the
// philips one, no particular budget" at the budget question, the
// product named already): the "no" declines it, the rest is read as
// usual.
func (u *understanding) declinesOther() (*Slot, string) {
	var joined string // the words between spaces, when a label is looked for
	for _, st := range u.flow.Steps {
		s := u.b.slotOf(st)
		if st.Kind != StepAsk || s == nil || !st.Optional && st.Unknown != UnknownSkip || s.Label.Text == nil {
			continue
		}
		// "no, budget 800": the "no" answers this question, and the
		// message gives the later one's value.
		if slices.ContainsFunc(u.facts, func(x fact) bool { return u.b.fits(s, x) }) {
			continue
		}
		for _, lang := range slices.Sorted(maps.Keys(s.Label.Text)) {
			label := strings.Join(words(s.Label.Text[lang]), " ")
			if label == "" {
				continue
			}
			// "no fixed budget", "nessun budget preciso" decline it too.
			for _, no := range []string{"no", "nessun", "nessuna", "senza", "without", "without a", "without any",
				"no fixed", "no set", "no real", "no particular", "no specific", "without a fixed", "nessun vero"} {
				phrase := " " + no + " " + label + " "
				if joined == "" {
					joined = " " + strings.Join(u.words, " ") + " "
				}
				if i := strings.Index(joined, phrase); i >= 0 {
					rest := joined[:i] + " " + joined[i+len(phrase):]
					if s == u.slot && len(strings.Fields(rest)) < 2 {
						continue // "no budget" alone: the pending question's own skip
					}
					return s, rest
				}
			}
		}
	}
	return nil, ""
}

// best returns the index of the fact that answers slot s, -1 when none:
// the last of two when a correction word stands between them ("maggio
// 2023, anzi maggio 2024"), else the first.
func (u *understanding) best(s *Slot, asked bool) int {
	found := -1
	for i, f := range u.facts {
		if u.used[i] {
			continue
		}
		ok := u.b.fits(s, f)
		if !ok && asked && s.Type == SlotDate && f.kind == factDate {
			ok = true // asked for the date, "da tre mesi" is the answer
		}
		if !ok {
			continue
		}
		if found < 0 {
			found = i
			continue
		}
		// "ordinato il 20 maggio, arrivato il 28": the date of the slot's
		// own cue beats the one that only may stand for it.
		if s.Type == SlotDate && s.Cue != "" && f.cue == s.Cue && u.facts[found].cue != s.Cue {
			found = i
			continue
		}
		// "last year, which was 12 July 2024", "a marzo, il 3 marzo
		// 2024": a date that makes a vaguer one before it precise, inside
		// the same year or month, is the same date told better.
		if s.Type == SlotDate && !u.correction && strings.HasPrefix(f.value, u.facts[found].value+"-") &&
			(f.cue == "" || f.cue == u.facts[found].cue) {
			// It keeps the cue of the vaguer one ("bought it last year, on
			// 3 march 2024").
			u.facts[i].cue = u.facts[found].cue
			u.used[found] = true
			found = i
			continue
		}
		if s.Type == SlotNumber && !u.correction && f.conf > u.facts[found].conf {
			// "siamo in 5 in ufficio, ne servono due": what counts the
			// thing asked for beats a bare number before it.
			found = i
			continue
		}
		if u.correction {
			// "no wait, it's the macbook, not the iphone": the new value
			// is the one that is not the old; "maggio 2023, anzi maggio
			// 2024": the last.
			// "era il 12 maggio non aprile": the month of the old day, or
			// a value after "non", is the old one.
			old := u.in.State.Slots[s.Name]
			isOld := func(x fact) bool {
				return x.value == old || old != "" && (strings.HasPrefix(old, x.value) || strings.HasPrefix(x.value, old)) || u.negated(x)
			}
			if !isOld(u.facts[found]) && isOld(f) {
				u.used[i] = true
				continue
			}
			u.used[found] = true
			found = i
		}
	}
	return found
}

// negated reports whether the word before f's span says no to it: "non
// aprile", "not the iphone", "invece di maggio".
// A "no" that ends a correction ("anzi no, 347 555 1243", "oh no sorry
// the 26th", "no, the pavilion") says no to the value before it, not to
// this one.
func (u *understanding) negated(f fact) bool {
	i := strings.Index(u.text, f.span)
	if f.span == "" || i < 0 {
		return false
	}
	before := strings.TrimRight(u.text[:i], " ")
	ws := words(before)
	if n := len(ws); n > 0 && ws[n-1] == "no" {
		if strings.HasSuffix(before, ",") || strings.HasSuffix(before, ":") || strings.HasSuffix(before, "!") ||
			n > 1 && correctionNos[ws[n-2]] {
			return false
		}
	}
	return deniesNext(ws)
}

// correctionNos are the words a "no" follows when it takes back what was
// said: "anzi no", "scusa no", "oh no", "wait no".
var correctionNos = map[string]bool{"anzi": true, "scusa": true, "scusate": true, "aspetta": true, "ah": true, "oh": true,
	"cioe": true, "wait": true, "sorry": true, "oops": true, "ops": true, "actually": true}

// deniesNext reports whether the last words of before say no to what
// follows them: "non aprile", "not the iphone", "invece di maggio", "no
// longer works well", "non funziona più bene".
func deniesNext(before []string) bool {
	n := len(before)
	if n == 0 {
		return false
	}
	switch before[n-1] {
	case "non", "not", "no", "nemmeno", "neanche", "never", "mai":
		return true
	case "longer", "piu", "yet", "ancora":
		// "no longer works well", "non va più bene", "not yet arrived"
		return n > 1 && (before[n-2] == "no" || before[n-2] == "non" || before[n-2] == "not")
	case "t":
		// "hasn't arrived", "doesn't work well"
		return n > 1 && strings.HasSuffix(before[n-2], "n")
	case "il", "la", "lo", "l", "the", "di", "del", "of":
		// "not the iphone", "invece di maggio", "instead of may", "non
		// del 2023"
		if n > 1 {
			switch before[n-2] {
			case "non", "not", "invece", "instead":
				return true
			}
		}
	}
	return false
}

// clearlyElse reports whether the message clearly asks for something
// other than the active flow, with at least conf confidence.
func (u *understanding) clearlyElse(conf float64) bool {
	if u.top == nil || u.b.ambiguous(u.scores) {
		return false
	}
	if u.flow != nil && u.top.Flow == u.flow.Name {
		return false
	}
	return u.scores[0].Confidence >= max(conf, u.b.Threshold+0.2)
}

// reasonNoClaim reports whether the message, at a free question of a
// flow that checks no warranty ("why would you like to return it?"),
// reads like a claim only by its words: no defect or damage told, no
// question, no request ("it doesn't fit under the shelf" is the
// reason).
func (u *understanding) reasonNoClaim() bool {
	f := u.b.Flows[u.top.Flow]
	return u.flow != nil && !u.flow.checksWarranty() && f != nil && f.checksWarranty() && !u.describesFault() && !u.question && !isRequestIn(u.said)
}

// intent returns the command of what the customer wants, or nil when
// the message only answers.
func (u *understanding) intent(answered bool) *Command {
	b, top := u.b, u.top
	conf := u.topConfidence()
	if len(u.words) <= 2 {
		if _, yn := u.yesNo(); yn {
			return nil // "sì", "no grazie": an answer, never a request
		}
	}
	// "mia moglie ha preso il telefono": who has the product, no fault
	// told; the classifier's "my ... phone" is no claim.
	if (u.flow == nil || top == nil || u.flow.Name != top.Flow) && u.takenNoFault(u.text, top) {
		return nil
	}
	// Values the active flow asks for, told without a question or a
	// request ("check order SP-123456, postcode 20121" in a claim that
	// reads orders), are for it: no cue starts another flow from them.
	if u.flow != nil && len(u.facts) > 0 && !u.question && !isRequestIn(u.said) && u.allFit(u.flow) {
		return nil
	}
	// A cue decides for a request, not for a message that answers the
	// question ("mario@example.com, e se non mi piace posso
	// restituirlo?" gives the contact the sales lead needs).
	if in := u.cued(); in != nil && (u.flow == nil || in.Flow != u.flow.Name) && !answered {
		conf := max(u.score(in.Name), b.Threshold)
		if len(in.Examples) == 0 {
			// An intent known by its cues alone is never guessed: its cue
			// is as sure as the bot gets, and no page answers in its place.
			conf = 1
		}
		return &Command{Kind: CmdStartFlow, Flow: in.Flow, Intent: in.Name, Confidence: conf}
	}
	if !answered {
		if c := u.coverAsked(); c != nil {
			return c // "btw is the iphone 15 covered for 2 years?"
		}
		if c := u.arrivalAsked(); c != nil {
			return c // "e a Napoli quando arriva?" while buying
		}
	}
	// "quanto costa la riparazione?" in a claim: the price of the repair
	// the claim is about, which the shop's pages say (free under
	// warranty, else a quote); the claim goes on. Never the shipping FAQ
	// or a sale the classifier guesses from "how much".
	if u.flow != nil && u.flow.checksWarranty() && !answered && u.b.Knowledge() != nil && u.said.has(pricePhrases) && u.said.has(repairPhrases) {
		return &Command{Kind: CmdDocuments, Span: u.text, Confidence: 1}
	}
	// "where is the shop?", "dove si trova il negozio?": where the shop
	// is, for the shop's pages to say (its address, or that it sells
	// online only), never an order's whereabouts.
	if !answered && u.b.Knowledge() != nil && asksWhereShopIn(u.said) &&
		!slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factOrder }) {
		return &Command{Kind: CmdDocuments, Span: u.text, Confidence: 1}
	}
	// "do you repair macbooks?", "riparate i macbook?", "how much to fix
	// the iphone 15 screen?": the repair of something the shop sells is
	// the claim's (the warranty, else a quote), never a sale the
	// classifier guesses from the product; unless the customer would buy
	// ("i want to buy a laptop that's easy to repair").
	if u.flow == nil && !answered && top != nil && top.Flow != "" && (b.Flows[top.Flow].sells(b) || b.Flows[top.Flow].checksWarranty()) &&
		u.said.has(repairPhrases) && !u.said.has(buyVerbPhrases) {
		if c := u.repairIntent(); c != nil {
			return c
		}
	}
	// "i need an invoice for my purchase", "mi serve la fattura
	// dell'acquisto": the invoice of something bought is the shop's
	// pages' to explain (how the invoice comes), never a business's sale
	// the classifier guesses from "invoice".
	if u.flow == nil && !answered && top != nil && top.Flow != "" && b.Flows[top.Flow].sells(b) && u.b.Knowledge() != nil &&
		u.said.has(invoicePhrases) && (u.said.has(ownPurchasePhrases) || u.said.has(boughtPhrases)) && !u.namesWhatFlowsSell() {
		return &Command{Kind: CmdDocuments, Span: u.text, Confidence: 1}
	}
	// "quanto costa il thinkpad?", "how much is the pixel 8?", "c'è
	// disponibile il dyson?": the price or the stock of something the
	// shop sells is a salesperson's to give, unless an FAQ is what the
	// message asks ("quanto costa la spedizione della tv?").
	if u.flow == nil && !answered && (u.said.has(pricePhrases) || u.said.has(stockPhrases)) && u.namesWhatFlowsSell() && !u.describesFault() && !u.possessive() &&
		(top == nil || top.Flow != "" && b.Flows[top.Flow].sells(b)) {
		// "quanto costa riparare il pixel?": a repair's price is the
		// claim's to give, with its quote.
		if u.said.has(repairPhrases) {
			if c := u.repairIntent(); c != nil {
				return c
			}
		} else if c := u.sellingIntent(); c != nil {
			return c
		}
	}
	// "I want to sell my old tv", "do you buy used phones?": the customer
	// would sell, which is neither a purchase nor a claim.
	if u.flow == nil && (top == nil || top.Flow != "") && sellsToShopIn(u.said) &&
		!slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factDefect || f.kind == factDamage }) {
		return nil
	}
	if u.flow == nil && (top == nil || top.Flow != "" || top.Reply.IsZero() == false) {
		// A described defect outweighs a guess at a purchase.
		if c := u.symptom(); c != nil && (top == nil || top.Flow != "" || conf < 0.85) {
			return c
		}
	}
	if (top == nil || top.FAQ != "") && u.flow != nil && !answered && u.question && len(u.scores) > 0 {
		// "wait do you do klarna or something like that?" in the middle
		// of a purchase: a weak guess at an FAQ that a word of its own
		// backs is the customer's question; so is a surer one, short of
		// what interrupts a flow ("is the warranty as long for a company
		// too?" while a sale asks the budget).
		if in := b.intents[u.scores[0].Intent]; in != nil && in.FAQ != "" && conf >= b.Threshold*0.6 && u.grounded(in) {
			return b.intentCommand(in, conf)
		}
	}
	if u.flow == nil && !answered && (top == nil || top.Flow == "" && !top.Reply.IsZero()) {
		// "was SP-123456 delivered? I'm at work all day" is no goodbye.
		if c := u.orderAsked(); c != nil {
			return c
		}
	}
	if u.flow == nil && !answered && (top == nil || top.Flow == "" && !top.Reply.IsZero() || top.Flow != "" && !b.Flows[top.Flow].checksWarranty()) {
		// "want to send back the blender, order SP-123456, ..." asks for
		// no order's status, nor a purchase ("I'd like to give back").
		if c := u.returnWish(); c != nil {
			return c
		}
	}
	// "refund for SP-123456 please": a refund asked of an order is a
	// return, over a weak guess (a purchase, or none sure enough).
	if u.flow == nil && !answered && (top == nil || top.Flow != "" && b.Flows[top.Flow].sells(b)) && u.refundAsked() {
		if c := u.returnStart(); c != nil {
			return c
		}
	}
	if c := u.beforeTheOrder(top, answered); c != nil {
		return c
	}
	if top == nil {
		return u.weakIntent(answered)
	}
	// "se ordino oggi quando arriva?": an order not made yet has no status
	// to look up; the question is for the FAQ it is closest to.
	if f := b.Flows[top.Flow]; f != nil && b.orderSlot != "" && f.asks(b.orderSlot) && u.said.has(notOrderedPhrases) &&
		!slices.ContainsFunc(u.facts, func(x fact) bool { return x.kind == factOrder }) {
		// "se pago con bonifico quando parte l'ordine?": the FAQ a word
		// names that only its examples hold, the payment's "bonifico"
		// (what an order does, "parte", is the order's word).
		if in := u.ownWordAsked(u.text, func(w string) bool { return u.dateWord(w) || orderDoes[w] }, u.scores); in != nil {
			return b.intentCommand(in, max(u.score(in.Name), 0.01))
		}
		// The FAQ closest, if near enough: for a question how to do
		// something as near as its own word must be (ownWordAsked), else
		// the pages tell the steps.
		near := b.Threshold / 4
		if asksHowToIn(u.said) {
			near = b.Threshold / 2
		}
		for _, sc := range u.scores {
			if in := b.intents[sc.Intent]; in != nil && in.FAQ != "" && sc.Confidence >= near {
				return b.intentCommand(in, sc.Confidence)
			}
		}
		return nil
	}
	// "mi servono 4 portatili, budget 3000 euro in tutto" is no goodbye,
	// whatever it resembles: small talk brings no values a flow has a use for.
	if u.flow == nil && !top.Reply.IsZero() && conf < 0.85 && !answered {
		if c := u.onlyFit(); c != nil {
			return c
		}
		// "have you got projectors?" is no goodbye: a message that names
		// something of the catalogue's kind, in none of the words only
		// small talk uses, asks of it.
		if top.talks() && u.namesWhatFlowsSell() && !slices.ContainsFunc(u.words, func(w string) bool { return b.talkWords[w] }) {
			return nil
		}
	}
	if u.flow != nil {
		// In a flow, a new request must be clear: an answer is not an
		// intent, small talk rarely interrupts, and a new flow from a
		// message that answered the question needs to be very clear. A
		// message that is only values ("the iphone 15") asks for nothing.
		if u.b.ambiguous(u.scores) && !answered && u.question {
			// "ma la garanzia sulle lg è più lunga?" in the middle of a
			// purchase: a question close to an FAQ is for its answer.
			for _, sc := range u.scores[:2] {
				if in := b.intents[sc.Intent]; in != nil && in.FAQ != "" {
					return b.intentCommand(in, sc.Confidence)
				}
			}
		}
		if top.Flow == u.flow.Name || u.b.ambiguous(u.scores) {
			return nil
		}
		if answered && u.asksAgain(top.Flow) && !u.claimInSale(top) || answered && u.slot != nil && u.slot.Type.free() && u.reasonNoClaim() {
			return nil
		}
		// "ma scusa, quanto dura la garanzia sulle tv?" is a question for
		// an FAQ: the "scusa" corrects nothing.
		corrects := u.correction && u.fitsFlow(u.flow) && !(u.question && top.FAQ != "")
		if len(u.facts) > 0 && (len(residue(u.text, u.facts)) <= 1 || corrects) {
			return nil // "the iphone 15", "no wait, it's the macbook"
		}
		need := max(0.6, b.Threshold+0.15)
		switch {
		case !top.Reply.IsZero():
			need = 0.85
		case answered && top.Flow != "":
			need = 0.9
		case answered:
			need = max(0.75, b.Threshold+0.2)
		case u.slot != nil && u.slot.Type.free():
			need = max(0.8, b.Threshold+0.2)
		}
		if conf < need {
			return nil
		}
		if answered && !top.Reply.IsZero() {
			return nil
		}
	} else if b.ambiguous(u.scores) {
		if c := u.tieBreak(); c != nil {
			return c
		}
		return &Command{Kind: CmdClarify, Intent: u.scores[0].Intent, Alt: u.scores[1].Intent, Confidence: conf}
	}
	if u.flow == nil && top.FAQ != "" && !u.question && isRequestIn(u.said) && !asksIndirectly(u.said) && len(u.scores) > 1 {
		// "vorrei la garanzia per il pixel 8" asks for the claim, not
		// for the terms; "volevo sapere gli orari" asks a question.
		if in := b.intents[u.scores[1].Intent]; in != nil && in.Flow != "" && u.scores[1].Confidence >= b.Threshold/2 {
			return b.intentCommand(in, u.scores[1].Confidence)
		}
	}
	if c := u.termsAsked(top, u.scores, u.text); c != nil {
		return c // "what's the warranty on the dyson v8?"
	}
	// "nell'ordine SP-200102 dove trovo la fattura?": one question of
	// the order named by its number, a weak guess at the order's flow,
	// and a word that only an FAQ's examples hold ("fattura", the
	// payments'): the FAQ is asked of the order. What an order does
	// ("dove", "parte") and a date are no FAQ's word; a fault told is the
	// claim's.
	if u.flow == nil && !answered && top.Flow != "" && u.question && conf < documentsOverFlow && !u.describesFault() && len(u.splitClauses()) < 2 &&
		b.orderSlot != "" && b.Flows[top.Flow].asks(b.orderSlot) && slices.ContainsFunc(u.facts, func(x fact) bool { return x.kind == factOrder }) {
		if in := u.ownWordAsked(u.text, func(w string) bool { return u.dateWord(w) || orderDoes[w] }, u.scores); in != nil {
			return b.intentCommand(in, max(u.score(in.Name), 0.01))
		}
	}
	if u.flow == nil && top.Flow != "" {
		if c := u.betterFit(top); c != nil {
			return c
		}
		if c, mine := u.owned(top); mine {
			return c
		}
	}
	if in := u.sharperFAQ(top); in != nil {
		return b.intentCommand(in, conf) // "how long is delivery?" is shipping's
	}
	return b.intentCommand(top, conf)
}

// dateWord reports whether w is a word of a date the message holds.
func (u *understanding) dateWord(w string) bool {
	for _, f := range u.facts {
		if f.kind == factDate && slices.Contains(u.wordsOf(f.span), w) {
			return true
		}
	}
	return false
}

// asksAgain reports whether flow would ask for what the message has just
// answered: "l'ordine è SP-300112, cap 60121" at a return's "what's the
// order number?" reads like the order's status, and answers. A question
// ("where is it, SP-300112?") may still ask for the other flow.
func (u *understanding) asksAgain(flow string) bool {
	f := u.b.Flows[flow]
	return f != nil && u.slot != nil && f.asks(u.slot.Name) && !u.question
}

// clauses reads the clauses of a message that asks for more than one
// thing, and returns the commands of those that ask for something else
// than main.
func (u *understanding) clauses(main *Command, answered bool) []Command {
	parts := u.splitClauses()
	if len(parts) < 2 {
		return nil
	}
	// A greeting or a few words between commas ask nothing ("hi, two
	// things"); of the rest, a long story is not more than four requests.
	parts = slices.DeleteFunc(parts, func(p clause) bool { return p.comma && countFields(p.text) < 3 })
	if len(parts) > 4 {
		parts = parts[:4]
	}
	var out []Command
	seen := map[string]bool{}
	if main != nil && main.Kind != CmdClarify {
		seen[main.Flow+"|"+main.FAQ+"|"+main.Intent] = true
	}
	// Two close intents may be settled by a clear request in a clause of
	// its own ("ho ricevuto la friggitrice (ordine SP-220011), la posso
	// rendere?").
	settle := main != nil && main.Kind == CmdClarify
	for _, p := range parts {
		if q := u.documentsBesideAnswer(p, answered); q != "" && !seen["documents"] {
			seen["documents"] = true
			out = append(out, Command{Kind: CmdDocuments, Span: q, Confidence: 1})
			continue
		}
		if p.comma && !settle && (main == nil || main.Kind != CmdStartFlow || len(u.words) < 8) {
			continue // an answer inside a request is looked for in long requests only
		}
		ps := u.sayingOf(p.text)
		asked := strings.Contains(u.text, strings.TrimSpace(p.text)+"?") || asksIndirectly(ps) || !p.comma && isQuestionOf(p.text, ps.words)
		// A part that holds a value answers; it asks for nothing, unless
		// it is a question ("quanto costa la spedizione per 30 euro?").
		if p.comma && countFields(p.text) < 2 || p.comma && !asked && slices.ContainsFunc(u.facts, func(f fact) bool { return f.span != "" && strings.Contains(p.text, f.span) }) {
			continue
		}
		if u.flow != nil && u.onlyValuesFor(u.flow, p.text) {
			continue // "ok allora reso, sì. ordine SP-418263": the return's order
		}
		scores := u.classify(p.text)
		top := u.b.confident(scores)
		// "e già che ci sono, fate anche le rate?", "inoltre vorrei sapere
		// se accettate paypal": a question of its own that names what only
		// one FAQ's examples name is for that FAQ, whatever the classifier
		// makes of its other words: beside a flow, the message's main
		// request or the one going on.
		beside := main != nil && main.Kind == CmdStartFlow || u.flow != nil
		// "whats your return policy and ...?": a clause in the words of
		// the main flow's cue is that flow's request, whatever FAQ one of
		// its words ("policy") names.
		if main != nil && main.Kind == CmdStartFlow && u.b.cuesFlow(ps.words, main.Flow) {
			continue
		}
		if asked && beside && (top == nil || top.Flow != "") {
			if in := u.ownWordAsked(p.text, u.dateWord, scores); in != nil {
				if c := u.b.intentCommand(in, max(scoreOf(scores, in.Name), 0.01)); c != nil && !seen[c.Flow+"|"+c.FAQ+"|"+c.Intent] {
					seen[c.Flow+"|"+c.FAQ+"|"+c.Intent] = true
					out = append(out, *c)
				}
				continue
			}
		}
		if c := u.askedBesideAnswer(p, scores, top, answered); c != nil {
			if !seen[c.Flow+"|"+c.FAQ+"|"+c.Intent] {
				seen[c.Flow+"|"+c.FAQ+"|"+c.Intent] = true
				out = append(out, *c)
			}
			continue
		}
		if top == nil || u.b.ambiguous(scores) || top.Handoff || !top.Reply.IsZero() || u.takenNoFault(p.text, top) {
			continue
		}
		if top.Flow != "" && asksHowToIn(ps) {
			continue // "and how do i reset it?" is for the answer
		}
		if p.comma && (scores[0].Confidence < max(0.6, u.b.Threshold+0.2) || len(ps.words) < 3 || top.FAQ == "" && !(settle && scores[0].Confidence >= 0.8)) {
			continue // a comma joins parts of one request more often than two
		}
		if scores[0].Confidence < max(0.55, u.b.Threshold+0.15) {
			continue // a second request must be clear on its own
		}
		if u.flow != nil && (top.Flow == u.flow.Name || top.Flow != "" && scores[0].Confidence < 0.8) {
			continue
		}
		if answered && (top.Flow != "" && (scores[0].Confidence < 0.9 || countWords(p.text) < 3 || putsOffIn(ps)) || u.asksAgain(top.Flow)) {
			// "yes, it doesn't fit on my desk" gives a reason, it starts no
			// claim; "l'ordine e SP-..." ("è" without its accent) names
			// what the answer is; "yes, and maybe I'll buy a new one
			// later" puts the purchase off.
			continue
		}
		c := u.b.intentCommand(top, scores[0].Confidence)
		if t := u.termsAsked(top, scores, p.text); t != nil {
			c = t // "whats the warranty on the dyson v8 and is shipping free?"
		}
		if c == nil || seen[c.Flow+"|"+c.FAQ+"|"+c.Intent] {
			continue
		}
		if main != nil && main.Kind == CmdStartFlow && c.Kind == CmdStartFlow {
			continue // one flow at a time
		}
		seen[c.Flow+"|"+c.FAQ+"|"+c.Intent] = true
		out = append(out, *c)
	}
	if len(out) == 1 && main == nil && !answered && out[0].Kind != CmdFAQ {
		return out
	}
	return out
}

// flowSentence returns the flow a sentence of the message clearly asks
// for, its values and commas included ("vorrei sapere dov'è il pacco
// SP-123456 cap 20121, e quanto dura la garanzia?"), when the message as
// a whole read as a question for an FAQ. A how-to question is for the
// answer, not a flow.
func (u *understanding) flowSentence() *Command {
	for _, ps := range u.splitSentences(clauseJoins) {
		for _, p := range ps {
			if ps := saying(p); len(ps.words) < 4 || asksHowToIn(ps) || len(ps.words) == len(u.words) {
				continue // the whole message, one sentence, read as an FAQ
			}
			scores := u.classify(p)
			top := u.b.confident(scores)
			if top == nil || top.Flow == "" || u.b.ambiguous(scores) || scores[0].Confidence < max(0.65, u.b.Threshold+0.25) || u.termsAsked(top, scores, p) != nil ||
				u.takenNoFault(p, top) {
				continue
			}
			return u.b.intentCommand(top, scores[0].Confidence)
		}
	}
	return nil
}

// scoreOf is the confidence scores give intent, 0 when none.
func scoreOf(scores []nlu.Scored, intent string) float64 {
	for _, s := range scores {
		if s.Intent == intent {
			return s.Confidence
		}
	}
	return 0
}

// afterAnswer reads what follows a short answer that opens a message
// ("no, a sto punto ne compro una nuova"): a new request, if clear.
func (u *understanding) afterAnswer() *Command {
	i := strings.IndexAny(u.text, ",.;!?")
	if i < 0 || countWords(u.text[i+1:]) < 3 || u.flow != nil && !slices.ContainsFunc(sentences(u.text[i+1:]), func(sen string) bool {
		return countWords(sen) > 1 && !u.onlyValuesFor(u.flow, sen)
	}) {
		return nil // "ok allora reso, sì. ordine SP-418263" asks nothing more
	}
	if u.echoesPrompt(u.text[i+1:]) {
		return nil // "sì, mandateci un preventivo" to "vuoi un preventivo?"
	}
	// "yes, the air fryer arrived yesterday" at "start a return?": the
	// day it came, of the thing it names; no request of its own.
	if rest := u.text[i+1:]; u.flow != nil && !strings.Contains(rest, "?") && !isRequestIn(saying(rest)) && u.namesOnlyBeside(u.flow) {
		return nil
	}
	// "no, I just wanted to know the policy": a wish to know, telling no
	// value, explains the answer; it asks for no purchase.
	if rest := u.text[i+1:]; asksIndirectly(saying(rest)) && !slices.ContainsFunc(u.facts, func(f fact) bool { return f.span != "" && strings.Contains(rest, f.span) }) {
		return nil
	}
	scores := u.classify(u.text[i+1:])
	top := u.b.confident(scores)
	if top == nil || top.Flow == "" || u.flow != nil && top.Flow == u.flow.Name || scores[0].Confidence < u.b.Threshold+0.1 ||
		putsOffIn(saying(u.text[i+1:])) {
		return nil
	}
	// "sì, ordine SP-220011, non mi serve più" at "start a return?": the
	// number is the return's, which asks for it. Read without the values
	// the flow asks for and the words that name them, the rest must ask
	// for the other flow still: no order's status here.
	if u.flow != nil {
		if bare := u.withoutValuesFor(u.flow, u.text[i+1:]); bare != u.text[i+1:] {
			s := u.classify(bare)
			if t := u.b.confident(s); t == nil || t.Flow != top.Flow || s[0].Confidence < u.b.Threshold+0.1 {
				return nil
			}
		}
	}
	return u.b.intentCommand(top, scores[0].Confidence)
}

// withoutValuesFor returns text without the values that questions of f
// take and the words of those questions' labels ("ordine SP-220011, non
// mi serve più" in a return is ", non mi serve più"): what the text asks
// beside what f will use.
func (u *understanding) withoutValuesFor(f *Flow, text string) string {
	names := map[string]bool{}
	for _, fa := range u.facts {
		if fa.span == "" || !strings.Contains(text, fa.span) {
			continue
		}
		for _, st := range f.Steps {
			if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && u.b.fits(s, fa) {
				text = strings.Replace(text, fa.span, " ", 1)
				for _, l := range s.Label.Text {
					for _, w := range words(l) {
						names[w] = true
					}
				}
				break
			}
		}
	}
	if len(names) == 0 {
		return text
	}
	var kept []string
	for _, w := range strings.Fields(text) {
		if ws := words(w); len(ws) == 1 && names[ws[0]] {
			continue
		}
		kept = append(kept, w)
	}
	return strings.Join(kept, " ")
}

// putsOffIn reports whether the words put what they ask off to another
// time ("ne compro uno nuovo più avanti", "maybe I'll buy one later"):
// nothing to start now.
func putsOffIn(s said) bool { return s.has(putOffPhrases) }

var putOffPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" piu avanti ", " in futuro ", " prossimamente ", " un altro giorno ", " un altra volta ", " non ora ", " non adesso ",
		" piu in la ", " tra qualche mese ", " later ", " some other time ", " another time ", " in the future ", " not now ", " not right now ",
		" one day ", " someday ", " down the line ", " next year ", " l anno prossimo "} {
		add(p)
	}
})

// sayYesBesideThanks reports whether words say yes beside thanks: "yes"
// anywhere, or "sì" at the end or before a verb with its pronoun
// ("sì avvialo"; "si è risolto" is no yes).
func sayYesBesideThanks(w []string) bool {
	for i, x := range w {
		switch x {
		case "yes", "yeah", "yep":
			return true
		case "si", "sì":
			if i == len(w)-1 || strings.HasSuffix(w[i+1], "lo") || strings.HasSuffix(w[i+1], "la") {
				return true
			}
		}
	}
	return false
}

// echoesPrompt reports whether text repeats a word of the question the
// bot asked (a word of five letters or more that is not a function
// word): "send us a quote" after "would you like a quote?" says the yes
// again, it asks for nothing new.
func (u *understanding) echoesPrompt(text string) bool {
	if u.ask == nil {
		return false
	}
	prompt := words(pick(u.ask.Prompt.Text, u.in.Lang, u.b.DefaultLanguage))
	for _, w := range words(text) {
		if len(w) >= 5 && !promptFunctionWords[w] && slices.Contains(prompt, w) {
			return true
		}
	}
	return false
}

// yesAhead says yes to a yes-or-no question the flow asks later, when
// the message asks for what that question offers before it is asked: "ok
// send me the quote then" while the bot still asks what broke, for "a
// quote for a paid repair?" after the verdict. The question is named by a
// word of its prompt that no example of the flow's own intents or of an
// FAQ holds ("quote", not "repair", nor the payments' "pagamento"), the
// message asks (a yes, a request, an order to the shop), asks nothing
// about it ("vorrei sapere quanto costa un preventivo") and says no "no"
// or "not". The bot then never asks it.
func (u *understanding) yesAhead(answered bool) {
	f, st := u.flow, u.ask
	if f == nil || st == nil || u.sub || u.question && !answered {
		return
	}
	if yes, ok := u.yesNo(); ok && !yes || u.said.has(noAheadPhrases) || isCancelIn(u.said) || asksIndirectly(u.said) {
		return // "vorrei sapere quanto costa un preventivo" asks about it
	}
	asks := u.opens.yes || isRequestIn(u.said) || slices.ContainsFunc(u.words, imperativeWithPronoun) || u.said.has(sendMePhrases)
	if !asks {
		return
	}
	own := map[string]bool{}
	for _, in := range u.b.Intents {
		if in.Flow == f.Name || in.FAQ != "" {
			maps.Copy(own, in.stems)
		}
	}
	i, ok := f.index[st.ID]
	if !ok {
		return
	}
	for _, later := range f.Steps[i+1:] {
		s := u.b.slotOf(later)
		if later.Kind != StepAsk || later.Slot == st.Slot || s == nil || s.Type != SlotYesNo || u.in.State.Slots[later.Slot] != "" ||
			slices.ContainsFunc(u.cmds, func(c Command) bool { return c.Kind == CmdSetSlot && c.Slot == later.Slot }) {
			continue
		}
		prompt := words(pick(later.Prompt.Text, u.in.Lang, u.b.DefaultLanguage))
		if slices.ContainsFunc(u.words, func(w string) bool {
			st, ok := stem(w)
			return ok && len(w) >= 5 && !promptFunctionWords[w] && !own[st] && slices.Contains(prompt, w)
		}) {
			u.add(Command{Kind: CmdSetSlot, Slot: later.Slot, Flow: f.Name, Value: "yes", Span: u.text, Confidence: 0.8})
			return
		}
	}
}

// noAheadPhrases say no to what the message names: "non voglio il
// preventivo", "no quote thanks".
var noAheadPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" no ", " non ", " nessun ", " nessuna ", " niente ", " not ", " don t ", " dont ", " no need ", " without "} {
		add(p)
	}
})

// sendMePhrases ask the shop to send or give something: "send me the
// quote", "mandami il preventivo".
var sendMePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" mandami ", " mandatemi ", " mandate ", " inviatemi ", " inviami ", " fatemi ", " fammi ", " datemi ",
		" send me ", " send over ", " email me ", " give me ", " go ahead with ", " let s have "} {
		add(p)
	}
})

// promptFunctionWords are words of a question that say nothing of what
// it asks.
var promptFunctionWords = map[string]bool{
	"would": true, "could": true, "should": true, "there": true, "which": true, "where": true, "about": true,
	"please": true, "prefer": true, "rather": true, "vuoi": true, "vorresti": true, "preferisci": true,
	"posso": true, "possiamo": true, "della": true, "dello": true, "delle": true, "degli": true, "questo": true, "questa": true,
}

// pagesAnswer reports whether the shop's documents answer the message.
func (u *understanding) pagesAnswer() bool {
	ix := u.b.Knowledge()
	if ix == nil {
		return false
	}
	_, ok := u.b.docsAnswer(ix, u.text, u.in.Lang)
	return ok
}

// askedAfterAnswer returns the question that follows a leading answer
// ("sì, ma serve la scatola originale?" gives "ma serve la scatola
// originale?"), or "" when what follows asks nothing.
func (u *understanding) askedAfterAnswer() string {
	i := strings.IndexAny(u.text, ",.;!?")
	if i < 0 || countWords(u.text[i+1:]) < 3 || !isQuestion(u.text[i+1:]) {
		return ""
	}
	return strings.TrimSpace(u.text[i+1:])
}

// either reads "A or B" where A and B are two things the bot does: the
// customer asks which, so the bot asks back.
func (u *understanding) either() *Command {
	parts := splitWords(u.text, []string{" oppure ", " or ", " o "})
	if len(parts) != 2 {
		return nil
	}
	var ins []*Intent
	var conf float64
	for _, p := range parts {
		scores := u.classify(p)
		top := u.b.confident(scores)
		if top == nil || !top.Reply.IsZero() {
			return nil
		}
		ins = append(ins, top)
		conf = max(conf, scores[0].Confidence)
	}
	a, b := ins[0], ins[1]
	if a == b || a.Flow == b.Flow && a.FAQ == b.FAQ && a.Handoff == b.Handoff {
		return nil
	}
	return &Command{Kind: CmdClarify, Intent: a.Name, Alt: b.Name, Confidence: conf}
}

// A clause is a part of a message that may ask for something of its own.
// clauseJoins are the words that join two requests.
var clauseJoins = []string{" e poi ", " and also ", " also ", " inoltre ", " e anche ", " e ", " and ", " poi "}

type clause struct {
	text  string
	comma bool // cut at a comma, not at a full stop or a joining word
}

// splitClauses cuts a message at the marks and words that join two
// requests: "?", ".", ";", "e poi", "and also", "inoltre", and commas.
func splitClauses(text string) []clause {
	u := understanding{text: text}
	return u.splitClauses()
}

// splitClauses is splitClauses of the message.
func (u *understanding) splitClauses() []clause {
	var parts []clause
	for _, qs := range u.splitSentences(clauseJoins) {
		for _, q := range qs {
			cs := strings.Split(q, ",")
			for _, c := range cs {
				if strings.TrimFunc(c, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) != "" {
					parts = append(parts, clause{text: c, comma: len(cs) > 1})
				}
			}
		}
	}
	return parts
}

// sentences cuts text at "?", "!", ";", line ends and full stops. A dot
// inside a word is no full stop: "giulia.bianchi@example.it",
// "www.shop.it", "1.5" are one word each, and an e-mail cut in three
// made three clauses that pushed the question after it past the
// fourth.
//
// The marks are ASCII, and no byte of a longer rune is ASCII: the text
// is looked at byte by byte.
func sentences(text string) []string {
	spans := sentenceSpans(text)
	if len(spans) == 0 {
		return nil
	}
	out := make([]string, len(spans))
	for k, sp := range spans {
		out[k] = text[sp[0]:sp[1]]
	}
	return out
}

// sentenceSpans is sentences as spans of text.
func sentenceSpans(text string) [][2]int {
	var out [][2]int
	start := 0
	for i := 0; i < len(text); i++ {
		if !sentenceMark[text[i]] {
			continue
		}
		if text[i] == '.' {
			if next, _ := utf8.DecodeRuneInString(text[i+1:]); unicode.IsLetter(next) || unicode.IsDigit(next) {
				continue
			}
		}
		if i > start {
			out = append(out, [2]int{start, i})
		}
		start = i + 1
	}
	if start < len(text) {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

// splitSentences is splitWords of each of the message's sentences, in
// order, the message lowered once: the lower case of a sentence of a
// text whose runes keep their length is that part of the text's.
func (u *understanding) splitSentences(seps []string) [][]string {
	if u.lower == nil {
		low, same := lowerSameLength(u.text)
		u.lower = &lowered{low, same}
	}
	var out [][]string
	for _, sp := range sentenceSpans(u.text) {
		sen := u.text[sp[0]:sp[1]]
		if u.lower.same {
			out = append(out, splitLowered(sen, u.lower.text[sp[0]:sp[1]], seps, true))
		} else {
			out = append(out, splitWords(sen, seps))
		}
	}
	return out
}

// lowered is the lower case of a text, and whether its runes keep their
// length in it (lowerSameLength).
type lowered struct {
	text string
	same bool
}

// sentenceMark are the bytes that may end a sentence.
var sentenceMark = [256]bool{'?': true, ';': true, '!': true, '\n': true, '.': true}

// splitWords cuts s at each of seps, matched in lower case.
// An "e" after a clitic ("mi e caduto", "si e rotto", "non e
// arrivato") is "è" written without its accent, not "and".
func splitWords(s string, seps []string) []string {
	if low, ok := lowerSameLength(s); ok {
		return splitLowered(s, low, seps, true)
	}
	return splitLowered(s, strings.ToLower(s), seps, false)
}

// lowerSameLength returns strings.ToLower(s), and whether each rune of s
// is as long in it as in s: then the lower case of a part of s is that
// part of it. If not, it returns "" and false.
func lowerSameLength(s string) (string, bool) {
	// Most texts are ASCII, and a part of one often has no capital: then
	// s is its own lower case, and nothing is copied.
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s, true
	}
	b := make([]byte, len(s))
	copy(b, s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b[i] = c
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		lr := unicode.ToLower(r)
		if r == utf8.RuneError || utf8.RuneLen(lr) != n {
			return "", false
		}
		utf8.EncodeRune(b[i:], lr)
		i += n
	}
	return string(b), true
}

// splitLowered is splitWords of s, whose lower case is low; keep: the
// parts' lower case is the parts of low.
func splitLowered(s, low string, seps []string, keep bool) []string {
	return splitLoweredBut(s, low, seps, keep, 0)
}

// splitLoweredBut is splitLowered knowing that low has none of the seps
// of the bits of absent: a part of a text lacks what the text lacks.
func splitLoweredBut(s, low string, seps []string, keep bool, absent uint64) []string {
	for k, sep := range seps {
		if k < 64 && absent&(1<<k) != 0 {
			continue
		}
		for from := 0; from < len(low); {
			i := strings.Index(low[from:], sep)
			if i < 0 {
				if from == 0 && k < 64 {
					absent |= 1 << k
				}
				break
			}
			i += from
			if sep == " e " && i > 0 && (accentlessIs(low[:i]) || participleAfter(low[i+len(sep):])) {
				from = i + 1
				continue
			}
			if i > 0 {
				if keep {
					return append(splitLoweredBut(s[:i], low[:i], seps, true, absent), splitLoweredBut(s[i+len(sep):], low[i+len(sep):], seps, true, absent)...)
				}
				return append(splitWords(s[:i], seps), splitWords(s[i+len(sep):], seps)...)
			}
			break
		}
	}
	return []string{s}
}

// accentlessIs reports whether the word that ends before ends with a
// clitic or "non" ("nn" in a chat), after which "e" is the verb: "mi",
// "si", "non"; or "a che punto e l'ordine", where it is the verb too.
func accentlessIs(before string) bool {
	w := before[strings.LastIndexByte(before, ' ')+1:]
	switch extract.ChatSpelled(w) {
	case "mi", "ti", "si", "ci", "vi", "non", "ne", "gli", "l", "c", "lo", "la", "cosa", "che", "dove", "com", "quando", "qual", "punto":
		return true
	}
	return false
}

// participleAfter reports whether the word that opens after is a past
// participle, after which "e" is the verb written without its accent:
// "il galaxy e coperto?", "il pacco e arrivato", "lo schermo e rotto"
// ("-ate", "-ite" are also "accettate", "spedite": a request to "voi").
func participleAfter(after string) bool {
	w, _, _ := strings.Cut(after, " ")
	if len(w) < 5 {
		return false
	}
	for _, end := range []string{"ato", "ata", "ati", "uto", "uta", "uti", "ito", "ita", "iti", "erto", "erta", "erti", "otto", "otta", "otti"} {
		if strings.HasSuffix(w, end) {
			return true
		}
	}
	return false
}

// fitsFlow reports whether a value of the message fits a slot of f.
func (u *understanding) fitsFlow(f *Flow) bool {
	for _, fa := range u.facts {
		for _, st := range f.Steps {
			if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && u.b.fits(s, fa) {
				return true
			}
		}
	}
	return false
}

// allFit reports whether every value of the message fits a slot f asks
// (a span read two ways, "20121" a postcode and a number, by one of
// them).
func (u *understanding) allFit(f *Flow) bool {
	fitsF := func(fa fact) bool {
		return slices.ContainsFunc(f.Steps, func(st *Step) bool {
			s := u.b.slotOf(st)
			return st.Kind == StepAsk && s != nil && u.b.fits(s, fa)
		})
	}
	for _, fa := range u.facts {
		if !fitsF(fa) && !slices.ContainsFunc(u.facts, func(o fact) bool { return o.span == fa.span && o.span != "" && fitsF(o) }) {
			return false
		}
	}
	return true
}

// namesOnlyBeside reports whether the message tells a value of f and,
// beside it, only names of the catalogue (a product, a kind, a brand):
// "yes, the air fryer arrived yesterday" names what the delivery day is
// of.
func (u *understanding) namesOnlyBeside(f *Flow) bool {
	fits := false
	for _, fa := range u.facts {
		switch {
		case fa.kind == factProduct || fa.kind == factCategory || fa.kind == factBrand:
		case slices.ContainsFunc(f.Steps, func(st *Step) bool {
			s := u.b.slotOf(st)
			return st.Kind == StepAsk && s != nil && s.Type != SlotYesNo && u.b.fits(s, fa)
		}):
			fits = true
		default:
			return false
		}
	}
	return fits
}

// symptom returns the intent of the flow that checks the warranty when
// the message describes a defect or accidental damage and the
// classifier's choice has no use for it: "the pixel 8 camera app crashes"
// is a warranty question, not a purchase.
func (u *understanding) symptom() *Command {
	has := false
	for _, fa := range u.facts {
		if fa.kind == factDefect || fa.kind == factDamage {
			has = true
		}
	}
	if !has {
		return nil
	}
	if c := u.arrivedBroken(); c != nil {
		return c
	}
	if u.top != nil && u.top.Flow != "" && u.b.Flows[u.top.Flow].checksWarranty() {
		return u.b.intentCommand(u.top, u.topConfidence())
	}
	if u.top != nil && u.top.Flow != "" && !u.b.Flows[u.top.Flow].sells(u.b) && !u.defectElsewhere(u.b.Flows[u.top.Flow]) {
		return nil // a return of a noisy vacuum is a return
	}
	for _, sc := range u.scores {
		in := u.b.intents[sc.Intent]
		if in != nil && in.Flow != "" && u.b.Flows[in.Flow].checksWarranty() {
			return &Command{Kind: CmdStartFlow, Flow: in.Flow, Intent: in.Name, Confidence: max(sc.Confidence, u.b.Threshold)}
		}
	}
	return u.serviceIntent()
}

// arrivedBroken starts the flow that asks the choice of a product that
// came broken (the demo's parcel, option arrived_damaged) when every
// fault the message tells is damage the product arrived with: "it
// arrived with a broken screen", "è arrivata con lo schermo crepato" are
// the delivery's problem, asked of the order (number and proof), not a
// warranty claim that asks the model. A flow the classifier guesses
// that neither sells nor checks a warranty (a return) keeps the
// message; so does a fault of the customer's told beside it.
func (u *understanding) arrivedBroken() *Command {
	slot := u.b.choiceWith(codeArrivedDamaged)
	if slot == "" || u.flow != nil || !slices.ContainsFunc(u.facts, func(fa fact) bool {
		return fa.kind == factChoice && fa.slot == slot && fa.value == codeArrivedDamaged
	}) || slices.ContainsFunc(u.facts, func(fa fact) bool {
		return fa.kind == factDamage || fa.kind == factDefect && fa.code != codeArrivedDamaged
	}) {
		return nil
	}
	if u.top != nil && u.top.Flow != "" {
		if f := u.b.Flows[u.top.Flow]; f.asks(slot) {
			return u.b.intentCommand(u.top, u.topConfidence())
		} else if !f.checksWarranty() && !f.sells(u.b) {
			return nil
		}
	}
	c, _ := u.scoredFlow(func(f *Flow) bool { return f.asks(slot) }, 0)
	return c
}

// orderTrouble starts the flow of an order's problem when the message
// names an order by its number and tells what went wrong with it by an
// option of a choice only such a flow asks (one that asks for the order,
// neither sells nor checks a warranty): "the charger was missing from
// SP-123456", "SP-123456 was charged twice", "nella scatola di
// SP-123456 c'era un altro modello" are the order's, a person's, not a
// claim on the product nor a question between the two.
func (u *understanding) orderTrouble() *Command {
	if u.flow != nil || u.b.orderSlot == "" || !slices.ContainsFunc(u.facts, func(fa fact) bool {
		return fa.kind == factOrder && fa.slot == u.b.orderSlot
	}) {
		return nil
	}
	return u.troubleFlow()
}

// troubleFlow returns the start of the order flow (one that asks for the
// order, neither sells nor checks a warranty) that asks a choice slot an
// option the message tells fills, the classifier's best of them.
func (u *understanding) troubleFlow() *Command {
	orderFlow := func(f *Flow) bool {
		return f.asks(u.b.orderSlot) && !f.checksWarranty() && !f.sells(u.b)
	}
	for _, fa := range u.facts {
		if fa.kind != factChoice || fa.slot == "" {
			continue
		}
		only := true
		for _, f := range u.b.Flows {
			if f.asks(fa.slot) && !orderFlow(f) {
				only = false
			}
		}
		if !only {
			continue
		}
		if c, _ := u.scoredFlow(func(f *Flow) bool { return orderFlow(f) && f.asks(fa.slot) }, 0); c != nil {
			return c
		}
	}
	return nil
}

// tieBreak settles two close intents with what the message holds: a
// described defect means the warranty, a budget or a quantity a
// purchase, and without a defect the flow that needs none.
func (u *understanding) tieBreak() *Command {
	a, b := u.b.intents[u.scores[0].Intent], u.b.intents[u.scores[1].Intent]
	// "voglio fare un reclamo a una persona": a person, named, is asked for.
	if (a.Handoff || b.Handoff) && namesPersonIn(u.said) {
		if b.Handoff {
			a = b
		}
		return u.b.intentCommand(a, u.scores[0].Confidence)
	}
	if c := u.orderTrouble(); c != nil {
		return c
	}
	if c := u.symptom(); c != nil {
		return c
	}
	// "do u take amex?" between payments and shipping: a word that only
	// one of the two FAQs' examples hold names it.
	if a.FAQ != "" && b.FAQ != "" {
		if in, _ := u.b.ownWordBut(u.text, u.dateWord); in == a || in == b {
			return u.b.intentCommand(in, scoreOf(u.scores, in.Name))
		}
	}
	if a.Flow != "" && b.Flow != "" {
		na, nb := u.telling(u.b.Flows[a.Flow]), u.telling(u.b.Flows[b.Flow])
		switch {
		case na > nb:
			return u.b.intentCommand(a, u.scores[0].Confidence)
		case nb > na:
			return u.b.intentCommand(b, u.scores[0].Confidence)
		}
		// A sale or a warranty: what the customer owns, or a defect,
		// means the warranty; else "vorrei la friggitrice" is a sale.
		fa, fb := u.b.Flows[a.Flow], u.b.Flows[b.Flow]
		if fa.sells(u.b) != fb.sells(u.b) && sameOneIn(u.said) {
			// "i want to order the same coffee machine for my mum": one
			// more of what the customer has is a sale.
			if fb.sells(u.b) {
				a = b
			}
			return u.b.intentCommand(a, u.scores[0].Confidence)
		}
		if fa.sells(u.b) != fb.sells(u.b) && u.countsWhatFlowsSell() {
			// "I'd like to order three pixels": so many of something of
			// the catalogue, and no order of theirs, is a sale.
			if fb.sells(u.b) {
				a = b
			}
			return u.b.intentCommand(a, u.scores[0].Confidence)
		}
		if fa.sells(u.b) != fb.sells(u.b) && (fa.checksWarranty() || fb.checksWarranty()) {
			sale, service := a, b
			if fb.sells(u.b) {
				sale, service = b, a
			}
			if u.possessive() {
				return u.b.intentCommand(service, u.scores[0].Confidence)
			}
			return u.b.intentCommand(sale, u.scores[0].Confidence)
		}
	}
	// A question ("how long is the warranty?") is for the answer, a
	// request ("vorrei la garanzia per il pixel 8") for the flow.
	if (a.FAQ != "") != (b.FAQ != "") && (a.Flow != "" || b.Flow != "") {
		faq, flow := a, b
		if b.FAQ != "" {
			faq, flow = b, a
		}
		// "when will SP-200107 ship?", "quando parte l'ordine
		// SP-123456?": a question of the order the message names by its
		// number is that order's, which the flow looks up; the FAQ tells
		// of every order, unless a word only its examples hold asks it
		// ("SP-123456: can I pay it with paypal?"); what an order does
		// ("ship", "parte") is the order's word.
		if f := u.b.Flows[flow.Flow]; f != nil && u.b.orderSlot != "" && f.asks(u.b.orderSlot) && slices.ContainsFunc(u.facts, func(x fact) bool { return x.kind == factOrder && x.slot == u.b.orderSlot }) {
			if in, written := u.b.ownWordBut(u.text, func(w string) bool { return u.dateWord(w) || orderDoes[w] }); in != faq || !written {
				return u.b.intentCommand(flow, u.scores[0].Confidence)
			}
		}
		if u.question || asksIndirectly(u.said) {
			return u.b.intentCommand(faq, u.scores[0].Confidence)
		}
		return u.b.intentCommand(flow, u.scores[0].Confidence)
	}
	return nil
}

// orderDoes are the words of what an order does on its way: it ships,
// leaves, arrives.
var orderDoes = map[string]bool{
	"ship": true, "ships": true, "shipped": true, "shipping": true, "dispatch": true, "dispatched": true, "send": true, "sent": true,
	"leave": true, "leaves": true, "arrive": true, "arrives": true, "come": true, "comes": true, "delivered": true, "deliver": true,
	"spedite": true, "spedito": true, "spedita": true, "spedisce": true, "spedirete": true, "parte": true, "partito": true, "partita": true,
	"arriva": true, "arrivera": true, "arrivato": true, "consegnato": true, "consegnate": true, "consegnata": true,
}

// countsWhatFlowsSell reports whether the message counts something of
// the catalogue ("three pixels", "due portatili") and names no order.
func (u *understanding) countsWhatFlowsSell() bool {
	counted := false
	for _, f := range u.facts {
		switch f.kind {
		case factOrder, factDefect, factDamage:
			return false
		case factNumber:
			counted = counted || f.conf >= 0.9 && f.value != "1"
		}
	}
	return counted && u.namesWhatFlowsSell()
}

// noThenPerson reports whether a message that opens with a no goes on
// to ask for a person, with no other no after it: "no, voglio una
// persona", "nope, a human please", but not "no, non serve una persona",
// "no thanks, no agent needed".
func (u *understanding) noThenPerson() bool {
	if len(u.words) < 2 || !namesPersonIn(u.said) && (u.top == nil || !u.top.Handoff) {
		return false
	}
	if _, declined := personScope(u.text); declined {
		return false // "no need for an agent"
	}
	return !slices.ContainsFunc(u.words[1:], func(w string) bool { return negationWords[w] })
}

// declinesPerson reports whether the message says no person is needed
// ("no, non serve una persona", "no need for an agent", "i dont want to
// talk to a human") and asks for none elsewhere ("no, non voglio il
// bot, voglio una persona" asks for one).
func (u *understanding) declinesPerson() bool {
	asked, declined := personScope(u.text)
	return declined && !asked
}

// personScope reads each person the text names ("operatore", "agent",
// "qualcuno") and reports whether one is asked for and whether one is
// denied: by a negation before it in its own clause ("non mi serve un
// operatore", "nessun operatore", "I don't need a human", "no need for
// an agent"), or by "not needed" after it ("a person is not needed").
// A clause ends at punctuation, at "ma", "but", "just", and at a wish
// no negation denies ("not a bot, I want a person"). The "no" that
// opens the message answers the offer and denies nothing, unless a
// need follows it ("no need for an agent").
func personScope(text string) (asked, declined bool) {
	first := true
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(",;.!?:()", r) }) {
		w := words(part)
		for p, x := range w {
			if !personWords[x] {
				continue
			}
			denied := false
		back:
			for i := p - 1; i >= 0; i-- {
				switch {
				case personBreaks[w[i]]:
					break back
				case personWishes[w[i]] && !wishDenied(w[:i]):
					break back
				case w[i] == "no":
					if i > 0 || !first || i+1 < len(w) && (w[i+1] == "need" || w[i+1] == "bisogno") {
						denied = true
						break back
					}
				case personNegations[w[i]]:
					denied = true
					break back
				}
			}
			for i := p + 1; i < len(w) && i <= p+4 && !denied; i++ {
				if (w[i] == "not" || w[i] == "non" || w[i] == "t") && i+1 < len(w) && personNeeds[w[i+1]] {
					denied = true
				}
			}
			if denied {
				declined = true
			} else {
				asked = true
			}
		}
		if len(w) > 0 {
			first = false
		}
	}
	return asked, declined
}

// wishDenied reports whether one of the two words before a wish denies
// it: "non voglio", "non mi serve", "don't need", "dont really want".
func wishDenied(before []string) bool {
	for i := len(before) - 1; i >= 0 && i >= len(before)-2; i-- {
		if personNegations[before[i]] || before[i] == "t" || before[i] == "no" {
			return true
		}
	}
	return false
}

var (
	personWords = map[string]bool{"persona": true, "operatore": true, "operatrice": true, "umano": true, "qualcuno": true,
		"collega": true, "responsabile": true, "person": true, "agent": true, "human": true, "someone": true, "somebody": true,
		"anyone": true, "anybody": true, "operator": true, "colleague": true, "manager": true}
	personNegations = map[string]bool{"non": true, "nn": true, "not": true, "dont": true, "don": true, "doesn": true, "didn": true, "isn": true, "aren": true, "won": true, "nessun": true, "nessuno": true, "nessuna": true,
		"senza": true, "without": true, "never": true, "mai": true, "nemmeno": true, "neanche": true, "nobody": true}
	personWishes = map[string]bool{"voglio": true, "vorrei": true, "preferisco": true, "serve": true, "want": true, "need": true,
		"prefer": true, "rather": true, "passami": true, "passatemi": true}
	personBreaks = map[string]bool{"ma": true, "pero": true, "però": true, "anzi": true, "invece": true, "piuttosto": true, "solo": true,
		"but": true, "just": true, "only": true, "instead": true}
	personNeeds = map[string]bool{"serve": true, "necessario": true, "necessaria": true, "needed": true, "necessary": true, "required": true}
)

// negationWords deny what follows them.
var negationWords = map[string]bool{
	"no": true, "non": true, "nessuno": true, "nessuna": true, "senza": true, "niente": true, "nemmeno": true, "neanche": true,
	"not": true, "dont": true, "don": true, "nobody": true, "without": true, "never": true, "neither": true, "nah": true,
	"nope": true, "grazie": true, "thanks": true,
}

// namesPersonIn reports whether the words name a person to talk to: "una
// persona", "un operatore", "someone", "a human".
func namesPersonIn(s said) bool { return s.has(personPhrases) }

var personPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" una persona ", " persona vera ", " un operatore ", " un umano ", " qualcuno ", " un collega ", " un responsabile ",
		" a person ", " a real person ", " an agent ", " a human ", " someone ", " somebody ", " a colleague ", " a manager "} {
		add(p)
	}
})

// sellsToShopIn reports whether the customer offers to sell something to
// the shop rather than buy: "vorrei vendervi il mio iphone", "do you buy
// used phones?", "I have an old one to sell". Trading one in with a
// purchase ("ritirate l'usato se compro...") is a purchase.
func sellsToShopIn(s said) bool { return s.has(sellPhrases) && !s.has(buyPhrases) }

var sellPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" comprate ", " compreste ", " vendervi ", " vendere il mio ", " vendere la mia ", " vendere i miei ", " da vendere ",
		" do you buy ", " would you buy ", " buy back ", " to sell ", " sell you ", " sell my ", " sell it to you "} {
		add(p)
	}
})

var buyPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" compro ", " if i buy "} {
		add(p)
	}
})

// isRequest reports whether text asks the bot to do something: "vorrei",
// "voglio", "mi serve", "I want", "I'd like", "I need", "help".
func isRequest(text string) bool { return isRequestIn(saying(text)) }

func isRequestIn(s said) bool {
	return s.has(requestPhrases) || len(s.words) > 1 && subjectlessWant[s.words[0]] && s.words[1] != "to"
}

// subjectlessWant are the verbs of a request that open a message with
// their subject dropped, as chats write ("need a laptop", "want a new
// tv", "wanna buy a phone"): the customer's "I need". Not before "to"
// ("need to know the hours" asks a question) nor inside a message ("do i
// need the receipt?", "no need").
var subjectlessWant = map[string]bool{"need": true, "want": true, "wanna": true}

var requestPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" vorrei ", " voglio ", " volevo ", " mi serve ", " mi servirebbe ", " mi servirebbero ", " ho bisogno ", " aiuto ", " aiutatemi ", " mi aiuti ",
		" i want ", " i d like ", " i would like ", " i need ", " help ", " please ",
		// A business asks in the plural: "ci servono 6 tv", "we run a
		// hotel and need 6 tvs".
		" mi servono ", " ci serve ", " ci servono ", " abbiamo bisogno ", " vorremmo ", " cerchiamo ",
		" we need ", " and need ", " we want ", " we d like ", " we would like ", " we re looking for ", " we are looking for "} {
		add(p)
	}
})

// takenByOtherIn reports whether the words tell that someone else took
// or has the product ("mio figlio ha preso la tv", "my wife took the
// phone with her"): where the product is, or who bought it, which tells
// no fault.
func takenByOtherIn(s said) bool { return s.has(takenByOtherPhrases) }

var takenByOtherPhrases = newPhrases(func(add func(string)) {
	for _, who := range []string{" mio figlio ", " mia figlia ", " mio marito ", " mia moglie ", " mio padre ", " mia madre ", " mio papa ", " mia mamma ",
		" mio fratello ", " mia sorella ", " il mio compagno ", " la mia compagna ", " il mio ragazzo ", " la mia ragazza ", " un amico ", " un amica ", " mio nonno ", " mia nonna "} {
		for _, verb := range []string{"ha preso ", "si e preso ", "si e presa ", "se l e preso ", "se l e presa ", "se l e portato ", "se l e portata ", "ha portato via ",
			"si e portato ", "si e portata "} {
			add(who + verb)
		}
	}
	for _, who := range []string{" my son ", " my daughter ", " my husband ", " my wife ", " my dad ", " my father ", " my mom ", " my mum ", " my mother ",
		" my brother ", " my sister ", " my partner ", " my boyfriend ", " my girlfriend ", " a friend ", " my friend ", " my kid ", " my grandma ", " my grandpa "} {
		for _, verb := range []string{"took ", "has taken ", "borrowed ", "went off with ", "took off with "} {
			add(who + verb)
		}
	}
})

// takenNoFault reports whether text, read as a claim (top), only tells
// that someone else took the product: no defect or damage in it.
func (u *understanding) takenNoFault(text string, top *Intent) bool {
	if top == nil || top.Flow == "" || !u.b.Flows[top.Flow].checksWarranty() || !takenByOtherIn(u.sayingOf(text)) {
		return false
	}
	return !slices.ContainsFunc(u.facts, func(f fact) bool {
		return (f.kind == factDefect || f.kind == factDamage) && strings.Contains(text, f.span)
	})
}

// isQuestion reports whether text asks a question: a question mark, or
// an opening question word.
func isQuestion(text string) bool { return isQuestionOf(text, words(text)) }

// isQuestionOf is isQuestion of text whose words are w.
func isQuestionOf(text string, w []string) bool {
	if strings.Contains(text, "?") {
		return true
	}
	// "hang on, first where is...": a few words before a comma hold the
	// question back ("ciao, si è rotto" tells: "si" opens a question
	// only as "si può").
	if i := strings.Index(text, ","); i >= 0 && countWords(text[:i]) <= 2 {
		if rest := words(text[i+1:]); len(rest) >= 3 && rest[0] != "si" && isQuestionOf(text[i+1:], rest) {
			return true
		}
	}
	// "also, can I...", "e poi avete...": a joining word opens no request.
	for len(w) > 1 && slices.Contains([]string{"also", "and", "but", "plus", "btw", "first", "then", "e", "ma", "poi", "inoltre", "anche", "pure", "prima"}, w[0]) {
		w = w[1:]
	}
	if len(w) == 0 {
		return false
	}
	// "si allora volevo dire che...", "si ecco, ho preso...": a dictated
	// "sì" without its accent, then the telling, asks nothing; nor does
	// "sì, ..." with its accent or its comma ("si può" has neither).
	if w[0] == "si" && len(w) > 1 && yesFillers[w[1]] {
		return false
	}
	if w[0] == "si" && len(w) > 1 && yesWritten(text) {
		return false
	}
	// "si è rotto lo schermo", "si sono staccati i tasti": "si" before
	// the auxiliary tells what happened (with its accent left out, "si e
	// rotto" too); "si può", "si paga" ask.
	if w[0] == "si" && len(w) > 2 && (w[1] == "e" || w[1] == "sono" || w[1] == "era" || w[1] == "erano") {
		return false
	}
	switch w[0] {
	case "quanto", "quanti", "quanta", "quante", "come", "cosa", "che", "quale", "quali", "quando", "dove", "perche", "posso", "si",
		"avete", "fate", "potete", "sapete",
		"how", "what", "which", "when", "where", "why", "is", "are", "does", "do", "can", "could", "will", "would", "should", "did",
		"whats", "hows", "wheres", "whens": // "whats the warranty on...": the apostrophe left out
		return true
	}
	return false
}

// yesWritten reports whether text opens on a "sì" written as one: with
// its accent, or a comma after it ("sì, è arrivata ieri", "si, grazie").
func yesWritten(text string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	return strings.HasPrefix(t, "sì") || strings.HasPrefix(t, "si,") || strings.HasPrefix(t, "si!") || strings.HasPrefix(t, "si.")
}

// yesFillers are the words after which an opening "si" is a "sì".
var yesFillers = map[string]bool{"allora": true, "ecco": true, "ok": true, "okay": true, "certo": true, "esatto": true, "grazie": true,
	"volevo": true, "vorrei": true, "ho": true, "sono": true, "buongiorno": true, "buonasera": true, "salve": true, "ciao": true}

// asksWithoutMark reports whether a message without a question mark
// asks one all the same, inside: "una ma la spedizione quanto costa",
// "just one how much is delivery". s are its words.
func asksWithoutMark(text string, s said) bool {
	return !strings.Contains(text, "?") && s.has(askingPhrases)
}

// askingPhrases ask a question wherever they stand in a message, as
// customers write who leave the question mark out: two words that ask
// together, never one that also joins ("quando", "come", "when").
var askingPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" quanto costa ", " quanto costano ", " quanto viene ", " quanto ci mette ", " quanto ci vuole ", " quanto tempo ",
		" quanto dura ", " quanti anni ", " quanti mesi ", " quanti giorni ", " siete aperti ", " eravate aperti ", " a che ora ", " che orari ",
		" come faccio ", " si puo ", " posso pagare ", " accettate ", " fate anche ", " spedite ", " dov e ",
		" how much ", " how long ", " how do i ", " how can i ", " what time ", " are you open ", " do you ", " can i pay ", " can i ",
		" is shipping ", " is there ", " do u ", " u guys "} {
		add(p)
	}
})

// betterFit returns another plausible intent whose flow has a use for
// the values of the message when top's flow has none: "I have a budget
// of 600 euros, which phone?" is a purchase, whatever the words say.
func (u *understanding) betterFit(top *Intent) *Command {
	if !u.hasTelling() {
		return nil
	}
	// Broken on the way ("arrivata con lo schermo spaccato") is the
	// parcel's matter: no defect of the customer's told.
	described := slices.ContainsFunc(u.facts, func(f fact) bool {
		return f.kind == factDefect && f.code != codeArrivedDamaged || f.kind == factDamage
	})
	for _, sc := range u.scores[1:] {
		in := u.b.intents[sc.Intent]
		if in == nil || in.Flow == "" || sc.Confidence < u.b.Threshold/5 {
			continue
		}
		// "ho ordinato ieri la macchina, SP-200107, la mail è ..., quando
		// parte?": the order's status takes the number and the e-mail, and
		// the claim, far weaker, one value more (the day it was ordered).
		// A flow that has a use for the values keeps a clear lead, unless
		// a defect is told ("il mio pixel non si accende, ordine ...").
		mine := u.telling(u.b.Flows[top.Flow])
		if mine > 0 && sc.Confidence < u.scores[0].Confidence/3 && !described {
			continue
		}
		if u.telling(u.b.Flows[in.Flow]) > mine {
			return &Command{Kind: CmdStartFlow, Flow: in.Flow, Intent: in.Name, Confidence: sc.Confidence}
		}
	}
	return nil
}

// onItsWay returns the flow of an order's status when intent starts a
// claim for a message that asks when a thing of the catalogue comes or
// leaves and tells no fault: "la friggitrice presa lunedì quando mi
// arriva?", "the laptop i ordered friday, when does it ship?". The day
// it was bought dates an order still on its way, no claim; the
// classifier's claim comes of "presa lunedì" and "il mio". Of the flows
// that ask for the order and check no warranty, the one the classifier
// scores best, however weakly.
func (u *understanding) onItsWay(intent *Command) *Command {
	if intent == nil || intent.Kind != CmdStartFlow || u.flow != nil || u.b.orderSlot == "" || !u.b.Flows[intent.Flow].checksWarranty() ||
		u.describesFault() || !u.said.has(whenComesPhrases) || !slices.ContainsFunc(u.facts, func(f fact) bool {
		return f.kind == factProduct || f.kind == factCategory || f.kind == factBrand || f.kind == factOrder
	}) {
		return nil
	}
	c, _ := u.scoredFlow(func(f *Flow) bool { return f.asks(u.b.orderSlot) && !f.checksWarranty() }, 0)
	return c
}

// whenComesPhrases ask when something on its way comes or leaves,
// with or without a mark: a question by their words.
var whenComesPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" quando arriva ", " quando arrivera ", " quando arrivano ", " quando mi arriva ", " quando parte ", " quando partira ",
		" quando lo spedite ", " quando la spedite ", " quando viene spedito ", " quando viene spedita ",
		" when will it arrive ", " when does it arrive ", " when will it come ", " when is it coming ", " when will it ship ", " when does it ship ",
		" when will they arrive ", " when will it be delivered ", " when will it get here "} {
		add(p)
	}
})

// owned reads a purchase intent about a product the customer already
// has ("my sony tv", "il mio pixel") as the service it is: a sale comes
// before the purchase, a service after. The warranty flow takes it when
// the classifier gave it some weight. It reports whether the message is
// about something the customer has; the command is nil when it is
// neither a sale nor a claim: "a copy of the invoice of a purchase of
// last year" names no product, no defect, and the classifier gives the
// warranty no weight.
func (u *understanding) owned(top *Intent) (*Command, bool) {
	if !u.b.Flows[top.Flow].sells(u.b) || !u.possessive() {
		return nil, false
	}
	c := u.serviceIntent()
	if c != nil && c.Confidence < u.b.Threshold/5 && !slices.ContainsFunc(u.facts, func(f fact) bool {
		switch f.kind {
		case factProduct, factCategory, factBrand, factDefect, factDamage:
			return true
		}
		return false
	}) {
		return nil, true
	}
	return c, c != nil
}

// fittestService returns, of the flows that sell nothing, the one the
// message's values fit best: "ho ricevuto il pacco 4 giorni fa,
// l'aspirapolvere non mi serve più" has a delivery date, which only a
// return asks for.
func (u *understanding) fittestService() *Command {
	return u.fittest(func(f *Flow) bool { return !f.sells(u.b) })
}

// serviceIntent starts the flow that checks the warranty, for a message
// about a product the customer has.
func (u *understanding) serviceIntent() *Command {
	for _, in := range u.b.Intents {
		if in.Flow != "" && u.b.Flows[in.Flow].checksWarranty() {
			conf := 0.0
			for _, sc := range u.scores {
				if sc.Intent == in.Name {
					conf = sc.Confidence
				}
			}
			return &Command{Kind: CmdStartFlow, Flow: in.Flow, Intent: in.Name, Confidence: conf}
		}
	}
	return nil
}

// possessive reports whether a product or category of the message is
// the customer's own: "il mio telefono", "la mia tv", "my laptop", "our
// coffee machine".
func (u *understanding) possessive() bool {
	lower := strings.ToLower(u.text)
	// "I paid 200 euros for the airfryer in march": bought already.
	// A date to come ("for next week") is a wish, not a purchase made.
	if slices.ContainsFunc(u.facts, func(f fact) bool {
		return f.kind == factDate && !f.future && (f.cue == cuePurchase || f.cue == cueDelivery)
	}) {
		return true
	}
	if u.said.has(boughtPhrases) {
		return true
	}
	for _, f := range u.facts {
		if f.kind != factProduct && f.kind != factCategory {
			continue
		}
		i := strings.Index(lower, strings.ToLower(f.span))
		if i < 0 {
			continue
		}
		before := words(lower[:i])
		for j := max(0, len(before)-3); j < len(before); j++ {
			if possessiveWords[before[j]] && !ownerOfAnother(before[j+1:], lower[:i]) {
				return true
			}
		}
	}
	return false
}

// ownerOfAnother reports whether the words between a possessive and the
// product (after, the words; text, what comes before the product) start
// another thing: "a tv for my bedroom, the sony bravia" owns the room,
// not the tv.
func ownerOfAnother(after []string, text string) bool {
	if len(after) == 0 {
		return false
	}
	if strings.ContainsAny(text[strings.LastIndex(text, after[0]):], ",.;:!?") {
		return true
	}
	for _, w := range after[1:] {
		switch w {
		case "the", "a", "an", "il", "lo", "la", "un", "una", "uno", "i", "gli", "le":
			return true
		}
	}
	return false
}

// botQuestionPhrases ask whether the customer talks to a bot.
var botQuestionPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" are you a bot ", " are you a robot ", " are you a real person ", " are you a person ", " are you human ", " are you a human ",
		" is this a bot ", " is this a real person ", " talking to a bot ", " talking to a robot ", " talking to a real person ", " talking to a human ",
		" sei un bot ", " sei un robot ", " sei una persona ", " sei umano ", " sei una persona vera ", " e un bot ", " siete un bot ",
		" parlando con un bot ", " parlando con una persona ", " parlo con un bot ", " parlo con una persona vera ", " parlo con un robot "} {
		add(p)
	}
})

// notOrderedPhrases speak of an order the customer has not made yet.
var notOrderedPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" se ordino ", " se lo ordino ", " se la ordino ", " se li ordino ", " se faccio l ordine ", " se faccio un ordine ", " prima di ordinare ",
		" se compro ", " se lo compro ", " se la compro ", " se pago ", " se pagassi ", " se pagero ", " se lo pago ", " se la pago ",
		" if i pay ", " if i paid ", " if i pay for it ", " if i order ", " if i ordered ", " if i place an order ", " if i buy ", " when i order ", " before i order ", " before ordering "} {
		add(p)
	}
})

// fromUsPhrases say the customer bought from this shop.
var fromUsPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" da voi ", " dal vostro negozio ", " nel vostro negozio ", " sul vostro sito ", " dal vostro sito ",
		" comprato qui ", " preso qui ", " acquistato qui ", " presso di voi ", " bought here ", " bought it here ", " got it here ",
		" from you ", " from your shop ", " from your store ", " from your website ", " on your website ", " on your site ", " in your shop ", " in your store "} {
		add(p)
	}
})

var boughtPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" ho pagato ", " ho comprato ", " ho acquistato ", " l ho preso ", " preso da voi ", " comprato da voi ",
		" ho ordinato ", " abbiamo ordinato ", " abbiamo comprato ", " abbiamo acquistato ",
		" i paid ", " i bought ", " bought from you ", " got from you ", " purchased ", " i ordered ", " we ordered ", " we bought "} {
		add(p)
	}
})

// telling kinds of value say which flow a message is for; products and
// categories fit many.
func telling(k factKind) bool {
	switch k {
	case factProduct, factCategory, factBrand, factChoice, factNumber:
		return false
	}
	return true
}

func (u *understanding) hasTelling() bool {
	return slices.ContainsFunc(u.facts, func(f fact) bool { return telling(f.kind) })
}

// telling counts the telling values of the message that fit a slot of f.
func (u *understanding) telling(f *Flow) int {
	n := 0
	for _, fa := range u.facts {
		if !telling(fa.kind) {
			continue
		}
		for _, st := range f.Steps {
			if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && u.b.fits(s, fa) {
				n++
				break
			}
		}
	}
	return n
}

// fitsOnly reports whether a telling value of the message fits a slot
// of f.
func (u *understanding) fitsOnly(f *Flow) bool {
	for _, fa := range u.facts {
		if !telling(fa.kind) {
			continue
		}
		for _, st := range f.Steps {
			if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && u.b.fits(s, fa) {
				return true
			}
		}
	}
	return false
}

// weakIntent returns a flow the message's values point to when the
// classifier was not sure: a defect with a product reads as warranty.
func (u *understanding) weakIntent(answered bool) *Command {
	if answered || u.flow != nil || len(u.scores) == 0 || len(u.facts) == 0 {
		return nil
	}
	if c := u.orderGuess(); c != nil {
		return c
	}
	if c := u.orderNamed(); c != nil {
		return c // "status of SP-123456 please" (orders.go)
	}
	// "mi servirebbe una friggitrice entro domenica": something of the
	// catalogue wanted by a day is a purchase, however weak the guess.
	if !u.question && u.wantedBy() {
		if c := u.sellingIntent(); c != nil {
			return c
		}
	}
	// "i want a pixel 8", "voglio il pixel 8": a request for a thing of
	// the catalogue and nothing else is a purchase, however weak the
	// guess ("voglio il mio pixel", the customer's own, is not).
	if !u.question && isRequestIn(u.said) && u.onlyWanted() && !u.possessive() {
		if c := u.sellingIntent(); c != nil {
			return c
		}
	}
	// "after a telly, lg oled", "I'm after an airfryer": the British
	// "after" of "looking for", before something of the catalogue.
	if !u.question && u.afterAThing() && !u.describesFault() && !u.possessive() {
		if c := u.sellingIntent(); c != nil {
			return c
		}
	}
	// "thinkpad e14 fan is super loud all the time": a model of the
	// catalogue and what it does, neither asked nor requested nor
	// counted or priced ("4 ThinkPad E14, budget 900 each"), is a problem
	// told.
	if slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factProduct }) && !u.question && !isRequestIn(u.said) &&
		!slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factMoney || f.kind == factNumber && f.conf >= 0.9 }) {
		n := 0
		for _, w := range residue(u.text, u.facts) {
			if !claimWords[w] && len(w) > 2 {
				n++
			}
		}
		if n >= 3 {
			if c := u.serviceIntent(); c != nil {
				return c
			}
		}
	}
	// "ho ricevuto il pacco 4 giorni fa, l'aspirapolvere non mi serve più":
	// without a defect, the one flow its values fit (a delivery: a return).
	if !slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factDefect || f.kind == factDamage }) {
		var best *Intent
		most, tie := 0, false
		for _, in := range u.b.Intents {
			f := u.b.Flows[in.Flow]
			if f == nil || best != nil && best.Flow == in.Flow {
				continue
			}
			switch n := u.telling(f); {
			case n > most:
				best, most, tie = in, n, false
			case n == most && n > 0:
				tie = true
			}
		}
		if best != nil && !tie && !u.b.Flows[best.Flow].checksWarranty() {
			return &Command{Kind: CmdStartFlow, Flow: best.Flow, Intent: best.Name, Confidence: max(u.score(best.Name), u.b.Threshold)}
		}
	}
	// "sto thinkpad c'ha 2 tasti che nun vanno piu, l'ho preso 8 mesi
	// fa": a product the customer bought is a service, whatever the words.
	if u.possessive() && slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factProduct || f.kind == factCategory }) {
		if c := u.fittestService(); c != nil {
			return c
		}
		if c := u.serviceIntent(); c != nil {
			return c
		}
	}
	if c := u.onlyFit(); c != nil {
		return c
	}
	s := u.scores[0]
	in := u.b.intents[s.Intent]
	if in == nil || in.Flow == "" || s.Confidence < u.b.Threshold*0.6 {
		return nil
	}
	if !u.hasTelling() && !isRequestIn(u.said) {
		// Neither a value only some flows take nor a request ("vorrei la
		// friggitrice philips") backs a weak guess.
		return nil
	}
	if len(u.scores) > 1 && s.Confidence-u.scores[1].Confidence < u.b.Margin && u.scores[1].Confidence >= u.b.Threshold*0.5 {
		// Two weak and close guesses: the values of the message decide.
		if c := u.tieBreak(); c != nil {
			return c
		}
	}
	// A value only some flows take backs the guess; a product or a kind
	// of product, which every flow takes, does not ("do you have a store
	// in Rome to try the phones?").
	f := u.b.Flows[in.Flow]
	for _, fa := range u.facts {
		if !telling(fa.kind) {
			continue
		}
		for _, st := range f.Steps {
			if st.Kind == StepAsk && u.b.fits(u.b.slotOf(st), fa) {
				return &Command{Kind: CmdStartFlow, Flow: f.Name, Intent: in.Name, Confidence: s.Confidence}
			}
		}
	}
	return nil
}

// afterAThing reports whether the message wants a thing of the
// catalogue with the British "after" ("I'm after a new laptop", "after
// a telly, lg oled"): "after a", "after an", opening the message or
// after "I'm", "we're", with a product, a kind or a brand right after
// the article. Not "after a week it stopped", "after a fall", "after
// the update": no thing of the catalogue follows, or not at once.
func (u *understanding) afterAThing() bool {
	w := u.words
	for i := 0; i+2 < len(w); i++ {
		if w[i] != "after" || w[i+1] != "a" && w[i+1] != "an" {
			continue
		}
		if i > 0 && !slices.Contains([]string{"m", "im", "am", "re", "are"}, w[i-1]) {
			continue
		}
		for _, f := range u.facts {
			if f.kind != factProduct && f.kind != factCategory && f.kind != factBrand {
				continue
			}
			if fw := words(f.span); len(fw) > 0 && fw[0] == w[i+2] && thingEnds(u.text, f.span) {
				return true
			}
		}
	}
	return false
}

// thingEnds reports whether the thing named by span in text ends there,
// the object of the want: at the end, before a comma or a full stop, or
// before words that say what it is for or like ("for", "with", "under").
// "after a phone call", "after a tv repair" name another thing.
func thingEnds(text, span string) bool {
	i := strings.Index(text, span)
	if i < 0 {
		return false
	}
	rest := strings.TrimSpace(text[i+len(span):])
	if rest == "" || strings.ContainsAny(rest[:1], ",.;:!-") {
		return true
	}
	next := words(rest)
	return len(next) > 0 && slices.Contains([]string{"for", "with", "under", "around", "about", "that", "which", "please", "pls", "ideally", "preferably", "and", "or", "to"}, next[0])
}

// onlyWanted reports whether the message is a request for a product or
// a kind of product of the catalogue and nothing more: its values are
// products, kinds, brands or a count, and its other words only ask
// ("i need a pixel 8", "voglio il macbook air pls").
func (u *understanding) onlyWanted() bool {
	named := false
	for _, f := range u.facts {
		switch f.kind {
		case factProduct, factCategory, factBrand:
			named = true
		case factNumber, factChoice:
		default:
			return false
		}
	}
	if !named {
		return false
	}
	for _, w := range residue(u.text, u.facts) {
		if !wantWords[w] && !colourWords[w] {
			return false
		}
	}
	return true
}

// colourWords are the colours a thing is wanted in ("the pixel in
// white", "il macbook grigio", "colore nero"): a variant of what is
// asked for, no other matter of the message.
var colourWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`colore colori color colour
		bianco bianca bianchi bianche nero nera neri nere grigio grigia grigi grigie argento oro dorato dorata
		rosso rossa rossi rosse blu azzurro azzurra verde verdi giallo gialla rosa viola celeste
		white black grey gray silver gold golden red blue green yellow pink purple midnight graphite`) {
		m[w] = true
	}
	return m
}()

// wantWords are the words of a bare request for something: its verb, its
// subject, an article, politeness.
var wantWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`voglio vorrei volevo mi serve servirebbe servono ho bisogno ci abbiamo vorremmo
		nuovo nuova nuovi nuove anche pure grazie per favore pls plz cortesia
		i want wanted need d like would we an the new one also please thanks thx`) {
		m[w] = true
	}
	return m
}()

// onlyFit returns the flow that alone has a use for the values of a
// message about a product, whatever the classifier guessed: "con 400
// euro che tv mi posso prendere?" names a kind of product and an amount,
// and only a sale asks for an amount. Every flow counts: an order number
// and its postcode fit the order's status as well as a claim, so they
// choose neither.
func (u *understanding) onlyFit() *Command {
	if !slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factProduct || f.kind == factCategory }) {
		return nil
	}
	return u.fittest(func(*Flow) bool { return true })
}

// fittest returns, of the flows that pass keep, the one the message's
// values fit more than any other, or nil. A number that counts the
// product ("3 pixel 8") tells a flow that asks how many, as an amount
// does.
func (u *understanding) fittest(keep func(*Flow) bool) *Command {
	fitting := func(f *Flow) int {
		n := u.telling(f)
		for _, fa := range u.facts {
			if fa.kind == factNumber && fa.conf >= 0.9 && u.fitsStep(f, fa) {
				n++
			}
		}
		return n
	}
	var best *Intent
	most, tie := 0, false
	for _, in := range u.b.Intents {
		f := u.b.Flows[in.Flow]
		if f == nil || !keep(f) || best != nil && best.Flow == in.Flow {
			continue
		}
		switch n := fitting(f); {
		case n > most:
			best, most, tie = in, n, false
		case n == most && n > 0:
			tie = true
		}
	}
	if best == nil || tie || most == 0 {
		return nil
	}
	return &Command{Kind: CmdStartFlow, Flow: best.Flow, Intent: best.Name, Confidence: max(u.score(best.Name), u.b.Threshold)}
}

// intentCommand is what intent in asks the dialogue to do.
func (b *Bot) intentCommand(in *Intent, conf float64) *Command {
	switch {
	case in.Handoff:
		return &Command{Kind: CmdHuman, Intent: in.Name, Confidence: conf}
	case in.FAQ != "":
		return &Command{Kind: CmdFAQ, Intent: in.Name, FAQ: in.FAQ, Confidence: conf}
	case !in.Reply.IsZero():
		return &Command{Kind: CmdSmallTalk, Intent: in.Name, Confidence: conf}
	case in.Flow != "":
		return &Command{Kind: CmdStartFlow, Intent: in.Name, Flow: in.Flow, Confidence: conf}
	}
	return nil
}

// others turns the values not used yet into commands for the slots of
// the flow they are for: any open slot they fit, in any order; a filled
// one only when the customer corrects it.
func (u *understanding) others(f *Flow, starting bool) {
	if f == nil {
		u.remembered()
		return
	}
	// "non so il modello": the question of the product goes.
	if unknownModelIn(u.said) {
		for _, st := range f.Steps {
			if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && s.Type == SlotProduct && (u.ask == nil || st != u.ask) &&
				!slices.ContainsFunc(u.facts, func(x fact) bool { return x.kind == factProduct }) {
				u.add(Command{Kind: CmdSetSlot, Slot: s.Name, Flow: f.Name, Value: "", Span: u.text, Confidence: 0.8})
			}
		}
	}
	// "no idea when I bought it", "non ricordo quando l'ho preso": the
	// question of the date goes, where the flow can do without it.
	if unknownDateIn(u.said) && !slices.ContainsFunc(u.facts, func(x fact) bool { return x.kind == factDate }) {
		for _, st := range f.Steps {
			if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && s.Type == SlotDate && st.Unknown == UnknownSkip &&
				(u.ask == nil || st != u.ask) && u.in.State.Slots[s.Name] == "" {
				u.add(Command{Kind: CmdSetSlot, Slot: s.Name, Flow: f.Name, Value: "", Span: u.text, Confidence: 0.8})
				break
			}
		}
	}
	// "non ho il numero d'ordine", "I don't have the order number": the
	// question of the slot the customer names goes, where the flow can do
	// without it (and says what it does instead).
	for _, st := range f.Steps {
		if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && st.Unknown == UnknownSkip && (u.ask == nil || st != u.ask) &&
			u.in.State.Slots[s.Name] == "" && u.lacks(s) && !slices.ContainsFunc(u.facts, func(x fact) bool { return u.b.fits(s, x) }) {
			u.add(Command{Kind: CmdSetSlot, Slot: s.Name, Flow: f.Name, Value: "", Span: u.text, Confidence: 0.8})
		}
	}
	// "ne compro una nuova uguale", "the same model": the product the
	// conversation was about, when the message names none; and a claim
	// that interrupts another flow ("voglio restituire l'iphone" - "in
	// realtà è difettoso") is about that flow's product.
	switched := u.flow != nil && f != u.flow && f.checksWarranty()
	// "allora ne voglio comprare uno nuovo", "I'll just get a new one":
	// a sale that names nothing of the catalogue and asks nothing, once
	// the flow about the customer's own product is over (its verdict
	// told), replaces that product. In the middle of that flow ("actually
	// I'd rather buy a new one") the sale asks the model.
	replaces := u.flow == nil && f.sells(u.b) && !u.question && u.said.has(newOnePhrases) &&
		!slices.ContainsFunc(u.facts, func(x fact) bool { return x.kind == factCategory || x.kind == factBrand })
	if starting && (sameOneIn(u.said) || switched || replaces) && !slices.ContainsFunc(u.facts, func(x fact) bool { return x.kind == factProduct }) {
		// "my laptop has the same problem": a category other than the
		// earlier product's says it is another one.
		if p := u.earlierProduct(); p != "" && !slices.ContainsFunc(u.facts, func(x fact) bool {
			return x.kind == factCategory && x.value != u.b.products[p].Category
		}) {
			for _, st := range f.Steps {
				if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && s.Type == SlotProduct {
					u.add(Command{Kind: CmdSetSlot, Slot: s.Name, Flow: f.Name, Value: p, Span: u.text, Confidence: 0.8})
					break
				}
			}
		}
	}
	// "sì, il colore non è quello della foto": the rest of a yes or a no
	// answers the next free question.
	if !starting {
		u.rest(f)
	} else {
		u.leftover(f)
	}
	correction := u.correction
	u.silent(f)
	if starting {
		u.describedDefect(f)
	}
	for _, st := range f.Steps {
		if st.Kind != StepAsk || (u.ask != nil && st == u.ask && !starting) {
			continue
		}
		s := u.b.slotOf(st)
		if s == nil || s.Type == SlotYesNo || s.Type == SlotText {
			continue
		}
		if slices.ContainsFunc(u.cmds, func(c Command) bool { return c.Slot == s.Name }) {
			continue
		}
		i := u.best(s, false)
		if i < 0 {
			continue
		}
		fa := u.facts[i]
		if fa.kind == factDate && fa.future && s.When == "past" {
			continue // asked for later, and explained then
		}
		// A code typed for the question of another code ("98765" when
		// asked for the order number) is that code mistyped, not this
		// one (a postcode), unless the message answered its question.
		// An order number written whole, in the shop's format, is no
		// other code: asked for the proof of an order, "sorry, it's
		// SP-246810" corrects the number.
		// Nor is an e-mail any mistyped code: asked for the order number
		// again after a proof that did not match, "sorry, it's
		// anna@example.com" is the proof anew.
		// Nor is a code the message names by the slot's label ("the
		// postcode is 20129", "il cap è 37121"): the proof anew.
		// Nor, after a lookup that did not match, is a code the pending
		// code cannot be, in a message that says it corrects ("correggo:
		// 37121", "sorry I got it wrong, 20129" asked for the order
		// number again): the proof the lookup emptied, told anew.
		whole := s.Name == u.b.orderSlot && fa.conf >= 1 || strings.Contains(fa.value, "@") || u.labelledBefore(s, fa.span) ||
			correction && u.toldAgain()[s.Name] && u.slot != nil && !slices.ContainsFunc(u.facts, func(x fact) bool { return u.b.fits(u.slot, x) })
		if s.Type == SlotPattern && u.slot != nil && u.slot.Type == SlotPattern && u.slot != s && !starting && !whole &&
			!slices.ContainsFunc(u.cmds, func(c Command) bool { return c.Slot == u.slot.Name }) {
			continue
		}
		// "private. also my pixel 8 won't turn on": a product of another
		// category than the one this flow is about is another matter,
		// not this flow's model; "no wait, it's the macbook" corrects
		// both.
		if s.Type == SlotProduct && !starting && !correction && u.otherCategory(f, fa.value) {
			continue
		}
		old, filled := u.in.State.Slots[s.Name]
		switch {
		case starting || !filled || old == "" || old == fa.value && u.slot != nil && u.slot != s:
			u.used[i] = true
			u.add(Command{Kind: CmdSetSlot, Slot: s.Name, Flow: f.Name, Value: fa.value, Span: fa.span, Confidence: fa.conf})
		case old != fa.value && correction:
			u.used[i] = true
			if s.Type == SlotDefect {
				fa = u.newDefect(fa, old)
			}
			u.add(Command{Kind: CmdCorrectSlot, Slot: s.Name, Flow: f.Name, Value: fa.value, Span: fa.span, Confidence: fa.conf})
		}
	}
	u.countedByArticle(f)
	u.countAfterOne(f)
	u.sameEmail(f)
	if !starting {
		u.correctedAnswer(f)
	}
}

// correctedAnswer corrects the one free answer f holds (the reason of a
// return) with the words after the correction, when nothing else is
// asked (the case is open: "sorry I meant it's too noisy for my flat"
// after "it was a gift"): the message says it corrects, names no other
// value (correctsOther), asks nothing, and asks for nothing else.
func (u *understanding) correctedAnswer(f *Flow) {
	if u.ask != nil || u.in.State.Offer != "" || u.question || !hasCorrectionIn(u.said) && !ownsUpIn(u.said) ||
		slices.ContainsFunc(u.cmds, func(c Command) bool { return c.Kind != CmdSmallTalk && c.Kind != CmdOutOfScope }) ||
		slices.ContainsFunc(u.facts, func(x fact) bool { return u.correctsOther(f, x) }) {
		return
	}
	var slot *Slot
	for _, st := range f.Steps {
		if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && s.Type == SlotText && u.in.State.Slots[s.Name] != "" {
			if slot != nil && slot != s {
				return // two answers: which one is meant?
			}
			slot = s
		}
	}
	if slot == nil {
		return
	}
	// The words after the correction's first words and those that run
	// on from them ("sorry I meant"): "it's the wrong colour" after them
	// is the answer, its "wrong" no correction.
	var hits [][2]int
	for _, p := range []phrases{correctionPhrases, ownUpPhrases} {
		u.said.each(p, func(s, e int) bool { hits = append(hits, [2]int{s, e}); return false })
	}
	slices.SortFunc(hits, func(a, b [2]int) int { return a[0] - b[0] })
	end := 0
	for i, h := range hits {
		if i > 0 && h[0] > end {
			break
		}
		end = max(end, h[1])
	}
	at := u.msg.Start(end)
	if end >= len(u.words) || at < 0 || !slices.Equal(u.msg.Words(), u.words) {
		return
	}
	v := strings.Join(strings.Fields(strings.Trim(u.text[at:], " ,.;:!-")), " ")
	if said := saying(v); countWords(v) < 2 || len([]rune(v)) < max(slot.Min, 2) || thanksAnywayIn(said) || thanksOnlyIn(said) || v == u.in.State.Slots[slot.Name] {
		return
	}
	u.add(Command{Kind: CmdCorrectSlot, Slot: slot.Name, Flow: f.Name, Value: v, Span: u.text[at:], Confidence: 0.8})
}

// correctsOther reports whether x, a value of a message that corrects,
// is what it corrects instead of a free answer of f: a product, a date,
// a number, a contact ("sorry, it came on the 2nd", "no scusa, il pixel
// 8"), or a choice of f that differs from the one held. A symptom, or a
// choice f holds or does not ask ("too noisy for my flat"), is part of
// the answer.
func (u *understanding) correctsOther(f *Flow, x fact) bool {
	switch x.kind {
	case factDefect, factDamage:
		return false
	case factChoice:
		return f.asks(x.slot) && u.in.State.Slots[x.slot] != x.value
	}
	return true
}

// newDefect is the defect a correction tells when it names more than
// one symptom ("I meant it doesn't leak, the grinder makes a loud noise
// and no coffee comes out"): the stretch of the message from the first
// symptom that is not the old one to the last, so the card shows them
// all, not the last alone.
func (u *understanding) newDefect(fa fact, old string) fact {
	start, end := -1, -1
	for _, f := range u.facts {
		if f.kind != factDefect || f.value == old || f.span == "" || u.negated(f) {
			continue
		}
		i := strings.Index(u.text, f.span)
		if i < 0 {
			continue
		}
		if start < 0 || i < start {
			start = i
		}
		end = max(end, i+len(f.span))
	}
	if start < 0 || u.text[start:end] == fa.span {
		return fa
	}
	fa.span = u.text[start:end]
	fa.value = strings.Join(strings.Fields(fa.span), " ")
	return fa
}

// labelledBefore reports whether one of the three words before span in
// the message is a word of s's label in any language ("postcode", "cap"
// of "Proof (e-mail or postcode)", "Verifica (email o CAP)"), words of
// three letters or more.
func (u *understanding) labelledBefore(s *Slot, span string) bool {
	i := strings.Index(u.text, span)
	if span == "" || i < 0 || s.Label.Text == nil {
		return false
	}
	ws := words(u.text[:i])
	ws = ws[max(0, len(ws)-3):]
	for _, label := range s.Label.Text {
		for _, w := range words(label) {
			if len(w) >= 3 && slices.Contains(ws, w) {
				return true
			}
		}
	}
	return false
}

// sameEmail fills the contact question of f with the e-mail the
// conversation holds (the proof of an order: "is SP-123456 here yet?
// anna@example.com") when the message says to use it: "same email is
// fine", "scrivetemi alla stessa mail". E-mails are read without case.
func (u *understanding) sameEmail(f *Flow) {
	if !u.said.has(sameEmailPhrases) || slices.ContainsFunc(u.facts, func(x fact) bool { return x.kind == factEmail || x.kind == factPhone }) {
		return
	}
	mail := ""
	for _, name := range slices.Sorted(maps.Keys(u.in.State.Slots)) {
		if v := u.in.State.Slots[name]; mail == "" && strings.Contains(v, "@") && !strings.ContainsAny(v, " ") {
			mail = strings.ToLower(v)
		}
	}
	if mail == "" {
		return
	}
	for _, st := range f.Steps {
		if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && s.Type == SlotContact && u.in.State.Slots[s.Name] == "" &&
			!slices.ContainsFunc(u.cmds, func(c Command) bool { return c.Slot == s.Name }) {
			u.add(Command{Kind: CmdSetSlot, Slot: s.Name, Flow: f.Name, Value: mail, Span: u.text, Confidence: 0.9})
			return
		}
	}
}

// sameEmailPhrases point to an e-mail given before.
var sameEmailPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" same email ", " same e mail ", " same mail ", " same address ", " the email i gave ", " the email above ", " email from before ", " that email ",
		" stessa email ", " stessa mail ", " stessa e mail ", " stessa mail di prima ", " la mail di prima ", " l email di prima ", " la mail di sopra ", " quella mail ", " quella email ",
		" stesso indirizzo email ", " stesso indirizzo mail "} {
		add(p)
	}
})

// otherCategory reports whether product belongs to a category other
// than the one the flow's category slot holds.
func (u *understanding) otherCategory(f *Flow, product string) bool {
	p := u.b.products[product]
	if p == nil {
		return false
	}
	for _, st := range f.Steps {
		if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && s.Type == SlotCategory {
			if v := u.in.State.Slots[s.Name]; v != "" && v != p.Category {
				return true
			}
		}
	}
	return false
}

// cued returns the flow intent whose cue the message holds, when the
// cues of one flow only are there.
func (u *understanding) cued() *Intent {
	var found *Intent
	cued := u.cuedIn()
	for i, in := range u.b.Intents {
		if in.Flow == "" || !cued[i] {
			continue
		}
		if found != nil && found.Flow != in.Flow {
			return nil
		}
		found = in
	}
	return found
}

// score is the classifier's confidence in intent for the message.
func (u *understanding) score(intent string) float64 {
	for _, s := range u.scores {
		if s.Intent == intent {
			return s.Confidence
		}
	}
	return 0
}

// describedDefect takes the message that starts a claim as its defect
// when it names the product and says more of it than the words of a
// claim, though no phrase of a known defect matched: "il portatile
// all'avvio fa un rumore metallico strano", "my iphone 15 speaker is
// crackling" (two words of its own are a description; "a problem with
// my pixel" is none). The agent reads it as the
// customer wrote it.
func (u *understanding) describedDefect(f *Flow) {
	var slot *Slot
	for _, st := range f.Steps {
		if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && s.Type == SlotDefect {
			slot = s
			break
		}
	}
	if slot == nil || slices.ContainsFunc(u.cmds, func(c Command) bool { return c.Slot == slot.Name }) ||
		slices.ContainsFunc(u.facts, func(x fact) bool { return x.kind == factDefect || x.kind == factDamage }) ||
		!slices.ContainsFunc(u.facts, func(x fact) bool { return x.kind == factProduct || x.kind == factCategory }) {
		return
	}
	// The sentence that names the product tells: "my dyson v8 lost almost
	// all suction. and do you take klarna?" asks its question apart. In a
	// message that corrects itself the product is the last named, as best
	// reads it: "il mio galaxy... no scusa il pixel 8, ha lo schermo con
	// le righe" names the galaxy in a sentence of its own, and the pixel
	// in the one that tells; when that one tells nothing, the first
	// product's may.
	named := func(x fact) bool { return x.kind == factProduct || x.kind == factCategory }
	first := slices.IndexFunc(u.facts, named)
	var texts []string
	for j := len(u.facts) - 1; u.correction && j > first; j-- {
		if named(u.facts[j]) && !u.negated(u.facts[j]) {
			texts = append(texts, sentenceOf(u.text, u.facts[j].span))
			break
		}
	}
	if first >= 0 {
		texts = append(texts, sentenceOf(u.text, u.facts[first].span))
	} else {
		texts = append(texts, u.text)
	}
	// "is it still covered?", "volevo sapere se la garanzia vale...": a
	// question about the warranty, which the bot then asks about.
	// "funziona benissimo!" tells of no defect.
	i := slices.IndexFunc(texts, func(text string) bool {
		return u.ownWords(text) >= 2 && !isQuestion(text) && !asksIndirectly(saying(text)) && !praises(text)
	})
	if i < 0 {
		return
	}
	text := u.withoutPurchase(texts[i])
	v := strings.Join(strings.Fields(text), " ")
	u.add(Command{Kind: CmdSetSlot, Slot: slot.Name, Flow: f.Name, Value: v, Span: text, Confidence: 0.55})
}

// withoutPurchase returns the clauses of a defect's sentence that follow
// the ones telling the purchase (bought, when, for whom): "I bought a
// Dyson V8 from you in January 2025 for my company and the battery now
// lasts 5 minutes" gives "the battery now lasts 5 minutes", which is the
// fault; the purchase is on the case card already. A sentence whose
// purchase is told last, or in the middle, or that tells nothing else,
// stays whole.
func (u *understanding) withoutPurchase(text string) string {
	parts := splitClauses(text)
	bought := func(c clause) bool {
		return tellsPurchase(words(c.text)) || slices.ContainsFunc(u.facts, func(x fact) bool {
			return x.kind == factDate && x.cue != cueSince && strings.Contains(c.text, x.span)
		})
	}
	if len(parts) < 2 || !bought(parts[0]) {
		return text
	}
	n := 1
	for n < len(parts) && bought(parts[n]) {
		n++
	}
	if n == len(parts) || slices.ContainsFunc(parts[n:], bought) {
		return text
	}
	at := strings.LastIndex(text, parts[n].text)
	if at < 0 {
		return text
	}
	rest := strings.TrimSpace(text[at:])
	if u.ownWords(rest) < 2 {
		return text
	}
	return rest
}

// ownWords counts the words of text that say something of their own:
// none of the values read (but a kind of thing the shop does not sell,
// which is part of the product: "la fotocamera" of the pixel), no word
// of any claim ("garanzia", "bought", "grazie"), no little word. Two are
// a description: "il portatile fa un rumore strano", not "a problem with
// my pixel".
func (u *understanding) ownWords(text string) int {
	n := 0
	for _, w := range residue(text, slices.DeleteFunc(slices.Clone(u.facts), func(x fact) bool { return x.kind == factBrand && !x.sold })) {
		if !claimWords[w] && len(w) > 2 {
			n++
		}
	}
	return n
}

// sentenceOf returns the sentence of text that holds span, with its
// closing mark: "hi. my tv is dead." gives "my tv is dead.".
func sentenceOf(text, span string) string {
	i := strings.Index(text, span)
	if i < 0 {
		return text
	}
	// A dot inside a word ("anna.b@example.it") ends no sentence.
	stop := func(j int) bool {
		switch text[j] {
		case '?', '!', '\n':
			return true
		case '.':
			next, _ := utf8.DecodeRuneInString(text[j+1:])
			return !unicode.IsLetter(next) && !unicode.IsDigit(next)
		}
		return false
	}
	start, end := 0, len(text)
	for j := i - 1; j >= 0; j-- {
		if stop(j) {
			start = j + 1
			break
		}
	}
	for j := i + len(span); j < len(text); j++ {
		if stop(j) {
			end = j + 1
			break
		}
	}
	return strings.TrimSpace(text[start:end])
}

// asksIndirectly tells a question put as a statement: "volevo sapere se
// la garanzia vale", "I'd like to know whether it is covered".
func asksIndirectly(s said) bool { return s.has(indirectPhrases) }

var indirectPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" sapere se ", " chiedere se ", " chiedervi se ", " capire se ", " sapere dove ", " sapere quando ", " sapere come ", " sapere quanto ",
		" ditemi se ", " dimmi se ", " mi dite se ", " mi dici se ", " tell me if ", " tell me whether ", " let me know if ",
		" know if ", " know whether ", " ask if ", " ask whether ", " wondering if ", " wondering whether ", " know where ", " know when ", " know how ",
		// "volevo sapere gli orari": the thing to know named outright.
		" volevo sapere ", " vorrei sapere ", " wanted to know ", " like to know "} {
		add(p)
	}
})

// claimWords are the words of a claim that describe no defect: the
// warranty, the purchase, the request, greetings.
var claimWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`garanzia garanzie coperto coperta copre ancora comprato comprata acquistato acquistata preso presa
		ordinato scontrino fattura anni anno mesi mese giorni settimane quanto quanta durata dura vale valida sono avete hai
		vorrei voglio sapere chiedere domanda info informazioni grazie favore salve ciao buongiorno buonasera aiuto
		aiutarmi potete potreste riparazione riparare sostituzione assistenza fare cosa come quando dove perche nuovo nuova
		warranty guarantee covered cover covers still bought purchased ordered receipt invoice years year months month days weeks
		how long much does did have has would like want know ask question please thanks thank hello help repair replace
		replacement support what when where why new can could you your there are this that from got get
		problema problemi guasto difetto difetti voi noi far problem problems issue issues fault defect
		presto subito urgente possibile prima piu vecchio vecchia soon asap possible urgent urgently quickly old
		been`) {
		m[w] = true
	}
	return m
}()

// earlierProduct is the catalogue's product the conversation holds in a
// slot, or "".
func (u *understanding) earlierProduct() string {
	for _, name := range slices.Sorted(maps.Keys(u.in.State.Slots)) {
		if s := u.b.Slots[name]; s != nil && s.Type == SlotProduct && u.b.products[u.in.State.Slots[name]] != nil {
			return u.in.State.Slots[name]
		}
	}
	return ""
}

// sameOneIn tells a message that wants the product it spoke of again:
// "ne compro una nuova uguale", "lo stesso modello", "the same model".
// The same problem, day or colour is not the same product.
func sameOneIn(s said) bool {
	return s.each(samePhrases, func(_, end int) bool { return end == len(s.words) || !notTheProduct[s.words[end]] })
}

var samePhrases = newPhrases(func(add func(string)) {
	for _, w := range []string{" uguale ", " uguali ", " stesso modello ", " stessa ", " lo stesso ", " identico ", " identica ",
		" same ", " identical "} {
		add(w)
	}
})

// notTheProduct are the words after "same" that say what else is the
// same: "lo stesso problema", "the same day".
var notTheProduct = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`problema problemi difetto difetti guasto errore giorno giorni periodo mese anno colore modo
		motivo numero indirizzo ordine prezzo
		problem problems issue issues fault defect error day days time month year colour color way reason number address order price thing`) {
		m[w] = true
	}
	return m
}()

// notSold says so when the customer names a brand or a model the shop
// does not sell and nothing of the catalogue: "avete la playstation 5?",
// "my Panasonic TV".
func (u *understanding) notSold(f *Flow) {
	// Only about what the shop sells: "purple monkey dishwasher" is no
	// question about dishwashers, "do you sell washing machines?" is.
	// Nor is a brand named right after the shop said it does not sell
	// one ("what about a gopro then?" after the drones).
	if f == nil && (asksAvailabilityIn(u.said) || u.in.State.Offer == offerElse) {
		for _, in := range u.b.Intents {
			if fl := u.b.Flows[in.Flow]; fl != nil && !fl.checksWarranty() && fl.asksProduct(u.b) {
				f = fl
				break
			}
		}
	}
	if f == nil {
		if len(u.scores) == 0 || u.scores[0].Confidence < u.b.Threshold*0.75 {
			return
		}
		in := u.b.intents[u.scores[0].Intent]
		if in == nil || in.Flow == "" {
			return
		}
		f = u.b.Flows[in.Flow]
	}
	if !f.asksProduct(u.b) {
		return
	}
	// "il mio samsung s24, preso da voi a gennaio": bought here, whatever
	// the catalogue lists today; the claim goes on with its kind.
	// The model named is none of the list: its question goes, as for a
	// customer who does not know it.
	// A kind of product the shop has no category for ("my dishwasher from
	// you leaks") was not bought here, whatever the customer recalls: the
	// news that it is not sold goes first, as without "from you".
	if f.checksWarranty() && u.said.has(fromUsPhrases) && !slices.ContainsFunc(u.facts, func(o fact) bool { return o.unsoldKind }) {
		for i, fa := range u.facts {
			if u.used[i] || fa.kind != factBrand || fa.sold || slices.ContainsFunc(u.facts, func(o fact) bool { return o.kind == factProduct }) {
				continue
			}
			u.used[i] = true
			for _, st := range f.Steps {
				if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && s.Type == SlotProduct && u.in.State.Slots[st.Slot] == "" {
					u.add(Command{Kind: CmdSetSlot, Slot: s.Name, Flow: f.Name, Value: "", Span: fa.span, Confidence: 0.8})
					break
				}
			}
			// "samsung s24": a Galaxy, so a phone, though not listed.
			if fa.category != "" && !slices.ContainsFunc(u.facts, func(o fact) bool { return o.kind == factCategory }) {
				for _, st := range f.Steps {
					if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && s.Type == SlotCategory && u.in.State.Slots[st.Slot] == "" {
						u.add(Command{Kind: CmdSetSlot, Slot: s.Name, Flow: f.Name, Value: fa.category, Span: fa.span, Confidence: 0.8})
						break
					}
				}
			}
			break
		}
		return
	}
	for i, fa := range u.facts {
		if u.used[i] || fa.kind != factBrand || fa.sold {
			continue
		}
		// "the camera stopped working" of the product the claim holds:
		// a part of it, no kind bought elsewhere.
		if f.checksWarranty() && u.earlierProduct() != "" && !slices.ContainsFunc(words(fa.span), func(w string) bool { return !extract.IsComponent(w) }) {
			continue
		}
		if slices.ContainsFunc(u.facts, func(o fact) bool { return o.kind == factProduct }) {
			return
		}
		u.used[i] = true
		flow := ""
		if f != nil {
			flow = f.Name
		}
		u.add(Command{Kind: CmdNotSold, Value: fa.value, Flow: flow, Span: fa.span, Confidence: fa.conf})
		return
	}
}

// termsNotSold answers the warranty's terms asked of a brand or a kind
// the shop does not sell ("how long is the warranty on my bosch
// fridge?", "quanto dura la garanzia del mio huawei p30?") with the news
// that it is not sold here and the warranty is the seller's, as a claim
// on it is answered: the terms of the catalogue, "for the product", are
// no answer for goods bought elsewhere. The FAQ stays on the command, so
// that a bare name next ("and apple?") asks the same of it. A product of
// the catalogue named beside it, or "bought from you", keeps the terms.
func (u *understanding) termsNotSold() {
	if u.flow != nil || hasKind(u.cmds, CmdNotSold, CmdStartFlow, CmdHuman) || u.said.has(fromUsPhrases) ||
		slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factProduct }) {
		return
	}
	at := slices.IndexFunc(u.cmds, func(c Command) bool { return c.Kind == CmdFAQ && u.b.FAQ[c.FAQ] != nil && u.b.FAQ[c.FAQ].ofThing() })
	if at < 0 {
		return
	}
	var claim *Flow
	for _, in := range u.b.Intents {
		if f := u.b.Flows[in.Flow]; f != nil && f.checksWarranty() && f.asksProduct(u.b) {
			claim = f
			break
		}
	}
	if claim == nil {
		return
	}
	for i, fa := range u.facts {
		if u.used[i] || fa.kind != factBrand || fa.sold {
			continue
		}
		u.used[i] = true
		u.cmds[at] = Command{Kind: CmdNotSold, Value: fa.value, Flow: claim.Name, FAQ: u.cmds[at].FAQ, Span: fa.span, Confidence: fa.conf}
		return
	}
}

// sells reports whether f leads to a sale: it asks how many or how much.
func (f *Flow) sells(b *Bot) bool {
	return slices.ContainsFunc(f.Steps, func(st *Step) bool {
		s := b.slotOf(st)
		return st.Kind == StepAsk && s != nil && (s.Type == SlotNumber || s.Type == SlotMoney)
	})
}

// saleIntent returns the intent that starts the sale of the catalogue's
// products (a flow that sells and asks for a product), or nil.
func (b *Bot) saleIntent() *Intent {
	for _, in := range b.Intents {
		if f := b.Flows[in.Flow]; f != nil && f.sells(b) && f.asksProduct(b) {
			return in
		}
	}
	return nil
}

// asksProduct reports whether f asks for a product or a category.
func (f *Flow) asksProduct(b *Bot) bool {
	return slices.ContainsFunc(f.Steps, func(st *Step) bool {
		s := b.slotOf(st)
		return st.Kind == StepAsk && s != nil && (s.Type == SlotProduct || s.Type == SlotCategory)
	})
}

// asksAvailability reports whether text asks if the shop sells
// something: "vendete anche...", "avete...", "do you sell/have/carry",
// "quanto costa".
func asksAvailability(text string) bool { return asksAvailabilityIn(saying(text)) }

func asksAvailabilityIn(s said) bool { return s.has(availabilityPhrases) }

var availabilityPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{
		" vendete ", " avete ", " trattate ", " ce l avete ", " c e il ", " c e la ", " quanto costa ", " quanto costano ", " prezzo ",
		" do you sell ", " do you have ", " do you carry ", " do you stock ", " have you got ", " how much is ", " how much does ", " price of ",
		" you sell any ", " you got any ", " you guys sell ", " you guys have ", " you guys got ", " you have any ", " you carry any ",
	} {
		add(p)
		// Chat spelling: "do u sell drones", "have ya got any".
		if strings.Contains(p, " you ") {
			add(strings.Replace(p, " you ", " u ", 1))
			add(strings.Replace(p, " you ", " ya ", 1))
		}
	}
})

// unknownModel reports whether text says the customer does not know the
// model: "non so il modello", "I don't know the model", "can't remember
// which one": a phrase of not knowing, and a word for the model a few
// words after it.
func unknownModel(text string) bool { return unknownModelIn(saying(text)) }

func unknownModelIn(s said) bool {
	if s.has(modelUnknownPhrases) {
		return true
	}
	return s.each(notKnowingPhrases, func(_, end int) bool {
		return slices.ContainsFunc(s.words[end:min(len(s.words), end+4)], func(w string) bool { return modelWords[w] })
	})
}

// unknownDateIn reports whether the words say the customer does not
// know a date: a phrase of not knowing, and a word of when a few words
// after it ("no idea when I bought it", "non ricordo la data").
func unknownDateIn(s said) bool {
	return s.each(notKnowingPhrases, func(_, end int) bool {
		return slices.ContainsFunc(s.words[end:min(len(s.words), end+4)], func(w string) bool { return dateWords[w] })
	})
}

// repairUnderway turns the start of a warranty claim into a person of
// its team when the message asks after a repair already given in and
// tells no fault: "ho lasciato il portatile in assistenza dieci giorni
// fa, a che punto siamo?", "my phone has been in for repair since may,
// any update?" ask the state of an open repair, which the agents know; a
// new claim would ask its model and its date again. A fault told ("it's
// dead, when will it come back from repair?") keeps the claim.
func (u *understanding) repairUnderway() {
	if u.flow != nil || hasKind(u.cmds, CmdHuman) || !u.said.has(repairGivenPhrases) || !u.said.has(repairNewsPhrases) || isRequestIn(u.said) ||
		slices.ContainsFunc(u.facts, func(fa fact) bool { return fa.kind == factDefect || fa.kind == factDamage }) {
		return
	}
	// Given in already: a date, or a word of when or of having given it.
	if !slices.ContainsFunc(u.facts, func(fa fact) bool { return fa.kind == factDate }) && !slices.ContainsFunc(u.said.words, func(w string) bool {
		return slices.Contains([]string{"ago", "since", "been", "sent", "brought", "left", "fa", "da", "portato", "portata", "mandato",
			"mandata", "lasciato", "lasciata", "spedito", "spedita"}, w)
	}) {
		return
	}
	i := slices.IndexFunc(u.cmds, func(c Command) bool {
		return c.Kind == CmdStartFlow && u.b.Flows[c.Flow] != nil && u.b.Flows[c.Flow].checksWarranty()
	})
	if i < 0 {
		return
	}
	c := u.cmds[i]
	u.cmds[i] = Command{Kind: CmdHuman, Intent: c.Intent, Flow: c.Flow, Confidence: c.Confidence}
}

// repairGivenPhrases tell a product given in for repair, the repair
// open: "l'ho portato in riparazione", "in assistenza da", "sent it for
// repair" (a question that asks to bring it, "can I send it for repair?",
// is a request, which repairUnderway leaves).
var repairGivenPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" in riparazione ", " in assistenza ", " for repair ", " being repaired ", " at the repair centre ",
		" at the repair center "} {
		add(p)
	}
})

// repairNewsPhrases ask for news of something under way.
var repairNewsPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" novita ", " notizie ", " a che punto ", " aggiornamenti ", " news ", " update ", " updates ", " status ",
		" any word ", " how long "} {
		add(p)
	}
})

// withoutWhatIsLacked turns the start of a flow into a person for it
// when the message says the customer has not got a value the flow cannot
// go on without ("dov'è il mio pacco? non ho il numero d'ordine": the
// step offers a person when the value is not known): asking for it first
// would only be a question the customer already answered. The person
// gets the flow's team and what the message told on the case card.
func (u *understanding) withoutWhatIsLacked(intent *Command) {
	if intent == nil || intent.Kind != CmdStartFlow || hasKind(u.cmds, CmdHuman) {
		return
	}
	f := u.b.Flows[intent.Flow]
	if f == nil || f == u.flow {
		return
	}
	for _, st := range f.Steps {
		s := u.b.slotOf(st)
		// Only an identifier (a pattern: an order number, a serial) is a
		// thing one has or has not got; "non ho un budget" declines.
		if st.Kind != StepAsk || s == nil || s.Type != SlotPattern || st.Optional || st.Unknown == UnknownSkip || u.in.State.Slots[s.Name] != "" ||
			!u.lacks(s) || slices.ContainsFunc(u.facts, func(x fact) bool { return u.b.fits(s, x) }) {
			continue
		}
		i := slices.IndexFunc(u.cmds, func(c Command) bool { return c.Kind == CmdStartFlow && c.Flow == f.Name })
		if i < 0 {
			return
		}
		u.cmds[i] = Command{Kind: CmdHuman, Intent: intent.Intent, Flow: f.Name, Confidence: intent.Confidence}
		return
	}
}

// lacks reports whether the words say the customer has not got, or does
// not know, the value of slot s, named by its label a few words after
// ("non ho più il numero d'ordine", "I don't have my order number").
func (u *understanding) lacks(s *Slot) bool {
	// Most messages say neither: the label's words are cut only for one
	// that does.
	if !u.said.has(notKnowingPhrases) && !u.said.has(notMindingPhrases) {
		return false
	}
	var named [][]string
	for _, l := range s.Label.Text {
		var w []string
		for _, x := range words(l) {
			if len([]rune(x)) > 2 {
				w = append(w, x)
			}
		}
		if len(w) > 0 {
			named = append(named, w)
		}
	}
	if len(named) == 0 {
		return false
	}
	near := func(_, end int) bool {
		after := u.said.words[end:min(len(u.said.words), end+6)]
		return slices.ContainsFunc(named, func(w []string) bool {
			return !slices.ContainsFunc(w, func(x string) bool { return !slices.Contains(after, x) })
		})
	}
	return u.said.each(notKnowingPhrases, near) || u.said.each(notMindingPhrases, near)
}

// dateWords name a date, or ask when.
var dateWords = map[string]bool{
	"quando": true, "data": true, "giorno": true, "mese": true,
	"when": true, "date": true, "day": true, "month": true,
}

var modelUnknownPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" modello non lo so ", " il modello non lo ricordo ", " il modello non me lo ricordo "} {
		add(p)
	}
})

// notKnowing are the phrases of a customer who does not know or recall
// something.
var notKnowing = []string{
	" non so ", " non ricordo ", " non mi ricordo ", " non conosco ", " non sono sicuro ", " non sono sicura ", " boh ",
	" don t know ", " dont know ", " do not know ", " don t remember ", " dont remember ", " can t remember ", " cant remember ",
	" cannot remember ", " not sure ", " no idea ", " forgot ", " forget ", " idk ", " dunno ", " no clue ", " not a clue ",
	" non lo so ", " chissa ", " mah ", " haven t a clue ", " havent a clue ", " non ne ho idea ", " non ne ho la minima idea ",
	" nn so ", " nn lo so ", " non me lo ricordo ",
}

// notHaving are the phrases of a customer who has not got what was
// asked, or cannot find it: they decline the question as not knowing it
// does.
var notHaving = []string{
	" non ce l ho ", " non ce lo ho ", " i don t have it ", " i dont have it ", " i haven t got it ", " i havent got it ",
	// So does not finding it: "il numero non lo trovo", "can't find it".
	" non lo trovo ", " non la trovo ", " non riesco a trovarlo ", " non riesco a trovarla ", " non lo trovo piu ",
	" can t find it ", " cant find it ", " cannot find it ", " couldn t find it ", " couldnt find it ",
	// And for a company or a family: "non ce l'abbiamo", "we don't have one".
	" non ce l abbiamo ", " non ce lo abbiamo ", " non l abbiamo ", " we don t have it ", " we dont have it ",
	" we don t have one ", " we dont have one ", " i don t have one ", " i dont have one ",
}

var notKnowingPhrases = newPhrases(func(add func(string)) {
	for _, p := range append(slices.Clone(notKnowing), notHaving...) {
		add(p)
	}
})

var notHavingPhrases = newPhrases(func(add func(string)) {
	for _, p := range notHaving {
		add(p)
	}
})

// restatesSkip reports whether the message, at a free question, only
// says again that the customer has not got what the flow asked before
// and went on without ("non ce l'ho proprio, ho cancellato la mail" after
// the order number was skipped): no answer to the question, which is
// asked again.
func (u *understanding) restatesSkip() bool {
	if !u.said.has(notHavingPhrases) || u.flow == nil {
		return false
	}
	for _, st := range u.flow.Steps {
		if v, ok := u.in.State.Slots[st.Slot]; st.Kind == StepAsk && st.Slot != u.slot.Name && ok && v == "" {
			return true
		}
	}
	return false
}

// modelWords name the model, or ask which one it is; not knowing the
// brand ("non so di che marca è") is not knowing the model either.
var modelWords = map[string]bool{
	"modello": true, "quale": true, "nome": true, "sigla": true, "marca": true,
	"model": true, "which": true, "name": true, "brand": true,
}

// leftover gives a free question of a flow that starts (the reason of a
// return) the clause of the opening message that says something else
// than the request and its values: "vorrei restituire il dyson, è
// troppo rumoroso" gives "è troppo rumoroso".
func (u *understanding) leftover(f *Flow) {
	var slot *Slot
	for _, st := range f.Steps {
		if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && s.Type == SlotText {
			slot = s
			break
		}
	}
	if slot == nil {
		return
	}
	type piece struct {
		text     string
		question bool // its clause ends with "?"
		because  bool // it follows "perché", "because": a reason, whatever its words
		but      bool // it follows "ma", "but": the complaint, over what came before
	}
	var parts []piece
	for rest := u.text; rest != ""; {
		i := clauseMarkIn(rest)
		p, mark := rest, ""
		if i >= 0 {
			p, mark, rest = rest[:i], rest[i:i+1], rest[i+1:]
		} else {
			rest = ""
		}
		// "arrivato ieri ma il colore non mi piace": what follows "but"
		// is the complaint, and what follows "because" the reason.
		for j, w := range splitWords(p, []string{" ma ", " but ", " però ", " pero "}) {
			for k, r := range splitWords(w, becauseWords) {
				// "came on the 2nd of june and I don't need it anymore": after
				// the values of the request, "and" joins what is wrong. After
				// a request ("I'd like to return it and get my money back")
				// it joins more of the request.
				and := splitWords(r, []string{" e ", " and "})
				if len(and) == 2 && u.holdsValue(and[0]) && !u.asksIn(and[0]) {
					parts = append(parts, piece{and[0], mark == "?", k > 0, j > 0}, piece{and[1], mark == "?", k > 0, j > 0})
					continue
				}
				parts = append(parts, piece{r, mark == "?", k > 0, j > 0})
			}
		}
	}
	// The first clause that tells what is wrong or why ("ah sì, l'ho
	// trovato dal portiere. però è troppo piccolo, vorrei renderlo": too
	// small) is the reason; else the first that says something else,
	// and over it the first after "but" ("the laptop is fine but I found
	// it cheaper elsewhere": what came before "but" is no complaint).
	first, why, afterBut := "", false, false
	for _, pc := range parts {
		part := strings.TrimSpace(pc.text)
		// A part that holds a value of the flow gives that value ("consegnato
		// 5 giorni fa"); a defect is a reason where the flow asks none ("è
		// troppo rumoroso" for a return). What follows the value may still
		// say why ("il dyson che mi è arrivato giovedì fa troppo rumore").
		var held []fact
		for _, fa := range u.facts {
			if !describes(fa.kind) && fa.span != "" && (strings.Contains(part, fa.span) || overlaps(u.text, part, fa.span)) && u.fitsStep(f, fa) {
				held = append(held, fa)
			}
		}
		candidates := []string{part}
		if len(held) > 0 {
			candidates = u.afterValues(pc.text, held)
		}
		for _, part := range candidates {
			if n := countWords(part); n < 2 || n == 2 && !saysWhatIsWrong(part) {
				continue
			}
			// "e i resi?" asks about returns: a question is no reason, even
			// one without a question word; after "because", only a question
			// is ("perché mi serve più grande" tells). "no wait, I got it
			// wrong" corrects.
			if pc.question || !pc.because && u.asksIn(part) || pc.because && isQuestion(part) || ownsUpIn(saying(part)) && len(residue(part, nil)) <= 4 || pointsBack(part) {
				continue // the request itself, a question or small talk, not a reason
			}
			if said := saying(part); pc.because || saysWhatIsWrong(part) || said.has(returnReasonPhrases) || said.has(unwantedPhrases) {
				first, why = part, true
				break
			}
			if first == "" || pc.but && !afterBut {
				first, afterBut = part, pc.but
			}
		}
		if why {
			break
		}
	}
	if first != "" {
		u.add(Command{Kind: CmdSetSlot, Slot: slot.Name, Flow: f.Name, Value: first, Span: first, Confidence: 0.6})
	}
}

// clauseMarkIn returns where the first mark that ends a clause of s is,
// or -1: a comma, a full stop, a semicolon, a question or an exclamation
// mark, a bracket; not a dot inside a word ("beatrice.sala@example.it",
// "3.5").
func clauseMarkIn(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', ';', '!', '?', '(', ')':
			return i
		case '.':
			if i == 0 || i+1 == len(s) || !isLetterByte(s[i-1]) && !isDigitByte(s[i-1]) || !isLetterByte(s[i+1]) && !isDigitByte(s[i+1]) {
				return i
			}
		}
	}
	return -1
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// afterValues returns the texts that follow the values held in a part
// of a message, each up to the next value: what may say why after
// them. A part cut at a mark holds its reason after its last value
// ("consegnato ieri, è troppo rumoroso"); a customer who writes without
// marks tells it between two ("consegnato 5 giorni fa è troppo rumoroso
// ordine SP-418263"), and the words that name the next value ("ordine")
// are its, not the reason's.
func (u *understanding) afterValues(text string, held []fact) []string {
	type span struct{ start, end int }
	var at []span
	for _, fa := range held {
		if i := strings.Index(text, fa.span); i >= 0 {
			at = append(at, span{i, i + len(fa.span)})
		}
	}
	if len(at) == 0 {
		return nil
	}
	slices.SortFunc(at, func(a, b span) int { return a.start - b.start })
	var out []string
	// Without marks, the reason may come before the values and the
	// request ("è troppo grande per il soggiorno vorrei restituirla
	// ordine SP-..."): the words before the first value, up to the
	// request's wish, when they tell what is wrong.
	if u.marked {
		head := trimValueName(strings.TrimSpace(text[:at[0].start]))
		if w := strings.Fields(head); len(w) > 0 {
			if i := slices.IndexFunc(w, func(x string) bool { return wishWords[strings.ToLower(x)] }); i >= 0 {
				// "... lo vorrei rendere", "... and i want to": the words
				// that lead into the wish are its.
				for i > 0 && wishLeads[strings.ToLower(w[i-1])] {
					i--
				}
				head = strings.Join(w[:i], " ")
			}
			if countWords(head) >= 2 && (u.defectIn(head) || saysWhatIsWrong(head)) {
				out = append(out, head)
			}
		}
	}
	for k, sp := range at {
		end := len(text)
		if k+1 < len(at) {
			if u.marked {
				end = max(at[k+1].start, sp.end)
			} else {
				continue // the last value's tail only, as written
			}
		}
		tail := strings.TrimSpace(text[sp.end:end])
		if k+1 < len(at) {
			tail = trimValueName(tail)
		}
		// "SP-583072 please wrong colour": the please is the request's.
		for _, p := range []string{"please ", "pls ", "per favore ", "per piacere "} {
			tail = strings.TrimPrefix(tail, p)
		}
		// Between two values, a defect is the reason ("è troppo
		// rumoroso"); after the last, as written, words of their own, or
		// a defect in a message written without marks ("consegnata 3
		// giorni fa è troppo rumorosa per casa mia": with its comma, the
		// clause would be read alone).
		if k+1 < len(at) && len(residue(tail, held)) >= 2 || len(residue(tail, u.facts)) >= 2 || u.marked && u.defectIn(tail) {
			out = append(out, tail)
		}
	}
	return out
}

// wishWords begin a request: "vorrei restituirla", "I want to send it
// back".
var wishWords = map[string]bool{"vorrei": true, "voglio": true, "volevo": true, "vorremmo": true, "vogliamo": true,
	"devo": true, "want": true, "wanna": true, "would": true, "i'd": true, "id": true, "need": true, "please": true}

// wishLeads stand before a wish and lead into it: a subject, a clitic,
// a conjunction.
var wishLeads = map[string]bool{"i": true, "we": true, "so": true, "and": true, "but": true, "really": true, "just": true,
	"io": true, "noi": true, "lo": true, "la": true, "li": true, "le": true, "ne": true, "e": true, "ma": true, "quindi": true, "allora": true}

// defectIn reports whether text holds a defect the message tells.
func (u *understanding) defectIn(text string) bool {
	return slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factDefect && f.span != "" && strings.Contains(text, f.span) })
}

// valueNames name the value they stand before: "ordine SP-...",
// "email ...", "cap 20121".
var valueNames = map[string]bool{
	"ordine": true, "order": true, "email": true, "mail": true, "e": true, "cap": true, "postcode": true, "numero": true,
	"number": true, "n": true, "nr": true, "no": true, "my": true, "la": true, "il": true, "mia": true, "mio": true, "is": true,
	"l": true, "the": true, "dell": true, "dello": true, "della": true, "del": true, "of": true, "di": true,
}

// trimValueName cuts from the end of s the words that name the value
// after it.
func trimValueName(s string) string {
	for {
		i := strings.LastIndexAny(s, " '")
		if i < 0 || !valueNames[strings.ToLower(s[i+1:])] {
			return s
		}
		s = strings.TrimRight(s[:i], " '")
	}
}

// pointsBack reports whether a clause only points to the order the
// conversation is about ("sempre quell'ordine", "same order as
// before"): it tells no reason and asks for no flow of its own.
func pointsBack(part string) bool {
	s := saying(part)
	if !s.has(sameOrderPhrases) {
		return false
	}
	for _, w := range s.words {
		if !pointBackWords[w] {
			return false
		}
	}
	return true
}

var sameOrderPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" quell ordine ", " quello stesso ordine ", " stesso ordine ", " lo stesso ordine ", " ordine di prima ", " stesso numero ",
		" same order ", " that order ", " that same order ", " the order above ", " same one ", " order from before ", " same number "} {
		add(p)
	}
})

// pointBackWords are the words of a clause that points to the order
// held: the phrases' own and what goes with them.
var pointBackWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`sempre proprio ancora anche e lo la il li quell quello stesso stessa ordine numero di prima sopra per
		always still also and the that this same order number one as before above from for it s is`) {
		m[w] = true
	}
	return m
}()

// ownsUpIn reports whether the words own up to a mistake of the
// customer's: "no aspetta, ho sbagliato", "sorry, typo". Unlike
// hasCorrectionIn, "wrong" alone is no such word: "wrong colour" is
// what is wrong with the product.
func ownsUpIn(s said) bool { return s.has(ownUpPhrases) }

var ownUpPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" ho sbagliato ", " mi sono sbagliato ", " mi sono sbagliata ", " ho scritto male ", " no aspetta ", " aspetta no ", " volevo dire ", " intendevo ", " errore mio ",
		" my mistake ", " my bad ", " i got it wrong ", " no wait ", " wait no ", " typo ", " i meant ", " i mean ", " oops ", " sorry i ", " scusa ho "} {
		add(p)
	}
})

// becauseWords open the reason of what precedes them.
var becauseWords = []string{" perché ", " perche ", " perchè ", " poiché ", " siccome ", " dato che ", " visto che ", " because ", " cause ", " since "}

// holdsValue reports whether part holds a value of the message that
// describes nothing (a date, an order number, an amount).
func (u *understanding) holdsValue(part string) bool {
	return slices.ContainsFunc(u.facts, func(fa fact) bool {
		return !describes(fa.kind) && fa.span != "" && strings.Contains(part, fa.span)
	})
}

// fitsStep reports whether fa fits a question of f.
func (u *understanding) fitsStep(f *Flow, fa fact) bool {
	for _, st := range f.Steps {
		if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && u.b.fits(s, fa) {
			return true
		}
	}
	return false
}

// asksIn reports whether part of the message asks for something rather
// than tells: a request ("vorrei", "I'd like to send it back"), a cue of
// an intent, a question, or small talk. What a flow's intent merely
// resembles ("ho cambiato idea", "it doesn't fit on my desk") tells.
func (u *understanding) asksIn(part string) bool {
	// "non mi serve più", "quello che mi serve" tell: no "mi serve" request.
	all := u.wordsOf(part)
	w, s := withoutNeedless(all), said{}
	if len(w) == len(all) {
		s = u.sayingOf(part)
	} else {
		s = sayWords(w)
	}
	if isRequestIn(s) || isQuestionOf(part, all) {
		return true
	}
	if slices.Contains(u.b.cuedIntents(w), true) {
		return true
	}
	// Sure small talk ("grazie mille a tutti") is no reason; a guess at
	// it ("non mi serve più" as a complaint) may be.
	scores := u.classify(part)
	top := u.b.confident(scores)
	return top != nil && top.Flow == "" && (top.Reply.IsZero() || scores[0].Confidence >= 0.75)
}

// withoutNeedless returns w without the words "non mi serve" and "che mi serve", as
// replacing " non mi serve " by " " in the words joined between spaces,
// and then " che mi serve ", did.
func withoutNeedless(w []string) []string {
	return withoutMiServe(withoutMiServe(w, "non"), "che")
}

// withoutMiServe returns w without the words "first mi serve", as one
// ReplaceAll in the joined words did: an occurrence right after another
// keeps its words, whose space the first took.
func withoutMiServe(w []string, first string) []string {
	var out []string
	for i, after := 0, -1; i < len(w); i++ {
		if i+3 <= len(w) && w[i] == first && w[i+1] == "mi" && w[i+2] == "serve" && i != after {
			if out == nil {
				out = w[:i:i]
			}
			i += 2
			after = i + 1
			continue
		}
		if out != nil {
			out = append(out, w[i])
		}
	}
	if out == nil {
		return w
	}
	return out
}

// rest gives what follows a leading yes or no to the next question of f
// that takes free text, when every question before it is answered.
func (u *understanding) rest(f *Flow) {
	if s, rest := u.restSlot(f); s != "" {
		u.add(Command{Kind: CmdSetSlot, Slot: s, Flow: f.Name, Value: rest, Span: rest, Confidence: 0.8})
	}
}

// restSlot returns the free question of f the rest of a leading yes or
// no answers, and that rest.
func (u *understanding) restSlot(f *Flow) (string, string) {
	if f == nil || u.slot == nil || u.slot.Type != SlotYesNo {
		return "", ""
	}
	if _, yn := u.yesNo(); !yn {
		return "", ""
	}
	i := strings.IndexAny(u.text, ",.;!?")
	if i < 0 || countWords(u.text[i+1:]) < 2 {
		return "", ""
	}
	rest := strings.TrimSpace(u.text[i+1:])
	if isQuestion(rest) {
		return "", "" // "sì, ma serve la scatola?" asks: a question is no reason
	}
	past := false
	for _, st := range f.Steps {
		if st == u.ask {
			past = true
			continue
		}
		// A flow may ask the same question at two places (the returns'
		// "start a return?" before and after the date): both are this one.
		if !past || st.Kind != StepAsk || st.Slot == u.ask.Slot {
			continue
		}
		s := u.b.slotOf(st)
		if s.Type.free() {
			if u.in.State.Slots[st.Slot] == "" {
				if rest = u.pastValuesFor(f, rest); countWords(rest) >= 2 {
					return s.Name, rest
				}
			}
			return "", ""
		}
		// "yes, order SP-300113, I changed my mind": a question before it
		// that the rest answers is no open one.
		if _, ok := u.in.State.Slots[st.Slot]; !ok && !slices.ContainsFunc(u.facts, func(fa fact) bool {
			return fa.span != "" && strings.Contains(rest, fa.span) && u.b.fits(s, fa)
		}) {
			return "", "" // a question before it is open
		}
	}
	return "", ""
}

// pastValuesFor returns text without its clauses, first or last, that
// are only values for f ("order SP-300113, I changed my mind" and "I
// changed my mind, order SP-300113" give "I changed my mind").
func (u *understanding) pastValuesFor(f *Flow, text string) string {
	for {
		i := strings.IndexAny(text, ",.;")
		if i < 0 || !u.onlyValuesFor(f, text[:i]) {
			break
		}
		text = strings.TrimSpace(text[i+1:])
	}
	for {
		i := strings.LastIndexAny(text, ",.;")
		if i < 0 || !u.onlyValuesFor(f, text[i+1:]) {
			return text
		}
		text = strings.TrimSpace(text[:i])
	}
}

// silent fills the slots a flow's actions read but never ask (an
// accidental damage for warranty_check), and takes a statement of damage
// as the description of the problem: "I dropped it and the glass
// cracked" needs no "describe the problem".
func (u *understanding) silent(f *Flow) {
	for _, st := range f.Steps {
		if st.Kind != StepAction {
			continue
		}
		for arg, def := range actionArgs[st.Action] {
			name := def
			if w, ok := st.With[arg]; ok {
				name = w
			}
			s := u.b.Slots[name]
			if s == nil || s.Type != SlotDamage || f.asks(name) {
				continue
			}
			i := u.best(s, false)
			if i < 0 && u.in.State.Slots[name] != "" && u.b.deniesDamage(u.msg, u.in.Lang, u.in.Now) {
				// "no wait, it didn't fall, it just stopped working": the
				// damage the verdict was taken from is taken back, and the
				// claim goes on as one of a fault.
				u.add(Command{Kind: CmdCorrectSlot, Slot: name, Flow: f.Name, Value: "", Span: u.text, Confidence: 0.9})
			}
			if i >= 0 {
				fa := u.facts[i]
				u.add(Command{Kind: CmdSetSlot, Slot: name, Flow: f.Name, Value: fa.value, Span: fa.span, Confidence: fa.conf})
				for _, ask := range f.Steps {
					if d := u.b.Slots[ask.Slot]; ask.Kind == StepAsk && d != nil && d.Type == SlotDefect && u.in.State.Slots[ask.Slot] == "" &&
						!slices.ContainsFunc(u.facts, func(x fact) bool { return x.kind == factDefect }) {
						u.add(Command{Kind: CmdSetSlot, Slot: ask.Slot, Flow: f.Name, Value: fa.span, Span: fa.span, Confidence: fa.conf})
					}
				}
			}
		}
	}
}

// asks reports whether f has a question for slot.
func (f *Flow) asks(slot string) bool {
	return slices.ContainsFunc(f.Steps, func(st *Step) bool { return st.Kind == StepAsk && st.Slot == slot })
}

// aside keeps a product of the catalogue the message names when the flow
// has no question for it ("voglio restituire l'iphone"), so that a claim
// that follows in the conversation knows which one.
func (u *understanding) aside(f *Flow) {
	if f == nil || f.asksProduct(u.b) {
		return
	}
	for i, fa := range u.facts {
		if fa.kind != factProduct || u.used[i] {
			continue
		}
		for _, name := range u.b.slotNames() {
			if s := u.b.Slots[name]; s.Type == SlotProduct && u.in.State.Slots[name] == "" {
				u.used[i] = true
				u.add(Command{Kind: CmdSetSlot, Slot: name, Value: fa.value, Span: fa.span, Confidence: fa.conf})
				return
			}
		}
	}
}

// remembered keeps, outside any flow, the values of slots the
// conversation remembers (who the customer is, how to reach them), so a
// flow started later does not ask for them. So is a date told with its
// slot's own cue ("l'ho comprata il 10 gennaio", "delivered on Monday"),
// for the flow that starts next: it says what it dates.
func (u *understanding) remembered() {
	for _, name := range u.b.slotNames() {
		s := u.b.Slots[name]
		if !s.Remember && !(s.Type == SlotDate && s.Cue != "") {
			continue
		}
		if !s.Remember && !slices.ContainsFunc(u.facts, func(f fact) bool { return f.kind == factDate && f.cue == s.Cue }) {
			continue
		}
		if i := u.best(s, false); i >= 0 {
			if !s.Remember && u.facts[i].cue != s.Cue {
				continue
			}
			fa := u.facts[i]
			if s.Remember && fa.kind == factChoice && u.question && u.forAKind(fa) {
				// "quanto dura la garanzia per le aziende?" asks the
				// terms of a kind of buyer; it says not the customer is one.
				continue
			}
			u.used[i] = true
			u.add(Command{Kind: CmdSetSlot, Slot: s.Name, Value: fa.value, Span: fa.span, Confidence: fa.conf})
		}
	}
}

// forAKind reports whether f is told as the kind a term is for, not as
// who the customer is: "per le aziende", "for businesses", "alle
// aziende"; not "per la mia azienda", "siamo un ristorante".
func (u *understanding) forAKind(f fact) bool {
	i := strings.Index(u.text, f.span)
	if f.span == "" || i < 0 {
		return false
	}
	before := words(u.text[:i])
	for k := len(before) - 1; k >= max(len(before)-2, 0); k-- {
		switch before[k] {
		case "mia", "mio", "nostra", "nostro", "my", "our":
			return false
		case "per", "for", "alle", "agli", "ai", "to":
			return true
		}
	}
	return false
}

// unknownButton prefixes the Value of the out-of-scope command of a
// button the bot does not know.
const unknownButton = "button "

// payloadCommands reads a pressed button.
func (b *Bot) payloadCommands(in Input) []Command {
	p := in.Payload
	switch {
	case p == PayloadHuman || p == PayloadDocHuman:
		return []Command{{Kind: CmdHuman, Confidence: 1}}
	case p == PayloadNoHuman:
		return []Command{{Kind: CmdDeny, Value: offerHuman, Confidence: 1}}
	case (p == PayloadHelped || p == PayloadNotHelped) && in.State.Offer == offerFeedback:
		if p == PayloadHelped {
			return []Command{{Kind: CmdAffirm, Value: offerFeedback, Confidence: 1}}
		}
		return []Command{{Kind: CmdDeny, Value: offerFeedback, Confidence: 1}}
	case (p == PayloadResume || p == PayloadNoResume) && in.State.Offer == offerResume:
		if p == PayloadResume {
			return []Command{{Kind: CmdAffirm, Value: offerResume, Confidence: 1}}
		}
		return []Command{{Kind: CmdDeny, Value: offerResume, Confidence: 1}}
	case strings.HasPrefix(p, payloadIntent):
		in := b.intents[p[len(payloadIntent):]]
		if in == nil || in.Name == "oos" {
			break
		}
		if c := b.intentCommand(in, 1); c != nil {
			return []Command{*c}
		}
	case strings.HasPrefix(p, payloadSlot):
		// Only a button of the pending question answers it: a button of
		// an earlier reply is stale.
		slot, value, _ := strings.Cut(p[len(payloadSlot):], ":")
		if slot != in.State.Slot {
			break
		}
		if value == skipValue {
			return []Command{{Kind: CmdSkip, Slot: slot, Flow: in.State.Flow, Confidence: 1}}
		}
		if b.valid(slot, value) && value != "" {
			return []Command{{Kind: CmdSetSlot, Slot: slot, Flow: in.State.Flow, Value: value, Span: "button", Confidence: 1}}
		}
	}
	return []Command{{Kind: CmdOutOfScope, Value: unknownButton + p}}
}

// confident returns the best intent when the classifier is sure enough.
func (b *Bot) confident(scores []nlu.Scored) *Intent {
	if len(scores) == 0 || scores[0].Confidence < b.Threshold {
		return nil
	}
	return b.intents[scores[0].Intent]
}

// ambiguous reports whether the two best intents are too close to choose:
// both plausible, doing different things, each with a label to ask with.
func (b *Bot) ambiguous(scores []nlu.Scored) bool {
	if len(scores) < 2 || scores[0].Confidence-scores[1].Confidence >= b.Margin ||
		scores[1].Confidence < b.Threshold/2 {
		return false
	}
	x, y := b.intents[scores[0].Intent], b.intents[scores[1].Intent]
	if x == nil || y == nil || !x.Reply.IsZero() || !y.Reply.IsZero() {
		return false // small talk is never worth a clarifying question
	}
	return x.Flow != y.Flow || x.FAQ != y.FAQ || x.Handoff != y.Handoff
}

// leadingYesNo reads a yes or a no that opens the message ("sì, il colore
// non è quello della foto") or is the whole of a short one.
func leadingYesNo(text, lang string) (yes, ok bool) { return leadingYesNoOf(text, words(text), lang) }

// leadingYesNoOf is leadingYesNo of text whose words are w.
func leadingYesNoOf(text string, w []string, lang string) (yes, ok bool) {
	if len(w) == 0 {
		// "👍" says yes, "👎" no.
		t := strings.TrimSpace(text)
		for _, e := range []string{"👍", "👌", "✅", "🙏"} {
			if strings.HasPrefix(t, e) {
				return true, true
			}
		}
		for _, e := range []string{"👎", "❌", "🚫"} {
			if strings.HasPrefix(t, e) {
				return false, true
			}
		}
		return false, false
	}
	// Italian "si" is also a pronoun: "si chiama", "si è rotto", "si
	// accende" are no yes. It is one alone, before a pause, or with the
	// words that go with a yes.
	// Nor is it one before a question ("si quanto costerebbe": the
	// question is the yes's), nor written "sì", with its accent.
	if w[0] == "si" && len(w) > 1 && !siYes[w[1]] && !siAsks[w[1]] && !yesAfterSi(w[1:], lang) && !imperativeWithPronoun(w[1]) && !accentedSi(text) {
		if r := []rune(strings.TrimSpace(text)); len(r) < 3 || !strings.ContainsRune(",.;!", r[2]) {
			return false, false
		}
	}
	head := text
	if len(w) > 4 {
		// Only the first clause counts in a long message.
		if i := strings.IndexAny(text, ",.;!?"); i > 0 {
			head = text[:i]
			if _, first := extract.YesNo(w[0], lang); text[i] == '?' && countWords(head) > 3 && !first {
				// "ma il dyson ha la garanzia estesa giusto?" asks; its
				// "giusto" answers nothing. "yes how long does the repair
				// take?" opens with its answer.
				return false, false
			}
		} else {
			head = strings.Join(w[:2], " ")
			if _, ok := extract.YesNo(head, lang); !ok {
				return extract.OpeningYesNo(w) // "i don't think so thanks"
			}
		}
	}
	yes, ok = extract.YesNo(head, lang)
	if ok && !yes && head != text {
		// "I'm ok, let's start": a "fine by me" that goes on to agree
		// after the pause agrees.
		if y, o := extract.OpeningYesNo(w); o && y {
			return true, true
		}
	}
	return yes, ok
}

// siAsks are the question words an opening "si" may stand before as a
// yes only: the pronoun goes with a verb ("si accende").
var siAsks = map[string]bool{"quanto": true, "quanti": true, "quanta": true, "quante": true, "quando": true, "dove": true,
	"quale": true, "quali": true, "come": true, "cosa": true, "perche": true}

// accentedSi reports whether text opens with "sì" written with its
// accent ("sì quanto verrebbe"), which no pronoun is.
func accentedSi(text string) bool {
	t := strings.TrimSpace(text)
	if !strings.HasPrefix(t, "sì") && !strings.HasPrefix(t, "Sì") && !strings.HasPrefix(t, "SÌ") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t[len("sì"):])
	return !unicode.IsLetter(r)
}

// yesAfterSi reports whether the words after an opening "si" open with a
// yes of their own ("si procedi pure", "si volentieri", "si vai"), which
// the pronoun never meets ("si chiama", "si blocca").
func yesAfterSi(w []string, lang string) bool {
	yes, ok := extract.YesNo(strings.Join(w[:min(len(w), 2)], " "), lang)
	return yes && ok
}

// imperativeWithPronoun reports whether w is an Italian imperative with
// a pronoun joined to it ("avvialo", "aprila", "mandami", "spediteli",
// "fatemelo"): after "si" it says yes, since the pronoun "si" goes with
// a verb of the third person ("si accende", "si scolla"), never with
// one that gives an order.
func imperativeWithPronoun(w string) bool {
	if len(w) < 6 {
		return false
	}
	for _, end := range imperativeEnds {
		if strings.HasSuffix(w, end) {
			return true
		}
	}
	return false
}

// imperativeEnds are the endings of an imperative with its pronoun: the
// vowel of the imperative ("avvia", "apri", "spedite") and the pronoun.
var imperativeEnds = []string{"alo", "ala", "ali", "ilo", "ila", "ili", "ami", "imi", "atemi", "itemi", "etemi", "ateci", "iteci", "eteci",
	"amelo", "imelo", "atelo", "itelo", "etelo", "atela", "itela", "ateli", "iteli", "celo", "cela"}

// siYes are the words that may follow a "si" that means yes.
var siYes = map[string]bool{
	"grazie": true, "certo": true, "ok": true, "va": true, "dai": true, "prego": true, "per": true, "volentieri": true,
	"esatto": true, "giusto": true, "certamente": true, "sicuro": true, "assolutamente": true, "perfetto": true, "si": true,
	"mandatemi": true, "fatemi": true, "vorrei": true, "voglio": true, "lo": true, "ho": true, "sono": true,
	"tutto": true, "confermo": true, "passami": true,
	// Thanks as typed in a hurry: "si grz", "si grazzie".
	"grz": true, "grazzie": true, "graz": true, "thx": true,
}

// acknowledgesIn reports whether the words only take what was said
// ("ok", "ah ok", "va bene", "i see"), which answers no offer of a
// person made as one choice of two.
// "ok capito", "ah ho capito", "got it", "ok I see" are the same.
func acknowledgesIn(s said) bool {
	took := false
	for _, w := range s.words {
		switch w {
		case "ok", "okay", "ah", "oh", "capito", "chiaro", "bene", "see", "got", "understood", "alright", "right", "noted":
			took = true
		case "ho", "va", "i", "it", "then", "allora", "ora", "now":
		default:
			return false
		}
	}
	return took
}

// smallTalk returns the small-talk intent the message reads most like,
// or nil when the bot has none.
func (u *understanding) smallTalk() *Intent {
	for _, sc := range u.scores {
		if in := u.b.intents[sc.Intent]; in != nil && in.talks() {
			return in
		}
	}
	return nil
}

// thanksOnlyIn reports whether the words only thank, or take the news
// and thank ("ok grazie", "thanks", "perfect, thank you"), with no word
// that declines or says goodbye.
func thanksOnlyIn(s said) bool {
	thanks := false
	for _, w := range s.words {
		switch {
		case thanksWords[w]:
			thanks = true
		default:
			switch w {
			case "ok", "okay", "ah", "oh", "va", "bene", "perfetto", "perfect", "great", "fine", "alright", "good", "cool", "super",
				"ottimo", "you", "mille", "tante", "many", "so", "much", "very", "a", "lot":
			default:
				return false
			}
		}
	}
	return thanks
}

// thanksWords are the words that thank, as typed in a hurry too.
var thanksWords = map[string]bool{"grazie": true, "thanks": true, "thank": true, "thx": true, "ty": true, "grz": true, "grazzie": true,
	"tnx": true, "thanx": true}

// nothingToChangeIn reports whether the words say there is nothing to
// change or cancel ("nell'ordine non c'è da cambiare nulla", "nothing to
// change on my order, thanks"), and ask for nothing else: no question,
// no "but", "only", "instead" that turns to another request ("non voglio
// annullarlo, solo cambiare l'indirizzo").
func nothingToChangeIn(s said) bool {
	if !s.has(nothingToChangePhrases) {
		return false
	}
	return !slices.ContainsFunc(s.words, func(w string) bool { return personBreaks[w] })
}

var nothingToChangePhrases = newPhrases(func(add func(string)) {
	for _, verb := range []string{"cambiare", "modificare", "annullare", "correggere", "aggiungere"} {
		for _, p := range []string{" niente da ", " nulla da ", " non c e da ", " non devo ", " non serve ", " non voglio ", " non mi serve "} {
			add(p + verb + " ")
		}
	}
	for _, verb := range []string{"change", "modify", "cancel", "amend", "add", "correct"} {
		for _, p := range []string{" nothing to ", " no need to ", " don t need to ", " dont need to ", " don t want to ", " dont want to "} {
			add(p + verb + " ")
		}
	}
	for _, p := range []string{" nothing needs changing ", " nothing needs to change ", " nothing needs to be changed ", " nothing to be changed "} {
		add(p)
	}
})

// thanksAnyway reports whether text declines politely: "ok grazie lo
// stesso", "thanks anyway", "ok grazie ciao", "no thanks".
func thanksAnyway(text string) bool { return thanksAnywayIn(saying(text)) }

func thanksAnywayIn(s said) bool { return s.has(thanksAnywayPhrases) }

var thanksAnywayPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{
		" grazie lo stesso ", " grazie comunque ", " ok grazie ", " va bene grazie ", " no grazie ", " niente grazie ", " grazie ciao ",
		" fa niente ", " no worries ", " nessun problema ",
		" thanks anyway ", " thank you anyway ", " ok thanks ", " no thanks ", " no thank you ", " thanks bye ", " never mind ",
		" ok bye ", " ok ciao ", " bye ", " ciao ", " goodbye ", " arrivederci ", " a posto cosi ", " fine thanks ",
		// Taking the news and asking for nothing: "ah ok, niente allora".
		" niente allora ", " allora niente ", " pazienza ", " peccato ", " nothing then ", " oh well ", " too bad ",
	} {
		add(p)
	}
})

// isCancel reports whether text drops what the bot is doing: "lascia
// perdere", "annulla", "never mind", "forget it".
func isCancel(text string) bool { return isCancelIn(saying(text)) }

func isCancelIn(s said) bool { return s.has(cancelPhrases) }

var cancelPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{
		" lascia perdere ", " lasciamo perdere ", " lascio perdere ", " lascia stare ", " lasciamo stare ", " annulla ", " annullare ",
		" non importa piu ", " niente lascia ", " non fa niente ",
		" never mind ", " nevermind ", " forget it ", " cancel ", " forget about it ", " stop ",
	} {
		add(p)
	}
})

// hasCorrection reports whether text corrects what was said: "anzi",
// "no scusa", "ho sbagliato", "I meant", "actually", "not X but Y".
func hasCorrection(text string) bool { return hasCorrectionIn(saying(text)) }

// correctedInPlace replaces a number or a date that the message itself
// corrects a few words on: "three coffee machines, actually make that
// two", "it came on the 16th of may, oh no sorry the 26th". The words
// after the correction are read as an answer would be (a bare "two", "the
// 26th"), and their value takes the place, the cue and the confidence of
// the one corrected.
func (b *Bot) correctedInPlace(text, lang string, now time.Time, facts []fact) []fact {
	for i, a := range facts {
		var expect SlotType
		switch a.kind {
		case factNumber:
			expect = SlotNumber
		case factDate:
			expect = SlotDate
		default:
			continue
		}
		at := strings.Index(text, a.span)
		if at < 0 {
			continue
		}
		// The raw words after the value, as spans of text.
		rest := text[at+len(a.span):]
		// Thirteen spans tell all the loop below asks: the first nine,
		// and whether more than three follow the ninth.
		spans := rawSpans(rest, 13)
		// A bare "no" right after the value and before another of its kind
		// corrects it too: "march 2025... no, february", "due, no, tre".
		bareNo := len(spans) > 1 && strings.EqualFold(rest[spans[0][0]:spans[0][1]], "no")
		if n := min(len(spans), 9); n > 0 && !bareNo && !correctsWithin(rest, spans[:n]) {
			continue
		}
		for k := 1; k <= min(len(spans), 9); k++ {
			between := words(rest[:spans[k-1][1]])
			if slices.Contains(between, "not") || slices.Contains(between, "non") {
				break // "the 14th of may, not the 4th": the value said first is the one meant
			}
			alone := bareNo && k == 1
			if !alone && !hasCorrectionIn(sayWords(between)) {
				continue
			}
			if k == len(spans) {
				break // nothing after the correction
			}
			tail := strings.TrimSpace(rest[spans[k][0]:])
			if len(spans)-k > 3 {
				// More than a value after the correction: the value is
				// the clause's ("the 3rd of feb, sorry the 13th, 2025, it
				// won't turn on"), else the message goes on otherwise.
				cut := strings.IndexAny(tail, ",;.!?")
				if cut < 0 || len(rawSpans(tail[:cut], 4)) > 3 {
					break
				}
				tail = strings.TrimSpace(tail[:cut])
			}
			if f, ok := sameMonthDay(a, tail); ok {
				// The whole of "16th of may, oh no sorry the 26th" is the date.
				f.span = text[at:]
				out := slices.Clone(facts)
				out[i] = f
				return out
			}
			if alone {
				// Only the value stands after the bare no, alone in its
				// clause: "march, no receipt", "2 laptops, no 3 year
				// warranty" correct nothing.
				if cut := strings.IndexAny(tail, ",;.!?"); cut >= 0 {
					tail = strings.TrimSpace(tail[:cut])
				}
			}
			for _, f := range b.read(tail, lang, now, expect) {
				if f.kind != a.kind || f.value == a.value || alone && !strings.EqualFold(strings.TrimSpace(f.span), tail) {
					continue
				}
				f.conf = max(f.conf, a.conf)
				if f.cue == "" {
					f.cue = a.cue
				}
				f.value = nearestMonth(a.value, f.value, f.span, now)
				// The new value, read where it stands too (the next fact of
				// its kind and span), is one fact: a span has one meaning.
				out := make([]fact, 0, len(facts))
				dropped := false
				for j, x := range facts {
					switch {
					case j == i:
						out = append(out, f)
					case j > i && !dropped && x.kind == f.kind && x.span == f.span:
						dropped = true
					default:
						out = append(out, x)
					}
				}
				return out
			}
			if alone {
				continue // "2021... no sorry, 2023": the correction's words go on
			}
			break
		}
	}
	return facts
}

// rawSpans returns the raw words of text, letters, digits and
// apostrophes, as spans of it: the first max of them.
func rawSpans(text string, max int) [][2]int {
	var spans [][2]int
	for k := 0; k < len(text) && len(spans) < max; {
		n, raw := rawRuneAt(text, k)
		if !raw {
			k += n
			continue
		}
		e := k + n
		for e < len(text) {
			n, raw := rawRuneAt(text, e)
			if !raw {
				break
			}
			e += n
		}
		spans = append(spans, [2]int{k, e})
		k = e
	}
	return spans
}

// rawRuneAt returns the length of the rune at k of text, and whether it
// is part of a raw word: a letter, a digit or an apostrophe. An ASCII
// byte is looked up in rawByte.
func rawRuneAt(text string, k int) (int, bool) {
	if c := text[k]; c < utf8.RuneSelf {
		return 1, rawByte[c]
	}
	r, n := utf8.DecodeRuneInString(text[k:])
	return n, unicode.IsLetter(r) || unicode.IsDigit(r)
}

// rawByte tells the ASCII bytes of a raw word.
var rawByte = func() (raw [utf8.RuneSelf]bool) {
	for c := range raw {
		raw[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '\''
	}
	return raw
}()

// correctsWithin reports whether the words of rest up to the end of one
// of spans may say "not" or correct (hasCorrectionIn), reading the words
// once up to the last span: the words up to an earlier span are the
// first of those whenever a word of words ends where each span does.
// When one may not (a combining accent after a span), it says true, and
// each span is read on its own.
func correctsWithin(rest string, spans [][2]int) bool {
	for _, sp := range spans[:len(spans)-1] {
		if r, _ := utf8.DecodeRuneInString(rest[sp[1]:]); r >= utf8.RuneSelf && extract.Normalize("a"+string(r)+"a") != "a a" {
			return true
		}
	}
	w := words(rest[:spans[len(spans)-1][1]])
	return slices.Contains(w, "not") || slices.Contains(w, "non") || hasCorrectionIn(sayWords(w))
}

// nearestMonth is the month value (2006-01) that corrects the month old
// when it was written alone (span, one word: no year): that month of the
// year nearest old, not after now ("maggio 2024, no, febbraio" is
// February 2024, "december 2024, sorry, january" January 2025). Any
// other value is returned as it is.
func nearestMonth(old, value, span string, now time.Time) string {
	o, err1 := time.Parse("2006-01", old)
	v, err2 := time.Parse("2006-01", value)
	if err1 != nil || err2 != nil || len(words(span)) != 1 {
		return value
	}
	best, gap := value, -1
	for y := o.Year() - 1; y <= o.Year()+1; y++ {
		t := time.Date(y, v.Month(), 1, 0, 0, 0, 0, time.UTC)
		months := (t.Year()-o.Year())*12 + int(t.Month()) - int(o.Month())
		if months < 0 {
			months = -months
		}
		if !t.After(now) && (gap < 0 || months < gap) {
			best, gap = t.Format("2006-01"), months
		}
	}
	return best
}

// sameMonthDay reads a bare day of the month ("the 26th", "il 26") that
// corrects date a: the same month and year, that day.
func sameMonthDay(a fact, tail string) (fact, bool) {
	w := words(tail)
	if len(w) > 0 && slices.Contains([]string{"the", "il", "l", "on", "al"}, w[0]) {
		w = w[1:]
	}
	if a.kind != factDate || len(a.value) != len("2006-01-02") || len(w) != 1 {
		return fact{}, false
	}
	d := strings.TrimRight(w[0], "stndrh")
	if len(d) == 0 || len(d) > 2 || strings.Trim(d, "0123456789") != "" {
		return fact{}, false
	}
	if len(d) == 1 {
		d = "0" + d
	}
	t, err := time.Parse("2006-01-02", a.value[:8]+d)
	if err != nil || t.Format("2006-01-02") == a.value {
		return fact{}, false
	}
	a.value = t.Format("2006-01-02")
	return a, true
}

func hasCorrectionIn(s said) bool {
	if s.has(correctionPhrases) {
		return true
	}
	// A leading "no", "wait", "aspetta" takes back what was said: "wait
	// thats my other order, ...", "aspetta, era il pavilion".
	// Not "wait, do you also sell the pixel 8?", a question, nor "wait,
	// first - ...", "aspetta un attimo", a pause before something else.
	if len(s.words) < 2 {
		return false
	}
	switch s.words[0] {
	case "no":
		return true
	case "wait", "aspetta", "aspetti":
		return !pausingWords[s.words[1]]
	}
	return false
}

// pausingWords after a leading "wait" open a question ("wait, do you
// ...", "aspetta, avete ...") or another matter ("wait, first ...",
// "wait a sec", "aspetta un attimo"), not a value taken back.
var pausingWords = map[string]bool{"first": true, "prima": true, "a": true, "one": true, "un": true, "una": true,
	"before": true, "also": true, "anche": true, "and": true, "e": true, "ma": true, "but": true, "do": true, "does": true, "can": true, "could": true, "would": true, "will": true, "how": true,
	"what": true, "when": true, "where": true, "why": true, "which": true, "who": true, "is": true, "are": true, "should": true,
	"have": true, "quanto": true, "quanti": true, "come": true, "quando": true, "dove": true, "perche": true, "cosa": true,
	"che": true, "posso": true, "potete": true, "avete": true, "vendete": true, "c": true, "ce": true, "quale": true, "chi": true}

var correctionPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{
		" anzi ", " no scusa ", " scusa no ", " ho sbagliato ", " mi sono sbagliato ", " mi sono sbagliata ", " volevo dire ",
		" intendevo ", " non e ", " non era ", " correggo ", " errore ", " no aspetta ", " sbagliato ", " giusto e ", " ah scusa ", " scusa ",
		" i meant ", " i mean ", " actually ", " sorry ", " no wait ", " wait no ", " aspetta no ", " not the ", " it s not ", " its not ", " typo ",
		" make it ", " make that ", " correction ", " wrong ", " oops ", " rather ",
		// The right value named as such, a value written wrong, a mix-up.
		" the right one is ", " the correct one is ", " the right email is ", " the right number is ", " the correct email is ",
		" the correct number is ", " quello giusto e ", " quella giusta e ", " ho scritto male ", " scritto male ", " mistyped ",
		" misspelt ", " misspelled ", " mi sono confuso ", " mi sono confusa ", " ho confuso ", " i mixed up ", " got mixed up ",
		" my mistake ",
		// Italian for "actually": "a dire il vero ne bastano 3".
		" a dire il vero ", " a dir la verita ", " a dire la verita ",
	} {
		add(p)
	}
})
