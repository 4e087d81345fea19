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

// The queue bench measures each queue size it is given, on the Redis of
// the tests and the memory archive, and prints every figure of its table.
func TestBenchQueueReportsEachSize(t *testing.T) {
	url := os.Getenv("REDIS_TEST_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, []string{"bench", "queue", "--redis", url, "--waiting", "0,30",
		"--measured", "10", "--messages", "3", "--conversations", "4", "--settle", "200ms"})
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
	rows := map[string]bool{}
	for line := range strings.Lines(out.String()) {
		f := strings.Fields(line)
		// waiting, bot p50 / p99, queued p50 / p99, join p50 / p99, messages/s, events/s, calls/s
		if len(f) == 13 && f[2] == "/" && f[5] == "/" && f[8] == "/" {
			rows[f[0]] = true
		}
	}
	if !rows["0"] || !rows["30"] || len(rows) != 2 {
		t.Fatalf("want one row for 0 and one for 30 cases waiting:\n%s", out.String())
	}
	for _, want := range []string{"bot mode p50/p99", "queued p50/p99", "archive events/s", "archive memory"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestBenchQueueRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--waiting", "10,many"}, {"--waiting", "-1"}, {"--messages", "2"}, {"--measured", "1"}, {"extra"},
	} {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
		if code := run(context.Background(), e, append([]string{"bench", "queue"}, args...)); code != 2 {
			t.Errorf("bench queue %q: exit %d, want 2 (usage)\n%s", args, code, errb.String())
		}
	}
}
