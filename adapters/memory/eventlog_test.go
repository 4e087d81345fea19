package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
)

func TestEventLogFeedsEveryGroup(t *testing.T) {
	ctx := context.Background()
	s := memory.NewStore()
	a := bot.Address{Channel: "test", ChatID: "1"}
	sess := bot.NewSession(a, time.Now())
	if err := s.Commit(ctx, &bot.Commit{Session: sess, MessageID: "m1",
		Events: []bot.Event{{ID: "e1", Text: "one"}, {ID: "e2", Text: "two"}}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ReadEvents(ctx, "archive", 10, 0)
	if err != nil || len(got) != 2 || got[0].Event.ID != "e1" || got[1].Event.ID != "e2" {
		t.Fatalf("ReadEvents = %+v, %v", got, err)
	}
	if again, _ := s.ReadEvents(ctx, "archive", 10, 0); len(again) != 0 {
		t.Fatalf("read twice before the redelivery time: %+v", again)
	}
	if other, _ := s.ReadEvents(ctx, "other", 10, 0); len(other) != 2 {
		t.Fatalf("another group read %d events, want 2", len(other))
	}
	if err := s.AckEvents(ctx, "archive", got...); err != nil {
		t.Fatal(err)
	}
	// A reader waiting for events wakes up at the next commit.
	done := make(chan []bot.LogEntry)
	go func() {
		e, _ := s.ReadEvents(ctx, "archive", 10, 5*time.Second)
		done <- e
	}()
	time.Sleep(50 * time.Millisecond)
	if err := s.Commit(ctx, &bot.Commit{Session: sess, MessageID: "m2", Events: []bot.Event{{ID: "e3"}}}); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-done:
		if len(e) != 1 || e[0].Event.ID != "e3" {
			t.Fatalf("waiting reader got %+v", e)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the waiting reader was not woken by the commit")
	}
}
