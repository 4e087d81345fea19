package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
)

// Flooding the web chat from one address: made-up visitor IDs (which
// used to be taken as new conversations, 1.4 GB in 20 s) and as many
// issued visitors as the server gives. The shop's proxy is trusted, so
// X-Forwarded-For tells the flooder from the other customers.
const flooderAddr = "203.0.113.7"

// countingStore is the memory store that counts the conversations it
// commits, by client: the sessions a flood makes.
type countingStore struct {
	*memory.Store
	mu    sync.Mutex
	convs map[bot.Address]bool
}

func (s *countingStore) Commit(ctx context.Context, cm *bot.Commit) error {
	err := s.Store.Commit(ctx, cm)
	if err == nil {
		s.mu.Lock()
		s.convs[cm.Session.Address] = true
		s.mu.Unlock()
	}
	return err
}

func (s *countingStore) conversations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.convs)
}

// floodServer serves the demo shop on a counting memory store behind a
// trusted proxy (loopback).
func floodServer(tb testing.TB) (string, *countingStore) {
	tb.Helper()
	st := &countingStore{Store: memory.NewStore(), convs: map[bot.Address]bool{}}
	cfg := e2eConfig()
	cfg.TrustedProxies = []string{"loopback"}
	b, err := flows.Load(examples.Shop, "shop")
	if err != nil {
		tb.Fatal(err)
	}
	for _, team := range b.Teams {
		team.Hours = ""
	}
	srv, err := newServer(context.Background(), cfg, func(string) string { return "" }, b,
		slog.New(slog.DiscardHandler), deps{store: st})
	if err != nil {
		tb.Fatal(err)
	}
	return start(tb, srv), st
}

// floodClient is an HTTP client with enough idle connections for the
// flood's workers, so that it does not run out of ports.
var floodClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 30 * time.Second}

// call posts body to path as the client at ip; it returns the status and
// the decoded answer.
func call(base, path, ip, body string) (int, map[string]any, error) {
	req, err := http.NewRequest("POST", base+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", ip)
	res, err := floodClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	var m map[string]any
	b, _ := io.ReadAll(res.Body)
	json.Unmarshal(b, &m)
	return res.StatusCode, m, nil
}

func chatMessage(visitor, id, text string) string {
	b, _ := json.Marshal(map[string]string{"visitor": visitor, "id": id, "text": text, "lang": "it"})
	return string(b)
}

// madeUpID returns a visitor ID the server never issued: the old form,
// or the token form with a random signature.
func madeUpID(i int) string {
	b := make([]byte, 32)
	rand.Read(b)
	if i%2 == 0 {
		return hex.EncodeToString(b[:16])
	}
	return "v1." + base64.RawURLEncoding.EncodeToString(b)
}

// flood runs workers that flood base from flooderAddr until ctx ends,
// and returns the number of requests they made.
func flood(ctx context.Context, base string, workers int) *atomic.Int64 {
	var n atomic.Int64
	for w := range workers {
		go func() {
			for i := 0; ctx.Err() == nil; i++ {
				if i%2 == 0 {
					call(base, "/chat/messages", flooderAddr, chatMessage(madeUpID(i), "f", "spam"))
					n.Add(1)
					continue
				}
				// An issued visitor, while the server still gives them.
				status, m, _ := call(base, "/chat/visitors", flooderAddr, "{}")
				n.Add(1)
				if v, _ := m["visitor"].(string); status == http.StatusCreated {
					call(base, "/chat/messages", flooderAddr, chatMessage(v, fmt.Sprintf("f%d-%d", w, i), "spam"))
					n.Add(1)
				}
			}
		}()
	}
	return &n
}

// customers are the other visitors: each asks for a visitor from its own
// address, then writes; reply returns the time of each answer (the POST
// returns when the message and the bot's reply are committed).
type customers struct {
	base string
	ids  []string
	ips  []string
	next int
}

func newCustomers(tb testing.TB, base string, n int) *customers {
	tb.Helper()
	c := &customers{base: base}
	for i := range n {
		ip := fmt.Sprintf("198.51.%d.%d", 100+i/250, 1+i%250)
		status, m, err := call(base, "/chat/visitors", ip, "{}")
		if err != nil || status != http.StatusCreated {
			tb.Fatalf("customer %d: %d %v %v", i, status, m, err)
		}
		c.ids = append(c.ids, m["visitor"].(string))
		c.ips = append(c.ips, ip)
	}
	return c
}

// reply sends the next customer's message and returns how long the
// answer took.
func (c *customers) reply(tb testing.TB) time.Duration {
	tb.Helper()
	i := c.next % len(c.ids)
	c.next++
	start := time.Now()
	status, m, err := call(c.base, "/chat/messages", c.ips[i], chatMessage(c.ids[i], fmt.Sprint("m", c.next), "la garanzia copre lo schermo rotto?"))
	d := time.Since(start)
	if err != nil || status != http.StatusOK {
		tb.Fatalf("a customer's message during the flood: %d %v %v", status, m, err)
	}
	return d
}

// TestWebChatFloodFromOneAddressIsBounded: a flood of made-up and of
// issued visitors from one address makes at most VisitorLimit (120)
// conversations, and the other customers are answered throughout.
func TestWebChatFloodFromOneAddressIsBounded(t *testing.T) {
	base, st := floodServer(t)
	cs := newCustomers(t, base, 5)
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	requests := flood(ctx, base, 4)
	answered := 0
	for ctx.Err() == nil {
		cs.reply(t)
		answered++
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // the workers' last requests
	flooded := st.conversations() - len(cs.ids)
	t.Logf("%d flood requests, %d conversations from the flooder, %d customer messages answered", requests.Load(), flooded, answered)
	if requests.Load() < 200 {
		t.Fatalf("only %d flood requests: the test proves nothing", requests.Load())
	}
	// 120 at once, then one more every 5 s (120 in 10 minutes).
	if limit := 120 + int(time.Since(began)/(5*time.Second)); flooded > limit {
		t.Errorf("the flood made %d conversations, want at most %d (VisitorLimit)", flooded, limit)
	}
	if answered == 0 {
		t.Error("no customer was answered during the flood")
	}
}

// busy runs workers that ask GET /healthz of base until ctx ends: the
// same load on the machine as a flood (the workers run in this process
// and share its two cores), with nothing for the chat to do.
func busy(ctx context.Context, base string, workers int) *atomic.Int64 {
	var n atomic.Int64
	for range workers {
		go func() {
			for ctx.Err() == nil {
				if res, err := floodClient.Get(base + "/healthz"); err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				n.Add(1)
			}
		}()
	}
	return &n
}

// BenchmarkWebChatFloodFromOneAddress measures, for the demo shop on the
// memory store, the reply time of 100 other customers (a message every
// 10 ms, in turn) and the heap: alone, while 4 workers ask GET /healthz
// as fast as they can (the machine's load alone), and while 4 workers
// flood the chat from one address with made-up and issued visitors. One
// iteration is the whole scenario: run it with -benchtime 1x.
func BenchmarkWebChatFloodFromOneAddress(b *testing.B) {
	const phase = 15 * time.Second
	for range b.N {
		base, st := floodServer(b)
		cs := newCustomers(b, base, 100)
		measure := func(d time.Duration) []time.Duration {
			var out []time.Duration
			for end := time.Now().Add(d); time.Now().Before(end); {
				out = append(out, cs.reply(b))
				time.Sleep(10 * time.Millisecond)
			}
			return out
		}
		pct := func(ds []time.Duration, p float64) float64 {
			s := slices.Clone(ds)
			slices.Sort(s)
			return float64(s[int(float64(len(s)-1)*p)].Microseconds()) / 1000
		}
		heap := func() float64 {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			return float64(m.HeapInuse) / (1 << 20)
		}
		under := func(load func(context.Context, string, int) *atomic.Int64) ([]time.Duration, float64, float64) {
			ctx, cancel := context.WithTimeout(context.Background(), phase)
			defer cancel()
			requests := load(ctx, base, 4)
			var peak atomic.Value
			peak.Store(heap())
			go func() { // sample the heap while the load runs
				for t := time.NewTicker(100 * time.Millisecond); ctx.Err() == nil; <-t.C {
					if h := heap(); h > peak.Load().(float64) {
						peak.Store(h)
					}
				}
			}()
			return measure(phase), float64(requests.Load()) / phase.Seconds(), peak.Load().(float64)
		}

		quiet := measure(5 * time.Second)
		runtime.GC()
		heapBefore := heap()
		loaded, busyRate, _ := under(busy)
		flooded, floodRate, heapPeak := under(flood)
		floodConvs := st.conversations() - len(cs.ids)

		b.ReportMetric(pct(quiet, .5), "quiet-p50-ms")
		b.ReportMetric(pct(quiet, .99), "quiet-p99-ms")
		b.ReportMetric(pct(loaded, .5), "busy-p50-ms")
		b.ReportMetric(pct(loaded, .99), "busy-p99-ms")
		b.ReportMetric(busyRate, "busy-req/s")
		b.ReportMetric(pct(flooded, .5), "flood-p50-ms")
		b.ReportMetric(pct(flooded, .99), "flood-p99-ms")
		b.ReportMetric(floodRate, "flood-req/s")
		b.ReportMetric(float64(floodConvs), "flood-conversations")
		b.ReportMetric(heapBefore, "heap-before-MB")
		b.ReportMetric(heapPeak, "heap-peak-MB")
		b.ReportMetric(0, "ns/op")
	}
}
