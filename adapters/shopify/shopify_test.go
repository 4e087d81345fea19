package shopify_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/shopify"
	"github.com/sportello/sportello/adapters/shopify/shopifyfake"
	"github.com/sportello/sportello/bot"
)

// shipped is an order on its way: the README's demo order, on Shopify.
func shipped() shopifyfake.Order {
	return shopifyfake.Order{
		Name: "#SP-123456", CreatedAt: "2025-05-30T10:02:00Z", ProcessedAt: "2025-05-30T10:01:00Z",
		DisplayFinancialStatus: "PAID", DisplayFulfillmentStatus: "FULFILLED",
		Email: "giulia.bianchi@example.it", Phone: "+39 02 1234567",
		ShippingAddress: &shopifyfake.Address{Name: "Giulia Bianchi", Zip: "20121"},
		BillingAddress:  &shopifyfake.Address{Name: "G. Bianchi", Zip: "20100"},
		Amount:          "379.0", Currency: "EUR",
		LineItems: []shopifyfake.LineItem{{Name: "Samsung Galaxy A55 5G 128GB", SKU: "SM-A556B", Quantity: 1}},
		Fulfillments: []shopifyfake.Fulfillment{{
			DisplayStatus: "IN_TRANSIT", CreatedAt: "2025-06-02T08:00:00Z", InTransitAt: "2025-06-02T15:30:00Z",
			EstimatedDeliveryAt: "2025-06-05T18:00:00Z",
			Tracking:            []shopifyfake.Tracking{{Company: "BRT", Number: "0123456789", URL: "https://tracking.example.com/brt/SP-123456"}},
		}},
	}
}

// syncBuffer is a log's output, read while lookups write it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// client returns a Client of fake, and its log.
func client(t *testing.T, fake *shopifyfake.Server, edit ...func(*shopify.Config)) (*shopify.Client, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	cfg := shopify.Config{URL: fake.URL, Token: shopifyfake.Token, Logger: slog.New(slog.NewTextHandler(logs, nil))}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := shopify.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if strings.Contains(logs.String(), shopifyfake.Token) {
			t.Errorf("the token is in the log:\n%s", logs)
		}
	})
	return c, logs
}

func lookup(t *testing.T, c *shopify.Client, number string, timeout time.Duration) (*bot.Order, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return c.Order(ctx, number)
}

func day(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAnOrderIsFoundWithItsShipmentAndTracking(t *testing.T) {
	fake := shopifyfake.New(t, shipped())
	c, _ := client(t, fake)
	o, err := lookup(t, c, "SP-123456", 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := bot.Order{
		Number: "#SP-123456", Status: bot.OrderShipped,
		Items:  []bot.OrderItem{{Name: "Samsung Galaxy A55 5G 128GB", SKU: "SM-A556B", Quantity: 1}},
		Placed: day("2025-05-30T10:01:00Z"), Shipped: day("2025-06-02T15:30:00Z"), Expected: day("2025-06-05T18:00:00Z"),
		Carrier: "BRT", TrackingURL: "https://tracking.example.com/brt/SP-123456", Total: "379.00 EUR",
		Customer: bot.OrderCustomer{Name: "Giulia Bianchi", Email: "giulia.bianchi@example.it", Postcode: "20121", Phone: "+39 02 1234567"},
	}
	if fmt.Sprint(*o) != fmt.Sprint(want) {
		t.Errorf("order =\n%+v\nwant\n%+v", *o, want)
	}
	if !o.Proves(bot.Proof{Postcode: "20121"}) || o.Proves(bot.Proof{Postcode: "20100"}) {
		t.Errorf("the shipping postcode should prove the order, and only it")
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Operation != "OrderByName" || reqs[0].Variables["query"] != `name:"SP-123456"` || reqs[0].Path != "/admin/api/2026-10/graphql.json" {
		t.Errorf("requests = %+v, want one orders query by name on the default version", reqs)
	}
}

func TestOrderNamesAreReadWithoutTheHash(t *testing.T) {
	plain := shipped()
	plain.Name = "#1001"
	fake := shopifyfake.New(t, shipped(), plain)
	c, _ := client(t, fake)
	for _, number := range []string{"SP-123456", "#SP-123456", "sp-123456", "1001", "#1001"} {
		if _, err := lookup(t, c, number, 3*time.Second); err != nil {
			t.Errorf("%s: %v", number, err)
		}
	}
}

// Shopify's search matches words and their beginnings: a search for
// one name finds others too, and not always the asked one first. The
// customer gets their own order, and never another one.
func TestTheOrderFoundIsTheOneNamedNeverAnother(t *testing.T) {
	named := func(name, email string) shopifyfake.Order {
		o := shipped()
		o.Name, o.Email = name, email
		return o
	}
	// Older orders first: Shopify's search answers by ID.
	fake := shopifyfake.New(t,
		named("#SP-1234567", "someone.else@example.it"),
		named("#SP-123456-R", "a.reorder@example.it"),
		named("#1001-R", "another@example.it"),
		named("#SP-123456", "giulia.bianchi@example.it"),
		named("#1001", "mario.rossi@example.it"),
	)
	c, _ := client(t, fake)
	for _, tc := range []struct{ number, name, email string }{
		{"SP-123456", "#SP-123456", "giulia.bianchi@example.it"},
		{"#1001", "#1001", "mario.rossi@example.it"},
		{"SP-1234567", "#SP-1234567", "someone.else@example.it"},
	} {
		o, err := lookup(t, c, tc.number, 3*time.Second)
		if err != nil {
			t.Errorf("%s: %v, want %s", tc.number, err, tc.name)
			continue
		}
		if o.Number != tc.name || o.Customer.Email != tc.email {
			t.Errorf("%s: found %s of %s, want %s of %s", tc.number, o.Number, o.Customer.Email, tc.name, tc.email)
		}
	}
	for _, number := range []string{"SP-12345", "1001-"} {
		if o, err := lookup(t, c, number, 3*time.Second); !errors.Is(err, bot.ErrOrderNotFound) {
			t.Errorf("%s: %v, %v, want not found (no order has that name)", number, o, err)
		}
	}
}

// prefixed returns the shop's orders: n whose names begin with the
// words of name ("#1001" begins #10010, #10011, ... #1001999), older
// than the one named name, last (with email), unless email is "".
func prefixed(name string, n int, email string) []shopifyfake.Order {
	var orders []shopifyfake.Order
	for i := range n {
		o := shipped()
		o.Name, o.Email = name+strconv.Itoa(i), fmt.Sprintf("customer%d@example.it", i)
		orders = append(orders, o)
	}
	if email != "" {
		o := shipped()
		o.Name, o.Email = name, email
		orders = append(orders, o)
	}
	return orders
}

// In a shop where the search for a name finds more orders than a page of
// names, all older than the one asked ("#1001" finds #10010 to #10099
// first), the names are read page after page and the one asked found;
// a name found on no page is not found; and the pages are bounded: past
// MaxNamePages the lookup is unavailable (a person checks) rather than
// the order missed.
func TestANameAmongManyOthersIsFoundPageAfterPage(t *testing.T) {
	names := func(fake *shopifyfake.Server) int {
		n := 0
		for _, r := range fake.Requests() {
			if r.Operation == "OrderByName" || r.Operation == "OrderNames" {
				n++
			}
		}
		return n
	}
	for _, tc := range []struct {
		name, asked string
		before      int
		pages       int
	}{
		{"#1001", "1001", 90, 2},        // 25 names, then the 65 others and #1001 on the second page
		{"#SP-4820", "SP-4820", 130, 3}, // 25, 100, then the third page
		{"#77", "#77", 24, 1},           // the 25th name: the first page
	} {
		fake := shopifyfake.New(t, prefixed(tc.name, tc.before, "owner@example.it")...)
		c, _ := client(t, fake)
		o, err := lookup(t, c, tc.asked, 5*time.Second)
		if err != nil {
			t.Errorf("%s behind %d others: %v", tc.asked, tc.before, err)
			continue
		}
		if o.Number != tc.name || o.Customer.Email != "owner@example.it" {
			t.Errorf("%s: found %s of %s, want %s of the owner", tc.asked, o.Number, o.Customer.Email, tc.name)
		}
		if n := names(fake); n != tc.pages {
			t.Errorf("%s behind %d others: %d pages of names read, want %d", tc.asked, tc.before, n, tc.pages)
		}
	}

	// Near misses: names that begin with the one asked, every page of
	// them read, and none is it.
	fake := shopifyfake.New(t, prefixed("#2002", 140, "")...)
	c, _ := client(t, fake)
	if o, err := lookup(t, c, "2002", 5*time.Second); !errors.Is(err, bot.ErrOrderNotFound) {
		t.Errorf("2002 among 140 longer names: %v, %v; want not found", o, err)
	}
	if n := names(fake); n != 3 {
		t.Errorf("%d pages of names read, want 3 (25, 100, the last 15)", n)
	}

	// The pages share the lookup's deadline: a slow shop, three pages
	// to read, and the lookup gives up by its deadline.
	fake = shopifyfake.New(t, prefixed("#4004", 130, "owner@example.it")...)
	fake.SetDelay(300 * time.Millisecond)
	c, _ = client(t, fake)
	start := time.Now()
	if o, err := lookup(t, c, "4004", 700*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("4004 on a slow shop: %v, %v; want the deadline passed", o, err)
	}
	if took := time.Since(start); took > 1500*time.Millisecond {
		t.Errorf("the lookup took %v, past its deadline of 700ms", took)
	}

	// Past the bound: unavailable, after MaxNamePages requests of names.
	fake = shopifyfake.New(t, prefixed("#3003", 400, "owner@example.it")...)
	c, _ = client(t, fake)
	if o, err := lookup(t, c, "3003", 5*time.Second); !errors.Is(err, bot.ErrShopUnavailable) {
		t.Errorf("3003 behind 400 others: %v, %v; want unavailable", o, err)
	}
	if n := names(fake); n != shopify.MaxNamePages {
		t.Errorf("%d requests of names, want %d", n, shopify.MaxNamePages)
	}
}

func TestAnOrderTheShopDoesNotHaveIsNotFound(t *testing.T) {
	fake := shopifyfake.New(t, shipped())
	c, _ := client(t, fake)
	for _, number := range []string{"SP-654321", "SP-12345", `SP-1" OR name:"SP-123456`, "SP 123456", ""} {
		_, err := lookup(t, c, number, 3*time.Second)
		if !errors.Is(err, bot.ErrOrderNotFound) {
			t.Errorf("%q: %v, want not found", number, err)
		}
	}
	// What cannot be a name is not put into a search.
	if n := len(fake.Requests()); n != 2 {
		t.Errorf("%d requests, want 2 (the names that can be one)", n)
	}
}

func TestStatusesAreMapped(t *testing.T) {
	f := func(display, created, delivered string) shopifyfake.Fulfillment {
		return shopifyfake.Fulfillment{DisplayStatus: display, CreatedAt: created, DeliveredAt: delivered,
			Tracking: []shopifyfake.Tracking{{Company: "GLS", URL: "https://gls.example/" + display}}}
	}
	for _, tc := range []struct {
		name   string
		edit   func(*shopifyfake.Order)
		status bot.OrderStatus
		check  func(*bot.Order) string
	}{
		{"in transit", func(o *shopifyfake.Order) {}, bot.OrderShipped, nil},
		{"delivered", func(o *shopifyfake.Order) {
			o.Fulfillments = []shopifyfake.Fulfillment{f("DELIVERED", "2025-06-02T08:00:00Z", "2025-06-04T11:00:00Z")}
		}, bot.OrderDelivered, func(o *bot.Order) string {
			if !o.Delivered.Equal(day("2025-06-04T11:00:00Z")) || !o.Shipped.Equal(day("2025-06-02T08:00:00Z")) || !o.Expected.IsZero() {
				return fmt.Sprintf("shipped %v delivered %v expected %v", o.Shipped, o.Delivered, o.Expected)
			}
			return ""
		}},
		{"one parcel of two delivered", func(o *shopifyfake.Order) {
			o.DisplayFulfillmentStatus = "PARTIALLY_FULFILLED"
			o.Fulfillments = []shopifyfake.Fulfillment{f("DELIVERED", "2025-06-02T08:00:00Z", "2025-06-04T11:00:00Z"), f("IN_TRANSIT", "2025-06-03T08:00:00Z", "")}
		}, bot.OrderShipped, func(o *bot.Order) string {
			if o.TrackingURL != "https://gls.example/IN_TRANSIT" || !o.Delivered.IsZero() {
				return "want the latest parcel's tracking, no delivery day: " + o.TrackingURL
			}
			return ""
		}},
		{"not delivered", func(o *shopifyfake.Order) {
			o.Fulfillments = []shopifyfake.Fulfillment{f("NOT_DELIVERED", "2025-06-02T08:00:00Z", "")}
		}, bot.OrderLost, nil},
		{"a label only", func(o *shopifyfake.Order) {
			o.DisplayFulfillmentStatus = "UNFULFILLED"
			o.Fulfillments = []shopifyfake.Fulfillment{f("LABEL_PURCHASED", "2025-06-02T08:00:00Z", "")}
		}, bot.OrderProcessing, func(o *bot.Order) string {
			if !o.Shipped.IsZero() {
				return "a label is no shipment"
			}
			return ""
		}},
		{"a cancelled shipment does not count", func(o *shopifyfake.Order) {
			o.DisplayFulfillmentStatus = "UNFULFILLED"
			o.Fulfillments = []shopifyfake.Fulfillment{{Status: "CANCELLED", DisplayStatus: "CANCELED", CreatedAt: "2025-06-01T08:00:00Z"}}
		}, bot.OrderProcessing, nil},
		{"paid, not shipped", func(o *shopifyfake.Order) {
			o.DisplayFulfillmentStatus, o.Fulfillments = "UNFULFILLED", nil
		}, bot.OrderProcessing, nil},
		{"on hold", func(o *shopifyfake.Order) {
			o.DisplayFinancialStatus, o.DisplayFulfillmentStatus, o.Fulfillments = "PENDING", "ON_HOLD", nil
		}, bot.OrderProcessing, nil},
		{"not paid", func(o *shopifyfake.Order) {
			o.DisplayFinancialStatus, o.DisplayFulfillmentStatus, o.Fulfillments = "PENDING", "UNFULFILLED", nil
		}, bot.OrderPending, nil},
		{"payment voided", func(o *shopifyfake.Order) {
			o.DisplayFinancialStatus, o.DisplayFulfillmentStatus, o.Fulfillments = "VOIDED", "UNFULFILLED", nil
		}, bot.OrderCancelled, nil},
		{"cancelled", func(o *shopifyfake.Order) {
			o.CancelledAt, o.DisplayFinancialStatus = "2025-05-31T09:00:00Z", "REFUNDED"
		}, bot.OrderCancelled, nil},
		{"refunded", func(o *shopifyfake.Order) { o.DisplayFinancialStatus = "REFUNDED" }, bot.OrderRefunded, nil},
		{"returned", func(o *shopifyfake.Order) { o.ReturnStatus = "RETURNED" }, bot.OrderReturned, nil},
		{"no processedAt: createdAt", func(o *shopifyfake.Order) { o.ProcessedAt = "" }, bot.OrderShipped, func(o *bot.Order) string {
			if !o.Placed.Equal(day("2025-05-30T10:02:00Z")) {
				return fmt.Sprint("placed ", o.Placed)
			}
			return ""
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := shipped()
			tc.edit(&o)
			c, _ := client(t, shopifyfake.New(t, o))
			got, err := lookup(t, c, "SP-123456", 3*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tc.status {
				t.Errorf("status %s, want %s", got.Status, tc.status)
			}
			if tc.check != nil {
				if msg := tc.check(got); msg != "" {
					t.Error(msg)
				}
			}
		})
	}
}

func TestATrackingLinkThatIsNotHTTPIsDropped(t *testing.T) {
	o := shipped()
	o.Fulfillments[0].Tracking[0].URL = "javascript:alert(document.cookie)"
	c, logs := client(t, shopifyfake.New(t, o))
	got, err := lookup(t, c, "SP-123456", 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if got.TrackingURL != "" || got.Carrier != "BRT" {
		t.Errorf("tracking %q, carrier %q: want no link, the carrier", got.TrackingURL, got.Carrier)
	}
	if !strings.Contains(logs.String(), "tracking link that is not http(s) was dropped") {
		t.Errorf("no log line for the operator:\n%s", logs)
	}
}

// The log line of a dropped link names the order by its reference and
// the link by what is wrong with it: a link may carry the customer's
// postcode, e-mail or a token.
func TestADroppedTrackingLinkLogsNoCustomerData(t *testing.T) {
	for _, link := range []string{
		"javascript:track('SP-123456','20121')",
		"ftp://giulia.bianchi@example.it/parcel",
		"tracking.example.com/brt?cap=20121&t=s3cr3t-t0k3n",
	} {
		t.Run(link, func(t *testing.T) {
			o := shipped()
			o.Fulfillments[0].Tracking[0].URL = link
			c, logs := client(t, shopifyfake.New(t, o))
			if _, err := lookup(t, c, "SP-123456", 3*time.Second); err != nil {
				t.Fatal(err)
			}
			got := logs.String()
			if !strings.Contains(got, "tracking link that is not http(s) was dropped") || !strings.Contains(got, bot.OrderRef("SP-123456")) {
				t.Errorf("no log line naming the order's reference:\n%s", got)
			}
			for _, secret := range []string{"SP-123456", "123456", "20121", "giulia", "s3cr3t", "track("} {
				if strings.Contains(got, secret) {
					t.Errorf("the log holds %q:\n%s", secret, got)
				}
			}
		})
	}
}

func TestLineItemsArePaged(t *testing.T) {
	for _, tc := range []struct{ items, want, requests int }{
		{50, 50, 1},
		{51, 51, 2},
		{120, 120, 3},
		{1000, shopify.MaxItems, shopify.MaxItems / 50},
	} {
		t.Run(fmt.Sprint(tc.items), func(t *testing.T) {
			o := shipped()
			o.LineItems = nil
			for i := range tc.items {
				o.LineItems = append(o.LineItems, shopifyfake.LineItem{Name: fmt.Sprintf("item %d", i), Quantity: 1})
			}
			fake := shopifyfake.New(t, o)
			c, _ := client(t, fake)
			got, err := lookup(t, c, "SP-123456", 3*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Items) != tc.want || got.Items[len(got.Items)-1].Name != fmt.Sprintf("item %d", tc.want-1) {
				t.Errorf("%d items, the last %q; want %d", len(got.Items), got.Items[len(got.Items)-1].Name, tc.want)
			}
			if n := len(fake.Requests()); n != tc.requests {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
		})
	}
}

func TestTheSystemFailingIsUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fake  func(*shopifyfake.Server)
		cfg   func(*shopify.Config)
		want  error
		log   string // the operator's line, when one is due
		inErr string
		once  bool // asked once: a retry would come past the deadline
	}{
		{name: "a wrong token", cfg: func(c *shopify.Config) { c.Token = "shpat_wrong" }, want: bot.ErrShopUnavailable,
			log: "check SHOPIFY_ACCESS_TOKEN", inErr: "HTTP 401"},
		{name: "a token without the scope", fake: func(s *shopifyfake.Server) { s.SetFault(shopifyfake.FaultNoScope) }, want: bot.ErrShopUnavailable,
			log: "read_orders", inErr: "lacks a scope"},
		{name: "a version Shopify does not serve", cfg: func(c *shopify.Config) { c.APIVersion = "2019-04" }, want: bot.ErrShopUnavailable, inErr: "HTTP 404"},
		{name: "a 429", fake: func(s *shopifyfake.Server) {
			s.SetRaw(429, "application/json", `{"errors":"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."}`)
		}, want: bot.ErrShopUnavailable, inErr: "throttled", once: true},
		{name: "throttled with no state", fake: func(s *shopifyfake.Server) {
			s.SetRaw(200, "application/json", `{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}]}`)
		}, want: bot.ErrShopUnavailable, inErr: "throttled", once: true},
		{name: "a 500", fake: func(s *shopifyfake.Server) { s.SetFault(shopifyfake.FaultDown) }, want: bot.ErrShopUnavailable, inErr: "HTTP 500"},
		{name: "a 503 page", fake: func(s *shopifyfake.Server) { s.SetRaw(503, "text/html", "<html>down</html>") }, want: bot.ErrShopUnavailable, inErr: "HTTP 503"},
		{name: "HTML instead of JSON", fake: func(s *shopifyfake.Server) { s.SetFault(shopifyfake.FaultHTML) }, want: bot.ErrShopUnavailable, inErr: "not JSON"},
		{name: "JSON that is not JSON", fake: func(s *shopifyfake.Server) { s.SetRaw(200, "application/json", "{\"data\": {") }, want: bot.ErrShopUnavailable, inErr: "not the API's JSON"},
		{name: "an answer too big", fake: func(s *shopifyfake.Server) { s.SetFault(shopifyfake.FaultHuge) }, want: bot.ErrShopUnavailable, inErr: "over 1048576 bytes"},
		{name: "GraphQL errors", fake: func(s *shopifyfake.Server) {
			s.SetRaw(200, "application/json", `{"errors":[{"message":"Internal error. Looks like something went wrong on our end.","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`)
		}, want: bot.ErrShopUnavailable, inErr: "INTERNAL_SERVER_ERROR: Internal error"},
		{name: "no data", fake: func(s *shopifyfake.Server) { s.SetRaw(200, "application/json", `{"data":null}`) }, want: bot.ErrShopUnavailable, inErr: "no data"},
		{name: "a date that is no date", fake: func(s *shopifyfake.Server) {
			s.SetRaw(200, "application/json", `{"data":{"orders":{"nodes":[{"name":"SP-123456","createdAt":"yesterday"}]}}}`)
		}, want: bot.ErrShopUnavailable, inErr: `"yesterday"`},
		{name: "no answer", fake: func(s *shopifyfake.Server) { s.SetFault(shopifyfake.FaultHang) }, want: context.DeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := shopifyfake.New(t, shipped())
			if tc.fake != nil {
				tc.fake(fake)
			}
			var edits []func(*shopify.Config)
			if tc.cfg != nil {
				edits = append(edits, tc.cfg)
			}
			c, logs := client(t, fake, edits...)
			start := time.Now()
			_, err := lookup(t, c, "SP-123456", 300*time.Millisecond)
			if !errors.Is(err, tc.want) || !strings.Contains(fmt.Sprint(err), tc.inErr) {
				t.Errorf("err = %v, want %v with %q", err, tc.want, tc.inErr)
			}
			if took := time.Since(start); took > time.Second {
				t.Errorf("the lookup took %v past its deadline of 300ms", took)
			}
			if n := len(fake.Requests()); tc.once && n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
			if tc.log != "" && !strings.Contains(logs.String(), tc.log) {
				t.Errorf("the log lacks %q:\n%s", tc.log, logs)
			}
			if strings.Contains(fmt.Sprint(err), shopifyfake.Token) {
				t.Errorf("the error holds the token: %v", err)
			}
		})
	}
}

func TestATokenRefusedIsLoggedOnceAMinute(t *testing.T) {
	fake := shopifyfake.New(t, shipped())
	c, logs := client(t, fake, func(c *shopify.Config) { c.Token = "shpat_wrong" })
	for range 5 {
		_, _ = lookup(t, c, "SP-123456", time.Second)
	}
	if n := strings.Count(logs.String(), "refused the access token"); n != 1 {
		t.Errorf("%d log lines for five refusals, want 1:\n%s", n, logs)
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	var got []string
	var mu sync.Mutex
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("X-Shopify-Access-Token"))
		mu.Unlock()
	}))
	defer elsewhere.Close()
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer shop.Close()
	c, err := shopify.New(shopify.Config{URL: shop.URL, Token: shopifyfake.Token})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Order(context.Background(), "SP-123456"); !errors.Is(err, bot.ErrShopUnavailable) {
		t.Errorf("err = %v, want unavailable", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 0 {
		t.Errorf("the redirect was followed, with the token %v", got)
	}
}

func TestThrottledThenServed(t *testing.T) {
	fake := shopifyfake.New(t, shipped())
	fake.SetBucket(2000, 0, 1000) // refills the query's 80 points in 80 ms
	c, _ := client(t, fake)
	o, err := lookup(t, c, "SP-123456", time.Second)
	if err != nil || o.Status != bot.OrderShipped {
		t.Fatalf("%v, %v", o, err)
	}
	reqs := fake.Requests()
	if len(reqs) != 2 || !reqs[0].Throttled || reqs[1].Throttled {
		t.Errorf("requests %+v: want one throttled, then one served", reqs)
	}
	if wait := reqs[1].At.Sub(reqs[0].At); wait < 60*time.Millisecond {
		t.Errorf("retried after %v: before the bucket could hold the query (80 ms)", wait)
	}
}

func TestThrottledPastTheDeadlineIsUnavailableAtOnce(t *testing.T) {
	fake := shopifyfake.New(t, shipped())
	fake.SetBucket(2000, 0, 1) // 80 s to refill
	c, _ := client(t, fake)
	start := time.Now()
	_, err := lookup(t, c, "SP-123456", 2*time.Second)
	if !errors.Is(err, bot.ErrShopUnavailable) || !strings.Contains(err.Error(), "throttled") {
		t.Errorf("err = %v, want unavailable, throttled", err)
	}
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Errorf("the lookup waited %v for a bucket that refills after its deadline", took)
	}
	// The next lookup knows the bucket is empty: it asks nothing.
	if _, err := lookup(t, c, "SP-123456", 2*time.Second); !errors.Is(err, bot.ErrShopUnavailable) {
		t.Errorf("second lookup: %v", err)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Errorf("%d requests, want 1: a known empty bucket is not asked again", n)
	}
}

func TestABusyBucketDelaysLookupsInsteadOfHammering(t *testing.T) {
	fake := shopifyfake.New(t, shipped())
	fake.SetBucket(200, 200, 800) // room for two queries at once, one more each 100 ms
	c, _ := client(t, fake)
	if _, err := lookup(t, c, "SP-123456", time.Second); err != nil { // learns the bucket
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := lookup(t, c, "SP-123456", 3*time.Second)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	for _, r := range fake.Requests() {
		if r.Throttled {
			t.Errorf("a request was throttled: the lookups should have waited for the bucket")
			break
		}
	}
}

func TestNewSaysWhatIsWrong(t *testing.T) {
	for _, tc := range []struct {
		cfg  shopify.Config
		want string
	}{
		{shopify.Config{Shop: "demo"}, "SHOPIFY_ACCESS_TOKEN"},
		{shopify.Config{Shop: "demo", Token: "shpat_a b"}, "spaces"},
		{shopify.Config{Token: "t"}, "no shop"},
		{shopify.Config{Shop: "my shop!", Token: "t"}, "letters, digits and hyphens"},
		{shopify.Config{Shop: "demo", Token: "t", APIVersion: "2025-13"}, `API version "2025-13"`},
		{shopify.Config{Shop: "demo", Token: "t", APIVersion: "latest"}, `API version "latest"`},
		{shopify.Config{URL: "http://shop.example.com", Token: "t"}, "in the clear"},
		{shopify.Config{URL: "ftp://shop.example.com", Token: "t"}, "want https://"},
		{shopify.Config{URL: "https://user:pw@shop.example.com", Token: "t"}, "want https://host"},
	} {
		_, err := shopify.New(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want %q", tc.cfg, err, tc.want)
		}
	}
	for _, shop := range []string{"sportello-demo", "Sportello-Demo.myshopify.com"} {
		if u, err := shopify.BaseURL(shop, ""); err != nil || u != "https://sportello-demo.myshopify.com" {
			t.Errorf("BaseURL(%q) = %q, %v", shop, u, err)
		}
	}
}

// ccClient returns a Client of fake with the client credentials of a Dev
// Dashboard app, and its log.
func ccClient(t *testing.T, fake *shopifyfake.Server, secret string) (*shopify.Client, *syncBuffer) {
	t.Helper()
	c, logs := client(t, fake, func(c *shopify.Config) {
		c.Token, c.ClientID, c.ClientSecret = "", shopifyfake.ClientID, secret
	})
	t.Cleanup(func() {
		if strings.Contains(logs.String(), shopifyfake.ClientSecret) || strings.Contains(logs.String(), "shpat_granted") {
			t.Errorf("a secret is in the log:\n%s", logs)
		}
	})
	return c, logs
}

// operations returns the operations of the fake's requests, in order:
// "refused" for one whose token the fake refused.
func operations(fake *shopifyfake.Server) string {
	var ops []string
	for _, r := range fake.Requests() {
		if !r.Token {
			ops = append(ops, "refused")
			continue
		}
		ops = append(ops, r.Operation)
	}
	return strings.Join(ops, " ")
}

func TestClientCredentialsGetATokenAndKeepIt(t *testing.T) {
	fake := shopifyfake.New(t, shipped())
	c, _ := ccClient(t, fake, shopifyfake.ClientSecret)
	for range 3 {
		if _, err := lookup(t, c, "SP-123456", 3*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := operations(fake), "client_credentials OrderByName OrderByName OrderByName"; got != want {
		t.Errorf("requests %q, want %q: one token for all lookups", got, want)
	}
}

func TestClientCredentialsRenewARevokedToken(t *testing.T) {
	fake := shopifyfake.New(t, shipped())
	c, _ := ccClient(t, fake, shopifyfake.ClientSecret)
	if _, err := lookup(t, c, "SP-123456", 3*time.Second); err != nil {
		t.Fatal(err)
	}
	fake.RevokeTokens()
	if _, err := lookup(t, c, "SP-123456", 3*time.Second); err != nil {
		t.Fatalf("after a revoked token: %v", err)
	}
	if got, want := operations(fake), "client_credentials OrderByName refused client_credentials OrderByName"; got != want {
		t.Errorf("requests %q, want %q", got, want)
	}
}

func TestClientCredentialsRenewATokenBeforeItExpires(t *testing.T) {
	fake := shopifyfake.New(t, shipped())
	fake.SetTokenLife(time.Second) // renewed a tenth before: after 900 ms
	c, _ := ccClient(t, fake, shopifyfake.ClientSecret)
	if _, err := lookup(t, c, "SP-123456", 3*time.Second); err != nil {
		t.Fatal(err)
	}
	time.Sleep(950 * time.Millisecond)
	if _, err := lookup(t, c, "SP-123456", 3*time.Second); err != nil {
		t.Fatal(err)
	}
	if got, want := operations(fake), "client_credentials OrderByName client_credentials OrderByName"; got != want {
		t.Errorf("requests %q, want %q", got, want)
	}
}

func TestClientCredentialsRefusedAreUnavailableAndLogged(t *testing.T) {
	fake := shopifyfake.New(t, shipped())
	c, logs := ccClient(t, fake, "shpss_wrong")
	_, err := lookup(t, c, "SP-123456", 3*time.Second)
	if !errors.Is(err, bot.ErrShopUnavailable) || !strings.Contains(err.Error(), "invalid_client") {
		t.Errorf("err = %v, want unavailable, invalid_client", err)
	}
	if !strings.Contains(logs.String(), "SHOPIFY_CLIENT_SECRET") {
		t.Errorf("no line for the operator:\n%s", logs)
	}
}

// BenchmarkOrder is one lookup through the connector over loopback HTTP
// to the fake, which answers at once: the connector's own cost (the
// request, the answer's decoding, the mapping), that a reply pays on top
// of the shop's time.
func BenchmarkOrder(b *testing.B) {
	fake := shopifyfake.New(b, shipped())
	fake.SetBucket(1e12, 1e12, 1e12)
	c, err := shopify.New(shopify.Config{URL: fake.URL, Token: shopifyfake.Token, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Order(ctx, "SP-123456"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAnOrderOfAnotherNameIsNotTheOneAskedFor(t *testing.T) {
	fake := shopifyfake.New(t)
	// Shopify's search matches words: it may answer a near name.
	fake.SetRaw(200, "application/json", `{"data":{"orders":{"nodes":[{"id":"gid://shopify/Order/1","name":"#SP-1234567","createdAt":"2025-05-30T10:02:00Z",
		"displayFulfillmentStatus":"UNFULFILLED","lineItems":{"pageInfo":{"hasNextPage":false},"nodes":[]},"fulfillments":[]}]}}}`)
	c, _ := client(t, fake)
	if _, err := lookup(t, c, "SP-123456", time.Second); !errors.Is(err, bot.ErrOrderNotFound) {
		t.Errorf("err = %v, want not found", err)
	}
}

// TestPlainHTTPToAHostNamed127IsRefused: http is admitted to this
// machine only, for a test's fake or a proxy beside the bot; a host
// whose name starts with "127." is a name anyone can register, across
// the internet, and the token would travel to it in the clear.
func TestPlainHTTPToAHostNamed127IsRefused(t *testing.T) {
	for _, u := range []string{"http://127.attacker.example", "http://127.0.0.1.attacker.example:8080"} {
		if _, err := shopify.BaseURL("", u); err == nil || !strings.Contains(err.Error(), "in the clear") {
			t.Errorf("BaseURL(%q) = %v, want refused: plain http to another machine", u, err)
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:9", "http://[::1]:9"} {
		if _, err := shopify.BaseURL("", u); err != nil {
			t.Errorf("BaseURL(%q) = %v, want the loopback admitted", u, err)
		}
	}
}
