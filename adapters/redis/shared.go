package redis

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sportello/sportello/bot"
)

// What replicas share besides conversations: leases, team queues and the
// adapters' directory. Each is one key (or one per team) of its own.

var (
	_ bot.Leaser    = (*Store)(nil)
	_ bot.Queues    = (*Store)(nil)
	_ bot.Directory = (*Store)(nil)
)

// leaseScript takes or renews a lease: KEYS[1] the lease, ARGV[1] the
// holder, ARGV[2] the TTL in ms. It returns 1 when the holder has it.
var takeLeaseScript = redis.NewScript(`
local h = redis.call('GET', KEYS[1])
if h == false or h == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`)

var releaseLeaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`)

// Lease takes the lease name for holder, or renews it; see bot.Leaser.
// Redis expires it by its own clock.
func (s *Store) Lease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	n, err := s.run(ctx, s.rdb, takeLeaseScript, []string{s.opt.Prefix + "lease:" + name},
		holder, max(ttl.Milliseconds(), 1)).Int()
	if err != nil {
		return false, fmt.Errorf("redis: lease %s: %w", name, err)
	}
	return n == 1, nil
}

// Release gives the lease up if holder has it; see bot.Leaser.
func (s *Store) Release(ctx context.Context, name, holder string) error {
	if err := s.run(ctx, s.rdb, releaseLeaseScript, []string{s.opt.Prefix + "lease:" + name}, holder).Err(); err != nil {
		return fmt.Errorf("redis: release lease %s: %w", name, err)
	}
	return nil
}

// queueKey is the hash of team's waiting cases: case ID -> QueueOp JSON.
func (s *Store) queueKey(team string) string { return s.opt.Prefix + "queue:" + team }

// applyQueueScript applies a queue op unless an op as recent (by seq)
// was applied to the case: KEYS[1] the team's hash, ARGV[1] the case,
// ARGV[2] the op's seq, ARGV[3] the op as JSON (add) or "" (remove),
// ARGV[4] now in ms. A removal leaves a tombstone {"seq","gone"} that
// Waiting skips and sweeps after an hour.
var applyQueueScript = redis.NewScript(`
local seq = tonumber(ARGV[2])
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur and seq > 0 then
  local ok, d = pcall(cjson.decode, cur)
  if ok and type(d) == 'table' and d.seq and tonumber(d.seq) >= seq then return 0 end
end
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
elseif seq > 0 then
  redis.call('HSET', KEYS[1], ARGV[1], '{"seq":' .. ARGV[2] .. ',"gone":' .. ARGV[4] .. '}')
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
return 1
`)

// Apply adds a case to its team's queue or removes it; see bot.Queues.
// Both are idempotent, and an op older than the last applied to the
// case is ignored.
func (s *Store) Apply(ctx context.Context, op bot.QueueOp) error {
	value := ""
	if op.Add {
		b, err := json.Marshal(op)
		if err != nil {
			return fmt.Errorf("redis: queue %s: %w", op.Team, err)
		}
		value = string(b)
	}
	err := s.run(ctx, s.rdb, applyQueueScript, []string{s.queueKey(op.Team)},
		op.Case, op.Seq, value, s.opt.Now().UnixMilli()).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("redis: queue %s: %w", op.Team, err)
	}
	return nil
}

// Waiting returns the cases waiting for team, oldest first; see
// bot.Queues. A queue is short: it is read whole and sorted here.
func (s *Store) Waiting(ctx context.Context, team string) ([]bot.QueueOp, error) {
	s.trips.Add(1)
	all, err := s.rdb.HGetAll(ctx, s.queueKey(team)).Result()
	if err != nil {
		return nil, fmt.Errorf("redis: queue %s: %w", team, err)
	}
	out := make([]bot.QueueOp, 0, len(all))
	var swept []string
	for field, v := range all {
		var op struct {
			bot.QueueOp
			Gone int64 `json:"gone"`
		}
		if err := json.Unmarshal([]byte(v), &op); err != nil {
			return nil, fmt.Errorf("redis: queue %s: %w", team, err)
		}
		if op.Gone != 0 {
			if s.opt.Now().Sub(time.UnixMilli(op.Gone)) > time.Hour {
				swept = append(swept, field)
			}
			continue
		}
		out = append(out, op.QueueOp)
	}
	if len(swept) > 0 {
		// Tombstones outlived any redelivery: best effort.
		s.rdb.HDel(ctx, s.queueKey(team), swept...)
	}
	slices.SortFunc(out, func(a, b bot.QueueOp) int {
		if c := a.Since.Compare(b.Since); c != 0 {
			return c
		}
		return cmp.Compare(a.Case, b.Case)
	})
	return out, nil
}

// Put sets key to value for ttl (0: no expiry); see bot.Directory.
func (s *Store) Put(ctx context.Context, key, value string, ttl time.Duration) error {
	s.trips.Add(1)
	if err := s.rdb.Set(ctx, s.opt.Prefix+"dir:"+key, value, max(ttl, 0)).Err(); err != nil {
		return fmt.Errorf("redis: put %s: %w", key, err)
	}
	return nil
}

// Get returns the value of key, or ""; see bot.Directory.
func (s *Store) Get(ctx context.Context, key string) (string, error) {
	s.trips.Add(1)
	v, err := s.rdb.Get(ctx, s.opt.Prefix+"dir:"+key).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("redis: get %s: %w", key, err)
	}
	return v, nil
}
