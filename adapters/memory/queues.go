package memory

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/sportello/sportello/bot"
)

var (
	_ bot.Queues    = (*Store)(nil)
	_ bot.Directory = (*Store)(nil)
)

// Apply adds a case to its team's queue or removes it; see bot.Queues.
// An op older (by Seq) than the last applied to the case is ignored.
func (s *Store) Apply(ctx context.Context, op bot.QueueOp) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.queues == nil {
		s.queues = make(map[string]map[string]bot.QueueOp)
		s.queueSeq = make(map[string]queueSeq)
	}
	k := op.Team + "\x00" + op.Case
	if last, ok := s.queueSeq[k]; ok && op.Seq > 0 && op.Seq <= last.seq {
		return nil
	}
	if op.Seq > 0 {
		qs := queueSeq{seq: op.Seq}
		if !op.Add {
			qs.gone = s.opt.Now()
		}
		s.queueSeq[k] = qs
	}
	q := s.queues[op.Team]
	if !op.Add {
		delete(q, op.Case)
		return nil
	}
	if q == nil {
		q = make(map[string]bot.QueueOp)
		s.queues[op.Team] = q
	}
	q[op.Case] = op
	return nil
}

// queueSeq is the last op applied to a queued case; removed cases are
// remembered for a while (gone), longer than any redelivery takes.
type queueSeq struct {
	seq  int64
	gone time.Time
}

// Waiting returns the cases waiting for team, oldest first.
func (s *Store) Waiting(ctx context.Context, team string) ([]bot.QueueOp, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []bot.QueueOp
	for _, op := range s.queues[team] {
		out = append(out, op)
	}
	slices.SortFunc(out, func(a, b bot.QueueOp) int {
		if c := a.Since.Compare(b.Since); c != 0 {
			return c
		}
		return cmp.Compare(a.Case, b.Case)
	})
	return out, nil
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
