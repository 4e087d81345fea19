package report

import (
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	z, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time zone %s: %v", name, err)
	}
	return z
}

// TestLateEveningConversationCountsOnTheShopsDay: a conversation at 23:30
// UTC on 20 March is at 00:30 on 21 March in Rome; a shop there counts it
// on the 21st, as its managers lived it, not on the 20th as UTC does.
func TestLateEveningConversationCountsOnTheShopsDay(t *testing.T) {
	rome := mustZone(t, "Europe/Rome")
	late := Conversation{ID: "late", Address: bot.Address{Channel: "web", ChatID: "1"},
		Started: time.Date(2026, 3, 20, 23, 30, 0, 0, time.UTC), Outcome: OutcomeBot}
	early := Conversation{ID: "early", Address: bot.Address{Channel: "web", ChatID: "2"},
		Started: time.Date(2026, 3, 20, 22, 30, 0, 0, time.UTC), Outcome: OutcomeBot} // 23:30 in Rome
	p := Period{From: time.Date(2026, 3, 20, 0, 0, 0, 0, rome), To: time.Date(2026, 3, 22, 0, 0, 0, 0, rome), Zone: rome}
	st := ComputeStats([]Conversation{late, early}, p)
	if len(st.PerDay) != 2 {
		t.Fatalf("%d days, want 2: %+v", len(st.PerDay), st.PerDay)
	}
	for i, want := range []struct {
		day   string
		count int
	}{{"2026-03-20", 1}, {"2026-03-21", 1}} {
		d := st.PerDay[i]
		if got := d.Day.In(rome).Format(time.DateOnly); got != want.day || d.Count != want.count || !d.Day.Equal(DayOf(d.Day, rome)) {
			t.Errorf("day %d: %s (%v) counts %d, want %s counting %d", i, got, d.Day, d.Count, want.day, want.count)
		}
	}
	// A period of the 21st alone, in Rome, holds the late one only.
	p = Period{From: DayOf(late.Started, rome), To: NextDay(late.Started, rome), Zone: rome}
	if st := ComputeStats([]Conversation{late, early}, p); st.Conversations != 1 || st.PerDay[0].Count != 1 {
		t.Errorf("21 March in Rome: %d conversations, per day %+v; want the late one", st.Conversations, st.PerDay)
	}
}

func TestDaysInAZone(t *testing.T) {
	rome := mustZone(t, "Europe/Rome")
	for _, tc := range []struct {
		name     string
		from, to time.Time
		zone     *time.Location
		want     []string // each day's first instant, in UTC
	}{
		{"UTC by default", time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC), time.Date(2026, 3, 22, 0, 0, 0, 0, time.UTC), nil,
			[]string{"2026-03-20T00:00:00Z", "2026-03-21T00:00:00Z"}},
		{"Rome in winter", time.Date(2026, 3, 20, 0, 0, 0, 0, rome), time.Date(2026, 3, 22, 0, 0, 0, 0, rome), rome,
			[]string{"2026-03-19T23:00:00Z", "2026-03-20T23:00:00Z"}},
		// The clocks go forward on 29 March 2026: a day of 23 hours.
		{"clocks forward", time.Date(2026, 3, 28, 0, 0, 0, 0, rome), time.Date(2026, 3, 31, 0, 0, 0, 0, rome), rome,
			[]string{"2026-03-27T23:00:00Z", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"}},
		// And back on 25 October: a day of 25 hours.
		{"clocks back", time.Date(2026, 10, 25, 0, 0, 0, 0, rome), time.Date(2026, 10, 27, 0, 0, 0, 0, rome), rome,
			[]string{"2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"}},
		{"a From in the day", time.Date(2026, 3, 20, 23, 30, 0, 0, time.UTC), time.Date(2026, 3, 22, 0, 0, 0, 0, rome), rome,
			[]string{"2026-03-20T23:00:00Z"}},
		{"empty", time.Date(2026, 3, 20, 0, 0, 0, 0, rome), time.Date(2026, 3, 20, 0, 0, 0, 0, rome), rome, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, d := range (Period{From: tc.from, To: tc.to, Zone: tc.zone}).Days() {
				got = append(got, d.UTC().Format(time.RFC3339))
			}
			if len(got) != len(tc.want) {
				t.Fatalf("Days = %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("Days = %v, want %v", got, tc.want)
				}
			}
		})
	}
}
