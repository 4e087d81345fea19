package redis

import (
	"context"
	"fmt"

	"github.com/sportello/sportello/bot"
)

var _ bot.Bus = (*Store)(nil)

// busChannel is the Redis Pub/Sub channel of a topic. Pub/Sub channels
// are not keys: on Cluster a PUBLISH reaches every node's subscribers.
func (s *Store) busChannel(topic string) string { return s.opt.Prefix + "bus:" + topic }

// Publish sends payload to the subscribers of topic on every replica;
// see bot.Bus.
func (s *Store) Publish(ctx context.Context, topic string, payload []byte) error {
	s.trips.Add(1)
	if err := s.rdb.Publish(ctx, s.busChannel(topic), payload).Err(); err != nil {
		return fmt.Errorf("redis: publish %s: %w", topic, err)
	}
	return nil
}

// Subscribe calls fn with what is published on topic until ctx ends; see
// bot.Bus. go-redis resubscribes by itself after a lost connection; what
// was published meanwhile is lost, as Pub/Sub promises no more.
func (s *Store) Subscribe(ctx context.Context, topic string, fn func(payload []byte)) error {
	ps := s.rdb.Subscribe(ctx, s.busChannel(topic))
	defer ps.Close()
	ch := ps.Channel()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case m, ok := <-ch:
			if !ok {
				return fmt.Errorf("redis: subscription to %s closed", topic)
			}
			fn([]byte(m.Payload))
		}
	}
}
