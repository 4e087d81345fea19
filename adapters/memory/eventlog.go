package memory

import (
	"context"
	"strconv"
	"time"

	"github.com/sportello/sportello/bot"
)

var _ bot.EventLog = (*Store)(nil)

// maxLog caps the events kept (up to a quarter more, between trims) for
// groups that are slow or absent, so a demo without an archive does not
// grow without bound.
const maxLog = 100_000

// redeliverAfter is how long a read entry waits for its ack.
const redeliverAfter = time.Minute

// eventLog is the memory store's feed of committed events.
type eventLog struct {
	base   int64 // log sequence number of entries[0]
	events []bot.Event
	groups map[string]*group
	notify chan struct{} // closed and replaced at every append
}

type group struct {
	next    int64               // next sequence number to read
	pending map[int64]time.Time // read, not acknowledged: when read
}

func (l *eventLog) append(evs []bot.Event) {
	if len(evs) == 0 {
		return
	}
	l.events = append(l.events, evs...)
	// Trim in chunks, a quarter of the log at a time: trimming at every
	// append would copy the whole log each time.
	if over := len(l.events) - maxLog; over > maxLog/4 {
		kept := make([]bot.Event, maxLog, maxLog+maxLog/4+1)
		copy(kept, l.events[over:])
		l.events = kept
		l.base += int64(over)
	}
	if l.notify != nil {
		close(l.notify)
		l.notify = nil
	}
}

// ReadEvents returns entries for group; see bot.EventLog.
func (s *Store) ReadEvents(ctx context.Context, grp string, max int, wait time.Duration) ([]bot.LogEntry, error) {
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		out := s.readLocked(grp, max)
		if len(out) > 0 || wait <= 0 {
			s.mu.Unlock()
			return out, nil
		}
		if s.log.notify == nil {
			s.log.notify = make(chan struct{})
		}
		ch := s.log.notify
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-deadline.C:
			return nil, nil
		case <-ch:
		}
	}
}

func (s *Store) readLocked(grp string, max int) []bot.LogEntry {
	l := &s.log
	if l.groups == nil {
		l.groups = make(map[string]*group)
	}
	g := l.groups[grp]
	if g == nil {
		// A new group starts at the oldest event kept.
		g = &group{next: l.base, pending: make(map[int64]time.Time)}
		l.groups[grp] = g
	}
	now := time.Now()
	var out []bot.LogEntry
	entry := func(seq int64) bot.LogEntry {
		return bot.LogEntry{ID: strconv.FormatInt(seq, 10), Event: l.events[seq-l.base]}
	}
	// Entries read long ago and never acknowledged come first.
	for seq, at := range g.pending {
		if len(out) == max {
			break
		}
		if seq < l.base {
			delete(g.pending, seq) // trimmed away
			continue
		}
		if now.Sub(at) >= redeliverAfter {
			g.pending[seq] = now
			out = append(out, entry(seq))
		}
	}
	if g.next < l.base {
		g.next = l.base
	}
	for ; len(out) < max && g.next < l.base+int64(len(l.events)); g.next++ {
		g.pending[g.next] = now
		out = append(out, entry(g.next))
	}
	return out
}

// AckEvents marks entries done for group; see bot.EventLog.
func (s *Store) AckEvents(ctx context.Context, grp string, entries ...bot.LogEntry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.log.groups[grp]
	if g == nil {
		return nil
	}
	for _, e := range entries {
		seq, err := strconv.ParseInt(e.ID, 10, 64)
		if err == nil {
			delete(g.pending, seq)
		}
	}
	return nil
}

// Backlog tells how far group is behind, in events; see bot.EventLog.
func (s *Store) Backlog(ctx context.Context, grp string) (int64, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := &s.log
	end := l.base + int64(len(l.events))
	g := l.groups[grp]
	if g == nil {
		// Not read yet: it will start at the oldest event kept.
		if len(l.events) == 0 {
			return 0, time.Time{}, nil
		}
		return int64(len(l.events)), l.events[0].Time, nil
	}
	first := max(g.next, l.base) // the first event not read
	n := end - first
	for seq := range g.pending {
		if seq >= l.base { // else trimmed away: no longer owed
			n++
			first = min(first, seq)
		}
	}
	if n == 0 {
		return 0, time.Time{}, nil
	}
	return n, l.events[first-l.base].Time, nil
}
