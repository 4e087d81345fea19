package redis

import "github.com/redis/go-redis/v9"

// The Lua scripts run atomically in Redis. Every key they touch is passed
// in KEYS and shares the hash tag of one shard, so they run on Redis
// Cluster too. Scripts are sent by SHA; go-redis sends the source again
// when Redis has forgotten it (after a restart).

// commitScript writes one Commit: de-duplication and version check, then
// session with its de-duplication record, transcript, event stream,
// outbox and timers, all or nothing. It returns "OK", "DUP" or
// "CONFLICT:<stored version>". A commit that finds itself already written
// (the stored session is the one it would write) returns "OK": go-redis
// resends a script whose answer was lost with the connection, and the
// first run did the work.
//
// The conversation's key is a list: the session value first (see
// sessionValue), then one element of events per commit.
//
// KEYS: 1 conversation, 2 outbox index, 3 outbox data, 4 timers index,
// 5 timers data, 6 event stream.
// ARGV: 1 expected version, 2 new session JSON, 3 (unused), 4 message ID
// (as dedupID writes it), 5 now (ms), 6 session expiry (ms), 7 message ID
// expiry (ms), 8 key TTL (ms), 9 events (or ""), 10 transcript length, 11
// stream max length, 12 address, 13 lease until (ms), 14 number of outbox
// entries, then (member, value) per entry, then the number of timers to
// set and (member, due ms, value) each, then the number to cancel and
// their members.
var commitScript = redis.NewScript(commitSrc)

const commitSrc = `
local msg = ARGV[4]
local now = tonumber(ARGV[5])
local cur = redis.call('LINDEX', KEYS[1], 0)
local v, seen, live = 0, '', false
if cur then
  local nl = string.find(cur, '\n', 1, true)
  local nl2 = string.find(cur, '\n', nl + 1, true)
  seen = string.sub(cur, nl2 + 1)
  if msg ~= '' then
    local at = string.find('\n' .. seen, '\n' .. msg .. '\t', 1, true)
    if at then
      local exp = tonumber(string.match(seen, '^(%d+)', at + #msg + 1))
      if exp and exp > now then
        if string.sub(cur, 1, nl - 1) == ARGV[2] then return 'OK' end
        return 'DUP'
      end
    end
  end
  live = tonumber(string.sub(cur, nl + 1, nl2 - 1)) > now
  if live then v = tonumber(string.match(cur, '^{"v":(%d+)')) or -1 end
end
if v ~= tonumber(ARGV[1]) then return 'CONFLICT:' .. v end

local keep = {ARGV[2], ARGV[6]}
for id, exp in string.gmatch(seen, '([^\t\n]*)\t(%d+)\n') do
  if tonumber(exp) > now then keep[#keep+1] = id .. '\t' .. exp end
end
if msg ~= '' then keep[#keep+1] = msg .. '\t' .. ARGV[7] end
local val = table.concat(keep, '\n') .. '\n'
if not cur then
  redis.call('RPUSH', KEYS[1], val)
else
  -- An expired session leaves only its de-duplication record behind.
  if not live then redis.call('LTRIM', KEYS[1], 0, 0) end
  redis.call('LSET', KEYS[1], 0, val)
end

if ARGV[9] ~= '' then
  local max = tonumber(ARGV[10])
  local n = redis.call('RPUSH', KEYS[1], ARGV[9])
  if n > max + 1 then
    -- Keep the session and the latest max commits.
    redis.call('LTRIM', KEYS[1], n - max, -1)
    redis.call('LPUSH', KEYS[1], val)
  end
  redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[11], '*', 'a', ARGV[12], 'e', ARGV[9])
end
redis.call('PEXPIRE', KEYS[1], ARGV[8])

local i = 14
local n = tonumber(ARGV[i])
for _ = 1, n do
  redis.call('ZADD', KEYS[2], ARGV[13], ARGV[i+1])
  redis.call('HSET', KEYS[3], ARGV[i+1], ARGV[i+2])
  i = i + 2
end
i = i + 1
n = tonumber(ARGV[i])
for _ = 1, n do
  redis.call('ZADD', KEYS[4], ARGV[i+2], ARGV[i+1])
  redis.call('HSET', KEYS[5], ARGV[i+1], ARGV[i+3])
  i = i + 3
end
i = i + 1
n = tonumber(ARGV[i])
for _ = 1, n do
  redis.call('ZREM', KEYS[4], ARGV[i+1])
  redis.call('HDEL', KEYS[5], ARGV[i+1])
  i = i + 1
end
return 'OK'
`

// Pending takes two steps, so that entries come oldest first across
// shards: peekScript lists the due entries of a shard with their sort
// keys, the caller picks the oldest of all shards, and leaseScript leases
// those that are still due. Leasing is atomic per shard, so of two
// callers that picked the same entry one gets it.

// peekScript returns, for up to ARGV[2] entries of one shard whose lease
// ran out at ARGV[1] (ms), member and sort key, oldest first. An entry is
// stored as "sortkey|attempts|json".
//
// KEYS: 1 outbox index, 2 outbox data.
var peekScript = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
local items = {}
for _, m in ipairs(due) do
  local v = redis.call('HGET', KEYS[2], m)
  if v then
    items[#items+1] = {m, string.match(v, '^([^|]*)|')}
  end
end
table.sort(items, function(a, b) return a[2] < b[2] end)
local out = {}
for _, it in ipairs(items) do
  out[#out+1] = it[1]
  out[#out+1] = it[2]
end
return out
`)

// leaseScript leases the entries ARGV[3...] of one shard that are still
// due at ARGV[1] (ms) until ARGV[2] (ms), counting the attempt. It returns
// "sortkey|attempts|json" per entry leased. An index member without data
// (its acknowledgement was half written) is dropped.
//
// KEYS: 1 outbox index, 2 outbox data.
var leaseScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local out = {}
for i = 3, #ARGV do
  local m = ARGV[i]
  local score = redis.call('ZSCORE', KEYS[1], m)
  if score and tonumber(score) <= now then
    local v = redis.call('HGET', KEYS[2], m)
    if v then
      local key, n, body = string.match(v, '^([^|]*)|(%d+)|(.*)$')
      n = tonumber(n) + 1
      redis.call('ZADD', KEYS[1], ARGV[2], m)
      redis.call('HSET', KEYS[2], m, key .. '|' .. n .. '|' .. body)
      out[#out+1] = key .. '|' .. n .. '|' .. body
    else
      redis.call('ZREM', KEYS[1], m)
    end
  end
end
return out
`)

// timersScript removes and returns up to ARGV[2] timers of one shard due
// at ARGV[1] (ms). It runs atomically, so each timer goes to one caller.
//
// KEYS: 1 timers index, 2 timers data.
var timersScript = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
local out = {}
for _, m in ipairs(due) do
  redis.call('ZREM', KEYS[1], m)
  local v = redis.call('HGET', KEYS[2], m)
  redis.call('HDEL', KEYS[2], m)
  if v then out[#out+1] = v end
end
return out
`)

// peekTimersScript returns, as member, json pairs, up to ARGV[2] timers of
// one shard due at ARGV[1] (ms), without touching them: on a Cluster,
// DueTimers looks first, then takes what it saw (takeTimersScript), so
// that a take whose answer is lost still has the timers it may have
// removed.
//
// KEYS: 1 timers index, 2 timers data.
var peekTimersScript = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
local out = {}
for _, m in ipairs(due) do
  local v = redis.call('HGET', KEYS[2], m)
  if v then
    out[#out+1] = m
    out[#out+1] = v
  end
end
return out
`)

// takeTimersScript removes the timers ARGV[2...] of one shard that are
// still due at ARGV[1] (ms) and returns the json of each it removed. It
// runs atomically, so each timer goes to one caller.
//
// KEYS: 1 timers index, 2 timers data.
var takeTimersScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local out = {}
for i = 2, #ARGV do
  local m = ARGV[i]
  local score = redis.call('ZSCORE', KEYS[1], m)
  if score and tonumber(score) <= now then
    redis.call('ZREM', KEYS[1], m)
    local v = redis.call('HGET', KEYS[2], m)
    redis.call('HDEL', KEYS[2], m)
    if v then out[#out+1] = v end
  end
end
return out
`)
