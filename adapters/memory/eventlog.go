package memory

import (
	"context"
	"slices"
	"sort"
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
	base int64 // log sequence number of the first event kept
	// batches are the events of each commit, oldest first, as the
	// transcripts hold them: appending shares them, it copies nothing.
	batches []logBatch
	n       int // events kept, across batches
	groups  map[string]*group
	notify  chan struct{} // closed and replaced at every append
}

// A logBatch is one commit's events, the first of them numbered seq.
type logBatch struct {
	seq    int64
	events []bot.Event
}

type group struct {
	next    int64               // next sequence number to read
	pending map[int64]time.Time // read, not acknowledged: when read
}

// append adds evs to the log. The log keeps evs itself: the caller never
// changes them after.
func (l *eventLog) append(evs []bot.Event) {
	if len(evs) == 0 {
		return
	}
	l.batches = append(l.batches, logBatch{seq: l.base + int64(l.n), events: evs})
	l.n += len(evs)
	// Trim in chunks, a quarter of the log at a time, to the latest
	// maxLog events: trimming at every append would move the whole
	// list each time.
	if over := l.n - maxLog; over > maxLog/4 {
		l.base += int64(over)
		l.n = maxLog
		drop := 0
		for len(l.batches[drop].events) <= over {
			over -= len(l.batches[drop].events)
			drop++
		}
		l.batches = slices.Delete(l.batches, 0, drop)
		if over > 0 {
			b := &l.batches[0]
			b.seq, b.events = b.seq+int64(over), b.events[over:]
		}
	}
	if l.notify != nil {
		close(l.notify)
		l.notify = nil
	}
}

// event returns the event numbered seq, which the log keeps.
func (l *eventLog) event(seq int64) bot.Event {
	// The last batch whose first event is at or before seq.
	i := sort.Search(len(l.batches), func(i int) bool { return l.batches[i].seq > seq }) - 1
	b := l.batches[i]
	return b.events[seq-b.seq]
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
		return bot.LogEntry{ID: strconv.FormatInt(seq, 10), Event: l.event(seq)}
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
	for ; len(out) < max && g.next < l.base+int64(l.n); g.next++ {
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
	end := l.base + int64(l.n)
	g := l.groups[grp]
	if g == nil {
		// Not read yet: it will start at the oldest event kept.
		if l.n == 0 {
			return 0, time.Time{}, nil
		}
		return int64(l.n), l.batches[0].events[0].Time, nil
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
	return n, l.event(first).Time, nil
}
