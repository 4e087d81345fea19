package main

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/telegram/telegramfake"
)

// TestARefusedTokenStopsTheServer: a replica whose Telegram token is
// refused cannot do its job; it stops with an error that says so rather
// than look healthy and answer nobody.
func TestARefusedTokenStopsTheServer(t *testing.T) {
	tg := telegramfake.New(t)
	env := map[string]string{
		"TELEGRAM_TOKEN":   "123456789:AAwrong-token-the-fake-refuses000000",
		"TELEGRAM_API_URL": tg.URL(), "TELEGRAM_MODE": "polling",
	}
	srv, err := newServer(context.Background(), e2eConfig(), func(k string) string { return env[k] },
		shopBot(t, true), testLog(t), deps{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.run(context.Background(), ln) }()
	select {
	case err := <-done:
		if err == nil || !strings.HasPrefix(err.Error(), "telegram: ") {
			t.Fatalf("run = %v, want an error naming telegram", err)
		}
		if strings.Contains(err.Error(), env["TELEGRAM_TOKEN"]) {
			t.Fatalf("the error shows the token: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the server kept running with a refused Telegram token")
	}
}
