package guard

import (
	"testing"
	"time"
)

// Spent tells whether a key has used its budget without spending from it:
// a counter of failures asks it before an attempt.
func TestSpentSpendsNothing(t *testing.T) {
	l := NewLimiter(2, time.Hour, 0)
	now := time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		if l.Spent("SP-1", now) {
			t.Fatalf("a key never used is spent after %d looks", i)
		}
	}
	l.Allow("SP-1", now)
	if l.Spent("SP-1", now) {
		t.Fatal("spent after one of two")
	}
	l.Allow("SP-1", now)
	if !l.Spent("SP-1", now) || l.Spent("SP-2", now) {
		t.Fatal("after two of two, SP-1 should be spent and SP-2 not")
	}
	if l.Spent("SP-1", now.Add(31*time.Minute)) {
		t.Fatal("half an hour refills one of two an hour")
	}
}

// A failure counter of n an hour, spent at once, admits one more try
// every hour/n, not only after the hour: what docs/shop.md tells of
// shop.order_failed_proofs_per_hour.
func TestSpentRefillsOneAtATime(t *testing.T) {
	l := NewLimiter(10, time.Hour, 0)
	now := time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)
	for range 10 {
		l.Allow("SP-1", now)
	}
	if !l.Spent("SP-1", now.Add(5*time.Minute)) {
		t.Fatal("ten of ten an hour, five minutes later: want spent")
	}
	if l.Spent("SP-1", now.Add(6*time.Minute)) {
		t.Fatal("six minutes later: want one more try")
	}
	l.Allow("SP-1", now.Add(6*time.Minute))
	if !l.Spent("SP-1", now.Add(7*time.Minute)) {
		t.Fatal("the one more try spent: want spent again")
	}
}
