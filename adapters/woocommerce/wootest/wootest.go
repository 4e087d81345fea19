// Package wootest is a fake WooCommerce for tests: an httptest server
// that speaks the REST API v3's orders as WooCommerce documents them
// (GET /wp-json/wc/v3/orders/{id} and the list's search with per_page,
// page and the X-WP-Total and X-WP-TotalPages headers), checks the
// consumer key and secret as WooCommerce does over HTTPS (HTTP Basic
// auth), answers WordPress's error bodies ({code, message, data{status}})
// and can be told to fail as a real site does: a 500, an HTML page, an
// answer too big, no answer at all.
package wootest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The fake's consumer key and secret, unless a test sets its own.
const (
	Key    = "ck_0123456789abcdef0123456789abcdef01234567"
	Secret = "cs_0123456789abcdef0123456789abcdef01234567"
)

// An Order is a fixture: the fields of WooCommerce's order that tests
// set; the fake writes the rest as WooCommerce does.
type Order struct {
	ID        int64
	Number    string // "" is the ID, as WooCommerce numbers orders
	Status    string // pending, processing, on-hold, completed, ...
	Currency  string // EUR unless set
	Total     string // "379.00"
	Created   time.Time
	Paid      time.Time // zero is null
	Completed time.Time // zero is null
	Billing   Address
	Shipping  Address
	Items     []Item
	// Tracking is the Shipment Tracking extension's parcels, kept in the
	// order's meta _wc_shipment_tracking_items; none is no such meta.
	Tracking []Tracking
}

// An Address is a billing or shipping address.
type Address struct {
	FirstName, LastName, Postcode, Email, Phone, City, Country string
}

// An Item is a line item.
type Item struct {
	Name      string
	SKU       string
	Quantity  int
	ProductID int64
}

// Tracking is one parcel of the Shipment Tracking extension.
type Tracking struct {
	Provider, CustomProvider, Number, Link string
	Shipped                                time.Time
}

// A Fault makes every answer fail one way.
type Fault string

// The faults a real site shows.
const (
	NoFault        Fault = ""
	FaultServer    Fault = "500"        // a PHP fatal error: 500 with WordPress's critical error body
	FaultHTML      Fault = "html"       // a proxy's or a cache's HTML page, with 200
	FaultHuge      Fault = "huge"       // an answer of 10 MiB
	FaultHang      Fault = "hang"       // no answer until the client gives up
	FaultReadOnly  Fault = "cannotview" // the key has no Read permission: 401 woocommerce_rest_cannot_view
	FaultNoRoute   Fault = "noroute"    // WooCommerce is off: 404 rest_no_route
	FaultRateLimit Fault = "429"        // a host's rate limit: 429 with its HTML page
)

// A Server is a fake WooCommerce site.
type Server struct {
	*httptest.Server
	Key, Secret string

	mu       sync.Mutex
	orders   []Order
	fault    Fault
	requests []string
}

// NewServer starts a fake site with orders, closed at the test's end.
func NewServer(tb testing.TB, orders ...Order) *Server {
	tb.Helper()
	s := &Server{Key: Key, Secret: Secret, orders: orders}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(func() {
		s.SetFault(NoFault) // let a hanging handler go
		s.Server.CloseClientConnections()
		s.Server.Close()
	})
	return s
}

// SetFault makes every answer from now on fail as f says; NoFault ends it.
func (s *Server) SetFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// Add adds orders to the site.
func (s *Server) Add(orders ...Order) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders = append(s.orders, orders...)
}

// Requests returns the requests the site answered, as "GET /path?query".
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

const prefix = "/wp-json/wc/v3/orders"

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+r.URL.RequestURI())
	fault := s.fault
	orders := append([]Order(nil), s.orders...)
	s.mu.Unlock()
	switch fault {
	case FaultServer:
		writeError(w, http.StatusInternalServerError, "internal_server_error", "<p>There has been a critical error on this website.</p>")
		return
	case FaultHTML:
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Maintenance</title></head><body>Briefly unavailable for scheduled maintenance.</body></html>")
		return
	case FaultHuge:
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		fmt.Fprint(w, `[{"id":1,"number":"`)
		chunk := strings.Repeat("x", 1<<16)
		for range 160 {
			fmt.Fprint(w, chunk)
		}
		fmt.Fprint(w, `"}]`)
		return
	case FaultHang:
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-t.C:
				if s.currentFault() != FaultHang {
					return
				}
			}
		}
	case FaultReadOnly:
		writeError(w, http.StatusUnauthorized, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
		return
	case FaultNoRoute:
		writeError(w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.")
		return
	case FaultRateLimit:
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, "<html><body><h1>429 Too Many Requests</h1></body></html>")
		return
	}
	if !s.authorised(w, r) {
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, prefix)
	if !ok || r.Method != http.MethodGet {
		writeError(w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.")
		return
	}
	switch {
	case rest == "" || rest == "/":
		s.list(w, r, orders)
	default:
		id, err := strconv.ParseInt(strings.TrimPrefix(rest, "/"), 10, 64)
		if err != nil || id <= 0 {
			writeError(w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.")
			return
		}
		for _, o := range orders {
			if o.ID == id {
				writeJSON(w, http.StatusOK, o.json(), nil)
				return
			}
		}
		writeError(w, http.StatusNotFound, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
	}
}

func (s *Server) currentFault() Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fault
}

// authorised checks the Basic auth as WooCommerce does over HTTPS: no
// credentials is a user who may not list orders; a wrong key or secret
// says which.
func (s *Server) authorised(w http.ResponseWriter, r *http.Request) bool {
	key, secret, ok := r.BasicAuth()
	switch {
	case !ok:
		writeError(w, http.StatusUnauthorized, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
	case key != s.Key:
		writeError(w, http.StatusUnauthorized, "woocommerce_rest_authentication_error", "Consumer key is invalid.")
	case secret != s.Secret:
		writeError(w, http.StatusUnauthorized, "woocommerce_rest_authentication_error", "Consumer secret is invalid.")
	default:
		return true
	}
	return false
}

// list answers GET /orders: the search matches the number, the billing
// names and e-mail and the items' names, as WooCommerce's does, newest
// first; per_page is 10 by default and at most 100.
func (s *Server) list(w http.ResponseWriter, r *http.Request, orders []Order) {
	q := r.URL.Query()
	perPage, page := 10, 1
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): per_page")
			return
		}
		perPage = n
	}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): page")
			return
		}
		page = n
	}
	search := strings.ToLower(q.Get("search"))
	var found []map[string]any
	for i := len(orders) - 1; i >= 0; i-- {
		o := orders[i]
		hay := []string{o.number(), o.Billing.FirstName, o.Billing.LastName, o.Billing.Email}
		for _, it := range o.Items {
			hay = append(hay, it.Name)
		}
		if search == "" || strings.Contains(strings.ToLower(strings.Join(hay, "\n")), search) {
			found = append(found, o.json())
		}
	}
	total := len(found)
	pages := (total + perPage - 1) / perPage
	from := min((page-1)*perPage, total)
	h := http.Header{"X-Wp-Total": {strconv.Itoa(total)}, "X-Wp-Totalpages": {strconv.Itoa(pages)}}
	if page < pages {
		next := *r.URL
		nq := next.Query()
		nq.Set("page", strconv.Itoa(page+1))
		next.RawQuery = nq.Encode()
		h.Set("Link", "<http://"+r.Host+next.RequestURI()+`>; rel="next"`)
	}
	writeJSON(w, http.StatusOK, found[from:min(from+perPage, total)], h)
}

func (o Order) number() string {
	if o.Number != "" {
		return o.Number
	}
	return strconv.FormatInt(o.ID, 10)
}

// json writes the order as WooCommerce's API does: every date twice
// (the site's time and GMT, without an offset), amounts as strings.
func (o Order) json() map[string]any {
	site := time.FixedZone("site", 2*3600) // the shop's WordPress time zone
	date := func(t time.Time) (any, any) {
		if t.IsZero() {
			return nil, nil
		}
		return t.In(site).Format("2006-01-02T15:04:05"), t.UTC().Format("2006-01-02T15:04:05")
	}
	cur := o.Currency
	if cur == "" {
		cur = "EUR"
	}
	items := []map[string]any{}
	for i, it := range o.Items {
		q := it.Quantity
		if q == 0 {
			q = 1
		}
		items = append(items, map[string]any{"id": 100 + i, "name": it.Name, "product_id": it.ProductID, "variation_id": 0,
			"quantity": q, "tax_class": "", "subtotal": "10.00", "total": "10.00", "sku": it.SKU, "price": 10, "meta_data": []any{}})
	}
	meta := []map[string]any{{"id": 1, "key": "is_vat_exempt", "value": "no"}}
	if len(o.Tracking) > 0 {
		var ts []map[string]any
		for i, t := range o.Tracking {
			ts = append(ts, map[string]any{"tracking_provider": t.Provider, "custom_tracking_provider": t.CustomProvider,
				"custom_tracking_link": t.Link, "tracking_number": t.Number,
				"date_shipped": strconv.FormatInt(t.Shipped.Unix(), 10), "tracking_id": fmt.Sprintf("%032x", i+1)})
		}
		meta = append(meta, map[string]any{"id": 2, "key": "_wc_shipment_tracking_items", "value": ts})
	}
	addr := func(a Address, email bool) map[string]any {
		m := map[string]any{"first_name": a.FirstName, "last_name": a.LastName, "company": "", "address_1": "Via Roma 1",
			"address_2": "", "city": a.City, "state": "", "postcode": a.Postcode, "country": a.Country, "phone": a.Phone}
		if email {
			m["email"] = a.Email
		}
		return m
	}
	created, createdGMT := date(o.Created)
	paid, paidGMT := date(o.Paid)
	completed, completedGMT := date(o.Completed)
	return map[string]any{
		"id": o.ID, "parent_id": 0, "number": o.number(), "order_key": "wc_order_58d2d042d1d", "created_via": "checkout",
		"version": "9.4.0", "status": o.Status, "currency": cur, "prices_include_tax": true,
		"date_created": created, "date_created_gmt": createdGMT, "date_modified": created, "date_modified_gmt": createdGMT,
		"discount_total": "0.00", "shipping_total": "0.00", "total": o.Total, "total_tax": "0.00", "customer_id": 0,
		"billing": addr(o.Billing, true), "shipping": addr(o.Shipping, false),
		"payment_method": "bacs", "payment_method_title": "Direct Bank Transfer", "transaction_id": "",
		"date_paid": paid, "date_paid_gmt": paidGMT, "date_completed": completed, "date_completed_gmt": completedGMT,
		"cart_hash": "", "meta_data": meta, "line_items": items, "tax_lines": []any{}, "shipping_lines": []any{},
		"fee_lines": []any{}, "coupon_lines": []any{}, "refunds": []any{},
		"_links": map[string]any{"self": []any{map[string]any{"href": "/wp-json/wc/v3/orders/" + strconv.FormatInt(o.ID, 10)}}},
	}
}

func writeJSON(w http.ResponseWriter, status int, v any, h http.Header) {
	for k, vs := range h {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{"code": code, "message": message, "data": map[string]any{"status": status}}, nil)
}
