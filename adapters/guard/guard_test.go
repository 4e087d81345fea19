package guard

import (
	"net/http/httptest"
	"testing"
	"time"
)

func TestClientAddr(t *testing.T) {
	proxies, err := ParseProxies([]string{"10.0.0.0/8", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, remote string
		xff          []string
		trust        bool
		want         string
	}{
		{"no proxies: the peer", "203.0.113.7:5555", []string{"1.2.3.4"}, false, "203.0.113.7"},
		{"untrusted peer's header is ignored", "203.0.113.7:5555", []string{"1.2.3.4"}, true, "203.0.113.7"},
		{"trusted proxy: the client it names", "10.0.0.2:80", []string{"198.51.100.9"}, true, "198.51.100.9"},
		{"a forged left part is not believed", "10.0.0.2:80", []string{"6.6.6.6, 198.51.100.9"}, true, "198.51.100.9"},
		{"a chain of trusted proxies", "10.0.0.2:80", []string{"198.51.100.9, 10.1.1.1"}, true, "198.51.100.9"},
		{"several header lines", "10.0.0.2:80", []string{"198.51.100.9", "10.1.1.1"}, true, "198.51.100.9"},
		{"garbage stops at the last proxy", "10.0.0.2:80", []string{"198.51.100.9, junk"}, true, "10.0.0.2"},
		{"only proxies: the farthest", "10.0.0.2:80", []string{"10.9.9.9"}, true, "10.9.9.9"},
		{"no header behind a proxy", "10.0.0.2:80", nil, true, "10.0.0.2"},
		{"ipv6 loopback proxy", "[::1]:9000", []string{"2001:db8::1"}, true, "2001:db8::1"},
		{"a hop with a port", "10.0.0.2:80", []string{"198.51.100.9:4711"}, true, "198.51.100.9"},
		{"an ipv4-mapped peer", "[::ffff:203.0.113.7]:1", nil, false, "203.0.113.7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			for _, h := range tc.xff {
				r.Header.Add("X-Forwarded-For", h)
			}
			p := Proxies{}
			if tc.trust {
				p = proxies
			}
			if got := p.ClientAddr(r); got != tc.want {
				t.Errorf("ClientAddr = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseProxiesRefusesGarbage(t *testing.T) {
	for _, bad := range []string{"10.0.0.0/33", "example.com", "1.2.3"} {
		if _, err := ParseProxies([]string{bad}); err == nil {
			t.Errorf("ParseProxies(%q) accepted it", bad)
		}
	}
	if p, err := ParseProxies([]string{"loopback", "private", " 192.0.2.1 "}); err != nil || len(p.prefixes) != 7 {
		t.Errorf("ParseProxies = %v, %v", p, err)
	}
}

func TestLimiter(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := NewLimiter(3, 3*time.Second, 0)
	for i := range 3 {
		if d := l.Allow("a", now); !d.OK {
			t.Fatalf("event %d refused", i)
		}
	}
	d := l.Allow("a", now)
	if d.OK || d.Refused != 1 || d.Wait != time.Second {
		t.Fatalf("4th event: %+v, want refused once with a 1 s wait", d)
	}
	if d := l.Allow("a", now); d.Refused != 2 {
		t.Fatalf("5th event: %+v, want refused twice", d)
	}
	if d := l.Allow("b", now); !d.OK {
		t.Fatal("another key was slowed down")
	}
	if d := l.Allow("a", now.Add(time.Second)); !d.OK {
		t.Fatalf("after the wait: %+v", d)
	}
}

func TestLimiterMemoryIsBounded(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := NewLimiter(1, time.Minute, 1000)
	for i := range 100_000 {
		l.Allow(string(rune(i)), now)
	}
	if n := l.Len(); n > 1000 {
		t.Fatalf("%d keys remembered, want at most 1000", n)
	}
}

func TestPenaltyGrowsAndNeverLocksForGood(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	p := &Penalty{Free: 3, Base: time.Second, Max: 30 * time.Second, Forget: time.Hour}
	var waits []time.Duration
	for range 10 {
		waits = append(waits, p.Fail("k", now))
	}
	want := []time.Duration{0, 0, 0, 1, 2, 4, 8, 16, 30, 30}
	for i := range want {
		if waits[i] != want[i]*time.Second {
			t.Fatalf("waits = %v, want %v seconds", waits, want)
		}
	}
	if w := p.Wait("k", now.Add(10*time.Second)); w != 20*time.Second {
		t.Fatalf("wait = %v", w)
	}
	if w := p.Wait("k", now.Add(31*time.Second)); w != 0 {
		t.Fatalf("still waiting after the longest wait: %v", w)
	}
	if w := p.Wait("other", now); w != 0 {
		t.Fatal("another key waits")
	}
	p.Reset("k")
	if p.Failures("k", now) != 0 {
		t.Fatal("reset kept the failures")
	}
	p.Fail("k", now)
	if p.Failures("k", now.Add(2*time.Hour)) != 0 {
		t.Fatal("an old failure was not forgotten")
	}
}
