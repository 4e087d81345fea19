// Package bottest holds the conformance suites that every implementation
// of a port passes (StoreSuite for bot.Store). It imports testing, so only
// tests may use it; the fakes of the ports are in bot/botfake.
package bottest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
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
		{"CommittedEventsAreCopied", testEventsCopied},
		{"TranscriptInOrder", testTranscript},
		{"OutboxLeaseAndAck", testOutbox},
		{"OutboxLeasedOnce", testOutboxLeasedOnce},
		{"OutboxCutKeepsCommitOrder", testOutboxCut},
		{"Timers", testTimers},
		{"TimersFireOnce", testTimersOnce},
		{"ConcurrentUpdatesLoseNothing", testConcurrentUpdates},
		{"CapabilitiesAnswer", testCapabilities},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newStore(t))
		})
	}
	t.Run("Leases", func(t *testing.T) {
		l := newStore(t).Capabilities().Leaser
		if l == nil {
			t.Skip("the store grants no leases")
		}
		testLeases(t, l)
	})
	t.Run("Queues", func(t *testing.T) {
		if newStore(t).Capabilities().Queues == nil {
			t.Skip("the store keeps no queues")
		}
		for _, tt := range queueTests {
			t.Run(tt.name, func(t *testing.T) {
				tt.run(t, &queueCheck{t: t, q: newStore(t).Capabilities().Queues})
			})
		}
	})
	t.Run("Directory", func(t *testing.T) {
		d := newStore(t).Capabilities().Directory
		if d == nil {
			t.Skip("the store has no directory")
		}
		testDirectory(t, d)
	})
	t.Run("EventLog", func(t *testing.T) {
		st := newStore(t)
		l := st.Capabilities().EventLog
		if l == nil {
			t.Skip("the store has no event log")
		}
		testEventLog(t, st, l)
	})
	t.Run("EventLogBacklog", func(t *testing.T) {
		st := newStore(t)
		l := st.Capabilities().EventLog
		if l == nil {
			t.Skip("the store has no event log")
		}
		testEventLogBacklog(t, st, l)
	})
	t.Run("Counters", func(t *testing.T) {
		c := newStore(t).Capabilities().Counters
		if c == nil {
			t.Skip("the store has no counters")
		}
		testCounters(t, c)
	})
	t.Run("Bus", func(t *testing.T) {
		b := newStore(t).Capabilities().Bus
		if b == nil {
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

// queueTests check the bot.Queues contract, each on a store of its own:
// Moved hands out the changes of every team.
var queueTests = []struct {
	name string
	run  func(t *testing.T, q *queueCheck)
}{
	{"OldestFirstOnceEach", testQueueOrder},
	{"TiesByCaseIDToTheMicrosecond", testQueueTies},
	{"PositionAndLen", testQueuePosition},
	{"OldestIsAPage", testQueuePage},
	{"AddAgainMovesTheCase", testQueueMove},
	{"StaleOpsAreIgnored", testQueueSeq},
	{"ClaimedCasesAreCountedApart", testQueueClaimed},
	{"MovedHandsOutThePlacesThatChanged", testQueueMoved},
	{"JoiningLastAtThePlaceToldMovesNobody", testQueueJoinTold},
	{"MovedCutShortGoesOn", testQueueMovedLimit},
	{"MovedToOneCallerEach", testQueueMovedOnce},
}

// queueCheck wraps a bot.Queues with calls that fail the test.
type queueCheck struct {
	t *testing.T
	q bot.Queues
}

func (c *queueCheck) apply(op bot.QueueOp) {
	c.t.Helper()
	if err := c.q.Apply(context.Background(), op); err != nil {
		c.t.Fatalf("Apply(%+v): %v", op, err)
	}
}

func (c *queueCheck) add(team, id string, since time.Time, seq int64) {
	c.t.Helper()
	c.apply(bot.QueueOp{Add: true, Team: team, Case: id, Address: addr(id), Since: since, Seq: seq})
}

func (c *queueCheck) remove(team, id string, seq int64) {
	c.t.Helper()
	c.apply(bot.QueueOp{Team: team, Case: id, Address: addr(id), Seq: seq})
}

// oldest returns the case IDs of Oldest(team, limit), checking that each
// entry kept its fields.
func (c *queueCheck) oldest(team string, limit int) string {
	c.t.Helper()
	w, err := c.q.Oldest(context.Background(), team, limit)
	if err != nil {
		c.t.Fatalf("Oldest(%s, %d): %v", team, limit, err)
	}
	if len(w) > max(limit, 0) {
		c.t.Fatalf("Oldest(%s, %d) returned %d cases", team, limit, len(w))
	}
	return ids(c.t, team, w)
}

func (c *queueCheck) all(team string) string {
	c.t.Helper()
	return c.oldest(team, 1000)
}

func (c *queueCheck) position(team, id string) string {
	c.t.Helper()
	ahead, waiting, err := c.q.Position(context.Background(), team, id)
	if err != nil {
		c.t.Fatalf("Position(%s, %s): %v", team, id, err)
	}
	if !waiting {
		return "not waiting"
	}
	return fmt.Sprintf("%d ahead", ahead)
}

func (c *queueCheck) len(team string) int {
	c.t.Helper()
	n, err := c.q.Len(context.Background(), team)
	if err != nil {
		c.t.Fatalf("Len(%s): %v", team, err)
	}
	return n
}

// moved returns the cases Moved hands out, as team/case in the order of
// each team's queue, teams in alphabetical order.
func (c *queueCheck) moved(now time.Time, every time.Duration, limit int) string {
	c.t.Helper()
	w, err := c.q.Moved(context.Background(), now, every, limit)
	if err != nil {
		c.t.Fatalf("Moved: %v", err)
	}
	if len(w) > limit {
		c.t.Fatalf("Moved(limit %d) handed out %d cases", limit, len(w))
	}
	slices.SortStableFunc(w, func(a, b bot.QueueOp) int { return strings.Compare(a.Team, b.Team) })
	var out []string
	for _, o := range w {
		ids(c.t, o.Team, []bot.QueueOp{o})
		out = append(out, o.Team+"/"+o.Case)
	}
	return fmt.Sprint(out)
}

func ids(t *testing.T, team string, w []bot.QueueOp) string {
	t.Helper()
	var out []string
	for _, o := range w {
		if o.Team != team || o.Address != addr(o.Case) || o.Since.IsZero() {
			t.Fatalf("queued entry %+v lost its fields", o)
		}
		out = append(out, o.Case)
	}
	return fmt.Sprint(out)
}

func testQueueOrder(t *testing.T, c *queueCheck) {
	c.add("sales", "c2", t0.Add(2*time.Minute), 0)
	c.add("sales", "c1", t0.Add(time.Minute), 0)
	c.add("support", "c3", t0, 0)
	c.add("sales", "c1", t0.Add(time.Minute), 0) // delivered twice
	if got := c.all("sales"); got != "[c1 c2]" {
		t.Fatalf("sales queue = %s, want [c1 c2] (oldest first, once each)", got)
	}
	c.remove("sales", "c1", 0)
	c.remove("sales", "c1", 0) // removed twice
	if got := c.all("sales"); got != "[c2]" {
		t.Fatalf("sales queue = %s, want [c2]", got)
	}
	if got := c.all("support"); got != "[c3]" {
		t.Fatalf("support queue = %s", got)
	}
	if got := c.all("nobody"); got != "[]" {
		t.Fatalf("unknown team queue = %s", got)
	}
}

func testQueueTies(t *testing.T, c *queueCheck) {
	// Since counts to the microsecond: b and a came in the same one.
	c.add("sales", "b", t0, 0)
	c.add("sales", "a", t0.Add(500*time.Nanosecond), 0)
	c.add("sales", "z", t0.Add(-time.Microsecond), 0)
	c.add("sales", "c", t0, 0)
	if got := c.all("sales"); got != "[z a b c]" {
		t.Fatalf("sales queue = %s, want [z a b c]: by Since, then by case ID", got)
	}
	if got := c.position("sales", "b"); got != "2 ahead" {
		t.Fatalf("Position of b = %s, want 2 ahead", got)
	}
}

func testQueuePosition(t *testing.T, c *queueCheck) {
	for i := 5; i >= 1; i-- {
		c.add("sales", "c"+strconv.Itoa(i), t0.Add(time.Duration(i)*time.Minute), 0)
	}
	c.add("support", "s1", t0, 0)
	for _, tt := range []struct{ id, want string }{
		{"c1", "0 ahead"}, {"c3", "2 ahead"}, {"c5", "4 ahead"}, {"s1", "not waiting"}, {"zz", "not waiting"},
	} {
		if got := c.position("sales", tt.id); got != tt.want {
			t.Errorf("Position(sales, %s) = %s, want %s", tt.id, got, tt.want)
		}
	}
	if got := c.position("nobody", "c1"); got != "not waiting" {
		t.Errorf("Position in an unknown team = %s", got)
	}
	if n := c.len("sales"); n != 5 {
		t.Fatalf("Len(sales) = %d, want 5", n)
	}
	c.remove("sales", "c2", 0)
	if got := c.position("sales", "c3"); got != "1 ahead" {
		t.Fatalf("after c2 left, Position(c3) = %s, want 1 ahead", got)
	}
	if got := c.position("sales", "c2"); got != "not waiting" {
		t.Fatalf("a removed case has Position %s", got)
	}
	if n, m := c.len("sales"), c.len("nobody"); n != 4 || m != 0 {
		t.Fatalf("Len = %d and %d for nobody, want 4 and 0", n, m)
	}
}

func testQueuePage(t *testing.T, c *queueCheck) {
	since := map[string]time.Time{}
	for i := 1; i <= 5; i++ {
		id := "c" + strconv.Itoa(i)
		since[id] = t0.Add(time.Duration(i)*time.Minute + 123456789*time.Nanosecond)
		c.add("sales", id, since[id], int64(i))
	}
	for _, tt := range []struct {
		limit int
		want  string
	}{{2, "[c1 c2]"}, {5, "[c1 c2 c3 c4 c5]"}, {50, "[c1 c2 c3 c4 c5]"}, {0, "[]"}, {-1, "[]"}} {
		if got := c.oldest("sales", tt.limit); got != tt.want {
			t.Errorf("Oldest(sales, %d) = %s, want %s", tt.limit, got, tt.want)
		}
	}
	w, err := c.q.Oldest(context.Background(), "sales", 1)
	if err != nil || len(w) != 1 {
		t.Fatalf("Oldest(sales, 1) = %+v, %v", w, err)
	}
	if !w[0].Add || !w[0].Since.Equal(since["c1"]) || w[0].Seq != 1 {
		t.Fatalf("Oldest gave %+v, want the op as applied (Since %v, Seq 1)", w[0], since["c1"])
	}
}

func testQueueMove(t *testing.T, c *queueCheck) {
	c.add("sales", "c1", t0, 0)
	c.add("sales", "c2", t0.Add(time.Minute), 0)
	c.add("sales", "c3", t0.Add(2*time.Minute), 0)
	c.add("sales", "c1", t0.Add(3*time.Minute), 0)
	if got := c.all("sales"); got != "[c2 c3 c1]" {
		t.Fatalf("after c1 came again later, queue = %s, want [c2 c3 c1]", got)
	}
	if got, n := c.position("sales", "c1"), c.len("sales"); got != "2 ahead" || n != 3 {
		t.Fatalf("c1: %s, Len %d; want 2 ahead of 3", got, n)
	}
}

// claim moves case id of team to its claimed cases.
func (c *queueCheck) claim(team, id string, seq int64) {
	c.t.Helper()
	c.apply(bot.QueueOp{Team: team, Case: id, Address: addr(id), Seq: seq, Claimed: true})
}

// open returns "waiting/claimed" of team.
func (c *queueCheck) open(team string) string {
	c.t.Helper()
	n, err := c.q.Claimed(context.Background(), team)
	if err != nil {
		c.t.Fatalf("Claimed(%s): %v", team, err)
	}
	return fmt.Sprintf("%d/%d", c.len(team), n)
}

// testQueueClaimed: a claim moves a case from the waiting ones to the
// claimed ones, a release back, a resolve (or the customer leaving) out
// of both; stale ops change neither, and the teams count apart.
func testQueueClaimed(t *testing.T, c *queueCheck) {
	if got := c.open("sales"); got != "0/0" {
		t.Fatalf("an unknown team has %s open, want 0/0", got)
	}
	c.add("sales", "c1", t0, 1)
	c.add("sales", "c2", t0.Add(time.Second), 1)
	c.add("support", "c3", t0, 1)
	c.claim("sales", "c1", 2)
	if got := c.open("sales"); got != "1/1" {
		t.Errorf("after a claim, sales has %s waiting/claimed, want 1/1", got)
	}
	if got := c.position("sales", "c1"); got != "not waiting" {
		t.Errorf("a claimed case has Position %s", got)
	}
	if got := c.all("sales"); got != "[c2]" {
		t.Errorf("waiting after a claim: %s, want [c2]", got)
	}
	c.claim("sales", "c1", 2) // redelivered
	c.add("sales", "c1", t0, 1)
	if got := c.open("sales"); got != "1/1" {
		t.Errorf("after redelivered ops, sales has %s, want 1/1", got)
	}
	c.add("sales", "c1", t0, 3) // released
	if got := c.open("sales"); got != "2/0" {
		t.Errorf("after a release, sales has %s, want 2/0", got)
	}
	if got := c.all("sales"); got != "[c1 c2]" {
		t.Errorf("a released case is back at its place: %s, want [c1 c2]", got)
	}
	c.claim("sales", "c1", 4)
	c.claim("sales", "c2", 2)
	c.claim("support", "c3", 2)
	if got := c.open("sales") + " " + c.open("support"); got != "0/2 0/1" {
		t.Errorf("sales and support have %s open, want 0/2 0/1", got)
	}
	c.remove("sales", "c1", 5) // resolved
	c.remove("sales", "c1", 4) // an old op, redelivered
	c.claim("sales", "c1", 4)
	if got := c.open("sales"); got != "0/1" {
		t.Errorf("after a resolve and stale ops, sales has %s, want 0/1", got)
	}
	c.remove("sales", "c2", 3) // the customer left
	c.remove("support", "c3", 3)
	if got := c.open("sales") + " " + c.open("support"); got != "0/0 0/0" {
		t.Errorf("with every case closed, %s open, want 0/0 0/0", got)
	}
}

func testQueueSeq(t *testing.T, c *queueCheck) {
	// An add delivered again after the case was removed does not bring
	// it back; a later add (a release) does.
	c.add("late", "c9", t0, 2)
	c.remove("late", "c9", 3)
	c.add("late", "c9", t0, 2) // redelivered after a crash
	if got := c.all("late"); got != "[]" {
		t.Fatalf("a stale add brought a removed case back: %s", got)
	}
	if got := c.position("late", "c9"); got != "not waiting" {
		t.Fatalf("a removed case has Position %s", got)
	}
	c.add("late", "c9", t0, 4)
	if got := c.all("late"); got != "[c9]" {
		t.Fatalf("a newer add was ignored: %s", got)
	}
	c.remove("late", "c9", 3) // the old removal, redelivered
	c.add("late", "c9", t0.Add(time.Hour), 4)
	if got, n := c.all("late"), c.len("late"); got != "[c9]" || n != 1 {
		t.Fatalf("stale ops changed the queue: %s, Len %d", got, n)
	}
	if w, _ := c.q.Oldest(context.Background(), "late", 1); len(w) != 1 || !w[0].Since.Equal(t0) {
		t.Fatalf("a stale add moved the case: %+v", w)
	}
	// An op without Seq is always applied and keeps the case's Seq.
	c.remove("late", "c9", 0)
	c.add("late", "c9", t0, 0)
	c.remove("late", "c9", 4) // not above the Seq kept
	if got := c.all("late"); got != "[c9]" {
		t.Fatalf("after an op without Seq, an old removal applied: %s", got)
	}
	c.remove("late", "c9", 5)
	if got, n := c.all("late"), c.len("late"); got != "[]" || n != 0 {
		t.Fatalf("a newer removal was ignored: %s, Len %d", got, n)
	}
	// Tombstones are kept apart: they are not cases.
	for i := range 20 {
		c.add("late", "t"+strconv.Itoa(i), t0, 1)
		c.remove("late", "t"+strconv.Itoa(i), 2)
	}
	if got, n := c.all("late"), c.len("late"); got != "[]" || n != 0 {
		t.Fatalf("removed cases still count: %s, Len %d", got, n)
	}
}

func testQueueMoved(t *testing.T, c *queueCheck) {
	now, every := t0, time.Minute
	if got := c.moved(now, every, 100); got != "[]" {
		t.Fatalf("Moved of empty queues = %s", got)
	}
	c.add("sales", "c1", t0, 1)
	c.add("sales", "c2", t0.Add(time.Minute), 1)
	c.add("sales", "c3", t0.Add(2*time.Minute), 1)
	c.add("support", "s1", t0, 1)
	c.add("support", "s2", t0.Add(time.Minute), 1)
	// Every case joined: each is handed out once.
	if got := c.moved(now, every, 100); got != "[sales/c1 sales/c2 sales/c3 support/s1 support/s2]" {
		t.Fatalf("after the cases joined, Moved = %s", got)
	}
	if got := c.moved(now.Add(time.Second), every, 100); got != "[]" {
		t.Fatalf("nothing changed, yet Moved = %s", got)
	}
	// c2 leaves: c3 moves up, c1 does not; a team is looked at once a minute.
	c.remove("sales", "c2", 2)
	if got := c.moved(now.Add(10*time.Second), every, 100); got != "[]" {
		t.Fatalf("Moved within a minute of the last hand-out = %s", got)
	}
	now = now.Add(61 * time.Second)
	if got := c.moved(now, every, 100); got != "[sales/c3]" {
		t.Fatalf("after c2 left, Moved = %s, want [sales/c3]", got)
	}
	// c0 comes in ahead of everyone (a released case keeps its place).
	c.add("sales", "c0", t0.Add(-time.Minute), 3)
	c.remove("support", "s1", 2)
	if got := c.moved(now.Add(time.Second), every, 100); got != "[support/s2]" {
		t.Fatalf("Moved = %s, want [support/s2]: support was last looked at a minute ago, sales just now", got)
	}
	if got := c.moved(now.Add(61*time.Second), every, 100); got != "[sales/c0 sales/c1 sales/c3]" {
		t.Fatalf("after c0 came in ahead, Moved = %s", got)
	}
	// Ops that change nothing move nobody.
	c.add("sales", "c1", t0, 1)                    // stale
	c.add("sales", "c3", t0.Add(2*time.Minute), 4) // the same place
	c.remove("sales", "gone", 9)
	if got := c.moved(now.Add(10*time.Minute), every, 100); got != "[]" {
		t.Fatalf("ops that changed no place: Moved = %s", got)
	}
}

func testQueueJoinTold(t *testing.T, c *queueCheck) {
	now, every := t0, time.Minute
	join := func(id string, since time.Time, told int) {
		t.Helper()
		c.apply(bot.QueueOp{Add: true, Team: "sales", Case: id, Address: addr(id), Since: since, Seq: 1, Told: told})
	}
	join("c1", t0, 1)
	join("c2", t0.Add(time.Minute), 2)
	if got := c.moved(now, every, 100); got != "[]" {
		t.Fatalf("cases joined last at the place told, yet Moved = %s", got)
	}
	// c4 was told 2 (it read the length before c2 joined): it is number 3.
	join("c4", t0.Add(3*time.Minute), 2)
	if got := c.moved(now, every, 100); got != "[sales/c4]" {
		t.Fatalf("a case joined at another place than told: Moved = %s, want [sales/c4]", got)
	}
	// c3, told 3, lands ahead of c4, at the place told but not last: both
	// are looked at.
	join("c3", t0.Add(2*time.Minute), 3)
	if got := c.moved(now.Add(time.Minute), every, 100); got != "[sales/c3 sales/c4]" {
		t.Fatalf("a case joined ahead of another: Moved = %s, want [sales/c3 sales/c4]", got)
	}
}

func testQueueMovedLimit(t *testing.T, c *queueCheck) {
	now, every := t0, time.Minute
	for i := 1; i <= 5; i++ {
		c.add("sales", "c"+strconv.Itoa(i), t0.Add(time.Duration(i)*time.Minute), 1)
	}
	if got := c.moved(now, every, 2); got != "[sales/c1 sales/c2]" {
		t.Fatalf("Moved(limit 2) = %s", got)
	}
	// The rest comes with the next calls, within the minute too.
	c.remove("sales", "c1", 2)
	if got := c.moved(now.Add(time.Second), every, 2); got != "[sales/c3 sales/c4]" {
		t.Fatalf("the rest of a hand-out: Moved = %s, want [sales/c3 sales/c4]", got)
	}
	if got := c.moved(now.Add(2*time.Second), every, 2); got != "[sales/c5]" {
		t.Fatalf("the end of a hand-out: Moved = %s, want [sales/c5]", got)
	}
	if got := c.moved(now.Add(3*time.Second), every, 2); got != "[]" {
		t.Fatalf("after the hand-out, within the minute: Moved = %s", got)
	}
	// c1's leaving waited for the minute.
	if got := c.moved(now.Add(time.Minute), every, 10); got != "[sales/c2 sales/c3 sales/c4 sales/c5]" {
		t.Fatalf("a minute later, Moved = %s", got)
	}
}

func testQueueMovedOnce(t *testing.T, c *queueCheck) {
	const n = 30
	for i := range n {
		c.add("sales", fmt.Sprintf("c%02d", i), t0.Add(time.Duration(i)*time.Second), 1)
	}
	var (
		mu  sync.Mutex
		got = map[string]int{}
		wg  sync.WaitGroup
	)
	for range 4 {
		wg.Go(func() {
			for {
				w, err := c.q.Moved(context.Background(), t0, time.Minute, 4)
				if err != nil {
					t.Errorf("Moved: %v", err)
					return
				}
				if len(w) == 0 {
					return
				}
				mu.Lock()
				for _, o := range w {
					got[o.Case]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(got) != n {
		t.Fatalf("%d of %d moved cases were handed out", len(got), n)
	}
	for id, k := range got {
		if k != 1 {
			t.Fatalf("case %s was handed out %d times", id, k)
		}
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

// testCounters checks that counts add up per key, that reading adds
// nothing, that a count ends with its window, and that reaching the limit
// starts the window again.
func testCounters(t *testing.T, c bot.Counters) {
	ctx := context.Background()
	add := func(key string, n, limit int64, window time.Duration, want int64) {
		t.Helper()
		got, err := c.Add(ctx, key, n, limit, window)
		if err != nil || got != want {
			t.Fatalf("Add(%s, %d) = %d, %v; want %d", key, n, got, err, want)
		}
	}
	add("proof:a", 0, 3, time.Minute, 0) // a read of nothing
	add("proof:a", 1, 3, time.Minute, 1)
	add("proof:a", 1, 3, time.Minute, 2)
	add("proof:a", 0, 3, time.Minute, 2)
	add("proof:b", 1, 3, time.Minute, 1) // keys are independent
	add("proof:a", 2, 3, time.Minute, 4)

	// A count ends with its window.
	add("conv:x", 1, 10, 300*time.Millisecond, 1)
	add("conv:x", 1, 10, 300*time.Millisecond, 2)
	time.Sleep(400 * time.Millisecond)
	add("conv:x", 0, 10, 300*time.Millisecond, 0)
	add("conv:x", 1, 10, 300*time.Millisecond, 1)

	// The add that reaches the limit starts the window again: the key
	// stays at its limit for a whole window after it.
	add("order:y", 1, 2, 600*time.Millisecond, 1)
	time.Sleep(400 * time.Millisecond)
	add("order:y", 1, 2, 600*time.Millisecond, 2) // the limit: 600 ms again
	time.Sleep(400 * time.Millisecond)            // past the first window
	add("order:y", 0, 2, 600*time.Millisecond, 2)
	add("order:y", 1, 2, 600*time.Millisecond, 3) // past the limit: no new window
	time.Sleep(400 * time.Millisecond)
	add("order:y", 0, 2, 600*time.Millisecond, 0)

	// Counts add up across concurrent callers.
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Add(ctx, "shop", 1, 0, time.Minute); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	add("shop", 0, 0, time.Minute, 20)
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
	out := bot.Outgoing{ID: "o1", Address: a, Created: t0, Seq: 7,
		Reply: &bot.Reply{Address: a, Text: "Scegli", Buttons: []bot.Button{{Title: "Sì", Payload: "yes"}}, From: "Marco", System: true}}
	desk := bot.Outgoing{ID: "o2", Address: a, Created: t0.Add(time.Second), Seq: 7,
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
		if g.ID != w.ID || !reflect.DeepEqual(g.Reply, w.Reply) || g.Address != w.Address || g.Seq != w.Seq {
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

// testCopy: a loaded session is the caller's to change. (A committed one
// is the store's: the caller changes it no more, see bot.Store.Commit.)
func testCopy(t *testing.T, s bot.Store) {
	a := addr("copy")
	sess := bot.NewSession(a, t0)
	sess.SetSlot("k", "v")
	sess.SetVar("var", "v")
	sess.Stack = []bot.Frame{{Flow: "f", Step: "s", Slots: map[string]string{"k": "v"}}}
	sess.Recent = []string{"v"}
	sess.Case = &bot.Case{ID: "C-1", Slots: map[string]string{"k": "v"}, Summary: []string{"v"}, Last: []string{"v"}}
	mustCommit(t, s, &bot.Commit{Session: sess, MessageID: "m1"})
	// The engine changes every part of a loaded session in place, while
	// the desk notes of the last commit still read its case.
	got := mustLoad(t, s, a, "")
	got.SetSlot("k", "changed after load")
	got.SetVar("var", "changed after load")
	got.Stack[0].Slots["k"] = "changed after load"
	got.Recent[0] = "changed after load"
	got.Case.Slots["k"] = "changed after load"
	got.Case.Summary[0] = "changed after load"
	got.Case.Last[0] = "changed after load"
	again := mustLoad(t, s, a, "")
	if again.Slots["k"] != "v" || again.Vars["var"] != "v" || again.Stack[0].Slots["k"] != "v" || again.Recent[0] != "v" {
		t.Fatalf("the stored session shares memory with the caller: %+v", again)
	}
	if c := again.Case; c.Slots["k"] != "v" || c.Summary[0] != "v" || c.Last[0] != "v" {
		t.Fatalf("the stored case shares memory with the caller: %+v", c)
	}
}

// testEventsCopied: the engine builds the next message's events on the
// slice of a commit's events once Commit returns; the transcript must not
// change with it.
func testEventsCopied(t *testing.T, s bot.Store) {
	a := addr("evcopy")
	sess := bot.NewSession(a, t0)
	evs := []bot.Event{event(a, "m1", 0, "first"), event(a, "m1", 1, "second")}
	mustCommit(t, s, &bot.Commit{Session: sess, MessageID: "m1", Events: evs})
	evs[0] = event(a, "m2", 0, "overwritten")
	evs[1].Text = "overwritten"
	tr, err := s.Transcript(context.Background(), a, 10)
	if err != nil || len(tr) != 2 || tr[0].Text != "first" || tr[1].Text != "second" {
		t.Fatalf("the transcript shares memory with the committed events: %+v, %v", tr, err)
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

// testOutboxCut: Pending may cut the due entries at its limit; it never
// leases a conversation's entry of a later commit (Outgoing.Seq) without
// the earlier commits' entries, even when their clocks say otherwise (two
// replicas' clocks, a commit in the same tick), since the later one would
// be sent first and the earlier one only after the next Pending.
func testOutboxCut(t *testing.T, s bot.Store) {
	for _, tc := range []struct {
		name string
		// when the first and the second commit of one conversation wrote
		// their entries, and when another conversation wrote its own
		first, second, other time.Duration
	}{
		{"the later commit's clock behind", 5 * time.Millisecond, 0, time.Millisecond},
		{"both commits in one tick", 0, 0, time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			a, b := addr("cut-a-"+tc.name), addr("cut-b-"+tc.name)
			lease := t0.Add(30 * time.Second)
			first := reply(a, "a-first", "first", t0.Add(tc.first))
			first.Seq = 1
			mustCommit(t, s, &bot.Commit{Session: bot.NewSession(a, t0), MessageID: "m1", LeaseUntil: lease, Outbox: []bot.Outgoing{first}})
			second := reply(a, "a-second", "second", t0.Add(tc.second))
			second.Seq = 2
			mustCommit(t, s, &bot.Commit{Session: mustLoad(t, s, a, "m2"), MessageID: "m2", LeaseUntil: lease, Outbox: []bot.Outgoing{second}})
			mustCommit(t, s, &bot.Commit{Session: bot.NewSession(b, t0), MessageID: "m1", LeaseUntil: lease,
				Outbox: []bot.Outgoing{reply(b, "b-other", "other", t0.Add(tc.other))}})

			var got []string
			for n := range 3 {
				p, err := s.Pending(ctx, t0.Add(time.Minute+time.Duration(n)*time.Second), time.Hour, 1)
				if err != nil || len(p) != 1 {
					t.Fatalf("Pending(limit 1), call %d = %+v, %v; want one entry", n+1, p, err)
				}
				got = append(got, p[0].ID)
			}
			if i, j := slices.Index(got, "a-first"), slices.Index(got, "a-second"); i > j {
				t.Errorf("leased %v, one at a time: a-second (the later commit) before a-first, so the customer reads them swapped", got)
			}
		})
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

// testEventLogBacklog checks that Backlog counts what a group owes, read
// or not, tells when the oldest of it was committed, and is 0 once the
// group has acknowledged everything. Events carry the real time, as the
// engine's do, so that a store may date them by its own clock.
func testEventLogBacklog(t *testing.T, s bot.Store, l bot.EventLog) {
	ctx := context.Background()
	backlog := func() (int64, time.Time) {
		t.Helper()
		n, oldest, err := l.Backlog(ctx, "archive")
		if err != nil {
			t.Fatalf("Backlog: %v", err)
		}
		return n, oldest
	}
	if n, oldest := backlog(); n != 0 || !oldest.IsZero() {
		t.Fatalf("Backlog of an empty log = %d, %v; want 0 and no time", n, oldest)
	}
	a := addr("backlog")
	sess := bot.NewSession(a, t0)
	commit := func(id string, events int) time.Time {
		t.Helper()
		at := time.Now()
		c := &bot.Commit{Session: sess, MessageID: id}
		for i := range events {
			ev := event(a, id, i, id)
			ev.Time = at
			c.Events = append(c.Events, ev)
		}
		mustCommit(t, s, c)
		return at
	}
	// near reports whether a store's time of a commit is the commit's, to
	// the precision of a clock that may not be ours.
	near := func(got, want time.Time) bool {
		return got.After(want.Add(-time.Second)) && got.Before(want.Add(time.Second))
	}
	first := commit("m1", 2)
	commit("m2", 1)
	n, oldest := backlog()
	if n < 2 || n > 3 {
		t.Fatalf("Backlog before any read = %d; want one per commit to one per event (2 to 3)", n)
	}
	if !near(oldest, first) {
		t.Errorf("oldest entry owed = %v; want the first commit's time %v", oldest, first)
	}
	got, err := l.ReadEvents(ctx, "archive", 10, 100*time.Millisecond)
	if err != nil || len(got) != 3 {
		t.Fatalf("ReadEvents = %d events, %v; want 3", len(got), err)
	}
	if n2, _ := backlog(); n2 != n {
		t.Errorf("Backlog after reading without acknowledging = %d; want %d: read is not archived", n2, n)
	}
	if err := l.AckEvents(ctx, "archive", got...); err != nil {
		t.Fatalf("AckEvents: %v", err)
	}
	if n, oldest := backlog(); n != 0 || !oldest.IsZero() {
		t.Fatalf("Backlog after every ack = %d, %v; want 0 and no time", n, oldest)
	}
	time.Sleep(20 * time.Millisecond) // a later commit, to the millisecond
	later := commit("m3", 1)
	if n, oldest := backlog(); n != 1 || !near(oldest, later) || oldest.Before(first.Truncate(time.Millisecond).Add(time.Millisecond)) {
		t.Errorf("Backlog after a new commit = %d, %v; want 1 and its time %v", n, oldest, later)
	}
}

// testCapabilities: the capabilities a store offers work on the store
// that offers them, and Ping, when there is one, says the store answers.
func testCapabilities(t *testing.T, s bot.Store) {
	ctx := context.Background()
	caps := s.Capabilities()
	if caps.Ping != nil {
		if err := caps.Ping(ctx); err != nil {
			t.Errorf("Ping of a store in use: %v", err)
		}
	}
	if caps.Directory != nil {
		if err := caps.Directory.Put(ctx, "capabilities-test", "v", time.Minute); err != nil {
			t.Fatal(err)
		}
		if v, err := s.Capabilities().Directory.Get(ctx, "capabilities-test"); err != nil || v != "v" {
			t.Errorf("the Directory of a second Capabilities call reads %q, %v; want the same directory", v, err)
		}
	}
	if caps.Queues != nil {
		if n, err := caps.Queues.Len(ctx, "nobody"); err != nil || n != 0 {
			t.Errorf("Len of an empty queue = %d, %v", n, err)
		}
	}
}
