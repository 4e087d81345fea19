package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/postgres"
	"github.com/sportello/sportello/adapters/redis"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// runQueueBench measures what cases left waiting cost (issue 10, finding
// 11): at each queue size it fills the sales queue through the engine,
// lets the engine run with it (redelivery, timers, places told) for a
// while, then measures Engine.Handle for customers in bot mode and in the
// queue, and the archiver's rate draining what they wrote, with the queue
// still full. Everything the lead's soak needs is here: benchQueueRig
// drives one queue size and can be reused with other loads.
func runQueueBench(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("bench queue", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	redisURL := redisFlag(fs, e)
	archiveURL := fs.String("archive", "", "PostgreSQL `URL` of an empty database the bench may fill and empty again; the memory archive when empty")
	sizes := fs.String("waiting", "0,100,10000", "queue `SIZES` to measure at, comma-separated")
	inFlight := fs.Int("conversations", 50, "conversations in flight at once")
	measured := fs.Int("measured", 2000, "conversations measured at each size: half in bot mode, half that ask for a person, write in the queue and leave it")
	perConv := fs.Int("messages", 5, "messages per measured conversation (at least 3)")
	settle := fs.Duration("settle", 90*time.Second, "how long the engine runs with the queue full before measuring: over a minute, so that what comes due each minute has; its last 20 s count the idle engine's Redis calls")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	var waiting []int
	for f := range strings.SplitSeq(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 0 {
			return fmt.Errorf("%w: --waiting %q: want sizes like 0,100,10000", errUsage, *sizes)
		}
		waiting = append(waiting, n)
	}
	if *inFlight < 1 || *measured < 2 || *perConv < 3 || *settle < 0 {
		return fmt.Errorf("%w: --conversations must be positive, --measured at least 2, --messages at least 3", errUsage)
	}
	tuneGC(e.getenv)

	var pg *postgres.Archive
	archiveName := "memory"
	if *archiveURL != "" {
		var err error
		if pg, err = postgres.Open(ctx, *archiveURL); err != nil {
			return err
		}
		defer pg.Close()
		// The bench empties the archive after each size: only an empty one
		// is safe to give it.
		if _, n, err := pg.List(ctx, report.Filter{Limit: 1}); err != nil {
			return err
		} else if n > 0 {
			return fmt.Errorf("bench: the archive holds %d conversations: give the bench an empty database of its own", n)
		}
		archiveName = "postgres"
	}
	fmt.Fprintf(e.stdout, "sportello bench queue: %d conversations measured at each size (%d messages each), %d in flight, settle %v; Redis %s, archive %s\n",
		*measured, *perConv, *inFlight, *settle, redis.Redacted(*redisURL), archiveName)
	fmt.Fprintf(e.stdout, "\n%8s  %-19s  %-19s  %-19s  %10s  %16s  %s\n", "waiting", "bot mode p50/p99", "queued p50/p99", "join/leave p50/p99", "messages/s", "archive events/s", "idle Redis calls/s")
	for _, n := range waiting {
		var a report.Archive = memory.NewArchive()
		if pg != nil {
			a = pg
		}
		r, err := benchQueueSize(ctx, *redisURL, a, n, *inFlight, *measured, *perConv, *settle)
		if pg != nil {
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			if _, derr := pg.Delete(cctx, time.Now().Add(24*time.Hour)); derr != nil && err == nil {
				err = derr
			}
			cancel()
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%8d  %-19s  %-19s  %-19s  %10.0f  %16.0f  %.1f\n", r.waiting, pcts(r.bot), pcts(r.queued), pcts(r.joins),
			float64(r.messages)/r.elapsed.Seconds(), float64(r.archived)/r.archiveTime.Seconds(), r.idleCalls)
	}
	fmt.Fprintf(e.stdout, "\nwaiting: cases in the sales queue while measuring (besides the measured ones); archive events/s: the archiver (2 workers, batches of 1,000) draining the measured conversations' events with the queue still full; idle Redis calls/s: what the engine sends while nobody writes\n")
	return nil
}

// idleWindow is how long, at the end of the settling, the Redis calls of
// an idle engine are counted.
const idleWindow = 20 * time.Second

// queueSizeResult is what one queue size measured.
type queueSizeResult struct {
	waiting              int
	bot, queued, joins   []time.Duration
	messages             int
	elapsed, archiveTime time.Duration
	archived             int
	idleCalls            float64
}

// pcts writes p50/p99 of ds.
func pcts(ds []time.Duration) string {
	if len(ds) == 0 {
		return "-"
	}
	slices.Sort(ds)
	p := func(q float64) time.Duration { return ds[min(len(ds)-1, int(q*float64(len(ds))))] }
	return roundDur(p(0.50)) + " / " + roundDur(p(0.99))
}

func roundDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// benchQueueSize runs one queue size on a store under a prefix of its own.
func benchQueueSize(ctx context.Context, url string, a report.Archive, waiting, inFlight, measured, perConv int, settle time.Duration) (*queueSizeResult, error) {
	b := make([]byte, 3)
	rand.Read(b)
	st, err := redis.Open(ctx, url, redis.Options{Prefix: "benchq" + hex.EncodeToString(b) + ":", AutoPipeline: true})
	if err != nil {
		return nil, err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		st.Purge(cctx)
		st.Close()
	}()
	if err := st.Ping(ctx); err != nil {
		return nil, err
	}
	rig, err := newBenchQueueRig(st)
	if err != nil {
		return nil, err
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go rig.engine.Run(runCtx) // redelivery, timers and places, as a server runs them

	// The queue fills (a shop closed for the weekend), its events reach
	// the archive, and the engine runs with it for a while.
	if err := rig.converse(ctx, inFlight, waiting, func(i int) benchConv {
		return benchConv{addr: bot.Address{Channel: "bench", ChatID: "w" + strconv.Itoa(i)}, texts: []string{"agent"}}
	}); err != nil {
		return nil, err
	}
	// A few conversations, not measured, warm the connections and scripts.
	if err := rig.converse(ctx, inFlight, 2*inFlight, func(i int) benchConv {
		return benchConv{addr: bot.Address{Channel: "bench", ChatID: "x" + strconv.Itoa(i)}, texts: benchTexts}
	}); err != nil {
		return nil, err
	}
	if _, _, err := drainArchive(ctx, st, a); err != nil {
		return nil, err
	}
	// The first seconds tell the right place to the customers who were
	// told the same place as others who asked at the same moment; the
	// Redis calls of the last idleWindow are the queue's cost while
	// nothing happens.
	res := &queueSizeResult{}
	window := min(settle/2, idleWindow)
	if err := sleepCtx(ctx, settle-window); err != nil {
		return nil, err
	}
	calls0 := st.Exchanges()
	if err := sleepCtx(ctx, window); err != nil {
		return nil, err
	}
	if window > 0 {
		res.idleCalls = float64(st.Exchanges()-calls0) / window.Seconds()
	}
	if _, _, err := drainArchive(ctx, st, a); err != nil {
		return nil, err
	}
	if res.waiting, err = st.Len(ctx, "sales"); err != nil {
		return nil, err
	}

	// Half the measured customers talk to the bot; half ask for a person,
	// write while queued, and go back to the bot.
	rig.reset()
	start := time.Now()
	err = rig.converse(ctx, inFlight, measured, func(i int) benchConv {
		c := benchConv{addr: bot.Address{Channel: "bench", ChatID: "m" + strconv.Itoa(i)}}
		if i%2 == 0 {
			for k := range perConv {
				c.texts = append(c.texts, benchTexts[k%len(benchTexts)])
			}
			return c
		}
		c.texts = append(c.texts, "agent")
		for k := range perConv - 2 {
			c.texts = append(c.texts, benchTexts[k%len(benchTexts)])
		}
		c.texts = append(c.texts, bot.PayloadLeaveQueue)
		return c
	})
	if err != nil {
		return nil, err
	}
	res.elapsed = time.Since(start)
	res.bot, res.queued, res.joins, res.messages = rig.latencies()
	res.archived, res.archiveTime, err = drainArchive(ctx, st, a)
	return res, err
}

// benchQueueRig is an engine on a Redis store whose responder hands
// "agent" to the sales team (no timeout: nobody claims) and answers
// anything else with a line, with a channel and a desk that only count.
// It records each message's Handle latency by the mode it was handled in.
type benchQueueRig struct {
	engine *bot.Engine
	store  *redis.Store

	mu                 sync.Mutex
	bot, queued, joins []time.Duration
	delivered, notes   atomic.Int64
}

func newBenchQueueRig(st *redis.Store) (*benchQueueRig, error) {
	r := &benchQueueRig{store: st}
	eng, err := bot.NewEngine(bot.Config{
		Store: st, Queues: st,
		Teams: bot.TeamList{{ID: "sales", Names: map[string]string{"en": "Sales", "it": "Vendite"}}},
		Desk: deskFunc(func(ctx context.Context, n bot.DeskNote) error {
			r.notes.Add(1)
			return nil
		}),
		Responder: bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
			if t.Message.Text == "agent" {
				t.HandOff(bot.Case{Team: "sales", Intent: "human", Reason: "asked for a person"})
				return nil
			}
			n, _ := strconv.Atoi(t.Session.Slots["n"])
			t.Session.SetSlot("n", strconv.Itoa(n+1))
			t.Say("Grazie! Ho preso nota: un collega le risponde entro un'ora lavorativa.")
			return nil
		}),
		FloodLimit: 1 << 30,
	})
	if err != nil {
		return nil, err
	}
	eng.SetChannel("bench", bot.ChannelFunc(func(ctx context.Context, rp bot.Reply) error {
		r.delivered.Add(1)
		return nil
	}))
	r.engine = eng
	return r, nil
}

// A benchConv is one customer's messages, sent one after another;
// PayloadLeaveQueue is sent as the button.
type benchConv struct {
	addr  bot.Address
	texts []string
}

// converse runs n conversations made by conv, inFlight at once.
func (r *benchQueueRig) converse(ctx context.Context, inFlight, n int, conv func(i int) benchConv) error {
	var (
		next     atomic.Int64
		firstErr error
		once     sync.Once
		wg       sync.WaitGroup
	)
	for range min(inFlight, max(n, 1)) {
		wg.Go(func() {
			var talk, queued, joins []time.Duration
			defer func() {
				r.mu.Lock()
				r.bot, r.queued, r.joins = append(r.bot, talk...), append(r.queued, queued...), append(r.joins, joins...)
				r.mu.Unlock()
			}()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				c := conv(i)
				inQueue := false
				for k, text := range c.texts {
					m := bot.Message{ID: strconv.Itoa(k + 1), Address: c.addr, Text: text,
						Sender: bot.Sender{Name: "Cliente", Language: "it"}}
					if text == bot.PayloadLeaveQueue {
						m.Text, m.Payload = "", text
					}
					t0 := time.Now()
					if err := r.engine.Handle(ctx, m); err != nil {
						once.Do(func() { firstErr = err })
						return
					}
					d := time.Since(t0)
					switch {
					case text == "agent" || text == bot.PayloadLeaveQueue:
						joins = append(joins, d)
						inQueue = text == "agent"
					case inQueue:
						queued = append(queued, d)
					default:
						talk = append(talk, d)
					}
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return fmt.Errorf("bench: %w", firstErr)
	}
	return ctx.Err()
}

func (r *benchQueueRig) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bot, r.queued, r.joins = nil, nil, nil
}

func (r *benchQueueRig) latencies() (talk, queued, joins []time.Duration, messages int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bot, r.queued, r.joins, len(r.bot) + len(r.queued) + len(r.joins)
}

// drainArchive runs the archiver (two workers, as Archiver.Run does) until
// the event log is empty, and returns how many events it archived and how
// long that took, up to the last batch.
func drainArchive(ctx context.Context, log bot.EventLog, a report.Archive) (int, time.Duration, error) {
	arc, err := report.NewArchiver(report.ArchiverConfig{Log: log, Archive: a})
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	var (
		total    atomic.Int64
		lastMu   sync.Mutex
		last     = start
		firstErr error
		wg       sync.WaitGroup
	)
	for range 2 {
		wg.Go(func() {
			for {
				n, err := arc.Step(ctx, 300*time.Millisecond)
				if err != nil {
					lastMu.Lock()
					firstErr = cmp.Or(firstErr, err)
					lastMu.Unlock()
					return
				}
				if n == 0 {
					return
				}
				total.Add(int64(n))
				lastMu.Lock()
				if now := time.Now(); now.After(last) {
					last = now
				}
				lastMu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return 0, 0, fmt.Errorf("bench: archive: %w", firstErr)
	}
	return int(total.Load()), max(last.Sub(start), time.Millisecond), nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// deskFunc adapts a function to bot.Desk.
type deskFunc func(ctx context.Context, n bot.DeskNote) error

func (f deskFunc) Post(ctx context.Context, n bot.DeskNote) error { return f(ctx, n) }
