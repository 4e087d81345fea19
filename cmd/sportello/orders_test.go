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
// same secret, others with another.
func TestOrderLimits(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	ctx := context.Background()
	l := orderLimits{counters: memory.NewCounters(func() time.Time { return now }),
		secret:       counterSecret(shopConfig{System: "http"}, func(string) string { return "s3cret" }),
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

	other := orderLimits{secret: counterSecret(shopConfig{System: "http"}, func(string) string { return "another" })}
	same := orderLimits{secret: counterSecret(shopConfig{System: "http"}, func(string) string { return "s3cret" })}
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
