package main

// End-to-end tests of the shop systems' connectors: the whole server
// with the demo shop's flows, its orders in a fake WooCommerce
// (adapters/woocommerce/wootest) or behind a shop's own endpoint of the
// HTTP contract (adapters/shophttp), and customers on the web chat.

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/shophttp"
	"github.com/sportello/sportello/adapters/woocommerce/wootest"
)

// wooOrder is the demo's SP-123456 as a WooCommerce site with Shipment
// Tracking has it: the order 482001, completed when it left.
func wooOrder() wootest.Order {
	placed := time.Date(2025, 5, 30, 9, 15, 0, 0, time.UTC)
	left := time.Date(2025, 6, 2, 14, 0, 0, 0, time.UTC)
	return wootest.Order{ID: 482001, Status: "completed", Total: "379.00", Created: placed, Paid: placed, Completed: left,
		Billing:  wootest.Address{FirstName: "Giulia", LastName: "Bianchi", Email: "giulia.bianchi@example.it", Postcode: "20121"},
		Shipping: wootest.Address{FirstName: "Giulia", LastName: "Bianchi", Postcode: "20121"},
		Items:    []wootest.Item{{Name: "Samsung Galaxy A55 5G 128GB Navy", SKU: "SM-A556B", Quantity: 1}},
		Tracking: []wootest.Tracking{{CustomProvider: "BRT", Number: "0123456789", Link: "https://tracking.example.com/brt/482001", Shipped: left}}}
}

func wooEnv(url string) map[string]string {
	return map[string]string{"SPORTELLO_SHOP_SYSTEM": "woocommerce", "WOOCOMMERCE_URL": url,
		"WOOCOMMERCE_CONSUMER_KEY": wootest.Key, "WOOCOMMERCE_CONSUMER_SECRET": wootest.Secret, "SPORTELLO_LOOKUP_TIMEOUT": "500ms"}
}

// TestWooCommerceAnswersWhereIsMyOrder: a customer asks for their order
// by the shop's number; the bot answers from the site, after the proof,
// with the carrier and the tracking link, and hands nothing off.
func TestWooCommerceAnswersWhereIsMyOrder(t *testing.T) {
	woo := wootest.NewServer(t, wooOrder())
	base := ordersServer(t, wooEnv(woo.URL))
	c := newCustomer(t, base)
	c.say("dov'è il mio ordine SP-482001?")
	if ask := c.waitFor("bot", "CAP"); strings.Contains(ask.Text, "BRT") {
		t.Errorf("a detail before the proof: %q", ask.Text)
	}
	c.say("20121")
	got := c.waitFor("bot", "partito il 02/06/2025")
	for _, want := range []string{"BRT", "https://tracking.example.com/brt/482001"} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("reply %q lacks %q", got.Text, want)
		}
	}
	if n := c.count("bot", "in coda"); n != 0 {
		t.Errorf("the conversation was handed over:\n%s", dump(c.lines()))
	}
	if reqs := woo.Requests(); len(reqs) == 0 || reqs[0] != "GET /wp-json/wc/v3/orders/482001" {
		t.Errorf("the site was asked %q", reqs)
	}

	c = newCustomer(t, base)
	c.say("dov'è il mio ordine SP-482001?")
	c.waitFor("bot", "CAP")
	c.say("99999")
	c.waitFor("bot", "Non trovo un ordine") // another's postcode
}

// TestWooCommerceFailuresEndToEnd: the site down, hanging, answering HTML
// or refusing the key: the customer is told, the case goes to support.
func TestWooCommerceFailuresEndToEnd(t *testing.T) {
	woo := wootest.NewServer(t, wooOrder())
	base := ordersServer(t, wooEnv(woo.URL))
	for _, fault := range []wootest.Fault{wootest.FaultServer, wootest.FaultHang, wootest.FaultHTML, wootest.FaultReadOnly} {
		t.Run(string(fault), func(t *testing.T) {
			woo.SetFault(fault)
			defer woo.SetFault(wootest.NoFault)
			c := newCustomer(t, base)
			c.say("dov'è il mio ordine SP-482001?")
			c.waitFor("bot", "CAP")
			start := time.Now()
			c.say("20121")
			c.waitFor("bot", "non riesco a consultare gli ordini")
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("the reply took %v with a 500ms deadline", took)
			}
			c.waitFor("", "Ti ho messo in coda per il team Assistenza")
		})
	}
}

// contractBackend is a shop's endpoint of the HTTP contract answering
// SP-123456, whose signature check is shophttp.Sign's (the example
// server checks it on its own: examples/shopserver); down makes it
// answer 503.
func contractBackend(t *testing.T, secret string, down *atomic.Bool) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts := r.Header.Get(shophttp.HeaderTimestamp)
		if r.Header.Get(shophttp.HeaderSignature) != shophttp.Sign([]byte(secret), ts, body) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		if secs, _ := strconv.ParseInt(ts, 10, 64); time.Since(time.Unix(secs, 0)).Abs() > 5*time.Minute {
			http.Error(w, "stale", http.StatusUnauthorized)
			return
		}
		if down.Load() {
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if !strings.Contains(string(body), `"SP-123456"`) {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		io.WriteString(w, `{"number": "SP-123456", "status": "shipped", "placed": "2025-05-30", "shipped": "2025-06-02",
			"carrier": "BRT", "tracking_url": "https://tracking.example.com/brt/SP-123456", "total": "379.00 EUR",
			"customer": {"name": "Giulia Bianchi", "email": "giulia.bianchi@example.it", "postcode": "20121"},
			"items": [{"name": "Samsung Galaxy A55 5G 128GB Navy", "quantity": 1, "product": "galaxy-a55"}]}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestTheShopsOwnSystemAnswersWhereIsMyOrder: the HTTP contract end to
// end: the order from the shop's endpoint, then the endpoint down.
func TestTheShopsOwnSystemAnswersWhereIsMyOrder(t *testing.T) {
	const secret = "e2e-shop-secret-0123456789abcdef0123"
	var down atomic.Bool
	shop := contractBackend(t, secret, &down)
	base := ordersServer(t, map[string]string{"SPORTELLO_SHOP_SYSTEM": "http", "SPORTELLO_SHOP_URL": shop.URL,
		"SPORTELLO_SHOP_SECRET": secret, "SPORTELLO_LOOKUP_TIMEOUT": "500ms"})
	c := newCustomer(t, base)
	c.say("dov'è il mio ordine SP-123456?")
	c.waitFor("bot", "CAP")
	c.say("giulia.bianchi@example.it")
	got := c.waitFor("bot", "partito il 02/06/2025")
	if !strings.Contains(got.Text, "https://tracking.example.com/brt/SP-123456") {
		t.Errorf("reply %q lacks the tracking link", got.Text)
	}
	c.say("e l'ordine SP-654321?")
	c.waitFor("bot", "Per controllare l'ordine SP-654321")
	c.say("giulia.bianchi@example.it")
	c.waitFor("bot", "Non trovo un ordine")

	down.Store(true)
	c = newCustomer(t, base)
	c.say("dov'è il mio ordine SP-123456?")
	c.waitFor("bot", "CAP")
	c.say("20121")
	c.waitFor("bot", "non riesco a consultare gli ordini")
	c.waitFor("", "Ti ho messo in coda per il team Assistenza")
}

// TestAShopSystemWithoutItsSecretsStopsTheStart: a system whose secrets
// are not in the environment is a start-up error naming the variables.
func TestAShopSystemWithoutItsSecretsStopsTheStart(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"woocommerce", map[string]string{"SPORTELLO_SHOP_SYSTEM": "woocommerce", "WOOCOMMERCE_URL": "https://shop.example",
			"WOOCOMMERCE_CONSUMER_KEY": "ck_x"}, "WOOCOMMERCE_CONSUMER_SECRET not set"},
		{"woocommerce without both", map[string]string{"SPORTELLO_SHOP_SYSTEM": "woocommerce", "WOOCOMMERCE_URL": "https://shop.example"},
			"WOOCOMMERCE_CONSUMER_KEY and WOOCOMMERCE_CONSUMER_SECRET not set"},
		{"http", map[string]string{"SPORTELLO_SHOP_SYSTEM": "http", "SPORTELLO_SHOP_URL": "https://shop.example/order"}, "SPORTELLO_SHOP_SECRET not set"},
		{"http with a short secret", map[string]string{"SPORTELLO_SHOP_SYSTEM": "http", "SPORTELLO_SHOP_URL": "https://shop.example/order",
			"SPORTELLO_SHOP_SECRET": "short"}, "want at least 32"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newServer(context.Background(), ordersConfig(t, tc.env), func(k string) string { return tc.env[k] }, shopBot(t, false), testLog(t), deps{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("newServer = %v, want an error with %q", err, tc.want)
			}
			code, _, errs := runEnv(t, tc.env, "config", "check")
			if code == 0 || !strings.Contains(errs, tc.want) {
				t.Errorf("config check: exit %d, %q; want the mistake %q", code, errs, tc.want)
			}
		})
	}
}

func TestConfigCheckHidesTheShopsSecrets(t *testing.T) {
	env := map[string]string{"SPORTELLO_SHOP_SYSTEM": "woocommerce", "WOOCOMMERCE_URL": "https://shop.example",
		"WOOCOMMERCE_CONSUMER_KEY": "ck_visible_nowhere", "WOOCOMMERCE_CONSUMER_SECRET": "cs_visible_nowhere",
		"SPORTELLO_SHOP_SECRET": "shop-secret-visible-nowhere-0123456789"}
	code, out, errs := runEnv(t, env, "config", "check")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if strings.Contains(out+errs, "visible_nowhere") || strings.Contains(out+errs, "visible-nowhere") {
		t.Errorf("config check shows a secret:\n%s", out)
	}
	for _, want := range []string{"WOOCOMMERCE_CONSUMER_KEY", "WOOCOMMERCE_CONSUMER_SECRET", "SPORTELLO_SHOP_SECRET"} {
		line := lineWith(out, want)
		if !strings.Contains(line, "(hidden)") {
			t.Errorf("the line of %s is %q, want (hidden)", want, line)
		}
	}
}

func lineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

func TestTheShopsSystemIsChecked(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"SPORTELLO_SHOP_SYSTEM": "magento"}, `shop.system (SPORTELLO_SHOP_SYSTEM): "magento": want one of file, shopify, woocommerce, http`},
		{map[string]string{"SPORTELLO_SHOP_SYSTEM": "woocommerce"}, "shop.woocommerce.url: empty"},
		{map[string]string{"SPORTELLO_SHOP_SYSTEM": "woocommerce", "WOOCOMMERCE_URL": "http://shop.example"}, "plain http sends the customers' details in the clear"},
		{map[string]string{"SPORTELLO_SHOP_SYSTEM": "http", "SPORTELLO_SHOP_URL": "https://user:pw@shop.example/x"}, "without credentials"},
		{map[string]string{"SPORTELLO_SHOP_SYSTEM": "http"}, "shop.http.url: empty"},
		{map[string]string{"WOOCOMMERCE_URL": "https://shop.example"}, "shop.system (SPORTELLO_SHOP_SYSTEM) is not woocommerce"},
	} {
		_, err := loadConfig("", func(k string) string { return tc.env[k] })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.env, err, tc.want)
		}
	}
	for _, url := range []string{"http://127.0.0.1:8090/order", "http://localhost/order", "http://[::1]:80/x", "https://shop.example/order"} {
		env := map[string]string{"SPORTELLO_SHOP_SYSTEM": "http", "SPORTELLO_SHOP_URL": url}
		if _, err := loadConfig("", func(k string) string { return env[k] }); err != nil {
			t.Errorf("%s: %v", url, err)
		}
	}
}

// TestAKeyWithoutReadPermissionIsLoggedForTheOperator: WooCommerce
// refuses the key (401 woocommerce_rest_cannot_view); the customer is
// told and handed to support, and the operator's log says what to fix,
// without the key, the secret or the customer's proof.
func TestAKeyWithoutReadPermissionIsLoggedForTheOperator(t *testing.T) {
	woo := wootest.NewServer(t, wooOrder())
	woo.SetFault(wootest.FaultReadOnly)
	env := wooEnv(woo.URL)
	var mu sync.Mutex
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	srv, err := newServer(context.Background(), ordersConfig(t, env), func(k string) string { return env[k] }, shopBot(t, true), log,
		deps{poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	c := newCustomer(t, start(t, srv))
	c.say("dov'è il mio ordine SP-482001?")
	c.waitFor("bot", "CAP")
	c.say("giulia.bianchi@example.it")
	c.waitFor("bot", "non riesco a consultare gli ordini")
	c.waitFor("", "Ti ho messo in coda per il team Assistenza")
	mu.Lock()
	logged := buf.String()
	mu.Unlock()
	line := lineWith(logged, "order lookup failed")
	for _, want := range []string{"lookup=unavailable", "woocommerce_rest_cannot_view", "WOOCOMMERCE_CONSUMER_KEY", "Read permission"} {
		if !strings.Contains(line, want) {
			t.Errorf("the operator's line %q lacks %q", line, want)
		}
	}
	for _, secret := range []string{wootest.Key, wootest.Secret, "giulia.bianchi@example.it"} {
		if strings.Contains(logged, secret) {
			t.Errorf("the log holds %q:\n%s", secret, logged)
		}
	}
}

// TestTheSystemFileIsTheDemosOrdersWithTheDemo: shop.system file without
// an orders file is the demo's sample orders with the demo shop, and a
// start-up error with a shop's own flows.
func TestTheSystemFileIsTheDemosOrdersWithTheDemo(t *testing.T) {
	env := map[string]string{"SPORTELLO_SHOP_SYSTEM": "file"}
	cfg, err := loadConfig("", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if o, what, err := openOrders(cfg.Shop, true, nil, nil, slog.New(slog.DiscardHandler)); err != nil || o == nil || !strings.Contains(what, "sample orders") {
		t.Errorf("with the demo: %v, %q, %v; want the sample orders", o, what, err)
	}
	if _, _, err := openOrders(cfg.Shop, false, nil, nil, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "no shop.orders_file") {
		t.Errorf("with a shop's own flows: %v, want no orders file", err)
	}
}
