package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sportello/sportello/adapters/redis"
	"github.com/sportello/sportello/bot"
)

// benchTexts are what the simulated customers write: the length of real
// first messages, so that the memory per session is a fair figure.
var benchTexts = []string{
	"Buongiorno, il mio ordine 48213 non è ancora arrivato",
	"Hello, my Nova X stopped charging after two months",
	"Vorrei sapere se la garanzia copre lo schermo rotto",
	"Can I still return the blender I bought last week?",
	"grazie mille, a presto",
}

// runBench drives simulated conversations through the engine on the
// Redis store and reports throughput, latency of Engine.Handle, round
// trips and memory per idle session, with redis-benchmark as the ceiling.
// "bench queue" measures what cases left waiting cost (benchqueue.go),
// "bench soak" the whole server under visitors of the web chat
// (benchsoak.go).
func runBench(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "queue" {
		return runQueueBench(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "soak" {
		return runSoakBench(ctx, e, args[1:])
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	redisURL := redisFlag(fs, e)
	inFlight := fs.Int("conversations", 200, "conversations in flight at once")
	perConv := fs.Int("messages", 5, "messages per conversation: a short conversation")
	sessions := fs.Int("sessions", 100_000, "conversations in all; memory is measured at 10,000 and at this many idle sessions")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if *inFlight < 1 || *perConv < 1 || *sessions < 1 {
		return fmt.Errorf("%w: --conversations, --messages and --sessions must be positive", errUsage)
	}
	tuneGC(e.getenv) // as serve runs
	stop, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stop()

	// As long as the default prefix "sportello:", so that the memory per
	// session is what a deployment sees.
	b := make([]byte, 3)
	rand.Read(b)
	prefix := "bench" + hex.EncodeToString(b) + ":"
	// Auto-pipelining unless the URL says autopipeline=false.
	st, err := redis.Open(ctx, *redisURL, redis.Options{Prefix: prefix, AutoPipeline: true})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Ping(ctx); err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := st.Purge(cctx); err != nil {
			fmt.Fprintf(e.stderr, "bench: cleaning up %s*: %v\n", prefix, err)
		}
	}()

	eng, err := bot.NewEngine(bot.Config{
		Store: st,
		Responder: bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
			n, _ := strconv.Atoi(t.Session.Slots["n"])
			t.Session.SetSlot("n", strconv.Itoa(n+1))
			t.Say("Grazie! Ho preso nota: un collega le risponde entro un'ora lavorativa.")
			return nil
		}),
		FloodLimit: 1 << 30,
	})
	if err != nil {
		return err
	}
	var delivered atomic.Int64
	eng.SetChannel("bench", bot.ChannelFunc(func(ctx context.Context, r bot.Reply) error {
		delivered.Add(1)
		return nil
	}))

	used0, err := st.UsedMemory(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "sportello bench: %d conversations of %d messages, %d in flight, Redis %s\n",
		*sessions, *perConv, *inFlight, st.Redacted())

	// Conversations are numbered; workers take the next one and send its
	// messages one after another, as a customer would. Memory is measured
	// when 10,000 conversations are done and idle.
	checkpoints := []int{10_000, *sessions}
	if *sessions <= 10_000 {
		checkpoints = []int{*sessions}
	}
	var (
		nextConv  atomic.Int64
		lat       = make([][]time.Duration, *inFlight)
		firstErr  error
		errOnce   sync.Once
		totalTime time.Duration
		messages  int
		trips0    = st.RoundTrips()
		sent0     = st.Exchanges()
	)
	type memPoint struct {
		sessions              int
		used, streams, sample int64
	}
	var mem []memPoint
	done := 0
	for _, upto := range checkpoints {
		start := time.Now()
		var wg sync.WaitGroup
		for w := range *inFlight {
			wg.Go(func() {
				for {
					c := int(nextConv.Add(1)) - 1
					if c >= upto || ctx.Err() != nil {
						nextConv.Add(-1)
						return
					}
					addr := bot.Address{Channel: "bench", ChatID: strconv.Itoa(1_000_000_000 + c)}
					for i := range *perConv {
						m := bot.Message{ID: strconv.Itoa(i + 1), Address: addr,
							Sender: bot.Sender{Name: "Cliente", Language: "it"},
							Text:   benchTexts[i%len(benchTexts)]}
						t0 := time.Now()
						if err := eng.Handle(ctx, m); err != nil {
							errOnce.Do(func() { firstErr = err })
							return
						}
						lat[w] = append(lat[w], time.Since(t0))
					}
				}
			})
		}
		wg.Wait()
		totalTime += time.Since(start)
		if firstErr != nil {
			return fmt.Errorf("bench: %w", firstErr)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		messages += (upto - done) * *perConv
		done = upto
		if err := st.Flush(ctx); err != nil {
			return err
		}
		time.Sleep(200 * time.Millisecond) // let lazy frees settle
		used, err := st.UsedMemory(ctx)
		if err != nil {
			return err
		}
		streams, err := st.StreamMemory(ctx)
		if err != nil {
			return err
		}
		last, err := st.ConversationMemory(ctx, bot.Address{Channel: "bench", ChatID: strconv.Itoa(1_000_000_000 + upto - 1)})
		if err != nil {
			return err
		}
		mem = append(mem, memPoint{upto, used - used0, streams, last})
	}
	trips := st.RoundTrips() - trips0
	sent := st.Exchanges() - sent0

	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }

	// An idle session after the archive has read the event log: the
	// streams are trimmed once every group has acknowledged them.
	drainStart := time.Now()
	archived := 0
	var held []bot.LogEntry
	for {
		batch, err := st.ReadEvents(ctx, redis.DefaultArchiveGroup, 5000, 0)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		archived += len(batch)
		if err := st.AckEvents(ctx, redis.DefaultArchiveGroup, held...); err != nil {
			return err
		}
		held = batch
	}
	// Trimming runs at most once a second: the last acknowledgement, a
	// second later, trims what is left.
	time.Sleep(1100 * time.Millisecond)
	if err := st.AckEvents(ctx, redis.DefaultArchiveGroup, held...); err != nil {
		return err
	}
	drained, err := st.UsedMemory(ctx)
	if err != nil {
		return err
	}
	drainedStreams, err := st.StreamMemory(ctx)
	if err != nil {
		return err
	}

	w := e.stdout
	fmt.Fprintf(w, "\nmessages          %d in %v (%d replies delivered)\n", messages, totalTime.Round(time.Millisecond), delivered.Load())
	fmt.Fprintf(w, "throughput        %.0f messages/s\n", float64(messages)/totalTime.Seconds())
	fmt.Fprintf(w, "Engine.Handle     p50 %v  p99 %v\n", pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond))
	fmt.Fprintf(w, "round trips       %.3f per message (%d in all: Load, Commit, batched acks)\n", float64(trips)/float64(messages), trips)
	fmt.Fprintf(w, "network writes    %.3f per message (%d commands and pipelines sent; auto-pipelining %s)\n",
		float64(sent)/float64(messages), sent, onOff(st.AutoPipelined()))
	fmt.Fprintf(w, "\nmemory per idle session (used_memory growth / sessions; streams = the event log waiting for the archive)\n")
	for _, m := range mem {
		n := float64(m.sessions)
		fmt.Fprintf(w, "  %7d sessions  %5.0f B with the event streams, %5.0f B without; MEMORY USAGE of one conversation's keys %d B\n",
			m.sessions, float64(m.used)/n, float64(m.used-m.streams)/n, m.sample)
	}

	last := mem[len(mem)-1]
	fmt.Fprintf(w, "  %7d sessions  %5.0f B after the archive read the event log (%d events in %v; streams now %d B)\n",
		last.sessions, float64(drained-used0)/float64(last.sessions), archived, time.Since(drainStart).Round(time.Millisecond), drainedStreams)

	fmt.Fprintf(w, "\nceiling: redis-benchmark -t set -q on the same Redis\n")
	out, err := redisBenchmark(ctx, *redisURL)
	if err != nil {
		fmt.Fprintf(w, "  (not run: %v)\n", err)
	} else {
		fmt.Fprintf(w, "  %s\n", strings.TrimSpace(out))
	}
	return nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// redisBenchmark runs redis-benchmark -t set -q against the server of
// rawURL (a redis:// URL); the password goes by environment, not argv.
func redisBenchmark(ctx context.Context, rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "redis" {
		return "", errors.New("only for redis:// URLs")
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		host, port = u.Host, "6379"
	}
	args := []string{"-h", host, "-p", port, "-t", "set", "-q"}
	if db := strings.Trim(u.Path, "/"); db != "" {
		args = append(args, "--dbnum", db)
	}
	cmd := exec.CommandContext(ctx, "redis-benchmark", args...)
	cmd.Env = os.Environ()
	if u.User != nil {
		if u.User.Username() != "" {
			args = append(args, "--user", u.User.Username())
			cmd.Args = append([]string{"redis-benchmark"}, args...)
		}
		if p, ok := u.User.Password(); ok {
			cmd.Env = append(cmd.Env, "REDISCLI_AUTH="+p)
		}
	}
	out, err := cmd.Output()
	if err != nil {
		return "", err
	}
	// redis-benchmark -q redraws its progress line with \r: keep the result.
	s := string(out)
	if i := strings.LastIndex(s, "\r"); i >= 0 {
		s = s[i+1:]
	}
	return s, nil
}

// redisFlag is the --redis flag of the benchmarks: REDIS_URL, else the
// local Redis.
func redisFlag(fs *flag.FlagSet, e *env) *string {
	def := e.getenv("REDIS_URL")
	if def == "" {
		def = "redis://127.0.0.1:6379/0"
	}
	return fs.String("redis", def, "Redis `URL` (REDIS_URL)")
}

// startCPUProfile writes a CPU profile to path until stop is called; an
// empty path profiles nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
