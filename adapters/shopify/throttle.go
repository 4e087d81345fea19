package shopify

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sportello/sportello/bot"
)

// bucket is what a Client knows of its app's cost bucket on the shop:
// the state the last answer reported, refilled since at its rate, less
// what the lookups under way reserved. One bucket serves all lookups, so
// that when it is short they wait in turn for it to refill instead of
// all asking, all being refused, and keeping it empty.
type bucket struct {
	mu    sync.Mutex
	known bool
	// avail points at at; max and rate (points a second) as reported.
	avail, max, rate float64
	at               time.Time
	// costs are what each query is reckoned to cost: Shopify's
	// requestedQueryCost of its last answer (it refunds the difference
	// to the actual cost afterwards, but admits a query only when the
	// bucket holds the requested cost).
	costs map[string]float64
	// until is a Retry-After: no request before it.
	until time.Time
}

// cost is the extensions.cost of an answer.
type cost struct {
	RequestedQueryCost float64  `json:"requestedQueryCost"`
	ActualQueryCost    *float64 `json:"actualQueryCost"`
	ThrottleStatus     *struct {
		MaximumAvailable   float64 `json:"maximumAvailable"`
		CurrentlyAvailable float64 `json:"currentlyAvailable"`
		RestoreRate        float64 `json:"restoreRate"`
	} `json:"throttleStatus"`
}

// update takes the state an answer to query q reported at now.
func (b *bucket) update(q string, c cost, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c.RequestedQueryCost > 0 {
		if b.costs == nil {
			b.costs = map[string]float64{}
		}
		b.costs[q] = c.RequestedQueryCost
	}
	if t := c.ThrottleStatus; t != nil && t.MaximumAvailable > 0 && t.RestoreRate > 0 {
		b.known = true
		b.max, b.avail, b.rate, b.at = t.MaximumAvailable, min(t.CurrentlyAvailable, t.MaximumAvailable), t.RestoreRate, now
	}
}

// hold keeps requests back until t (a Retry-After).
func (b *bucket) hold(t time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if t.After(b.until) {
		b.until = t
	}
}

// wait returns when the bucket should hold the cost of query q, having
// reserved it; or at once with an error wrapping bot.ErrShopUnavailable
// when that is past ctx's deadline (waiting would only make the customer
// wait for nothing); or with ctx's error.
func (b *bucket) wait(ctx context.Context, q string) error {
	b.mu.Lock()
	now := time.Now()
	cost := b.costs[q]
	var d time.Duration
	if now.Before(b.until) {
		d = b.until.Sub(now)
	}
	reserved := 0.0
	if b.known {
		avail := min(b.max, b.avail+b.rate*now.Sub(b.at).Seconds())
		if avail < cost {
			d = max(d, time.Duration((cost-avail)/b.rate*float64(time.Second)))
		}
		// The lookups under way have taken their share: the next one
		// waits for the bucket to refill past theirs.
		b.avail, b.at, reserved = avail-cost, now, cost
	}
	b.mu.Unlock()
	if d <= 0 {
		return nil
	}
	giveBack := func() {
		b.mu.Lock()
		b.avail += reserved
		b.mu.Unlock()
	}
	if dl, ok := ctx.Deadline(); ok && now.Add(d).After(dl) {
		giveBack()
		return fmt.Errorf("%w: throttled: the app's cost bucket on the shop refills in %v, past the lookup's deadline",
			bot.ErrShopUnavailable, d.Round(time.Millisecond))
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		giveBack()
		return ctx.Err()
	}
}
