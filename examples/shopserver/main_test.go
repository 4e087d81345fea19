package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/shophttp"
	"github.com/sportello/sportello/bot"
)

const secret = "0123456789abcdef0123456789abcdef"

func exampleServer(t *testing.T) *httptest.Server {
	t.Helper()
	orders, err := loadOrders("orders.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newHandler([]byte(secret), orders, time.Now))
	t.Cleanup(srv.Close)
	return srv
}

func adapter(t *testing.T, url, secret string, now func() time.Time) *shophttp.Shop {
	t.Helper()
	s, err := shophttp.New(shophttp.Config{URL: url, Secret: secret, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTheExampleServerAnswersTheAdapter: the contract end to end, the
// adapter's request against the example's checks, and each of the
// example's orders an answer the adapter takes.
func TestTheExampleServerAnswersTheAdapter(t *testing.T) {
	srv := exampleServer(t)
	s := adapter(t, srv.URL, secret, nil)
	ctx := context.Background()
	for _, tc := range []struct {
		number  string
		status  bot.OrderStatus
		carrier string
	}{
		{"SP-123456", bot.OrderShipped, "BRT"},
		{"sp 200101", bot.OrderDelivered, "GLS"},
	} {
		o, err := s.Order(ctx, tc.number)
		if err != nil {
			t.Fatalf("%s: %v", tc.number, err)
		}
		if o.Status != tc.status || o.Carrier != tc.carrier || !o.Proves(bot.Proof{Postcode: o.Customer.Postcode}) {
			t.Errorf("%s: %+v", tc.number, o)
		}
	}
	if _, err := s.Order(ctx, "SP-000000"); !errors.Is(err, bot.ErrOrderNotFound) {
		t.Errorf("no such order: %v, want not found", err)
	}
}

// TestTheExampleServerRefusesWhatSportelloDidNotSign: another secret, a
// request of long ago, a body changed on the way, a replay.
func TestTheExampleServerRefusesWhatSportelloDidNotSign(t *testing.T) {
	srv := exampleServer(t)
	ctx := context.Background()
	for name, s := range map[string]*shophttp.Shop{
		"another secret":    adapter(t, srv.URL, "another-secret-of-thirty-two-chars!", nil),
		"six minutes ago":   adapter(t, srv.URL, secret, func() time.Time { return time.Now().Add(-6 * time.Minute) }),
		"six minutes ahead": adapter(t, srv.URL, secret, func() time.Time { return time.Now().Add(6 * time.Minute) }),
	} {
		if _, err := s.Order(ctx, "SP-123456"); !errors.Is(err, bot.ErrShopUnavailable) || !bytes.Contains([]byte(err.Error()), []byte("HTTP 401")) {
			t.Errorf("%s: %v, want refused (401)", name, err)
		}
	}

	post := func(body, ts, sig string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewBufferString(body))
		req.Header.Set("X-Sportello-Timestamp", ts)
		req.Header.Set("X-Sportello-Signature", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	body := `{"order_number":"SP-123456","request_id":"0001"}`
	sig := shophttp.Sign([]byte(secret), ts, []byte(body))
	if got := post(body, ts, sig); got != 200 {
		t.Fatalf("a signed request: %d", got)
	}
	if got := post(body, ts, sig); got != 401 {
		t.Errorf("the same request again: %d, want 401", got)
	}
	if got := post(`{"order_number":"SP-200101","request_id":"0002"}`, ts, sig); got != 401 {
		t.Errorf("another body under the signature: %d, want 401", got)
	}
	if got := post(body, ts, ""); got != 401 {
		t.Errorf("no signature: %d, want 401", got)
	}
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d, want 405", resp.StatusCode)
	}
}

// TestTheDemosOrdersAreAnswersOfTheContract: the orders file's format is
// the contract's answer, so the demo's file serves as the example's.
func TestTheDemosOrdersAreAnswersOfTheContract(t *testing.T) {
	for _, path := range []string{"orders.json", "../shop/orders.json"} {
		orders, err := loadOrders(path)
		if err != nil {
			t.Fatal(err)
		}
		for k, o := range orders {
			if _, err := shophttp.Decode(o); err != nil {
				t.Errorf("%s: %s: %v", path, k, err)
			}
		}
	}
}
