package webchat

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/guard"
	"github.com/sportello/sportello/bot"
)

// do sends a request with headers (name, value, ...) and returns the
// status, the JSON body (nil if it is not JSON) and the headers.
func (f *fixture) do(t testing.TB, method, path, body string, header ...string) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m, res.Header
}

func message(visitor, id, text string) string {
	b, _ := json.Marshal(postRequest{Visitor: visitor, ID: id, Text: text})
	return string(b)
}

// madeUp are visitor IDs the server did not issue, each as an attacker
// or an old page would send it.
func madeUp(t testing.TB, issued string) map[string]string {
	t.Helper()
	forged, _ := newSigner(nil).issue() // the right form, another key
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(issued, tokenPrefix))
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) string {
		b := append([]byte(nil), raw...)
		b[i] ^= 1
		return tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	}
	return map[string]string{
		"old form (32 hex digits)":      "0123456789abcdef0123456789abcdef",
		"signed with another key":       forged,
		"random part changed":           flip(0),
		"signature changed":             flip(randomLen + macLen - 1),
		"signature cut":                 issued[:tokenLen-2] + "AA",
		"another version":               "v2." + issued[len(tokenPrefix):],
		"the chat ID of a conversation": issuedChatID(t, issued),
	}
}

// issuedChatID is the chat ID of an issued token: what logs and Slack
// show, which must not work as a token.
func issuedChatID(t testing.TB, token string) string {
	t.Helper()
	raw, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(token, tokenPrefix))
	return chatIDOf(raw[:randomLen])
}

// TestMadeUpVisitorIsRefusedOnEveryEndpoint: only visitors the server
// issued may post, read the history or open a stream; the page is told
// with the code it acts on (bad_visitor), and nothing reaches the engine.
func TestMadeUpVisitorIsRefusedOnEveryEndpoint(t *testing.T) {
	f := newFixture(t, Config{})
	issued := f.mustVisitor(t)
	for name, v := range madeUp(t, issued) {
		t.Run(name, func(t *testing.T) {
			status, m, _ := f.post(t, message(v, "m1", "hello"))
			if status != http.StatusBadRequest || m["code"] != "bad_visitor" {
				t.Errorf("POST /chat/messages: %d %v, want 400 bad_visitor", status, m)
			}
			for _, path := range []string{"/chat/history", "/chat/events"} {
				status, m, _ := f.do(t, "GET", path+"?visitor="+v, "")
				if status != http.StatusBadRequest || m["code"] != "bad_visitor" {
					t.Errorf("GET %s: %d %v, want 400 bad_visitor", path, status, m)
				}
			}
		})
	}
	if n := len(f.engine.calls()); n != 0 {
		t.Errorf("the engine handled %d messages of visitors never issued", n)
	}
	if n := f.chat.streams.size(); n != 0 {
		t.Errorf("%d streams open for visitors never issued", n)
	}
	// The issued one works.
	if status := f.send(t, issued, "m1", "hello"); status != http.StatusOK {
		t.Errorf("the issued visitor: %d", status)
	}
}

// TestFloodOfMadeUpVisitorsCreatesNoSession: made-up IDs used to be
// taken as new conversations, one session each (1.4 GB in 20 s).
func TestFloodOfMadeUpVisitorsCreatesNoSession(t *testing.T) {
	f := newFixture(t, Config{})
	other := newSigner(nil)
	for i := range 600 {
		v := fmt.Sprintf("%032x", i) // the old form, accepted before
		if i%2 == 1 {
			v, _ = other.issue()
		}
		if status, m, _ := f.post(t, message(v, "f1", "spam")); status != http.StatusBadRequest {
			t.Fatalf("made-up visitor %d: %d %v, want 400", i, status, m)
		}
	}
	if n := len(f.engine.calls()); n != 0 {
		t.Fatalf("a flood of made-up visitors reached the engine %d times: a session each", n)
	}
}

// TestFloodOfIssuedVisitorsIsBoundedPerAddress: a script that takes new
// visitors as fast as it can, from one address behind the shop's proxy,
// starts at most VisitorLimit conversations in the window, and a visitor
// at another address is served meanwhile.
func TestFloodOfIssuedVisitorsIsBoundedPerAddress(t *testing.T) {
	proxies, err := guard.ParseProxies([]string{"loopback"})
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{now: time.Date(2025, 3, 15, 10, 0, 0, 0, time.UTC)}
	f := newFixture(t, Config{Proxies: proxies, Clock: clock, VisitorLimit: 30, VisitorWindow: time.Minute})
	const flooder, customer = "203.0.113.7", "198.51.100.9"

	issued := 0
	for i := range 300 {
		status, m, h := f.do(t, "POST", "/chat/visitors", "{}", "Content-Type", "application/json", "X-Forwarded-For", flooder)
		switch status {
		case http.StatusCreated:
			issued++
			v, _ := m["visitor"].(string)
			if s, _, _ := f.do(t, "POST", "/chat/messages", message(v, fmt.Sprint("m", i), "spam"),
				"Content-Type", "application/json", "X-Forwarded-For", flooder); s != http.StatusOK {
				t.Fatalf("the flooder's message: %d", s)
			}
		case http.StatusTooManyRequests:
			if m["code"] != "flood" || h.Get("Retry-After") == "" {
				t.Fatalf("refusal %v, Retry-After %q", m, h.Get("Retry-After"))
			}
		default:
			t.Fatalf("new visitor %d: %d %v", i, status, m)
		}
	}
	conversations := map[bot.Address]bool{}
	for _, m := range f.engine.calls() {
		conversations[m.Address] = true
	}
	if issued != 30 || len(conversations) > 30 {
		t.Errorf("one address got %d visitors and started %d conversations, want at most 30", issued, len(conversations))
	}

	status, m, _ := f.do(t, "POST", "/chat/visitors", "{}", "Content-Type", "application/json", "X-Forwarded-For", customer)
	if status != http.StatusCreated {
		t.Fatalf("a customer at another address: %d %v", status, m)
	}
	v := m["visitor"].(string)
	if s, _, _ := f.do(t, "POST", "/chat/messages", message(v, "c1", "ciao"), "Content-Type", "application/json",
		"X-Forwarded-For", customer); s != http.StatusOK {
		t.Errorf("the customer's message: %d", s)
	}
}

// TestHoardedVisitorsAreBoundedByTheAddressLimit: visitor tokens do not
// expire, so a script could collect them for days; all of them together
// still write no faster than AddressFloodLimit from one address.
func TestHoardedVisitorsAreBoundedByTheAddressLimit(t *testing.T) {
	clock := &fakeClock{now: time.Date(2025, 3, 15, 10, 0, 0, 0, time.UTC)}
	f := newFixture(t, Config{Clock: clock, VisitorLimit: 10, VisitorWindow: time.Minute, AddressFloodLimit: 15})
	var hoard []string
	for range 4 { // four windows' worth of visitors
		for range 10 {
			hoard = append(hoard, f.mustVisitor(t))
		}
		clock.Add(time.Minute)
	}
	ok := 0
	for i, v := range hoard {
		status, m, _ := f.post(t, message(v, fmt.Sprint("h", i), "spam"))
		switch {
		case status == http.StatusOK:
			ok++
		case status != http.StatusTooManyRequests || m["code"] != "flood":
			t.Fatalf("hoarded visitor %d: %d %v", i, status, m)
		}
	}
	if ok != 15 {
		t.Errorf("%d of 40 hoarded visitors wrote at once, want the address limit, 15", ok)
	}
}

func TestNewVisitorsAreBoundedServerWide(t *testing.T) {
	proxies, _ := guard.ParseProxies([]string{"loopback"})
	clock := &fakeClock{now: time.Date(2025, 3, 15, 10, 0, 0, 0, time.UTC)}
	f := newFixture(t, Config{Proxies: proxies, Clock: clock, NewVisitorsPerMinute: 5})
	for i := range 6 {
		status, m, h := f.do(t, "POST", "/chat/visitors", "{}", "Content-Type", "application/json",
			"X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i+1)) // six addresses, one visitor each
		want := http.StatusCreated
		if i == 5 {
			want = http.StatusTooManyRequests
		}
		if status != want {
			t.Fatalf("visitor %d: %d %v, want %d", i+1, status, m, want)
		}
		if want == http.StatusTooManyRequests && (m["code"] != "busy" || h.Get("Retry-After") == "") {
			t.Errorf("refusal %v, Retry-After %q; want code busy with a Retry-After", m, h.Get("Retry-After"))
		}
	}
	clock.Add(time.Minute)
	if status, _, _ := f.do(t, "POST", "/chat/visitors", "{}", "Content-Type", "application/json"); status != http.StatusCreated {
		t.Errorf("a minute later: %d", status)
	}
}

func TestStreamsAreBoundedPerAddressAndServerWide(t *testing.T) {
	proxies, _ := guard.ParseProxies([]string{"loopback"})
	f := newFixture(t, Config{Proxies: proxies, MaxStreams: 5, MaxAddressStreams: 3, MaxOpenStreams: 5})
	open := func(v, ip string) int {
		t.Helper()
		return f.openStreamFrom(t, v, ip).status
	}
	for i := range 3 {
		if s := open(f.mustVisitor(t), "203.0.113.7"); s != http.StatusOK {
			t.Fatalf("stream %d: %d", i, s)
		}
	}
	if s := open(f.mustVisitor(t), "203.0.113.7"); s != http.StatusTooManyRequests {
		t.Fatalf("a fourth stream from one address: %d, want 429", s)
	}
	for i := range 2 {
		if s := open(f.mustVisitor(t), fmt.Sprintf("198.51.100.%d", i+1)); s != http.StatusOK {
			t.Fatalf("another address's stream: %d", s)
		}
	}
	if s := open(f.mustVisitor(t), "192.0.2.1"); s != http.StatusServiceUnavailable {
		t.Fatalf("a stream over the server's maximum: %d, want 503", s)
	}
	if n := f.chat.streams.size(); n != 5 {
		t.Errorf("%d streams open, want 5", n)
	}
}

// openStreamFrom opens a stream as a client at ip behind a trusted proxy.
func (f *fixture) openStreamFrom(t testing.TB, visitor, ip string) *sse {
	t.Helper()
	return f.openStreamWith(t, visitor, "X-Forwarded-For", ip)
}

func TestTokens(t *testing.T) {
	s := newSigner([]byte(strings.Repeat("k", 32)))
	seen := map[string]bool{}
	for range 100 {
		tok, chat := s.issue()
		if len(tok) != tokenLen || !validVisitor(tok) {
			t.Fatalf("token %q has not the token form", tok)
		}
		got, ok := s.verify(tok)
		if !ok || got != chat {
			t.Fatalf("verify(%q) = %q %v, want %q", tok, got, ok, chat)
		}
		if strings.Contains(chat, tok[len(tokenPrefix):len(tokenPrefix)+8]) || seen[chat] {
			t.Fatalf("chat ID %q shows the token or repeats", chat)
		}
		seen[chat] = true
	}
	// Another replica with the same key accepts them; another key does not.
	tok, chat := s.issue()
	if got, ok := newSigner([]byte(strings.Repeat("k", 32))).verify(tok); !ok || got != chat {
		t.Error("a replica with the same key refused the token")
	}
	if _, ok := newSigner([]byte(strings.Repeat("x", 32))).verify(tok); ok {
		t.Error("a server with another key accepted the token")
	}
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func TestMalformedTokens(t *testing.T) {
	s := newSigner(nil)
	good, _ := s.issue()
	body := good[len(tokenPrefix):]
	for _, tc := range []struct{ name, token string }{
		{"empty", ""},
		{"prefix only", tokenPrefix},
		{"no prefix", body},
		{"prefix in capitals", "V1." + body},
		{"one character short", good[:len(good)-1]},
		{"one character more", good + "A"},
		{"padded", good + "="},
		{"standard base64 alphabet", tokenPrefix + strings.NewReplacer("-", "+", "_", "/").Replace(body[:42]) + "+"},
		// The same bytes spelt another way: the last character's two
		// lowest bits are not part of the 32 bytes.
		{"non-canonical last character", good[:len(good)-1] + string(alphabet[strings.IndexByte(alphabet, body[42])^1])},
		{"a space inside", good[:20] + " " + good[21:]},
		{"a newline at the end", good[:len(good)-1] + "\n"},
		{"non-ASCII", good[:len(good)-2] + "é"},
		{"NUL", good[:len(good)-1] + "\x00"},
		{"old form", "0123456789abcdef0123456789abcdef"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.token == good {
				t.Skip("the mutation left the token as it was")
			}
			if _, ok := s.verify(tc.token); ok {
				t.Errorf("verify accepted %q", tc.token)
			}
		})
	}
}

// FuzzVerify: no string the server did not issue is accepted, whatever
// its form; verify never panics.
func FuzzVerify(f *testing.F) {
	s := newSigner([]byte(strings.Repeat("k", 32)))
	// The one issued token, the same in every fuzzing process.
	random := []byte("sixteen bytes!!!")
	good := tokenPrefix + base64.RawURLEncoding.EncodeToString(append(random, s.mac(random)...))
	f.Add(good)
	f.Add(good[:len(good)-1] + "B")
	f.Add("0123456789abcdef0123456789abcdef")
	f.Add(tokenPrefix + strings.Repeat("A", 43))
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		chat, ok := s.verify(tok)
		if !ok {
			if tok == good {
				t.Fatal("verify refused the issued token")
			}
			return
		}
		if tok != good {
			t.Fatalf("verify accepted %q, which was never issued", tok)
		}
		if len(chat) != 32 || strings.Contains(tok, chat) {
			t.Fatalf("chat ID %q of %q", chat, tok)
		}
	})
}

// BenchmarkRefusal is the cost of refusing a flood's request, without the
// network: a made-up visitor's message, and a new visitor over the
// address's limit.
func BenchmarkRefusal(b *testing.B) {
	f := newFixture(b, Config{VisitorLimit: 1})
	forged, _ := newSigner(nil).issue()
	for _, bc := range []struct {
		name, path, body string
		want             int
	}{
		{"made-up visitor", "/chat/messages", message(forged, "m1", "spam"), http.StatusBadRequest},
		{"new visitor over the limit", "/chat/visitors", "{}", http.StatusTooManyRequests},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				r := httptest.NewRequest("POST", bc.path, strings.NewReader(bc.body))
				r.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				f.chat.ServeHTTP(w, r)
				if w.Code != bc.want && w.Code != http.StatusCreated {
					b.Fatalf("%d, want %d", w.Code, bc.want)
				}
			}
		})
	}
}

// TestVisitorsFromOneIPv6NetworkShareTheLimit: an IPv6 client holds a
// whole /64 (a home line, any cloud VM), so limits keyed by its address
// alone let it take a fresh address for every new visitor, message and
// stream. The red-team attack on the binary started 158 visitors from 200
// addresses of one /64 with a limit of 120 (docs/security.md).
func TestVisitorsFromOneIPv6NetworkShareTheLimit(t *testing.T) {
	proxies, _ := guard.ParseProxies([]string{"loopback"})
	clock := &fakeClock{now: time.Date(2025, 3, 15, 10, 0, 0, 0, time.UTC)}
	f := newFixture(t, Config{Proxies: proxies, Clock: clock, VisitorLimit: 5, VisitorWindow: time.Minute,
		AddressFloodLimit: 4, MaxAddressStreams: 3})
	var visitors []string
	for i := range 8 {
		status, m, _ := f.do(t, "POST", "/chat/visitors", "{}", "Content-Type", "application/json",
			"X-Forwarded-For", fmt.Sprintf("2001:db8:1:2::%x", i+1))
		if status == http.StatusCreated {
			visitors = append(visitors, m["visitor"].(string))
		}
	}
	if len(visitors) != 5 {
		t.Errorf("8 addresses of one /64 got %d new visitors, want the limit of one client, 5", len(visitors))
	}
	ok := 0
	for i, v := range visitors {
		if s, _, _ := f.do(t, "POST", "/chat/messages", message(v, fmt.Sprint("n", i), "ciao"), "Content-Type", "application/json",
			"X-Forwarded-For", fmt.Sprintf("2001:db8:1:2:%x::1", i+1)); s == http.StatusOK {
			ok++
		}
	}
	if ok != min(4, len(visitors)) {
		t.Errorf("%d messages from addresses of one /64 were taken, want the limit of one client, 4", ok)
	}
	streams := 0
	for i, v := range visitors {
		if s := f.openStreamFrom(t, v, fmt.Sprintf("2001:db8:1:2:%x::2", i+1)).status; s == http.StatusOK {
			streams++
		}
	}
	if streams != min(3, len(visitors)) {
		t.Errorf("%d streams open from addresses of one /64, want the limit of one client, 3", streams)
	}
	// Another network is another client.
	if s, m, _ := f.do(t, "POST", "/chat/visitors", "{}", "Content-Type", "application/json",
		"X-Forwarded-For", "2001:db8:1:3::1"); s != http.StatusCreated {
		t.Errorf("a client of another /64: %d %v", s, m)
	}
}
