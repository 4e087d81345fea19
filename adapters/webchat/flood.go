package webchat

import (
	"sync"
	"time"
)

// A limiter admits up to n events per window for each key (a sliding
// window). It takes one short lock per call, so a flooding visitor does
// not slow the others.
type limiter struct {
	n      int
	window time.Duration
	mu     sync.Mutex
	seen   map[string][]time.Time // the times of admitted events, oldest first
	calls  int
}

func newLimiter(n int, window time.Duration) *limiter {
	return &limiter{n: n, window: window, seen: make(map[string][]time.Time)}
}

// allow admits an event of key at now, or reports how long to wait.
func (l *limiter) allow(key string, now time.Time) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.calls%1024 == 0 {
		l.sweep(now)
	}
	ts := l.seen[key]
	// Drop the times that left the window.
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	ts = ts[i:]
	if len(ts) >= l.n {
		l.seen[key] = ts
		return false, ts[0].Add(l.window).Sub(now)
	}
	l.seen[key] = append(ts, now)
	return true, 0
}

// sweep forgets the keys with no event in the window, so that the map
// does not grow with every visitor ever seen.
func (l *limiter) sweep(now time.Time) {
	for k, ts := range l.seen {
		if len(ts) == 0 || now.Sub(ts[len(ts)-1]) >= l.window {
			delete(l.seen, k)
		}
	}
}
