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
