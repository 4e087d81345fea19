package memory

import (
	"context"
	"sync"

	"github.com/sportello/sportello/bot"
)

var _ bot.Bus = (*Store)(nil)

// bus is the memory store's in-process bus.
type bus struct {
	mu   sync.Mutex
	subs map[string]map[*subscriber]bool
}

type subscriber struct {
	ch chan []byte
}

// Publish hands payload to the subscribers of topic; see bot.Bus. A
// subscriber that is 256 notices behind misses this one.
func (s *Store) Publish(ctx context.Context, topic string, payload []byte) error {
	s.bus.mu.Lock()
	defer s.bus.mu.Unlock()
	for sub := range s.bus.subs[topic] {
		select {
		case sub.ch <- append([]byte(nil), payload...):
		default:
		}
	}
	return nil
}

// Subscribe calls fn with what is published on topic until ctx ends; see
// bot.Bus.
func (s *Store) Subscribe(ctx context.Context, topic string, fn func(payload []byte)) error {
	sub := &subscriber{ch: make(chan []byte, 256)}
	s.bus.mu.Lock()
	if s.bus.subs == nil {
		s.bus.subs = make(map[string]map[*subscriber]bool)
	}
	if s.bus.subs[topic] == nil {
		s.bus.subs[topic] = make(map[*subscriber]bool)
	}
	s.bus.subs[topic][sub] = true
	s.bus.mu.Unlock()
	defer func() {
		s.bus.mu.Lock()
		delete(s.bus.subs[topic], sub)
		s.bus.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case p := <-sub.ch:
			fn(p)
		}
	}
}
