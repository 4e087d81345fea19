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

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
)

var start = time.Date(2025, 3, 15, 10, 0, 0, 0, time.UTC)

type rig struct {
	engine *bot.Engine
	store  *memory.Store
	ch     *botfake.Channel
	desk   *botfake.Desk
	clock  *botfake.Clock
}

func newRig(t testing.TB, r bot.Responder, opts ...func(*bot.Config)) *rig {
	t.Helper()
	clock := botfake.NewClock(start)
	st := memory.NewStoreWith(memory.Options{Now: clock.Now, TranscriptLen: 100000})
	desk := &botfake.Desk{}
	cfg := bot.Config{Store: st, Responder: r, Desk: desk, Clock: clock, Lease: 30 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	e, err := bot.NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ch := &botfake.Channel{}
	e.SetChannel("test", ch)
	return &rig{engine: e, store: st, ch: ch, desk: desk, clock: clock}
}

var alice = bot.Address{Channel: "test", ChatID: "alice"}

// mustHandle handles m and waits for the desk notes and queue changes it
// handed to the background.
func (r *rig) mustHandle(t testing.TB, m bot.Message) {
	t.Helper()
	if err := r.engine.Handle(context.Background(), m); err != nil {
		t.Fatalf("Handle(%q): %v", m.Text, err)
	}
	r.flush(t)
}

// flush waits for the background deliveries, for up to 5 seconds.
func (r *rig) flush(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.engine.Flush(ctx); err != nil {
		t.Fatalf("the background deliveries did not finish: %v", err)
	}
}

// fire fires the due timers and waits for what they deliver.
func (r *rig) fire(t testing.TB) {
	t.Helper()
	r.engine.FireTimers(context.Background())
	r.flush(t)
}

func (r *rig) session(t testing.TB, a bot.Address) *bot.Session {
	t.Helper()
	s, err := r.store.Load(context.Background(), a, "")
	if err != nil || s == nil {
		t.Fatalf("session of %s: %v, %v", a, s, err)
	}
	return s
}

func (r *rig) transcript(t testing.TB, a bot.Address) []bot.Event {
	t.Helper()
	ev, err := r.store.Transcript(context.Background(), a, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestDuplicateMessageIsHandledOnce(t *testing.T) {
	r := newRig(t, botfake.Echo{})
	m := botfake.Message(alice, "m1", "hello")
	r.mustHandle(t, m)
	r.mustHandle(t, m) // the channel redelivers
	if got := r.ch.Texts(alice); len(got) != 1 || got[0] != "echo: hello" {
		t.Fatalf("replies = %q, want one echo", got)
	}
	if n := r.session(t, alice).Slots["n"]; n != "1" {
		t.Fatalf("the responder ran %s times, want 1", n)
	}
	if st := r.engine.Stats(); st.Duplicates != 1 || st.Handled != 1 {
		t.Fatalf("stats = %+v, want 1 handled and 1 duplicate", st)
	}
}

// noFlood lifts flood control: the clock of these tests stands still.
func noFlood(c *bot.Config) { c.FloodLimit = 1 << 30 }

func TestConcurrentSendersLoseNothingAndKeepOrder(t *testing.T) {
	r := newRig(t, botfake.Echo{}, noFlood)
	const senders, each = 100, 10
	var wg sync.WaitGroup
	for s := range senders {
		wg.Go(func() {
			for i := range each {
				m := botfake.Message(alice, fmt.Sprintf("s%d-%d", s, i), fmt.Sprintf("s%d-%d", s, i))
				if err := r.engine.Handle(context.Background(), m); err != nil {
					t.Errorf("Handle: %v", err)
				}
			}
		})
	}
	wg.Wait()
	sess := r.session(t, alice)
	if sess.Slots["n"] != strconv.Itoa(senders*each) {
		t.Fatalf("counter = %s, want %d: updates were lost", sess.Slots["n"], senders*each)
	}
	// Each sender's messages were handled in the order it sent them, and
	// the replies went out in the same order as the handling.
	handled := strings.Fields(sess.Slots["log"])
	checkPerSenderOrder(t, "handling", handled)
	var replied []string
	for _, txt := range r.ch.Texts(alice) {
		replied = append(replied, strings.TrimPrefix(txt, "echo: "))
	}
	if strings.Join(replied, " ") != strings.Join(handled, " ") {
		t.Fatal("replies were delivered in another order than the messages were handled")
	}
	var customer []string
	for _, e := range r.transcript(t, alice) {
		if e.Type == bot.EventCustomer {
			customer = append(customer, e.Text)
		}
	}
	if strings.Join(customer, " ") != strings.Join(handled, " ") {
		t.Fatal("the transcript order differs from the handling order")
	}
}

func checkPerSenderOrder(t *testing.T, what string, ids []string) {
	t.Helper()
	next := map[string]int{}
	for _, id := range ids {
		s, i, _ := strings.Cut(id, "-")
		n, _ := strconv.Atoi(i)
		if n != next[s] {
			t.Fatalf("%s: sender %s message %d came when %d was expected", what, s, n, next[s])
		}
		next[s]++
	}
}

func TestOtherConversationsAreNotHeldUp(t *testing.T) {
	slow := make(chan struct{})
	resp := bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
		if t.Message.Address == alice {
			<-slow
		}
		t.Say("ok")
		return nil
	})
	r := newRig(t, resp)
	done := make(chan error)
	go func() { done <- r.engine.Handle(context.Background(), botfake.Message(alice, "a1", "slow")) }()
	bob := bot.Address{Channel: "test", ChatID: "bob"}
	r.mustHandle(t, botfake.Message(bob, "b1", "fast")) // must not wait for alice
	close(slow)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestAFailedReplyIsTriedAgainOnceTheChannelIsBack(t *testing.T) {
	r := newRig(t, botfake.Echo{})
	var down atomic.Bool
	down.Store(true)
	r.ch.Fail = func(bot.Reply) error {
		if down.Load() {
			return errors.New("network is down")
		}
		return nil
	}
	if err := r.engine.Handle(context.Background(), botfake.Message(alice, "m1", "hello")); err != nil {
		t.Fatal(err) // committed, not delivered
	}
	if got := r.ch.Texts(alice); len(got) != 0 {
		t.Fatalf("delivered %q while the channel was down", got)
	}
	// The writer holds the entry's lease: its lane tries again, with
	// backoff, without waiting for the lease to run out.
	down.Store(false)
	r.flush(t)
	if got := r.ch.Texts(alice); len(got) != 1 || got[0] != "echo: hello" {
		t.Fatalf("once the channel is back, replies = %q; want the echo", got)
	}
	// Delivered and acknowledged: nothing is left to redeliver.
	r.clock.Advance(31 * time.Second)
	r.engine.Redeliver(context.Background())
	r.flush(t)
	if got := r.ch.Texts(alice); len(got) != 1 {
		t.Fatalf("after the lease, replies = %q; want the echo once", got)
	}
}

func TestAnotherReplicaDeliversAfterACrash(t *testing.T) {
	// Replica A commits and dies before delivering: from then on it sends
	// nothing. Replica B, on the same store, delivers after the lease.
	clock := botfake.NewClock(start)
	st := memory.NewStoreWith(memory.Options{Now: clock.Now})
	mk := func(ch bot.Channel) *bot.Engine {
		e, err := bot.NewEngine(bot.Config{Store: st, Responder: botfake.Echo{}, Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		e.SetChannel("test", ch)
		return e
	}
	dead := bot.ChannelFunc(func(ctx context.Context, r bot.Reply) error {
		return errors.New("the process died")
	})
	a := mk(dead)
	if err := a.Handle(context.Background(), botfake.Message(alice, "m1", "hi")); err != nil {
		t.Fatalf("Handle: %v (the message was committed before the crash)", err)
	}
	got := &botfake.Channel{}
	b := mk(got)
	clock.Advance(31 * time.Second)
	b.Redeliver(context.Background())
	if txt := got.Texts(alice); len(txt) != 1 || txt[0] != "echo: hi" {
		t.Fatalf("replica B delivered %q, want the echo", txt)
	}
	// The redelivered message itself is not handled again.
	if err := b.Handle(context.Background(), botfake.Message(alice, "m1", "hi")); err != nil {
		t.Fatal(err)
	}
	if len(got.Texts(alice)) != 1 {
		t.Fatal("the message was handled twice")
	}
}

func TestInternalErrorGetsAnApology(t *testing.T) {
	tests := []struct {
		name string
		resp bot.ResponderFunc
	}{
		{"error", func(ctx context.Context, t *bot.Turn) error {
			t.Session.SetSlot("half", "written")
			t.Say("half an answer")
			return errors.New("flow broken")
		}},
		{"panic", func(ctx context.Context, t *bot.Turn) error { panic("nil map") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.resp)
			m := botfake.Message(alice, "m1", "il mio telefono non va")
			m.Sender.Language = "it-IT"
			r.mustHandle(t, m)
			got := r.ch.Texts(alice)
			if len(got) != 1 || !strings.HasPrefix(got[0], "Mi dispiace") {
				t.Fatalf("replies = %q, want one apology in Italian", got)
			}
			s := r.session(t, alice)
			if s.Slots["half"] != "" {
				t.Fatal("the failed turn's changes were committed")
			}
			var sawError bool
			for _, e := range r.transcript(t, alice) {
				sawError = sawError || e.Type == bot.EventError
			}
			if !sawError {
				t.Fatal("the error is not in the transcript")
			}
			if r.engine.Stats().Errors != 1 {
				t.Fatalf("errors counted: %d", r.engine.Stats().Errors)
			}
		})
	}
}

// TestAFailedTurnLeavesTheSessionAsLoaded: a responder that changes the
// session in place (its slots, bookkeeping, stack) and then fails leaves
// the session as it was before the message, apart from the engine's own
// bookkeeping of the message.
func TestAFailedTurnLeavesTheSessionAsLoaded(t *testing.T) {
	fail := false
	r := newRig(t, bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
		s := t.Session
		if !fail {
			s.Flow, s.Step = "warranty", "ask_date"
			s.SetSlot("product", "pixel-8")
			s.SetVar("asked", "1")
			s.Stack = append(s.Stack, bot.Frame{Flow: "sales", Step: "budget", Slots: map[string]string{"budget": "300"}})
			t.Say("when did you buy it?")
			return nil
		}
		s.Flow, s.Step = "sales", "other"
		s.SetSlot("product", "changed")
		s.SetSlot("half", "written")
		s.SetVar("asked", "")
		s.Stack[0].Slots["budget"] = "changed"
		s.Stack = append(s.Stack, bot.Frame{Flow: "more"})
		t.Say("half an answer")
		return errors.New("flow broken")
	}))
	r.mustHandle(t, botfake.Message(alice, "m1", "my pixel 8 is dead"))
	fail = true
	r.mustHandle(t, botfake.Message(alice, "m2", "last spring"))
	s := r.session(t, alice)
	if s.Flow != "warranty" || s.Step != "ask_date" || len(s.Slots) != 1 || s.Slots["product"] != "pixel-8" ||
		s.Vars["asked"] != "1" || len(s.Stack) != 1 || s.Stack[0].Slots["budget"] != "300" {
		t.Fatalf("the failed turn's changes were committed: %+v", s)
	}
	if s.RateCount != 2 || len(s.Recent) != 2 || s.Recent[1] != "last spring" || s.Version != 2 {
		t.Fatalf("the engine's bookkeeping of the message was lost: %+v", s)
	}
	if got := r.ch.Texts(alice); len(got) != 2 || !strings.HasPrefix(got[1], "Sorry") {
		t.Fatalf("replies = %q, want the question, then the apology", got)
	}
}

// loadOnceStore fails every Load after the first, as a store that goes
// down while a message is handled.
type loadOnceStore struct {
	bot.Store
	loads atomic.Int32
}

func (s *loadOnceStore) Load(ctx context.Context, a bot.Address, id string) (*bot.Session, error) {
	if s.loads.Add(1) > 1 {
		return nil, errors.New("connection refused")
	}
	return s.Store.Load(ctx, a, id)
}

// TestAStoreDownAfterAFailedTurnCommitsNothing: when the session cannot
// be loaded again to undo a failed turn, nothing is committed, the
// customer gets the apology, and Handle fails, so the channel sends the
// message again.
func TestAStoreDownAfterAFailedTurnCommitsNothing(t *testing.T) {
	ch := &botfake.Channel{}
	st := memory.NewStore()
	e, _ := bot.NewEngine(bot.Config{Store: &loadOnceStore{Store: st}, Responder: bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
		t.Session.SetSlot("half", "written")
		return errors.New("flow broken")
	})})
	e.SetChannel("test", ch)
	if err := e.Handle(context.Background(), botfake.Message(alice, "m1", "hello")); err == nil {
		t.Fatal("Handle succeeded though the turn could not be undone")
	}
	if s, _ := st.Load(context.Background(), alice, ""); s != nil {
		t.Fatalf("a session was committed: %+v", s)
	}
	if got := ch.Texts(alice); len(got) != 1 || !strings.HasPrefix(got[0], "Sorry") {
		t.Fatalf("replies = %q, want the apology", got)
	}
}

// failingStore fails every call, as a store that is down.
type failingStore struct{ bot.Store }

func (failingStore) Load(context.Context, bot.Address, string) (*bot.Session, error) {
	return nil, errors.New("connection refused")
}

func TestStoreDownGetsAnApologyAndAnError(t *testing.T) {
	ch := &botfake.Channel{}
	e, _ := bot.NewEngine(bot.Config{Store: failingStore{}, Responder: botfake.Echo{}})
	e.SetChannel("test", ch)
	err := e.Handle(context.Background(), botfake.Message(alice, "m1", "hello"))
	if err == nil {
		t.Fatal("Handle succeeded with the store down: the channel would drop the message")
	}
	if got := ch.Texts(alice); len(got) != 1 || !strings.HasPrefix(got[0], "Sorry") {
		t.Fatalf("replies = %q, want the apology", got)
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name    string
		msg     bot.Message
		want    string // prefix of the one reply
		handled bool   // the responder saw it
	}{
		{"empty", botfake.Message(alice, "m", "   "), "I didn't receive any text", false},
		{"too long", botfake.Message(alice, "m", strings.Repeat("a", bot.MaxTextLen+1)), "That message is too long", false},
		{"longest allowed", botfake.Message(alice, "m", strings.Repeat("è", bot.MaxTextLen)), "echo: ", true},
		{"invalid UTF-8", botfake.Message(alice, "m", "ciao \xff\xfe mondo\x00"), "echo: ciao \uFFFD mondo", true},
		{"attachment only", bot.Message{ID: "m", Address: alice, Attachments: []bot.Attachment{{Kind: "photo", FileID: "F"}}}, "echo: ", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, botfake.Echo{})
			r.mustHandle(t, tt.msg)
			got := r.ch.Texts(alice)
			if len(got) != 1 || !strings.HasPrefix(got[0], tt.want) {
				t.Fatalf("replies = %q, want one starting %q", got, tt.want)
			}
			if handled := r.session(t, alice).Slots["n"] == "1"; handled != tt.handled {
				t.Fatalf("responder ran: %v, want %v", handled, tt.handled)
			}
			tr := r.transcript(t, alice)
			if len(tr) == 0 || tr[0].Type != bot.EventCustomer {
				t.Fatal("the customer's message is not in the transcript")
			}
		})
	}
}

func TestFloodIsRefusedPolitelyAndRecorded(t *testing.T) {
	r := newRig(t, botfake.Echo{})
	for i := range 30 {
		r.mustHandle(t, botfake.Message(alice, "m"+strconv.Itoa(i), "spam"))
	}
	got := r.ch.Texts(alice)
	if len(got) != 21 || !strings.HasPrefix(got[20], "You're writing faster") {
		t.Fatalf("got %d replies, last %q; want 20 echoes and one polite refusal", len(got), got[len(got)-1])
	}
	var customer int
	for _, e := range r.transcript(t, alice) {
		if e.Type == bot.EventCustomer {
			customer++
		}
	}
	if customer != 30 {
		t.Fatalf("%d of 30 messages in the transcript: the flood lost messages", customer)
	}
	r.clock.Advance(11 * time.Second)
	r.ch.Reset()
	r.mustHandle(t, botfake.Message(alice, "later", "calm"))
	if got := r.ch.Texts(alice); len(got) != 1 || got[0] != "echo: calm" {
		t.Fatalf("after the window: %q", got)
	}
}

// handoffResponder hands off on "agent" and echoes otherwise.
var handoffResponder = bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
	if t.Message.Text == "agent" {
		t.Session.Language = "en"
		t.Say("Let me get a colleague.")
		t.HandOff(bot.Case{Team: "sales", TeamName: "Sales", Intent: "buy", Summary: []string{"Product: laptop"}})
		return nil
	}
	t.Say("echo: " + t.Message.Text)
	return nil
})

func TestHandoffClaimReplyResolveRate(t *testing.T) {
	r := newRig(t, handoffResponder)
	r.mustHandle(t, botfake.Message(alice, "m1", "I want two laptops"))
	r.mustHandle(t, botfake.Message(alice, "m2", "agent"))
	s := r.session(t, alice)
	if s.Mode != bot.ModeQueued || s.Case == nil || s.Case.Team != "sales" {
		t.Fatalf("after the handoff: mode %s case %+v", s.Mode, s.Case)
	}
	if last := s.Case.Last; len(last) != 2 || last[0] != "I want two laptops" {
		t.Fatalf("case last messages = %q", last)
	}
	notes := r.desk.Notes()
	if len(notes) != 1 || notes[0].Kind != bot.DeskOpened || notes[0].Case.Summary[0] != "Product: laptop" {
		t.Fatalf("desk notes = %+v, want the opened case with its summary", notes)
	}

	// While queued, the bot keeps quiet and the desk gets the messages.
	r.ch.Reset()
	r.mustHandle(t, botfake.Message(alice, "m3", "are you there?"))
	if got := r.ch.Texts(alice); len(got) != 0 {
		t.Fatalf("the bot answered while queued: %q", got)
	}
	if n := r.desk.Notes(); n[len(n)-1].Kind != bot.DeskMessage || n[len(n)-1].Text != "are you there?" {
		t.Fatalf("desk did not get the message: %+v", n[len(n)-1])
	}

	agent := func(id, action, name, text string) bot.Message {
		return bot.Message{ID: id, Kind: bot.KindAgent, Address: alice,
			Agent: &bot.AgentAction{Action: action, ID: "U" + name, Name: name, Text: text}}
	}
	r.mustHandle(t, agent("a1", "claim", "Marco", ""))
	r.mustHandle(t, agent("a2", "claim", "Giulia", "")) // too late
	if s := r.session(t, alice); s.Mode != bot.ModeAgent || s.Case.AgentName != "Marco" {
		t.Fatalf("after two claims: mode %s agent %q, want Marco", s.Mode, s.Case.AgentName)
	}
	r.mustHandle(t, agent("a3", "reply", "Giulia", "I'm not on this case"))
	r.mustHandle(t, agent("a4", "reply", "Marco", "Hi, which model?"))
	r.mustHandle(t, agent("a5", "resolve", "Marco", ""))
	replies := r.ch.Replies()
	var lines []string
	for _, rp := range replies {
		lines = append(lines, rp.From+"|"+rp.Text)
	}
	want := []string{"|Marco joined the conversation.", "Marco|Hi, which model?",
		"|The conversation with our agent is closed. It's me, the bot, again.",
		"|How would you rate the help you got, from 1 (poor) to 5 (excellent)?"}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("customer saw:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	csat := replies[len(replies)-1].Buttons
	if len(csat) != 5 {
		t.Fatalf("CSAT buttons = %+v", csat)
	}
	r.mustHandle(t, bot.Message{ID: "m4", Address: alice, Text: csat[4].Title, Payload: csat[4].Payload})
	var score int
	for _, e := range r.transcript(t, alice) {
		if e.Type == bot.EventCSAT {
			score = e.Score
		}
	}
	if score != 5 || r.session(t, alice).Mode != bot.ModeBot {
		t.Fatalf("CSAT score %d, mode %s", score, r.session(t, alice).Mode)
	}
}

func TestCustomerLeavesTheQueue(t *testing.T) {
	r := newRig(t, handoffResponder)
	r.mustHandle(t, botfake.Message(alice, "m1", "agent"))
	queued := r.ch.Replies()
	leave := queued[len(queued)-1].Buttons[0]
	if leave.Payload != bot.PayloadLeaveAsk {
		t.Fatalf("queued reply buttons = %+v, want a way back to the bot", queued[len(queued)-1].Buttons)
	}
	r.mustHandle(t, bot.Message{ID: "m2", Address: alice, Text: leave.Title, Payload: leave.Payload})
	r.mustHandle(t, bot.Message{ID: "m2b", Address: alice, Text: "Yes, close it", Payload: bot.PayloadLeaveQueue})
	r.mustHandle(t, botfake.Message(alice, "m3", "hello again"))
	got := r.ch.Texts(alice)
	if got[len(got)-1] != "echo: hello again" || r.session(t, alice).Case != nil {
		t.Fatalf("after leaving the queue the bot should answer: %q", got)
	}
}

func TestTimerFiresOnceThroughTheConversation(t *testing.T) {
	resp := bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
		t.SetTimer(bot.Timer{ID: "remind", Kind: "reminder", Due: t.Message.Time.Add(time.Minute)})
		return nil
	})
	r := newRig(t, resp)
	r.mustHandle(t, botfake.Message(alice, "m1", "hi"))
	r.fire(t)
	r.clock.Advance(time.Minute)
	r.fire(t)
	r.fire(t)
	var fired int
	for _, e := range r.transcript(t, alice) {
		if e.Type == bot.EventTimeout {
			fired++
		}
	}
	if fired != 1 {
		t.Fatalf("timer fired %d times, want 1", fired)
	}
}

// greeter answers every message the same: the benchmarks measure the
// engine and the store, not a responder.
var greeter = bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
	t.Session.SetSlot("seen", "yes")
	t.Say("Hello! How can I help?")
	return nil
})

func BenchmarkHandle(b *testing.B) {
	r := newRig(b, greeter, noFlood)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a := bot.Address{Channel: "test", ChatID: strconv.Itoa(i % 1000)}
		if err := r.engine.Handle(ctx, botfake.Message(a, strconv.Itoa(i), "hello")); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkHandleParallel(b *testing.B) {
	r := newRig(b, greeter, noFlood)
	ctx := context.Background()
	b.ReportAllocs()
	var mu sync.Mutex
	n := 0
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			mu.Lock()
			n++
			i := n
			mu.Unlock()
			a := bot.Address{Channel: "test", ChatID: strconv.Itoa(i % 1000)}
			if err := r.engine.Handle(ctx, botfake.Message(a, strconv.Itoa(i), "hello")); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestBlockedCustomerIsRecordedAndNotRetried(t *testing.T) {
	r := newRig(t, botfake.Echo{})
	blocked := true
	r.ch.Fail = func(bot.Reply) error {
		if blocked {
			return fmt.Errorf("telegram: 403 Forbidden: bot was blocked by the user: %w", bot.ErrUndeliverable)
		}
		return nil
	}
	r.mustHandle(t, botfake.Message(alice, "m1", "hello"))
	s := r.session(t, alice)
	if !s.Blocked {
		t.Fatal("the session does not say the customer blocked the bot")
	}
	var recorded bool
	for _, e := range r.transcript(t, alice) {
		recorded = recorded || (e.Type == bot.EventUndeliverable && e.Text == "echo: hello")
	}
	if !recorded {
		t.Fatal("the refused reply is not in the transcript")
	}
	r.clock.Advance(time.Hour)
	r.engine.Redeliver(context.Background())
	if st := r.engine.Stats(); st.Redelivered != 0 {
		t.Fatalf("a refused reply was retried: %+v", st)
	}
	// The customer unblocks and writes again.
	blocked = false
	r.mustHandle(t, botfake.Message(alice, "m2", "back"))
	if r.session(t, alice).Blocked {
		t.Fatal("still blocked after the customer wrote again")
	}
}

func TestVoiceAndStickersGetAPoliteReply(t *testing.T) {
	r := newRig(t, botfake.Echo{})
	m := bot.Message{ID: "v1", Address: alice, Sender: bot.Sender{Language: "it"},
		Attachments: []bot.Attachment{{Kind: "voice", FileID: "AwAD"}}}
	r.mustHandle(t, m)
	if got := r.ch.Texts(alice); len(got) != 1 || !strings.Contains(got[0], "messaggi vocali") {
		t.Fatalf("replies = %q, want the Italian 'I can only read text'", got)
	}
	tr := r.transcript(t, alice)
	if tr[0].Type != bot.EventCustomer || len(tr[0].Attachments) != 1 || tr[0].Attachments[0].Kind != "voice" {
		t.Fatalf("the voice message is not recorded: %+v", tr[0])
	}
}

func TestASlowDeliveryIsNotDuplicatedByRedeliver(t *testing.T) {
	release := make(chan struct{})
	var sends sync.WaitGroup
	var mu sync.Mutex
	count := 0
	r := newRig(t, botfake.Echo{})
	r.ch.Fail = func(bot.Reply) error {
		mu.Lock()
		count++
		mu.Unlock()
		<-release // the channel is slow: longer than the lease
		return nil
	}
	sends.Go(func() { r.mustHandle(t, botfake.Message(alice, "m1", "hello")) })
	time.Sleep(50 * time.Millisecond)
	r.clock.Advance(time.Minute) // the lease runs out while sending
	done := make(chan struct{})
	go func() { r.engine.Redeliver(context.Background()); close(done) }()
	<-done
	close(release)
	sends.Wait()
	if count != 1 {
		t.Fatalf("the reply was sent %d times, want once", count)
	}
}

// flakyStore fails Load while down is set, as a store that is restarting.
type flakyStore struct {
	*memory.Store
	down atomic.Bool
}

func (f *flakyStore) Load(ctx context.Context, a bot.Address, id string) (*bot.Session, error) {
	if f.down.Load() {
		return nil, errors.New("connection refused")
	}
	return f.Store.Load(ctx, a, id)
}

func TestATimerIsNotLostWhenTheStoreBlinks(t *testing.T) {
	clock := botfake.NewClock(start)
	st := &flakyStore{Store: memory.NewStoreWith(memory.Options{Now: clock.Now})}
	resp := bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
		t.SetTimer(bot.Timer{ID: "remind", Kind: "reminder", Due: t.Message.Time.Add(time.Minute)})
		return nil
	})
	e, _ := bot.NewEngine(bot.Config{Store: st, Responder: resp, Clock: clock})
	e.SetChannel("test", &botfake.Channel{})
	if err := e.Handle(context.Background(), botfake.Message(alice, "m1", "hi")); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	st.down.Store(true)
	e.FireTimers(context.Background()) // the store hands the timer out, handling fails
	st.down.Store(false)
	e.FireTimers(context.Background())
	tr, _ := st.Transcript(context.Background(), alice, 100)
	var fired int
	for _, ev := range tr {
		if ev.Type == bot.EventTimeout {
			fired++
		}
	}
	if fired != 1 {
		t.Fatalf("the timer fired %d times after the blink, want once", fired)
	}
}

func TestOneApologyPerMessageWhileTheStoreIsDown(t *testing.T) {
	ch := &botfake.Channel{}
	e, _ := bot.NewEngine(bot.Config{Store: failingStore{}, Responder: botfake.Echo{}})
	e.SetChannel("test", ch)
	for range 5 { // the channel retries the same message
		_ = e.Handle(context.Background(), botfake.Message(alice, "m1", "hello"))
	}
	if got := ch.Texts(alice); len(got) != 1 {
		t.Fatalf("the customer got %d apologies for one message, want 1", len(got))
	}
}
