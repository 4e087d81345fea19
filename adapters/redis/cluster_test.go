package redis_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sportello/sportello/adapters/redis"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/bottest"
)

// The Cluster tests share one real three-node Redis Cluster (no
// replicas), started by the first test that asks for it and stopped when
// the package's tests end. Every node persists with AOF and appendfsync
// always, the deployment docs/redis.md asks for, so a node killed and
// started again on its own directory comes back with its data, its node
// ID and its slots.

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.cluster != nil {
		shared.cluster.stop()
	}
	os.Exit(code)
}

// clusterNodeTimeout is the Cluster's cluster-node-timeout, Redis's
// default: an outage shorter than it is a restart the other nodes do not
// act on.
const clusterNodeTimeout = 15 * time.Second

type redisCluster struct {
	root  string
	nodes []*redisServer
}

// shared is the package's Cluster.
var shared struct {
	once    sync.Once
	cluster *redisCluster
	err     error
}

// mustCluster returns the package's Cluster, starting it the first time.
func mustCluster(tb testing.TB) *redisCluster {
	tb.Helper()
	needRedisBinaries(tb)
	shared.once.Do(func() { shared.cluster, shared.err = startCluster(3) })
	if shared.err != nil {
		tb.Fatalf("starting a Redis Cluster: %v", shared.err)
	}
	if err := shared.cluster.waitOK(20 * time.Second); err != nil {
		tb.Fatalf("the Redis Cluster is not ready: %v", err)
	}
	return shared.cluster
}

// startCluster starts n masters on free ports (each with its cluster bus
// on another free port), joins them with redis-cli --cluster create and
// waits until every node says cluster_state:ok.
func startCluster(n int) (*redisCluster, error) {
	root, err := os.MkdirTemp("", "sportello-cluster-")
	if err != nil {
		return nil, err
	}
	c := &redisCluster{root: root}
	ports, err := freePorts(2 * n)
	if err != nil {
		return nil, err
	}
	for i := range n {
		dir := filepath.Join(root, "node"+strconv.Itoa(i))
		if err := os.Mkdir(dir, 0o755); err != nil {
			return nil, err
		}
		c.nodes = append(c.nodes, &redisServer{port: ports[i], dir: dir, args: []string{
			"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
			"--cluster-port", strconv.Itoa(ports[n+i]),
			"--cluster-node-timeout", strconv.FormatInt(clusterNodeTimeout.Milliseconds(), 10),
			"--appendonly", "yes", "--appendfsync", "always",
		}})
	}
	for _, node := range c.nodes {
		if err := node.start(); err != nil {
			c.stop()
			return nil, err
		}
	}
	args := []string{"--cluster", "create"}
	for _, node := range c.nodes {
		args = append(args, node.addr())
	}
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "redis-cli", args...).CombinedOutput(); err != nil {
		c.stop()
		return nil, fmt.Errorf("redis-cli --cluster create: %w\n%s", err, out)
	}
	if err := c.waitOK(20 * time.Second); err != nil {
		c.stop()
		return nil, err
	}
	return c, nil
}

// url is the REDIS_URL of the Cluster, naming every node.
func (c *redisCluster) url() string {
	var addrs []string
	for _, node := range c.nodes {
		addrs = append(addrs, node.addr())
	}
	return "redis-cluster://" + strings.Join(addrs, ",")
}

// waitOK waits until every node reports cluster_state:ok and knows all
// the others.
func (c *redisCluster) waitOK(within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		err := c.check()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("after %v: %w", within, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *redisCluster) check() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for _, node := range c.nodes {
		rdb := goredis.NewClient(&goredis.Options{Addr: node.addr(), MaxRetries: -1})
		info, err := rdb.ClusterInfo(ctx).Result()
		rdb.Close()
		if err != nil {
			return fmt.Errorf("node %s: %w", node.addr(), err)
		}
		if !strings.Contains(info, "cluster_state:ok") ||
			!strings.Contains(info, "cluster_known_nodes:"+strconv.Itoa(len(c.nodes))) {
			return fmt.Errorf("node %s: %w", node.addr(), errClusterNotOK)
		}
	}
	return nil
}

var errClusterNotOK = errors.New("cluster_state is not ok")

func (c *redisCluster) stop() {
	for _, node := range c.nodes {
		node.kill()
	}
	os.RemoveAll(c.root)
}

// The store passes its contract on a real Cluster, with the default
// 16 shards spread over the three masters.
func TestClusterConformance(t *testing.T) {
	c := mustCluster(t)
	bottest.StoreSuite(t, func(t *testing.T) bot.Store { return mustOpen(t, c.url(), redis.Options{}) })
}

func TestClusterConformanceAutoPipelined(t *testing.T) {
	c := mustCluster(t)
	bottest.StoreSuite(t, func(t *testing.T) bot.Store { return mustOpen(t, c.url()+"?autopipeline=true", redis.Options{}) })
}

// Three replicas share the conversations on a Cluster as on one server,
// and the conversations spread over every master.
func TestClusterThreeReplicasShareTheConversations(t *testing.T) {
	c := mustCluster(t)
	prefix := testThreeReplicas(t, c.url())
	for _, node := range c.nodes {
		if n := c.keysOn(t, node, prefix); n == 0 {
			t.Errorf("master %s holds none of the conversations' keys: the shards do not spread", node.addr())
		}
	}
}

// keysOn counts the keys under prefix that node holds.
func (c *redisCluster) keysOn(tb testing.TB, node *redisServer, prefix string) int {
	tb.Helper()
	ctx := context.Background()
	rdb := goredis.NewClient(&goredis.Options{Addr: node.addr()})
	defer rdb.Close()
	n := 0
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		n++
	}
	if err := iter.Err(); err != nil {
		tb.Fatalf("scan %s: %v", node.addr(), err)
	}
	return n
}

// One master of the Cluster is killed under load (SIGKILL, as a crash)
// and started again on its own AOF and node configuration, within the
// cluster-node-timeout, as a restart is. What docs/redis.md promises:
// no committed message is lost or handled twice, the customers of the
// conversations in that master's slots get an apology while it is away
// and their messages succeed when the channel sends them again, the
// other masters' conversations do not notice, and the store recovers by
// itself.
func TestClusterNodeRestartLosesNothing(t *testing.T) {
	c := mustCluster(t)
	victim := c.nodes[0]
	t.Cleanup(func() {
		// A failed test must not leave the next one a broken Cluster.
		if victim.cmd == nil {
			victim.start()
		}
	})
	prefix := randomPrefix()
	st := mustOpen(t, c.url(), redis.Options{Prefix: prefix})
	var down, up time.Time
	failed, out := loadThroughOutage(t, st, func() {
		victim.kill()
		down = time.Now()
		time.Sleep(1500 * time.Millisecond)
		if err := victim.start(); err != nil {
			t.Fatal(err)
		}
		up = time.Now()
	})
	t.Logf("master %s was away for %v", victim.addr(), up.Sub(down).Round(time.Millisecond))

	onVictim := c.conversationsOn(t, victim, prefix)
	if len(onVictim) == 0 || len(onVictim) == 40 {
		t.Fatalf("%d of 40 conversations live on the restarted master: want some, not all", len(onVictim))
	}
	if len(failed) == 0 {
		t.Fatal("no message failed: the restart did not happen under load")
	}
	for c := range 40 {
		a := conv(c)
		apologies := len(out.to(a)) - len(echoes(out.to(a)))
		switch {
		case onVictim[a] && failed[a] > 0 && apologies == 0:
			t.Errorf("%s failed %d times while its master was away and its customer heard nothing", a, failed[a])
		case !onVictim[a] && failed[a] > 0:
			t.Errorf("%s lives on another master and failed %d times: the outage of one master reached it", a, failed[a])
		case !onVictim[a] && apologies > 0:
			t.Errorf("%s lives on another master and got %d apologies", a, apologies)
		}
	}
	if err := c.waitOK(10 * time.Second); err != nil {
		t.Fatalf("the Cluster did not recover after the restart: %v", err)
	}
}

// conversationsOn returns the conversations (conv(i)) whose key node holds.
func (c *redisCluster) conversationsOn(tb testing.TB, node *redisServer, prefix string) map[bot.Address]bool {
	tb.Helper()
	ctx := context.Background()
	rdb := goredis.NewClient(&goredis.Options{Addr: node.addr()})
	defer rdb.Close()
	out := make(map[bot.Address]bool)
	iter := rdb.Scan(ctx, 0, prefix+"*:c:test:*", 1000).Iterator()
	for iter.Next(ctx) {
		_, id, _ := strings.Cut(iter.Val(), ":c:test:")
		out[bot.Address{Channel: "test", ChatID: id}] = true
	}
	if err := iter.Err(); err != nil {
		tb.Fatalf("scan %s: %v", node.addr(), err)
	}
	return out
}

// Purge runs on every master at once; the count it returns adds up all
// of them (under -race, the old code's unguarded sum failed here).
func TestClusterPurgeCountsTheKeysOfEveryMaster(t *testing.T) {
	c := mustCluster(t)
	prefix := randomPrefix()
	st := mustOpen(t, c.url(), redis.Options{Prefix: prefix})
	ctx := context.Background()
	now := time.Now()
	for i := range 60 {
		a := conv(i)
		if err := st.Commit(ctx, &bot.Commit{Session: bot.NewSession(a, now), MessageID: "m1",
			Events: []bot.Event{{ID: "e1", Type: bot.EventCustomer, Text: "hi"}}}); err != nil {
			t.Fatal(err)
		}
	}
	want := 0
	for _, node := range c.nodes {
		n := c.keysOn(t, node, prefix)
		if n == 0 {
			t.Fatalf("master %s holds none of the keys", node.addr())
		}
		want += n
	}
	got, err := st.Purge(ctx)
	if err != nil || got != want {
		t.Fatalf("Purge = %d, %v; want the %d keys of the three masters", got, err, want)
	}
	for _, node := range c.nodes {
		if n := c.keysOn(t, node, prefix); n != 0 {
			t.Errorf("master %s still holds %d keys after Purge", node.addr(), n)
		}
	}
}

// While one master is away, the work of the other masters' shards goes
// on: their outbox entries are redelivered, their timers fire and the
// archive reads their events. Before, the first shard that failed stopped
// Pending, DueTimers and ReadEvents for every conversation; an
// acknowledgement queued for the missing master stopped Pending too.
func TestClusterMasterAwayDelaysOnlyItsOwnShards(t *testing.T) {
	c := mustCluster(t)
	victim := c.nodes[1]
	t.Cleanup(func() {
		if victim.cmd == nil {
			victim.start()
		}
	})
	prefix := randomPrefix()
	st := mustOpen(t, c.url(), redis.Options{Prefix: prefix})
	ctx := context.Background()
	now := time.Now()
	const convs = 40
	for i := range convs {
		a := conv(i)
		err := st.Commit(ctx, &bot.Commit{Session: bot.NewSession(a, now), MessageID: "m1",
			Events:     []bot.Event{{ID: "e1", Address: a, Type: bot.EventCustomer, Text: "hi"}},
			Outbox:     []bot.Outgoing{{ID: "o1", Address: a, Reply: &bot.Reply{Address: a, Text: "hello"}, Created: now}},
			LeaseUntil: now,
			SetTimers:  []bot.Timer{{ID: "t1", Address: a, Due: now}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	onVictim := c.conversationsOn(t, victim, prefix)
	if len(onVictim) == 0 || len(onVictim) == convs {
		t.Fatalf("%d of %d conversations live on the master that goes away: want some, not all", len(onVictim), convs)
	}
	var acked bot.Address
	for a := range onVictim {
		acked = a
		break
	}
	victim.kill()
	// A reply delivered just before the master went away: its
	// acknowledgement cannot be written until it is back.
	if err := st.Ack(ctx, bot.Outgoing{ID: "o1", Address: acked}); err != nil {
		t.Fatal(err)
	}

	later := now.Add(time.Second)
	healthy := func(got []bot.Address) (missing, extra []bot.Address) {
		seen := map[bot.Address]bool{}
		for _, a := range got {
			seen[a] = true
			if onVictim[a] {
				extra = append(extra, a)
			}
		}
		for i := range convs {
			if a := conv(i); !onVictim[a] && !seen[a] {
				missing = append(missing, a)
			}
		}
		return missing, extra
	}
	t0 := time.Now()
	out, err := st.Pending(ctx, later, time.Hour, 1000)
	t.Logf("Pending took %v", time.Since(t0))
	var addrs []bot.Address
	for _, o := range out {
		addrs = append(addrs, o.Address)
	}
	if missing, extra := healthy(addrs); len(missing) > 0 || len(extra) > 0 {
		t.Errorf("Pending with a master away = %d entries, %v: missing %v, from the missing master %v", len(out), err, missing, extra)
	}
	t0 = time.Now()
	timers, err := st.DueTimers(ctx, later, 1000)
	t.Logf("DueTimers took %v", time.Since(t0))
	addrs = nil
	for _, tm := range timers {
		addrs = append(addrs, tm.Address)
	}
	if missing, extra := healthy(addrs); len(missing) > 0 || len(extra) > 0 {
		t.Errorf("DueTimers with a master away = %d timers, %v: missing %v, from the missing master %v", len(timers), err, missing, extra)
	}
	events, err := st.ReadEvents(ctx, "archive", 1000, 0)
	addrs = nil
	for _, e := range events {
		addrs = append(addrs, e.Event.Address)
	}
	if missing, extra := healthy(addrs); len(missing) > 0 || len(extra) > 0 {
		t.Errorf("ReadEvents with a master away = %d events, %v: missing %v, from the missing master %v", len(events), err, missing, extra)
	}

	// Back with its AOF, the master's shards catch up, and the entry
	// acknowledged while it was away is not delivered again.
	if err := victim.start(); err != nil {
		t.Fatal(err)
	}
	if err := c.waitOK(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	var gotOut, gotTimers, gotEvents []bot.Address
	deadline := time.Now().Add(10 * time.Second)
	for len(gotOut) < len(onVictim)-1 || len(gotTimers) < len(onVictim) || len(gotEvents) < len(onVictim) {
		if time.Now().After(deadline) {
			t.Fatalf("after the master came back: %d entries, %d timers, %d events of its %d conversations",
				len(gotOut), len(gotTimers), len(gotEvents), len(onVictim))
		}
		if o, err := st.Pending(ctx, later, time.Hour, 1000); err == nil {
			for _, e := range o {
				gotOut = append(gotOut, e.Address)
			}
		}
		if tm, err := st.DueTimers(ctx, later, 1000); err == nil {
			for _, e := range tm {
				gotTimers = append(gotTimers, e.Address)
			}
		}
		if ev, err := st.ReadEvents(ctx, "archive", 1000, 0); err == nil {
			for _, e := range ev {
				gotEvents = append(gotEvents, e.Event.Address)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, a := range gotOut {
		if a == acked {
			t.Errorf("%s: the entry acknowledged while its master was away was delivered again", a)
		}
		if !onVictim[a] {
			t.Errorf("%s: an entry of a healthy master was leased twice", a)
		}
	}
	if len(gotOut) != len(onVictim)-1 {
		t.Errorf("after the master came back Pending leased %d entries, want %d", len(gotOut), len(onVictim)-1)
	}
}
