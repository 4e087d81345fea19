package redis

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/bot"
)

// The records below are the stored forms of the domain types: JSON with
// one- or two-letter keys, times as Unix microseconds, and what the key
// already says (the address) left out. Sessions and transcripts are the
// bulk of Redis memory, and these forms keep an idle conversation under
// 2 KB. TestCodecCoversEveryField fails when a field is added to the
// domain types and not here.

// micros returns t as Unix microseconds, 0 for the zero time.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromMicros is the inverse of micros.
func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

type senderRec struct {
	Name     string `json:"n,omitempty"`
	Username string `json:"u,omitempty"`
	Language string `json:"l,omitempty"`
}

func toSender(s bot.Sender) *senderRec {
	if s == (bot.Sender{}) {
		return nil
	}
	return &senderRec{s.Name, s.Username, s.Language}
}

func (r *senderRec) sender() bot.Sender {
	if r == nil {
		return bot.Sender{}
	}
	return bot.Sender{Name: r.Name, Username: r.Username, Language: r.Language}
}

type frameRec struct {
	Flow  string            `json:"f,omitempty"`
	Step  string            `json:"s,omitempty"`
	Slots map[string]string `json:"sl,omitempty"`
}

type caseRec struct {
	ID        string            `json:"i,omitempty"`
	Team      string            `json:"t,omitempty"`
	TeamName  string            `json:"tn,omitempty"`
	Address   string            `json:"a,omitempty"` // empty: the zero address
	Customer  *senderRec        `json:"c,omitempty"`
	Language  string            `json:"l,omitempty"`
	Intent    string            `json:"n,omitempty"`
	Reason    string            `json:"r,omitempty"`
	Slots     map[string]string `json:"sl,omitempty"`
	Summary   []string          `json:"su,omitempty"`
	Last      []string          `json:"la,omitempty"`
	Opened    int64             `json:"o,omitempty"`
	Agent     string            `json:"ag,omitempty"`
	AgentName string            `json:"an,omitempty"`
	Thread    string            `json:"th,omitempty"`
}

func addrString(a bot.Address) string {
	if a.IsZero() {
		return ""
	}
	return a.String()
}

func parseAddr(s string) bot.Address {
	if s == "" {
		return bot.Address{}
	}
	ch, id, _ := strings.Cut(s, ":")
	return bot.Address{Channel: ch, ChatID: id}
}

func toCase(c *bot.Case) *caseRec {
	if c == nil {
		return nil
	}
	return &caseRec{
		ID: c.ID, Team: c.Team, TeamName: c.TeamName, Address: addrString(c.Address),
		Customer: toSender(c.Customer), Language: c.Language, Intent: c.Intent, Reason: c.Reason,
		Slots: c.Slots, Summary: c.Summary, Last: c.Last, Opened: micros(c.Opened),
		Agent: c.Agent, AgentName: c.AgentName, Thread: c.Thread,
	}
}

func (r *caseRec) toCase() *bot.Case {
	if r == nil {
		return nil
	}
	return &bot.Case{
		ID: r.ID, Team: r.Team, TeamName: r.TeamName, Address: parseAddr(r.Address),
		Customer: r.Customer.sender(), Language: r.Language, Intent: r.Intent, Reason: r.Reason,
		Slots: r.Slots, Summary: r.Summary, Last: r.Last, Opened: fromMicros(r.Opened),
		Agent: r.Agent, AgentName: r.AgentName, Thread: r.Thread,
	}
}

// sessionRec is the stored session. V comes first: the commit script
// reads the stored version with a pattern, without decoding the JSON.
type sessionRec struct {
	V         int64             `json:"v"`
	Mode      bot.Mode          `json:"m,omitempty"`
	Language  string            `json:"l,omitempty"`
	Customer  *senderRec        `json:"c,omitempty"`
	Flow      string            `json:"f,omitempty"`
	Step      string            `json:"s,omitempty"`
	Slots     map[string]string `json:"sl,omitempty"`
	Stack     []frameRec        `json:"sk,omitempty"`
	Misses    int               `json:"mi,omitempty"`
	Retries   int               `json:"r,omitempty"`
	Vars      map[string]string `json:"va,omitempty"`
	Recent    []string          `json:"re,omitempty"`
	RateStart int64             `json:"rs,omitempty"`
	RateCount int               `json:"rc,omitempty"`
	Case      *caseRec          `json:"k,omitempty"`
	Created   int64             `json:"cr,omitempty"`
	Updated   int64             `json:"up,omitempty"`
	Blocked   bool              `json:"b,omitempty"`
}

// encodeSession encodes s as stored under its own address, with version v.
func encodeSession(s *bot.Session, v int64) ([]byte, error) {
	r := sessionRec{
		V: v, Mode: s.Mode, Language: s.Language, Customer: toSender(s.Customer),
		Flow: s.Flow, Step: s.Step, Slots: s.Slots, Misses: s.Misses, Retries: s.Retries,
		Vars: s.Vars, Recent: s.Recent, RateStart: micros(s.RateStart), RateCount: s.RateCount,
		Case: toCase(s.Case), Created: micros(s.Created), Updated: micros(s.Updated), Blocked: s.Blocked,
	}
	for _, f := range s.Stack {
		r.Stack = append(r.Stack, frameRec(f))
	}
	return json.Marshal(r)
}

// decodeSession decodes a stored session of addr. The address is not
// stored: the key says it.
func decodeSession(addr bot.Address, b []byte) (*bot.Session, error) {
	var r sessionRec
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	s := &bot.Session{
		Address: addr, Mode: r.Mode, Language: r.Language, Customer: r.Customer.sender(),
		Flow: r.Flow, Step: r.Step, Slots: r.Slots, Misses: r.Misses, Retries: r.Retries,
		Vars: r.Vars, Recent: r.Recent, RateStart: fromMicros(r.RateStart), RateCount: r.RateCount,
		Case: r.Case.toCase(), Version: r.V, Created: fromMicros(r.Created), Updated: fromMicros(r.Updated),
		Blocked: r.Blocked,
	}
	for _, f := range r.Stack {
		s.Stack = append(s.Stack, bot.Frame(f))
	}
	return s, nil
}

// groupRec is the stored form of the events of one commit: one element of
// a conversation's transcript list, and one entry of the event stream.
type groupRec struct {
	// MessageID is the commit's message, the default of every event.
	MessageID string `json:"m,omitempty"`
	// Time is the default time of the events.
	Time   int64      `json:"t,omitempty"`
	Events []eventRec `json:"e"`
}

type eventRec struct {
	// ID is the event's ID, or J its tail when the ID reads
	// address+sep+messageID+sep+tail (J is then sep+tail).
	ID          string           `json:"i,omitempty"`
	J           string           `json:"j,omitempty"`
	Type        bot.EventType    `json:"y"`
	Address     *string          `json:"a,omitempty"` // nil: the conversation's
	Time        *int64           `json:"t,omitempty"` // nil: the group's
	MessageID   *string          `json:"m,omitempty"` // nil: the group's
	Text        string           `json:"x,omitempty"`
	Buttons     []bot.Button     `json:"b,omitempty"`
	Attachments []bot.Attachment `json:"at,omitempty"`
	Language    string           `json:"l,omitempty"`
	Intent      string           `json:"n,omitempty"`
	Confidence  float64          `json:"c,omitempty"`
	Flow        string           `json:"f,omitempty"`
	Slot        string           `json:"s,omitempty"`
	Value       string           `json:"v,omitempty"`
	Action      string           `json:"ac,omitempty"`
	Team        string           `json:"tm,omitempty"`
	Case        string           `json:"k,omitempty"`
	Agent       string           `json:"ag,omitempty"`
	Score       int              `json:"sc,omitempty"`
}

// encodeEvents encodes the events of one commit to conversation addr.
func encodeEvents(addr bot.Address, msgID string, events []bot.Event) ([]byte, error) {
	g := groupRec{MessageID: msgID, Events: make([]eventRec, len(events))}
	if len(events) > 0 {
		g.Time = micros(events[0].Time)
	}
	as := addr.String()
	for i, e := range events {
		r := eventRec{
			Type: e.Type, Text: e.Text, Buttons: e.Buttons, Attachments: e.Attachments,
			Language: e.Language, Intent: e.Intent, Confidence: e.Confidence, Flow: e.Flow,
			Slot: e.Slot, Value: e.Value, Action: e.Action, Team: e.Team, Case: e.Case,
			Agent: e.Agent, Score: e.Score,
		}
		if e.Address != addr {
			a := addrString(e.Address)
			r.Address = &a
		}
		if t := micros(e.Time); t != g.Time {
			r.Time = &t
		}
		if e.MessageID != msgID {
			m := e.MessageID
			r.MessageID = &m
		}
		r.ID = e.ID
		if tail, ok := strings.CutPrefix(e.ID, as); ok && len(tail) > 1 {
			sep := tail[:1]
			if rest, ok := strings.CutPrefix(tail[1:], e.MessageID+sep); ok && sep != "" {
				r.ID, r.J = "", sep+rest
			}
		}
		g.Events[i] = r
	}
	return json.Marshal(g)
}

// decodeEvents decodes what encodeEvents wrote for addr.
func decodeEvents(addr bot.Address, b []byte) ([]bot.Event, error) {
	var g groupRec
	if err := json.Unmarshal(b, &g); err != nil {
		return nil, fmt.Errorf("decode events: %w", err)
	}
	out := make([]bot.Event, len(g.Events))
	for i, r := range g.Events {
		e := bot.Event{
			ID: r.ID, Address: addr, Type: r.Type, Time: fromMicros(g.Time), MessageID: g.MessageID,
			Text: r.Text, Buttons: r.Buttons, Attachments: r.Attachments, Language: r.Language,
			Intent: r.Intent, Confidence: r.Confidence, Flow: r.Flow, Slot: r.Slot, Value: r.Value,
			Action: r.Action, Team: r.Team, Case: r.Case, Agent: r.Agent, Score: r.Score,
		}
		if r.Address != nil {
			e.Address = parseAddr(*r.Address)
		}
		if r.Time != nil {
			e.Time = fromMicros(*r.Time)
		}
		if r.MessageID != nil {
			e.MessageID = *r.MessageID
		}
		if r.J != "" {
			sep := r.J[:1]
			e.ID = addr.String() + sep + e.MessageID + sep + r.J[1:]
		}
		out[i] = e
	}
	return out, nil
}
