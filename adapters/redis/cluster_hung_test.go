//go:build unix

package redis_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/redis"
	"github.com/sportello/sportello/bot"
)

// A master that accepts connections and never answers (stopped,
// overloaded), for less than cluster-node-timeout: with read and write
// timeouts short enough, Pending still leases every due entry of the
// other masters, within the engine's 10 s, and none of its own.
func TestClusterMasterHungDelaysOnlyItsOwnShards(t *testing.T) {
	c := mustCluster(t)
	victim := c.nodes[2]
	prefix := randomPrefix()
	st := mustOpen(t, c.url()+"?read_timeout=300ms&write_timeout=300ms", redis.Options{Prefix: prefix})
	ctx := context.Background()
	now := time.Now()
	const convs = 40
	for i := range convs {
		a := conv(i)
		err := st.Commit(ctx, &bot.Commit{Session: bot.NewSession(a, now), MessageID: "m1",
			Outbox:     []bot.Outgoing{{ID: "o1", Address: a, Reply: &bot.Reply{Address: a, Text: "hello"}, Created: now}},
			LeaseUntil: now})
		if err != nil {
			t.Fatal(err)
		}
	}
	onVictim := c.conversationsOn(t, victim, prefix)
	if len(onVictim) == 0 || len(onVictim) == convs {
		t.Fatalf("%d of %d conversations live on the master that hangs: want some, not all", len(onVictim), convs)
	}
	if err := victim.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	resumed := false
	resume := func() {
		if !resumed {
			resumed = true
			victim.cmd.Process.Signal(syscall.SIGCONT)
		}
	}
	t.Cleanup(resume)

	pctx, cancel := context.WithTimeout(ctx, 10*time.Second) // as the engine's redeliver
	defer cancel()
	t0 := time.Now()
	out, err := st.Pending(pctx, now.Add(time.Second), time.Hour, 1000)
	t.Logf("Pending took %v: %d entries of %d, %d on the master that hangs", time.Since(t0), len(out), convs, len(onVictim))
	resume()
	seen := map[bot.Address]bool{}
	for _, o := range out {
		if onVictim[o.Address] {
			t.Errorf("Pending leased %s of the master that hangs", o.Address)
		}
		seen[o.Address] = true
	}
	if len(seen) != convs-len(onVictim) {
		t.Errorf("Pending with a master hung = %d entries, %v; want the %d of the other masters", len(out), err, convs-len(onVictim))
	}
	if err := c.waitOK(20 * time.Second); err != nil {
		t.Fatal(err)
	}
}
