// Package botfake holds hand-written fakes of the ports (channel, desk,
// clock, a responder) for tests and for the story runner. It does not
// import testing, so a package of the binary may use it.
package botfake

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sportello/sportello/bot"
)

// Channel is a fake bot.Channel that records what it is sent. Fail, when
// set, decides per reply whether delivery fails.
type Channel struct {
	mu      sync.Mutex
	replies []bot.Reply
	// Fail returns the error to fail a delivery with, or nil.
	Fail func(r bot.Reply) error
}

var _ bot.Channel = (*Channel)(nil)

// Send records r, or fails as Fail says.
func (c *Channel) Send(ctx context.Context, r bot.Reply) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Fail != nil {
		if err := c.Fail(r); err != nil {
			return err
		}
	}
	c.replies = append(c.replies, r)
	return nil
}

// Replies returns what was delivered, in order.
func (c *Channel) Replies() []bot.Reply {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]bot.Reply(nil), c.replies...)
}

// Texts returns the texts delivered to addr, in order.
func (c *Channel) Texts(addr bot.Address) []string {
	var out []string
	for _, r := range c.Replies() {
		if r.Address == addr {
			out = append(out, r.Text)
		}
	}
	return out
}

// Reset forgets what was delivered.
func (c *Channel) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.replies = nil
}

// Desk is a fake bot.Desk that records the notes it is posted.
type Desk struct {
	mu    sync.Mutex
	notes []bot.DeskNote
}

var _ bot.Desk = (*Desk)(nil)

// Post records n.
func (d *Desk) Post(ctx context.Context, n bot.DeskNote) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.notes = append(d.notes, n)
	return nil
}

// Notes returns the notes posted, in order.
func (d *Desk) Notes() []bot.DeskNote {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]bot.DeskNote(nil), d.notes...)
}

// Clock is a fake bot.Clock that moves only when told.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Echo is a Responder that answers "echo: TEXT" and counts the messages
// of the conversation in the slot "n", for lifecycle tests.
type Echo struct{}

// Respond echoes the message and counts it.
func (Echo) Respond(ctx context.Context, t *bot.Turn) error {
	n := 0
	fmt.Sscan(t.Session.Slots["n"], &n)
	t.Session.SetSlot("n", fmt.Sprint(n+1))
	t.Session.SetSlot("log", t.Session.Slots["log"]+t.Message.Text+"\n")
	t.Say("echo: " + t.Message.Text)
	return nil
}

// Message returns a customer message to addr with the given ID and text.
func Message(addr bot.Address, id, text string) bot.Message {
	return bot.Message{ID: id, Address: addr, Text: text, Sender: bot.Sender{Name: "Test Customer"}}
}
