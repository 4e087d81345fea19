package telegram

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

// testToken is the token of the tests. It must appear in no log line.
const testToken = "987654321:AAtest-SECRET-token_never-logged0123"

// fakeTelegram is a local Bot API server speaking the real JSON of the
// methods the channel uses: getMe, getUpdates (offset, limit, long-poll
// timeout, 409 when another poll or a webhook is active), sendMessage,
// sendChatAction, answerCallbackQuery, setWebhook, deleteWebhook. In
// webhook mode it delivers updates to the webhook one at a time, in order,
// retrying those not answered 200, as Telegram does.
type fakeTelegram struct {
	tb  testing.TB
	srv *httptest.Server

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every change
	pending []fakeUpdate  // not confirmed yet, by update_id
	nextID  int64
	msgID   int
	pollGen int // the latest getUpdates; earlier ones end with 409

	webhookURL, secret string
	allowed            string
	attempts           map[int64]int // webhook deliveries per update
	webhookCodes       map[int64][]int

	calls     []fakeCall
	sent      []fakeSent
	conflicts int

	// hook, when set, may answer a call instead of the fake: it returns
	// handled false to let the fake answer.
	hook func(ctx context.Context, method string, v url.Values) (status int, body string, handled bool)

	stop chan struct{}
	done chan struct{}
}

type fakeUpdate struct {
	id  int64
	raw json.RawMessage
}

type fakeCall struct {
	Method  string
	Params  url.Values
	Replica string // X-Replica of the request
	At      time.Time
}

// fakeSent is a message the bot sent.
type fakeSent struct {
	ChatID    int64
	Text      string
	ParseMode string
	Markup    json.RawMessage // reply_markup, as sent
	Message   map[string]any  // the Message returned
}

func newFakeTelegram(tb testing.TB) *fakeTelegram {
	f := &fakeTelegram{
		tb: tb, changed: make(chan struct{}), nextID: 1000, msgID: 1,
		attempts: make(map[int64]int), webhookCodes: make(map[int64][]int),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	go f.deliver()
	tb.Cleanup(func() {
		close(f.stop)
		<-f.done
		f.srv.Close()
	})
	return f
}

// setHook sets the fake's hook.
func (f *fakeTelegram) setHook(h func(ctx context.Context, method string, v url.Values) (int, string, bool)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hook = h
}

// URL is the fake's base URL, for Config.APIURL.
func (f *fakeTelegram) URL() string { return f.srv.URL }

func (f *fakeTelegram) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// push queues an update (its update_id is set) and returns its ID.
func (f *fakeTelegram) push(u map[string]any) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	u["update_id"] = f.nextID
	raw, err := json.Marshal(u)
	if err != nil {
		f.tb.Fatal(err)
	}
	f.pending = append(f.pending, fakeUpdate{id: f.nextID, raw: raw})
	f.notify()
	return f.nextID
}

// user returns the from/chat of a private chat.
func user(chatID int64, lang string) map[string]any {
	return map[string]any{"id": chatID, "is_bot": false, "first_name": "Mario", "last_name": "Rossi",
		"username": "mrossi" + strconv.FormatInt(chatID, 10), "language_code": lang}
}

func privateChat(chatID int64) map[string]any {
	return map[string]any{"id": chatID, "type": "private", "first_name": "Mario"}
}

// text queues a text message from chat and returns its update ID.
func (f *fakeTelegram) text(chatID int64, lang, text string) int64 {
	return f.push(map[string]any{"message": f.message(chatID, lang, map[string]any{"text": text})})
}

func (f *fakeTelegram) message(chatID int64, lang string, fields map[string]any) map[string]any {
	f.mu.Lock()
	f.msgID++
	id := f.msgID
	f.mu.Unlock()
	m := map[string]any{"message_id": id, "from": user(chatID, lang), "chat": privateChat(chatID), "date": time.Now().Unix()}
	for k, v := range fields {
		m[k] = v
	}
	return m
}

// press presses the button titled title under the last message the bot
// sent to chat, as Telegram does: a callback_query carrying that message.
func (f *fakeTelegram) press(chatID int64, lang, title string) (int64, error) {
	f.mu.Lock()
	var found *fakeSent
	for i := len(f.sent) - 1; i >= 0 && found == nil; i-- {
		if f.sent[i].ChatID == chatID && len(f.sent[i].Markup) > 0 {
			found = &f.sent[i]
		}
	}
	f.mu.Unlock()
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
				return f.push(map[string]any{"callback_query": map[string]any{
					"id": "cq" + strconv.FormatInt(chatID, 10), "from": user(chatID, lang),
					"message": found.Message, "chat_instance": "ci", "data": b.Data,
				}}), nil
			}
			titles = append(titles, b.Text)
		}
	}
	return 0, fmt.Errorf("no button %q in %q", title, titles)
}

func (f *fakeTelegram) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || token != testToken {
		writeJSON(w, http.StatusUnauthorized, `{"ok":false,"error_code":401,"description":"Unauthorized"}`)
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, `{"ok":false,"error_code":400,"description":"Bad Request: bad form"}`)
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, fakeCall{Method: method, Params: r.PostForm, Replica: r.Header.Get("X-Replica"), At: time.Now()})
	hook := f.hook
	f.mu.Unlock()
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
		f.getUpdates(w, r, v)
	case "sendMessage":
		f.sendMessage(w, v)
	case "sendChatAction", "answerCallbackQuery":
		writeJSON(w, 200, `{"ok":true,"result":true}`)
	case "setWebhook":
		f.mu.Lock()
		f.webhookURL, f.secret, f.allowed = v.Get("url"), v.Get("secret_token"), v.Get("allowed_updates")
		f.notify()
		f.mu.Unlock()
		writeJSON(w, 200, `{"ok":true,"result":true,"description":"Webhook was set"}`)
	case "deleteWebhook":
		f.mu.Lock()
		f.webhookURL, f.secret = "", ""
		f.mu.Unlock()
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
func (f *fakeTelegram) getUpdates(w http.ResponseWriter, r *http.Request, v url.Values) {
	offset, _ := strconv.ParseInt(v.Get("offset"), 10, 64)
	limit, _ := strconv.Atoi(v.Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(v.Get("timeout"))
	deadline := time.After(time.Duration(timeout) * time.Second)

	f.mu.Lock()
	if f.webhookURL != "" {
		f.mu.Unlock()
		writeJSON(w, 409, `{"ok":false,"error_code":409,"description":"Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}`)
		return
	}
	f.pollGen++
	gen := f.pollGen
	f.notify()
	for {
		if gen != f.pollGen {
			f.conflicts++
			f.mu.Unlock()
			writeJSON(w, 409, `{"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}`)
			return
		}
		if offset > 0 {
			i := 0
			for i < len(f.pending) && f.pending[i].id < offset {
				i++
			}
			f.pending = f.pending[i:]
		}
		var out []json.RawMessage
		for _, u := range f.pending {
			if u.id >= offset && len(out) < limit {
				out = append(out, u.raw)
			}
		}
		if len(out) > 0 || timeout == 0 {
			f.mu.Unlock()
			body, _ := json.Marshal(map[string]any{"ok": true, "result": append([]json.RawMessage{}, out...)})
			writeJSON(w, 200, string(body))
			return
		}
		ch := f.changed
		f.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			timeout = 0
		case <-r.Context().Done():
			return
		}
		f.mu.Lock()
	}
}

func (f *fakeTelegram) sendMessage(w http.ResponseWriter, v url.Values) {
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
	f.mu.Lock()
	f.msgID++
	msg := map[string]any{
		"message_id": f.msgID, "date": time.Now().Unix(), "text": text,
		"from": map[string]any{"id": 987654321, "is_bot": true, "first_name": "Shop", "username": "shop_bot"},
		"chat": privateChat(chatID),
	}
	if rm := v.Get("reply_markup"); rm != "" {
		msg["reply_markup"] = json.RawMessage(rm)
	}
	f.sent = append(f.sent, fakeSent{ChatID: chatID, Text: text, ParseMode: v.Get("parse_mode"), Markup: json.RawMessage(v.Get("reply_markup")), Message: msg})
	f.notify()
	f.mu.Unlock()
	body, _ := json.Marshal(map[string]any{"ok": true, "result": msg})
	writeJSON(w, 200, string(body))
}

// deliver sends the pending updates to the webhook while one is set, one
// at a time, confirming each on 200 and retrying it otherwise.
func (f *fakeTelegram) deliver() {
	defer close(f.done)
	client := &http.Client{Timeout: 10 * time.Second}
	for {
		f.mu.Lock()
		url, secret := f.webhookURL, f.secret
		var next *fakeUpdate
		if url != "" && len(f.pending) > 0 {
			next = &f.pending[0]
		}
		ch := f.changed
		f.mu.Unlock()
		if next == nil {
			select {
			case <-ch:
				continue
			case <-f.stop:
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
		f.mu.Lock()
		f.attempts[next.id]++
		f.webhookCodes[next.id] = append(f.webhookCodes[next.id], code)
		if code == http.StatusOK && len(f.pending) > 0 && f.pending[0].id == next.id {
			f.pending = f.pending[1:]
		}
		f.notify()
		f.mu.Unlock()
		if code != http.StatusOK {
			select {
			case <-time.After(50 * time.Millisecond):
			case <-f.stop:
				return
			}
		}
	}
}

// Sent returns the messages the bot sent to chat, or to every chat when
// chat is 0.
func (f *fakeTelegram) Sent(chat int64) []fakeSent {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeSent
	for _, s := range f.sent {
		if chat == 0 || s.ChatID == chat {
			out = append(out, s)
		}
	}
	return out
}

// Calls returns the calls of method made so far.
func (f *fakeTelegram) Calls(method string) []fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeCall
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Pending returns how many updates are not confirmed yet.
func (f *fakeTelegram) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.pending)
}

// waitFor waits until cond holds on the fake, or fails the test.
func (f *fakeTelegram) waitFor(tb testing.TB, what string, d time.Duration, cond func() bool) {
	tb.Helper()
	deadline := time.After(d)
	for {
		f.mu.Lock()
		ch := f.changed
		f.mu.Unlock()
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
