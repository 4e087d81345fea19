package bot

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// Delivery of the outbox.
//
// Every outbox entry travels in a lane: the replies of one conversation,
// its desk notes, its queue changes. A lane sends one entry at a time,
// oldest first, so the customer (or the desk) reads them in order, and a
// failed entry is tried again, with backoff, before the ones behind it.
// Lanes do not wait on each other: each draws on the workers of its sink
// (one per channel, the desk, the queues), so a sink that hangs holds up
// its own lanes only, and never more goroutines than it has workers.
//
// An entry is held by this process while it is in a lane: Redeliver skips
// it, so this process never sends an entry twice at once. It is held no
// longer than its lease in the store (the commit's, or the one Pending
// gave it), less SendTimeout: past that another replica may take it, so a
// lane whose head cannot finish within its lease waits for Redeliver to
// lease it again, and lets it go if that does not happen. What is let go
// stays in the outbox; the store keeps every entry until it is acknowledged.

// maxHeld bounds the entries held in lanes, while a sink is down: beyond
// it new entries wait in the store for Redeliver, so memory stays bounded.
const maxHeld = 10_000

// Backoff of a lane whose head failed: from retryFirst, doubling, up to
// retryMax, with jitter so that lanes that failed together spread out.
const (
	retryFirst = 200 * time.Millisecond
	retryMax   = 5 * time.Second
)

// laneKey names a lane: a conversation and a kind of entry.
type laneKey struct {
	addr Address
	kind string
}

// A lane is the entries of one laneKey in this process, oldest first.
// A lane with entries is busy: exactly one of a worker, an inline Handle,
// the sink's ready list or a timer has it, so one entry of a lane is sent
// at a time.
type lane struct {
	key    laneKey
	sink   *sink
	queue  []*held
	busy   bool
	paused bool        // the head's lease is too short: waiting for Redeliver
	timer  *time.Timer // puts the lane back after a backoff or a pause
	retry  *backoff.ExponentialBackOff
}

// held is an entry of this process's lanes.
type held struct {
	o     Outgoing
	lane  *lane
	until time.Time // its lease in the store, by the engine's clock
	round *round    // the Redeliver that waits for its first try, or nil
	again bool      // handed over by Redeliver
}

// A sink is where the lanes of one destination take turns.
type sink struct {
	ready   []*lane
	workers int
}

// sinkKey names a destination: the desk, the queues, or a channel.
type sinkKey struct {
	kind, channel string
}

// round counts the entries of one Redeliver call not tried yet; done is
// closed when it is sealed (no more entries join) and none is left.
type round struct {
	n      int
	sealed bool
	done   chan struct{}
}

func (r *round) tried() {
	if r == nil {
		return
	}
	if r.n--; r.n == 0 && r.sealed {
		close(r.done)
	}
}

// delivery is the engine's outbox delivery: its lanes, sinks and workers.
type delivery struct {
	e       *Engine
	ctx     context.Context // of background sends; cancelled by stop
	cancel  context.CancelFunc
	bare    context.Context // ctx without its cancel: acks outlive stop
	workers int             // per sink

	mu       sync.Mutex
	lanes    map[laneKey]*lane
	inflight map[string]*held // the entries this process holds, by ID
	sinks    map[sinkKey]*sink
	refusing int           // refused replies being recorded
	acking   int           // entries sent inline, let go, not acknowledged yet
	idle     chan struct{} // made by flush, closed when nothing is held or being recorded
	stopping bool
	wg       sync.WaitGroup // workers and recorders
}

func newDelivery(e *Engine, workers int) *delivery {
	ctx, cancel := context.WithCancel(context.Background())
	return &delivery{
		e: e, ctx: ctx, cancel: cancel, bare: context.WithoutCancel(ctx), workers: workers,
		lanes: make(map[laneKey]*lane), inflight: make(map[string]*held), sinks: make(map[sinkKey]*sink),
	}
}

// sinkOf names the destination of o: replies go to their channel.
func sinkOf(o Outgoing) sinkKey {
	if k := o.kind(); k != KindReply {
		return sinkKey{kind: k}
	}
	return sinkKey{KindReply, o.Address.Channel}
}

// laneOf returns o's lane, made if need be. d.mu is held.
func (d *delivery) laneOf(o Outgoing) *lane {
	k := laneKey{o.Address, o.kind()}
	l := d.lanes[k]
	if l == nil {
		sk := sinkOf(o)
		s := d.sinks[sk]
		if s == nil {
			s = &sink{}
			d.sinks[sk] = s
		}
		l = &lane{key: k, sink: s}
		d.lanes[k] = l
	}
	return l
}

// hold claims o for this process until its lease ends, putting it in its
// lane in order: after the others when fresh (commits of a conversation
// are serialised, so a fresh one is the newest whatever its clock says),
// else by its commit and its time (Outgoing.before). It returns nil when o is held already (its lease is
// then renewed to until) or when no more entries may be held (limit).
// d.mu is held.
func (d *delivery) hold(o Outgoing, until time.Time, limit, fresh bool) *held {
	if h := d.inflight[o.ID]; h != nil {
		// Pending leased it again: this process may go on trying.
		if until.After(h.until) {
			h.until = until
		}
		if l := h.lane; l.paused {
			d.resume(l)
		}
		return nil
	}
	if limit && (d.stopping || len(d.inflight) >= maxHeld) {
		return nil
	}
	l := d.laneOf(o)
	h := &held{o: o, lane: l, until: until}
	i := len(l.queue)
	if !fresh {
		// Before the first that goes after it (Outgoing.before).
		i = slices.IndexFunc(l.queue, func(x *held) bool { return o.before(x.o) })
		if i < 0 {
			i = len(l.queue)
		}
	}
	l.queue = slices.Insert(l.queue, i, h)
	d.inflight[o.ID] = h
	return h
}

// busy reports whether anything is held or being recorded. d.mu is held.
func (d *delivery) busy() bool { return len(d.inflight) > 0 || d.refusing > 0 || d.acking > 0 }

// release lets h go: delivered, or left to the store. d.mu is held.
func (d *delivery) release(h *held) {
	l := h.lane
	if i := slices.Index(l.queue, h); i >= 0 {
		l.queue = slices.Delete(l.queue, i, i+1)
	}
	delete(d.inflight, h.o.ID)
	h.round.tried()
	h.round = nil
	d.checkIdle()
}

func (d *delivery) checkIdle() {
	if !d.busy() && d.idle != nil {
		close(d.idle)
		d.idle = nil
	}
}

// schedule hands a lane with entries to its sink's workers, or makes it
// idle when it has none. d.mu is held.
func (d *delivery) schedule(l *lane) {
	if len(l.queue) == 0 {
		l.busy, l.paused = false, false
		delete(d.lanes, l.key)
		return
	}
	if d.stopping {
		for len(l.queue) > 0 {
			d.release(l.queue[0])
		}
		d.schedule(l)
		return
	}
	l.busy = true
	s := l.sink
	s.ready = append(s.ready, l)
	if s.workers < d.workers {
		s.workers++
		d.wg.Add(1)
		go d.work(s)
	}
}

// resume puts a paused or waiting lane back to work. d.mu is held.
func (d *delivery) resume(l *lane) {
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	l.paused = false
	d.schedule(l)
}

// wait parks l for a while, then puts it back. d.mu is held.
func (d *delivery) wait(l *lane, after time.Duration) {
	var t *time.Timer
	t = time.AfterFunc(after, func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		if l.timer != t {
			return // resumed meanwhile
		}
		l.timer = nil
		if l.paused && len(l.queue) > 0 && !d.sendable(l.queue[0]) {
			// Not leased again: another replica has it, or Run is not
			// running. It is in the store; let the ones behind it go on.
			d.e.log.Debug("outbox entry left to redelivery", "addr", l.key.addr, "entry", l.key.addr.LogID(l.queue[0].o.ID))
			d.release(l.queue[0])
		}
		l.paused = false
		d.schedule(l)
	})
	l.timer = t
}

// sendable reports whether h can be sent within its lease.
func (d *delivery) sendable(h *held) bool {
	return !d.e.cfg.Clock.Now().Add(d.e.cfg.SendTimeout).After(h.until)
}

// pause parks l until Redeliver leases its head again. d.mu is held.
func (d *delivery) pause(l *lane) {
	l.paused = true
	h := l.queue[0]
	h.round.tried() // a Redeliver does not wait for a lease to run out
	h.round = nil
	left := h.until.Add(d.e.cfg.Lease).Sub(d.e.cfg.Clock.Now())
	d.wait(l, max(left, d.e.cfg.Poll))
}

// settle records the outcome of sending h, the head of l, and decides
// what l does next: h is let go when it is done (sent, or refused for
// good), else retried after a backoff. d.mu is held.
func (d *delivery) settle(l *lane, h *held, err error) {
	h.round.tried()
	h.round = nil
	if err != nil && !errors.Is(err, ErrUndeliverable) {
		if d.stopping {
			for len(l.queue) > 0 {
				d.release(l.queue[0])
			}
			d.schedule(l)
			return
		}
		if l.retry == nil {
			l.retry = &backoff.ExponentialBackOff{InitialInterval: retryFirst, RandomizationFactor: 0.5,
				Multiplier: 2, MaxInterval: retryMax}
			l.retry.Reset()
		}
		delay := l.retry.NextBackOff()
		// A destination that says how long to wait (Telegram's 429) is
		// taken at its word.
		var asked *backoff.RetryAfterError
		if errors.As(err, &asked) && asked.Duration > delay {
			delay = asked.Duration
		}
		d.wait(l, delay)
		return
	}
	l.retry = nil
	d.release(h)
	d.schedule(l)
}

// work sends the heads of the sink's ready lanes, one each in turn,
// until none is ready.
func (d *delivery) work(s *sink) {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		if len(s.ready) == 0 {
			s.workers--
			d.mu.Unlock()
			return
		}
		l := s.ready[0]
		s.ready = s.ready[1:]
		h := l.queue[0]
		if !d.sendable(h) {
			d.pause(l)
			d.mu.Unlock()
			continue
		}
		d.mu.Unlock()
		if h.again {
			d.e.stats.redelivered.Add(1)
		}
		err := d.e.send(d.ctx, h.o)
		if err == nil || errors.Is(err, ErrUndeliverable) {
			// Acknowledged while still held, so that flush (and a
			// shutdown) waits for the acknowledgement: an entry let go
			// unacknowledged is delivered again after its lease.
			d.ack(h.o)
		}
		d.mu.Lock()
		if errors.Is(err, ErrUndeliverable) && h.o.Reply != nil {
			d.refusing++ // before the release, so flush waits for it
			d.wg.Add(1)
			go d.refused(h.o)
		}
		d.settle(l, h, err)
		d.mu.Unlock()
	}
}

// refused records a reply the channel refused for good, through Handle.
func (d *delivery) refused(o Outgoing) {
	defer d.wg.Done()
	ctx, cancel := context.WithTimeout(d.bare, 2*d.e.cfg.SendTimeout)
	defer cancel()
	d.e.recordRefused(ctx, o)
	d.mu.Lock()
	d.refusing--
	d.checkIdle()
	d.mu.Unlock()
}

// ack acknowledges delivered entries; what fails is delivered again.
func (d *delivery) ack(entries ...Outgoing) {
	ctx, cancel := context.WithTimeout(d.bare, d.e.cfg.SendTimeout)
	defer cancel()
	err := func() (err error) {
		defer recoverInto(&err) // a worker's goroutine, or Handle's caller
		return d.e.cfg.Store.Ack(ctx, entries...)
	}()
	if err != nil {
		d.e.log.Warn("outbox ack failed; entries will be delivered again", "err", err)
	}
}

// background hands entries to their lanes' workers. until is their lease;
// r, when set, counts the entries newly held. It returns how many were.
func (d *delivery) background(entries []Outgoing, until time.Time, r *round, again bool) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	var touched []*lane
	for _, o := range entries {
		h := d.hold(o, until, true, !again)
		if h == nil {
			continue
		}
		n++
		h.again = again
		if r != nil {
			h.round = r
			r.n++
		}
		if !h.lane.busy && !slices.Contains(touched, h.lane) {
			touched = append(touched, h.lane)
		}
	}
	for _, l := range touched {
		d.schedule(l)
	}
	return n
}

// inline sends the replies of one commit from the caller's goroutine, in
// order, each once, and returns those the channel refused for good. A
// lane busy with earlier entries, or a failure, leaves the rest to the
// lane's workers: Handle never waits for a retry.
func (d *delivery) inline(ctx context.Context, entries []Outgoing, until time.Time) (refused []Outgoing) {
	var done []Outgoing
	defer func() {
		if len(done) > 0 {
			d.ack(done...)
			d.mu.Lock()
			d.acking -= len(done)
			d.checkIdle()
			d.mu.Unlock()
		}
	}()
	d.mu.Lock()
	// My entries per lane, in the order of their lanes' first entries:
	// one lane, nearly always.
	type share struct {
		l     *lane
		n     int
		drive bool
	}
	var mine []share
	for _, o := range entries {
		// No limit: the caller's own replies are as many as it has.
		h := d.hold(o, until, false, true)
		if h == nil {
			continue
		}
		i := slices.IndexFunc(mine, func(s share) bool { return s.l == h.lane })
		if i < 0 {
			i = len(mine)
			mine = append(mine, share{l: h.lane})
		}
		mine[i].n++
	}
	for i := range mine {
		if l := mine[i].l; !l.busy {
			l.busy = true // mine now; else its worker sends mine after the earlier ones
			mine[i].drive = true
		}
	}
	d.mu.Unlock()

	isMine := func(id string) bool {
		return slices.ContainsFunc(entries, func(o Outgoing) bool { return o.ID == id })
	}
	for _, m := range mine {
		if !m.drive {
			continue
		}
		l := m.l
		for {
			d.mu.Lock()
			if m.n == 0 || len(l.queue) == 0 {
				d.schedule(l) // the rest, if any, to the workers
				d.mu.Unlock()
				break
			}
			h := l.queue[0]
			if !d.sendable(h) {
				d.pause(l)
				d.mu.Unlock()
				break
			}
			d.mu.Unlock()
			err := d.e.send(ctx, h.o)
			d.mu.Lock()
			if isMine(h.o.ID) {
				m.n--
			}
			// Settle without scheduling: this goroutine still drives l.
			h.round.tried()
			h.round = nil
			if err != nil && !errors.Is(err, ErrUndeliverable) {
				d.settle(l, h, err) // the workers retry it after a backoff
				d.mu.Unlock()
				break
			}
			l.retry = nil
			// Counted until acknowledged, as a lane's worker holds its entry:
			// flush waits for the acknowledgement.
			d.acking++
			d.release(h)
			d.mu.Unlock()
			done = append(done, h.o)
			if err != nil && h.o.Reply != nil {
				refused = append(refused, h.o)
			}
		}
	}
	return refused
}

// full reports whether no more entries may be held.
func (d *delivery) full() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.inflight) >= maxHeld
}

// waitRound waits until every entry of r was tried once, or ctx ends.
func (d *delivery) waitRound(ctx context.Context, r *round) {
	d.mu.Lock()
	r.sealed = true
	n := r.n
	d.mu.Unlock()
	if n == 0 {
		return
	}
	select {
	case <-r.done:
	case <-ctx.Done():
	}
}

// flush waits until nothing is held, or ctx ends.
func (d *delivery) flush(ctx context.Context) error {
	for {
		d.mu.Lock()
		if !d.busy() {
			d.mu.Unlock()
			return nil
		}
		if d.idle == nil {
			d.idle = make(chan struct{})
		}
		idle := d.idle
		d.mu.Unlock()
		select {
		case <-idle:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// stop lets every held entry go back to the store, ends the sends in
// flight and waits for the workers. Entries handed over afterwards stay
// in the store for the next process's Redeliver.
func (d *delivery) stop() {
	d.mu.Lock()
	d.stopping = true
	for _, l := range d.lanes {
		if l.timer != nil {
			l.timer.Stop()
			l.timer = nil
			for len(l.queue) > 0 {
				d.release(l.queue[0])
			}
			d.schedule(l)
		}
	}
	for _, s := range d.sinks {
		for _, l := range s.ready {
			for len(l.queue) > 0 {
				d.release(l.queue[0])
			}
			l.busy = false
			delete(d.lanes, l.key)
		}
		s.ready = nil
	}
	d.mu.Unlock()
	d.cancel()
	d.wg.Wait()
}
