package main

// End-to-end tests of the transcript archive: the whole binary's server
// with a real PostgreSQL archive (a database each test creates), fed
// through the web chat's HTTP API or, for entries the engine would never
// record, straight into the store's event log. Each poison input is
// followed by a normal conversation that must reach PostgreSQL.

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/sportello/sportello/adapters/postgres"
	"github.com/sportello/sportello/adapters/review"
	"github.com/sportello/sportello/adapters/webchat"
	"github.com/sportello/sportello/bot"
)

// testDatabase creates an empty PostgreSQL database for one test, on
// SPORTELLO_TEST_POSTGRES or the server every development and CI machine
// runs, and drops it when the test ends.
func testDatabase(t *testing.T) string {
	t.Helper()
	admin := "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	if u := os.Getenv("SPORTELLO_TEST_POSTGRES"); u != "" {
		admin = u
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("this test needs PostgreSQL at %s (set SPORTELLO_TEST_POSTGRES): %v", admin, err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	crand.Read(b)
	name := "sportello_e2e_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, admin); err == nil {
			c.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)")
			c.Close(ctx)
		}
	})
	cfg, _ := pgx.ParseConfig(admin)
	return fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, name)
}

const archivePassword = "archive-e2e-password"

// archiveServer starts a server on st (nil: the memory store) with its
// archive at dbURL and a manager "archive" for the review pages.
func archiveServer(t *testing.T, dbURL string, st bot.Store) string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(archivePassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	cfg := e2eConfig()
	cfg.Review.Managers = []review.Manager{{Name: "archive", PasswordHash: string(hash)}}
	getenv := func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	s, err := newServer(context.Background(), cfg, getenv, shopBot(t, true), testLog(t), deps{store: st, poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return start(t, s)
}

// openArchive opens the test's archive as the review pages read it.
func openArchive(t *testing.T, dbURL string) *postgres.Archive {
	t.Helper()
	a, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	return a
}

// waitArchived waits until the archive holds at least n events of the
// conversation of addr, and returns them.
func waitArchived(t *testing.T, a *postgres.Archive, addr bot.Address, n int) []bot.Event {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var evs []bot.Event
	for time.Now().Before(deadline) {
		_, evs, _ = a.Transcript(context.Background(), addr.String())
		if len(evs) >= n {
			return evs
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the archive holds %d events of %s, want %d: the archive is stuck", len(evs), addr, n)
	return nil
}

func (c *customer) addr() bot.Address {
	id, _ := webchat.ChatID(c.visitor)
	return bot.Address{Channel: "web", ChatID: id}
}

// TestNULPayloadDoesNotStopTheArchive: a button payload with a NUL, from
// an anonymous visitor, was recorded raw; PostgreSQL refused it and the
// archiver retried it for ever, so no later conversation was archived.
func TestNULPayloadDoesNotStopTheArchive(t *testing.T) {
	dbURL := testDatabase(t)
	base := archiveServer(t, dbURL, nil)
	a := openArchive(t, dbURL)

	attacker := newCustomer(t, base)
	attacker.post("ciao", "a\u0000b")
	customer := newCustomer(t, base)
	customer.say("il mio frullatore non si accende, è in garanzia?")
	customer.waitFor("bot", "")

	waitArchived(t, a, customer.addr(), 2)
	evs := waitArchived(t, a, attacker.addr(), 1)
	for _, e := range evs {
		if strings.ContainsRune(e.Intent+e.Text+e.Value, 0) {
			t.Errorf("archived with a NUL: %+v", e)
		}
	}
	if n, err := a.CountDeadLetters(context.Background()); err != nil || n != 0 {
		t.Errorf("%d dead letters (%v): the payload should have been cleaned before it was recorded", n, err)
	}
}

// TestThirtyLongMessagesDoNotStopTheArchive: about thirty messages of
// 31 KB of words in one conversation were recorded whole (before the
// 4,096-character refusal) and gave it a search vector over PostgreSQL's
// 1 MB limit; the archive stopped for good.
func TestThirtyLongMessagesDoNotStopTheArchive(t *testing.T) {
	dbURL := testDatabase(t)
	base := archiveServer(t, dbURL, nil)
	a := openArchive(t, dbURL)

	rng := rand.New(rand.NewPCG(3, 4))
	attacker := newCustomer(t, base)
	for i := range 30 {
		if i == 20 {
			// The web chat takes 20 messages in 10 s from one visitor.
			time.Sleep(10500 * time.Millisecond)
		}
		var b strings.Builder
		for b.Len() < 31*1024-200 {
			for range 4 + rng.IntN(7) {
				b.WriteByte(byte('a' + rng.IntN(26)))
			}
			b.WriteByte(' ')
		}
		attacker.say(b.String())
	}
	customer := newCustomer(t, base)
	customer.say("quanto dura la garanzia del tostapane?")
	customer.waitFor("bot", "")

	waitArchived(t, a, customer.addr(), 2)
	// Thirty events may be archived before the thirty messages are (the
	// bot's replies are events too): wait for the customer's messages.
	var evs []bot.Event
	long := 0
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		evs = waitArchived(t, a, attacker.addr(), 30)
		long = 0
		for _, e := range evs {
			if e.Type == bot.EventCustomer {
				long++
			}
		}
		if long >= 30 || time.Now().After(deadline) {
			break
		}
	}
	for _, e := range evs {
		if e.Type == bot.EventCustomer {
			if n := len([]rune(e.Text)); n > bot.MaxTextLen+len([]rune(bot.CutMarker)) {
				t.Errorf("a customer text of %d characters archived whole", n)
			}
		}
	}
	if long != 30 {
		t.Errorf("%d of the 30 long messages archived", long)
	}
	if n, _ := a.CountDeadLetters(context.Background()); n != 0 {
		t.Errorf("%d dead letters, want none", n)
	}
}

// TestPoisonEntryIsSetAsideAndRetried: entries PostgreSQL refuses for a
// reason of its own (here a constraint a DBA added, and a NUL forged into
// the event log below the engine, which every archive refuses alike:
// report.CheckEvent) are set aside with why, counted in
// /metrics and listed for the managers, while the conversations after
// them are archived. Once the constraint is dropped, `sportello archive
// retry` re-archives the one it refused, and says the other is still
// refused and why. The store is Redis: the entries wait in its stream.
func TestPoisonEntryIsSetAsideAndRetried(t *testing.T) {
	ctx := context.Background()
	dbURL := testDatabase(t)
	st := redisReplicaStores(t, 1)[0]
	base := archiveServer(t, dbURL, st)
	a := openArchive(t, dbURL)
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `ALTER TABLE events ADD CONSTRAINT no_test_poison CHECK (text NOT LIKE '%POISON%')`); err != nil {
		t.Fatal(err)
	}

	// Forged into the event log, as a bug or another writer might.
	now := time.Now().UTC()
	forge := func(chat, text string) bot.Event {
		addr := bot.Address{Channel: "web", ChatID: chat}
		e := bot.Event{ID: addr.String() + "|forged|0", Address: addr, Type: bot.EventCustomer, Time: now, Text: text}
		if err := st.Commit(ctx, &bot.Commit{Session: bot.NewSession(addr, now), MessageID: "forged", Events: []bot.Event{e}}); err != nil {
			t.Fatal(err)
		}
		return e
	}
	constrained := forge("forged1", "this text is POISON to the constraint")
	nul := forge("forged2", "a\x00b")
	customer := newCustomer(t, base)
	customer.say("vorrei comprare una macchina da caffè")
	customer.waitFor("bot", "")
	waitArchived(t, a, customer.addr(), 2)

	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if n, _ := a.CountDeadLetters(ctx); n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the two poison entries were not set aside")
		}
	}
	if got := metric(t, base, "sportello_archive_dead_letters"); got != "2" {
		t.Errorf("sportello_archive_dead_letters = %q, want 2", got)
	}
	page := reviewPage(t, base, "/review/dead-letters")
	for _, want := range []string{"2 set aside", constrained.ID, "no_test_poison", "SQLSTATE 23514", "this text is POISON",
		nul.ID, "a NUL character"} {
		if !strings.Contains(page, want) {
			t.Errorf("the dead-letter page lacks %q", want)
		}
	}
	if dash := reviewPage(t, base, "/review/dashboard"); !strings.Contains(dash, `id="t-dead-letters">2<`) {
		t.Error("the dashboard does not count the dead letters")
	}

	// The cause is fixed for one of them.
	if _, err := conn.Exec(ctx, `ALTER TABLE events DROP CONSTRAINT no_test_poison`); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}}
	code := run(ctx, e, []string{"archive", "retry"})
	if code != 1 || !strings.Contains(out.String(), "1 re-archived, 1 still refused") ||
		!strings.Contains(out.String(), nul.ID+" (web:forged2): ") || !strings.Contains(out.String(), "a NUL character") {
		t.Errorf("archive retry: exit %d\n%s%s", code, out.String(), errb.String())
	}
	if evs := waitArchived(t, a, constrained.Address, 1); evs[0].Text != constrained.Text {
		t.Errorf("re-archived %+v", evs[0])
	}
	if got := metric(t, base, "sportello_archive_dead_letters"); got != "1" {
		t.Errorf("after the retry, sportello_archive_dead_letters = %q, want 1", got)
	}
	if code := run(ctx, &env{stdout: io.Discard, stderr: &errb, getenv: func(string) string { return "" }},
		[]string{"archive", "retry"}); code != 1 || !strings.Contains(errb.String(), "DATABASE_URL") {
		t.Errorf("without DATABASE_URL: exit %d, %q", code, errb.String())
	}
}

// metric returns the value of the metric name on base's /metrics.
func metric(t *testing.T, base, name string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`(?m)^` + name + ` (\S+)$`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("/metrics has no %s:\n%s", name, body)
	}
	return string(m[1])
}

// reviewPage signs in to the review pages as the test's manager and
// returns the page at path.
func reviewPage(t *testing.T, base, path string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(p string) string {
		resp, err := c.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(get("/review/signin"))
	if csrf == nil {
		t.Fatal("no CSRF token on the sign-in page")
	}
	resp, err := c.PostForm(base+"/review/signin", url.Values{"csrf": {csrf[1]}, "name": {"archive"},
		"password": {archivePassword}, "next": {"/review/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return get(path)
}

func TestArchiveCommandUsage(t *testing.T) {
	if code, out, _ := runStdin(t, "", "help"); code != 0 || !strings.Contains(out, "\n  archive ") {
		t.Errorf("help does not list archive:\n%s", out)
	}
	for _, args := range [][]string{{"archive"}, {"archive", "purge"}, {"archive", "retry", "now"}} {
		if code, _, errs := runStdin(t, "", args...); code != 2 || !strings.Contains(errs, "usage: sportello archive retry") {
			t.Errorf("%q: exit %d, %q", args, code, errs)
		}
	}
}
