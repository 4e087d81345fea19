package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
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

// A team's queue is a few keys that share the hash tag {q:<team>}, so
// that each queue script touches one Cluster slot:
//
//   - waiting, a sorted set of the waiting cases, every score 0 and each
//     member the case's Since in Unix microseconds (16 digits) followed by
//     its ID, so that Redis orders them by Since, then by ID, and a place
//     is a ZRANK;
//   - cases, a hash: case ID -> "<seq>|<since>|<QueueOp JSON>";
//   - gone:<case>, the Seq of a removed case, expiring after
//     bot.QueueMemory: tombstones are keys of their own, never read by the
//     queue's reads, expired by Redis;
//   - moved, a sorted set that keeps one member, the first place from which
//     places changed since the last hand-out (Moved), and sweep, a hash of
//     when changes were last handed out (at) and where the rest of a
//     hand-out cut short starts (cursor).
//
// <prefix>queues is the set of the teams, for Moved.

func (s *Store) queueKey(team, name string) string {
	return s.opt.Prefix + "queue:{q:" + team + "}:" + name
}

func (s *Store) queueKeys(team string) []string {
	return []string{s.queueKey(team, "waiting"), s.queueKey(team, "cases")}
}

// sinceMember is the start of a case's member in waiting: its Since.
func sinceMember(t time.Time) string { return fmt.Sprintf("%016d", max(t.UnixMicro(), 0)) }

// applyQueueScript applies a queue op unless an op as recent (by seq) was
// applied to the case. It returns 1 when it applied the op.
//
// KEYS: 1 waiting, 2 cases, 3 the case's tombstone, 4 moved, 5 claimed.
// ARGV: 1 case, 2 seq, 3 since (empty to remove), 4 op JSON, 5 tombstone TTL
// (ms), 6 the place told (0: none), 7 '1' when a removal is a claim.
var applyQueueScript = redis.NewScript(`
local id, seq = ARGV[1], ARGV[2]
local last = redis.call('GET', KEYS[3]) or '0'
local cur, at = redis.call('HGET', KEYS[2], id), nil
if cur then
  local s, since = string.match(cur, '^(%d+)|(%d+)|')
  if s then
    at = since
    if tonumber(s) > tonumber(last) then last = s end
  end
end
if tonumber(seq) > 0 and tonumber(seq) <= tonumber(last) then return 0 end
if tonumber(seq) == 0 then seq = last end
local function moved(m)
  redis.call('ZADD', KEYS[4], 0, m)
  redis.call('ZREMRANGEBYRANK', KEYS[4], 1, -1)
end
if ARGV[3] == '' then
  if ARGV[7] == '1' then
    redis.call('SADD', KEYS[5], id)
  else
    redis.call('SREM', KEYS[5], id)
  end
  if cur then
    if at then
      redis.call('ZREM', KEYS[1], at .. id)
      moved(at .. id)
    end
    redis.call('HDEL', KEYS[2], id)
  end
  if tonumber(seq) > 0 then redis.call('SET', KEYS[3], seq, 'PX', ARGV[5]) end
  return 1
end
redis.call('SREM', KEYS[5], id)
if at ~= ARGV[3] then
  if at then
    redis.call('ZREM', KEYS[1], at .. id)
    moved(at .. id)
  end
  local m = ARGV[3] .. id
  redis.call('ZADD', KEYS[1], 0, m)
  -- Joining last at the place told moves nobody.
  local told, r = tonumber(ARGV[6]), redis.call('ZRANK', KEYS[1], m)
  if told == 0 or r + 1 ~= told or r + 1 ~= redis.call('ZCARD', KEYS[1]) then moved(m) end
end
redis.call('HSET', KEYS[2], id, seq .. '|' .. ARGV[3] .. '|' .. ARGV[4])
redis.call('DEL', KEYS[3])
return 1
`)

// positionScript returns the rank of case ARGV[1], or -1 when it does not
// wait: a hash lookup and a ZRANK, O(log n).
//
// KEYS: 1 waiting, 2 cases.
var positionScript = redis.NewScript(`
local v = redis.call('HGET', KEYS[2], ARGV[1])
if not v then return -1 end
local since = string.match(v, '^%d+|(%d+)|')
if not since then return -1 end
return redis.call('ZRANK', KEYS[1], since .. ARGV[1]) or -1
`)

// oldestScript returns the values of the first ARGV[1] waiting cases.
//
// KEYS: 1 waiting, 2 cases.
var oldestScript = redis.NewScript(`
local out = {}
for i, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)) do
  out[i] = redis.call('HGET', KEYS[2], string.sub(m, 17)) or ''
end
return out
`)

// movedScript hands out the values of up to ARGV[3] cases at or behind
// the first place that changed, unless the team's changes were handed out
// less than ARGV[2] ms before ARGV[1] (ms); the rest of a hand-out cut
// short by the limit comes first, whenever it is asked for.
//
// KEYS: 1 waiting, 2 cases, 3 moved, 4 sweep.
var movedScript = redis.NewScript(`
local from = redis.call('HGET', KEYS[4], 'cursor')
if not from then
  local last = redis.call('HGET', KEYS[4], 'at')
  if last and tonumber(ARGV[1]) - tonumber(last) < tonumber(ARGV[2]) then return {} end
  from = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
  if not from then return {} end
  redis.call('DEL', KEYS[3])
  redis.call('HSET', KEYS[4], 'at', ARGV[1])
end
local limit = tonumber(ARGV[3])
local got = redis.call('ZRANGEBYLEX', KEYS[1], '[' .. from, '+', 'LIMIT', 0, limit + 1)
if #got > limit then
  redis.call('HSET', KEYS[4], 'cursor', got[limit + 1])
  got[limit + 1] = nil
else
  redis.call('HDEL', KEYS[4], 'cursor')
end
local out = {}
for i, m in ipairs(got) do
  out[i] = redis.call('HGET', KEYS[2], string.sub(m, 17)) or ''
end
return out
`)

// Apply adds a case to its team's queue, moves it or removes it; see
// bot.Queues. One script.
func (s *Store) Apply(ctx context.Context, op bot.QueueOp) error {
	if err := s.queueReady(ctx, op.Team); err != nil {
		return err
	}
	since, value := "", ""
	if op.Add {
		b, err := json.Marshal(op)
		if err != nil {
			return fmt.Errorf("redis: queue %s: %w", op.Team, err)
		}
		since, value = sinceMember(op.Since), string(b)
	}
	claimed := ""
	if !op.Add && op.Claimed {
		claimed = "1"
	}
	keys := append(s.queueKeys(op.Team), s.queueKey(op.Team, "gone:"+op.Case), s.queueKey(op.Team, "moved"),
		s.queueKey(op.Team, "claimed"))
	err := s.run(ctx, s.rdb, applyQueueScript, keys,
		op.Case, max(op.Seq, 0), since, value, bot.QueueMemory.Milliseconds(), max(op.Told, 0), claimed).Err()
	if err != nil {
		return fmt.Errorf("redis: queue %s: apply %s: %w", op.Team, op.Case, err)
	}
	return nil
}

// Position returns the number of cases ahead of id; see bot.Queues. One
// script: HGET and ZRANK.
func (s *Store) Position(ctx context.Context, team, id string) (int, bool, error) {
	if err := s.queueReady(ctx, team); err != nil {
		return 0, false, err
	}
	n, err := s.run(ctx, s.rdb, positionScript, s.queueKeys(team), id).Int()
	if err != nil {
		return 0, false, fmt.Errorf("redis: queue %s: position of %s: %w", team, id, err)
	}
	return max(n, 0), n >= 0, nil
}

// Len returns the number of cases waiting for team; see bot.Queues. One
// ZCARD.
func (s *Store) Len(ctx context.Context, team string) (int, error) {
	if err := s.queueReady(ctx, team); err != nil {
		return 0, err
	}
	s.trips.Add(1)
	n, err := s.rdb.ZCard(ctx, s.queueKey(team, "waiting")).Result()
	if err != nil {
		return 0, fmt.Errorf("redis: queue %s: length: %w", team, err)
	}
	return int(n), nil
}

// Claimed returns the number of team's claimed cases; see bot.Queues.
// One SCARD of the team's claimed set, in the queue's hash slot.
func (s *Store) Claimed(ctx context.Context, team string) (int, error) {
	if err := s.queueReady(ctx, team); err != nil {
		return 0, err
	}
	s.trips.Add(1)
	n, err := s.rdb.SCard(ctx, s.queueKey(team, "claimed")).Result()
	if err != nil {
		return 0, fmt.Errorf("redis: queue %s: claimed: %w", team, err)
	}
	return int(n), nil
}

// Oldest returns up to limit of the cases waiting for team; see
// bot.Queues. One script.
func (s *Store) Oldest(ctx context.Context, team string, limit int) ([]bot.QueueOp, error) {
	if limit <= 0 {
		return nil, nil
	}
	if err := s.queueReady(ctx, team); err != nil {
		return nil, err
	}
	vals, err := s.run(ctx, s.rdb, oldestScript, s.queueKeys(team), limit).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("redis: queue %s: oldest: %w", team, err)
	}
	return s.decodeQueued(team, vals), nil
}

// Moved hands out the cases whose place may have changed; see
// bot.Queues. One SMEMBERS and one script per team with changes to hand
// out, at most.
func (s *Store) Moved(ctx context.Context, now time.Time, every time.Duration, limit int) ([]bot.QueueOp, error) {
	if limit <= 0 {
		return nil, nil
	}
	s.trips.Add(1)
	teams, err := s.rdb.SMembers(ctx, s.opt.Prefix+"queues").Result()
	if err != nil {
		return nil, fmt.Errorf("redis: queues moved: %w", err)
	}
	// Start with another team each second, so that one team's long
	// queue does not keep the others waiting.
	slices.Sort(teams)
	if len(teams) > 1 {
		first := int(now.Unix() % int64(len(teams)))
		teams = append(teams[first:], teams[:first]...)
	}
	var out []bot.QueueOp
	for _, team := range teams {
		if len(out) >= limit {
			break
		}
		keys := append(s.queueKeys(team), s.queueKey(team, "moved"), s.queueKey(team, "sweep"))
		vals, err := s.run(ctx, s.rdb, movedScript, keys, now.UnixMilli(), every.Milliseconds(), limit-len(out)).StringSlice()
		if err != nil {
			return out, fmt.Errorf("redis: queue %s: moved: %w", team, err)
		}
		out = append(out, s.decodeQueued(team, vals)...)
	}
	return out, nil
}

// decodeQueued decodes values of a team's cases hash; one that cannot be
// read is logged and left out.
func (s *Store) decodeQueued(team string, vals []string) []bot.QueueOp {
	out := make([]bot.QueueOp, 0, len(vals))
	for _, v := range vals {
		_, rest, _ := strings.Cut(v, "|")
		_, body, _ := strings.Cut(rest, "|")
		var op bot.QueueOp
		if err := json.Unmarshal([]byte(body), &op); err != nil {
			s.log.Error("queued case unreadable, left out", "team", team, "err", err)
			continue
		}
		out = append(out, op)
	}
	return out
}

// queueReady makes sure, once per team and process, that the team is in
// the set Moved reads, and moves a queue of the layout before the sorted
// set (one hash, <prefix>queue:<team>, tombstones included) into the
// current one, op by op through Apply's rule, so that an upgrade loses no
// waiting case and brings back no removed one.
func (s *Store) queueReady(ctx context.Context, team string) error {
	if _, ok := s.queuesReady.Load(team); ok {
		return nil
	}
	s.trips.Add(1)
	if err := s.rdb.SAdd(ctx, s.opt.Prefix+"queues", team).Err(); err != nil {
		return fmt.Errorf("redis: queue %s: %w", team, err)
	}
	old := s.opt.Prefix + "queue:" + team
	all, err := s.rdb.HGetAll(ctx, old).Result()
	if err != nil {
		return fmt.Errorf("redis: queue %s: read the former layout: %w", team, err)
	}
	s.queuesReady.Store(team, true)
	if len(all) == 0 {
		return nil
	}
	for id, v := range all {
		var op struct {
			bot.QueueOp
			Gone int64 `json:"gone"`
		}
		if err := json.Unmarshal([]byte(v), &op); err != nil {
			s.log.Error("queued case of the former layout unreadable, dropped", "team", team, "case", id, "err", err)
			continue
		}
		if op.Gone != 0 {
			if op.Seq == 0 {
				continue
			}
			op.QueueOp = bot.QueueOp{Team: team, Case: id, Seq: op.Seq} // a removal keeps the tombstone
		}
		op.Team, op.Case = team, id
		if err := s.Apply(ctx, op.QueueOp); err != nil {
			s.queuesReady.Delete(team)
			return err
		}
	}
	if err := s.rdb.Del(ctx, old).Err(); err != nil {
		s.queuesReady.Delete(team)
		return fmt.Errorf("redis: queue %s: drop the former layout: %w", team, err)
	}
	s.log.Info("queue moved to the sorted set layout", "team", team, "entries", len(all))
	return nil
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
