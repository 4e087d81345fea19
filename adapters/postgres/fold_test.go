package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sportello/sportello/adapters/postgres"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// randomTraffic returns the events of a few customers in order: several
// conversations each (an hour's silence ends one, unless a case is open),
// of every type the summaries look at, some sharing a commit's time; one
// customer writes so much that its conversation's search vector reaches
// SearchChars.
func randomTraffic(r *rand.Rand) []bot.Event {
	types := []bot.EventType{bot.EventCustomer, bot.EventCustomer, bot.EventBot, bot.EventBot, bot.EventAgent,
		bot.EventSystem, bot.EventIntent, bot.EventIntent, bot.EventFallback, bot.EventFlowStarted, bot.EventFlowEnded,
		bot.EventSlotFilled, bot.EventHandoff, bot.EventClaimed, bot.EventLeftQueue, bot.EventResolved, bot.EventCSAT,
		bot.EventError, bot.EventRefused, bot.EventLookup}
	intents := []string{"warranty", "buy", "return", "button:yes", "human"}
	var all []bot.Event
	for c := range 4 {
		addr := bot.Address{Channel: "web", ChatID: fmt.Sprintf("p%d", c)}
		lang := []string{"it", "en"}[c%2]
		at := t0.Add(time.Duration(r.IntN(600)) * time.Second)
		idx := 0
		for j := range 15 + r.IntN(40) {
			switch k := r.IntN(20); {
			case k == 0:
				at, idx = at.Add(time.Duration(61+r.IntN(120))*time.Minute), 0 // silence: a new conversation, unless a case is open
			case k < 14:
				at, idx = at.Add(time.Duration(1+r.IntN(120))*time.Second), 0
			}
			e := bot.Event{ID: fmt.Sprintf("%s|m%d|%d", addr, j, idx), Address: addr, Time: at, Language: lang,
				Type: types[r.IntN(len(types))]}
			idx++
			switch e.Type {
			case bot.EventCustomer, bot.EventBot, bot.EventAgent, bot.EventSystem:
				p := phrases[lang]
				e.Text = p[r.IntN(len(p))]
				if c == 3 && r.IntN(3) == 0 {
					e.Text = longText(r, 12_000)
				}
			case bot.EventIntent:
				e.Intent, e.Confidence = intents[r.IntN(len(intents))], 0.8
			case bot.EventHandoff, bot.EventClaimed, bot.EventResolved, bot.EventLeftQueue:
				e.Team, e.Agent, e.Case = []string{"sales", "support"}[r.IntN(2)], []string{"Giulia", "Marco"}[r.IntN(2)], "k"
			case bot.EventCSAT:
				e.Score = 1 + r.IntN(5)
			}
			all = append(all, e)
		}
	}
	return all
}

// longText returns about n characters of words, most of them different.
func longText(r *rand.Rand, n int) string {
	var b strings.Builder
	for b.Len() < n {
		fmt.Fprintf(&b, "parola%d ", r.IntN(5000))
	}
	return b.String()
}

// arrivals splits evs into batches as the archiver may see them: mostly
// in order, a few events late (a replica's batch, a retry), a few batches
// sent twice.
func arrivals(r *rand.Rand, evs []bot.Event) [][]bot.Event {
	var batches [][]bot.Event
	var late []bot.Event
	for len(evs) > 0 {
		n := min(1+r.IntN(8), len(evs))
		var batch []bot.Event
		for _, e := range evs[:n] {
			if r.IntN(12) == 0 {
				late = append(late, e)
			} else {
				batch = append(batch, e)
			}
		}
		evs = evs[n:]
		if len(late) > 0 && r.IntN(3) == 0 {
			batch, late = append(batch, late...), nil
		}
		r.Shuffle(len(batch), func(i, j int) { batch[i], batch[j] = batch[j], batch[i] })
		batches = append(batches, batch)
		if r.IntN(10) == 0 {
			batches = append(batches, batch)
		}
	}
	return append(batches, late)
}

// snapshot is what the archive holds, as text: the conversations (every
// column but the fold, with the search vector), the events'
// conversations, and the dashboard's roll-up.
func snapshot(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var out []string
	for _, q := range []string{
		`SELECT id, address, channel, chat_id, started_at, last_at, lang, team, outcome, open, intents, csat, agent,
			preview, messages, customer_messages, bot_messages, agent_messages, fallbacks, claim_ms, first_reply_ms,
			tsv::text FROM conversations ORDER BY id`,
		`SELECT id, conversation_id FROM events ORDER BY id`,
		`SELECT day, kind, key, n FROM stats_days WHERE n <> 0 ORDER BY day, kind, key`,
	} {
		rows, err := conn.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(vals...))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func forgetFolds(t *testing.T) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), testURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `UPDATE conversations SET fold = NULL`); err != nil {
		t.Fatal(err)
	}
}

// TestIncrementalSummariesAreFull: random customers' events appended in
// random batches, some late and some twice, leave the archive as
// summarising every conversation from all its events at every batch does
// (the archive without folds, as before migration 006): the same
// conversations, summaries, search vectors and roll-up of the days; and
// each summary is report.Summarize of its transcript.
func TestIncrementalSummariesAreFull(t *testing.T) {
	rome := mustZone(t, "Europe/Rome")
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { incrementalIsFull(t, seed, rome) })
	}
}

// incrementalIsFull appends one seed's traffic as it comes, then again
// with the folds forgotten after every batch, and compares.
func incrementalIsFull(t *testing.T, seed uint64, rome *time.Location) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, 42))
	batches := arrivals(r, randomTraffic(r))
	a := mustOpenIn(t, rome)
	for _, b := range batches {
		if err := a.Append(ctx, b...); err != nil {
			t.Fatal(err)
		}
	}
	incremental := snapshot(t)
	list, _, err := a.List(ctx, report.Filter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		_, evs, err := a.Transcript(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		report.SortEvents(evs)
		want := report.Summarize(c.ID, evs)
		want.Started, want.Last = want.Started.UTC().Truncate(time.Microsecond), want.Last.UTC().Truncate(time.Microsecond)
		want.TimeToClaim, want.TimeToFirstReply = want.TimeToClaim.Truncate(time.Millisecond), want.TimeToFirstReply.Truncate(time.Millisecond)
		if fmt.Sprint(c) != fmt.Sprint(want) {
			t.Errorf("conversation %s:\n got %+v\nwant %+v", c.ID, c, want)
		}
	}

	a = mustOpenIn(t, rome)
	for i, b := range batches {
		if err := a.Append(ctx, b...); err != nil {
			t.Fatal(err)
		}
		if i < len(batches)-1 {
			forgetFolds(t)
		}
	}
	full := snapshot(t)
	if !slices.Equal(incremental, full) {
		for i := range max(len(incremental), len(full)) {
			if i >= len(incremental) || i >= len(full) || incremental[i] != full[i] {
				t.Fatalf("%d batches: row %d differs:\nincremental %.600s\nfull        %.600s", len(batches), i,
					strings.Join(incremental[i:min(i+1, len(incremental))], ""), strings.Join(full[i:min(i+1, len(full))], ""))
			}
		}
	}
}

// TestArchiveFromBeforeFolds: migration 006 runs on an archive that holds
// conversations already; the next batch of each is summarised from all
// its events, once, and the ones after go on from its fold.
func TestArchiveFromBeforeFolds(t *testing.T) {
	ctx := context.Background()
	a := mustOpen(t)
	evs := fixture()
	// The first events of each conversation, archived before migration 006.
	var first, rest []bot.Event
	for _, e := range evs {
		if strings.HasSuffix(e.ID, "|m0|0") || strings.HasSuffix(e.ID, "|m1|0") {
			first = append(first, e)
		} else {
			rest = append(rest, e)
		}
	}
	if err := a.Append(ctx, first...); err != nil {
		t.Fatal(err)
	}
	a.Close()
	conn, err := pgx.Connect(ctx, testURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `ALTER TABLE conversations DROP COLUMN fold;
		DELETE FROM schema_migrations WHERE version = 6`); err != nil {
		t.Fatal(err)
	}
	a, err = postgres.Open(ctx, testURL)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	folded := func() int {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM conversations WHERE fold IS NOT NULL`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := folded(); n != 0 {
		t.Fatalf("%d conversations with a fold after the migration, want none", n)
	}
	for i, e := range rest {
		if err := a.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if n := folded(); n != 1 {
				t.Errorf("after one event, %d conversations with a fold, want 1", n)
			}
		}
	}
	if n := folded(); n != 4 {
		t.Errorf("%d of 4 conversations with a fold", n)
	}
	list, _, err := a.List(ctx, report.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		_, evs, err := a.Transcript(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := report.Summarize(c.ID, evs)
		if c.Outcome != want.Outcome || c.Messages != want.Messages || !slices.Equal(c.Intents, want.Intents) ||
			c.TimeToClaim != want.TimeToClaim.Truncate(time.Millisecond) || c.CSAT != want.CSAT {
			t.Errorf("conversation %s:\n got %+v\nwant %+v", c.ID, c, want)
		}
	}
	if got, _, _ := a.List(ctx, report.Filter{Query: "which model"}); len(got) != 1 {
		t.Errorf("search for a word of a later event finds %d conversations, want 1", len(got))
	}
}
