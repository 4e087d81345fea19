package bot

import "context"

// Capabilities are what a store offers beside the Store contract, in one
// value (Store.Capabilities), so that the binary wires each one where it
// is needed and decides, aloud, what runs without it: a start-up error
// where a feature cannot work without one (the review pages and the Slack
// desk need a Directory), a logged choice elsewhere. A nil field is a
// capability the store lacks. The memory and Redis stores offer all of
// them (the memory store needs no Ping).
type Capabilities struct {
	// Queues keep the teams' queues: the customer's place in the queue,
	// queue updates, the desk's list of waiting cases, queue metrics.
	Queues Queues
	// Directory keeps small values shared by the replicas: the Slack
	// cards of cases, Telegram's button payloads, managers' sessions.
	Directory Directory
	// Leaser grants leases: one replica polls Telegram at a time.
	Leaser Leaser
	// EventLog is the feed of transcript events the archiver reads.
	EventLog EventLog
	// Bus carries web chat replies to the replica that holds the page.
	Bus Bus
	// Counters count the order lookups and failed proofs of every
	// replica together.
	Counters Counters
	// Ping tells whether the store answers, for /readyz; nil for a store
	// inside the process, which always does.
	Ping func(ctx context.Context) error
}
