// Package shopifyfake is a fake Shopify GraphQL Admin API for tests: a
// local server that answers, as Shopify documents, the two queries of a
// lookup (orders(first:, query: "name:...") and order(id:), with its
// lineItems(after:)),
// at /admin/api/{version}/graphql.json with the token in
// X-Shopify-Access-Token:
//
//   - a wrong token: 401 {"errors":"[API] Invalid API key or access token ..."};
//   - another path, or a version it does not serve (Versions): 404
//     {"errors":"Not Found"} (Shopify itself serves a retired version
//     as the oldest it supports);
//   - a field the schema does not have: 200 with a GraphQL error, as
//     Shopify's validation answers (so a misspelt query fails its test);
//   - every answer carries extensions.cost (requestedQueryCost,
//     actualQueryCost, throttleStatus), from a leaky bucket of its own
//     (SetBucket): a query the bucket cannot hold is answered THROTTLED;
//   - line items come in pages of the asked size, with pageInfo and
//     cursors;
//   - a search by name finds what Shopify's search finds: every order
//     whose name's words begin with the asked name's words ("SP-12345"
//     finds #SP-123456 too), oldest first, as many as first: asks, from
//     the cursor after: names (OrderNames), with pageInfo.
//
// A test can make it fail (SetFault): a 500, HTML instead of JSON, an
// answer over a megabyte, no answer at all, a token without the scope;
// or answer anything at all (SetRaw).
package shopifyfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Token is the only access token the fake accepts. Tests check that it
// appears in no log line.
const Token = "shpat_fake_SECRET_0123456789abcdef_never_logged"

// ClientID and ClientSecret are the credentials of the Dev Dashboard app
// the fake knows: POST /admin/oauth/access_token with them (the client
// credentials grant) gives a token that lasts TokenLife.
const (
	ClientID     = "fake-client-id-0123"
	ClientSecret = "shpss_fake_SECRET_client_secret_never_logged"
)

// Versions are the API versions the fake serves.
var Versions = []string{"2025-01", "2025-04", "2025-07", "2025-10", "2026-01", "2026-04", "2026-07", "2026-10", "unstable"}

// Fixtures: an order as the API's JSON has it. Dates are ISO 8601
// strings ("2025-06-02T09:14:00Z"), "" for null.
type Order struct {
	ID                       string // gid://shopify/Order/N; made up when empty
	Name                     string // "#1001", "SP-123456"
	CreatedAt, ProcessedAt   string
	CancelledAt              string
	DisplayFinancialStatus   string // PAID, PENDING, REFUNDED, ...
	DisplayFulfillmentStatus string // FULFILLED, UNFULFILLED, ...
	ReturnStatus             string // NO_RETURN when empty
	Email, Phone             string
	ShippingAddress          *Address
	BillingAddress           *Address
	Amount, Currency         string // "379.0", "EUR"
	LineItems                []LineItem
	Fulfillments             []Fulfillment
}

// Address is a MailingAddress.
type Address struct{ Name, Zip, Phone string }

// LineItem is a line of an order.
type LineItem struct {
	Name, SKU string
	Quantity  int
}

// Fulfillment is a shipment of an order.
type Fulfillment struct {
	Status                                                   string // SUCCESS when empty
	DisplayStatus                                            string // IN_TRANSIT, DELIVERED, ...
	CreatedAt, InTransitAt, DeliveredAt, EstimatedDeliveryAt string
	Tracking                                                 []Tracking
}

// Tracking is a FulfillmentTrackingInfo.
type Tracking struct{ Company, Number, URL string }

// A Fault is a way the fake fails every request, once it has checked the
// path and the token.
type Fault string

const (
	FaultNone    Fault = ""
	FaultDown    Fault = "down"     // 500 {"errors":"Internal Server Error"}
	FaultHTML    Fault = "html"     // 200, an HTML page (a proxy's, a maintenance page)
	FaultHuge    Fault = "huge"     // 200, JSON of 2 MiB
	FaultHang    Fault = "hang"     // no answer until the client gives up
	FaultNoScope Fault = "no-scope" // 200, ACCESS_DENIED: the token lacks read_orders
)

// Request is a request the fake received.
type Request struct {
	Path      string
	Token     bool   // it carried a good token; for a grant, one was given
	Operation string // the query's operation name: OrderByName, OrderLineItems; client_credentials
	Variables map[string]any
	Throttled bool
	At        time.Time
}

// Costs the fake reckons its queries at, as Shopify would: a connection
// of first: n costs 2 + n times its node's; actual costs are lower.
const (
	OrdersCost    = 80  // requested, of the lookup's orders query
	NamesCost     = 102 // requested, of a page of 100 names
	LineItemsCost = 53  // requested, of a page of 50 line items
	actualCost    = 12
)

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the shop's base URL: shop.shopify.url.
	URL string
	srv *httptest.Server

	mu       sync.Mutex
	orders   []Order
	fault    Fault
	raw      *rawAnswer
	requests []Request
	// The bucket: avail points at at, refilled at rate a second up to max.
	max, avail, rate float64
	at               time.Time
	stop             chan struct{}
	// The tokens of the client credentials grant, and when they expire.
	issued    map[string]time.Time
	tokenLife time.Duration
	delay     time.Duration // before each answer, as across the internet
}

type rawAnswer struct {
	status      int
	contentType string
	body        string
}

// New starts a fake serving orders, closed when the test ends. Its bucket
// is the standard plan's: 2000 points, refilled at 100 a second.
func New(tb testing.TB, orders ...Order) *Server {
	tb.Helper()
	s := &Server{orders: slices.Clone(orders), max: 2000, avail: 2000, rate: 100, at: time.Now(), stop: make(chan struct{}),
		issued: map[string]time.Time{}, tokenLife: 24 * time.Hour}
	for i := range s.orders {
		if s.orders[i].ID == "" {
			s.orders[i].ID = "gid://shopify/Order/" + strconv.Itoa(5500000000+i)
		}
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	tb.Cleanup(s.Close)
	return s
}

// Close stops the fake; requests hanging on FaultHang end.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	s.mu.Unlock()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// SetFault makes every request fail as f (FaultNone: none).
func (s *Server) SetFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// SetRaw makes every authenticated request answer status, contentType
// and body as given; status 0 ends it.
func (s *Server) SetRaw(status int, contentType, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw = nil
	if status != 0 {
		s.raw = &rawAnswer{status, contentType, body}
	}
}

// SetBucket sets the cost bucket: its size, what it holds now, and how
// many points a second it refills.
func (s *Server) SetBucket(max, avail, rate float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.max, s.avail, s.rate, s.at = max, avail, rate, time.Now()
}

// SetDelay makes the fake wait d before it answers each request, as a
// shop's API across the internet does.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetTokenLife sets how long the tokens the fake gives from now on last.
func (s *Server) SetTokenLife(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenLife = d
}

// RevokeTokens revokes every token given so far (Token stays good).
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.issued)
}

// tokenOK reports whether token is Token or a token given and not
// expired.
func (s *Server) tokenOK(token string) bool {
	if token == Token {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.issued[token]
	return ok && time.Now().Before(exp)
}

// grant answers the client credentials grant.
func (s *Server) grant(w http.ResponseWriter, r *http.Request) {
	rq := Request{Path: r.URL.Path, Operation: "client_credentials", At: time.Now()}
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		s.record(rq)
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request"})
		return
	}
	f := r.PostForm
	switch {
	case f.Get("grant_type") != "client_credentials":
		s.record(rq)
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "unsupported_grant_type"})
		return
	case f.Get("client_id") != ClientID || f.Get("client_secret") != ClientSecret:
		s.record(rq)
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_client", "error_description": "Client authentication failed"})
		return
	}
	s.mu.Lock()
	token := fmt.Sprintf("shpat_granted_%d_SECRET", len(s.requests))
	s.issued[token] = time.Now().Add(s.tokenLife)
	life := s.tokenLife
	s.mu.Unlock()
	rq.Token = true
	s.record(rq)
	writeJSON(w, http.StatusOK, map[string]any{"access_token": token, "scope": "read_orders,read_fulfillments", "expires_in": int(life.Seconds())})
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

var rePath = regexp.MustCompile(`^/admin/api/([^/]+)/graphql\.json$`)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	delay := s.delay
	s.mu.Unlock()
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-s.stop:
			t.Stop()
			return
		}
	}
	if r.URL.Path == "/admin/oauth/access_token" {
		s.grant(w, r)
		return
	}
	rq := Request{Path: r.URL.Path, Token: s.tokenOK(r.Header.Get("X-Shopify-Access-Token")), At: time.Now()}
	m := rePath.FindStringSubmatch(r.URL.Path)
	if m == nil || !slices.Contains(Versions, m[1]) {
		s.record(rq)
		writeJSON(w, http.StatusNotFound, map[string]any{"errors": "Not Found"})
		return
	}
	if !rq.Token {
		s.record(rq)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"})
		return
	}
	if r.Method != http.MethodPost {
		s.record(rq)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"errors": "Method Not Allowed"})
		return
	}
	var body struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(data, &body)
	}
	if err != nil || body.Query == "" || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		s.record(rq)
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": map[string]any{"query": "Required parameter missing or invalid"}})
		return
	}
	rq.Operation, rq.Variables = operation(body.Query), body.Variables

	s.mu.Lock()
	fault, raw := s.fault, s.raw
	s.mu.Unlock()
	switch {
	case raw != nil:
		s.record(rq)
		w.Header().Set("Content-Type", raw.contentType)
		w.WriteHeader(raw.status)
		_, _ = io.WriteString(w, raw.body)
		return
	case fault == FaultDown:
		s.record(rq)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"errors": "Internal Server Error"})
		return
	case fault == FaultHTML:
		s.record(rq)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, "<!DOCTYPE html><html><head><title>Shop unavailable</title></head><body><h1>This shop is unavailable</h1></body></html>")
		return
	case fault == FaultHuge:
		s.record(rq)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"data":{"orders":{"nodes":[{"name":"`+strings.Repeat("x", 2<<20)+`"}]}}}`)
		return
	case fault == FaultHang:
		s.record(rq)
		select {
		case <-r.Context().Done():
		case <-s.stop:
		}
		return
	case fault == FaultNoScope:
		s.record(rq)
		writeJSON(w, http.StatusOK, map[string]any{"data": nil, "errors": []any{map[string]any{
			"message":    "Access denied for orders field. Required access: `read_orders` access scope.",
			"extensions": map[string]any{"code": "ACCESS_DENIED", "documentation": "https://shopify.dev/api/usage/access-scopes"},
			"path":       []string{"orders"},
		}}})
		return
	}
	if bad := unknownField(body.Query); bad != "" {
		s.record(rq)
		writeJSON(w, http.StatusOK, map[string]any{"errors": []any{map[string]any{
			"message":    fmt.Sprintf("Field '%s' doesn't exist on type 'Order'", bad),
			"extensions": map[string]any{"code": "undefinedField", "fieldName": bad},
		}}})
		return
	}

	requested := float64(OrdersCost)
	switch rq.Operation {
	case "OrderLineItems":
		requested = LineItemsCost
	case "OrderNames":
		requested = NamesCost
	}
	s.mu.Lock()
	now := time.Now()
	s.avail = min(s.max, s.avail+s.rate*now.Sub(s.at).Seconds())
	s.at = now
	throttled := s.avail < requested
	if !throttled {
		s.avail -= actualCost
	}
	status := map[string]any{"maximumAvailable": s.max, "currentlyAvailable": int(s.avail), "restoreRate": s.rate}
	s.mu.Unlock()
	rq.Throttled = throttled
	s.record(rq)
	if throttled {
		writeJSON(w, http.StatusOK, map[string]any{
			"errors": []any{map[string]any{"message": "Throttled", "extensions": map[string]any{
				"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}},
			"extensions": map[string]any{"cost": map[string]any{"requestedQueryCost": requested, "actualQueryCost": nil, "throttleStatus": status}},
		})
		return
	}
	var out map[string]any
	switch rq.Operation {
	case "OrderByName", "OrderNames":
		out = s.ordersByName(body.Query, body.Variables)
	case "OrderByID":
		out = s.orderByID(body.Variables)
	case "OrderLineItems":
		out = s.lineItemsPage(body.Variables)
	default:
		writeJSON(w, http.StatusOK, map[string]any{"errors": []any{map[string]any{"message": "the fake answers OrderByName, OrderNames, OrderByID and OrderLineItems only"}}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"data":       out,
		"extensions": map[string]any{"cost": map[string]any{"requestedQueryCost": requested, "actualQueryCost": actualCost, "throttleStatus": status}},
	})
}

func (s *Server) record(rq Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, rq)
}

var reOperation = regexp.MustCompile(`^\s*query\s+([A-Za-z_][A-Za-z0-9_]*)`)

func operation(q string) string {
	if m := reOperation.FindStringSubmatch(q); m != nil {
		return m[1]
	}
	return ""
}

// fields are the names the fake's part of the schema knows: the
// queries' fields and arguments, and their types'.
var fields = strings.Fields(`query OrderByName OrderNames OrderByID OrderLineItems String ID orders names order first after nodes id name
	createdAt processedAt cancelledAt displayFinancialStatus displayFulfillmentStatus returnStatus email phone
	shippingAddress billingAddress zip totalPriceSet shopMoney amount currencyCode lineItems pageInfo hasNextPage
	endCursor sku quantity fulfillments status displayStatus inTransitAt deliveredAt estimatedDeliveryAt
	trackingInfo company number url`)

var reWord = regexp.MustCompile(`\$?[A-Za-z_][A-Za-z0-9_]*`)

// unknownField returns the first name of q the schema does not know.
func unknownField(q string) string {
	for _, w := range reWord.FindAllString(q, -1) {
		if !strings.HasPrefix(w, "$") && !slices.Contains(fields, w) {
			return w
		}
	}
	return ""
}

var reName = regexp.MustCompile(`^name:(?:"([^"]*)"|(\S+))$`)

// reConnection finds the query's orders connections: an alias or none,
// how many nodes each asks for, and whether from the cursor $after.
var reConnection = regexp.MustCompile(`(?:([A-Za-z_][A-Za-z0-9_]*)\s*:\s*)?orders\(\s*first:\s*(\d+)(\s*,\s*after:\s*\$after)?`)

// words are the words of an order's name as Shopify's search reads
// them: letters and digits, without case; "#SP-123456" is sp and 123456.
func words(name string) []string {
	return strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}

// matches reports whether a search for the name want finds the order
// named name, as Shopify's search does: each word of want begins a word
// of name. So "SP-12345" finds #SP-123456, and "1001" finds #1001-R.
func matches(want, name string) bool {
	have := words(name)
	w := words(want)
	for _, x := range w {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.HasPrefix(h, x) }) {
			return false
		}
	}
	return len(w) > 0
}

// ordersByName answers the orders connections of an OrderByName query
// (orders(first: n, query: "name:..."), aliased or not): the orders the
// search finds, oldest first (Shopify's default sort is by ID), the first
// n of them for each connection. Shopify's search matches words and their
// beginnings, not the whole name: a search finds more than the one order.
func (s *Server) ordersByName(q string, vars map[string]any) map[string]any {
	search, _ := vars["query"].(string)
	var found []any
	if m := reName.FindStringSubmatch(strings.TrimSpace(search)); m != nil {
		s.mu.Lock()
		for _, o := range s.orders {
			if matches(m[1]+m[2], o.Name) {
				found = append(found, o.json())
			}
		}
		s.mu.Unlock()
	}
	out := map[string]any{}
	for _, c := range reConnection.FindAllStringSubmatch(q, -1) {
		alias, n, from := c[1], 0, 0
		if alias == "" {
			alias = "orders"
		}
		n, _ = strconv.Atoi(c[2])
		if c[3] != "" {
			after, _ := vars["after"].(string)
			from, _ = strconv.Atoi(strings.TrimPrefix(after, "cursor:"))
		}
		from = min(max(from, 0), len(found))
		to := min(from+n, len(found))
		nodes := []any{}
		if found != nil {
			nodes = found[from:to]
		}
		end := any(nil)
		if to > from {
			end = "cursor:" + strconv.Itoa(to)
		}
		out[alias] = map[string]any{"nodes": nodes,
			"pageInfo": map[string]any{"hasNextPage": to < len(found), "endCursor": end}}
	}
	return out
}

// orderByID answers order(id:) with the whole order, or null.
func (s *Server) orderByID(vars map[string]any) map[string]any {
	id, _ := vars["id"].(string)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.orders {
		if o.ID == id {
			return map[string]any{"order": o.json()}
		}
	}
	return map[string]any{"order": nil}
}

// lineItemsPage answers order(id:) { lineItems(first: 50, after:) }.
func (s *Server) lineItemsPage(vars map[string]any) map[string]any {
	id, _ := vars["id"].(string)
	after, _ := vars["after"].(string)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.orders {
		if o.ID == id {
			from, err := strconv.Atoi(strings.TrimPrefix(after, "cursor:"))
			if err != nil {
				from = 0
			}
			return map[string]any{"order": map[string]any{"lineItems": o.page(from)}}
		}
	}
	return map[string]any{"order": nil}
}

const pageSize = 50

// page returns the line items from index from, in the API's shape.
func (o Order) page(from int) map[string]any {
	from = min(max(from, 0), len(o.LineItems))
	to := min(from+pageSize, len(o.LineItems))
	nodes := []any{}
	for _, it := range o.LineItems[from:to] {
		var sku any
		if it.SKU != "" {
			sku = it.SKU
		}
		nodes = append(nodes, map[string]any{"name": it.Name, "sku": sku, "quantity": it.Quantity})
	}
	var end any
	if to > from {
		end = "cursor:" + strconv.Itoa(to)
	}
	return map[string]any{"pageInfo": map[string]any{"hasNextPage": to < len(o.LineItems), "endCursor": end}, "nodes": nodes}
}

func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (a *Address) json() any {
	if a == nil {
		return nil
	}
	return map[string]any{"name": orNull(a.Name), "zip": orNull(a.Zip), "phone": orNull(a.Phone)}
}

// json is the order in the API's shape.
func (o Order) json() map[string]any {
	ret := o.ReturnStatus
	if ret == "" {
		ret = "NO_RETURN"
	}
	var fs []any
	for _, f := range o.Fulfillments {
		st := f.Status
		if st == "" {
			st = "SUCCESS"
		}
		ti := []any{}
		for _, t := range f.Tracking {
			ti = append(ti, map[string]any{"company": orNull(t.Company), "number": orNull(t.Number), "url": orNull(t.URL)})
		}
		fs = append(fs, map[string]any{"status": st, "displayStatus": orNull(f.DisplayStatus), "createdAt": f.CreatedAt,
			"inTransitAt": orNull(f.InTransitAt), "deliveredAt": orNull(f.DeliveredAt), "estimatedDeliveryAt": orNull(f.EstimatedDeliveryAt),
			"trackingInfo": ti})
	}
	if fs == nil {
		fs = []any{}
	}
	return map[string]any{
		"id": o.ID, "name": o.Name, "createdAt": o.CreatedAt, "processedAt": orNull(o.ProcessedAt),
		"cancelledAt": orNull(o.CancelledAt), "displayFinancialStatus": orNull(o.DisplayFinancialStatus),
		"displayFulfillmentStatus": o.DisplayFulfillmentStatus, "returnStatus": ret,
		"email": orNull(o.Email), "phone": orNull(o.Phone),
		"shippingAddress": o.ShippingAddress.json(), "billingAddress": o.BillingAddress.json(),
		"totalPriceSet": map[string]any{"shopMoney": map[string]any{"amount": o.Amount, "currencyCode": o.Currency}},
		"lineItems":     o.page(0),
		"fulfillments":  fs,
	}
}
