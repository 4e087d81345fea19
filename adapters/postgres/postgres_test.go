package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/postgres"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/bottest"
	"github.com/sportello/sportello/bot/redact"
	"github.com/sportello/sportello/bot/report"
)

// adminURL is the server the tests create their database on; override it
// with SPORTELLO_TEST_POSTGRES.
var adminURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// testURL is the fresh database of this run, dropped at the end.
var testURL string

func TestMain(m *testing.M) {
	if u := os.Getenv("SPORTELLO_TEST_POSTGRES"); u != "" {
		adminURL = u
	}
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		if os.Getenv("CI") != "" {
			fmt.Fprintf(os.Stderr, "CI: PostgreSQL at %s: %v\n", adminURL, err)
			return 1
		}
		fmt.Fprintf(os.Stderr, "skipping: no PostgreSQL at %s: %v\n", adminURL, err)
		return 0
	}
	defer admin.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	name := "sportello_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		fmt.Fprintln(os.Stderr, "create database:", err)
		return 1
	}
	defer admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)")
	cfg, _ := pgx.ParseConfig(adminURL)
	testURL = fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, name)
	return m.Run()
}

// mustOpen opens the archive and empties it.
func mustOpen(t testing.TB) *postgres.Archive {
	t.Helper()
	ctx := context.Background()
	a, err := postgres.Open(ctx, testURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	conn, err := pgx.Connect(ctx, testURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "TRUNCATE conversations, events, dead_letters, stats_days, stats_zone"); err != nil {
		t.Fatal(err)
	}
	return a
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// script writes the events of one conversation, a second apart, with the
// IDs the engine gives them.
type script struct {
	addr bot.Address
	at   time.Time
	lang string
	evs  []bot.Event
}

func newScript(chat string, at time.Time, lang string) *script {
	return &script{addr: bot.Address{Channel: "telegram", ChatID: chat}, at: at, lang: lang}
}

func (s *script) add(e bot.Event) *script {
	e.ID = fmt.Sprintf("%s|m%d|0", s.addr, len(s.evs))
	e.Address, e.Time, e.Language = s.addr, s.at, s.lang
	e.MessageID = fmt.Sprintf("m%d", len(s.evs))
	s.at = s.at.Add(time.Second)
	s.evs = append(s.evs, e)
	return s
}

func (s *script) say(typ bot.EventType, text string) *script {
	return s.add(bot.Event{Type: typ, Text: text})
}

func (s *script) wait(d time.Duration) *script { s.at = s.at.Add(d); return s }

// fixture is four conversations, one of each outcome, in two languages.
func fixture() []bot.Event {
	solved := newScript("1", t0, "it").
		say(bot.EventCustomer, "Quanto durano le garanzie dei frullatori?").
		add(bot.Event{Type: bot.EventIntent, Intent: "warranty", Confidence: 0.91}).
		add(bot.Event{Type: bot.EventFlowStarted, Flow: "warranty"}).
		say(bot.EventBot, "La garanzia legale è di 24 mesi.").
		add(bot.Event{Type: bot.EventFlowEnded, Flow: "warranty"})
	sales := newScript("2", t0.Add(time.Hour), "en").
		say(bot.EventCustomer, "I want to buy ten espresso machines for my bar").
		add(bot.Event{Type: bot.EventIntent, Intent: "buy", Confidence: 0.8}).
		add(bot.Event{Type: bot.EventHandoff, Team: "sales", Case: "c2"}).
		say(bot.EventBot, "A salesperson will answer here.").
		wait(90*time.Second).
		add(bot.Event{Type: bot.EventClaimed, Team: "sales", Case: "c2", Agent: "Giulia"}).
		wait(30*time.Second).
		add(bot.Event{Type: bot.EventAgent, Text: "Hello, which model?", Agent: "Giulia"}).
		say(bot.EventCustomer, "The Duo 2").
		add(bot.Event{Type: bot.EventResolved, Team: "sales", Case: "c2", Agent: "Giulia"}).
		add(bot.Event{Type: bot.EventCSAT, Score: 5})
	support := newScript("3", t0.Add(2*time.Hour), "en").
		say(bot.EventCustomer, "I returned the toaster last week and got no refund").
		add(bot.Event{Type: bot.EventIntent, Intent: "refund", Confidence: 0.7}).
		add(bot.Event{Type: bot.EventHandoff, Team: "support", Case: "c3"}).
		wait(14 * time.Hour).
		add(bot.Event{Type: bot.EventClaimed, Team: "support", Case: "c3", Agent: "Marco"}).
		add(bot.Event{Type: bot.EventAgent, Text: "Good morning, let me check.", Agent: "Marco"})
	abandoned := newScript("4", t0.Add(3*time.Hour), "it").
		say(bot.EventCustomer, "<script>alert(1)</script> blorp").
		add(bot.Event{Type: bot.EventFallback, Text: "not understood"}).
		say(bot.EventBot, "Scusi, non ho capito.")
	return slices.Concat(solved.evs, sales.evs, support.evs, abandoned.evs)
}

// commit writes events to the store's log as the engine would, one commit
// per conversation.
func commit(t testing.TB, s *memory.Store, evs []bot.Event) {
	t.Helper()
	byAddr := map[bot.Address][]bot.Event{}
	var order []bot.Address
	for _, e := range evs {
		if byAddr[e.Address] == nil {
			order = append(order, e.Address)
		}
		byAddr[e.Address] = append(byAddr[e.Address], e)
	}
	for _, a := range order {
		sess, err := s.Load(context.Background(), a, "")
		if err != nil {
			t.Fatal(err)
		}
		if sess == nil {
			sess = bot.NewSession(a, t0)
		}
		if err := s.Commit(context.Background(), &bot.Commit{Session: sess, Events: byAddr[a]}); err != nil {
			t.Fatal(err)
		}
	}
}

// drain runs the archiver until the log has nothing more for it.
func drain(t testing.TB, arc *report.Archiver) int {
	t.Helper()
	total := 0
	for {
		n, err := arc.Step(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return total
		}
		total += n
	}
}

func count(t testing.TB, table string) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), testURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestArchiveConformance: the PostgreSQL archive keeps the contract of
// report.Archive, as the memory archive does, whether its dashboard's
// roll-up counts days in UTC or in Rome.
func TestArchiveConformance(t *testing.T) {
	t.Run("UTC", func(t *testing.T) {
		bottest.ArchiveSuite(t, func(t *testing.T) report.Archive { return mustOpen(t) })
	})
	t.Run("RollUpInRome", func(t *testing.T) {
		rome := mustZone(t, "Europe/Rome")
		bottest.ArchiveSuite(t, func(t *testing.T) report.Archive { return mustOpenIn(t, rome) })
	})
}

func TestArchiverArchivesTheEventLog(t *testing.T) {
	a := mustOpen(t)
	s := memory.NewStore()
	evs := fixture()
	commit(t, s, evs)
	arc, err := report.NewArchiver(report.ArchiverConfig{Log: s, Archive: a, Batch: 7})
	if err != nil {
		t.Fatal(err)
	}
	if n := drain(t, arc); n != len(evs) {
		t.Fatalf("archived %d events, want %d", n, len(evs))
	}
	if n := count(t, "events"); n != len(evs) {
		t.Errorf("%d events stored, want %d", n, len(evs))
	}
	// Acknowledged: the log has nothing more for the archive.
	if again, _ := s.ReadEvents(context.Background(), "archive", 100, 0); len(again) != 0 {
		t.Errorf("%d events still unacknowledged", len(again))
	}
	c, got, err := a.Transcript(context.Background(), "telegram:2")
	if err != nil {
		t.Fatal(err)
	}
	if c.Outcome != report.OutcomeSales || c.Agent != "Giulia" || c.CSAT != 5 || c.TimeToClaim != 92*time.Second {
		t.Errorf("summary %+v", c)
	}
	if len(got) != 9 || !reflect.DeepEqual(got[0], evs[5]) {
		t.Errorf("transcript: %d events, first %+v\nwant %+v", len(got), got[0], evs[5])
	}
}

// TestAppendConcurrently archives the same events from several
// goroutines, as replicas sharing the consumer group might after a
// redelivery: each event is stored once, in one conversation.
func TestAppendConcurrently(t *testing.T) {
	ctx := context.Background()
	a := mustOpen(t)
	evs := fixture()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			batch := slices.Clone(evs)
			if i%2 == 1 {
				slices.Reverse(batch)
			}
			if err := a.Append(ctx, batch...); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := count(t, "events"); n != len(evs) {
		t.Errorf("%d events stored, want %d", n, len(evs))
	}
	if n := count(t, "conversations"); n != 4 {
		t.Errorf("%d conversations, want 4", n)
	}
}

func TestSearchStemsItalianAndEnglish(t *testing.T) {
	ctx := context.Background()
	a := mustOpen(t)
	if err := a.Append(ctx, fixture()...); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"garanzia", []string{"1"}},   // "garanzie" and "garanzia" in Italian
		{"frullatore", []string{"1"}}, // "frullatori"
		{"returns", []string{"3"}},    // "returned"
		{"refunds", []string{"3"}},
		{"machine", []string{"2"}}, // "machines"
		{"Giulia", nil},            // agents' names are not text
		{"which model", []string{"2"}},
		{`"espresso machines"`, []string{"2"}},
		{"toaster -refund", nil},
		{"blorp", []string{"4"}},
		{"nothing-like-this", nil},
	} {
		t.Run(tc.query, func(t *testing.T) {
			list, n, err := a.List(ctx, report.Filter{Query: tc.query})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range list {
				got = append(got, c.Address.ChatID)
			}
			if n != len(tc.want) || !slices.Equal(got, tc.want) {
				t.Errorf("found %v (%d), want %v", got, n, tc.want)
			}
		})
	}
}

func TestRetentionDeletesOldConversations(t *testing.T) {
	ctx := context.Background()
	a := mustOpen(t)
	s := memory.NewStore()
	commit(t, s, fixture())
	// Retention of 30 days: three conversations ended more than 30 days
	// ago; the support one, which went on overnight, did not.
	now := t0.AddDate(0, 0, 30).Add(3*time.Hour + 10*time.Second)
	arc, err := report.NewArchiver(report.ArchiverConfig{Log: s, Archive: a, Retention: 30 * 24 * time.Hour,
		Clock: clock(now)})
	if err != nil {
		t.Fatal(err)
	}
	drain(t, arc)
	runCtx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	arc.Run(runCtx) // purges at its start
	list, _, err := a.List(ctx, report.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Address.ChatID != "3" {
		t.Errorf("left %+v, want the support conversation only", list)
	}
	if n := count(t, "events"); n != 5 {
		t.Errorf("%d events left, want the support conversation's 5", n)
	}
}

type clock time.Time

func (c clock) Now() time.Time { return time.Time(c) }

func TestRedactionBeforeArchiving(t *testing.T) {
	ctx := context.Background()
	a := mustOpen(t)
	s := memory.NewStore()
	sc := newScript("9", t0, "it").
		say(bot.EventCustomer, "Pago con la carta 4111 1111 1111 1111, mail mario@example.it, cell +39 333 123 4567").
		add(bot.Event{Type: bot.EventSlotFilled, Slot: "iban", Value: "IT60X0542811101000000123456"})
	commit(t, s, sc.evs)
	arc, _ := report.NewArchiver(report.ArchiverConfig{Log: s, Archive: a, Redact: redact.New(redact.DefaultConfig()).String})
	drain(t, arc)
	_, evs, err := a.Transcript(ctx, "telegram:9")
	if err != nil {
		t.Fatal(err)
	}
	if got := evs[0].Text; got != "Pago con la carta [card], mail [email], cell [phone]" {
		t.Errorf("archived text %q", got)
	}
	if got := evs[1].Value; got != "[iban]" {
		t.Errorf("archived slot value %q", got)
	}
	if list, _, _ := a.List(ctx, report.Filter{Query: "4111"}); len(list) != 0 {
		t.Errorf("the card number is searchable")
	}
}

// TestArchiverWaitsForPostgreSQL cuts the archive's connection to
// PostgreSQL: the events stay unacknowledged in the log, and arrive once
// it is back.
func TestArchiverWaitsForPostgreSQL(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	mustOpen(t) // empty the tables
	cfg, _ := pgx.ParseConfig(testURL)
	proxy := newProxy(t, fmt.Sprintf("%s:%d", cfg.Host, cfg.Port))
	a, err := postgres.Open(ctx, fmt.Sprintf("postgres://%s@%s/%s?sslmode=disable&connect_timeout=2",
		cfg.User, proxy.addr, cfg.Database))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()

	proxy.down()
	s := memory.NewStore()
	evs := fixture()
	commit(t, s, evs)
	arc, _ := report.NewArchiver(report.ArchiverConfig{Log: s, Archive: a})
	done := make(chan struct{})
	go func() { arc.Run(ctx); close(done) }()
	time.Sleep(1500 * time.Millisecond)
	if n := count(t, "events"); n != 0 {
		t.Fatalf("%d events archived while PostgreSQL was down", n)
	}
	proxy.up()
	for count(t, "events") < len(evs) {
		if ctx.Err() != nil {
			t.Fatalf("events did not arrive after PostgreSQL came back: %d of %d", count(t, "events"), len(evs))
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	if again, _ := s.ReadEvents(context.Background(), "archive", 100, 0); len(again) != 0 {
		t.Errorf("%d events still unacknowledged", len(again))
	}
}

// proxy forwards TCP connections to PostgreSQL while it is up; down
// refuses new connections and cuts those open.
type proxy struct {
	addr string
	mu   sync.Mutex
	ok   bool
	open []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{addr: ln.Addr().String(), ok: true}
	t.Cleanup(func() { ln.Close(); p.down() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			if !p.ok {
				p.mu.Unlock()
				c.Close()
				continue
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				p.mu.Unlock()
				c.Close()
				continue
			}
			p.open = append(p.open, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
	return p
}

func (p *proxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ok = false
	for _, c := range p.open {
		c.Close()
	}
	p.open = nil
}

func (p *proxy) up() {
	p.mu.Lock()
	p.ok = true
	p.mu.Unlock()
}

func TestMigrationsApplyOnce(t *testing.T) {
	ctx := context.Background()
	for range 2 {
		a, err := postgres.Open(ctx, testURL)
		if err != nil {
			t.Fatal(err)
		}
		a.Close()
	}
	files, _ := filepath.Glob("migrations/*.sql")
	if n := count(t, "schema_migrations"); n != len(files) || n < 4 {
		t.Errorf("%d migrations recorded, want one for each of the %d files", n, len(files))
	}
}

// TestEveryCallHasADeadline: a PostgreSQL that accepts connections and
// never answers must not hold the archive (nor the review pages, nor
// start-up) forever: connecting has a deadline even when the URL sets
// none.
func TestEveryCallHasADeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // accept, never answer
		}
	}()
	start := time.Now()
	_, err = postgres.Open(context.Background(), "postgres://x@"+ln.Addr().String()+"/db?sslmode=disable")
	if took := time.Since(start); err == nil || took > postgres.ConnectTimeout+5*time.Second {
		t.Fatalf("open against a silent server: err %v after %v", err, took)
	}
}

// TestContainmentPerIntentSameAsMemory: containment per intent counts the
// same on PostgreSQL as in memory, and as the conversations ended.
func TestContainmentPerIntentSameAsMemory(t *testing.T) {
	ctx := context.Background()
	pg := mustOpen(t)
	mem := memory.NewArchive()
	day := t0.Add(30 * 24 * time.Hour)
	var evs []bot.Event
	add := func(s *script) { evs = append(evs, s.evs...) }
	orderStatus := func(chat string, at time.Time) *script {
		return newScript(chat, at, "it").say(bot.EventCustomer, "dov'è il mio ordine SP-123456?").
			add(bot.Event{Type: bot.EventIntent, Intent: "order_status", Confidence: 0.9}).
			add(bot.Event{Type: bot.EventFlowStarted, Flow: "order_status"})
	}
	add(orderStatus("c1", day).add(bot.Event{Type: bot.EventLookup, Action: "order", Value: "found", Text: "SP-123456"}).
		say(bot.EventBot, "L'ordine è partito.").add(bot.Event{Type: bot.EventFlowEnded, Flow: "order_status"}))
	add(orderStatus("c2", day.Add(time.Minute)).add(bot.Event{Type: bot.EventLookup, Action: "order", Value: "timeout", Text: "SP-123456"}).
		add(bot.Event{Type: bot.EventFlowEnded, Flow: "order_status"}).add(bot.Event{Type: bot.EventHandoff, Team: "support", Case: "k2"}))
	add(orderStatus("c3", day.Add(2*time.Minute)).say(bot.EventBot, "L'email dell'ordine?"))
	add(newScript("c4", day.Add(3*time.Minute), "en").say(bot.EventCustomer, "I want a person").
		add(bot.Event{Type: bot.EventIntent, Intent: "human", Confidence: 0.9}).
		add(bot.Event{Type: bot.EventHandoff, Team: "sales", Case: "k4"}).
		add(bot.Event{Type: bot.EventLeftQueue, Team: "sales", Case: "k4"}))
	for _, arc := range []report.Archive{pg, mem} {
		if err := arc.Append(ctx, evs...); err != nil {
			t.Fatal(err)
		}
	}
	p := report.Period{From: day.Truncate(24 * time.Hour), To: day.Truncate(24*time.Hour).AddDate(0, 0, 1)}
	got, err := pg.Stats(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := mem.Stats(ctx, p)
	if !reflect.DeepEqual(got.ByIntent, want.ByIntent) {
		t.Errorf("by intent on PostgreSQL %+v, in memory %+v", got.ByIntent, want.ByIntent)
	}
	if w := []report.IntentContainment{
		{Intent: "order_status", Conversations: 3, Resolved: 1, HandedOff: 1, Lost: 1},
		{Intent: "human", Conversations: 1, Lost: 1},
	}; !reflect.DeepEqual(got.ByIntent, w) {
		t.Errorf("by intent %+v, want %+v", got.ByIntent, w)
	}
}
