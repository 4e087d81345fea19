package bot_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
)

// meterLog is a bot.Meter that writes down what it hears.
type meterLog struct {
	mu      sync.Mutex
	handled []string        // "channel kind outcome"
	sent    []string        // "kind result"
	cases   []string        // "team step"
	claims  []time.Duration // open, per claim
}

func (m *meterLog) Handled(channel string, kind bot.MessageKind, outcome bot.Outcome, took time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.handled = append(m.handled, fmt.Sprintf("%s %s %s", channel, kind, outcome))
}

func (m *meterLog) Sent(kind string, result bot.SendResult, took time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, kind+" "+string(result))
}

func (m *meterLog) Case(team string, step bot.EventType, open time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cases = append(m.cases, team+" "+string(step))
	if step == bot.EventClaimed {
		m.claims = append(m.claims, open)
	}
}

func (m *meterLog) count(list *[]string, s string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, x := range *list {
		if x == s {
			n++
		}
	}
	return n
}

// TestMeterHearsAHandoffItsClaimAndItsEnd: the steps of a case reach the
// meter once each, after their commit, with the time the case waited for
// its claim; every message with its outcome, every delivery with its kind.
func TestMeterHearsAHandoffItsClaimAndItsEnd(t *testing.T) {
	m := &meterLog{}
	r := newRig(t, handoffResponder, withTeams, func(c *bot.Config) { c.Meter = m })
	r.clock.Advance(48 * time.Hour) // Monday 10:00: sales is open
	r.mustHandle(t, botfake.Message(alice, "m1", "agent"))
	r.mustHandle(t, botfake.Message(alice, "m1", "agent")) // the channel delivers it again
	r.clock.Advance(3 * time.Minute)
	r.mustHandle(t, agentMsg(alice, "x1", "claim", "Marco", ""))
	r.mustHandle(t, agentMsg(alice, "x2", "resolve", "Marco", ""))

	if got := m.cases; !slices.Equal(got, []string{"sales handoff_queued", "sales handoff_claimed", "sales handoff_resolved"}) {
		t.Errorf("case steps = %q", got)
	}
	if len(m.claims) != 1 || m.claims[0] != 3*time.Minute {
		t.Errorf("time to claim = %v, want [3m]", m.claims)
	}
	for s, want := range map[string]int{"test  handled": 1, "test  duplicate": 1, "test agent handled": 2} {
		if got := m.count(&m.handled, s); got != want {
			t.Errorf("messages %q: %d, want %d (all: %q)", s, got, want, m.handled)
		}
	}
	for _, s := range []string{"reply delivered", "desk delivered", "queue delivered"} {
		if m.count(&m.sent, s) == 0 {
			t.Errorf("no %q among the sends: %q", s, m.sent)
		}
	}
}

// downDesk is a desk that cannot be reached.
type downDesk struct{}

func (downDesk) Post(context.Context, bot.DeskNote) error {
	return errors.New("slack: connection refused")
}

// TestBacklogShowsADeskThatIsDown: while the desk fails, its notes stay in
// this process's lanes, and the backlog shows them growing old; the
// customers' replies, in lanes of their own, are not held up.
func TestBacklogShowsADeskThatIsDown(t *testing.T) {
	m := &meterLog{}
	r := newRig(t, handoffResponder, withTeams, func(c *bot.Config) { c.Meter = m; c.Desk = downDesk{} })
	r.clock.Advance(48 * time.Hour)
	if err := r.engine.Handle(context.Background(), botfake.Message(alice, "m1", "agent")); err != nil {
		t.Fatal(err)
	}
	r.clock.Advance(15 * time.Second)
	deadline := time.Now().Add(5 * time.Second)
	for m.count(&m.sent, "desk failed") == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	got := map[string]bot.Backlog{}
	for _, b := range r.engine.Backlog() {
		got[b.Kind] = b
	}
	// Entries of one commit are microseconds apart, to keep their order.
	if b := got[bot.KindDesk]; b.Entries != 1 || b.Oldest <= 14*time.Second || b.Oldest > 15*time.Second {
		t.Errorf("desk backlog = %+v, want 1 entry 15 s old", b)
	}
	if b := got[bot.KindReply]; b.Entries != 0 || b.Oldest != 0 {
		t.Errorf("reply backlog = %+v, want none: the customer was answered", b)
	}
	if _, ok := got[bot.KindQueue]; !ok {
		t.Error("no queue backlog: every kind is reported, empty ones too")
	}
}
