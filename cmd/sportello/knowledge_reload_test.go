package main

import (
	"context"
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
