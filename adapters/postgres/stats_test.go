package postgres_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/postgres"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	z, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// mustOpenIn empties the database and opens the archive with its
// dashboard's roll-up in zone.
func mustOpenIn(t testing.TB, zone *time.Location) *postgres.Archive {
	t.Helper()
	ctx := context.Background()
	mustOpen(t) // migrates and empties
	a, err := postgres.Open(ctx, testURL, postgres.DaysIn(zone))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	return a
}

// nearMidnight is two conversations on either side of midnight in Rome:
// 22:30 UTC on 20 March is 23:30 on the 20th there, 23:30 UTC is 00:30
// on the 21st.
func nearMidnight() []bot.Event {
	before := newScript("rome-20", time.Date(2026, 3, 20, 22, 30, 0, 0, time.UTC), "it").
		say(bot.EventCustomer, "Buonasera, a che ora aprite domani?").
		add(bot.Event{Type: bot.EventIntent, Intent: "opening_hours", Confidence: 0.9}).
		say(bot.EventBot, "Alle 9.")
	after := newScript("rome-21", time.Date(2026, 3, 20, 23, 30, 0, 0, time.UTC), "it").
		say(bot.EventCustomer, "Il frullatore si è rotto, è in garanzia?").
		add(bot.Event{Type: bot.EventIntent, Intent: "warranty", Confidence: 0.9}).
		add(bot.Event{Type: bot.EventHandoff, Team: "support", Case: "c21"}).
		wait(3 * time.Minute).
		add(bot.Event{Type: bot.EventClaimed, Team: "support", Case: "c21", Agent: "Marco"}).
		add(bot.Event{Type: bot.EventCSAT, Score: 4})
	return slices.Concat(before.evs, after.evs)
}

func romeDays(rome *time.Location, first, last int) report.Period {
	return report.Period{From: time.Date(2026, 3, first, 0, 0, 0, 0, rome), To: time.Date(2026, 3, last+1, 0, 0, 0, 0, rome), Zone: rome}
}

// TestLateEveningConversationCountsOnRomesDayInBothArchives: a
// conversation at 23:30 UTC is on the next day in Rome. Both archives
// count it on that day, the filter of that day finds it, and they agree
// number for number, whether PostgreSQL reads its roll-up or counts the
// conversations.
func TestLateEveningConversationCountsOnRomesDayInBothArchives(t *testing.T) {
	ctx := context.Background()
	rome := mustZone(t, "Europe/Rome")
	pg := mustOpenIn(t, rome)
	mem := memory.NewArchive()
	evs := slices.Concat(fixture(), nearMidnight())
	for _, arc := range []report.Archive{pg, mem} {
		if err := arc.Append(ctx, evs...); err != nil {
			t.Fatal(err)
		}
	}
	for name, arc := range map[string]report.Archive{"postgres": pg, "memory": mem} {
		st, err := arc.Stats(ctx, romeDays(rome, 20, 21))
		if err != nil {
			t.Fatal(err)
		}
		if len(st.PerDay) != 2 || st.PerDay[0].Count != 1 || st.PerDay[1].Count != 1 {
			t.Errorf("%s: per day %+v, want one conversation on the 20th and one on the 21st (Rome)", name, st.PerDay)
		}
		list, _, err := arc.List(ctx, report.Filter{From: time.Date(2026, 3, 21, 0, 0, 0, 0, rome), To: time.Date(2026, 3, 22, 0, 0, 0, 0, rome)})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Address.ChatID != "rome-21" {
			t.Errorf("%s: 21 March in Rome lists %+v, want the conversation of 23:30 UTC on the 20th", name, list)
		}
	}
	for _, p := range []report.Period{
		romeDays(rome, 1, 31), // whole days of the roll-up's zone: the roll-up
		romeDays(rome, 21, 21),
		{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 22, 0, 0, 0, 0, time.UTC)}, // UTC: the conversations
		{From: t0.Add(30 * time.Minute), To: t0.Add(20 * 24 * time.Hour), Zone: rome},                         // not whole days
	} {
		want, _ := mem.Stats(ctx, p)
		got, err := pg.Stats(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Stats(%v – %v in %v)\n got %+v\nwant %+v", p.From, p.To, p.Zone, got, want)
		}
	}
}

// TestRollUpFollowsEveryChange: conversations that change outcome, team,
// score and intents batch after batch, and retention deleting some, move
// the roll-up's counts with them: the dashboard of PostgreSQL stays that
// of the memory archive.
func TestRollUpFollowsEveryChange(t *testing.T) {
	ctx := context.Background()
	rome := mustZone(t, "Europe/Rome")
	pg := mustOpenIn(t, rome)
	mem := memory.NewArchive()
	evs := slices.Concat(fixture(), nearMidnight())
	report.SortEvents(evs)
	p := romeDays(rome, 1, 31)
	check := func(step string) {
		t.Helper()
		want, _ := mem.Stats(ctx, p)
		got, err := pg.Stats(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", step, got, want)
		}
	}
	// Three events at a time: a conversation is solved by the bot, then
	// handed over, then rated, as its events come.
	for i := 0; i < len(evs); i += 3 {
		batch := evs[i:min(i+3, len(evs))]
		for _, arc := range []report.Archive{pg, mem} {
			if err := arc.Append(ctx, batch...); err != nil {
				t.Fatal(err)
			}
		}
		check("after event " + evs[i].ID)
	}
	// Redelivered events change nothing.
	if err := pg.Append(ctx, evs...); err != nil {
		t.Fatal(err)
	}
	check("after redelivery")
	before := t0.Add(150 * time.Minute)
	for _, arc := range []report.Archive{pg, mem} {
		if n, err := arc.Delete(ctx, before); err != nil || n == 0 {
			t.Fatalf("Delete = %d, %v", n, err)
		}
	}
	check("after retention")
}

// TestRollUpIsCountedAgainForAnotherZone: an archive rolled up in UTC and
// opened again for Rome counts Rome's days; a server still asking for
// UTC gets the same numbers from the conversations; a bulk load behind
// the archive's back is counted by CountDays.
func TestRollUpIsCountedAgainForAnotherZone(t *testing.T) {
	ctx := context.Background()
	rome := mustZone(t, "Europe/Rome")
	inUTC := mustOpenIn(t, time.UTC)
	mem := memory.NewArchive()
	evs := slices.Concat(fixture(), nearMidnight())
	for _, arc := range []report.Archive{inUTC, mem} {
		if err := arc.Append(ctx, evs...); err != nil {
			t.Fatal(err)
		}
	}
	inRome, err := postgres.Open(ctx, testURL, postgres.DaysIn(rome))
	if err != nil {
		t.Fatal(err)
	}
	defer inRome.Close()
	utc := report.Period{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	for _, tc := range []struct {
		name string
		arc  *postgres.Archive
		p    report.Period
	}{
		{"Rome, rolled up again", inRome, romeDays(rome, 1, 31)},
		{"UTC, from the conversations", inUTC, utc},
	} {
		want, _ := mem.Stats(ctx, tc.p)
		got, err := tc.arc.Stats(ctx, tc.p)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, want)
		}
	}
	// The UTC writer keeps Rome's roll-up: the zone is the roll-up's,
	// not the writer's.
	late := newScript("late", time.Date(2026, 3, 25, 23, 10, 0, 0, time.UTC), "en").say(bot.EventCustomer, "hello?").evs
	for _, arc := range []report.Archive{inUTC, mem} {
		if err := arc.Append(ctx, late...); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := mem.Stats(ctx, romeDays(rome, 1, 31))
	if got, _ := inRome.Stats(ctx, romeDays(rome, 1, 31)); !reflect.DeepEqual(got, want) {
		t.Errorf("after a write by the UTC server:\n got %+v\nwant %+v", got, want)
	}
	exec(t, "DELETE FROM stats_days")
	if err := inRome.CountDays(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := inRome.Stats(ctx, romeDays(rome, 1, 31)); !reflect.DeepEqual(got, want) {
		t.Errorf("after CountDays:\n got %+v\nwant %+v", got, want)
	}
	// Without a zone recorded (an operator's reset after an upgrade), the
	// writers leave the roll-up and the dashboard counts from the
	// conversations, until a server opens the archive for its zone again.
	exec(t, "DELETE FROM stats_zone")
	more := newScript("more", time.Date(2026, 3, 26, 8, 0, 0, 0, time.UTC), "it").say(bot.EventCustomer, "ciao").evs
	for _, arc := range []report.Archive{inUTC, mem} {
		if err := arc.Append(ctx, more...); err != nil {
			t.Fatal(err)
		}
	}
	want, _ = mem.Stats(ctx, romeDays(rome, 1, 31))
	if got, _ := inRome.Stats(ctx, romeDays(rome, 1, 31)); !reflect.DeepEqual(got, want) {
		t.Errorf("with no roll-up:\n got %+v\nwant %+v", got, want)
	}
	again, err := postgres.Open(ctx, testURL, postgres.DaysIn(rome))
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if got, _ := again.Stats(ctx, romeDays(rome, 1, 31)); !reflect.DeepEqual(got, want) || queryInt(t, "SELECT count(*) FROM stats_zone") != 1 {
		t.Errorf("counted again at Open:\n got %+v\nwant %+v", got, want)
	}
}
