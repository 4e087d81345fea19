// Package bottest holds what tests of Sportello share: the conformance
// suite every bot.Store passes, and fakes of the ports (channel, clock).
package bottest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
)

// StoreSuite runs the store contract against fresh stores made by
// newStore. Every implementation of bot.Store calls it from its tests:
//
//	func TestConformance(t *testing.T) {
//		bottest.StoreSuite(t, func(t *testing.T) bot.Store { return memory.NewStore() })
//	}
//
// newStore is called once per subtest and must return an empty store.
func StoreSuite(t *testing.T, newStore func(t *testing.T) bot.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s bot.Store)
	}{
		{"LoadUnknown", testLoadUnknown},
		{"CommitAndLoad", testCommitAndLoad},
		{"RoundTripEveryField", testRoundTrip},
		{"StaleVersionConflicts", testStaleVersion},
		{"DuplicateMessage", testDuplicate},
		{"ConversationsAreIndependent", testIndependent},
		{"LoadedSessionIsACopy", testCopy},
		{"TranscriptInOrder", testTranscript},
		{"OutboxLeaseAndAck", testOutbox},
		{"OutboxLeasedOnce", testOutboxLeasedOnce},
		{"Timers", testTimers},
		{"TimersFireOnce", testTimersOnce},
		{"ConcurrentUpdatesLoseNothing", testConcurrentUpdates},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newStore(t))
		})
	}
	t.Run("Leases", func(t *testing.T) {
		l, ok := newStore(t).(bot.Leaser)
		if !ok {
			t.Skip("the store grants no leases")
		}
		testLeases(t, l)
	})
	t.Run("Queues", func(t *testing.T) {
		q, ok := newStore(t).(bot.Queues)
		if !ok {
			t.Skip("the store keeps no queues")
		}
		testQueues(t, q)
	})
	t.Run("Directory", func(t *testing.T) {
		d, ok := newStore(t).(bot.Directory)
		if !ok {
			t.Skip("the store has no directory")
		}
		testDirectory(t, d)
	})
	t.Run("EventLog", func(t *testing.T) {
		st := newStore(t)
		l, ok := st.(bot.EventLog)
		if !ok {
			t.Skip("the store has no event log")
		}
		testEventLog(t, st, l)
	})
	t.Run("Bus", func(t *testing.T) {
		b, ok := newStore(t).(bot.Bus)
		if !ok {
			t.Skip("the store has no bus")
		}
		testBus(t, b)
	})
}

// testBus checks that a subscriber hears what is published on its topic,
// and only that. Subscribing may take a moment, so the test publishes
// until the first notice arrives.
func testBus(t *testing.T, b bot.Bus) {
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan string, 100)
	done := make(chan error, 1)
	go func() {
		done <- b.Subscribe(ctx, "web", func(p []byte) { got <- string(p) })
	}()
	deadline := time.After(5 * time.Second)
	for heard := false; !heard; {
		if err := b.Publish(ctx, "other", []byte("not for you")); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		if err := b.Publish(ctx, "web", []byte("hello")); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		select {
		case p := <-got:
			if p != "hello" {
				t.Fatalf("the subscriber of web heard %q", p)
			}
			heard = true
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatal("nothing published on the topic was heard within 5 s")
		}
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Subscribe returned %v after its context ended, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Subscribe did not return when its context ended")
	}
}

func testQueues(t *testing.T, q bot.Queues) {
	ctx := context.Background()
	op := func(add bool, team, id string, since time.Time) {
		t.Helper()
		if err := q.Apply(ctx, bot.QueueOp{Add: add, Team: team, Case: id, Address: addr(id), Since: since}); err != nil {
			t.Fatalf("Apply: %v", err)
		}
	}
	waiting := func(team string) string {
		t.Helper()
		w, err := q.Waiting(ctx, team)
		if err != nil {
			t.Fatalf("Waiting: %v", err)
		}
		var ids []string
		for _, o := range w {
			if o.Team != team || o.Address != addr(o.Case) || o.Since.IsZero() {
				t.Fatalf("queued entry %+v lost its fields", o)
			}
			ids = append(ids, o.Case)
		}
		return fmt.Sprint(ids)
	}
	op(true, "sales", "c2", t0.Add(2*time.Minute))
	op(true, "sales", "c1", t0.Add(time.Minute))
	op(true, "support", "c3", t0)
	op(true, "sales", "c1", t0.Add(time.Minute)) // delivered twice
	if got := waiting("sales"); got != "[c1 c2]" {
		t.Fatalf("sales queue = %s, want [c1 c2] (oldest first, once each)", got)
	}
	op(false, "sales", "c1", time.Time{})
	op(false, "sales", "c1", time.Time{}) // removed twice
	if got := waiting("sales"); got != "[c2]" {
		t.Fatalf("sales queue = %s, want [c2]", got)
	}
	if got := waiting("support"); got != "[c3]" {
		t.Fatalf("support queue = %s", got)
	}
	if got := waiting("nobody"); got != "[]" {
		t.Fatalf("unknown team queue = %s", got)
	}

	// An add delivered again after the case was removed does not bring
	// it back; a later add (a release) does.
	seqOp := func(add bool, seq int64) {
		t.Helper()
		if err := q.Apply(ctx, bot.QueueOp{Add: add, Team: "late", Case: "c9", Address: addr("c9"), Since: t0, Seq: seq}); err != nil {
			t.Fatalf("Apply: %v", err)
		}
	}
	seqOp(true, 2)
	seqOp(false, 3)
	seqOp(true, 2) // redelivered after a crash
	if got := waiting("late"); got != "[]" {
		t.Fatalf("a stale add brought a removed case back: %s", got)
	}
	seqOp(true, 4)
	if got := waiting("late"); got != "[c9]" {
		t.Fatalf("a newer add was ignored: %s", got)
	}
}

func testDirectory(t *testing.T, d bot.Directory) {
	ctx := context.Background()
	if v, err := d.Get(ctx, "case:C-1"); err != nil || v != "" {
		t.Fatalf("Get of a missing key = %q, %v", v, err)
	}
	if err := d.Put(ctx, "case:C-1", "C123|1700000000.000100", time.Hour); err != nil {
		t.Fatal(err)
	}
	if v, _ := d.Get(ctx, "case:C-1"); v != "C123|1700000000.000100" {
		t.Fatalf("Get = %q", v)
	}
	if err := d.Put(ctx, "case:C-1", "changed", 0); err != nil {
		t.Fatal(err)
	}
	if v, _ := d.Get(ctx, "case:C-1"); v != "changed" {
		t.Fatalf("Get after Put = %q", v)
	}
	// A key lives for its TTL, and an empty value is no value: the review
	// pages end a manager's session so, on every replica.
	if err := d.Put(ctx, "session:s1", "anna", 150*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := d.Put(ctx, "session:s2", "bruno", time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := d.Put(ctx, "session:s2", "", time.Second); err != nil {
		t.Fatal(err)
	}
	if v, err := d.Get(ctx, "session:s2"); err != nil || v != "" {
		t.Fatalf("Get after an empty Put = %q, %v; want none", v, err)
	}
	if v, _ := d.Get(ctx, "session:s1"); v != "anna" {
		t.Fatalf("Get within the TTL = %q", v)
	}
	time.Sleep(250 * time.Millisecond)
	if v, err := d.Get(ctx, "session:s1"); err != nil || v != "" {
		t.Fatalf("Get after the TTL = %q, %v; want none", v, err)
	}
}

// testLeases checks that one holder at a time has a lease, and that it
// passes on when released or expired.
func testLeases(t *testing.T, l bot.Leaser) {
	ctx := context.Background()
	take := func(holder string, ttl time.Duration, want bool) {
		t.Helper()
		got, err := l.Lease(ctx, "poller", holder, ttl)
		if err != nil || got != want {
			t.Fatalf("Lease(%s) = %v, %v; want %v", holder, got, err, want)
		}
	}
	take("a", time.Minute, true)
	take("b", time.Minute, false)
	take("a", time.Minute, true) // renewal
	if err := l.Release(ctx, "poller", "b"); err != nil {
		t.Fatal(err)
	}
	take("b", time.Minute, false) // b cannot release a's lease
	if err := l.Release(ctx, "poller", "a"); err != nil {
		t.Fatal(err)
	}
	take("b", 200*time.Millisecond, true)
	time.Sleep(300 * time.Millisecond)
	take("a", time.Minute, true) // b's lease ran out
}

var t0 = time.Date(2025, 3, 15, 10, 0, 0, 0, time.UTC)

func addr(id string) bot.Address { return bot.Address{Channel: "test", ChatID: id} }

func mustLoad(t *testing.T, s bot.Store, a bot.Address, msgID string) *bot.Session {
	t.Helper()
	sess, err := s.Load(context.Background(), a, msgID)
	if err != nil {
		t.Fatalf("Load(%s, %q): %v", a, msgID, err)
	}
	return sess
}

func mustCommit(t *testing.T, s bot.Store, c *bot.Commit) {
	t.Helper()
	if err := s.Commit(context.Background(), c); err != nil {
		t.Fatalf("Commit(%s, %q): %v", c.Session.Address, c.MessageID, err)
	}
}

// event returns a customer event of a with a unique ID.
func event(a bot.Address, msgID string, i int, text string) bot.Event {
	return bot.Event{ID: fmt.Sprintf("%s/%s/%d", a, msgID, i), Address: a, Type: bot.EventCustomer,
		Time: t0, MessageID: msgID, Text: text}
}

func testLoadUnknown(t *testing.T, s bot.Store) {
	if sess := mustLoad(t, s, addr("nobody"), "m1"); sess != nil {
		t.Fatalf("Load of an unknown conversation = %+v, want nil", sess)
	}
	if sess := mustLoad(t, s, addr("nobody"), ""); sess != nil {
		t.Fatalf("Load without message ID = %+v, want nil", sess)
	}
}

func testCommitAndLoad(t *testing.T, s bot.Store) {
	a := addr("42")
	sess := bot.NewSession(a, t0)
	sess.SetSlot("product", "nova-x")
	mustCommit(t, s, &bot.Commit{Session: sess, MessageID: "m1"})
	if sess.Version != 1 {
		t.Fatalf("after the first commit Version = %d, want 1", sess.Version)
	}
	got := mustLoad(t, s, a, "m2")
	if got == nil || got.Version != 1 || got.Slots["product"] != "nova-x" {
		t.Fatalf("Load = %+v, want version 1 with product nova-x", got)
	}
	got.SetSlot("date", "2025-01-01")
	mustCommit(t, s, &bot.Commit{Session: got, MessageID: "m2"})
	if got.Version != 2 {
		t.Fatalf("after the second commit Version = %d, want 2", got.Version)
	}
	again := mustLoad(t, s, a, "m3")
	if again.Version != 2 || again.Slots["date"] != "2025-01-01" || again.Slots["product"] != "nova-x" {
		t.Fatalf("Load = %+v, want version 2 with both slots", again)
	}
}

func testRoundTrip(t *testing.T, s bot.Store) {
	a := bot.Address{Channel: "telegram", ChatID: "-1001234567890123"}
	sess := &bot.Session{
		Address: a, Mode: bot.ModeQueued, Language: "it",
		Customer: bot.Sender{Name: "Anna Rossi", Username: "anna", Language: "it-IT"},
		Flow:     "warranty", Step: "ask_date",
		Slots:  map[string]string{"product": "nova-x", "defect": "non si accende \"più\" 😢"},
		Stack:  []bot.Frame{{Flow: "sales", Step: "ask_budget", Slots: map[string]string{"budget": "800"}}},
		Misses: 1, Retries: 2, Vars: map[string]string{"k": "v"},
		Case: &bot.Case{ID: "C-1", Team: "support", Address: a, Customer: bot.Sender{Name: "Anna"},
			Language: "it", Intent: "warranty", Reason: "defect", Slots: map[string]string{"product": "nova-x"},
			Summary: []string{"Prodotto: Nova X"}, Last: []string{"ciao", "aiuto"}, Opened: t0,
			Agent: "U1", AgentName: "Marco", Thread: "1700000000.000100"},
		Created: t0, Updated: t0.Add(time.Minute), Blocked: true,
	}
	out := bot.Outgoing{ID: "o1", Address: a, Created: t0,
		Reply: &bot.Reply{Address: a, Text: "Scegli", Buttons: []bot.Button{{Title: "Sì", Payload: "yes"}}, From: "Marco", System: true}}
	desk := bot.Outgoing{ID: "o2", Address: a, Created: t0.Add(time.Second),
		Desk: &bot.DeskNote{Kind: bot.DeskOpened, Case: *sess.Case, Text: "hi",
			Attachments: []bot.Attachment{{Kind: "photo", FileID: "F1", Caption: "rotto"}}}}
	ev := bot.Event{ID: "e1", Address: a, Type: bot.EventIntent, Time: t0, MessageID: "m1", Text: "x",
		Buttons: []bot.Button{{Title: "a", Payload: "b"}}, Attachments: []bot.Attachment{{Kind: "document", Name: "r.pdf"}},
		Language: "it", Intent: "warranty", Confidence: 0.93, Flow: "warranty", Slot: "product", Value: "nova-x",
		Action: "warranty_check", Team: "support", Case: "C-1", Agent: "Marco", Score: 5}
	mustCommit(t, s, &bot.Commit{Session: sess, MessageID: "m1", Events: []bot.Event{ev},
		Outbox: []bot.Outgoing{out, desk}, LeaseUntil: t0})

	got := mustLoad(t, s, a, "")
	want := sess.Clone()
	if !sameSession(got, want) {
		t.Errorf("session round trip:\n got  %+v\n want %+v", got, want)
	}
	tr, err := s.Transcript(context.Background(), a, 10)
	if err != nil || len(tr) != 1 {
		t.Fatalf("Transcript = %v, %v; want one event", tr, err)
	}
	if !tr[0].Time.Equal(ev.Time) {
		t.Errorf("event time = %v, want %v", tr[0].Time, ev.Time)
	}
	tr[0].Time = ev.Time
	if !reflect.DeepEqual(tr[0], ev) {
		t.Errorf("event round trip:\n got  %+v\n want %+v", tr[0], ev)
	}
	pend, err := s.Pending(context.Background(), t0.Add(time.Second), time.Minute, 10)
	if err != nil || len(pend) != 2 {
		t.Fatalf("Pending = %v, %v; want both entries", pend, err)
	}
	for i, w := range []bot.Outgoing{out, desk} {
		g := pend[i]
		if g.ID != w.ID || !reflect.DeepEqual(g.Reply, w.Reply) || g.Address != w.Address {
			t.Errorf("outbox entry %d round trip: got %+v, want %+v", i, g, w)
		}
		if w.Desk != nil {
			if g.Desk == nil || g.Desk.Kind != w.Desk.Kind || g.Desk.Case.ID != w.Desk.Case.ID ||
				!reflect.DeepEqual(g.Desk.Attachments, w.Desk.Attachments) || g.Desk.Text != w.Desk.Text {
				t.Errorf("desk note round trip: got %+v, want %+v", g.Desk, w.Desk)
			}
		}
	}
}

// sameSession compares sessions, reading times with Equal.
func sameSession(a, b *bot.Session) bool {
	if a == nil || b == nil {
		return a == b
	}
	a, b = a.Clone(), b.Clone()
	if !a.Created.Equal(b.Created) || !a.Updated.Equal(b.Updated) {
		return false
	}
	a.Created, a.Updated = b.Created, b.Updated
	if a.Case != nil && b.Case != nil {
		if !a.Case.Opened.Equal(b.Case.Opened) {
			return false
		}
		a.Case.Opened = b.Case.Opened
	}
	return reflect.DeepEqual(a, b)
}

func testStaleVersion(t *testing.T, s bot.Store) {
	a := addr("7")
	mustCommit(t, s, &bot.Commit{Session: bot.NewSession(a, t0), MessageID: "m1"})

	first := mustLoad(t, s, a, "m2")
	second := mustLoad(t, s, a, "m3")
	first.SetSlot("winner", "first")
	mustCommit(t, s, &bot.Commit{Session: first, MessageID: "m2", Events: []bot.Event{event(a, "m2", 0, "first")}})

	second.SetSlot("winner", "second")
	err := s.Commit(context.Background(), &bot.Commit{Session: second, MessageID: "m3",
		Events: []bot.Event{event(a, "m3", 0, "second")},
		Outbox: []bot.Outgoing{{ID: "o3", Address: a, Reply: &bot.Reply{Address: a, Text: "lost"}, Created: t0}}})
	if !errors.Is(err, bot.ErrConflict) {
		t.Fatalf("commit of a stale version: err = %v, want ErrConflict", err)
	}
	got := mustLoad(t, s, a, "m3")
	if got.Slots["winner"] != "first" || got.Version != 2 {
		t.Fatalf("after the conflict the session is %+v, want the first writer's version 2", got)
	}
	tr, _ := s.Transcript(context.Background(), a, 10)
	if len(tr) != 1 || tr[0].Text != "first" {
		t.Fatalf("a conflicting commit wrote events: transcript = %+v", tr)
	}
	if p, _ := s.Pending(context.Background(), t0.Add(time.Hour), time.Minute, 10); len(p) != 0 {
		t.Fatalf("a conflicting commit wrote the outbox: %+v", p)
	}
	// A new conversation committed twice from version 0 conflicts too.
	b := addr("8")
	mustCommit(t, s, &bot.Commit{Session: bot.NewSession(b, t0), MessageID: "x1"})
	if err := s.Commit(context.Background(), &bot.Commit{Session: bot.NewSession(b, t0), MessageID: "x2"}); !errors.Is(err, bot.ErrConflict) {
		t.Fatalf("second commit of a new session: err = %v, want ErrConflict", err)
	}
}

func testDuplicate(t *testing.T, s bot.Store) {
	a := addr("9")
	mustCommit(t, s, &bot.Commit{Session: bot.NewSession(a, t0), MessageID: "m1"})
	if _, err := s.Load(context.Background(), a, "m1"); !errors.Is(err, bot.ErrDuplicate) {
		t.Fatalf("Load of a committed message ID: err = %v, want ErrDuplicate", err)
	}
	sess := mustLoad(t, s, a, "m2")
	if err := s.Commit(context.Background(), &bot.Commit{Session: sess, MessageID: "m1"}); !errors.Is(err, bot.ErrDuplicate) {
		t.Fatalf("Commit of a committed message ID: err = %v, want ErrDuplicate", err)
	}
	if got := mustLoad(t, s, a, ""); got.Version != 1 {
		t.Fatalf("a duplicate commit changed the session to version %d", got.Version)
	}
	// The same message ID in another conversation is another message.
	if sess := mustLoad(t, s, addr("10"), "m1"); sess != nil {
		t.Fatalf("Load in another conversation = %+v, want nil", sess)
	}
}

func testIndependent(t *testing.T, s bot.Store) {
	a, b := addr("a"), addr("b")
	sa := bot.NewSession(a, t0)
	sa.SetSlot("who", "a")
	mustCommit(t, s, &bot.Commit{Session: sa, MessageID: "m", Events: []bot.Event{event(a, "m", 0, "for a")}})
	sb := bot.NewSession(b, t0)
	sb.SetSlot("who", "b")
	mustCommit(t, s, &bot.Commit{Session: sb, MessageID: "m", Events: []bot.Event{event(b, "m", 0, "for b")}})
	if got := mustLoad(t, s, a, ""); got.Slots["who"] != "a" {
		t.Errorf("session a = %+v", got)
	}
	if got := mustLoad(t, s, b, ""); got.Slots["who"] != "b" {
		t.Errorf("session b = %+v", got)
	}
	tr, _ := s.Transcript(context.Background(), b, 10)
	if len(tr) != 1 || tr[0].Text != "for b" {
		t.Errorf("transcript of b = %+v", tr)
	}
}

func testCopy(t *testing.T, s bot.Store) {
	a := addr("copy")
	sess := bot.NewSession(a, t0)
	sess.SetSlot("k", "v")
	mustCommit(t, s, &bot.Commit{Session: sess, MessageID: "m1"})
	sess.SetSlot("k", "changed after commit")
	got := mustLoad(t, s, a, "")
	got.SetSlot("k", "changed after load")
	if again := mustLoad(t, s, a, ""); again.Slots["k"] != "v" {
		t.Fatalf("the stored session shares memory with the caller: slot = %q", again.Slots["k"])
	}
}

func testTranscript(t *testing.T, s bot.Store) {
	a := addr("tr")
	sess := bot.NewSession(a, t0)
	for i := range 5 {
		id := "m" + strconv.Itoa(i)
		mustCommit(t, s, &bot.Commit{Session: sess, MessageID: id,
			Events: []bot.Event{event(a, id, 0, id+"a"), event(a, id, 1, id+"b")}})
	}
	all, err := s.Transcript(context.Background(), a, 100)
	if err != nil || len(all) != 10 {
		t.Fatalf("Transcript = %d events, %v; want 10", len(all), err)
	}
	for i, e := range all {
		if want := fmt.Sprintf("m%d%c", i/2, 'a'+i%2); e.Text != want {
			t.Fatalf("event %d = %q, want %q (oldest first)", i, e.Text, want)
		}
	}
	last, _ := s.Transcript(context.Background(), a, 3)
	if len(last) != 3 || last[0].Text != "m3b" || last[2].Text != "m4b" {
		t.Fatalf("Transcript(limit 3) = %+v, want the latest three, oldest first", last)
	}
	if none, _ := s.Transcript(context.Background(), addr("none"), 10); len(none) != 0 {
		t.Fatalf("transcript of an unknown conversation = %+v", none)
	}
}

func reply(a bot.Address, id, text string, created time.Time) bot.Outgoing {
	return bot.Outgoing{ID: id, Address: a, Reply: &bot.Reply{Address: a, Text: text}, Created: created}
}

func testOutbox(t *testing.T, s bot.Store) {
	ctx := context.Background()
	a, b := addr("ob1"), addr("ob2")
	mustCommit(t, s, &bot.Commit{Session: bot.NewSession(a, t0), MessageID: "m1", LeaseUntil: t0.Add(30 * time.Second),
		Outbox: []bot.Outgoing{reply(a, "a1", "first", t0), reply(a, "a2", "second", t0.Add(time.Millisecond))}})
	mustCommit(t, s, &bot.Commit{Session: bot.NewSession(b, t0), MessageID: "m1", LeaseUntil: t0.Add(30 * time.Second),
		Outbox: []bot.Outgoing{reply(b, "b1", "other", t0.Add(2*time.Millisecond))}})

	if p, err := s.Pending(ctx, t0.Add(10*time.Second), time.Minute, 10); err != nil || len(p) != 0 {
		t.Fatalf("Pending inside the writer's lease = %+v, %v; want none", p, err)
	}
	later := t0.Add(31 * time.Second)
	p, err := s.Pending(ctx, later, time.Minute, 2)
	if err != nil || len(p) != 2 || p[0].ID != "a1" || p[1].ID != "a2" {
		t.Fatalf("Pending(limit 2) after the lease = %+v, %v; want a1, a2 (oldest first)", p, err)
	}
	if p[0].Attempts != 1 {
		t.Errorf("Attempts = %d, want 1 after the first lease", p[0].Attempts)
	}
	p2, _ := s.Pending(ctx, later, time.Minute, 10)
	if len(p2) != 1 || p2[0].ID != "b1" {
		t.Fatalf("second Pending = %+v, want only b1 (a1, a2 are leased)", p2)
	}
	if err := s.Ack(ctx, p[0]); err != nil {
		t.Fatalf("Ack: %v", err)
	}
	if err := s.Ack(ctx, p[0]); err != nil {
		t.Fatalf("Ack of an acknowledged entry: %v", err)
	}
	// After the new lease runs out, what was not acknowledged comes again.
	p3, _ := s.Pending(ctx, later.Add(2*time.Minute), time.Minute, 10)
	ids := []string{}
	for _, o := range p3 {
		ids = append(ids, o.ID)
	}
	if !reflect.DeepEqual(ids, []string{"a2", "b1"}) {
		t.Fatalf("Pending after the second lease = %v, want [a2 b1]", ids)
	}
	if p3[0].Attempts != 2 {
		t.Errorf("Attempts = %d, want 2", p3[0].Attempts)
	}
	if err := s.Ack(ctx, p3...); err != nil {
		t.Fatalf("Ack: %v", err)
	}
	if p4, _ := s.Pending(ctx, later.Add(time.Hour), time.Minute, 10); len(p4) != 0 {
		t.Fatalf("Pending after every Ack = %+v", p4)
	}
}

func testOutboxLeasedOnce(t *testing.T, s bot.Store) {
	ctx := context.Background()
	const n = 50
	for i := range n {
		a := addr("lease" + strconv.Itoa(i))
		mustCommit(t, s, &bot.Commit{Session: bot.NewSession(a, t0), MessageID: "m", LeaseUntil: t0,
			Outbox: []bot.Outgoing{reply(a, "o"+strconv.Itoa(i), "x", t0)}})
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				p, err := s.Pending(ctx, t0.Add(time.Second), time.Hour, 7)
				if err != nil {
					t.Errorf("Pending: %v", err)
					return
				}
				if len(p) == 0 {
					return
				}
				mu.Lock()
				for _, o := range p {
					seen[o.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != n {
		t.Fatalf("%d entries leased, want %d", len(seen), n)
	}
	for id, c := range seen {
		if c != 1 {
			t.Errorf("entry %s leased %d times by concurrent callers", id, c)
		}
	}
}

func testTimers(t *testing.T, s bot.Store) {
	ctx := context.Background()
	a := addr("tm")
	due := t0.Add(10 * time.Minute)
	mustCommit(t, s, &bot.Commit{Session: bot.NewSession(a, t0), MessageID: "m1", SetTimers: []bot.Timer{
		{ID: "timeout", Address: a, Kind: "handoff_timeout", Due: due, Data: "sales"},
		{ID: "reminder", Address: a, Kind: "reminder", Due: due.Add(time.Hour)},
		{ID: "gone", Address: a, Kind: "reminder", Due: due},
	}})
	sess := mustLoad(t, s, a, "")
	// Replace one timer, cancel another.
	mustCommit(t, s, &bot.Commit{Session: sess, MessageID: "m2",
		SetTimers:    []bot.Timer{{ID: "reminder", Address: a, Kind: "reminder", Due: due.Add(time.Minute)}},
		CancelTimers: []string{"gone"}})

	if got, err := s.DueTimers(ctx, due.Add(-time.Second), 10); err != nil || len(got) != 0 {
		t.Fatalf("DueTimers before time = %+v, %v", got, err)
	}
	got, err := s.DueTimers(ctx, due, 10)
	if err != nil || len(got) != 1 || got[0].ID != "timeout" || got[0].Data != "sales" || got[0].Address != a || got[0].Kind != "handoff_timeout" {
		t.Fatalf("DueTimers at the due time = %+v, %v; want the timeout timer", got, err)
	}
	if !got[0].Due.Equal(due) {
		t.Errorf("timer Due = %v, want %v", got[0].Due, due)
	}
	if again, _ := s.DueTimers(ctx, due, 10); len(again) != 0 {
		t.Fatalf("a timer fired twice: %+v", again)
	}
	got, _ = s.DueTimers(ctx, due.Add(2*time.Hour), 10)
	if len(got) != 1 || got[0].ID != "reminder" || !got[0].Due.Equal(due.Add(time.Minute)) {
		t.Fatalf("DueTimers later = %+v, want the replaced reminder only (the cancelled one is gone)", got)
	}
}

func testTimersOnce(t *testing.T, s bot.Store) {
	ctx := context.Background()
	const n = 60
	for i := range n {
		a := addr("t" + strconv.Itoa(i))
		mustCommit(t, s, &bot.Commit{Session: bot.NewSession(a, t0), MessageID: "m",
			SetTimers: []bot.Timer{{ID: "x", Address: a, Kind: "k", Due: t0}}})
	}
	var fired atomic.Int64
	seen := sync.Map{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				got, err := s.DueTimers(ctx, t0.Add(time.Minute), 5)
				if err != nil {
					t.Errorf("DueTimers: %v", err)
					return
				}
				if len(got) == 0 {
					return
				}
				for _, tm := range got {
					fired.Add(1)
					if _, dup := seen.LoadOrStore(tm.Address.String()+"/"+tm.ID, true); dup {
						t.Errorf("timer %s/%s fired twice", tm.Address, tm.ID)
					}
				}
			}
		})
	}
	wg.Wait()
	if fired.Load() != n {
		t.Fatalf("%d timers fired, want %d", fired.Load(), n)
	}
}

// testConcurrentUpdates runs the optimistic loop the engine runs: load,
// change, commit, and on ErrConflict load again. No increment is lost.
func testConcurrentUpdates(t *testing.T, s bot.Store) {
	ctx := context.Background()
	a := addr("counter")
	const workers, each = 8, 12
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("w%d-%d", w, i)
				for {
					sess, err := s.Load(ctx, a, id)
					if err != nil {
						t.Errorf("Load: %v", err)
						return
					}
					if sess == nil {
						sess = bot.NewSession(a, t0)
					}
					n, _ := strconv.Atoi(sess.Slots["n"])
					sess.SetSlot("n", strconv.Itoa(n+1))
					err = s.Commit(ctx, &bot.Commit{Session: sess, MessageID: id, Events: []bot.Event{event(a, id, 0, id)}})
					if errors.Is(err, bot.ErrConflict) {
						continue
					}
					if err != nil {
						t.Errorf("Commit: %v", err)
						return
					}
					break
				}
			}
		})
	}
	wg.Wait()
	got := mustLoad(t, s, a, "")
	if got.Slots["n"] != strconv.Itoa(workers*each) || got.Version != workers*each {
		t.Fatalf("after %d concurrent updates: n = %s, version %d", workers*each, got.Slots["n"], got.Version)
	}
	tr, _ := s.Transcript(ctx, a, 1000)
	if len(tr) != workers*each {
		t.Fatalf("transcript has %d events, want %d", len(tr), workers*each)
	}
}

// testEventLog checks that every group of readers gets every committed
// event once, in commit order within a conversation, and that an
// acknowledged entry does not come back. (A group that first reads later
// may find older entries gone: a store may drop what every group it knew
// acknowledged.)
func testEventLog(t *testing.T, s bot.Store, l bot.EventLog) {
	ctx := context.Background()
	a, b := addr("log-a"), addr("log-b")
	sa, sb := bot.NewSession(a, t0), bot.NewSession(b, t0)
	for i := range 3 {
		id := "m" + strconv.Itoa(i)
		mustCommit(t, s, &bot.Commit{Session: sa, MessageID: id,
			Events: []bot.Event{event(a, id, 0, "a"+strconv.Itoa(i)), event(a, id, 1, "a"+strconv.Itoa(i)+"'")}})
		mustCommit(t, s, &bot.Commit{Session: sb, MessageID: id, Events: []bot.Event{event(b, id, 0, "b"+strconv.Itoa(i))}})
	}
	read := func(group string) []bot.LogEntry {
		t.Helper()
		var all []bot.LogEntry
		for {
			got, err := l.ReadEvents(ctx, group, 4, 100*time.Millisecond)
			if err != nil {
				t.Fatalf("ReadEvents(%s): %v", group, err)
			}
			if len(got) == 0 {
				return all
			}
			all = append(all, got...)
		}
	}
	texts := func(entries []bot.LogEntry, of bot.Address) string {
		var out []string
		for _, e := range entries {
			if e.Event.Address == of {
				out = append(out, e.Event.Text)
			}
		}
		return fmt.Sprint(out)
	}
	first := read("archive")
	other := read("audit") // both groups exist before anything is acknowledged
	if len(first) != 9 {
		t.Fatalf("the archive group read %d events, want 9", len(first))
	}
	if got := texts(first, a); got != "[a0 a0' a1 a1' a2 a2']" {
		t.Fatalf("events of a in the log: %s, want commit order", got)
	}
	if got := texts(first, b); got != "[b0 b1 b2]" {
		t.Fatalf("events of b in the log: %s", got)
	}
	if err := l.AckEvents(ctx, "archive", first...); err != nil {
		t.Fatalf("AckEvents: %v", err)
	}
	if again := read("archive"); len(again) != 0 {
		t.Fatalf("acknowledged events came back: %d", len(again))
	}
	if len(other) != 9 {
		t.Fatalf("a second group read %d events, want all 9", len(other))
	}
}
