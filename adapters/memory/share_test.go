package memory_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
)

// TestTranscriptAndLogShareNothingTheyHandOut: the transcript and the
// event log keep one copy of a commit's events; what either hands out is
// the caller's, so changing it changes neither, and a transcript trimmed
// to its latest events leaves the log's as they were.
func TestTranscriptAndLogShareNothingTheyHandOut(t *testing.T) {
	ctx := context.Background()
	s := memory.NewStoreWith(memory.Options{TranscriptLen: 3})
	a := bot.Address{Channel: "test", ChatID: "1"}
	sess := bot.NewSession(a, time.Now())
	for c := range 3 {
		evs := []bot.Event{{ID: fmt.Sprint(c, "a"), Text: fmt.Sprint(c, "a")}, {ID: fmt.Sprint(c, "b"), Text: fmt.Sprint(c, "b")}}
		if err := s.Commit(ctx, &bot.Commit{Session: sess, MessageID: fmt.Sprint("m", c), Events: evs}); err != nil {
			t.Fatal(err)
		}
		sess = sess.Clone() // the committed session is the store's
	}
	tr, _ := s.Transcript(ctx, a, 10)
	for i := range tr {
		tr[i].Text = "changed by the transcript's reader"
	}
	got, _ := s.ReadEvents(ctx, "g", 10, 0)
	if len(got) != 6 {
		t.Fatalf("the log has %d events, want all 6 (the transcript keeps 3)", len(got))
	}
	for i, en := range got {
		if want := fmt.Sprint(i/2, string(rune('a'+i%2))); en.Event.Text != want {
			t.Fatalf("log event %d = %q, want %q", i, en.Event.Text, want)
		}
		got[i].Event.Text = "changed by the log's reader"
	}
	tr, _ = s.Transcript(ctx, a, 10)
	if len(tr) != 3 || tr[0].Text != "1b" || tr[1].Text != "2a" || tr[2].Text != "2b" {
		t.Fatalf("transcript = %+v, want 1b 2a 2b", tr)
	}
}

// TestCommitsAndReadsAtOnce commits to several conversations while the
// transcripts and the log are read (-race): each reader sees events whole.
func TestCommitsAndReadsAtOnce(t *testing.T) {
	ctx := context.Background()
	s := memory.NewStoreWith(memory.Options{TranscriptLen: 7})
	var wg sync.WaitGroup
	for c := range 4 {
		wg.Go(func() {
			a := bot.Address{Channel: "test", ChatID: fmt.Sprint(c)}
			sess := bot.NewSession(a, time.Now())
			for m := range 200 {
				var evs []bot.Event
				for i := range m % 5 {
					id := fmt.Sprintf("%d|%d|%d", c, m, i)
					evs = append(evs, bot.Event{ID: id, Text: id, Address: a})
				}
				if err := s.Commit(ctx, &bot.Commit{Session: sess, MessageID: fmt.Sprint("m", m), Events: evs}); err != nil {
					t.Error(err)
					return
				}
				sess = sess.Clone()
				for i := range evs {
					evs[i].Text = "reused" // as the engine reuses its buffer
				}
				tr, _ := s.Transcript(ctx, a, 7)
				for _, ev := range tr {
					if ev.Text != ev.ID {
						t.Errorf("transcript event %q reads %q", ev.ID, ev.Text)
						return
					}
				}
			}
		})
	}
	wg.Go(func() {
		for range 200 {
			got, _ := s.ReadEvents(ctx, "g", 20, time.Millisecond)
			for _, en := range got {
				if en.Event.Text != en.Event.ID {
					t.Errorf("log event %q reads %q", en.Event.ID, en.Event.Text)
					return
				}
			}
			_ = s.AckEvents(ctx, "g", got...)
		}
	})
	wg.Wait()
}
