package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// The bench runs end to end on a few conversations against the Redis of
// the tests, and reports every figure issue 3 asks for.
func TestBenchReportsTheNumbers(t *testing.T) {
	url := os.Getenv("REDIS_TEST_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, []string{"bench", "--redis", url, "--sessions", "40", "--messages", "3", "--conversations", "4"})
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
	for _, want := range []string{"120 in", "messages/s", "p50", "p99", "round trips", "per idle session", "after the archive read", "redis-benchmark"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestBenchRejectsBadFlags(t *testing.T) {
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	if code := run(context.Background(), e, []string{"bench", "--sessions", "0"}); code != 2 {
		t.Fatalf("--sessions 0: exit %d, want 2 (usage)", code)
	}
}
