package redis

import "github.com/redis/go-redis/v9"

// AddHook adds h to the store's client, for tests that stand between the
// store and Redis.
func AddHook(s *Store, h redis.Hook) { s.rdb.AddHook(h) }

// TakeTimersSHA names the script that takes the timers DueTimers saw.
var TakeTimersSHA = takeTimersScript.Hash()
