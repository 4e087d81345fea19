package bot

import (
	"fmt"
	"testing"
	"time"
)

// TestSealIDs checks the IDs seal writes into one string against the
// form they have always had, "address|message|index", so that a retried
// commit, and an archive that de-duplicates by ID, see the same IDs.
func TestSealIDs(t *testing.T) {
	now := time.Date(2025, 3, 15, 10, 0, 0, 0, time.UTC)
	addr := Address{Channel: "telegram", ChatID: "12345"}
	e := &Engine{cfg: Config{Lease: 30 * time.Second}}
	for _, n := range []int{0, 1, 9, 10, 11, 101} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			tn := &Turn{Session: NewSession(addr, now), Message: Message{ID: "m7", Address: addr}}
			for i := range n {
				tn.Record(Event{Type: EventIntent, Intent: fmt.Sprint(i)})
				tn.Say(fmt.Sprint("reply ", i))
			}
			for range n % 3 {
				tn.queue = append(tn.queue, QueueOp{Team: "sales"})
				tn.notes = append(tn.notes, DeskNote{Kind: DeskOpened})
			}
			c := e.seal(tn, now)
			if len(c.Events) != 2*n || len(c.Outbox) != n+2*(n%3) {
				t.Fatalf("%d events and %d outbox entries, want %d and %d", len(c.Events), len(c.Outbox), 2*n, n+2*(n%3))
			}
			for i, ev := range c.Events {
				if want := fmt.Sprintf("%s|%s|%d", addr, "m7", i); ev.ID != want {
					t.Errorf("event %d: ID %q, want %q", i, ev.ID, want)
				}
			}
			var replies, queue, notes int
			for _, o := range c.Outbox {
				var want string
				switch {
				case o.Reply != nil:
					want = fmt.Sprintf("%s|%s|o%d", addr, "m7", replies)
					replies++
				case o.Queue != nil:
					want = fmt.Sprintf("%s|%s|q%d", addr, "m7", queue)
					queue++
				case o.Desk != nil:
					want = fmt.Sprintf("%s|%s|d%d", addr, "m7", notes)
					notes++
				}
				if o.ID != want {
					t.Errorf("outbox entry: ID %q, want %q", o.ID, want)
				}
			}
		})
	}
}
