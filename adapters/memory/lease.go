package memory

import (
	"context"
	"time"

	"github.com/sportello/sportello/bot"
)

var _ bot.Leaser = (*Store)(nil)

type lease struct {
	holder string
	until  time.Time
}

// Lease takes or renews the lease name for holder; see bot.Leaser.
func (s *Store) Lease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opt.Now()
	if s.leases == nil {
		s.leases = make(map[string]lease)
	}
	l, ok := s.leases[name]
	if ok && l.holder != holder && now.Before(l.until) {
		return false, nil
	}
	s.leases[name] = lease{holder: holder, until: now.Add(ttl)}
	return true, nil
}

// Release gives the lease up if holder has it; see bot.Leaser.
func (s *Store) Release(ctx context.Context, name, holder string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l, ok := s.leases[name]; ok && l.holder == holder {
		delete(s.leases, name)
	}
	return nil
}
