package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// A rolling upgrade: migration 006 ran (a new replica started), and an
// old replica, which knows no fold, still archives. Its batch updates the
// conversation's summary and vector but leaves the fold as it was; the
// next batch of a new replica goes on from that stale fold.
func TestAnOldReplicasBatchIsNotLostToAStaleFold(t *testing.T) {
	ctx := context.Background()
	a := mustOpen(t)
	addr := bot.Address{Channel: "web", ChatID: "u1"}
	ev := func(i int, typ bot.EventType, text string) bot.Event {
		return bot.Event{ID: fmt.Sprintf("%s|m%d|0", addr, i), Address: addr, Type: typ, Text: text,
			Time: t0.Add(time.Duration(i) * time.Minute), Language: "en"}
	}
	conn, err := pgx.Connect(ctx, testURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := a.Append(ctx, ev(0, bot.EventCustomer, "hello"), ev(1, bot.EventBot, "hi")); err != nil {
		t.Fatal(err)
	}
	var fold []byte
	if err := conn.QueryRow(ctx, `SELECT fold FROM conversations`).Scan(&fold); err != nil {
		t.Fatal(err)
	}
	// The old replica's batch: written as it writes (every column but the
	// fold), here by the new code with the fold put back as it was.
	if err := a.Append(ctx, ev(2, bot.EventCustomer, "my order"), ev(3, bot.EventBot, "which one?")); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `UPDATE conversations SET fold = $1`, fold); err != nil {
		t.Fatal(err)
	}
	if err := a.Append(ctx, ev(4, bot.EventCustomer, "SP-123456")); err != nil {
		t.Fatal(err)
	}
	list, _, err := a.List(ctx, report.Filter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("List = %v, %v", list, err)
	}
	_, evs, _ := a.Transcript(ctx, list[0].ID)
	want := report.Summarize(list[0].ID, evs)
	if got := list[0]; got.Messages != want.Messages || got.CustomerMessages != want.CustomerMessages {
		t.Errorf("after an old replica's batch: %d messages (%d of the customer), want %d (%d): the fold it left stale was folded on",
			got.Messages, got.CustomerMessages, want.Messages, want.CustomerMessages)
	}
}
