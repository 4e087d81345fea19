package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v5"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
)

// hangingDesk is a desk that, while it hangs, takes every note and never
// answers (until the caller's deadline), as a Slack that accepts
// connections and says nothing.
type hangingDesk struct {
	hang    atomic.Bool
	mu      sync.Mutex
	notes   []bot.DeskNote
	active  int // Posts in progress
	maxSeen int
}

func (d *hangingDesk) Post(ctx context.Context, n bot.DeskNote) error {
	d.mu.Lock()
	d.active++
	d.maxSeen = max(d.maxSeen, d.active)
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		d.active--
		d.mu.Unlock()
	}()
	for d.hang.Load() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.notes = append(d.notes, n)
	return nil
}

// texts returns the kinds and texts of the notes of addr, in order.
func (d *hangingDesk) texts(addr bot.Address) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for _, n := range d.notes {
		if n.Case.Address == addr {
			out = append(out, string(n.Kind)+":"+n.Text)
		}
	}
	return out
}

func (d *hangingDesk) concurrency() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.maxSeen
}

// within fails the test unless do returns within d.
func within(t *testing.T, d time.Duration, what string, do func()) {
	t.Helper()
	done := make(chan struct{})
	began := time.Now()
	go func() { defer close(done); do() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s took longer than %s", what, d)
	}
	if took := time.Since(began); took > d {
		t.Fatalf("%s took %s, more than %s", what, took, d)
	}
}

// eventually polls cond for up to 5 seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// run runs the engine's Run until the test ends.
func (r *rig) run(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); r.engine.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("Run did not return within 5 s of its context's end")
		}
	})
}

func handle(t *testing.T, r *rig, m bot.Message) {
	t.Helper()
	if err := r.engine.Handle(context.Background(), m); err != nil {
		t.Errorf("Handle(%q): %v", m.Text, err)
	}
}

func TestAHangingDeskDelaysNeitherTheCustomerNorTheTimers(t *testing.T) {
	desk := &hangingDesk{}
	desk.hang.Store(true)
	r := newRig(t, handoffResponder, withTeams, func(c *bot.Config) {
		c.Desk = desk
		c.Poll = 10 * time.Millisecond
		c.SendTimeout = 200 * time.Millisecond
	})
	r.clock.Advance(48 * time.Hour) // Monday 10:00: sales works
	r.run(t)

	// The handoff: the customer hears their place at once, while the desk
	// holds the new case's card.
	within(t, time.Second, "the handoff", func() { handle(t, r, botfake.Message(alice, "m1", "agent")) })
	if got := lastText(r, alice); !strings.Contains(got, "number 1") {
		t.Fatalf("the customer was told %q, want their place in the queue", got)
	}
	for i, text := range []string{"are you there?", "hello?", "my order is 1234"} {
		within(t, time.Second, "a message to the desk", func() {
			handle(t, r, botfake.Message(alice, "w"+string(rune('0'+i)), text))
		})
	}
	// The sales team's timeout fires on time, the desk still hanging.
	r.clock.Advance(6 * time.Minute)
	eventually(t, "the timeout to reach the customer", func() bool {
		return strings.Contains(lastText(r, alice), "everyone on our Sales team is busy")
	})
	within(t, time.Second, "the customer's contact", func() {
		handle(t, r, botfake.Message(alice, "c1", "call me at +39 333 123 4567"))
	})
	if got := lastText(r, alice); !strings.Contains(got, "+39 333 123 4567") {
		t.Fatalf("contact answer = %q", got)
	}
	if got := desk.texts(alice); len(got) != 0 {
		t.Fatalf("the hanging desk took %q", got)
	}

	// The note in hand times out, and is tried again.
	eventually(t, "a send to the desk to time out", func() bool { return r.engine.Stats().DeliveryFailures > 0 })

	// Slack answers again: the desk gets every note, in order.
	desk.hang.Store(false)
	want := []string{"opened:", "message:are you there?", "message:hello?", "message:my order is 1234", "timed_out:", "updated:contact"}
	eventually(t, "the desk to catch up", func() bool { return len(desk.texts(alice)) >= len(want) })
	if got := desk.texts(alice); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("the desk got\n%q\nwant\n%q", got, want)
	}
}

// hangingChannel hangs for the addresses in hang until the caller's
// deadline, and records what it delivers.
type hangingChannel struct {
	botfake.Channel
	mu   sync.Mutex
	hang map[bot.Address]bool
}

func (c *hangingChannel) hangs(a bot.Address, on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hang == nil {
		c.hang = map[bot.Address]bool{}
	}
	c.hang[a] = on
}

func (c *hangingChannel) Send(ctx context.Context, r bot.Reply) error {
	c.mu.Lock()
	hang := c.hang[r.Address]
	c.mu.Unlock()
	if hang {
		<-ctx.Done()
		return ctx.Err()
	}
	return c.Channel.Send(ctx, r)
}

func TestAHangingChannelDelaysOnlyItsOwnConversation(t *testing.T) {
	resp := bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
		t.Say("echo: " + t.Message.Text)
		t.SetTimer(bot.Timer{ID: "remind", Kind: "reminder", Due: t.Message.Time.Add(time.Minute)})
		return nil
	})
	ch := &hangingChannel{}
	r := newRig(t, resp, noFlood, func(c *bot.Config) {
		c.Poll = 10 * time.Millisecond
		c.SendTimeout = 300 * time.Millisecond
	})
	r.engine.SetChannel("test", ch)
	bob := bot.Address{Channel: "test", ChatID: "bob"}
	ch.hangs(alice, true)

	// Alice's reply has a deadline: Handle returns, the reply waits.
	within(t, time.Second, "a message whose reply hangs", func() { handle(t, r, botfake.Message(alice, "a1", "hi")) })
	r.run(t)
	// Bob's replies do not wait for Alice's, inline or redelivered.
	for i := range 10 {
		id := "b" + string(rune('0'+i))
		within(t, 100*time.Millisecond, "a reply to another conversation", func() {
			handle(t, r, botfake.Message(bob, id, id))
		})
		if got := ch.Texts(bob); len(got) != i+1 {
			t.Fatalf("bob got %q after %d messages", got, i+1)
		}
	}
	// Their timers fire at once; Bob's is handled while Alice's hangs in
	// its reply.
	r.clock.Advance(time.Minute)
	eventually(t, "bob's timer", func() bool {
		for _, e := range r.transcript(t, bob) {
			if e.Type == bot.EventTimeout {
				return true
			}
		}
		return false
	})
	if got := ch.Texts(alice); len(got) != 0 {
		t.Fatalf("alice got %q through a hanging channel", got)
	}
	// The channel is back for Alice: she gets her reply, once.
	ch.hangs(alice, false)
	eventually(t, "alice's reply", func() bool { return len(ch.Texts(alice)) > 0 })
	r.flush(t)
	if got := ch.Texts(alice); len(got) != 1 || got[0] != "echo: hi" {
		t.Fatalf("alice got %q, want her echo once", got)
	}
}

func TestDeliveriesToAHangingDeskAreBounded(t *testing.T) {
	desk := &hangingDesk{}
	desk.hang.Store(true)
	r := newRig(t, handoffResponder, func(c *bot.Config) {
		c.Desk = desk
		c.Workers = 3
		c.SendTimeout = 100 * time.Millisecond
	})
	for i := range 20 {
		a := bot.Address{Channel: "test", ChatID: "c" + string(rune('a'+i))}
		within(t, time.Second, "a handoff", func() { handle(t, r, botfake.Message(a, "m", "agent")) })
	}
	time.Sleep(300 * time.Millisecond)
	desk.hang.Store(false)
	r.flush(t)
	if n := desk.concurrency(); n > 3 {
		t.Fatalf("%d notes were posted at once, want at most the 3 workers", n)
	}
	for i := range 20 {
		a := bot.Address{Channel: "test", ChatID: "c" + string(rune('a'+i))}
		if got := desk.texts(a); len(got) != 1 || got[0] != "opened:" {
			t.Fatalf("%s: the desk got %q, want the case once", a, got)
		}
	}
}

// failingDesk fails every note while down, and records the others.
type failingDesk struct {
	down atomic.Bool
	botfake.Desk
}

func (d *failingDesk) Post(ctx context.Context, n bot.DeskNote) error {
	if d.down.Load() {
		return errors.New("slack: connection refused")
	}
	return d.Desk.Post(ctx, n)
}

func TestANoteIsNotSentPastItsLease(t *testing.T) {
	// Replica A's desk fails past the note's lease; replica B takes the
	// note from the store and delivers it. When A's desk is back, A must
	// not send it a second time.
	clock := botfake.NewClock(start)
	st := memory.NewStoreWith(memory.Options{Now: clock.Now})
	mk := func(d bot.Desk) *bot.Engine {
		e, err := bot.NewEngine(bot.Config{Store: st, Responder: handoffResponder, Clock: clock, Desk: d,
			SendTimeout: time.Second, Lease: 30 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		e.SetChannel("test", &botfake.Channel{})
		return e
	}
	deskA := &failingDesk{}
	deskA.down.Store(true)
	a := mk(deskA)
	if err := a.Handle(context.Background(), botfake.Message(alice, "m1", "agent")); err != nil {
		t.Fatal(err)
	}
	clock.Advance(31 * time.Second)
	deskB := &botfake.Desk{}
	b := mk(deskB)
	b.Redeliver(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := deskB.Notes(); len(n) != 1 || n[0].Kind != bot.DeskOpened {
		t.Fatalf("replica B posted %+v, want the opened case", n)
	}
	deskA.down.Store(false)
	time.Sleep(6 * 200 * time.Millisecond) // A's lane wakes up a few times
	if n := deskA.Notes(); len(n) != 0 {
		t.Fatalf("replica A posted %+v after its lease ran out", n)
	}
}

func TestALaneWaitsAsLongAsItsDestinationAsks(t *testing.T) {
	var calls []time.Time
	var mu sync.Mutex
	r := newRig(t, botfake.Echo{})
	r.ch.Fail = func(bot.Reply) error {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, time.Now())
		if len(calls) == 1 {
			// As a Telegram 429 with retry_after 1 unwraps.
			return fmt.Errorf("telegram: sendMessage: 429 Too Many Requests: %w", &backoff.RetryAfterError{Duration: time.Second})
		}
		return nil
	}
	handle(t, r, botfake.Message(alice, "m1", "hello"))
	r.flush(t)
	mu.Lock()
	defer mu.Unlock()
	if len(calls) != 2 {
		t.Fatalf("%d sends, want 2", len(calls))
	}
	if gap := calls[1].Sub(calls[0]); gap < 950*time.Millisecond {
		t.Fatalf("tried again after %s, want the second the channel asked for", gap)
	}
	if got := r.ch.Texts(alice); len(got) != 1 {
		t.Fatalf("replies = %q, want the echo once", got)
	}
}

// BenchmarkHandleWhileTheDeskHangs measures customers' messages in a
// handoff while every note to the desk hangs: Handle must not wait on it.
func BenchmarkHandleWhileTheDeskHangs(b *testing.B) {
	desk := &hangingDesk{}
	desk.hang.Store(true)
	r := newRig(b, handoffResponder, noFlood, func(c *bot.Config) { c.Desk = desk })
	ctx := context.Background()
	const convs = 1000
	for i := range convs {
		a := bot.Address{Channel: "test", ChatID: strconv.Itoa(i)}
		if err := r.engine.Handle(ctx, botfake.Message(a, "h", "agent")); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a := bot.Address{Channel: "test", ChatID: strconv.Itoa(i % convs)}
		if err := r.engine.Handle(ctx, botfake.Message(a, strconv.Itoa(i), "are you there?")); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.StopTimer()
	desk.hang.Store(false)
}

// slowAckStore holds every Ack until let is closed, as a store whose
// acknowledgement is on its way.
type slowAckStore struct {
	*memory.Store
	acking chan struct{} // closed at the first Ack
	once   sync.Once
	let    chan struct{}
}

func (s *slowAckStore) Ack(ctx context.Context, entries ...bot.Outgoing) error {
	s.once.Do(func() { close(s.acking) })
	<-s.let
	return s.Store.Ack(ctx, entries...)
}

func TestFlushWaitsForTheAcknowledgementOfAReplySentInline(t *testing.T) {
	// A reply Handle sends itself is let go before it is acknowledged; a
	// Flush (a shutdown) that returned then would leave it in the store
	// unacknowledged, and the next replica would send it again.
	st := &slowAckStore{Store: memory.NewStore(), acking: make(chan struct{}), let: make(chan struct{})}
	e, err := bot.NewEngine(bot.Config{Store: st, Responder: botfake.Echo{}, SendTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ch := &botfake.Channel{}
	e.SetChannel("test", ch)
	handled := make(chan error, 1)
	go func() { handled <- e.Handle(context.Background(), botfake.Message(alice, "m1", "hello")) }()
	select {
	case <-st.acking:
	case <-time.After(5 * time.Second):
		t.Fatal("the reply was never acknowledged")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := e.Flush(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Flush returned %v while the reply's acknowledgement was on its way, want it to wait", err)
	}
	close(st.let)
	ctx2, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	if err := e.Flush(ctx2); err != nil {
		t.Fatalf("Flush after the acknowledgement: %v", err)
	}
	if err := <-handled; err != nil {
		t.Fatal(err)
	}
	if n := len(ch.Replies()); n != 1 {
		t.Fatalf("%d replies sent, want 1", n)
	}
}

// panickyChannel panics on the first n sends, then delivers.
type panickyChannel struct {
	botfake.Channel
	left atomic.Int32
}

func (c *panickyChannel) Send(ctx context.Context, r bot.Reply) error {
	if c.left.Add(-1) >= 0 {
		panic("the adapter has a bug")
	}
	return c.Channel.Send(ctx, r)
}

// A channel adapter that panics on a send fails that attempt as an error
// would: the process goes on, the reply comes after its backoff, and the
// conversation's next replies are not stuck behind it.
func TestAPanickingChannelFailsTheAttemptNotTheConversation(t *testing.T) {
	resp := bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
		t.Say("echo: " + t.Message.Text)
		return nil
	})
	ch := &panickyChannel{}
	ch.left.Store(2)
	r := newRig(t, resp, noFlood, func(c *bot.Config) { c.Poll = 10 * time.Millisecond })
	r.engine.SetChannel("test", ch)
	r.run(t)
	handle(t, r, botfake.Message(alice, "p1", "one"))
	handle(t, r, botfake.Message(alice, "p2", "two"))
	eventually(t, "both replies, after the panics", func() bool { return len(ch.Texts(alice)) == 2 })
	r.flush(t)
	if got := ch.Texts(alice); strings.Join(got, "|") != "echo: one|echo: two" {
		t.Fatalf("alice got %q, want both echoes once, in order", got)
	}
	if n := r.engine.Stats().DeliveryFailures; n < 2 {
		t.Errorf("DeliveryFailures = %d, want the two panics counted", n)
	}
}

// When not even the commit works, the apology goes straight to the
// channel: a channel that panics there fails that apology, it does not
// take the caller's goroutine (a poller, the whole process) down with it.
func TestAPanickingChannelFailsTheDirectApologyNotTheCaller(t *testing.T) {
	ch := &panickyChannel{}
	ch.left.Store(1)
	e, _ := bot.NewEngine(bot.Config{Store: failingStore{}, Responder: botfake.Echo{}})
	e.SetChannel("test", ch)
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("Handle panicked with the store down: %v", r)
			}
		}()
		if err := e.Handle(context.Background(), botfake.Message(alice, "m1", "hello")); err == nil {
			t.Error("Handle with the store down = nil, want its error")
		}
	}()
}
