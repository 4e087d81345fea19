package report_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// flaky is an archive that is down for its first down appends, and
// counts the appends.
type flaky struct {
	*memory.Archive
	down    atomic.Int32
	appends atomic.Int32
}

var errDown = errors.New("connection refused")

func (f *flaky) Append(ctx context.Context, evs ...bot.Event) error {
	f.appends.Add(1)
	if f.down.Add(-1) >= 0 {
		return errDown
	}
	return f.Archive.Append(ctx, evs...)
}

// logEvents commits n one-event conversations to a memory store's log;
// those whose index is in poison get a NUL, which the archive refuses.
func logEvents(t *testing.T, n int, poison ...int) *memory.Store {
	t.Helper()
	s := memory.NewStore()
	for i := range n {
		addr := bot.Address{Channel: "web", ChatID: fmt.Sprintf("v%d", i)}
		text := "hello"
		for _, p := range poison {
			if p == i {
				text = "a\x00b"
			}
		}
		e := bot.Event{ID: addr.String() + "|m|0", Address: addr, Type: bot.EventCustomer, Time: t0, Text: text}
		if err := s.Commit(context.Background(), &bot.Commit{Session: bot.NewSession(addr, t0), MessageID: "m",
			Events: []bot.Event{e}}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func drain(t *testing.T, arc *report.Archiver) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	total := 0
	for {
		n, err := arc.Step(ctx, 0)
		if err != nil {
			t.Fatalf("after %d events: %v", total, err)
		}
		if n == 0 {
			return total
		}
		total += n
	}
}

// TestOnePoisonEntryDoesNotStopTheArchiver: among 100 events, the two the
// archive refuses are found by halving and set aside; the 98 others are
// archived, and the log is acknowledged.
func TestOnePoisonEntryDoesNotStopTheArchiver(t *testing.T) {
	ctx := context.Background()
	s := logEvents(t, 100, 17, 61)
	a := &flaky{Archive: memory.NewArchive()}
	arc, _ := report.NewArchiver(report.ArchiverConfig{Log: s, Archive: a, Batch: 100})
	if n := drain(t, arc); n != 100 {
		t.Fatalf("took %d events off the log, want 100", n)
	}
	if _, total, _ := a.List(ctx, report.Filter{}); total != 98 {
		t.Errorf("%d conversations archived, want 98", total)
	}
	letters, _ := a.DeadLetters(ctx, 10, 0)
	if len(letters) != 2 || letters[0].Event.Address.ChatID != "v17" || letters[1].Event.Address.ChatID != "v61" ||
		!strings.Contains(letters[0].Err, "NUL") {
		t.Errorf("dead letters %+v, want v17 and v61 with why", letters)
	}
	// Halving: 1 + 2 per level on the way down to each poison, about.
	if n := a.appends.Load(); n > 30 {
		t.Errorf("%d appends to isolate two poisons among 100", n)
	}
	if again, _ := s.ReadEvents(ctx, "archive", 100, 0); len(again) != 0 {
		t.Errorf("%d events still unacknowledged", len(again))
	}
}

// TestArchiverWaitsWhileTheArchiveIsDown: an outage is not a refusal;
// the batch is tried again, whole, and nothing is set aside.
func TestArchiverWaitsWhileTheArchiveIsDown(t *testing.T) {
	ctx := context.Background()
	s := logEvents(t, 10)
	a := &flaky{Archive: memory.NewArchive()}
	a.down.Store(2)
	arc, _ := report.NewArchiver(report.ArchiverConfig{Log: s, Archive: a})
	start := time.Now()
	if n := drain(t, arc); n != 10 {
		t.Fatalf("archived %d events, want 10", n)
	}
	if d := time.Since(start); d < 500*time.Millisecond {
		t.Errorf("tried again after %v: no pause", d)
	}
	if n, _ := a.CountDeadLetters(ctx); n != 0 {
		t.Errorf("%d dead letters of an outage", n)
	}
	if n := a.appends.Load(); n != 3 {
		t.Errorf("%d appends, want 2 failed and 1", n)
	}
}

// TestRetryDeadLetters re-archives the letters the archive now accepts
// and keeps those it still refuses, with the new error.
func TestRetryDeadLetters(t *testing.T) {
	ctx := context.Background()
	a := memory.NewArchive()
	good := bot.Event{ID: "web:v|m1|0", Address: bot.Address{Channel: "web", ChatID: "v"}, Type: bot.EventCustomer, Time: t0, Text: "fine now"}
	bad := good
	bad.ID, bad.Text = "web:v|m2|0", "still\x00bad"
	if err := a.SetAside(ctx, report.DeadLetter{Event: good, Err: "was refused", At: t0},
		report.DeadLetter{Event: bad, Err: "was refused", At: t0}); err != nil {
		t.Fatal(err)
	}
	res, err := report.RetryDeadLetters(ctx, a, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed != 1 || len(res.Refused) != 1 || res.Refused[0].Event.ID != bad.ID || !strings.Contains(res.Refused[0].Err, "NUL") {
		t.Fatalf("retry: %+v", res)
	}
	if _, evs, err := a.Transcript(ctx, "web:v"); err != nil || len(evs) != 1 {
		t.Errorf("re-archived: %v %v", evs, err)
	}
	left, _ := a.DeadLetters(ctx, 10, 0)
	if len(left) != 1 || left[0].Event.ID != bad.ID || !left[0].At.Equal(t0) || !strings.Contains(left[0].Err, "NUL") {
		t.Errorf("left aside: %+v", left)
	}
}

// TestRetryDeadLettersPagesThroughMany: more letters than a page, some
// still refused, all visited once.
func TestRetryDeadLettersPagesThroughMany(t *testing.T) {
	ctx := context.Background()
	a := memory.NewArchive()
	for i := range 250 {
		e := bot.Event{ID: fmt.Sprintf("web:v%d|m|0", i), Address: bot.Address{Channel: "web", ChatID: fmt.Sprint("v", i)},
			Type: bot.EventCustomer, Time: t0, Text: "ok"}
		if i%3 == 0 {
			e.Text = "\x00"
		}
		a.SetAside(ctx, report.DeadLetter{Event: e, Err: "refused", At: t0.Add(time.Duration(i) * time.Millisecond)})
	}
	res, err := report.RetryDeadLetters(ctx, a, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed != 166 || len(res.Refused) != 84 {
		t.Errorf("passed %d, refused %d; want 166 and 84", res.Passed, len(res.Refused))
	}
	if n, _ := a.CountDeadLetters(ctx); n != 84 {
		t.Errorf("%d left aside, want 84", n)
	}
}

func TestRetryDeadLettersStopsWhileTheArchiveIsDown(t *testing.T) {
	ctx := context.Background()
	a := &flaky{Archive: memory.NewArchive()}
	a.down.Store(1)
	e := bot.Event{ID: "web:v|m|0", Address: bot.Address{Channel: "web", ChatID: "v"}, Type: bot.EventCustomer, Time: t0}
	a.SetAside(ctx, report.DeadLetter{Event: e, Err: "refused", At: t0})
	if _, err := report.RetryDeadLetters(ctx, a, nil); !errors.Is(err, errDown) {
		t.Errorf("RetryDeadLetters: %v, want the outage", err)
	}
	if n, _ := a.CountDeadLetters(ctx); n != 1 {
		t.Errorf("%d letters aside, want the 1 still there", n)
	}
}
