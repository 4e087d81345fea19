package bot

import "sync/atomic"

type engineStats struct {
	handled, duplicates, conflicts, failed, errors atomic.Int64
	delivered, deliveryFailures, undeliverable     atomic.Int64
	redelivered                                    atomic.Int64
}

// Stats are the engine's counters since it started, for /metrics.
type Stats struct {
	Handled          int64 // messages committed
	Duplicates       int64 // messages seen before, skipped
	Conflicts        int64 // commits retried after a concurrent update
	Failed           int64 // messages not committed (the store failed)
	Errors           int64 // apologies: responder errors and store failures
	Delivered        int64 // outbox entries delivered
	DeliveryFailures int64 // deliveries that failed and will be retried
	Undeliverable    int64 // replies the channel refused for good
	Redelivered      int64 // deliveries tried by Run after the lease
}

// Stats returns the engine's counters.
func (e *Engine) Stats() Stats {
	s := &e.stats
	return Stats{
		Handled: s.handled.Load(), Duplicates: s.duplicates.Load(), Conflicts: s.conflicts.Load(),
		Failed: s.failed.Load(), Errors: s.errors.Load(), Delivered: s.delivered.Load(),
		DeliveryFailures: s.deliveryFailures.Load(), Undeliverable: s.undeliverable.Load(),
		Redelivered: s.redelivered.Load(),
	}
}
