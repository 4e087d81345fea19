package main

// The managers' sessions live in the store: on Redis, as in production,
// two replicas see one sign-out, and Redis itself ends an idle session.

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/review"
)

const managerPassword = "correct horse"

// manager is a browser of the review pages: it keeps its cookies and
// does not follow redirects.
type manager struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newManager(t *testing.T, base string) *manager {
	jar, _ := cookiejar.New(nil)
	return &manager{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (m *manager) do(method, path string, form url.Values) (int, string) {
	m.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, m.base+path, body)
	req.Header.Set("Accept", "text/html")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := m.c.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (m *manager) csrf(page string) string {
	m.t.Helper()
	f := csrfField.FindStringSubmatch(page)
	if f == nil {
		m.t.Fatalf("no CSRF token in the page:\n%s", page)
	}
	return f[1]
}

func (m *manager) signIn(name string) {
	m.t.Helper()
	_, page := m.do("GET", "/review/signin", nil)
	if status, _ := m.do("POST", "/review/signin", url.Values{"csrf": {m.csrf(page)}, "name": {name},
		"password": {managerPassword}, "next": {"/review/"}}); status != http.StatusSeeOther {
		m.t.Fatalf("sign-in: %d", status)
	}
}

func (m *manager) signOut() {
	m.t.Helper()
	_, page := m.do("GET", "/review/", nil)
	if status, _ := m.do("POST", "/review/signout", url.Values{"csrf": {m.csrf(page)}}); status != http.StatusSeeOther {
		m.t.Fatalf("sign-out: %d", status)
	}
}

func (m *manager) signedIn() bool {
	m.t.Helper()
	status, _ := m.do("GET", "/review/", nil)
	return status == http.StatusOK
}

// copyTo is a browser on base holding m's review cookie: whoever copied it.
func (m *manager) copyTo(base string) *manager {
	thief := newManager(m.t, base)
	from, _ := url.Parse(m.base + "/review/")
	to, _ := url.Parse(base + "/review/")
	for _, ck := range m.c.Jar.Cookies(from) {
		thief.c.Jar.SetCookies(to, []*http.Cookie{{Name: ck.Name, Value: ck.Value, Path: "/review/"}})
	}
	return thief
}

func mustHash(t *testing.T, pw string) string {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return string(h)
}

func TestReviewSignOutEndsTheSessionOnEveryReplicaOnRedis(t *testing.T) {
	stores := redisReplicaStores(t, 2)
	cfg := e2eConfig()
	cfg.Review.Managers = []review.Manager{{Name: "anna", PasswordHash: mustHash(t, managerPassword)}}
	// Every replica has the same key, as SPORTELLO_REVIEW_KEY says.
	env := func(k string) string {
		if k == "SPORTELLO_REVIEW_KEY" {
			return strings.Repeat("r", 32)
		}
		return ""
	}
	var bases []string
	for _, st := range stores {
		srv, err := newServer(context.Background(), cfg, env, shopBot(t, true), testLog(t), deps{store: st, poll: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		bases = append(bases, start(t, srv))
	}
	anna := newManager(t, bases[0])
	anna.signIn("anna")
	thief := anna.copyTo(bases[1])
	if !thief.signedIn() {
		t.Fatal("the session does not open the pages on the other replica")
	}
	anna.signOut()
	if thief.signedIn() {
		t.Error("after sign-out on one replica, a copy of the cookie still opens the pages on the other")
	}
}

func TestReviewIdleSessionExpiresInRedis(t *testing.T) {
	st := redisReplicaStores(t, 1)[0]
	// The handler's clock stands still: only Redis's expiry of the idle
	// session can end it.
	frozen := time.Now()
	h, err := review.New(review.Config{Archive: memory.NewArchive(), Sessions: st, SessionKey: []byte(strings.Repeat("r", 32)),
		Managers: []review.Manager{{Name: "anna", PasswordHash: mustHash(t, managerPassword)}},
		Now:      func() time.Time { return frozen }, IdleTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	anna := newManager(t, srv.URL)
	anna.signIn("anna")
	if !anna.signedIn() {
		t.Fatal("not signed in")
	}
	time.Sleep(1500 * time.Millisecond)
	if anna.signedIn() {
		t.Error("Redis kept a session idle for longer than its idle timeout")
	}
}
