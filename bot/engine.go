package bot

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Config configures an Engine. Store and Responder are required.
type Config struct {
	Store     Store
	Responder Responder
	// Desk receives handoffs; NewLocalDesk shows them in the customer's
	// own channel, for the demo. Nil drops desk notes.
	Desk Desk
	// Queues keep each team's queue, for the customer's place in it and
	// the desk's view; nil: no queue positions.
	Queues Queues
	// Teams describe the teams cases go to: names, timeouts, hours. Nil:
	// every team is always open and has no timeout.
	Teams  Teams
	Clock  Clock        // SystemClock when nil
	Logger *slog.Logger // discarded when nil
	// Texts override the engine's own lines (DefaultTexts).
	Texts Texts
	// Language is used when nothing tells the customer's language.
	Language string // "en" when empty
	// Lease is how long an outbox entry waits for its writer's delivery
	// before any replica's Run delivers it again.
	Lease time.Duration // 30 s when zero
	// Poll is how often Run looks for due outbox entries and timers.
	Poll time.Duration // 1 s when zero
	// SendTimeout bounds each delivery of an outbox entry: a reply to a
	// channel, a note to the desk, a queue change; and each call of Run
	// to the store. It must be shorter than Lease, so that a send ends
	// before another replica may take the entry.
	SendTimeout time.Duration // 10 s (at most a third of Lease) when zero
	// Workers is how many deliveries each destination (each channel, the
	// desk, the queues) has in flight at once, and how many conversations
	// Run's timers are handled for at once.
	Workers int // 8 when zero
	// FloodLimit messages per FloodWindow from one conversation are
	// handled; further ones are recorded but not answered.
	FloodLimit  int           // 20 when zero
	FloodWindow time.Duration // 10 s when zero
	// Meter is told what the engine measures (latencies, outcomes, case
	// steps), for metrics; nil measures nothing. Stats and Backlog are
	// there either way.
	Meter Meter
}

// Engine runs the message lifecycle: Handle is the one path of every
// message. It is safe for concurrent use.
type Engine struct {
	cfg   Config
	log   *slog.Logger
	texts Texts
	locks queueLock

	mu       sync.RWMutex
	channels map[string]Channel

	out *delivery // the outbox's lanes

	timerMu     sync.Mutex
	retryTimers []Timer       // fired but not handled: tried again next tick
	timerSlots  chan struct{} // conversations whose timers are being handled
	timerWork   sync.WaitGroup

	places placeNotices // queue places to tell (handoff.go)

	apologized recentSet // message IDs already answered with an apology

	stats engineStats
}

// NewEngine returns an engine for cfg.
func NewEngine(cfg Config) (*Engine, error) {
	if cfg.Store == nil {
		return nil, errors.New("bot: engine needs a store")
	}
	if cfg.Responder == nil {
		return nil, errors.New("bot: engine needs a responder")
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Language == "" {
		cfg.Language = "en"
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 30 * time.Second
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.FloodLimit <= 0 {
		cfg.FloodLimit = 20
	}
	if cfg.FloodWindow <= 0 {
		cfg.FloodWindow = 10 * time.Second
	}
	switch {
	case cfg.SendTimeout <= 0:
		cfg.SendTimeout = min(10*time.Second, cfg.Lease/3)
	case cfg.SendTimeout >= cfg.Lease:
		return nil, fmt.Errorf("bot: send timeout %s must be shorter than the lease %s: a send could outlast it and another replica deliver the entry again", cfg.SendTimeout, cfg.Lease)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.Meter == nil {
		cfg.Meter = noMeter{}
	}
	cfg.Meter = guardedMeter{cfg.Meter, cfg.Logger.With("component", "meter")}
	e := &Engine{
		cfg:        cfg,
		log:        cfg.Logger.With("component", "engine"),
		texts:      DefaultTexts().Merge(cfg.Texts),
		channels:   make(map[string]Channel),
		timerSlots: make(chan struct{}, cfg.Workers),
	}
	// A shop that wrote its own closed or busy line but not the line for
	// a case that has the contact keeps its own words there too (they ask
	// for a contact, which is then taken as before).
	for _, p := range [][2]string{{TextClosed, TextClosedContact}, {TextTimeout, TextTimeoutContact}} {
		if _, own := cfg.Texts[p[0]]; own {
			if _, ownToo := cfg.Texts[p[1]]; !ownToo {
				e.texts[p[1]] = e.texts[p[0]]
			}
		}
	}
	e.out = newDelivery(e, cfg.Workers)
	return e, nil
}

// SetChannel routes replies to addresses of channel name through ch.
// Channels are set before messages flow; a channel adapter needs the
// engine as its Handler and the engine needs the adapter to reply.
func (e *Engine) SetChannel(name string, ch Channel) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.channels[name] = ch
}

// SetDesk sets the agent desk, for desks that need the engine first.
func (e *Engine) SetDesk(d Desk) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cfg.Desk = d
}

func (e *Engine) channel(name string) Channel {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.channels[name]
}

func (e *Engine) desk() Desk {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.cfg.Desk
}

// Texts returns the engine's texts, with the configured overrides.
func (e *Engine) Texts() Texts { return e.texts }

// maxAttempts bounds the optimistic retries of one message: conflicts
// happen only when replicas race on one conversation.
const maxAttempts = 20

// Handle handles one message: de-duplicates it, serialises it with the
// other messages of its conversation, lets the responder (or the desk)
// answer, commits session, transcript and outbox at once, and delivers the
// outbox: the replies before it returns, each within SendTimeout, the desk
// notes and queue changes in the background (Flush waits for them). It
// returns nil once the message is committed (or was already), so the
// channel may acknowledge it; an error means nothing was committed.
func (e *Engine) Handle(ctx context.Context, m Message) error {
	refused, err := e.handle(ctx, m)
	// A reply the channel refused for good (the customer blocked the bot)
	// is recorded on the session, through the same path, once the
	// conversation's lock is free again.
	for _, o := range refused {
		e.recordRefused(ctx, o)
	}
	return err
}

func (e *Engine) handle(ctx context.Context, m Message) (refused []Outgoing, err error) {
	// Latency is the real time taken, whatever the engine's clock says.
	start, outcome := time.Now(), OutcomeFailed
	defer func() { e.cfg.Meter.Handled(m.Address.Channel, m.Kind, outcome, time.Since(start)) }()

	// The boundary: every piece of outside text is cleaned and bounded
	// before anything of the message is recorded, or even locked on.
	m = m.Clean()
	if err := m.Address.check(); err != nil {
		return nil, fmt.Errorf("bot: handle message %s: %w", m.Address.LogID(m.ID), err)
	}
	unlock, err := e.locks.lock(ctx, m.Address)
	if err != nil {
		return nil, fmt.Errorf("bot: handle %s message %s: %w", m.Address.Ref(), m.Address.LogID(m.ID), err)
	}
	defer unlock()

	now := e.cfg.Clock.Now()
	if m.Time.IsZero() {
		m.Time = now
	}
	// Every attempt builds its events on one buffer: an attempt that
	// failed committed none of them.
	buf := eventBufs.Get().(*[]Event)
	events := *buf // the events last built, given back to the pool
	defer func() { recycleEvents(buf, events) }()
	for attempt := 1; ; attempt++ {
		c, err := e.attempt(ctx, m, now, (*buf)[:0])
		switch {
		case errors.Is(err, ErrDuplicate):
			e.stats.duplicates.Add(1)
			outcome = OutcomeDuplicate
			return nil, nil
		case errors.Is(err, ErrConflict) && attempt < maxAttempts:
			e.stats.conflicts.Add(1)
			continue
		case err != nil:
			e.stats.failed.Add(1)
			e.log.Error("message not committed", "addr", m.Address, "msg", m.Address.LogID(m.ID), "err", err)
			e.apologizeDirectly(ctx, m)
			return nil, fmt.Errorf("bot: handle %s message %s: %w", m.Address.Ref(), m.Address.LogID(m.ID), err)
		}
		e.stats.handled.Add(1)
		outcome = OutcomeHandled
		e.measureCommit(c)
		events = c.Events
		c.Events = nil
		if m.Kind == KindUndeliverable {
			// Do not report the refusal of a refusal's own entries.
			e.deliver(ctx, c.Outbox)
			return nil, nil
		}
		return e.deliver(ctx, c.Outbox), nil
	}
}

// attempt loads, responds and commits once. A store that panics fails
// the attempt like a store that is down: the caller (a channel's
// poller, a web handler) gets an error and the customer the apology.
func (e *Engine) attempt(ctx context.Context, m Message, now time.Time, events []Event) (_ *Commit, err error) {
	defer recoverInto(&err)
	s, err := e.load(ctx, m.Address, m.ID, now)
	if err != nil {
		return nil, err
	}
	loaded := s.Version
	// The store's Load returns a session of its own, the turn's to change.
	t := &Turn{Session: s, Message: m, Events: events, now: now}
	e.route(ctx, t, now)
	if t.failed != nil {
		return nil, t.failed
	}
	e.deskLines(t)
	t.Session.Version = loaded
	t.Session.Updated = now
	c := e.seal(t, now)
	if err := e.cfg.Store.Commit(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// load returns the session of addr as the store has it, or a new one
// when there is none or it is closed.
func (e *Engine) load(ctx context.Context, addr Address, msgID string, now time.Time) (*Session, error) {
	s, err := e.cfg.Store.Load(ctx, addr, msgID)
	if err != nil {
		return nil, err
	}
	if s == nil || s.EffectiveMode() == ModeClosed {
		fresh := NewSession(addr, now)
		if s != nil {
			fresh.Version, fresh.Language, fresh.Customer = s.Version, s.Language, s.Customer
		}
		s = fresh
	}
	return s, nil
}

// eventBufs keep the turns' event slices (as *[]Event) for the next
// messages: a store keeps nothing of a commit's slices once Commit
// returns, and Handle reads a commit's events last when it measures them.
// An event is large (some 350 bytes); growing a message's few events one
// append at a time was a good part of what Handle allocated.
var eventBufs = sync.Pool{New: func() any { return new([]Event) }}

// maxEventBuf is the capacity of the largest slice kept for reuse.
const maxEventBuf = 32

// recycleEvents gives buf back to eventBufs with evs, the events last
// built on it, emptied so that it holds on to no text.
func recycleEvents(buf *[]Event, evs []Event) {
	if cap(evs) > maxEventBuf {
		evs = nil
	}
	clear(evs[:cap(evs)])
	*buf = evs[:0]
	eventBufs.Put(buf)
}

// route decides the answer: agents' actions and timers go to the engine's
// own handoff logic, customer messages to the responder or the desk.
func (e *Engine) route(ctx context.Context, t *Turn, now time.Time) {
	s, m := t.Session, t.Message
	switch m.Kind {
	case KindAgent:
		e.agentAction(t, now)
		return
	case KindTimer:
		e.timer(ctx, t, now)
		return
	case KindUndeliverable:
		first := !s.Blocked
		s.Blocked = true
		t.Record(Event{Type: EventUndeliverable, Text: m.Text})
		if first && s.Case != nil {
			// The agents must know their replies no longer arrive.
			t.note(DeskUpdated, *s.Case, "blocked")
		}
		return
	}
	s.Blocked = false // the customer writes: they can be reached again

	if m.Sender != (Sender{}) {
		s.Customer = m.Sender
	}
	t.Record(Event{Type: EventCustomer, Text: m.Text, Attachments: m.Attachments})
	lang := e.language(s, m)

	// Flood control counts per conversation: one noisy visitor never
	// slows the others, and their messages are still recorded.
	if now.Sub(s.RateStart) >= e.cfg.FloodWindow || now.Before(s.RateStart) {
		s.RateStart, s.RateCount = now, 0
	}
	s.RateCount++
	switch {
	case s.RateCount == e.cfg.FloodLimit+1:
		t.Record(Event{Type: EventRefused, Text: "flood"})
		t.Say(e.texts.Text(TextFlood, lang))
		return
	case s.RateCount > e.cfg.FloodLimit:
		t.Record(Event{Type: EventRefused, Text: "flood"})
		return
	}
	// Clean cut a longer text to MaxTextLen and marked it: still longer.
	if utf8.RuneCountInString(m.Text) > MaxTextLen {
		t.Record(Event{Type: EventRefused, Text: "too long"})
		t.Say(e.texts.Text(TextTooLong, lang))
		return
	}
	if strings.TrimSpace(m.Text) == "" && m.Payload == "" && !readable(m.Attachments) {
		if len(m.Attachments) > 0 {
			t.Record(Event{Type: EventRefused, Text: "unsupported " + m.Attachments[0].Kind})
			t.Say(e.texts.Text(TextUnsupported, lang))
			return
		}
		t.Record(Event{Type: EventRefused, Text: "empty"})
		t.Say(e.texts.Text(TextEmpty, lang))
		return
	}
	s.Recent = appendRecent(s.Recent, m.Text)

	switch s.EffectiveMode() {
	case ModeQueued, ModeAgent:
		e.toDesk(ctx, t, lang, now)
		return
	}
	if score, ok := strings.CutPrefix(m.Payload, PayloadCSAT); ok {
		e.csat(t, score, lang)
		return
	}
	if strings.HasPrefix(m.Payload, PayloadLeaveQueue) {
		// A stale "back to the bot" button, or its question's, after the case ended.
		m.Payload = ""
		t.Message = m
	}
	e.respond(ctx, t, lang)
	if t.Handoff != nil {
		e.openCase(ctx, t, now)
	}
}

// respond calls the responder, turning an error or a panic into the
// apology: the customer never meets silence, and the session is left as
// it was so the conversation can go on.
func (e *Engine) respond(ctx context.Context, t *Turn, lang string) {
	keep := len(t.Events)
	err := func() (err error) {
		defer recoverInto(&err)
		return e.cfg.Responder.Respond(ctx, t)
	}()
	if err == nil {
		return
	}
	e.stats.errors.Add(1)
	e.log.Error("responder failed", "addr", t.Message.Address, "msg", t.Message.Address.LogID(t.Message.ID), "err", err)
	// Back to the session as loaded, with the engine's own bookkeeping of
	// this message (who wrote, the flood window, the last texts) kept. The
	// session as loaded is loaded again here, on the rare error, rather
	// than copied on every message. A store that fails now fails the
	// attempt, as its commit would; a session committed meanwhile by
	// another replica makes the commit conflict, and the message is
	// handled again.
	restored, lerr := e.load(ctx, t.Session.Address, "", t.now)
	if lerr != nil {
		t.failed = fmt.Errorf("load the session again after the responder failed: %w", lerr)
		return
	}
	restored.Customer, restored.Blocked = t.Session.Customer, t.Session.Blocked
	restored.RateStart, restored.RateCount, restored.Recent = t.Session.RateStart, t.Session.RateCount, t.Session.Recent
	restored.Mode, restored.Case = t.Session.Mode, t.Session.Case
	*t.Session = *restored
	t.Replies, t.Events, t.Handoff = nil, t.Events[:keep], nil
	t.Record(Event{Type: EventError, Text: firstLine(err.Error())})
	t.Say(e.texts.Text(TextApology, lang))
}

// language returns the language to answer in when the responder has not
// set one: the session's, the channel's hint, or the default.
func (e *Engine) language(s *Session, m Message) string {
	if s.Language != "" {
		return s.Language
	}
	if l := BaseLanguage(m.Sender.Language); l != "" {
		if _, ok := e.texts[TextApology][l]; ok {
			return l
		}
	}
	return e.cfg.Language
}

// seal turns a turn into a commit: events and outbox entries get IDs
// derived from the message, so a retried commit writes the same ones.
// The turn's events, replies and desk notes become the commit's, completed
// in place: a turn is sealed once, and a retried commit starts from a new
// turn.
func (e *Engine) seal(t *Turn, now time.Time) *Commit {
	m, s := t.Message, t.Session
	id := m.ID
	if id == "" {
		id = "t" + strconv.FormatInt(now.UnixNano(), 36)
	}
	ids := newEntryIDs(s.Address, id, len(t.Events), len(t.Replies), len(t.queue), len(t.notes))
	c := &Commit{Session: s, MessageID: m.ID, LeaseUntil: now.Add(e.cfg.Lease), Events: t.Events}
	for i := range c.Events {
		ev := &c.Events[i]
		ev.ID = ids.next("", i)
		ev.Address = s.Address
		ev.MessageID = m.ID
		if ev.Time.IsZero() {
			ev.Time = now
		}
		if ev.Language == "" {
			ev.Language = s.Language
		}
	}
	if n := len(t.Replies) + len(t.queue) + len(t.notes); n > 0 {
		c.Outbox = make([]Outgoing, 0, n)
	}
	seq := s.Version + 1 // the version this commit writes
	for i := range t.Replies {
		r := &t.Replies[i]
		if r.Address.IsZero() {
			r.Address = s.Address
		}
		o := Outgoing{
			ID: ids.next("o", i), Address: r.Address, Reply: r,
			// Entries of one message keep their order by Created.
			Created: now.Add(time.Duration(i) * time.Microsecond),
		}
		if r.Address == s.Address {
			o.Seq = seq
		}
		c.Outbox = append(c.Outbox, o)
	}
	// Queue changes go before desk notes. They are delivered in lanes of
	// their own, apart, but a queue change (one store call) is applied
	// long before a note reaches Slack: an agent who sees a new card and
	// asks for the queue finds the case in it.
	for i := range t.queue {
		q := &t.queue[i]
		q.Seq = seq
		c.Outbox = append(c.Outbox, Outgoing{
			ID: ids.next("q", i), Address: s.Address, Queue: q, Seq: seq,
			Created: now.Add(time.Duration(len(t.Replies)+i) * time.Microsecond),
		})
	}
	for i := range t.notes {
		c.Outbox = append(c.Outbox, Outgoing{
			ID: ids.next("d", i), Address: s.Address, Desk: &t.notes[i], Seq: seq,
			Created: now.Add(time.Duration(len(t.Replies)+len(t.queue)+i) * time.Microsecond),
		})
	}
	c.SetTimers, c.CancelTimers = t.timers, t.cancel
	return c
}

// entryIDs hands out the IDs of one commit's entries, "address|message|"
// and the entry's index, after its kind for the outbox ("3", "o0", "q0",
// "d0"), all written at once into one string: one allocation for a
// message's IDs instead of one each.
type entryIDs struct {
	all string
	pre int // len("address|message|")
	at  int // where the next ID starts in all
}

// newEntryIDs writes the IDs of events, replies, queue changes and desk
// notes, in that order, the order in which next is asked for them.
func newEntryIDs(addr Address, msgID string, events, replies, queue, notes int) entryIDs {
	pre := len(addr.Channel) + 1 + len(addr.ChatID) + 1 + len(msgID) + 1
	n := events + replies + queue + notes
	b := make([]byte, 0, n*(pre+4))
	for _, k := range [...]struct {
		kind string
		n    int
	}{{"", events}, {"o", replies}, {"q", queue}, {"d", notes}} {
		for i := range k.n {
			b = append(b, addr.Channel...)
			b = append(b, ':')
			b = append(b, addr.ChatID...)
			b = append(b, '|')
			b = append(b, msgID...)
			b = append(b, '|')
			b = append(b, k.kind...)
			b = strconv.AppendInt(b, int64(i), 10)
		}
	}
	return entryIDs{all: string(b), pre: pre}
}

// next returns the ID of the i-th entry of kind ("" for events).
func (d *entryIDs) next(kind string, i int) string {
	n := d.pre + len(kind) + digits(i)
	id := d.all[d.at : d.at+n]
	d.at += n
	return id
}

// digits returns the number of decimal digits of i >= 0.
func digits(i int) int {
	n := 1
	for ; i >= 10; i /= 10 {
		n++
	}
	return n
}

// deliver delivers the entries of one commit. The replies are sent here,
// in order, each once and within SendTimeout, so the customer's reply
// leaves before Handle returns; desk notes and queue changes go to their
// lanes' workers, so Handle never waits on the desk. What fails stays in
// its lane and is tried again with backoff (see delivery). It returns the
// replies the channel refused for good.
func (e *Engine) deliver(ctx context.Context, entries []Outgoing) (refused []Outgoing) {
	if len(entries) == 0 {
		return nil
	}
	var replies, others []Outgoing
	for _, o := range entries {
		if o.Reply != nil {
			replies = append(replies, o)
		} else {
			others = append(others, o)
		}
	}
	// The commit leased its entries for Lease from its clock reading,
	// which their Created times are (seal adds microseconds for order).
	created := entries[0].Created
	for _, o := range entries[1:] {
		if o.Created.Before(created) {
			created = o.Created
		}
	}
	until := created.Add(e.cfg.Lease)
	// Queue changes first: the next customer's place counts this case.
	e.out.background(others, until, nil, false)
	return e.out.inline(ctx, replies, until)
}

// send delivers one outbox entry, within SendTimeout. A channel, desk or
// queue that panics fails the attempt as an error does: the entry is
// tried again after its backoff, and its lane is not left busy.
func (e *Engine) send(ctx context.Context, o Outgoing) error {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.SendTimeout)
	defer cancel()
	start := time.Now()
	err := e.sendOnce(ctx, o)
	took, result := time.Since(start), SendDelivered
	switch {
	case err == nil:
		e.stats.delivered.Add(1)
	case errors.Is(err, ErrUndeliverable) && o.Desk != nil:
		e.stats.undeliverable.Add(1)
		result = SendUndeliverable
		e.log.Error("desk note refused for good, dropped", "addr", o.Address, "entry", o.Address.LogID(o.ID), "case", o.Desk.Case.ID, "err", err)
	case errors.Is(err, ErrUndeliverable):
		e.stats.undeliverable.Add(1)
		result = SendUndeliverable
		e.log.Warn("reply undeliverable, dropped", "addr", o.Address, "entry", o.Address.LogID(o.ID), "err", err)
	default:
		e.stats.deliveryFailures.Add(1)
		result = SendFailed
		e.log.Warn("delivery failed, will retry", "addr", o.Address, "entry", o.Address.LogID(o.ID), "kind", o.kind(), "err", err)
	}
	e.cfg.Meter.Sent(o.kind(), result, took)
	return err
}

// sendOnce hands o to its channel, desk or queue.
func (e *Engine) sendOnce(ctx context.Context, o Outgoing) (err error) {
	defer recoverInto(&err)
	switch {
	case o.Reply != nil:
		ch := e.channel(o.Address.Channel)
		if ch == nil {
			err = fmt.Errorf("no channel %q: %w", o.Address.Channel, ErrUndeliverable)
			break
		}
		err = ch.Send(ctx, *o.Reply)
	case o.Desk != nil:
		if d := e.desk(); d != nil {
			err = d.Post(ctx, *o.Desk)
		}
	case o.Queue != nil:
		if e.cfg.Queues != nil {
			err = e.cfg.Queues.Apply(ctx, *o.Queue)
		}
	}
	return err
}

// recordRefused records on the session, through Handle, that the channel
// refused reply o for good.
func (e *Engine) recordRefused(ctx context.Context, o Outgoing) {
	n := Message{ID: "undeliverable:" + o.ID, Kind: KindUndeliverable, Address: o.Address}
	if o.Reply != nil {
		n.Text = o.Reply.Text
	}
	if err := e.handleOwn(ctx, n); err != nil {
		e.log.Warn("undeliverable reply not recorded", "addr", o.Address, "err", err)
	}
}

// Run delivers outbox entries whose writer did not (it crashed, or its
// lease ran out while the destination failed) and fires due timers,
// until ctx ends. The two loops are apart, and neither waits for a send:
// a destination that hangs delays neither the timers nor the other
// destinations. Every replica runs it; the store gives each entry and
// timer to one of them at a time. When ctx ends, Run gives the
// deliveries in flight a moment to finish; what is left stays in the
// outbox for the next process.
func (e *Engine) Run(ctx context.Context) error {
	var loops sync.WaitGroup
	every := func(do func()) {
		tick := time.NewTicker(e.cfg.Poll)
		defer tick.Stop()
		for {
			do()
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}
	loops.Go(func() { every(func() { e.redeliver(ctx) }) })
	loops.Go(func() { every(func() { e.fireTimers(ctx) }) })
	loops.Go(func() { every(func() { e.tellPlaces(ctx) }) })
	loops.Wait()

	grace, cancel := context.WithTimeout(context.Background(), min(2*time.Second, e.cfg.SendTimeout))
	defer cancel()
	_ = e.out.flush(grace)
	e.timerWork.Wait()
	e.out.stop()
	return nil
}

// Flush waits until the deliveries handed to the background so far are
// done (delivered, refused, or left to the store's redelivery), or until
// ctx ends. Handle returns before the desk is told; Flush is for callers
// that must see the desk told, such as tests and scripted stories.
func (e *Engine) Flush(ctx context.Context) error { return e.out.flush(ctx) }

// pendingBatches bounds the Pending calls of one Redeliver.
const pendingBatches = 10

// Redeliver hands the outbox entries that are due to their lanes, and
// waits until each was tried once or ctx ends. Run does the same without
// waiting.
func (e *Engine) Redeliver(ctx context.Context) {
	e.out.waitRound(ctx, e.redeliver(ctx))
}

func (e *Engine) redeliver(ctx context.Context) *round {
	r := &round{done: make(chan struct{})}
	for range pendingBatches {
		if e.out.full() {
			break
		}
		now := e.cfg.Clock.Now()
		pending, err := e.pending(ctx, now)
		if err != nil {
			if ctx.Err() == nil {
				e.log.Warn("outbox poll failed", "err", err)
			}
			break
		}
		// Pending leased them for Lease from now.
		e.out.background(pending, now.Add(e.cfg.Lease), r, true)
		if len(pending) < 100 {
			break
		}
	}
	return r
}

func (e *Engine) pending(ctx context.Context, now time.Time) (out []Outgoing, err error) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.SendTimeout)
	defer cancel()
	defer recoverInto(&err) // Run's goroutine: a panic would end the process
	return e.cfg.Store.Pending(ctx, now, e.cfg.Lease, 100)
}

// dueTimers is the store's DueTimers, a panic of its a failed poll.
func (e *Engine) dueTimers(ctx context.Context, now time.Time) (due []Timer, err error) {
	defer recoverInto(&err)
	return e.cfg.Store.DueTimers(ctx, now, 100)
}

// handleOwn handles a message of the engine's own (a timer's, a refused
// reply's) from one of its goroutines: a panic of the store's (in Load or
// Commit) fails it like an error, instead of ending the process.
func (e *Engine) handleOwn(ctx context.Context, m Message) (err error) {
	defer recoverInto(&err)
	return e.Handle(ctx, m)
}

// FireTimers hands the due timers to their conversations once, and waits
// for them. The store hands a timer out once; a timer whose handling
// fails (the store is down a moment) is kept here and tried again at the
// next tick. Its message ID makes a second handling a no-op. Then it
// tells the customers whose place in a queue changed (tellPlaces,
// handoff.go).
func (e *Engine) FireTimers(ctx context.Context) {
	e.fireTimers(ctx).Wait()
	e.tellPlaces(ctx)
}

// fireTimers handles the due timers, the conversations apart (up to
// Workers at once), the timers of one conversation in order, and returns
// what to wait for.
func (e *Engine) fireTimers(ctx context.Context) *sync.WaitGroup {
	var wg sync.WaitGroup
	e.timerMu.Lock()
	timers := e.retryTimers
	e.retryTimers = nil
	e.timerMu.Unlock()
	pctx, cancel := context.WithTimeout(ctx, e.cfg.SendTimeout)
	due, err := e.dueTimers(pctx, e.cfg.Clock.Now())
	cancel()
	if err != nil && ctx.Err() == nil {
		e.log.Warn("timer poll failed", "err", err)
	}
	timers = append(timers, due...) // a store may return some with an error
	var order []Address
	byAddr := map[Address][]Timer{}
	for _, tm := range timers {
		if _, ok := byAddr[tm.Address]; !ok {
			order = append(order, tm.Address)
		}
		byAddr[tm.Address] = append(byAddr[tm.Address], tm)
	}
	retry := func(tms ...Timer) {
		e.timerMu.Lock()
		e.retryTimers = append(e.retryTimers, tms...)
		e.timerMu.Unlock()
	}
	for i, a := range order {
		select {
		case e.timerSlots <- struct{}{}:
		case <-ctx.Done():
			for _, a := range order[i:] {
				retry(byAddr[a]...)
			}
			return &wg
		}
		wg.Add(1)
		e.timerWork.Add(1)
		go func(tms []Timer) {
			defer func() { <-e.timerSlots; wg.Done(); e.timerWork.Done() }()
			for _, tm := range tms {
				m := Message{
					ID:   "timer:" + tm.ID + ":" + strconv.FormatInt(tm.Due.UnixNano(), 36),
					Kind: KindTimer, Address: tm.Address, Timer: &tm,
				}
				if err := e.handleOwn(ctx, m); err != nil {
					e.log.Warn("timer not handled; trying again", "addr", tm.Address, "timer", tm.ID, "err", err)
					retry(tm)
				}
			}
		}(byAddr[a])
	}
	return &wg
}

// apologizeDirectly tells the customer that something failed when not
// even the commit worked (the store is down): best effort, outside the
// outbox. The channel redelivers the message later.
func (e *Engine) apologizeDirectly(ctx context.Context, m Message) {
	if m.Kind != KindCustomer {
		return
	}
	ch := e.channel(m.Address.Channel)
	if ch == nil {
		return
	}
	if m.ID != "" && !e.apologized.add(m.Address.String()+"|"+m.ID) {
		return // the channel retries the message: one apology is enough
	}
	lang := BaseLanguage(m.Sender.Language)
	if _, ok := e.texts[TextApology][lang]; !ok {
		lang = e.cfg.Language
	}
	e.stats.errors.Add(1)
	ctx, cancel := context.WithTimeout(ctx, e.cfg.SendTimeout)
	defer cancel()
	// Through sendOnce, so that a channel that panics fails the apology, not the caller.
	apology := &Reply{Address: m.Address, Text: e.texts.Text(TextApology, lang)}
	if err := e.sendOnce(ctx, Outgoing{Address: m.Address, Reply: apology}); err != nil {
		e.log.Warn("apology not delivered", "addr", m.Address, "err", err)
	}
}

// readable reports whether the attachments carry something an agent can
// look at (a photo of the defect, a receipt), unlike a voice message,
// a sticker or a location the bot cannot act on.
func readable(att []Attachment) bool {
	for _, a := range att {
		switch a.Kind {
		case "photo", "document", "video", "audio", "file", "image":
			return true
		}
	}
	return false
}

// caseID derives a short, readable case ID from the message that opened
// it, so a retried commit opens the same case.
func caseID(addr Address, msgID string, now time.Time) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s|%d", addr, msgID, now.UnixNano())
	return "C-" + strings.ToUpper(strconv.FormatUint(h.Sum64()%(36*36*36*36*36*36), 36))
}

func appendRecent(recent []string, text string) []string {
	const keep, maxLen = 5, 300
	if text == "" {
		return recent
	}
	if utf8.RuneCountInString(text) > maxLen {
		text = string([]rune(text)[:maxLen]) + "…"
	}
	recent = append(recent, text)
	if len(recent) > keep {
		recent = recent[len(recent)-keep:]
	}
	return recent
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// recoverInto turns a panic of a port (the responder, a channel, the
// desk, the queues) into an error of the call it broke, deferred by the
// call: the message or the delivery fails like any other attempt and is
// tried again, and the process and its lanes go on.
func recoverInto(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
	}
}
