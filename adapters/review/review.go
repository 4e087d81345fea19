// Package review serves the managers' pages under /review/: sign-in, the
// list of archived conversations with filters and full-text search, the
// transcript, exports to CSV and JSON, and a dashboard whose charts are
// drawn on the server as SVG. Pages are rendered with html/template, so
// everything a customer wrote is escaped; assets are embedded.
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
	"net/http"
	"time"

	"golang.org/x/crypto/bcrypt"

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

// Config configures the review pages. Archive, Managers and SessionKey
// are required.
type Config struct {
	Archive  report.Archive
	Managers []Manager
	// SessionKey signs the session cookies (HMAC-SHA256): at least 32
	// random bytes, the same on every replica. Changing it signs everyone out.
	SessionKey []byte
	Logger     *slog.Logger
	// Secure sets the cookie's Secure flag: true whenever the pages are
	// served over HTTPS, which they should be beyond localhost.
	Secure bool
	Now    func() time.Time // time.Now when nil
	// SessionTTL is how long a sign-in lasts; 12 hours when zero.
	SessionTTL time.Duration
}

// Handler serves the review pages; mount it at Prefix+"/".
type Handler struct {
	cfg      Config
	log      *slog.Logger
	managers map[string]Manager
	pages    map[string]*template.Template
	mux      *http.ServeMux
	limiter  *limiter
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
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	h := &Handler{cfg: cfg, log: cfg.Logger.With("component", "review"), managers: map[string]Manager{},
		limiter: newLimiter(5, 15*time.Minute)}
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
	m.HandleFunc("GET "+Prefix+"/signin", h.signinPage)
	m.HandleFunc("POST "+Prefix+"/signin", h.signin)
	m.HandleFunc("POST "+Prefix+"/signout", h.signout)
	m.Handle("GET "+Prefix+"/{$}", h.private(h.listPage))
	m.Handle("GET "+Prefix+"/export", h.private(h.exportList))
	m.Handle("GET "+Prefix+"/c", h.private(h.transcriptPage))
	m.Handle("GET "+Prefix+"/c/export", h.private(h.exportTranscript))
	m.Handle("GET "+Prefix+"/dashboard", h.private(h.dashboardPage))
	m.Handle("GET "+Prefix+"/dead-letters", h.private(h.deadLettersPage))
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
	h.mux.ServeHTTP(w, r)
}

// fingerprint identifies a manager's password hash in their session, so
// that changing the password or removing the manager signs them out.
func fingerprint(m Manager) string {
	s := sha256.Sum256([]byte(m.Name + "\x00" + m.PasswordHash))
	return hex.EncodeToString(s[:8])
}
