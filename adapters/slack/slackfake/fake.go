// Package slackfake is a fake Slack for tests: the Web API methods the
// desk calls (chat.postMessage, chat.update, chat.postEphemeral,
// users.info, auth.test, apps.connections.open) with Slack's JSON shapes,
// a Socket Mode WebSocket speaking Slack's envelopes (hello, events_api,
// interactive, slash_commands, acks), and helpers that sign HTTP requests
// for the Events API mode. It keeps what the app posted, so tests can look
// at the channel as an agent would.
package slackfake

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Identities of the fake workspace.
const (
	TeamID    = "T0FAKE"
	AppID     = "A0FAKE"
	BotUserID = "U0BOT"
	BotID     = "B0BOT"
	Workspace = "https://sportello-test.slack.com/"
)

// A Message is a message the app posted: a card, or a reply in a thread.
type Message struct {
	Channel  string
	TS       string
	ThreadTS string // empty for a message in the channel
	Text     string
	Blocks   json.RawMessage
	Edits    int // chat.update calls on it
}

// An Ephemeral is a message only User sees.
type Ephemeral struct {
	Channel, User, ThreadTS, Text string
}

// Server is the fake Slack. Its zero value is not usable; see NewServer.
type Server struct {
	*httptest.Server
	BotToken string
	AppToken string

	mu       sync.Mutex
	seq      int
	channels map[string]bool // known channel IDs; any when empty
	users    map[string]user
	messages []*Message
	byTS     map[string]*Message // channel+ts
	ephem    []Ephemeral
	calls    map[string]int
	fail     map[string][]string // method -> errors to answer next
	conns    []*conn
	next     int // round robin over connections
	echo     bool
	hang     map[string]chan struct{} // method ("" for all) -> closed on release
	hung     int                      // calls waiting in a hang now
}

type user struct{ ID, Name, Display, Real string }

// NewServer starts a fake Slack that accepts botToken and appToken; it
// stops when the test ends.
func NewServer(tb testing.TB, botToken, appToken string) *Server {
	s := &Server{
		BotToken: botToken, AppToken: appToken,
		channels: map[string]bool{}, users: map[string]user{}, byTS: map[string]*Message{},
		calls: map[string]int{}, fail: map[string][]string{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/{method}", s.api)
	mux.HandleFunc("/link/", s.socket)
	s.Server = httptest.NewServer(mux)
	tb.Cleanup(s.Close)
	return s
}

// Close drops the Socket Mode connections and stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	conns := s.conns
	s.conns = nil
	s.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
	s.Server.CloseClientConnections()
	s.Server.Close()
}

// APIURL is the Web API's base URL, for SLACK_API_URL.
func (s *Server) APIURL() string { return s.URL + "/api/" }

// AddChannel makes channel known; once one is, posts to others fail with
// channel_not_found.
func (s *Server) AddChannel(ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		s.channels[id] = true
	}
}

// AddUser adds a member of the workspace with a display name.
func (s *Server) AddUser(id, display string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = user{ID: id, Name: strings.ToLower(strings.ReplaceAll(display, " ", ".")), Display: display, Real: display}
}

// EchoBotMessages makes Slack send the app's own posts back to it as
// message events, as it does to an app subscribed to channel messages.
func (s *Server) EchoBotMessages(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.echo = on
}

// FailNext makes the next call of method answer {"ok":false,"error":code}.
func (s *Server) FailNext(method, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[method] = append(s.fail[method], code)
}

// Hang makes calls of methods (every Web API method when none is named)
// accept the request and never answer, as a Slack that is stuck: each
// waits until release is called, then is served as usual, or until its
// client gives up. Calls made after release are served at once.
func (s *Server) Hang(methods ...string) (release func()) {
	if len(methods) == 0 {
		methods = []string{""}
	}
	gate := make(chan struct{})
	s.mu.Lock()
	if s.hang == nil {
		s.hang = map[string]chan struct{}{}
	}
	for _, m := range methods {
		s.hang[m] = gate
	}
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			for m, g := range s.hang {
				if g == gate {
					delete(s.hang, m)
				}
			}
			s.mu.Unlock()
			close(gate)
		})
	}
}

// Hanging returns how many calls are waiting in a hang now.
func (s *Server) Hanging() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hung
}

// wait holds a call of method while it hangs; it reports false when the
// client gave up first.
func (s *Server) wait(r *http.Request, method string) bool {
	s.mu.Lock()
	gate := s.hang[method]
	if gate == nil {
		gate = s.hang[""]
	}
	if gate == nil {
		s.mu.Unlock()
		return true
	}
	s.hung++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.hung--
		s.mu.Unlock()
	}()
	select {
	case <-gate:
		return true
	case <-r.Context().Done():
		return false
	}
}

// Calls returns how many times method was called.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// Cards returns the messages posted in channel outside threads, oldest
// first, as they read now.
func (s *Server) Cards(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages {
		if m.Channel == channel && m.ThreadTS == "" {
			out = append(out, *m)
		}
	}
	return out
}

// Card returns the message at channel and ts as it reads now.
func (s *Server) Card(channel, ts string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.byTS[channel+"/"+ts]
	if !ok {
		return Message{}, false
	}
	return *m, true
}

// Thread returns the replies in the thread of channel and ts, oldest first.
func (s *Server) Thread(channel, ts string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages {
		if m.Channel == channel && m.ThreadTS == ts {
			out = append(out, *m)
		}
	}
	return out
}

// Ephemerals returns the ephemeral messages posted so far.
func (s *Server) Ephemerals() []Ephemeral {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ephemeral(nil), s.ephem...)
}

// Button returns the value of the button actionID on m, or "".
func Button(m Message, actionID string) string {
	var blocks []struct {
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	_ = json.Unmarshal(m.Blocks, &blocks)
	for _, b := range blocks {
		for _, e := range b.Elements {
			if e.ActionID == actionID {
				return e.Value
			}
		}
	}
	return ""
}

// BlockText returns the text of m's blocks, one line per text object, for
// assertions on what an agent sees.
func BlockText(m Message) string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if t, ok := v["text"].(string); ok {
				out = append(out, t)
			}
			for k, e := range v {
				if k != "text" {
					walk(e)
				} else if _, ok := e.(string); !ok {
					walk(e)
				}
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	var blocks []any
	_ = json.Unmarshal(m.Blocks, &blocks)
	for _, b := range blocks {
		walk(b)
	}
	return strings.Join(out, "\n")
}

// api serves the Web API methods.
func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if !s.wait(r, method) {
		return // the client gave up
	}
	s.mu.Lock()
	s.calls[method]++
	var failure string
	if f := s.fail[method]; len(f) > 0 {
		failure, s.fail[method] = f[0], f[1:]
	}
	s.mu.Unlock()
	if failure != "" {
		reply(w, map[string]any{"ok": false, "error": failure})
		return
	}

	token := r.Form.Get("token")
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		token = bearer
	}
	want := s.BotToken
	if method == "apps.connections.open" {
		want = s.AppToken
	}
	if token == "" {
		reply(w, map[string]any{"ok": false, "error": "not_authed"})
		return
	}
	if token != want {
		reply(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}

	f := r.Form
	switch method {
	case "auth.test":
		reply(w, map[string]any{"ok": true, "url": Workspace, "team": "Sportello Test", "user": "sportello",
			"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID, "is_enterprise_install": false})
	case "apps.connections.open":
		reply(w, map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(s.URL, "http") + "/link/?ticket=" + strconv.Itoa(s.nextSeq())})
	case "users.info":
		s.mu.Lock()
		u, ok := s.users[f.Get("user")]
		s.mu.Unlock()
		if !ok {
			reply(w, map[string]any{"ok": false, "error": "user_not_found"})
			return
		}
		reply(w, map[string]any{"ok": true, "user": map[string]any{
			"id": u.ID, "team_id": TeamID, "name": u.Name, "real_name": u.Real, "deleted": false,
			"profile": map[string]any{"real_name": u.Real, "display_name": u.Display, "real_name_normalized": u.Real, "display_name_normalized": u.Display},
		}})
	case "chat.postMessage":
		m, errCode := s.post(f)
		if errCode != "" {
			reply(w, map[string]any{"ok": false, "error": errCode})
			return
		}
		reply(w, map[string]any{"ok": true, "channel": m.Channel, "ts": m.TS, "message": map[string]any{
			"type": "message", "user": BotUserID, "bot_id": BotID, "app_id": AppID, "text": m.Text, "ts": m.TS,
			"thread_ts": m.ThreadTS, "blocks": m.Blocks}})
		if s.echoing() {
			go s.echoMessage(m)
		}
	case "chat.update":
		s.mu.Lock()
		m, ok := s.byTS[f.Get("channel")+"/"+f.Get("ts")]
		if ok {
			m.Text = f.Get("text")
			m.Blocks = blocksOf(f)
			m.Edits++
		}
		s.mu.Unlock()
		if !ok {
			reply(w, map[string]any{"ok": false, "error": "message_not_found"})
			return
		}
		reply(w, map[string]any{"ok": true, "channel": f.Get("channel"), "ts": f.Get("ts"), "text": f.Get("text")})
	case "chat.postEphemeral":
		if !s.known(f.Get("channel")) {
			reply(w, map[string]any{"ok": false, "error": "channel_not_found"})
			return
		}
		s.mu.Lock()
		s.ephem = append(s.ephem, Ephemeral{Channel: f.Get("channel"), User: f.Get("user"), ThreadTS: f.Get("thread_ts"), Text: f.Get("text")})
		s.mu.Unlock()
		reply(w, map[string]any{"ok": true, "message_ts": s.ts()})
	default:
		reply(w, map[string]any{"ok": false, "error": "unknown_method"})
	}
}

func (s *Server) post(f url.Values) (Message, string) {
	ch := f.Get("channel")
	if !s.known(ch) {
		return Message{}, "channel_not_found"
	}
	if f.Get("text") == "" && f.Get("blocks") == "" {
		return Message{}, "no_text"
	}
	m := &Message{Channel: ch, TS: s.ts(), ThreadTS: f.Get("thread_ts"), Text: f.Get("text"), Blocks: blocksOf(f)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.ThreadTS != "" {
		if _, ok := s.byTS[ch+"/"+m.ThreadTS]; !ok {
			m.ThreadTS = "" // Slack posts to the channel when the parent is gone
		}
	}
	s.messages = append(s.messages, m)
	s.byTS[ch+"/"+m.TS] = m
	return *m, ""
}

func blocksOf(f url.Values) json.RawMessage {
	if b := f.Get("blocks"); b != "" {
		return json.RawMessage(b)
	}
	return nil
}

func (s *Server) known(ch string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.channels) == 0 || s.channels[ch]
}

func (s *Server) echoing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.echo && len(s.conns) > 0
}

func (s *Server) echoMessage(m Message) {
	ev := map[string]any{"type": "message", "user": BotUserID, "bot_id": BotID, "text": m.Text,
		"channel": m.Channel, "ts": m.TS, "channel_type": "channel"}
	if m.ThreadTS != "" {
		ev["thread_ts"] = m.ThreadTS
	}
	_, _ = s.Deliver("events_api", eventCallback("Ev"+m.TS, ev))
}

func (s *Server) nextSeq() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return s.seq
}

// ts returns a new message timestamp, increasing like Slack's.
func (s *Server) ts() string { return fmt.Sprintf("1700000000.%06d", s.nextSeq()) }

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

// Socket Mode.

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// conn is one Socket Mode connection of the app.
type conn struct {
	ws     *websocket.Conn
	wmu    sync.Mutex
	mu     sync.Mutex
	acks   map[string]chan json.RawMessage
	done   chan struct{}
	once   sync.Once
	events int // envelopes sent
}

func (c *conn) close() {
	c.once.Do(func() {
		close(c.done)
		_ = c.ws.Close()
	})
}

func (c *conn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteJSON(v)
}

func (s *Server) socket(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &conn{ws: ws, acks: map[string]chan json.RawMessage{}, done: make(chan struct{})}
	s.mu.Lock()
	s.conns = append(s.conns, c)
	n := len(s.conns)
	s.mu.Unlock()
	defer s.drop(c)
	_ = c.write(map[string]any{"type": "hello", "num_connections": n,
		"debug_info":      map[string]any{"host": "applink-fake", "build_number": 1, "approximate_connection_time": 18060},
		"connection_info": map[string]any{"app_id": AppID}})

	// Slack pings every few seconds; the client gives up without pings.
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-c.done:
				return
			case <-t.C:
				c.wmu.Lock()
				err := c.ws.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(time.Second))
				c.wmu.Unlock()
				if err != nil {
					c.close()
					return
				}
			}
		}
	}()
	for {
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if err := ws.ReadJSON(&ack); err != nil {
			c.close()
			return
		}
		c.mu.Lock()
		ch := c.acks[ack.EnvelopeID]
		delete(c.acks, ack.EnvelopeID)
		c.mu.Unlock()
		if ch != nil {
			ch <- ack.Payload
		}
	}
}

func (s *Server) drop(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range s.conns {
		if x == c {
			s.conns = append(s.conns[:i], s.conns[i+1:]...)
			return
		}
	}
}

// Connections returns the number of open Socket Mode connections.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Delivered returns how many envelopes each open connection was sent.
func (s *Server) Delivered() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int
	for _, c := range s.conns {
		c.mu.Lock()
		out = append(out, c.events)
		c.mu.Unlock()
	}
	return out
}

// ErrNoAck is returned by Deliver when the app did not acknowledge the
// envelope within Slack's 3 seconds: Slack would send it again.
var ErrNoAck = errors.New("slackfake: envelope not acknowledged in time")

// Deliver sends payload in an envelope of type typ (events_api,
// interactive, slash_commands) over the next connection, round robin,
// and returns the acknowledgement's payload.
func (s *Server) Deliver(typ string, payload json.RawMessage) (json.RawMessage, error) {
	return s.DeliverTo(-1, typ, payload, 0)
}

// DeliverTo sends payload over connection i (-1: the next one, round
// robin) as retry number retry, and returns the acknowledgement's payload.
func (s *Server) DeliverTo(i int, typ string, payload json.RawMessage, retry int) (json.RawMessage, error) {
	s.mu.Lock()
	if len(s.conns) == 0 {
		s.mu.Unlock()
		return nil, errors.New("slackfake: no socket mode connection")
	}
	if i < 0 {
		i = s.next % len(s.conns)
		s.next++
	}
	c := s.conns[i%len(s.conns)]
	s.seq++
	env := fmt.Sprintf("env-%d", s.seq)
	s.mu.Unlock()

	ch := make(chan json.RawMessage, 1)
	c.mu.Lock()
	c.acks[env] = ch
	c.events++
	c.mu.Unlock()
	msg := map[string]any{"envelope_id": env, "type": typ, "payload": payload,
		"accepts_response_payload": typ != "events_api", "retry_attempt": retry, "retry_reason": ""}
	if retry > 0 {
		msg["retry_reason"] = "timeout"
	}
	if err := c.write(msg); err != nil {
		return nil, fmt.Errorf("slackfake: send envelope: %w", err)
	}
	select {
	case p := <-ch:
		return p, nil
	case <-time.After(3 * time.Second):
		return nil, ErrNoAck
	case <-c.done:
		return nil, errors.New("slackfake: connection closed")
	}
}

// Payloads, in the shapes Slack sends.

var actionSeq struct {
	sync.Mutex
	n int
}

func nextActionTS() string {
	actionSeq.Lock()
	defer actionSeq.Unlock()
	actionSeq.n++
	return fmt.Sprintf("1800000000.%06d", actionSeq.n)
}

func eventCallback(eventID string, event map[string]any) json.RawMessage {
	b, _ := json.Marshal(map[string]any{
		"token": "verification-token", "team_id": TeamID, "api_app_id": AppID, "event": event,
		"type": "event_callback", "event_id": eventID, "event_time": time.Now().Unix(),
		"authorizations":        []map[string]any{{"team_id": TeamID, "user_id": BotUserID, "is_bot": true}},
		"is_ext_shared_channel": false, "event_context": "4-fake",
	})
	return b
}

// ThreadReply is the event callback of a message user wrote in the thread
// threadTS of channel.
func ThreadReply(eventID, user, channel, threadTS, text string) json.RawMessage {
	ts := nextActionTS()
	return eventCallback(eventID, map[string]any{
		"type": "message", "user": user, "text": text, "ts": ts, "thread_ts": threadTS,
		"channel": channel, "channel_type": "channel", "team": TeamID, "event_ts": ts,
	})
}

// Click is the interactive payload of user pressing the button actionID
// of card.
func Click(user string, card Message, actionID string) json.RawMessage {
	ts := nextActionTS()
	b, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user, "username": strings.ToLower(user), "name": strings.ToLower(user), "team_id": TeamID},
		"api_app_id": AppID, "token": "verification-token", "trigger_id": "trig." + ts,
		"container":    map[string]any{"type": "message", "message_ts": card.TS, "channel_id": card.Channel, "is_ephemeral": false},
		"team":         map[string]any{"id": TeamID, "domain": "sportello-test"},
		"channel":      map[string]any{"id": card.Channel, "name": "desk"},
		"message":      map[string]any{"type": "message", "ts": card.TS, "text": card.Text, "user": BotUserID, "bot_id": BotID},
		"response_url": "https://hooks.slack.com/actions/T0FAKE/1/x",
		"actions": []map[string]any{{"action_id": actionID, "block_id": "case_actions", "type": "button",
			"value": Button(card, actionID), "action_ts": ts, "text": map[string]any{"type": "plain_text", "text": actionID}}},
	})
	return b
}

// Command is the slash command /sportello with text, as user typed it in
// channel: as JSON for Socket Mode, and as the form of an HTTP request.
func Command(user, channel, text string) (json.RawMessage, url.Values) {
	v := url.Values{
		"token": {"verification-token"}, "team_id": {TeamID}, "team_domain": {"sportello-test"},
		"channel_id": {channel}, "channel_name": {"desk"}, "user_id": {user}, "user_name": {strings.ToLower(user)},
		"command": {"/sportello"}, "text": {text}, "api_app_id": {AppID}, "is_enterprise_install": {"false"},
		"response_url": {"https://hooks.slack.com/commands/T0FAKE/1/x"}, "trigger_id": {"trig." + nextActionTS()},
	}
	m := map[string]string{}
	for k := range v {
		m[k] = v.Get(k)
	}
	b, _ := json.Marshal(m)
	return b, v
}

// Signed requests, for the HTTP Events API mode.

// Sign adds Slack's signature headers to r for body, as of at.
func Sign(r *http.Request, secret string, body []byte, at time.Time) {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
}

// SignedRequest returns a POST of body to url, signed with secret as of
// at, with the content type of Slack's request of that kind: JSON for
// events, a form otherwise.
func SignedRequest(url, secret string, body []byte, at time.Time) *http.Request {
	r, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if json.Valid(body) {
		r.Header.Set("Content-Type", "application/json")
	} else {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	Sign(r, secret, body, at)
	return r
}

// InteractionForm is the HTTP body of an interactive payload.
func InteractionForm(payload json.RawMessage) []byte {
	return []byte(url.Values{"payload": {string(payload)}}.Encode())
}
