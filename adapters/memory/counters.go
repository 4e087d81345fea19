package memory

import (
	"context"
	"sync"
	"time"

	"github.com/sportello/sportello/bot"
)

var _ bot.Counters = (*Counters)(nil)

// MaxCounters is the keys a Counters remembers: far above the orders and
// conversations one process counts in a window.
const MaxCounters = 100_000

// Counters are bot.Counters in one process: the store's, or on their own
// for a command that runs without a store (NewCounters). They are safe
// for concurrent use.
type Counters struct {
	now func() time.Time

	mu   sync.Mutex
	keys map[string]*count
}

type count struct {
	n     int64
	until time.Time
}

// NewCounters returns empty counters on the clock now (time.Now when nil).
func NewCounters(now func() time.Time) *Counters {
	if now == nil {
		now = time.Now
	}
	return &Counters{now: now, keys: make(map[string]*count)}
}

// Add adds n to the count of key and returns it; see bot.Counters.
func (c *Counters) Add(ctx context.Context, key string, n, limit int64, window time.Duration) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	k := c.keys[key]
	if k != nil && !now.Before(k.until) {
		delete(c.keys, key)
		k = nil
	}
	if n <= 0 {
		if k == nil {
			return 0, nil
		}
		return k.n, nil
	}
	if k == nil {
		if len(c.keys) >= MaxCounters {
			c.sweep(now)
		}
		k = &count{until: now.Add(window)}
		c.keys[key] = k
	}
	k.n += n
	if limit > 0 && k.n >= limit && k.n-n < limit {
		k.until = now.Add(window)
	}
	return k.n, nil
}

// sweep forgets the counts whose window is over and, if every key is
// still live, an arbitrary half of them, so that memory stays bounded
// under a flood of keys; a forgotten key counts from 0 again, which is
// the price of the bound.
func (c *Counters) sweep(now time.Time) {
	for key, k := range c.keys {
		if !now.Before(k.until) {
			delete(c.keys, key)
		}
	}
	if len(c.keys) < MaxCounters {
		return
	}
	drop := len(c.keys) / 2
	for key := range c.keys { // map order: an arbitrary half
		if drop <= 0 {
			break
		}
		delete(c.keys, key)
		drop--
	}
}
