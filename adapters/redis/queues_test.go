package redis_test

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sportello/sportello/adapters/redis"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
)

// countingConn counts the bytes Redis sends to one client.
type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.n.Add(int64(n))
	return n, err
}

// openCounting opens a store on url whose client counts the bytes it
// reads from Redis, under a fresh prefix, deleted when the test ends.
func openCounting(tb testing.TB, url string) (*redis.Store, *atomic.Int64) {
	st, read, _ := openCountingPrefix(tb, url)
	return st, read
}

func openCountingPrefix(tb testing.TB, url string) (*redis.Store, *atomic.Int64, string) {
	tb.Helper()
	o, err := goredis.ParseURL(url)
	if err != nil {
		tb.Fatal(err)
	}
	read := new(atomic.Int64)
	var d net.Dialer
	o.Dialer = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return countingConn{c, read}, nil
	}
	prefix := randomPrefix()
	st := redis.NewStore(goredis.NewClient(o), redis.Options{Prefix: prefix})
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		st.Purge(ctx)
		st.Close()
	})
	return st, read, prefix
}

// mustClient returns a client of the tests' Redis, for looking at keys.
func mustClient(tb testing.TB) *goredis.Client {
	tb.Helper()
	o, err := goredis.ParseURL(testURL())
	if err != nil {
		tb.Fatal(err)
	}
	c := goredis.NewClient(o)
	tb.Cleanup(func() { c.Close() })
	return c
}

// fillQueue puts n cases in team's queue, oldest first from since.
func fillQueue(tb testing.TB, q bot.Queues, team string, n int, since time.Time) {
	tb.Helper()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < n; i += 8 {
				id := fmt.Sprintf("C-%06d", i)
				op := bot.QueueOp{Add: true, Team: team, Case: id, Address: bot.Address{Channel: "web", ChatID: id},
					Since: since.Add(time.Duration(i) * time.Millisecond), Seq: 1}
				if err := q.Apply(context.Background(), op); err != nil {
					tb.Errorf("Apply: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// handOff answers "agent" with a handoff to sales, anything else with a line.
var handOff = bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
	if t.Message.Text == "agent" {
		t.HandOff(bot.Case{Team: "sales", Intent: "human"})
		return nil
	}
	t.Say("ok")
	return nil
})

// The failure of issue 10: with 4,000 cases waiting, every queue read was
// an HGETALL of the whole team queue, tombstones included, and every
// waiting case's position timer read it again each minute. A customer who
// joins a queue of 10,000, writes in it, and has their place looked at a
// minute later reads a few kilobytes from Redis, not the queue.
func TestQueuePositionDoesNotReadTheWholeQueue(t *testing.T) {
	mustReachRedis(t)
	st, read := openCounting(t, testURL())
	ctx := context.Background()
	now := time.Now()
	fillQueue(t, st, "sales", 10_000, now.Add(-48*time.Hour))
	// A running server would have told the customers who joined; hand
	// their joining out here.
	if m, ok := any(st).(interface {
		Moved(context.Context, time.Time, time.Duration, int) ([]bot.QueueOp, error)
	}); ok {
		for {
			w, err := m.Moved(ctx, now, time.Minute, 100_000)
			if err != nil {
				t.Fatal(err)
			}
			if len(w) == 0 {
				break
			}
		}
	}
	clock := botfake.NewClock(now)
	var out replies
	e, err := bot.NewEngine(bot.Config{Store: st, Responder: handOff, Queues: st, Clock: clock,
		Teams: bot.TeamList{{ID: "sales", Names: map[string]string{"en": "Sales"}}}})
	if err != nil {
		t.Fatal(err)
	}
	e.SetChannel("test", out.channel())
	alice := bot.Address{Channel: "test", ChatID: "alice"}
	// An engine that delivers in the background is waited for, so that
	// what a step delivered counts in its step.
	flush := func() error {
		if f, ok := any(e).(interface{ Flush(context.Context) error }); ok {
			return f.Flush(ctx)
		}
		return nil
	}

	const most = 32 << 10 // the queue whole is over a megabyte
	for _, step := range []struct {
		name string
		do   func() error
	}{
		{"asking for a person (the place of a new case)", func() error {
			return e.Handle(ctx, botfake.Message(alice, "m1", "agent"))
		}},
		{"writing while queued", func() error {
			return e.Handle(ctx, botfake.Message(alice, "m2", "is anyone there?"))
		}},
		{"hearing the new place a minute later, the case ahead gone", func() error {
			if err := st.Apply(ctx, bot.QueueOp{Team: "sales", Case: "C-009999", Seq: 2}); err != nil {
				return err
			}
			clock.Advance(61 * time.Second)
			e.FireTimers(ctx)
			return nil
		}},
	} {
		before := read.Load()
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if err := flush(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		n := read.Load() - before
		if n > most {
			t.Errorf("%s with 10,000 cases waiting read %d bytes from Redis, want under %d: the queue was read whole", step.name, n, most)
		}
		t.Logf("%s: %d bytes read", step.name, n)
	}
	if got := out.to(alice); len(got) != 2 || !strings.Contains(got[0], "number 10001") || got[1] != "You're now number 10000 in the queue." {
		t.Fatalf("alice was told %q, want number 10001, then 10000", got)
	}
}

// commandStats returns the calls of every command Redis ran, scripts'
// commands included (INFO commandstats).
func commandStats(tb testing.TB, c *goredis.Client) map[string]int {
	tb.Helper()
	info, err := c.Info(context.Background(), "commandstats").Result()
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]int{}
	for line := range strings.Lines(info) {
		name, rest, ok := strings.Cut(strings.TrimSpace(line), ":calls=")
		if !ok {
			continue
		}
		calls, _, _ := strings.Cut(rest, ",")
		out[strings.TrimPrefix(name, "cmdstat_")], _ = strconv.Atoi(calls)
	}
	return out
}

func diff(before, after map[string]int) string {
	var parts []string
	for name, n := range after {
		if d := n - before[name]; d > 0 && name != "info" {
			parts = append(parts, fmt.Sprintf("%s=%d", name, d))
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// Every queue operation runs the same Redis commands, and reads about
// the same bytes, with 100 or 10,000 cases waiting: none reads the queue,
// and the tombstones of removed cases are never read. On a server of the
// test's own, so that INFO commandstats counts only this test's commands.
func TestQueueOperationsCostTheSameWhateverTheQueue(t *testing.T) {
	srv := startRedis(t)
	ctl := goredis.NewClient(&goredis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", srv.port)})
	defer ctl.Close()
	ctx := context.Background()
	now := time.Now()
	type cost struct {
		commands string
		bytes    int64
	}
	measure := func(n int) map[string]cost {
		st, read := openCounting(t, srv.url())
		fillQueue(t, st, "sales", n, now.Add(-time.Hour))
		// A thousand removed cases leave their tombstones.
		for i := range 1000 {
			id := fmt.Sprintf("G-%04d", i)
			st.Apply(ctx, bot.QueueOp{Add: true, Team: "sales", Case: id, Address: bot.Address{Channel: "web", ChatID: id}, Since: now, Seq: 1})
			st.Apply(ctx, bot.QueueOp{Team: "sales", Case: id, Seq: 2})
		}
		for {
			if w, _ := st.Moved(ctx, now, 0, 100_000); len(w) == 0 {
				break
			}
		}
		mid := fmt.Sprintf("C-%06d", n/2)
		out := map[string]cost{}
		for _, op := range []struct {
			name string
			do   func() error
		}{
			{"Position", func() error { _, _, err := st.Position(ctx, "sales", mid); return err }},
			{"Len", func() error { _, err := st.Len(ctx, "sales"); return err }},
			{"Oldest(20)", func() error { _, err := st.Oldest(ctx, "sales", 20); return err }},
			{"Apply add", func() error {
				return st.Apply(ctx, bot.QueueOp{Add: true, Team: "sales", Case: "NEW", Address: bot.Address{Channel: "web", ChatID: "new"}, Since: now, Seq: 1})
			}},
			{"Apply remove", func() error { return st.Apply(ctx, bot.QueueOp{Team: "sales", Case: mid, Seq: 2}) }},
			{"Apply stale", func() error {
				return st.Apply(ctx, bot.QueueOp{Add: true, Team: "sales", Case: mid, Address: bot.Address{Channel: "web", ChatID: mid}, Since: now, Seq: 1})
			}},
			{"Moved, within the minute", func() error { _, err := st.Moved(ctx, now, time.Minute, 1000); return err }},
		} {
			before, b0 := commandStats(t, ctl), read.Load()
			if err := op.do(); err != nil {
				t.Fatalf("%s: %v", op.name, err)
			}
			out[op.name] = cost{diff(before, commandStats(t, ctl)), read.Load() - b0}
		}
		return out
	}
	measure(10) // Redis learns the scripts
	small, big := measure(100), measure(10_000)
	for name, b := range big {
		s := small[name]
		if b.commands != s.commands {
			t.Errorf("%s ran %s with 10,000 waiting, %s with 100", name, b.commands, s.commands)
		}
		if b.bytes > s.bytes+64 || b.bytes > 4096 {
			t.Errorf("%s read %d bytes with 10,000 waiting, %d with 100", name, b.bytes, s.bytes)
		}
		for _, whole := range []string{"hgetall", "hvals", "hkeys", "hscan", "keys", "scan", "zscan", "smembers=2"} {
			if strings.Contains(" "+b.commands, " "+whole) {
				t.Errorf("%s ran %s: %s", name, whole, b.commands)
			}
		}
	}
	t.Logf("commands with 10,000 waiting: %+v", big)
}

// Tombstones are keys of their own that expire; every key of a team's
// queue shares one hash tag, so each script touches one Cluster slot.
func TestQueueKeysShareATagAndTombstonesExpire(t *testing.T) {
	mustReachRedis(t)
	st, _, prefix := openCountingPrefix(t, testURL())
	ctx := context.Background()
	fillQueue(t, st, "sales", 3, time.Now())
	fillQueue(t, st, "support}{x", 2, time.Now())
	if err := st.Apply(ctx, bot.QueueOp{Team: "sales", Case: "C-000001", Seq: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Moved(ctx, time.Now(), time.Minute, 10); err != nil {
		t.Fatal(err)
	}
	ctl := mustClient(t)
	keys, err := ctl.Keys(ctx, prefix+"*").Result() // a prefix of hex digits
	if err != nil {
		t.Fatal(err)
	}
	tags := map[string]map[string]bool{}
	var gone []string
	for _, k := range keys {
		rest := strings.TrimPrefix(k, prefix)
		if rest == "queues" {
			continue // the set of the teams, read on its own
		}
		team := "sales"
		if strings.Contains(rest, "support") {
			team = "support"
		}
		if tags[team] == nil {
			tags[team] = map[string]bool{}
		}
		tags[team][hashTag(k)] = true
		if strings.Contains(rest, ":gone:") {
			gone = append(gone, k)
		}
	}
	for team, ts := range tags {
		if len(ts) != 1 {
			t.Errorf("the keys of %s's queue have the hash tags %v, want one", team, ts)
		}
	}
	if len(gone) != 1 {
		t.Fatalf("tombstones %v, want the one of the removed case", gone)
	}
	ttl, err := ctl.PTTL(ctx, gone[0]).Result()
	if err != nil || ttl <= bot.QueueMemory-time.Minute || ttl > bot.QueueMemory {
		t.Fatalf("the tombstone expires in %v (%v), want %v", ttl, err, bot.QueueMemory)
	}
}

// A queue written by the version before the sorted sets (one hash per team,
// tombstones inside) is moved to the new keys on first use: no waiting case
// is lost, and no removed one comes back.
func TestAQueueOfTheFormerLayoutIsMovedOnFirstUse(t *testing.T) {
	mustReachRedis(t)
	st, _, prefix := openCountingPrefix(t, testURL())
	ctx := context.Background()
	ctl := mustClient(t)
	old := prefix + "queue:sales"
	t1 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	entry := func(id string, since time.Time, seq int64) string {
		return fmt.Sprintf(`{"add":true,"team":"sales","case":%q,"address":{"channel":"web","chat_id":%q},"since":%q,"seq":%d}`,
			id, id, since.Format(time.RFC3339Nano), seq)
	}
	if err := ctl.HSet(ctx, old,
		"C-2", entry("C-2", t1.Add(time.Minute), 3),
		"C-1", entry("C-1", t1, 2),
		"C-GONE", fmt.Sprintf(`{"seq":7,"gone":%d}`, time.Now().UnixMilli()),
	).Err(); err != nil {
		t.Fatal(err)
	}
	if n, err := st.Len(ctx, "sales"); err != nil || n != 2 {
		t.Fatalf("Len after the move = %d, %v; want 2", n, err)
	}
	w, err := st.Oldest(ctx, "sales", 10)
	if err != nil || len(w) != 2 || w[0].Case != "C-1" || w[1].Case != "C-2" || w[0].Address.ChatID != "C-1" || !w[0].Since.Equal(t1) {
		t.Fatalf("Oldest after the move = %+v, %v", w, err)
	}
	// The removed case's Seq came along: its stale add is still ignored.
	if err := st.Apply(ctx, bot.QueueOp{Add: true, Team: "sales", Case: "C-GONE", Since: t1, Seq: 6}); err != nil {
		t.Fatal(err)
	}
	if _, waiting, _ := st.Position(ctx, "sales", "C-GONE"); waiting {
		t.Fatal("a case removed before the move came back")
	}
	if n, _ := ctl.Exists(ctx, old).Result(); n != 0 {
		t.Fatal("the former hash is still there")
	}
}

// hashTag returns what Redis Cluster hashes of key: the part between the
// first { and the next }, when not empty, else the whole key.
func hashTag(key string) string {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			return key[i+1 : i+1+j]
		}
	}
	return key
}
