package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/postgres"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// drainWithin runs the archiver until the log has nothing more for it,
// failing the test if that takes longer than d: an archiver stuck on one
// batch (the finding) would retry it for ever.
func drainWithin(t testing.TB, arc *report.Archiver, d time.Duration) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	total := 0
	for {
		n, err := arc.Step(ctx, 0)
		if err != nil {
			t.Fatalf("the archiver is stuck after %d events: %v", total, err)
		}
		if n == 0 {
			return total
		}
		total += n
	}
}

func exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), testURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

func queryInt(t testing.TB, sql string, args ...any) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), testURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// words returns about n bytes of random lower-case words, as a long
// message pasted by a customer (or a bot) would be.
func words(rng *rand.Rand, n int) string {
	var b strings.Builder
	for b.Len() < n {
		for range 4 + rng.IntN(7) {
			b.WriteByte(byte('a' + rng.IntN(26)))
		}
		b.WriteByte(' ')
	}
	return b.String()
}

// TestThirtyLongMessagesDoNotStopTheArchive: thirty messages of 31 KB of
// words in one conversation gave it a search vector over PostgreSQL's
// 1 MB limit, and the archiver retried the batch for ever. The texts come
// straight into the log here (older events, or a channel that did not
// bound them): the archive must bound its vector itself.
func TestThirtyLongMessagesDoNotStopTheArchive(t *testing.T) {
	ctx := context.Background()
	a := mustOpen(t)
	s := memory.NewStore()
	rng := rand.New(rand.NewPCG(1, 2))
	long := newScript("30", t0, "en")
	for i := range 30 {
		text := words(rng, 31*1024)
		if i == 0 {
			text = "firstword " + text
		}
		if i == 29 {
			text += " lastword"
		}
		long.say(bot.EventCustomer, text)
	}
	normal := newScript("31", t0.Add(time.Minute), "en").say(bot.EventCustomer, "is my espresso machine under warranty?")
	commit(t, s, long.evs)
	commit(t, s, normal.evs)
	arc, _ := report.NewArchiver(report.ArchiverConfig{Log: s, Archive: a})
	if n := drainWithin(t, arc, 60*time.Second); n != 31 {
		t.Fatalf("archived %d events, want 31", n)
	}
	for _, chat := range []string{"30", "31"} {
		if _, evs, err := a.Transcript(ctx, "telegram:"+chat); err != nil || len(evs) == 0 {
			t.Errorf("conversation %s not archived: %v", chat, err)
		}
	}
	if n, _ := a.CountDeadLetters(ctx); n != 0 {
		t.Errorf("%d dead letters, want none", n)
	}
	size := queryInt(t, `SELECT pg_column_size(tsv) FROM conversations WHERE address = 'telegram:30'`)
	t.Logf("search vector of 30 messages of 31 KB: %d bytes", size)
	if size > 1<<20/2 {
		t.Errorf("search vector of %d bytes, want under half of 1 MB", size)
	}
	// The beginning of a long conversation is searchable; past the bound
	// it is not (docs/review.md).
	for q, want := range map[string]int{"firstword": 1, "warranty": 1, "lastword": 0} {
		if _, n, err := a.List(ctx, report.Filter{Query: q}); err != nil || n != want {
			t.Errorf("search %q: %d conversations (%v), want %d", q, n, err, want)
		}
	}
}

// TestSearchVectorStaysBoundedForTheWorstText measures the vector of the
// costliest text for it: single-letter words, every one different, in
// many messages as long as the engine takes.
func TestSearchVectorStaysBoundedForTheWorstText(t *testing.T) {
	a := mustOpen(t)
	sc := newScript("32", t0, "")
	letter := rune(0x4e00) // CJK letters: each a word of its own
	for range 40 {
		var b strings.Builder
		for b.Len() < 4*bot.MaxTextLen && len([]rune(b.String())) < bot.MaxTextLen-2 {
			b.WriteRune(letter)
			b.WriteByte(' ')
			letter++
		}
		sc.say(bot.EventCustomer, b.String())
	}
	// Ten messages a batch: the conversation crosses the bound in one of
	// the appends, and goes on past it in the next.
	for i := 0; i < len(sc.evs); i += 10 {
		if err := a.Append(context.Background(), sc.evs[i:i+10]...); err != nil {
			t.Fatal(err)
		}
	}
	size := queryInt(t, `SELECT pg_column_size(tsv) FROM conversations WHERE address = 'telegram:32'`)
	chars := queryInt(t, `SELECT sum(char_length(text)) FROM events`)
	t.Logf("search vector of %d characters of single-letter words: %d bytes", chars, size)
	if size > 1<<20/2 {
		t.Errorf("search vector of %d bytes, want under half of 1 MB", size)
	}
}

// TestAppendTellsARefusalFromAnOutage: what PostgreSQL refuses for good
// wraps report.ErrRejected; an archive that is down does not. A NUL or
// invalid UTF-8 is refused before PostgreSQL sees it (report.CheckEvent),
// as the memory archive refuses it.
func TestAppendTellsARefusalFromAnOutage(t *testing.T) {
	ctx := context.Background()
	a := mustOpen(t)
	huge := strings.Builder{}
	for i := range 200_000 {
		fmt.Fprintf(&huge, "w%d ", i) // 200,000 different words: a vector over 1 MB
	}
	exec(t, `ALTER TABLE events ADD CONSTRAINT no_forbidden CHECK (text NOT LIKE '%forbidden%')`)
	defer exec(t, `ALTER TABLE events DROP CONSTRAINT no_forbidden`)
	for _, tc := range []struct {
		name, text string
		sqlstate   string // or what report.CheckEvent says
	}{
		{"NUL in the text", "a\x00b", "a NUL character"},
		{"invalid UTF-8", "caff\xe8", "invalid UTF-8"},
		{"a vector over 1 MB", huge.String(), "54000"},
		{"a constraint", "this is forbidden", "23514"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := newScript("40", t0, "en").say(bot.EventCustomer, tc.text)
			err := a.Append(ctx, sc.evs...)
			if !errors.Is(err, report.ErrRejected) || !strings.Contains(err.Error(), tc.sqlstate) {
				t.Errorf("Append: %v, want ErrRejected with SQLSTATE %s", err, tc.sqlstate)
			}
		})
	}
	t.Run("NUL in a field of the JSON", func(t *testing.T) {
		sc := newScript("41", t0, "en").add(bot.Event{Type: bot.EventIntent, Intent: "button:a\x00b"})
		if err := a.Append(ctx, sc.evs...); !errors.Is(err, report.ErrRejected) {
			t.Errorf("Append: %v, want ErrRejected", err)
		}
	})
	t.Run("down", func(t *testing.T) {
		cfg, _ := pgx.ParseConfig(testURL)
		p := newProxy(t, fmt.Sprintf("%s:%d", cfg.Host, cfg.Port))
		down, err := postgres.Open(ctx, fmt.Sprintf("postgres://%s@%s/%s?sslmode=disable&connect_timeout=2", cfg.User, p.addr, cfg.Database))
		if err != nil {
			t.Fatal(err)
		}
		defer down.Close()
		p.down()
		err = down.Append(ctx, newScript("42", t0, "en").say(bot.EventCustomer, "hi").evs...)
		if err == nil || errors.Is(err, report.ErrRejected) {
			t.Errorf("Append while down: %v, want an error that is not ErrRejected", err)
		}
	})
	if n := count(t, "events"); n != 0 {
		t.Errorf("%d events stored of refused appends", n)
	}
}

// TestArchiverSetsAsideWhatPostgreSQLRefuses: a poison entry forged into
// the event log (below the engine, which cleans what it records) is set
// aside with its error; the conversations before and after it, in the
// same batch, are archived, and the log has nothing left.
func TestArchiverSetsAsideWhatPostgreSQLRefuses(t *testing.T) {
	ctx := context.Background()
	a := mustOpen(t)
	s := memory.NewStore()
	before := newScript("50", t0, "en").say(bot.EventCustomer, "hello").say(bot.EventBot, "hi, how can I help?")
	poison := newScript("51", t0.Add(time.Second), "en").say(bot.EventCustomer, "a\x00b")
	after := newScript("52", t0.Add(2*time.Second), "it").say(bot.EventCustomer, "ciao").say(bot.EventBot, "buongiorno")
	commit(t, s, before.evs)
	commit(t, s, poison.evs)
	commit(t, s, after.evs)
	arc, _ := report.NewArchiver(report.ArchiverConfig{Log: s, Archive: a, Clock: clock(t0.Add(time.Hour))})
	if n := drainWithin(t, arc, 20*time.Second); n != 5 {
		t.Fatalf("took %d events off the log, want 5", n)
	}
	if n := count(t, "events"); n != 4 {
		t.Errorf("%d events archived, want the 4 of the two good conversations", n)
	}
	if again, _ := s.ReadEvents(ctx, "archive", 100, 0); len(again) != 0 {
		t.Errorf("%d events still unacknowledged", len(again))
	}
	n, err := a.CountDeadLetters(ctx)
	if err != nil || n != 1 {
		t.Fatalf("CountDeadLetters = %d, %v; want 1", n, err)
	}
	list, err := a.DeadLetters(ctx, 10, 0)
	if err != nil || len(list) != 1 {
		t.Fatalf("DeadLetters = %+v, %v", list, err)
	}
	l := list[0]
	if l.Event.ID != poison.evs[0].ID || l.Event.Text != "a\x00b" || !l.At.Equal(t0.Add(time.Hour)) ||
		!strings.Contains(l.Err, "a NUL character") {
		t.Errorf("dead letter %+v, want the poison as it was, with why it was refused", l)
	}
}

// BenchmarkPoisonInABatch measures what finding the poison costs: one
// batch of 1,000 events, of 1,000 conversations, with 0, 1 or 10 events
// PostgreSQL refuses (docs/benchmarks.md).
func BenchmarkPoisonInABatch(b *testing.B) {
	for _, poison := range []int{0, 1, 10} {
		b.Run(fmt.Sprintf("poison=%d", poison), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				a := mustOpen(b)
				s := memory.NewStore()
				var evs []bot.Event
				for c := range 1000 {
					text := fmt.Sprintf("messaggio numero %d sul frullatore", c)
					if c%100 == 7 && c/100 < poison {
						text = "a\x00b"
					}
					evs = append(evs, newScript(fmt.Sprint(c), t0.Add(time.Duration(c)*time.Second), "it").say(bot.EventCustomer, text).evs...)
				}
				commit(b, s, evs)
				arc, _ := report.NewArchiver(report.ArchiverConfig{Log: s, Archive: a, Batch: 1000})
				b.StartTimer()
				if n, err := arc.Step(context.Background(), 0); n != 1000 || err != nil {
					b.Fatalf("Step = %d, %v", n, err)
				}
			}
		})
	}
}
