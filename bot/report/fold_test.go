package report

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
)

// randomConversation returns n events of one conversation in order, of
// every type Summarize looks at, a few seconds apart or sharing a commit's
// time.
func randomConversation(r *rand.Rand, n int) []bot.Event {
	addr := bot.Address{Channel: "web", ChatID: "7"}
	types := []bot.EventType{bot.EventCustomer, bot.EventBot, bot.EventAgent, bot.EventSystem, bot.EventIntent,
		bot.EventFallback, bot.EventFlowStarted, bot.EventFlowEnded, bot.EventSlotFilled, bot.EventHandoff,
		bot.EventClaimed, bot.EventLeftQueue, bot.EventResolved, bot.EventCSAT, bot.EventError, bot.EventRefused,
		bot.EventLookup}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var evs []bot.Event
	idx := 0
	for i := range n {
		if r.IntN(3) > 0 {
			at, idx = at.Add(time.Duration(1+r.IntN(90))*time.Second), 0
		}
		e := bot.Event{ID: fmt.Sprintf("%s|m%d|%d", addr, i, idx), Address: addr, Time: at,
			Type: types[r.IntN(len(types))], Language: []string{"", "it", "en"}[r.IntN(3)]}
		idx++
		switch e.Type {
		case bot.EventCustomer, bot.EventBot, bot.EventAgent:
			e.Text = fmt.Sprintf("text %d", r.IntN(5))
		case bot.EventIntent:
			e.Intent = []string{"warranty", "buy", "button:yes", "", "return"}[r.IntN(5)]
		case bot.EventHandoff, bot.EventClaimed:
			e.Team, e.Agent = []string{"sales", "support"}[r.IntN(2)], []string{"Giulia", "Marco"}[r.IntN(2)]
		case bot.EventCSAT:
			e.Score = 1 + r.IntN(5)
		}
		evs = append(evs, e)
	}
	return evs
}

// TestFoldResumedIsSummarize: a fold stored (as JSON) after any event and
// taken up again for the events after gives what Summarize gives of all.
func TestFoldResumedIsSummarize(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for run := range 300 {
		evs := randomConversation(r, 1+r.IntN(30))
		want := Summarize("c", evs)
		for cut := 0; cut <= len(evs); cut++ {
			f := NewFold("c")
			for _, e := range evs[:cut] {
				f.Add(e)
			}
			data, err := json.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			var resumed Fold
			if err := json.Unmarshal(data, &resumed); err != nil {
				t.Fatal(err)
			}
			for _, e := range evs[cut:] {
				if !resumed.Follows(e) {
					t.Fatalf("run %d: event %s does not follow the fold of the %d before it", run, e.ID, cut)
				}
				resumed.Add(e)
			}
			if got := resumed.Summary(); !reflect.DeepEqual(got, want) {
				t.Fatalf("run %d, stored after %d of %d events:\n got %+v\nwant %+v", run, cut, len(evs), got, want)
			}
		}
	}
}

// TestFoldFollows: an event folds on only when it comes after the last
// one folded, as SortEvents orders them.
func TestFoldFollows(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	f := NewFold("c")
	if !f.Follows(bot.Event{ID: "web:1|m0|0", Time: at}) {
		t.Error("an empty fold refuses its first event")
	}
	f.Add(bot.Event{ID: "web:1|m1|2", Time: at})
	for _, tc := range []struct {
		id   string
		at   time.Time
		want bool
	}{
		{"web:1|m2|0", at.Add(time.Nanosecond), true},
		{"web:1|m1|3", at, true},  // the same commit, later
		{"web:1|m1|2", at, false}, // a tie: the order is not known
		{"web:1|m1|1", at, false},
		{"web:1|m0|5", at.Add(-time.Second), false},
	} {
		if got := f.Follows(bot.Event{ID: tc.id, Time: tc.at}); got != tc.want {
			t.Errorf("%s at %v: follows %v, want %v", tc.id, tc.at.Sub(at), got, tc.want)
		}
	}
}
