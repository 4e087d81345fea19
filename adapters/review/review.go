// Package review serves the managers' pages under /review/: sign-in, the
// list of archived conversations with filters and full-text search, the
// transcript, exports to CSV and JSON, a dashboard whose charts are
// drawn on the server as SVG, and the gaps of the help centre (the
// questions the shop's documents did not answer, grouped). Pages are rendered with html/template, so
// everything a customer wrote is escaped; assets are embedded. They speak
// English and Italian (messages.go holds every text), and show dates and
// count days in the shop's time zone (Config.Zone).
//
// A page is a handler that fills a struct embedding page, a template in
// templates/ defining "content", and its texts in the catalogue.
package review

import (
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/sportello/sportello/adapters/guard"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// Prefix is the path the handler is served under.
const Prefix = "/review"

// A Manager may sign in to the review pages.
type Manager struct {
	Name string `yaml:"name" json:"name"`
	// PasswordHash is a bcrypt hash ($2a$, $2b$ or $2y$), as written by
	// HashPassword or `htpasswd -nbB name password`.
	PasswordHash string `yaml:"password_hash" json:"password_hash"`
}

// Config configures the review pages. Archive, Managers, SessionKey and
// Sessions are required.
type Config struct {
	Archive  report.Archive
	Managers []Manager
	// SessionKey signs the session cookies (HMAC-SHA256): at least 32
	// random bytes, the same on every replica. Changing it signs everyone out.
	SessionKey []byte
	// Sessions records the signed-in sessions: the store every replica
	// shares, so that signing out on one ends the session on all.
	Sessions bot.Directory
	// Proxies are the reverse proxies whose X-Forwarded-For names the
	// client, for the limits on sign-in; none when zero.
	Proxies guard.Proxies
	Logger  *slog.Logger
	// Secure sets the cookie's Secure flag: true whenever the pages are
	// served over HTTPS, which they should be beyond localhost.
	Secure bool
	Now    func() time.Time // time.Now when nil
	// Zone is the shop's time zone: every date shown, the days of the
	// filters and of the dashboard, and the exports' times are in it.
	// UTC when nil.
	Zone *time.Location
	// SessionTTL is how long a sign-in lasts at most, however active the
	// manager; 12 hours when zero.
	SessionTTL time.Duration
	// IdleTimeout ends a session unused for this long; 30 minutes when
	// zero. Each use moves it on.
	IdleTimeout time.Duration
	// GapTerms returns the words of a customer's question that say what
	// it is about, to group the gaps of the help centre
	// (report.GapOptions.Terms); report.ContentWords when nil.
	GapTerms func(question string) []string
}

// Handler serves the review pages; mount it at Prefix+"/".
type Handler struct {
	cfg      Config
	log      *slog.Logger
	managers map[string]Manager
	locales  map[string]*locale                       // by language
	pages    map[string]map[string]*template.Template // by language, then name
	mux      *http.ServeMux
	// Failed sign-ins: per name and address, per address, per name.
	pairFails, addrFails, nameFails *guard.Penalty
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// New returns the review pages for cfg.
func New(cfg Config) (*Handler, error) {
	if cfg.Archive == nil {
		return nil, errors.New("review: no archive")
	}
	if len(cfg.SessionKey) < 32 {
		return nil, errors.New("review: the session key must have at least 32 bytes (SPORTELLO_REVIEW_KEY)")
	}
	if len(cfg.Managers) == 0 {
		return nil, errors.New("review: no managers to sign in")
	}
	if cfg.Sessions == nil {
		return nil, errors.New("review: no store for the sessions")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Zone == nil {
		cfg.Zone = time.UTC
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Minute
	}
	h := &Handler{cfg: cfg, log: cfg.Logger.With("component", "review"), managers: map[string]Manager{}}
	h.pairFails, h.addrFails, h.nameFails = newSigninPenalties()
	for _, m := range cfg.Managers {
		if m.Name == "" {
			return nil, errors.New("review: a manager without a name")
		}
		if _, err := bcrypt.Cost([]byte(m.PasswordHash)); err != nil {
			return nil, fmt.Errorf("review: manager %s: the password hash is not a bcrypt hash", m.Name)
		}
		h.managers[m.Name] = m
	}
	if err := h.parseTemplates(); err != nil {
		return nil, err
	}
	h.routes()
	return h, nil
}

// HashPassword returns the bcrypt hash of password, for Manager.PasswordHash.
func HashPassword(password string) (string, error) {
	b, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	return string(b), err
}

// NewDemoManager returns the manager "demo" with a fresh random password,
// for a demo run without configured managers: print the password at
// start-up. Nothing is signed in with a password anyone else knows.
func NewDemoManager() (Manager, string, error) {
	b := make([]byte, 9)
	if _, err := rand.Read(b); err != nil {
		return Manager{}, "", err
	}
	pw := hex.EncodeToString(b)
	hash, err := HashPassword(pw)
	return Manager{Name: "demo", PasswordHash: hash}, pw, err
}

func (h *Handler) routes() {
	m := http.NewServeMux()
	assets, _ := fs.Sub(assetFS, "assets")
	m.Handle("GET "+Prefix+"/assets/", http.StripPrefix(Prefix+"/assets/", assetServer(http.FileServerFS(assets))))
	m.HandleFunc("GET "+Prefix+"/lang", h.switchLang)
	m.HandleFunc("GET "+Prefix+"/signin", h.signinPage)
	m.HandleFunc("POST "+Prefix+"/signin", h.signin)
	m.HandleFunc("POST "+Prefix+"/signout", h.signout)
	m.Handle("GET "+Prefix+"/{$}", h.private(h.listPage))
	m.Handle("GET "+Prefix+"/export", h.private(h.exportList))
	m.Handle("GET "+Prefix+"/c", h.private(h.transcriptPage))
	m.Handle("GET "+Prefix+"/c/export", h.private(h.exportTranscript))
	m.Handle("GET "+Prefix+"/dashboard", h.private(h.dashboardPage))
	m.Handle("GET "+Prefix+"/dead-letters", h.private(h.deadLettersPage))
	m.Handle("GET "+Prefix+"/gaps", h.private(h.gapsPage))
	m.HandleFunc(Prefix, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Prefix+"/", http.StatusMovedPermanently)
	})
	h.mux = m
}

func assetServer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// ServeHTTP serves the pages with headers that keep them in their own
// origin: no inline scripts, no framing, no caching of private pages.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "+
		"script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("Cache-Control", "no-store")
	if r.Method == http.MethodPost && !h.readForm(w, r) {
		return
	}
	h.mux.ServeHTTP(w, r)
}

// maxForm bounds the body of a form; the pages' forms are sign-in and
// sign-out, well under a kilobyte.
const maxForm = 8 << 10

// readForm reads the form of a POST through its limit, before anything
// else looks at the request: a handler never meets an unbounded body, and
// an upload (multipart) is refused unread. It answers and returns false
// when it refuses the request.
func (h *Handler) readForm(w http.ResponseWriter, r *http.Request) bool {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "application/x-www-form-urlencoded" {
		w.Header().Set("Connection", "close") // the body is not read
		http.Error(w, "the review pages take forms only (application/x-www-form-urlencoded)", http.StatusUnsupportedMediaType)
		return false
	}
	if r.ContentLength > maxForm {
		w.Header().Set("Connection", "close")
		http.Error(w, "form too large", http.StatusRequestEntityTooLarge)
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
			http.Error(w, "form too large", http.StatusRequestEntityTooLarge)
			return false
		}
		http.Error(w, "the form cannot be read", http.StatusBadRequest)
		return false
	}
	return true
}

// fingerprint identifies a manager's password hash in their session, so
// that changing the password or removing the manager signs them out.
func fingerprint(m Manager) string {
	s := sha256.Sum256([]byte(m.Name + "\x00" + m.PasswordHash))
	return hex.EncodeToString(s[:8])
}
