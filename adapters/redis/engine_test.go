package redis_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/redis"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
)

// replies collects what every replica's channel delivered.
type replies struct {
	mu   sync.Mutex
	byTo map[bot.Address][]string
}

func (r *replies) channel() bot.Channel {
	return bot.ChannelFunc(func(ctx context.Context, rp bot.Reply) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.byTo == nil {
			r.byTo = make(map[bot.Address][]string)
		}
		r.byTo[rp.Address] = append(r.byTo[rp.Address], rp.Text)
		return nil
	})
}

func (r *replies) to(a bot.Address) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.byTo[a]...)
}

func mustEngine(tb testing.TB, st bot.Store, ch bot.Channel, cfg bot.Config) *bot.Engine {
	tb.Helper()
	cfg.Store, cfg.Responder = st, botfake.Echo{}
	e, err := bot.NewEngine(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	e.SetChannel("test", ch)
	return e
}

func conv(i int) bot.Address { return bot.Address{Channel: "test", ChatID: strconv.Itoa(i)} }

func text(c, i int) string { return fmt.Sprintf("c%d-m%d", c, i) }

// Three replicas share one Redis; every conversation's sender sends its
// messages one after another, each to a random replica, and now and then
// the same message to two replicas at once, as a channel redelivering
// while the first delivery is still being handled.
func TestThreeReplicasShareTheConversations(t *testing.T) {
	mustReachRedis(t)
	testThreeReplicas(t, testURL())
}

// testThreeReplicas runs three replicas on the Redis at url and returns
// the prefix of their keys.
func testThreeReplicas(t *testing.T, url string) string {
	const convs, msgs = 200, 6
	prefix := randomPrefix()
	var out replies
	var engines []*bot.Engine
	for i := range 3 {
		// A client of its own each; the first auto-pipelines.
		st := mustOpen(t, url, redis.Options{Prefix: prefix, AutoPipeline: i == 0})
		engines = append(engines, mustEngine(t, st, out.channel(), bot.Config{}))
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for c := range convs {
		wg.Go(func() {
			for i := range msgs {
				m := botfake.Message(conv(c), "m"+strconv.Itoa(i), text(c, i))
				first := rand.IntN(3)
				if rand.IntN(4) == 0 {
					var twice sync.WaitGroup
					for _, e := range []*bot.Engine{engines[first], engines[(first+1)%3]} {
						twice.Go(func() {
							if err := e.Handle(ctx, m); err != nil {
								t.Errorf("Handle(%s %s): %v", m.Address, m.ID, err)
							}
						})
					}
					twice.Wait()
					continue
				}
				if err := engines[first].Handle(ctx, m); err != nil {
					t.Errorf("Handle(%s %s): %v", m.Address, m.ID, err)
				}
			}
		})
	}
	wg.Wait()

	// The sequential result: the same messages, one engine, memory store.
	ref := memory.NewStore()
	var refOut replies
	seq := mustEngine(t, ref, refOut.channel(), bot.Config{})
	for c := range convs {
		for i := range msgs {
			if err := seq.Handle(ctx, botfake.Message(conv(c), "m"+strconv.Itoa(i), text(c, i))); err != nil {
				t.Fatal(err)
			}
		}
	}
	st := mustOpen(t, url, redis.Options{Prefix: prefix})
	for c := range convs {
		a := conv(c)
		got, err := st.Load(ctx, a, "")
		if err != nil || got == nil {
			t.Fatalf("session of %s: %v, %v", a, got, err)
		}
		want, _ := ref.Load(ctx, a, "")
		if !reflect.DeepEqual(got.Slots, want.Slots) || got.Version != want.Version || !reflect.DeepEqual(got.Recent, want.Recent) {
			t.Errorf("%s: session slots %q version %d, want the sequential %q version %d", a, got.Slots, got.Version, want.Slots, want.Version)
		}
		gotTr, _ := st.Transcript(ctx, a, 1000)
		wantTr, _ := ref.Transcript(ctx, a, 1000)
		if g, w := texts(gotTr), texts(wantTr); !reflect.DeepEqual(g, w) {
			t.Errorf("%s: transcript %q, want %q", a, g, w)
		}
		if g, w := out.to(a), refOut.to(a); !reflect.DeepEqual(g, w) {
			t.Errorf("%s: replies %q, want each once in order %q", a, g, w)
		}
	}
	return prefix
}

func texts(evs []bot.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, string(e.Type)+":"+e.Text)
	}
	return out
}

// redisServer is a redis-server of a test's own, which it may kill and
// start again on the same port, data directory and arguments (its AOF and,
// on a Cluster, its node configuration).
type redisServer struct {
	port int
	dir  string
	args []string
	cmd  *exec.Cmd
}

// needRedisBinaries stops a test that needs its own redis-server (and
// redis-cli, for a Cluster) when they are not installed: it fails in CI,
// where they must be, and skips, saying why, elsewhere.
func needRedisBinaries(tb testing.TB) {
	tb.Helper()
	for _, bin := range []string{"redis-server", "redis-cli"} {
		if _, err := exec.LookPath(bin); err != nil {
			if os.Getenv("CI") != "" {
				tb.Fatalf("CI: %s is not installed (apt-get install redis-server): %v", bin, err)
			}
			tb.Skipf("%s is not installed (apt-get install redis-server); CI fails here", bin)
		}
	}
}

// freePorts returns n TCP ports free on 127.0.0.1, all different.
func freePorts(n int) ([]int, error) {
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func startRedis(tb testing.TB, args ...string) *redisServer {
	tb.Helper()
	needRedisBinaries(tb)
	ports, err := freePorts(1)
	if err != nil {
		tb.Fatal(err)
	}
	r := &redisServer{port: ports[0], dir: tb.TempDir(), args: args}
	tb.Cleanup(r.kill)
	if err := r.start(); err != nil {
		tb.Fatal(err)
	}
	return r
}

func (r *redisServer) addr() string { return fmt.Sprintf("127.0.0.1:%d", r.port) }

func (r *redisServer) url() string { return "redis://" + r.addr() + "/0" }

// start starts the server and waits until it accepts connections (it may
// still be loading its AOF).
func (r *redisServer) start() error {
	args := append([]string{"--port", strconv.Itoa(r.port), "--bind", "127.0.0.1", "--dir", r.dir,
		"--save", "", "--daemonize", "no", "--logfile", "redis.log"}, r.args...)
	r.cmd = exec.Command("redis-server", args...)
	dieWithTest(r.cmd)
	if err := r.cmd.Start(); err != nil {
		return fmt.Errorf("start redis-server on port %d: %w", r.port, err)
	}
	for range 250 {
		c, err := net.Dial("tcp", r.addr())
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("redis-server on port %d did not start within 5 s (see %s/redis.log)", r.port, r.dir)
}

// kill stops the server at once, as a crash would (SIGKILL).
func (r *redisServer) kill() {
	if r.cmd != nil && r.cmd.Process != nil {
		r.cmd.Process.Kill()
		r.cmd.Wait()
		r.cmd = nil
	}
}

// Redis is killed in the middle of a load and started again: senders
// retry what failed, as channels redeliver what was not acknowledged;
// every message is committed once, every reply arrives, and the engine
// goes on without a restart. With AOF and appendfsync always nothing
// acknowledged is lost: the deployment docs/redis.md asks for.
func TestRedisRestartLosesNothing(t *testing.T) {
	t.Run("plain", func(t *testing.T) { testRestart(t, "", true) })
	// The auto-pipeliner holds commands while it reconnects: messages
	// wait rather than fail.
	t.Run("autopipelined", func(t *testing.T) { testRestart(t, "?autopipeline=true", false) })
}

func testRestart(t *testing.T, query string, mustFail bool) {
	persist := []string{"--appendonly", "yes", "--appendfsync", "always"}
	srv := startRedis(t, persist...)
	st := mustOpen(t, srv.url()+query, redis.Options{})
	failed, _ := loadThroughOutage(t, st, func() {
		srv.kill()
		// Longer than go-redis's own retries, so that Handle fails.
		time.Sleep(1500 * time.Millisecond)
		if err := srv.start(); err != nil {
			t.Fatal(err)
		}
	})
	if len(failed) == 0 && mustFail {
		t.Fatal("no message failed: the restart did not happen under load")
	}
}

// loadThroughOutage sends 40 conversations of 12 messages each through an
// engine on st, runs outage once every conversation is a third of the way
// through, and checks that every message was committed once, in order,
// and that every reply arrived. Senders retry what fails, as channels
// redeliver what was not acknowledged. It returns how many times the
// messages of each conversation failed, and what the channel delivered.
func loadThroughOutage(t *testing.T, st *redis.Store, outage func()) (map[bot.Address]int, *replies) {
	t.Helper()
	var out replies
	e := mustEngine(t, st, out.channel(), bot.Config{Lease: 500 * time.Millisecond, Poll: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.Run(ctx)

	const convs, msgs = 40, 12
	var sent sync.WaitGroup
	var mu sync.Mutex
	failed := make(map[bot.Address]int)
	var progress sync.WaitGroup
	progress.Add(convs)
	for c := range convs {
		sent.Go(func() {
			var once sync.Once
			defer once.Do(progress.Done)
			for i := range msgs {
				if i == msgs/3 {
					once.Do(progress.Done)
				}
				m := botfake.Message(conv(c), "m"+strconv.Itoa(i), text(c, i))
				for try := 0; ; try++ {
					err := e.Handle(ctx, m)
					if err == nil {
						break
					}
					mu.Lock()
					failed[m.Address]++
					mu.Unlock()
					if try > 200 {
						t.Errorf("Handle(%s %s) still fails: %v", m.Address, m.ID, err)
						return
					}
					time.Sleep(25 * time.Millisecond)
				}
				time.Sleep(time.Duration(rand.IntN(10)) * time.Millisecond)
			}
		})
	}
	progress.Wait()
	outage()
	sent.Wait()
	n := 0
	for _, k := range failed {
		n += k
	}
	t.Logf("%d attempts failed during the outage, in %d conversations, and were sent again", n, len(failed))

	for c := range convs {
		a := conv(c)
		var want []string
		for i := range msgs {
			want = append(want, text(c, i))
		}
		sess, err := st.Load(context.Background(), a, "")
		if err != nil || sess == nil {
			t.Fatalf("session of %s after the outage: %v, %v", a, sess, err)
		}
		if got := strings.Split(strings.TrimSuffix(sess.Slots["log"], "\n"), "\n"); !reflect.DeepEqual(got, want) {
			t.Errorf("%s handled %q, want each message once, in order", a, got)
		}
	}
	// Every reply arrives. One whose commit's answer was lost with the
	// connection is delivered by Run after the lease, perhaps after the
	// replies to later messages: the engine delivers nothing for a
	// message it finds committed already (see docs/redis.md).
	deadline := time.Now().Add(10 * time.Second)
	late := 0
	for c := 0; c < convs; {
		a := conv(c)
		got := echoes(out.to(a))
		var want []string
		for i := range msgs {
			want = append(want, "echo: "+text(c, i))
		}
		if missing := missingFrom(got, want); len(missing) == 0 {
			if !containsInOrder(got, want) {
				late++
			}
			c++
			continue
		} else if time.Now().After(deadline) {
			t.Fatalf("%s never received %q (received %q)", a, missing, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("%d conversations received a reply late, after the lease", late)
	return failed, &out
}

func missingFrom(got, want []string) []string {
	have := map[string]bool{}
	for _, g := range got {
		have[g] = true
	}
	var out []string
	for _, w := range want {
		if !have[w] {
			out = append(out, w)
		}
	}
	return out
}

// echoes drops the apologies sent while Redis was away.
func echoes(rs []string) []string {
	var out []string
	for _, r := range rs {
		if strings.HasPrefix(r, "echo: ") {
			out = append(out, r)
		}
	}
	return out
}

// containsInOrder reports whether want appears in got in order; a reply
// may come twice inside the crash window.
func containsInOrder(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// A replica commits and dies before it delivers (its channel fails and
// it never runs again); another replica's Run delivers the reply once the
// writer's lease has run out.
func TestAnotherReplicaDeliversAfterACrash(t *testing.T) {
	mustReachRedis(t)
	prefix := randomPrefix()
	lease := 300 * time.Millisecond
	dead := mustEngine(t, mustOpen(t, testURL(), redis.Options{Prefix: prefix}),
		bot.ChannelFunc(func(ctx context.Context, r bot.Reply) error { return errors.New("process killed") }),
		bot.Config{Lease: lease})
	var out replies
	alive := mustEngine(t, mustOpen(t, testURL(), redis.Options{Prefix: prefix}), out.channel(),
		bot.Config{Lease: lease, Poll: 20 * time.Millisecond})

	a := conv(1)
	committed := time.Now()
	if err := dead.Handle(context.Background(), botfake.Message(a, "m1", "hello")); err != nil {
		t.Fatalf("Handle on the replica that dies: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go alive.Run(ctx)
	for time.Since(committed) < 5*time.Second {
		if got := out.to(a); len(got) > 0 {
			if time.Since(committed) < lease {
				t.Errorf("delivered after %v, inside the writer's lease of %v", time.Since(committed), lease)
			}
			time.Sleep(3 * lease) // nothing more comes
			if got := out.to(a); !reflect.DeepEqual(got, []string{"echo: hello"}) {
				t.Fatalf("replies = %q, want the echo once", got)
			}
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no replica delivered the reply")
}
