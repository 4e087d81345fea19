package redis

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sportello/sportello/bot"
)

var _ bot.EventLog = (*Store)(nil)

// The event log is one Redis stream per shard; an entry holds the events
// of one commit ("a": address, "e": the events as the transcript stores
// them). Every consumer group reads it with XREADGROUP; an entry read and
// not acknowledged within redeliverAfter is claimed again (XAUTOCLAIM) by
// whichever reader asks next, so a dead reader loses nothing. Once every
// group has acknowledged an entry, AckEvents trims it away: the streams
// hold only what some consumer has still to read, up to StreamMaxLen.

// redeliverAfter is how long a read entry waits for its acknowledgement.
const redeliverAfter = time.Minute

// eventReader is the store's side of its consumer groups.
type eventReader struct {
	consumer string

	mu      sync.Mutex
	ready   map[string]bool           // groups known to exist
	buf     map[string][]bot.LogEntry // read, not returned yet (max was reached)
	parts   map[string]map[string]int // group -> entry -> events not acknowledged
	trimmed map[int]time.Time         // shard -> last trim
}

func (r *eventReader) init() {
	if r.ready != nil {
		return
	}
	host, _ := os.Hostname()
	r.consumer = fmt.Sprintf("%s-%d-%d", host, os.Getpid(), time.Now().UnixNano())
	r.ready = make(map[string]bool)
	r.buf = make(map[string][]bot.LogEntry)
	r.parts = make(map[string]map[string]int)
	r.trimmed = make(map[int]time.Time)
}

func (s *Store) streamKey(shard int) string { return s.shardKey(shard, "events") }

// createGroup creates group on every stream, reading from the oldest
// entry kept; it is there already after the first time. A stream that
// does not answer (its Cluster master is away, or does not answer within
// the master budget) does not stop the others: failed says which failed, for
// the reads that follow to pass them over.
func (s *Store) createGroup(ctx context.Context, group string) error {
	_, err := s.createGroupOn(ctx, group)
	return err
}

func (s *Store) createGroupOn(ctx context.Context, group string) (failed map[int]error, err error) {
	vals, missed := eachMaster(s, ctx, s.rotated(0), func(ctx context.Context, g masterGroup) map[int]error {
		failed := make(map[int]error)
		for _, shard := range g.shards {
			err := s.rdb.XGroupCreateMkStream(ctx, s.streamKey(shard), group, "0").Err()
			if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
				failed[shard] = err
			}
		}
		return failed
	}, nil)
	failed = make(map[int]error)
	for _, v := range vals {
		maps.Copy(failed, v)
	}
	for _, shard := range missed {
		failed[shard] = errMasterLate
	}
	if len(failed) == 0 {
		return nil, nil
	}
	var errs []error
	for _, shard := range slices.Sorted(maps.Keys(failed)) {
		errs = append(errs, fmt.Errorf("shard %d: %w", shard, failed[shard]))
	}
	return failed, fmt.Errorf("redis: create consumer group %s: %w", group, errors.Join(errs...))
}

// ReadEvents returns up to max events for group; see bot.EventLog.
func (s *Store) ReadEvents(ctx context.Context, group string, max int, wait time.Duration) ([]bot.LogEntry, error) {
	r := &s.events
	r.mu.Lock()
	r.init()
	if buf := r.buf[group]; len(buf) > 0 {
		n := min(max, len(buf))
		out := buf[:n:n]
		r.buf[group] = buf[n:]
		r.mu.Unlock()
		return out, nil
	}
	ready := r.ready[group]
	r.mu.Unlock()
	var skip map[int]error
	if !ready {
		// Where the group could not be created, the other streams are
		// read; the next call tries again.
		var err error
		if skip, err = s.createGroupOn(ctx, group); err == nil {
			r.mu.Lock()
			r.ready[group] = true
			r.mu.Unlock()
		}
	}

	msgs, err := s.readStreams(ctx, group, max, wait, skip)
	if err != nil && strings.HasPrefix(err.Error(), "NOGROUP") {
		// Redis lost the streams (a restart without persistence): the
		// group starts again at the oldest entry.
		if err = s.createGroup(ctx, group); err == nil {
			msgs, err = s.readStreams(ctx, group, max, 0, nil)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("redis: read events for %s: %w", group, err)
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	if r.parts[group] == nil {
		r.parts[group] = make(map[string]int)
	}
	var out []bot.LogEntry
	for _, m := range msgs {
		addr := parseAddr(fmt.Sprint(m.msg.Values["a"]))
		evs, err := decodeEvents(addr, []byte(fmt.Sprint(m.msg.Values["e"])))
		if err != nil {
			s.log.Error("event log entry unreadable, skipped", "entry", m.msg.ID, "err", err)
			continue
		}
		entry := strconv.Itoa(m.shard) + "/" + m.msg.ID
		r.parts[group][entry] = len(evs)
		for i, ev := range evs {
			out = append(out, bot.LogEntry{ID: entry + "/" + strconv.Itoa(i), Event: ev})
		}
	}
	if len(out) > max {
		r.buf[group] = append(r.buf[group], out[max:]...)
		out = out[:max:max]
	}
	return out, nil
}

type shardMessage struct {
	shard int
	msg   redis.XMessage
}

// readStreams claims entries left unacknowledged too long, or else reads
// new ones, waiting up to wait. A stream that fails (its Cluster master is
// away, or does not answer within the master budget) is passed over, and
// logged, while another answers; readStreams fails when every stream
// does. On a Cluster each master's streams are read at once
// (eachMaster); an entry read by a call whose answer was lost waits in
// this consumer's pending list and is claimed again after redeliverAfter.
// The streams in skip (where the group could not be created) are not read.
func (s *Store) readStreams(ctx context.Context, group string, count int, wait time.Duration, skip map[int]error) ([]shardMessage, error) {
	consumer := s.events.consumer
	var out []shardMessage
	failed := maps.Clone(skip)
	if failed == nil {
		failed = make(map[int]error)
	}
	type read struct {
		msgs   []shardMessage
		failed map[int]error
	}
	// pass reads each of shards with one, a master's shards in turn.
	pass := func(shards []int, one func(ctx context.Context, shard int) ([]redis.XMessage, error)) {
		vals, missed := eachMaster(s, ctx, shards, func(ctx context.Context, g masterGroup) read {
			r := read{failed: make(map[int]error)}
			for _, shard := range g.shards {
				s.trips.Add(1)
				msgs, err := one(ctx, shard)
				if err != nil {
					r.failed[shard] = err
					continue
				}
				for _, m := range msgs {
					r.msgs = append(r.msgs, shardMessage{shard, m})
				}
			}
			return r
		}, nil)
		for _, v := range vals {
			out = append(out, v.msgs...)
			maps.Copy(failed, v.failed)
		}
		for _, shard := range missed {
			failed[shard] = errMasterLate
		}
	}
	all := s.rotated(0)
	pass(slices.DeleteFunc(slices.Clone(all), func(sh int) bool { return failed[sh] != nil }), func(ctx context.Context, shard int) ([]redis.XMessage, error) {
		msgs, _, err := s.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{Stream: s.streamKey(shard), Group: group,
			Consumer: consumer, MinIdle: redeliverAfter, Start: "0-0", Count: int64(count)}).Result()
		return msgs, err
	})
	if err := s.streamsFailed(failed); err != nil {
		return nil, err
	}
	if len(out) > 0 {
		return out, nil
	}
	deadline := time.Now().Add(wait)
	for {
		// One stream blocks in Redis; several (in other Cluster slots)
		// are polled.
		block := time.Duration(-1)
		if s.opt.Shards == 1 && wait > 0 {
			block = max(wait, time.Millisecond)
		}
		var live []int
		for _, shard := range all {
			if failed[shard] == nil {
				live = append(live, shard)
			}
		}
		pass(live, func(ctx context.Context, shard int) ([]redis.XMessage, error) {
			res, err := s.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: group, Consumer: consumer,
				Streams: []string{s.streamKey(shard), ">"}, Count: int64(count), Block: block}).Result()
			if err == redis.Nil {
				err = nil
			}
			var msgs []redis.XMessage
			for _, st := range res {
				msgs = append(msgs, st.Messages...)
			}
			return msgs, err
		})
		if err := s.streamsFailed(failed); err != nil {
			return nil, err
		}
		left := time.Until(deadline)
		if len(out) > 0 || block >= 0 || left <= 0 {
			return out, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(min(left, 100*time.Millisecond)):
		}
	}
}

// streamsFailed returns an error when every stream failed; when only some
// did, it logs them (their entries wait for the next read) and returns nil.
// A NOGROUP error comes first, so that ReadEvents creates the group again.
func (s *Store) streamsFailed(failed map[int]error) error {
	if len(failed) == 0 {
		return nil
	}
	var errs []error
	for shard, err := range failed {
		if strings.HasPrefix(err.Error(), "NOGROUP") {
			return err
		}
		errs = append(errs, fmt.Errorf("shard %d: %w", shard, err))
	}
	if len(failed) == s.opt.Shards {
		return errors.Join(errs...)
	}
	s.log.Warn("event streams unreachable; their entries wait", "streams", len(failed), "err", errors.Join(errs...))
	return nil
}

// AckEvents marks events done for group; see bot.EventLog. A stream entry
// is acknowledged once all its events are, and trimmed once every group
// has acknowledged it.
func (s *Store) AckEvents(ctx context.Context, group string, entries ...bot.LogEntry) error {
	r := &s.events
	done := make(map[int][]string)
	r.mu.Lock()
	r.init()
	for _, e := range entries {
		parts := strings.SplitN(e.ID, "/", 3)
		if len(parts) != 3 {
			continue
		}
		shard, err := strconv.Atoi(parts[0])
		if err != nil || shard < 0 || shard >= s.opt.Shards {
			continue
		}
		entry := parts[0] + "/" + parts[1]
		if n, ok := r.parts[group][entry]; ok && n > 1 {
			r.parts[group][entry] = n - 1
			continue
		}
		delete(r.parts[group], entry)
		done[shard] = append(done[shard], parts[1])
	}
	r.mu.Unlock()
	for shard, ids := range done {
		s.trips.Add(1)
		if err := s.rdb.XAck(ctx, s.streamKey(shard), group, ids...).Err(); err != nil {
			return fmt.Errorf("redis: acknowledge events for %s: %w", group, err)
		}
		s.trim(ctx, shard)
	}
	return nil
}

// trim removes, at most once a second per stream, the entries that every
// consumer group has acknowledged.
func (s *Store) trim(ctx context.Context, shard int) {
	r := &s.events
	r.mu.Lock()
	if time.Since(r.trimmed[shard]) < time.Second {
		r.mu.Unlock()
		return
	}
	r.trimmed[shard] = time.Now()
	r.mu.Unlock()

	key := s.streamKey(shard)
	groups, err := s.rdb.XInfoGroups(ctx, key).Result()
	if err != nil || len(groups) == 0 {
		return
	}
	minID := ""
	for _, g := range groups {
		keep := g.LastDeliveredID // everything before it is done, unless pending
		if g.Pending > 0 {
			p, err := s.rdb.XPending(ctx, key, g.Name).Result()
			if err != nil {
				return
			}
			keep = p.Lower
		}
		if minID == "" || lessID(keep, minID) {
			minID = keep
		}
	}
	if minID == "" || minID == "0-0" {
		return
	}
	if err := s.rdb.XTrimMinID(ctx, key, minID).Err(); err != nil {
		s.log.Warn("event stream not trimmed", "stream", key, "err", err)
	}
}

// lessID compares stream IDs ("ms-seq").
func lessID(a, b string) bool {
	am, as, _ := strings.Cut(a, "-")
	bm, bs, _ := strings.Cut(b, "-")
	ami, _ := strconv.ParseUint(am, 10, 64)
	bmi, _ := strconv.ParseUint(bm, 10, 64)
	if ami != bmi {
		return ami < bmi
	}
	asi, _ := strconv.ParseUint(as, 10, 64)
	bsi, _ := strconv.ParseUint(bs, 10, 64)
	return asi < bsi
}

// Backlog tells how far group is behind, in stream entries (commits); see
// bot.EventLog. Two pipelines over the shards, whatever the streams'
// lengths: the group's pending and lag (XINFO GROUPS, XPENDING), then the
// first entry it has not read, for its time (the stream ID's).
func (s *Store) Backlog(ctx context.Context, group string) (int64, time.Time, error) {
	type shardCmds struct {
		groups  *redis.XInfoGroupsCmd
		pending *redis.XPendingCmd
		length  *redis.IntCmd
		first   *redis.XMessageSliceCmd
	}
	cmds := make([]shardCmds, s.opt.Shards)
	s.trips.Add(1)
	_, _ = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for shard := range s.opt.Shards {
			key := s.streamKey(shard)
			cmds[shard] = shardCmds{
				groups: p.XInfoGroups(ctx, key), pending: p.XPending(ctx, key, group),
				length: p.XLen(ctx, key), first: p.XRangeN(ctx, key, "-", "+", 1),
			}
		}
		return nil
	})
	var (
		total  int64
		oldest string // the oldest stream ID owed
		unread = map[int]string{}
	)
	owe := func(id string) {
		if id != "" && (oldest == "" || lessID(id, oldest)) {
			oldest = id
		}
	}
	for shard, c := range cmds {
		groups, err := c.groups.Result()
		if err != nil {
			if strings.Contains(err.Error(), "no such key") {
				continue // nothing committed on this shard yet
			}
			return 0, time.Time{}, fmt.Errorf("redis: backlog of %s: shard %d: %w", group, shard, err)
		}
		i := slices.IndexFunc(groups, func(g redis.XInfoGroup) bool { return g.Name == group })
		if i < 0 {
			// Not read yet: the group starts at the oldest entry kept.
			n, err := c.length.Result()
			if err != nil {
				return 0, time.Time{}, fmt.Errorf("redis: backlog of %s: shard %d: %w", group, shard, err)
			}
			total += n
			if first, err := c.first.Result(); err == nil && len(first) > 0 {
				owe(first[0].ID)
			}
			continue
		}
		g := groups[i]
		lag := g.Lag
		if lag < 0 {
			// Redis cannot tell (entries were deleted past the group's
			// place): the stream's length, which the trim keeps to what
			// some group still owes, is the bound.
			if lag, err = c.length.Result(); err != nil {
				return 0, time.Time{}, fmt.Errorf("redis: backlog of %s: shard %d: %w", group, shard, err)
			}
		}
		total += g.Pending + lag
		if g.Pending > 0 {
			if p, err := c.pending.Result(); err == nil {
				owe(p.Lower)
			}
		}
		if lag > 0 {
			unread[shard] = g.LastDeliveredID
		}
	}
	if len(unread) > 0 {
		firsts := make(map[int]*redis.XMessageSliceCmd, len(unread))
		s.trips.Add(1)
		_, _ = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for shard, last := range unread {
				firsts[shard] = p.XRangeN(ctx, s.streamKey(shard), "("+last, "+", 1)
			}
			return nil
		})
		for shard, c := range firsts {
			msgs, err := c.Result()
			if err != nil {
				return 0, time.Time{}, fmt.Errorf("redis: backlog of %s: shard %d: %w", group, shard, err)
			}
			if len(msgs) > 0 {
				owe(msgs[0].ID)
			}
		}
	}
	if total == 0 {
		return 0, time.Time{}, nil
	}
	return total, idTime(oldest), nil
}

// idTime returns the time a stream ID was given at ("ms-seq").
func idTime(id string) time.Time {
	ms, _, _ := strings.Cut(id, "-")
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil || id == "" {
		return time.Time{}
	}
	return time.UnixMilli(n)
}
