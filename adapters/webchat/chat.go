package webchat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/sportello/sportello/adapters/guard"
	"github.com/sportello/sportello/bot"
)

// History reads a conversation's transcript; bot.Store satisfies it.
type History interface {
	// Transcript returns up to limit of the latest events of addr,
	// oldest first; none for an unknown conversation.
	Transcript(ctx context.Context, addr bot.Address, limit int) ([]bot.Event, error)
}

// Config configures a Chat. Only Handler is required.
type Config struct {
	// Handler is the engine: Handle is called for each customer message
	// and returns once the message is committed.
	Handler bot.Handler
	// History gives the page the conversation after a reload. Without
	// it the page starts empty each time.
	History History
	Logger  *slog.Logger
	// Title is the shop's name in the page's header; "Chat" by default.
	Title string
	// Channel is the address channel of the conversations; "web" by default.
	Channel string

	// Key signs the visitor tokens (HMAC-SHA256), at least KeyMinLen
	// bytes; every replica must have the same. Empty, a random key is made
	// for this process: right for one process, and its visitors get new
	// tokens after a restart.
	Key []byte
	// Proxies are the reverse proxies whose X-Forwarded-For names the
	// client; the limits per client address count that address.
	Proxies guard.Proxies
	// AllowedOrigins are the shops' sites ("https://shop.example", as
	// ParseOrigins reads them) whose pages may call the API besides the
	// chat's own page, which always may; they get CORS headers, any other
	// Origin gets 403. When set, they are also the only sites (with the
	// chat's own) that may show the page in a frame, unless FrameAncestors
	// says otherwise.
	AllowedOrigins []string

	// MaxBody limits a posted message's body, in bytes; 32 KiB by default,
	// enough for bot.MaxTextLen characters of any script.
	MaxBody int64
	// FloodLimit messages per FloodWindow are accepted from one visitor;
	// more get 429. 20 in 10 s by default.
	FloodLimit  int
	FloodWindow time.Duration
	// AddressFloodLimit messages per FloodWindow are accepted from one
	// client address, all its visitors together, so that visitor tokens
	// hoarded over days start conversations no faster than that; 10 times
	// FloodLimit by default.
	AddressFloodLimit int
	// VisitorLimit new visitors per VisitorWindow are issued to one
	// client address; 120 in 10 minutes by default. Behind a reverse
	// proxy, list the proxy in Proxies, or every client has its address.
	VisitorLimit  int
	VisitorWindow time.Duration
	// NewVisitorsPerMinute bounds the visitors issued by this server to
	// all addresses together; 1,200 by default.
	NewVisitorsPerMinute int
	// MaxStreams limits the live connections (tabs) of one visitor; 5 by default.
	MaxStreams int
	// MaxAddressStreams limits the live connections from one client
	// address, all visitors together; 50 by default.
	MaxAddressStreams int
	// MaxOpenStreams limits the live connections of this server; 5,000 by default.
	MaxOpenStreams int
	// HistoryLimit is how many transcript events the page loads; 100 by default.
	HistoryLimit int
	// HandleTimeout bounds one call of Handler; 30 s by default. The call
	// does not end when the visitor hangs up, so a message being
	// committed is not torn.
	HandleTimeout time.Duration
	// Heartbeat is the interval of keep-alive comments on the stream, so
	// proxies do not close it; 25 s by default.
	Heartbeat time.Duration
	// FrameAncestors are the origins allowed to show the page in a frame
	// (CSP frame-ancestors); by default "'self'" and AllowedOrigins, or
	// "*" when no origin is listed, since the widget embeds the page on
	// the shop's site. Use []string{"'self'", "https://shop.example"} to
	// restrict it.
	FrameAncestors []string
	// Clock tells the time for message times and the limits.
	Clock bot.Clock
	// Bus, with several replicas, carries each reply to the replica that
	// holds the visitor's page (Run listens to it); nil for one process.
	Bus bot.Bus
}

// Chat is the web chat channel and its HTTP handler.
type Chat struct {
	cfg     Config
	log     *slog.Logger
	mux     *http.ServeMux
	streams *hub
	tokens  *signer
	origins originPolicy
	// flood limits messages per visitor (chat ID), addrFlood per client
	// address; visitors limits new visitors per client address, and
	// newVisitors all new visitors of this server (one key).
	flood, addrFlood      *guard.Limiter
	visitors, newVisitors *guard.Limiter
	// warned lets a warning of each kind (a refused origin, the server's
	// streams full) out once a minute, so a flood does not flood the log.
	warned *guard.Limiter
	page   []byte // the rendered page, standalone
	embed  []byte // the rendered page, in the widget's iframe
	csp    string
	id     string // this replica, to skip its own notices on the bus
}

var (
	_ bot.Channel  = (*Chat)(nil)
	_ http.Handler = (*Chat)(nil)
	_ History      = (bot.Store)(nil)
)

// New returns a Chat. It panics if cfg.Handler is nil, cfg.Key is
// shorter than KeyMinLen or an allowed origin is not one (check it with
// ParseOrigins first): wiring mistakes. To break the cycle between the
// engine (which sends through the Chat) and the Chat (which calls the
// engine), pass a bot.HandlerFunc that calls the engine built afterwards.
func New(cfg Config) *Chat {
	if cfg.Handler == nil {
		panic("webchat: Config.Handler is nil")
	}
	if len(cfg.Key) > 0 && len(cfg.Key) < KeyMinLen {
		panic(fmt.Sprintf("webchat: Config.Key is %d bytes, want at least %d", len(cfg.Key), KeyMinLen))
	}
	origins, err := ParseOrigins(cfg.AllowedOrigins)
	if err != nil {
		panic("webchat: Config.AllowedOrigins: " + err.Error())
	}
	cfg.AllowedOrigins = origins
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Title == "" {
		cfg.Title = "Chat"
	}
	if cfg.Channel == "" {
		cfg.Channel = "web"
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 32 << 10
	}
	if cfg.FloodLimit <= 0 {
		cfg.FloodLimit = 20
	}
	if cfg.FloodWindow <= 0 {
		cfg.FloodWindow = 10 * time.Second
	}
	if cfg.AddressFloodLimit <= 0 {
		cfg.AddressFloodLimit = 10 * cfg.FloodLimit
	}
	if cfg.VisitorLimit <= 0 {
		cfg.VisitorLimit = 120
	}
	if cfg.VisitorWindow <= 0 {
		cfg.VisitorWindow = 10 * time.Minute
	}
	if cfg.NewVisitorsPerMinute <= 0 {
		cfg.NewVisitorsPerMinute = 1200
	}
	if cfg.MaxStreams <= 0 {
		cfg.MaxStreams = 5
	}
	if cfg.MaxAddressStreams <= 0 {
		cfg.MaxAddressStreams = 50
	}
	if cfg.MaxOpenStreams <= 0 {
		cfg.MaxOpenStreams = 5000
	}
	if cfg.HistoryLimit <= 0 {
		cfg.HistoryLimit = 100
	}
	if cfg.HandleTimeout <= 0 {
		cfg.HandleTimeout = 30 * time.Second
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 25 * time.Second
	}
	if len(cfg.FrameAncestors) == 0 {
		cfg.FrameAncestors = []string{"*"}
		if len(cfg.AllowedOrigins) > 0 {
			cfg.FrameAncestors = append([]string{"'self'"}, cfg.AllowedOrigins...)
		}
	}
	if cfg.Clock == nil {
		cfg.Clock = bot.SystemClock{}
	}
	c := &Chat{
		cfg: cfg,
		log: cfg.Logger.With("component", "webchat"),
		streams: newHub(hubLimits{perVisitor: cfg.MaxStreams, perAddress: cfg.MaxAddressStreams,
			total: cfg.MaxOpenStreams}),
		tokens:      newSigner(cfg.Key),
		origins:     originPolicy{allowed: cfg.AllowedOrigins},
		flood:       guard.NewLimiter(cfg.FloodLimit, cfg.FloodWindow, 0),
		addrFlood:   guard.NewLimiter(cfg.AddressFloodLimit, cfg.FloodWindow, 0),
		visitors:    guard.NewLimiter(cfg.VisitorLimit, cfg.VisitorWindow, 0),
		newVisitors: guard.NewLimiter(cfg.NewVisitorsPerMinute, time.Minute, 1),
		warned:      guard.NewLimiter(1, time.Minute, 1000),
		csp: "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
			"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors " +
			strings.Join(cfg.FrameAncestors, " "),
	}
	var id [8]byte
	rand.Read(id[:])
	c.id = hex.EncodeToString(id[:])
	c.page = renderPage(cfg.Title, false)
	c.embed = renderPage(cfg.Title, true)
	c.routes()
	return c
}

func (c *Chat) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", c.servePage)
	m.HandleFunc("GET /widget.js", c.serveWidget)
	m.HandleFunc("GET /chat/assets/{name}", c.serveAsset)
	m.HandleFunc("POST /chat/visitors", c.api(c.newVisitor))
	m.HandleFunc("POST /chat/messages", c.api(c.postMessage))
	m.HandleFunc("GET /chat/history", c.api(c.history))
	m.HandleFunc("GET /chat/events", c.api(c.events))
	for _, p := range []string{"/chat/visitors", "/chat/messages", "/chat/history", "/chat/events"} {
		m.HandleFunc("OPTIONS "+p, c.api(c.preflight))
	}
	c.mux = m
}

// ServeHTTP serves the page, the widget and the API (see the package doc).
func (c *Chat) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	c.mux.ServeHTTP(w, r)
}

// Send pushes r to the visitor's open pages. It returns nil when none is
// open: the reply is in the transcript, and the page loads it when it
// comes back.
func (c *Chat) Send(ctx context.Context, r bot.Reply) error {
	if r.Address.Channel != c.cfg.Channel {
		return fmt.Errorf("webchat: send to %s: not a %q address: %w", r.Address.Ref(), c.cfg.Channel, bot.ErrUndeliverable)
	}
	l := lineOf(r, c.cfg.Clock.Now())
	c.streams.push(r.Address.ChatID, l)
	if c.cfg.Bus != nil {
		// The visitor's page may be connected to another replica.
		b, err := json.Marshal(notice{From: c.id, Visitor: r.Address.ChatID, Line: l})
		if err == nil {
			err = c.cfg.Bus.Publish(ctx, busTopic, b)
		}
		if err != nil {
			// The page reloads the history when it reconnects: log only.
			c.log.Warn("reply not published to the other replicas", "err", err)
		}
	}
	return nil
}

// busTopic is the web chat's topic on the bus.
const busTopic = "webchat"

// A notice is a reply on the bus, for the replica holding the page.
type notice struct {
	From    string `json:"from"`
	Visitor string `json:"visitor"`
	Line    line   `json:"line"`
}

// Run passes replies that other replicas deliver to the pages connected
// here, until ctx ends. Without a Bus it just waits.
func (c *Chat) Run(ctx context.Context) error {
	if c.cfg.Bus == nil {
		<-ctx.Done()
		return nil
	}
	for {
		err := c.cfg.Bus.Subscribe(ctx, busTopic, func(p []byte) {
			var n notice
			if json.Unmarshal(p, &n) != nil || n.From == c.id {
				return
			}
			c.streams.push(n.Visitor, n.Line)
		})
		if ctx.Err() != nil {
			return nil
		}
		c.log.Warn("bus subscription lost; subscribing again", "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
}

// Close ends every open stream and refuses new ones, so that an
// http.Server's Shutdown is not held up by them: call it from
// Server.RegisterOnShutdown. Messages are still accepted.
func (c *Chat) Close() error {
	c.streams.close()
	return nil
}
