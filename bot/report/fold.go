package report

import (
	"slices"
	"strings"
	"time"

	"github.com/sportello/sportello/bot"
)

// A Fold is Summarize's state between two events: the summary of the
// events folded so far, what the events that follow need of those before
// them, and where the last one stands in SortEvents order. It is plain
// data (it encodes as JSON), so an archive can keep it with the
// conversation and fold the events that come later without reading the
// earlier ones again: a conversation of n events then costs n, not n².
//
// Folding the events of a conversation in order, from NewFold, gives what
// Summarize gives of them; Summarize is that fold.
type Fold struct {
	// Conversation is the summary of the events folded.
	Conversation Conversation `json:"conversation"`
	// Handed is the time of the first handoff, zero before one.
	Handed time.Time `json:"handed,omitzero"`
	// OpenFlows counts the flows started and not ended.
	OpenFlows int `json:"open_flows,omitempty"`
	// Left is true when the customer left the queue after the last
	// handoff; Stuck when the bot's last act was a fallback, an error or
	// a refusal that nothing has answered since.
	Left  bool `json:"left,omitempty"`
	Stuck bool `json:"stuck,omitempty"`
	// Events counts the events folded; LastTime and LastIndex are the
	// time and the index (the number ending its ID) of the last one.
	Events    int       `json:"events"`
	LastTime  time.Time `json:"last_time,omitzero"`
	LastIndex int       `json:"last_index,omitempty"`
}

// NewFold returns the fold of conversation id before its first event.
func NewFold(id string) *Fold {
	f := &Fold{Conversation: Conversation{ID: id}}
	f.finish()
	return f
}

// Follows reports whether e comes after every event folded in
// SortEvents order (later, or at the same time with a greater index), so
// that folding it gives the summary of all of them. An event that comes
// earlier (a replica's late batch, a retry) or ties with the last one
// needs the conversation summarised again from all its events.
func (f *Fold) Follows(e bot.Event) bool {
	if f.Events == 0 {
		return true
	}
	if c := e.Time.Compare(f.LastTime); c != 0 {
		return c > 0
	}
	return eventIndex(e.ID) > f.LastIndex
}

// Add folds e, the conversation's next event, into the summary.
func (f *Fold) Add(e bot.Event) {
	c := &f.Conversation
	if f.Events == 0 {
		c.Address, c.Started = e.Address, e.Time
	}
	f.Events++
	f.LastTime, f.LastIndex = e.Time, eventIndex(e.ID)
	if e.Time.After(c.Last) {
		c.Last = e.Time
	}
	if e.Language != "" {
		c.Language = e.Language
	}
	switch e.Type {
	case bot.EventCustomer:
		c.CustomerMessages++
		if c.Preview == "" {
			c.Preview = e.Text
		}
	case bot.EventBot:
		c.BotMessages++
	case bot.EventAgent:
		c.AgentMessages++
		if c.TimeToFirstReply == 0 && !f.Handed.IsZero() {
			c.TimeToFirstReply = max(e.Time.Sub(f.Handed), time.Millisecond)
		}
	case bot.EventIntent:
		if !strings.HasPrefix(e.Intent, "button:") && e.Intent != "" && !slices.Contains(c.Intents, e.Intent) {
			c.Intents = append(c.Intents, e.Intent)
		}
	case bot.EventFallback:
		c.Fallbacks++
		f.Stuck = true
	case bot.EventError, bot.EventRefused:
		f.Stuck = true
	case bot.EventFlowStarted:
		f.OpenFlows++
	case bot.EventFlowEnded:
		f.OpenFlows = max(f.OpenFlows-1, 0)
	case bot.EventHandoff:
		c.Team, c.Open, f.Left = e.Team, true, false
		if f.Handed.IsZero() {
			f.Handed = e.Time
		}
	case bot.EventClaimed:
		c.Agent = e.Agent
		if c.TimeToClaim == 0 && !f.Handed.IsZero() {
			c.TimeToClaim = max(e.Time.Sub(f.Handed), time.Millisecond)
		}
	case bot.EventLeftQueue:
		c.Team, c.Open, f.Left = "", false, true
	case bot.EventResolved:
		c.Open = false
	case bot.EventCSAT:
		c.CSAT = e.Score
	}
	// The bot's reply to a fallback is part of it: the conversation is
	// stuck until the bot understands, fills a slot or hands over.
	if e.Type == bot.EventIntent || e.Type == bot.EventSlotFilled || e.Type == bot.EventHandoff {
		f.Stuck = false
	}
	f.finish()
}

// finish derives the totals and the outcome from the rest.
func (f *Fold) finish() {
	c := &f.Conversation
	c.Messages = c.CustomerMessages + c.BotMessages + c.AgentMessages
	switch {
	case c.Team != "":
		c.Outcome = Outcome(c.Team)
	case f.Left || f.Stuck || f.OpenFlows > 0:
		c.Outcome = OutcomeAbandoned
	default:
		c.Outcome = OutcomeBot
	}
}

// Summary returns the summary of the events folded. Folding more does
// not change it.
func (f *Fold) Summary() Conversation {
	c := f.Conversation
	c.Intents = slices.Clip(c.Intents)
	return c
}
