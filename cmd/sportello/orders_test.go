package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
)

// The limits of lookups, on counters with a clock the test moves: the
// failed proof that reaches the order's limit locks it for a whole hour
// from then, a conversation gets its lookups per ten minutes, and the
// keys hold no number nor address, the same on every replica with the
// same deployment key, others with another.
func TestOrderLimits(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	ctx := context.Background()
	l := orderLimits{counters: memory.NewCounters(func() time.Time { return now }),
		secret:       counterKey([]byte("s3cret"), shopConfig{System: "http"}),
		conversation: 2, shop: 100, order: 3}
	admits := func(number string) bool {
		t.Helper()
		ok, err := l.orderAdmits(ctx, number)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	for range 2 {
		l.failed(ctx, "SP-100001")
	}
	now = now.Add(50 * time.Minute)
	if !admits("SP-100001") {
		t.Fatal("two of three failed proofs lock the order")
	}
	l.failed(ctx, "SP-100001") // the third: an hour from now
	now = now.Add(30 * time.Minute)
	if admits("SP-100001") || !admits("SP-100002") {
		t.Fatal("past the first window the locked order is admitted, or another is refused")
	}
	now = now.Add(31 * time.Minute)
	if !admits("SP-100001") {
		t.Fatal("an hour after the lock the order is still refused")
	}

	for i, want := range []bool{true, true, false} {
		if ok, _ := l.conversationAdmits(ctx, "web:v1"); ok != want {
			t.Fatalf("lookup %d of the conversation admitted %v, want %v", i+1, ok, want)
		}
	}
	if ok, _ := l.conversationAdmits(ctx, "web:v2"); !ok {
		t.Fatal("another conversation is refused")
	}

	other := orderLimits{secret: counterKey([]byte("another"), shopConfig{System: "http"})}
	same := orderLimits{secret: counterKey([]byte("s3cret"), shopConfig{System: "http"})}
	for _, number := range []string{"SP-100001", "#1001", "10011"} {
		k := l.key("proof", number)
		if strings.Contains(k, strings.TrimPrefix(number, "#")) {
			t.Errorf("the key %q holds %q", k, number)
		}
		if same.key("proof", number) != k || other.key("proof", number) == k {
			t.Errorf("the key of %q: not the same with the same secret, or the same with another", number)
		}
		if l.key("conversation", number) == k {
			t.Errorf("the counters of %q share a key", number)
		}
	}
}

// TestTheLockHourIsTheInjectedClocksHour: without the store's counters,
// the limits count on counters of their own, on the clock they are given
// (they once took the system's, so a test could not move past the hour).
func TestTheLockHourIsTheInjectedClocksHour(t *testing.T) {
	now := time.Date(2026, 12, 6, 21, 0, 0, 0, time.UTC)
	ctx := context.Background()
	l := newOrderLimits(shopConfig{OrderFailedProofs: 2}, nil, nil, func() time.Time { return now })
	for range 2 {
		if err := l.failed(ctx, "SP-300001"); err != nil {
			t.Fatal(err)
		}
	}
	if ok, _ := l.orderAdmits(ctx, "SP-300001"); ok {
		t.Fatal("two failed proofs of two do not lock the order")
	}
	now = now.Add(59 * time.Minute)
	if ok, _ := l.orderAdmits(ctx, "SP-300001"); ok {
		t.Fatal("the order is admitted 59 minutes after its lock")
	}
	now = now.Add(2 * time.Minute)
	if ok, _ := l.orderAdmits(ctx, "SP-300001"); !ok {
		t.Fatal("the order is still locked an hour after its lock, on the clock the limits were given")
	}
}

// TestOrderCountsSurviveARotationOfTheShopsSecrets: the counters' keys
// come from the deployment's key and the shop's identity, not from the
// shop system's token or secret, so a rotation (a new Shopify token, a
// new WooCommerce or HTTP secret) forgives no failed proof; another shop
// or another deployment counts apart.
func TestOrderCountsSurviveARotationOfTheShopsSecrets(t *testing.T) {
	ctx := context.Background()
	env := func(k string) string {
		return map[string]string{"SPORTELLO_WEBCHAT_KEY": testWebchatKey,
			"WOOCOMMERCE_CONSUMER_SECRET": "cs_before", "SPORTELLO_SHOP_SECRET": "before"}[k]
	}
	rotated := func(k string) string {
		return map[string]string{"SPORTELLO_WEBCHAT_KEY": testWebchatKey,
			"WOOCOMMERCE_CONSUMER_SECRET": "cs_after", "SPORTELLO_SHOP_SECRET": "after"}[k]
	}
	shop := func(token, secret string) shopConfig {
		c := shopConfig{System: "shopify", OrderFailedProofs: 3}
		c.Shopify.Shop, c.Shopify.token, c.Shopify.clientSecret = "sportello-demo", token, secret
		return c
	}
	counters := memory.NewCounters(nil)
	before := newOrderLimits(shop("shpat_before", ""), env, counters, nil)
	for range 3 {
		before.failed(ctx, "SP-400001")
	}
	for name, after := range map[string]shopConfig{
		"a new access token": shop("shpat_after", ""),
		"client credentials": shop("", "client-secret"),
	} {
		l := newOrderLimits(after, rotated, counters, nil)
		if ok, _ := l.orderAdmits(ctx, "SP-400001"); ok {
			t.Errorf("after %s the locked order is admitted: the rotation reset its count", name)
		}
	}
	for _, cfg := range []shopConfig{{System: "woocommerce"}, {System: "http"}} {
		cfg.WooCommerce.URL, cfg.HTTP.URL = "https://shop.example", "https://shop.example/orders"
		a, b := newOrderLimits(cfg, env, nil, nil), newOrderLimits(cfg, rotated, nil, nil)
		if a.key("proof", "SP-400001") != b.key("proof", "SP-400001") {
			t.Errorf("%s: a new secret gives the order another counter", cfg.System)
		}
	}
	// Near misses: another shop, another deployment key, count apart.
	other := shop("shpat_before", "")
	other.Shopify.Shop = "another-shop"
	if newOrderLimits(other, env, nil, nil).key("proof", "SP-400001") == before.key("proof", "SP-400001") {
		t.Error("two shops count one order on one key")
	}
	elsewhere := func(k string) string {
		if k == "SPORTELLO_WEBCHAT_KEY" {
			return strings.Repeat("z", 40)
		}
		return env(k)
	}
	if newOrderLimits(shop("shpat_before", ""), elsewhere, nil, nil).key("proof", "SP-400001") == before.key("proof", "SP-400001") {
		t.Error("two deployment keys count one order on one key")
	}
}
