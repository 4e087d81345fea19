package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
)

// panickyStore panics where told: on the outbox's polls and
// acknowledgements, the timers' poll, or a timer's commit.
type panickyStore struct {
	bot.Store
	polls, timerCommits, refusalCommits, loads bool
}

func (s panickyStore) Load(ctx context.Context, addr bot.Address, msgID string) (*bot.Session, error) {
	if s.loads {
		panic("the store has a bug")
	}
	return s.Store.Load(ctx, addr, msgID)
}

func (s panickyStore) Pending(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]bot.Outgoing, error) {
	if s.polls {
		panic("the store has a bug")
	}
	return s.Store.Pending(ctx, now, lease, limit)
}

func (s panickyStore) Ack(ctx context.Context, entries ...bot.Outgoing) error {
	if s.polls {
		panic("the store has a bug")
	}
	return s.Store.Ack(ctx, entries...)
}

func (s panickyStore) DueTimers(ctx context.Context, now time.Time, limit int) ([]bot.Timer, error) {
	if s.polls {
		panic("the store has a bug")
	}
	return s.Store.DueTimers(ctx, now, limit)
}

func (s panickyStore) Commit(ctx context.Context, c *bot.Commit) error {
	if s.timerCommits && strings.HasPrefix(c.MessageID, "timer:") ||
		s.refusalCommits && strings.HasPrefix(c.MessageID, "undeliverable:") {
		panic("the store has a bug")
	}
	return s.Store.Commit(ctx, c)
}

// The engine's own goroutines (Run's polls, the delivery workers, the
// timers') call the store too: a store that panics there fails the call,
// like a store that is down, and the process goes on. Before, the panic
// ended the process (queue reads alone were recovered, f07349d).
func TestAPanickingStoreDoesNotEndTheProcess(t *testing.T) {
	t.Run("polls and acknowledgements", func(t *testing.T) {
		r := newRig(t, greeter, func(c *bot.Config) {
			c.Store = panickyStore{Store: c.Store, polls: true}
			c.Poll = 5 * time.Millisecond
		})
		r.mustHandle(t, botfake.Message(alice, "m1", "hello"))
		if got := lastText(r, alice); !strings.Contains(got, "Hello") {
			t.Fatalf("the customer was told %q, want the greeting", got)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Millisecond)
		defer cancel()
		if err := r.engine.Run(ctx); err != nil {
			t.Fatalf("Run: %v", err)
		}
	})
	t.Run("a timer's commit", func(t *testing.T) {
		r := newRig(t, handoffResponder, func(c *bot.Config) {
			c.Teams = bot.TeamList{salesTeam}
			c.Store = panickyStore{Store: c.Store, timerCommits: true}
		})
		r.clock.Advance(48 * time.Hour) // Monday, open
		a := bot.Address{Channel: "test", ChatID: "a"}
		r.mustHandle(t, botfake.Message(a, "a1", "agent"))
		r.clock.Advance(24 * time.Hour) // every timer of the case due
		r.fire(t)
	})
	t.Run("a refused reply's record", func(t *testing.T) {
		r := newRig(t, greeter, func(c *bot.Config) {
			c.Store = panickyStore{Store: c.Store, refusalCommits: true}
		})
		r.ch.Fail = func(bot.Reply) error { return fmt.Errorf("blocked by the user: %w", bot.ErrUndeliverable) }
		r.mustHandle(t, botfake.Message(alice, "m1", "hello"))
	})
	t.Run("a customer's message", func(t *testing.T) {
		r := newRig(t, greeter, func(c *bot.Config) {
			c.Store = panickyStore{Store: c.Store, loads: true}
		})
		if err := r.engine.Handle(context.Background(), botfake.Message(alice, "m1", "hello")); err == nil {
			t.Fatal("Handle = nil with a store that panics, want an error for the channel to retry")
		}
		if got := lastText(r, alice); got == "" {
			t.Error("the customer was told nothing, want the apology")
		}
	})
}

// panickyMeter panics on every measurement, as a metrics library might
// on a label it did not expect.
type panickyMeter struct{}

func (panickyMeter) Handled(string, bot.MessageKind, bot.Outcome, time.Duration) {
	panic("the meter has a bug")
}
func (panickyMeter) Sent(string, bot.SendResult, time.Duration) { panic("the meter has a bug") }
func (panickyMeter) Case(string, bot.EventType, time.Duration)  { panic("the meter has a bug") }

// A meter that panics loses its measurement, not the message: the reply
// is delivered, a handoff's case steps are committed, and Handle returns
// no error. Before, the panic of Handled (deferred in Handle) ended the
// process after the reply had gone.
func TestAPanickingMeterCostsOnlyItsMeasurement(t *testing.T) {
	r := newRig(t, handoffResponder, func(c *bot.Config) {
		c.Teams = bot.TeamList{salesTeam}
		c.Meter = panickyMeter{}
	})
	r.clock.Advance(48 * time.Hour) // Monday, open
	r.mustHandle(t, botfake.Message(alice, "m1", "hello"))
	if got := lastText(r, alice); got == "" {
		t.Fatal("the customer was told nothing")
	}
	r.mustHandle(t, botfake.Message(alice, "m2", "agent"))
	r.clock.Advance(24 * time.Hour)
	r.fire(t)
}
