package redis

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sportello/sportello/bot"
)

func TestRedisTimeoutsCannotBeTurnedOff(t *testing.T) {
	tests := []struct {
		name, url string
		refused   string // the option named in the error; "" when accepted
	}{
		{"defaults", "redis://localhost/0", ""},
		{"set", "redis://localhost/0?dial_timeout=2s&read_timeout=1s&write_timeout=1500ms", ""},
		{"no read timeout", "redis://localhost/0?read_timeout=-1", "read_timeout"},
		{"read timeout zero", "redis://localhost/0?read_timeout=0", "read_timeout"},
		{"no write timeout", "redis://localhost/0?write_timeout=-1", "write_timeout"},
		{"no dial timeout", "redis://localhost/0?dial_timeout=0s", "dial_timeout"},
		{"cluster without read timeout", "redis-cluster://h1:7000,h2:7001?read_timeout=-1", "read_timeout"},
		{"sentinel without dial timeout", "redis-sentinel://s1:26379?master=m&dial_timeout=-1", "dial_timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := newClient(tt.url)
			if tt.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tt.refused) {
					c.Close()
					t.Fatalf("newClient(%s) = %v, want an error naming %s", tt.url, err, tt.refused)
				}
				return
			}
			if err != nil {
				t.Fatalf("newClient(%s): %v", tt.url, err)
			}
			defer c.Close()
			o := c.(*redis.Client).Options()
			if o.DialTimeout <= 0 || o.ReadTimeout <= 0 || o.WriteTimeout <= 0 {
				t.Fatalf("timeouts dial %s read %s write %s: want every one set", o.DialTimeout, o.ReadTimeout, o.WriteTimeout)
			}
		})
	}
}

// TestAHangingRedisFailsACallAtItsDeadline: a Redis that takes the
// connection and never answers fails the store's calls at the read
// timeout, whatever the caller's context.
func TestAHangingRedisFailsACallAtItsDeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, never answered
		}
	}()
	st, err := Open(context.Background(), "redis://"+ln.Addr().String()+"/0?read_timeout=200ms&write_timeout=200ms&max_retries=1", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	began := time.Now()
	_, err = st.Load(context.Background(), bot.Address{Channel: "test", ChatID: "1"}, "m1")
	if err == nil {
		t.Fatal("Load succeeded against a Redis that never answers")
	}
	if took := time.Since(began); took > 3*time.Second {
		t.Fatalf("Load failed after %s, want about the 200 ms read timeout", took)
	}
}

// A pipeline's command that failed with the error of its attempt (a
// broken connection) while others succeeded is run again on its own; one
// whose server could not be dialled is not, nor are they when every
// command failed.
func TestRetryAloneRunsAgainOnlyWhatFailedOfAHalfDonePipeline(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()
	ctx := context.Background()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("no Redis on 127.0.0.1:6379: %v", err)
	}
	s := &Store{rdb: rdb}
	cmd := func(err error) *redis.StringCmd {
		c := redis.NewStringCmd(ctx, "echo", "again")
		c.SetErr(err)
		return c
	}
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}

	ok, broken, away := cmd(nil), cmd(io.EOF), cmd(dial)
	s.retryAlone(ctx, []redis.Cmder{ok, broken, away})
	if v, err := broken.Result(); err != nil || v != "again" {
		t.Errorf("the command that failed with EOF = %q, %v; want it run again", v, err)
	}
	if away.Err() != dial {
		t.Errorf("the command whose server was away = %v; want it left failed", away.Err())
	}

	// A master that accepts and never answers (stopped, overloaded) failed
	// its commands after the whole read timeout: run alone they would wait
	// for it as long again, and the healthy shards' entries with them.
	hung := &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	slow := cmd(hung)
	s.retryAlone(ctx, []redis.Cmder{cmd(nil), slow})
	if slow.Err() != hung {
		t.Errorf("the command whose server did not answer in time = %v; want it left failed", slow.Err())
	}

	all := []redis.Cmder{cmd(io.EOF), cmd(io.EOF)}
	s.retryAlone(ctx, all)
	for _, c := range all {
		if c.Err() != io.EOF {
			t.Errorf("with every command failed = %v; want them left as they were", c.Err())
		}
	}
}
