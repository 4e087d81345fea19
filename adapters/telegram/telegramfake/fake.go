// Package telegramfake is a fake Telegram Bot API for tests: a local
// server speaking the real JSON of the methods the channel uses (getMe,
// getUpdates with offset, limit and long-poll timeout, sendMessage,
// sendChatAction, answerCallbackQuery, setWebhook, deleteWebhook), with
// Telegram's errors (401 for a wrong token, 409 when another poll or a
// webhook is active, 400 for an empty text or bad button data). In webhook
// mode it delivers updates to the webhook one at a time, in order,
// retrying those not answered 200, as Telegram does.
//
// Tests act as customers in private chats (Text, Press, Say, Tap) and
// read what the bot sent to each chat (Sent, Texts).
package telegramfake

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Token is the only bot token the fake accepts; any other gets 401. Tests
// check that it appears in no log line.
const Token = "987654321:AAtest-SECRET-token_never-logged0123"

// BotID is the bot's user ID, the token's first part.
const BotID = 987654321

// Hook may answer a call instead of the fake: it returns handled false to
// let the fake answer. An empty body with handled true answers with the
// status alone.
type Hook func(ctx context.Context, method string, v url.Values) (status int, body string, handled bool)

// A Call is a request the bot made.
type Call struct {
	Method  string
	Params  url.Values
	Replica string // the request's X-Replica header, for tests of replicas
	At      time.Time
}

// Sent is a message the bot sent.
type Sent struct {
	ChatID    int64
	Text      string
	ParseMode string
	Markup    json.RawMessage // reply_markup, as sent
	Message   map[string]any  // the Message returned
}

// Titles returns the titles of the message's inline buttons, in order.
func (m Sent) Titles() []string {
	var kb struct {
		Rows [][]struct {
			Text string `json:"text"`
		} `json:"inline_keyboard"`
	}
	_ = json.Unmarshal(m.Markup, &kb)
	var out []string
	for _, row := range kb.Rows {
		for _, b := range row {
			out = append(out, b.Text)
		}
	}
	return out
}

// Server is the fake Telegram. Its zero value is not usable; see New.
type Server struct {
	tb  testing.TB
	srv *httptest.Server

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every change
	pending []update      // not confirmed yet, by update_id
	nextID  int64
	msgID   int
	pollGen int // the latest getUpdates; earlier ones end with 409

	webhookURL, secret string
	allowed            string
	attempts           map[int64]int // webhook deliveries per update
	webhookCodes       map[int64][]int

	calls     []Call
	sent      []Sent
	conflicts int
	hook      Hook

	stop chan struct{}
	done chan struct{}
}

type update struct {
	id  int64
	raw json.RawMessage
}

// New starts a fake Telegram; it stops when the test ends.
func New(tb testing.TB) *Server {
	s := &Server{
		tb: tb, changed: make(chan struct{}), nextID: 1000, msgID: 1,
		attempts: make(map[int64]int), webhookCodes: make(map[int64][]int),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	go s.deliver()
	tb.Cleanup(func() {
		close(s.stop)
		<-s.done
		s.srv.Close()
	})
	return s
}

// URL is the fake's base URL, for the channel's APIURL (TELEGRAM_API_URL).
func (s *Server) URL() string { return s.srv.URL }

// SetHook sets the hook that may answer calls instead of the fake.
func (s *Server) SetHook(h Hook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook = h
}

// notify wakes whoever waits for a change; s.mu is held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Push queues an update (its update_id is set) and returns its ID.
func (s *Server) Push(u map[string]any) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	u["update_id"] = s.nextID
	raw, err := json.Marshal(u)
	if err != nil {
		s.tb.Fatal(err)
	}
	s.pending = append(s.pending, update{id: s.nextID, raw: raw})
	s.notify()
	return s.nextID
}

// User returns the from of the customer of a private chat, Mario Rossi,
// whose user ID is the chat's.
func User(chatID int64, lang string) map[string]any {
	return map[string]any{"id": chatID, "is_bot": false, "first_name": "Mario", "last_name": "Rossi",
		"username": "mrossi" + strconv.FormatInt(chatID, 10), "language_code": lang}
}

// PrivateChat returns the chat of a private conversation with the bot.
func PrivateChat(chatID int64) map[string]any {
	return map[string]any{"id": chatID, "type": "private", "first_name": "Mario"}
}

// Text queues a text message from chat and returns its update ID.
func (s *Server) Text(chatID int64, lang, text string) int64 {
	return s.Push(map[string]any{"message": s.Message(chatID, lang, map[string]any{"text": text})})
}

// Message returns a new message of the customer of chat, with fields
// (text, sticker, photo...) added.
func (s *Server) Message(chatID int64, lang string, fields map[string]any) map[string]any {
	s.mu.Lock()
	s.msgID++
	id := s.msgID
	s.mu.Unlock()
	m := map[string]any{"message_id": id, "from": User(chatID, lang), "chat": PrivateChat(chatID), "date": time.Now().Unix()}
	for k, v := range fields {
		m[k] = v
	}
	return m
}

// Press presses the button titled title under the last message the bot
// sent to chat with a keyboard, as Telegram does: a callback_query
// carrying that message. It returns the update's ID.
func (s *Server) Press(chatID int64, lang, title string) (int64, error) {
	s.mu.Lock()
	var found *Sent
	for i := len(s.sent) - 1; i >= 0 && found == nil; i-- {
		if s.sent[i].ChatID == chatID && len(s.sent[i].Markup) > 0 {
			found = &s.sent[i]
		}
	}
	s.mu.Unlock()
	if found == nil {
		return 0, fmt.Errorf("chat %d has no keyboard", chatID)
	}
	var kb struct {
		Rows [][]struct {
			Text string `json:"text"`
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal(found.Markup, &kb); err != nil {
		return 0, err
	}
	var titles []string
	for _, row := range kb.Rows {
		for _, b := range row {
			if b.Text == title {
				return s.Push(map[string]any{"callback_query": map[string]any{
					"id": "cq" + strconv.FormatInt(chatID, 10), "from": User(chatID, lang),
					"message": found.Message, "chat_instance": "ci", "data": b.Data,
				}}), nil
			}
			titles = append(titles, b.Text)
		}
	}
	return 0, fmt.Errorf("no button %q in %q", title, titles)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || token != Token {
		writeJSON(w, http.StatusUnauthorized, `{"ok":false,"error_code":401,"description":"Unauthorized"}`)
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, `{"ok":false,"error_code":400,"description":"Bad Request: bad form"}`)
		return
	}
	s.mu.Lock()
	s.calls = append(s.calls, Call{Method: method, Params: r.PostForm, Replica: r.Header.Get("X-Replica"), At: time.Now()})
	hook := s.hook
	s.mu.Unlock()
	if hook != nil {
		if status, body, handled := hook(r.Context(), method, r.PostForm); handled {
			if body != "" {
				writeJSON(w, status, body)
			} else {
				w.WriteHeader(status)
			}
			return
		}
	}
	v := r.PostForm
	switch method {
	case "getMe":
		writeJSON(w, 200, `{"ok":true,"result":{"id":987654321,"is_bot":true,"first_name":"Shop","username":"shop_bot","can_join_groups":true}}`)
	case "getUpdates":
		s.getUpdates(w, r, v)
	case "sendMessage":
		s.sendMessage(w, v)
	case "sendChatAction", "answerCallbackQuery":
		writeJSON(w, 200, `{"ok":true,"result":true}`)
	case "setWebhook":
		s.mu.Lock()
		s.webhookURL, s.secret, s.allowed = v.Get("url"), v.Get("secret_token"), v.Get("allowed_updates")
		s.notify()
		s.mu.Unlock()
		writeJSON(w, 200, `{"ok":true,"result":true,"description":"Webhook was set"}`)
	case "deleteWebhook":
		s.mu.Lock()
		s.webhookURL, s.secret = "", ""
		s.mu.Unlock()
		writeJSON(w, 200, `{"ok":true,"result":true,"description":"Webhook is already deleted"}`)
	default:
		writeJSON(w, 404, `{"ok":false,"error_code":404,"description":"Not Found: method not found"}`)
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

// getUpdates confirms the updates before offset, then returns up to limit
// of the rest, waiting up to timeout seconds for one.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, v url.Values) {
	offset, _ := strconv.ParseInt(v.Get("offset"), 10, 64)
	limit, _ := strconv.Atoi(v.Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(v.Get("timeout"))
	deadline := time.After(time.Duration(timeout) * time.Second)

	s.mu.Lock()
	if s.webhookURL != "" {
		s.mu.Unlock()
		writeJSON(w, 409, `{"ok":false,"error_code":409,"description":"Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}`)
		return
	}
	s.pollGen++
	gen := s.pollGen
	s.notify()
	for {
		if gen != s.pollGen {
			s.conflicts++
			s.mu.Unlock()
			writeJSON(w, 409, `{"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}`)
			return
		}
		if offset > 0 {
			i := 0
			for i < len(s.pending) && s.pending[i].id < offset {
				i++
			}
			s.pending = s.pending[i:]
		}
		var out []json.RawMessage
		for _, u := range s.pending {
			if u.id >= offset && len(out) < limit {
				out = append(out, u.raw)
			}
		}
		if len(out) > 0 || timeout == 0 {
			s.mu.Unlock()
			body, _ := json.Marshal(map[string]any{"ok": true, "result": append([]json.RawMessage{}, out...)})
			writeJSON(w, 200, string(body))
			return
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			timeout = 0
		case <-r.Context().Done():
			return
		}
		s.mu.Lock()
	}
}

func (s *Server) sendMessage(w http.ResponseWriter, v url.Values) {
	chatID, err := strconv.ParseInt(v.Get("chat_id"), 10, 64)
	text := v.Get("text")
	n := len([]rune(text))
	switch {
	case err != nil:
		writeJSON(w, 400, `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`)
		return
	case strings.TrimSpace(text) == "":
		writeJSON(w, 400, `{"ok":false,"error_code":400,"description":"Bad Request: message text is empty"}`)
		return
	case n > 4096 && v.Get("parse_mode") == "":
		writeJSON(w, 400, `{"ok":false,"error_code":400,"description":"Bad Request: message is too long"}`)
		return
	}
	if rm := v.Get("reply_markup"); rm != "" {
		var kb struct {
			Rows [][]struct {
				Data string `json:"callback_data"`
			} `json:"inline_keyboard"`
		}
		if json.Unmarshal([]byte(rm), &kb) != nil {
			writeJSON(w, 400, `{"ok":false,"error_code":400,"description":"Bad Request: can't parse reply keyboard markup JSON object"}`)
			return
		}
		for _, row := range kb.Rows {
			for _, b := range row {
				if len(b.Data) > 64 || b.Data == "" {
					writeJSON(w, 400, `{"ok":false,"error_code":400,"description":"Bad Request: BUTTON_DATA_INVALID"}`)
					return
				}
			}
		}
	}
	s.mu.Lock()
	s.msgID++
	msg := map[string]any{
		"message_id": s.msgID, "date": time.Now().Unix(), "text": text,
		"from": map[string]any{"id": BotID, "is_bot": true, "first_name": "Shop", "username": "shop_bot"},
		"chat": PrivateChat(chatID),
	}
	if rm := v.Get("reply_markup"); rm != "" {
		msg["reply_markup"] = json.RawMessage(rm)
	}
	s.sent = append(s.sent, Sent{ChatID: chatID, Text: text, ParseMode: v.Get("parse_mode"), Markup: json.RawMessage(v.Get("reply_markup")), Message: msg})
	s.notify()
	s.mu.Unlock()
	body, _ := json.Marshal(map[string]any{"ok": true, "result": msg})
	writeJSON(w, 200, string(body))
}

// deliver sends the pending updates to the webhook while one is set, one
// at a time, confirming each on 200 and retrying it otherwise.
func (s *Server) deliver() {
	defer close(s.done)
	client := &http.Client{Timeout: 10 * time.Second}
	for {
		s.mu.Lock()
		url, secret := s.webhookURL, s.secret
		var next *update
		if url != "" && len(s.pending) > 0 {
			next = &s.pending[0]
		}
		ch := s.changed
		s.mu.Unlock()
		if next == nil {
			select {
			case <-ch:
				continue
			case <-s.stop:
				return
			}
		}
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(next.raw))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		code := 0
		if resp, err := client.Do(req); err == nil {
			code = resp.StatusCode
			resp.Body.Close()
		}
		s.mu.Lock()
		s.attempts[next.id]++
		s.webhookCodes[next.id] = append(s.webhookCodes[next.id], code)
		if code == http.StatusOK && len(s.pending) > 0 && s.pending[0].id == next.id {
			s.pending = s.pending[1:]
		}
		s.notify()
		s.mu.Unlock()
		if code != http.StatusOK {
			select {
			case <-time.After(50 * time.Millisecond):
			case <-s.stop:
				return
			}
		}
	}
}

// Sent returns the messages the bot sent to chat, or to every chat when
// chat is 0.
func (s *Server) Sent(chat int64) []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Sent
	for _, m := range s.sent {
		if chat == 0 || m.ChatID == chat {
			out = append(out, m)
		}
	}
	return out
}

// Texts returns the texts the bot sent to chat.
func (s *Server) Texts(chat int64) []string {
	var out []string
	for _, m := range s.Sent(chat) {
		out = append(out, m.Text)
	}
	return out
}

// Calls returns the calls of method made so far.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Pending returns how many updates are not confirmed yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// Conflicts returns how many getUpdates requests ended with 409 because a
// later one began: overlapping pollers.
func (s *Server) Conflicts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conflicts
}

// Attempts returns how many times update id was delivered to the webhook.
func (s *Server) Attempts(id int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts[id]
}

// WebhookCodes returns the status codes the webhook answered to the
// deliveries of update id, in order (0 when it did not answer).
func (s *Server) WebhookCodes(id int64) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.webhookCodes[id]...)
}

// WaitFor waits up to d until cond holds, or fails the test. It checks
// cond on every change of the fake, and every 20 ms.
func (s *Server) WaitFor(tb testing.TB, what string, d time.Duration, cond func() bool) {
	tb.Helper()
	deadline := time.After(d)
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			tb.Fatalf("timed out waiting for %s", what)
		}
	}
}

// WaitSent waits until chat has received n messages and returns them all.
func (s *Server) WaitSent(tb testing.TB, chat int64, n int) []Sent {
	tb.Helper()
	s.WaitFor(tb, fmt.Sprintf("%d messages to chat %d (have %q)", n, chat, s.Texts(chat)), 10*time.Second, func() bool {
		return len(s.Sent(chat)) >= n
	})
	return s.Sent(chat)
}

// Say sends text from chat and returns the bot's answers to it.
func (s *Server) Say(tb testing.TB, chat int64, lang, text string) []Sent {
	tb.Helper()
	before := len(s.Sent(chat))
	s.Text(chat, lang, text)
	return s.answers(tb, chat, before)
}

// Tap presses a button and returns the bot's answers to it.
func (s *Server) Tap(tb testing.TB, chat int64, lang, title string) []Sent {
	tb.Helper()
	before := len(s.Sent(chat))
	if _, err := s.Press(chat, lang, title); err != nil {
		tb.Fatal(err)
	}
	return s.answers(tb, chat, before)
}

// answers waits for the update to be confirmed (delivered or polled past)
// and returns what chat received since before.
func (s *Server) answers(tb testing.TB, chat int64, before int) []Sent {
	tb.Helper()
	s.WaitFor(tb, "the update to be handled", 10*time.Second, func() bool { return s.Pending() == 0 && len(s.Sent(chat)) > before })
	// Every reply of a turn is sent before the update is confirmed.
	return s.Sent(chat)[before:]
}
