package shopify

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
)

// FuzzReadAnswer feeds answers of every shape to what reads them: an
// answer is an order, or an error the flows know (unavailable, not
// found, throttled); never a panic, never a link that is not http(s).
func FuzzReadAnswer(f *testing.F) {
	for _, s := range []string{
		`{"data":{"orders":{"nodes":[{"id":"gid://shopify/Order/1","name":"#SP-1","createdAt":"2025-05-30T10:02:00Z","displayFulfillmentStatus":"FULFILLED","lineItems":{"pageInfo":{"hasNextPage":false},"nodes":[{"name":"x","quantity":2}]},"fulfillments":[{"status":"SUCCESS","displayStatus":"DELIVERED","createdAt":"2025-06-01T00:00:00Z","deliveredAt":"2025-06-02T00:00:00Z","trackingInfo":[{"company":"BRT","url":"javascript:alert(1)"}]}]}]}},"extensions":{"cost":{"requestedQueryCost":80,"actualQueryCost":12,"throttleStatus":{"maximumAvailable":2000,"currentlyAvailable":1988,"restoreRate":100}}}}`,
		`{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],"extensions":{"cost":{"requestedQueryCost":80,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":2000,"currentlyAvailable":3,"restoreRate":100}}}}`,
		`{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`,
		`{"errors":{"query":"Required parameter missing or invalid"}}`,
		`{"data":{"orders":{"nodes":[{"name":"SP-1","createdAt":"yesterday"}]}}}`,
		`{"data":{"orders":null}}`,
		`{"data":null}`,
		`<html>502</html>`,
		`[]`,
		``,
	} {
		f.Add([]byte(s))
	}
	c := &Client{endpoint: "https://x.myshopify.com/admin/api/2026-10/graphql.json", log: slog.New(slog.NewTextHandler(io.Discard, nil)), bucket: &bucket{}}
	h := http.Header{"Content-Type": {"application/json"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		ans, err := c.read(http.StatusOK, h, data)
		if err != nil {
			if !errors.Is(err, bot.ErrShopUnavailable) {
				t.Fatalf("an error the flows do not know: %v", err)
			}
			return
		}
		if ans.Extensions.Cost != nil {
			c.bucket.update(ordersQuery, *ans.Extensions.Cost, time.Now())
		}
		var oa ordersAnswer
		if err := decodeData(ans, &oa); err != nil {
			if !errors.Is(err, bot.ErrShopUnavailable) {
				t.Fatalf("an error the flows do not know: %v", err)
			}
			return
		}
		if oa.Orders == nil {
			return
		}
		for i := range oa.Orders.Nodes {
			n := &oa.Orders.Nodes[i]
			n.items = n.LineItems.Nodes
			o := n.order()
			if o.TrackingURL != "" && !bot.IsTrackingURL(o.TrackingURL) {
				t.Fatalf("a link that is not http(s): %q", o.TrackingURL)
			}
			if len(o.Items) > MaxItems {
				t.Fatalf("%d items", len(o.Items))
			}
			switch o.Status {
			case bot.OrderPending, bot.OrderProcessing, bot.OrderShipped, bot.OrderDelivered, bot.OrderCancelled,
				bot.OrderRefunded, bot.OrderReturned, bot.OrderLost, bot.OrderDamaged:
			default:
				t.Fatalf("status %q", o.Status)
			}
		}
	})
}
