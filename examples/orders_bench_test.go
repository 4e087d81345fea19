package examples_test

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/orderfile"
	"github.com/sportello/sportello/adapters/shophttp"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
)

// slowShop is the demo's sample orders behind a system that takes delay
// to answer, as a shop's API across the internet does.
type slowShop struct {
	orders bot.Orders
	delay  time.Duration
}

// backendTime is the context key under which a benchmark's message
// carries where slowShop writes how long it took.
type backendTime struct{}

func (s slowShop) Order(ctx context.Context, number string) (*bot.Order, error) {
	start := time.Now()
	if took, ok := ctx.Value(backendTime{}).(*time.Duration); ok {
		defer func() { *took = time.Since(start) }()
	}
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return s.orders.Order(ctx, number)
}

// BenchmarkHandleOrderLookup is Engine.Handle of a customer's question
// about an order with its proof ("dov'è il mio ordine SP-123456? il CAP
// è 20121"), answered from a shop system that takes 200 ms: the lookup
// must add no more than the system's own time. Each message is a new
// conversation; parallel=N runs N customers at once, whose lookups must
// not wait for each other. It reports p50 and p99 of Handle in ms, and
// the p99 of what Handle took beyond the system's own time (the system's
// time includes the scheduler's delays of a busy machine).
func BenchmarkHandleOrderLookup(b *testing.B) {
	file, err := orderfile.Load(examples.Shop, examples.ShopOrders, orderfile.Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchOrderLookup(b, slowShop{orders: file, delay: 200 * time.Millisecond})
}

// BenchmarkHandleOrderLookupHTTP is BenchmarkHandleOrderLookup through
// the HTTP contract's adapter (adapters/shophttp), over real HTTP on the
// loopback to a shop's endpoint that checks the signature and the
// timestamp and takes 200 ms to answer. Its backend time is the
// endpoint's own, sent back in a header: what the adapter adds (signing,
// the connection, decoding the answer) counts as beyond the backend.
func BenchmarkHandleOrderLookupHTTP(b *testing.B) {
	const secret = "bench-shop-secret-0123456789abcdef0123"
	// The endpoint answers from the example server's orders: the contract's
	// answers, by number.
	data, err := os.ReadFile("shopserver/orders.json")
	if err != nil {
		b.Fatal(err)
	}
	var file struct{ Orders []json.RawMessage }
	if err := json.Unmarshal(data, &file); err != nil {
		b.Fatal(err)
	}
	orders := map[string][]byte{}
	for _, raw := range file.Orders {
		var o struct{ Number string }
		if err := json.Unmarshal(raw, &o); err != nil {
			b.Fatal(err)
		}
		orders[o.Number] = raw
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 16<<10))
		ts := r.Header.Get(shophttp.HeaderTimestamp)
		secs, _ := strconv.ParseInt(ts, 10, 64)
		if err != nil || time.Since(time.Unix(secs, 0)).Abs() > 5*time.Minute ||
			!hmac.Equal([]byte(r.Header.Get(shophttp.HeaderSignature)), []byte(shophttp.Sign([]byte(secret), ts, body))) {
			http.Error(w, "not signed", http.StatusUnauthorized)
			return
		}
		var req shophttp.Request
		_ = json.Unmarshal(body, &req)
		o, ok := orders[strings.ToUpper(req.OrderNumber)]
		time.Sleep(200 * time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Backend-Micros", strconv.FormatInt(time.Since(start).Microseconds(), 10))
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.Write(o)
	}))
	defer srv.Close()
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16 // as the adapter's own client
	shop, err := shophttp.New(shophttp.Config{URL: srv.URL, Secret: secret, Client: &http.Client{Transport: backendTimer{t}}})
	if err != nil {
		b.Fatal(err)
	}
	benchOrderLookup(b, shop)
}

// backendTimer writes the endpoint's own time, from its answer's header,
// where the benchmark's message carries it.
type backendTimer struct{ next http.RoundTripper }

func (t backendTimer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if took, ok := r.Context().Value(backendTime{}).(*time.Duration); ok && err == nil {
		us, _ := strconv.ParseInt(resp.Header.Get("X-Backend-Micros"), 10, 64)
		*took = time.Duration(us) * time.Microsecond
	}
	return resp, err
}

// benchOrderLookup measures Handle of the order question with orders as
// the shop's system, for BenchmarkHandleOrderLookup and its variants.
func benchOrderLookup(b *testing.B, orders bot.Orders) {
	bt, err := flows.Load(examples.Shop, "shop")
	if err != nil {
		b.Fatal(err)
	}
	for _, parallel := range []int{1, 8} {
		b.Run("parallel="+itoa(parallel), func(b *testing.B) {
			rt := flows.NewRuntime(bt)
			rt.SetOrders(orders, flows.OrderOptions{Logger: slog.New(slog.DiscardHandler)})
			e, err := bot.NewEngine(bot.Config{Store: memory.NewStore(), Responder: rt,
				Texts: bt.EngineTexts(), Language: bt.DefaultLanguage, FloodLimit: 1 << 30})
			if err != nil {
				b.Fatal(err)
			}
			var mu sync.Mutex
			var wrong, answered int
			e.SetChannel("bench", bot.ChannelFunc(func(_ context.Context, r bot.Reply) error {
				mu.Lock()
				defer mu.Unlock()
				if strings.Contains(r.Text, "https://tracking.example.com/brt/SP-123456") {
					answered++
				} else {
					wrong++
				}
				return nil
			}))
			ctx := context.Background()
			var durs, extra []time.Duration
			next := 0
			b.ResetTimer()
			for b.Loop() {
				var wg sync.WaitGroup
				batch := make([]time.Duration, parallel)
				backend := make([]time.Duration, parallel)
				for k := range parallel {
					a := bot.Address{Channel: "bench", ChatID: "c" + itoa(next+k)}
					m := bot.Message{ID: "m", Address: a, Text: "dov'è il mio ordine SP-123456? il CAP è 20121",
						Time: time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)}
					wg.Go(func() {
						start := time.Now()
						if err := e.Handle(context.WithValue(ctx, backendTime{}, &backend[k]), m); err != nil {
							b.Error(err)
						}
						batch[k] = time.Since(start)
					})
				}
				wg.Wait()
				next += parallel
				durs = append(durs, batch...)
				for k := range batch {
					extra = append(extra, batch[k]-backend[k])
				}
			}
			b.StopTimer()
			if err := e.Flush(ctx); err != nil {
				b.Fatal(err)
			}
			if mu.Lock(); wrong > 0 || answered != len(durs) {
				b.Fatalf("%d answers with the order's tracking link, %d other replies, for %d questions", answered, wrong, len(durs))
			}
			mu.Unlock()
			slices.Sort(durs)
			slices.Sort(extra)
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			b.ReportMetric(ms(durs[len(durs)/2]), "p50-ms")
			b.ReportMetric(ms(durs[(len(durs)*99)/100]), "p99-ms")
			b.ReportMetric(ms(durs[len(durs)-1]), "max-ms")
			b.ReportMetric(ms(extra[(len(extra)*99)/100]), "beyond-backend-p99-ms")
		})
	}
}
