package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"testing"
	"time"
)

// TestServeWaitsForRedisAndRecovers starts the server while its Redis is
// down: it starts anyway, says it is not ready, refuses messages with a
// retryable 503 (the page sends them again), and recovers by itself when
// Redis comes up, with no restart.
func TestServeWaitsForRedisAndRecovers(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	url := fmt.Sprintf("redis://127.0.0.1:%d/0", port)
	getenv := func(k string) string {
		switch k {
		case "REDIS_URL":
			return url
		case "SPORTELLO_WEBCHAT_KEY":
			return testWebchatKey
		case "SPORTELLO_REVIEW_KEY":
			return testReviewKey
		}
		return ""
	}
	srv, err := newServer(context.Background(), defaultConfig(), getenv, shopBot(t, true), testLog(t), deps{poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("the server did not start without Redis: %v", err)
	}
	if srv.storeName != "redis" {
		t.Fatalf("store = %s, want redis", srv.storeName)
	}
	// Redis stops after the server (cleanups run last first), as in a
	// real shutdown.
	var redis *exec.Cmd
	t.Cleanup(func() {
		if redis != nil {
			redis.Process.Kill()
			redis.Wait()
		}
	})
	base := start(t, srv)

	if code := status(t, base+"/readyz"); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with Redis down = %d, want 503", code)
	}
	if code := status(t, base+"/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz = %d: the process is alive", code)
	}
	// Visitors are signed, not stored: the server issues them with Redis down.
	var v struct{ Visitor string }
	postJSON(t, base+"/chat/visitors", nil, &v)
	visitor := v.Visitor
	msg := map[string]string{"visitor": visitor, "id": "m1", "text": "quanto costa la spedizione?", "lang": "it"}
	if code := post(t, base+"/chat/messages", msg); code != http.StatusServiceUnavailable {
		t.Fatalf("a message with Redis down = %d, want 503 (retry later)", code)
	}

	redis = exec.Command("redis-server", "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := redis.Start(); err != nil {
		t.Fatal(err)
	}

	deadline := time.Now().Add(15 * time.Second)
	for status(t, base+"/readyz") != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("the server did not become ready within 15 s of Redis starting")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The page sends the same message again: now it is answered.
	if code := post(t, base+"/chat/messages", msg); code != http.StatusOK {
		t.Fatalf("the retried message = %d, want 200", code)
	}
	resp, err := http.Get(base + "/chat/history?visitor=" + visitor)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h struct{ Lines []struct{ Type, Text string } }
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	if len(h.Lines) < 2 || h.Lines[1].Type != "bot" {
		t.Fatalf("history after recovery = %+v, want the question and the bot's answer", h.Lines)
	}
}

func status(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func post(t *testing.T, url string, body any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
