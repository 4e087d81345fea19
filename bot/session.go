package bot

import (
	"maps"
	"slices"
	"time"
)

// A Mode is who answers a conversation.
type Mode string

const (
	// ModeBot: the bot answers (the zero value is read as ModeBot).
	ModeBot Mode = "bot"
	// ModeQueued: the conversation waits in a team's queue for an agent.
	ModeQueued Mode = "queued"
	// ModeAgent: an agent has claimed the conversation; the bot keeps quiet.
	ModeAgent Mode = "agent"
	// ModeClosed: the conversation is over; the next message starts afresh.
	ModeClosed Mode = "closed"
)

// A Session is everything the bot remembers of one conversation. It is
// loaded, changed and committed as a whole by Engine.Handle; Version
// guards against concurrent updates.
type Session struct {
	Address  Address `json:"address"`
	Mode     Mode    `json:"mode"`
	Language string  `json:"lang,omitempty"`
	Customer Sender  `json:"customer,omitzero"`

	// Flow and Step locate the conversation in the flow file; both are
	// empty between flows.
	Flow string `json:"flow,omitempty"`
	Step string `json:"step,omitempty"`
	// Slots are the values collected so far, by slot name.
	Slots map[string]string `json:"slots,omitempty"`
	// Stack holds the flows interrupted by a digression, innermost last.
	Stack []Frame `json:"stack,omitempty"`
	// Misses counts consecutive messages the bot did not understand.
	Misses int `json:"misses,omitempty"`
	// Retries counts invalid answers to the current question.
	Retries int `json:"retries,omitempty"`
	// Vars holds small bookkeeping values of the flow engine.
	Vars map[string]string `json:"vars,omitempty"`

	// Recent holds the customer's last few texts, oldest first, for the
	// summary of a case.
	Recent []string `json:"recent,omitempty"`
	// RateStart and RateCount count the customer's messages in the current
	// flood-control window.
	RateStart time.Time `json:"rs,omitzero"`
	RateCount int       `json:"rc,omitempty"`

	// Case is the open handoff, when Mode is queued or agent.
	Case *Case `json:"case,omitempty"`

	// Version is the number of commits of this session; 0 for a new one.
	Version int64     `json:"v"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	// Blocked is set when the channel reports that the customer blocked
	// the bot; replies to a blocked conversation are not retried.
	Blocked bool `json:"blocked,omitempty"`
}

// A Frame is an interrupted flow, resumed when the digression ends.
type Frame struct {
	Flow  string            `json:"flow"`
	Step  string            `json:"step"`
	Slots map[string]string `json:"slots,omitempty"`
}

// NewSession returns the session of a conversation that starts at now.
func NewSession(addr Address, now time.Time) *Session {
	return &Session{Address: addr, Mode: ModeBot, Created: now, Updated: now}
}

// Clone returns a deep copy of s, so a handler can change it freely and
// the original stays as loaded.
func (s *Session) Clone() *Session {
	if s == nil {
		return nil
	}
	c := *s
	c.Slots = maps.Clone(s.Slots)
	c.Vars = maps.Clone(s.Vars)
	c.Stack = slices.Clone(s.Stack)
	c.Recent = slices.Clone(s.Recent)
	for i := range c.Stack {
		c.Stack[i].Slots = maps.Clone(c.Stack[i].Slots)
	}
	if s.Case != nil {
		c.Case = s.Case.Clone()
	}
	return &c
}

// SetSlot sets slot name to value, allocating the map when needed.
func (s *Session) SetSlot(name, value string) {
	if s.Slots == nil {
		s.Slots = make(map[string]string)
	}
	s.Slots[name] = value
}

// SetVar sets the bookkeeping value name, deleting it when value is empty.
func (s *Session) SetVar(name, value string) {
	if value == "" {
		delete(s.Vars, name)
		return
	}
	if s.Vars == nil {
		s.Vars = make(map[string]string)
	}
	s.Vars[name] = value
}

// EffectiveMode returns s.Mode, reading the zero value as ModeBot.
func (s *Session) EffectiveMode() Mode {
	if s.Mode == "" {
		return ModeBot
	}
	return s.Mode
}

// OpenCaseTTL is how long a session with an open case (queued, or with an
// agent) lives without messages: a case opened on Friday evening waits
// for Monday, and longer, until someone resolves it.
const OpenCaseTTL = 30 * 24 * time.Hour

// SessionTTL returns how long a store keeps s after this commit: ttl, or
// OpenCaseTTL while a case is open. Stores call it.
func SessionTTL(s *Session, ttl time.Duration) time.Duration {
	if s.Case != nil && (s.Mode == ModeQueued || s.Mode == ModeAgent) {
		return max(ttl, OpenCaseTTL)
	}
	return ttl
}
