package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	// The zone database in the binary: a static image has none of its own.
	_ "time/tzdata"

	"go.yaml.in/yaml/v3"

	"github.com/sportello/sportello/adapters/guard"
	"github.com/sportello/sportello/adapters/review"
	"github.com/sportello/sportello/adapters/shopify"
	"github.com/sportello/sportello/adapters/webchat"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/redact"
	"github.com/sportello/sportello/flows"
)

// config is the server's configuration: defaults that run the demo, a
// YAML file (SPORTELLO_CONFIG or --config), then the environment, then
// flags. Secrets come only from the environment.
type config struct {
	// Addr is the one HTTP listener: web chat, webhooks, review, metrics.
	Addr string `yaml:"addr"`
	// Flows is the flow file or folder; empty runs the embedded demo shop.
	Flows string `yaml:"flows"`
	// Log is "text" or "json", LogLevel "debug", "info", "warn", "error".
	Log      string `yaml:"log"`
	LogLevel string `yaml:"log_level"`
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (addresses or networks, "loopback", "private"); none by
	// default, so a client cannot choose its own address.
	TrustedProxies []string `yaml:"trusted_proxies"`
	// Webchat names the shops' sites whose pages may embed and call the
	// web chat (SPORTELLO_WEBCHAT_ORIGINS, comma-separated); the chat's
	// own host always may.
	Webchat struct {
		AllowedOrigins []string `yaml:"allowed_origins"`
	} `yaml:"webchat"`
	// Timezone is the shop's time zone (an IANA name such as Europe/Rome,
	// SPORTELLO_TIMEZONE): the review pages show dates, cut days, count
	// the dashboard's days and write the exports in it.
	Timezone string `yaml:"timezone"`
	// timezoneSet tells that the file or SPORTELLO_TIMEZONE named the
	// zone: without it, serve takes the flow file's hours zone (flowZone).
	timezoneSet bool
	// Review configures the managers' pages and the archive.
	Review reviewConfig `yaml:"review"`
	// Slack names the team channels (team -> channel ID) when they are
	// not given as SLACK_<TEAM>_CHANNEL; the variables win.
	Slack struct {
		Channels map[string]string `yaml:"channels"`
	} `yaml:"slack"`
	// Shop connects the shop's order system for the flows' order_lookup.
	Shop shopConfig `yaml:"shop"`
	// Knowledge is how the shop's documents (the flow file's knowledge:
	// folder) are kept up to date: Reload is how often the folder is
	// looked at, SPORTELLO_KNOWLEDGE_RELOAD; a change is indexed without
	// a restart. Nil is defaultKnowledgeReload; 0 turns it off.
	Knowledge struct {
		Reload *time.Duration `yaml:"reload"`
	} `yaml:"knowledge"`
}

// defaultKnowledgeReload is how often the knowledge folder is looked at
// by default: a page a shop fixes is answered within half a minute, and
// a listing of a help centre's folder every 30 s costs nothing.
const defaultKnowledgeReload = 30 * time.Second

// knowledgeReload is the knowledge.reload in effect: 0 is off.
func (c config) knowledgeReload() time.Duration {
	if c.Knowledge.Reload == nil {
		return defaultKnowledgeReload
	}
	return *c.Knowledge.Reload
}

// shopConfig is the "shop:" section: where the shop's orders come from,
// and the bounds of their lookups. Secrets (the connectors' tokens) come
// only from the environment.
type shopConfig struct {
	// System is where the orders come from, SPORTELLO_SHOP_SYSTEM: file
	// (OrdersFile, or the demo's sample orders), shopify, woocommerce or
	// http. Empty is "file" when OrdersFile is set or the bot is the
	// demo, else none.
	System string `yaml:"system"`
	// zone is the shop's time zone (config.zone), whose days the
	// systems' dates without a time are; nil is UTC. serve sets it.
	zone *time.Location
	// Shopify is the shop on Shopify, for the system "shopify".
	Shopify shopifyConfig `yaml:"shopify"`
	// OrdersFile is a JSON (or YAML) file of orders, SPORTELLO_ORDERS_FILE
	// (docs/shop.md). Without any system, the embedded demo shop reads
	// its sample orders and another flow file has no order system.
	OrdersFile string `yaml:"orders_file"`
	// Timeout is the deadline of one lookup, SPORTELLO_LOOKUP_TIMEOUT
	// ("3s" by default).
	Timeout time.Duration `yaml:"timeout"`
	// ConversationLookups is how many lookups one conversation may make
	// in ten minutes (10); ShopLookups how many all conversations may
	// make in a minute (120). Both are counted in the store, across the
	// replicas.
	ConversationLookups int `yaml:"conversation_lookups"`
	ShopLookups         int `yaml:"shop_lookups_per_minute"`
	// MaxFailedProofs is how many wrong e-mails or postcodes one
	// conversation may give before it looks up no more orders (3).
	MaxFailedProofs int `yaml:"max_failed_proofs"`
	// OrderFailedProofs is how many wrong e-mails or postcodes one order
	// may be given in an hour, from all conversations of every replica
	// (counted in the store): past them the order is looked up for
	// nobody, for an hour from the last one counted (10).
	OrderFailedProofs int `yaml:"order_failed_proofs_per_hour"`
	// WooCommerce is the shop's WooCommerce site (system woocommerce);
	// its consumer key and secret come from WOOCOMMERCE_CONSUMER_KEY and
	// WOOCOMMERCE_CONSUMER_SECRET.
	WooCommerce wooConfig `yaml:"woocommerce"`
	// HTTP is the shop's own endpoint of the HTTP contract (system
	// http, docs/shop.md); the secret that signs the requests comes from
	// SPORTELLO_SHOP_SECRET.
	HTTP struct {
		URL string `yaml:"url"`
	} `yaml:"http"`
}

// wooConfig is the "shop.woocommerce:" section.
type wooConfig struct {
	// URL is the site, https://shop.example (WOOCOMMERCE_URL).
	URL string `yaml:"url"`
	// Statuses maps the site's own order statuses (a plugin's), or a
	// standard one the shop uses otherwise ("completed: delivered"), to
	// the bot's.
	Statuses map[string]string `yaml:"statuses"`
}

// The shop's order systems, the values of shop.system.
var shopSystems = []string{"file", "shopify", "woocommerce", "http"}

// endpointMistake says what is wrong with the URL of a shop's system, or
// "": the orders and the customers' details travel on it, so it is
// https, or plain http to this machine only (a test, a proxy beside the
// bot).
func endpointMistake(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		return "empty"
	case err != nil || u.Host == "" || u.User != nil || u.Scheme != "https" && u.Scheme != "http":
		return fmt.Sprintf("%q: want https://host/..., without credentials", raw)
	case u.Scheme == "http" && !bot.LoopbackHost(u.Hostname()):
		return fmt.Sprintf("%q: plain http sends the customers' details in the clear: want https (http only to localhost)", raw)
	}
	return ""
}

// shopifyConfig is the "shop.shopify:" section. The app's credentials
// come only from the environment.
type shopifyConfig struct {
	// Shop is the shop's myshopify name (SHOPIFY_SHOP): "sportello-demo".
	Shop string `yaml:"shop"`
	// APIVersion is the Admin API version (SHOPIFY_API_VERSION),
	// shopify.DefaultAPIVersion when empty.
	APIVersion string `yaml:"api_version"`
	// URL replaces https://{shop}.myshopify.com (SHOPIFY_API_URL): a
	// proxy, or a test's fake.
	URL string `yaml:"url"`
	// token is SHOPIFY_ACCESS_TOKEN (an app made in the Shopify admin);
	// clientID and clientSecret SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET
	// (an app of the Dev Dashboard). Never in the file.
	token, clientID, clientSecret string
}

// reviewConfig is the "review:" section: who may sign in, how long
// conversations are kept, what is redacted before archiving.
type reviewConfig struct {
	Managers      []review.Manager `yaml:"managers"`
	RetentionDays int              `yaml:"retention_days"`
	Redact        *redact.Config   `yaml:"redact"` // all on when absent
}

func defaultConfig() config {
	return config{Addr: "127.0.0.1:8080", Log: "text", LogLevel: "info", Timezone: "Europe/Rome"}
}

// loadConfig reads file (if any) over the defaults, then the environment.
// Every mistake is reported at once, each with its place (placeMistake):
// a key unknown or of the wrong type does not hide the others.
func loadConfig(file string, getenv func(string) string) (config, error) {
	c := defaultConfig()
	if file == "" {
		file = getenv("SPORTELLO_CONFIG")
	}
	var mistakes configError
	var lines map[string]int
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return c, fmt.Errorf("config: %w", err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		var te *yaml.TypeError
		switch err := dec.Decode(&c); {
		case err == nil, err.Error() == "EOF":
		case errors.As(err, &te): // the rest of the file is decoded
			mistakes = append(mistakes, strings.Split(yamlErrors(file, err), "\n")...)
		default: // not YAML: nothing was decoded
			return c, fmt.Errorf("config: %s", yamlErrors(file, err))
		}
		lines = keyLines(data)
	}
	for name, dst := range map[string]*string{
		"SPORTELLO_ADDR":        &c.Addr,
		"SPORTELLO_FLOWS":       &c.Flows,
		"SPORTELLO_LOG":         &c.Log,
		"SPORTELLO_LOG_LEVEL":   &c.LogLevel,
		"SPORTELLO_ORDERS_FILE": &c.Shop.OrdersFile,
		"SPORTELLO_SHOP_SYSTEM": &c.Shop.System,
		"WOOCOMMERCE_URL":       &c.Shop.WooCommerce.URL,
		"SPORTELLO_SHOP_URL":    &c.Shop.HTTP.URL,
		"SPORTELLO_TIMEZONE":    &c.Timezone,
		"SHOPIFY_SHOP":          &c.Shop.Shopify.Shop,
		"SHOPIFY_API_VERSION":   &c.Shop.Shopify.APIVersion,
		"SHOPIFY_API_URL":       &c.Shop.Shopify.URL,
	} {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	_, inFile := lines["timezone"]
	c.timezoneSet = inFile || getenv("SPORTELLO_TIMEZONE") != ""
	c.Shop.Shopify.token = getenv("SHOPIFY_ACCESS_TOKEN")
	c.Shop.Shopify.clientID, c.Shop.Shopify.clientSecret = getenv("SHOPIFY_CLIENT_ID"), getenv("SHOPIFY_CLIENT_SECRET")
	if v := getenv("SPORTELLO_LOOKUP_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return c, fmt.Errorf("config: SPORTELLO_LOOKUP_TIMEOUT: %q: want a duration such as 3s", v)
		}
		c.Shop.Timeout = d
	}
	if v := getenv("SPORTELLO_KNOWLEDGE_RELOAD"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return c, fmt.Errorf("config: SPORTELLO_KNOWLEDGE_RELOAD: %q: want a duration such as 30s, or 0 to turn it off", v)
		}
		c.Knowledge.Reload = &d
	}
	if v := getenv("SPORTELLO_TRUSTED_PROXIES"); v != "" {
		c.TrustedProxies = strings.Split(v, ",")
	}
	if v := getenv("SPORTELLO_WEBCHAT_ORIGINS"); v != "" {
		c.Webchat.AllowedOrigins = strings.Split(v, ",")
	}
	for _, m := range c.check() {
		mistakes = append(mistakes, placeMistake(m, file, lines, getenv))
	}
	if len(mistakes) > 0 {
		return c, mistakes
	}
	return c, nil
}

// configError is every mistake of a configuration, one a line.
type configError []string

func (e configError) Error() string { return "config: " + strings.Join(e, "\n") }

// webchatOrigins returns the web chat's allowed origins; check has vetted them.
func (c config) webchatOrigins() []string {
	o, _ := webchat.ParseOrigins(c.Webchat.AllowedOrigins)
	return o
}

// webchatKey returns the key that signs the web chat's visitor tokens,
// SPORTELLO_WEBCHAT_KEY, which every replica must share. Without it, one
// process on the memory store makes a random key (nil here); with
// REDIS_URL, the replicas sharing the store would refuse each other's
// visitors and every restart would cut the visitors off their
// conversations, so that is a start-up error.
func webchatKey(getenv func(string) string) ([]byte, error) {
	const hint = "at least 32 characters, the same on every replica (openssl rand -hex 32)"
	switch key := getenv("SPORTELLO_WEBCHAT_KEY"); {
	case key == "" && getenv("REDIS_URL") != "":
		return nil, errors.New("SPORTELLO_WEBCHAT_KEY: not set; with REDIS_URL it signs the web chat's visitors for every replica: want " + hint)
	case key == "":
		return nil, nil
	case len(key) < webchat.KeyMinLen:
		return nil, errors.New("SPORTELLO_WEBCHAT_KEY: too short: want " + hint)
	default:
		return []byte(key), nil
	}
}

// deploymentKey returns the key, for purpose, of what must read alike on
// every replica and across restarts without being a hash anyone can
// recompute: the references of the logs (bot.SetLogKey) and the keys of
// the order limits' counters. It is derived from SPORTELLO_WEBCHAT_KEY,
// which every replica shares (it is required with REDIS_URL), so that no
// other secret has to be configured. Without it (one process on the
// memory store), it is derived from a random key made once a process:
// references change at a restart, and the counters, in memory, start
// over with it anyway.
func deploymentKey(getenv func(string) string, purpose string) []byte {
	secret := processSecret()
	if getenv != nil && getenv("SPORTELLO_WEBCHAT_KEY") != "" {
		secret = []byte(getenv("SPORTELLO_WEBCHAT_KEY"))
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("sportello deployment key\x00" + purpose))
	return m.Sum(nil)
}

// processSecret is the random secret of deploymentKey when none is
// configured: one for the process, whatever asks.
var processSecret = sync.OnceValue(func() []byte {
	k := make([]byte, 32)
	rand.Read(k) // never fails (crypto/rand, Go 1.24)
	return k
})

// reviewKey returns the key that signs the review pages' session cookies,
// SPORTELLO_REVIEW_KEY. Without it, one process on the memory store makes
// a random key (nil here); with REDIS_URL, a manager signed in on one
// replica would be a stranger to the next, so that is a start-up error,
// as for the web chat's key.
func reviewKey(getenv func(string) string) ([]byte, error) {
	const hint = "at least 32 characters, the same on every replica (openssl rand -hex 32)"
	switch key := getenv("SPORTELLO_REVIEW_KEY"); {
	case key == "" && getenv("REDIS_URL") != "":
		return nil, errors.New("SPORTELLO_REVIEW_KEY: not set; with REDIS_URL it signs the managers' sessions for every replica: want " + hint)
	case key == "":
		return nil, nil
	case len(key) < 32:
		return nil, errors.New("SPORTELLO_REVIEW_KEY: too short: want " + hint)
	default:
		return []byte(key), nil
	}
}

// secureCookies tells whether the review pages' cookie carries the Secure
// flag: SPORTELLO_SECURE_COOKIES, or on unless the listener is on
// localhost (where the pages are plain HTTP). A value that is not a
// boolean is an error: read as false, a "yes" would send the cookie in
// the clear.
func secureCookies(addr string, getenv func(string) string) (bool, error) {
	v := getenv("SPORTELLO_SECURE_COOKIES")
	if v == "" {
		local := strings.HasPrefix(addr, "127.") || strings.HasPrefix(addr, "localhost:") || strings.HasPrefix(addr, "[::1]:")
		return !local, nil
	}
	on, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("SPORTELLO_SECURE_COOKIES: %q: want true or false", v)
	}
	return on, nil
}

// proxies returns the trusted proxies; check has vetted them.
func (c config) proxies() guard.Proxies {
	p, _ := guard.ParseProxies(c.TrustedProxies)
	return p
}

// zone returns the shop's time zone; check has vetted it.
func (c config) zone() *time.Location {
	z, _ := loadZone(c.Timezone)
	return z
}

// flowZone makes the shop's zone agree with the flow file's hours. A
// shop writes its zone once, under hours: in the flow file; the days the
// bot tells and the review pages show are in it unless the configuration
// names a zone itself. Named in both and different, the configuration
// wins and the return says so, for serve to warn: the opening hours would
// be read in one zone and "today" in another.
func (c config) flowZone(b *flows.Bot) (config, string) {
	zones := map[string]*flows.Hours{}
	for _, h := range b.Hours {
		if h.Location != nil {
			zones[h.Location.String()] = h
		}
	}
	if len(zones) != 1 {
		return c, "" // none, or several: the configuration's alone is the shop's
	}
	for name, h := range zones {
		switch {
		case !c.timezoneSet:
			c.Timezone = name
		case name != c.zone().String():
			return c, fmt.Sprintf("the configuration's timezone %s is not the flow file's hours zone %s (%s): the bot tells days in %s and reads the opening hours in %s", c.zone(), name, h.Pos, c.zone(), name)
		}
	}
	return c, ""
}

// loadZone reads an IANA time zone name. "Local" is refused: the shop's
// days must not move with the machine the binary happens to run on.
func loadZone(name string) (*time.Location, error) {
	const want = "want an IANA time zone name such as Europe/Rome or UTC"
	switch name {
	case "":
		return nil, errors.New("empty: " + want)
	case "Local":
		return nil, errors.New(`"Local" depends on the machine: ` + want)
	}
	z, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%q is not a known time zone: %s", name, want)
	}
	return z, nil
}

// check returns the configuration's mistakes, each "key: what" with the
// file key first, so that loadConfig can say where the key was set.
func (c config) check() []string {
	var errs []string
	if c.Addr == "" {
		errs = append(errs, "addr: empty (set SPORTELLO_ADDR, e.g. 127.0.0.1:8080)")
	} else if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Sprintf("addr: %q: want host:port, e.g. 0.0.0.0:8080", c.Addr))
	}
	if c.Log != "text" && c.Log != "json" {
		errs = append(errs, fmt.Sprintf("log: %q: want text or json", c.Log))
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		errs = append(errs, fmt.Sprintf("log_level: %q: want debug, info, warn or error", c.LogLevel))
	}
	if _, err := guard.ParseProxies(c.TrustedProxies); err != nil {
		errs = append(errs, "trusted_proxies: "+err.Error())
	}
	if _, err := webchat.ParseOrigins(c.Webchat.AllowedOrigins); err != nil {
		errs = append(errs, "webchat.allowed_origins: "+err.Error())
	}
	if d := c.knowledgeReload(); d != 0 && (d < time.Second || d > 24*time.Hour) {
		errs = append(errs, fmt.Sprintf("knowledge.reload: %v: want 0 (off), or from 1s to 24h", d))
	}
	if c.Shop.Timeout < 0 || c.Shop.Timeout > time.Minute {
		errs = append(errs, fmt.Sprintf("shop.timeout: %v: want up to a minute (a customer waits for it)", c.Shop.Timeout))
	}
	if c.Shop.ConversationLookups < 0 || c.Shop.ShopLookups < 0 || c.Shop.MaxFailedProofs < 0 || c.Shop.OrderFailedProofs < 0 {
		errs = append(errs, "shop: conversation_lookups, shop_lookups_per_minute, max_failed_proofs and order_failed_proofs_per_hour may not be negative")
	}
	errs = append(errs, c.Shop.check()...)
	if _, err := loadZone(c.Timezone); err != nil {
		errs = append(errs, "timezone: "+err.Error())
	}
	if c.Review.RetentionDays < 0 {
		errs = append(errs, "review.retention_days: negative")
	}
	for i, m := range c.Review.Managers {
		if m.Name == "" || !strings.HasPrefix(m.PasswordHash, "$2") {
			errs = append(errs, fmt.Sprintf("review.managers[%d]: want a name and a bcrypt password_hash", i))
		}
	}
	return errs
}

// check returns the mistakes of the shop's system, as config.check: one
// the bot knows, with what it needs. Shopify's credentials are checked
// here; the other systems' secrets when the system is opened
// (openOrders), where they are read.
func (c shopConfig) check() []string {
	var errs []string
	switch c.System {
	case "", "file":
	case "shopify":
		sh := c.Shopify
		if _, err := shopify.BaseURL(sh.Shop, sh.URL); err != nil {
			key := "shop.shopify.shop"
			if sh.URL != "" {
				key = "shop.shopify.url"
			}
			errs = append(errs, key+": "+strings.TrimPrefix(err.Error(), "shopify: "))
		}
		if sh.APIVersion != "" && !shopify.IsAPIVersion(sh.APIVersion) {
			errs = append(errs, fmt.Sprintf("shop.shopify.api_version: %q: want a release such as %s, or unstable", sh.APIVersion, shopify.DefaultAPIVersion))
		}
		switch {
		case sh.token != "":
		case sh.clientID != "" && sh.clientSecret == "":
			errs = append(errs, "SHOPIFY_CLIENT_SECRET: not set, but SHOPIFY_CLIENT_ID is: the Dev Dashboard app's client secret goes with its ID (docs/shop.md#shopify)")
		case sh.clientID == "" && sh.clientSecret != "":
			errs = append(errs, "SHOPIFY_CLIENT_ID: not set, but SHOPIFY_CLIENT_SECRET is: the Dev Dashboard app's client ID goes with its secret (docs/shop.md#shopify)")
		case sh.clientID == "":
			errs = append(errs, "SHOPIFY_ACCESS_TOKEN: not set; shop.system shopify reads the orders as the shop's app: set SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET (an app of the Dev Dashboard), or SHOPIFY_ACCESS_TOKEN (an app made in the Shopify admin) (docs/shop.md#shopify)")
		}
	case "woocommerce":
		if m := endpointMistake(c.WooCommerce.URL); m != "" {
			errs = append(errs, "shop.woocommerce.url: "+m+" (the shop's site, https://shop.example)")
		}
	case "http":
		if m := endpointMistake(c.HTTP.URL); m != "" {
			errs = append(errs, "shop.http.url: "+m+" (the shop's endpoint of the contract, docs/shop.md)")
		}
	default:
		errs = append(errs, fmt.Sprintf("shop.system: %q: want one of %s", c.System, strings.Join(shopSystems, ", ")))
	}
	if c.OrdersFile != "" && c.System != "" && c.System != "file" {
		errs = append(errs, fmt.Sprintf("shop.orders_file: set, but shop.system is %s: the orders come from one system; remove one", c.System))
	}
	if c.WooCommerce.URL != "" && c.System != "woocommerce" {
		errs = append(errs, "shop.woocommerce.url: set, but shop.system (SPORTELLO_SHOP_SYSTEM) is not woocommerce")
	}
	if c.HTTP.URL != "" && c.System != "http" {
		errs = append(errs, "shop.http.url: set, but shop.system (SPORTELLO_SHOP_SYSTEM) is not http")
	}
	for _, k := range slices.Sorted(maps.Keys(c.WooCommerce.Statuses)) {
		if v := c.WooCommerce.Statuses[k]; !bot.OrderStatus(v).Known() {
			errs = append(errs, fmt.Sprintf("shop.woocommerce.statuses: %s: %q: want one of %s", k, v, orderStatusNames()))
		}
	}
	if sh := c.Shopify; c.System != "shopify" && (sh.Shop != "" || sh.URL != "") {
		// Else the shop's Shopify would be ignored without a word, and
		// the demo would answer from its sample orders.
		what := "not set"
		if c.System != "" {
			what = strconv.Quote(c.System)
		}
		errs = append(errs, "shop.system: "+what+", but shop.shopify names a shop: set shop.system: shopify (SPORTELLO_SHOP_SYSTEM), or remove shop.shopify (SHOPIFY_SHOP, SHOPIFY_API_URL)")
	}
	return errs
}

func orderStatusNames() string {
	var names []string
	for _, s := range bot.OrderStatuses {
		names = append(names, string(s))
	}
	return strings.Join(names, ", ")
}

func (c config) logger(e *env) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.Log == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

// yamlErrors writes the decoder's errors as "file:line: what", one a line.
func yamlErrors(file string, err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	var out []string
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(l, "line "); ok {
			if n, what, ok := strings.Cut(rest, ": "); ok {
				// "in type main.config" names our code, not the file's key.
				what, _, _ = strings.Cut(what, " in type ")
				l = file + ":" + n + ": " + what
			}
		} else {
			l = file + ": " + l
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
