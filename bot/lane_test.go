package bot

import (
	"testing"
	"time"
)

// Entries that come back to a lane (leased again by Pending after this
// process let them go) take their place by commit, then by time: two
// commits in one clock tick, or committed by replicas whose clocks
// differ, are still sent in the order they were committed.
func TestHeldEntriesTakeTheirCommitsOrder(t *testing.T) {
	addr := Address{Channel: "test", ChatID: "a"}
	t0 := time.Date(2025, 3, 17, 10, 0, 0, 0, time.UTC)
	note := func(id string, seq int64, created time.Time) Outgoing {
		return Outgoing{ID: id, Address: addr, Desk: &DeskNote{}, Seq: seq, Created: created}
	}
	for _, tc := range []struct {
		name string
		in   []Outgoing // in the order Pending hands them back
		want string
	}{
		{"one tick, later commit first", []Outgoing{note("m2", 3, t0), note("m1", 2, t0), note("m3", 4, t0)}, "m1 m2 m3"},
		{"a replica's clock behind", []Outgoing{note("m1", 2, t0), note("m2", 3, t0.Add(-time.Second))}, "m1 m2"},
		{"one commit, by time", []Outgoing{note("d1", 2, t0.Add(time.Microsecond)), note("d0", 2, t0)}, "d0 d1"},
		// The session expired (the store forgot it, version 40) while the
		// desk was down; the customer's new conversation starts at 1.
		{"a forgotten session's versions", []Outgoing{note("old", 40, t0), note("new", 2, t0.Add(25*time.Hour))}, "old new"},
		{"no commit known, by time", []Outgoing{note("b", 0, t0.Add(time.Second)), note("a", 5, t0)}, "a b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDelivery(&Engine{}, 1)
			for _, o := range tc.in {
				d.hold(o, t0.Add(time.Minute), false, false)
			}
			var got string
			for _, l := range d.lanes {
				for i, h := range l.queue {
					if i > 0 {
						got += " "
					}
					got += h.o.ID
				}
			}
			if got != tc.want {
				t.Errorf("lane order %q, want %q", got, tc.want)
			}
		})
	}
}
