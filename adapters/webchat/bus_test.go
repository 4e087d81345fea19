package webchat

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
)

// fakeBus is an in-process bot.Bus shared by the replicas of a test.
type fakeBus struct {
	mu   sync.Mutex
	subs []chan []byte
}

func (b *fakeBus) Publish(ctx context.Context, topic string, p []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs {
		s <- append([]byte(nil), p...)
	}
	return nil
}

func (b *fakeBus) Subscribe(ctx context.Context, topic string, fn func([]byte)) error {
	ch := make(chan []byte, 100)
	b.mu.Lock()
	b.subs = append(b.subs, ch)
	b.mu.Unlock()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case p := <-ch:
			fn(p)
		}
	}
}

func (b *fakeBus) subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}

// TestReplyReachesThePageOnAnotherReplica: the engine of replica A
// delivers a reply (an agent's, say) while the visitor's page is connected
// to replica B; B shows it, once, and A's own pages do not see it twice.
func TestReplyReachesThePageOnAnotherReplica(t *testing.T) {
	bus := &fakeBus{}
	a := newFixture(t, Config{Bus: bus})
	b := newFixture(t, Config{Bus: bus})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go a.chat.Run(ctx)
	go b.chat.Run(ctx)
	for bus.subscribers() < 2 {
		time.Sleep(5 * time.Millisecond)
	}

	visitor := b.mustVisitor(t)
	page := b.openStream(t, visitor)
	addr := bot.Address{Channel: "web", ChatID: b.chatID(t, visitor)}
	if err := a.chat.Send(ctx, bot.Reply{Address: addr, Text: "Hi, I'm Marco", From: "Marco"}); err != nil {
		t.Fatal(err)
	}
	if l := page.nextReply(t); l.Text != "Hi, I'm Marco" || l.Type != "agent" || l.From != "Marco" {
		t.Fatalf("the page on replica B got %+v", l)
	}
	// B delivers one itself: the page gets it once, not again from the bus.
	if err := b.chat.Send(ctx, bot.Reply{Address: addr, Text: "second"}); err != nil {
		t.Fatal(err)
	}
	if l := page.nextReply(t); l.Text != "second" {
		t.Fatalf("got %+v", l)
	}
	if err := a.chat.Send(ctx, bot.Reply{Address: addr, Text: "third"}); err != nil {
		t.Fatal(err)
	}
	if l := page.nextReply(t); l.Text != "third" {
		t.Fatalf("the page saw %q: a reply came twice", l.Text)
	}
}
