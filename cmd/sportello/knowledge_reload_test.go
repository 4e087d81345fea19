package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/flows"
)

func TestKnowledgeReloadIsConfiguredAndChecked(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.yaml")
	for _, tc := range []struct {
		src, env string
		want     time.Duration
		err      string
	}{
		{"", "", 30 * time.Second, ""},
		{"knowledge:\n  reload: 10s\n", "", 10 * time.Second, ""},
		{"knowledge:\n  reload: 0s\n", "", 0, ""},
		{"knowledge:\n  reload: 10s\n", "2m", 2 * time.Minute, ""},
		{"", "0", 0, ""},
		{"knowledge:\n  reload: 10ms\n", "", 0, "knowledge.reload: 10ms: want 0 (off), or from 1s to 24h"},
		{"knowledge:\n  reload: -5s\n", "", 0, "knowledge.reload: -5s"},
		{"knowledge:\n  reload: often\n", "", 0, "c.yaml:2"},
		{"", "often", 0, `SPORTELLO_KNOWLEDGE_RELOAD: "often": want a duration`},
	} {
		if err := os.WriteFile(file, []byte(tc.src), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := loadConfig(file, func(k string) string {
			if k == "SPORTELLO_KNOWLEDGE_RELOAD" {
				return tc.env
			}
			return ""
		})
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("file %q, env %q: err %v, want %q", tc.src, tc.env, err, tc.err)
			}
		case err != nil:
			t.Errorf("file %q, env %q: %v", tc.src, tc.env, err)
		case c.knowledgeReload() != tc.want:
			t.Errorf("file %q, env %q: reload %v, want %v", tc.src, tc.env, c.knowledgeReload(), tc.want)
		}
	}
}

func TestServeIndexesAPageAddedToTheKnowledgeFolder(t *testing.T) {
	dir := t.TempDir()
	flowFile, err := os.ReadFile("../../flows/testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "help"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"flows.yaml":       string(flowFile) + "\nknowledge: {dir: help}\n",
		"help/shipping.md": "---\ntitle: Shipping\nlang: en\n---\nWe ship in two working days.\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := flows.LoadPath(filepath.Join(dir, "flows.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- reloadKnowledge(ctx, b, 10*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	page := "---\ntitle: Gift vouchers\nlang: en\n---\nGift vouchers are sold online, from 10 euros.\n"
	if err := os.WriteFile(filepath.Join(dir, "help", "vouchers.md"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if hits := b.Knowledge().Search("gift vouchers", "en", 1); len(hits) > 0 && hits[0].Passage.Doc.Title == "Gift vouchers" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the page added was not indexed within 5 s")
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the reloader stopped with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the reloader did not stop with its context")
	}
}

// TestShutdownIsNotHeldByAKnowledgeReload: a change in a large knowledge
// folder makes a reload of seconds (reading, then indexing, every page);
// the reloader ignored its context until the reload was over, so SIGTERM
// waited for it. It returns at once now, and the index stays as it was.
func TestShutdownIsNotHeldByAKnowledgeReload(t *testing.T) {
	dir := t.TempDir()
	flowFile, err := os.ReadFile("../../flows/testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "help"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "flows.yaml"), []byte(string(flowFile)+"\nknowledge: {dir: help}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := range 1500 {
		var page strings.Builder
		fmt.Fprintf(&page, "---\ntitle: Page %d\nlang: en\n---\n", i)
		for j := range 60 {
			fmt.Fprintf(&page, "Paragraph %d of page %d: item%d and part%d, shipping, returns and warranty.\n\n", j, i, i*7+j, j*13+i)
		}
		if err := os.WriteFile(filepath.Join(dir, "help", fmt.Sprintf("p%04d.md", i)), []byte(page.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	b, err := flows.LoadPath(filepath.Join(dir, "flows.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const bound = 250 * time.Millisecond
	if took := time.Since(start); took < 3*bound {
		t.Skipf("the folder loads in %v: too fast to tell a held shutdown from a prompt one", took)
	}
	passages := b.Knowledge().Len()
	if err := os.WriteFile(filepath.Join(dir, "help", "new.md"), []byte("---\ntitle: New\nlang: en\n---\nGift vouchers.\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- reloadKnowledge(ctx, b, time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	time.Sleep(100 * time.Millisecond) // the reload is under way
	cancel()
	stopped := time.Now()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the reloader stopped with %v", err)
		}
		if took := time.Since(stopped); took > bound {
			t.Errorf("the reloader took %v to stop, want under %v (the folder took %v to load)", took, bound, stopped.Sub(start))
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the reloader did not stop with its context")
	}
	if n := b.Knowledge().Len(); n != passages {
		t.Errorf("after a stopped reload the index holds %d passages, want the %d it held", n, passages)
	}
}
