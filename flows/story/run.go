package story

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
)

// A Runner replays stories against a responder, each story in a fresh
// store and engine.
type Runner struct {
	Responder bot.Responder
	Texts     bot.Texts
	Language  string // the bot's default language
	// Teams tell the engine the teams' hours and timeouts.
	Teams bot.Teams
	// NewStore returns an empty store for one story; nil means the
	// memory store, on the story's clock.
	NewStore func(now func() time.Time) bot.Store
	// Strict runs the battery checks on every story, as `strict: true`
	// in a story file does for its stories: no loop, no question asked
	// again for a slot already filled, the customer's language after
	// every turn, and a reply to every message in bot mode.
	Strict bool
}

// What the Actions of the flow engine record (bot.EventAction's Action),
// and what a story's expect reads.
const (
	ActionWarranty = "warranty_check" // Value: covered, expired, unknown, damage
	ActionReturn   = "return_check"   // Value: open (within the withdrawal period), closed
	ActionFAQ      = "faq"            // Value: the FAQ entry answered
)

// payloadHuman and payloadDocHuman are the payloads of the runtime's
// "Talk to a person" buttons (flows.PayloadHuman, and flows.PayloadDocHuman
// under an answer): a reply that carries one offers a person.
const payloadHuman, payloadDocHuman = "human", "k:h"

// Run replays s and returns its failures; none means it passed.
func (r *Runner) Run(ctx context.Context, s Story) []Failure {
	now := s.Now
	if now.IsZero() {
		now = time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC) // a Monday morning
	}
	clk := botfake.NewClock(now)
	var store bot.Store
	if r.NewStore != nil {
		store = r.NewStore(clk.Now)
	} else {
		store = memory.NewStoreWith(memory.Options{Now: clk.Now})
	}
	queues := store.Capabilities().Queues
	e, err := bot.NewEngine(bot.Config{Store: store, Responder: r.Responder, Texts: r.Texts,
		Language: r.Language, Clock: clk, FloodLimit: 1 << 20, Teams: r.Teams, Queues: queues})
	if err != nil {
		return []Failure{{s.Name, s.Pos, "engine", err.Error()}}
	}
	const channel = "story"
	rec := &botfake.Channel{}
	e.SetChannel(channel, rec)
	e.SetDesk(bot.NewLocalDesk(e))
	addr := bot.Address{Channel: channel, ChatID: "customer"}

	p := &replay{r: r, s: s, strict: r.Strict || s.Strict, lang: s.Language,
		sent: map[string]int{}, filled: map[string]string{}}
	var last []bot.Button
	mode := bot.ModeBot
	for i, t := range s.Turns {
		switch {
		case t.Wait > 0:
			clk.Advance(t.Wait)
			e.FireTimers(ctx)
		case t.Agent != nil:
			clk.Advance(time.Second)
			m := bot.Message{ID: fmt.Sprintf("story-%d", i), Kind: bot.KindAgent, Address: addr, Time: clk.Now(), Agent: t.Agent}
			if err := e.Handle(ctx, m); err != nil {
				p.fail(t, "engine", "the engine failed: %v", err)
				return p.fails
			}
		default:
			clk.Advance(time.Second)
			m := bot.Message{ID: fmt.Sprintf("story-%d", i), Address: addr, Time: clk.Now(),
				Sender: bot.Sender{Name: "Story Customer", Language: s.Language}, Text: t.Say}
			if t.Press != "" {
				b, ok := pick(last, t.Press)
				if !ok {
					p.fail(t, "press", "no button %q to press; the last buttons were %s", t.Press, titles(last))
					return p.fails
				}
				m.Text, m.Payload = b.Title, b.Payload
			}
			if err := e.Handle(ctx, m); err != nil {
				p.fail(t, "engine", "the engine failed: %v", err)
				return p.fails
			}
		}
		_ = e.Flush(ctx) // the desk's lines of this turn, sent in the background
		replies := rec.Replies()
		rec.Reset()
		for _, rp := range replies {
			if len(rp.Buttons) > 0 {
				last = rp.Buttons
			} else if !rp.System {
				last = nil
			}
		}
		sess, err := store.Load(ctx, addr, "")
		if err != nil {
			sess = nil
		}
		all, _ := store.Transcript(ctx, addr, math.MaxInt32)
		if len(all) < len(p.events) { // the conversation expired: its transcript is gone
			p.events = nil
		}
		turnEvents := all[len(p.events):]
		p.events = all

		p.log(t, replies, turnEvents)
		before := len(p.fails)
		p.check(t, replies, sess, turnEvents)
		if p.strict {
			p.checkStrict(t, mode, replies, sess, turnEvents)
		}
		p.noteCase(sess, turnEvents)
		if len(p.fails) > before {
			p.fails[len(p.fails)-1].Msg += "\n    the bot said:\n" + quote(replies)
		}
		if sess != nil {
			mode = sess.EffectiveMode()
		}
	}
	if s.Expect != nil {
		final, _ := store.Load(ctx, addr, "")
		before := len(p.fails)
		p.checkExpect(s.Expect, final)
		if len(p.fails) > before {
			p.fails[len(p.fails)-1].Msg += "\n    the conversation:\n" + strings.Join(p.transcript, "\n")
		}
	}
	return p.fails
}

// A replay is the state of one story being replayed.
type replay struct {
	r      *Runner
	s      Story
	strict bool
	fails  []Failure
	// events is the conversation's transcript so far.
	events []bot.Event

	// lang is the language the customer speaks now ("" when unknown).
	lang string
	// sent counts the bot's replies by text, against loops.
	sent map[string]int
	// streak is the slot the bot asked for in its last questions, and how
	// many times in a row.
	streak    string
	streakLen int
	// filled holds the slots filled so far, with their values.
	filled map[string]string

	// The case card of the last handoff: the session's slots at the
	// handoff, and the case's own (as the agents read them).
	caseID    string
	caseSlots map[string]string
	caseCard  map[string]string

	// transcript is the conversation as read, for the failures of expect.
	transcript []string
}

// log adds the turn to the transcript, with the commands understanding
// read in the customer's message: what a flow's author needs to see why
// the bot did what it did.
func (p *replay) log(t Turn, replies []bot.Reply, events []bot.Event) {
	switch {
	case t.Say != "":
		p.transcript = append(p.transcript, "      you> "+clip(t.Say, 200))
	case t.Press != "":
		p.transcript = append(p.transcript, "      you> ["+t.Press+"]")
	case t.Wait > 0:
		p.transcript = append(p.transcript, "      ("+t.Wait.String()+" later)")
	case t.Agent != nil:
		p.transcript = append(p.transcript, "      (agent "+t.Agent.Name+": "+t.Agent.Action+")")
	}
	var cmds []string
	for _, e := range events {
		if e.Type == bot.EventCommand && e.Text != "" {
			cmds = append(cmds, e.Text)
		}
	}
	if len(cmds) > 0 {
		p.transcript = append(p.transcript, "           "+clip(strings.Join(cmds, " "), 300))
	}
	for _, rp := range replies {
		who := "bot"
		if rp.From != "" {
			who = rp.From
		}
		line := "      " + who + "> " + clip(rp.Text, 200)
		if len(rp.Buttons) > 0 {
			line += "  " + titles(rp.Buttons)
		}
		p.transcript = append(p.transcript, line)
	}
}

func (p *replay) fail(t Turn, kind, format string, args ...any) {
	p.fails = append(p.fails, Failure{p.s.Name, t.Pos, kind, fmt.Sprintf(format, args...)})
}

// check holds the turn to its own expectations.
func (p *replay) check(t Turn, replies []bot.Reply, s *bot.Session, events []bot.Event) {
	var all []string
	for _, rp := range replies {
		all = append(all, strings.ToLower(rp.Text))
	}
	joined := strings.Join(all, "\n")
	for _, want := range t.Reply {
		if !strings.Contains(joined, strings.ToLower(want)) {
			p.fail(t, "reply", "no reply contains %q", want)
		}
	}
	for _, not := range t.Not {
		if strings.Contains(joined, strings.ToLower(not)) {
			p.fail(t, "not", "a reply contains %q, which it must not", not)
		}
	}
	if t.Buttons != nil {
		var got []string
		for i := len(replies) - 1; i >= 0; i-- {
			if len(replies[i].Buttons) > 0 {
				for _, b := range replies[i].Buttons {
					got = append(got, b.Title)
				}
				break
			}
		}
		if !slices.Equal(got, t.Buttons) {
			p.fail(t, "buttons", "buttons are %s, want %s", titles2(got), titles2(t.Buttons))
		}
	}
	if t.Intent != "" || t.NotIntent != nil {
		var got []string
		for _, ev := range events {
			if ev.Type == bot.EventIntent {
				got = append(got, ev.Intent)
			}
		}
		if t.Intent != "" && !slices.Contains(got, t.Intent) {
			p.fail(t, "intent", "intent recorded %v, want %s", got, t.Intent)
		}
		for _, not := range t.NotIntent {
			if slices.Contains(got, not) {
				p.fail(t, "not_intent "+not, "intent %s recorded, which must not be", not)
			}
		}
	}
	for _, ev := range events {
		switch {
		case ev.Type != bot.EventAsked:
		case slices.Contains(t.NotAsks, ev.Slot):
			p.fail(t, "not_asks "+ev.Slot, "the bot asked for %s, which it must not", ev.Slot)
		case slices.Contains(p.s.NeverAsks, ev.Slot):
			p.fail(t, "never_asks "+ev.Slot, "the bot asked for %s, which the customer had already told", ev.Slot)
		}
	}
	if t.Flow == nil && t.Slots == nil && t.Handoff == "" && t.Mode == "" && t.Asks == "" {
		return
	}
	if s == nil {
		p.fail(t, "session", "no session after the turn")
		return
	}
	if t.Flow != nil && s.Flow != *t.Flow {
		p.fail(t, "flow", "the active flow is %q, want %q", s.Flow, *t.Flow)
	}
	for _, k := range slices.Sorted(maps.Keys(t.Slots)) {
		if v := t.Slots[k]; s.Slots[k] != v {
			p.fail(t, "slot "+k, "slot %s = %q, want %q", k, s.Slots[k], v)
		}
	}
	if t.Mode != "" && string(s.EffectiveMode()) != t.Mode {
		p.fail(t, "mode", "mode is %s, want %s", s.EffectiveMode(), t.Mode)
	}
	if t.Handoff != "" {
		if s.Case == nil || s.EffectiveMode() == bot.ModeBot {
			p.fail(t, "handoff", "no handoff, want one to %s", t.Handoff)
		} else if s.Case.Team != t.Handoff {
			p.fail(t, "handoff", "handed off to %s, want %s", s.Case.Team, t.Handoff)
		}
	}
	if t.Asks != "" {
		if got := pending(p.events, s); got != t.Asks {
			p.fail(t, "asks "+t.Asks, "the pending question is for %s, want %s", got, t.Asks)
		}
	}
}

// pending returns the slot the bot's open question is for, or "none": the
// last question asked, unless a flow ended or a handoff came after it.
func pending(events []bot.Event, s *bot.Session) string {
	if s == nil || s.EffectiveMode() != bot.ModeBot || s.Flow == "" {
		return "none"
	}
	for i := len(events) - 1; i >= 0; i-- {
		switch events[i].Type {
		case bot.EventAsked:
			return events[i].Slot
		case bot.EventFlowEnded, bot.EventHandoff, bot.EventFlowStarted:
			return "none"
		}
	}
	return "none"
}

// checkStrict holds the turn to what no conversation of a battery may
// do. mode is the conversation's mode before the turn.
func (p *replay) checkStrict(t Turn, mode bot.Mode, replies []bot.Reply, s *bot.Session, events []bot.Event) {
	customer := t.Say != "" || t.Press != ""
	for _, slot := range t.Reask {
		delete(p.filled, slot)
	}
	if t.Lang != "" {
		p.lang = t.Lang
	}

	// No silence: a message to the bot gets an answer.
	if customer && mode != bot.ModeQueued && mode != bot.ModeAgent && len(replies) == 0 {
		p.fail(t, "silence", "the bot did not reply")
	}

	// No loop: the same reply three times in one story.
	offered := false
	for _, rp := range replies {
		for _, b := range rp.Buttons {
			offered = offered || b.Payload == payloadHuman || b.Payload == payloadDocHuman
		}
		if rp.System || rp.From != "" {
			continue
		}
		text := strings.ToLower(strings.Join(strings.Fields(rp.Text), " "))
		p.sent[text]++
		if p.sent[text] == 3 {
			p.fail(t, "loop reply", "the bot sent the same reply a third time: %q", clip(rp.Text, 80))
		}
	}

	// No loop: the same question three times in a row (a retry after an
	// answer it could not read asks again); an offer of a person breaks
	// the row, and so does going on without the answer (the fallback of a
	// question the bot then leaves empty asks nothing). No re-ask: a
	// question for a slot the customer already filled. A turn asks a
	// question once, however many events say so (a retry records its
	// fallback and the question it puts again).
	movedOn := map[string]bool{}
	for _, ev := range events {
		if ev.Type == bot.EventSlotFilled && ev.Value == "" {
			movedOn[ev.Slot] = true
		}
	}
	askedNow := map[string]bool{}
	for _, ev := range events {
		switch {
		case ev.Type == bot.EventSlotFilled:
			if ev.Value == "" {
				delete(p.filled, ev.Slot)
			} else {
				p.filled[ev.Slot] = ev.Value
			}
			if ev.Slot == p.streak {
				p.streak, p.streakLen = "", 0
			}
		case ev.Type == bot.EventAsked || ev.Type == bot.EventFallback && ev.Slot != "" && !offered && !movedOn[ev.Slot]:
			if v, ok := p.filled[ev.Slot]; ok && ev.Type == bot.EventAsked {
				p.fail(t, "reask "+ev.Slot, "the bot asked again for %s, which it already has (%s)", ev.Slot, v)
			}
			if askedNow[ev.Slot] {
				continue
			}
			askedNow[ev.Slot] = true
			if ev.Slot == p.streak {
				p.streakLen++
			} else {
				p.streak, p.streakLen = ev.Slot, 1
			}
			if p.streakLen == 3 {
				p.fail(t, "loop ask "+ev.Slot, "the bot asked for %s three times in a row", ev.Slot)
			}
		}
	}
	if offered {
		p.streak, p.streakLen = "", 0
	}

	// Language: the bot speaks the customer's.
	if customer && p.lang != "" && s != nil && s.Language != p.lang {
		p.fail(t, "language", "the conversation's language is %q, want %q", s.Language, p.lang)
	}
}

// noteCase remembers the case card of a handoff in this turn, the
// contact a customer leaves on an open case afterwards, and the values
// of the case the customer corrects.
func (p *replay) noteCase(s *bot.Session, events []bot.Event) {
	for _, ev := range events {
		switch {
		case ev.Type == bot.EventHandoff:
			p.caseID = ev.Case
			p.caseSlots, p.caseCard = nil, nil
			if s != nil {
				p.caseSlots = maps.Clone(s.Slots)
			}
		case ev.Type == bot.EventSlotFilled && ev.Case != "" && ev.Case == p.caseID && p.caseSlots != nil:
			p.caseSlots[ev.Slot] = ev.Value // a value of the open case corrected
		}
	}
	if s != nil && s.Case != nil && p.caseID != "" && s.Case.ID == p.caseID {
		p.caseCard = maps.Clone(s.Case.Slots)
	}
}

// checkExpect holds the whole conversation to the story's outcomes.
func (p *replay) checkExpect(e *Expect, s *bot.Session) {
	t := Turn{Pos: e.Pos}
	var team, verdict, decision string
	var faqs, started []string
	for _, ev := range p.events {
		switch {
		case ev.Type == bot.EventHandoff:
			team = ev.Team
		case ev.Type == bot.EventFlowStarted:
			started = append(started, ev.Flow)
		case ev.Type == bot.EventAction && ev.Action == ActionWarranty:
			verdict = ev.Value
		case ev.Type == bot.EventAction && ev.Action == ActionReturn:
			decision = ev.Value
		case ev.Type == bot.EventAction && ev.Action == ActionFAQ:
			if !slices.Contains(faqs, ev.Value) {
				faqs = append(faqs, ev.Value)
			}
		}
	}
	or := func(v string) string {
		if v == "" {
			return "none"
		}
		return v
	}
	if e.Team != "" {
		if e.Team != "none" && p.r.Teams != nil {
			if _, ok := p.r.Teams.Team(e.Team); !ok {
				p.fail(t, "team "+e.Team, "expect team %s: the bot has no such team", e.Team)
			}
		}
		if got := or(team); got != e.Team {
			p.fail(t, "team "+e.Team, "handed off to %s, want %s", got, e.Team)
		}
	}
	if e.Warranty != "" && or(verdict) != e.Warranty {
		p.fail(t, "warranty "+e.Warranty, "the warranty verdict is %s, want %s", or(verdict), e.Warranty)
	}
	if e.Return != "" && or(decision) != e.Return {
		p.fail(t, "return "+e.Return, "the return decision is %s, want %s", or(decision), e.Return)
	}
	if e.FAQ != nil {
		got, want := slices.Sorted(slices.Values(faqs)), slices.Sorted(slices.Values(e.FAQ))
		want = slices.Compact(want)
		if !slices.Equal(got, want) {
			p.fail(t, "faq", "FAQ answered %s, want %s", titles2(faqs), titles2(e.FAQ))
		}
	}
	if e.Flows != nil && !slices.Equal(started, e.Flows) {
		p.fail(t, "flows", "flows started %s, want %s", titles2(started), titles2(e.Flows))
	}
	if e.Language != "" {
		got := ""
		if s != nil {
			got = s.Language
		}
		if got != e.Language {
			p.fail(t, "final language", "the conversation ends in %q, want %q", got, e.Language)
		}
	}
	if len(e.Case) > 0 {
		if p.caseID == "" {
			p.fail(t, "case (no handoff)", "no case was handed off, want one with %s", cardString(e.Case))
			return
		}
		for _, k := range slices.Sorted(maps.Keys(e.Case)) {
			want := e.Case[k]
			if !cardHas(p.caseSlots[k], want) && !cardHas(p.caseCard[k], want) {
				p.fail(t, "case "+k, "the case card has %s = %s, want %q", k, cardValue(p.caseSlots[k], p.caseCard[k]), want)
			}
		}
	}
}

// cardHas reports whether the card's value holds want, ignoring case,
// spaces and the punctuation of dates, numbers and codes: "sp 482001"
// holds "SP-482001", "+39 333 123 4567" holds "3331234567".
func cardHas(got, want string) bool {
	g, w := squash(got), squash(want)
	return w != "" && strings.Contains(g, w)
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '/', '(', ')', '+', '\t', '\n':
			return -1
		}
		return r
	}, strings.ToLower(s))
}

func cardValue(stored, shown string) string {
	switch {
	case stored == "" && shown == "":
		return "nothing"
	case stored == "" || stored == shown:
		return fmt.Sprintf("%q", shown)
	case shown == "":
		return fmt.Sprintf("%q", stored)
	}
	return fmt.Sprintf("%q (%q)", stored, shown)
}

func cardString(m map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, k+": "+m[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// pick finds a button by title (case-insensitive) or by its number.
func pick(buttons []bot.Button, which string) (bot.Button, bool) {
	for _, b := range buttons {
		if strings.EqualFold(b.Title, which) {
			return b, true
		}
	}
	var n int
	if _, err := fmt.Sscanf(which, "%d", &n); err == nil && n >= 1 && n <= len(buttons) {
		return buttons[n-1], true
	}
	return bot.Button{}, false
}

func titles(bs []bot.Button) string {
	var t []string
	for _, b := range bs {
		t = append(t, b.Title)
	}
	return titles2(t)
}

func titles2(t []string) string {
	if len(t) == 0 {
		return "none"
	}
	return "[" + strings.Join(t, ", ") + "]"
}

func quote(replies []bot.Reply) string {
	if len(replies) == 0 {
		return "      (nothing)"
	}
	var b strings.Builder
	for _, r := range replies {
		fmt.Fprintf(&b, "      > %s", strings.ReplaceAll(r.Text, "\n", "\n        "))
		if len(r.Buttons) > 0 {
			b.WriteString("  " + titles(r.Buttons))
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
