package main

import (
	"bufio"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sportello/sportello/adapters/redis"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
	"github.com/sportello/sportello/flows/story"
)

// runSoakBench ("sportello bench soak") runs the serving stack as serve
// builds it (the web chat on a real listener, the engine on Redis, the
// archive with its archiver running) and drives simulated visitors
// against it over HTTP, as the widget does, for a while: each gets its
// visitor token, opens its event stream and writes the demo shop's story
// lines at human pace; a share asks for a person and leaves the case
// waiting (nobody claims). It reports the reply time (from the POST to
// the first line on that visitor's stream) per minute and overall, what
// failed by kind, memory and goroutines, then waits for the archive to
// drain, times it, and checks that every customer message sent is in the
// archive exactly once.
func runSoakBench(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("bench soak", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	o := soakOptions{}
	fs.IntVar(&o.visitors, "visitors", 1000, "visitors on the page at once")
	fs.DurationVar(&o.duration, "duration", 5*time.Minute, "how long the visitors write")
	redisURL := redisFlag(fs, e)
	fs.StringVar(&o.archiveURL, "archive", e.getenv("DATABASE_URL"), "PostgreSQL `URL` of an empty database the soak fills and empties again (DATABASE_URL); the memory archive when empty")
	fs.Float64Var(&o.waitingShare, "waiting-share", 0.2, "share of conversations that ask for a person and leave the case waiting")
	fs.DurationVar(&o.pace, "pace", 4*time.Second, "mean time a visitor takes to write the next message after a reply (jittered ±50%)")
	fs.DurationVar(&o.pause, "pause", 20*time.Second, "mean time a visitor stays on the page between two conversations (jittered ±50%)")
	fs.DurationVar(&o.ramp, "ramp", 20*time.Second, "the visitors arrive over this long")
	fs.BoolVar(&o.archiveAfter, "archive-after", false, "hold the archiver until the visitors are done, so that the drain is timed over the whole soak's events")
	fs.BoolVar(&o.keep, "keep", false, "keep the archived conversations (by default the soak empties the archive it filled)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE`")
	fs.StringVar(&o.memProfile, "memprofile", "", "write a heap profile to `FILE` when the visitors are done")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if o.visitors < 1 || o.duration <= 0 || o.pace <= 0 || o.pause < 0 || o.ramp < 0 || o.waitingShare < 0 || o.waitingShare > 1 {
		return fmt.Errorf("%w: --visitors, --duration and --pace must be positive, --waiting-share between 0 and 1", errUsage)
	}
	tuneGC(e.getenv) // as serve runs
	stop, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stop()
	o.redisURL = *redisURL
	o.out = e.stdout
	o.log = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	res, err := soak(ctx, o)
	if err != nil {
		return err
	}
	res.print(e.stdout)
	if len(res.lost) > 0 || len(res.twice) > 0 {
		return errFailed
	}
	return nil
}

// soakOptions configure a soak.
type soakOptions struct {
	visitors     int
	duration     time.Duration
	redisURL     string
	archiveURL   string
	waitingShare float64
	pace, pause  time.Duration
	ramp         time.Duration
	archiveAfter bool
	keep         bool
	memProfile   string
	// replyWait is how long a visitor waits for a reply before it counts
	// none; 10 s when zero.
	replyWait time.Duration
	out       io.Writer // progress, a line a minute; nil for none
	log       *slog.Logger
}

// soakInterval is the period of the soak's per-minute lines.
const soakInterval = time.Minute

// soak runs one soak and returns what it measured.
func soak(ctx context.Context, o soakOptions) (*soakResult, error) {
	if o.replyWait <= 0 {
		o.replyWait = 10 * time.Second
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	scripts, err := soakScripts()
	if err != nil {
		return nil, err
	}

	// The store under a prefix of its own, purged afterwards.
	b := make([]byte, 3)
	rand.Read(b)
	rst, err := redis.Open(ctx, o.redisURL, redis.Options{Prefix: "soak" + hex.EncodeToString(b) + ":", Logger: o.log})
	if err != nil {
		return nil, err
	}
	defer rst.Close()
	if err := rst.Ping(ctx); err != nil {
		return nil, err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		rst.Purge(cctx)
	}()
	st := &soakStore{Store: rst, chats: map[string]string{}}

	key := make([]byte, 32)
	rand.Read(key)
	getenv := func(k string) string {
		switch k {
		case "DATABASE_URL":
			return o.archiveURL
		case "SPORTELLO_WEBCHAT_KEY":
			return hex.EncodeToString(key)
		}
		return ""
	}
	bt, err := flows.Load(examples.Shop, "shop")
	if err != nil {
		return nil, err
	}
	// Always open, so that everyone who asks for a person waits in a
	// queue (the places told, the worst case), whatever the hour.
	for _, t := range bt.Teams {
		t.Hours = ""
	}
	cfg := defaultConfig()
	// The visitors come from addresses of their own behind the shop's
	// proxy (loopback), so the limits per address count each of them.
	cfg.TrustedProxies = []string{"loopback"}
	srv, err := newServer(ctx, cfg, getenv, bt, o.log, deps{store: st})
	if err != nil {
		return nil, err
	}
	if o.archiveURL != "" {
		if _, n, err := srv.archive.List(ctx, report.Filter{Limit: 1}); err != nil {
			srv.close()
			return nil, err
		} else if n > 0 {
			srv.close()
			return nil, fmt.Errorf("bench soak: the archive holds %d conversations: give the soak an empty database of its own", n)
		}
	}
	// With --archive-after the archiver waits for the end of the load.
	var archiver runner
	if o.archiveAfter {
		for i, r := range srv.runners {
			if r.name == "archiver" {
				archiver = r
				srv.runners = slices.Delete(srv.runners, i, i+1)
				break
			}
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.close()
		return nil, err
	}
	srvCtx, stopSrv := context.WithCancel(context.WithoutCancel(ctx))
	served := make(chan error, 1)
	go func() { served <- srv.run(srvCtx, ln) }()
	defer func() {
		stopSrv()
		<-served
	}()
	archName := "memory"
	if o.archiveURL != "" {
		archName = "postgres"
		if !o.keep {
			defer func() {
				cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
				defer cancel()
				srv.archive.Delete(cctx, time.Now().Add(24*time.Hour))
			}()
		}
	}
	if o.out != nil {
		fmt.Fprintf(o.out, "sportello bench soak: %d visitors for %v (arriving over %v), a message every %v ±50%%, %.0f%% of conversations left waiting; Redis %s, archive %s%s\n",
			o.visitors, o.duration, o.ramp, o.pace, 100*o.waitingShare, redis.Redacted(o.redisURL), archName,
			map[bool]string{true: " (archiver held until the end)", false: ""}[o.archiveAfter])
	}

	rig := &soakRig{o: o, base: "http://" + ln.Addr().String(), scripts: scripts, errs: map[string]int{},
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2*o.visitors + 16,
			IdleConnTimeout: 90 * time.Second, DisableCompression: true}}}
	res := &soakResult{opts: o, archive: archName}
	res.atStart = sample(ctx, rst)
	rig.cpu = res.atStart.cpu
	begin := time.Now()
	rig.start, rig.deadline = begin, begin.Add(o.duration)

	// A line a minute while the visitors write.
	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	var ticks sync.WaitGroup
	ticks.Go(func() { rig.watch(loadCtx) })
	ticks.Go(func() {
		t := time.NewTicker(soakInterval)
		defer t.Stop()
		for minute := 1; ; minute++ {
			select {
			case <-loadCtx.Done():
				return
			case <-t.C:
			}
			m := rig.minute(ctx, minute, rst)
			res.minutes = append(res.minutes, m)
			if o.out != nil {
				fmt.Fprintln(o.out, m.line())
			}
		}
	})
	var slots sync.WaitGroup
	for i := range o.visitors {
		slots.Go(func() { rig.slot(loadCtx, i) })
	}
	slots.Wait()
	loadEnd := time.Now()
	stopLoad()
	ticks.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.elapsed = loadEnd.Sub(begin)
	if o.memProfile != "" {
		if err := writeHeapProfile(o.memProfile); err != nil {
			return nil, err
		}
	}
	res.samples, res.errs, res.visitors, res.conversations = rig.samples, rig.errs, rig.visitors, int(rig.conversations.Load())
	res.lastMinute = rig.minute(ctx, len(res.minutes)+1, rst)
	res.lastMinute.end = loadEnd
	for _, team := range []string{"sales", "support"} {
		n, err := rst.Len(ctx, team)
		if err != nil {
			return nil, err
		}
		res.waiting += n
	}
	// What is left to archive when the visitors are done, then the drain.
	res.backlog, _, _ = rst.Backlog(ctx, archiveGroup)
	acked0 := st.acked.Load()
	res.archivedLive = int(acked0)
	drainStart := time.Now()
	if archiver.run != nil {
		go archiver.run(srvCtx)
	}
	for {
		n, _, err := rst.Backlog(ctx, archiveGroup)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			break
		}
		if time.Since(drainStart) > 15*time.Minute {
			return nil, fmt.Errorf("bench soak: the archive did not drain in 15 minutes: %d entries left", n)
		}
		if err := sleepCtx(ctx, 100*time.Millisecond); err != nil {
			return nil, err
		}
	}
	res.drained = int(st.acked.Load() - acked0)
	if last := st.lastAck.Load(); res.drained > 0 && last > drainStart.UnixNano() {
		res.drainTime = time.Duration(last - drainStart.UnixNano())
	}
	res.atEnd = sample(ctx, rst)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	res.liveHeap = ms.HeapAlloc

	// Every customer message accepted is in the archive, once.
	res.lost, res.twice, res.checked, err = rig.verify(ctx, st, srv.archive)
	if err != nil {
		return nil, err
	}
	// The visitors' streams and connections are closed: what is left is
	// the server's.
	rig.client.CloseIdleConnections()
	time.Sleep(200 * time.Millisecond)
	res.afterGoroutines = runtime.NumGoroutine()
	return res, nil
}

// soakStore is the Redis store that notes, for the check at the end, the
// chat of each web chat message it commits (the soak knows its messages'
// IDs, not the chats the server made of its visitors' tokens), and counts
// the events the archive acknowledges, to time the drain.
type soakStore struct {
	*redis.Store
	mu      sync.Mutex
	chats   map[string]string // the page's message ID → chat ID
	acked   atomic.Int64
	lastAck atomic.Int64 // UnixNano
}

func (s *soakStore) Commit(ctx context.Context, c *bot.Commit) error {
	err := s.Store.Commit(ctx, c)
	if err == nil {
		// The web chat's message IDs are "web:<chat>:<the page's ID>".
		if rest, ok := strings.CutPrefix(c.MessageID, "web:"); ok {
			if chat, id, ok := strings.Cut(rest, ":"); ok {
				s.mu.Lock()
				s.chats[id] = chat
				s.mu.Unlock()
			}
		}
	}
	return err
}

// Capabilities are the Redis store's, the event log this wrapper, so the
// archiver's acknowledgements are counted.
func (s *soakStore) Capabilities() bot.Capabilities {
	c := s.Store.Capabilities()
	c.EventLog = s
	return c
}

func (s *soakStore) AckEvents(ctx context.Context, group string, entries ...bot.LogEntry) error {
	err := s.Store.AckEvents(ctx, group, entries...)
	if err == nil && group == archiveGroup && len(entries) > 0 {
		s.acked.Add(int64(len(entries)))
		s.lastAck.Store(time.Now().UnixNano())
	}
	return err
}

func (s *soakStore) chatOf(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[id]
	return c, ok
}

// A soakScript is one conversation's turns: lines to say, or buttons to
// press (by title; typed when the button is not there).
type soakScript struct {
	lang  string
	turns []story.Turn
}

// soakConversations are the lines the visitors write: the demo shop's
// stories, each up to the turn the story expects a handoff at (or its
// first wait or agent turn), and the ways of asking for a person.
type soakConversations struct {
	talk  []soakScript
	human map[string]string   // language → asking for a person
	wait  map[string][]string // language → what one writes while waiting
}

func soakScripts() (*soakConversations, error) {
	stories, err := story.ParseFiles(examples.Shop, "shop/stories")
	if err != nil {
		return nil, err
	}
	c := &soakConversations{
		human: map[string]string{"it": "voglio parlare con una persona", "en": "I want to talk to a human"},
		wait: map[string][]string{
			"it": {"ci siete?", "è urgente, grazie", "aspetto ancora"},
			"en": {"hello?", "is anyone there?", "it's urgent, thanks"},
		},
	}
	for _, s := range stories {
		sc := soakScript{lang: s.Language}
		if sc.lang != "it" && sc.lang != "en" {
			continue
		}
		for _, t := range s.Turns {
			if t.Handoff != "" || t.Wait > 0 || t.Agent != nil {
				break
			}
			sc.turns = append(sc.turns, story.Turn{Say: t.Say, Press: t.Press})
		}
		if len(sc.turns) > 0 {
			c.talk = append(c.talk, sc)
		}
	}
	if len(c.talk) == 0 {
		return nil, errors.New("bench soak: the demo shop has no stories")
	}
	return c, nil
}

// soakRig drives the visitors and gathers what they measure.
type soakRig struct {
	o               soakOptions
	base            string
	client          *http.Client
	scripts         *soakConversations
	start, deadline time.Time
	nextVisitor     atomic.Int64
	conversations   atomic.Int64

	mu       sync.Mutex
	samples  []soakSample
	errs     map[string]int
	visitors []*soakVisitor
	// sent, answered and the errors counted at the last minute's line.
	lastSamples int
	lastErrs    int
	// stall is the longest this minute that a 10 ms ticker of this
	// process came late: the process did not run (the machine's other
	// work, a pause of the collector), whatever its requests waited on.
	stall atomic.Int64
	// cpu is the CPU times at the last minute's line.
	cpu cpuTimes
}

// watch measures how late a 10 ms ticker comes, until ctx ends.
func (r *soakRig) watch(ctx context.Context) {
	const tick = 10 * time.Millisecond
	t := time.NewTicker(tick)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			late := int64(now.Sub(last) - tick)
			last = now
			for {
				old := r.stall.Load()
				if late <= old || r.stall.CompareAndSwap(old, late) {
					break
				}
			}
		}
	}
}

// A soakSample is one reply time.
type soakSample struct {
	at     time.Duration // since the start, when the message was posted
	d      time.Duration
	queued bool
}

func (r *soakRig) fail(kind string) {
	r.mu.Lock()
	r.errs[kind]++
	r.mu.Unlock()
}

func (r *soakRig) record(s soakSample) {
	r.mu.Lock()
	r.samples = append(r.samples, s)
	r.mu.Unlock()
}

// jitter returns d ±50 %.
func jitter(d time.Duration) time.Duration {
	return d/2 + time.Duration(mrand.Int64N(int64(d)+1))
}

// slot is one place on the page: a visitor arrives, holds one or more
// conversations, leaves, and another takes its place, until the end.
func (r *soakRig) slot(ctx context.Context, i int) {
	if r.o.ramp > 0 && !r.wait(ctx, time.Duration(mrand.Int64N(int64(r.o.ramp)))) {
		return
	}
	for r.more(ctx) {
		v, err := r.arrive(ctx)
		if err != nil {
			r.fail(err.Error())
			sleepCtx(ctx, time.Second)
			continue
		}
		for r.more(ctx) {
			waiting := mrand.Float64() < r.o.waitingShare
			r.conversations.Add(1)
			v.converse(ctx, waiting)
			// One who waits closes the page; the others come back with
			// another question, or leave after a while.
			if waiting || mrand.IntN(3) == 0 {
				break
			}
			if !r.wait(ctx, jitter(r.o.pause)) {
				break
			}
		}
		v.leave()
	}
}

// wait waits d, or until the end of the soak if sooner, and reports
// whether the visitors go on writing: a visitor reading or thinking at
// the end writes no more.
func (r *soakRig) wait(ctx context.Context, d time.Duration) bool {
	sleepCtx(ctx, min(d, time.Until(r.deadline)))
	return r.more(ctx)
}

// more reports whether the visitors go on writing.
func (r *soakRig) more(ctx context.Context) bool {
	return ctx.Err() == nil && time.Now().Before(r.deadline)
}

// A soakVisitor is one visitor's page: its token, its event stream and
// what it sent.
type soakVisitor struct {
	r      *soakRig
	n      int
	ip     string
	token  string
	lang   string
	lines  chan soakLine
	stop   context.CancelFunc
	done   chan struct{}
	next   int // the page's message counter
	sent   []soakSent
	queued bool
	// buttons are the last reply's buttons; leave the "back to the bot"
	// buttons seen, by payload.
	buttons []bot.Button
	leaveBy map[string]string
}

// soakSent is a message the server accepted.
type soakSent struct {
	id, text string
}

// soakLine is a line of the stream, stamped when it was read.
type soakLine struct {
	Type    string       `json:"type"`
	Text    string       `json:"text"`
	Buttons []bot.Button `json:"buttons"`
	at      time.Time
}

// arrive opens the page of a new visitor as the widget does: a token,
// the event stream, the history once the stream is ready.
func (r *soakRig) arrive(ctx context.Context) (*soakVisitor, error) {
	n := int(r.nextVisitor.Add(1))
	v := &soakVisitor{r: r, n: n, ip: fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255),
		lines: make(chan soakLine, 256), done: make(chan struct{}), leaveBy: map[string]string{}}
	v.lang = "it"
	if mrand.IntN(3) == 0 {
		v.lang = "en"
	}
	for try := 0; ; try++ {
		status, body, h, err := v.call(ctx, "POST", "/chat/visitors", "{}")
		if err != nil {
			return nil, errors.New("visitor: " + errKind(err))
		}
		if status == http.StatusCreated {
			var m struct{ Visitor string }
			if json.Unmarshal(body, &m) != nil || m.Visitor == "" {
				return nil, errors.New("visitor: an answer without a token")
			}
			v.token = m.Visitor
			break
		}
		r.fail(fmt.Sprintf("visitor: %d %s", status, codeOf(body)))
		if status != http.StatusTooManyRequests || try >= 5 {
			return nil, fmt.Errorf("visitor: given up after %d refusals", try+1)
		}
		if sleepCtx(ctx, retryAfter(h)) != nil {
			return nil, ctx.Err()
		}
	}
	sctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	v.stop = stop
	ready := make(chan struct{})
	go v.read(sctx, ready)
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		stop()
		<-v.done
		return nil, errors.New("stream: not ready in 10 s")
	case <-v.done:
		stop()
		return nil, errors.New("stream: refused")
	}
	if status, body, _, err := v.call(ctx, "GET", "/chat/history?visitor="+url.QueryEscape(v.token), ""); err != nil || status != http.StatusOK {
		r.fail(fmt.Sprintf("history: %d %s%s", status, codeOf(body), errKind(err)))
	}
	r.mu.Lock()
	r.visitors = append(r.visitors, v)
	r.mu.Unlock()
	return v, nil
}

// leave closes the visitor's page. What it sent is kept for the check;
// its page is let go.
func (v *soakVisitor) leave() {
	v.stop()
	<-v.done
	v.lines, v.buttons, v.leaveBy = nil, nil, nil
}

// call makes one request of the page, from the visitor's address, and
// returns the status and the body (bounded).
func (v *soakVisitor) call(ctx context.Context, method, path, body string) (int, []byte, http.Header, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, v.r.base+path, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", v.r.base) // the chat's own page
	}
	req.Header.Set("X-Forwarded-For", v.ip)
	res, err := v.r.client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	return res.StatusCode, b, res.Header, err
}

// read reads the visitor's event stream until ctx ends, and reconnects
// (after a second, as the widget does) when the server ends it.
func (v *soakVisitor) read(ctx context.Context, ready chan struct{}) {
	defer close(v.done)
	for first := true; ctx.Err() == nil; first = false {
		err := v.stream(ctx, ready)
		if ctx.Err() != nil {
			return
		}
		if first && ready != nil {
			select {
			case <-ready:
			default:
				v.r.fail("stream: " + err.Error())
				return // arrive gives up on this visitor
			}
		}
		v.r.fail("stream: ended: " + err.Error())
		if sleepCtx(ctx, time.Second) != nil {
			return
		}
	}
}

// stream reads one connection of the event stream.
func (v *soakVisitor) stream(ctx context.Context, ready chan struct{}) error {
	req, err := http.NewRequestWithContext(ctx, "GET", v.r.base+"/chat/events?visitor="+url.QueryEscape(v.token), nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-Forwarded-For", v.ip)
	req.Header.Set("Accept", "text/event-stream")
	res, err := v.r.client.Do(req)
	if err != nil {
		return errors.New(errKind(err))
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
		return fmt.Errorf("%d %s", res.StatusCode, codeOf(b))
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 0, 4096), 256<<10)
	var event, data string
	for sc.Scan() {
		ln := sc.Text()
		switch {
		case ln == "":
			switch event {
			case "ready":
				select {
				case <-ready:
				default:
					close(ready)
				}
			case "reply":
				l := soakLine{at: time.Now()}
				if err := json.Unmarshal([]byte(data), &l); err != nil {
					v.r.fail("stream: a line that is not JSON")
					break
				}
				select {
				case v.lines <- l:
				default:
					v.r.fail("stream: lines not read in time (the visitor's fault)")
				}
			}
			event, data = "", ""
		case strings.HasPrefix(ln, "event: "):
			event = ln[len("event: "):]
		case strings.HasPrefix(ln, "data: "):
			data += ln[len("data: "):]
		}
	}
	if err := sc.Err(); err != nil {
		return errors.New(errKind(err))
	}
	return errors.New("EOF")
}

// converse holds one conversation: a story's lines, or a few of them and
// a request for a person, then a message or two while waiting, and the
// page closed. A visitor the bot handed to a team without asking goes
// back to the bot.
func (v *soakVisitor) converse(ctx context.Context, waiting bool) {
	sc := v.r.scripts
	var script soakScript
	for script.lang != v.lang {
		script = sc.talk[mrand.IntN(len(sc.talk))]
	}
	turns := script.turns
	if waiting {
		turns = slices.Clone(turns[:mrand.IntN(min(3, len(turns)+1))])
		turns = append(turns, story.Turn{Say: sc.human[v.lang]})
		w := sc.wait[v.lang]
		for range 1 + mrand.IntN(2) {
			turns = append(turns, story.Turn{Say: w[mrand.IntN(len(w))]})
		}
	}
	for _, t := range turns {
		if !v.r.wait(ctx, jitter(v.r.o.pace)) {
			return
		}
		text, payload := t.Say, ""
		if t.Press != "" {
			text = t.Press
			if b, ok := pickButton(v.buttons, t.Press); ok {
				text, payload = b.Title, b.Payload
			}
		}
		if !v.send(ctx, text, payload) {
			return
		}
	}
	if waiting || !v.queued {
		return
	}
	// Handed to a team the visitor did not ask for: back to the bot.
	for _, p := range []string{bot.PayloadLeaveAsk, bot.PayloadLeaveQueue} {
		if !v.r.wait(ctx, jitter(v.r.o.pace)) {
			return
		}
		if !v.send(ctx, cmp.Or(v.leaveBy[p], "ok"), p) {
			return
		}
	}
}

// pickButton finds the button titled title (any case), or numbered so.
func pickButton(bs []bot.Button, title string) (bot.Button, bool) {
	for _, b := range bs {
		if strings.EqualFold(b.Title, title) {
			return b, true
		}
	}
	if n, err := strconv.Atoi(title); err == nil && n >= 1 && n <= len(bs) {
		return bs[n-1], true
	}
	return bot.Button{}, false
}

// take notes what l shows: its buttons, whether the visitor waits.
func (v *soakVisitor) take(l soakLine) {
	if len(l.Buttons) > 0 {
		v.buttons = l.Buttons
	} else if l.Type == "bot" || l.Type == "agent" {
		v.buttons = nil
	}
	for _, b := range l.Buttons {
		switch b.Payload {
		case bot.PayloadLeaveAsk:
			v.queued = true
			fallthrough
		case bot.PayloadLeaveQueue:
			v.leaveBy[b.Payload] = b.Title
		}
	}
	if l.Type == "desk" {
		v.queued = true
	}
}

// send posts one message as the page does (the same ID on every retry)
// and waits for the first line on the stream; it reports whether the
// conversation can go on.
func (v *soakVisitor) send(ctx context.Context, text, payload string) bool {
	// What came since the last message (later lines of the last turn).
	for drained := false; !drained; {
		select {
		case l := <-v.lines:
			v.take(l)
		default:
			drained = true
		}
	}
	v.next++
	id := fmt.Sprintf("s%d-%d", v.n, v.next)
	body, _ := json.Marshal(map[string]string{"visitor": v.token, "id": id, "text": text, "payload": payload, "lang": v.lang})
	queued := v.queued
	if payload == bot.PayloadLeaveQueue {
		v.queued = false
	}
	t0 := time.Now()
	ok := false
	for try := 0; try < 5 && ctx.Err() == nil; try++ {
		status, b, h, err := v.call(ctx, "POST", "/chat/messages", string(body))
		if err != nil {
			v.r.fail("message: " + errKind(err))
			sleepCtx(ctx, time.Second)
			continue
		}
		if status == http.StatusOK {
			ok = true
			break
		}
		v.r.fail(fmt.Sprintf("message: %d %s", status, codeOf(b)))
		if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
			return false
		}
		sleepCtx(ctx, retryAfter(h))
	}
	if !ok {
		return false
	}
	v.sent = append(v.sent, soakSent{id, text})
	wait := time.NewTimer(v.r.o.replyWait)
	defer wait.Stop()
	for {
		select {
		case l := <-v.lines:
			v.take(l)
			if l.at.Before(t0) {
				continue // a line of the turn before
			}
			v.r.record(soakSample{at: t0.Sub(v.r.start), d: l.at.Sub(t0), queued: queued})
			return true
		case <-wait.C:
			v.r.fail(fmt.Sprintf("reply: none within %v", v.r.o.replyWait))
			return true
		case <-ctx.Done():
			return false
		}
	}
}

// retryAfter returns the wait a 429 or 503 asks for, at least a second.
func retryAfter(h http.Header) time.Duration {
	n, _ := strconv.Atoi(h.Get("Retry-After"))
	return time.Duration(max(n, 1)) * time.Second
}

// codeOf returns the code of an API error's body.
func codeOf(b []byte) string {
	var m struct{ Code string }
	json.Unmarshal(b, &m)
	return m.Code
}

// errKind names a transport error by its kind, not its addresses.
func errKind(err error) string {
	var ne net.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "connection closed"
	case strings.Contains(err.Error(), "connection reset"):
		return "connection reset"
	case strings.Contains(err.Error(), "connection refused"):
		return "connection refused"
	}
	return err.Error()
}

// verify checks that every message the server accepted is in the
// archive exactly once, and returns those lost and those stored twice.
func (r *soakRig) verify(ctx context.Context, st *soakStore, a report.Archive) (lost, twice []string, checked int, err error) {
	r.mu.Lock()
	visitors := slices.Clone(r.visitors)
	r.mu.Unlock()
	var (
		mu   sync.Mutex
		next atomic.Int64
		wg   sync.WaitGroup
		errs []error
	)
	for range 4 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(visitors) {
					return
				}
				v := visitors[i]
				if len(v.sent) == 0 {
					continue
				}
				l, t, err := v.check(ctx, st, a)
				mu.Lock()
				lost, twice, checked = append(lost, l...), append(twice, t...), checked+len(v.sent)
				if err != nil {
					errs = append(errs, err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.Sort(lost)
	slices.Sort(twice)
	return lost, twice, checked, errors.Join(errs...)
}

// check compares the visitor's archived conversation with what it sent.
// A visitor's messages are one archived conversation: none is silent for
// report.ConversationGap (an hour) within a soak.
func (v *soakVisitor) check(ctx context.Context, st *soakStore, a report.Archive) (lost, twice []string, err error) {
	chat := ""
	for _, s := range v.sent {
		if c, ok := st.chatOf(s.id); ok {
			chat = c
			break
		}
	}
	counts := map[string]int{}
	if chat != "" {
		_, events, err := a.Transcript(ctx, "web:"+chat)
		if err != nil && !errors.Is(err, report.ErrNoConversation) {
			return nil, nil, fmt.Errorf("bench soak: the archived conversation of visitor %d: %w", v.n, err)
		}
		prefix := "web:" + chat + ":"
		for _, e := range events {
			if id, ok := strings.CutPrefix(e.MessageID, prefix); ok && e.Type == bot.EventCustomer {
				counts[id]++
			}
		}
	}
	for _, s := range v.sent {
		switch n := counts[s.id]; {
		case n == 0:
			lost = append(lost, fmt.Sprintf("visitor %d, message %s %q", v.n, s.id, s.text))
		case n > 1:
			twice = append(twice, fmt.Sprintf("visitor %d, message %s %q: %d times", v.n, s.id, s.text, n))
		}
	}
	return lost, twice, nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// A soakSnapshot is the process's and Redis's state at one moment.
type soakSnapshot struct {
	// heap is the heap in use (garbage included: GOGC=400 lets it grow to
	// five times what is live), live what the last collection found live.
	heap, live, rss uint64
	goroutines      int
	redisMem        int64
	load            string
	cpu             cpuTimes
}

// cpuTimes are the machine's CPU times and this process's, in clock
// ticks, from /proc (zero elsewhere).
type cpuTimes struct {
	total, busy, steal, process uint64
}

func readCPU() cpuTimes {
	var c cpuTimes
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		// cpu user nice system idle iowait irq softirq steal ...
		f := strings.Fields(line)
		for i := 1; i < len(f) && i <= 8; i++ {
			n, _ := strconv.ParseUint(f[i], 10, 64)
			c.total += n
			switch i {
			case 4, 5: // idle, iowait
			case 8:
				c.steal = n
			default:
				c.busy += n
			}
		}
	}
	if b, err := os.ReadFile("/proc/self/stat"); err == nil {
		// The fields after the command's closing parenthesis; utime and
		// stime are the 14th and 15th of the line.
		if i := strings.LastIndexByte(string(b), ')'); i >= 0 {
			f := strings.Fields(string(b[i+1:]))
			if len(f) > 12 {
				u, _ := strconv.ParseUint(f[11], 10, 64)
				k, _ := strconv.ParseUint(f[12], 10, 64)
				c.process = u + k
			}
		}
	}
	return c
}

// share writes the machine's use of its CPUs between a and b: busy (of
// which this process), stolen by the host.
func (b cpuTimes) share(a cpuTimes) string {
	t := float64(b.total - a.total)
	if t <= 0 {
		return "CPU ?"
	}
	pc := func(n uint64) float64 { return 100 * float64(n) / t }
	return fmt.Sprintf("CPU busy %.0f%% (this process %.0f%%), stolen %.0f%%", pc(b.busy-a.busy), pc(b.process-a.process), pc(b.steal-a.steal))
}

func sample(ctx context.Context, st *redis.Store) soakSnapshot {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	s := soakSnapshot{heap: m.HeapInuse, rss: rss(), goroutines: runtime.NumGoroutine(), load: loadAverage(), cpu: readCPU()}
	if live[0].Value.Kind() == metrics.KindUint64 {
		s.live = live[0].Value.Uint64()
	}
	s.redisMem, _ = st.UsedMemory(ctx)
	return s
}

// rss returns the process's resident set (VmRSS), 0 where /proc has none.
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for l := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			n, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n << 10
		}
	}
	return 0
}

// loadAverage returns the machine's 1, 5 and 15 minute load averages.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// A soakMinute is one minute's line.
type soakMinute struct {
	n                 int
	end               time.Time
	replies           []time.Duration
	errors            int
	conversations     int
	snap              soakSnapshot
	backlog           int64
	lag               time.Duration
	stall             time.Duration
	cpu               string // the machine's CPU over the minute
	sentSoFar, onPage int
}

// minute gathers the replies and errors since the last line.
func (r *soakRig) minute(ctx context.Context, n int, st *redis.Store) soakMinute {
	m := soakMinute{n: n, end: time.Now(), snap: sample(ctx, st), conversations: int(r.conversations.Load())}
	m.cpu = m.snap.cpu.share(r.cpu)
	r.cpu = m.snap.cpu
	var oldest time.Time
	m.backlog, oldest, _ = st.Backlog(ctx, archiveGroup)
	if !oldest.IsZero() {
		m.lag = time.Since(oldest)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.samples[r.lastSamples:] {
		m.replies = append(m.replies, s.d)
	}
	r.lastSamples = len(r.samples)
	total := 0
	for _, c := range r.errs {
		total += c
	}
	m.errors, r.lastErrs = total-r.lastErrs, total
	m.onPage = len(r.visitors)
	m.stall = time.Duration(r.stall.Swap(0))
	return m
}

func (m soakMinute) line() string {
	return fmt.Sprintf("minute %2d  %6d replies  %s  errors %d  conversations so far %d  heap %s (live %s)  RSS %s  goroutines %d  Redis %s  archive behind %d entries (%v)  longest stall %v  %s  load %s",
		m.n, len(m.replies), quantiles(m.replies), m.errors, m.conversations, mb(m.snap.heap), mb(m.snap.live), mb(m.snap.rss), m.snap.goroutines,
		mb(uint64(max(m.snap.redisMem, 0))), m.backlog, m.lag.Round(100*time.Millisecond), roundDur(m.stall), m.cpu, m.snap.load)
}

// quantiles writes p50/p95/p99/max of ds.
func quantiles(ds []time.Duration) string {
	if len(ds) == 0 {
		return "p50 -  p95 -  p99 -  max -"
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	q := func(p float64) string { return roundDur(s[min(len(s)-1, int(p*float64(len(s))))]) }
	return "p50 " + q(.50) + "  p95 " + q(.95) + "  p99 " + q(.99) + "  max " + roundDur(s[len(s)-1])
}

func mb(b uint64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

// soakResult is what a soak measured.
type soakResult struct {
	opts           soakOptions
	archive        string
	elapsed        time.Duration
	samples        []soakSample
	errs           map[string]int
	visitors       []*soakVisitor
	conversations  int
	minutes        []soakMinute
	lastMinute     soakMinute
	waiting        int
	atStart, atEnd soakSnapshot
	// liveHeap is the heap in use after a collection, once drained.
	liveHeap uint64
	// afterGoroutines are the goroutines once the visitors are gone.
	afterGoroutines int
	backlog         int64 // stream entries left to archive when the visitors were done
	archivedLive    int   // events archived while they wrote
	drained         int   // events archived after
	drainTime       time.Duration
	checked         int
	lost, twice     []string
}

// sent returns the messages the server accepted.
func (r *soakResult) sent() int {
	n := 0
	for _, v := range r.visitors {
		n += len(v.sent)
	}
	return n
}

func (r *soakResult) print(w io.Writer) {
	if len(r.lastMinute.replies) > 0 {
		fmt.Fprintln(w, r.lastMinute.line()+"  (the last part minute)")
	}
	var all, talk, queued []time.Duration
	for _, s := range r.samples {
		all = append(all, s.d)
		if s.queued {
			queued = append(queued, s.d)
		} else {
			talk = append(talk, s.d)
		}
	}
	sent := r.sent()
	fmt.Fprintf(w, "\nvisitors          %d in all (%d on the page at once), %d conversations, %v\n", len(r.visitors), r.opts.visitors, r.conversations, r.elapsed.Round(time.Second))
	fmt.Fprintf(w, "messages          %d accepted (%.1f/s), %d replies seen on the streams\n", sent, float64(sent)/r.elapsed.Seconds(), len(all))
	fmt.Fprintf(w, "reply time        %s   (POST to the first line on the visitor's stream)\n", quantiles(all))
	fmt.Fprintf(w, "  to the bot      %s   (%d)\n", quantiles(talk), len(talk))
	fmt.Fprintf(w, "  while waiting   %s   (%d)\n", quantiles(queued), len(queued))
	// Slow replies, by the 10 s they were sent in: one stall of the
	// machine, or spread over the run.
	slow := map[time.Duration]int{}
	for _, s := range r.samples {
		if s.d > 50*time.Millisecond {
			slow[s.at.Truncate(10*time.Second)]++
		}
	}
	if len(slow) > 0 {
		fmt.Fprintf(w, "over 50 ms        by the 10 s they were sent in:")
		for _, at := range slices.Sorted(maps.Keys(slow)) {
			fmt.Fprintf(w, "  %v: %d", at, slow[at])
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "cases waiting     %d at the end (nobody claims)\n", r.waiting)
	if len(r.errs) == 0 {
		fmt.Fprintf(w, "errors            none\n")
	} else {
		fmt.Fprintf(w, "errors            by kind:\n")
		for _, k := range slices.Sorted(maps.Keys(r.errs)) {
			fmt.Fprintf(w, "  %6d  %s\n", r.errs[k], k)
		}
	}
	fmt.Fprintf(w, "process           heap in use %s → %s (%s live after a collection), RSS %s → %s, goroutines %d → %d (visitors gone: %d); the visitors run in the same process\n",
		mb(r.atStart.heap), mb(r.atEnd.heap), mb(r.liveHeap), mb(r.atStart.rss), mb(r.atEnd.rss), r.atStart.goroutines, r.lastMinute.snap.goroutines, r.afterGoroutines)
	fmt.Fprintf(w, "Redis             used_memory %s → %s\n", mb(uint64(max(r.atStart.redisMem, 0))), mb(uint64(max(r.atEnd.redisMem, 0))))
	fmt.Fprintf(w, "load average      %s at the start, %s at the end of the load, %s after the drain (%d cores, shared)\n", r.atStart.load, r.lastMinute.snap.load, r.atEnd.load, runtime.NumCPU())
	fmt.Fprintf(w, "machine           while the visitors wrote: %s; while the archive drained: %s\n", r.lastMinute.snap.cpu.share(r.atStart.cpu), r.atEnd.cpu.share(r.lastMinute.snap.cpu))
	rate := "-"
	if r.drainTime > 0 {
		rate = fmt.Sprintf("%.0f events/s", float64(r.drained)/r.drainTime.Seconds())
	}
	fmt.Fprintf(w, "archive (%s)  %d events archived while the visitors wrote; %d stream entries behind at the end; %d events drained after in %v: %s\n",
		r.archive, r.archivedLive, r.backlog, r.drained, r.drainTime.Round(time.Millisecond), rate)
	fmt.Fprintf(w, "checked           %d customer messages against the archive: %d missing, %d stored more than once\n", r.checked, len(r.lost), len(r.twice))
	for i, l := range r.lost {
		if i == 50 {
			fmt.Fprintf(w, "  ... and %d more missing\n", len(r.lost)-i)
			break
		}
		fmt.Fprintf(w, "  missing: %s\n", l)
	}
	for i, l := range r.twice {
		if i == 50 {
			fmt.Fprintf(w, "  ... and %d more stored twice\n", len(r.twice)-i)
			break
		}
		fmt.Fprintf(w, "  twice: %s\n", l)
	}
}
