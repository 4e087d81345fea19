package memory_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/bottest"
)

func TestConformance(t *testing.T) {
	bottest.StoreSuite(t, func(t *testing.T) bot.Store { return memory.NewStore() })
}

func TestSessionExpiresAfterInactivity(t *testing.T) {
	now := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	s := memory.NewStoreWith(memory.Options{SessionTTL: time.Hour, DedupTTL: 2 * time.Hour, Now: func() time.Time { return now }})
	ctx := context.Background()
	a := bot.Address{Channel: "test", ChatID: "1"}
	if err := s.Commit(ctx, &bot.Commit{Session: bot.NewSession(a, now), MessageID: "m1",
		Events: []bot.Event{{ID: "e1", Type: bot.EventCustomer, Text: "hi"}}}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(59 * time.Minute)
	if sess, err := s.Load(ctx, a, ""); err != nil || sess == nil {
		t.Fatalf("before the TTL: Load = %v, %v; want the session", sess, err)
	}
	now = now.Add(2 * time.Minute)
	if sess, err := s.Load(ctx, a, ""); err != nil || sess != nil {
		t.Fatalf("after the TTL: Load = %+v, %v; want nil", sess, err)
	}
	if tr, _ := s.Transcript(ctx, a, 10); len(tr) != 0 {
		t.Fatalf("the transcript outlived the session: %+v", tr)
	}
	// The message ID is still remembered: a late redelivery is not handled again.
	if _, err := s.Load(ctx, a, "m1"); err == nil {
		t.Fatal("a message redelivered after the session expired was not recognised")
	}
	now = now.Add(time.Hour)
	if _, err := s.Load(ctx, a, "m1"); err != nil {
		t.Fatalf("after the de-duplication TTL: %v", err)
	}
}

func TestAnOpenCaseOutlivesTheSessionTTL(t *testing.T) {
	now := time.Date(2025, 6, 6, 19, 0, 0, 0, time.UTC) // Friday evening
	s := memory.NewStoreWith(memory.Options{SessionTTL: 24 * time.Hour, Now: func() time.Time { return now }})
	ctx := context.Background()
	a := bot.Address{Channel: "test", ChatID: "1"}
	sess := bot.NewSession(a, now)
	sess.Mode, sess.Case = bot.ModeQueued, &bot.Case{ID: "C-1", Team: "support"}
	if err := s.Commit(ctx, &bot.Commit{Session: sess, MessageID: "m1"}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(62 * time.Hour) // Monday morning
	if got, err := s.Load(ctx, a, ""); err != nil || got == nil || got.Case == nil {
		t.Fatalf("the queued case was lost over the weekend: %+v, %v", got, err)
	}
}

// TestTranscriptKeepsTheLatestEvents commits batches of three events into
// a store that keeps five: the transcript is always the latest five, in
// order, whatever commit they came from.
func TestTranscriptKeepsTheLatestEvents(t *testing.T) {
	ctx := context.Background()
	s := memory.NewStoreWith(memory.Options{TranscriptLen: 5})
	a := bot.Address{Channel: "test", ChatID: "1"}
	sess := bot.NewSession(a, time.Now())
	n := 0
	for c := range 6 {
		var evs []bot.Event
		for range 3 {
			evs = append(evs, bot.Event{ID: strconv.Itoa(n), Text: strconv.Itoa(n)})
			n++
		}
		if c == 3 {
			evs = nil // a commit without events
		}
		if err := s.Commit(ctx, &bot.Commit{Session: sess, MessageID: "m" + strconv.Itoa(c), Events: evs}); err != nil {
			t.Fatal(err)
		}
		if evs == nil {
			n -= 3
		}
		for _, limit := range []int{1, 2, 4, 5, 100} {
			tr, err := s.Transcript(ctx, a, limit)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range tr {
				got = append(got, e.Text)
			}
			var want []string
			for i := max(0, n-min(limit, 5)); i < n; i++ {
				want = append(want, strconv.Itoa(i))
			}
			if !slices.Equal(got, want) {
				t.Fatalf("after commit %d, Transcript(%d) = %v, want %v", c, limit, got, want)
			}
		}
	}
}
