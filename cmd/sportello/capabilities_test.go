package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
)

// lackingStore is the memory store offering only some capabilities.
type lackingStore struct {
	*memory.Store
	caps bot.Capabilities
}

func (s lackingStore) Capabilities() bot.Capabilities { return s.caps }

// serveWith builds the demo shop's server on st, its log in logs.
func serveWith(t *testing.T, st bot.Store, logs *bytes.Buffer) (*server, error) {
	t.Helper()
	b, err := flows.Load(examples.Shop, "shop")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	log := slog.New(slog.NewJSONHandler(lockedWriter{&mu, logs}, nil))
	return newServer(context.Background(), e2eConfig(), func(string) string { return "" }, b, log, deps{store: st})
}

func TestStartWithoutTheStoresDirectoryFails(t *testing.T) {
	mem := memory.NewStore()
	st := lackingStore{mem, mem.Capabilities()}
	st.caps.Directory = nil
	var logs bytes.Buffer
	srv, err := serveWith(t, st, &logs)
	if err == nil {
		srv.close()
		t.Fatal("the server started on a store without a directory")
	}
	if !strings.Contains(err.Error(), "no directory") || !strings.Contains(err.Error(), "review pages") {
		t.Errorf("start-up error %q, want it to name the directory and what needs it", err)
	}
}

// TestEveryMissingCapabilityIsLoggedWithWhatGoesWithout: a store with a
// directory only still serves, and the log names each capability it
// lacks, with what does not work without it.
func TestEveryMissingCapabilityIsLoggedWithWhatGoesWithout(t *testing.T) {
	mem := memory.NewStore()
	var logs bytes.Buffer
	srv, err := serveWith(t, lackingStore{mem, bot.Capabilities{Directory: mem}}, &logs)
	if err != nil {
		t.Fatal(err)
	}
	base := start(t, srv)
	logged := map[string]string{} // capability: what goes without it
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec struct{ Msg, Level, Capability, So string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec.Msg == "the store lacks a capability" && rec.Level == "WARN" {
			logged[rec.Capability] = rec.So
		}
	}
	for _, c := range capabilityChoices {
		if !c.required && logged[c.name] != c.without {
			t.Errorf("the missing %s logged with %q, want %q", c.name, logged[c.name], c.without)
		}
	}
	res, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != "ready" {
		t.Errorf("/readyz = %d %q, want 200 ready", res.StatusCode, body)
	}
}

func TestMemoryStoreLacksNoCapability(t *testing.T) {
	var logs bytes.Buffer
	srv, err := serveWith(t, nil, &logs)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.close()
	if srv.storeName != "memory" {
		t.Fatalf("store %q, want the memory store", srv.storeName)
	}
	if strings.Contains(logs.String(), "lacks a capability") {
		t.Errorf("the memory store logs a missing capability:\n%s", logs.String())
	}
}
