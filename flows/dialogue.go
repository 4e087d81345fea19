package flows

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows/extract"
)

// The dialogue manager: it carries out the commands understanding gave
// for a message, against the flow. Its promises: it never asks for what
// it knows, never puts a failed question a third time, and answers its
// own offers' yes and no.

// Offers the bot makes, kept in Session.Vars[varOffer] for one message:
// the next message answers them or lets them lapse.
const (
	varOffer = "offer"
	// varRefused is the value of the pending question the bot just
	// refused ("12 August 2025" for a purchase: in the future), for one
	// message: "oops, 2024" keeps its day and month.
	varRefused  = "refused"
	offerHuman  = "human"  // a person?
	offerResume = "resume" // back to the interrupted flow?
	// offerElse: "something else, or a person?" after a product the shop
	// does not sell; a bare "ok" takes the news, it asks for nobody.
	offerElse = "else"
	// offerMore: "can I help you with anything else?" after an answer
	// that helped or a request dropped: a bare yes asks what, a bare no
	// says goodbye; anything else is read as usual.
	offerMore = "more"
)

// state is what understanding is told of the conversation.
func (c *conv) state() State {
	st := State{Flow: c.s.Flow, Offer: c.s.Vars[varOffer], Slots: c.s.Slots, Refused: c.s.Vars[varRefused]}
	if ended := strings.Fields(c.s.Vars[varEnded]); len(ended) > 0 {
		st.Ended = ended[0]
	}
	if c.s.Vars[varResume] != "" {
		st.Offer = offerResume
	}
	if c.s.Flow == "" {
		st.Answered = c.s.Vars[varAnsweredFAQ]
	}
	if _, step := c.current(); step != nil && step.Kind == StepAsk {
		st.Slot = step.Slot
	}
	for _, fr := range c.s.Stack {
		st.Stack = append(st.Stack, fr.Flow)
	}
	return st
}

func (c *conv) handle(ctx context.Context) error {
	in := Input{Text: c.text, Payload: c.t.Message.Payload, Lang: c.lang, Now: c.now, State: c.state(), Spelling: c.spelt}
	c.answered = c.s.Vars[varAnswered]
	c.s.SetVar(varAnswered, "")
	c.cancelled = c.s.Vars[varCancelled]
	c.s.SetVar(varCancelled, "")
	c.s.SetVar(varAnsweredFAQ, "")
	cmds, err := c.u.Understand(ctx, in)
	if err != nil {
		return err
	}
	cmds = c.b.check(cmds)
	if reopened, ok, err := c.correctsEnded(ctx, in, cmds); err != nil {
		return err
	} else if ok {
		in, cmds = reopened.in, reopened.cmds
	}
	if cmds, err = c.clarified(ctx, cmds); err != nil {
		return err
	}
	if cmds, err = c.afterNotSold(ctx, cmds); err != nil {
		return err
	}
	c.was, c.wasFlow = c.s.Step, c.s.Flow
	// The intent is recorded when it decided the turn, so that a date
	// read as an answer is not counted as a goodbye in the managers'
	// numbers; the commands always are.
	for _, cmd := range cmds {
		if cmd.Intent != "" && cmd.Kind != CmdClarify {
			c.t.Record(bot.Event{Type: bot.EventIntent, Intent: cmd.Intent, Confidence: cmd.Confidence, Language: c.lang})
			break
		}
	}
	for _, cmd := range cmds {
		c.t.Record(cmd.event(c.lang))
	}
	return c.carryOut(cmds, in.State)
}

// varEnded is the flow that ended at the last message without a case,
// "flow step intent", for one message: "sorry, it came on the 27th"
// corrects what it decided from.
const varEnded = "ended"

type reading struct {
	in   Input
	cmds []Command
}

// correctsEnded reads the message again as one in the flow that ended
// at the last message, when it corrects a value that flow decided from
// ("il reso è scaduto" and then "no aspetta, è arrivato il 31"): the
// flow opens again at the step it ended on, so that the correction
// rewinds it and it decides again. It reports false when the message is
// no such correction, or asks for something else.
func (c *conv) correctsEnded(ctx context.Context, in Input, cmds []Command) (reading, bool, error) {
	ended := strings.Fields(c.s.Vars[varEnded])
	c.s.SetVar(varEnded, "")
	if len(ended) < 2 || c.s.Flow != "" || in.Payload != "" || hasKind(cmds, CmdHuman, CmdCancel, CmdFAQ, CmdAffirm, CmdDeny) {
		return reading{}, false, nil
	}
	f := c.b.Flows[ended[0]]
	if f == nil {
		return reading{}, false, nil
	}
	if _, ok := f.index[ended[1]]; !ok {
		return reading{}, false, nil
	}
	again := in
	again.State.Flow, again.State.Slot, again.State.Offer = f.Name, "", ""
	again.State.Slots = c.s.Slots
	got, err := c.u.Understand(ctx, again)
	if err != nil {
		return reading{}, false, err
	}
	got = c.b.check(got)
	corrects := slices.ContainsFunc(got, func(o Command) bool {
		return o.Kind == CmdCorrectSlot && f.asks(o.Slot) && c.s.Slots[o.Slot] != "" && c.s.Slots[o.Slot] != o.Value
	})
	// "the return window closed", then "wait, I have the order: SP-...":
	// what an action of the flow looks up, not known when it decided,
	// decides again from the start.
	looksUp := slices.ContainsFunc(got, func(o Command) bool {
		return o.Kind == CmdSetSlot && o.Value != "" && c.s.Slots[o.Slot] == "" && slices.ContainsFunc(f.Steps, func(st *Step) bool {
			return st.Kind == StepAction && slices.Contains(actionSlots(st, actionNeeds), o.Slot)
		})
	})
	if !corrects && !looksUp || slices.ContainsFunc(got, func(o Command) bool { return o.Kind != CmdSetSlot && o.Kind != CmdCorrectSlot }) {
		return reading{}, false, nil
	}
	if !corrects {
		c.redo = 0
	}
	c.s.Flow, c.s.Step = f.Name, ended[1]
	if len(ended) > 2 {
		c.s.SetVar(varIntent, ended[2])
	}
	c.s.SetVar(varResume, "")
	c.s.Stack = nil
	c.t.Record(bot.Event{Type: bot.EventFlowResumed, Flow: f.Name})
	return reading{again, got}, true, nil
}

// varClarified is the two intents the bot asked "A or B?" about and the
// message it asked it of ("returns warranty\ttext"), for one message:
// the flow the answer picks takes its values.
const varClarified = "clarified"

// clarified adds to cmds the values of the message the bot asked "did
// you mean A or B?" about, when the answer starts a flow: "refund or
// repair, my airfryer stopped heating", then "repair" (or "bought it in
// april") keeps the airfryer and its defect. The answer's own values
// come after them, so they win.
func (c *conv) clarified(ctx context.Context, cmds []Command) ([]Command, error) {
	pair, text, _ := strings.Cut(c.s.Vars[varClarified], "\t")
	c.s.SetVar(varClarified, "")
	if len(cmds) == 1 && cmds[0].Kind == CmdClarify {
		// "returns or warranty?", then "get it repaired" read as
		// "warranty or a person?": the one the two questions share.
		was := strings.Fields(pair)
		common := ""
		for _, name := range []string{cmds[0].Intent, cmds[0].Alt} {
			if slices.Contains(was, name) {
				common = name
			}
		}
		if in := c.b.intents[common]; in != nil && !(slices.Contains(was, cmds[0].Intent) && slices.Contains(was, cmds[0].Alt)) {
			if o := c.b.intentCommand(in, cmds[0].Confidence); o != nil {
				cmds = []Command{*o}
			}
		}
	}
	i := slices.IndexFunc(cmds, func(o Command) bool { return o.Kind == CmdStartFlow })
	if text == "" || i < 0 {
		return cmds, nil
	}
	f := c.b.Flows[cmds[i].Flow]
	if f == nil {
		return cmds, nil
	}
	got, err := c.u.Understand(ctx, Input{Text: text, Lang: c.lang, Now: c.now, State: State{Flow: f.Name, Slots: c.s.Slots}})
	if err != nil {
		return nil, err
	}
	var add []Command
	for _, o := range c.b.check(got) {
		if o.Kind == CmdSetSlot && o.Value != "" && f.asks(o.Slot) {
			o.Flow = f.Name
			add = append(add, o)
		}
	}
	return slices.Insert(slices.Clone(cmds), i+1, add...), nil
}

// varDropped is the sale a product the shop does not sell stopped and
// the message that asked for it ("flow intent\ttext"), for one message: "the 15 then, one for me" goes on
// with it.
const varDropped = "dropped"

// afterNotSold starts the sale the news of a product not sold stopped,
// when the next message gives values for it and asks for nothing else
// ("peccato. e aspirapolveri ne avete?", "ok, the 15 then, one for
// me"): the values are read again for that flow.
func (c *conv) afterNotSold(ctx context.Context, cmds []Command) ([]Command, error) {
	head, before, _ := strings.Cut(c.s.Vars[varDropped], "\t")
	name, intent, _ := strings.Cut(head, " ")
	c.s.SetVar(varDropped, "")
	f := c.b.Flows[name]
	if f == nil || c.s.Flow != "" || c.t.Message.Payload != "" || hasKind(cmds, CmdStartFlow, CmdHuman, CmdFAQ, CmdCancel, CmdNotSold, CmdClarify) ||
		slices.ContainsFunc(cmds, func(o Command) bool { return o.Kind == CmdAffirm && o.Value == offerHuman }) {
		return cmds, nil
	}
	read := func(text string) ([]Command, error) {
		got, err := c.u.Understand(ctx, Input{Text: text, Lang: c.lang, Now: c.now, State: State{Flow: f.Name, Slots: c.s.Slots}})
		var sets []Command
		for _, o := range c.b.check(got) {
			if (o.Kind == CmdSetSlot || o.Kind == CmdSkip) && f.asks(o.Slot) {
				o.Flow = f.Name
				sets = append(sets, o)
			}
		}
		return sets, err
	}
	sets, err := read(c.text)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(sets, func(o Command) bool { return o.Kind == CmdSetSlot && c.b.Slots[o.Slot].Type == SlotProduct }) {
		// "avete l'iphone 16 pro?", then "allora prendo il 15": the
		// number alone names a model of the line not sold.
		if text := c.sameLine(ctx, before); text != "" {
			more, err := read(text)
			if err != nil {
				return nil, err
			}
			if slices.ContainsFunc(more, func(o Command) bool {
				return o.Kind == CmdSetSlot && c.b.Slots[o.Slot].Type == SlotProduct && o.Value != ""
			}) {
				// What the message alone told stays, where the new reading is silent.
				for _, o := range sets {
					if !slices.ContainsFunc(more, func(m Command) bool { return m.Slot == o.Slot }) {
						more = append(more, o)
					}
				}
				sets = more
			}
		}
	}
	if !slices.ContainsFunc(sets, func(o Command) bool { return o.Kind == CmdSetSlot && o.Value != "" }) {
		return cmds, nil
	}
	// What the first message told of the sale ("portatili sotto i 500
	// euro") stays, unless this one says otherwise.
	earlier, err := read(before)
	if err != nil {
		return nil, err
	}
	sets = append(slices.DeleteFunc(earlier, func(o Command) bool { return o.Kind != CmdSetSlot || o.Value == "" }), sets...)
	out := slices.DeleteFunc(slices.Clone(cmds), func(o Command) bool {
		return o.Kind == CmdSetSlot || o.Kind == CmdDocuments || o.Kind == CmdOutOfScope || o.Kind == CmdSkip || o.Kind == CmdDeny
	})
	out = append(out, Command{Kind: CmdStartFlow, Flow: f.Name, Intent: intent, Confidence: 1})
	return append(out, sets...), nil
}

// sameLine returns the message with its one bare number (the "15" of
// "ok, the 15 then") written after the line of the product not sold
// that before asked for ("iphone" of "iphone 16 pro"): "ok, the iphone
// 15 then". It returns "" when the message has no one bare number, or
// before no such product.
func (c *conv) sameLine(ctx context.Context, before string) string {
	got, err := c.u.Understand(ctx, Input{Text: before, Lang: c.lang, Now: c.now})
	if err != nil {
		return ""
	}
	line := ""
	for _, o := range got {
		if o.Kind == CmdNotSold && o.Span != "" {
			for _, w := range strings.Fields(o.Span) {
				if strings.ContainsAny(w, "0123456789") {
					break
				}
				line += w + " "
			}
			break
		}
	}
	if line == "" {
		return ""
	}
	ws := strings.Fields(c.text)
	at := -1
	for i, w := range ws {
		if n := strings.Trim(w, ",.;:!?"); n != "" && len(n) <= 3 && strings.Trim(n, "0123456789") == "" {
			if at >= 0 {
				return "" // two numbers: which one is the model?
			}
			at = i
		}
	}
	if at < 0 {
		return ""
	}
	ws[at] = line + ws[at]
	return strings.Join(ws, " ")
}

// check drops the commands that name what the flow file does not have:
// a second source of commands (a language model) is held to the file.
func (b *Bot) check(cmds []Command) []Command {
	out := cmds[:0:0]
	for _, c := range cmds {
		switch {
		case c.Kind == CmdStartFlow && b.Flows[c.Flow] == nil,
			c.Kind == CmdFAQ && b.FAQ[c.FAQ] == nil,
			c.Kind == CmdDocuments && (b.Knowledge() == nil || c.Span == ""),
			(c.Kind == CmdSetSlot || c.Kind == CmdCorrectSlot) && !b.valid(c.Slot, c.Value),
			c.Kind == CmdSmallTalk && c.Intent != "" && (b.intents[c.Intent] == nil || b.intents[c.Intent].Reply.IsZero()),
			c.Kind == CmdSmallTalk && c.Intent == "" && c.Value != TextHelp && c.Value != TextAboutBot,
			c.Kind == CmdClarify && (b.intents[c.Intent] == nil || b.intents[c.Alt] == nil),
			c.Kind == CmdLanguage && c.Value == "":
			continue
		}
		out = append(out, c)
	}
	return out
}

// valid reports whether slot exists and may hold value.
func (b *Bot) valid(slot, value string) bool {
	s := b.Slots[slot]
	switch {
	case s == nil || !s.accepts(value):
		return false
	case value == "":
		return true
	case s.Type == SlotProduct:
		return b.products[value] != nil
	case s.Type == SlotCategory:
		return b.categories[value] != nil
	}
	return true
}

// ratesAnswer are the words that say how an answer did: a "not" with
// them at "did this help?" rates it, whatever request follows.
var ratesAnswer = map[string]bool{
	"work": true, "works": true, "worked": true, "help": true, "helped": true, "helps": true,
	"solved": true, "fixed": true, "funziona": true, "funzionato": true, "aiutato": true,
	"servito": true, "serve": true, "risolto": true,
}

// carryOut does what the commands ask, then runs the flow to its next
// question.
func (c *conv) carryOut(cmds []Command, was State) error {
	offer := was.Offer
	c.s.SetVar(varOffer, "")
	c.s.SetVar(varRefused, "")
	// The question the documents answered lives for the customer's
	// answer to "did this help?" and to the offer of a person after it.
	c.docQuestion = c.s.Vars[varDocQuestion]
	c.s.SetVar(varDocQuestion, "")
	if offer != offerFeedback && offer != offerHuman && offer != offerElse {
		c.docQuestion = ""
	}
	if offer == offerFeedback && hasKind(cmds, CmdStartFlow) && c.t.Message.Payload == "" {
		if w := words(c.text); len(w) > 4 && !slices.ContainsFunc(w, func(x string) bool { return ratesAnswer[x] }) {
			if _, ok := extract.YesNo(strings.Join(w[:3], " "), c.lang); !ok {
				// "il mio pixel 8 non si accende piu, ...": a new request,
				// whose "non" denies its verb and rates no answer ("the
				// reset did not work, ..." does).
				cmds = slices.DeleteFunc(slices.Clone(cmds), func(o Command) bool { return o.Kind == CmdDeny && o.Value == offerFeedback })
			}
		}
	}
	if offer == offerResume {
		cmds = c.goesBack(cmds)
	}
	if offer == offerResume && c.s.Vars[varResumeAgain] == "" && len(cmds) == 1 && cmds[0].Kind == CmdSmallTalk && thanksOnlyIn(saying(c.text)) {
		// "ok grazie" at "shall we go back to the claim?" thanks for the
		// answer just given and answers nothing: the offer is put once
		// more, briefly; a second thanks lets it go.
		c.offerResumeWith(TextResumeAgain)
		c.s.SetVar(varResumeAgain, "1")
		return nil
	}
	if offer == offerResume && !hasKind(cmds, CmdAffirm, CmdDeny) {
		// The customer moved on: forget what was interrupted.
		c.s.SetVar(varResume, "")
		c.s.Stack = nil
	}
	f0, step0 := c.current()
	progress := false
	cmds = c.answeredStays(cmds, f0, step0)
	cmds = c.sizeStays(cmds, step0)
	dropped := ""
	if hasKind(cmds, CmdNotSold) {
		for _, o := range cmds {
			if f := c.b.Flows[o.Flow]; o.Kind == CmdStartFlow && f != nil && f.sells(c.b) && !f.checksWarranty() {
				dropped = o.Flow + " " + o.Intent + "\t" + c.text
			}
		}
	}
	if !c.otherwise(cmds) {
		cmds = c.b.notSoldFirst(cmds)
	}
	said := len(c.t.Replies)
	defer func() {
		// A customer never meets silence: a message that changed nothing
		// to say (a remembered value outside any flow) gets the rephrase.
		if len(c.t.Replies) == said && c.t.Handoff == nil {
			if _, st := c.current(); st != nil && st.Kind == StepAsk {
				c.prompt(st)
				return
			}
			c.miss()
		}
	}()

	if len(cmds) == 1 && cmds[0].Kind == CmdOutOfScope && strings.HasPrefix(cmds[0].Value, unknownButton) {
		if !c.lateFeedback(step0) {
			c.unknownButton(step0, offer)
		}
		return nil
	}
	if len(cmds) == 1 && cmds[0].Kind == CmdOutOfScope && cmds[0].Value == offTopic && c.s.Flow == "" {
		c.missOffTopic()
		return nil
	}
	for _, cmd := range cmds {
		switch cmd.Kind {
		case CmdHuman:
			reason := TextReasonAsked
			if q := c.s.Vars[varDocUnrated]; offer != offerFeedback && q != "" && c.t.Message.Payload == PayloadDocHuman {
				// The person button of the answer not rated yet, pressed
				// after the conversation moved on: the case is about it.
				c.docQuestion, offer = q, offerFeedback
			}
			if offer == offerFeedback {
				c.feedback(c.docQuestion, bot.FeedbackPerson)
				reason = TextReasonDocuments
			}
			team, card := "", c.s.Flow
			if f := c.b.Flows[cmd.Flow]; f != nil && c.s.Flow == "" {
				// A person for a request the values told: that flow's team,
				// and its values on the case card.
				team, card = f.Team, f.Name
			}
			// In a flow, what the message told ("call me on 320...") goes
			// on the card too.
			if card != "" {
				for _, o := range cmds {
					if o.Kind == CmdSetSlot && o.Flow == card && o.Value != "" && c.b.Slots[o.Slot] != nil {
						if c.s.Slots == nil {
							c.s.Slots = map[string]string{}
						}
						c.s.Slots[o.Slot] = o.Value
					}
				}
			}
			if c.t.Message.Payload == "" {
				c.keepTold()
			}
			c.handoff(c.b.Text(TextHandoff, c.lang, c.teamVarsOf(team)), team, reason, nil)
			return nil
		case CmdAffirm, CmdDeny:
			yes := cmd.Kind == CmdAffirm
			switch cmd.Value {
			case offerFeedback:
				if offer == offerFeedback {
					// In a flow, feedback alone goes back to its question.
					inFlow := step0 != nil && step0.Kind == StepAsk
					alone := inFlow && !hasKind(cmds, CmdSetSlot, CmdCorrectSlot, CmdSkip, CmdStartFlow, CmdFAQ, CmdDocuments)
					progress = true
					if yes && inFlow && hasKind(cmds, CmdFAQ, CmdDocuments, CmdStartFlow) {
						// "grazie, e la spedizione?" in a flow: the answer, then
						// the flow's question; "anything else?" or "back to
						// your request" before the answer would be wrong.
						c.feedback(c.docQuestion, bot.FeedbackHelped)
						continue
					}
					if yes && alone && c.b.Slots[step0.Slot] != nil && c.b.Slots[step0.Slot].Type != SlotYesNo {
						// The flow's question was asked right under the
						// answer: "glad it helped" with its buttons, not
						// the question a third time. A yes or no question
						// is asked again: a "yes" to it must not seem said.
						c.feedback(c.docQuestion, bot.FeedbackHelped)
						c.say(c.b.text(TextDocumentsHelpedAbove, c.lang), c.slotButtons(step0)...)
						return nil
					}
					c.helped(c.docQuestion, yes, inFlow)
					if alone {
						if yes {
							c.prompt(step0)
						}
						return nil
					}
				}
			case offerHuman:
				if yes {
					c.handoff(c.b.Text(TextHandoff, c.lang, c.teamVars()), "", TextReasonAccepted, nil)
					return nil
				}
				c.s.Misses, c.s.Retries = 0, 0
				if offer == offerElse && step0 == nil && len(cmds) == 1 && c.t.Message.Payload == "" {
					// "no thanks" typed to "something else, or a person?"
					// with no flow to go back to: nothing else, so the
					// goodbye, not "let's try again".
					c.say(c.b.text(TextMoreNo, c.lang))
					return nil
				}
				c.say(c.b.text(TextContinue, c.lang))
				progress = true
				if step0 != nil && step0.Kind == StepAsk && !hasKind(cmds, CmdSetSlot, CmdSkip, CmdStartFlow) {
					c.prompt(step0)
					return nil
				}
			case offerResume:
				if !hasKind(cmds, CmdStartFlow) {
					return c.resume(yes)
				}
			case offerMore:
				// "yes, a laptop please" that starts nothing is still a
				// yes: what else is asked next; so is "no, a tv then",
				// which names something (no goodbye).
				if len(cmds) == 1 || !hasKind(cmds, CmdStartFlow, CmdFAQ, CmdDocuments, CmdHuman, CmdClarify, CmdNotSold) {
					if yes || hasKind(cmds, CmdSetSlot) {
						c.say(c.b.text(TextMoreYes, c.lang))
					} else {
						c.say(c.b.text(TextMoreNo, c.lang))
					}
					return nil
				}
			}
		case CmdCancel:
			c.cancel(!hasKind(cmds, CmdStartFlow))
			if !hasKind(cmds, CmdStartFlow) {
				return nil
			}
			f0, step0 = nil, nil
		case CmdClarify:
			c.clarify(cmd.Intent, cmd.Alt)
			return nil
		case CmdFAQ:
			// The page that answers the question is cited when the
			// message asks only this: a page found for the whole of
			// "shipping and returns" may be the other answer's, or that of
			// a question for the documents beside it.
			alone := len(slices.DeleteFunc(slices.Clone(cmds), func(o Command) bool {
				return o.Kind != CmdFAQ && o.Kind != CmdStartFlow && o.Kind != CmdDocuments
			})) == 1
			if !alone && cmd.Span != "" {
				// Its clauses apart from the pages' question
				// (documentsBesideFAQ): the page of its clauses is cited;
				// the pages' answer after it asks whether this helped.
				c.answerFAQOf(c.b.FAQ[cmd.FAQ], false, cmd.Span)
			} else if alone && (cmd.Value == faqSection || cmd.Value == faqSectionBeside) && c.answerSection(c.b.FAQ[cmd.FAQ], cmd.Value == faqSectionBeside) {
				// "se pago con bonifico, quando spedite?": the section of
				// the FAQ's page that tells it, not the FAQ's summary.
			} else {
				c.answerFAQ(c.b.FAQ[cmd.FAQ], alone)
			}
			progress = true
		case CmdDocuments:
			if rest, ok := afterLanguageAsk(cmd.Span); ok {
				// "possiamo parlare in italiano? sì, è arrivata venerdì":
				// the language is the reply's, no page's to tell; what
				// follows asks the documents only if it asks outright (a
				// "sì" that opens it is no "si può").
				progress = true
				if rest == "" || !strings.Contains(rest, "?") && !asksHowTo(rest) {
					continue
				}
				cmd.Span = rest
			}
			if c.answerDocuments(cmd.Span) {
				progress = true
			} else if cmd.Value == offTopic && c.s.Flow == "" && len(cmds) == 1 {
				// No page answers a message likely about something else
				// than the shop: what the bot can help with.
				c.missOffTopic()
				return nil
			} else if step0 != nil && step0.Kind == StepAsk && asksQuestion(cmd.Span) && !hasKind(cmds, CmdSetSlot, CmdCorrectSlot, CmdSkip, CmdStartFlow) {
				// A question of theirs in a flow that no page answers: say
				// so, and put ours again; it is no failed answer to ours.
				c.say(c.b.text(TextDocumentsNoAnswer, c.lang))
				progress = true
			} else if cmd.Value == documentsBeside {
				// Beside the sale: said so; the sale's agents can tell.
				c.say(c.b.text(TextDocumentsNoAnswer, c.lang))
				progress = true
			} else if cmd.Value == documentsOrPerson && c.s.Flow == "" {
				// A question about the shop that no flow handles and no page
				// answers (scope.go): said so, and a person offered.
				c.say(c.b.text(TextDocumentsNoAnswer, c.lang), c.humanButtons()...)
				c.s.SetVar(varOffer, offerElse)
				progress = true
			}
		case CmdSmallTalk:
			progress = true
			if offer == offerResume && c.s.Flow != "" && hasKind(cmds, CmdSetSlot, CmdCorrectSlot, CmdSkip) {
				// "ok thanks, I bought it in march" at "shall we pick up
				// where we left off?": the thanks was for the answer, and
				// the flow goes on; "you're welcome, anything else?"
				// before its question would close what goes on.
				continue
			}
			switch {
			case cmd.Intent != "":
				c.say(c.render(c.b.intents[cmd.Intent].Reply.Text))
			default:
				c.say(c.b.Text(cmd.Value, c.lang, c.vars()))
			}
		case CmdStartFlow:
			// A new request is not about the documents' answer, unless
			// it says the answer did not help ("the reset did not work,
			// the tv is still frozen"): else its case card has no
			// question of theirs ("how do I reset the TV?", then "my
			// pixel 8 won't turn on").
			if !slices.ContainsFunc(cmds, func(o Command) bool { return o.Kind == CmdDeny && o.Value == offerFeedback }) {
				c.docQuestion = ""
			}
			c.s.Misses = 0
			c.begin(c.b.Flows[cmd.Flow], cmd.Intent)
			progress = true
		case CmdSetSlot, CmdCorrectSlot:
			changed := c.setSlot(cmd)
			if changed {
				c.lookupAgain(cmd) // a proof or a number told anew once no order matched
			}
			// A known value told again for an optional question ("privato"
			// asked the budget, the buyer known) goes past it, as a new one
			// would.
			if changed || step0 != nil && step0.Optional && step0.Slot != cmd.Slot && c.s.Slots[cmd.Slot] == cmd.Value && cmd.Value != "" {
				progress = true
			}
			// An earlier answer told again at any question ("dyson v8" at
			// the date question, the vacuum having named it) confirms
			// it: no failed answer, and the question is put again.
			if f0 != nil && step0 != nil && f0.index[step0.ID] < len(f0.Steps) && c.toldAgainEarlier(f0, step0, []Command{cmd}) {
				progress = true
			}
		case CmdQueue:
			c.enqueue(cmd)
		case CmdSkip:
			if c.skip(cmd.Slot) {
				progress = true
			}
		case CmdInvalid:
			if step0 != nil && step0.Slot == cmd.Slot {
				c.s.Retries++
				c.s.SetVar(varRefused, cmd.Value)
				c.t.Record(bot.Event{Type: bot.EventFallback, Slot: cmd.Slot, Text: "date in the future", Language: c.lang})
				c.say(c.b.Text(TextFutureDate, c.lang, map[string]string{"date": formatDate(cmd.Value, c.lang)}))
				c.prompt(step0)
				return nil
			}
		case CmdLanguage:
			// "English please" (the reply's language is already the one
			// asked: language), "parlate tedesco?": said, and the
			// question pending put again, or what the customer needs.
			switch {
			case !slices.Contains(c.b.Languages, cmd.Value):
				c.say(c.b.Text(TextLanguageOther, c.lang, map[string]string{"languages": c.b.languageNames(c.lang)}))
			case step0 != nil && step0.Kind == StepAsk:
				c.say(c.b.text(TextLanguageFlow, c.lang))
			default:
				c.say(c.b.text(TextLanguage, c.lang))
			}
			progress = true
		case CmdPause:
			c.say(c.b.Text(TextPause, c.lang, nil))
			progress = true
		case CmdNotSold:
			key := TextNotSold
			if f := c.b.Flows[cmd.Flow]; f != nil && f.checksWarranty() {
				key = TextNotSoldWarranty
			}
			c.say(c.b.Text(key, c.lang, map[string]string{"item": cmd.Value}), c.humanButtons()...)
			c.s.SetVar(varOffer, offerElse)
			if f := c.b.FAQ[cmd.FAQ]; f != nil && c.s.Flow == "" {
				// The terms asked of what is not sold: a bare name next
				// asks the same of it (askedOfToo).
				c.s.SetVar(varAnsweredFAQ, f.ID)
			}
			progress = true
			if c.s.Flow == "" {
				c.s.SetVar(varDropped, dropped)
				return nil
			}
		}
	}

	f, st := c.current()
	switch {
	case f == nil && !progress:
		c.miss()
		return nil
	case f == nil:
		c.s.Misses = 0
		return nil
	}
	c.s.Misses = 0
	wentOn := st != nil && st == step0 && f == f0 && c.goesOnPast(f, st, cmds)
	if wentOn {
		// "start a return?", answered with the order number it asks next:
		// the customer goes on, which says yes; the question is not put
		// again.
		c.fill(f, st.Slot, "yes", false)
	}
	// The question asked is still open: the message did not answer it,
	// unless it narrowed the choice to one.
	if st != nil && st == step0 && f == f0 && st.Kind == StepAsk && !c.filled(st.Slot) && c.narrow(f, st, cmds) {
		return nil
	}
	if st != nil && st == step0 && f == f0 && st.Kind == StepAsk && !c.filled(st.Slot) {
		if !progress {
			return c.fail(f, st)
		}
		if hasKind(cmds, CmdPause) {
			return nil // the question stays open, not put again
		}
		if c.toldInstead(cmds, st) {
			// "il numero non lo trovo, ho ordinato con mario@...": the
			// customer has not got what the step cannot do without and
			// told what they have instead; asking again would be a loop.
			c.noted(cmds, st.Slot)
			c.sayLacked(st)
			return nil
		}
		if !hasKind(cmds, CmdFAQ, CmdDocuments, CmdSmallTalk, CmdNotSold, CmdLanguage) && c.s.Retries >= st.MaxRetries {
			// Answered something else again and again: never the same
			// question a third time in a row.
			if !st.Optional && st.Unknown != UnknownSkip && c.gaveOther(cmds, st.Slot) {
				// "bought it last march", then "for home" at the kind
				// question: each a fact for another question, taken,
				// and no answer the bot failed to read. The customer
				// hears it was noted and that the question is what is
				// missing, with a person offered.
				c.noted(cmds, st.Slot)
				c.sayLacked(st)
				return nil
			}
			return c.fail(f, st)
		}
		if !hasKind(cmds, CmdFAQ, CmdDocuments, CmdSmallTalk, CmdNotSold, CmdLanguage) {
			c.s.Retries++
		}
		if st.Optional && hasKind(cmds, CmdSetSlot) && (!c.toldAgainEarlier(f, st, cmds) || c.optionalAsked(f, st.Slot) >= 2) {
			// An optional question answered with what a later one asks
			// ("no model in mind" said as "about 1000 euros each"): the
			// answer is taken, the optional question let go. An earlier
			// answer told again ("the philips" at the budget question,
			// the air fryer named already) answers nothing of it: it is
			// put again, but never a third time.
			c.s.SetSlot(st.Slot, "")
			c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: st.Slot, Value: ""})
		}
		if hasKind(cmds, CmdNotSold) {
			// "la lavatrice fa rumore" at the kind question: the news asks
			// its own question (a person?); ours, or a word of what else
			// was taken, would be two questions at once.
			return nil
		}
		if hasKind(cmds, CmdNotSold) && !hasKind(cmds, CmdSetSlot, CmdCorrectSlot) && c.askedInARow(st.Slot) >= 2 {
			// "a bosch one", then "it's a bosch, I told you": the news asks
			// its own question (a person?), and ours is not put a third
			// time in a row.
			return nil
		}
		if hasKind(cmds, CmdFAQ, CmdDocuments, CmdSmallTalk, CmdNotSold, CmdLanguage) && !hasKind(cmds, CmdSetSlot, CmdCorrectSlot) {
			c.prompt(st) // answered a question of theirs: back to ours
			return nil
		}
		if !st.Optional {
			c.noted(cmds, st.Slot)
		}
	}
	i := 0
	if st != nil {
		i = f.index[st.ID]
		if st.Kind == StepAsk && c.filled(st.Slot) {
			i++
			c.s.Retries = 0
		}
	}
	if c.redo >= 0 && f == f0 {
		i, c.s.Retries = c.redo, 0 // corrected: decide again
	} else if j := c.passedAction(f, f0, cmds, st, i, wentOn || st != nil && st == step0 && f == f0 && c.saysYesAndGoesOn(f, st, cmds)); j >= 0 {
		i, c.s.Retries = j, 0
	}
	return c.run(f, i)
}

// toldInstead reports whether cmds say the customer has not got the
// value of the pending question st, an identifier the step cannot go on
// without (a pattern, neither optional nor unknown: skip), and give a
// value for another of the flow's questions instead ("I can't find the
// order number, I ordered with anna@example.com").
func (c *conv) toldInstead(cmds []Command, st *Step) bool {
	s := c.b.Slots[st.Slot]
	if s == nil || s.Type != SlotPattern || st.Optional || st.Unknown == UnknownSkip ||
		!slices.ContainsFunc(cmds, func(o Command) bool { return o.Kind == CmdSkip && o.Slot == st.Slot }) {
		return false
	}
	return slices.ContainsFunc(cmds, func(o Command) bool {
		return o.Kind == CmdSetSlot && o.Slot != st.Slot && o.Value != "" && c.s.Slots[o.Slot] == o.Value
	})
}

// gaveOther reports whether the message filled a question other than
// pending with a value.
func (c *conv) gaveOther(cmds []Command, pending string) bool {
	return slices.ContainsFunc(cmds, func(o Command) bool {
		return (o.Kind == CmdSetSlot || o.Kind == CmdCorrectSlot) && o.Slot != pending && o.Value != "" && c.s.Slots[o.Slot] == o.Value
	})
}

// noted says what the message gave for other questions than the pending
// one, pending, which it left open ("privato o azienda?" answered with an
// e-mail): the customer hears it was taken before the question is put
// again, rather than the question alone as though nothing was read.
func (c *conv) noted(cmds []Command, pending string) {
	var got []string
	for _, cmd := range cmds {
		if cmd.Kind != CmdSetSlot && cmd.Kind != CmdCorrectSlot || cmd.Slot == pending || cmd.Value == "" || c.s.Slots[cmd.Slot] != cmd.Value {
			continue
		}
		s := c.b.Slots[cmd.Slot]
		if s == nil {
			continue
		}
		label := pick(s.Label.Text, c.lang, c.b.DefaultLanguage)
		if label == "" {
			continue
		}
		got = append(got, label+": "+c.b.display(cmd.Slot, cmd.Value, c.lang))
	}
	if len(got) > 0 {
		c.say(c.b.Text(TextNoted, c.lang, map[string]string{"noted": strings.Join(got, "; ")}))
	}
}

// goesOnPast reports whether the message answers the pending yes-or-no
// question st of f by going on: it gives a value that only a question of
// f after st asks, and neither says no nor asks for something else.
func (c *conv) goesOnPast(f *Flow, st *Step, cmds []Command) bool {
	if st.Kind != StepAsk || c.filled(st.Slot) || c.b.Slots[st.Slot] == nil || c.b.Slots[st.Slot].Type != SlotYesNo ||
		hasKind(cmds, CmdDeny, CmdCancel, CmdHuman, CmdStartFlow, CmdSkip) {
		return false
	}
	return c.tellsLater(f, st, cmds)
}

// saysYesAndGoesOn reports whether the message answers the pending
// yes-or-no question st of f with a yes and a value that only a question
// of f after st asks: "ok then I want to return the laptop from order
// SP-200109" at "start a return?" goes on as the order number alone
// would.
func (c *conv) saysYesAndGoesOn(f *Flow, st *Step, cmds []Command) bool {
	if st.Kind != StepAsk || c.s.Slots[st.Slot] != "yes" || c.b.Slots[st.Slot] == nil || c.b.Slots[st.Slot].Type != SlotYesNo ||
		hasKind(cmds, CmdDeny, CmdCancel, CmdHuman, CmdStartFlow, CmdSkip) ||
		!slices.ContainsFunc(cmds, func(o Command) bool { return o.Kind == CmdSetSlot && o.Slot == st.Slot && o.Value == "yes" }) {
		return false
	}
	return c.tellsLater(f, st, cmds)
}

// toldAgainEarlier reports whether every value cmds set is one the
// session holds already for a question f asks before st: the customer
// confirms an earlier answer ("la magnifica", the coffee machine named
// the product) and answers nothing of st.
func (c *conv) toldAgainEarlier(f *Flow, st *Step, cmds []Command) bool {
	i := f.index[st.ID]
	set := 0
	for _, o := range cmds {
		if o.Kind != CmdSetSlot && o.Kind != CmdCorrectSlot {
			continue
		}
		if o.Value == "" || c.s.Slots[o.Slot] != o.Value || !f.asksBefore(o.Slot, i) {
			return false
		}
		set++
	}
	return set > 0
}

// tellsLater reports whether cmds set a value that only a question of f
// after st asks.
func (c *conv) tellsLater(f *Flow, st *Step, cmds []Command) bool {
	i := f.index[st.ID]
	return slices.ContainsFunc(cmds, func(o Command) bool {
		return o.Kind == CmdSetSlot && o.Value != "" && o.Slot != st.Slot && c.s.Slots[o.Slot] == o.Value && !f.asksBefore(o.Slot, i) &&
			slices.ContainsFunc(f.Steps[i+1:], func(later *Step) bool { return later.Kind == StepAsk && later.Slot == o.Slot })
	})
}

// passedAction returns the step of an action the flow went past without
// running it, when the message told what it reads while the question
// pending, answered or declined ("no idea, but the order is ..."), is one
// the action answers: an order number given when the claim asks the
// purchase date is looked up, and the order tells the date. So is one
// when the message went on past a yes-or-no question (wentOn, goesOnPast)
// and the action answers a question the flow asks later, still open: the
// order number given at "start a return?" is looked up, and the order
// tells when it was delivered. It returns -1 when there is none; a flow
// asked nothing the action answers goes on as it says.
func (c *conv) passedAction(f, f0 *Flow, cmds []Command, st *Step, i int, wentOn bool) int {
	if f != f0 || st == nil || st.Kind != StepAsk || c.s.Slots[st.Slot] != "" && !wentOn {
		return -1
	}
	answers := func(slot string) bool {
		if slot == st.Slot {
			return !wentOn
		}
		return wentOn && c.s.Slots[slot] == "" && slices.ContainsFunc(f.Steps[min(i, len(f.Steps)):], func(later *Step) bool {
			return later.Kind == StepAsk && later.Slot == slot
		})
	}
	told := map[string]bool{}
	for _, cmd := range cmds {
		if (cmd.Kind == CmdSetSlot || cmd.Kind == CmdCorrectSlot) && cmd.Value != "" && c.s.Slots[cmd.Slot] == cmd.Value {
			told[cmd.Slot] = true
		}
	}
	if len(told) == 0 {
		return -1
	}
	for j, a := range f.Steps[:min(i, len(f.Steps))] {
		if a.Kind != StepAction || !slices.ContainsFunc(actionSlots(a, actionFills), answers) ||
			!slices.ContainsFunc(actionSlots(a, actionNeeds), func(s string) bool { return told[s] }) {
			continue
		}
		if !slices.ContainsFunc(actionOutputs[a.Action], func(o string) bool { return c.s.Slots[o] != "" }) {
			return j // never ran in this flow
		}
	}
	return -1
}

// actionSlots returns the slots action step a reads for the arguments
// of args, with: names included.
func actionSlots(a *Step, args map[string][]string) []string {
	var out []string
	for _, arg := range args[a.Action] {
		name := actionArgs[a.Action][arg]
		if w, ok := a.With[arg]; ok {
			name = w
		}
		out = append(out, name)
	}
	return out
}

// asksQuestion reports whether text is a question of the customer's: a
// question mark, or a question word before two more words ("sì" alone
// answers), or how to do something.
func asksQuestion(text string) bool {
	return strings.Contains(text, "?") || countWords(text) >= 3 && (isQuestion(text) || asksHowTo(text) || asksWithoutMark(text, saying(text)))
}

// asksHowTo reports whether text asks how to do something, anywhere in
// it ("..., what do I do").
func asksHowTo(text string) bool { return asksHowToIn(saying(text)) }

// otherwise reports whether the message asks, beside what the shop does
// not sell, for something it does as the alternative ("vendete
// stampanti? se no mi serve un portatile"): the sale goes on with it,
// after the news.
func (c *conv) otherwise(cmds []Command) bool {
	if !hasKind(cmds, CmdNotSold) || !saying(c.text).has(otherwisePhrases) {
		return false
	}
	for _, o := range cmds {
		if f := c.b.Flows[o.Flow]; o.Kind == CmdStartFlow && (f == nil || !f.sells(c.b) || f.checksWarranty()) {
			return false
		}
	}
	return slices.ContainsFunc(cmds, func(o Command) bool {
		s := c.b.Slots[o.Slot]
		return o.Kind == CmdSetSlot && o.Value != "" && s != nil && (s.Type == SlotCategory || s.Type == SlotProduct)
	})
}

var otherwisePhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{" se no ", " senno ", " altrimenti ", " in alternativa ", " oppure ",
		" if not ", " otherwise ", " or else ", " failing that ", " if you don t "} {
		add(p)
	}
})

// answeredStays keeps the flow going on when a question of the
// customer's in it is answered by an FAQ entry and only guessed at as
// another flow, with no value for that flow ("se ordino oggi quando
// arriva?" in the middle of a purchase is for the shipping times, not
// an order's status): the answer, then the flow's question.
func (c *conv) answeredStays(cmds []Command, f0 *Flow, step0 *Step) []Command {
	if f0 == nil || step0 == nil || step0.Kind != StepAsk || !hasKind(cmds, CmdFAQ) || !asksQuestion(c.text) {
		return cmds
	}
	i := slices.IndexFunc(cmds, func(o Command) bool { return o.Kind == CmdStartFlow })
	if i < 0 || cmds[i].Flow == f0.Name || cmds[i].Confidence >= 0.85 ||
		slices.ContainsFunc(cmds, func(o Command) bool { return o.Kind == CmdSetSlot && o.Flow == cmds[i].Flow && o.Value != "" }) {
		return cmds
	}
	return slices.Delete(slices.Clone(cmds), i, i+1)
}

// keepTold puts on the case card the values of the message that asks
// for a person which the conversation remembers and does not hold yet
// ("where is SP-121212? I want a human": the order number), so the agent
// does not ask them again.
func (c *conv) keepTold() {
	for _, fa := range c.b.read(c.text, c.lang, c.now, "") {
		for _, name := range keysOf(c.b.Slots) {
			s := c.b.Slots[name]
			if !s.Remember || c.s.Slots[name] != "" || !c.b.fits(s, fa) || !c.b.valid(name, fa.value) {
				continue
			}
			c.s.SetSlot(name, fa.value)
			c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: name, Value: fa.value})
			break
		}
	}
}

// notSoldFirst lets a product the shop does not sell stop the flow the
// same message would start for it ("my Philips TV is broken"): the bot
// says it does not sell it, rather than open a claim or an offer.
func (b *Bot) notSoldFirst(cmds []Command) []Command {
	if !hasKind(cmds, CmdNotSold) {
		return cmds
	}
	var flow string
	for _, c := range cmds {
		if c.Kind == CmdStartFlow {
			flow = c.Flow
		}
	}
	if flow == "" {
		return cmds
	}
	out := cmds[:0:0]
	for _, c := range cmds {
		switch {
		case c.Kind == CmdStartFlow, c.Flow == flow && (c.Kind == CmdSetSlot || c.Kind == CmdCorrectSlot):
			continue
		}
		out = append(out, c)
	}
	return out
}

// checksWarranty reports whether f decides a warranty.
func (f *Flow) checksWarranty() bool { return f.runs("warranty_check") }

// runs reports whether a step of f runs action.
func (f *Flow) runs(action string) bool {
	return slices.ContainsFunc(f.Steps, func(st *Step) bool { return st.Kind == StepAction && st.Action == action })
}

func hasKind(cmds []Command, kinds ...CommandKind) bool {
	return slices.ContainsFunc(cmds, func(c Command) bool { return slices.Contains(kinds, c.Kind) })
}

// filled reports whether the session holds slot, a skipped one included.
func (c *conv) filled(slot string) bool {
	_, ok := c.s.Slots[slot]
	return ok
}

// current returns the flow and step the conversation is at, if any.
func (c *conv) current() (*Flow, *Step) {
	f := c.b.Flows[c.s.Flow]
	if f == nil {
		return nil, nil
	}
	i, ok := f.index[c.s.Step]
	if !ok {
		return f, nil
	}
	return f, f.Steps[i]
}

// begin starts flow f for intent, keeping an interrupted flow on the
// stack to offer it back when f ends.
func (c *conv) begin(f *Flow, intent string) {
	if c.s.Flow != "" && c.s.Flow != f.Name {
		c.s.Stack = append(c.s.Stack, bot.Frame{Flow: c.s.Flow, Step: c.s.Step, Slots: maps.Clone(c.s.Slots)})
		if len(c.s.Stack) > maxStack {
			c.s.Stack = slices.Delete(c.s.Stack, 0, len(c.s.Stack)-maxStack)
		}
		// The order of the interrupted request is not the digression's
		// ("where is SP-123456?", then "meanwhile my pixel 8 won't turn
		// on"): its frame keeps it; the message's own order comes after.
		if o := c.b.orderSlot; o != "" && c.s.Slots[o] != "" {
			delete(c.s.Slots, o)
			c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: o, Value: ""})
		}
	}
	// A new flow asks afresh, but for what the conversation remembers
	// (who the customer is, how to reach them). What it forgets of what
	// the customer said is recorded, so the transcript shows why the
	// bot asks again ("a new laptop": which one?).
	// What the customer told aside, in a flow that did not ask it, is
	// for this one; once.
	aside := strings.Fields(c.s.Vars[varAside])
	c.s.SetVar(varAside, "")
	if fs := strings.Fields(c.s.Vars[varOptionalAsked]); len(fs) > 0 && fs[0] == f.Name {
		c.s.SetVar(varOptionalAsked, "") // asked afresh; a digression keeps the count of the flow it interrupts
	}
	if fs := strings.Fields(c.s.Vars[varNarrowed]); len(fs) > 0 && fs[0] == f.Name {
		// "55 pollici", "annulla", then the claim again: all the TVs.
		c.s.SetVar(varNarrowed, "")
	}
	// A question asked before buying is the sale's it came with
	// (presale.go): a flow that starts later, a sale too, has none.
	for _, name := range c.b.slotNames() {
		if c.b.Slots[name].Type == SlotQuestion && c.s.Slots[name] != "" {
			delete(c.s.Slots, name)
			c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: name, Value: ""})
		}
	}
	for _, st := range f.Steps {
		switch st.Kind {
		case StepAsk:
			if s := c.b.Slots[st.Slot]; s != nil && !s.Remember && !slices.Contains(aside, st.Slot) {
				if c.s.Slots[st.Slot] != "" {
					c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: st.Slot, Value: ""})
				}
				delete(c.s.Slots, st.Slot)
			}
		case StepAction:
			for _, o := range actionOutputs[st.Action] {
				delete(c.s.Slots, o)
			}
			// What an action reads but no step asks (an accidental
			// damage) belongs to this claim only.
			for arg, name := range actionArgs[st.Action] {
				if w, ok := st.With[arg]; ok {
					name = w
				}
				if s := c.b.Slots[name]; s != nil && !s.Remember && !f.asks(name) {
					delete(c.s.Slots, name)
				}
			}
		}
	}
	for _, name := range aside {
		if v := c.s.Slots[name]; v != "" && f.asks(name) {
			c.categoryOf(f, name, v)
		}
	}
	// The product of the FAQ just answered is this flow's, unless the
	// message names another (its values come after) or another kind of
	// product (fill drops the product then).
	p := c.answered
	if name, product, ok := strings.Cut(c.cancelled, " "); ok && name == f.Name {
		// "never mind", then "ok I checked, it's still leaking": the
		// request dropped comes back about the same product.
		p = product
	}
	c.cancelled = ""
	if p != "" && c.b.products[p] != nil {
		c.answered = ""
		for _, st := range f.Steps {
			if s := c.b.Slots[st.Slot]; st.Kind == StepAsk && s != nil && s.Type == SlotProduct && c.s.Slots[st.Slot] == "" {
				c.fill(f, st.Slot, p, false)
				break
			}
		}
	}
	c.s.SetVar(varIntent, intent)
	c.s.Flow, c.s.Step, c.s.Retries = f.Name, "", 0
	c.t.Record(bot.Event{Type: bot.EventFlowStarted, Flow: f.Name})
	c.fromAgenda(f)
}

// setSlot carries out a set or a correction; it reports whether it
// changed anything.
func (c *conv) setSlot(cmd Command) bool {
	s := c.b.Slots[cmd.Slot]
	if s == nil || !s.accepts(cmd.Value) {
		return false
	}
	if cmd.Flow != "" && cmd.Flow != c.s.Flow {
		return false // for a flow that did not start
	}
	if old, ok := c.s.Slots[cmd.Slot]; ok && old == cmd.Value {
		return false
	}
	f := c.b.Flows[c.s.Flow]
	c.fill(f, cmd.Slot, cmd.Value, cmd.Kind == CmdCorrectSlot)
	if (f == nil || !f.asks(cmd.Slot)) && !c.b.Slots[cmd.Slot].Remember {
		// "where is my order? I'd like the airfryer too": the product is
		// for the request that comes next; so is a purchase date told
		// before any request.
		c.s.SetVar(varAside, strings.TrimSpace(c.s.Vars[varAside]+" "+cmd.Slot))
	}
	return true
}

// fill sets slot to value. A product also tells its category; a
// correction drops what was decided from the old value.
func (c *conv) fill(f *Flow, slot, value string, correction bool) {
	c.s.SetSlot(slot, value)
	if c.b.Slots[slot].Type == SlotProduct {
		c.s.SetVar(varNarrowed, "")
	}
	if c.askedInARow(slot) > 0 {
		c.s.SetVar(varAsked, "") // answered: a later question of it starts afresh
	}
	c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: slot, Value: value})
	if correction && f != nil {
		c.rewind(f, slot)
	}
	c.categoryOf(f, slot, value)
	if c.b.Slots[slot].Type == SlotCategory && f != nil {
		// "the tv won't switch on" with another kind of product held (told
		// aside for a later request): that product is not this one.
		for _, st := range f.Steps {
			if s := c.b.Slots[st.Slot]; st.Kind == StepAsk && s != nil && s.Type == SlotProduct {
				if p := c.b.products[c.s.Slots[st.Slot]]; p != nil && p.Category != "" && p.Category != value {
					delete(c.s.Slots, st.Slot) // to be asked, not skipped
					c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: st.Slot, Value: ""})
				}
			}
		}
	}
}

// categoryOf fills the category questions of f with the category of the
// product value of slot.
func (c *conv) categoryOf(f *Flow, slot, value string) {
	p := c.b.products[value]
	if c.b.Slots[slot].Type != SlotProduct || p == nil || p.Category == "" || f == nil {
		return
	}
	for _, st := range f.Steps {
		if st.Kind == StepAsk && c.b.Slots[st.Slot].Type == SlotCategory && c.s.Slots[st.Slot] != p.Category {
			c.s.SetSlot(st.Slot, p.Category)
			c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: st.Slot, Value: p.Category})
		}
	}
}

// rewind drops the outputs of the actions that ran after the question
// of a corrected slot, and the yes or no the customer gave to what they
// decided ("a quote for the repair?" after an expired warranty), so the
// flow goes back to that question and decides again with the new value.
func (c *conv) rewind(f *Flow, slot string) {
	i, ok := f.index[c.s.Step]
	if !ok {
		return
	}
	for j, st := range f.Steps[:i] {
		if st.Kind != StepAsk || st.Slot != slot && j != f.firstQuestionFor(slot, i) {
			continue
		}
		acted := false
		for _, later := range f.Steps[j:i] {
			switch {
			case later.Kind == StepAction:
				for _, o := range actionOutputs[later.Action] {
					delete(c.s.Slots, o)
				}
				acted = true
			case acted && later.Kind == StepAsk && c.b.Slots[later.Slot].Type == SlotYesNo && !f.asksBefore(later.Slot, j):
				delete(c.s.Slots, later.Slot)
			}
		}
		if acted && (c.redo < 0 || j < c.redo) {
			c.redo = j
		}
		return
	}
}

// firstQuestionFor returns the first question of f, before step i, of
// the action that reads slot where no step asks it (an accidental
// damage, told, then taken back): the questions its value made needless
// are asked from there. It returns -1 when a step asks slot, or none of
// the action's questions comes before i.
func (f *Flow) firstQuestionFor(slot string, i int) int {
	if f.asks(slot) {
		return -1
	}
	for k, a := range f.Steps[:i] {
		if a.Kind != StepAction || !a.reads(slot) {
			continue
		}
		return slices.IndexFunc(f.Steps[:k], func(st *Step) bool { return st.Kind == StepAsk && a.reads(st.Slot) })
	}
	return -1
}

// asksBefore reports whether f asks slot at a step before step j: a yes
// the flow asks before the question of a corrected value ("start a
// return?" before the delivery date) answers no decision taken from it,
// and stays when the flow decides again.
func (f *Flow) asksBefore(slot string, j int) bool {
	return slices.ContainsFunc(f.Steps[:j], func(st *Step) bool { return st.Kind == StepAsk && st.Slot == slot })
}

// skip declines the question of slot: an optional one, or one the flow
// lets go on without ("I don't know the model"). It reports whether the
// flow can go on.
func (c *conv) skip(slot string) bool {
	f, cur := c.current()
	if f == nil {
		return false
	}
	st := cur
	if st == nil || st.Kind != StepAsk || st.Slot != slot {
		// A later question declined in advance: "no budget".
		st = nil
		for _, later := range f.Steps {
			if later.Kind == StepAsk && later.Slot == slot {
				st = later
				break
			}
		}
		if st == nil || cur == nil || cur.Kind != StepAsk {
			return false
		}
		if _, known := c.s.Slots[slot]; known {
			return false
		}
	}
	if !st.Optional && st.Unknown != UnknownSkip {
		return false
	}
	c.s.SetSlot(slot, "")
	c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: slot, Value: ""})
	if st == cur {
		c.s.Retries = 0
	}
	return true
}

// fail answers a message that did not answer the pending question: the
// question once more, with its retry text; after that the bot moves on
// (skips a question the flow can do without) or offers a person, and
// never asks it a third time in a row.
func (c *conv) fail(f *Flow, st *Step) error {
	c.s.Retries++
	c.t.Record(bot.Event{Type: bot.EventFallback, Slot: st.Slot, Text: "invalid answer", Language: c.lang})
	// Put again after an FAQ the customer asked meanwhile, the question
	// was asked twice in a row already: never a third time.
	if c.s.Retries <= st.MaxRetries && c.askedInARow(st.Slot) < 2 {
		return c.retry(st)
	}
	c.s.Retries = 0
	if st.Optional || st.Unknown == UnknownSkip && !c.identifier(st) {
		c.s.SetSlot(st.Slot, "")
		c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: st.Slot, Value: ""})
		c.say(c.b.text(TextMoveOn, c.lang))
		return c.run(f, f.index[st.ID]+1)
	}
	c.s.SetVar(varOffer, offerHuman)
	c.say(c.b.text(TextOfferHuman, c.lang), c.humanButtons()...)
	return nil
}

// identifier reports whether st asks a code of a set shape (a pattern,
// the order number) with no Skip button: "I don't have it" goes on
// without it (unknown: skip), but two answers of no such shape ("the
// one from last week") describe what a person can find, and one is
// offered rather than the flow going on as though the customer had
// none.
func (c *conv) identifier(st *Step) bool {
	s := c.b.Slots[st.Slot]
	return s != nil && s.Type == SlotPattern && !st.Optional
}

// varAsked holds the slot of the question of the last turns and how many
// turns in a row it was put ("product 2").
const varAsked = "asked"

// asked counts a turn that puts the question of slot.
func (c *conv) asked(slot string) {
	n := c.askedInARow(slot)
	if n > 0 && strings.HasPrefix(c.s.Vars[varAsked], slot+" ") && c.s.Vars[varAskedTurn] == c.t.Message.ID {
		return // the same turn
	}
	c.s.SetVar(varAsked, slot+" "+strconv.Itoa(n+1))
	c.s.SetVar(varAskedTurn, c.t.Message.ID)
	if f, st := c.current(); f != nil && st != nil && st.Optional && st.Slot == slot {
		c.s.SetVar(varOptionalAsked, f.Name+" "+slot+" "+strconv.Itoa(c.optionalAsked(f, slot)+1))
	}
}

// varOptionalAsked counts the times the flow's last optional question
// was put, digressions between them included: "flow slot n".
const varOptionalAsked = "optional_asked"

// optionalAsked is how many times the optional question of slot of f was
// put since f began.
func (c *conv) optionalAsked(f *Flow, slot string) int {
	fs := strings.Fields(c.s.Vars[varOptionalAsked])
	if len(fs) != 3 || fs[0] != f.Name || fs[1] != slot {
		return 0
	}
	n, _ := strconv.Atoi(fs[2])
	return n
}

// varAskedTurn is the message whose turn last counted in varAsked.
const varAskedTurn = "asked_turn"

// askedInARow is how many turns in a row ended on the question of slot.
func (c *conv) askedInARow(slot string) int {
	name, n, ok := strings.Cut(c.s.Vars[varAsked], " ")
	if !ok || name != slot {
		return 0
	}
	k, _ := strconv.Atoi(n)
	return k
}

// retry asks the question of st again after an answer the bot could not
// read.
func (c *conv) retry(st *Step) error {
	c.s.Step = st.ID
	c.asked(st.Slot)
	c.t.Record(bot.Event{Type: bot.EventAsked, Flow: c.s.Flow, Slot: st.Slot})
	buttons := c.slotButtons(st)
	if c.b.Slots[st.Slot].Type == SlotProduct {
		// Did you mean: the products the answer came close to.
		if ms := c.b.productCat.Candidates(c.text, 3); len(ms) > 0 {
			buttons = nil
			for _, m := range ms {
				buttons = append(buttons, bot.Button{Title: c.b.products[m.Value].Name, Payload: slotPayload(st.Slot, m.Value)})
			}
		}
	}
	if !st.Retry.IsZero() {
		c.say(c.render(st.Retry.Text), buttons...)
		return nil
	}
	c.say(c.b.text(TextRetry, c.lang)+" "+c.render(st.Prompt.Text), buttons...)
	return nil
}

// unknownButton answers a button the bot does not know (a stale one, a
// forged one): it says so and puts its question or offer again.
func (c *conv) unknownButton(st *Step, offer string) {
	c.t.Record(bot.Event{Type: bot.EventFallback, Text: "unknown " + c.t.Message.Payload, Language: c.lang})
	c.say(c.b.text(TextUnknownButton, c.lang))
	switch {
	case st != nil && st.Kind == StepAsk:
		c.prompt(st)
	case offer == offerResume && c.s.Vars[varResume] != "":
		c.offerResume()
	}
}

// cancel drops the current flow at the customer's word, and says so
// unless another request follows.
func (c *conv) cancel(say bool) {
	if c.s.Flow != "" {
		c.t.Record(bot.Event{Type: bot.EventFlowEnded, Flow: c.s.Flow})
	}
	if f := c.b.Flows[c.s.Flow]; say && f != nil {
		for _, st := range f.Steps {
			if s := c.b.Slots[st.Slot]; st.Kind == StepAsk && s != nil && s.Type == SlotProduct && c.s.Slots[st.Slot] != "" {
				c.s.SetVar(varCancelled, f.Name+" "+c.s.Slots[st.Slot])
				break
			}
		}
	}
	c.s.Flow, c.s.Step, c.s.Stack, c.s.Retries = "", "", nil, 0
	c.s.SetVar(varIntent, "")
	c.s.SetVar(varResume, "")
	c.dropAgenda()
	if say {
		c.say(c.b.text(TextCancelled, c.lang))
		c.s.SetVar(varOffer, offerMore)
	}
}

// miss answers a message the bot did not understand: ask to rephrase,
// and after two misses in a row offer a person.
func (c *conv) miss() {
	c.s.Misses++
	c.t.Record(bot.Event{Type: bot.EventFallback, Text: "not understood", Language: c.lang})
	if c.s.Misses < 2 {
		c.say(c.b.text(TextRephrase, c.lang))
		return
	}
	c.s.SetVar(varOffer, offerHuman)
	c.say(c.b.text(TextFallback, c.lang), c.humanButtons()...)
}

// missOffTopic answers a message clearly about something else than the
// shop: what the bot can help with, the first time; a second miss in a
// row offers a person, as miss does.
func (c *conv) missOffTopic() {
	if c.s.Misses > 0 {
		c.miss()
		return
	}
	c.s.Misses++
	c.t.Record(bot.Event{Type: bot.EventFallback, Text: "off topic", Language: c.lang})
	c.say(c.b.text(TextOffTopic, c.lang))
}

func (c *conv) humanButtons() []bot.Button {
	return []bot.Button{
		{Title: c.b.text(TextButtonHuman, c.lang), Payload: PayloadHuman},
		{Title: c.b.text(TextButtonNoHuman, c.lang), Payload: PayloadNoHuman},
	}
}

// clarify asks which of two close intents the customer meant, naming
// them by their labels.
func (c *conv) clarify(a, b string) {
	la, lb := c.intentLabel(a), c.intentLabel(b)
	c.s.SetVar(varClarified, a+" "+b+"\t"+c.text)
	c.t.Record(bot.Event{Type: bot.EventFallback, Text: "clarify " + a + " or " + b, Language: c.lang})
	c.say(c.b.Text(TextClarify, c.lang, map[string]string{"a": la, "b": lb}),
		bot.Button{Title: capitalize(la), Payload: payloadIntent + a},
		bot.Button{Title: capitalize(lb), Payload: payloadIntent + b})
}

func (c *conv) intentLabel(name string) string {
	in := c.b.intents[name]
	if in != nil {
		if l := pick(in.Label.Text, c.lang, c.b.DefaultLanguage); l != "" {
			return l
		}
		if f := c.b.Flows[in.Flow]; f != nil {
			if l := pick(f.Label.Text, c.lang, c.b.DefaultLanguage); l != "" {
				return l
			}
		}
	}
	return strings.ReplaceAll(name, "_", " ")
}

func capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

func (c *conv) answerFAQ(f *FAQ, cite bool) { c.answerFAQOf(f, cite, "") }

// answerFAQOf says the answer of the FAQ entry f: cited, with the page
// the whole message finds, asking whether it helped (citeFAQ); or, with
// span (the clauses of the message the FAQ answers, beside a question
// for the pages whose answer asks whether it helped), cited with the
// page span finds; or not cited.
func (c *conv) answerFAQOf(f *FAQ, cite bool, span string) {
	c.recordFAQ(f)
	vars := c.vars()
	maps.Copy(vars, c.termsVars())
	answer := fill(pick(f.Answer.Text, c.lang, c.b.DefaultLanguage), vars)
	if cite && c.citeFAQ(f, answer, c.buttons(f.Buttons)) {
		return
	}
	if ix := c.b.Knowledge(); ix != nil && span != "" {
		if a, ok := ix.Answer(span, c.lang); ok {
			answer += "\n\n" + c.source(a)
		}
	}
	c.say(answer, c.buttons(f.Buttons)...)
}

// recordFAQ records the FAQ entry f as answered, and outside a flow what
// its question was about, for the next message.
func (c *conv) recordFAQ(f *FAQ) {
	c.t.Record(bot.Event{Type: bot.EventAction, Action: "faq", Value: f.ID})
	if c.s.Flow == "" {
		c.s.SetVar(varAnsweredFAQ, f.ID)
		// "how much is shipping for an air fryer?", then "ok I'll take
		// one": the next message's flow is about the product asked of.
		for _, fa := range c.b.read(c.text, c.lang, c.now, "") {
			if fa.kind == factProduct && c.b.products[fa.value] != nil {
				c.s.SetVar(varAnswered, fa.value)
				break
			}
		}
	}
}

// termsVars are the warranty terms of what the message names (a product,
// a category) or of the catalogue, for an answer such as "how long is
// the warranty on a laptop?".
func (c *conv) termsVars() map[string]string {
	w, of := c.b.Warranty, c.b.text(TextTheProduct, c.lang)
	for _, f := range c.b.read(c.text, c.lang, c.now, "") {
		switch f.kind {
		case factProduct:
			if p := c.b.products[f.value]; p != nil {
				w, of = p.Warranty, p.Name
			}
		case factCategory:
			if cat := c.b.categories[f.value]; cat != nil && of == c.b.text(TextTheProduct, c.lang) {
				of = pick(cat.Name.Text, c.lang, c.b.DefaultLanguage)
			}
		case factBrand:
			// "e per samsung?": the catalogue's terms, of the brand named.
			if f.sold && of == c.b.text(TextTheProduct, c.lang) {
				of = capitalize(f.value)
			}
		}
	}
	return map[string]string{
		"warranty_of":              of,
		"warranty_consumer_months": strconv.Itoa(w.Consumer + w.Extended),
		"warranty_business_months": strconv.Itoa(w.Business + w.Extended),
		"warranty_extended_months": strconv.Itoa(w.Extended),
	}
}

func (c *conv) buttons(specs []ButtonSpec) []bot.Button {
	var bs []bot.Button
	for _, s := range specs {
		bs = append(bs, bot.Button{Title: c.render(s.Title.Text), Payload: payloadIntent + s.Intent})
	}
	return bs
}

// goesBack reopens the innermost interrupted flow when the message that
// answers "shall we pick up where we left off?" starts that flow again
// ("ok thanks, the tv I bought in december"): the customer is going on
// with it, whatever the "thanks" resembles, so what it already holds
// stays and the message's values fill it. The start and the answer to
// the offer are dropped from cmds; the rest is carried out in the
// reopened flow. cmds is returned unchanged otherwise.
func (c *conv) goesBack(cmds []Command) []Command {
	if len(c.s.Stack) == 0 {
		return cmds
	}
	fr := c.s.Stack[len(c.s.Stack)-1]
	f := c.b.Flows[fr.Flow]
	if f == nil || c.s.Flow != "" || !slices.ContainsFunc(cmds, func(o Command) bool { return o.Kind == CmdStartFlow && o.Flow == fr.Flow }) {
		return cmds
	}
	c.s.Stack = c.s.Stack[:len(c.s.Stack)-1]
	c.s.SetVar(varResume, "")
	c.reopen(f, fr)
	return slices.DeleteFunc(slices.Clone(cmds), func(o Command) bool {
		return o.Kind == CmdStartFlow && o.Flow == fr.Flow || (o.Kind == CmdAffirm || o.Kind == CmdDeny) && o.Value == offerResume
	})
}

// reopen makes the interrupted flow of frame fr the active one again, at
// its step, with its values and what the digression learned of the
// customer.
func (c *conv) reopen(f *Flow, fr bot.Frame) {
	slots := fr.Slots
	if slots == nil {
		slots = map[string]string{}
	}
	for _, name := range keysOf(c.s.Slots) {
		v := c.s.Slots[name]
		switch s := c.b.Slots[name]; {
		case s != nil && s.Remember:
			slots[name] = v
		case v != "" && slots[name] != v:
			// What the digression learned for itself (the date of the
			// order it looked up) is not the interrupted flow's: the
			// transcript shows it forgotten, or restored to the old value.
			if _, held := slots[name]; !held {
				c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: name, Value: ""})
			}
		}
	}
	for _, name := range keysOf(slots) {
		if v := slots[name]; v != "" && c.s.Slots[name] != v {
			c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: name, Value: v})
		}
	}
	c.s.Flow, c.s.Step, c.s.Slots, c.s.Retries = fr.Flow, fr.Step, slots, 0
	for _, in := range c.b.Intents {
		if in.Flow == f.Name {
			c.s.SetVar(varIntent, in.Name)
			break
		}
	}
	c.t.Record(bot.Event{Type: bot.EventFlowResumed, Flow: f.Name})
}

// resume goes back to the innermost interrupted flow, or forgets them all.
func (c *conv) resume(yes bool) error {
	c.s.SetVar(varResume, "")
	if len(c.s.Stack) == 0 {
		return nil
	}
	fr := c.s.Stack[len(c.s.Stack)-1]
	c.s.Stack = c.s.Stack[:len(c.s.Stack)-1]
	f := c.b.Flows[fr.Flow]
	if !yes || f == nil {
		c.s.Stack = nil
		c.say(c.b.text(TextResumeNo, c.lang))
		c.s.SetVar(varOffer, offerMore)
		return nil
	}
	// What the digression learned of the customer stays.
	c.reopen(f, fr)
	i, ok := f.index[fr.Step]
	if !ok {
		i = 0
	}
	return c.run(f, i)
}

// isBareSkip reports whether text is nothing but a refusal or a "don't
// know": the only skip a free-text question takes.
func isBareSkip(text string) bool {
	w := words(text)
	if len(w) > 5 {
		return false
	}
	switch strings.Join(w, " ") {
	case "no", "salta", "skip", "nessuno", "nessuna", "niente", "none", "nothing", "boh", "pass", "next", "avanti",
		"non lo so", "non so", "non saprei", "i don t know", "dont know", "i dont know", "don t know", "no idea", "not sure":
		return true
	}
	return false
}

// isSkip reports whether text declines a question: "no", "non ho un
// budget", "I don't know", "any is fine".
func isSkip(text string) bool { return isSkipIn(saying(text)) }

func isSkipIn(s said) bool {
	w := s.words
	switch strings.Join(w, " ") {
	case "no", "salta", "skip", "nessuno", "nessuna", "none", "boh", "any", "whatever", "pass", "next", "avanti":
		return true
	}
	// Every way of not knowing declines the question ("no clue when she
	// bought it"): notKnowing; and these ways of not minding.
	if s.has(notMindingPhrases) || s.has(notKnowingPhrases) {
		return true
	}
	// "no, grazie", "nessuno in particolare", "nothing in particular": a
	// short answer that opens with a no.
	return len(w) > 0 && len(w) <= 4 && (w[0] == "no" || w[0] == "nessuno" || w[0] == "nessuna" || w[0] == "niente" || w[0] == "none" || w[0] == "nothing")
}

var notMindingPhrases = newPhrases(func(add func(string)) {
	for _, p := range []string{
		" non ho ", " nessun ", " nessuna ", " non importa ", " indifferente ",
		" qualsiasi ", " preferisco non ", " no grazie ", " non saprei ", " non ancora ", " non ci ho pensato ",
		" consigliatemi voi ", " consigliami tu ",
		" i don t have ", " i have no ", " no budget ",
		" non abbiamo ", " we don t have ", " we dont have ", " we have no ",
		" doesn t matter ", " no preference ", " any is fine ", " rather not ", " no thanks ", " haven t decided ",
		" you tell me ",
		// "budget non ne ho, fatemi voi un prezzo", "no fixed budget, send
		// us your best price": no figure, the shop is to name one.
		" non ne ho ", " non ne abbiamo ", " fatemi voi ", " fateci voi ", " decidete voi ", " il vostro miglior prezzo ",
		" no fixed ", " no set ", " no specific ", " no real ", " your best price ", " your best offer ",
		" nessuno in particolare ", " nessuna in particolare ", " niente di particolare ", " nessuno di preciso ",
		" none in particular ", " nothing in particular ", " no one in particular ", " nothing specific ",
	} {
		add(p)
	}
})

// lackedLabel returns the label of st's slot as TextLacked names it
// ("without the order number ..."), or "" when it has none to name, or
// asks a yes or no ("a repair quote?"), which nobody lacks.
func (c *conv) lackedLabel(st *Step) string {
	slot := c.b.Slots[st.Slot]
	if slot == nil || slot.Type == SlotYesNo {
		return ""
	}
	return strings.ToLower(pick(slot.Label.Text, c.lang, c.b.DefaultLanguage))
}

// sayLacked says the customer has not got what st asks and told other
// things instead, with a person offered (TextLacked); with no label to
// name, a yes or a no asked for (TextLackedYesNo), or the offer alone.
func (c *conv) sayLacked(st *Step) {
	switch label := c.lackedLabel(st); {
	case label != "":
		c.say(c.b.Text(TextLacked, c.lang, map[string]string{"label": label}), c.humanButtons()...)
	case c.b.Slots[st.Slot] != nil && c.b.Slots[st.Slot].Type == SlotYesNo:
		c.say(c.b.text(TextLackedYesNo, c.lang), c.humanButtons()...)
	default:
		c.say(c.b.text(TextOfferHuman, c.lang), c.humanButtons()...)
	}
	c.s.Retries = 0
	c.s.SetVar(varOffer, offerHuman)
}
