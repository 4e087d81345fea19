package redis

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/redis/go-redis/v9"

	"github.com/sportello/sportello/bot"
)

// Operations for the benchmark, tests and operators: memory figures and
// removing a prefix's keys.

// eachMaster calls fn on every master: the one client, or every master of
// a Cluster, concurrently (go-redis's ForEachMaster): what fn adds up must
// be safe for concurrent use.
func (s *Store) eachMaster(ctx context.Context, fn func(ctx context.Context, c *redis.Client) error) error {
	switch c := s.rdb.(type) {
	case *redis.ClusterClient:
		return c.ForEachMaster(ctx, fn)
	case *redis.Client:
		return fn(ctx, c)
	}
	return fmt.Errorf("redis: unsupported client %T", s.rdb)
}

// UsedMemory returns Redis's used_memory (INFO memory), summed over the
// masters of a Cluster.
func (s *Store) UsedMemory(ctx context.Context) (int64, error) {
	var total atomic.Int64
	err := s.eachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
		info, err := c.Info(ctx, "memory").Result()
		if err != nil {
			return err
		}
		for line := range strings.Lines(info) {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return err
				}
				total.Add(n)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("redis: used memory: %w", err)
	}
	return total.Load(), nil
}

// ConversationMemory returns the bytes Redis spends on the keys of one
// conversation: MEMORY USAGE of its one key, which holds the session, the
// de-duplication record and the transcript.
func (s *Store) ConversationMemory(ctx context.Context, addr bot.Address) (int64, error) {
	return s.memoryUsage(ctx, s.convKey(addr))
}

// StreamMemory returns the bytes of the event streams: the buffer in
// front of the archive, shared by every conversation.
func (s *Store) StreamMemory(ctx context.Context) (int64, error) {
	var keys []string
	for shard := range s.opt.Shards {
		keys = append(keys, s.shardKey(shard, "events"))
	}
	return s.memoryUsage(ctx, keys...)
}

func (s *Store) memoryUsage(ctx context.Context, keys ...string) (int64, error) {
	cmds := make([]*redis.IntCmd, len(keys))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.MemoryUsage(ctx, k, 0)
		}
		return nil
	})
	if err != nil && err != redis.Nil {
		return 0, fmt.Errorf("redis: memory usage: %w", err)
	}
	var total int64
	for _, c := range cmds {
		total += c.Val() // 0 for a missing key
	}
	return total, nil
}

// Purge deletes every key under the store's prefix and returns how many.
// Tests and the benchmark clean up with it; it is no tool for production.
func (s *Store) Purge(ctx context.Context) (int, error) {
	if err := s.Flush(ctx); err != nil {
		return 0, err
	}
	pattern := globEscape(s.opt.Prefix) + "*"
	var n atomic.Int64
	err := s.eachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
		iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
		var batch []string
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			// One key per command: on a Cluster the keys span slots.
			_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
				for _, k := range batch {
					p.Unlink(ctx, k)
				}
				return nil
			})
			n.Add(int64(len(batch)))
			batch = batch[:0]
			return err
		}
		for iter.Next(ctx) {
			if batch = append(batch, iter.Val()); len(batch) == 1000 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := iter.Err(); err != nil {
			return err
		}
		return flush()
	})
	if err != nil {
		return int(n.Load()), fmt.Errorf("redis: purge %s: %w", s.opt.Prefix, err)
	}
	return int(n.Load()), nil
}

func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
