package memory_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
)

// The queue's tree agrees with a sorted list through thousands of random
// adds, moves and removals: every place, the length and the oldest page.
func TestQueueTreeAgreesWithASortedList(t *testing.T) {
	s := memory.NewStore()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	type entry struct {
		since int64
		id    string
	}
	model := map[string]entry{}
	sorted := func() []entry {
		var out []entry
		for _, e := range model {
			out = append(out, e)
		}
		slices.SortFunc(out, func(a, b entry) int {
			if a.since != b.since {
				return int(a.since - b.since)
			}
			return strings.Compare(a.id, b.id)
		})
		return out
	}
	for step := range 5000 {
		id := fmt.Sprintf("c%03d", r.IntN(300))
		if r.IntN(3) == 0 {
			delete(model, id)
			if err := s.Apply(ctx, bot.QueueOp{Team: "sales", Case: id}); err != nil {
				t.Fatal(err)
			}
		} else {
			// Few distinct times, so that ties by ID are common.
			since := t0.Add(time.Duration(r.IntN(50)) * time.Second)
			model[id] = entry{since.UnixMicro(), id}
			if err := s.Apply(ctx, bot.QueueOp{Add: true, Team: "sales", Case: id, Since: since}); err != nil {
				t.Fatal(err)
			}
		}
		if step%50 != 0 {
			continue
		}
		want := sorted()
		if n, _ := s.Len(ctx, "sales"); n != len(want) {
			t.Fatalf("step %d: Len = %d, want %d", step, n, len(want))
		}
		for i, e := range want {
			if ahead, ok, _ := s.Position(ctx, "sales", e.id); !ok || ahead != i {
				t.Fatalf("step %d: Position(%s) = %d, %v; want %d", step, e.id, ahead, ok, i)
			}
		}
		page, _ := s.Oldest(ctx, "sales", 10)
		for i, op := range page {
			if op.Case != want[i].id {
				t.Fatalf("step %d: Oldest[%d] = %s, want %s", step, i, op.Case, want[i].id)
			}
		}
	}
}
