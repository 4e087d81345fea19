package examples_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/shopify"
	"github.com/sportello/sportello/adapters/shopify/shopifyfake"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
)

// BenchmarkHandleOrderLookupShopify is BenchmarkHandleOrderLookup through
// the Shopify connector: GraphQL over real HTTP (loopback) to the fake
// Shopify, which takes 200 ms to answer. beyond-backend is what Handle
// took beyond those 200 ms: the bot's own work and the HTTP round trip.
func BenchmarkHandleOrderLookupShopify(b *testing.B) {
	bt, err := flows.Load(examples.Shop, "shop")
	if err != nil {
		b.Fatal(err)
	}
	const delay = 200 * time.Millisecond
	for _, parallel := range []int{1, 8} {
		b.Run("parallel="+itoa(parallel), func(b *testing.B) {
			fake := shopifyfake.New(b, shopifyfake.Order{
				Name: "#SP-123456", CreatedAt: "2025-05-30T10:00:00Z", ProcessedAt: "2025-05-30T10:00:00Z",
				DisplayFinancialStatus: "PAID", DisplayFulfillmentStatus: "FULFILLED", Email: "giulia.bianchi@example.it",
				ShippingAddress: &shopifyfake.Address{Name: "Giulia Bianchi", Zip: "20121"}, Amount: "379.0", Currency: "EUR",
				LineItems: []shopifyfake.LineItem{{Name: "Samsung Galaxy A55 5G 128GB", SKU: "SM-A556B", Quantity: 1}},
				Fulfillments: []shopifyfake.Fulfillment{{DisplayStatus: "IN_TRANSIT", CreatedAt: "2025-06-02T09:00:00Z",
					EstimatedDeliveryAt: "2025-06-05T12:00:00Z",
					Tracking:            []shopifyfake.Tracking{{Company: "BRT", URL: "https://tracking.example.com/brt/SP-123456"}}}},
			})
			fake.SetDelay(delay)
			fake.SetBucket(1e9, 1e9, 1e9) // the benchmark measures the bot, not Shopify's plan
			shop, err := shopify.New(shopify.Config{URL: fake.URL, Token: shopifyfake.Token, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				b.Fatal(err)
			}
			rt := flows.NewRuntime(bt)
			rt.SetOrders(shop, flows.OrderOptions{Logger: slog.New(slog.DiscardHandler)})
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
			var durs []time.Duration
			next := 0
			b.ResetTimer()
			for b.Loop() {
				var wg sync.WaitGroup
				batch := make([]time.Duration, parallel)
				for k := range parallel {
					a := bot.Address{Channel: "bench", ChatID: "c" + itoa(next+k)}
					m := bot.Message{ID: "m", Address: a, Text: "dov'è il mio ordine SP-123456? il CAP è 20121",
						Time: time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)}
					wg.Go(func() {
						start := time.Now()
						if err := e.Handle(ctx, m); err != nil {
							b.Error(err)
						}
						batch[k] = time.Since(start)
					})
				}
				wg.Wait()
				next += parallel
				durs = append(durs, batch...)
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
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			p99 := durs[(len(durs)*99)/100]
			b.ReportMetric(ms(durs[len(durs)/2]), "p50-ms")
			b.ReportMetric(ms(p99), "p99-ms")
			b.ReportMetric(ms(durs[len(durs)-1]), "max-ms")
			b.ReportMetric(ms(p99-delay), "beyond-backend-p99-ms")
		})
	}
}
