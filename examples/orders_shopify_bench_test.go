package examples_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/shopify"
	"github.com/sportello/sportello/adapters/shopify/shopifyfake"
	"github.com/sportello/sportello/bot"
)

// BenchmarkHandleOrderLookupShopify is BenchmarkHandleOrderLookup through
// the Shopify connector: GraphQL over real HTTP (loopback) to the fake
// Shopify, which takes 200 ms to answer. beyond-backend is what Handle
// took beyond those 200 ms: the bot's own work and the HTTP round trip.
func BenchmarkHandleOrderLookupShopify(b *testing.B) {
	const delay = 200 * time.Millisecond
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
	benchOrderLookup(b, fixedBackend{shop, delay})
}

// fixedBackend counts the fake Shopify's delay as the backend's time, so
// the HTTP round trip and the connector count as the bot's.
type fixedBackend struct {
	bot.Orders
	took time.Duration
}

func (f fixedBackend) Order(ctx context.Context, number string) (*bot.Order, error) {
	if p, ok := ctx.Value(backendTime{}).(*time.Duration); ok {
		*p = f.took
	}
	return f.Orders.Order(ctx, number)
}
