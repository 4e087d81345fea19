// Package memory is the store of a single process: sessions, the
// de-duplication record, transcripts, the outbox and timers in memory.
// It is the default when no Redis is configured, so the binary runs with
// nothing else installed; it passes the same conformance suite as Redis.
package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/sportello/sportello/bot"
)

var _ bot.Store = (*Store)(nil)

// Defaults of Options.
const (
	DefaultSessionTTL = 24 * time.Hour
	DefaultDedupTTL   = 24 * time.Hour
	// DefaultTranscriptLen is how many events of a conversation are kept.
	DefaultTranscriptLen = 500
)

// Options configure a Store. The zero value uses the defaults.
type Options struct {
	// SessionTTL is how long a session lives after its last commit.
	SessionTTL time.Duration
	// DedupTTL is how long a handled message ID is remembered.
	DedupTTL time.Duration
	// TranscriptLen caps the events kept per conversation.
	TranscriptLen int
	// Now tells the time; time.Now when nil.
	Now func() time.Time
}

// Store is a bot.Store in memory. It is safe for concurrent use.
type Store struct {
	opt Options

	mu       sync.Mutex
	convs    map[bot.Address]*conv
	outbox   map[string]*entry
	timers   map[timerKey]bot.Timer
	leases   map[string]lease
	queues   map[string]*teamQueue
	queueSeq map[string]queueSeq
	dir      map[string]kv
	log      eventLog
	bus      bus // its own lock: subscribers must not hold up commits
	counters *Counters
	lastGC   time.Time
	commitNo int64
}

// conv is what the store keeps of one conversation.
type conv struct {
	session *bot.Session // nil when expired or never committed
	expires time.Time
	// events are the transcript, each commit's events as the event log
	// holds them (one copy for both), oldest first; nevents counts them.
	events  [][]bot.Event
	nevents int
	seen    map[string]time.Time // handled message IDs and their expiry
}

type entry struct {
	out   bot.Outgoing
	lease time.Time
	seq   int64 // commit order, to break ties of Created
}

type timerKey struct {
	addr bot.Address
	id   string
}

// NewStore returns an empty store with default options.
func NewStore() *Store { return NewStoreWith(Options{}) }

// NewStoreWith returns an empty store configured by opt.
func NewStoreWith(opt Options) *Store {
	if opt.SessionTTL <= 0 {
		opt.SessionTTL = DefaultSessionTTL
	}
	if opt.DedupTTL <= 0 {
		opt.DedupTTL = DefaultDedupTTL
	}
	if opt.TranscriptLen <= 0 {
		opt.TranscriptLen = DefaultTranscriptLen
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Store{
		opt:      opt,
		convs:    make(map[bot.Address]*conv),
		outbox:   make(map[string]*entry),
		timers:   make(map[timerKey]bot.Timer),
		counters: NewCounters(opt.Now),
	}
}

// Capabilities returns everything the memory store offers beside
// bot.Store, for one process: it needs no Ping. See bot.Capabilities.
func (s *Store) Capabilities() bot.Capabilities {
	return bot.Capabilities{Queues: s, Directory: s, Leaser: s, EventLog: s, Bus: s, Counters: s.counters}
}

// Load returns a copy of the session of addr; see bot.Store.
func (s *Store) Load(ctx context.Context, addr bot.Address, msgID string) (*bot.Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opt.Now()
	c := s.conv(addr, now)
	if c == nil {
		return nil, nil
	}
	if msgID != "" {
		if exp, ok := c.seen[msgID]; ok && now.Before(exp) {
			return nil, fmt.Errorf("memory: load %s message %s: %w", addr.Ref(), addr.LogID(msgID), bot.ErrDuplicate)
		}
	}
	return c.session.Clone(), nil
}

// conv returns the live conversation of addr, dropping an expired
// session. Expired message IDs are ignored where they are looked up and
// swept by gc, not here: this runs on every message.
func (s *Store) conv(addr bot.Address, now time.Time) *conv {
	c := s.convs[addr]
	if c == nil {
		return nil
	}
	if c.session != nil && !now.Before(c.expires) {
		c.session, c.events, c.nevents = nil, nil, 0
	}
	if c.session == nil && len(c.seen) == 0 {
		delete(s.convs, addr)
		return nil
	}
	return c
}

// sweep drops the expired message IDs of c, and c itself when nothing
// of it is left.
func (s *Store) sweep(addr bot.Address, c *conv, now time.Time) {
	for id, exp := range c.seen {
		if !now.Before(exp) {
			delete(c.seen, id)
		}
	}
	s.conv(addr, now)
}

// Commit writes c at once; see bot.Store.
func (s *Store) Commit(ctx context.Context, cm *bot.Commit) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	addr := cm.Session.Address
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opt.Now()
	s.gc(now)
	c := s.conv(addr, now)
	if c == nil {
		c = &conv{}
		s.convs[addr] = c
	}
	if cm.MessageID != "" {
		if exp, ok := c.seen[cm.MessageID]; ok && now.Before(exp) {
			return fmt.Errorf("memory: commit %s message %s: %w", addr.Ref(), addr.LogID(cm.MessageID), bot.ErrDuplicate)
		}
	}
	var stored int64
	if c.session != nil {
		stored = c.session.Version
	}
	if stored != cm.Session.Version {
		return fmt.Errorf("memory: commit %s version %d over %d: %w", addr.Ref(), cm.Session.Version, stored, bot.ErrConflict)
	}

	// Checks passed: from here on everything is written.
	cm.Session.Version++
	c.session = cm.Session // the store's from now on (bot.Store.Commit)
	c.expires = now.Add(bot.SessionTTL(cm.Session, s.opt.SessionTTL))
	if cm.MessageID != "" {
		if c.seen == nil {
			c.seen = make(map[string]time.Time)
		}
		c.seen[cm.MessageID] = now.Add(s.opt.DedupTTL)
	}
	if len(cm.Events) > 0 {
		// One copy of the events, kept by the transcript and the log.
		evs := slices.Clone(cm.Events)
		c.events = append(c.events, evs)
		c.nevents += len(evs)
		s.log.append(evs)
		c.trim(s.opt.TranscriptLen)
	}
	for _, o := range cm.Outbox {
		s.commitNo++
		s.outbox[o.ID] = &entry{out: o, lease: cm.LeaseUntil, seq: s.commitNo}
	}
	for _, id := range cm.CancelTimers {
		delete(s.timers, timerKey{addr, id})
	}
	for _, tm := range cm.SetTimers {
		s.timers[timerKey{tm.Address, tm.ID}] = tm
	}
	return nil
}

// gc drops expired conversations once a minute, so that a store that
// serves many one-off visitors does not grow without bound.
func (s *Store) gc(now time.Time) {
	if now.Sub(s.lastGC) < time.Minute {
		return
	}
	s.lastGC = now
	for a, c := range s.convs {
		s.sweep(a, c, now)
	}
	for k, qs := range s.queueSeq {
		if !qs.gone.IsZero() && now.Sub(qs.gone) > bot.QueueMemory {
			delete(s.queueSeq, k)
		}
	}
}

// Pending leases due outbox entries; see bot.Store.
func (s *Store) Pending(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]bot.Outgoing, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var due []*entry
	for _, e := range s.outbox {
		if !now.Before(e.lease) {
			due = append(due, e)
		}
	}
	slices.SortFunc(due, func(a, b *entry) int {
		if c := a.out.Created.Compare(b.out.Created); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	due = bot.PendingCut(due, limit, func(e *entry) bot.Outgoing { return e.out })
	out := make([]bot.Outgoing, len(due))
	for i, e := range due {
		e.lease = now.Add(lease)
		e.out.Attempts++
		out[i] = e.out
	}
	return out, nil
}

// Ack removes delivered entries; see bot.Store.
func (s *Store) Ack(ctx context.Context, entries ...bot.Outgoing) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range entries {
		delete(s.outbox, o.ID)
	}
	return nil
}

// DueTimers removes and returns due timers; see bot.Store.
func (s *Store) DueTimers(ctx context.Context, now time.Time, limit int) ([]bot.Timer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var due []bot.Timer
	for _, tm := range s.timers {
		if !now.Before(tm.Due) {
			due = append(due, tm)
		}
	}
	slices.SortFunc(due, func(a, b bot.Timer) int { return a.Due.Compare(b.Due) })
	if len(due) > limit {
		due = due[:limit]
	}
	for _, tm := range due {
		delete(s.timers, timerKey{tm.Address, tm.ID})
	}
	return due, nil
}

// Transcript returns the latest events of addr; see bot.Store.
func (s *Store) Transcript(ctx context.Context, addr bot.Address, limit int) ([]bot.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.conv(addr, s.opt.Now())
	if c == nil {
		return nil, nil
	}
	n := min(limit, c.nevents)
	if n <= 0 {
		return nil, nil
	}
	out := make([]bot.Event, n)
	// Backwards from the latest commit's last event.
	at := n
	for i := len(c.events) - 1; at > 0; i-- {
		evs := c.events[i]
		k := min(at, len(evs))
		copy(out[at-k:at], evs[len(evs)-k:])
		at -= k
	}
	return out, nil
}

// trim keeps the latest keep events of the transcript: the commits
// wholly older go, and the first one kept loses its oldest events.
func (c *conv) trim(keep int) {
	over := c.nevents - keep
	if over <= 0 {
		return
	}
	drop := 0
	for drop < len(c.events) && len(c.events[drop]) <= over {
		over -= len(c.events[drop])
		drop++
	}
	c.events = slices.Delete(c.events, 0, drop)
	if over > 0 {
		c.events[0] = c.events[0][over:]
	}
	c.nevents = keep
}
