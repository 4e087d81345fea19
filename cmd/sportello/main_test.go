package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The commands the tests run (serve, chat, test...) share one demo shop,
// shopBot's, as the conversations of one server do: loading it trains its
// classifier, seconds under -race, and no command changes the bot.
func init() { loadDemo = shopWithHours }

// runStdin runs sportello with args and stdin in-process and returns the exit code and
// what it printed.
func runStdin(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestHelpListsTheCommands(t *testing.T) {
	code, out, _ := runStdin(t, "", "help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, c := range []string{"serve", "chat", "validate", "test", "nlu", "config", "health"} {
		if !strings.Contains(out, "\n  "+c+" ") {
			t.Errorf("help does not list %q:\n%s", c, out)
		}
	}
	if code, _, errs := runStdin(t, "", "frobnicate"); code != 2 || !strings.Contains(errs, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, %q", code, errs)
	}
}

func TestValidateReportsEveryErrorWithItsPlace(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	src := "name: Bad shop\nlanguages: [it, en]\nflows:\n  sales:\n    steps:\n      - ask: nosuchslot\n      - goto: nowhere\n"
	if err := os.WriteFile(bad, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runStdin(t, "", "validate", bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, errs)
	}
	for _, want := range []string{bad + ":6:", "nosuchslot", bad + ":7:", "nowhere"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	// The server refuses to start on it too.
	if code, _, _ := runStdin(t, "", "serve", "--flows", bad, "--addr", "127.0.0.1:0"); code != 1 {
		t.Errorf("serve with an invalid flow file: exit %d, want 1", code)
	}
	if code, out, _ := runStdin(t, "", "validate", "../../examples/shop"); code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("the demo shop does not validate: exit %d %s", code, out)
	}
}

func TestChatFromAScript(t *testing.T) {
	code, out, errs := runStdin(t, "vorrei comprare due portatili per l'ufficio\n", "chat")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "you> vorrei comprare due portatili") || !strings.Contains(out, "\nbot> ") {
		t.Fatalf("transcript:\n%s", out)
	}
}

func TestDemoStoriesPass(t *testing.T) {
	code, out, errs := runStdin(t, "", "test")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, " passed, 0 failed") {
		t.Fatalf("output: %s", out)
	}
}

func TestBatteryFolderPrintsItsSummary(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "battery")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// One story passes whatever the bot says; the other names a team the
	// shop does not have.
	src := `strict: true
stories:
  - name: hours
    language: en
    tags: [plain]
    turns: [{say: "what are your opening hours?"}]
  - name: no such team
    language: it
    tags: [plain, routing]
    turns: [{say: ciao}]
    expect: {team: billing}
`
	if err := os.WriteFile(filepath.Join(dir, "s.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runStdin(t, "", "test", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errs)
	}
	for _, want := range []string{
		"FAIL no such team (" + filepath.Join(dir, "s.yaml") + ":7)",
		"stories: 1 passed, 1 failed",
		"pass rate: 1/2 (50.0%)",
		"language en             1/1 (100.0%)",
		"tag routing             0/1 (0.0%)",
		"first failure of each story, by kind:",
		"1 x team billing",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// --strict makes any story file a battery.
	plain := filepath.Join(t.TempDir(), "plain.yaml")
	if err := os.WriteFile(plain, []byte("stories:\n  - name: hi\n    turns: [{say: ciao}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := runStdin(t, "", "test", plain); strings.Contains(out, "pass rate:") {
		t.Errorf("a plain story file printed a battery's summary:\n%s", out)
	}
	if _, out, _ := runStdin(t, "", "test", "--strict", plain); !strings.Contains(out, "pass rate:") {
		t.Errorf("--strict printed no summary:\n%s", out)
	}
}

func TestServeAnswersInTheWebChatAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
		listening: func(a string) { addrc <- a }}
	done := make(chan int)
	go func() { done <- run(ctx, e, []string{"serve", "--addr", "127.0.0.1:0"}) }()
	var base string
	select {
	case a := <-addrc:
		base = "http://" + a
	case code := <-done:
		t.Fatalf("serve exited %d: %s", code, errb.String())
	}

	for _, p := range []string{"/healthz", "/readyz", "/metrics", "/", "/widget.js"} {
		resp, err := http.Get(base + p)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", p, resp, err)
		}
		resp.Body.Close()
	}
	var v struct{ Visitor string }
	postJSON(t, base+"/chat/visitors", nil, &v)
	postJSON(t, base+"/chat/messages", map[string]string{"visitor": v.Visitor, "id": "1",
		"text": "my phone won't turn on, is it still under warranty?", "lang": "en"}, nil)
	var h struct {
		Lines []struct{ Type, Text string }
	}
	getJSON(t, base+"/chat/history?visitor="+v.Visitor, &h)
	if len(h.Lines) < 2 || h.Lines[0].Type != "customer" || h.Lines[1].Type != "bot" {
		t.Fatalf("history = %+v, want the question and the bot's answer", h.Lines)
	}

	start := time.Now()
	cancel() // SIGTERM
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d after shutdown: %s", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10 s of SIGTERM")
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("shutdown took %v", d)
	}
	if !strings.Contains(out.String(), "Open http://127.0.0.1:") {
		t.Errorf("serve did not say where to chat: %q", out.String())
	}
}

func postJSON(t *testing.T, url string, body any, into any) {
	t.Helper()
	b, _ := json.Marshal(body)
	if body == nil {
		b = []byte("{}")
	}
	resp, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("POST %s: %s", url, resp.Status)
	}
	if into != nil {
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			t.Fatal(err)
		}
	}
}

func getJSON(t *testing.T, url string, into any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatal(err)
	}
}
