package main

// End-to-end tests of the Shopify connector: the whole server with
// shop.system shopify pointed at a fake Shopify (adapters/shopify/shopifyfake),
// customers on the web chat, and the agents' Slack.

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/shopify/shopifyfake"
)

// shopifyOrder is the README's demo order on Shopify: it left yesterday
// at noon and is expected in two days, with BRT's tracking.
func shopifyOrder(today time.Time) shopifyfake.Order {
	at := func(days int) string {
		d := today.AddDate(0, 0, days)
		return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, d.Location()).Format(time.RFC3339)
	}
	return shopifyfake.Order{
		Name: "#SP-123456", CreatedAt: at(-4), ProcessedAt: at(-4),
		DisplayFinancialStatus: "PAID", DisplayFulfillmentStatus: "FULFILLED",
		Email:           "giulia.bianchi@example.it",
		ShippingAddress: &shopifyfake.Address{Name: "Giulia Bianchi", Zip: "20121"},
		Amount:          "379.0", Currency: "EUR",
		LineItems: []shopifyfake.LineItem{{Name: "Samsung Galaxy A55 5G 128GB", SKU: "SM-A556B", Quantity: 1}},
		Fulfillments: []shopifyfake.Fulfillment{{
			DisplayStatus: "IN_TRANSIT", CreatedAt: at(-1), EstimatedDeliveryAt: at(2),
			Tracking: []shopifyfake.Tracking{{Company: "BRT", Number: "0123456789", URL: "https://tracking.example.com/brt/SP-123456"}},
		}},
	}
}

// shopifyEnv is the environment of a server whose orders are on fake.
func shopifyEnv(fake *shopifyfake.Server, more ...string) map[string]string {
	env := map[string]string{
		"SPORTELLO_SHOP_SYSTEM": "shopify",
		"SHOPIFY_SHOP":          "sportello-demo",
		"SHOPIFY_API_URL":       fake.URL,
		"SHOPIFY_ACCESS_TOKEN":  shopifyfake.Token,
	}
	for i := 0; i+1 < len(more); i += 2 {
		env[more[i]] = more[i+1]
	}
	return env
}

// TestShopifyAnswersWhereIsMyOrder: with shop.system shopify, the demo
// shop answers from the shop's Shopify orders, with their dates and the
// tracking link, after the proof, and hands nothing over; as an app of
// the Shopify admin (a token) or of the Dev Dashboard (client
// credentials).
func TestShopifyAnswersWhereIsMyOrder(t *testing.T) {
	for _, tc := range []struct {
		name string
		auth []string
		want string // the requests
	}{
		{"an access token", nil, "OrderByName"},
		{"client credentials", []string{"SHOPIFY_ACCESS_TOKEN", "", "SHOPIFY_CLIENT_ID", shopifyfake.ClientID,
			"SHOPIFY_CLIENT_SECRET", shopifyfake.ClientSecret}, "client_credentials OrderByName"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			today := time.Now()
			fake := shopifyfake.New(t, shopifyOrder(today))
			base := ordersServer(t, shopifyEnv(fake, tc.auth...))
			c := newCustomer(t, base)
			c.say("dov'è il mio ordine SP-123456?")
			ask := c.waitFor("bot", "CAP")
			if strings.Contains(ask.Text, "BRT") || len(fake.Requests()) != 0 {
				t.Errorf("the order was looked up or shown before the proof: %q", ask.Text)
			}
			c.say("20121")
			got := c.waitFor("bot", "partito il "+today.AddDate(0, 0, -1).Format("02/01/2006"))
			for _, want := range []string{"prevista per il " + today.AddDate(0, 0, 2).Format("02/01/2006"), "BRT", "https://tracking.example.com/brt/SP-123456"} {
				if !strings.Contains(got.Text, want) {
					t.Errorf("reply %q lacks %q", got.Text, want)
				}
			}
			if n := c.count("", "in coda"); n != 0 {
				t.Errorf("the conversation was handed over:\n%s", dump(c.lines()))
			}
			var ops []string
			for _, r := range fake.Requests() {
				ops = append(ops, r.Operation)
				if r.Operation == "OrderByName" && (r.Variables["query"] != `name:"SP-123456"` || r.Path != "/admin/api/2026-10/graphql.json") {
					t.Errorf("request %+v: want a search by name", r)
				}
			}
			if got := strings.Join(ops, " "); got != tc.want {
				t.Errorf("requests %q, want %q", got, tc.want)
			}
		})
	}
}

// TestShopifyFindsTheOrderBehindManyLongerNames: a shop where Shopify's
// search for the customer's number finds 60 orders before theirs
// (#SP-1234560 to #SP-12345659, older): the customer still gets their own
// order, read from the second page of names, and nobody else's.
func TestShopifyFindsTheOrderBehindManyLongerNames(t *testing.T) {
	today := time.Now()
	var orders []shopifyfake.Order
	for i := range 60 {
		o := shopifyOrder(today)
		o.Name, o.Email = "#SP-123456"+strconv.Itoa(i), fmt.Sprintf("someone%d@example.it", i)
		o.ShippingAddress = &shopifyfake.Address{Name: "Someone Else", Zip: "00100"}
		o.Fulfillments[0].Tracking[0].URL = "https://tracking.example.com/brt/other"
		orders = append(orders, o)
	}
	fake := shopifyfake.New(t, append(orders, shopifyOrder(today))...)
	base := ordersServer(t, shopifyEnv(fake))
	c := newCustomer(t, base)
	c.say("dov'è il mio ordine SP-123456?")
	c.waitFor("bot", "CAP")
	c.say("20121")
	got := c.waitFor("bot", "partito il "+today.AddDate(0, 0, -1).Format("02/01/2006"))
	if !strings.Contains(got.Text, "https://tracking.example.com/brt/SP-123456") {
		t.Errorf("reply %q: want the customer's own tracking link", got.Text)
	}
	var ops []string
	for _, r := range fake.Requests() {
		ops = append(ops, r.Operation)
	}
	if got := strings.Join(ops, " "); got != "OrderByName OrderNames OrderByID" {
		t.Errorf("requests %q, want the search, its second page of names, and the order by its ID", got)
	}
}

// TestShopifyDownHandsTheCaseOverWithWhatWasCollected: Shopify down (a
// 500, HTML, a throttle past the deadline, no answer): the customer is
// told plainly, by the lookup's deadline, and the case goes to support
// with the order number.
func TestShopifyDownHandsTheCaseOverWithWhatWasCollected(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(*shopifyfake.Server)
	}{
		{"a 500", func(s *shopifyfake.Server) { s.SetFault(shopifyfake.FaultDown) }},
		{"HTML instead of JSON", func(s *shopifyfake.Server) { s.SetFault(shopifyfake.FaultHTML) }},
		{"no answer", func(s *shopifyfake.Server) { s.SetFault(shopifyfake.FaultHang) }},
		{"throttled past the deadline", func(s *shopifyfake.Server) { s.SetBucket(2000, 0, 1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := shopifyfake.New(t, shopifyOrder(time.Now()))
			tc.setup(fake)
			fs := fakeSlack(t)
			env := shopifyEnv(fake, "SPORTELLO_LOOKUP_TIMEOUT", "500ms")
			slack := slackEnv(fs, "socket")
			getenv := func(k string) string {
				if v, ok := env[k]; ok {
					return v
				}
				return slack(k)
			}
			cfg, err := loadConfig("", getenv)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Review.Managers = e2eConfig().Review.Managers
			srv, err := newServer(context.Background(), cfg, getenv, shopBot(t, true), testLog(t), deps{poll: 100 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			c := newCustomer(t, start(t, srv))
			c.say("dov'è il mio ordine SP-123456?")
			c.waitFor("bot", "CAP")
			begin := time.Now()
			c.say("20121")
			c.waitFor("bot", "non riesco a consultare gli ordini")
			if took := time.Since(begin); took > 3*time.Second {
				t.Errorf("the reply took %v with a 500ms deadline", took)
			}
			c.waitFor("", "Ti ho messo in coda per il team Assistenza")
			card := onlyCard(t, fs, supportCh)
			if all := card.Text + string(card.Blocks); !strings.Contains(all, "SP-123456") {
				t.Errorf("the agents' card lacks the order number:\n%s", all)
			}
		})
	}
}

// TestShopifyStartupErrorsNameWhatIsMissing: shop.system shopify without
// its token or its shop stops the start with a clear mistake, which
// config check shows too; the token is never printed.
func TestShopifyStartupErrorsNameWhatIsMissing(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"no token", map[string]string{"SPORTELLO_SHOP_SYSTEM": "shopify", "SHOPIFY_SHOP": "sportello-demo"}, "SHOPIFY_ACCESS_TOKEN: not set"},
		{"an ID without its secret", map[string]string{"SPORTELLO_SHOP_SYSTEM": "shopify", "SHOPIFY_SHOP": "d", "SHOPIFY_CLIENT_ID": "x"}, "SHOPIFY_CLIENT_SECRET: not set"},
		{"no shop", map[string]string{"SPORTELLO_SHOP_SYSTEM": "shopify", "SHOPIFY_ACCESS_TOKEN": shopifyfake.Token}, "shop.shopify.shop: no shop: want its myshopify name"},
		{"a bad shop", map[string]string{"SPORTELLO_SHOP_SYSTEM": "shopify", "SHOPIFY_SHOP": "my shop", "SHOPIFY_ACCESS_TOKEN": shopifyfake.Token}, "shop.shopify.shop (SHOPIFY_SHOP): shop \"my shop\""},
		{"plain http", map[string]string{"SPORTELLO_SHOP_SYSTEM": "shopify", "SHOPIFY_API_URL": "http://proxy.example:8080", "SHOPIFY_ACCESS_TOKEN": shopifyfake.Token}, "in the clear"},
		{"a bad version", map[string]string{"SPORTELLO_SHOP_SYSTEM": "shopify", "SHOPIFY_SHOP": "d", "SHOPIFY_API_VERSION": "2025-06", "SHOPIFY_ACCESS_TOKEN": shopifyfake.Token}, `"2025-06": want a release`},
		{"a shop without the system", map[string]string{"SHOPIFY_SHOP": "sportello-demo", "SHOPIFY_ACCESS_TOKEN": shopifyfake.Token}, `but shop.shopify names a shop`},
		{"an unknown system", map[string]string{"SPORTELLO_SHOP_SYSTEM": "magento"}, `shop.system (SPORTELLO_SHOP_SYSTEM): "magento"`},
		{"two systems", map[string]string{"SPORTELLO_SHOP_SYSTEM": "shopify", "SHOPIFY_SHOP": "d", "SHOPIFY_ACCESS_TOKEN": shopifyfake.Token, "SPORTELLO_ORDERS_FILE": "/srv/o.json"}, "remove one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadConfig("", func(k string) string { return tc.env[k] })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("loadConfig = %v, want %q", err, tc.want)
			}
			code, out, errs := runEnv(t, tc.env, "config", "check")
			if code == 0 || !strings.Contains(errs, tc.want) {
				t.Errorf("config check: exit %d, stderr:\n%s\nwant %q", code, errs, tc.want)
			}
			if strings.Contains(out+errs, shopifyfake.Token) {
				t.Errorf("config check prints the token")
			}
		})
	}
}

// TestTheShopifySectionOfTheConfiguration: the file's keys, and the
// variables that win over them.
func TestTheShopifySectionOfTheConfiguration(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.yaml")
	src := "shop:\n  system: shopify\n  shopify:\n    shop: sportello-demo\n    api_version: 2025-10\n    url: https://proxy.example\n"
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SHOPIFY_ACCESS_TOKEN": "shpat_x"}
	c, err := loadConfig(file, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if want := (shopifyConfig{Shop: "sportello-demo", APIVersion: "2025-10", URL: "https://proxy.example", token: "shpat_x"}); c.Shop.System != "shopify" || c.Shop.Shopify != want {
		t.Errorf("shop = %+v, want system shopify and %+v", c.Shop, want)
	}
	env = map[string]string{"SHOPIFY_ACCESS_TOKEN": "shpat_x", "SHOPIFY_SHOP": "other", "SHOPIFY_API_VERSION": "2026-01", "SHOPIFY_API_URL": "https://other.example"}
	c, err = loadConfig(file, func(k string) string { return env[k] })
	if err != nil || c.Shop.Shopify.Shop != "other" || c.Shop.Shopify.APIVersion != "2026-01" || c.Shop.Shopify.URL != "https://other.example" {
		t.Errorf("the environment does not win: %+v, %v", c.Shop, err)
	}
	if err := os.WriteFile(file, []byte("shop:\n  shopify:\n    access_token: shpat_in_the_file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadConfig(file, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "access_token not found") {
		t.Errorf("a token in the file: %v, want it refused", err)
	}
}

// TestShopifyTokenIsNeverLogged: the server's log, from start to a
// lookup the shop refuses, never holds the token.
func TestShopifyTokenIsNeverLogged(t *testing.T) {
	fake := shopifyfake.New(t, shopifyOrder(time.Now()))
	env := shopifyEnv(fake, "SHOPIFY_ACCESS_TOKEN", shopifyfake.Token+"-revoked")
	var mu sync.Mutex
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	cfg := ordersConfig(t, env)
	srv, err := newServer(context.Background(), cfg, func(k string) string { return env[k] }, shopBot(t, true), log, deps{poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	c := newCustomer(t, start(t, srv))
	c.say("dov'è il mio ordine SP-123456?")
	c.waitFor("bot", "CAP")
	c.say("20121")
	c.waitFor("bot", "non riesco a consultare gli ordini")
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	if !strings.Contains(out, "check SHOPIFY_ACCESS_TOKEN") {
		t.Errorf("no line tells the operator the token was refused:\n%s", out)
	}
	if strings.Contains(out, shopifyfake.Token) {
		t.Errorf("the token is in the log:\n%s", out)
	}
}
