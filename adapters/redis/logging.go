package redis

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// go-redis logs what it does not return as an error (a pool that cannot
// dial while Redis is away) with the standard log package, one line per
// attempt. When Open is given a Logger, it sends those lines there
// instead, as warnings, at most one of a kind every ten seconds (the
// first such Open wins: go-redis has one logger per process).

var setLoggerOnce sync.Once

func routeClientLogs(log *slog.Logger) {
	setLoggerOnce.Do(func() { redis.SetLogger(&clientLog{log: log, last: make(map[string]time.Time)}) })
}

type clientLog struct {
	log  *slog.Logger
	mu   sync.Mutex
	last map[string]time.Time // by format
}

func (l *clientLog) Printf(ctx context.Context, format string, v ...any) {
	l.mu.Lock()
	if time.Since(l.last[format]) < 10*time.Second {
		l.mu.Unlock()
		return
	}
	l.last[format] = time.Now()
	l.mu.Unlock()
	l.log.Warn("go-redis: "+fmt.Sprintf(format, v...), "component", "redis")
}
