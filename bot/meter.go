package bot

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"
)

// A Meter is told what the engine measures, as it happens, for metrics:
// adapters/prometheus turns it into collectors, so this package stays free
// of any metrics library. Its methods are called on the message path from
// many goroutines: they must be quick, safe for concurrent use and never
// block. What they are given to label by is few and bounded (a channel's
// name, a message kind, an outcome, a team, a kind of outbox entry), never
// a conversation or a case.
type Meter interface {
	// Handled is told of every message Handle took, once: its channel,
	// its kind, what came of it, and how long Handle took, from the call
	// (waiting for the conversation's turn included) to the delivery of
	// its replies.
	Handled(channel string, kind MessageKind, outcome Outcome, took time.Duration)
	// Sent is told of every try to deliver an outbox entry: its kind
	// (KindReply, KindDesk, KindQueue), what came of it, and how long
	// the channel, the desk or the queues took.
	Sent(kind string, result SendResult, took time.Duration)
	// Case is told of every step of a case that a commit recorded (an
	// EventHandoff, EventClaimed, EventReleased, EventResolved,
	// EventLeftQueue or EventTimeout) with the case's team; for a claim,
	// open is how long the case had been open (from its handoff).
	Case(team string, step EventType, open time.Duration)
}

// An Outcome says what came of a message that Handle took.
type Outcome string

// The outcomes of a message.
const (
	OutcomeHandled   Outcome = "handled"   // committed
	OutcomeDuplicate Outcome = "duplicate" // seen before: skipped
	OutcomeFailed    Outcome = "failed"    // not committed: the store failed (the customer got an apology)
)

// A SendResult says what came of one try to deliver an outbox entry.
type SendResult string

// The results of a send.
const (
	SendDelivered     SendResult = "delivered"
	SendFailed        SendResult = "failed"        // tried again later
	SendUndeliverable SendResult = "undeliverable" // refused for good (ErrUndeliverable)
)

// The kinds of outbox entry, each delivered in lanes of its own.
const (
	KindReply = "reply" // a reply to a customer, through their channel
	KindDesk  = "desk"  // a note to the agents' desk
	KindQueue = "queue" // a change to a team's queue
)

// caseSteps are the events a Meter hears of through Case.
var caseSteps = map[EventType]bool{
	EventHandoff: true, EventClaimed: true, EventReleased: true,
	EventResolved: true, EventLeftQueue: true, EventTimeout: true,
}

// noMeter is the Meter of an engine configured without one.
type noMeter struct{}

func (noMeter) Handled(string, MessageKind, Outcome, time.Duration) {}
func (noMeter) Sent(string, SendResult, time.Duration)              {}
func (noMeter) Case(string, EventType, time.Duration)               {}

// guardedMeter is the engine's Meter: a meter that panics (a collector
// registered twice, a label it did not expect) costs one measurement,
// logged, and never the message or the delivery it was measuring, which
// call it from deferred functions and engine goroutines.
type guardedMeter struct {
	Meter
	log *slog.Logger
}

func (g guardedMeter) Handled(channel string, kind MessageKind, outcome Outcome, took time.Duration) {
	defer g.recover("Handled")
	g.Meter.Handled(channel, kind, outcome, took)
}

func (g guardedMeter) Sent(kind string, result SendResult, took time.Duration) {
	defer g.recover("Sent")
	g.Meter.Sent(kind, result, took)
}

func (g guardedMeter) Case(team string, step EventType, open time.Duration) {
	defer g.recover("Case")
	g.Meter.Case(team, step, open)
}

// recover must be deferred itself: recover() stops a panic only when the
// deferred function calls it.
func (g guardedMeter) recover(method string) {
	if r := recover(); r != nil {
		g.log.Error("meter failed", "method", method, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	}
}

// measureCommit tells the meter of the case steps c recorded, once it is
// committed: a commit retried after a conflict is told once.
func (e *Engine) measureCommit(c *Commit) {
	for _, ev := range c.Events {
		if !caseSteps[ev.Type] || ev.Team == "" {
			continue // a timer that is not a case's has no team
		}
		var open time.Duration
		if ev.Type == EventClaimed && c.Session.Case != nil {
			open = max(ev.Time.Sub(c.Session.Case.Opened), 0)
		}
		e.cfg.Meter.Case(ev.Team, ev.Type, open)
	}
}

// A Backlog is what this process holds of the outbox, of one kind of
// entry: the entries in its lanes (waiting for their turn, being sent, or
// waiting to be tried again), and the age of the oldest of them by the
// engine's clock, from its commit.
type Backlog struct {
	Kind    string
	Entries int
	Oldest  time.Duration // 0 when there are none
}

// Backlog returns what this process holds of the outbox, one Backlog per
// kind (KindReply, KindDesk, KindQueue), empty ones included. It reads
// the lanes in memory, no store: entries that no process holds (those of
// a replica that died, until their lease runs out and Run takes them up;
// those beyond the maxHeld the lanes keep) are not counted, so across
// replicas the sum of Entries is the outbox less those, and a destination
// that fails shows as a growing Oldest on the replicas that hold its
// entries.
func (e *Engine) Backlog() []Backlog {
	now := e.cfg.Clock.Now()
	out := []Backlog{{Kind: KindReply}, {Kind: KindDesk}, {Kind: KindQueue}}
	d := e.out
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, h := range d.inflight {
		b := &out[0]
		switch h.o.kind() {
		case KindDesk:
			b = &out[1]
		case KindQueue:
			b = &out[2]
		}
		b.Entries++
		b.Oldest = max(b.Oldest, now.Sub(h.o.Created))
	}
	return out
}
