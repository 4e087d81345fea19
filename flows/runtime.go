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
	// varResumeAgain is set once the bot has asked it again, after a
	// thanks that answered nothing.
	varResumeAgain = "resume_again"
	varAside       = "aside" // slots told in a flow that does not ask them, for the next one
	// varAnswered is the product an FAQ question outside any flow named
	// ("how long is the warranty on the dyson?"), for one message: a
	// flow the next message starts is about it unless that names another
	// ("ok, mine stopped charging").
	varAnswered = "answered"
	// varAnsweredFAQ is the FAQ entry answered outside any flow, for one
	// message: a bare name then asks the same of it (State.Answered).
	varAnsweredFAQ = "answered_faq"
	// varCancelled is the flow a "never mind" dropped and the product it
	// was about ("warranty delonghi-magnifica"), for one message: the same
	// flow started again by the next message ("ok I checked, it's still
	// leaking") is about it unless that names another.
	varCancelled = "cancelled"
	// varLangLean is the other language the last message was written in,
	// clearly but briefly: a second such message in a row switches the
	// conversation to it (conv.language).
	varLangLean = "lang_lean"
)

// maxStack bounds the digressions the bot remembers.
const maxStack = 3

// maxSteps bounds the steps one message may run, against goto loops.
const maxSteps = 200

// Runtime answers customers in bot mode by running a Bot's flows: it is
// the bot.Responder of the product. It is safe for concurrent use.
type Runtime struct {
	b      *Bot
	u      Understander
	orders *orderSystem   // set by SetOrders, for order_lookup
	zone   *time.Location // set by SetZone: the shop's days
}

var _ bot.Responder = (*Runtime)(nil)

// NewRuntime returns the Responder that runs b.
func NewRuntime(b *Bot) *Runtime { return &Runtime{b: b, u: rules{b}} }

// Understander returns the understanding the runtime uses.
func (r *Runtime) Understander() Understander { return r.u }

// SetUnderstander replaces the built-in understanding, for a second
// source of commands; the dialogue checks its commands against the file.
func (r *Runtime) SetUnderstander(u Understander) { r.u = u }

// SetZone makes loc the time zone of the conversations' days: today,
// the days a customer names, an order's dates. Without it they are the
// days of each message's own time, which channels stamp in the
// machine's zone (a container's is UTC): a parcel that left at 00:30 in
// Rome would have left the day before. Call it before the runtime
// answers its first message.
func (r *Runtime) SetZone(loc *time.Location) { r.zone = loc }

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
	c := &conv{ctx: ctx, b: r.b, u: r.u, orders: r.orders, t: t, s: t.Session, now: m.Time, redo: -1}
	if c.now.IsZero() {
		c.now = time.Now()
	}
	if r.zone != nil {
		c.now = c.now.In(r.zone)
	}
	c.text = strings.TrimSpace(m.Text)
	if c.text == "" {
		for _, a := range m.Attachments {
			c.text = strings.TrimSpace(a.Caption)
		}
	}
	// The dialogue's rules read the words the understanding reads: spelt
	// right (spelling.go), once for both.
	c.spelt = c.b.respell(c.text)
	c.text = c.spelt.Text
	c.lang = c.language()
	c.s.Language = c.lang
	return c.handle(ctx)
}

// A conv is one message being answered. It lives for one call of
// Respond, whose ctx it carries for the actions that look things up.
type conv struct {
	ctx    context.Context
	b      *Bot
	u      Understander
	orders *orderSystem
	// was and wasFlow are the step and flow the message answers.
	was, wasFlow string
	t            *bot.Turn
	s            *bot.Session
	now          time.Time
	text         string
	// spelt is the message's respelling, whose Text is text.
	spelt *extract.Respelt
	lang  string
	// docQuestion is the question the documents answered last, while the
	// customer says whether it helped: a case opened then carries it.
	docQuestion string
	// redo is the step a correction sends the flow back to, so that what
	// was decided from the old value is decided again; -1 when none.
	redo int
	// answered is the product the FAQ answer of the bot's last reply was
	// about (varAnswered), for a flow this message starts.
	answered string
	// pending is the case of a request that waits for the next one on the
	// agenda, for the same team, to hand off with it (handsOffTogether).
	pending *bot.Case
	// cancelled is the flow and product the bot's last reply dropped
	// (varCancelled), for the same flow this message starts again.
	cancelled string
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
	// What the customer quotes (an error message in English pasted in
	// an Italian sentence) is not the language they write in.
	own := unquoted(c.text)
	if own == "" {
		if lang == "" {
			lang = b.DefaultLanguage
		}
		return lang
	}
	// The customer says the language they write in, or want to be
	// written in: "ok scrivo in italiano, il cap è ...", "English
	// please", and as the first message "can we speak italian?".
	if named := announcedLanguage(pastGreeting(c.text)); named != "" && slices.Contains(b.Languages, named) {
		c.s.SetVar(varLangLean, "")
		return named
	}
	detected, conf := nlu.DetectLanguage(own)
	if !slices.Contains(b.Languages, detected) {
		detected = ""
	}
	switch {
	case lang == "" && detected != "" && conf >= 0.7:
		return detected
	case lang == "":
		return b.DefaultLanguage
	}
	// Another language, clearly, in one long message or in two in a row.
	lean := ""
	if detected != "" && detected != lang && conf >= 0.75 && spokenWords(own) >= 2 {
		lean = detected
	}
	switch {
	case lean != "" && conf >= 0.9 && spokenWords(own) >= 3:
		c.s.SetVar(varLangLean, "")
		return detected
	case lean != "" && c.s.Vars[varLangLean] == lean:
		c.s.SetVar(varLangLean, "")
		return detected
	}
	c.s.SetVar(varLangLean, lean)
	return lang
}

// unquoted returns text without what it quotes: the words between
// quotation marks ("...", “...”, «...»), and what follows a colon after
// a word that says a screen or a message shows something ("sullo
// schermo compare la scritta: No bootable device", "the error says:
// ..."). A quotation mark left open quotes to the end. It returns the
// whole text when it quotes nothing, and "" when the text is all quote.
func unquoted(text string) string {
	var b strings.Builder
	var closing rune // the mark that ends the quote being read; 0 outside
	for _, r := range text {
		next := quoteStep(closing, r)
		switch {
		case closing != 0 && next == 0:
			b.WriteByte(' ') // the quote ends
		case closing == 0 && next == 0:
			b.WriteRune(r)
		}
		closing = next
	}
	out := b.String()
	if before, after, ok := strings.Cut(out, ":"); ok && strings.TrimSpace(after) != "" {
		w := words(before)
		if len(w) > 0 && quoteLeads[w[len(w)-1]] {
			out = before
		}
	}
	if strings.TrimSpace(out) == "" {
		return ""
	}
	return out
}

// quotes reports whether the middle of part, a piece of text, lies
// inside one of text's quotation marks: the customer quotes it ("dice
// \"Press any key to reboot\"") and asks nothing with it.
func quotes(text, part string) bool {
	at := strings.Index(text, strings.TrimSpace(part))
	if at < 0 {
		return false
	}
	mid := at + len(strings.TrimSpace(part))/2
	var closing rune
	for i, r := range text {
		if i >= mid {
			return closing != 0
		}
		closing = quoteStep(closing, r)
	}
	return false
}

// quoteStep reads r after the quotation marks before it, closing being
// the mark that ends the quote open (0 outside one), and returns the mark
// that ends the quote open after r: unquoted and quotes read the marks
// alike.
func quoteStep(closing, r rune) rune {
	switch {
	case closing != 0 && r == closing:
		return 0
	case closing != 0:
		return closing
	case r == '"':
		return '"'
	case r == '“':
		return '”'
	case r == '«':
		return '»'
	}
	return 0
}

// quoteLeads are the words before a colon that say what follows is
// shown or said by a device, not written by the customer: "dice:",
// "la scritta:", "the error says:", "message:".
var quoteLeads = map[string]bool{
	"dice": true, "scritta": true, "scritto": true, "errore": true, "messaggio": true, "compare": true, "appare": true, "avviso": true, "codice": true,
	"says": true, "said": true, "shows": true, "reads": true, "error": true, "message": true, "warning": true, "displays": true,
}

// announcedLanguage returns the language that the clauses opening text
// name as the one to write in ("ok scrivo in italiano", "English
// please", "possiamo parlare in inglese?"), or "" when they name none, or
// name one denied ("non parlo italiano", "I don't speak Italian": the
// words around it tell the language) or more than one.
func announcedLanguage(text string) string {
	if _, ok := afterLanguageAsk(text); !ok {
		return askedLanguageLater(text)
	}
	named := ""
	for _, clause := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(",.;:!?", r) }) {
		w := words(clause)
		if len(w) == 0 {
			continue
		}
		if slices.ContainsFunc(w, isOtherWord) {
			break
		}
		var ok bool
		if named, ok = languageNamed(named, w); !ok {
			return ""
		}
	}
	return named
}

// languageNamed adds to named the language a clause's words w ask for:
// false when the clause denies it ("I don't speak Italian") or names
// another language than named.
func languageNamed(named string, w []string) (string, bool) {
	if slices.ContainsFunc(w, func(x string) bool { return x == "non" || x == "not" || x == "don" || x == "no" }) {
		return "", false
	}
	for _, x := range w {
		if code := languageCodes[x]; code != "" {
			if named != "" && named != code {
				return "", false
			}
			named = code
		}
	}
	return named, true
}

// askedLanguageLater returns the language that a clause after the
// message's answer asks the bot to write in, whole ("hannah@example.com.
// actually can you write in italian? scrivete in italiano per favore"):
// every word of the clause is one of a request for a language, and one
// of them asks (write, speak, please...), so "in Italian only" about a
// manual is none. A denied one ("I don't speak Italian") or two
// languages name none.
func askedLanguageLater(text string) string {
	named := ""
	for _, clause := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(",.;:!?", r) }) {
		w := words(clause)
		for len(w) > 0 && slices.Contains(clauseJoins, " "+w[0]+" ") {
			w = w[1:] // "and could you reply in italian"
		}
		if len(w) == 0 || slices.ContainsFunc(w, isOtherWord) || !slices.ContainsFunc(w, func(x string) bool { return languageAskVerbs[x] }) {
			continue
		}
		var ok bool
		if named, ok = languageNamed(named, w); !ok {
			return ""
		}
	}
	return named
}

// languageAskVerbs are the words of a request for a language that ask
// (languageAskWords holds them too).
var languageAskVerbs = map[string]bool{
	"please": true, "pls": true, "plz": true, "favore": true, "write": true, "speak": true, "talk": true, "reply": true, "answer": true,
	"parlare": true, "parlate": true, "scrivere": true, "scrivermi": true, "scrivi": true, "scrivete": true, "scrivetemi": true,
	"rispondere": true, "rispondermi": true, "rispondete": true, "rispondetemi": true,
	"prefer": true, "rather": true, "preferisco": true, "preferirei": true, "preferiamo": true,
	"scrivimi": true, "rispondimi": true, "parlami": true, "parlatemi": true,
}

// languageCodes are the languages a request for a language names, by
// their names in English and Italian.
var languageCodes = map[string]string{
	"english": "en", "inglese": "en", "italian": "it", "italiano": "it", "german": "de", "tedesco": "de", "deutsch": "de",
	"french": "fr", "francese": "fr", "spanish": "es", "spagnolo": "es",
}

// languageNames returns the names of the bot's languages in lang, for
// "I can only write in Italian and English": a language without a name
// of its own here goes by its code.
func (b *Bot) languageNames(lang string) string {
	names := map[string]map[string]string{
		"it": {"it": "italiano", "en": "inglese", "de": "tedesco", "fr": "francese", "es": "spagnolo"},
		"en": {"it": "Italian", "en": "English", "de": "German", "fr": "French", "es": "Spanish"},
	}
	and := map[string]string{"it": " e ", "en": " and "}[lang]
	if and == "" {
		and = " / "
	}
	var out []string
	for _, code := range b.Languages {
		name := names[lang][code]
		if name == "" {
			name = code
		}
		out = append(out, name)
	}
	if len(out) < 2 {
		return strings.Join(out, "")
	}
	return strings.Join(out[:len(out)-1], ", ") + and + out[len(out)-1]
}

// spokenWords counts the words of text that could be said aloud: with a
// vowel among their letters. Keys struck at random ("fjdksl fjdk") are
// no language to switch to.
func spokenWords(text string) int {
	n := 0
	for _, w := range strings.Fields(strings.ToLower(text)) {
		if strings.ContainsAny(w, "aeiouyàèéìíòóù") {
			n++
		}
	}
	return n
}

// prompt asks the question of st.
func (c *conv) prompt(st *Step) {
	c.s.Step = st.ID
	c.asked(st.Slot)
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
		if ids := c.narrowedTo(st.Slot); len(ids) > 0 {
			// "55 pollici": the products the customer's words left.
			for _, id := range ids {
				if p := c.b.products[id]; p != nil && len(bs) < 8 {
					add(p.Name, p.ID)
				}
			}
		} else if cat := c.category(); cat != "" {
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
			return c.end(f)
		}
		st := f.Steps[i]
		c.s.Step = st.ID
		switch st.Kind {
		case StepSay:
			c.say(c.render(st.Say.Text), c.buttons(st.Buttons)...)
			if len(st.Buttons) == 1 && st.Buttons[0].Intent == PayloadHuman {
				// Its one button a person: the words offer one, and
				// "yes" takes the offer as the button would.
				c.s.SetVar(varOffer, offerHuman)
			}
			i++
		case StepAsk:
			if _, ok := c.s.Slots[st.Slot]; ok {
				i++
				continue
			}
			if c.b.needless(f, i, c.s.Slots, c.now) {
				i++ // the verdict it is for is taken whatever the answer
				continue
			}
			if c.toldInOneGo(f, st, i) {
				c.fill(f, st.Slot, "yes", false)
				i++
				continue
			}
			if st.ID != c.was || c.s.Flow != c.wasFlow {
				c.s.Retries = 0 // a new question; the same one keeps its count
				if c.narrowFirst(f, st) {
					i++
					continue
				}
			}
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
			if c.handsOffTogether(st, text) {
				return nil
			}
			c.handoffStep(text, st)
			return nil
		case StepGoto:
			i = f.index[st.Goto]
		case StepFlow:
			c.t.Record(bot.Event{Type: bot.EventFlowEnded, Flow: f.Name})
			c.s.Flow, c.s.Step = "", ""
			next := c.b.Flows[st.Flow]
			c.begin(next, "")
			return c.run(next, 0)
		case StepEnd:
			return c.end(f)
		}
	}
}

// action runs a built-in action.
func (c *conv) action(st *Step) {
	var outcome string
	var out map[string]string
	switch st.Action {
	case "warranty_check":
		outcome, out = c.b.warrantyCheck(st, c.s.Slots, c.lang, c.now)
	case "return_check":
		outcome, out = c.b.returnCheck(st, c.s.Slots, c.lang, c.now)
	case "order_lookup":
		outcome, out = c.orderLookup(st)
	default:
		return
	}
	for k, v := range out {
		c.s.SetSlot(k, v)
	}
	c.t.Record(bot.Event{Type: bot.EventAction, Action: st.Action, Value: outcome})
}

// end closes f, then starts the request queued on the agenda or offers
// to go back to an interrupted flow.
func (c *conv) end(f *Flow) error {
	c.t.Record(bot.Event{Type: bot.EventFlowEnded, Flow: f.Name})
	if _, ok := f.index[c.s.Step]; ok {
		c.s.SetVar(varEnded, strings.TrimSpace(f.Name+" "+c.s.Step+" "+c.s.Vars[varIntent]))
	}
	c.s.Flow, c.s.Step, c.s.Retries = "", "", 0
	c.s.SetVar(varIntent, "")
	if c.s.Vars[varAgenda] != "" {
		c.dropClosingQuestion()
		_, err := c.nextOnAgenda()
		return err
	}
	if len(c.s.Stack) > 0 {
		c.dropClosingQuestion() // "shall we pick up where we left off?" asks it
	}
	c.offerResume()
	return nil
}

// dropClosingQuestion takes the closing question off the ended flow's
// last reply when the request queued on the agenda goes on, or the bot
// offers to go back to an interrupted one: "Can I help you with anything
// else?" straight before "Now, your other request" asks what the bot
// already knows. A reply with buttons is an offer, and kept.
func (c *conv) dropClosingQuestion() {
	rs := c.t.Replies
	if len(rs) == 0 {
		return
	}
	r := &rs[len(rs)-1]
	text := strings.TrimSpace(r.Text)
	if r.System || len(r.Buttons) > 0 || !strings.HasSuffix(text, "?") {
		return
	}
	kept := strings.TrimSpace(text[:lastSentence(text)])
	for i := len(c.t.Events) - 1; i >= 0; i-- {
		if e := &c.t.Events[i]; e.Type == bot.EventBot && e.Text == r.Text {
			if kept == "" {
				c.t.Events = slices.Delete(c.t.Events, i, i+1)
			} else {
				e.Text = kept
			}
			break
		}
	}
	if kept == "" {
		c.t.Replies = rs[:len(rs)-1]
		return
	}
	r.Text = kept
}

// lastSentence returns where the last sentence of text starts: after the
// last word that ends a sentence (". ", "! ", "? ") or is a link, which
// a shop's text may end a sentence with, without a full stop.
func lastSentence(text string) int {
	start := 0
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && text[j] != ' ' && text[j] != '\n' {
			j++
		}
		w := text[i:j]
		for j < len(text) && (text[j] == ' ' || text[j] == '\n') {
			j++
		}
		if j < len(text) && (strings.ContainsAny(w[max(len(w)-1, 0):], ".!?") || strings.Contains(w, "://")) {
			start = j
		}
		i = j
	}
	return start
}

// offerResume asks whether to go back to the innermost interrupted flow.
func (c *conv) offerResume() { c.offerResumeWith(TextResume) }

// offerResumeWith asks it with the text of key.
func (c *conv) offerResumeWith(key string) {
	c.s.SetVar(varResumeAgain, "")
	if len(c.s.Stack) == 0 {
		c.s.SetVar(varResume, "")
		return
	}
	fr := c.s.Stack[len(c.s.Stack)-1]
	label := c.flowLabel(fr.Flow)
	c.s.SetVar(varResume, fr.Flow)
	c.say(c.b.Text(key, c.lang, map[string]string{"flow": label}),
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

// handoffStep hands the conversation over as a handoff step says: its
// team, and the reason and summary in the language of that team's agents.
func (c *conv) handoffStep(text string, st *Step) {
	reason, lines := c.stepCase(st)
	c.handoff(text, st.Team, reason, lines)
}

// stepCase returns the reason and the summary lines of handoff step st,
// in the language of its team's agents.
func (c *conv) stepCase(st *Step) (string, []string) {
	agents := c.agentsLanguage(c.team(st.Team))
	reason, lines := st.Reason, st.Summary
	if r := st.Reasons[agents]; r != "" {
		reason = r
	}
	if l, ok := st.Summaries[agents]; ok {
		lines = l
	}
	return reason, lines
}

// handsOffTogether hands off the request at handoff step st together
// with the request queued on the agenda when that one is for the same
// team and hands off in this turn too: "my iphone 15 won't turn on
// (bought march 2024) and where is my other order SP-334455?" is a
// repair and a late order for support, one case for one person, where
// handing off the first would leave the second to the agent unread. The
// bot says st's text, the queued request runs, and its case carries
// both (handoff). When it asks something first, ends without a person
// or goes to another team, all it did is undone and st hands off alone,
// the queued request on its case as before. It reports whether the two
// went together.
func (c *conv) handsOffTogether(st *Step, text string) bool {
	head, _, _ := strings.Cut(c.s.Vars[varAgenda], "\t")
	name, _, _ := strings.Cut(head, " ")
	next := c.b.Flows[name]
	team := c.team(st.Team)
	if next == nil || c.pending != nil || c.team(next.Team) != team {
		return false
	}
	snap, replies, events, handoff := c.s.Clone(), len(c.t.Replies), len(c.t.Events), c.t.Handoff
	c.say(text)
	reason, lines := c.stepCase(st)
	c.pending = c.caseOf(team, reason, lines)
	c.t.Record(bot.Event{Type: bot.EventFlowEnded, Flow: c.s.Flow})
	c.s.Flow, c.s.Step, c.s.Retries = "", "", 0
	started, err := c.nextOnAgenda()
	if err == nil && started && c.t.Handoff != nil && c.t.Handoff != handoff && c.t.Handoff.Team == team {
		c.pending = nil
		return true
	}
	*c.s = *snap
	c.t.Replies, c.t.Events, c.t.Handoff, c.pending = c.t.Replies[:replies], c.t.Events[:events], handoff, nil
	return false
}

// agentsLanguage is the language team's agents read their cases in.
func (c *conv) agentsLanguage(team string) string { return c.b.agentsLanguage(team) }

// handoff hands the conversation to a team with what the bot learned.
// The reason and the summary are in the language of the team's agents,
// the rest of the case in the customer's.
func (c *conv) handoff(text, team, reason string, summary []string) {
	team = c.team(team)
	c.say(text)
	agents := c.agentsLanguage(team)
	cs := *c.caseOf(team, reason, summary)
	if line := c.agendaLine(agents); line != "" {
		cs.Summary = append(cs.Summary, line) // the person takes the queued request too
	}
	if p := c.pending; p != nil && p.Team == cs.Team {
		// The request handed off with this one (handsOffTogether) comes
		// first on the card.
		// Both may tell one thing (the carrier lost the one order both
		// looked up): said once.
		reason := p.Reason
		if cs.Reason != p.Reason {
			reason += "; " + cs.Reason
		}
		summary := slices.Clone(p.Summary)
		for _, l := range cs.Summary {
			if !slices.Contains(summary, l) {
				summary = append(summary, l)
			}
		}
		cs.Intent, cs.Reason, cs.Summary = p.Intent, reason, summary
		for k, v := range p.Slots {
			if _, ok := cs.Slots[k]; !ok {
				cs.Slots[k] = v
			}
		}
	}
	c.pending = nil
	if c.s.Flow != "" {
		c.t.Record(bot.Event{Type: bot.EventFlowEnded, Flow: c.s.Flow})
	}
	c.s.SetVar(varCaseFlow, c.s.Flow) // a correction of the case is read in it
	c.t.HandOff(cs)
	c.dropAgenda()
	c.s.Flow, c.s.Step, c.s.Stack, c.s.Retries, c.s.Misses = "", "", nil, 0, 0
	c.s.SetVar(varResume, "")
	c.s.SetVar(varIntent, "")
}

// caseOf returns the case for team with what the bot learned: the
// reason and the summary in the language of the team's agents, the
// rest in the customer's.
func (c *conv) caseOf(team, reason string, summary []string) *bot.Case {
	agents := c.agentsLanguage(team)
	if t, ok := builtinTexts[reason]; ok {
		reason = pick(t, agents, c.b.DefaultLanguage) // a built-in reason: "the customer asked for a person"
	}
	cs := bot.Case{
		Team:     team,
		TeamName: pick(c.b.Teams[team].Name.Text, c.lang, c.b.DefaultLanguage),
		Intent:   c.s.Vars[varIntent],
		Reason:   reason,
		Slots:    map[string]string{},
	}
	for name, v := range c.s.Slots {
		if v != "" && c.b.Slots[name] != nil {
			cs.Slots[name] = c.b.display(name, v, agents)
		}
	}
	if cs.Intent == "" {
		cs.Intent = "human"
	}
	cs.Summary = c.summary(summary, cs.Slots, agents)
	if c.docQuestion != "" {
		cs.Summary = append(cs.Summary, c.b.Text(TextDocumentsQuestion, agents, map[string]string{"question": c.docQuestion}))
	}
	return &cs
}

// summary renders the summary lines of a handoff, dropping lines whose
// slots are all empty; without lines, one line per filled slot.
func (c *conv) summary(lines []string, values map[string]string, agents string) []string {
	var out []string
	for _, line := range lines {
		if l, ok := c.b.summaryLine(line, values); ok {
			out = append(out, l)
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
		label := pick(s.Label.Text, agents, c.b.DefaultLanguage)
		if label == "" {
			label = strings.ReplaceAll(name, "_", " ")
		}
		out = append(out, label+": "+values[name])
	}
	return out
}

// summaryLine renders one summary line of a handoff with the card's
// values, and reports false when the line has placeholders and none of
// them has a value (the line is left out).
func (b *Bot) summaryLine(line string, values map[string]string) (string, bool) {
	ps := placeholders(line)
	empty := len(ps) > 0
	for _, p := range ps {
		if values[p] != "" || p == "shop" && b.Name != "" {
			empty = false
		}
	}
	if empty {
		return "", false
	}
	// A value the bot did not get shows as such, never as {name}.
	lv := maps.Clone(values)
	if lv == nil {
		lv = map[string]string{}
	}
	lv["shop"] = b.Name
	for _, p := range ps {
		if lv[p] == "" && p != "shop" {
			lv[p] = "—"
		}
	}
	return fill(line, lv), true
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

// afterLanguageAsk returns what follows the clauses that open text only
// to ask for a language ("sorry, English please. Yes, ..."), and whether
// there were such clauses: the answer the message gives comes after
// them. What follows is "" when the message only asks for a language.
func afterLanguageAsk(text string) (string, bool) {
	rest, named := text, false
	for strings.TrimSpace(rest) != "" {
		i := strings.IndexAny(rest, ",.;:!?")
		clause, next := rest, ""
		if i >= 0 {
			clause, next = rest[:i], rest[i+1:]
		}
		w := words(clause)
		if len(w) == 0 {
			rest = next
			continue
		}
		if slices.ContainsFunc(w, isOtherWord) {
			break
		}
		named = named || slices.ContainsFunc(w, func(x string) bool { return languageCodes[x] != "" })
		rest = next
	}
	if !named {
		return text, false
	}
	return strings.TrimSpace(rest), true
}

// isLanguageAskWord reports whether x is a word of a request for a
// language: a language's name (languageCodes) or a word that goes with
// it ("could you write in English please").
func isLanguageAskWord(x string) bool { return languageCodes[x] != "" || languageAskWords[x] }

// isOtherWord reports whether x is no word of a request for a language.
func isOtherWord(x string) bool { return !isLanguageAskWord(x) }

// languageAskWords are the words that go with a language's name in a
// request for it.
var languageAskWords = map[string]bool{
	"sorry": true, "scusa": true, "scusate": true, "scusami": true, "please": true, "pls": true,
	"plz": true, "per": true, "favore": true,
	"piacere": true, "in": true, "can": true, "could": true, "we": true, "you": true, "speak": true,
	"talk": true, "write": true, "reply": true,
	"answer": true, "parlare": true, "parliamo": true, "possiamo": true, "puoi": true, "potete": true,
	"potresti": true, "scrivere": true,
	"scrivermi": true, "scrivi": true, "rispondere": true, "rispondermi": true, "language": true,
	"lingua": true, "do": true, "only": true,
	"solo": true, "i": true, "don": true, "t": true, "non": true, "parlo": true, "capisco": true,
	"understand": true,
	// The customer announces it: "ok scrivo in italiano", "let's switch to English".
	"ok": true, "okay": true, "allora": true, "scrivo": true, "scriviamo": true, "passo": true,
	"all": true, "let": true, "s": true, "switch": true, "actually": true,
	"scrivete": true, "scrivetemi": true, "rispondete": true, "rispondetemi": true, "parlate": true,
	"to": true, "ll": true, "m": true, "writing": true, "meglio": true, "better": true,
	// "I prefer english", "I'd rather write in Italian", "preferisco l'italiano".
	"prefer": true, "rather": true, "would": true, "d": true, "preferisco": true, "preferirei": true,
	"preferiamo": true, "l": true, "parli": true, "parla": true, "speaking": true,
	"scrivimi": true, "rispondimi": true, "parlami": true, "parlatemi": true,
}
