package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/telegram/telegramfake"
)

// TestRefPrintsTheReferencesTheServerLogs: with the deployment's key in
// the environment, `sportello ref` prints the reference a server with
// that key logs for a conversation and for an order; without it, it
// refuses (the server's references are random then).
func TestRefPrintsTheReferencesTheServerLogs(t *testing.T) {
	tg := telegramfake.New(t)
	getenv := envs(telegramEnv(tg), func(k string) string {
		if k == "SPORTELLO_WEBCHAT_KEY" {
			return testWebchatKey
		}
		return ""
	})
	var mu sync.Mutex
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	srv, err := newServer(context.Background(), e2eConfig(), getenv, shopBot(t, true), log, deps{poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start(t, srv)
	c := newTelegramCustomer(t, tg, 58120077)
	c.say("dov'è il mio ordine SP-123456?")
	c.waitFor("CAP")
	c.say("nessuno@example.it")
	c.waitFor("trovo un ordine")
	mu.Lock()
	logged := buf.String()
	mu.Unlock()

	var out bytes.Buffer
	e := &env{stdout: &out, stderr: &out, getenv: getenv}
	if code := run(context.Background(), e, []string{"ref", "telegram:58120077"}); code != 0 {
		t.Fatalf("ref: exit %d: %s", code, out.String())
	}
	if code := run(context.Background(), e, []string{"ref", "order", "#sp-123456"}); code != 0 {
		t.Fatalf("ref order: exit %d: %s", code, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("ref printed %q, want two lines", out.String())
	}
	for _, l := range lines {
		ref, _, _ := strings.Cut(l, "\t")
		if ref == "" || !strings.Contains(logged, ref) {
			t.Errorf("ref printed %q; the server logged no %q:\n%s", l, ref, logged)
		}
	}

	// Near misses: no key, no argument, not an address.
	for _, tc := range []struct {
		args   []string
		getenv func(string) string
		code   int
	}{
		{[]string{"ref", "telegram:58120077"}, func(string) string { return "" }, 1},
		{[]string{"ref"}, getenv, 2},
		{[]string{"ref", "order"}, getenv, 2},
		{[]string{"ref", "58120077"}, getenv, 2},
	} {
		var out bytes.Buffer
		if code := run(context.Background(), &env{stdout: &out, stderr: &out, getenv: tc.getenv}, tc.args); code != tc.code {
			t.Errorf("%q: exit %d, want %d: %s", tc.args, code, tc.code, out.String())
		}
	}
}
