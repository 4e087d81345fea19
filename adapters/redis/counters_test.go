package redis_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/redis"
)

// Replicas count on the same keys: the failed proofs of an order that
// land on three replicas add up, on one Redis and on a Cluster, where
// the counters of many orders spread over the masters.
func TestReplicasShareTheCounts(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"redis", func(t *testing.T) string { mustReachRedis(t); return testURL() }},
		{"cluster", func(t *testing.T) string { return mustCluster(t).url() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url, prefix := tc.url(t), randomPrefix()
			var replicas []*redis.Store
			for range 3 {
				replicas = append(replicas, mustOpen(t, url, redis.Options{Prefix: prefix}))
			}
			ctx := context.Background()
			var wg sync.WaitGroup
			for i := range 30 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					key := fmt.Sprintf("orders:proof:%d", i%10)
					if _, err := replicas[i%3].Add(ctx, key, 1, 3, time.Hour); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			for k := range 10 {
				for _, r := range replicas {
					if n, err := r.Add(ctx, fmt.Sprintf("orders:proof:%d", k), 0, 3, time.Hour); err != nil || n != 3 {
						t.Fatalf("order %d reads %d, %v on a replica; want the 3 of all replicas", k, n, err)
					}
				}
			}
		})
	}
}

// A Redis that is gone is an error of Add within the caller's deadline,
// which the caller reads as a refusal; the count is there again when
// Redis is back, with its AOF.
func TestCountsWithRedisDownAreAnError(t *testing.T) {
	srv := startRedis(t, "--appendonly", "yes", "--appendfsync", "always")
	st := mustOpen(t, srv.url(), redis.Options{})
	ctx := context.Background()
	if n, err := st.Add(ctx, "orders:proof:x", 1, 10, time.Hour); err != nil || n != 1 {
		t.Fatalf("Add = %d, %v", n, err)
	}
	srv.kill()
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	start := time.Now()
	if _, err := st.Add(ctx, "orders:proof:x", 1, 10, time.Hour); err == nil {
		t.Fatal("Add with Redis down gave no error")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Add with Redis down took %v, past its deadline", took)
	}
	if err := srv.start(); err != nil {
		t.Fatal(err)
	}
	if n, err := st.Add(context.Background(), "orders:proof:x", 0, 10, time.Hour); err != nil || n != 1 {
		t.Errorf("after the restart Add = %d, %v; want the count kept", n, err)
	}
}
