package redis

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultMasterBudget bounds, on a Cluster, how long a background call
// (Pending, DueTimers, the acknowledgements, the archive's reads) waits
// for one master, unless Options.MasterBudget (master_budget in the URL)
// sets another: a master that does not answer within it (stopped,
// overloaded) is passed over this round, like one that is away, and its
// shards wait for the next. Every master is asked at once, so the others'
// work is done in the meantime. A healthy master answers these calls in
// milliseconds; one that is slower on purpose (far away, or loaded with
// other work) needs a longer budget, or its shards are never served.
const DefaultMasterBudget = 1500 * time.Millisecond

// errMasterLate is the error of the shards whose master did not answer
// within the store's master budget.
var errMasterLate = errors.New("master did not answer within the store's budget (master_budget)")

// masterGroup is the shards one Cluster master holds (on a single Redis,
// every shard), with the client that reaches that master alone: scripts
// are loaded there, so that a master that hangs does not hold up the load.
type masterGroup struct {
	shards []int
	node   redis.Scripter
	master *redis.Client // nil on a single Redis, or when the master is not known
}

// masterGroups splits shards by the master that holds them, by the slot
// of each shard's hash tag, in the order of shards. A shard whose master
// is not known (the Cluster's layout could not be read) is a group of its
// own, reached through the Cluster client.
func (s *Store) masterGroups(ctx context.Context, shards []int) []masterGroup {
	cc, ok := s.rdb.(*redis.ClusterClient)
	if !ok {
		return []masterGroup{{shards: shards, node: s.rdb}}
	}
	var groups []masterGroup
	at := map[string]int{}
	for _, shard := range shards {
		m, err := cc.MasterForKey(ctx, s.shardKey(shard, "outbox"))
		if err != nil {
			groups = append(groups, masterGroup{shards: []int{shard}, node: s.rdb})
			continue
		}
		addr := m.Options().Addr
		i, seen := at[addr]
		if !seen {
			i = len(groups)
			at[addr] = i
			groups = append(groups, masterGroup{node: m, master: m})
		}
		groups[i].shards = append(groups[i].shards, shard)
	}
	return groups
}

// eachMaster runs fn on the shards of each master, all masters at once,
// each with a context that ends after the master budget (or ctx's end, when
// sooner), and returns the values of the calls that finished in time
// with the shards of those that did not. A call still running when its
// budget is spent (a client that ignores the context's deadline) is left
// to finish on its own; its value then goes to late, when not nil, so
// that nothing it took from Redis is lost.
//
// On a single Redis fn runs once, on every shard, with ctx itself: as
// before Cluster support, the caller's deadline is the only one.
func eachMaster[T any](s *Store, ctx context.Context, shards []int, fn func(context.Context, masterGroup) T, late func(T)) (vals []T, missed []int) {
	if len(shards) == 0 {
		return nil, nil
	}
	return eachGroup(s, ctx, s.masterGroups(ctx, shards), fn, late)
}

// eachGroup is eachMaster on groups that masterGroups made.
func eachGroup[T any](s *Store, ctx context.Context, groups []masterGroup, fn func(context.Context, masterGroup) T, late func(T)) (vals []T, missed []int) {
	if len(groups) == 0 {
		return nil, nil
	}
	if _, ok := s.rdb.(*redis.ClusterClient); !ok {
		return []T{fn(ctx, groups[0])}, nil
	}
	var (
		mu        sync.Mutex
		done      = make([]bool, len(groups))
		results   = make([]T, len(groups))
		abandoned bool
		wg        sync.WaitGroup
	)
	for i, g := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			gctx, cancel := context.WithTimeout(ctx, s.opt.MasterBudget)
			defer cancel()
			v := fn(gctx, g)
			mu.Lock()
			if abandoned {
				mu.Unlock()
				if late != nil {
					late(v)
				}
				return
			}
			results[i], done[i] = v, true
			mu.Unlock()
		}()
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	// A client that honours the context returns right at the budget's
	// end; a little grace keeps the answers that arrive with it.
	timer := time.NewTimer(s.opt.MasterBudget + 100*time.Millisecond)
	defer timer.Stop()
	select {
	case <-finished:
	case <-timer.C:
	case <-ctx.Done():
	}
	mu.Lock()
	abandoned = true
	for i, g := range groups {
		if done[i] {
			vals = append(vals, results[i])
		} else {
			missed = append(missed, g.shards...)
		}
	}
	mu.Unlock()
	slices.Sort(missed)
	return vals, missed
}
