package redis

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sportello/sportello/bot"
)

var _ bot.Counters = (*Store)(nil)

// A count is one key of its own, <prefix>count:<key>, an integer that
// Redis expires by its own clock: one key per script, so that it runs on
// Redis Cluster, and every replica counts on the same key.

// addCountScript adds ARGV[1] to the count KEYS[1] and returns it. The
// first event of a count (or a count that somehow lost its expiry) sets
// the window, ARGV[3] ms; so does the add that brings the count to the
// limit ARGV[2] or past it from below (0: no limit). Adding 0 only reads,
// and creates no key.
var addCountScript = redis.NewScript(`
local n, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
if n <= 0 then return tonumber(redis.call('GET', KEYS[1]) or '0') end
local c = redis.call('INCRBY', KEYS[1], n)
if c == n or redis.call('PTTL', KEYS[1]) < 0 or (limit > 0 and c >= limit and c - n < limit) then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return c
`)

// Add adds n to the count of key and returns it; see bot.Counters.
func (s *Store) Add(ctx context.Context, key string, n, limit int64, window time.Duration) (int64, error) {
	c, err := s.run(ctx, s.rdb, addCountScript, []string{s.opt.Prefix + "count:" + key},
		max(n, 0), max(limit, 0), max(window.Milliseconds(), 1)).Int64()
	if err != nil {
		return 0, fmt.Errorf("redis: count %s: %w", key, err)
	}
	return c, nil
}
