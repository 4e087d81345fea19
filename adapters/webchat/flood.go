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
	seen   map[string]*flow
	calls  int
}

// A flow holds the times of a key's admitted events, oldest first.
type flow struct {
	times []time.Time
	// refused counts the events refused since the last admitted one.
	refused int
}

func newLimiter(n int, window time.Duration) *limiter {
	return &limiter{n: n, window: window, seen: make(map[string]*flow)}
}

// allow admits an event of key at now, or reports how long to wait and
// how many events of key it refused in a row, this one included.
func (l *limiter) allow(key string, now time.Time) (ok bool, wait time.Duration, refused int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.calls%1024 == 0 {
		l.sweep(now)
	}
	w := l.seen[key]
	if w == nil {
		w = &flow{}
		l.seen[key] = w
	}
	// Drop the times that left the window.
	i := 0
	for i < len(w.times) && now.Sub(w.times[i]) >= l.window {
		i++
	}
	w.times = w.times[i:]
	if len(w.times) >= l.n {
		w.refused++
		return false, w.times[0].Add(l.window).Sub(now), w.refused
	}
	w.times = append(w.times, now)
	w.refused = 0
	return true, 0, 0
}

// sweep forgets the keys with no event in the window, so that the map
// does not grow with every visitor ever seen.
func (l *limiter) sweep(now time.Time) {
	for k, w := range l.seen {
		if len(w.times) == 0 || now.Sub(w.times[len(w.times)-1]) >= l.window {
			delete(l.seen, k)
		}
	}
}
