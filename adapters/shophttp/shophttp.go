// Package shophttp reads orders from a shop's own backend through the
// documented HTTP contract (docs/shop.md, "your own system"): one signed
// request to one endpoint of the shop, one JSON answer.
//
// The request is
//
//	POST {url}
//	Content-Type: application/json
//	X-Sportello-Timestamp: 1748940000
//	X-Sportello-Signature: sha256=<hex(HMAC-SHA256(secret, timestamp + "." + body))>
//
//	{"order_number": "SP-482001", "request_id": "9f2c..."}
//
// and the answer 200 with the order (docs/shop-contract.schema.json), 404
// when the shop has no such order, anything else when it cannot answer.
// The answer is checked strictly against the schema: an unknown field, a
// value of the wrong kind, a status outside the list, a date that is no
// date make it no answer (ErrShopUnavailable, with every mistake, for the
// operator's log).
package shophttp

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/bot"
)

// The contract's headers.
const (
	HeaderTimestamp = "X-Sportello-Timestamp"
	HeaderSignature = "X-Sportello-Signature"
)

// MaxBody bounds the answer: an order of a hundred items is some 30 KB.
const MaxBody = 1 << 20

// Config configures a Shop.
type Config struct {
	// URL is the shop's endpoint, https://shop.example/sportello/order.
	// The caller checks that it is https, or http to the loopback.
	URL string
	// Secret signs every request (SPORTELLO_SHOP_SECRET): the shop checks
	// the signature with the same secret. It is never sent nor logged.
	Secret string
	// Client makes the requests; nil is a client of its own. The
	// caller's context bounds each request. Redirects are never
	// followed, whatever the client's policy: the signed request and
	// the customer's details would go wherever they point.
	Client *http.Client
	// Now is the clock of the timestamps; nil is time.Now.
	Now func() time.Time
	// Zone is the shop's time zone, whose day a date without a time
	// ("2025-06-02") is; nil is UTC.
	Zone *time.Location
}

// A Shop is the orders of one shop's backend. It is safe for concurrent
// use.
type Shop struct {
	url    string
	secret []byte
	client *http.Client
	now    func() time.Time
	zone   *time.Location
}

var _ bot.Orders = (*Shop)(nil)

// MinSecretLen is the shortest secret New accepts.
const MinSecretLen = 32

// New returns the Shop of cfg, or an error naming what is wrong.
func New(cfg Config) (*Shop, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("shophttp: the endpoint %q: want https://your-shop.example/path", cfg.URL)
	}
	if len(cfg.Secret) < MinSecretLen {
		return nil, fmt.Errorf("shophttp: the secret has %d characters: want at least %d (openssl rand -hex 32)", len(cfg.Secret), MinSecretLen)
	}
	s := &Shop{url: u.String(), secret: []byte(cfg.Secret), client: newClient(), now: cfg.Now, zone: cfg.Zone}
	if cfg.Client != nil {
		c := *cfg.Client
		s.client = &c
	}
	s.client.CheckRedirect = refuseRedirect
	if s.now == nil {
		s.now = time.Now
	}
	if s.zone == nil {
		s.zone = time.UTC
	}
	return s, nil
}

// Request is the body of the contract's request.
type Request struct {
	OrderNumber string `json:"order_number"`
	// RequestID is new for each request (16 random bytes, hex): a shop
	// may refuse one it has seen, against replays inside the
	// timestamp's window.
	RequestID string `json:"request_id"`
}

// Sign returns the signature header's value of body sent at ts (unix
// seconds): "sha256=" + hex(HMAC-SHA256(secret, ts + "." + body)).
func Sign(secret []byte, ts string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Order asks the shop's endpoint for the order numbered number.
func (s *Shop) Order(ctx context.Context, number string) (*bot.Order, error) {
	var id [16]byte
	_, _ = rand.Read(id[:])
	body, err := json.Marshal(Request{OrderNumber: number, RequestID: hex.EncodeToString(id[:])})
	if err != nil {
		return nil, fmt.Errorf("shophttp: order %s: %w", number, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("shophttp: order %s: %w", number, err)
	}
	ts := strconv.FormatInt(s.now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Sportello")
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(s.secret, ts, body))
	resp, err := s.client.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("shophttp: order %s: %w", number, ctxErr)
		}
		return nil, fmt.Errorf("shophttp: order %s: %w: %v", number, bot.ErrShopUnavailable, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, fmt.Errorf("shophttp: order %s: %w", number, ctx.Err())
	case err != nil:
		return nil, fmt.Errorf("shophttp: order %s: %w: reading the answer: %v", number, bot.ErrShopUnavailable, err)
	case resp.StatusCode == http.StatusNotFound:
		return nil, fmt.Errorf("shophttp: order %s: %w", number, bot.ErrOrderNotFound)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("shophttp: order %s: %w: HTTP %d: %s", number, bot.ErrShopUnavailable, resp.StatusCode, excerpt(data))
	case len(data) > MaxBody:
		return nil, fmt.Errorf("shophttp: order %s: %w: the answer is over %d bytes", number, bot.ErrShopUnavailable, MaxBody)
	}
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return nil, fmt.Errorf("shophttp: order %s: %w: the answer is not JSON (Content-Type %q): %s", number, bot.ErrShopUnavailable, resp.Header.Get("Content-Type"), excerpt(data))
	}
	o, err := decode(data, s.zone)
	if err != nil {
		return nil, fmt.Errorf("shophttp: order %s: %w: %v", number, bot.ErrShopUnavailable, err)
	}
	if bot.OrderKey(o.Number) != bot.OrderKey(number) {
		return nil, fmt.Errorf("shophttp: order %s: %w: the answer is the order %q", number, bot.ErrShopUnavailable, o.Number)
	}
	return o, nil
}

// excerpt is the start of an answer that is not one, for the operator.
func excerpt(body []byte) string {
	s := bot.CleanLine(string(bytes.TrimSpace(body[:min(len(body), 120)])), 0)
	if s == "" {
		return "an empty body"
	}
	return strconv.Quote(s)
}

// Bounds of the answer's values, as the schema says them.
const (
	maxNumber = 40
	maxText   = 200
	maxURL    = 2000
	maxItems  = 100
)

// A DecodeError is every mistake of an answer, each with its place
// ("items[0].quantity: want a whole number from 1").
type DecodeError []string

func (e DecodeError) Error() string {
	return "the answer breaks the contract (docs/shop-contract.schema.json): " + strings.Join(e, "; ")
}

// Decode reads an answer of the contract: exactly what
// docs/shop-contract.schema.json allows, and a date that exists; a date
// without a time is that day in UTC.
func Decode(data []byte) (*bot.Order, error) { return decode(data, time.UTC) }

// decode is Decode with the days of the zone loc.
func decode(data []byte, loc *time.Location) (*bot.Order, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("the answer is not JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("the answer is not JSON: more after the order")
	}
	d := &decoder{loc: loc}
	o := d.order(v)
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return o, nil
}

type decoder struct {
	errs DecodeError
	loc  *time.Location // the shop's, whose days the dates without a time are
}

func (d *decoder) errorf(format string, args ...any) {
	if len(d.errs) < 20 {
		d.errs = append(d.errs, fmt.Sprintf(format, args...))
	}
}

// object returns v as an object whose keys are among known, with a
// mistake for each other key.
func (d *decoder) object(v any, what string, known ...string) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		d.errorf("%s: want an object, not %s", what, kind(v))
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(known, k) {
			d.errorf("%s: unknown field %q", what, bot.CleanLine(k, 40))
		}
	}
	return m
}

func kind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string" // not quoted: it may be a customer's name or address, and the log is no place for it
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		return v.String()
	}
	return fmt.Sprintf("%T", v)
}

// str reads a string of at most max characters, cleaned of control
// characters: "" when it is missing (a mistake when it is required). A
// field that is present is never empty: the contract leaves out what is
// not known.
func (d *decoder) str(m map[string]any, k, what string, max int, required bool) string {
	v, ok := m[k]
	if !ok {
		if required {
			d.errorf("%s: %q is missing", what, k)
		}
		return ""
	}
	s, ok := v.(string)
	switch {
	case !ok:
		d.errorf("%s.%s: want a string, not %s", what, k, kind(v))
		return ""
	case s == "":
		d.errorf("%s.%s: empty: leave the field out when it is not known", what, k)
	case len([]rune(s)) > max:
		d.errorf("%s.%s: %d characters; at most %d", what, k, len([]rune(s)), max)
		return ""
	}
	return strings.TrimSpace(bot.CleanLine(s, 0))
}

// DatePattern is the form of the answer's dates, the schema's pattern:
// a day (2025-06-03) or an RFC 3339 time (2025-06-03T14:05:00+02:00).
const DatePattern = `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))?$`

var datePattern = regexp.MustCompile(DatePattern)

// date reads a date of DatePattern: a day at noon in the shop's zone
// (the same day wherever the flows read it in that zone), or the time.
func (d *decoder) date(m map[string]any, k string, required bool) time.Time {
	s := d.str(m, k, "the order", 40, required)
	if s == "" {
		return time.Time{}
	}
	if !datePattern.MatchString(s) {
		d.errorf("the order.%s: %q is no date: want 2025-06-03 or 2025-06-03T14:05:00+02:00", k, s)
		return time.Time{}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, d.loc); err == nil {
		return t.Add(12 * time.Hour)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil { // 2025-02-30: the pattern's form, no day of the calendar
		d.errorf("the order.%s: %q is no day of the calendar", k, s)
	}
	return t
}

func (d *decoder) order(v any) *bot.Order {
	m := d.object(v, "the order", "number", "status", "placed", "shipped", "delivered", "expected",
		"carrier", "tracking_url", "total", "customer", "items")
	if m == nil {
		return nil
	}
	o := &bot.Order{Number: d.str(m, "number", "the order", maxNumber, true)}
	if o.Number != "" && bot.OrderKey(o.Number) == "" {
		d.errorf("the order.number: %q has no letter nor digit", o.Number)
	}
	status := d.str(m, "status", "the order", 20, true)
	o.Status = bot.OrderStatus(status)
	if status != "" && !o.Status.Known() {
		d.errorf("the order.status: %q: want one of %s", status, bot.OrderStatusNames())
	}
	o.Placed = d.date(m, "placed", true)
	o.Shipped = d.date(m, "shipped", false)
	o.Delivered = d.date(m, "delivered", false)
	o.Expected = d.date(m, "expected", false)
	if o.Status == bot.OrderDelivered && o.Delivered.IsZero() {
		if _, ok := m["delivered"]; !ok {
			d.errorf("the order: the status is delivered, but \"delivered\" is missing (returns are counted from it)")
		}
	}
	o.Carrier = d.str(m, "carrier", "the order", maxText, false)
	o.Total = d.str(m, "total", "the order", maxText, false)
	o.TrackingURL = d.str(m, "tracking_url", "the order", maxURL, false)
	if o.TrackingURL != "" && !bot.IsTrackingURL(o.TrackingURL) {
		d.errorf("the order.tracking_url: %q: want an http or https link", bot.CleanLine(o.TrackingURL, 60))
	}
	if c, ok := m["customer"]; !ok {
		d.errorf("the order: \"customer\" is missing: the customer proves the order theirs with its email or postcode")
	} else if cm := d.object(c, "the order.customer", "name", "email", "postcode", "phone"); cm != nil {
		o.Customer = bot.OrderCustomer{
			Name:     d.str(cm, "name", "the order.customer", maxText, false),
			Email:    d.str(cm, "email", "the order.customer", maxText, false),
			Postcode: d.str(cm, "postcode", "the order.customer", 20, false),
			Phone:    d.str(cm, "phone", "the order.customer", 40, false),
		}
		if o.Customer.Email == "" && o.Customer.Postcode == "" {
			d.errorf("the order.customer: neither email nor postcode: nobody could prove the order theirs")
		}
	}
	items, ok := m["items"].([]any)
	switch {
	case m["items"] == nil && !ok:
		if _, present := m["items"]; present {
			d.errorf("the order.items: want a list, not null")
		} else {
			d.errorf("the order: \"items\" is missing")
		}
	case !ok:
		d.errorf("the order.items: want a list, not %s", kind(m["items"]))
	case len(items) == 0 || len(items) > maxItems:
		d.errorf("the order.items: %d items; want 1 to %d", len(items), maxItems)
	}
	for i, it := range items {
		if i == maxItems {
			break
		}
		what := fmt.Sprintf("the order.items[%d]", i)
		im := d.object(it, what, "name", "sku", "quantity", "product")
		if im == nil {
			continue
		}
		item := bot.OrderItem{
			Name:     d.str(im, "name", what, maxText, true),
			SKU:      d.str(im, "sku", what, 60, false),
			Product:  d.str(im, "product", what, 40, false),
			Quantity: 1,
		}
		if q, ok := im["quantity"]; ok {
			// JSON Schema's integer is a number without a fraction: 2.0 is one.
			n, isNum := q.(json.Number)
			f, err := n.Float64()
			if !isNum || err != nil || f != math.Trunc(f) || f < 1 || f > 100000 {
				d.errorf("%s.quantity: %s: want a whole number from 1 to 100000", what, kind(q))
			} else {
				item.Quantity = int(f)
			}
		}
		o.Items = append(o.Items, item)
	}
	return o
}

// refuseRedirect stops at the endpoint's redirect, naming where it
// points: the contract is one endpoint, shop.http.url.
func refuseRedirect(req *http.Request, via []*http.Request) error {
	return fmt.Errorf("the endpoint redirects to %s: set shop.http.url (SPORTELLO_SHOP_URL) to the endpoint itself", bot.CleanLine(req.URL.Redacted(), 200))
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
