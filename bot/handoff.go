package bot

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Payloads of the engine's own buttons. Flow files must not use the
// "sportello:" prefix.
//
// Going back to the bot closes the customer's open case, which they may
// not expect of a button named "Back to the bot" (a warranty repair "on
// file" for the morning would be lost): the button asks first, and only
// the "yes" of that question closes the case.
const (
	// PayloadLeaveAsk is the "Back to the bot" button of an open case: it
	// asks the customer to confirm that their request is to be closed.
	PayloadLeaveAsk = "sportello:leave:ask"
	// PayloadLeaveQueue closes the open case and brings the customer back
	// to the bot: the "yes" of the question (and the button of versions
	// before it, which closed the case at once).
	PayloadLeaveQueue = "sportello:leave"
	// PayloadLeaveNo keeps the case open: the "no" of the question.
	PayloadLeaveNo = "sportello:leave:no"
	PayloadCSAT    = "sportello:csat:"
)

// Timer kinds of the handoff.
const (
	TimerHandoffTimeout = "handoff_timeout" // nobody claimed the case in time
	// TimerQueuePosition tells the customer their place, if it changed.
	// The engine sends it to the conversations whose place moved (see
	// tellPlaces); sessions of older versions have it set as a timer.
	TimerQueuePosition = "queue_position"
)

// positionEvery is how often a team's queue is looked at for places that
// changed, and so how often a queued customer may hear their place.
const positionEvery = time.Minute

// Telling places: at most placesPerTick customers each FireTimers (the
// rest of a long queue follows at the next ticks), placeWorkers at once.
const (
	placesPerTick = 1000
	placeWorkers  = 8
	placeTries    = 10
)

// Session bookkeeping of the handoff, in Session.Vars.
const (
	varPosition = "queue_pos"   // the last place the customer was told
	varContact  = "ask_contact" // "1" while the bot waits for a phone or e-mail
	varCSAT     = "csat"        // the case whose rating the bot asked for
	varLeave    = "leave_ask"   // the case the customer was asked to confirm closing
)

// team returns what the engine knows of team id.
func (e *Engine) team(id string) Team {
	if e.cfg.Teams != nil {
		if t, ok := e.cfg.Teams.Team(id); ok {
			return t
		}
	}
	return Team{ID: id}
}

// openCase queues the conversation for the team the responder chose, and
// tells the customer what happens next: their place in the queue, or when
// the team opens if it is closed now.
func (e *Engine) openCase(ctx context.Context, t *Turn, now time.Time) {
	s, c := t.Session, t.Handoff
	t.Handoff = nil
	c.ID = caseID(s.Address, t.Message.ID, now)
	c.Address = s.Address
	c.Customer = s.Customer
	if c.Language == "" {
		c.Language = s.Language
	}
	if c.Language == "" {
		c.Language = e.cfg.Language
	}
	c.Opened = now
	c.Last = append([]string(nil), s.Recent...)
	team := e.team(c.Team)
	if c.TeamName == "" {
		c.TeamName = team.Name(c.Language)
	}
	s.Mode = ModeQueued
	s.Case = c
	s.Flow, s.Step, s.Stack, s.Retries, s.Misses = "", "", nil, 0, 0
	s.SetVar(varPosition, "")
	s.SetVar(varContact, "")
	t.Record(Event{Type: EventHandoff, Team: c.Team, Case: c.ID, Intent: c.Intent, Text: c.Reason})
	leave := e.leaveButton(c.Language)

	if team.Open != nil {
		if open, next := team.Open(now); !open {
			// Closed: say when we open, ask for a contact unless the
			// case has one, still post the case so the team finds it in
			// the morning.
			when := formatWhen(next, now, c.Language)
			s.SetVar(varContact, "1") // another contact told now is taken too
			if contact := c.Slots["contact"]; contact != "" {
				t.Say(e.texts.Text(TextClosedContact, c.Language, "team", c.TeamName, "next", when, "contact", contact), leave)
			} else {
				t.Say(e.texts.Text(TextClosed, c.Language, "team", c.TeamName, "next", when), leave)
			}
			t.queueOp(true, c, 0)
			t.note(DeskOpened, *c, "closed")
			return
		}
	}
	// The case joins the queue once this commit is delivered: behind
	// everyone waiting now. If it lands anywhere else (two cases opened at
	// once were both told the same place), its joining marks it as moved,
	// and tellPlaces tells it the right place.
	pos := 1
	if e.cfg.Queues != nil {
		n, err := e.queueLen(ctx, c.Team)
		if err != nil {
			e.log.Warn("queue unavailable", "team", c.Team, "err", err)
		}
		pos = n + 1
	}
	s.SetVar(varPosition, strconv.Itoa(pos))
	t.Say(e.texts.Text(TextQueued, c.Language, "team", c.TeamName, "position", strconv.Itoa(pos)), leave)
	t.queueOp(true, c, pos)
	t.notes = append(t.notes, DeskNote{Kind: DeskOpened, Case: *c, Position: pos}) // see note
	e.armQueueTimers(t, c, team, now)
}

// armQueueTimers sets the timeout of a case that waits in its team's
// queue. Its place is told by tellPlaces, when it changes.
func (e *Engine) armQueueTimers(t *Turn, c *Case, team Team, now time.Time) {
	if team.Timeout > 0 {
		t.SetTimer(Timer{ID: TimerHandoffTimeout, Kind: TimerHandoffTimeout, Due: now.Add(team.Timeout), Data: c.ID})
	}
}

func (t *Turn) disarmQueueTimers() {
	t.CancelTimer(TimerHandoffTimeout)
	t.CancelTimer(TimerQueuePosition) // set by older versions
}

// tellPlace tells the customer of c their place in the queue, read now,
// when it is not the place they were told last. A case that is not in the
// queue yet (its add waits in the outbox) is told nothing: its joining
// hands it to tellPlaces again. Nor is one while its team is closed: the
// customer was told when it opens, and hears their place once it moves.
func (e *Engine) tellPlace(ctx context.Context, t *Turn, c *Case, now time.Time) {
	if e.cfg.Queues == nil {
		return
	}
	if team := e.team(c.Team); team.Open != nil {
		if open, _ := team.Open(now); !open {
			return
		}
	}
	ahead, waiting, err := e.queuePosition(ctx, c.Team, c.ID)
	if err != nil {
		e.log.Warn("queue unavailable", "team", c.Team, "err", err)
		return
	}
	if !waiting {
		return
	}
	s := t.Session
	if p := strconv.Itoa(ahead + 1); p != s.Vars[varPosition] {
		s.SetVar(varPosition, p)
		t.Record(Event{Type: EventQueue, Case: c.ID, Value: p})
		t.Say(e.texts.Text(TextPosition, c.Language, "position", p))
	}
}

// placeNotices keeps the place notices that could not be handled (the
// store blinked), to try again at the next tick.
type placeNotices struct {
	mu    sync.Mutex
	retry []placeNotice
}

type placeNotice struct {
	op    QueueOp
	tries int
}

// tellPlaces tells the customers whose place in a queue may have changed.
// The queues hand out the cases at or behind one that joined or left, once
// a minute per team and once across replicas; each goes to its
// conversation as a TimerQueuePosition message, which reads the case's
// own place (O(log n)) and tells it if it changed. So a minute costs what
// the customers told cost, whatever the length of the queue, and nobody
// hears a place read before their message is handled. FireTimers calls it.
//
// A replica that dies between taking the cases and telling them loses
// those notices: the customers hear their place at its next change.
func (e *Engine) tellPlaces(ctx context.Context) {
	if e.cfg.Queues == nil {
		return
	}
	e.places.mu.Lock()
	notices := e.places.retry
	e.places.retry = nil
	e.places.mu.Unlock()
	now := e.cfg.Clock.Now()
	mctx, cancel := context.WithTimeout(ctx, e.cfg.SendTimeout)
	moved, err := e.queueMoved(mctx, now)
	cancel()
	if err != nil && ctx.Err() == nil {
		e.log.Warn("queue changes unavailable", "err", err)
	}
	for _, op := range moved {
		if !op.Address.IsZero() {
			notices = append(notices, placeNotice{op: op})
		}
	}
	if len(notices) == 0 {
		return
	}
	work := make(chan placeNotice)
	var (
		mu     sync.Mutex
		failed []placeNotice
		wg     sync.WaitGroup
	)
	for range min(placeWorkers, len(notices)) {
		wg.Go(func() {
			for n := range work {
				// No message ID: a notice handled twice says nothing the
				// second time (the place is the one told), and a customer
				// who waits all day does not collect a de-duplication
				// record a minute.
				m := Message{Kind: KindTimer, Address: n.op.Address,
					Timer: &Timer{ID: TimerQueuePosition, Kind: TimerQueuePosition, Address: n.op.Address, Due: now, Data: n.op.Case}}
				if err := e.Handle(ctx, m); err != nil && ctx.Err() == nil {
					e.log.Warn("place in the queue not told; trying again", "addr", n.op.Address, "case", n.op.Case, "err", err)
					if n.tries++; n.tries < placeTries {
						mu.Lock()
						failed = append(failed, n)
						mu.Unlock()
					}
				}
			}
		})
	}
	for _, n := range notices {
		work <- n
	}
	close(work)
	wg.Wait()
	if len(failed) > 0 {
		e.places.mu.Lock()
		e.places.retry = append(e.places.retry, failed[:min(len(failed), placesPerTick)]...)
		e.places.mu.Unlock()
	}
}

// queueOp adds a change of c's queue to the turn; told is the place the
// customer is told with it, if any.
func (t *Turn) queueOp(add bool, c *Case, told int) {
	t.queue = append(t.queue, QueueOp{Add: add, Team: c.Team, Case: c.ID, Address: c.Address, Since: c.Opened, Told: told})
}

// claimOp adds to the turn the move of c from its team's waiting cases
// to its claimed ones.
func (t *Turn) claimOp(c *Case) {
	t.queue = append(t.queue, QueueOp{Team: c.Team, Case: c.ID, Address: c.Address, Since: c.Opened, Claimed: true})
}

// timer handles a fired timer of the conversation.
func (e *Engine) timer(ctx context.Context, t *Turn, now time.Time) {
	s, tm := t.Session, t.Message.Timer
	if tm == nil {
		return
	}
	c := s.Case
	live := c != nil && c.ID == tm.Data && s.Mode == ModeQueued
	switch tm.Kind {
	case TimerHandoffTimeout:
		if !live {
			return // claimed or closed meanwhile
		}
		t.Record(Event{Type: EventTimeout, Team: c.Team, Case: c.ID})
		s.SetVar(varContact, "1") // another contact told now is taken too
		if contact := c.Slots["contact"]; contact != "" {
			t.Say(e.texts.Text(TextTimeoutContact, c.Language, "team", c.TeamName, "contact", contact), e.leaveButton(c.Language))
		} else {
			t.Say(e.texts.Text(TextTimeout, c.Language, "team", c.TeamName), e.leaveButton(c.Language))
		}
		t.note(DeskTimedOut, *c, "")
	case TimerQueuePosition:
		if live {
			e.tellPlace(ctx, t, c, now)
		}
	default:
		t.Record(Event{Type: EventTimeout, Text: tm.Kind})
	}
}

// toDesk passes a customer message to the agents while the conversation
// is queued or claimed; the bot keeps quiet, except to let the customer
// leave the queue and to take a contact it asked for.
func (e *Engine) toDesk(ctx context.Context, t *Turn, lang string, now time.Time) {
	s, m := t.Session, t.Message
	if s.Case == nil { // a session without its case: repair it
		s.Mode = ModeBot
		e.respond(ctx, t, lang)
		if t.Handoff != nil {
			e.openCase(ctx, t, now)
		}
		return
	}
	c := s.Case
	switch e.leaving(s, m) {
	case leaveAsk:
		// Nothing changes yet, and the agents are not told: the customer
		// may well stay.
		s.SetVar(varLeave, c.ID)
		t.Say(e.texts.Text(TextLeaveConfirm, lang, "team", c.TeamName),
			Button{Title: e.texts.Text(TextLeaveYes, lang), Payload: PayloadLeaveQueue},
			Button{Title: e.texts.Text(TextLeaveNo, lang), Payload: PayloadLeaveNo})
		return
	case leaveNo:
		s.SetVar(varLeave, "")
		var again []Button
		if s.Mode == ModeQueued { // the way back stays at hand while waiting
			again = append(again, e.leaveButton(lang))
		}
		t.Say(e.texts.Text(TextLeaveKept, lang, "team", c.TeamName), again...)
		return
	case leaveYes:
		t.Record(Event{Type: EventLeftQueue, Team: c.Team, Case: c.ID})
		t.note(DeskClosed, *c, "left")
		t.queueOp(false, c, 0)
		t.disarmQueueTimers()
		s.Mode, s.Case = ModeBot, nil
		s.SetVar(varContact, "")
		s.SetVar(varPosition, "")
		s.SetVar(varLeave, "")
		t.Say(e.texts.Text(TextLeftQueue, lang, "team", c.TeamName))
		return
	}
	had := c.Slots["contact"]
	if e.amend(ctx, t) {
		t.note(DeskUpdated, *s.Case, "corrected")
	}
	c = s.Case // restored, if the correction failed
	if s.Vars[varContact] != "" && c.Slots["contact"] != had {
		// The correction gave the contact the bot asks for, and told
		// the customer so: no second thanks.
		s.SetVar(varContact, "")
	}
	if s.Vars[varContact] != "" {
		if contact := findContact(m.Text); contact != "" {
			s.SetVar(varContact, "")
			if c.Slots == nil {
				c.Slots = map[string]string{}
			}
			c.Slots["contact"] = contact
			t.Record(Event{Type: EventContact, Case: c.ID, Value: contact})
			t.Say(e.texts.Text(TextContactThanks, lang, "contact", contact))
			t.note(DeskUpdated, *c, "contact")
			return
		}
	}
	t.note(DeskMessage, *c, m.Text, m.Attachments...)
}

// amend lets the responder correct the open case from the customer's
// message, when it can (CaseAmender), and reports whether it did. An
// error or a panic is logged and changes nothing: the session, its case
// and the turn's replies and events are as before, and the message still
// goes to the agents.
func (e *Engine) amend(ctx context.Context, t *Turn) bool {
	a, ok := e.cfg.Responder.(CaseAmender)
	if !ok || t.Message.Text == "" {
		return false
	}
	saved := t.Session.Clone() // a few maps, on a customer's message to the desk
	keep, kept := len(t.Replies), len(t.Events)
	var changed bool
	err := func() (err error) {
		defer recoverInto(&err)
		changed, err = a.Amend(ctx, t)
		return err
	}()
	if err != nil {
		e.stats.errors.Add(1)
		e.log.Error("amend the case failed", "addr", t.Message.Address, "msg", t.Message.Address.LogID(t.Message.ID), "err", err)
		*t.Session = *saved
		t.Replies, t.Events = t.Replies[:keep], t.Events[:kept]
		return false
	}
	return changed
}

// leaveButton is the "Back to the bot" button of an open case.
func (e *Engine) leaveButton(lang string) Button {
	return Button{Title: e.texts.Text(TextLeaveButton, lang), Payload: PayloadLeaveAsk}
}

// A leaveStep is a step of going back to the bot with an open case.
type leaveStep int

const (
	leaveNone leaveStep = iota
	leaveAsk            // the customer asks to go back: ask them to confirm
	leaveYes            // they confirmed: close the case
	leaveNo             // they keep the case open
)

// leaving reads m, from a customer with an open case, as a step of going
// back to the bot. A button counts in any mode (an agent may have claimed
// the case since it was shown); so does the typed title of the question's
// answers, while the question is open. The typed title of the button
// asks only while queued: to an agent, it is something the customer said.
func (e *Engine) leaving(s *Session, m Message) leaveStep {
	asked := s.Vars[varLeave] == s.Case.ID
	switch {
	case m.Payload == PayloadLeaveAsk:
		return leaveAsk
	case m.Payload == PayloadLeaveQueue:
		return leaveYes
	case m.Payload == PayloadLeaveNo:
		return leaveNo
	case m.Payload != "":
		return leaveNone
	case asked && e.typed(m.Text, TextLeaveYes):
		return leaveYes
	case asked && e.typed(m.Text, TextLeaveNo):
		return leaveNo
	case s.Mode == ModeQueued && e.typed(m.Text, TextLeaveButton):
		return leaveAsk
	}
	return leaveNone
}

// typed reports whether text is the title of the button of text key, in
// any language, typed instead of pressed.
func (e *Engine) typed(text, key string) bool {
	text = strings.ToLower(strings.Trim(strings.TrimSpace(text), ".!"))
	for _, title := range e.texts[key] {
		if text == strings.ToLower(title) {
			return true
		}
	}
	return false
}

var (
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	phoneRe = regexp.MustCompile(`\+?[0-9][0-9 .\-/]{6,}[0-9]`)
)

// findContact finds an e-mail address or a phone number in text.
func findContact(text string) string {
	if m := emailRe.FindString(text); m != "" {
		return m
	}
	if m := phoneRe.FindString(text); m != "" {
		digits := 0
		for _, r := range m {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if digits >= 8 && digits <= 15 {
			return m
		}
	}
	return ""
}

// agentAction applies an agent's claim, reply, note, release or resolve.
// Actions arrive serialised with the conversation, so two claims at once
// are decided here: the first wins, the second is refused.
func (e *Engine) agentAction(t *Turn, now time.Time) {
	s, a := t.Session, t.Message.Agent
	if a == nil {
		return
	}
	c := s.Case
	if c == nil || (a.Case != "" && a.Case != c.ID) {
		// The case is over (a late click on an old card, a reply in an
		// old thread): nothing to act on.
		t.notes = append(t.notes, DeskNote{Kind: DeskRefused, Actor: a.ID, Text: "closed",
			Case: Case{ID: a.Case, Address: s.Address}})
		return
	}
	lang := c.Language
	name := a.Name
	if name == "" {
		name = a.ID
	}
	mine := c.Agent == a.ID
	refuse := func(why string) {
		n := DeskNote{Kind: DeskRefused, Case: *c.Clone(), Actor: a.ID, Text: why}
		t.notes = append(t.notes, n)
	}
	switch a.Action {
	case "claim":
		if c.Agent != "" {
			if !mine {
				refuse("claimed")
			}
			return
		}
		c.Agent, c.AgentName = a.ID, name
		s.Mode = ModeAgent
		s.SetVar(varContact, "")
		t.Record(Event{Type: EventClaimed, Team: c.Team, Case: c.ID, Agent: name})
		t.System(e.texts.Text(TextJoined, lang, "agent", name))
		t.claimOp(c)
		t.disarmQueueTimers()
		t.note(DeskUpdated, *c, "claimed")
	case "reply":
		if !mine || s.Mode != ModeAgent {
			refuse("not_yours")
			return
		}
		t.Replies = append(t.Replies, Reply{Address: s.Address, Text: a.Text, From: name})
		t.Record(Event{Type: EventAgent, Text: a.Text, Agent: name, Case: c.ID})
	case "note":
		t.Record(Event{Type: EventNote, Text: a.Text, Agent: name, Case: c.ID})
	case "release":
		if !mine {
			refuse("not_yours")
			return
		}
		c.Agent, c.AgentName = "", ""
		s.Mode = ModeQueued
		s.SetVar(varPosition, "") // back in the queue: tell the place again
		t.Record(Event{Type: EventReleased, Team: c.Team, Case: c.ID, Agent: name})
		t.System(e.texts.Text(TextReleased, lang, "agent", name))
		t.queueOp(true, c, 0)
		e.armQueueTimers(t, c, e.team(c.Team), now)
		t.note(DeskUpdated, *c, "released")
	case "resolve":
		if c.Agent != "" && !mine {
			refuse("claimed")
			return
		}
		t.Record(Event{Type: EventResolved, Team: c.Team, Case: c.ID, Agent: name})
		t.note(DeskClosed, *c, "resolved")
		t.queueOp(false, c, 0)
		t.disarmQueueTimers()
		s.Mode, s.Case = ModeBot, nil
		s.SetVar(varContact, "")
		s.SetVar(varPosition, "")
		s.SetVar(varLeave, "")
		t.System(e.texts.Text(TextResolved, lang))
		t.Say(e.texts.Text(TextCSAT, lang), csatButtons()...)
		s.SetVar(varCSAT, c.ID) // a rating is taken only when asked for
	default:
		refuse("unknown action")
	}
}

func csatButtons() []Button {
	b := make([]Button, 5)
	for i := range b {
		n := strconv.Itoa(i + 1)
		b[i] = Button{Title: strings.Repeat("★", i+1), Payload: PayloadCSAT + n}
	}
	return b
}

// csat records a satisfaction score pressed after a resolved case.
func (e *Engine) csat(t *Turn, score, lang string) {
	n, err := strconv.Atoi(score)
	asked := t.Session.Vars[varCSAT]
	if err != nil || n < 1 || n > 5 || asked == "" {
		return // not asked for (a forged or repeated button): not counted
	}
	t.Session.SetVar(varCSAT, "")
	t.Record(Event{Type: EventCSAT, Score: n, Case: asked})
	t.Say(e.texts.Text(TextCSATThanks, lang))
}

// note adds a note to the desk about case c, as it is now. The note
// shares c's slots and lines rather than copying them: a turn changes
// its case's maps and slices only before it writes its notes (the
// contact above), and once committed the session, the case with it, is
// changed no more (a later message loads a session of its own).
func (t *Turn) note(kind DeskNoteKind, c Case, text string, att ...Attachment) {
	t.notes = append(t.notes, DeskNote{Kind: kind, Case: c, Text: text, Attachments: att})
}

// SetTimer asks the engine to fire tm at tm.Due, through the store.
func (t *Turn) SetTimer(tm Timer) {
	tm.Address = t.Session.Address
	t.timers = append(t.timers, tm)
}

// CancelTimer cancels the timer id of this conversation.
func (t *Turn) CancelTimer(id string) { t.cancel = append(t.cancel, id) }

// formatWhen says when the team opens next, in the customer's language:
// "alle 09:00", "domani alle 09:00", "lunedì 2 giugno alle 09:00".
func formatWhen(next, now time.Time, lang string) string {
	if next.IsZero() {
		if lang == "it" {
			return "appena possibile"
		}
		return "as soon as we can"
	}
	clock := next.Format("15:04")
	y1, m1, d1 := now.In(next.Location()).Date()
	y2, m2, d2 := next.Date()
	days := int(time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	itDays := []string{"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"}
	itMonths := []string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"}
	switch {
	case lang == "it" && days == 0:
		return "oggi alle " + clock
	case lang == "it" && days == 1:
		return "domani alle " + clock
	case lang == "it":
		return itDays[next.Weekday()] + " " + strconv.Itoa(d2) + " " + itMonths[m2-1] + " alle " + clock
	case days == 0:
		return "today at " + clock
	case days == 1:
		return "tomorrow at " + clock
	default:
		return next.Format("Monday 2 January") + " at " + clock
	}
}

// The queue's reads, a panic of theirs an error like the queue's being
// unavailable (see recoverInto).
func (e *Engine) queueLen(ctx context.Context, team string) (n int, err error) {
	defer recoverInto(&err)
	return e.cfg.Queues.Len(ctx, team)
}

func (e *Engine) queuePosition(ctx context.Context, team, caseID string) (ahead int, waiting bool, err error) {
	defer recoverInto(&err)
	return e.cfg.Queues.Position(ctx, team, caseID)
}

func (e *Engine) queueMoved(ctx context.Context, now time.Time) (ops []QueueOp, err error) {
	defer recoverInto(&err)
	return e.cfg.Queues.Moved(ctx, now, positionEvery, placesPerTick)
}
