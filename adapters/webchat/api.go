package webchat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/adapters/guard"
	"github.com/sportello/sportello/bot"
)

// A postRequest is the body of POST /chat/messages.
type postRequest struct {
	Visitor string `json:"visitor"`
	// ID is the page's ID of the message, the same on every retry.
	ID      string `json:"id"`
	Text    string `json:"text"`
	Payload string `json:"payload"`
	// Lang is the browser's language (navigator.language), a hint.
	Lang string `json:"lang"`
}

// A requestError is a refused request: its status, a code the page can
// act on, and a message for a developer.
type requestError struct {
	status  int
	code    string
	message string
}

func (e *requestError) Error() string { return e.message }

func badRequest(code, format string, args ...any) *requestError {
	return &requestError{http.StatusBadRequest, code, fmt.Sprintf(format, args...)}
}

// decodePost reads and checks a posted message of at most max bytes. The
// texts it returns are valid UTF-8; the engine judges their content
// (length, unknown payloads).
func decodePost(r io.Reader, max int64) (postRequest, error) {
	var p postRequest
	body, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return p, badRequest("bad_body", "read body: %v", err)
	}
	if int64(len(body)) > max {
		return p, &requestError{http.StatusRequestEntityTooLarge, "too_large",
			fmt.Sprintf("body over %d bytes", max)}
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return p, badRequest("bad_json", "invalid JSON: %v", err)
	}
	if !validVisitor(p.Visitor) {
		return p, errBadVisitor
	}
	if !validMessageID(p.ID) {
		return p, badRequest("bad_id", "id must be 1 to 64 letters, digits, '-' or '_'")
	}
	// The engine cleans and bounds every text at its boundary
	// (bot.Message.Clean); encoding/json has already made it valid UTF-8.
	if strings.TrimSpace(p.Text) == "" && p.Payload == "" {
		return p, badRequest("empty", "text and payload are both empty")
	}
	if !validLang(p.Lang) {
		p.Lang = "" // only a hint: drop a strange one rather than refuse the message
	}
	return p, nil
}

// errBadVisitor refuses a visitor token the server did not issue. The
// page knows the code: it asks for a new visitor and goes on.
var errBadVisitor = badRequest("bad_visitor", "visitor is not one this server issued: ask POST /chat/visitors for a new one")

// validVisitor reports whether v has the form of a visitor token; only
// the signer tells whether the server issued it.
func validVisitor(v string) bool {
	if len(v) != tokenLen || !strings.HasPrefix(v, tokenPrefix) {
		return false
	}
	for i := len(tokenPrefix); i < len(v); i++ {
		c := v[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// chatOf returns the chat ID of the visitor token v, or errBadVisitor.
func (c *Chat) chatOf(v string) (string, error) {
	if !validVisitor(v) {
		return "", errBadVisitor
	}
	id, ok := c.tokens.verify(v)
	if !ok {
		return "", errBadVisitor
	}
	return id, nil
}

// validMessageID reports whether id is a usable client message ID.
func validMessageID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// validLang reports whether s looks like a BCP 47 tag ("it", "en-GB").
func validLang(s string) bool {
	if len(s) == 0 || len(s) > 35 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

// api wraps a handler of the API with the checks every API request
// passes first: the page's Origin, then, for a POST, a JSON body.
func (c *Chat) api(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin") // the answer depends on it
		switch c.origins.judge(r) {
		case originRefused:
			o := r.Header.Get("Origin")
			if len(o) > 100 {
				o = o[:100]
			}
			if c.warned.Allow("origin "+o, c.cfg.Clock.Now()).OK {
				c.log.Warn("refusing requests from another site's page (not in the allowed origins)", "origin", o, "path", r.URL.Path)
			}
			writeError(w, &requestError{http.StatusForbidden, "origin",
				"this site may not use the chat: its origin is not allowed"})
			return
		case originAllowed:
			// A shop's own page calls the API: let the browser read the
			// answer. No cookies are involved, so no credentials.
			h.Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			h.Set("Access-Control-Expose-Headers", "Retry-After")
		}
		if r.Method == http.MethodPost && !isJSON(r) {
			writeError(w, &requestError{http.StatusUnsupportedMediaType, "content_type",
				"the body must be sent as Content-Type: application/json"})
			return
		}
		next(w, r)
	}
}

// preflight answers a browser's CORS preflight; api has checked the Origin.
func (c *Chat) preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST")
	h.Set("Access-Control-Allow-Headers", "Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

// tooMany refuses a request over a limit with 429, a Retry-After of the
// limiter's wait, and a text for the visitor.
func tooMany(w http.ResponseWriter, wait time.Duration, code, text string) {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": text, "code": code, "retry_after": secs})
}

func (c *Chat) newVisitor(w http.ResponseWriter, r *http.Request) {
	// New visitors per client address are limited too: otherwise a
	// flooder would dodge the per-visitor limit by taking a new ID. And
	// all new visitors of the server together: each may become a session.
	// A client is its IPv4 address or its IPv6 /64 (guard.Network).
	ip := c.cfg.Proxies.ClientNet(r)
	now := c.cfg.Clock.Now()
	if d := c.visitors.Allow(ip, now); !d.OK {
		tooMany(w, d.Wait, "flood", "Too many new conversations from your network. Please try again later.")
		if d.Refused == 1 {
			c.log.Warn("flood: refusing new visitors", "net", guard.LogNet(ip), "wait", d.Wait)
		}
		return
	}
	if d := c.newVisitors.Allow("", now); !d.OK {
		tooMany(w, d.Wait, "busy", "Too many new conversations right now. Please try again in a minute.")
		if d.Refused == 1 {
			c.log.Warn("refusing new visitors: the server-wide limit is reached",
				"per_minute", c.cfg.NewVisitorsPerMinute, "wait", d.Wait)
		}
		return
	}
	token, _ := c.tokens.issue()
	writeJSON(w, http.StatusCreated, map[string]string{"visitor": token})
}

func (c *Chat) postMessage(w http.ResponseWriter, r *http.Request) {
	p, err := decodePost(r.Body, c.cfg.MaxBody)
	if err != nil {
		writeError(w, err)
		return
	}
	chat, err := c.chatOf(p.Visitor)
	if err != nil {
		writeError(w, err)
		return
	}
	addr := bot.Address{Channel: c.cfg.Channel, ChatID: chat}
	now := c.cfg.Clock.Now()
	if d := c.flood.Allow(chat, now); !d.OK {
		tooMany(w, d.Wait, "flood", "You are sending messages a little too fast. Please wait a few seconds.")
		if d.Refused == 1 {
			// Once per burst: a flood must not flood the log too.
			c.log.Warn("flood: refusing messages", "chat", addr, "wait", d.Wait)
		}
		return
	}
	ip := c.cfg.Proxies.ClientNet(r)
	if d := c.addrFlood.Allow(ip, now); !d.OK {
		tooMany(w, d.Wait, "flood", "Too many messages from your network. Please wait a few seconds.")
		if d.Refused == 1 {
			c.log.Warn("flood: refusing messages from a client address", "net", guard.LogNet(ip), "wait", d.Wait)
		}
		return
	}
	m := bot.Message{
		ID:      c.cfg.Channel + ":" + chat + ":" + p.ID,
		Address: addr,
		Sender:  bot.Sender{Language: p.Lang},
		Text:    p.Text,
		Payload: p.Payload,
		Time:    now,
	}
	// The visitor may hang up, but the message being committed must not be
	// torn: the handler gets its own deadline instead.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), c.cfg.HandleTimeout)
	defer cancel()
	err = c.cfg.Handler.Handle(ctx, m)
	if err != nil && !errors.Is(err, bot.ErrDuplicate) {
		c.log.Error("handle message", "chat", addr, "msg", addr.LogID(m.ID), "err", err)
		w.Header().Set("Retry-After", "2")
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{
			"error": "The message could not be handled now; send it again with the same id.",
			"code":  "retry",
		})
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

func (c *Chat) history(w http.ResponseWriter, r *http.Request) {
	chat, err := c.chatOf(r.URL.Query().Get("visitor"))
	if err != nil {
		writeError(w, err)
		return
	}
	lines := []line{}
	if c.cfg.History != nil {
		addr := bot.Address{Channel: c.cfg.Channel, ChatID: chat}
		events, err := c.cfg.History.Transcript(r.Context(), addr, c.cfg.HistoryLimit)
		if err != nil {
			c.log.Error("load history", "chat", addr, "err", err)
			w.Header().Set("Retry-After", "2")
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{
				"error": "The conversation could not be loaded now.", "code": "retry"})
			return
		}
		for _, e := range events {
			if l, ok := lineOfEvent(e); ok {
				lines = append(lines, l)
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"lines": lines})
}

// events streams the visitor's replies as server-sent events.
func (c *Chat) events(w http.ResponseWriter, r *http.Request) {
	chat, err := c.chatOf(r.URL.Query().Get("visitor"))
	if err != nil {
		writeError(w, err)
		return
	}
	ip := c.cfg.Proxies.ClientNet(r)
	s, err := c.streams.open(chat, ip)
	switch {
	case errors.Is(err, errTooManyStreams):
		w.Header().Set("Retry-After", "10")
		writeJSON(w, http.StatusTooManyRequests, map[string]string{
			"error": fmt.Sprintf("at most %d open chats per visitor", c.cfg.MaxStreams), "code": "streams"})
		return
	case errors.Is(err, errAddressStreams):
		if c.warned.Allow("streams "+ip, c.cfg.Clock.Now()).OK {
			// Behind a proxy that is not listed, every visitor has its address.
			c.log.Warn("refusing event streams from a client address at its maximum (a proxy? list it in trusted_proxies)",
				"net", guard.LogNet(ip), "max", c.cfg.MaxAddressStreams)
		}
		w.Header().Set("Retry-After", "10")
		writeJSON(w, http.StatusTooManyRequests, map[string]string{
			"error": "too many open chats from your network", "code": "streams"})
		return
	case errors.Is(err, errServerStreams):
		if c.warned.Allow("streams", c.cfg.Clock.Now()).OK {
			c.log.Warn("refusing event streams: the server holds its maximum", "max", c.cfg.MaxOpenStreams)
		}
		w.Header().Set("Retry-After", "10")
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "too many open chats on this server", "code": "busy"})
		return
	case err != nil:
		w.Header().Set("Retry-After", "5")
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "shutting down", "code": "retry"})
		return
	}
	defer c.streams.leave(chat, ip, s)

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	// send writes one chunk with its own deadline: the server's
	// WriteTimeout must not end a long stream, and a stuck client must not
	// hold it forever.
	send := func(chunk string) bool {
		rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.WriteString(w, chunk); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: 3000\nevent: ready\ndata: {}\n\n") {
		return
	}
	tick := time.NewTicker(c.cfg.Heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.gone:
			return
		case <-tick.C:
			if !send(": ping\n\n") {
				return
			}
		case l := <-s.lines:
			b, _ := json.Marshal(l)
			if !send("event: reply\ndata: " + string(b) + "\n\n") {
				return
			}
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	var re *requestError
	if !errors.As(err, &re) {
		re = &requestError{http.StatusInternalServerError, "internal", "internal error"}
	}
	writeJSON(w, re.status, map[string]string{"error": re.message, "code": re.code})
}
