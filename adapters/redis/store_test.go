package redis_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/redis"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/bottest"
)

// testURL is the Redis the tests use: REDIS_TEST_URL, or the one that runs
// on every development and CI machine.
func testURL() string {
	if u := os.Getenv("REDIS_TEST_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// randomPrefix returns a key prefix of its own for one test.
func randomPrefix() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "sportello-test:" + hex.EncodeToString(b) + ":"
}

// mustOpen opens a store under a fresh prefix (unless opt names one) and
// deletes its keys when the test ends.
func mustOpen(tb testing.TB, url string, opt redis.Options) *redis.Store {
	tb.Helper()
	if opt.Prefix == "" {
		opt.Prefix = randomPrefix()
	}
	s, err := redis.Open(context.Background(), url, opt)
	if err != nil {
		tb.Fatalf("Open(%s): %v", redis.Redacted(url), err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := s.Purge(ctx); err != nil {
			tb.Logf("purge: %v", err)
		}
		s.Close()
	})
	return s
}

// mustReachRedis fails the test early, with a clear message, when the
// shared Redis does not answer.
func mustReachRedis(tb testing.TB) {
	tb.Helper()
	s := mustOpen(tb, testURL(), redis.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.Ping(ctx); err != nil {
		tb.Fatalf("these tests need Redis at %s (set REDIS_TEST_URL): %v", redis.Redacted(testURL()), err)
	}
}

func TestConformance(t *testing.T) {
	mustReachRedis(t)
	bottest.StoreSuite(t, func(t *testing.T) bot.Store { return mustOpen(t, testURL(), redis.Options{}) })
}

// On a Cluster the conversations spread over shards; the suite passes
// with several shards on one server too.
func TestConformanceSharded(t *testing.T) {
	mustReachRedis(t)
	bottest.StoreSuite(t, func(t *testing.T) bot.Store { return mustOpen(t, testURL(), redis.Options{Shards: 5}) })
}

func TestConformanceAutoPipelined(t *testing.T) {
	mustReachRedis(t)
	bottest.StoreSuite(t, func(t *testing.T) bot.Store { return mustOpen(t, testURL()+"?autopipeline=true", redis.Options{}) })
}

func TestSessionExpiresAfterInactivityDedupLater(t *testing.T) {
	mustReachRedis(t)
	now := time.Now()
	clock := func() time.Time { return now }
	s := mustOpen(t, testURL(), redis.Options{SessionTTL: 300 * time.Millisecond, DedupTTL: 2 * time.Hour, Now: clock})
	ctx := context.Background()
	a := bot.Address{Channel: "test", ChatID: "1"}
	if err := s.Commit(ctx, &bot.Commit{Session: bot.NewSession(a, now), MessageID: "m1",
		Events: []bot.Event{{ID: "e1", Type: bot.EventCustomer, Text: "hi"}}}); err != nil {
		t.Fatal(err)
	}
	if sess, err := s.Load(ctx, a, ""); err != nil || sess == nil {
		t.Fatalf("before the TTL: Load = %v, %v; want the session", sess, err)
	}
	now = now.Add(301 * time.Millisecond)
	if sess, err := s.Load(ctx, a, ""); err != nil || sess != nil {
		t.Fatalf("after the TTL: Load = %+v, %v; want nil", sess, err)
	}
	if tr, _ := s.Transcript(ctx, a, 10); len(tr) != 0 {
		t.Fatalf("the transcript outlived the session: %+v", tr)
	}
	// The message ID is still remembered: a late redelivery is not handled again.
	if _, err := s.Load(ctx, a, "m1"); !errors.Is(err, bot.ErrDuplicate) {
		t.Fatalf("a message redelivered after the session expired: err = %v, want ErrDuplicate", err)
	}
	// A new message starts afresh: the old transcript is gone with its session.
	if err := s.Commit(ctx, &bot.Commit{Session: bot.NewSession(a, now), MessageID: "m2",
		Events: []bot.Event{{ID: "e2", Type: bot.EventCustomer, Text: "again"}}}); err != nil {
		t.Fatalf("commit after the session expired: %v", err)
	}
	if tr, _ := s.Transcript(ctx, a, 10); len(tr) != 1 || tr[0].Text != "again" {
		t.Fatalf("transcript of the new session = %+v, want only its own event", tr)
	}
	if _, err := s.Load(ctx, a, "m1"); !errors.Is(err, bot.ErrDuplicate) {
		t.Fatalf("the new session forgot the old message IDs: err = %v", err)
	}
	now = now.Add(2 * time.Hour)
	if sess, err := s.Load(ctx, a, "m1"); err != nil || sess != nil {
		t.Fatalf("after the de-duplication TTL: Load = %+v, %v; want nil, nil", sess, err)
	}
}

func TestTranscriptKeepsTheLatest(t *testing.T) {
	mustReachRedis(t)
	s := mustOpen(t, testURL(), redis.Options{TranscriptLen: 3})
	ctx := context.Background()
	a := bot.Address{Channel: "test", ChatID: "long"}
	sess := bot.NewSession(a, time.Now())
	for _, id := range []string{"m1", "m2", "m3", "m4", "m5"} {
		if err := s.Commit(ctx, &bot.Commit{Session: sess, MessageID: id,
			Events: []bot.Event{{ID: id, Type: bot.EventCustomer, Text: id}}}); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := s.Transcript(ctx, a, 100)
	if err != nil || len(tr) != 3 || tr[0].Text != "m3" || tr[2].Text != "m5" {
		t.Fatalf("Transcript = %+v, %v; want m3..m5", tr, err)
	}
}

func TestAckIsWrittenInTheBackground(t *testing.T) {
	mustReachRedis(t)
	prefix := randomPrefix()
	w := mustOpen(t, testURL(), redis.Options{Prefix: prefix, AckDelay: 5 * time.Millisecond})
	r := mustOpen(t, testURL(), redis.Options{Prefix: prefix})
	ctx := context.Background()
	a := bot.Address{Channel: "test", ChatID: "ack"}
	t0 := time.Now()
	out := bot.Outgoing{ID: "o1", Address: a, Reply: &bot.Reply{Address: a, Text: "hi"}, Created: t0}
	if err := w.Commit(ctx, &bot.Commit{Session: bot.NewSession(a, t0), MessageID: "m1",
		Outbox: []bot.Outgoing{out}, LeaseUntil: t0.Add(time.Second)}); err != nil {
		t.Fatal(err)
	}
	if err := w.Ack(ctx, out); err != nil {
		t.Fatal(err)
	}
	// Another replica sees the acknowledgement once the writer's
	// background batch is written, without a Flush.
	time.Sleep(300 * time.Millisecond)
	if p, err := r.Pending(ctx, t0.Add(time.Hour), time.Hour, 10); err != nil || len(p) != 0 {
		t.Fatalf("Pending on another replica after the Ack = %+v, %v; want nothing", p, err)
	}
}

func TestEventLogFeedsEveryGroupAndTrims(t *testing.T) {
	mustReachRedis(t)
	ctx := context.Background()
	s := mustOpen(t, testURL(), redis.Options{})
	a := bot.Address{Channel: "test", ChatID: "1"}
	sess := bot.NewSession(a, time.Now())
	if err := s.Commit(ctx, &bot.Commit{Session: sess, MessageID: "m1",
		Events: []bot.Event{{ID: "e1", Address: a, Text: "one"}, {ID: "e2", Text: "two"}, {ID: "e3", Text: "three"}}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ReadEvents(ctx, "archive", 2, 0)
	if err != nil || len(got) != 2 || got[0].Event.ID != "e1" || got[1].Event.ID != "e2" || got[0].Event.Address != a {
		t.Fatalf("ReadEvents(max 2) = %+v, %v", got, err)
	}
	rest, err := s.ReadEvents(ctx, "archive", 10, 0)
	if err != nil || len(rest) != 1 || rest[0].Event.ID != "e3" {
		t.Fatalf("ReadEvents after max = %+v, %v; want e3", rest, err)
	}
	if again, _ := s.ReadEvents(ctx, "archive", 10, 0); len(again) != 0 {
		t.Fatalf("read twice before the redelivery time: %+v", again)
	}
	// A group that comes later reads from the oldest entry kept.
	if other, _ := s.ReadEvents(ctx, "other", 10, 0); len(other) != 3 {
		t.Fatalf("another group read %d events, want 3", len(other))
	}
	if err := s.AckEvents(ctx, "archive", append(got, rest...)...); err != nil {
		t.Fatal(err)
	}
	streams, _ := s.StreamMemory(ctx)
	if streams == 0 {
		t.Fatal("the entry was trimmed while the group other had not acknowledged it")
	}

	// A reader waiting for events wakes up at the next commit.
	done := make(chan []bot.LogEntry)
	go func() {
		e, _ := s.ReadEvents(ctx, "archive", 10, 5*time.Second)
		done <- e
	}()
	time.Sleep(100 * time.Millisecond)
	if err := s.Commit(ctx, &bot.Commit{Session: sess, MessageID: "m2", Events: []bot.Event{{ID: "e4"}}}); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-done:
		if len(e) != 1 || e[0].Event.ID != "e4" {
			t.Fatalf("waiting reader got %+v", e)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("the waiting reader was not woken by the commit")
	}
}
