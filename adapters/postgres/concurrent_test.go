package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/bot/report"
)

// Two replicas archive the same customers' events at once, each its own
// batches, in any order: every summary equals Summarize of the stored
// transcript.
func TestReplicasAppendingAtOnceKeepEverySummaryWhole(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(4) {
		r := rand.New(rand.NewPCG(seed, 7))
		a := mustOpenIn(t, mustZone(t, "Europe/Rome"))
		batches := arrivals(r, randomTraffic(r))
		var wg sync.WaitGroup
		for w := range 3 {
			wg.Go(func() {
				for i := w; i < len(batches); i += 3 {
					if err := a.Append(ctx, batches[i]...); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		before := snapshot(t)
		if err := a.CountDays(ctx); err != nil {
			t.Fatal(err)
		}
		if after := snapshot(t); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("seed %d: the roll-up moved by the batches differs from the one counted again", seed)
		}
		list, _, err := a.List(ctx, report.Filter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			_, evs, _ := a.Transcript(ctx, c.ID)
			report.SortEvents(evs)
			want := report.Summarize(c.ID, evs)
			want.Started, want.Last = want.Started.UTC().Truncate(time.Microsecond), want.Last.UTC().Truncate(time.Microsecond)
			want.TimeToClaim, want.TimeToFirstReply = want.TimeToClaim.Truncate(time.Millisecond), want.TimeToFirstReply.Truncate(time.Millisecond)
			if fmt.Sprint(c) != fmt.Sprint(want) {
				t.Errorf("seed %d: %s:\n got %+v\nwant %+v", seed, c.ID, c, want)
			}
		}
	}
}
