package main

// The listener's bounds, tried as a careless or hostile client would:
// over raw TCP, with bodies trickled, connections left idle, headers and
// bodies too large, and an event stream that must outlive the timeouts.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/telegram/telegramfake"
)

const listenerSecret = "listener-test-secret"

// boundedServer starts a server with every route mounted (the web chat,
// the review pages, the Telegram webhook, the Slack HTTP endpoints) and
// the limits l, and returns its address (host:port).
func boundedServer(t *testing.T, l limits, heartbeat time.Duration) string {
	t.Helper()
	tg := telegramfake.New(t)
	env := envs(slackEnv(fakeSlack(t), "http"), func(k string) string {
		return map[string]string{
			"TELEGRAM_TOKEN": telegramfake.Token, "TELEGRAM_API_URL": tg.URL(), "TELEGRAM_MODE": "webhook",
			"TELEGRAM_WEBHOOK_URL": "https://shop.example/telegram/webhook", "TELEGRAM_SECRET": listenerSecret,
		}[k]
	})
	srv, err := newServer(context.Background(), e2eConfig(), env, shopBot(t, true), testLog(t),
		deps{poll: 100 * time.Millisecond, limits: l, heartbeat: heartbeat})
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(start(t, srv), "http://")
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// closedWithin reports whether the server ends the connection c (a
// response and EOF, or a reset) within d, while tick, if given, keeps
// writing to it.
func closedWithin(c net.Conn, d time.Duration, tick func() error) bool {
	done := make(chan struct{})
	go func() {
		io.Copy(io.Discard, c)
		close(done)
	}()
	deadline := time.After(d)
	for {
		select {
		case <-done:
			return true
		case <-deadline:
			return false
		case <-time.After(200 * time.Millisecond):
			if tick != nil && tick() != nil {
				select { // the write failed: the server closed; the reader sees it at once
				case <-done:
					return true
				case <-time.After(time.Second):
					return true
				}
			}
		}
	}
}

func TestSlowBodyIsCutOffAfterTheReadTimeout(t *testing.T) {
	addr := boundedServer(t, limits{Read: time.Second}, 0)
	for _, tc := range []struct{ path, header string }{
		{"/chat/messages", "Content-Type: application/json\r\n"},
		{"/review/signin", "Content-Type: application/x-www-form-urlencoded\r\n"},
		{"/telegram/webhook", "Content-Type: application/json\r\nX-Telegram-Bot-Api-Secret-Token: " + listenerSecret + "\r\n"},
		{"/slack/events", "Content-Type: application/json\r\n"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c := dial(t, addr)
			fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\n%sContent-Length: 1000\r\n\r\n{", tc.path, addr, tc.header)
			// One byte every 200 ms: the body would take 200 s.
			start := time.Now()
			if !closedWithin(c, 4*time.Second, func() error { _, err := c.Write([]byte(" ")); return err }) {
				t.Fatalf("a body trickled a byte at a time is still being read after %s (read timeout 1 s)", time.Since(start).Round(time.Millisecond))
			}
		})
	}
}

func TestIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout(t *testing.T) {
	addr := boundedServer(t, limits{Idle: 500 * time.Millisecond}, 0)
	c := dial(t, addr)
	br := bufio.NewReader(c)
	for range 2 { // kept alive between requests
		fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Close {
			t.Fatalf("GET /healthz: %s, close %v", resp.Status, resp.Close)
		}
	}
	start := time.Now()
	done := make(chan error, 1)
	go func() { _, err := br.ReadByte(); done <- err }()
	select {
	case err := <-done:
		if took := time.Since(start); took < 300*time.Millisecond {
			t.Errorf("closed after %s, before the idle timeout (%v)", took, err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("an idle keep-alive connection is still open after 3 s (idle timeout 500 ms)")
	}
}

func TestOversizedHeaderIsRefused(t *testing.T) {
	addr := boundedServer(t, limits{}, 0)
	for _, tc := range []struct {
		name string
		size int
		want int
	}{
		{"small", 1 << 10, http.StatusOK},
		{"a large cookie", 16 << 10, http.StatusOK},
		{"over the limit", 64 << 10, http.StatusRequestHeaderFieldsTooLarge},
		{"far over", 900 << 10, http.StatusRequestHeaderFieldsTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, addr)
			go fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: %s\r\nX-Big: %s\r\n\r\n", addr, strings.Repeat("a", tc.size))
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("a header of %d KiB: %s, want %d", tc.size>>10, resp.Status, tc.want)
			}
		})
	}
}

// routes are every path of the listener, with what a request to it
// carries and how its handler answers a body too large that it reads (0:
// the handler reads no body).
var routes = []struct {
	method, path, contentType string
	header                    map[string]string
	webhook                   bool
	refused                   int
}{
	{"GET", "/", "", nil, false, 0},
	{"GET", "/widget.js", "", nil, false, 0},
	{"POST", "/chat/visitors", "application/json", nil, false, 0},
	{"POST", "/chat/messages", "application/json", nil, false, http.StatusRequestEntityTooLarge},
	{"GET", "/chat/history?visitor=0123456789abcdef0123456789abcdef", "", nil, false, 0},
	{"GET", "/chat/events?visitor=0123456789abcdef0123456789abcdef", "", nil, false, 0},
	{"POST", "/review/signin", "application/x-www-form-urlencoded", nil, false, http.StatusRequestEntityTooLarge},
	{"POST", "/review/signout", "application/x-www-form-urlencoded", nil, false, http.StatusRequestEntityTooLarge},
	{"GET", "/review/", "", nil, false, 0},
	// Telegram's update too large is acknowledged, so that Telegram does
	// not send it again, and dropped.
	{"POST", "/telegram/webhook", "application/json", map[string]string{"X-Telegram-Bot-Api-Secret-Token": listenerSecret}, true, http.StatusOK},
	{"POST", "/slack/events", "application/json", nil, true, http.StatusRequestEntityTooLarge},
	{"POST", "/slack/interactivity", "application/x-www-form-urlencoded", nil, true, http.StatusRequestEntityTooLarge},
	{"POST", "/slack/commands", "application/x-www-form-urlencoded", nil, true, http.StatusRequestEntityTooLarge},
	{"GET", "/metrics", "", nil, false, 0},
	{"GET", "/healthz", "", nil, false, 0},
	{"GET", "/readyz", "", nil, false, 0},
	{"POST", "/no/such/path", "application/json", nil, false, 0},
}

// countingBody is a body of n bytes that counts what was read of it.
type countingBody struct {
	left int64
	read atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), b.left))
	for i := range p[:n] {
		p[i] = ' '
	}
	b.left -= int64(n)
	b.read.Add(int64(n))
	return n, nil
}

func TestOversizedBodyIsRefusedOnEveryRoute(t *testing.T) {
	l := limits{}.orDefaults()
	addr := boundedServer(t, l, 0)
	send := func(t *testing.T, method, path, contentType string, header map[string]string, body io.Reader, length int64) (*http.Response, error) {
		req, _ := http.NewRequest(method, "http://"+addr+path, body)
		req.ContentLength = length
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		t.Cleanup(cancel)
		resp, err := http.DefaultTransport.RoundTrip(req.WithContext(ctx))
		if err == nil {
			resp.Body.Close()
		}
		return resp, err
	}
	// Declared too large: refused before a byte of it is read.
	for _, r := range routes {
		t.Run("declared "+r.method+" "+r.path, func(t *testing.T) {
			size := l.MaxBody + 1
			if r.webhook {
				size = l.MaxWebhookBody + 1
			}
			resp, err := send(t, r.method, r.path, r.contentType, r.header, &countingBody{left: size}, size)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("a body of %d bytes: %s, want 413", size, resp.Status)
			}
		})
	}
	// Sent without a length: read up to the limit at most. The handlers
	// that read a body refuse it; the others never read it, and the
	// connection is closed after them.
	for _, r := range routes {
		t.Run("chunked "+r.method+" "+r.path, func(t *testing.T) {
			const size = 64 << 20
			body := &countingBody{left: size}
			resp, err := send(t, r.method, r.path, r.contentType, r.header, body, -1)
			switch {
			case err != nil && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)):
				// The server answered and closed while the client was
				// still sending: the kernel's reset can reach the client
				// before the answer does (a busy machine). The body was
				// refused all the same; how much was read is checked below.
			case err != nil && r.refused != 0:
				t.Fatalf("no answer: %v", err)
			case r.refused != 0 && resp.StatusCode != r.refused:
				t.Errorf("%d MB: %s, want %d", size>>20, resp.Status, r.refused)
			}
			if n := body.read.Load(); n > 8<<20 {
				t.Errorf("the server read %d MB of a %d MB body", n>>20, size>>20)
			}
		})
	}
}

func TestEventStreamOutlivesTheReadAndWriteTimeouts(t *testing.T) {
	addr := boundedServer(t, limits{Read: 300 * time.Millisecond, Write: 300 * time.Millisecond}, 100*time.Millisecond)
	base := "http://" + addr
	var v struct{ Visitor string }
	postJSON(t, base+"/chat/visitors", nil, &v)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/chat/events?visitor="+v.Visitor, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// Three times the timeouts, with heartbeats, and then a reply.
	pings := 0
	until := time.After(time.Second)
	for waiting := true; waiting; {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the stream ended after %d heartbeats", pings)
			}
			if l == ": ping" {
				pings++
			}
		case <-until:
			waiting = false
		}
	}
	if pings < 5 {
		t.Errorf("%d heartbeats in a second, want about 10", pings)
	}
	postJSON(t, base+"/chat/messages", map[string]string{"visitor": v.Visitor, "id": "1", "text": "ciao", "lang": "it"}, nil)
	for l := range lines {
		if l == "event: reply" {
			return
		}
	}
	t.Error("the stream ended before the reply, after the read and write timeouts")
}

// TestARequestFramedTwiceDoesNotSmuggleASecond: a request with both
// Content-Length and Transfer-Encoding is read by its chunks (net/http
// drops the length), and net/http kept the connection, so what a front
// proxy that goes by the length took for the body was served as a
// request of its own, with the headers the attacker wrote (an
// X-Forwarded-For the proxy's address makes believed). RFC 9112 says to
// close the connection after such a request; the red-team attack got two
// answers on one connection (docs/security.md). A request with a chunked
// body now closes its connection after the answer.
func TestARequestFramedTwiceDoesNotSmuggleASecond(t *testing.T) {
	addr := boundedServer(t, limits{}, 0)
	for _, tc := range []struct{ name, head string }{
		{"a length and chunks", "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n"},
		{"chunks alone", "Transfer-Encoding: chunked\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, addr)
			fmt.Fprintf(c, "POST /healthz HTTP/1.1\r\nHost: %s\r\n%s\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", addr, tc.head, addr)
			c.SetReadDeadline(time.Now().Add(3 * time.Second))
			b, _ := io.ReadAll(c)
			if n := strings.Count(string(b), "HTTP/1.1 "); n != 1 {
				t.Errorf("%d answers on one connection, want 1 (the second request smuggled in the body):\n%s", n, b)
			}
		})
	}
	// An ordinary request with a length keeps its connection.
	c := dial(t, addr)
	fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\nGET /healthz HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", addr, addr)
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
	if b, _ := io.ReadAll(c); strings.Count(string(b), "HTTP/1.1 200") != 2 {
		t.Errorf("two pipelined GETs got:\n%s", b)
	}
}

// TestTheServersErrorLogShowsNoClientAddress: net/http logs a handler's
// panic with the client's address; the line shows its network instead.
func TestTheServersErrorLogShowsNoClientAddress(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("a handler's bug") }))
	srv.Config.ErrorLog = serverErrorLog(log)
	srv.Start()
	defer srv.Close()
	if res, err := http.Get(srv.URL); err == nil {
		res.Body.Close()
	}
	mu.Lock()
	got := buf.String()
	mu.Unlock()
	if !strings.Contains(got, "panic serving 127.0.0.0/24: a handler's bug") || strings.Contains(got, "127.0.0.1") {
		t.Errorf("the error log reads:\n%s", got)
	}
	// Near misses: lines that name no client stay as they are.
	for _, line := range []string{"http: Accept error: too many open files; retrying in 5ms", "http: superfluous response.WriteHeader call from main.h (x.go:12)"} {
		var b bytes.Buffer
		clientNets{&b}.Write([]byte(line))
		if b.String() != line {
			t.Errorf("%q became %q", line, b.String())
		}
	}
	var b bytes.Buffer
	clientNets{&b}.Write([]byte("http: TLS handshake error from [2001:db8:aa:bb::1]:443: EOF"))
	if b.String() != "http: TLS handshake error from 2001:db8:aa::/48: EOF" {
		t.Errorf("an IPv6 client reads %q", b.String())
	}
}
