package woocommerce_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/woocommerce"
	"github.com/sportello/sportello/adapters/woocommerce/wootest"
	"github.com/sportello/sportello/bot"
)

var (
	placed    = time.Date(2025, 5, 30, 9, 15, 0, 0, time.UTC)
	completed = time.Date(2025, 6, 2, 16, 40, 0, 0, time.UTC)
)

// giulia is an order as a WooCommerce shop with Shipment Tracking has it.
func giulia() wootest.Order {
	return wootest.Order{
		ID: 482001, Status: "completed", Total: "379.00", Created: placed, Paid: placed, Completed: completed,
		Billing:  wootest.Address{FirstName: "Giulia", LastName: "Bianchi", Email: "giulia.bianchi@example.it", Postcode: "00184"},
		Shipping: wootest.Address{FirstName: "Giulia", LastName: "Bianchi", Postcode: "20121"},
		Items:    []wootest.Item{{Name: "Samsung Galaxy A55 5G 128GB", SKU: "SM-A556B", Quantity: 1}, {Name: "Cover", Quantity: 2}},
		Tracking: []wootest.Tracking{{CustomProvider: "BRT", Number: "0123456789", Link: "https://tracking.example.com/brt/0123456789",
			Shipped: time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)}},
	}
}

func mustShop(tb testing.TB, srv *wootest.Server, statuses map[string]bot.OrderStatus) *woocommerce.Shop {
	tb.Helper()
	s, err := woocommerce.New(woocommerce.Config{URL: srv.URL, Key: wootest.Key, Secret: wootest.Secret, Statuses: statuses})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func lookup(tb testing.TB, s *woocommerce.Shop, number string) (*bot.Order, error) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return s.Order(ctx, number)
}

func TestAnOrderIsFoundByItsNumberAsTheCustomerWritesIt(t *testing.T) {
	srv := wootest.NewServer(t, giulia())
	s := mustShop(t, srv, nil)
	for _, number := range []string{"482001", "#482001", "SP-482001", "sp 482001"} {
		t.Run(number, func(t *testing.T) {
			o, err := lookup(t, s, number)
			if err != nil {
				t.Fatal(err)
			}
			want := bot.Order{Number: "482001", Status: bot.OrderShipped, Placed: placed,
				Shipped: time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC), Carrier: "BRT", // the day Shipment Tracking says, at noon
				TrackingURL: "https://tracking.example.com/brt/0123456789", Total: "379.00 EUR",
				Customer: bot.OrderCustomer{Name: "Giulia Bianchi", Email: "giulia.bianchi@example.it", Postcode: "20121"},
				Items:    []bot.OrderItem{{Name: "Samsung Galaxy A55 5G 128GB", SKU: "SM-A556B", Quantity: 1}, {Name: "Cover", Quantity: 2}}}
			if got := fmt.Sprintf("%+v", *o); got != fmt.Sprintf("%+v", want) {
				t.Errorf("order\n got %s\nwant %+v", got, want)
			}
			if !o.Proves(bot.Proof{Postcode: "20121"}) || !o.Proves(bot.Proof{Email: "Giulia.Bianchi@example.it"}) {
				t.Error("the shipping postcode or the billing e-mail does not prove the order")
			}
		})
	}
	if got := srv.Requests()[0]; got != "GET /wp-json/wc/v3/orders/482001" {
		t.Errorf("first request %q, want the order by its ID", got)
	}
}

// TestANumberOfAPluginIsFoundByTheSearch: with a plugin that numbers
// orders (SP-482001 is the order of ID 57), the ID of the number's digits
// is another order, which is not taken for it.
func TestANumberOfAPluginIsFoundByTheSearch(t *testing.T) {
	other := giulia()
	other.Number, other.Billing.Email = "SP-100007", "someone.else@example.com"
	mine := giulia()
	mine.ID, mine.Number = 57, "SP-482001"
	srv := wootest.NewServer(t, mine, other) // other has the ID 482001
	o, err := lookup(t, mustShop(t, srv, nil), "sp 482001")
	if err != nil {
		t.Fatal(err)
	}
	if o.Number != "SP-482001" || o.Customer.Email != "giulia.bianchi@example.it" {
		t.Errorf("found %s of %s, want SP-482001 of giulia", o.Number, o.Customer.Email)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || !strings.Contains(reqs[1], "search=482001") || !strings.Contains(reqs[1], "per_page=20") {
		t.Errorf("requests %q, want the ID then the search", reqs)
	}
}

// TestTheSearchReadsItsPagesUpToItsBound: WooCommerce's search matches
// parts of numbers, so SP-48200 matches SP-482001..., newest first; the
// adapter reads the pages until the number, and no more than MaxPages.
func TestTheSearchReadsItsPagesUpToItsBound(t *testing.T) {
	numbered := func(id int64, number string) wootest.Order {
		o := giulia()
		o.ID, o.Number = id, number
		return o
	}
	srv := wootest.NewServer(t, numbered(1, "SP-48200"))
	for i := range 30 {
		srv.Add(numbered(int64(2+i), fmt.Sprintf("SP-48200%d", 10+i)))
	}
	s := mustShop(t, srv, nil)
	o, err := lookup(t, s, "SP-48200")
	if err != nil || o.Number != "SP-48200" {
		t.Fatalf("lookup = %v, %v; want SP-48200 on the second page", o, err)
	}
	if reqs := srv.Requests(); len(reqs) != 3 || !strings.Contains(reqs[2], "page=2") {
		t.Errorf("requests %q, want the ID and two pages", reqs)
	}

	srv = wootest.NewServer(t)
	for i := range woocommerce.MaxPages*woocommerce.PerPage + 10 {
		srv.Add(numbered(int64(1000+i), fmt.Sprintf("SP-7000%03d", i)))
	}
	_, err = lookup(t, mustShop(t, srv, nil), "SP-7000")
	if !errors.Is(err, bot.ErrOrderNotFound) {
		t.Errorf("a search matching %d orders, none the number: %v, want not found", woocommerce.MaxPages*woocommerce.PerPage+10, err)
	}
	if n := len(srv.Requests()); n != 1+woocommerce.MaxPages {
		t.Errorf("%d requests, want the ID and %d pages", n, woocommerce.MaxPages)
	}
}

func TestAnOrderThatIsNoneIsNotFound(t *testing.T) {
	srv := wootest.NewServer(t, giulia())
	s := mustShop(t, srv, nil)
	for _, number := range []string{"482002", "SP-999", "NOPE", "", "99999999999999999999999"} {
		if _, err := lookup(t, s, number); !errors.Is(err, bot.ErrOrderNotFound) {
			t.Errorf("%q: %v, want not found", number, err)
		}
	}
}

func TestStatusesMapToTheBots(t *testing.T) {
	for _, tc := range []struct {
		status string
		own    map[string]bot.OrderStatus
		want   bot.OrderStatus
	}{
		{"pending", nil, bot.OrderPending},
		{"on-hold", nil, bot.OrderPending},
		{"failed", nil, bot.OrderPending},
		{"processing", nil, bot.OrderProcessing},
		{"completed", nil, bot.OrderShipped},
		{"cancelled", nil, bot.OrderCancelled},
		{"refunded", nil, bot.OrderRefunded},
		{"delivered", nil, bot.OrderDelivered},
		{"completed", map[string]bot.OrderStatus{"completed": bot.OrderDelivered}, bot.OrderDelivered},
		{"awaiting-pickup", map[string]bot.OrderStatus{"awaiting-pickup": bot.OrderShipped}, bot.OrderShipped},
		{"lost-in-transit", map[string]bot.OrderStatus{"lost-in-transit": bot.OrderLost}, bot.OrderLost},
		{"some-plugins-status", nil, bot.OrderProcessing},
	} {
		t.Run(tc.status, func(t *testing.T) {
			o := giulia()
			o.Status, o.Tracking = tc.status, nil
			got, err := lookup(t, mustShop(t, wootest.NewServer(t, o), tc.own), "482001")
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tc.want {
				t.Errorf("status %s = %s, want %s", tc.status, got.Status, tc.want)
			}
			switch got.Status {
			case bot.OrderShipped:
				if !got.Shipped.Equal(completed) {
					t.Errorf("shipped %v, want the completion %v", got.Shipped, completed)
				}
			case bot.OrderDelivered:
				if !got.Delivered.Equal(completed) {
					t.Errorf("delivered %v, want the completion %v", got.Delivered, completed)
				}
			}
		})
	}
	if _, err := woocommerce.New(woocommerce.Config{URL: "https://shop.example", Key: "k", Secret: "s",
		Statuses: map[string]bot.OrderStatus{"completed": "arrived"}}); err == nil || !strings.Contains(err.Error(), `"arrived"`) {
		t.Errorf("a status mapped to no status of the bot: %v", err)
	}
}

func TestTrackingIsShownOnlyWhenItIsALink(t *testing.T) {
	for _, tc := range []struct {
		name    string
		track   []wootest.Tracking
		carrier string
		url     string
	}{
		{"none", nil, "", ""},
		{"a custom carrier's link", []wootest.Tracking{{CustomProvider: "BRT", Link: "https://brt.example/1"}}, "BRT", "https://brt.example/1"},
		{"a known carrier, no link", []wootest.Tracking{{Provider: "dhl", Number: "JD014600"}}, "dhl", ""},
		{"a script for a link", []wootest.Tracking{{CustomProvider: "X", Link: "javascript:alert(1)"}}, "X", ""},
		{"the last parcel", []wootest.Tracking{{CustomProvider: "GLS", Link: "https://gls.example/1"}, {CustomProvider: "SDA", Link: "https://sda.example/2"}}, "SDA", "https://sda.example/2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := giulia()
			o.Tracking = tc.track
			for i := range o.Tracking {
				o.Tracking[i].Shipped = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
			}
			got, err := lookup(t, mustShop(t, wootest.NewServer(t, o), nil), "482001")
			if err != nil {
				t.Fatal(err)
			}
			if got.Carrier != tc.carrier || got.TrackingURL != tc.url {
				t.Errorf("carrier %q, link %q; want %q, %q", got.Carrier, got.TrackingURL, tc.carrier, tc.url)
			}
		})
	}
}

func TestASiteThatFailsIsUnavailable(t *testing.T) {
	for _, tc := range []struct {
		fault wootest.Fault
		want  string
	}{
		{wootest.FaultServer, "HTTP 500 internal_server_error"},
		{wootest.FaultHTML, "not JSON (text/html"},
		{wootest.FaultHuge, "over 2097152 bytes"},
		{wootest.FaultReadOnly, "woocommerce_rest_cannot_view: Sorry, you cannot list resources.: check WOOCOMMERCE_CONSUMER_KEY"},
		{wootest.FaultNoRoute, "rest_no_route"},
		{wootest.FaultRateLimit, "HTTP 429"},
	} {
		t.Run(string(tc.fault), func(t *testing.T) {
			srv := wootest.NewServer(t, giulia())
			srv.SetFault(tc.fault)
			_, err := lookup(t, mustShop(t, srv, nil), "482001")
			if !errors.Is(err, bot.ErrShopUnavailable) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v, want unavailable with %q", err, tc.want)
			}
		})
	}
}

func TestWrongKeysAreUnavailableAndNeverInTheError(t *testing.T) {
	srv := wootest.NewServer(t, giulia())
	for _, tc := range []struct{ key, secret, want string }{
		{"ck_wrong", wootest.Secret, "Consumer key is invalid"},
		{wootest.Key, "cs_wrong_secret", "Consumer secret is invalid"},
	} {
		s, err := woocommerce.New(woocommerce.Config{URL: srv.URL, Key: tc.key, Secret: tc.secret})
		if err != nil {
			t.Fatal(err)
		}
		_, err = lookup(t, s, "482001")
		if !errors.Is(err, bot.ErrShopUnavailable) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v, want unavailable with %q", err, tc.want)
		}
		if strings.Contains(err.Error(), tc.secret) || strings.Contains(err.Error(), tc.key) {
			t.Errorf("the error holds a credential: %v", err)
		}
	}
}

func TestASiteThatHangsIsAbandonedAtTheDeadline(t *testing.T) {
	srv := wootest.NewServer(t, giulia())
	srv.SetFault(wootest.FaultHang)
	s := mustShop(t, srv, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Order(ctx, "482001")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%v, want the deadline", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("the lookup took %v with a 200ms deadline", took)
	}
}

func TestTheConfigurationIsChecked(t *testing.T) {
	for _, cfg := range []woocommerce.Config{
		{URL: "", Key: "k", Secret: "s"},
		{URL: "ftp://shop.example", Key: "k", Secret: "s"},
		{URL: "https://user:pw@shop.example", Key: "k", Secret: "s"},
		{URL: "https://shop.example", Key: "", Secret: "s"},
		{URL: "https://shop.example", Key: "k", Secret: ""},
	} {
		if _, err := woocommerce.New(cfg); err == nil {
			t.Errorf("New(%+v) = nil error", cfg)
		}
	}
}

// answer is a site that answers body to every request, with status.
type answer struct {
	status int
	ctype  string
	body   []byte
}

func (a answer) RoundTrip(r *http.Request) (*http.Response, error) {
	h := http.Header{}
	if a.ctype != "" {
		h.Set("Content-Type", a.ctype)
	}
	return &http.Response{StatusCode: a.status, Header: h, Body: io.NopCloser(strings.NewReader(string(a.body))), Request: r}, nil
}

// TestMalformedAnswersAreUnavailable: what a broken plugin, a proxy or a
// hand-made API answers is never an order, and never an order of
// another number.
func TestMalformedAnswersAreUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       error
	}{
		{"empty", ``, bot.ErrShopUnavailable},
		{"null", `null`, bot.ErrOrderNotFound}, // no order of that number: the search then finds none
		{"a list for an order", `[1,2]`, bot.ErrShopUnavailable},
		{"a number for a status", `{"id":482001,"number":"482001","status":5}`, bot.ErrShopUnavailable},
		{"a bad date", `{"id":482001,"number":"482001","status":"completed","date_created_gmt":"yesterday"}`, bot.ErrShopUnavailable},
		{"no date at all", `{"id":482001,"number":"482001","status":"completed"}`, bot.ErrShopUnavailable},
		{"truncated", `{"id":482001,"number":"4820`, bot.ErrShopUnavailable},
		{"an error body with 200", `{"code":"x","message":"y"}`, bot.ErrShopUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := woocommerce.New(woocommerce.Config{URL: "https://shop.example", Key: "k", Secret: "s",
				Client: &http.Client{Transport: answer{200, "application/json", []byte(tc.body)}}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := lookup(t, s, "482001"); !errors.Is(err, tc.want) {
				t.Errorf("%v, want %v", err, tc.want)
			}
		})
	}
}

// FuzzOrderAnswer: no answer makes the adapter panic or return an order
// without an error, of another number, or with a link that is not one.
func FuzzOrderAnswer(f *testing.F) {
	f.Add(`{"id":482001,"number":"482001","status":"completed","date_created_gmt":"2025-05-30T09:15:00","billing":{"email":"a@b.it"},"line_items":[{"name":"x","quantity":2}],"meta_data":[{"key":"_wc_shipment_tracking_items","value":[{"custom_tracking_link":"https://x.example/1","date_shipped":"1748822400"}]}]}`)
	f.Add(`[{"id":1,"number":"482001","status":"wc-delivered","date_created_gmt":"2025-05-30T09:15:00Z"}]`)
	f.Add(`{"code":"woocommerce_rest_shop_order_invalid_id","message":"Invalid ID.","data":{"status":404}}`)
	f.Fuzz(func(t *testing.T, body string) {
		s, err := woocommerce.New(woocommerce.Config{URL: "https://shop.example", Key: "k", Secret: "s",
			Client: &http.Client{Transport: answer{200, "application/json", []byte(body)}}})
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.Order(context.Background(), "482001")
		if err != nil {
			return
		}
		alnum := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
				return r
			}
			return -1
		}, o.Number)
		if strings.TrimLeft(alnum, "0") != "482001" {
			t.Fatalf("an order %+v for 482001", o)
		}
		if o.TrackingURL != "" && !bot.IsTrackingURL(o.TrackingURL) {
			t.Fatalf("a link that is no link: %q", o.TrackingURL)
		}
		if o.Placed.IsZero() {
			t.Fatalf("an order without its date: %+v", o)
		}
	})
}

func TestAStatusNobodyMappedIsLoggedOnce(t *testing.T) {
	o := giulia()
	o.Status = "wc-awaiting-pickup"
	srv := wootest.NewServer(t, o)
	var logs strings.Builder
	s, err := woocommerce.New(woocommerce.Config{URL: srv.URL, Key: wootest.Key, Secret: wootest.Secret,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if got, err := lookup(t, s, "482001"); err != nil || got.Status != bot.OrderProcessing {
			t.Fatalf("%v, %v; want processing", got, err)
		}
	}
	if n := strings.Count(logs.String(), "status=awaiting-pickup"); n != 1 {
		t.Errorf("logged %d times, want once:\n%s", n, logs.String())
	}
}

// TestAStatusMappedByItsAdminSlugMaps: WordPress's admin names a
// plugin's status wc-awaiting-pickup (its URLs, many plugins' settings),
// the REST API awaiting-pickup. A shop that maps the slug it sees means
// the status the API answers: the order is shipped, not read as
// processing.
func TestAStatusMappedByItsAdminSlugMaps(t *testing.T) {
	o := giulia()
	o.Status, o.Tracking = "awaiting-pickup", nil
	got, err := lookup(t, mustShop(t, wootest.NewServer(t, o), map[string]bot.OrderStatus{"wc-awaiting-pickup": bot.OrderShipped}), "482001")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != bot.OrderShipped {
		t.Errorf("status %s, want shipped, as the shop mapped wc-awaiting-pickup", got.Status)
	}
}
