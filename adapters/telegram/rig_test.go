package telegram

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/telegram/telegramfake"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
)

// logs holds everything the channels and engines of the tests log.
var logs syncBuffer

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func testLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// TestMain fails the run when the token appears in anything logged: the
// tests make the channel log requests that failed in every way they can.
func TestMain(m *testing.M) {
	code := m.Run()
	out := logs.String()
	if strings.Contains(out, testToken) || strings.Contains(out, strings.SplitN(testToken, ":", 2)[1]) {
		fmt.Fprintln(os.Stderr, "FAIL: the bot token appears in the logs:")
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, strings.SplitN(testToken, ":", 2)[1]) {
				fmt.Fprintln(os.Stderr, "  ", line)
			}
		}
		code = 1
	}
	if code == 0 && len(out) == 0 && flag.Lookup("test.run").Value.String() == "" {
		fmt.Fprintln(os.Stderr, "FAIL: nothing was logged: the token check is void")
		code = 1
	}
	os.Exit(code)
}

// testToken is the token of the tests, the only one the fake accepts. It
// must appear in no log line.
const testToken = telegramfake.Token

// rig is a channel wired to a real engine on the memory store, talking to
// a fake Telegram.
type rig struct {
	tb     testing.TB
	fake   *telegramfake.Server
	store  *memory.Store
	desk   *botfake.Desk
	engine *bot.Engine
	ch     *Channel
	hook   *httptest.Server // the webhook's public side, in webhook mode
	cancel context.CancelFunc
	done   chan error
}

// rigSetup is what a rigOption may change before the rig starts.
type rigSetup struct {
	cfg  *Config
	ecfg *bot.Config
	// mw wraps the engine as the channel's handler.
	mw bot.Middleware
}

type rigOption func(*rigSetup)

// fastConfig shortens the channel's waits for tests.
func fastConfig(cfg *Config) {
	cfg.PollTimeout = time.Second
	cfg.LeaseTTL = 600 * time.Millisecond
	cfg.Backoff = 20 * time.Millisecond
	cfg.TypingDelay = 10 * time.Millisecond
}

// newRig starts a channel in mode with responder r.
func newRig(tb testing.TB, fake *telegramfake.Server, store *memory.Store, mode string, r bot.Responder, opts ...rigOption) *rig {
	tb.Helper()
	if fake == nil {
		fake = telegramfake.New(tb)
	}
	if store == nil {
		store = memory.NewStore()
	}
	rg := &rig{tb: tb, fake: fake, store: store, desk: &botfake.Desk{}}
	ecfg := bot.Config{Store: store, Responder: r, Desk: rg.desk, Logger: testLogger(),
		Lease: 5 * time.Second, Poll: 50 * time.Millisecond}
	cfg := Config{Token: testToken, Mode: mode, APIURL: fake.URL(), Logger: testLogger(), Secret: "s3cret_webhook-token"}
	fastConfig(&cfg)
	setup := rigSetup{cfg: &cfg, ecfg: &ecfg}
	for _, o := range opts {
		o(&setup)
	}
	eng, err := bot.NewEngine(ecfg)
	if err != nil {
		tb.Fatal(err)
	}
	rg.engine = eng
	cfg.Handler = eng
	if setup.mw != nil {
		cfg.Handler = setup.mw(eng)
	}
	if mode == ModeWebhook {
		var ch *Channel
		mux := http.NewServeMux()
		mux.Handle(WebhookPath, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { ch.ServeHTTP(w, r) }))
		rg.hook = httptest.NewServer(mux)
		tb.Cleanup(rg.hook.Close)
		cfg.WebhookURL = rg.hook.URL + WebhookPath
		ch, err = New(cfg)
		if err != nil {
			tb.Fatal(err)
		}
		rg.ch = ch
	} else {
		rg.ch, err = New(cfg)
		if err != nil {
			tb.Fatal(err)
		}
	}
	eng.SetChannel(Name, rg.ch)
	rg.start()
	return rg
}

// start runs the channel and the engine's redelivery until stop.
func (rg *rig) start() {
	ctx, cancel := context.WithCancel(context.Background())
	rg.cancel = cancel
	rg.done = make(chan error, 2)
	go func() { rg.done <- rg.ch.Run(ctx) }()
	go func() { rg.done <- rg.engine.Run(ctx) }()
	rg.tb.Cleanup(rg.stop)
}

// stop stops the channel and the engine and waits for them.
func (rg *rig) stop() {
	if rg.cancel == nil {
		return
	}
	rg.cancel()
	rg.cancel = nil
	for range 2 {
		select {
		case err := <-rg.done:
			if err != nil {
				rg.tb.Errorf("Run: %v", err)
			}
		case <-time.After(5 * time.Second):
			rg.tb.Errorf("Run did not return within 5 s of its context's end")
			return
		}
	}
}
