package main

import (
	"io"
	stdlog "log"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/adapters/guard"
)

// limits bound every connection and request of the one listener, so that
// a slow, idle or oversized client holds no more than its share.
type limits struct {
	// ReadHeader bounds reading the request line and headers.
	ReadHeader time.Duration
	// Read bounds reading the whole request, body included, from its
	// first byte: a body trickled a byte at a time is cut off here.
	Read time.Duration
	// Write bounds a response, from the end of the request's headers.
	// Event streams set their own deadline for each chunk they write.
	Write time.Duration
	// Idle closes a keep-alive connection unused for this long.
	Idle time.Duration
	// MaxHeader bounds the request line and headers, in bytes: larger
	// ones are refused with 431.
	MaxHeader int
	// MaxBody bounds a request's body, in bytes, on every route but the
	// webhooks; handlers that know better bound theirs tighter (the web
	// chat's messages, the review pages' forms).
	MaxBody int64
	// MaxWebhookBody bounds the bodies of /telegram/ and /slack/. Their
	// handlers read at most 1 MiB and decide what a larger update means
	// (Telegram's is acknowledged and dropped, so Telegram does not send
	// it again), so this ceiling is above theirs.
	MaxWebhookBody int64
}

// defaultLimits are the listener's limits; a test gives smaller ones in
// deps.
var defaultLimits = limits{
	ReadHeader:     10 * time.Second,
	Read:           30 * time.Second,
	Write:          2 * time.Minute,
	Idle:           60 * time.Second,
	MaxHeader:      32 << 10,
	MaxBody:        64 << 10,
	MaxWebhookBody: 2 << 20,
}

// orDefaults returns l with each zero field set to its default.
func (l limits) orDefaults() limits {
	d := defaultLimits
	pick := func(v, def time.Duration) time.Duration {
		if v > 0 {
			return v
		}
		return def
	}
	l.ReadHeader, l.Read, l.Write, l.Idle = pick(l.ReadHeader, d.ReadHeader), pick(l.Read, d.Read), pick(l.Write, d.Write), pick(l.Idle, d.Idle)
	if l.MaxHeader <= 0 {
		l.MaxHeader = d.MaxHeader
	}
	if l.MaxBody <= 0 {
		l.MaxBody = d.MaxBody
	}
	if l.MaxWebhookBody <= 0 {
		l.MaxWebhookBody = d.MaxWebhookBody
	}
	return l
}

// httpServer returns the server of handler with the limits l.
func (l limits) httpServer(handler http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           l.bound(handler),
		ReadHeaderTimeout: l.ReadHeader,
		ReadTimeout:       l.Read,
		WriteTimeout:      l.Write,
		IdleTimeout:       l.Idle,
		MaxHeaderBytes:    l.MaxHeader,
		ErrorLog:          serverErrorLog(log),
	}
}

// serverErrorLog is net/http's error log, on log at warning level, with
// the client's address that some of its lines name ("http: panic serving
// 203.0.113.7:51234: ...") written as its network (guard.LogNet), as
// every other line names a client.
func serverErrorLog(log *slog.Logger) *stdlog.Logger {
	return stdlog.New(clientNets{slog.NewLogLogger(log.Handler(), slog.LevelWarn).Writer()}, "", 0)
}

// clientNets writes lines to w with each "serving ADDR:PORT" and "from
// ADDR:PORT" replaced by the address's network.
type clientNets struct{ w io.Writer }

var servingClient = regexp.MustCompile(`\b(serving|from) (\[[0-9A-Fa-f:.%\w]+\]|[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+):[0-9]+`)

func (c clientNets) Write(p []byte) (int, error) {
	line := servingClient.ReplaceAllStringFunc(string(p), func(m string) string {
		word, addr, _ := strings.Cut(m, " ")
		return word + " " + guard.LogNet(addr)
	})
	if _, err := c.w.Write([]byte(line)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// bodyLimit returns the largest body the listener reads for path.
func (l limits) bodyLimit(path string) int64 {
	if strings.HasPrefix(path, "/telegram/") || strings.HasPrefix(path, "/slack/") {
		return l.MaxWebhookBody
	}
	return l.MaxBody
}

// bound wraps every request before its handler sees it: a body declared
// over its route's limit is refused unread (413), any other is read
// through the limit, so that no handler can read more.
//
// ReadTimeout does not end a long response (an event stream, an export):
// net/http lifts the connection's read deadline once the body has been
// read, and the response is bounded by WriteTimeout or, for event
// streams, by their deadline per chunk
// (TestEventStreamOutlivesTheReadAndWriteTimeouts).
func (l limits) bound(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		max := l.bodyLimit(r.URL.Path)
		if len(r.TransferEncoding) > 0 {
			// A chunked body may have come with a Content-Length too, which
			// net/http drops: a proxy in front that went by the length
			// would send what follows the chunks as another request, with
			// headers of the client's choosing. RFC 9112 says to close the
			// connection after such a request; browsers, Telegram and Slack
			// send lengths, so closing after every chunked one costs little.
			w.Header().Set("Connection", "close")
		}
		if r.ContentLength > max {
			w.Header().Set("Connection", "close") // the body stays unread
			http.Error(w, "request body over "+strconv.FormatInt(max, 10)+" bytes", http.StatusRequestEntityTooLarge)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, max)
		}
		next.ServeHTTP(w, r)
	})
}
