package main

// End-to-end tests of the shop's orders: the whole server with the demo's
// sample orders (adapters/orderfile) or an orders file, and customers on
// the web chat.

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
)

// ordersConfig is the configuration of env, as the binary reads it.
func ordersConfig(t *testing.T, env map[string]string) config {
	t.Helper()
	cfg, err := loadConfig("", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Review.Managers = e2eConfig().Review.Managers
	return cfg
}

// ordersServer serves the demo shop, its teams always open, with env as
// the environment, on the real clock: the web chat stamps messages with
// it, and the sample orders' dates move to it.
func ordersServer(t *testing.T, env map[string]string) string {
	t.Helper()
	getenv := func(k string) string { return env[k] }
	srv, err := newServer(context.Background(), ordersConfig(t, env), getenv, shopBot(t, true), testLog(t),
		deps{poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return start(t, srv)
}

// TestTheDemoAnswersWhereIsMyOrder is the README's demo: with nothing
// configured, the demo shop answers from its sample orders, with dates
// moved to the present and a tracking link.
func TestTheDemoAnswersWhereIsMyOrder(t *testing.T) {
	base := ordersServer(t, nil)
	c := newCustomer(t, base)
	c.say("dov'è il mio ordine SP-123456?")
	ask := c.waitFor("bot", "CAP")
	if strings.Contains(ask.Text, "BRT") {
		t.Errorf("a detail before the proof: %q", ask.Text)
	}
	c.say("giulia.bianchi@example.it")
	// The file's parcel left the day before its today and arrives two
	// days after: so it does now.
	// The web chat's clock, on the shop's calendar (Europe/Rome), whose
	// days the bot writes: from 23:00 UTC it is already tomorrow there.
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(rome)
	got := c.waitFor("bot", "partito il "+today.AddDate(0, 0, -1).Format("02/01/2006"))
	for _, want := range []string{"prevista per il " + today.AddDate(0, 0, 2).Format("02/01/2006"), "BRT", "https://tracking.example.com/brt/SP-123456"} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("reply %q lacks %q", got.Text, want)
		}
	}
	if n := c.count("bot", "in coda"); n != 0 {
		t.Errorf("the conversation was handed over:\n%s", dump(c.lines()))
	}
}

// TestShopSystemFailuresEndToEnd plays each fault the demo file holds:
// the customer is told, the case goes to support with the order, and the
// reply comes by the lookup's deadline.
func TestShopSystemFailuresEndToEnd(t *testing.T) {
	base := ordersServer(t, map[string]string{"SPORTELLO_LOOKUP_TIMEOUT": "500ms"})
	for _, number := range []string{"SP-999999", "SP-999998", "SP-999997"} {
		t.Run(number, func(t *testing.T) {
			c := newCustomer(t, base)
			c.say("dov'è il mio ordine " + number + "?")
			c.waitFor("bot", "CAP")
			start := time.Now()
			c.say("20121")
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("the reply took %v with a 500ms deadline", took)
			}
			c.waitFor("bot", "non riesco a consultare gli ordini")
			c.waitFor("", "Ti ho messo in coda per il team Assistenza")
		})
	}
}

// TestASlowShopSystemDelaysOnlyItsConversation: a lookup that hangs until
// its deadline holds up its own conversation, never another's.
func TestASlowShopSystemDelaysOnlyItsConversation(t *testing.T) {
	base := ordersServer(t, map[string]string{"SPORTELLO_LOOKUP_TIMEOUT": "2s"})
	slow, quick := newCustomer(t, base), newCustomer(t, base)
	slow.say("dov'è il mio ordine SP-999998?")
	slow.waitFor("bot", "CAP")
	var wg sync.WaitGroup
	wg.Go(func() { slow.say("20121") })
	time.Sleep(200 * time.Millisecond) // the slow lookup is under way
	start := time.Now()
	quick.say("quanto costa la spedizione?")
	quick.waitFor("bot", "corriere espresso")
	if took := time.Since(start); took > time.Second {
		t.Errorf("another conversation waited %v for the slow lookup", took)
	}
	wg.Wait()
	slow.waitFor("bot", "non riesco a consultare gli ordini")
}

// TestAnOrdersFileWithMistakesStopsTheStart: SPORTELLO_ORDERS_FILE is read
// at start-up, and a file with mistakes (HTML, a bad link, none at all) is
// a start-up error naming its line.
func TestAnOrdersFileWithMistakesStopsTheStart(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", `{"orders": [{"number": "SP-100001", "status": "delivered", "placed": "2025-05-01",
  "delivered": "2025-05-03", "customer": {"postcode": "20121"}, "items": [{"name": "Google Pixel 8"}]}]}`)
	for _, tc := range []struct{ name, path, want string }{
		{"HTML instead of JSON", write("page.json", "<html><body>502 Bad Gateway</body></html>"), "page.json:1:1: the file: want an object"},
		{"a link that is no link", write("js.json", `{"orders": [{"number": "SP-1", "status": "shipped", "placed": "2025-05-01",
  "tracking_url": "javascript:alert(1)", "customer": {"postcode": "20121"}, "items": [{"name": "x"}]}]}`), "js.json:2:19: order SP-1: tracking_url"},
		{"no such file", filepath.Join(dir, "none.json"), "none.json: no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"SPORTELLO_ORDERS_FILE": tc.path}
			_, err := newServer(context.Background(), ordersConfig(t, env), func(k string) string { return env[k] }, shopBot(t, false), testLog(t), deps{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "SPORTELLO_ORDERS_FILE") {
				t.Fatalf("newServer = %v, want an error with %q", err, tc.want)
			}
		})
	}
	t.Run("a good file replaces the demo's", func(t *testing.T) {
		base := ordersServer(t, map[string]string{"SPORTELLO_ORDERS_FILE": good})
		c := newCustomer(t, base)
		c.say("dov'è il mio ordine SP-100001?")
		c.waitFor("bot", "CAP")
		c.say("20121")
		c.waitFor("bot", "consegnato il 03/05/2025") // a shop's own file: its dates as written
		c.say("e l'ordine SP-123456?")
		c.waitFor("bot", "Per controllare l'ordine SP-123456")
		c.say("giulia.bianchi@example.it")
		c.waitFor("bot", "Non trovo un ordine") // the demo's orders are gone
	})
}

func TestTheShopSectionOfTheConfiguration(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.yaml")
	src := "shop:\n  orders_file: /srv/orders.json\n  timeout: 1500ms\n  conversation_lookups: 4\n  shop_lookups_per_minute: 30\n  max_failed_proofs: 2\n"
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := loadConfig(file, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	want := shopConfig{OrdersFile: "/srv/orders.json", Timeout: 1500 * time.Millisecond, ConversationLookups: 4, ShopLookups: 30, MaxFailedProofs: 2}
	if !reflect.DeepEqual(c.Shop, want) {
		t.Errorf("shop = %+v, want %+v", c.Shop, want)
	}
	env := map[string]string{"SPORTELLO_ORDERS_FILE": "/data/o.json", "SPORTELLO_LOOKUP_TIMEOUT": "2s"}
	c, err = loadConfig(file, func(k string) string { return env[k] })
	if err != nil || c.Shop.OrdersFile != "/data/o.json" || c.Shop.Timeout != 2*time.Second {
		t.Errorf("the environment does not win: %+v, %v", c.Shop, err)
	}
	for _, tc := range []struct{ src, env, want string }{
		{"shop:\n  timeout: forever\n", "", "c.yaml:2"},
		{"shop:\n  timeout: 5m\n", "", "shop.timeout: 5m0s: want up to a minute"},
		{"shop:\n  max_failed_proofs: -1\n", "", "may not be negative"},
		{"shop:\n  orders: x\n", "", "field orders not found"},
		{"", "soon", "SPORTELLO_LOOKUP_TIMEOUT: \"soon\""},
	} {
		if err := os.WriteFile(file, []byte(tc.src), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := loadConfig(file, func(k string) string {
			if k == "SPORTELLO_LOOKUP_TIMEOUT" {
				return tc.env
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("config %q, env %q: %v, want %q", tc.src, tc.env, err, tc.want)
		}
	}
}

// TestWrongProofsFromManyVisitorsLockTheOrder: visitor after visitor
// tries a postcode for the same order, each within the conversation's own
// three; past the order's budget (shop.order_failed_proofs_per_hour) the
// next visitor, with the owner's e-mail too, is offered a person and sees
// nothing of the order.
func TestWrongProofsFromManyVisitorsLockTheOrder(t *testing.T) {
	cfg := ordersConfig(t, nil)
	cfg.Shop.OrderFailedProofs = 2
	srv, err := newServer(context.Background(), cfg, func(string) string { return "" }, shopBot(t, true), testLog(t),
		deps{poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	base := start(t, srv)
	for _, guess := range []string{"20100", "20199"} {
		c := newCustomer(t, base)
		c.say("dov'è il mio ordine SP-123456?")
		c.waitFor("bot", "CAP")
		c.say(guess)
		c.waitFor("bot", "trovo un ordine")
	}
	c := newCustomer(t, base)
	c.say("dov'è il mio ordine SP-123456?")
	c.waitFor("bot", "CAP")
	c.say("giulia.bianchi@example.it")
	c.waitFor("bot", "non posso fare altre verifiche")
	for _, l := range c.lines() {
		if strings.Contains(l.Text, "BRT") || strings.Contains(l.Text, "tracking.example.com") {
			t.Errorf("a locked order was shown: %q", l.Text)
		}
	}
	// Another order is looked up as usual.
	o := newCustomer(t, base)
	o.say("where is my order SP-200101?")
	o.waitFor("bot", "postcode")
}

// TestWrongProofsOnEveryReplicaLockTheOrder: the failed proofs of an
// order are counted in Redis, so visitors whose guesses land on replica
// A, then B, use one budget (shop.order_failed_proofs_per_hour): the next
// visitor, on either replica, and on a replica started after them (a
// restart), is offered a person and sees nothing of the order.
func TestWrongProofsOnEveryReplicaLockTheOrder(t *testing.T) {
	stores := redisReplicaStores(t, 3)
	cfg := ordersConfig(t, nil)
	cfg.Shop.OrderFailedProofs = 2
	env := func(k string) string {
		if k == "SPORTELLO_WEBCHAT_KEY" {
			return testWebchatKey
		}
		return ""
	}
	serve := func(i int) string {
		srv, err := newServer(context.Background(), cfg, env, shopBot(t, true), testLog(t),
			deps{store: stores[i], poll: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		return start(t, srv)
	}
	a, b := serve(0), serve(1)
	for i, guess := range []string{"20100", "20199"} {
		c := newCustomer(t, []string{a, b}[i])
		c.say("dov'è il mio ordine SP-123456?")
		c.waitFor("bot", "CAP")
		c.say(guess)
		c.waitFor("bot", "trovo un ordine")
	}
	later := serve(2)
	for _, base := range []string{a, b, later} {
		c := newCustomer(t, base)
		c.say("dov'è il mio ordine SP-123456?")
		c.waitFor("bot", "CAP")
		c.say("giulia.bianchi@example.it")
		c.waitFor("bot", "non posso fare altre verifiche")
		for _, l := range c.lines() {
			if strings.Contains(l.Text, "BRT") || strings.Contains(l.Text, "tracking.example.com") {
				t.Errorf("a locked order was shown: %q", l.Text)
			}
		}
	}
	// Redis holds the count under a hash of the number, never the number.
	ctx := context.Background()
	key := orderLimits{secret: counterKey(deploymentKey(env, "order limits"), cfg.Shop)}.key("proof", "SP-123456")
	if strings.Contains(key, "123456") {
		t.Errorf("the counter's key %q holds the order number", key)
	}
	if n, err := stores[0].Add(ctx, key, 0, 0, time.Hour); err != nil || n != 2 {
		t.Errorf("the order's failed proofs in Redis = %d, %v; want 2", n, err)
	}
	if n, err := stores[0].Add(ctx, "orders:shop", 0, 0, time.Minute); err != nil || n < 2 {
		t.Errorf("the shop's lookups in Redis = %d, %v; want every replica's", n, err)
	}
}

// failingCounters are counters whose store is down.
type failingCounters struct{}

func (failingCounters) Add(context.Context, string, int64, int64, time.Duration) (int64, error) {
	return 0, errors.New("redis: count: dial tcp 127.0.0.1:6379: connection refused")
}

// TestOrderLookupWithItsLimitsDownGoesToAPerson: when the store cannot
// count the lookups, none goes ahead unbounded: the customer is told
// the orders cannot be looked up now and goes to Support, and the server
// stays up.
func TestOrderLookupWithItsLimitsDownGoesToAPerson(t *testing.T) {
	mem := memory.NewStore()
	caps := mem.Capabilities()
	caps.Counters = failingCounters{}
	cfg := ordersConfig(t, nil)
	srv, err := newServer(context.Background(), cfg, func(string) string { return "" }, shopBot(t, true), testLog(t),
		deps{store: lackingStore{mem, caps}, poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	base := start(t, srv)
	c := newCustomer(t, base)
	c.say("dov'è il mio ordine SP-123456?")
	c.waitFor("bot", "CAP")
	c.say("giulia.bianchi@example.it")
	c.waitFor("bot", "non riesco a consultare gli ordini")
	c.waitFor("bot", "in coda")
	for _, l := range c.lines() {
		if strings.Contains(l.Text, "BRT") {
			t.Errorf("the order was shown without its limits: %q", l.Text)
		}
	}
}
