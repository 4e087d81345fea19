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
	// FloodLimit messages per FloodWindow from one conversation are
	// handled; further ones are recorded but not answered.
	FloodLimit  int           // 20 when zero
	FloodWindow time.Duration // 10 s when zero
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
	inflight sync.Map // outbox entry IDs being sent by this process

	timerMu     sync.Mutex
	retryTimers []Timer // fired but not handled: tried again next tick

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
	return &Engine{
		cfg:      cfg,
		log:      cfg.Logger.With("component", "engine"),
		texts:    DefaultTexts().Merge(cfg.Texts),
		channels: make(map[string]Channel),
	}, nil
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
// outbox. It returns nil once the message is committed (or was already),
// so the channel may acknowledge it; an error means nothing was committed.
func (e *Engine) Handle(ctx context.Context, m Message) error {
	refused, err := e.handle(ctx, m)
	// A reply the channel refused for good (the customer blocked the bot)
	// is recorded on the session, through the same path, once the
	// conversation's lock is free again.
	for _, o := range refused {
		n := Message{ID: "undeliverable:" + o.ID, Kind: KindUndeliverable, Address: o.Address}
		if o.Reply != nil {
			n.Text = o.Reply.Text
		}
		if err := e.Handle(ctx, n); err != nil {
			e.log.Warn("undeliverable reply not recorded", "addr", o.Address, "err", err)
		}
	}
	return err
}

func (e *Engine) handle(ctx context.Context, m Message) (refused []Outgoing, err error) {
	if m.Address.Channel == "" || m.Address.ChatID == "" {
		return nil, fmt.Errorf("bot: handle message %q: no address", m.ID)
	}
	unlock, err := e.locks.lock(ctx, m.Address)
	if err != nil {
		return nil, fmt.Errorf("bot: handle %s message %s: %w", m.Address, m.ID, err)
	}
	defer unlock()

	now := e.cfg.Clock.Now()
	if m.Time.IsZero() {
		m.Time = now
	}
	m.Text = sanitize(m.Text)
	for attempt := 1; ; attempt++ {
		c, err := e.attempt(ctx, m, now)
		switch {
		case errors.Is(err, ErrDuplicate):
			e.stats.duplicates.Add(1)
			return nil, nil
		case errors.Is(err, ErrConflict) && attempt < maxAttempts:
			e.stats.conflicts.Add(1)
			continue
		case err != nil:
			e.stats.failed.Add(1)
			e.log.Error("message not committed", "addr", m.Address, "msg", m.ID, "err", err)
			e.apologizeDirectly(ctx, m)
			return nil, fmt.Errorf("bot: handle %s message %s: %w", m.Address, m.ID, err)
		}
		e.stats.handled.Add(1)
		if m.Kind == KindUndeliverable {
			// Do not report the refusal of a refusal's own entries.
			e.deliver(ctx, c.Outbox)
			return nil, nil
		}
		return e.deliver(ctx, c.Outbox), nil
	}
}

// attempt loads, responds and commits once.
func (e *Engine) attempt(ctx context.Context, m Message, now time.Time) (*Commit, error) {
	s, err := e.cfg.Store.Load(ctx, m.Address, m.ID)
	if err != nil {
		return nil, err
	}
	if s == nil || s.EffectiveMode() == ModeClosed {
		fresh := NewSession(m.Address, now)
		if s != nil {
			fresh.Version, fresh.Language, fresh.Customer = s.Version, s.Language, s.Customer
		}
		s = fresh
	}
	loaded := s.Version
	t := &Turn{Session: s.Clone(), Message: m, loaded: s}
	e.route(ctx, t, now)
	t.Session.Version = loaded
	t.Session.Updated = now
	c := e.seal(t, now)
	if err := e.cfg.Store.Commit(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
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
	if m.Payload == PayloadLeaveQueue {
		// A stale "back to the bot" button after the case ended.
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
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
			}
		}()
		return e.cfg.Responder.Respond(ctx, t)
	}()
	if err == nil {
		return
	}
	e.stats.errors.Add(1)
	e.log.Error("responder failed", "addr", t.Message.Address, "msg", t.Message.ID, "err", err)
	// Back to the session as loaded, with the engine's own bookkeeping of
	// this message (who wrote, the flood window, the last texts) kept. The
	// loaded session is cloned here, on the rare error, not on every message.
	restored := t.loaded.Clone()
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
func (e *Engine) seal(t *Turn, now time.Time) *Commit {
	m, s := t.Message, t.Session
	id := m.ID
	if id == "" {
		id = "t" + strconv.FormatInt(now.UnixNano(), 36)
	}
	c := &Commit{Session: s, MessageID: m.ID, LeaseUntil: now.Add(e.cfg.Lease)}
	for i, ev := range t.Events {
		ev.ID = fmt.Sprintf("%s|%s|%d", s.Address, id, i)
		ev.Address = s.Address
		ev.MessageID = m.ID
		if ev.Time.IsZero() {
			ev.Time = now
		}
		if ev.Language == "" {
			ev.Language = s.Language
		}
		c.Events = append(c.Events, ev)
	}
	for i, r := range t.Replies {
		if r.Address.IsZero() {
			r.Address = s.Address
		}
		c.Outbox = append(c.Outbox, Outgoing{
			ID: fmt.Sprintf("%s|%s|o%d", s.Address, id, i), Address: r.Address, Reply: &r,
			// Entries of one message keep their order by Created.
			Created: now.Add(time.Duration(i) * time.Microsecond),
		})
	}
	// Queue changes go before desk notes: an agent who sees a new card
	// and asks for the queue finds the case in it.
	for i, q := range t.queue {
		q.Seq = s.Version + 1 // the version this commit writes
		c.Outbox = append(c.Outbox, Outgoing{
			ID: fmt.Sprintf("%s|%s|q%d", s.Address, id, i), Address: s.Address, Queue: &q,
			Created: now.Add(time.Duration(len(t.Replies)+i) * time.Microsecond),
		})
	}
	for i, n := range t.notes {
		c.Outbox = append(c.Outbox, Outgoing{
			ID: fmt.Sprintf("%s|%s|d%d", s.Address, id, i), Address: s.Address, Desk: &n,
			Created: now.Add(time.Duration(len(t.Replies)+len(t.queue)+i) * time.Microsecond),
		})
	}
	c.SetTimers, c.CancelTimers = t.timers, t.cancel
	return c
}

// deliver sends the entries of one commit in order and acknowledges them.
// What fails stays in the outbox: Run delivers it after the lease. It
// returns the replies the channel refused for good.
func (e *Engine) deliver(ctx context.Context, entries []Outgoing) (refused []Outgoing) {
	entries = e.claim(entries)
	defer e.unclaim(entries)
	var done []Outgoing
	failed := map[string]bool{}
	for _, o := range entries {
		if failed[o.kind()] {
			continue
		}
		err := e.send(ctx, o)
		if err != nil && !errors.Is(err, ErrUndeliverable) {
			// Later entries of the same kind wait too, so the customer
			// (or the desk) reads them in order; a desk that is down
			// does not hold up the customer's replies.
			failed[o.kind()] = true
			continue
		}
		if err != nil && o.Reply != nil {
			refused = append(refused, o)
		}
		done = append(done, o)
	}
	if len(done) == 0 {
		return refused
	}
	if err := e.cfg.Store.Ack(ctx, done...); err != nil {
		e.log.Warn("outbox ack failed; entries will be delivered again", "err", err)
	}
	return refused
}

// send delivers one outbox entry.
func (e *Engine) send(ctx context.Context, o Outgoing) error {
	var err error
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
	switch {
	case err == nil:
		e.stats.delivered.Add(1)
	case errors.Is(err, ErrUndeliverable) && o.Desk != nil:
		e.stats.undeliverable.Add(1)
		e.log.Error("desk note refused for good, dropped", "addr", o.Address, "entry", o.ID, "case", o.Desk.Case.ID, "err", err)
	case errors.Is(err, ErrUndeliverable):
		e.stats.undeliverable.Add(1)
		e.log.Warn("reply undeliverable, dropped", "addr", o.Address, "entry", o.ID, "err", err)
	default:
		e.stats.deliveryFailures.Add(1)
		e.log.Warn("delivery failed, will retry", "addr", o.Address, "entry", o.ID, "err", err)
	}
	return err
}

// Run delivers outbox entries whose writer did not (it crashed, or the
// channel failed) and fires due timers, until ctx ends. Every replica runs
// it; the store gives each entry and timer to one of them at a time.
func (e *Engine) Run(ctx context.Context) error {
	tick := time.NewTicker(e.cfg.Poll)
	defer tick.Stop()
	for {
		e.Redeliver(ctx)
		e.FireTimers(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// claim marks entries as being sent by this process and returns those
// that were not already: a slow channel may outlast the lease, and this
// process's Redeliver must not send an entry its Handle is still sending,
// nor one waiting behind it in the same commit.
func (e *Engine) claim(entries []Outgoing) []Outgoing {
	mine := entries[:0:0]
	for _, o := range entries {
		if _, busy := e.inflight.LoadOrStore(o.ID, true); !busy {
			mine = append(mine, o)
		}
	}
	return mine
}

func (e *Engine) unclaim(entries []Outgoing) {
	for _, o := range entries {
		e.inflight.Delete(o.ID)
	}
}

// Redeliver delivers the outbox entries that are due once. Run calls it.
func (e *Engine) Redeliver(ctx context.Context) {
	pending, err := e.cfg.Store.Pending(ctx, e.cfg.Clock.Now(), e.cfg.Lease, 100)
	if err != nil {
		if ctx.Err() == nil {
			e.log.Warn("outbox poll failed", "err", err)
		}
		return
	}
	pending = e.claim(pending)
	defer e.unclaim(pending)
	type lane struct {
		addr Address
		kind string
	}
	failed := map[lane]bool{}
	var done, refused []Outgoing
	for _, o := range pending {
		l := lane{o.Address, o.kind()}
		if failed[l] {
			continue // keep the order of one conversation's replies (or notes)
		}
		e.stats.redelivered.Add(1)
		err := e.send(ctx, o)
		switch {
		case errors.Is(err, ErrUndeliverable):
			if o.Reply != nil {
				refused = append(refused, o)
			}
		case err != nil:
			failed[l] = true
			continue
		}
		done = append(done, o)
	}
	if len(done) > 0 {
		if err := e.cfg.Store.Ack(ctx, done...); err != nil {
			e.log.Warn("outbox ack failed", "err", err)
		}
	}
	for _, o := range refused {
		n := Message{ID: "undeliverable:" + o.ID, Kind: KindUndeliverable, Address: o.Address, Text: o.Reply.Text}
		if err := e.Handle(ctx, n); err != nil {
			e.log.Warn("undeliverable reply not recorded", "addr", o.Address, "err", err)
		}
	}
}

// FireTimers hands the due timers to their conversations once. The store
// hands a timer out once; a timer whose handling fails (the store is
// down a moment) is kept here and tried again at the next tick. Its
// message ID makes a second handling a no-op. Then it tells the customers
// whose place in a queue changed (tellPlaces, handoff.go).
func (e *Engine) FireTimers(ctx context.Context) {
	e.timerMu.Lock()
	timers := e.retryTimers
	e.retryTimers = nil
	e.timerMu.Unlock()
	due, err := e.cfg.Store.DueTimers(ctx, e.cfg.Clock.Now(), 100)
	if err != nil && ctx.Err() == nil {
		e.log.Warn("timer poll failed", "err", err)
	}
	timers = append(timers, due...) // a store may return some with an error
	var failed []Timer
	for _, tm := range timers {
		m := Message{
			ID:   "timer:" + tm.ID + ":" + strconv.FormatInt(tm.Due.UnixNano(), 36),
			Kind: KindTimer, Address: tm.Address, Timer: &tm,
		}
		if err := e.Handle(ctx, m); err != nil {
			e.log.Warn("timer not handled; trying again", "addr", tm.Address, "timer", tm.ID, "err", err)
			failed = append(failed, tm)
		}
	}
	if len(failed) > 0 {
		e.timerMu.Lock()
		e.retryTimers = append(e.retryTimers, failed...)
		e.timerMu.Unlock()
	}
	e.tellPlaces(ctx)
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
	if err := ch.Send(ctx, Reply{Address: m.Address, Text: e.texts.Text(TextApology, lang)}); err != nil {
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

// sanitize makes text valid UTF-8 without control characters other than
// newlines and tabs, so no channel or page chokes on it.
func sanitize(text string) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, text)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
