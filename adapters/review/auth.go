package review

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

const cookieName = "sportello_review"

// A session is what the signed cookie holds. An anonymous session (no
// User) carries the CSRF nonce of the sign-in form.
type session struct {
	User    string `json:"u,omitempty"`
	Print   string `json:"p,omitempty"` // fingerprint of the manager's password hash
	Nonce   string `json:"n"`
	Expires int64  `json:"e"`
}

func (h *Handler) sign(b []byte) []byte {
	m := hmac.New(sha256.New, h.cfg.SessionKey)
	m.Write(b)
	return m.Sum(nil)
}

// session returns the valid session of r, or nil.
func (h *Handler) session(r *http.Request) *session {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return nil
	}
	payload, sig, ok := strings.Cut(c.Value, ".")
	if !ok {
		return nil
	}
	p, err1 := base64.RawURLEncoding.DecodeString(payload)
	s, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(s, h.sign(p)) {
		return nil
	}
	var ss session
	if json.Unmarshal(p, &ss) != nil || h.cfg.Now().Unix() >= ss.Expires || ss.Nonce == "" {
		return nil
	}
	if ss.User != "" {
		m, ok := h.managers[ss.User]
		if !ok || fingerprint(m) != ss.Print {
			return nil
		}
	}
	return &ss
}

// setSession starts a new session for user ("" for an anonymous one) with
// a fresh nonce, and returns it.
func (h *Handler) setSession(w http.ResponseWriter, user string) *session {
	b := make([]byte, 16)
	rand.Read(b)
	ttl := h.cfg.SessionTTL
	if user == "" {
		ttl = time.Hour
	}
	s := &session{User: user, Nonce: base64.RawURLEncoding.EncodeToString(b), Expires: h.cfg.Now().Add(ttl).Unix()}
	if user != "" {
		s.Print = fingerprint(h.managers[user])
	}
	p, _ := json.Marshal(s)
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName,
		Value:    base64.RawURLEncoding.EncodeToString(p) + "." + base64.RawURLEncoding.EncodeToString(h.sign(p)),
		Path:     Prefix + "/",
		MaxAge:   int(ttl.Seconds()),
		HttpOnly: true,
		Secure:   h.cfg.Secure,
		SameSite: http.SameSiteStrictMode,
	})
	return s
}

// csrf returns the CSRF token of the session's forms.
func (h *Handler) csrf(s *session) string {
	return base64.RawURLEncoding.EncodeToString(h.sign([]byte("csrf\x00" + s.Nonce)))
}

// checkCSRF reports whether a POST comes from our own form: the token
// matches the session's, and the Origin, when the browser sends one, is
// this host.
func (h *Handler) checkCSRF(r *http.Request, s *session) bool {
	if s == nil {
		return false
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	return hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(h.csrf(s)))
}

type ctxKey struct{}

// private serves only signed-in managers: others are sent to the sign-in
// page when they ask for a page, and refused otherwise.
func (h *Handler) private(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := h.session(r)
		if s == nil || s.User == "" {
			if strings.Contains(r.Header.Get("Accept"), "text/html") {
				http.Redirect(w, r, Prefix+"/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			http.Error(w, "sign in first", http.StatusUnauthorized)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, s)))
	})
}

func sessionOf(r *http.Request) *session {
	s, _ := r.Context().Value(ctxKey{}).(*session)
	return s
}

// dummyHash is compared against when the name is unknown, so that a
// wrong name takes as long as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("sportello"), bcrypt.DefaultCost)

type signinData struct {
	page
	Name, Next, Error string
}

func (h *Handler) signinPage(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	if s != nil && s.User != "" {
		http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
		return
	}
	if s == nil {
		s = h.setSession(w, "")
	}
	h.render(w, r, http.StatusOK, "signin", signinData{page: page{Title: "Sign in", CSRF: h.csrf(s)}, Next: safeNext(r.URL.Query().Get("next"))})
}

func (h *Handler) signin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	s := h.session(r)
	if !h.checkCSRF(r, s) {
		http.Error(w, "the form expired: reload the page and sign in again", http.StatusForbidden)
		return
	}
	name, pw := strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	ip := clientIP(r)
	now := h.cfg.Now()
	if wait := h.limiter.blocked(now, "ip:"+ip, "name:"+name); wait > 0 {
		h.log.Warn("sign-in refused: too many failures", "ip", ip, "name", name)
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		h.render(w, r, http.StatusTooManyRequests, "signin", signinData{page: page{Title: "Sign in", CSRF: h.csrf(s)},
			Name: name, Next: next, Error: "Too many failed attempts. Try again in " + wait.Round(time.Minute).String() + "."})
		return
	}
	m, known := h.managers[name]
	hash := dummyHash
	if known {
		hash = []byte(m.PasswordHash)
	}
	if err := bcrypt.CompareHashAndPassword(hash, []byte(pw)); err != nil || !known {
		h.limiter.fail(now, "ip:"+ip, "name:"+name)
		h.log.Warn("sign-in failed", "ip", ip, "name", name)
		h.render(w, r, http.StatusUnauthorized, "signin", signinData{page: page{Title: "Sign in", CSRF: h.csrf(s)},
			Name: name, Next: next, Error: "Wrong name or password."})
		return
	}
	h.limiter.reset("name:" + name)
	h.setSession(w, name)
	h.log.Info("signed in", "manager", name, "ip", ip)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (h *Handler) signout(w http.ResponseWriter, r *http.Request) {
	s := h.session(r)
	if !h.checkCSRF(r, s) {
		http.Error(w, "the form expired: reload the page", http.StatusForbidden)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: Prefix + "/", MaxAge: -1,
		HttpOnly: true, Secure: h.cfg.Secure, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
}

// safeNext keeps a redirect after sign-in inside the review pages.
func safeNext(next string) string {
	if !strings.HasPrefix(next, Prefix+"/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return Prefix + "/"
	}
	return next
}

// clientIP is the peer's address. Behind a proxy every sign-in shares the
// proxy's address; the limit per name still holds.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limiter counts failed sign-ins per key (address, name) in a window.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, fails: map[string][]time.Time{}}
}

// blocked returns how long until any of keys may try again; 0 if all may.
func (l *limiter) blocked(now time.Time, keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	for _, k := range keys {
		f := l.recent(now, k)
		if len(f) >= l.max {
			wait = max(wait, f[len(f)-l.max].Add(l.window).Sub(now))
		}
	}
	return wait
}

func (l *limiter) fail(now time.Time, keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > 10_000 { // forget the idle keys
		for k := range l.fails {
			if len(l.recent(now, k)) == 0 {
				delete(l.fails, k)
			}
		}
	}
	for _, k := range keys {
		l.fails[k] = append(l.recent(now, k), now)
	}
}

func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}

// recent drops the failures of k older than the window and returns the rest.
func (l *limiter) recent(now time.Time, k string) []time.Time {
	f := l.fails[k]
	i := 0
	for i < len(f) && now.Sub(f[i]) >= l.window {
		i++
	}
	f = f[i:]
	if len(f) == 0 {
		delete(l.fails, k)
		return nil
	}
	l.fails[k] = f
	return f
}
