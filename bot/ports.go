package bot

import (
	"context"
	"errors"
	"slices"
	"time"
)

// Errors of the ports. Implementations wrap them; callers use errors.Is.
var (
	// ErrDuplicate: the message ID was handled (committed) already.
	ErrDuplicate = errors.New("bot: duplicate message")
	// ErrConflict: the session changed since it was loaded; load it again.
	ErrConflict = errors.New("bot: session version conflict")
	// ErrUndeliverable: the channel refused a reply for good (the customer
	// blocked the bot, the chat is gone). It is not retried.
	ErrUndeliverable = errors.New("bot: undeliverable")
)

// A Handler handles one inbound Message. Engine is the Handler of the
// product; channels call it and acknowledge the message to their platform
// only when it returns nil. An error means nothing was committed and the
// message should come again.
type Handler interface {
	Handle(ctx context.Context, m Message) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, m Message) error

// Handle calls f(ctx, m).
func (f HandlerFunc) Handle(ctx context.Context, m Message) error { return f(ctx, m) }

// Middleware wraps a Handler (logging, metrics, recovery).
type Middleware func(Handler) Handler

// A Store keeps sessions, the de-duplication record, transcripts, the
// outbox and timers. Every store passes the conformance suite in
// bot/bottest (StoreSuite); adapters/memory and adapters/redis implement it.
type Store interface {
	// Load returns the session of addr, or (nil, nil) when there is none
	// (new or expired). It returns ErrDuplicate when msgID was committed
	// already; an empty msgID is never a duplicate. The session is the
	// caller's, sharing no map or slice with what the store keeps: the
	// engine changes it in place, its case with it.
	Load(ctx context.Context, addr Address, msgID string) (*Session, error)

	// Commit writes c atomically: all of it or nothing. It succeeds only
	// if the stored session's version still equals c.Session.Version (0:
	// no session stored); it then stores the session with Version+1 and
	// sets c.Session.Version to that. Otherwise it returns ErrConflict, or
	// ErrDuplicate when c.MessageID was committed meanwhile. Commit takes
	// c.Session: the caller changes it no more (the engine loads the next
	// message's session anew), so a store may keep it as it is. It keeps
	// nothing of the slice c.Events once it returns (it copies the events
	// it stores): the engine builds the next message's events on it.
	Commit(ctx context.Context, c *Commit) error

	// Pending leases up to limit outbox entries that are due (their lease
	// ran out: the replica that wrote them did not acknowledge them in
	// time), oldest first, extending each lease to now+lease so that one
	// replica delivers them at a time. Where limit cuts the due entries,
	// it cuts each conversation's in the order of their commits
	// (PendingCut): the entry of a later commit is never leased without
	// the due entries of the earlier ones.
	Pending(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Outgoing, error)

	// Ack removes delivered outbox entries. Acknowledging an entry that
	// is gone is not an error.
	Ack(ctx context.Context, entries ...Outgoing) error

	// DueTimers removes and returns up to limit timers due at now, each
	// to exactly one caller, even across replicas.
	DueTimers(ctx context.Context, now time.Time, limit int) ([]Timer, error)

	// Transcript returns up to limit of the latest events of addr, oldest
	// first, while its session lives. A store keeps at least the latest
	// 100 events of a conversation (the archive keeps them all).
	Transcript(ctx context.Context, addr Address, limit int) ([]Event, error)

	// Capabilities returns what the store offers beside this contract
	// (queues, a directory, leases, an event log, a bus, a ping). It is
	// called once, at start-up, and returns the same every time.
	Capabilities() Capabilities
}

// A Commit is the outcome of handling one message, written at once.
type Commit struct {
	Session *Session
	// MessageID is recorded as handled; empty for none.
	MessageID string
	Events    []Event
	// Outbox entries are leased until LeaseUntil when written, so that
	// the writer has that long to deliver and acknowledge them before
	// another replica does.
	Outbox     []Outgoing
	LeaseUntil time.Time
	// SetTimers adds or replaces timers (by ID); CancelTimers removes
	// timers by ID.
	SetTimers    []Timer
	CancelTimers []string
}

// An Outgoing is an outbox entry: a reply to a customer or a note to the
// agent desk, kept until delivered.
type Outgoing struct {
	// ID is unique and derived from the message that caused it, so a
	// retried commit writes the same entry again.
	ID      string    `json:"id"`
	Address Address   `json:"address"`
	Reply   *Reply    `json:"reply,omitempty"`
	Desk    *DeskNote `json:"desk,omitempty"`
	Queue   *QueueOp  `json:"queue,omitempty"`
	Created time.Time `json:"created"`
	// Seq is the version of the session whose commit wrote the entry,
	// for an entry to that session's own conversation; 0 when unknown.
	// The entries of one lane are delivered in the order of their
	// commits, which Created alone can't tell (two commits in one clock
	// tick, replicas whose clocks differ).
	Seq int64 `json:"seq,omitempty"`
	// Attempts counts deliveries tried, as Pending leases the entry.
	Attempts int `json:"attempts,omitempty"`
}

// before reports whether o goes before p in their lane: the earlier
// commit, then the earlier entry. Commits are compared only for entries
// written within seqWindow of each other: a session the store forgot (it
// expired) starts again at version 1, so the versions of entries a day
// apart (a desk down over a weekend) say nothing of their order.
func (o Outgoing) before(p Outgoing) bool {
	if o.Seq != 0 && p.Seq != 0 && o.Seq != p.Seq && absDuration(o.Created.Sub(p.Created)) < seqWindow {
		return o.Seq < p.Seq
	}
	return o.Created.Before(p.Created)
}

// PendingCut returns what a store's Pending leases of due, its due
// entries oldest first (by Created, then by commit), when more than limit
// are due: the first limit, but each conversation's places among them go
// to its entries in the order of their commits (Outgoing.before). Two
// commits' clocks may disagree with their order (replicas' clocks, a
// clock set back); a lane sends what it holds in order, but the entry of
// a later commit leased alone would be sent before the earlier one the
// next Pending leases. entry returns the Outgoing of an element of due;
// it needs Address, Created and Seq only.
func PendingCut[T any](due []T, limit int, entry func(T) Outgoing) []T {
	if len(due) <= limit {
		return due
	}
	cut := due[:max(limit, 0)]
	places := make(map[Address]int)
	for _, x := range cut {
		places[entry(x).Address]++
	}
	// Each conversation of the cut, its due entries in commit order.
	ordered := make(map[Address][]T, len(places))
	for _, x := range due {
		if a := entry(x).Address; places[a] > 0 {
			ordered[a] = append(ordered[a], x)
		}
	}
	for _, xs := range ordered {
		slices.SortStableFunc(xs, func(x, y T) int {
			switch ox, oy := entry(x), entry(y); {
			case ox.before(oy):
				return -1
			case oy.before(ox):
				return 1
			}
			return 0
		})
	}
	out := make([]T, 0, len(cut))
	taken := make(map[Address]int, len(places))
	for _, x := range cut {
		a := entry(x).Address
		out = append(out, ordered[a][taken[a]])
		taken[a]++
	}
	return out
}

// seqWindow bounds how far apart the clocks of two replicas may be, and
// is far below any session's lifetime.
const seqWindow = time.Minute

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// kind names the lane of an entry: replies, desk notes and queue changes
// keep their own order, so one failing does not hold up the others.
func (o Outgoing) kind() string {
	switch {
	case o.Desk != nil:
		return KindDesk
	case o.Queue != nil:
		return KindQueue
	}
	return KindReply
}

// A Timer fires once at Due, as a Message of KindTimer to its conversation.
type Timer struct {
	ID      string    `json:"id"` // unique; setting a timer with the same ID replaces it
	Address Address   `json:"address"`
	Kind    string    `json:"kind"` // handoff_timeout, reminder...
	Due     time.Time `json:"due"`
	Data    string    `json:"data,omitempty"`
}

// A Channel delivers replies to customers: Telegram, the web chat, the
// console. Send returns an error wrapping ErrUndeliverable when the reply
// can never be delivered; any other error is retried.
type Channel interface {
	Send(ctx context.Context, r Reply) error
}

// ChannelFunc adapts a function to Channel.
type ChannelFunc func(ctx context.Context, r Reply) error

// Send calls f(ctx, r).
func (f ChannelFunc) Send(ctx context.Context, r Reply) error { return f(ctx, r) }

// A DeskNoteKind says what a DeskNote tells the agents.
type DeskNoteKind string

const (
	DeskOpened   DeskNoteKind = "opened"  // a new case in the team's queue
	DeskMessage  DeskNoteKind = "message" // the customer wrote in the case
	DeskUpdated  DeskNoteKind = "updated" // the case changed (claimed, released)
	DeskClosed   DeskNoteKind = "closed"  // resolved, or the customer left
	DeskTimedOut DeskNoteKind = "timed_out"
	// DeskRefused: an agent's action was refused (Actor, Text: why:
	// "claimed" when another agent has the case, "not_yours" for a reply
	// to a case the agent has not claimed, "closed" when it is over).
	DeskRefused DeskNoteKind = "refused"
)

// A DeskNote is what the agent desk is told about a case.
type DeskNote struct {
	Kind        DeskNoteKind `json:"kind"`
	Case        Case         `json:"case"`
	Text        string       `json:"text,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	// Actor is the agent whose action caused the note, if any.
	Actor string `json:"actor,omitempty"`
	// Position is the case's place in its team's queue when queued.
	Position int `json:"position,omitempty"`
}

// A Desk is where agents work (Slack). Post is called from the outbox, so
// it may see a note twice after a crash and must tolerate that.
type Desk interface {
	Post(ctx context.Context, n DeskNote) error
}

// A Responder is the bot's brain: the flow engine. Respond decides the
// answer to t.Message in bot mode, changing t.Session in place and adding
// replies, events and perhaps a handoff to t. It does no I/O that must not
// be repeated: the engine may call it again for the same message after a
// version conflict.
type Responder interface {
	Respond(ctx context.Context, t *Turn) error
}

// A CaseAmender is a Responder that also reads the messages of a
// customer whose case is open, for corrections of what the case holds
// ("sorry, the e-mail is ..."). Amend changes t.Session (its slots and
// its case's card) and may add replies, and reports whether it changed
// the case; the engine then tells the desk. The message goes to the
// agents either way. Like Respond, it does no I/O that must not be
// repeated.
type CaseAmender interface {
	Amend(ctx context.Context, t *Turn) (bool, error)
}

// A Clock tells the time; tests use a fake one.
type Clock interface {
	Now() time.Time
}

// SystemClock is the Clock of the real world.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// ResponderFunc adapts a function to Responder.
type ResponderFunc func(ctx context.Context, t *Turn) error

// Respond calls f(ctx, t).
func (f ResponderFunc) Respond(ctx context.Context, t *Turn) error { return f(ctx, t) }

// A Leaser grants named leases, so that one replica at a time does a job
// that must not run twice (polling Telegram's getUpdates). The memory and
// Redis stores implement it.
type Leaser interface {
	// Lease takes the lease name for holder, or renews it if holder has
	// it, until ttl passes; it reports whether holder has the lease now.
	Lease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// Release gives the lease up if holder has it.
	Release(ctx context.Context, name, holder string) error
}

// An EventLog is the feed of every committed transcript event, in commit
// order, for consumers off the message path (the transcript archive).
// Every group of consumers sees every event committed after its first
// read at least once: an entry read and not acknowledged within a minute
// is read again. Entries every known group acknowledged may be dropped,
// so a group that starts later may not see them. The memory and Redis
// stores implement it.
type EventLog interface {
	// ReadEvents returns up to max entries for group, waiting up to wait
	// when there are none.
	ReadEvents(ctx context.Context, group string, max int, wait time.Duration) ([]LogEntry, error)
	// AckEvents marks entries as done for group.
	AckEvents(ctx context.Context, group string, entries ...LogEntry) error
	// Backlog tells how far group is behind, for metrics: how many
	// entries of the log it has not acknowledged (read or not), and when
	// the oldest of them was committed (zero when there is none). The
	// count is in the store's own unit, from one per commit (a Redis
	// stream entry holds a commit's events) to one per event (the memory
	// log), and is 0 exactly when group is caught up. A group that has
	// not read yet is behind by everything the log keeps. It costs a
	// round trip or two, whatever the length of the log.
	Backlog(ctx context.Context, group string) (entries int64, oldest time.Time, err error)
}

// A LogEntry is one event of an EventLog, with the log's own ID for it.
type LogEntry struct {
	ID    string
	Event Event
}

// A QueueOp is a change to a team's queue, delivered from the outbox so
// that it happens once the commit that caused it has.
type QueueOp struct {
	Add bool `json:"add,omitempty"` // add (idempotent), else remove
	// Claimed, on a removal, says an agent claimed the case: it leaves the
	// waiting cases for the team's claimed ones, which an add (a release)
	// or a plain removal (resolved, left, closed) takes it out of again.
	Claimed bool      `json:"claimed,omitempty"`
	Team    string    `json:"team"`
	Case    string    `json:"case"`
	Address Address   `json:"address"`
	Since   time.Time `json:"since,omitzero"` // the place in the queue: older first
	// Seq is the session version the commit that made the change wrote.
	// A store ignores an op older than the last it applied for the case,
	// so an add delivered again after a crash cannot bring back a case
	// that was removed since. 0: always applied.
	Seq int64 `json:"seq,omitempty"`
	// Told is the place the customer was told when the case joined (0:
	// none). A case that joins behind everyone at the place it was told
	// moves nobody, so Moved need not hand it out.
	Told int `json:"told,omitempty"`
}

// Queues keep the cases waiting for each team, oldest first: by Since
// (to the microsecond), then by case ID, and beside them the team's
// claimed cases (counted, not ordered). Changes arrive through Apply from
// the outbox (at least once, so Apply is idempotent); the engine asks for
// a case's place and the queue's length, the desk for a page of the oldest
// cases. No call reads the whole queue: each costs O(log n) in the number
// n of cases waiting (plus what it returns), so a queue left to grow over
// a weekend costs a customer's message nothing.
type Queues interface {
	// Apply adds op's case to its team's queue (or moves it to op.Since)
	// or removes it. An op whose Seq is not above the last applied to the
	// case is ignored; a removed case's Seq is remembered for at least
	// QueueMemory, so an add delivered again after a crash cannot bring
	// back a case that was removed since.
	Apply(ctx context.Context, op QueueOp) error
	// Position returns the number of cases waiting ahead of case id in
	// team's queue, and whether id waits in it at all.
	Position(ctx context.Context, team, id string) (ahead int, waiting bool, err error)
	// Len returns the number of cases waiting for team.
	Len(ctx context.Context, team string) (int, error)
	// Claimed returns the number of team's cases an agent claimed and has
	// not resolved or released: with Len, the cases open for the team.
	Claimed(ctx context.Context, team string) (int, error)
	// Oldest returns up to limit of the cases waiting for team, oldest
	// first.
	Oldest(ctx context.Context, team string, limit int) ([]QueueOp, error)
	// Moved hands out, of every team, the waiting cases whose place may
	// have changed since they were last handed out: the cases at or
	// behind one that joined, moved or left, except one that joined last
	// at the place it was told (op.Told). A team's changes are handed
	// out at most once per every (by now, the caller's clock), each to one
	// caller across replicas, up to limit cases a call; the rest of a
	// hand-out cut short by limit comes with the next calls, whatever
	// every says.
	Moved(ctx context.Context, now time.Time, every time.Duration, limit int) ([]QueueOp, error)
}

// QueueMemory is how long a store remembers the Seq of a removed case:
// far longer than an outbox entry waits for its redelivery.
const QueueMemory = time.Hour

// Counters count events per key over a window, for bounds that must hold
// across the replicas of a deployment and outlive a restart: the failed
// proofs of an order, the order lookups of a conversation and of the
// shop. A key is one counter (on Redis Cluster, one key of its own); the
// caller hashes what it must not store in clear. The memory and Redis
// stores implement it.
type Counters interface {
	// Add adds n events (n >= 0; 0 only reads) to the count of key and
	// returns the count. A count lives for window from its first event,
	// then starts again from 0; the add that brings it to limit or past,
	// from below, starts the window again, so that a key that reaches its
	// limit stays there for a whole window (limit 0: never). An error
	// means the count is unknown: the caller refuses what it bounds.
	Add(ctx context.Context, key string, n, limit int64, window time.Duration) (int64, error)
}

// A Directory keeps small values that adapters share across replicas,
// such as the Slack message of a case and the case of a Slack thread, or
// the managers' sessions of the review pages.
type Directory interface {
	// Put sets key to value for ttl (0: no expiry).
	Put(ctx context.Context, key, value string, ttl time.Duration) error
	// Get returns the value of key, or "" when there is none: a key
	// put with an empty value reads as none (the review pages end a
	// session so).
	Get(ctx context.Context, key string) (string, error)
}

// A Team is what the engine knows of a team of agents.
type Team struct {
	ID string
	// Names are the team's name by language.
	Names map[string]string
	// Timeout: when nobody claims a case in this long, the customer is
	// told and asked for a contact; the case stays open. 0: no timeout.
	Timeout time.Duration
	// Open tells whether the team works at t, and if not when it opens
	// next. Nil: always open.
	Open func(t time.Time) (open bool, next time.Time)
}

// Name returns the team's name in lang, or its ID.
func (t Team) Name(lang string) string {
	if n := t.Names[lang]; n != "" {
		return n
	}
	if n := t.Names["en"]; n != "" {
		return n
	}
	return t.ID
}

// Teams look teams up by ID.
type Teams interface {
	Team(id string) (Team, bool)
}

// TeamList is a Teams of a fixed list.
type TeamList []Team

// Team returns the team id.
func (l TeamList) Team(id string) (Team, bool) {
	for _, t := range l {
		if t.ID == id {
			return t, true
		}
	}
	return Team{}, false
}

// A Bus carries short notices between the replicas of one deployment:
// a web chat reply that one replica delivers reaches the page connected
// to another. Delivery is at most once and only to those listening: it
// is not a queue, so a receiver must cope with a lost notice (the web chat
// page reloads its history on reconnect). The memory and Redis stores
// implement it.
type Bus interface {
	// Publish sends payload to the subscribers of topic on every replica,
	// this one included.
	Publish(ctx context.Context, topic string, payload []byte) error
	// Subscribe calls fn with every payload published on topic until ctx
	// ends, then returns ctx's error. fn is called from one goroutine.
	Subscribe(ctx context.Context, topic string, fn func(payload []byte)) error
}
