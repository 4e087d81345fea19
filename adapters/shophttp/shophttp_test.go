package shophttp_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sportello/sportello/adapters/shophttp"
	"github.com/sportello/sportello/bot"
)

const secret = "a-secret-of-thirty-two-characters-or-more"

const good = `{"number": "SP-482001", "status": "shipped", "placed": "2025-05-30", "shipped": "2025-06-02T09:30:00+02:00",
  "expected": "2025-06-05", "carrier": "BRT", "tracking_url": "https://tracking.example.com/brt/SP-482001", "total": "379.00 EUR",
  "customer": {"name": "Giulia Bianchi", "email": "giulia.bianchi@example.it", "postcode": "20121"},
  "items": [{"name": "Samsung Galaxy A55", "sku": "SM-A556B", "quantity": 1, "product": "galaxy-a55"}]}`

// backend is a shop's endpoint that checks the request as the contract
// says (independently of the adapter's Sign) and answers with handler.
func backend(t *testing.T, answer http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts := r.Header.Get("X-Sportello-Timestamp")
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(ts + "." + string(body)))
		want := "sha256=" + hex.EncodeToString(m.Sum(nil))
		var req struct {
			OrderNumber string `json:"order_number"`
			RequestID   string `json:"request_id"`
		}
		secs, _ := strconv.ParseInt(ts, 10, 64)
		switch {
		case r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json":
			t.Errorf("%s with %q, want a POST of JSON", r.Method, r.Header.Get("Content-Type"))
		case !hmac.Equal([]byte(r.Header.Get("X-Sportello-Signature")), []byte(want)):
			t.Errorf("signature %q, want %q", r.Header.Get("X-Sportello-Signature"), want)
		case time.Since(time.Unix(secs, 0)).Abs() > time.Minute:
			t.Errorf("timestamp %q is not now", ts)
		case json.Unmarshal(body, &req) != nil || req.OrderNumber == "" || len(req.RequestID) != 32:
			t.Errorf("body %s, want an order number and a request ID", body)
		case strings.Contains(string(body), secret) || strings.Contains(fmt.Sprint(r.Header), secret):
			t.Error("the secret was sent")
		}
		answer(w, r)
	}))
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	return srv
}

func reply(status int, ctype, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func mustShop(t *testing.T, url string) *shophttp.Shop {
	t.Helper()
	s, err := shophttp.New(shophttp.Config{URL: url, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTheShopsAnswerIsTheOrder(t *testing.T) {
	srv := backend(t, reply(200, "application/json; charset=utf-8", good))
	o, err := mustShop(t, srv.URL).Order(context.Background(), "SP-482001")
	if err != nil {
		t.Fatal(err)
	}
	want := bot.Order{Number: "SP-482001", Status: bot.OrderShipped,
		Placed:   time.Date(2025, 5, 30, 12, 0, 0, 0, time.UTC),
		Shipped:  time.Date(2025, 6, 2, 7, 30, 0, 0, time.UTC),
		Expected: time.Date(2025, 6, 5, 12, 0, 0, 0, time.UTC),
		Carrier:  "BRT", TrackingURL: "https://tracking.example.com/brt/SP-482001", Total: "379.00 EUR",
		Customer: bot.OrderCustomer{Name: "Giulia Bianchi", Email: "giulia.bianchi@example.it", Postcode: "20121"},
		Items:    []bot.OrderItem{{Name: "Samsung Galaxy A55", SKU: "SM-A556B", Quantity: 1, Product: "galaxy-a55"}}}
	if !o.Shipped.Equal(want.Shipped) {
		t.Errorf("shipped %v, want %v", o.Shipped, want.Shipped)
	}
	o.Shipped = want.Shipped
	if got := fmt.Sprintf("%+v", *o); got != fmt.Sprintf("%+v", want) {
		t.Errorf("order\n got %s\nwant %+v", got, want)
	}
}

func TestEachAnswerOfTheShopMeansWhatTheContractSays(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		want    error
		text    string
	}{
		{"404 is no such order", reply(404, "application/json", `{"error": "not found"}`), bot.ErrOrderNotFound, ""},
		{"404 without a body", reply(404, "", ""), bot.ErrOrderNotFound, ""},
		{"500", reply(500, "text/plain", "boom"), bot.ErrShopUnavailable, `HTTP 500: "boom"`},
		{"401: the secret differs", reply(401, "", ""), bot.ErrShopUnavailable, "HTTP 401: an empty body"},
		{"HTML with 200", reply(200, "text/html", "<html><body>Bad gateway</body></html>"), bot.ErrShopUnavailable, "not JSON"},
		{"JSON that is no order", reply(200, "application/json", `{"ok": true}`), bot.ErrShopUnavailable, `unknown field "ok"`},
		{"another order", reply(200, "application/json", strings.Replace(good, "SP-482001\"", "SP-482002\"", 1)), bot.ErrShopUnavailable, `the order "SP-482002"`},
		{"too big", reply(200, "application/json", `{"number": "`+strings.Repeat("x", shophttp.MaxBody)+`"}`), bot.ErrShopUnavailable, "over 1048576 bytes"},
		{"a script for a link", reply(200, "application/json", strings.Replace(good, "https://tracking.example.com/brt/SP-482001", "javascript:alert(1)", 1)), bot.ErrShopUnavailable, "tracking_url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := backend(t, tc.handler)
			_, err := mustShop(t, srv.URL).Order(context.Background(), "SP-482001")
			if !errors.Is(err, tc.want) || !strings.Contains(fmt.Sprint(err), tc.text) {
				t.Errorf("%v, want %v with %q", err, tc.want, tc.text)
			}
		})
	}
}

func TestAShopThatDoesNotAnswerIsAbandonedAtTheDeadline(t *testing.T) {
	srv := backend(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := mustShop(t, srv.URL).Order(ctx, "SP-482001")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%v, want the deadline", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("took %v with a 200ms deadline", took)
	}
	srv.Close()
	if _, err := mustShop(t, srv.URL).Order(context.Background(), "SP-482001"); !errors.Is(err, bot.ErrShopUnavailable) {
		t.Errorf("a shop that is down: %v, want unavailable", err)
	}
}

func TestTheConfigurationIsChecked(t *testing.T) {
	for _, cfg := range []shophttp.Config{
		{URL: "", Secret: secret},
		{URL: "ftp://shop.example/x", Secret: secret},
		{URL: "https://u:p@shop.example/x", Secret: secret},
		{URL: "https://shop.example/x", Secret: "short"},
	} {
		if _, err := shophttp.New(cfg); err == nil {
			t.Errorf("New(%+v) = nil error", cfg)
		}
	}
}

// TestSignIsTheContractsSignature: the documented example, computed by
// hand (printf '1748940000.{"order_number":"SP-482001","request_id":"r1"}'
// | openssl dgst -sha256 -hmac a-secret-of-thirty-two-characters-or-more).
func TestSignIsTheContractsSignature(t *testing.T) {
	got := shophttp.Sign([]byte(secret), "1748940000", []byte(`{"order_number":"SP-482001","request_id":"r1"}`))
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(`1748940000.{"order_number":"SP-482001","request_id":"r1"}`))
	if want := "sha256=" + hex.EncodeToString(m.Sum(nil)); got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

// answers are samples of the contract's answers: the schema and Decode
// must agree on each. Two things Decode checks that the schema cannot
// (a date of the calendar: 2025-02-30; a link bot.IsTrackingURL takes)
// are left out: there Decode is stricter.
var answers = []struct {
	name  string
	valid bool
	json  string
}{
	{"the full order", true, good},
	{"the least order", true, `{"number": "1", "status": "pending", "placed": "2025-06-01", "customer": {"postcode": "20121"}, "items": [{"name": "x"}]}`},
	{"a delivered order", true, `{"number": "1", "status": "delivered", "placed": "2025-06-01", "delivered": "2025-06-03T10:00:00Z", "customer": {"email": "a@b.it"}, "items": [{"name": "x", "quantity": 2}]}`},
	{"a fraction of a second and an offset", true, `{"number": "1", "status": "shipped", "placed": "2025-06-01T23:59:59.123-05:00", "customer": {"email": "a@b.it"}, "items": [{"name": "x"}]}`},
	{"a quantity written 2.0", true, `{"number": "1", "status": "pending", "placed": "2025-06-01", "customer": {"email": "a@b.it"}, "items": [{"name": "x", "quantity": 2.0}]}`},
	{"a list", false, `[]`},
	{"a string", false, `"SP-1"`},
	{"null", false, `null`},
	{"no number", false, `{"status": "pending", "placed": "2025-06-01", "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
	{"a number that is only punctuation", false, `{"number": "--", "status": "pending", "placed": "2025-06-01", "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
	{"a number as a number", false, `{"number": 482001, "status": "pending", "placed": "2025-06-01", "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
	{"an unknown status", false, `{"number": "1", "status": "sent", "placed": "2025-06-01", "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
	{"a status in capitals", false, `{"number": "1", "status": "Shipped", "placed": "2025-06-01", "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
	{"no placed date", false, `{"number": "1", "status": "pending", "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
	{"a date of another form", false, `{"number": "1", "status": "pending", "placed": "03/06/2025", "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
	{"a time without its zone", false, `{"number": "1", "status": "pending", "placed": "2025-06-01T10:00:00", "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
	{"a month 13", false, `{"number": "1", "status": "pending", "placed": "2025-13-01", "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
	{"a date that is null", false, `{"number": "1", "status": "pending", "placed": "2025-06-01", "shipped": null, "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
	{"an empty date", false, `{"number": "1", "status": "pending", "placed": "2025-06-01", "shipped": "", "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
	{"delivered without its date", false, `{"number": "1", "status": "delivered", "placed": "2025-06-01", "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
	{"no customer", false, `{"number": "1", "status": "pending", "placed": "2025-06-01", "items": [{"name": "x"}]}`},
	{"a customer without proof", false, `{"number": "1", "status": "pending", "placed": "2025-06-01", "customer": {"name": "Anna"}, "items": [{"name": "x"}]}`},
	{"an empty e-mail", false, `{"number": "1", "status": "pending", "placed": "2025-06-01", "customer": {"email": "", "postcode": "1"}, "items": [{"name": "x"}]}`},
	{"a customer's unknown field", false, `{"number": "1", "status": "pending", "placed": "2025-06-01", "customer": {"postcode": "1", "address": "Via Roma"}, "items": [{"name": "x"}]}`},
	{"an unknown field", false, `{"number": "1", "status": "pending", "placed": "2025-06-01", "customer": {"postcode": "1"}, "items": [{"name": "x"}], "notes": "x"}`},
	{"no items", false, `{"number": "1", "status": "pending", "placed": "2025-06-01", "customer": {"postcode": "1"}, "items": []}`},
	{"items null", false, `{"number": "1", "status": "pending", "placed": "2025-06-01", "customer": {"postcode": "1"}, "items": null}`},
	{"an item without a name", false, `{"number": "1", "status": "pending", "placed": "2025-06-01", "customer": {"postcode": "1"}, "items": [{"sku": "x"}]}`},
	{"a quantity of 0", false, `{"number": "1", "status": "pending", "placed": "2025-06-01", "customer": {"postcode": "1"}, "items": [{"name": "x", "quantity": 0}]}`},
	{"a quantity of 1.5", false, `{"number": "1", "status": "pending", "placed": "2025-06-01", "customer": {"postcode": "1"}, "items": [{"name": "x", "quantity": 1.5}]}`},
	{"a quantity as a string", false, `{"number": "1", "status": "pending", "placed": "2025-06-01", "customer": {"postcode": "1"}, "items": [{"name": "x", "quantity": "2"}]}`},
	{"a link that is a script", false, `{"number": "1", "status": "shipped", "placed": "2025-06-01", "tracking_url": "javascript:alert(1)", "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
	{"a link with credentials", false, `{"number": "1", "status": "shipped", "placed": "2025-06-01", "tracking_url": "https://user:pw@track.example/1", "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
	{"a carrier too long", false, `{"number": "1", "status": "shipped", "placed": "2025-06-01", "carrier": "` + strings.Repeat("x", 201) + `", "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
	{"a total as a number", false, `{"number": "1", "status": "shipped", "placed": "2025-06-01", "total": 379, "customer": {"postcode": "1"}, "items": [{"name": "x"}]}`},
}

func TestTheSchemaAndTheDecoderAgree(t *testing.T) {
	c := jsonschema.NewCompiler()
	doc, err := os.Open("../../docs/shop-contract.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("shop-contract.schema.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("shop-contract.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if p := schemaDoc.(map[string]any)["$defs"].(map[string]any)["date"].(map[string]any)["pattern"]; p != shophttp.DatePattern {
		t.Errorf("the schema's date pattern\n%s\nis not the decoder's\n%s", p, shophttp.DatePattern)
	}
	for _, a := range answers {
		t.Run(a.name, func(t *testing.T) {
			v, err := jsonschema.UnmarshalJSON(strings.NewReader(a.json))
			if err != nil {
				t.Fatal(err)
			}
			schemaErr := schema.Validate(v)
			_, decodeErr := shophttp.Decode([]byte(a.json))
			if (schemaErr == nil) != a.valid {
				t.Errorf("the schema says %v, want valid=%v", schemaErr, a.valid)
			}
			if (decodeErr == nil) != a.valid {
				t.Errorf("the decoder says %v, want valid=%v", decodeErr, a.valid)
			}
		})
	}
}

func TestTheDecoderSaysEveryMistakeAndWhere(t *testing.T) {
	_, err := shophttp.Decode([]byte(`{"number": "1", "status": "sent", "placed": "yesterday", "customer": {"name": "Anna"}, "items": [{"name": "x", "quantity": 0}], "notes": 1}`))
	for _, want := range []string{`unknown field "notes"`, `the order.status: "sent": want one of pending`, `the order.placed: "yesterday" is no date`,
		"the order.customer: neither email nor postcode", "the order.items[0].quantity: 0"} {
		if !strings.Contains(fmt.Sprint(err), want) {
			t.Errorf("%v\nlacks %q", err, want)
		}
	}
	if _, err := shophttp.Decode([]byte(good + ` {}`)); err == nil {
		t.Error("two values: no error")
	}
}

// FuzzDecode: no answer makes the decoder panic, or gives an order
// without its number, date, proof or items, or with a link that is none.
func FuzzDecode(f *testing.F) {
	for _, a := range answers {
		f.Add(a.json)
	}
	f.Fuzz(func(t *testing.T, data string) {
		o, err := shophttp.Decode([]byte(data))
		if err != nil {
			return
		}
		switch {
		case o.Number == "" || o.Placed.IsZero() || len(o.Items) == 0:
			t.Fatalf("an incomplete order: %+v", o)
		case o.Customer.Email == "" && o.Customer.Postcode == "":
			t.Fatalf("an order nobody can prove: %+v", o)
		case o.TrackingURL != "" && !bot.IsTrackingURL(o.TrackingURL):
			t.Fatalf("a link that is none: %q", o.TrackingURL)
		}
	})
}

// TestARedirectOfTheEndpointIsNotFollowed: the contract is one endpoint.
// A redirect would send the signed request, and the customer's answer,
// wherever it points (plain http included): the lookup fails, saying
// where, for the operator to set the endpoint itself.
func TestARedirectOfTheEndpointIsNotFollowed(t *testing.T) {
	var followed atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		followed.Store(true)
		reply(200, "application/json", good)(w, r)
	}))
	defer other.Close()
	srv := backend(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/sportello/order", http.StatusTemporaryRedirect)
	})
	_, err := mustShop(t, srv.URL).Order(context.Background(), "SP-482001")
	if followed.Load() {
		t.Error("the signed request followed the redirect")
	}
	if !errors.Is(err, bot.ErrShopUnavailable) || !strings.Contains(err.Error(), other.URL) {
		t.Errorf("%v, want unavailable, naming where the endpoint redirects", err)
	}
}
