package guard

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// A Limiter admits events per key (a client address, a visitor, a
// conversation) at a steady rate with a burst: a token bucket per key
// (golang.org/x/time/rate). It remembers at most MaxKeys keys, so a flood
// of new keys cannot grow it without bound. It is safe for concurrent use
// and takes one short lock per call.
type Limiter struct {
	limit   rate.Limit
	burst   int
	maxKeys int

	mu   sync.Mutex
	keys map[string]*bucket
}

type bucket struct {
	lim     *rate.Limiter
	refused int // refused in a row since the last admitted event
}

// A Decision is a Limiter's answer for one event.
type Decision struct {
	OK bool
	// Wait is how long until the key may send again, when refused.
	Wait time.Duration
	// Refused counts the key's events refused in a row, this one
	// included: 1 on the first refusal of a burst, to log it once.
	Refused int
}

// DefaultMaxKeys is the keys a Limiter remembers unless told otherwise.
const DefaultMaxKeys = 100_000

// NewLimiter returns a limiter that admits n events per period for each
// key, all n at once at most, remembering up to maxKeys keys
// (DefaultMaxKeys when 0).
func NewLimiter(n int, period time.Duration, maxKeys int) *Limiter {
	if n < 1 {
		n = 1
	}
	if maxKeys <= 0 {
		maxKeys = DefaultMaxKeys
	}
	return &Limiter{
		limit: rate.Limit(float64(n) / period.Seconds()), burst: n, maxKeys: maxKeys,
		keys: make(map[string]*bucket),
	}
}

// Allow admits an event of key at now, or says how long to wait.
func (l *Limiter) Allow(key string, now time.Time) Decision {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.keys[key]
	if b == nil {
		if len(l.keys) >= l.maxKeys {
			l.sweep(now)
		}
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.keys[key] = b
	}
	if b.lim.AllowN(now, 1) {
		b.refused = 0
		return Decision{OK: true}
	}
	b.refused++
	r := b.lim.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	return Decision{Wait: wait, Refused: b.refused}
}

// Len returns the number of keys remembered.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}

// sweep forgets the keys whose bucket is full again: they carry no
// state. If every key is busy, it forgets half of them, so that memory
// stays bounded under a flood; a forgotten key starts with a full bucket,
// which is the price of the bound (DefaultMaxKeys is far above the
// clients one replica serves).
func (l *Limiter) sweep(now time.Time) {
	for k, b := range l.keys {
		if b.lim.TokensAt(now) >= float64(l.burst) {
			delete(l.keys, k)
		}
	}
	if len(l.keys) < l.maxKeys {
		return
	}
	drop := len(l.keys) / 2
	for k := range l.keys { // map order: an arbitrary half
		if drop == 0 {
			break
		}
		delete(l.keys, k)
		drop--
	}
}

// A Penalty slows a key down after failures (wrong passwords, failed
// proofs of an order's ownership): the first Free failures cost
// nothing, each further one doubles the wait, from Base up to Max. A
// success resets the key; a key with no failure for Forget is forgotten.
// It never locks a key out for good: the wait is bounded by Max.
type Penalty struct {
	Free   int
	Base   time.Duration
	Max    time.Duration
	Forget time.Duration
	// MaxKeys bounds the keys remembered (DefaultMaxKeys when 0).
	MaxKeys int

	mu    sync.Mutex
	fails map[string]*strikes
}

type strikes struct {
	n     int
	until time.Time // no attempt before
	last  time.Time
}

// Wait returns how long key must wait before its next attempt at now; 0
// when it may try.
func (p *Penalty) Wait(key string, now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.get(key, now)
	if s == nil || !now.Before(s.until) {
		return 0
	}
	return s.until.Sub(now)
}

// Fail records a failure of key at now and returns the wait it earned.
func (p *Penalty) Fail(key string, now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fails == nil {
		p.fails = make(map[string]*strikes)
	}
	s := p.get(key, now)
	if s == nil {
		max := p.MaxKeys
		if max <= 0 {
			max = DefaultMaxKeys
		}
		if len(p.fails) >= max {
			p.sweep(now, max)
		}
		s = &strikes{}
		p.fails[key] = s
	}
	s.n++
	s.last = now
	if s.n <= p.Free {
		return 0
	}
	wait := p.Base
	for i := p.Free + 1; i < s.n && wait < p.Max; i++ {
		wait *= 2
	}
	wait = min(wait, p.Max)
	s.until = now.Add(wait)
	return wait
}

// Failures returns the failures of key remembered at now.
func (p *Penalty) Failures(key string, now time.Time) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s := p.get(key, now); s != nil {
		return s.n
	}
	return 0
}

// Reset forgets the failures of key.
func (p *Penalty) Reset(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.fails, key)
}

// get returns the strikes of key, forgetting them when stale.
func (p *Penalty) get(key string, now time.Time) *strikes {
	s := p.fails[key]
	if s != nil && p.Forget > 0 && now.Sub(s.last) >= p.Forget && !now.Before(s.until) {
		delete(p.fails, key)
		return nil
	}
	return s
}

// sweep forgets stale keys and, if still at max, an arbitrary half.
func (p *Penalty) sweep(now time.Time, max int) {
	for k := range p.fails {
		p.get(k, now)
	}
	if len(p.fails) < max {
		return
	}
	drop := len(p.fails) / 2
	for k := range p.fails {
		if drop == 0 {
			break
		}
		delete(p.fails, k)
		drop--
	}
}
