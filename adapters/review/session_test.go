package review

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
)

// testClock is a clock the test moves; the handler and the memory store
// read it.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock { return &testClock{t: now} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// replica is the review pages of one process: its own handler and
// server, on the store every replica shares.
func replica(t *testing.T, store bot.Directory, clock *testClock, managers ...Manager) *httptest.Server {
	t.Helper()
	if len(managers) == 0 {
		managers = []Manager{{Name: "anna", PasswordHash: testHash}}
	}
	h, err := New(Config{Archive: memory.NewArchive(), Managers: managers, Sessions: store,
		SessionKey: []byte(strings.Repeat("k", 32)), Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// sessionCookie returns the review cookie c holds for srv.
func sessionCookie(t *testing.T, c *client) *http.Cookie {
	t.Helper()
	u, _ := url.Parse(c.srv.URL + "/review/")
	for _, ck := range c.c.Jar.Cookies(u) {
		if ck.Name == cookieName {
			return ck
		}
	}
	t.Fatal("no session cookie")
	return nil
}

// withCookie is a browser on srv that holds only the cookie ck: someone
// who copied it.
func withCookie(t *testing.T, srv *httptest.Server, ck *http.Cookie) *client {
	c := newClient(t, srv)
	u, _ := url.Parse(srv.URL + "/review/")
	c.c.Jar.SetCookies(u, []*http.Cookie{{Name: ck.Name, Value: ck.Value, Path: "/review/"}})
	return c
}

// signedIn reports whether c's session opens the conversations.
func signedIn(t *testing.T, c *client) bool {
	t.Helper()
	resp, _ := c.get("/review/")
	switch resp.StatusCode {
	case http.StatusOK:
		return true
	case http.StatusSeeOther:
		return false
	}
	t.Fatalf("GET /review/: %s", resp.Status)
	return false
}

func TestSignOutEndsTheSessionOnEveryReplica(t *testing.T) {
	store, clock := memory.NewStore(), newTestClock()
	a, b := replica(t, store, clock), replica(t, store, clock)
	anna := mustSignIn(t, a)
	stolen := sessionCookie(t, anna)
	thief := withCookie(t, b, stolen)
	if !signedIn(t, thief) {
		t.Fatal("the session does not open the pages on the other replica")
	}
	_, body := anna.get("/review/")
	if resp, _ := anna.post("/review/signout", url.Values{"csrf": {anna.csrf(body)}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out: %s", resp.Status)
	}
	if signedIn(t, thief) {
		t.Error("a copy of the cookie still opens the pages on the other replica after sign-out")
	}
	if signedIn(t, withCookie(t, a, stolen)) {
		t.Error("a copy of the cookie still opens the pages on the replica that signed out")
	}
	// Signing in again is a new session, which the old cookie is not.
	mustSignIn(t, b)
	if signedIn(t, thief) {
		t.Error("the old cookie came back with a new sign-in")
	}
}

func TestPasswordChangeOrRemovalEndsTheSessions(t *testing.T) {
	store, clock := memory.NewStore(), newTestClock()
	anna := mustSignIn(t, replica(t, store, clock))
	ck := sessionCookie(t, anna)
	newHash, _ := bcrypt.GenerateFromPassword([]byte("new password"), bcrypt.MinCost)
	for name, managers := range map[string][]Manager{
		"same password": {{Name: "anna", PasswordHash: testHash}},
		"new password":  {{Name: "anna", PasswordHash: string(newHash)}},
		"removed":       {{Name: "bruno", PasswordHash: testHash}},
	} {
		t.Run(name, func(t *testing.T) {
			// A replica started with the new configuration.
			got := signedIn(t, withCookie(t, replica(t, store, clock, managers...), ck))
			if want := name == "same password"; got != want {
				t.Errorf("signed in = %v, want %v", got, want)
			}
		})
	}
}

func TestIdleSessionEnds(t *testing.T) {
	// The store expires the idle session on the same clock.
	clock := newTestClock()
	store := memory.NewStoreWith(memory.Options{Now: clock.Now})
	srv := replica(t, store, clock)
	anna := mustSignIn(t, srv)
	// Active every 20 minutes: the idle timeout (30) moves on each time.
	for range 5 {
		clock.Advance(20 * time.Minute)
		if !signedIn(t, anna) {
			t.Fatalf("signed out after 20 minutes idle, at %s", clock.Now().Sub(now))
		}
	}
	clock.Advance(31 * time.Minute)
	if signedIn(t, anna) {
		t.Error("a session idle for 31 minutes still opens the pages")
	}
	if _, body := anna.get("/review/signin"); !strings.Contains(body, `name="password"`) {
		t.Error("the sign-in page is not offered after the idle timeout")
	}
}

func TestSessionEndsAfterItsLifetimeHoweverActive(t *testing.T) {
	store, clock := memory.NewStore(), newTestClock()
	anna := mustSignIn(t, replica(t, store, clock))
	for elapsed := time.Duration(0); elapsed < 12*time.Hour-20*time.Minute; elapsed += 20 * time.Minute {
		clock.Advance(20 * time.Minute)
		if !signedIn(t, anna) {
			t.Fatalf("an active session ended after %s", elapsed)
		}
	}
	clock.Advance(20 * time.Minute)
	if signedIn(t, anna) {
		t.Error("an active session outlived its 12 hours")
	}
}

func TestSessionStoreDownIsSaidNotASignIn(t *testing.T) {
	store := &switchable{Directory: memory.NewStore()}
	anna := mustSignIn(t, replica(t, store, newTestClock()))
	store.down.Store(true)
	resp, _ := anna.get("/review/")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET /review/ with the store down: %s, want 503", resp.Status)
	}
	store.down.Store(false)
	if !signedIn(t, anna) {
		t.Error("the session did not survive a store outage")
	}
}

// switchable is a Directory that can be turned off.
type switchable struct {
	bot.Directory
	down atomic.Bool
}

func (s *switchable) Get(ctx context.Context, key string) (string, error) {
	if s.down.Load() {
		return "", errors.New("connection refused")
	}
	return s.Directory.Get(ctx, key)
}

// counter is a body of n bytes that counts what was read of it.
type counter struct {
	r    io.Reader
	read atomic.Int64
}

func newCounter(prefix string, n int64) *counter {
	return &counter{r: io.MultiReader(strings.NewReader(prefix), io.LimitReader(zeros{}, n))}
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read.Add(int64(n))
	return n, err
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestSignOutDoesNotSpoolALargeUpload(t *testing.T) {
	srv, _ := newServer(t)
	c := newClient(t, srv)
	_, body := c.get("/review/signin") // any anonymous cookie
	token := c.csrf(body)
	const size = 100 << 20
	multipart := "multipart/form-data; boundary=X"
	part := "--X\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + token + "\r\n--X\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\n"
	for _, tc := range []struct {
		name, path, contentType string
		length                  bool // a Content-Length, or chunked
		want                    int
	}{
		{"multipart sign-out", "/review/signout", multipart, true, http.StatusUnsupportedMediaType},
		{"chunked multipart sign-out", "/review/signout", multipart, false, http.StatusUnsupportedMediaType},
		{"form sign-out", "/review/signout", "application/x-www-form-urlencoded", true, http.StatusRequestEntityTooLarge},
		{"chunked form sign-out", "/review/signout", "application/x-www-form-urlencoded", false, http.StatusRequestEntityTooLarge},
		{"chunked form sign-in", "/review/signin", "application/x-www-form-urlencoded", false, http.StatusRequestEntityTooLarge},
		{"multipart sign-in", "/review/signin", multipart, false, http.StatusUnsupportedMediaType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prefix := "csrf=" + url.QueryEscape(token) + "&x="
			if strings.HasPrefix(tc.contentType, "multipart") {
				prefix = part
			}
			b := newCounter(prefix, size)
			req, _ := http.NewRequest("POST", srv.URL+tc.path, b)
			if tc.length {
				req.ContentLength = int64(len(prefix)) + size
			} else {
				req.ContentLength = -1
			}
			req.Header.Set("Content-Type", tc.contentType)
			start := time.Now()
			resp, err := c.c.Do(req)
			took := time.Since(start)
			if err != nil {
				t.Fatalf("after %s, %d MB sent: %v", took, b.read.Load()>>20, err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %s, want %d", resp.Status, tc.want)
			}
			if n := b.read.Load(); n > 16<<20 || took > 3*time.Second {
				t.Errorf("the server took %d MB of a %d MB upload, in %s, before refusing it", n>>20, size>>20, took)
			}
		})
	}
	// The form still works.
	anna := mustSignIn(t, srv)
	_, body = anna.get("/review/")
	if resp, _ := anna.post("/review/signout", url.Values{"csrf": {anna.csrf(body)}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-out: %s", resp.Status)
	}
}

func TestMalformedSessionCookiesAreNoSession(t *testing.T) {
	store, clock := memory.NewStore(), newTestClock()
	srv := replica(t, store, clock)
	h, _ := New(Config{Archive: memory.NewArchive(), Managers: []Manager{{Name: "anna", PasswordHash: testHash}},
		Sessions: store, SessionKey: []byte(strings.Repeat("k", 32)), Now: clock.Now})
	signed := func(s session) string { // a cookie made with the real key
		rec := httptest.NewRecorder()
		h.setCookie(rec, &s, time.Hour)
		return rec.Result().Cookies()[0].Value
	}
	valid := sessionCookie(t, mustSignIn(t, srv)).Value
	payload, _, _ := strings.Cut(valid, ".")
	for name, value := range map[string]string{
		"empty":                "",
		"no signature":         payload,
		"bad base64":           "!!!.???",
		"signature of another": payload + "." + strings.Split(signed(session{Nonce: "n", Expires: now.Add(time.Hour).Unix()}), ".")[1],
		"truncated signature":  valid[:len(valid)-4],
		"not JSON":             signed(session{}) + "x",
		"expired":              signed(session{ID: "x", Nonce: "n", Expires: now.Unix()}),
		"no nonce":             signed(session{Nonce: "", Expires: now.Add(time.Hour).Unix()}),
		"an ID with no record": signed(session{ID: "made-up", Nonce: "n", Expires: now.Add(time.Hour).Unix()}),
		"two dots":             valid + ".x",
		"a huge value":         strings.Repeat("A", 4000) + "." + strings.Repeat("B", 40),
	} {
		t.Run(name, func(t *testing.T) {
			if signedIn(t, withCookie(t, srv, &http.Cookie{Name: cookieName, Value: value})) {
				t.Error("the cookie opens the pages")
			}
		})
	}
	// Records in the store that cannot be read are no session either.
	for name, rec := range map[string]string{
		"not JSON":      "{",
		"no manager":    `{"u":"","p":"","e":9999999999}`,
		"a wrong print": `{"u":"anna","p":"0000","e":9999999999}`,
		"over":          fmt.Sprintf(`{"u":"anna","p":%q,"e":%d}`, fingerprint(Manager{Name: "anna", PasswordHash: testHash}), now.Unix()),
	} {
		t.Run("record "+name, func(t *testing.T) {
			id := "id-" + name
			store.Put(context.Background(), recordKey(id), rec, time.Hour)
			store.Put(context.Background(), seenKey(id), fmt.Sprint(now.Unix()), time.Hour)
			if signedIn(t, withCookie(t, srv, &http.Cookie{Name: cookieName, Value: signed(session{ID: id, Nonce: "n", Expires: now.Add(time.Hour).Unix()})})) {
				t.Error("the record opens the pages")
			}
		})
	}
}

func FuzzSessionCookie(f *testing.F) {
	h, err := New(Config{Archive: memory.NewArchive(), Managers: []Manager{{Name: "anna", PasswordHash: testHash}},
		Sessions: memory.NewStore(), SessionKey: []byte(strings.Repeat("k", 32)), Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	f.Add("eyJ1IjoiYW5uYSJ9.AAAA")
	f.Add("")
	f.Add("e30.")
	f.Fuzz(func(t *testing.T, value string) {
		req := httptest.NewRequest("GET", "/review/", nil)
		req.Header.Set("Cookie", cookieName+"="+value)
		s, err := h.session(req)
		if err != nil || (s != nil && s.User != "") {
			t.Fatalf("a forged cookie %q gave %+v, %v", value, s, err)
		}
	})
}

func TestMalformedFormsAreRefused(t *testing.T) {
	srv, _ := newServer(t)
	c := newClient(t, srv)
	_, body := c.get("/review/signin")
	token := c.csrf(body)
	for _, tc := range []struct {
		name, contentType, body string
		want                    int
	}{
		{"no content type", "", "csrf=" + url.QueryEscape(token), http.StatusUnsupportedMediaType},
		{"plain text", "text/plain", "csrf=" + url.QueryEscape(token), http.StatusUnsupportedMediaType},
		{"JSON", "application/json", `{"csrf":"x"}`, http.StatusUnsupportedMediaType},
		{"multipart without a boundary", "multipart/form-data", "--\r\n", http.StatusUnsupportedMediaType},
		{"a broken content type", "application/x-www-form-urlencoded; ;;=", "csrf=x", http.StatusUnsupportedMediaType},
		{"bad escapes", "application/x-www-form-urlencoded", "csrf=%zz&name=%", http.StatusBadRequest},
		{"with a charset", "application/x-www-form-urlencoded; charset=utf-8", "csrf=" + url.QueryEscape(token) + "&name=anna&password=x", http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", srv.URL+"/review/signin", strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			if resp, _ := c.do(req); resp.StatusCode != tc.want {
				t.Errorf("%s: %s, want %d", tc.name, resp.Status, tc.want)
			}
		})
	}
}
