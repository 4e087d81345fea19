// Package redis is the production store: sessions, the de-duplication
// record, transcripts, the outbox, the event log and timers in Redis, shared
// by every replica of the bot. docs/redis.md describes the key layout and
// the guarantees; the package passes the same conformance suite
// (bot/bottest.StoreSuite) as the memory store.
//
// Handling a message costs two round trips: Load (one pipeline) and
// Commit (one Lua script). Acknowledgements of delivered outbox entries
// are batched in the background; Flush and Close write what is queued.
package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/redis/go-redis/v9"

	"github.com/sportello/sportello/bot"
)

var _ bot.Store = (*Store)(nil)

// Defaults of Options.
const (
	DefaultPrefix     = "sportello:"
	DefaultSessionTTL = 24 * time.Hour
	DefaultDedupTTL   = 24 * time.Hour
	// DefaultTranscriptLen is how many commits of a conversation its
	// transcript keeps; every commit holds at least one event.
	DefaultTranscriptLen = 100
	// DefaultStreamMaxLen caps each event stream (approximately), in
	// commits: the buffer in front of the archive.
	DefaultStreamMaxLen = 1_000_000
	// DefaultArchiveGroup is the consumer group of the event stream that
	// the transcript archive reads.
	DefaultArchiveGroup = "archive"
	DefaultAckDelay     = 20 * time.Millisecond
)

// Options configure a Store. The zero value uses the defaults.
type Options struct {
	// Prefix starts every key; several deployments can share a Redis
	// under different prefixes.
	Prefix string
	// SessionTTL is how long a session and its transcript live after
	// their last commit.
	SessionTTL time.Duration
	// DedupTTL is how long a handled message ID is remembered; it may
	// outlive the session.
	DedupTTL time.Duration
	// TranscriptLen caps the commits kept in a conversation's transcript
	// (so at least that many events).
	TranscriptLen int
	// StreamMaxLen caps each shard's event stream, in commits.
	StreamMaxLen int64
	// ArchiveGroup names the consumer group created on the event streams.
	ArchiveGroup string
	// Shards splits the outbox, timers and event stream, and with them
	// the conversations, over hash tags: 1 by default, 16 on Redis
	// Cluster. It must stay the same while sessions live: a conversation's
	// keys are named after its shard.
	Shards int
	// AckDelay is how long a delivered entry's acknowledgement waits to
	// share a round trip with others.
	AckDelay time.Duration
	// Now tells the time of de-duplication records; time.Now when nil.
	Now func() time.Time
	// Logger is discarded when nil.
	Logger *slog.Logger
	// AutoPipeline sends the Loads and Commits of concurrent messages
	// together (go-redis's auto-pipelining, still marked experimental):
	// fewer system calls on both sides under load, each message still two
	// round trips.
	AutoPipeline bool
	// MasterBudget is how long, on a Cluster, a background call waits for
	// one master before passing over its shards this round
	// (DefaultMasterBudget, master_budget in the URL).
	MasterBudget time.Duration
}

func (o *Options) setDefaults(cluster bool) {
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.SessionTTL <= 0 {
		o.SessionTTL = DefaultSessionTTL
	}
	if o.DedupTTL <= 0 {
		o.DedupTTL = DefaultDedupTTL
	}
	if o.TranscriptLen <= 0 {
		o.TranscriptLen = DefaultTranscriptLen
	}
	if o.StreamMaxLen <= 0 {
		o.StreamMaxLen = DefaultStreamMaxLen
	}
	if o.ArchiveGroup == "" {
		o.ArchiveGroup = DefaultArchiveGroup
	}
	if o.Shards <= 0 {
		o.Shards = 1
		if cluster {
			o.Shards = 16
		}
	}
	if o.AckDelay <= 0 {
		o.AckDelay = DefaultAckDelay
	}
	if o.MasterBudget <= 0 {
		o.MasterBudget = DefaultMasterBudget
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Store is a bot.Store in Redis. It is safe for concurrent use, and any
// number of Stores (one per replica) may share one Redis.
type Store struct {
	rdb       redis.UniversalClient
	fast      redis.UniversalClient // Load and Commit: rdb, or its auto-pipeliner
	opt       Options
	log       *slog.Logger
	url       string        // redacted
	trips     atomic.Int64  // round trips callers waited for
	exchanges atomic.Int64  // commands and pipelines sent, counted by a hook
	next      atomic.Uint32 // the shard Pending and DueTimers start with

	// Acknowledgements wait in acks, by shard, until the background
	// writer (or Flush, or Pending) writes them; ackWrite orders writers.
	ackMu    sync.Mutex
	acks     map[int][]string
	ackWrite sync.Mutex
	ackKick  chan struct{}
	stop     chan struct{}
	done     chan struct{}
	closed   sync.Once

	events eventReader

	queuesReady sync.Map // teams whose queue is in the current layout (shared.go)

	// On a Cluster: the timers of calls that answered after their budget
	// (a client that ignores the context's deadline).
	masterMu   sync.Mutex
	lateTimers []bot.Timer
}

// NewStore returns a store on rdb, which it owns from now on: Close
// closes it. The store counts round trips with a hook on rdb.
func NewStore(rdb redis.UniversalClient, opt Options) *Store {
	_, cluster := rdb.(*redis.ClusterClient)
	opt.setDefaults(cluster)
	s := &Store{
		rdb: rdb, opt: opt, log: opt.Logger.With("component", "redis"),
		acks: make(map[int][]string), ackKick: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	rdb.AddHook(exchangeCounter{&s.exchanges})
	s.fast = rdb
	if opt.AutoPipeline {
		if ap, err := rdb.AutoPipeline(); err == nil {
			s.fast = ap
		} else {
			s.log.Warn("no auto-pipelining", "err", err)
		}
	}
	go s.ackLoop()
	return s
}

// Capabilities returns everything the Redis store offers beside
// bot.Store, Ping included; see bot.Capabilities.
func (s *Store) Capabilities() bot.Capabilities {
	return bot.Capabilities{Queues: s, Directory: s, Leaser: s, EventLog: s, Bus: s, Counters: s, Ping: s.Ping}
}

// Ping reports whether Redis answers, for /readyz.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis: ping: %w", err)
	}
	return nil
}

// RoundTrips returns the number of round trips to Redis that callers of
// the store have waited for so far: a command, a pipeline and a script
// each count one.
func (s *Store) RoundTrips() int64 { return s.trips.Load() }

// Exchanges returns the number of commands and pipelines the client has
// sent so far. Without auto-pipelining it equals RoundTrips plus the
// store's housekeeping; with it, one pipeline carries the round trips of
// many concurrent messages.
func (s *Store) Exchanges() int64 { return s.exchanges.Load() }

// AutoPipelined reports whether Loads and Commits are auto-pipelined.
func (s *Store) AutoPipelined() bool { return s.fast != s.rdb }

// run runs script sc as one round trip, or two when Redis has forgotten
// it (after a restart) and its source must be sent.
func (s *Store) run(ctx context.Context, c redis.Scripter, sc *redis.Script, keys []string, args ...any) *redis.Cmd {
	s.trips.Add(1)
	r := sc.EvalSha(ctx, c, keys, args...)
	if err := r.Err(); err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT") {
		s.trips.Add(1)
		r = sc.Eval(ctx, c, keys, args...)
	}
	return r
}

// Redacted returns the store's Redis URL with passwords hidden, for logs;
// empty for a store made by NewStore.
func (s *Store) Redacted() string { return s.url }

// Flush writes the acknowledgements queued so far.
func (s *Store) Flush(ctx context.Context) error { return s.flushAcks(ctx) }

// Close writes the queued acknowledgements and closes the client.
func (s *Store) Close() error {
	var err error
	s.closed.Do(func() {
		close(s.stop)
		<-s.done
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = s.flushAcks(ctx)
		if cerr := s.rdb.Close(); err == nil {
			err = cerr
		}
	})
	return err
}

// Keys. A conversation's keys and its shard's outbox, timers and event
// stream share the hash tag {N} of the shard, so that the commit script
// touches one Cluster slot.

func (s *Store) shardOf(a bot.Address) int {
	if s.opt.Shards == 1 {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(a.String()))
	return int(h.Sum32() % uint32(s.opt.Shards))
}

func (s *Store) shardKey(shard int, name string) string {
	return s.opt.Prefix + "{" + strconv.Itoa(shard) + "}:" + name
}

// convKey names the one key of a conversation: a list whose first
// element is the session (with its de-duplication record) and whose other
// elements are the transcript, one per commit.
func (s *Store) convKey(a bot.Address) string {
	return s.shardKey(s.shardOf(a), "c:"+a.String())
}

// member names an outbox entry or a timer of a conversation inside its
// shard's index.
func member(a bot.Address, id string) string { return a.String() + "\x00" + id }

func ms(t time.Time) int64 { return t.UnixMilli() }

// Load returns the session of addr; see bot.Store. One LINDEX: the
// session element holds the de-duplication record too.
func (s *Store) Load(ctx context.Context, addr bot.Address, msgID string) (*bot.Session, error) {
	s.trips.Add(1)
	b, err := s.fast.LIndex(ctx, s.convKey(addr), 0).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("redis: load %s: %w", addr.Ref(), err)
	}
	v, err := splitSessionValue(b)
	if err != nil {
		return nil, fmt.Errorf("redis: load %s: %w", addr.Ref(), err)
	}
	now := ms(s.opt.Now())
	if msgID != "" && v.handled(msgID, now) {
		return nil, fmt.Errorf("redis: load %s message %s: %w", addr.Ref(), addr.LogID(msgID), bot.ErrDuplicate)
	}
	if v.expires <= now {
		return nil, nil // kept only for its de-duplication record
	}
	sess, err := decodeSession(addr, v.json)
	if err != nil {
		return nil, fmt.Errorf("redis: load %s: decode session: %w", addr.Ref(), err)
	}
	return sess, nil
}

// Commit writes c atomically with one script; see bot.Store.
func (s *Store) Commit(ctx context.Context, c *bot.Commit) error {
	addr := c.Session.Address
	shard := s.shardOf(addr)
	next := c.Session.Version + 1
	sess, err := encodeSession(c.Session, next)
	if err != nil {
		return fmt.Errorf("redis: commit %s: encode session: %w", addr.Ref(), err)
	}
	var events []byte
	if len(c.Events) > 0 {
		if events, err = encodeEvents(addr, c.MessageID, c.Events); err != nil {
			return fmt.Errorf("redis: commit %s: encode events: %w", addr.Ref(), err)
		}
	}
	now := ms(s.opt.Now())
	msgID := ""
	if c.MessageID != "" {
		msgID = dedupID(c.MessageID)
	}
	args := make([]any, 0, 18+2*len(c.Outbox)+3*len(c.SetTimers)+len(c.CancelTimers))
	ttl := bot.SessionTTL(c.Session, s.opt.SessionTTL)
	args = append(args, c.Session.Version, sess, ttl.Milliseconds(), msgID, now,
		now+ttl.Milliseconds(), now+s.opt.DedupTTL.Milliseconds(),
		max(ttl, s.opt.DedupTTL).Milliseconds(), events, s.opt.TranscriptLen,
		max(s.opt.StreamMaxLen/int64(s.opt.Shards), 1), addr.String(), ms(c.LeaseUntil), len(c.Outbox))
	for i, o := range c.Outbox {
		if o.Address.IsZero() {
			o.Address = addr
		}
		if s.shardOf(o.Address) != shard {
			return fmt.Errorf("redis: commit %s: outbox entry %s is for %s, in another shard", addr.Ref(), o.Address.LogID(o.ID), o.Address.Ref())
		}
		body, err := json.Marshal(o)
		if err != nil {
			return fmt.Errorf("redis: commit %s: encode outbox entry %s: %w", addr.Ref(), o.Address.LogID(o.ID), err)
		}
		// The sort key orders entries by creation, then by commit and
		// place in it, so one conversation's replies keep their order;
		// the entry's Seq follows, for Pending's cut (outboxOrder).
		key := fmt.Sprintf("%016d%012d%04d", max(micros(o.Created), 0), next, i)
		if o.Seq != 0 {
			key += ":" + strconv.FormatInt(o.Seq, 10)
		}
		args = append(args, member(o.Address, o.ID), key+"|0|"+string(body))
	}
	args = append(args, len(c.SetTimers))
	for _, tm := range c.SetTimers {
		if tm.Address.IsZero() {
			tm.Address = addr
		}
		if s.shardOf(tm.Address) != shard {
			return fmt.Errorf("redis: commit %s: timer %s is for %s, in another shard", addr.Ref(), tm.ID, tm.Address.Ref())
		}
		body, err := json.Marshal(tm)
		if err != nil {
			return fmt.Errorf("redis: commit %s: encode timer %s: %w", addr.Ref(), tm.ID, err)
		}
		args = append(args, member(tm.Address, tm.ID), ms(tm.Due), body)
	}
	args = append(args, len(c.CancelTimers))
	for _, id := range c.CancelTimers {
		args = append(args, member(addr, id))
	}
	keys := []string{s.convKey(addr),
		s.shardKey(shard, "outbox"), s.shardKey(shard, "outbox:data"),
		s.shardKey(shard, "timers"), s.shardKey(shard, "timers:data"),
		s.shardKey(shard, "events")}
	res, err := s.run(ctx, s.fast, commitScript, keys, args...).Text()
	if err != nil {
		return fmt.Errorf("redis: commit %s: %w", addr.Ref(), err)
	}
	switch {
	case res == "OK":
		c.Session.Version = next
		return nil
	case res == "DUP":
		return fmt.Errorf("redis: commit %s message %s: %w", addr.Ref(), addr.LogID(c.MessageID), bot.ErrDuplicate)
	case strings.HasPrefix(res, "CONFLICT:"):
		return fmt.Errorf("redis: commit %s version %d over %s: %w", addr.Ref(), c.Session.Version, res[len("CONFLICT:"):], bot.ErrConflict)
	}
	return fmt.Errorf("redis: commit %s: unexpected answer %q", addr.Ref(), res)
}

// Pending leases due outbox entries; see bot.Store. It writes this
// store's queued acknowledgements first, so that an entry acknowledged
// here is never leased again. Two round trips: one pipeline looks at every
// shard, one leases the oldest entries found. On a Cluster each is one
// pipeline per master, all at once (eachMaster).
//
// A shard that does not answer (its Cluster master is away, or does not
// answer within the master budget), or whose acknowledgements could not be
// written, waits for the next call; the other shards' entries are leased
// as usual. Pending fails only when no shard answered.
func (s *Store) Pending(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]bot.Outgoing, error) {
	unacked, ackErr := s.writeAcks(ctx)
	if limit <= 0 {
		return nil, ackErr
	}
	var errs []error
	if ackErr != nil {
		errs = append(errs, ackErr)
	}
	// A shard whose acknowledgements wait is not looked at; on a Cluster
	// neither are the other shards of its master (it is away or hangs:
	// asking it again would only wait as long again).
	var groups []masterGroup
	for _, g := range s.masterGroups(ctx, s.rotated(0)) {
		kept := slices.DeleteFunc(slices.Clone(g.shards), func(sh int) bool { return unacked[sh] })
		if len(kept) < len(g.shards) && g.master != nil {
			continue
		}
		if len(kept) > 0 {
			g.shards = kept
			groups = append(groups, g)
		}
	}
	type candidate struct {
		shard       int
		member, key string
	}
	type peeked struct {
		cands    []candidate
		answered int
		errs     []error
	}
	vals, missed := eachGroup(s, ctx, groups, func(ctx context.Context, g masterGroup) peeked {
		peeks := make(map[int]*redis.Cmd, len(g.shards))
		s.scriptPipeline(ctx, g, func(p redis.Pipeliner) {
			for _, shard := range g.shards {
				keys := []string{s.shardKey(shard, "outbox"), s.shardKey(shard, "outbox:data")}
				peeks[shard] = peekScript.EvalSha(ctx, p, keys, ms(now), max(2*limit, 100))
			}
		})
		var r peeked
		for shard, c := range peeks {
			vals, err := c.StringSlice()
			if err != nil {
				r.errs = append(r.errs, fmt.Errorf("shard %d: %w", shard, err))
				continue
			}
			r.answered++
			for i := 0; i+1 < len(vals); i += 2 {
				r.cands = append(r.cands, candidate{shard, vals[i], vals[i+1]})
			}
		}
		return r
	}, nil)
	var cands []candidate
	answered := 0
	for _, v := range vals {
		cands = append(cands, v.cands...)
		answered += v.answered
		errs = append(errs, v.errs...)
	}
	if len(missed) > 0 {
		errs = append(errs, fmt.Errorf("shards %v: %w", missed, errMasterLate))
	}
	if answered == 0 {
		return nil, fmt.Errorf("redis: pending: %w", errors.Join(errs...))
	}
	if len(errs) > 0 {
		s.log.Warn("outbox shards unreachable; their entries wait", "shards", s.opt.Shards-answered, "err", errors.Join(errs...))
	}
	if len(cands) == 0 {
		return nil, nil
	}
	slices.SortFunc(cands, func(a, b candidate) int { return strings.Compare(a.key, b.key) })
	cands = bot.PendingCut(cands, limit, func(c candidate) bot.Outgoing { return outboxOrder(c.member, c.key) })

	picked := make(map[int][]any)
	var pickedShards []int
	for _, c := range cands {
		if picked[c.shard] == nil {
			pickedShards = append(pickedShards, c.shard)
		}
		picked[c.shard] = append(picked[c.shard], c.member)
	}
	type leased struct {
		key string
		out bot.Outgoing
	}
	// A lease whose answer is lost (its master stopped answering between
	// the two round trips) may have run: its entries are not due again
	// before the lease ends, then they come back (late, never lost).
	leasedVals, missed := eachMaster(s, ctx, pickedShards, func(ctx context.Context, g masterGroup) []leased {
		leases := make(map[int]*redis.Cmd, len(g.shards))
		s.scriptPipeline(ctx, g, func(p redis.Pipeliner) {
			for _, shard := range g.shards {
				keys := []string{s.shardKey(shard, "outbox"), s.shardKey(shard, "outbox:data")}
				leases[shard] = leaseScript.EvalSha(ctx, p, keys, append([]any{ms(now), ms(now.Add(lease))}, picked[shard]...)...)
			}
		})
		var got []leased
		for shard, c := range leases {
			vals, err := c.StringSlice()
			if err != nil {
				// Not leased: the entries are due again at the next call.
				s.log.Warn("outbox shard unreachable; its entries wait", "shard", shard, "err", err)
				continue
			}
			for _, v := range vals {
				key, rest, _ := strings.Cut(v, "|")
				n, body, _ := strings.Cut(rest, "|")
				var o bot.Outgoing
				if err := json.Unmarshal([]byte(body), &o); err != nil {
					s.log.Error("outbox entry unreadable, skipped", "shard", shard, "err", err)
					continue
				}
				o.Attempts, _ = strconv.Atoi(n)
				got = append(got, leased{key, o})
			}
		}
		return got
	}, nil)
	if len(missed) > 0 {
		s.log.Warn("outbox shards unreachable; their entries wait", "shards", missed, "err", errMasterLate)
	}
	var got []leased
	for _, v := range leasedVals {
		got = append(got, v...)
	}
	slices.SortFunc(got, func(a, b leased) int { return strings.Compare(a.key, b.key) })
	out := make([]bot.Outgoing, len(got))
	for i, g := range got {
		out[i] = g.out
	}
	return out, nil
}

// outboxOrder returns what bot.PendingCut compares of an outbox entry,
// from its index member and its sort key: its conversation, its time and
// its commit (Seq; 0 for an entry written before keys held it).
func outboxOrder(member, key string) bot.Outgoing {
	conv, _, _ := strings.Cut(member, "\x00")
	o := bot.Outgoing{Address: bot.Address{ChatID: conv}}
	if len(key) >= 16 {
		if us, err := strconv.ParseInt(key[:16], 10, 64); err == nil {
			o.Created = time.UnixMicro(us)
		}
	}
	if _, seq, ok := strings.Cut(key, ":"); ok {
		o.Seq, _ = strconv.ParseInt(seq, 10, 64)
	}
	return o
}

// scriptPipeline runs the scripts that fill adds, on the shards of group
// g, in one pipeline; each command holds its own answer or error. A
// pipeline cannot fall back from EVALSHA to EVAL command by command: when
// Redis has forgotten the scripts (it restarted), they are loaded on g's
// master and the pipeline runs again. A script that was not found did not
// run.
func (s *Store) scriptPipeline(ctx context.Context, g masterGroup, fill func(p redis.Pipeliner)) {
	var cmds []redis.Cmder
	for try := 0; ; try++ {
		s.trips.Add(1)
		cmds, _ = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error { fill(p); return nil })
		if try > 0 || !noScript(cmds) {
			break
		}
		for _, sc := range []*redis.Script{peekScript, leaseScript, peekTimersScript} {
			sc.Load(ctx, g.node)
		}
	}
	s.retryAlone(ctx, cmds)
}

// retryAlone runs again, each on its own and at once, the commands of a
// pipeline that failed while others succeeded, except those whose master
// could not be reached at all or did not answer within its timeout (a
// master stopped or overloaded: alone, they would wait for it as long
// again). On a Cluster, a pipeline holds the shards of one master
// (eachMaster); a connection that broke under part of it fails the rest
// for nothing. The scripts may run twice: a peek only reads, and a lease
// that ran already finds its entries not due, so they wait for their lease
// to end (late, never lost).
func (s *Store) retryAlone(ctx context.Context, cmds []redis.Cmder) {
	var failed []redis.Cmder
	succeeded := false
	for _, c := range cmds {
		switch err := c.Err(); {
		case err == nil:
			succeeded = true
		case !unreachable(err) && !timedOut(err):
			failed = append(failed, c)
		}
	}
	if len(failed) == 0 || !succeeded || ctx.Err() != nil {
		return
	}
	var wg sync.WaitGroup
	for _, c := range failed {
		wg.Go(func() {
			s.trips.Add(1)
			c.SetErr(nil)
			_ = s.rdb.Process(ctx, c)
		})
	}
	wg.Wait()
}

// unreachable reports whether err says the server could not be dialled.
func unreachable(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// timedOut reports whether err says the server did not answer in time:
// its read or write deadline, or the context's, passed.
func timedOut(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded)
}

func noScript(cmds []redis.Cmder) bool {
	for _, c := range cmds {
		if err := c.Err(); err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT") {
			return true
		}
	}
	return false
}

// Ack queues delivered entries for removal; see bot.Store. They are
// written within AckDelay, by Flush or Close, or before this store's next
// Pending. An acknowledgement lost in a crash only means the entry is
// delivered again after its lease.
func (s *Store) Ack(ctx context.Context, entries ...bot.Outgoing) error {
	if len(entries) == 0 {
		return nil
	}
	s.ackMu.Lock()
	for _, o := range entries {
		sh := s.shardOf(o.Address)
		s.acks[sh] = append(s.acks[sh], member(o.Address, o.ID))
	}
	s.ackMu.Unlock()
	select {
	case s.ackKick <- struct{}{}:
	default:
	}
	return nil
}

// maxQueuedAcks bounds the acknowledgements kept while Redis is away;
// beyond it they are dropped, and the entries delivered again.
const maxQueuedAcks = 100_000

// flushAcks writes the queued acknowledgements in one pipeline. On failure
// it puts them back for the next try.
func (s *Store) flushAcks(ctx context.Context) error {
	_, err := s.writeAcks(ctx)
	return err
}

// writeAcks is flushAcks that also says which shards' acknowledgements
// were put back.
func (s *Store) writeAcks(ctx context.Context) (failed map[int]bool, err error) {
	s.ackWrite.Lock()
	defer s.ackWrite.Unlock()
	s.ackMu.Lock()
	batch := s.acks
	if len(batch) == 0 {
		s.ackMu.Unlock()
		return nil, nil
	}
	s.acks = make(map[int][]string)
	s.ackMu.Unlock()

	// One pipeline per master (eachMaster): a master that hangs keeps
	// only its own shards' acknowledgements back.
	shards := make([]int, 0, len(batch))
	for shard := range batch {
		shards = append(shards, shard)
	}
	slices.Sort(shards)
	type written struct {
		failed []int
		err    error
	}
	vals, missed := eachMaster(s, ctx, shards, func(ctx context.Context, g masterGroup) written {
		s.trips.Add(1)
		cmds := make(map[int][2]redis.Cmder, len(g.shards))
		_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, shard := range g.shards {
				members := batch[shard]
				// Data first: an index member without data is dropped by
				// the next Pending, data without a member would stay for ever.
				hdel := p.HDel(ctx, s.shardKey(shard, "outbox:data"), members...)
				idx := make([]any, len(members))
				for i, m := range members {
					idx[i] = m
				}
				cmds[shard] = [2]redis.Cmder{hdel, p.ZRem(ctx, s.shardKey(shard, "outbox"), idx...)}
			}
			return nil
		})
		if err == nil {
			return written{}
		}
		var w written
		for _, shard := range g.shards {
			if cmds[shard][0].Err() != nil || cmds[shard][1].Err() != nil {
				w.failed = append(w.failed, shard)
			}
		}
		w.err = err
		return w
	}, nil)
	var errs []error
	failed = make(map[int]bool)
	for _, v := range vals {
		for _, shard := range v.failed {
			failed[shard] = true
		}
		if v.err != nil {
			errs = append(errs, v.err)
		}
	}
	for _, shard := range missed {
		failed[shard] = true
	}
	if len(missed) > 0 {
		errs = append(errs, fmt.Errorf("shards %v: %w", missed, errMasterLate))
	}
	if len(failed) == 0 {
		return nil, nil
	}
	// Only the shards that failed (on a Cluster, those of a master that
	// is away or hangs) are tried again. An acknowledgement whose answer
	// was lost may have been written: writing it again does no harm.
	s.ackMu.Lock()
	n := 0
	for _, shard := range shards {
		if !failed[shard] {
			continue
		}
		members := batch[shard]
		if n += len(members) + len(s.acks[shard]); n <= maxQueuedAcks {
			s.acks[shard] = append(s.acks[shard], members...)
		}
	}
	s.ackMu.Unlock()
	return failed, fmt.Errorf("redis: ack: %w", errors.Join(errs...))
}

// ackLoop writes acknowledgements in the background until Close. While
// Redis is away it tries again with backoff; what is acknowledged
// meanwhile joins the next write.
func (s *Store) ackLoop() {
	defer close(s.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	retry := &backoff.ExponentialBackOff{InitialInterval: 2 * s.opt.AckDelay, RandomizationFactor: 0.5,
		Multiplier: 2, MaxInterval: 5 * time.Second}
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.ackKick:
		}
		// Linger, so that the acknowledgements of concurrent messages
		// share one round trip.
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.opt.AckDelay):
		}
		_, _ = backoff.Retry(ctx, func() (struct{}, error) {
			wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			return struct{}{}, s.flushAcks(wctx)
		}, backoff.WithBackOff(retry), backoff.WithMaxElapsedTime(0), backoff.WithNotify(func(err error, _ time.Duration) {
			s.log.Warn("outbox acknowledgements not written yet; will retry", "err", err)
		}))
	}
}

// DueTimers removes and returns due timers, shard by shard; see bot.Store.
// A shard that does not answer (its Cluster master is away, or does not
// answer within the master budget) is passed over: the timers of the others are
// returned, with its error. On a Cluster the masters are asked at once,
// each for a share of limit (peekAndTakeTimers); what a share left unused
// goes, in another round, to the masters that filled theirs.
func (s *Store) DueTimers(ctx context.Context, now time.Time, limit int) ([]bot.Timer, error) {
	out := s.takeLateTimers(limit)
	first := int(s.next.Add(1))
	if _, ok := s.rdb.(*redis.ClusterClient); !ok {
		got, errs := s.dueTimers(ctx, masterGroup{shards: s.rotated(first)}, now, limit-len(out))
		out = append(out, got...)
		if len(errs) > 0 {
			return out, fmt.Errorf("redis: due timers: %w", errors.Join(errs...))
		}
		return out, nil
	}
	var errs []error
	groups := s.masterGroups(ctx, s.rotated(first))
	for len(groups) > 0 && len(out) < limit && ctx.Err() == nil {
		// Shares of what is left, the remainder to the first groups (in
		// turn from call to call, as the shards are).
		left := limit - len(out)
		share := map[int]int{}
		var asked []masterGroup
		for i, g := range groups {
			n := left / len(groups)
			if i < left%len(groups) {
				n++
			}
			if n > 0 {
				share[g.shards[0]] = n
				asked = append(asked, g)
			}
		}
		vals, missed := eachGroup(s, ctx, asked, func(ctx context.Context, g masterGroup) firedTimers {
			n := share[g.shards[0]]
			got, errs := s.peekAndTakeTimers(ctx, g, now, n)
			return firedTimers{g.shards[0], got, errs, len(got) == n && len(errs) == 0}
		}, s.addLateTimers)
		if len(missed) > 0 {
			errs = append(errs, fmt.Errorf("shards %v: %w", missed, errMasterLate))
		}
		var again []masterGroup
		full := map[int]bool{}
		for _, v := range vals {
			out = append(out, v.timers...)
			errs = append(errs, v.errs...)
			if v.full {
				full[v.first] = true
			}
		}
		// The groups to ask again: those that filled their share, and
		// those that had none.
		for _, g := range groups {
			if _, wasAsked := share[g.shards[0]]; !wasAsked || full[g.shards[0]] {
				again = append(again, g)
			}
		}
		groups = again
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("redis: due timers: %w", errors.Join(errs...))
	}
	return out, nil
}

// rotated returns every shard, starting with first (modulo the shards),
// so that successive calls start elsewhere.
func (s *Store) rotated(first int) []int {
	out := make([]int, 0, s.opt.Shards)
	for i := range s.opt.Shards {
		out = append(out, (first+i)%s.opt.Shards)
	}
	return out
}

// dueTimers runs the timers script on g's shards one after the other, for
// up to limit timers in all. It stops at the end of ctx.
func (s *Store) dueTimers(ctx context.Context, g masterGroup, now time.Time, limit int) ([]bot.Timer, []error) {
	var out []bot.Timer
	var errs []error
	for _, shard := range g.shards {
		if len(out) >= limit {
			break
		}
		keys := []string{s.shardKey(shard, "timers"), s.shardKey(shard, "timers:data")}
		vals, err := s.run(ctx, s.rdb, timersScript, keys, ms(now), limit-len(out)).StringSlice()
		if err != nil {
			errs = append(errs, fmt.Errorf("shard %d: %w", shard, err))
			if ctx.Err() != nil {
				break
			}
			continue
		}
		out = s.appendTimers(out, vals)
	}
	return out, errs
}

// peekAndTakeTimers returns up to limit due timers of g's shards, on a
// Cluster: one pipeline looks (peekTimersScript), and where it saw due
// timers, another takes them (takeTimersScript). A master that hangs
// mostly hangs on the look, which changes nothing; a take whose answer is
// lost (the master hung between the two, and runs it later) may have
// removed the timers, so the timers seen are returned all the same: at
// least once, and a second firing is a no-op for the engine (its message
// ID). A take that answers is exact: each timer goes to one caller.
func (s *Store) peekAndTakeTimers(ctx context.Context, g masterGroup, now time.Time, limit int) ([]bot.Timer, []error) {
	peeks := make(map[int]*redis.Cmd, len(g.shards))
	s.scriptPipeline(ctx, g, func(p redis.Pipeliner) {
		for _, shard := range g.shards {
			keys := []string{s.shardKey(shard, "timers"), s.shardKey(shard, "timers:data")}
			peeks[shard] = peekTimersScript.EvalSha(ctx, p, keys, ms(now), limit)
		}
	})
	var errs []error
	seen := map[int][]any{}      // shard -> members
	bodies := map[int][]string{} // shard -> their json
	n := 0
	for _, shard := range g.shards {
		vals, err := peeks[shard].StringSlice()
		if err != nil {
			errs = append(errs, fmt.Errorf("shard %d: %w", shard, err))
			continue
		}
		for i := 0; i+1 < len(vals) && n < limit; i += 2 {
			seen[shard] = append(seen[shard], vals[i])
			bodies[shard] = append(bodies[shard], vals[i+1])
			n++
		}
	}
	if n == 0 {
		return nil, errs
	}
	takes := make(map[int]*redis.Cmd, len(seen))
	run := func(shards []int) {
		s.trips.Add(1)
		_, _ = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, shard := range shards {
				keys := []string{s.shardKey(shard, "timers"), s.shardKey(shard, "timers:data")}
				takes[shard] = takeTimersScript.EvalSha(ctx, p, keys, append([]any{ms(now)}, seen[shard]...)...)
			}
			return nil
		})
	}
	var shards []int
	for _, shard := range g.shards {
		if len(seen[shard]) > 0 {
			shards = append(shards, shard)
		}
	}
	run(shards)
	// Not run at all (the master forgot the script): load it, and run
	// those takes again, only those.
	var again []int
	for _, shard := range shards {
		if err := takes[shard].Err(); err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT") {
			again = append(again, shard)
		}
	}
	if len(again) > 0 {
		takeTimersScript.Load(ctx, g.node)
		run(again)
	}
	var out []bot.Timer
	for _, shard := range shards {
		vals, err := takes[shard].StringSlice()
		if err != nil {
			// It may have run: the timers seen go out, at least once.
			s.log.Warn("timers taken without an answer; handing out those seen", "shard", shard, "timers", len(seen[shard]), "err", err)
			errs = append(errs, fmt.Errorf("shard %d: %w", shard, err))
			vals = bodies[shard]
		}
		out = s.appendTimers(out, vals)
	}
	return out, errs
}

// addLateTimers keeps the timers of a call that answered after its budget
// (a client that ignores the context's deadline), for the next DueTimers.
func (s *Store) addLateTimers(f firedTimers) {
	if len(f.timers) == 0 {
		return
	}
	s.masterMu.Lock()
	s.lateTimers = append(s.lateTimers, f.timers...)
	s.masterMu.Unlock()
}

// takeLateTimers returns up to limit of the timers addLateTimers kept.
func (s *Store) takeLateTimers(limit int) []bot.Timer {
	s.masterMu.Lock()
	defer s.masterMu.Unlock()
	n := min(limit, len(s.lateTimers))
	out := slices.Clone(s.lateTimers[:n])
	s.lateTimers = s.lateTimers[n:]
	return out
}

// firedTimers is what one master's share of DueTimers returned.
type firedTimers struct {
	first  int // the group's first shard, naming it
	timers []bot.Timer
	errs   []error
	full   bool // it filled its share: it may hold more due timers
}

// Transcript returns the latest events of addr; see bot.Store.
func (s *Store) Transcript(ctx context.Context, addr bot.Address, limit int) ([]bot.Event, error) {
	if limit <= 0 {
		return nil, nil
	}
	// Every element holds at least one event: limit elements are enough.
	// The session says whether the conversation still lives.
	key := s.convKey(addr)
	var get *redis.StringCmd
	var lr *redis.StringSliceCmd
	s.trips.Add(1)
	_, _ = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		get = p.LIndex(ctx, key, 0)
		lr = p.LRange(ctx, key, -int64(limit), -1)
		return nil
	})
	b, err := get.Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("redis: transcript %s: %w", addr.Ref(), err)
	}
	if v, err := splitSessionValue(b); err != nil || v.expires <= ms(s.opt.Now()) {
		return nil, nil
	}
	vals, err := lr.Result()
	if err != nil {
		return nil, fmt.Errorf("redis: transcript %s: %w", addr.Ref(), err)
	}
	var out []bot.Event
	for _, v := range vals {
		if strings.HasPrefix(v, `{"v":`) {
			continue // the session, when the transcript is short
		}
		ev, err := decodeEvents(addr, []byte(v))
		if err != nil {
			return nil, fmt.Errorf("redis: transcript %s: %w", addr.Ref(), err)
		}
		out = append(out, ev...)
	}
	if len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out, nil
}

// exchangeCounter counts the commands and pipelines a client sends.
type exchangeCounter struct{ n *atomic.Int64 }

func (h exchangeCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h exchangeCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}

func (h exchangeCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmds)
	}
}

// appendTimers appends the timers of their stored bodies to out; one
// that does not decode is logged and dropped.
func (s *Store) appendTimers(out []bot.Timer, bodies []string) []bot.Timer {
	for _, v := range bodies {
		var tm bot.Timer
		if err := json.Unmarshal([]byte(v), &tm); err != nil {
			s.log.Error("timer unreadable, dropped", "err", err)
			continue
		}
		out = append(out, tm)
	}
	return out
}
