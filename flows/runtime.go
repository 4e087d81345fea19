package flows

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows/extract"
	"github.com/sportello/sportello/flows/nlu"
)

// Payloads of the buttons the runtime shows. They are short: Telegram
// carries at most 64 bytes of callback data.
const (
	PayloadHuman    = "human"   // hand the conversation to a person
	PayloadNoHuman  = "nohuman" // decline the offer of a person
	PayloadResume   = "r:y"     // go back to the interrupted flow
	PayloadNoResume = "r:n"     // do not go back
	payloadIntent   = "i:"      // i:<intent>, as if the customer said it
	payloadSlot     = "s:"      // s:<slot>:<value> answers the question of slot
	skipValue       = "-"       // s:<slot>:- skips an optional question
)

// Session bookkeeping kept in Session.Vars.
const (
	varIntent = "intent" // the intent that started the current flow
	varResume = "resume" // set while the bot asks whether to resume
)

// maxStack bounds the digressions the bot remembers.
const maxStack = 3

// maxSteps bounds the steps one message may run, against goto loops.
const maxSteps = 200

// Runtime answers customers in bot mode by running a Bot's flows: it is
// the bot.Responder of the product. It is safe for concurrent use.
type Runtime struct {
	b *Bot
}

var _ bot.Responder = (*Runtime)(nil)

// NewRuntime returns the Responder that runs b.
func NewRuntime(b *Bot) *Runtime { return &Runtime{b: b} }

// Bot returns the flow file the runtime runs.
func (r *Runtime) Bot() *Bot { return r.b }

// Respond answers t.Message: it detects the language, fills the slot the
// current question waits for, or follows the customer's intent, and runs
// the flow until the next question, handoff or end.
func (r *Runtime) Respond(ctx context.Context, t *bot.Turn) error {
	m := t.Message
	if m.Kind != bot.KindCustomer {
		return nil
	}
	c := &conv{b: r.b, t: t, s: t.Session, now: m.Time}
	if c.now.IsZero() {
		c.now = time.Now()
	}
	c.text = strings.TrimSpace(m.Text)
	if c.text == "" {
		for _, a := range m.Attachments {
			c.text = strings.TrimSpace(a.Caption)
		}
	}
	c.lang = c.language()
	c.s.Language = c.lang
	return c.handle()
}

// A conv is one message being answered.
type conv struct {
	b    *Bot
	t    *bot.Turn
	s    *bot.Session
	now  time.Time
	text string
	lang string
}

// language picks the reply language: the session's, else the channel's
// hint, else the detected one when confident, else the default; and it
// switches when the customer clearly writes in another of the bot's
// languages.
func (c *conv) language() string {
	b := c.b
	lang := c.s.Language
	if !slices.Contains(b.Languages, lang) {
		lang = ""
	}
	if lang == "" {
		if h := bot.BaseLanguage(c.t.Message.Sender.Language); slices.Contains(b.Languages, h) {
			lang = h
		}
	}
	if c.t.Message.Payload != "" || c.text == "" {
		if lang == "" {
			lang = b.DefaultLanguage
		}
		return lang
	}
	detected, conf := nlu.DetectLanguage(c.text)
	if !slices.Contains(b.Languages, detected) {
		detected = ""
	}
	switch {
	case lang == "" && detected != "" && conf >= 0.7:
		return detected
	case lang == "":
		return b.DefaultLanguage
	case detected != "" && detected != lang && conf >= 0.9 && len(strings.Fields(c.text)) >= 3:
		return detected
	}
	return lang
}

func (c *conv) handle() error {
	if p := c.t.Message.Payload; p != "" {
		return c.payload(p)
	}
	scores := c.b.Classify(c.text)
	if len(scores) > 0 {
		c.t.Record(bot.Event{Type: bot.EventIntent, Intent: scores[0].Intent, Confidence: scores[0].Confidence, Language: c.lang})
	}
	top := c.confident(scores)
	if c.s.Vars[varResume] != "" {
		if yes, ok := extract.YesNo(c.text, c.lang); ok && (top == nil || len(strings.Fields(c.text)) <= 3) {
			return c.resume(yes)
		}
		// The customer moved on: forget what was interrupted.
		c.s.SetVar(varResume, "")
		c.s.Stack = nil
	}
	if top != nil && top.Handoff {
		c.handoff(c.b.Text(TextHandoff, c.lang, c.teamVars()), "", "the customer asked for a person", nil)
		return nil
	}
	if f, st := c.current(); st != nil {
		if st.Kind == StepAsk {
			slot := c.b.Slots[st.Slot]
			// An answer is not a new intent unless it clearly is one: a
			// free-text answer takes anything, so it needs an even
			// clearer intent to be interrupted.
			clear := top != nil && top.Flow != f.Name && !c.ambiguous(scores)
			if clear && scores[0].Confidence < max(0.6, c.b.Threshold+0.15) {
				clear = false
			}
			// Small talk (hello, thanks, bye) answered mid-question is
			// rarely what was meant: "no sound at all" is not a goodbye.
			if clear && !top.Reply.IsZero() && scores[0].Confidence < 0.85 {
				clear = false
			}
			if slot.Type == SlotText && clear && scores[0].Confidence < max(0.8, c.b.Threshold+0.2) {
				clear = false
			}
			if !(slot.Type == SlotText && clear) {
				if ok, err := c.answer(f, st, c.text); ok || err != nil {
					return err
				}
			}
			if clear {
				return c.digress(top)
			}
			return c.retry(f, st)
		}
	}
	c.s.Flow, c.s.Step = "", ""
	return c.route(scores)
}

// confident returns the best intent when the classifier is sure enough.
func (c *conv) confident(scores []nlu.Scored) *Intent {
	if len(scores) == 0 || scores[0].Confidence < c.b.Threshold {
		return nil
	}
	return c.b.intents[scores[0].Intent]
}

// ambiguous reports whether the two best intents are too close to choose.
func (c *conv) ambiguous(scores []nlu.Scored) bool {
	// Both must be plausible: the second at least half the threshold.
	if len(scores) < 2 || scores[0].Confidence-scores[1].Confidence >= c.b.Margin ||
		scores[1].Confidence < c.b.Threshold/2 {
		return false
	}
	a, b := c.b.intents[scores[0].Intent], c.b.intents[scores[1].Intent]
	return a != nil && b != nil && (a.Flow != b.Flow || a.FAQ != b.FAQ || a.Handoff != b.Handoff || a.Reply.Key != b.Reply.Key)
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

// route follows the customer's intent outside a flow.
func (c *conv) route(scores []nlu.Scored) error {
	top := c.confident(scores)
	if top == nil {
		c.miss()
		return nil
	}
	if c.ambiguous(scores) {
		c.clarify(scores[0].Intent, scores[1].Intent)
		return nil
	}
	return c.start(top)
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
	c.say(c.b.text(TextFallback, c.lang), c.humanButtons()...)
}

func (c *conv) humanButtons() []bot.Button {
	return []bot.Button{
		{Title: c.b.text(TextButtonHuman, c.lang), Payload: PayloadHuman},
		{Title: c.b.text(TextButtonNoHuman, c.lang), Payload: PayloadNoHuman},
	}
}

// clarify asks which of two close intents the customer meant.
func (c *conv) clarify(a, b string) {
	la, lb := c.intentLabel(a), c.intentLabel(b)
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

// start does what intent in asks for, outside a flow.
func (c *conv) start(in *Intent) error {
	c.s.Misses = 0
	switch {
	case in.Handoff:
		c.handoff(c.b.Text(TextHandoff, c.lang, c.teamVars()), "", "the customer asked for a person", nil)
	case in.FAQ != "":
		c.answerFAQ(c.b.FAQ[in.FAQ])
	case !in.Reply.IsZero():
		c.say(c.render(in.Reply.Text))
	case in.Flow != "":
		c.s.SetVar(varIntent, in.Name)
		return c.startFlow(c.b.Flows[in.Flow], c.text)
	}
	return nil
}

func (c *conv) answerFAQ(f *FAQ) {
	c.t.Record(bot.Event{Type: bot.EventAction, Action: "faq", Value: f.ID})
	c.say(c.render(f.Answer.Text), c.buttons(f.Buttons)...)
}

func (c *conv) buttons(specs []ButtonSpec) []bot.Button {
	var bs []bot.Button
	for _, s := range specs {
		bs = append(bs, bot.Button{Title: c.render(s.Title.Text), Payload: payloadIntent + s.Intent})
	}
	return bs
}

// digress follows a new intent in the middle of a flow: an answer, and
// the question again; or a new flow, keeping the interrupted one on the
// stack to offer it back when the new one ends.
func (c *conv) digress(in *Intent) error {
	f, st := c.current()
	switch {
	case in.Handoff:
		c.handoff(c.b.Text(TextHandoff, c.lang, c.teamVars()), "", "the customer asked for a person", nil)
		return nil
	case in.Flow == "":
		if err := c.start(in); err != nil {
			return err
		}
		if st != nil && c.s.Flow == f.Name {
			c.prompt(st)
		}
		return nil
	}
	c.s.Stack = append(c.s.Stack, bot.Frame{Flow: c.s.Flow, Step: c.s.Step, Slots: maps.Clone(c.s.Slots)})
	if len(c.s.Stack) > maxStack {
		c.s.Stack = slices.Delete(c.s.Stack, 0, len(c.s.Stack)-maxStack)
	}
	c.s.SetVar(varIntent, in.Name)
	return c.startFlow(c.b.Flows[in.Flow], c.text)
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
		return nil
	}
	c.s.Flow, c.s.Step, c.s.Slots, c.s.Retries = fr.Flow, fr.Step, fr.Slots, 0
	for _, in := range c.b.Intents {
		if in.Flow == f.Name {
			c.s.SetVar(varIntent, in.Name)
			break
		}
	}
	c.t.Record(bot.Event{Type: bot.EventFlowResumed, Flow: f.Name})
	i, ok := f.index[fr.Step]
	if !ok {
		i = 0
	}
	return c.run(f, i)
}

// startFlow starts f, filling its slots from what the customer already
// said in text.
func (c *conv) startFlow(f *Flow, text string) error {
	for _, st := range f.Steps {
		if st.Kind == StepAsk {
			delete(c.s.Slots, st.Slot)
		}
		if st.Kind == StepAction {
			for _, o := range actionOutputs[st.Action] {
				delete(c.s.Slots, o)
			}
		}
	}
	c.s.Flow, c.s.Step, c.s.Retries = f.Name, "", 0
	c.t.Record(bot.Event{Type: bot.EventFlowStarted, Flow: f.Name})
	c.prefill(f, text, nil)
	return c.run(f, 0)
}

// prefillFirst are the slot types read first from a message, so that the
// words they match ("iPhone 15") are not read again as other slots (15).
var prefillFirst = []SlotType{SlotProduct, SlotCategory, SlotEmail, SlotPhone, SlotContact, SlotPattern}

// prefill fills the unfilled slots that f asks for and that text already
// answers. Free text and yes/no are never prefilled: any message would do.
// When only is not nil, only slots of those types are tried.
func (c *conv) prefill(f *Flow, text string, only []SlotType) {
	var asks []*Step
	for _, st := range f.Steps {
		s := c.b.Slots[st.Slot]
		if st.Kind != StepAsk || !st.Prefill || s == nil || s.Type == SlotText || s.Type == SlotYesNo {
			continue
		}
		if only != nil && !slices.Contains(only, s.Type) {
			continue
		}
		asks = append(asks, st)
	}
	slices.SortStableFunc(asks, func(a, b *Step) int {
		pa := slices.Contains(prefillFirst, c.b.Slots[a.Slot].Type)
		pb := slices.Contains(prefillFirst, c.b.Slots[b.Slot].Type)
		switch {
		case pa && !pb:
			return -1
		case pb && !pa:
			return 1
		}
		return 0
	})
	for _, st := range asks {
		if _, ok := c.s.Slots[st.Slot]; ok {
			continue
		}
		v, matched, ok := c.b.extractSlot(c.b.Slots[st.Slot], text, c.lang, c.now, true)
		if !ok {
			continue
		}
		c.fill(f, st.Slot, v)
		if matched != "" {
			text = strings.Replace(text, matched, " ", 1)
		}
	}
}

// fill sets slot to value. A product also tells its category.
func (c *conv) fill(f *Flow, slot, value string) {
	c.s.SetSlot(slot, value)
	c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: slot, Value: value})
	p := c.b.products[value]
	if c.b.Slots[slot].Type != SlotProduct || p == nil || p.Category == "" || f == nil {
		return
	}
	for _, st := range f.Steps {
		if st.Kind == StepAsk && c.b.Slots[st.Slot].Type == SlotCategory && c.s.Slots[st.Slot] == "" {
			c.s.SetSlot(st.Slot, p.Category)
			c.t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: st.Slot, Value: p.Category})
		}
	}
}

// answer tries text as the answer to ask step st, and goes on when it is.
func (c *conv) answer(f *Flow, st *Step, text string) (bool, error) {
	slot := c.b.Slots[st.Slot]
	if st.Optional && isSkip(text) {
		c.fill(f, st.Slot, "")
		return true, c.next(f, st)
	}
	v, matched, ok := c.b.extractSlot(slot, text, c.lang, c.now, false)
	if !ok && slot.Type == SlotCategory {
		// A product names its category too.
		if pv, _, pok := c.b.extractSlot(&Slot{Type: SlotProduct}, text, c.lang, c.now, false); pok {
			for _, other := range f.Steps {
				if other.Kind == StepAsk && c.b.Slots[other.Slot].Type == SlotProduct && c.s.Slots[other.Slot] == "" {
					c.fill(f, other.Slot, pv)
				}
			}
			if c.s.Slots[st.Slot] != "" {
				return true, c.next(f, st)
			}
		}
	}
	if !ok && st.Optional {
		// An optional question answered with what a later one asks ("no
		// model in mind" said as "about 1000 euros each"): take that, and
		// let the optional question go.
		before := len(c.s.Slots)
		c.prefill(f, text, []SlotType{SlotMoney, SlotDate, SlotPattern, SlotEmail, SlotPhone, SlotContact})
		if len(c.s.Slots) > before {
			c.fill(f, st.Slot, "")
			return true, c.next(f, st)
		}
	}
	if !ok {
		return false, nil
	}
	c.fill(f, st.Slot, v)
	if matched != "" {
		text = strings.Replace(text, matched, " ", 1)
	}
	// The customer may answer more than was asked: "the A15, bought in March".
	c.prefill(f, text, []SlotType{SlotProduct, SlotDate, SlotPattern, SlotEmail, SlotPhone, SlotContact})
	return true, c.next(f, st)
}

// isSkip reports whether text declines an optional question: "no",
// "non ho un budget", "I don't know", "any is fine".
func isSkip(text string) bool {
	w := words(text)
	joined := " " + strings.Join(w, " ") + " "
	switch strings.TrimSpace(joined) {
	case "no", "salta", "skip", "nessuno", "nessuna", "none", "boh", "any", "whatever", "pass", "next", "avanti":
		return true
	}
	for _, p := range []string{
		" non so ", " non lo so ", " non ho ", " nessun ", " nessuna ", " non importa ", " indifferente ",
		" qualsiasi ", " preferisco non ", " no grazie ", " non saprei ", " non ancora ", " non ci ho pensato ",
		" don t know ", " dont know ", " no idea ", " not sure ", " i don t have ", " i have no ", " no budget ",
		" doesn t matter ", " no preference ", " any is fine ", " rather not ", " no thanks ", " haven t decided ",
	} {
		if strings.Contains(joined, p) {
			return true
		}
	}
	return len(w) > 0 && w[0] == "no" && len(w) <= 4
}

// next runs f from the step after st.
func (c *conv) next(f *Flow, st *Step) error {
	c.s.Retries, c.s.Misses = 0, 0
	return c.run(f, f.index[st.ID]+1)
}

// retry asks the question of st again after an answer the bot could not
// read, and offers a person after too many.
func (c *conv) retry(f *Flow, st *Step) error {
	c.s.Retries++
	c.t.Record(bot.Event{Type: bot.EventFallback, Slot: st.Slot, Text: "invalid answer", Language: c.lang})
	if c.s.Retries > st.MaxRetries {
		c.s.Retries = 0
		c.say(c.b.text(TextOfferHuman, c.lang), c.humanButtons()...)
		return nil
	}
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

// prompt asks the question of st.
func (c *conv) prompt(st *Step) {
	c.s.Step = st.ID
	c.t.Record(bot.Event{Type: bot.EventAsked, Flow: c.s.Flow, Slot: st.Slot})
	c.say(c.render(st.Prompt.Text), c.slotButtons(st)...)
}

// slotButtons are the quick replies of a question: the options of a
// choice, yes and no, the categories, or the products of the category
// the customer named.
func (c *conv) slotButtons(st *Step) []bot.Button {
	s := c.b.Slots[st.Slot]
	var bs []bot.Button
	add := func(title, value string) {
		bs = append(bs, bot.Button{Title: title, Payload: slotPayload(s.Name, value)})
	}
	switch s.Type {
	case SlotChoice:
		for _, o := range s.Options {
			add(c.b.optionLabel(o, c.lang), o.Value)
		}
	case SlotYesNo:
		add(c.b.text(TextButtonYes, c.lang), "yes")
		add(c.b.text(TextButtonNo, c.lang), "no")
	case SlotCategory:
		for _, cat := range c.b.Categories {
			add(pick(cat.Name.Text, c.lang, c.b.DefaultLanguage), cat.ID)
		}
	case SlotProduct:
		if cat := c.category(); cat != "" {
			for _, p := range c.b.Products {
				if p.Category == cat && len(bs) < 8 {
					add(p.Name, p.ID)
				}
			}
		}
	}
	if st.Optional {
		add(c.b.text(TextButtonSkip, c.lang), skipValue)
	}
	return bs
}

// category is the product category the conversation is about: a filled
// category slot, or one the customer's message names.
func (c *conv) category() string {
	for name, v := range c.s.Slots {
		if s := c.b.Slots[name]; s != nil && s.Type == SlotCategory && v != "" {
			return v
		}
	}
	if m, ok := c.b.categoryCat.Choice(c.text); ok {
		return m.Value
	}
	return ""
}

// run runs f from step i until a question, a handoff or the end.
func (c *conv) run(f *Flow, i int) error {
	for n := 0; ; n++ {
		if n > maxSteps {
			return fmt.Errorf("flows: flow %s runs more than %d steps without a question: a goto loop?", f.Name, maxSteps)
		}
		if i < 0 || i >= len(f.Steps) {
			c.end(f)
			return nil
		}
		st := f.Steps[i]
		c.s.Step = st.ID
		switch st.Kind {
		case StepSay:
			c.say(c.render(st.Say.Text), c.buttons(st.Buttons)...)
			i++
		case StepAsk:
			if _, ok := c.s.Slots[st.Slot]; ok {
				i++
				continue
			}
			c.s.Retries = 0
			c.prompt(st)
			return nil
		case StepBranch:
			next := i + 1
			for _, k := range st.Cases {
				if k.Cond == nil || k.Cond.Eval(c.s.Slots) {
					next = f.index[k.Goto]
					break
				}
			}
			i = next
		case StepAction:
			c.action(st)
			i++
		case StepHandoff:
			text := c.b.Text(TextHandoff, c.lang, c.teamVarsOf(st.Team))
			if !st.Say.IsZero() {
				text = c.render(st.Say.Text)
			}
			c.handoff(text, st.Team, st.Reason, st.Summary)
			return nil
		case StepGoto:
			i = f.index[st.Goto]
		case StepFlow:
			c.t.Record(bot.Event{Type: bot.EventFlowEnded, Flow: f.Name})
			return c.startFlow(c.b.Flows[st.Flow], "")
		case StepEnd:
			c.end(f)
			return nil
		}
	}
}

// action runs a built-in action.
func (c *conv) action(st *Step) {
	switch st.Action {
	case "warranty_check":
		outcome, out := c.b.warrantyCheck(st, c.s.Slots, c.lang, c.now)
		for k, v := range out {
			c.s.SetSlot(k, v)
		}
		c.t.Record(bot.Event{Type: bot.EventAction, Action: st.Action, Value: outcome})
	}
}

// end closes f and offers to go back to an interrupted flow.
func (c *conv) end(f *Flow) {
	c.t.Record(bot.Event{Type: bot.EventFlowEnded, Flow: f.Name})
	c.s.Flow, c.s.Step, c.s.Retries = "", "", 0
	c.s.SetVar(varIntent, "")
	c.offerResume()
}

// offerResume asks whether to go back to the innermost interrupted flow.
func (c *conv) offerResume() {
	if len(c.s.Stack) == 0 {
		c.s.SetVar(varResume, "")
		return
	}
	fr := c.s.Stack[len(c.s.Stack)-1]
	label := strings.ReplaceAll(fr.Flow, "_", " ")
	if old := c.b.Flows[fr.Flow]; old != nil {
		if l := pick(old.Label.Text, c.lang, c.b.DefaultLanguage); l != "" {
			label = l
		}
	}
	c.s.SetVar(varResume, fr.Flow)
	c.say(c.b.Text(TextResume, c.lang, map[string]string{"flow": label}),
		bot.Button{Title: c.b.text(TextButtonYes, c.lang), Payload: PayloadResume},
		bot.Button{Title: c.b.text(TextButtonNo, c.lang), Payload: PayloadNoResume})
}

// teamVars are the placeholders of the handoff text for the team that
// would take the conversation now.
func (c *conv) teamVars() map[string]string { return c.teamVarsOf("") }

func (c *conv) teamVarsOf(team string) map[string]string {
	team = c.team(team)
	vars := c.vars()
	vars["team"] = pick(c.b.Teams[team].Name.Text, c.lang, c.b.DefaultLanguage)
	return vars
}

// team returns team, or the current flow's, or the default one.
func (c *conv) team(team string) string {
	if team != "" {
		return team
	}
	if f := c.b.Flows[c.s.Flow]; f != nil && f.Team != "" {
		return f.Team
	}
	return c.b.DefaultTeam
}

// handoff hands the conversation to a team with what the bot learned.
func (c *conv) handoff(text, team, reason string, summary []string) {
	team = c.team(team)
	c.say(text)
	cs := bot.Case{
		Team:     team,
		TeamName: pick(c.b.Teams[team].Name.Text, c.lang, c.b.DefaultLanguage),
		Intent:   c.s.Vars[varIntent],
		Reason:   reason,
		Slots:    map[string]string{},
	}
	// Agents read the case in the shop's own language.
	def := c.b.DefaultLanguage
	for name, v := range c.s.Slots {
		if v != "" && c.b.Slots[name] != nil {
			cs.Slots[name] = c.b.display(name, v, def)
		}
	}
	if cs.Intent == "" {
		cs.Intent = "human"
	}
	cs.Summary = c.summary(summary, cs.Slots)
	if c.s.Flow != "" {
		c.t.Record(bot.Event{Type: bot.EventFlowEnded, Flow: c.s.Flow})
	}
	c.t.HandOff(cs)
	c.s.Flow, c.s.Step, c.s.Stack, c.s.Retries, c.s.Misses = "", "", nil, 0, 0
	c.s.SetVar(varResume, "")
	c.s.SetVar(varIntent, "")
}

// summary renders the summary lines of a handoff, dropping lines whose
// slots are all empty; without lines, one line per filled slot.
func (c *conv) summary(lines []string, values map[string]string) []string {
	var out []string
	vars := maps.Clone(values)
	vars["shop"] = c.b.Name
	for _, line := range lines {
		ps := placeholders(line)
		empty := len(ps) > 0
		for _, p := range ps {
			if vars[p] != "" {
				empty = false
			}
		}
		if !empty {
			out = append(out, fill(line, vars))
		}
	}
	if lines != nil {
		return out
	}
	for _, name := range keysOf(values) {
		s := c.b.Slots[name]
		if s.Type == slotOutput && name == "warranty_reason" {
			continue
		}
		label := pick(s.Label.Text, c.b.DefaultLanguage, c.b.DefaultLanguage)
		if label == "" {
			label = strings.ReplaceAll(name, "_", " ")
		}
		out = append(out, label+": "+values[name])
	}
	return out
}

// payload handles a pressed button.
func (c *conv) payload(p string) error {
	c.t.Record(bot.Event{Type: bot.EventIntent, Intent: "button:" + p, Confidence: 1, Language: c.lang})
	f, st := c.current()
	switch {
	case p == PayloadHuman:
		c.handoff(c.b.Text(TextHandoff, c.lang, c.teamVars()), "", "the customer asked for a person", nil)
		return nil
	case p == PayloadNoHuman:
		c.s.Misses, c.s.Retries = 0, 0
		c.say(c.b.text(TextContinue, c.lang))
		if st != nil && st.Kind == StepAsk {
			c.prompt(st)
		}
		return nil
	case (p == PayloadResume || p == PayloadNoResume) && c.s.Vars[varResume] != "":
		return c.resume(p == PayloadResume)
	case strings.HasPrefix(p, payloadIntent):
		in := c.b.intents[p[len(payloadIntent):]]
		if in == nil || in.Name == "oos" {
			break
		}
		c.s.SetVar(varResume, "")
		if st != nil && st.Kind == StepAsk && in.Flow != f.Name {
			return c.digress(in)
		}
		if st != nil && in.Flow == f.Name {
			c.prompt(st)
			return nil
		}
		return c.start(in)
	case strings.HasPrefix(p, payloadSlot):
		slot, value, _ := strings.Cut(p[len(payloadSlot):], ":")
		if st == nil || st.Kind != StepAsk || st.Slot != slot {
			break
		}
		s := c.b.Slots[slot]
		if value == skipValue && st.Optional {
			c.fill(f, slot, "")
			return c.next(f, st)
		}
		if s.values != nil && slices.Contains(s.values, value) {
			c.fill(f, slot, value)
			return c.next(f, st)
		}
	}
	c.t.Record(bot.Event{Type: bot.EventFallback, Text: "unknown button " + p, Language: c.lang})
	c.say(c.b.text(TextUnknownButton, c.lang))
	switch {
	case st != nil && st.Kind == StepAsk:
		c.prompt(st)
	case c.s.Vars[varResume] != "":
		c.offerResume()
	}
	return nil
}

// vars are the placeholder values of the conversation's texts.
func (c *conv) vars() map[string]string {
	vars := map[string]string{"shop": c.b.Name}
	for name, v := range c.s.Slots {
		vars[name] = c.b.display(name, v, c.lang)
	}
	return vars
}

// render fills a text in the customer's language.
func (c *conv) render(t Text) string {
	return fill(pick(t, c.lang, c.b.DefaultLanguage), c.vars())
}

func (c *conv) say(text string, buttons ...bot.Button) {
	c.t.Say(text, buttons...)
}
