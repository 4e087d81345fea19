// Package woocommerce reads a WooCommerce shop's orders through its REST
// API v3 (/wp-json/wc/v3/orders), authenticated with a consumer key and
// secret of Read permission (HTTP Basic auth over HTTPS), for the flows'
// order_lookup.
//
// An order number is looked up first as the order's ID (WooCommerce's
// numbers are its IDs unless a plugin numbers orders otherwise), then,
// when that is no order or an order of another number, with the list's
// search (?search=), a bounded number of pages. The order's status, line
// items, dates, total, billing e-mail, postcode and the tracking that
// the Shipment Tracking extension keeps in the order's meta
// (_wc_shipment_tracking_items) become a bot.Order.
package woocommerce

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
	"sync/atomic"
	"time"

	"github.com/sportello/sportello/bot"
)

// Bounds of what one lookup reads.
const (
	// MaxBody bounds one answer: an order is some 5 KB, a page of the
	// search 20 of them.
	MaxBody = 2 << 20
	// PerPage is the search's page size, MaxPages how many pages it
	// reads before it gives up: a number matches few orders, and a
	// search that matches hundreds is no number.
	PerPage  = 20
	MaxPages = 5
)

// Config configures a Shop.
type Config struct {
	// URL is the shop's site, https://shop.example (the API is under
	// /wp-json/wc/v3). The caller checks that it is https, or http to
	// the loopback for tests.
	URL string
	// Key and Secret are the consumer key (ck_...) and secret (cs_...)
	// of a REST API key with Read permission. They are sent in the
	// Authorization header only, never logged, never in an error.
	Key, Secret string
	// Statuses maps the shop's own statuses (a plugin's "shipped",
	// "awaiting-pickup") and, where the shop means otherwise, the
	// standard ones ("completed": "delivered") to the bot's. The standard
	// ones map as Status says; an unknown one reads as processing.
	Statuses map[string]bot.OrderStatus
	// Client makes the requests; nil is a client of its own. The
	// caller's context bounds each request. A redirect from https to
	// plain http is never followed, whatever the client's policy.
	Client *http.Client
	// Logger says, once for each, which statuses of the site neither
	// Statuses nor Status names; nil is slog.Default.
	Logger *slog.Logger // Zone is the shop's time zone, whose day the day a parcel left is,
	// as Shipment Tracking keeps it (midnight UTC of that day); nil is
	// UTC.
	Zone *time.Location
}

// A Shop is the orders of one WooCommerce site. It is safe for
// concurrent use.
type Shop struct {
	base     *url.URL // .../wp-json/wc/v3/orders
	key, sec string
	statuses map[string]bot.OrderStatus
	client   *http.Client
	log      *slog.Logger
	zone     *time.Location
	unknown  sync.Map // the statuses logged as unknown
	logged   atomic.Int32
}

var _ bot.Orders = (*Shop)(nil)

// New returns the Shop of cfg, or an error naming what is missing.
func New(cfg Config) (*Shop, error) {
	u, err := url.Parse(strings.TrimRight(cfg.URL, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("woocommerce: the shop's URL %q: want https://your-shop.example", cfg.URL)
	}
	if cfg.Key == "" || cfg.Secret == "" {
		return nil, errors.New("woocommerce: want a consumer key and secret")
	}
	// The REST API answers a status without the wc- of its slug in
	// WordPress (wc-awaiting-pickup), which a shop may copy from its
	// admin: both name the same status.
	statuses := map[string]bot.OrderStatus{}
	for k, s := range cfg.Statuses {
		if !s.Known() {
			return nil, fmt.Errorf("woocommerce: the status %q maps to %q, which is no status of the bot", k, s)
		}
		name := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(k)), "wc-")
		if other, ok := statuses[name]; ok && other != s {
			return nil, fmt.Errorf("woocommerce: the status %q is mapped twice, to %q and %q (wc-%s is %s)", k, other, s, name, name)
		}
		statuses[name] = s
	}
	client := newClient()
	if cfg.Client != nil {
		c := *cfg.Client
		client = &c
	}
	client.CheckRedirect = checkRedirect
	u.Path += "/wp-json/wc/v3/orders"
	u.RawQuery, u.Fragment = "", ""
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	zone := cfg.Zone
	if zone == nil {
		zone = time.UTC
	}
	return &Shop{base: u, key: cfg.Key, sec: cfg.Secret, statuses: statuses, client: client,
		log: log.With("component", "woocommerce"), zone: zone}, nil
}

// Order returns the order numbered number: by its ID when the number's
// digits are an ID whose order has that number, else from the search.
func (s *Shop) Order(ctx context.Context, number string) (*bot.Order, error) {
	want := bot.OrderKey(number)
	if want == "" {
		return nil, fmt.Errorf("woocommerce: order %q: %w", number, bot.ErrOrderNotFound)
	}
	if id := digits(number); id != "" && len(id) <= 18 && strings.TrimLeft(id, "0") != "" {
		var o wooOrder
		err := s.get(ctx, s.base.JoinPath(strings.TrimLeft(id, "0")), &o, nil)
		switch {
		case err == nil && matches(o.Number, number):
			return s.order(&o, number)
		case err != nil && !errors.Is(err, bot.ErrOrderNotFound):
			return nil, fmt.Errorf("woocommerce: order %s: %w", number, err)
		}
		// No such ID, or the ID of another order (a plugin numbers
		// them): the search finds the number.
	}
	// The search matches parts of the fields it reads: the digits find
	// "WC-1234" when the customer writes "wc 1234", where the number as
	// written would not; the number's key then picks the order.
	term := number
	if d := digits(number); len(d) >= 4 {
		term = d
	}
	for page := 1; page <= MaxPages; page++ {
		u := *s.base
		u.RawQuery = url.Values{"search": {term}, "per_page": {strconv.Itoa(PerPage)}, "page": {strconv.Itoa(page)}}.Encode()
		var list []wooOrder
		var pages int
		if err := s.get(ctx, &u, &list, &pages); err != nil {
			return nil, fmt.Errorf("woocommerce: search order %s (page %d): %w", number, page, err)
		}
		for i := range list {
			if matches(list[i].Number, number) {
				return s.order(&list[i], number)
			}
		}
		if len(list) == 0 || page >= pages {
			return nil, fmt.Errorf("woocommerce: order %s: %w", number, bot.ErrOrderNotFound)
		}
	}
	return nil, fmt.Errorf("woocommerce: order %s: %w (the search matched more than %d pages of orders, none of that number)", number, bot.ErrOrderNotFound, MaxPages)
}

// get reads the JSON answer of u into v, and the X-WP-TotalPages header
// into pages when it is not nil.
func (s *Shop) get(ctx context.Context, u *url.URL, v any, pages *int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	req.SetBasicAuth(s.key, s.sec)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Sportello")
	resp, err := s.client.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		// The url.Error names the URL, which holds no secret: the key
		// travels in a header.
		return fmt.Errorf("%w: %v", bot.ErrShopUnavailable, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return fmt.Errorf("%w: reading the answer: %v", bot.ErrShopUnavailable, err)
	}
	if len(body) > MaxBody {
		return fmt.Errorf("%w: the answer is over %d bytes", bot.ErrShopUnavailable, MaxBody)
	}
	if resp.StatusCode != http.StatusOK {
		return answerError(resp.StatusCode, body)
	}
	if !isJSON(resp.Header.Get("Content-Type"), body) {
		return fmt.Errorf("%w: the answer is not JSON (%s): %s", bot.ErrShopUnavailable, resp.Header.Get("Content-Type"), excerpt(body))
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%w: the answer is no order: %v", bot.ErrShopUnavailable, err)
	}
	if pages != nil {
		*pages, _ = strconv.Atoi(resp.Header.Get("X-WP-TotalPages"))
	}
	return nil
}

// apiError is WooCommerce's (WordPress's) error body.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Data    struct {
		Status int `json:"status"`
	} `json:"data"`
}

// answerError classifies an answer that is not 200: an order ID that is
// none is not found; everything else is unavailable, with what the
// operator must do about it when it says.
func answerError(status int, body []byte) error {
	var e apiError
	if json.Unmarshal(body, &e) != nil || e.Code == "" {
		return fmt.Errorf("%w: HTTP %d: %s", bot.ErrShopUnavailable, status, excerpt(body))
	}
	what := fmt.Sprintf("HTTP %d %s: %s", status, e.Code, bot.CleanLine(e.Message, 200))
	switch {
	case e.Code == "woocommerce_rest_shop_order_invalid_id", e.Code == "woocommerce_rest_invalid_id":
		return fmt.Errorf("%w (%s)", bot.ErrOrderNotFound, what)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return fmt.Errorf("%w: %s: check WOOCOMMERCE_CONSUMER_KEY and WOOCOMMERCE_CONSUMER_SECRET, a key with Read permission (WooCommerce > Settings > Advanced > REST API), and that the server passes the Authorization header on", bot.ErrShopUnavailable, what)
	case e.Code == "rest_no_route":
		return fmt.Errorf("%w: %s: is shop.woocommerce.url the site of a WooCommerce shop, with pretty permalinks on?", bot.ErrShopUnavailable, what)
	}
	return fmt.Errorf("%w: %s", bot.ErrShopUnavailable, what)
}

// isJSON tells whether an answer is JSON: its type says so, or, when it
// names none, it starts as JSON does. A WordPress behind a proxy that
// fails answers an HTML page, often with 200.
func isJSON(ctype string, body []byte) bool {
	if ctype != "" {
		mt, _, err := mime.ParseMediaType(ctype)
		return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
	}
	t := bytes.TrimSpace(body)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// excerpt is the start of an answer that is not one, for the operator.
func excerpt(body []byte) string {
	s := bot.CleanLine(string(bytes.TrimSpace(body[:min(len(body), 120)])), 0)
	if s == "" {
		return "an empty body"
	}
	return strconv.Quote(s)
}

// wooOrder is the part of WooCommerce's order that the bot reads.
type wooOrder struct {
	ID               int64      `json:"id"`
	Number           string     `json:"number"`
	Status           string     `json:"status"`
	Currency         string     `json:"currency"`
	Total            string     `json:"total"`
	DateCreatedGMT   *string    `json:"date_created_gmt"`
	DatePaidGMT      *string    `json:"date_paid_gmt"`
	DateCompletedGMT *string    `json:"date_completed_gmt"`
	Billing          address    `json:"billing"`
	Shipping         address    `json:"shipping"`
	LineItems        []lineItem `json:"line_items"`
	MetaData         []meta     `json:"meta_data"`
}

type address struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Postcode  string `json:"postcode"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
}

type lineItem struct {
	Name     string      `json:"name"`
	SKU      string      `json:"sku"`
	Quantity json.Number `json:"quantity"`
}

type meta struct {
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

// trackingItem is one parcel of the Shipment Tracking extension.
type trackingItem struct {
	Provider       string          `json:"tracking_provider"`
	CustomProvider string          `json:"custom_tracking_provider"`
	Number         string          `json:"tracking_number"`
	Link           string          `json:"custom_tracking_link"`
	DateShipped    json.RawMessage `json:"date_shipped"` // unix seconds, a number or a string
}

// Status maps WooCommerce's own statuses to the bot's. A completed order
// is one the shop has fulfilled: sent, for most shops; a shop that marks
// it completed on delivery says so in Config.Statuses.
var Status = map[string]bot.OrderStatus{
	"pending":        bot.OrderPending,
	"on-hold":        bot.OrderPending,
	"failed":         bot.OrderPending, // the payment failed: not paid yet
	"checkout-draft": bot.OrderPending,
	"processing":     bot.OrderProcessing,
	"completed":      bot.OrderShipped,
	"cancelled":      bot.OrderCancelled,
	"refunded":       bot.OrderRefunded,
	// The Advanced Shipment Tracking plugin's statuses.
	"shipped":         bot.OrderShipped,
	"partial-shipped": bot.OrderShipped,
	"delivered":       bot.OrderDelivered,
}

// Bounds of the texts of an order, as the orders file has them.
const (
	maxText  = 200
	maxURL   = 2000
	maxItems = 100
)

// order turns WooCommerce's order into the bot's.
func (s *Shop) order(w *wooOrder, asked string) (*bot.Order, error) {
	text := func(v string, max int) string { return strings.TrimSpace(bot.CleanLine(v, max)) }
	o := &bot.Order{Number: text(w.Number, 40)}
	if o.Number == "" {
		o.Number = asked
	}
	st := strings.TrimPrefix(w.Status, "wc-")
	var ok bool
	if o.Status, ok = s.statuses[st]; !ok {
		if o.Status, ok = Status[st]; !ok {
			// A plugin's status the configuration does not name.
			o.Status = bot.OrderProcessing
			st = bot.CleanLine(st, 40)
			if s.logged.Load() < 100 { // a bound: the site's answers are data from outside
				if _, seen := s.unknown.LoadOrStore(st, true); !seen {
					s.logged.Add(1)
					s.log.Warn("an order status of the site that shop.woocommerce.statuses does not map: read as processing", "status", st)
				}
			}
		}
	}
	var err error
	if o.Placed, err = gmt(w.DateCreatedGMT); err != nil {
		return nil, fmt.Errorf("woocommerce: order %s: date_created_gmt: %w: %v", asked, bot.ErrShopUnavailable, err)
	}
	completed, err := gmt(w.DateCompletedGMT)
	if err != nil {
		return nil, fmt.Errorf("woocommerce: order %s: date_completed_gmt: %w: %v", asked, bot.ErrShopUnavailable, err)
	}
	if o.Placed.IsZero() {
		// An order without its creation date has no warranty start.
		if o.Placed, err = gmt(w.DatePaidGMT); err != nil || o.Placed.IsZero() {
			return nil, fmt.Errorf("woocommerce: order %s: %w: no date_created_gmt", asked, bot.ErrShopUnavailable)
		}
	}
	if w.Total != "" {
		o.Total = text(strings.TrimSpace(w.Total+" "+w.Currency), maxText)
	}
	o.Customer = bot.OrderCustomer{
		Name:  text(strings.TrimSpace(w.Billing.FirstName+" "+w.Billing.LastName), maxText),
		Email: text(w.Billing.Email, maxText),
		Phone: text(w.Billing.Phone, 40),
		// The postcode a customer knows is where the parcel goes; the
		// billing one stands in for an order that ships nowhere.
		Postcode: text(w.Shipping.Postcode, 20),
	}
	if o.Customer.Postcode == "" {
		o.Customer.Postcode = text(w.Billing.Postcode, 20)
	}
	if o.Customer.Name == "" {
		o.Customer.Name = text(strings.TrimSpace(w.Shipping.FirstName+" "+w.Shipping.LastName), maxText)
	}
	for i, li := range w.LineItems {
		if i == maxItems {
			break
		}
		q, err := strconv.Atoi(li.Quantity.String())
		if err != nil || q < 1 {
			q = 1
		}
		o.Items = append(o.Items, bot.OrderItem{Name: text(li.Name, maxText), SKU: text(li.SKU, 60), Quantity: q})
	}
	s.tracking(o, w)
	switch o.Status {
	case bot.OrderShipped:
		if o.Shipped.IsZero() {
			o.Shipped = completed
		}
	case bot.OrderDelivered:
		// WooCommerce knows no delivery: completed is the shop's word
		// that it arrived, when the shop maps it to delivered.
		o.Delivered = completed
		if o.Delivered.IsZero() {
			o.Delivered = o.Shipped
		}
	}
	return o, nil
}

// tracking reads the Shipment Tracking extension's last parcel: its
// carrier, its link when it is one a customer may follow, the day it
// left.
func (s *Shop) tracking(o *bot.Order, w *wooOrder) {
	for _, m := range w.MetaData {
		if m.Key != "_wc_shipment_tracking_items" {
			continue
		}
		var items []trackingItem
		if json.Unmarshal(m.Value, &items) != nil || len(items) == 0 {
			return // an extension's meta of another shape: the order without its parcel
		}
		t := items[len(items)-1]
		o.Carrier = strings.TrimSpace(bot.CleanLine(t.CustomProvider, maxText))
		if o.Carrier == "" {
			o.Carrier = strings.TrimSpace(bot.CleanLine(t.Provider, maxText))
		}
		if link := strings.TrimSpace(t.Link); len(link) <= maxURL && bot.IsTrackingURL(link) {
			o.TrackingURL = link
		}
		var secs int64
		var str string
		if json.Unmarshal(t.DateShipped, &secs) != nil && json.Unmarshal(t.DateShipped, &str) == nil {
			secs, _ = strconv.ParseInt(str, 10, 64)
		}
		switch {
		case secs <= 0 || secs >= 4102444800: // up to 2100
		case secs%(24*60*60) == 0:
			// The day the shop entered, as the extension keeps it:
			// midnight UTC. It is that day in the shop's zone.
			d := time.Unix(secs, 0).UTC()
			o.Shipped = time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, s.zone)
		default:
			o.Shipped = time.Unix(secs, 0).UTC()
		}
		return
	}
}

// gmt reads one of WooCommerce's *_gmt dates, "2025-06-02T09:30:00" in
// UTC; null is the zero time.
func gmt(s *string) (time.Time, error) {
	if s == nil || *s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02T15:04:05", *s)
	if err != nil {
		if t, err = time.Parse(time.RFC3339, *s); err != nil {
			return time.Time{}, fmt.Errorf("%q is no date", bot.CleanLine(*s, 40))
		}
	}
	return t.UTC(), nil
}

// digits returns the digits of number when they are one run ("SP-482001"
// is 482001), else "".
func digits(number string) string {
	k := bot.OrderKey(number)
	i := strings.IndexFunc(k, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 || strings.ContainsFunc(k[i:], func(r rune) bool { return r < '0' || r > '9' }) {
		return ""
	}
	return k[i:]
}

// matches tells whether the shop's number of an order is the number
// asked: the same up to case and punctuation, or, where the shop numbers
// its orders with digits alone, the asked number's digits ("SP-482001"
// is the shop's 482001: the bot's flows may write a prefix of their
// own).
func matches(shop, asked string) bool {
	ks := bot.OrderKey(shop)
	if ks == "" {
		return false
	}
	if ks == bot.OrderKey(asked) {
		return true
	}
	return strings.Trim(ks, "0123456789") == "" && strings.TrimLeft(ks, "0") == strings.TrimLeft(digits(asked), "0")
}

// checkRedirect follows a site's redirects (to its www. host, to https)
// but never from https to plain http: Go's client would send the
// Authorization header again, the consumer key and secret in the clear,
// as the host is the same.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if req.URL.Scheme != "https" && via[0].URL.Scheme == "https" {
		return fmt.Errorf("the site redirects to %s, plain http, which would send the consumer key and secret in the clear: set shop.woocommerce.url to its https address, and WordPress's site address (Settings > General) to https", bot.CleanLine(req.URL.Redacted(), 200))
	}
	return nil
}

// newClient is the client of the lookups. The caller's context is each
// lookup's deadline; the client's timeout only stops one whose caller
// forgot it. Several conversations look orders up at once from the one
// host: their connections are kept for the next (net/http keeps two).
func newClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16
	return &http.Client{Timeout: 30 * time.Second, Transport: t}
}
