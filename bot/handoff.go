package bot

import (
	"strconv"
	"strings"
	"time"
)

// Payloads of the engine's own buttons. Flow files must not use the
// "sportello:" prefix.
const (
	PayloadLeaveQueue = "sportello:leave"
	PayloadCSAT       = "sportello:csat:"
)

// openCase queues the conversation for the team the responder chose.
func (e *Engine) openCase(t *Turn, now time.Time) {
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
	if c.TeamName == "" {
		c.TeamName = c.Team
	}
	s.Mode = ModeQueued
	s.Case = c
	s.Flow, s.Step, s.Stack, s.Retries, s.Misses = "", "", nil, 0, 0
	t.Record(Event{Type: EventHandoff, Team: c.Team, Case: c.ID, Intent: c.Intent, Text: c.Reason})
	t.Say(e.texts.Text(TextQueued, c.Language, "team", c.TeamName),
		Button{Title: e.texts.Text(TextLeaveButton, c.Language), Payload: PayloadLeaveQueue})
	t.note(DeskOpened, *c, "")
}

// toDesk passes a customer message to the agents while the conversation
// is queued or claimed; the bot keeps quiet, except for leaving the queue.
func (e *Engine) toDesk(t *Turn, lang string) {
	s, m := t.Session, t.Message
	if s.Case == nil { // a session without its case: repair it
		s.Mode = ModeBot
		return
	}
	if m.Payload == PayloadLeaveQueue && s.Mode == ModeQueued {
		t.Record(Event{Type: EventLeftQueue, Team: s.Case.Team, Case: s.Case.ID})
		t.note(DeskClosed, *s.Case, "left the queue")
		s.Mode, s.Case = ModeBot, nil
		t.Say(e.texts.Text(TextLeftQueue, lang))
		return
	}
	t.note(DeskMessage, *s.Case, m.Text, m.Attachments...)
}

// agentAction applies an agent's claim, reply, release or resolve.
func (e *Engine) agentAction(t *Turn) {
	s, a := t.Session, t.Message.Agent
	if a == nil || s.Case == nil {
		return // the case is gone: nothing to act on
	}
	c := s.Case
	lang := c.Language
	name := a.Name
	if name == "" {
		name = a.ID
	}
	mine := c.Agent == a.ID
	switch a.Action {
	case "claim":
		if c.Agent != "" {
			t.note(DeskUpdated, *c, "") // the desk shows who has it
			return
		}
		c.Agent, c.AgentName = a.ID, name
		s.Mode = ModeAgent
		t.Record(Event{Type: EventClaimed, Team: c.Team, Case: c.ID, Agent: name})
		t.System(e.texts.Text(TextJoined, lang, "agent", name))
		t.note(DeskUpdated, *c, "")
	case "reply":
		if !mine || s.Mode != ModeAgent {
			return
		}
		t.Replies = append(t.Replies, Reply{Address: s.Address, Text: a.Text, From: name})
		t.Record(Event{Type: EventAgent, Text: a.Text, Agent: name, Case: c.ID})
	case "release":
		if !mine {
			return
		}
		c.Agent, c.AgentName = "", ""
		s.Mode = ModeQueued
		t.Record(Event{Type: EventReleased, Team: c.Team, Case: c.ID, Agent: name})
		t.System(e.texts.Text(TextReleased, lang, "agent", name))
		t.note(DeskUpdated, *c, "")
	case "resolve":
		if c.Agent != "" && !mine {
			return
		}
		t.Record(Event{Type: EventResolved, Team: c.Team, Case: c.ID, Agent: name})
		t.note(DeskClosed, *c, "")
		s.Mode, s.Case = ModeBot, nil
		t.System(e.texts.Text(TextResolved, lang))
		t.Say(e.texts.Text(TextCSAT, lang), csatButtons()...)
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
	if err != nil || n < 1 || n > 5 {
		return
	}
	t.Record(Event{Type: EventCSAT, Score: n})
	t.Say(e.texts.Text(TextCSATThanks, lang))
}

func (t *Turn) note(kind DeskNoteKind, c Case, text string, att ...Attachment) {
	t.notes = append(t.notes, DeskNote{Kind: kind, Case: *c.Clone(), Text: text, Attachments: att})
}

// SetTimer asks the engine to fire tm at tm.Due, through the store.
func (t *Turn) SetTimer(tm Timer) {
	tm.Address = t.Session.Address
	t.timers = append(t.timers, tm)
}

// CancelTimer cancels the timer id of this conversation.
func (t *Turn) CancelTimer(id string) { t.cancel = append(t.cancel, id) }
