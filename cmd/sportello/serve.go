package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/webchat"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows"
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

	b, err := loadBot(e, cfg.Flows)
	if err != nil {
		return err
	}
	srv, err := newServer(cfg, e.getenv, b, log)
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
	if e.listening != nil {
		e.listening(ln.Addr().String())
	}
	return srv.run(ctx, ln)
}

// server is everything `sportello serve` runs.
type server struct {
	log       *slog.Logger
	getenv    func(string) string
	bot       *flows.Bot
	engine    *bot.Engine
	store     bot.Store
	storeName string
	mux       *http.ServeMux
	http      *http.Server
	// runners run beside the HTTP server until shutdown: the engine's
	// redelivery loop, channel pollers, desk connections.
	runners []func(ctx context.Context) error
}

func newServer(cfg config, getenv func(string) string, b *flows.Bot, log *slog.Logger) (*server, error) {
	st := memory.NewStore()
	s := &server{log: log, getenv: getenv, bot: b, store: st, storeName: "memory", mux: http.NewServeMux()}
	var err error
	s.engine, err = bot.NewEngine(bot.Config{
		Store:     s.store,
		Responder: flows.NewRuntime(b),
		Texts:     engineTexts(b),
		Language:  b.DefaultLanguage,
		Logger:    log,
		Queues:    st,
		Teams:     teamsOf(b),
	})
	if err != nil {
		return nil, err
	}
	s.engine.SetDesk(bot.NewLocalDesk(s.engine))
	s.runners = append(s.runners, s.engine.Run)

	chat := webchat.New(webchat.Config{Handler: s.engine, History: s.store, Logger: log, Title: b.Name})
	s.engine.SetChannel("web", chat)
	s.mux.Handle("/", chat)

	for _, setup := range []func() error{s.setupTelegram, s.setupSlack} {
		if err := setup(); err != nil {
			return nil, err
		}
	}

	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	s.mux.HandleFunc("GET /readyz", s.ready)
	s.mux.HandleFunc("GET /metrics", s.metrics)
	s.http = &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	// Open event streams end at shutdown; the pages reconnect elsewhere.
	s.http.RegisterOnShutdown(func() { chat.Close() })
	return s, nil
}

// run serves on ln until ctx ends, then shuts down within a few seconds:
// requests in flight finish, the engine's loop stops.
func (s *server) run(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for _, r := range s.runners {
		wg.Go(func() {
			if err := r(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("stopped", "err", err)
			}
		})
	}
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(ln) }()
	select {
	case err := <-errc:
		cancel()
		wg.Wait()
		return fmt.Errorf("http: %w", err)
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
	wg.Wait()
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// pinger is a store that can tell whether it is reachable.
type pinger interface {
	Ping(ctx context.Context) error
}

func (s *server) ready(w http.ResponseWriter, r *http.Request) {
	if p, ok := s.store.(pinger); ok {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := p.Ping(ctx); err != nil {
			http.Error(w, "not ready: store unreachable", http.StatusServiceUnavailable)
			return
		}
	}
	fmt.Fprintln(w, "ready")
}

// metrics writes the engine's counters in the Prometheus text format.
func (s *server) metrics(w http.ResponseWriter, r *http.Request) {
	st := s.engine.Stats()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	for _, m := range []struct {
		name, help string
		v          int64
	}{
		{"sportello_messages_handled_total", "Messages committed.", st.Handled},
		{"sportello_messages_duplicate_total", "Redelivered messages skipped.", st.Duplicates},
		{"sportello_commit_conflicts_total", "Commits retried after a concurrent update.", st.Conflicts},
		{"sportello_messages_failed_total", "Messages not committed (store failures).", st.Failed},
		{"sportello_errors_total", "Internal errors answered with an apology.", st.Errors},
		{"sportello_deliveries_total", "Outbox entries delivered.", st.Delivered},
		{"sportello_delivery_failures_total", "Deliveries that failed and will be retried.", st.DeliveryFailures},
		{"sportello_undeliverable_total", "Replies refused for good by the channel.", st.Undeliverable},
		{"sportello_redeliveries_total", "Deliveries tried again after the lease.", st.Redelivered},
	} {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", m.name, m.help, m.name, m.name, m.v)
	}
}
