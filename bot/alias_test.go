package bot_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
)

// These tests look for aliasing: a message's events are built on a pooled
// slice, a committed session is the store's, and a desk note shares its
// case's slots and lines. Run them with -race.

// slotsResponder hands off with a case that has slots of its own, and
// echoes otherwise.
var slotsResponder = bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
	if t.Message.Text == "agent" {
		t.Session.Language = "en"
		t.Say("Let me get a colleague.")
		t.HandOff(bot.Case{Team: "sales", TeamName: "Sales", Intent: "buy",
			Slots: map[string]string{"product": "laptop"}, Summary: []string{"Product: laptop"}})
		return nil
	}
	t.Say("echo: " + t.Message.Text)
	return nil
})

// holdingDesk holds every Post until released, and records each note's
// case as it is when Post reads it, once released.
type holdingDesk struct {
	release chan struct{}
	posting chan struct{} // a Post began
	mu      sync.Mutex
	slots   []map[string]string
	last    [][]string
	kinds   []bot.DeskNoteKind
}

func newHoldingDesk() *holdingDesk {
	return &holdingDesk{release: make(chan struct{}), posting: make(chan struct{}, 100)}
}

func (d *holdingDesk) Post(ctx context.Context, n bot.DeskNote) error {
	d.posting <- struct{}{}
	<-d.release
	d.mu.Lock()
	defer d.mu.Unlock()
	d.kinds = append(d.kinds, n.Kind)
	d.slots = append(d.slots, maps.Clone(n.Case.Slots))
	d.last = append(d.last, slices.Clone(n.Case.Last))
	return nil
}

// TestADeskNoteDeliveredLaterKeepsItsCase: the note of a new case is
// still being posted (the desk hangs) when the customer's next message
// adds their contact to the case; the note the desk reads is the case as
// it opened, and the two turns share nothing written (-race).
func TestADeskNoteDeliveredLaterKeepsItsCase(t *testing.T) {
	desk := newHoldingDesk()
	r := newRig(t, slotsResponder, withTeams, func(c *bot.Config) {
		c.Desk = desk
		c.SendTimeout = 5 * time.Second
	}) // Saturday 10:00: sales is closed, the bot asks for a contact
	ctx := context.Background()
	if err := r.engine.Handle(ctx, botfake.Message(alice, "m1", "agent")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-desk.posting: // the note of the new case is being posted
	case <-time.After(5 * time.Second):
		t.Fatal("the new case was not posted")
	}
	if err := r.engine.Handle(ctx, botfake.Message(alice, "m2", "anna.rossi@example.it")); err != nil {
		t.Fatal(err)
	}
	if err := r.engine.Handle(ctx, botfake.Message(alice, "m3", "are you there?")); err != nil {
		t.Fatal(err)
	}
	if s := r.session(t, alice); s.Case == nil || s.Case.Slots["contact"] != "anna.rossi@example.it" {
		t.Fatalf("the contact is not on the case: %+v", s.Case)
	}
	close(desk.release)
	r.flush(t)
	desk.mu.Lock()
	defer desk.mu.Unlock()
	if len(desk.kinds) < 2 || desk.kinds[0] != bot.DeskOpened {
		t.Fatalf("notes posted: %v", desk.kinds)
	}
	if got := desk.slots[0]; len(got) != 1 || got["product"] != "laptop" {
		t.Fatalf("the note of the new case reads slots %v, changed by a later message", got)
	}
	if got := desk.last[0]; len(got) != 1 || got[0] != "agent" {
		t.Fatalf("the note of the new case reads the last messages %q, changed by a later message", got)
	}
	if got := desk.slots[1]; got["contact"] != "anna.rossi@example.it" {
		t.Fatalf("the contact's note reads slots %v", got)
	}
}

// failingOnceDesk fails its first Post, as a desk that blinks, and
// records the cases it is posted.
type failingOnceDesk struct {
	mu    sync.Mutex
	posts int
	slots []map[string]string
}

func (d *failingOnceDesk) Post(ctx context.Context, n bot.DeskNote) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.posts++
	if d.posts == 1 {
		return fmt.Errorf("desk down")
	}
	d.slots = append(d.slots, maps.Clone(n.Case.Slots))
	return nil
}

// TestARedeliveredDeskNoteKeepsItsCase: the note of a new case fails, the
// next message adds the contact to the case, and the note, delivered again
// from the outbox, still reads the case as it opened.
func TestARedeliveredDeskNoteKeepsItsCase(t *testing.T) {
	desk := &failingOnceDesk{}
	r := newRig(t, slotsResponder, withTeams, func(c *bot.Config) { c.Desk = desk })
	r.mustHandle(t, botfake.Message(alice, "m1", "agent"))
	r.mustHandle(t, botfake.Message(alice, "m2", "anna.rossi@example.it"))
	r.clock.Advance(time.Hour) // every lease and backoff is over
	r.engine.Redeliver(context.Background())
	r.flush(t)
	desk.mu.Lock()
	defer desk.mu.Unlock()
	if len(desk.slots) < 2 {
		t.Fatalf("%d notes delivered, want the case's and the contact's", len(desk.slots))
	}
	var opened, contact int
	for _, s := range desk.slots {
		if s["contact"] != "" {
			contact++
		} else if s["product"] == "laptop" {
			opened++
		}
	}
	if opened != 1 || contact != 1 {
		t.Fatalf("cases posted %v: want one as opened, one with the contact", desk.slots)
	}
}

// manyEvents records n events of its own (n from the message's text),
// more than the pool keeps for some, each with its message ID and index.
var manyEvents = bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
	var n int
	fmt.Sscanf(t.Message.Text, "n=%d", &n)
	for i := range n {
		t.Record(bot.Event{Type: bot.EventIntent, Intent: fmt.Sprintf("%s/%s/%d", t.Message.Address.ChatID, t.Message.ID, i)})
	}
	t.Say(t.Message.ID)
	return nil
})

// checkEvents checks that the events of addr are its own, each message's
// in order, with the IDs of their place.
func checkEvents(t *testing.T, addr bot.Address, evs []bot.Event, msgs int) {
	t.Helper()
	per := map[string]int{} // message → intents seen
	for _, ev := range evs {
		if ev.Address != addr {
			t.Fatalf("%s has an event of %s: %+v", addr, ev.Address, ev)
		}
		if ev.Type != bot.EventIntent {
			continue
		}
		parts := strings.Split(ev.Intent, "/")
		if len(parts) != 3 || parts[0] != addr.ChatID || parts[1] != ev.MessageID {
			t.Fatalf("%s: event of message %s reads %q", addr, ev.MessageID, ev.Intent)
		}
		if want := fmt.Sprint(per[ev.MessageID]); parts[2] != want {
			t.Fatalf("%s: event %q out of order, want index %s", addr, ev.Intent, want)
		}
		per[ev.MessageID]++
		// The customer's event is index 0, the intents follow.
		if !strings.HasSuffix(ev.ID, fmt.Sprintf("|%s|%d", ev.MessageID, per[ev.MessageID])) {
			t.Fatalf("%s: event %q has ID %q", addr, ev.Intent, ev.ID)
		}
	}
	if len(per) != msgs {
		t.Fatalf("%s: intents of %d messages, want %d", addr, len(per), msgs)
	}
}

// TestInterleavedConversationsKeepTheirOwnEvents handles the messages of
// several conversations at once, some with more events than the pool
// keeps, while the event log is read: every conversation's transcript and
// every log entry holds the events its own message recorded (-race).
func TestInterleavedConversationsKeepTheirOwnEvents(t *testing.T) {
	st := memory.NewStoreWith(memory.Options{TranscriptLen: 100000})
	e, err := bot.NewEngine(bot.Config{Store: st, Responder: manyEvents, FloodLimit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	e.SetChannel("test", &botfake.Channel{})
	const convs, msgs = 6, 25
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logged []bot.LogEntry
	var reader sync.WaitGroup
	var stop atomic.Bool
	reader.Go(func() {
		for !stop.Load() {
			entries, err := st.ReadEvents(ctx, "aliasing", 50, 10*time.Millisecond)
			if err != nil {
				return
			}
			logged = append(logged, entries...)
			_ = st.AckEvents(ctx, "aliasing", entries...)
		}
	})
	var wg sync.WaitGroup
	for c := range convs {
		wg.Go(func() {
			a := bot.Address{Channel: "test", ChatID: fmt.Sprint("c", c)}
			for m := range msgs {
				n := (m*7 + c*3) % 45 // 0 to 44: past the pool's 32 now and then
				if err := e.Handle(ctx, botfake.Message(a, fmt.Sprint("m", m), fmt.Sprint("n=", n))); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	stop.Store(true)
	reader.Wait()
	for { // what the log still holds
		entries, err := st.ReadEvents(ctx, "aliasing", 50, 0)
		if err != nil || len(entries) == 0 {
			break
		}
		logged = append(logged, entries...)
		_ = st.AckEvents(ctx, "aliasing", entries...)
	}
	byAddr := map[bot.Address][]bot.Event{}
	for _, en := range logged {
		byAddr[en.Event.Address] = append(byAddr[en.Event.Address], en.Event)
	}
	for c := range convs {
		a := bot.Address{Channel: "test", ChatID: fmt.Sprint("c", c)}
		tr, err := st.Transcript(ctx, a, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		msgsWithIntents := 0
		for m := range msgs {
			if (m*7+c*3)%45 > 0 {
				msgsWithIntents++
			}
		}
		checkEvents(t, a, tr, msgsWithIntents)
		checkEvents(t, a, byAddr[a], msgsWithIntents)
		if !slices.EqualFunc(tr, byAddr[a], func(x, y bot.Event) bool { return x.ID == y.ID && x.Intent == y.Intent }) {
			t.Fatalf("%s: the transcript and the event log differ", a)
		}
	}
}

// conflictOnceStore fails the first commit of message m2 with a conflict,
// after another commit of the conversation (a replica's) got in first.
type conflictOnceStore struct {
	*memory.Store
	done atomic.Bool
}

func (s *conflictOnceStore) Commit(ctx context.Context, c *bot.Commit) error {
	if c.MessageID == "m2" && !s.done.Swap(true) {
		other, err := s.Store.Load(ctx, c.Session.Address, "")
		if err != nil {
			return err
		}
		other.SetVar("replica", "was here")
		if err := s.Store.Commit(ctx, &bot.Commit{Session: other, MessageID: "other",
			Events: []bot.Event{{ID: "replica|0", Address: other.Address, Type: bot.EventNote, Text: "replica"}}}); err != nil {
			return err
		}
		return s.Store.Commit(ctx, c) // conflicts
	}
	return s.Store.Commit(ctx, c)
}

// TestARetriedCommitCommitsOnlyItsOwnEvents: the first attempt of a
// message records many events (more than the pool keeps) and its commit
// conflicts; the retry records fewer. The transcript has the retry's
// events only, after the other replica's, and the session has both.
func TestARetriedCommitCommitsOnlyItsOwnEvents(t *testing.T) {
	st := &conflictOnceStore{Store: memory.NewStoreWith(memory.Options{TranscriptLen: 100000})}
	var attempts atomic.Int32
	resp := bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
		n := 2
		if t.Message.ID == "m2" && attempts.Add(1) == 1 {
			n = 40
		}
		for i := range n {
			t.Record(bot.Event{Type: bot.EventIntent, Intent: fmt.Sprintf("%s/%s/%d", t.Message.Address.ChatID, t.Message.ID, i)})
		}
		t.Session.SetSlot("attempt", fmt.Sprint(n))
		t.Say("ok")
		return nil
	})
	e, _ := bot.NewEngine(bot.Config{Store: st, Responder: resp})
	ch := &botfake.Channel{}
	e.SetChannel("test", ch)
	ctx := context.Background()
	for _, id := range []string{"m1", "m2", "m3"} {
		if err := e.Handle(ctx, botfake.Message(alice, id, "hi")); err != nil {
			t.Fatal(err)
		}
	}
	if attempts.Load() != 2 {
		t.Fatalf("m2 was tried %d times, want 2", attempts.Load())
	}
	tr, _ := st.Transcript(ctx, alice, 1000)
	checkEvents(t, alice, slices.DeleteFunc(slices.Clone(tr), func(ev bot.Event) bool { return ev.Text == "replica" }), 3)
	var got []string
	for _, ev := range tr {
		got = append(got, fmt.Sprint(ev.Type, ":", ev.Intent, ev.Text))
	}
	want := []string{"customer:hi", "intent:alice/m1/0", "intent:alice/m1/1", "bot:ok",
		"note:replica",
		"customer:hi", "intent:alice/m2/0", "intent:alice/m2/1", "bot:ok",
		"customer:hi", "intent:alice/m3/0", "intent:alice/m3/1", "bot:ok"}
	if !slices.Equal(got, want) {
		t.Fatalf("transcript\n%q\nwant\n%q", got, want)
	}
	s, _ := st.Load(ctx, alice, "")
	if s.Vars["replica"] != "was here" || s.Slots["attempt"] != "2" || s.Version != 4 {
		t.Fatalf("session after the retry: %+v", s)
	}
	if got := ch.Texts(alice); len(got) != 3 {
		t.Fatalf("replies %q, want one a message", got)
	}
}
