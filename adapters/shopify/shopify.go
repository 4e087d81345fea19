// Package shopify reads a shop's orders from Shopify's GraphQL Admin API,
// as a bot.Orders: one order by its name ("SP-123456", "#1001"), with
// its line items, its fulfillments and their tracking.
//
// A lookup is one POST to https://{shop}.myshopify.com/admin/api/{version}/graphql.json
// with the custom app's token in X-Shopify-Access-Token:
//
//	orders(first: 1, query: "name:\"SP-123456\"") { nodes { name processedAt ... } }
//	names: orders(first: 25, query: "name:\"SP-123456\"") { pageInfo { hasNextPage endCursor } nodes { id name } }
//
// Shopify's search matches words and their beginnings, so "SP-12345"
// finds #SP-123456 as well, and "1001" #10011: only the order whose name
// is the number asked (without case and the "#") is ever taken, and when
// the search puts another first, one more request reads the right one by
// its ID (order(id:)), found among the search's names; past the first 25,
// the next names are read 100 a request (orders(after:)), at most
// MaxNamePages pages in all. Then, for an order of more than 50 line items, one more
// request per 50 (order(id:) { lineItems(after:) }), at most MaxItems in
// all. The token
// needs the scopes read_orders (orders, their line items and customers'
// details) and read_fulfillments (their shipments); without
// read_all_orders Shopify shows only the last 60 days' orders.
//
// Shopify limits each app's queries by their cost: a bucket of points
// that refills at a rate (100 points a second on the standard plan), whose
// state every answer reports (extensions.cost.throttleStatus). A Client
// keeps that state, shared by all its lookups: when the bucket is short,
// a lookup waits for it to refill, within its deadline, instead of asking
// and being refused; when the wait would outlast the deadline, it fails
// at once as bot.ErrShopUnavailable. A THROTTLED answer is retried the
// same way.
//
// Statuses are mapped to bot's (docs/shop.md#shopify), the first that
// holds:
//
//	cancelledAt set                                   cancelled
//	displayFinancialStatus REFUNDED                   refunded
//	returnStatus RETURNED, INSPECTION_COMPLETE        returned
//	a fulfillment NOT_DELIVERED or failed             lost (a person looks into it)
//	every fulfillment DELIVERED or PICKED_UP, and
//	  the order FULFILLED                             delivered
//	a fulfillment under way (IN_TRANSIT, CONFIRMED,
//	  OUT_FOR_DELIVERY, FULFILLED, ...)               shipped
//	a label only; ON_HOLD, SCHEDULED, IN_PROGRESS     processing
//	the payment VOIDED                                cancelled
//	the payment PENDING or EXPIRED (or not said)      pending
//	paid or authorised, not shipped                   processing
//
// Cancelled fulfillments and voided labels do not count.
package shopify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sportello/sportello/bot"
)

// DefaultAPIVersion is the Admin API version a Client asks for when its
// configuration names none: a stable one Shopify supports for a year
// after its release.
const DefaultAPIVersion = "2026-10"

// Bounds of one lookup.
const (
	// MaxBody bounds an answer: an order of 50 line items and its
	// fulfillments is some 30 KB.
	MaxBody = 1 << 20
	// MaxItems bounds the line items read of one order (five pages).
	MaxItems = 250
	// MaxNamePages bounds the pages of names a search by name is read
	// for the one asked (25 names, then 100 a page: 325 in all). A name
	// past them is no answer: the lookup is unavailable, and a person
	// checks, rather than the customer told there is no such order.
	MaxNamePages = 4
	// pageSize is the line items asked for per request.
	pageSize = 50
	// maxAttempts bounds the requests of one page, throttled ones
	// included.
	maxAttempts = 4
)

// Config configures a Client.
type Config struct {
	// Shop is the shop's myshopify name: "sportello-demo", or
	// "sportello-demo.myshopify.com".
	Shop string
	// APIVersion is the Admin API version, "2026-10" (DefaultAPIVersion
	// when empty).
	APIVersion string
	// URL, when set, replaces https://{shop}.myshopify.com: a proxy, or a
	// test's fake. Plain http is refused but on the loopback, as the
	// token would travel in the clear.
	URL string
	// Token is the Admin API access token (shpat_...) of an app made in
	// the Shopify admin. Else ClientID and ClientSecret, of an app of the
	// Dev Dashboard installed on the shop, get tokens with the client
	// credentials grant. None is ever logged, nor held by an error.
	Token                  string
	ClientID, ClientSecret string
	// HTTPClient makes the requests (a client of its own when nil). Its
	// redirects are never followed: the token would follow them.
	HTTPClient *http.Client
	// Logger gets the operator's lines (a token refused); slog.Default
	// when nil.
	Logger *slog.Logger
}

// A Client is a shop's orders on Shopify. It is safe for concurrent use.
type Client struct {
	endpoint string // .../admin/api/{version}/graphql.json
	tokens   *tokenSource
	http     *http.Client
	log      *slog.Logger
	bucket   *bucket

	mu        sync.Mutex
	authLogAt time.Time // when a refused token was last logged
}

var _ bot.Orders = (*Client)(nil)

// New returns the Client of cfg, or an error naming what is missing or
// wrong. It connects to nothing.
func New(cfg Config) (*Client, error) {
	if cfg.Token == "" && (cfg.ClientID == "" || cfg.ClientSecret == "") {
		return nil, errors.New("shopify: no access token (SHOPIFY_ACCESS_TOKEN), nor client credentials (SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET)")
	}
	for _, v := range []struct{ name, value string }{{"the access token (SHOPIFY_ACCESS_TOKEN)", cfg.Token},
		{"the client ID (SHOPIFY_CLIENT_ID)", cfg.ClientID}, {"the client secret (SHOPIFY_CLIENT_SECRET)", cfg.ClientSecret}} {
		if strings.ContainsFunc(v.value, func(r rune) bool { return r <= ' ' || r >= 0x7f }) {
			return nil, fmt.Errorf("shopify: %s holds spaces or control characters", v.name)
		}
	}
	base, err := BaseURL(cfg.Shop, cfg.URL)
	if err != nil {
		return nil, err
	}
	version := cfg.APIVersion
	if version == "" {
		version = DefaultAPIVersion
	}
	if !IsAPIVersion(version) {
		return nil, fmt.Errorf("shopify: API version %q: want a release such as %s, or unstable", version, DefaultAPIVersion)
	}
	// Lookups at once keep their connections to the shop for the next
	// ones (Go keeps two a host by default): a new TLS connection across
	// the internet costs more than a lookup.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second} // a backstop: each lookup has its own deadline
	if cfg.HTTPClient != nil {
		c := *cfg.HTTPClient
		hc = &c
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Client{
		endpoint: base + "/admin/api/" + version + "/graphql.json",
		tokens: &tokenSource{static: cfg.Token, clientID: cfg.ClientID, clientSecret: cfg.ClientSecret,
			endpoint: base + "/admin/oauth/access_token", http: hc, sem: make(chan struct{}, 1)},
		http:   hc,
		log:    log.With("component", "shopify"),
		bucket: &bucket{},
	}, nil
}

// BaseURL returns the API's base URL of a shop, or of override when it
// is set: https://{shop}.myshopify.com. It is exported for the
// configuration's check.
func BaseURL(shop, override string) (string, error) {
	if override != "" {
		u, err := url.Parse(override)
		if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return "", fmt.Errorf("shopify: URL %q: want https://host[:port][/path]", override)
		}
		switch {
		case u.Scheme == "https":
		case u.Scheme == "http" && bot.LoopbackHost(u.Hostname()):
		case u.Scheme == "http":
			return "", fmt.Errorf("shopify: URL %q: plain http would send the access token in the clear: want https (http only on the loopback)", override)
		default:
			return "", fmt.Errorf("shopify: URL %q: want https://", override)
		}
		return strings.TrimRight(u.String(), "/"), nil
	}
	name := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(shop)), ".myshopify.com")
	if name == "" {
		return "", errors.New("shopify: no shop: want its myshopify name, such as sportello-demo (sportello-demo.myshopify.com)")
	}
	if len(name) > 60 || name[0] == '-' || strings.ContainsFunc(name, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-')
	}) {
		return "", fmt.Errorf("shopify: shop %q: want its myshopify name, such as sportello-demo (letters, digits and hyphens)", shop)
	}
	return "https://" + name + ".myshopify.com", nil
}

// IsAPIVersion reports whether v is the name of an Admin API version:
// YYYY-MM (a release: January, April, July or October), or unstable.
func IsAPIVersion(v string) bool {
	if v == "unstable" {
		return true
	}
	if len(v) != 7 || v[4] != '-' {
		return false
	}
	y, err1 := strconv.Atoi(v[:4])
	m, err2 := strconv.Atoi(v[5:])
	return err1 == nil && err2 == nil && y >= 2019 && y <= 2100 && (m == 1 || m == 4 || m == 7 || m == 10)
}

// Order returns the order named number. The name is compared without
// case and without Shopify's "#": "SP-123456" finds #SP-123456.
func (c *Client) Order(ctx context.Context, number string) (*bot.Order, error) {
	name := strings.TrimPrefix(strings.TrimSpace(number), "#")
	if !isName(name) {
		// Not a name Shopify could hold, nor one to put in a search.
		return nil, fmt.Errorf("shopify: order %q: %w", bot.CleanLine(number, 40), bot.ErrOrderNotFound)
	}
	var ans ordersAnswer
	search := `name:"` + name + `"`
	if err := c.query(ctx, ordersQuery, map[string]any{"query": search}, &ans); err != nil {
		return nil, fmt.Errorf("shopify: order %s: %w", name, err)
	}
	if ans.Orders == nil {
		return nil, fmt.Errorf("shopify: order %s: %w: the answer holds no orders", name, bot.ErrShopUnavailable)
	}
	// The search matches words and their beginnings: the one order
	// asked for is the one whose name is the number, never another.
	o, err := c.named(ctx, name, search, &ans)
	if err != nil {
		return nil, err
	}
	// The line items past the first page, a page a request, at most
	// MaxItems in all (and as many pages, should pages come empty).
	items := o.LineItems
	for page := 1; ; page++ {
		o.items = append(o.items, items.Nodes...)
		pi := items.PageInfo
		if !pi.HasNextPage || len(o.items) >= MaxItems || page >= MaxItems/pageSize || pi.EndCursor == "" || o.ID == "" {
			break
		}
		var more lineItemsAnswer
		if err := c.query(ctx, lineItemsQuery, map[string]any{"id": o.ID, "after": pi.EndCursor}, &more); err != nil {
			return nil, fmt.Errorf("shopify: order %s: line items, page %d: %w", name, page+1, err)
		}
		if more.Order == nil {
			return nil, fmt.Errorf("shopify: order %s: line items, page %d: %w: the order is gone", name, page+1, bot.ErrShopUnavailable)
		}
		items = more.Order.LineItems
	}
	out := o.order()
	if o.dropped != "" {
		c.log.Warn("shopify: a tracking link that is not http(s) was dropped", "order", bot.OrderRef(name), "link", bot.LinkKind(o.dropped))
	}
	return out, nil
}

// named returns the order of ans, the answer to the search search,
// whose name is name: the whole one of the answer, or the one read by its
// ID when the search put another first, its name among the search's
// names, read page after page (at most MaxNamePages, each within ctx's
// deadline).
func (c *Client) named(ctx context.Context, name, search string, ans *ordersAnswer) (*orderNode, error) {
	exact := func(n string) bool { return strings.EqualFold(strings.TrimPrefix(n, "#"), name) }
	for i := range ans.Orders.Nodes {
		if n := &ans.Orders.Nodes[i]; exact(n.Name) {
			return n, nil
		}
	}
	page := ans.Names
	for pages := 1; page != nil; pages++ {
		for _, n := range page.Nodes {
			if !exact(n.Name) || n.ID == "" {
				continue
			}
			var one orderAnswer
			if err := c.query(ctx, orderQuery, map[string]any{"id": n.ID}, &one); err != nil {
				return nil, fmt.Errorf("shopify: order %s: %w", name, err)
			}
			if one.Order == nil || !exact(one.Order.Name) {
				// Gone, or renamed, since the search.
				return nil, fmt.Errorf("shopify: order %s: %w", name, bot.ErrOrderNotFound)
			}
			return one.Order, nil
		}
		pi := page.PageInfo
		if !pi.HasNextPage || pi.EndCursor == "" {
			break
		}
		if pages >= MaxNamePages {
			return nil, fmt.Errorf("shopify: order %s: %w: the search finds more orders than the %d pages of names read", name, bot.ErrShopUnavailable, MaxNamePages)
		}
		var more namesAnswer
		if err := c.query(ctx, namesQuery, map[string]any{"query": search, "after": pi.EndCursor}, &more); err != nil {
			return nil, fmt.Errorf("shopify: order %s: names, page %d: %w", name, pages+1, err)
		}
		if more.Names == nil {
			return nil, fmt.Errorf("shopify: order %s: names, page %d: %w: the answer holds no names", name, pages+1, bot.ErrShopUnavailable)
		}
		page = more.Names
	}
	return nil, fmt.Errorf("shopify: order %s: %w", name, bot.ErrOrderNotFound)
}

// isName reports whether s can be an order's name: letters, digits and
// - _ . /, at most 64. Nothing else goes into the search query.
func isName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == '/') {
			return false
		}
	}
	return true
}

// query runs one GraphQL query and decodes its data into v. It waits for
// the cost bucket and retries a THROTTLED answer within ctx's deadline.
func (c *Client) query(ctx context.Context, q string, vars map[string]any, v any) error {
	body, err := json.Marshal(map[string]any{"query": q, "variables": vars})
	if err != nil {
		return err
	}
	renewed := false
	for attempt := 1; ; attempt++ {
		if err := c.bucket.wait(ctx, q); err != nil {
			return err
		}
		token, err := c.tokens.get(ctx)
		if err != nil {
			var re *refusedError
			if errors.As(err, &re) {
				c.refused(re.what)
			}
			return err
		}
		ans, err := c.post(ctx, token, body)
		if ans != nil && ans.Extensions.Cost != nil {
			c.bucket.update(q, *ans.Extensions.Cost, time.Now())
		}
		var th *throttledError
		var ue *unauthorizedError
		switch {
		case errors.As(err, &th) && attempt < maxAttempts:
			if th.retryAfter > 0 {
				c.bucket.hold(time.Now().Add(th.retryAfter))
			}
			continue
		case errors.As(err, &ue) && !renewed && c.tokens.drop(token):
			// A token of the client credentials grant may have been
			// revoked or have expired early: one more, once.
			renewed = true
			continue
		case errors.As(err, &ue):
			c.refused(ue.what)
			return err
		case err != nil:
			return err
		}
		return decodeData(ans, v)
	}
}

// post sends one request and reads its answer: a GraphQL answer, or an
// error wrapping bot.ErrShopUnavailable, a *throttledError, or the
// context's error.
func (c *Client) post(ctx context.Context, token string, body []byte) (*answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Shopify-Access-Token", token)
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// The error names the URL, which holds no secret.
		return nil, fmt.Errorf("%w: %v", bot.ErrShopUnavailable, c.scrub(err.Error()))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: HTTP %d, the answer was cut: %v", bot.ErrShopUnavailable, resp.StatusCode, c.scrub(err.Error()))
	}
	return c.read(resp.StatusCode, resp.Header, data)
}

// read makes sense of one answer: its status, its type, its size, its
// JSON and its errors.
func (c *Client) read(status int, h http.Header, data []byte) (*answer, error) {
	switch {
	case len(data) > MaxBody:
		return nil, fmt.Errorf("%w: an answer over %d bytes", bot.ErrShopUnavailable, MaxBody)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return nil, &unauthorizedError{fmt.Sprintf("HTTP %d", status)}
	case status == http.StatusTooManyRequests:
		return nil, &throttledError{retryAfter: retryAfter(h.Get("Retry-After"))}
	case status == http.StatusNotFound:
		return nil, fmt.Errorf("%w: HTTP 404: no such shop or API version at %s", bot.ErrShopUnavailable, c.endpoint)
	case status != http.StatusOK:
		return nil, fmt.Errorf("%w: HTTP %d", bot.ErrShopUnavailable, status)
	}
	if mt, _, _ := mime.ParseMediaType(h.Get("Content-Type")); mt != "application/json" {
		return nil, fmt.Errorf("%w: an answer of type %q, not JSON", bot.ErrShopUnavailable, bot.CleanLine(h.Get("Content-Type"), 60))
	}
	ans, err := decodeAnswer(data)
	if err != nil {
		return nil, err
	}
	for _, e := range ans.Errors {
		switch e.Extensions.Code {
		case "THROTTLED":
			if c := ans.Extensions.Cost; c == nil || c.ThrottleStatus == nil {
				// No state to wait by: wait a second, as for a 429.
				return ans, &throttledError{retryAfter: time.Second}
			}
			return ans, &throttledError{}
		case "ACCESS_DENIED":
			c.refused("ACCESS_DENIED: " + bot.CleanLine(e.Message, 200))
			return nil, fmt.Errorf("%w: the access token lacks a scope: %s", bot.ErrShopUnavailable, bot.CleanLine(e.Message, 200))
		}
	}
	if len(ans.Errors) > 0 {
		return nil, fmt.Errorf("%w: the API answered with errors: %s", bot.ErrShopUnavailable, ans.Errors)
	}
	return ans, nil
}

// refused logs, once a minute at most, that the shop refused the token:
// the operator must act, and every lookup fails until they do.
func (c *Client) refused(what string) {
	c.mu.Lock()
	now := time.Now()
	log := now.Sub(c.authLogAt) >= time.Minute
	if log {
		c.authLogAt = now
	}
	c.mu.Unlock()
	if log {
		c.log.Error("shopify: the shop refused the access token: check SHOPIFY_ACCESS_TOKEN (or SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET), and that the app is installed with the scopes read_orders and read_fulfillments; order questions go to a person meanwhile",
			"endpoint", c.endpoint, "answer", what)
	}
}

// scrub removes a secret from a text, should a transport ever echo it.
func scrub(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "(secret)")
}

// scrub removes every secret of c from s.
func (c *Client) scrub(s string) string {
	for _, secret := range c.tokens.secrets() {
		s = scrub(s, secret)
	}
	return s
}

// An unauthorizedError is the shop refusing a token (401, 403).
type unauthorizedError struct{ what string }

func (e *unauthorizedError) Error() string {
	return e.what + ": the shop refused the access token"
}
func (e *unauthorizedError) Unwrap() error { return bot.ErrShopUnavailable }

// retryAfter reads a Retry-After of seconds; 1 s when it says nothing.
func retryAfter(v string) time.Duration {
	if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f > 0 && f < 3600 {
		return time.Duration(f * float64(time.Second))
	}
	return time.Second
}

// A throttledError is an answer of Shopify's throttle: try again when
// the bucket holds the query's cost.
type throttledError struct{ retryAfter time.Duration }

func (e *throttledError) Error() string {
	return "throttled: the shop's API cost bucket is empty"
}
func (e *throttledError) Unwrap() error { return bot.ErrShopUnavailable }
