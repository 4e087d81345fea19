package bot

import (
	"context"
	"sync"
)

// queueLock serialises work per conversation in arrival order: whoever
// calls lock first for an address goes first. A sync.Mutex per address
// would not do: it does not promise FIFO order.
type queueLock struct {
	mu    sync.Mutex
	tails map[Address]chan struct{}
}

// lock waits for the earlier holders of addr and returns the function that
// releases it. If ctx ends first, lock returns ctx's error; the place in
// the queue is then passed on as soon as the predecessor is done.
func (q *queueLock) lock(ctx context.Context, addr Address) (unlock func(), err error) {
	q.mu.Lock()
	if q.tails == nil {
		q.tails = make(map[Address]chan struct{})
	}
	prev := q.tails[addr]
	mine := make(chan struct{})
	q.tails[addr] = mine
	q.mu.Unlock()

	unlock = func() {
		q.mu.Lock()
		if q.tails[addr] == mine {
			delete(q.tails, addr)
		}
		q.mu.Unlock()
		close(mine)
	}
	if prev == nil {
		return unlock, nil
	}
	select {
	case <-prev:
		return unlock, nil
	case <-ctx.Done():
		go func() { <-prev; unlock() }()
		return nil, ctx.Err()
	}
}
