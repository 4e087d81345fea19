package bot

import "time"

// A Turn is one message being handled: the session to change, and what the
// bot will say and record. Responders fill it; the engine commits it, and
// builds a later message's events on its Events: a responder keeps
// nothing of a turn once it returns.
type Turn struct {
	Session *Session
	Message Message

	Replies []Reply
	Events  []Event
	// Handoff, when set, hands the conversation to a team after the
	// replies are sent.
	Handoff *Case

	// now is the engine's time of the turn; failed, when set, fails the
	// turn: the session could not be restored after the responder failed.
	now    time.Time
	failed error

	// What the engine adds: notes to the desk and timers to set or cancel.
	notes  []DeskNote
	queue  []QueueOp
	timers []Timer
	cancel []string
}

// Say adds a reply from the bot, with optional quick-reply buttons.
func (t *Turn) Say(text string, buttons ...Button) {
	t.Replies = append(t.Replies, Reply{Address: t.Session.Address, Text: text, Buttons: buttons})
	t.Events = append(t.Events, Event{Type: EventBot, Text: text, Buttons: buttons})
}

// System adds a system line (about the conversation, not in it).
func (t *Turn) System(text string) {
	t.Replies = append(t.Replies, Reply{Address: t.Session.Address, Text: text, System: true})
	t.Events = append(t.Events, Event{Type: EventSystem, Text: text})
}

// Record adds a transcript event.
func (t *Turn) Record(e Event) { t.Events = append(t.Events, e) }

// HandOff hands the conversation to c.Team once this turn is committed.
// The engine completes the case (ID, customer, language, last messages).
func (t *Turn) HandOff(c Case) { t.Handoff = &c }

// Language returns the language of the conversation, or "" if unknown.
func (t *Turn) Language() string { return t.Session.Language }
