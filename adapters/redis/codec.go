package redis

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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
	// ID is nil for the engine's own form, address|message|index.
	ID          *string          `json:"i,omitempty"`
	Type        string           `json:"y"`           // see typeCodes
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
	Passages    []string         `json:"p,omitempty"`
}

// typeCodes shorten the commonest event types to one letter; any other
// type is stored as it is, or after "=" if it is one letter long itself.
var typeCodes = map[bot.EventType]string{
	bot.EventCustomer: "c", bot.EventBot: "b", bot.EventAgent: "a", bot.EventSystem: "s",
	bot.EventIntent: "i", bot.EventSlotFilled: "f",
}

var codeTypes = func() map[string]bot.EventType {
	m := make(map[string]bot.EventType)
	for t, c := range typeCodes {
		m[c] = t
	}
	return m
}()

func typeCode(t bot.EventType) string {
	if c, ok := typeCodes[t]; ok {
		return c
	}
	if len(t) <= 1 || t[0] == '=' {
		return "=" + string(t)
	}
	return string(t)
}

func codeType(c string) bot.EventType {
	if t, ok := codeTypes[c]; ok {
		return t
	}
	if rest, ok := strings.CutPrefix(c, "="); ok {
		return bot.EventType(rest)
	}
	return bot.EventType(c)
}

// defaultEventID is the ID the engine gives the i-th event of a commit.
func defaultEventID(addr bot.Address, msgID string, i int) string {
	return addr.String() + "|" + msgID + "|" + strconv.Itoa(i)
}

// encodeEvents encodes the events of one commit to conversation addr.
func encodeEvents(addr bot.Address, msgID string, events []bot.Event) ([]byte, error) {
	g := groupRec{MessageID: msgID, Events: make([]eventRec, len(events))}
	if len(events) > 0 {
		g.Time = micros(events[0].Time)
	}
	for i, e := range events {
		r := eventRec{
			Type: typeCode(e.Type), Text: e.Text, Buttons: e.Buttons, Attachments: e.Attachments,
			Language: e.Language, Intent: e.Intent, Confidence: e.Confidence, Flow: e.Flow,
			Slot: e.Slot, Value: e.Value, Action: e.Action, Team: e.Team, Case: e.Case,
			Agent: e.Agent, Score: e.Score, Passages: e.Passages,
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
		if e.ID != defaultEventID(addr, e.MessageID, i) {
			id := e.ID
			r.ID = &id
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
			Address: addr, Type: codeType(r.Type), Time: fromMicros(g.Time), MessageID: g.MessageID,
			Text: r.Text, Buttons: r.Buttons, Attachments: r.Attachments, Language: r.Language,
			Intent: r.Intent, Confidence: r.Confidence, Flow: r.Flow, Slot: r.Slot, Value: r.Value,
			Action: r.Action, Team: r.Team, Case: r.Case, Agent: r.Agent, Score: r.Score,
			Passages: r.Passages,
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
		e.ID = defaultEventID(addr, e.MessageID, i)
		if r.ID != nil {
			e.ID = *r.ID
		}
		out[i] = e
	}
	return out, nil
}

// The session key holds the session and the conversation's
// de-duplication record, so that Load reads one key and Commit writes
// one; the commit script reads and rewrites the same layout:
//
//	<session JSON>\n<session expiry, Unix ms>\n<message ID>\t<expiry ms>\n...
//
// The key lives as long as the later of the two; a session past its
// expiry reads as none. JSON never holds a raw newline.

// sessionValue is a stored session key's value, split.
type sessionValue struct {
	json    []byte
	expires int64  // ms
	seen    string // message ID<TAB>expiry<NL>...
}

func splitSessionValue(b []byte) (sessionValue, error) {
	j, rest, ok := bytes.Cut(b, []byte("\n"))
	if !ok {
		return sessionValue{}, errors.New("session value without expiry")
	}
	exp, seen, _ := bytes.Cut(rest, []byte("\n"))
	n, err := strconv.ParseInt(string(exp), 10, 64)
	if err != nil {
		return sessionValue{}, fmt.Errorf("session expiry %q: %w", exp, err)
	}
	return sessionValue{j, n, string(seen)}, nil
}

// handled reports whether message id is recorded and not expired at now.
func (v sessionValue) handled(id string, now int64) bool {
	id = dedupID(id)
	for line := range strings.Lines(v.seen) {
		mid, exp, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		if ok && mid == id {
			n, err := strconv.ParseInt(exp, 10, 64)
			return err == nil && n > now
		}
	}
	return false
}

// dedupID is id as the de-duplication record keeps it: IDs with a tab or
// a newline, or starting with "~", are hex-encoded after "~".
func dedupID(id string) string {
	if strings.ContainsAny(id, "\t\n") || strings.HasPrefix(id, "~") {
		return "~" + hex.EncodeToString([]byte(id))
	}
	return id
}
