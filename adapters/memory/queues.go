package memory

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/sportello/sportello/bot"
)

var (
	_ bot.Queues    = (*Store)(nil)
	_ bot.Directory = (*Store)(nil)
)

// A team's queue is an order-statistic tree of its cases (a treap whose
// nodes count their subtree), so that a place is a rank found in
// O(log n), beside a map from case to what was applied. Removed cases
// leave their Seq in Store.queueSeq, outside the queue, until gc drops it.
type teamQueue struct {
	tree  *rnode
	cases map[string]queued
	// moved is the first place from which places may have changed since
	// the last hand-out; cursor the rest of a hand-out cut short by its
	// limit; handed when changes were last handed out.
	moved, cursor *qkey
	handed        time.Time
	// claimed are the cases an agent claimed, out of the tree.
	claimed map[string]bool
}

// queued is a waiting case: its place in the tree and the op that put it
// there.
type queued struct {
	key qkey
	seq int64
	op  bot.QueueOp
}

// queueSeq is the last op applied to a removed case, remembered for
// bot.QueueMemory after it was removed (gone).
type queueSeq struct {
	seq  int64
	gone time.Time
}

// A qkey orders the cases of a queue: by Since in microseconds, then by
// case ID, as Redis orders its members.
type qkey struct {
	since int64
	id    string
}

func keyOf(op bot.QueueOp) qkey { return qkey{max(op.Since.UnixMicro(), 0), op.Case} }

func (a qkey) compare(b qkey) int {
	switch {
	case a.since < b.since:
		return -1
	case a.since > b.since:
		return 1
	}
	return strings.Compare(a.id, b.id)
}

// earlier returns the earlier of the mark m and k.
func earlier(m *qkey, k qkey) *qkey {
	if m != nil && m.compare(k) <= 0 {
		return m
	}
	return &k
}

// Apply adds a case to its team's queue, moves it or removes it; see
// bot.Queues.
func (s *Store) Apply(ctx context.Context, op bot.QueueOp) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.queues == nil {
		s.queues = make(map[string]*teamQueue)
		s.queueSeq = make(map[string]queueSeq)
	}
	q := s.queues[op.Team]
	if q == nil {
		q = &teamQueue{cases: make(map[string]queued), claimed: make(map[string]bool)}
		s.queues[op.Team] = q
	}
	gone := op.Team + "\x00" + op.Case
	cur, live := q.cases[op.Case]
	last := cur.seq
	if t, ok := s.queueSeq[gone]; ok {
		last = max(last, t.seq)
	}
	if op.Seq > 0 && op.Seq <= last {
		return nil // older than what was applied: a redelivery
	}
	seq := op.Seq
	if seq == 0 {
		seq = last // an op without Seq keeps the case's
	}
	if !op.Add {
		if live {
			q.tree = remove(q.tree, cur.key)
			delete(q.cases, op.Case)
			q.moved = earlier(q.moved, cur.key)
		}
		if op.Claimed {
			q.claimed[op.Case] = true
		} else {
			delete(q.claimed, op.Case)
		}
		if seq > 0 {
			s.queueSeq[gone] = queueSeq{seq: seq, gone: s.opt.Now()}
		}
		return nil
	}
	delete(q.claimed, op.Case) // released: waiting again
	k := keyOf(op)
	if !live || cur.key != k {
		if live {
			q.tree = remove(q.tree, cur.key)
			q.moved = earlier(q.moved, cur.key)
		}
		q.tree = insert(q.tree, &rnode{key: k, pri: rand.Uint64(), size: 1})
		// Joining last at the place told moves nobody.
		if r := rank(q.tree, k); op.Told == 0 || r+1 != op.Told || r+1 != size(q.tree) {
			q.moved = earlier(q.moved, k)
		}
	}
	q.cases[op.Case] = queued{key: k, seq: seq, op: op}
	delete(s.queueSeq, gone)
	return nil
}

// Position returns the number of cases ahead of id; see bot.Queues.
func (s *Store) Position(ctx context.Context, team, id string) (int, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queues[team]
	if q == nil {
		return 0, false, nil
	}
	c, ok := q.cases[id]
	if !ok {
		return 0, false, nil
	}
	return rank(q.tree, c.key), true, nil
}

// Len returns the number of cases waiting for team; see bot.Queues.
func (s *Store) Len(ctx context.Context, team string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q := s.queues[team]; q != nil {
		return len(q.cases), nil
	}
	return 0, nil
}

// Claimed returns the number of team's claimed cases; see bot.Queues.
func (s *Store) Claimed(ctx context.Context, team string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q := s.queues[team]; q != nil {
		return len(q.claimed), nil
	}
	return 0, nil
}

// Oldest returns up to limit of the cases waiting for team, oldest first;
// see bot.Queues.
func (s *Store) Oldest(ctx context.Context, team string, limit int) ([]bot.QueueOp, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queues[team]
	if q == nil || limit <= 0 {
		return nil, nil
	}
	out := make([]bot.QueueOp, 0, min(limit, len(q.cases)))
	ascend(q.tree, nil, func(k qkey) bool {
		out = append(out, q.cases[k.id].op)
		return len(out) < limit
	})
	return out, nil
}

// Moved hands out the cases whose place may have changed; see bot.Queues.
func (s *Store) Moved(ctx context.Context, now time.Time, every time.Duration, limit int) ([]bot.QueueOp, error) {
	if limit <= 0 {
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []bot.QueueOp
	teams := make([]string, 0, len(s.queues))
	for team := range s.queues {
		teams = append(teams, team)
	}
	slices.Sort(teams)
	for _, team := range teams {
		if len(out) >= limit {
			break
		}
		q := s.queues[team]
		from := q.cursor
		if from == nil {
			if q.moved == nil || !q.handed.IsZero() && now.Sub(q.handed) < every {
				continue
			}
			from, q.moved, q.handed = q.moved, nil, now
		}
		q.cursor = nil
		ascend(q.tree, from, func(k qkey) bool {
			if len(out) == limit {
				q.cursor = &k
				return false
			}
			out = append(out, q.cases[k.id].op)
			return true
		})
	}
	return out, nil
}

// rnode is a node of a treap: a binary search tree by key that is a heap
// by pri, so that random priorities keep it balanced (O(log n) deep, as
// expected); size counts the keys of its subtree, for ranks.
type rnode struct {
	key  qkey
	pri  uint64
	size int
	l, r *rnode
}

func size(n *rnode) int {
	if n == nil {
		return 0
	}
	return n.size
}

func (n *rnode) fix() *rnode {
	n.size = 1 + size(n.l) + size(n.r)
	return n
}

// split cuts t into the keys before k and those from k on.
func split(t *rnode, k qkey) (before, after *rnode) {
	if t == nil {
		return nil, nil
	}
	if t.key.compare(k) < 0 {
		t.r, after = split(t.r, k)
		return t.fix(), after
	}
	before, t.l = split(t.l, k)
	return before, t.fix()
}

// merge joins a and b, every key of a before every key of b.
func merge(a, b *rnode) *rnode {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.pri > b.pri:
		a.r = merge(a.r, b)
		return a.fix()
	}
	b.l = merge(a, b.l)
	return b.fix()
}

func insert(t, n *rnode) *rnode {
	before, after := split(t, n.key)
	return merge(merge(before, n), after)
}

func remove(t *rnode, k qkey) *rnode {
	if t == nil {
		return nil
	}
	switch c := k.compare(t.key); {
	case c < 0:
		t.l = remove(t.l, k)
	case c > 0:
		t.r = remove(t.r, k)
	default:
		return merge(t.l, t.r)
	}
	return t.fix()
}

// rank returns the number of keys before k.
func rank(t *rnode, k qkey) int {
	n := 0
	for t != nil {
		if k.compare(t.key) <= 0 {
			t = t.l
			continue
		}
		n += size(t.l) + 1
		t = t.r
	}
	return n
}

// ascend calls fn with the keys from from on (all when nil), in order,
// until fn returns false; it reports whether fn always returned true.
func ascend(t *rnode, from *qkey, fn func(qkey) bool) bool {
	if t == nil {
		return true
	}
	if from == nil || from.compare(t.key) <= 0 {
		if !ascend(t.l, from, fn) || !fn(t.key) {
			return false
		}
	}
	return ascend(t.r, from, fn)
}

type kv struct {
	value   string
	expires time.Time
}

// Put keeps key for ttl; see bot.Directory.
func (s *Store) Put(ctx context.Context, key, value string, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == nil {
		s.dir = make(map[string]kv)
	}
	var exp time.Time
	if ttl > 0 {
		exp = s.opt.Now().Add(ttl)
	}
	s.dir[key] = kv{value, exp}
	return nil
}

// Get returns the value of key, or ""; see bot.Directory.
func (s *Store) Get(ctx context.Context, key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.dir[key]
	if !ok {
		return "", nil
	}
	if !v.expires.IsZero() && !s.opt.Now().Before(v.expires) {
		delete(s.dir, key)
		return "", nil
	}
	return v.value, nil
}
