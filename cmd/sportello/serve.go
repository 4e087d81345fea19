package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/postgres"
	"github.com/sportello/sportello/adapters/prometheus"
	"github.com/sportello/sportello/adapters/redis"
	"github.com/sportello/sportello/adapters/review"
	"github.com/sportello/sportello/adapters/webchat"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/redact"
	"github.com/sportello/sportello/bot/report"
	"github.com/sportello/sportello/flows"
	"github.com/sportello/sportello/flows/nlu"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	flowsPath := fl.String("flows", "", "flow file or folder (default: the embedded demo shop)")
	configFile := fl.String("config", "", "configuration file (default: $SPORTELLO_CONFIG)")
	addr := fl.String("addr", "", "listen address (default: $SPORTELLO_ADDR or 127.0.0.1:8080)")
	if err := fl.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fl.Arg(0))
	}
	cfg, err := loadConfig(*configFile, e.getenv)
	if err != nil {
		return err
	}
	if *flowsPath != "" {
		cfg.Flows = *flowsPath
	}
	if *addr != "" {
		cfg.Addr = *addr
	}
	log := cfg.logger(e)
	tuneGC(e.getenv)

	b, err := loadBot(e, cfg.Flows)
	if err != nil {
		return err
	}
	cfg, warn := cfg.flowZone(b)
	if warn != "" {
		log.Warn("timezone: " + warn)
	}
	if b.Knowledge() != nil {
		log.Info("knowledge: documents indexed", "passages", b.Knowledge().Len())
	}
	if b.KnowledgeProblems != nil {
		// The bot answers from the other pages; validate lists these.
		for _, l := range strings.Split(b.KnowledgeProblems.Error(), "\n") {
			log.Warn("knowledge: page skipped", "problem", l)
		}
	}
	srv, err := newServer(ctx, cfg, e.getenv, b, log, deps{})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	url := "http://" + ln.Addr().String() + "/"
	log.Info("serving", "bot", b.Name, "store", srv.storeName, "url", url)
	fmt.Fprintf(e.stdout, "Sportello is serving %q. Open %s to chat with it.\n", b.Name, url)
	if srv.demoPassword != "" {
		fmt.Fprintf(e.stdout, "Review pages: %sreview/  (user demo, password %s)\n", url, srv.demoPassword)
	}
	if e.listening != nil {
		e.listening(ln.Addr().String())
	}
	return srv.run(ctx, ln)
}

// server is everything `sportello serve` runs.
type server struct {
	cfg       config
	log       *slog.Logger
	getenv    func(string) string
	bot       *flows.Bot
	engine    *bot.Engine
	store     bot.Store
	storeName string
	// caps are the store's capabilities, taken once (wireCapabilities).
	caps    bot.Capabilities
	archive report.Archive
	// archivePing tells whether the archive answers, for /readyz; nil for
	// the memory archive.
	archivePing func(ctx context.Context) error
	metrics     *prometheus.Metrics
	channels    []string // the customers' channels set up, for the metrics
	mux         *http.ServeMux
	http        *http.Server
	// demoPassword is the password of the review pages' demo manager,
	// printed at start-up, when the configuration names no managers.
	demoPassword string
	// runners run beside the HTTP server until shutdown: the engine's
	// redelivery loop, channel pollers, desk connections, the archiver.
	runners []runner
	// closers run after the runners stopped.
	closers []func() error
}

// A runner is a part that runs until the server stops. One that stops
// early with an error (a token Telegram or Slack refuses) stops the
// server: a replica that cannot do its job must not look healthy.
type runner struct {
	name string
	run  func(ctx context.Context) error
}

func (s *server) addRunner(name string, run func(ctx context.Context) error) {
	s.runners = append(s.runners, runner{name, run})
}

// reloadKnowledge indexes the knowledge folder again each time a file in
// it changed, looking every so often, until ctx ends. Every replica does
// the same with the same files, so they answer alike once each has
// looked; a page that cannot be read is left out and logged, as at
// start-up. It returns as soon as ctx ends, a reload under way or not: a
// large folder takes seconds to read and index, and a shutdown does not
// wait for it (the reload stops reading at its next file, and drops what
// it built).
func reloadKnowledge(ctx context.Context, b *flows.Bot, every time.Duration, log *slog.Logger) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		var reloaded bool
		var problems, err error
		done := make(chan struct{})
		go func() {
			defer close(done)
			reloaded, problems, err = b.ReloadKnowledge(ctx)
		}()
		select {
		case <-ctx.Done():
			return nil
		case <-done:
		}
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			log.Error("knowledge: could not read the documents again", "err", err)
		case reloaded:
			log.Info("knowledge: documents indexed again", "passages", b.Knowledge().Len())
			if problems != nil {
				for _, l := range strings.Split(problems.Error(), "\n") {
					log.Warn("knowledge: page skipped", "problem", l)
				}
			}
		}
	}
}

// deps are what a test gives the server instead of the real thing; the
// zero value takes everything from the configuration.
type deps struct {
	store bot.Store     // nil: Redis when REDIS_URL is set, else memory
	clock bot.Clock     // nil: the system clock
	poll  time.Duration // the engine's outbox and timer poll; 1 s when zero
	// limits bound the listener's connections and requests; a zero field
	// takes its default (defaultLimits).
	limits limits
	// heartbeat is the web chat's keep-alive on event streams; 25 s when zero.
	heartbeat time.Duration
	// metricsTimeout bounds a scrape's store calls; 2 s when zero (a
	// test under the race detector on a loaded machine wants more).
	metricsTimeout time.Duration
}

func newServer(ctx context.Context, cfg config, getenv func(string) string, b *flows.Bot, log *slog.Logger, d deps) (*server, error) {
	key, err := webchatKey(getenv)
	if err != nil {
		return nil, err
	}
	// The logs' references of orders and conversations: keyed
	// alike on every replica, so that one order can be followed through
	// all their logs (docs/security.md).
	bot.SetLogKey(deploymentKey(getenv, "log references"))
	s := &server{cfg: cfg, log: log, getenv: getenv, bot: b, mux: http.NewServeMux()}
	if err := s.openStore(ctx, d); err != nil {
		return nil, err
	}
	if err := s.wireCapabilities(); err != nil {
		s.close()
		return nil, err
	}
	queues := s.caps.Queues
	clock := d.clock
	if clock == nil {
		clock = bot.SystemClock{}
	}
	s.metrics = prometheus.New(prometheus.Options{Now: clock.Now, Logger: log, Timeout: d.metricsTimeout})
	rt := flows.NewRuntime(b)
	rt.SetZone(cfg.zone())
	shop := cfg.Shop
	shop.zone = cfg.zone()
	if err := connectOrders(rt, shop, cfg.Flows == "", clock.Now, getenv, s.caps.Counters, log); err != nil {
		s.close()
		return nil, err
	}
	s.engine, err = bot.NewEngine(bot.Config{
		Store:     s.store,
		Responder: rt,
		Texts:     b.EngineTexts(),
		Language:  b.DefaultLanguage,
		Logger:    log,
		Queues:    queues,
		Teams:     b.EngineTeams(),
		Clock:     clock,
		Poll:      d.poll,
		Meter:     s.metrics,
	})
	if err != nil {
		return nil, err
	}
	s.engine.SetDesk(bot.NewLocalDesk(s.engine))
	s.addRunner("engine", s.engine.Run)
	if every := cfg.knowledgeReload(); every > 0 && b.Knowledge() != nil {
		s.addRunner("knowledge", func(ctx context.Context) error { return reloadKnowledge(ctx, b, every, log) })
	}

	chat := webchat.New(webchat.Config{Handler: s.engine, History: s.store, Logger: log, Title: b.Name, Bus: s.caps.Bus,
		Heartbeat: d.heartbeat, Key: key, Proxies: cfg.proxies(), AllowedOrigins: cfg.webchatOrigins()})
	s.engine.SetChannel("web", chat)
	s.channels = append(s.channels, "web")
	s.addRunner("webchat", chat.Run)
	s.mux.Handle("/", chat)

	for _, setup := range []func() error{s.setupTelegram, s.setupSlack, func() error { return s.setupReview(ctx, cfg) }} {
		if err := setup(); err != nil {
			s.close()
			return nil, err
		}
	}

	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	s.mux.HandleFunc("GET /readyz", s.ready)
	err = s.metrics.Watch(prometheus.Sources{
		Stats: s.engine.Stats, Backlog: s.engine.Backlog,
		Queues: queues, Teams: slices.Sorted(maps.Keys(b.Teams)),
		EventLog: s.caps.EventLog, Group: archiveGroup, DeadLetters: s.archive, Channels: s.channels,
	})
	if err != nil {
		s.close()
		return nil, fmt.Errorf("metrics: %w", err)
	}
	s.mux.Handle("GET /metrics", s.metrics.Handler())
	s.http = d.limits.orDefaults().httpServer(s.mux, log)
	// Open event streams end at shutdown; the pages reconnect elsewhere.
	s.http.RegisterOnShutdown(func() { chat.Close() })
	return s, nil
}

// openStore opens the store: Redis when REDIS_URL is set (several
// replicas share it), the memory store otherwise.
func (s *server) openStore(ctx context.Context, d deps) error {
	switch url := s.getenv("REDIS_URL"); {
	case d.store != nil:
		s.store, s.storeName = d.store, "given"
	case url != "":
		st, err := redis.Open(ctx, url, redis.Options{Logger: s.log})
		if err != nil {
			return fmt.Errorf("redis %s: %w", redis.Redacted(url), err)
		}
		s.store, s.storeName = st, "redis"
		s.closers = append(s.closers, st.Close)
		s.log.Info("store: redis", "url", redis.Redacted(url))
	default:
		// On the server's clock: its counters time the order locks.
		var opt memory.Options
		if d.clock != nil {
			opt.Now = d.clock.Now
		}
		s.store, s.storeName = memory.NewStoreWith(opt), "memory"
		s.log.Info("store: memory (one process; set REDIS_URL to share state between replicas)")
	}
	return nil
}

// archiveGroup is the archiver's consumer group of the event log, whose
// lag /metrics reports.
const archiveGroup = "archive"

// setupReview opens the archive (PostgreSQL when DATABASE_URL is set,
// memory otherwise), starts the archiver that feeds it from the event
// log, and serves the managers' pages at /review/.
func (s *server) setupReview(ctx context.Context, cfg config) error {
	if url := s.getenv("DATABASE_URL"); url != "" {
		// The dashboard's numbers are rolled up by the shop's days.
		pg, err := postgres.Open(ctx, url, postgres.DaysIn(cfg.zone()))
		if err != nil {
			return fmt.Errorf("archive: %w", err)
		}
		s.archive, s.archivePing = pg, pg.Ping
		s.closers = append(s.closers, func() error { pg.Close(); return nil })
		s.log.Info("archive: postgres")
	} else {
		s.archive = memory.NewArchive()
		s.log.Info("archive: memory (set DATABASE_URL to keep transcripts)")
	}
	if elog := s.caps.EventLog; elog != nil {
		rc := redact.DefaultConfig()
		if cfg.Review.Redact != nil {
			rc = *cfg.Review.Redact
		}
		archiver, err := report.NewArchiver(report.ArchiverConfig{
			Log: elog, Group: archiveGroup, Archive: s.archive, Redact: redact.New(rc).String,
			Retention: time.Duration(cfg.Review.RetentionDays) * 24 * time.Hour, Logger: s.log,
		})
		if err != nil {
			return err
		}
		s.addRunner("archiver", archiver.Run)
	}

	managers := cfg.Review.Managers
	if len(managers) == 0 {
		m, pw, err := review.NewDemoManager()
		if err != nil {
			return err
		}
		managers, s.demoPassword = []review.Manager{m}, pw
	}
	key, err := reviewKey(s.getenv)
	if err != nil {
		return err
	}
	if key == nil {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return err
		}
	}
	secure, err := secureCookies(cfg.Addr, s.getenv)
	if err != nil {
		return err
	}
	// Sessions live in the store, so that signing out on one replica ends
	// the session on all.
	rv, err := review.New(review.Config{Archive: s.archive, Managers: managers, SessionKey: key,
		Sessions: s.caps.Directory, Proxies: cfg.proxies(), Logger: s.log, Secure: secure, Zone: cfg.zone(), GapTerms: gapTerms})
	if err != nil {
		return fmt.Errorf("review: %w", err)
	}
	s.log.Info("review pages", "timezone", cfg.zone().String())
	s.mux.Handle("/review/", rv)
	s.mux.Handle("/review", rv)
	return nil
}

// gapTerms are the terms the gaps of the help centre are grouped by: the
// classifier's normalised words (accents off, apostrophes split), without
// the words that ask rather than say what about (report.StopWord) and
// those of one or two letters, each as the shorter of its English and
// Italian Snowball stems (a question's language may be unknown, and the
// shorter is the one that took the ending off): "pagare" and
// "pagamento" meet at "pag", "returns" and "return" at "return".
func gapTerms(question string) []string {
	var out []string
	for _, w := range nlu.Tokenize(question) {
		if len(w) <= 2 || report.StopWord(w) {
			continue
		}
		en, it := nlu.Stems(w)
		if len(it) < len(en) {
			en = it
		}
		out = append(out, en)
	}
	return out
}

// close releases what the server opened.
func (s *server) close() {
	for _, c := range s.closers {
		if err := c(); err != nil {
			s.log.Warn("close", "err", err)
		}
	}
	s.closers = nil
}

// run serves on ln until ctx ends, then shuts down within a few seconds:
// requests in flight finish, the engine's loop stops.
func (s *server) run(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	failed := make(chan error, len(s.runners))
	for _, r := range s.runners {
		wg.Go(func() {
			if err := r.run(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("stopped", "part", r.name, "err", err)
				failed <- fmt.Errorf("%s: %w", r.name, err)
			}
		})
	}
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(ln) }()
	var failure error
	select {
	case err := <-errc:
		cancel()
		wg.Wait()
		s.close()
		return fmt.Errorf("http: %w", err)
	case failure = <-failed:
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	shut, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	err := s.http.Shutdown(shut)
	if errors.Is(err, context.DeadlineExceeded) {
		// Open event streams do not end by themselves.
		err = s.http.Close()
	}
	cancel()
	wg.Wait()
	s.close()
	if failure != nil {
		return failure
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func (s *server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if ping := s.caps.Ping; ping != nil {
		if err := ping(ctx); err != nil {
			http.Error(w, "not ready: the store ("+s.storeName+") does not answer", http.StatusServiceUnavailable)
			return
		}
	}
	// The archive is off the message path: a PostgreSQL outage delays
	// transcripts but does not stop the bot, so it is reported, not fatal.
	if ping := s.archivePing; ping != nil {
		if err := ping(ctx); err != nil {
			fmt.Fprintln(w, "ready (archive unreachable: transcripts wait in the event log)")
			return
		}
	}
	fmt.Fprintln(w, "ready")
}
