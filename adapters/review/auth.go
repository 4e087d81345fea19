package review

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/sportello/sportello/adapters/guard"
)

const cookieName = "sportello_review"

// A session is a visitor of the review pages. The cookie holds its signed
// part: the ID of its record in the store once a manager signed in, the
// nonce of its CSRF tokens, and when it ends at the latest. The record
// (Config.Sessions) is what makes a signed-in session valid: signing out
// deletes it, for every replica at once. An anonymous session (no ID)
// carries only the nonce of the sign-in form and is never recorded, so
// anonymous visitors cost the store nothing.
type session struct {
	ID      string `json:"i,omitempty"`
	Nonce   string `json:"n"`
	Expires int64  `json:"e"`
	// User is the manager signed in, read from the record, never from
	// the cookie.
	User string `json:"-"`
}

// A record is what the store keeps of a signed-in session.
type record struct {
	User string `json:"u"`
	// Print is the fingerprint of the manager's password hash when they
	// signed in: a new password, or a manager removed from the
	// configuration, ends the session.
	Print   string `json:"p"`
	Expires int64  `json:"e"` // the absolute end, Unix seconds
}

// Store keys. The store holds a hash of the session's ID, never the ID:
// whoever reads the store cannot sign in with what they read. The record
// lives for the session's whole lifetime; the seen key, rewritten now and
// then while the manager is active, for the idle timeout. They are two
// keys so that refreshing the idle timeout never rewrites the record: a
// request in flight on one replica cannot bring back a session that was
// just signed out on another.
func recordKey(id string) string { return "review:session:" + idHash(id) }
func seenKey(id string) string   { return "review:seen:" + idHash(id) }

func idHash(id string) string {
	s := sha256.Sum256([]byte(id))
	return hex.EncodeToString(s[:16])
}

// storeTimeout bounds each call to the session store.
const storeTimeout = 2 * time.Second

// errStore is a session store that does not answer: the page says so
// rather than sending a signed-in manager to the sign-in form.
var errStore = errors.New("review: the session store does not answer")

func (h *Handler) sign(b []byte) []byte {
	m := hmac.New(sha256.New, h.cfg.SessionKey)
	m.Write(b)
	return m.Sum(nil)
}

// cookie returns the session in r's cookie if its signature holds and it
// has not expired, or nil. It does not ask the store: a signed-in
// session may have ended since (see session).
func (h *Handler) cookie(r *http.Request) *session {
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
	return &ss
}

// session returns the valid session of r, or nil: an anonymous one as
// its cookie says, a signed-in one only while its record stands, its
// manager's password is the same, and it was used within the idle
// timeout. Each use moves the idle timeout on. The error is the store's.
func (h *Handler) session(r *http.Request) (*session, error) {
	s := h.cookie(r)
	if s == nil || s.ID == "" {
		return s, nil
	}
	ctx, cancel := context.WithTimeout(r.Context(), storeTimeout)
	defer cancel()
	v, err := h.cfg.Sessions.Get(ctx, recordKey(s.ID))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errStore, err)
	}
	var rec record
	if v == "" || json.Unmarshal([]byte(v), &rec) != nil {
		return nil, nil // signed out, or over
	}
	now := h.cfg.Now()
	if m, ok := h.managers[rec.User]; !ok || fingerprint(m) != rec.Print || now.Unix() >= rec.Expires {
		return nil, nil
	}
	v, err = h.cfg.Sessions.Get(ctx, seenKey(s.ID))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errStore, err)
	}
	seen, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, nil // idle for longer than the timeout: the key expired
	}
	// The store's expiry of the seen key ends an idle session; this check
	// is the same rule on the handler's clock.
	idle := now.Sub(time.Unix(seen, 0))
	if idle >= h.cfg.IdleTimeout {
		return nil, nil
	}
	// Refresh the idle timeout now and then, not on every request: the
	// timeout is then between IdleTimeout-touchEvery and IdleTimeout.
	if idle >= h.touchEvery() {
		if err := h.cfg.Sessions.Put(ctx, seenKey(s.ID), strconv.FormatInt(now.Unix(), 10), h.idleTTL(now, rec.Expires)); err != nil {
			return nil, fmt.Errorf("%w: %w", errStore, err)
		}
	}
	s.User = rec.User
	return s, nil
}

// touchEvery is how stale the last use may get before it is recorded
// again.
func (h *Handler) touchEvery() time.Duration {
	return min(time.Minute, h.cfg.IdleTimeout/10)
}

// idleTTL is the lifetime of a seen key written at now: the idle timeout,
// but never past the session's end.
func (h *Handler) idleTTL(now time.Time, expires int64) time.Duration {
	return max(min(h.cfg.IdleTimeout, time.Unix(expires, 0).Sub(now)), time.Second)
}

// setAnonymous starts an anonymous session with a fresh nonce.
func (h *Handler) setAnonymous(w http.ResponseWriter) *session {
	s := &session{Nonce: randomToken(16), Expires: h.cfg.Now().Add(time.Hour).Unix()}
	h.setCookie(w, s, time.Hour)
	return s
}

// startSession records a new session for the manager user, with a fresh
// ID and nonce, and sets its cookie. A new ID at each sign-in: a cookie
// planted before cannot become signed in.
func (h *Handler) startSession(ctx context.Context, w http.ResponseWriter, user string) error {
	now := h.cfg.Now()
	ttl := h.cfg.SessionTTL
	s := &session{ID: randomToken(32), Nonce: randomToken(16), Expires: now.Add(ttl).Unix()}
	rec, _ := json.Marshal(record{User: user, Print: fingerprint(h.managers[user]), Expires: s.Expires})
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	if err := h.cfg.Sessions.Put(ctx, recordKey(s.ID), string(rec), ttl); err != nil {
		return fmt.Errorf("%w: %w", errStore, err)
	}
	if err := h.cfg.Sessions.Put(ctx, seenKey(s.ID), strconv.FormatInt(now.Unix(), 10), h.idleTTL(now, s.Expires)); err != nil {
		return fmt.Errorf("%w: %w", errStore, err)
	}
	h.setCookie(w, s, ttl)
	return nil
}

// endSession deletes the record of the session id. The Directory has no
// delete: an empty value is no value (bot.Directory.Get), and the key
// itself expires a moment later.
func (h *Handler) endSession(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	if err := h.cfg.Sessions.Put(ctx, recordKey(id), "", time.Second); err != nil {
		return fmt.Errorf("%w: %w", errStore, err)
	}
	return nil
}

func (h *Handler) setCookie(w http.ResponseWriter, s *session, ttl time.Duration) {
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
}

func (h *Handler) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: Prefix + "/", MaxAge: -1,
		HttpOnly: true, Secure: h.cfg.Secure, SameSite: http.SameSiteStrictMode})
}

func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// csrf returns the CSRF token of the session's forms.
func (h *Handler) csrf(s *session) string {
	return base64.RawURLEncoding.EncodeToString(h.sign([]byte("csrf\x00" + s.Nonce)))
}

// checkCSRF reports whether a POST comes from our own form: the token
// matches the session's, and the Origin, when the browser sends one, is
// this host. ServeHTTP has read the form already, through its limit.
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
	return hmac.Equal([]byte(r.PostForm.Get("csrf")), []byte(h.csrf(s)))
}

type ctxKey struct{}

// private serves only signed-in managers: others are sent to the sign-in
// page when they ask for a page, and refused otherwise.
func (h *Handler) private(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := h.session(r)
		if err != nil {
			h.storeDown(w, r, err)
			return
		}
		if s == nil || s.User == "" {
			if strings.Contains(r.Header.Get("Accept"), "text/html") {
				http.Redirect(w, r, Prefix+"/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			http.Error(w, h.locale(r).T("err.signinfirst"), http.StatusUnauthorized)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, s)))
	})
}

// storeDown answers when the session store fails: nobody can be told
// whether they are signed in.
func (h *Handler) storeDown(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("sessions unavailable", "err", err)
	w.Header().Set("Retry-After", "5")
	http.Error(w, h.locale(r).T("err.sessions"), http.StatusServiceUnavailable)
}

func sessionOf(r *http.Request) *session {
	s, _ := r.Context().Value(ctxKey{}).(*session)
	return s
}

// dummyHash is compared against when the name is unknown, so that a
// wrong name takes as long as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("sportello"), bcrypt.DefaultCost)

// Guessing passwords is slowed, never locked out: three counts of
// failures, each with its growing delay (guard.Penalty), and a sign-in
// is refused while any of its counts waits.
//   - a name from one address: the guesser of one manager's password.
//   - an address, whatever the name: a guesser trying many names.
//   - a name from any address: guessers on many addresses. The real
//     manager shares this count, so it starts late and its delay stays
//     short: it slows a crowd and never locks the manager out for long.
//
// The real manager signing in from another address meets only the last.
// The counts are per replica: behind a load balancer a guesser's delays
// are those of the replica they reach.
func newSigninPenalties() (pair, addr, name *guard.Penalty) {
	pair = &guard.Penalty{Free: 3, Base: 2 * time.Second, Max: 5 * time.Minute, Forget: time.Hour}
	addr = &guard.Penalty{Free: 10, Base: 2 * time.Second, Max: 5 * time.Minute, Forget: time.Hour}
	name = &guard.Penalty{Free: 20, Base: time.Second, Max: 30 * time.Second, Forget: time.Hour}
	return pair, addr, name
}

// unknownName stands for every name that is no manager in the counts: a
// flood of made-up names costs one key, and unknown names are slowed as
// known ones are, so the delays do not tell which names exist.
const unknownName = "\x00unknown"

type signinData struct {
	page
	Name, Next, Error string
}

func (h *Handler) signinPage(w http.ResponseWriter, r *http.Request) {
	s, err := h.session(r)
	if err != nil {
		h.storeDown(w, r, err)
		return
	}
	if s != nil && s.User != "" {
		http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
		return
	}
	if s == nil {
		s = h.setAnonymous(w)
	}
	l := h.locale(r)
	h.render(w, r, http.StatusOK, "signin", signinData{page: h.frame(r, s, l.T("signin.title"), "signin"), Next: safeNext(r.URL.Query().Get("next"))})
}

func (h *Handler) signin(w http.ResponseWriter, r *http.Request) {
	s, l := h.cookie(r), h.locale(r)
	if !h.checkCSRF(r, s) {
		http.Error(w, l.T("signin.expired"), http.StatusForbidden)
		return
	}
	name, pw := strings.TrimSpace(r.PostForm.Get("name")), r.PostForm.Get("password")
	next := safeNext(r.PostForm.Get("next"))
	addr := h.cfg.Proxies.ClientAddr(r)
	m, known := h.managers[name]
	who := name
	if !known {
		who = unknownName
	}
	// The counts key a client by its IPv4 address or its IPv6 /64, which
	// it holds whole; the log names the address itself.
	client := guard.Network(addr)
	pairKey, addrKey := client+"\x00"+who, client
	now := h.cfg.Now()
	form := func(status int, wait time.Duration, msg string) {
		if wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		}
		h.render(w, r, status, "signin", signinData{page: h.frame(r, s, l.T("signin.title"), "signin"), Name: name, Next: next, Error: msg})
	}
	// A sign-in that must wait is refused before its password is
	// checked: guessing goes no faster for trying during the wait.
	if wait := max(h.pairFails.Wait(pairKey, now), h.addrFails.Wait(addrKey, now), h.nameFails.Wait(who, now)); wait > 0 {
		h.log.Warn("sign-in refused: too many failures", "net", guard.LogNet(addr), "name", logName(name), "wait", wait)
		form(http.StatusTooManyRequests, wait, l.T("signin.toomany", l.Wait(wait)))
		return
	}
	hash := dummyHash
	if known {
		hash = []byte(m.PasswordHash)
	}
	if err := bcrypt.CompareHashAndPassword(hash, []byte(pw)); err != nil || !known {
		wait := max(h.pairFails.Fail(pairKey, now), h.addrFails.Fail(addrKey, now), h.nameFails.Fail(who, now))
		h.log.Warn("sign-in failed", "net", guard.LogNet(addr), "name", logName(name), "wait", wait)
		msg := l.T("signin.wrong")
		if wait > 0 {
			msg += " " + l.T("signin.wait", l.Wait(wait))
		}
		form(http.StatusUnauthorized, wait, msg)
		return
	}
	h.pairFails.Reset(pairKey)
	if s.ID != "" {
		// Signed in again over a session: the old one ends here.
		if err := h.endSession(r.Context(), s.ID); err != nil {
			h.storeDown(w, r, err)
			return
		}
	}
	if err := h.startSession(r.Context(), w, name); err != nil {
		h.storeDown(w, r, err)
		return
	}
	h.log.Info("signed in", "manager", name, "net", guard.LogNet(addr))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// signout ends the session on every replica. It needs only a cookie with
// a valid signature, so that a tab whose session already ended can still
// clear it.
func (h *Handler) signout(w http.ResponseWriter, r *http.Request) {
	s := h.cookie(r)
	if !h.checkCSRF(r, s) {
		http.Error(w, h.locale(r).T("signout.expired"), http.StatusForbidden)
		return
	}
	if s.ID != "" {
		if err := h.endSession(r.Context(), s.ID); err != nil {
			h.storeDown(w, r, err)
			return
		}
	}
	h.clearCookie(w)
	http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
}

// logName bounds a typed name for the log.
func logName(name string) string {
	if r := []rune(name); len(r) > 64 {
		return string(r[:64]) + "…"
	}
	return name
}

// safeNext keeps a redirect after sign-in inside the review pages: a
// path under Prefix that is already clean once decoded (no dot segments,
// no doubled or encoded slashes: net/http cleans a redirect's path, and
// browsers read %2e as a dot), in printable ASCII only (no tab, space,
// backslash or line break to reach the Location header).
func safeNext(next string) string {
	const home = Prefix + "/"
	if strings.ContainsFunc(next, func(r rune) bool { return r <= ' ' || r > '~' || r == '\\' }) {
		return home
	}
	p, _, _ := strings.Cut(next, "?")
	dec, err := url.PathUnescape(p)
	if err != nil || !strings.HasPrefix(dec, home) || strings.Contains(dec, "//") ||
		strings.ContainsFunc(dec, func(r rune) bool { return r < ' ' || r == 0x7f || r == '\\' }) {
		return home
	}
	clean := path.Clean(dec)
	if strings.HasSuffix(dec, "/") {
		clean += "/"
	}
	if clean != dec {
		return home
	}
	return next
}
