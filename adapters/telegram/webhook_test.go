package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/sportello/sportello/adapters/telegram/telegramfake"
	"github.com/sportello/sportello/bot"
)

// stubAPI is a telegramAPI that records requests and succeeds, for the
// tests that need no server.
type stubAPI struct {
	mu   sync.Mutex
	reqs []tgbotapi.Chattable
	fail func(c tgbotapi.Chattable) error
}

func (s *stubAPI) Request(ctx context.Context, c tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	s.mu.Lock()
	s.reqs = append(s.reqs, c)
	fail := s.fail
	s.mu.Unlock()
	if fail != nil {
		if err := fail(c); err != nil {
			return nil, err
		}
	}
	return &tgbotapi.APIResponse{Ok: true, Result: json.RawMessage(`true`)}, nil
}

func (s *stubAPI) Call(ctx context.Context, method string, params tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	return &tgbotapi.APIResponse{Ok: true, Result: json.RawMessage(`true`)}, nil
}

func (s *stubAPI) messages() []tgbotapi.MessageConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []tgbotapi.MessageConfig
	for _, r := range s.reqs {
		if m, ok := r.(tgbotapi.MessageConfig); ok {
			out = append(out, m)
		}
	}
	return out
}

// recorder is a Handler that keeps the messages it is handed.
type recorder struct {
	mu   sync.Mutex
	msgs []bot.Message
	err  error
}

func (r *recorder) Handle(ctx context.Context, m bot.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	return r.err
}

func (r *recorder) all() []bot.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.msgs)
}

const testSecret = "s3cret_webhook-token"

// newStubChannel returns a webhook channel on a stub API.
func newStubChannel(tb testing.TB, h bot.Handler, opts ...func(*Config)) (*Channel, *stubAPI) {
	tb.Helper()
	cfg := Config{Token: testToken, Mode: ModeWebhook, WebhookURL: "https://shop.example/telegram/webhook",
		Secret: testSecret, Handler: h, Logger: testLogger()}
	fastConfig(&cfg)
	for _, o := range opts {
		o(&cfg)
	}
	ch, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	api := &stubAPI{}
	ch.api = api
	return ch, api
}

// post sends body to the webhook with the secret header, or none if secret is "".
func post(ch http.Handler, secret, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, WebhookPath, strings.NewReader(body))
	if secret != "" {
		r.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	w := httptest.NewRecorder()
	ch.ServeHTTP(w, r)
	return w
}

const helloUpdate = `{"update_id":5,"message":{"message_id":1,"date":1700000000,"text":"ciao",
	"from":{"id":42,"is_bot":false,"first_name":"Giulia","last_name":"Bianchi","username":"gb","language_code":"it-IT"},
	"chat":{"id":42,"type":"private"}}}`

func TestWebhookSecret(t *testing.T) {
	h := &recorder{}
	ch, _ := newStubChannel(t, h)
	tests := []struct {
		name, secret string
		want         int
	}{
		{"missing", "", http.StatusUnauthorized},
		{"forged", "s3cret_webhook-tokeX", http.StatusUnauthorized},
		{"prefix", "s3cret", http.StatusUnauthorized},
		{"longer", testSecret + "x", http.StatusUnauthorized},
		{"right", testSecret, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if w := post(ch, tt.secret, helloUpdate); w.Code != tt.want {
				t.Errorf("status %d, want %d", w.Code, tt.want)
			}
		})
	}
	if n := len(h.all()); n != 1 {
		t.Errorf("handler saw %d messages, want only the one with the right secret", n)
	}

	r := httptest.NewRequest(http.MethodGet, WebhookPath, nil)
	r.Header.Set("X-Telegram-Bot-Api-Secret-Token", testSecret)
	w := httptest.NewRecorder()
	ch.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d", w.Code)
	}
	polling, _ := newStubChannel(t, h, func(c *Config) { c.Mode = ModePolling })
	if w := post(polling, testSecret, helloUpdate); w.Code != http.StatusNotFound {
		t.Errorf("polling mode: status %d, want 404", w.Code)
	}
}

// TestWebhookUnusable: through the fake's real webhook delivery, updates
// the bot cannot use are answered 200 once and never come again; a
// sticker gets the engine's polite answer in the customer's language.
func TestWebhookUnusable(t *testing.T) {
	rg := newRig(t, nil, nil, ModeWebhook, newEcho())
	f := rg.fake
	f.WaitFor(t, "the webhook", 5*time.Second, func() bool { return len(f.Calls("setWebhook")) > 0 })
	ids := map[string]int64{
		"edited message": f.Push(map[string]any{"edited_message": f.Message(20, "it", map[string]any{"text": "ciao!", "edit_date": 1700000001})}),
		"sticker":        f.Push(map[string]any{"message": f.Message(21, "it", map[string]any{"sticker": map[string]any{"file_id": "S1", "file_unique_id": "s1", "width": 512, "height": 512, "is_animated": false}})}),
		"voice":          f.Push(map[string]any{"message": f.Message(22, "en-GB", map[string]any{"voice": map[string]any{"file_id": "V1", "file_unique_id": "v1", "duration": 3}})}),
		"channel post":   f.Push(map[string]any{"channel_post": map[string]any{"message_id": 1, "date": 1, "chat": map[string]any{"id": -100123, "type": "channel"}, "text": "news"}}),
		"group message":  f.Push(map[string]any{"message": map[string]any{"message_id": 1, "date": 1, "from": telegramfake.User(23, "it"), "chat": map[string]any{"id": -5, "type": "group"}, "text": "hi"}}),
		"unknown kind":   f.Push(map[string]any{"message_reaction": map[string]any{"chat": telegramfake.PrivateChat(24), "message_id": 1}}),
		"unreadable":     f.Push(map[string]any{"message": map[string]any{"message_id": "not a number", "chat": telegramfake.PrivateChat(25)}}),
		"service":        f.Push(map[string]any{"message": f.Message(26, "it", map[string]any{"pinned_message": map[string]any{"message_id": 1, "date": 1, "chat": telegramfake.PrivateChat(26)}})}),
	}
	last := f.Text(27, "en", "after them")
	f.WaitFor(t, "every update delivered", 5*time.Second, func() bool { return f.Pending() == 0 })

	for name, id := range ids {
		codes := f.WebhookCodes(id)
		if !slices.Equal(codes, []int{200}) {
			t.Errorf("%s: webhook answered %v, want one 200", name, codes)
		}
	}
	if got := f.Texts(21); len(got) != 1 || !strings.Contains(got[0], "Non ho ricevuto testo") {
		t.Errorf("sticker answered %q, want the Italian 'no text' line", got)
	}
	if got := f.Texts(22); len(got) != 1 || !strings.Contains(got[0], "I didn't receive any text") {
		t.Errorf("voice answered %q, want the English 'no text' line", got)
	}
	for _, chat := range []int64{20, 23, 24, 25, 26} {
		if got := f.Texts(chat); len(got) != 0 {
			t.Errorf("chat %d was answered %q, want nothing", chat, got)
		}
	}
	if got := f.Texts(27); !slices.Equal(got, []string{"echo: after them"}) || f.Attempts(last) != 1 {
		t.Errorf("the update after them: %q", got)
	}
}

// TestWebhookRetryOnFailure: when the engine cannot commit, the webhook
// answers 500 and Telegram's redelivery gets it handled.
func TestWebhookRetryOnFailure(t *testing.T) {
	var fails atomic.Int32
	fails.Store(2)
	failing := func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, m bot.Message) error {
			if fails.Add(-1) >= 0 {
				return errors.New("store unreachable")
			}
			return next.Handle(ctx, m)
		})
	}
	rg := newRig(t, nil, nil, ModeWebhook, newEcho(), func(s *rigSetup) { s.mw = failing })
	f := rg.fake
	id := f.Text(30, "en", "are you there?")
	f.WaitFor(t, "delivery", 5*time.Second, func() bool { return f.Pending() == 0 })
	codes := f.WebhookCodes(id)
	if !slices.Equal(codes, []int{500, 500, 200}) {
		t.Errorf("webhook answered %v, want 500, 500, 200", codes)
	}
	if got := f.Texts(30); !slices.Equal(got, []string{"echo: are you there?"}) {
		t.Errorf("customer read %q", got)
	}
}

func TestWebhookBodies(t *testing.T) {
	ch, _ := newStubChannel(t, &recorder{}, func(c *Config) { c.MaxBody = 1024 })
	tests := []struct {
		name, body string
		want       int
	}{
		{"not JSON", "hello", 400},
		{"empty", "", 400},
		{"null", "null", 400},
		{"no update_id", `{"message":{}}`, 400},
		{"array", `[1,2]`, 400},
		{"too large", `{"update_id":1,"message":{"text":"` + strings.Repeat("a", 2000) + `"}}`, 200},
		{"unreadable", `{"update_id":1,"message":{"chat":"x"}}`, 200},
		{"callback without message", `{"update_id":2,"callback_query":{"id":"q","from":{"id":1,"first_name":"A"},"data":"x","chat_instance":"c"}}`, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if w := post(ch, testSecret, tt.body); w.Code != tt.want {
				t.Errorf("status %d, want %d", w.Code, tt.want)
			}
		})
	}
}

// TestInboundMessages: what the engine receives for each kind of update.
func TestInboundMessages(t *testing.T) {
	from := `"from":{"id":42,"is_bot":false,"first_name":"Giulia","last_name":"Bianchi","username":"gb","language_code":"it"},"chat":{"id":-0,"type":"private"}`
	from = strings.Replace(from, `"id":-0`, `"id":9007199254740993`, 1) // beyond float64's integers
	tests := []struct {
		name, message string
		want          bot.Message
	}{
		{"text", `"text":"ciao"`, bot.Message{Text: "ciao"}},
		{"photo", `"caption":"rotto","photo":[{"file_id":"small","file_unique_id":"a","width":90,"height":90},{"file_id":"big","file_unique_id":"c","width":1280,"height":960},{"file_id":"mid","file_unique_id":"b","width":320,"height":240}]`,
			bot.Message{Text: "rotto", Attachments: []bot.Attachment{{Kind: "photo", FileID: "big", Caption: "rotto"}}}},
		{"document", `"document":{"file_id":"D1","file_unique_id":"d","file_name":"scontrino.pdf"}`,
			bot.Message{Attachments: []bot.Attachment{{Kind: "document", FileID: "D1", Name: "scontrino.pdf"}}}},
		{"location", `"location":{"latitude":45.46,"longitude":9.19}`, bot.Message{}},
		{"video note", `"video_note":{"file_id":"N","file_unique_id":"n","length":240,"duration":4}`, bot.Message{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &recorder{}
			ch, _ := newStubChannel(t, h)
			body := `{"update_id":77,"message":{"message_id":3,"date":1700000000,` + from + `,` + tt.message + `}}`
			if w := post(ch, testSecret, body); w.Code != 200 {
				t.Fatalf("status %d", w.Code)
			}
			got := h.all()
			if len(got) != 1 {
				t.Fatalf("handler saw %d messages", len(got))
			}
			want := tt.want
			want.ID = "tg:77"
			want.Address = bot.Address{Channel: "telegram", ChatID: "9007199254740993"}
			want.Sender = bot.Sender{Name: "Giulia Bianchi", Username: "gb", Language: "it"}
			want.Time = time.Unix(1700000000, 0)
			if fmt.Sprintf("%+v", got[0]) != fmt.Sprintf("%+v", want) {
				t.Errorf("got  %+v\nwant %+v", got[0], want)
			}
		})
	}
}

// TestButtons: button payloads come back as pressed, the title as the
// text; payloads over 64 bytes travel as a hash kept in the Directory,
// so another replica (or a restarted one) resolves them.
func TestButtons(t *testing.T) {
	long := "flow:warranty:product=" + strings.Repeat("x", 100)
	dir := newDirectory()
	h := &recorder{}
	ch, api := newStubChannel(t, h, func(c *Config) { c.Directory = dir })
	buttons := []bot.Button{{Title: "Short", Payload: "yes"}, {Title: "Long", Payload: long}, {Title: "Tricky", Payload: "h:looks-hashed"}}
	if err := ch.Send(context.Background(), bot.Reply{Address: bot.Address{Channel: Name, ChatID: "42"}, Text: "Pick one", Buttons: buttons}); err != nil {
		t.Fatal(err)
	}
	msgs := api.messages()
	kb := msgs[0].ReplyMarkup.(tgbotapi.InlineKeyboardMarkup)
	markup, _ := json.Marshal(kb)
	for _, row := range kb.InlineKeyboard {
		if d := *row[0].CallbackData; len(d) > 64 {
			t.Errorf("callback_data of %q has %d bytes", row[0].Text, len(d))
		}
	}
	if *kb.InlineKeyboard[0][0].CallbackData != "yes" {
		t.Errorf("a short payload was changed: %q", *kb.InlineKeyboard[0][0].CallbackData)
	}

	other, _ := newStubChannel(t, h, func(c *Config) { c.Directory = dir }) // another replica
	for i, b := range buttons {
		data := *kb.InlineKeyboard[i][0].CallbackData
		body := fmt.Sprintf(`{"update_id":%d,"callback_query":{"id":"q%d","chat_instance":"c","data":%q,
			"from":{"id":42,"is_bot":false,"first_name":"Giulia","language_code":"it"},
			"message":{"message_id":9,"date":1,"chat":{"id":42,"type":"private"},"text":"Pick one","reply_markup":%s}}}`, 100+i, i, data, markup)
		if w := post(other, testSecret, body); w.Code != 200 {
			t.Fatalf("status %d", w.Code)
		}
		got := h.all()[i]
		if got.Payload != b.Payload || got.Text != b.Title || got.ID != fmt.Sprint("tg:", 100+i) {
			t.Errorf("pressing %q: got payload %q text %q id %s", b.Title, got.Payload, got.Text, got.ID)
		}
	}

	// Without a shared Directory, a restarted process no longer knows the
	// hash: the press arrives as the title typed.
	h2 := &recorder{}
	lonely, _ := newStubChannel(t, h2)
	data := *kb.InlineKeyboard[1][0].CallbackData
	body := fmt.Sprintf(`{"update_id":200,"callback_query":{"id":"q","chat_instance":"c","data":%q,"from":{"id":42,"first_name":"G"},
		"message":{"message_id":9,"date":1,"chat":{"id":42,"type":"private"},"text":"Pick one","reply_markup":%s}}}`, data, markup)
	post(lonely, testSecret, body)
	if got := h2.all(); len(got) != 1 || got[0].Text != "Long" || got[0].Payload != "" {
		t.Errorf("unknown hash: got %+v", got)
	}
}

// directory is a bot.Directory in memory.
type directory struct {
	mu sync.Mutex
	m  map[string]string
}

func newDirectory() *directory { return &directory{m: make(map[string]string)} }

func (d *directory) Put(ctx context.Context, key, value string, ttl time.Duration) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.m[key] = value
	return nil
}

func (d *directory) Get(ctx context.Context, key string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.m[key], nil
}

// TestFormatting: the bot's text goes as plain text, untouched; agents'
// replies show the name in bold and system lines in italics, escaped for
// parse_mode HTML.
func TestFormatting(t *testing.T) {
	ch, api := newStubChannel(t, &recorder{})
	addr := bot.Address{Channel: Name, ChatID: "42"}
	for _, r := range []bot.Reply{
		{Address: addr, Text: "1 < 2 & <b>not bold</b>"},
		{Address: addr, Text: "Ciao <3 & grazie", From: "Anna <Vendite>"},
		{Address: addr, Text: "Anna joined & is here", System: true},
	} {
		if err := ch.Send(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	got := api.messages()
	want := []struct{ text, mode string }{
		{"1 < 2 & <b>not bold</b>", ""},
		{"<b>Anna &lt;Vendite&gt;</b>\nCiao &lt;3 &amp; grazie", "HTML"},
		{"<i>Anna joined &amp; is here</i>", "HTML"},
	}
	for i, w := range want {
		if got[i].Text != w.text || got[i].ParseMode != w.mode {
			t.Errorf("reply %d: %q (%q), want %q (%q)", i, got[i].Text, got[i].ParseMode, w.text, w.mode)
		}
	}
}

// Test500Chats: 500 chats write at once through the webhook; every
// message is answered, in order within each chat.
//
// Delivery is at least once: a sendMessage whose answer does not come
// (the deadline passed, the connection broke) may have reached Telegram,
// which has no way to ask, and it is sent again rather than lost. Under
// -race on a loaded machine a call can outlast its deadline while the
// fake records it, so a reply may come twice (the late call may even land
// after the next replies): as many times at most as calls went
// unanswered, never otherwise, and each first in its place.
func Test500Chats(t *testing.T) {
	const chats, each = 500, 4
	unanswered := &unansweredCalls{}
	rg := newRig(t, nil, nil, ModeWebhook, newEcho(), func(s *rigSetup) {
		s.cfg.TypingDelay = time.Minute
		s.ecfg.FloodLimit = 100
		// The production lease, and so send timeout (10 s): under -race,
		// 500 chats at once wait seconds for the fake's answers.
		s.ecfg.Lease = 30 * time.Second
		s.cfg.HTTPClient = &http.Client{Transport: unanswered}
	})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 100}}
	start := time.Now()
	var wg sync.WaitGroup
	var failed atomic.Int32
	for c := range chats {
		wg.Go(func() {
			chat := int64(1_000_000 + c)
			for i := range each {
				body, _ := json.Marshal(map[string]any{"update_id": c*each + i + 1, "message": map[string]any{
					"message_id": i + 1, "date": time.Now().Unix(), "text": fmt.Sprintf("%d/%d", c, i),
					"from": telegramfake.User(chat, "en"), "chat": telegramfake.PrivateChat(chat)}})
				req, _ := http.NewRequest(http.MethodPost, rg.hook.URL+WebhookPath, bytes.NewReader(body))
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", testSecret)
				resp, err := client.Do(req)
				if err != nil || resp.StatusCode != 200 {
					failed.Add(1)
					if resp != nil {
						resp.Body.Close()
					}
					return
				}
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	t.Logf("%d messages in %v", chats*each, time.Since(start))
	if n := failed.Load(); n > 0 {
		t.Fatalf("%d chats got an error", n)
	}
	// A reply whose send failed is sent again after a backoff: wait for it.
	var twice int
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var wrong []string
		twice = 0
		for c := range chats {
			var want []string
			for i := range each {
				want = append(want, fmt.Sprintf("echo: %d/%d", c, i))
			}
			got := rg.fake.Texts(int64(1_000_000 + c))
			var once []string // the replies as first read
			for _, text := range got {
				if !slices.Contains(once, text) {
					once = append(once, text)
				}
			}
			twice += len(got) - len(once)
			if !slices.Equal(once, want) {
				wrong = append(wrong, fmt.Sprintf("chat %d read %q, want %q", c, got, want))
			}
		}
		if len(wrong) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d chats did not read their replies in order:\n%s", len(wrong), strings.Join(wrong[:min(len(wrong), 5)], "\n"))
		}
	}
	if n := int(unanswered.n.Load()); twice > n {
		t.Errorf("%d replies read twice, with %d calls unanswered: a reply came twice though its send had an answer", twice, n)
	} else if twice > 0 {
		t.Logf("%d replies read twice after %d calls went unanswered (at least once)", twice, n)
	}
}

// unansweredCalls is a transport that counts the calls whose answer did
// not arrive whole: the request may have reached Telegram, or not.
type unansweredCalls struct{ n atomic.Int32 }

func (u *unansweredCalls) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		u.n.Add(1)
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		u.n.Add(1)
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}
