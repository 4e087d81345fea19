//go:build unix

package redis_test

import (
	"context"
	"errors"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sportello/sportello/adapters/redis"
	"github.com/sportello/sportello/bot"
)

// A master that accepts connections and never answers (stopped,
// overloaded), for less than cluster-node-timeout, at go-redis's default
// timeouts: Pending leases every due entry of the other masters and
// DueTimers returns their timers, each within 3 s (the engine gives them
// 10), and none of the hung master's; an entry acknowledged while it hangs
// is not leased again, and once it is back its entries and timers come,
// once each.
func TestClusterMasterHungDelaysOnlyItsOwnShards(t *testing.T) {
	c := mustCluster(t)
	victim := c.nodes[2]
	prefix := randomPrefix()
	st := mustOpen(t, c.url(), redis.Options{Prefix: prefix})
	ctx := context.Background()
	now := time.Now()
	const convs = 40
	for i := range convs {
		a := conv(i)
		err := st.Commit(ctx, &bot.Commit{Session: bot.NewSession(a, now), MessageID: "m1",
			Outbox:     []bot.Outgoing{{ID: "o1", Address: a, Reply: &bot.Reply{Address: a, Text: "hello"}, Created: now}},
			Events:     []bot.Event{{ID: "e1", Address: a, Type: bot.EventCustomer, Text: "hi"}},
			SetTimers:  []bot.Timer{{ID: "t1", Address: a, Kind: "reminder", Due: now}},
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

	// One entry of the hung master acknowledged (delivered before it hung).
	var ackedAddr bot.Address
	for a := range onVictim {
		ackedAddr = a
		break
	}
	if err := st.Ack(ctx, bot.Outgoing{ID: "o1", Address: ackedAddr}); err != nil {
		t.Fatal(err)
	}
	const within = 3 * time.Second
	later := now.Add(time.Second)
	for round := range 2 { // the second round finds the master suspect, and the ack still queued
		pctx, cancel := context.WithTimeout(ctx, 10*time.Second) // as the engine's redeliver
		t0 := time.Now()
		out, err := st.Pending(pctx, later, time.Hour, 1000)
		took := time.Since(t0)
		cancel()
		t.Logf("round %d: Pending took %v: %d entries of %d, %d on the master that hangs; err %v", round, took, len(out), convs, len(onVictim), err)
		seen := map[bot.Address]bool{}
		for _, o := range out {
			if onVictim[o.Address] {
				t.Errorf("Pending leased %s of the master that hangs", o.Address)
			}
			seen[o.Address] = true
		}
		wantOut := convs - len(onVictim)
		if round > 0 {
			wantOut = 0 // leased for an hour in the first round
		}
		if len(seen) != wantOut || took > within {
			t.Errorf("round %d: Pending with a master hung = %d entries in %v, %v; want the %d of the other masters within %v", round, len(out), took, err, wantOut, within)
		}

		tctx, cancel := context.WithTimeout(ctx, 10*time.Second) // as the engine's fireTimers
		t0 = time.Now()
		timers, err := st.DueTimers(tctx, later, 100)
		took = time.Since(t0)
		cancel()
		t.Logf("round %d: DueTimers took %v: %d timers; err %v", round, took, len(timers), err)
		wantTimers := convs - len(onVictim)
		if round > 0 {
			wantTimers = 0
		}
		n := 0
		for _, tm := range timers {
			if onVictim[tm.Address] {
				t.Errorf("DueTimers returned %s of the master that hangs", tm.Address)
			}
			n++
		}
		if n != wantTimers || took > within {
			t.Errorf("round %d: DueTimers with a master hung = %d timers in %v, %v; want the %d of the other masters within %v", round, n, took, err, wantTimers, within)
		}

		ectx, cancel := context.WithTimeout(ctx, 10*time.Second)
		t0 = time.Now()
		events, err := st.ReadEvents(ectx, "archive", 1000, 0)
		took = time.Since(t0)
		cancel()
		t.Logf("round %d: ReadEvents took %v: %d events; err %v", round, took, len(events), err)
		n = 0
		for _, e := range events {
			if onVictim[e.Event.Address] {
				t.Errorf("ReadEvents returned %s of the master that hangs", e.Event.Address)
			}
			n++
		}
		if n != wantTimers || took > within {
			t.Errorf("round %d: ReadEvents with a master hung = %d events in %v, %v; want the %d of the other masters within %v", round, n, took, err, wantTimers, within)
		}
	}
	resume()
	if err := c.waitOK(20 * time.Second); err != nil {
		t.Fatal(err)
	}

	// Back: its entries but the acknowledged one, and all its timers,
	// once each.
	gotOut, gotTimers, gotEvents := map[bot.Address]int{}, map[bot.Address]int{}, map[bot.Address]int{}
	deadline := time.Now().Add(15 * time.Second)
	for len(gotOut) < len(onVictim)-1 || len(gotTimers) < len(onVictim) || len(gotEvents) < len(onVictim) {
		if time.Now().After(deadline) {
			t.Fatalf("after the master came back: %d entries, %d timers, %d events of its %d conversations",
				len(gotOut), len(gotTimers), len(gotEvents), len(onVictim))
		}
		if ev, err := st.ReadEvents(ctx, "archive", 1000, 0); err == nil {
			for _, e := range ev {
				gotEvents[e.Event.Address]++
			}
		}
		if o, err := st.Pending(ctx, later, time.Hour, 1000); err == nil {
			for _, e := range o {
				gotOut[e.Address]++
			}
		}
		if tm, err := st.DueTimers(ctx, later, 100); err == nil {
			for _, e := range tm {
				gotTimers[e.Address]++
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if gotOut[ackedAddr] > 0 {
		t.Errorf("the entry acknowledged while its master hung was leased again")
	}
	for a, n := range gotOut {
		if !onVictim[a] || n != 1 {
			t.Errorf("after the master came back, %s leased %d times (on it: %v)", a, n, onVictim[a])
		}
	}
	for a, n := range gotEvents {
		if !onVictim[a] || n != 1 {
			t.Errorf("after the master came back, event of %s read %d times (on it: %v)", a, n, onVictim[a])
		}
	}
	for a, n := range gotTimers {
		if !onVictim[a] || n != 1 {
			t.Errorf("after the master came back, timer of %s returned %d times (on it: %v)", a, n, onVictim[a])
		}
	}
}

// A take of timers whose answer is lost after it ran (its master hung
// right then, and ran it later): the timers it removed are handed out all
// the same, none lost, none twice.
func TestClusterTimersTakenWithoutAnAnswerAreNotLost(t *testing.T) {
	c := mustCluster(t)
	prefix := randomPrefix()
	st := mustOpen(t, c.url(), redis.Options{Prefix: prefix})
	ctx := context.Background()
	now := time.Now()
	const convs = 30
	for i := range convs {
		a := conv(i)
		err := st.Commit(ctx, &bot.Commit{Session: bot.NewSession(a, now), MessageID: "m1",
			SetTimers: []bot.Timer{{ID: "t1", Address: a, Kind: "reminder", Due: now}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	var lost atomic.Int64
	redis.AddHook(st, loseTakeAnswers{&lost})
	got := map[bot.Address]int{}
	for range 5 {
		timers, err := st.DueTimers(ctx, now.Add(time.Second), 100)
		t.Logf("DueTimers: %d timers, %v", len(timers), err)
		for _, tm := range timers {
			got[tm.Address]++
		}
	}
	if lost.Load() == 0 {
		t.Fatal("no take lost its answer: the test tests nothing")
	}
	for i := range convs {
		if n := got[conv(i)]; n != 1 {
			t.Errorf("timer of %s handed out %d times with every take's answer lost, want once", conv(i), n)
		}
	}
}

// loseTakeAnswers runs the takes of timers and then drops their answers,
// as a connection that broke after the master ran them.
type loseTakeAnswers struct{ n *atomic.Int64 }

func (loseTakeAnswers) DialHook(next goredis.DialHook) goredis.DialHook { return next }

func (loseTakeAnswers) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook { return next }

func (h loseTakeAnswers) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []goredis.Cmder) error {
		err := next(ctx, cmds)
		for _, c := range cmds {
			if args := c.Args(); len(args) > 1 && args[0] == "evalsha" && args[1] == redis.TakeTimersSHA && c.Err() == nil {
				c.SetErr(errors.New("read tcp: i/o timeout (the test dropped the answer)"))
				h.n.Add(1)
			}
		}
		return err
	}
}
