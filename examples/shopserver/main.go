// Command shopserver is an example of a shop's own endpoint for
// Sportello's HTTP contract (docs/shop.md, "your own system"): it checks
// each request's signature and timestamp, and answers the order from a
// JSON file. Copy it, and answer from your own database where it reads
// the file. It needs nothing but Go's standard library.
//
//	SPORTELLO_SHOP_SECRET=$(openssl rand -hex 32) go run ./examples/shopserver -orders examples/shopserver/orders.json
//
// and point Sportello at it, with the same secret:
//
//	SPORTELLO_SHOP_SYSTEM=http SPORTELLO_SHOP_URL=http://127.0.0.1:8090/sportello/order SPORTELLO_SHOP_SECRET=... sportello serve
//
// The request is POST {"order_number": "SP-123456", "request_id": "..."}
// with the headers X-Sportello-Timestamp (unix seconds) and
// X-Sportello-Signature ("sha256=" + hex of HMAC-SHA256(secret,
// timestamp + "." + body)). The answer is 200 with the order
// (docs/shop-contract.schema.json), 404 when there is no such order, 401
// when the request is not Sportello's.
package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// window is how far a request's timestamp may be from the clock: a
// request captured on the way cannot be sent again later.
const window = 5 * time.Minute

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "the address to listen on")
	path := flag.String("orders", "orders.json", `the orders, a JSON file {"orders": [...]}`)
	flag.Parse()
	secret := os.Getenv("SPORTELLO_SHOP_SECRET")
	if len(secret) < 32 {
		log.Fatal("SPORTELLO_SHOP_SECRET: want the secret Sportello signs with, at least 32 characters (openssl rand -hex 32)")
	}
	orders, err := loadOrders(*path)
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/sportello/order", newHandler([]byte(secret), orders, time.Now))
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	log.Printf("answering %d orders on http://%s/sportello/order", len(orders), *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// loadOrders reads the orders of the file, by their number's key. Each
// order is kept as written: it is the answer.
func loadOrders(path string) (map[string]json.RawMessage, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var file struct {
		Orders []json.RawMessage `json:"orders"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	orders := map[string]json.RawMessage{}
	for i, o := range file.Orders {
		var n struct {
			Number string `json:"number"`
		}
		if err := json.Unmarshal(o, &n); err != nil || key(n.Number) == "" {
			return nil, fmt.Errorf("%s: order %d has no number", path, i+1)
		}
		orders[key(n.Number)] = o
	}
	return orders, nil
}

// handler answers Sportello's signed requests.
type handler struct {
	secret []byte
	orders map[string]json.RawMessage
	now    func() time.Time

	mu   sync.Mutex
	seen map[string]time.Time // request IDs of the window, against replays
}

func newHandler(secret []byte, orders map[string]json.RawMessage, now func() time.Time) *handler {
	return &handler{secret: secret, orders: orders, now: now, seen: map[string]time.Time{}}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 16<<10))
	if err != nil {
		http.Error(w, "the request is too big", http.StatusRequestEntityTooLarge)
		return
	}
	// The signature first: nothing of a request that is not Sportello's
	// is read.
	ts := r.Header.Get("X-Sportello-Timestamp")
	if !h.verify(ts, r.Header.Get("X-Sportello-Signature"), body) {
		http.Error(w, "not signed by Sportello, or not now", http.StatusUnauthorized)
		return
	}
	var req struct {
		OrderNumber string `json:"order_number"`
		RequestID   string `json:"request_id"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.OrderNumber == "" {
		http.Error(w, "want {\"order_number\": ..., \"request_id\": ...}", http.StatusBadRequest)
		return
	}
	if !h.first(req.RequestID) {
		http.Error(w, "this request was answered already", http.StatusUnauthorized)
		return
	}
	order, ok := h.orders[key(req.OrderNumber)]
	if !ok {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"error": "no such order"}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(order)
}

// verify checks the signature, in constant time, and that the timestamp
// is within the window of the clock.
func (h *handler) verify(ts, signature string, body []byte) bool {
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || h.now().Sub(time.Unix(secs, 0)).Abs() > window {
		return false
	}
	mac := hmac.New(sha256.New, h.secret)
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(signature), []byte(want))
}

// first tells whether id is new in the window, and remembers it.
func (h *handler) first(id string) bool {
	if id == "" {
		return true // an older client: the window alone guards it
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	for k, t := range h.seen {
		if now.Sub(t) > 2*window {
			delete(h.seen, k)
		}
	}
	if _, ok := h.seen[id]; ok {
		return false
	}
	h.seen[id] = now
	return true
}

// key is how numbers are compared: "#sp 123456" is SP123456.
func key(number string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			return r
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return -1
	}, number)
}
