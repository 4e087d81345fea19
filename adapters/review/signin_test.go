package review

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/guard"
	"github.com/sportello/sportello/adapters/memory"
)

// signinServer serves the review pages with a clock the test moves,
// behind the proxies given (none: X-Forwarded-For is not believed).
func signinServer(t *testing.T, clock *testClock, proxies ...string) *httptest.Server {
	t.Helper()
	p, err := guard.ParseProxies(proxies)
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(Config{Archive: memory.NewArchive(), Managers: []Manager{{Name: "anna", PasswordHash: testHash}},
		Sessions: memory.NewStore(), SessionKey: []byte(strings.Repeat("k", 32)), Now: clock.Now, Proxies: p})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// attempt signs in as name with pw, its requests saying X-Forwarded-For:
// from (none when ""), and returns the status and the Retry-After in
// seconds (0 when none).
func attempt(t *testing.T, srv *httptest.Server, from, name, pw string) (int, int) {
	t.Helper()
	c := newClient(t, srv)
	req, _ := http.NewRequest("GET", srv.URL+"/review/signin", nil)
	if from != "" {
		req.Header.Set("X-Forwarded-For", from)
	}
	_, body := c.do(req)
	form := url.Values{"csrf": {c.csrf(body)}, "name": {name}, "password": {pw}, "next": {"/review/"}}
	req, _ = http.NewRequest("POST", srv.URL+"/review/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if from != "" {
		req.Header.Set("X-Forwarded-For", from)
	}
	resp, _ := c.do(req)
	wait := 0
	if v := resp.Header.Get("Retry-After"); v != "" {
		var err error
		if wait, err = strconv.Atoi(v); err != nil {
			t.Fatalf("Retry-After %q", v)
		}
	}
	return resp.StatusCode, wait
}

func TestGuessingSlowsTheGuessingAddressWithGrowingDelays(t *testing.T) {
	clock := newTestClock()
	srv := signinServer(t, clock)
	for i := range 3 {
		if status, wait := attempt(t, srv, "", "anna", "guess"); status != http.StatusUnauthorized || wait != 0 {
			t.Fatalf("wrong password %d: %d, wait %d s; want 401 and no wait", i+1, status, wait)
		}
	}
	// From the fourth failure on, each earns twice the wait of the last,
	// and an attempt during the wait is refused without being checked.
	last := 0
	for i := 4; i <= 9; i++ {
		status, wait := attempt(t, srv, "", "anna", "guess")
		if status != http.StatusUnauthorized || wait <= last {
			t.Fatalf("wrong password %d: %d, wait %d s; want 401 and more than %d s", i, status, wait, last)
		}
		if last > 0 && wait != 2*last {
			t.Errorf("wrong password %d: wait %d s, want %d (twice the last)", i, wait, 2*last)
		}
		if status, retry := attempt(t, srv, "", "anna", password); status != http.StatusTooManyRequests || retry < 1 || retry > wait {
			t.Fatalf("the right password during the wait: %d, Retry-After %d; want 429 within %d s", status, retry, wait)
		}
		last = wait
		clock.Advance(time.Duration(wait) * time.Second)
	}
	if last < 60 {
		t.Errorf("after 9 failures the wait is %d s", last)
	}
	// The delay is bounded: a guesser is slowed, never locked out for good.
	for range 10 {
		_, wait := attempt(t, srv, "", "anna", "guess")
		if wait > 300 {
			t.Fatalf("wait %d s, over the 5 minutes' bound", wait)
		}
		clock.Advance(time.Duration(wait) * time.Second)
	}
	if status, _ := attempt(t, srv, "", "anna", password); status != http.StatusSeeOther {
		t.Errorf("after the wait, the right password: %d, want 303", status)
	}
}

func TestGuessingDoesNotLockTheManagerOutFromAnotherAddress(t *testing.T) {
	clock := newTestClock()
	srv := signinServer(t, clock, "loopback")
	// A guesser at one address, as fast as the delays let them.
	for range 15 {
		_, wait := attempt(t, srv, "203.0.113.9", "anna", "guess")
		clock.Advance(time.Duration(wait) * time.Second)
	}
	if status, wait := attempt(t, srv, "203.0.113.9", "anna", "guess"); status != http.StatusTooManyRequests && wait == 0 {
		t.Fatalf("the guesser is not slowed: %d", status)
	}
	if status, wait := attempt(t, srv, "198.51.100.7", "anna", password); status != http.StatusSeeOther {
		t.Fatalf("the manager from her own address: %d (Retry-After %d s), want 303 at once", status, wait)
	}
	// Other names from the guessing address are slowed too: the address
	// has its own count.
	if status, wait := attempt(t, srv, "203.0.113.9", "bruno", "guess"); status != http.StatusTooManyRequests && wait == 0 {
		t.Errorf("another name from the guessing address: %d, no wait", status)
	}
}

func TestGuessersOnManyAddressesSlowTheManagerButNeverLockHerOut(t *testing.T) {
	clock := newTestClock()
	srv := signinServer(t, clock, "loopback")
	// A crowd of addresses, one guess each, as fast as they may.
	wait := 0
	for i := range 60 {
		clock.Advance(time.Duration(wait) * time.Second)
		_, wait = attempt(t, srv, fmt.Sprintf("203.0.113.%d", i), "anna", "guess")
		if wait > 30 {
			t.Fatalf("guess %d from another address: the name waits %d s, more than 30", i+1, wait)
		}
	}
	// Right after the crowd's last guess the manager waits, briefly.
	status, wait := attempt(t, srv, "198.51.100.7", "anna", password)
	if status != http.StatusTooManyRequests || wait < 1 || wait > 30 {
		t.Fatalf("the manager during the crowd's wait: %d, Retry-After %d s; want 429 within 30 s", status, wait)
	}
	clock.Advance(time.Duration(wait) * time.Second)
	if status, _ = attempt(t, srv, "198.51.100.7", "anna", password); status != http.StatusSeeOther {
		t.Errorf("the manager, after at most 30 s: %d, want 303", status)
	}
}

func TestXForwardedForIsBelievedOnlyFromATrustedProxy(t *testing.T) {
	for _, tc := range []struct {
		name    string
		proxies []string
		want    int // the manager's sign-in from another forwarded address
	}{
		{"no proxy trusted", nil, http.StatusTooManyRequests},
		{"another proxy trusted", []string{"10.0.0.0/8"}, http.StatusTooManyRequests},
		{"the peer trusted", []string{"127.0.0.1"}, http.StatusSeeOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newTestClock()
			srv := signinServer(t, clock, tc.proxies...)
			for range 5 {
				attempt(t, srv, "203.0.113.9", "anna", "guess")
			}
			// Untrusted, the header is the guesser's own word: they share
			// the peer's count with whatever address they claim.
			if status, _ := attempt(t, srv, "198.51.100.7", "anna", password); status != tc.want {
				t.Errorf("the manager forwarded as another address: %d, want %d", status, tc.want)
			}
		})
	}
}

// TestGuessesFromOneIPv6NetworkAreSlowedAsOneClient: an IPv6 client holds
// a whole /64, so counts keyed by its address alone let it guess from a
// fresh address each time and never meet the delays of one address. The
// red-team attack on the binary made 12 wrong guesses from 12 addresses
// of one /64 without a single delay (docs/security.md).
func TestGuessesFromOneIPv6NetworkAreSlowedAsOneClient(t *testing.T) {
	clock := newTestClock()
	srv := signinServer(t, clock, "loopback")
	for i := range 3 {
		if status, _ := attempt(t, srv, fmt.Sprintf("2001:db8:1:2::%x", i+1), "anna", "guess"); status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d, want 401", i+1, status)
		}
	}
	// The fourth guess, from yet another address of the network, is the
	// network's fourth failure: it earns a wait.
	if status, wait := attempt(t, srv, "2001:db8:1:2:ffff::9", "anna", "guess"); status != http.StatusUnauthorized || wait == 0 {
		t.Errorf("a fourth wrong password from the same /64: %d, wait %d s; want 401 and a wait", status, wait)
	}
	if status, wait := attempt(t, srv, "2001:db8:1:2::77", "anna", password); status != http.StatusTooManyRequests {
		t.Errorf("the right password from the guessing /64 during its wait: %d (wait %d s), want 429", status, wait)
	}
	// The manager on another network is not slowed.
	if status, wait := attempt(t, srv, "2001:db8:9:9::1", "anna", password); status != http.StatusSeeOther {
		t.Errorf("the manager from another /64: %d (Retry-After %d s), want 303", status, wait)
	}
}
