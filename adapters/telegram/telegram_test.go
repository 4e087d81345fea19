package telegram

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sportello/sportello/adapters/telegram/telegramfake"
	"github.com/sportello/sportello/bot"
)

var tokenSecret = strings.SplitN(testToken, ":", 2)[1]

// mustNotLeak fails when err's text holds the token.
func mustNotLeak(tb testing.TB, err error) {
	tb.Helper()
	if err != nil && strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), tokenSecret) {
		tb.Errorf("the error holds the token: %v", err)
	}
}

// TestSendErrors: what Send returns for each answer of the Bot API, and
// how often it tries.
func TestSendErrors(t *testing.T) {
	tests := []struct {
		name        string
		answers     []string // status and body, in turn; then success
		wantErr     bool
		undelivered bool
		wantCalls   int
	}{
		{"blocked by the user", []string{`403 {"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`}, true, true, 1},
		{"chat not found", []string{`400 {"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`}, true, true, 1},
		{"5xx then ok", []string{`500 {"ok":false,"error_code":500,"description":"Internal Server Error"}`, `502 <html>Bad Gateway</html>`}, false, false, 3},
		{"5xx for ever", []string{"502 <html>", "502 <html>", "502 <html>", "502 <html>", "502 <html>", "502 <html>"}, true, false, 5},
		{"unauthorized", []string{`401 {"ok":false,"error_code":401,"description":"Unauthorized"}`}, true, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := telegramfake.New(t)
			var n atomic.Int32
			fake.SetHook(func(ctx context.Context, method string, v url.Values) (int, string, bool) {
				i := int(n.Add(1)) - 1
				if method != "sendMessage" || i >= len(tt.answers) {
					return 0, "", false
				}
				status, body, _ := strings.Cut(tt.answers[i], " ")
				code := 0
				fmt.Sscan(status, &code)
				return code, body, true
			})
			ch, err := New(Config{Token: testToken, APIURL: fake.URL(), Handler: &recorder{}, Logger: testLogger(), Backoff: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			err = ch.Send(context.Background(), bot.Reply{Address: bot.Address{Channel: Name, ChatID: "5"}, Text: "hi"})
			if (err != nil) != tt.wantErr || errors.Is(err, bot.ErrUndeliverable) != tt.undelivered {
				t.Errorf("err = %v, want error %v, undeliverable %v", err, tt.wantErr, tt.undelivered)
			}
			mustNotLeak(t, err)
			if got := len(fake.Calls("sendMessage")); got != tt.wantCalls {
				t.Errorf("sendMessage called %d times, want %d", got, tt.wantCalls)
			}
		})
	}
}

// TestTokenNotInErrors: network failures come from net/http with the
// request URL, and so with the token; the channel's errors never hold it.
func TestTokenNotInErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	ch, err := New(Config{Token: testToken, APIURL: closed, Handler: &recorder{}, Logger: testLogger(), Backoff: time.Millisecond, Attempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	err = ch.Send(context.Background(), bot.Reply{Address: bot.Address{Channel: Name, ChatID: "5"}, Text: "hi"})
	if err == nil || errors.Is(err, bot.ErrUndeliverable) {
		t.Fatalf("Send to a closed port: %v, want a retryable error", err)
	}
	mustNotLeak(t, err)
	t.Logf("the error reads: %v", err)

	// The library's own error text holds the token: check that this test
	// would notice.
	_, raw := (&libAPI{token: testToken, endpoint: closed + "/bot%s/%s", client: http.DefaultClient}).bot(context.Background(), new(int)).GetMe()
	if raw == nil || !strings.Contains(raw.Error(), tokenSecret) {
		t.Logf("note: the library's error no longer shows the token: %v", raw)
	}

	// A bad token stops Run with a clear error, not the token.
	fake := telegramfake.New(t)
	bad, err := New(Config{Token: "111:wrong-token", APIURL: fake.URL(), Handler: &recorder{}, Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = bad.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "TELEGRAM_TOKEN") || strings.Contains(err.Error(), "wrong-token") {
		t.Errorf("Run with a wrong token: %v", err)
	}

	cfg := Config{Token: testToken, Secret: "webhook-secret"}
	bad.cfg.Token, bad.cfg.Secret = cfg.Token, cfg.Secret
	for _, s := range []string{cfg.String(), fmt.Sprintf("%v %+v %#v %v %+v", cfg, cfg, cfg, bad, bad)} {
		if strings.Contains(s, tokenSecret) || strings.Contains(s, "webhook-secret") {
			t.Errorf("Config prints its secrets: %s", s)
		}
	}
}

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		ok      bool
		wantErr string // a part of the error, "" for none
		check   func(Config) bool
	}{
		{"off", map[string]string{}, false, "", nil},
		{"polling by default", map[string]string{"TELEGRAM_TOKEN": testToken}, true, "",
			func(c Config) bool { return c.Mode == ModePolling && c.Token == testToken }},
		{"webhook", map[string]string{"TELEGRAM_TOKEN": testToken, "TELEGRAM_MODE": "Webhook", "TELEGRAM_WEBHOOK_URL": "https://shop.example/telegram/webhook", "TELEGRAM_SECRET": "abc_DEF-123"}, true, "",
			func(c Config) bool { return c.Mode == ModeWebhook && c.Secret == "abc_DEF-123" }},
		{"local API server", map[string]string{"TELEGRAM_TOKEN": testToken, "TELEGRAM_API_URL": "http://127.0.0.1:8081"}, true, "",
			func(c Config) bool { return c.APIURL == "http://127.0.0.1:8081" }},
		{"bad mode", map[string]string{"TELEGRAM_TOKEN": testToken, "TELEGRAM_MODE": "push"}, true, "TELEGRAM_MODE", nil},
		{"webhook without URL", map[string]string{"TELEGRAM_TOKEN": testToken, "TELEGRAM_MODE": "webhook", "TELEGRAM_SECRET": "abc"}, true, "TELEGRAM_WEBHOOK_URL", nil},
		{"webhook over http", map[string]string{"TELEGRAM_TOKEN": testToken, "TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_URL": "http://shop.example/x", "TELEGRAM_SECRET": "abc"}, true, "TELEGRAM_WEBHOOK_URL", nil},
		{"webhook without secret", map[string]string{"TELEGRAM_TOKEN": testToken, "TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_URL": "https://shop.example/x"}, true, "TELEGRAM_SECRET", nil},
		{"secret with bad characters", map[string]string{"TELEGRAM_TOKEN": testToken, "TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_URL": "https://shop.example/x", "TELEGRAM_SECRET": "no spaces!"}, true, "TELEGRAM_SECRET", nil},
		{"secret too long", map[string]string{"TELEGRAM_TOKEN": testToken, "TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_URL": "https://shop.example/x", "TELEGRAM_SECRET": strings.Repeat("a", 257)}, true, "TELEGRAM_SECRET", nil},
		{"bad API URL", map[string]string{"TELEGRAM_TOKEN": testToken, "TELEGRAM_API_URL": "api.telegram.org"}, true, "TELEGRAM_API_URL", nil},
		{"not a token", map[string]string{"TELEGRAM_TOKEN": "hunter2 secret"}, true, "TELEGRAM_TOKEN", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, ok, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if ok != tt.ok {
				t.Errorf("ok = %v, want %v", ok, tt.ok)
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("err = %v, want one naming %s", err, tt.wantErr)
			case tt.check != nil && !tt.check(cfg):
				t.Errorf("config = %+v", cfg)
			}
			mustNotLeak(t, err)
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
}

func TestSplitText(t *testing.T) {
	tests := []struct {
		name string
		text string
		max  int
		want []string
	}{
		{"fits", "hello", 10, []string{"hello"}},
		{"empty", "  \n ", 10, nil},
		{"paragraph", "First para.\n\nSecond one here.", 20, []string{"First para.", "Second one here."}},
		{"sentence", "One sentence. Two sentence. Three", 30, []string{"One sentence. Two sentence.", "Three"}},
		{"space", "aaaa bbbb cccc dddd", 12, []string{"aaaa bbbb", "cccc dddd"}},
		{"no break", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"emoji count twice", "😀😀😀😀😀", 4, []string{"😀😀", "😀😀", "😀"}},
		{"accents count once", "èèèèèè", 3, []string{"èèè", "èèè"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitText(tt.text, tt.max)
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
				t.Errorf("splitText = %q, want %q", got, tt.want)
			}
			for _, p := range got {
				if !utf8.ValidString(p) || utf16Len(p) > tt.max {
					t.Errorf("piece %q: invalid or too long", p)
				}
			}
		})
	}
}

// FuzzWebhook: whatever the body, the webhook neither panics nor answers
// other than 200 or 400 (with the right secret and a working engine).
func FuzzWebhook(f *testing.F) {
	for _, s := range []string{
		helloUpdate,
		`{"update_id":1,"callback_query":{"id":"q","from":{"id":1,"first_name":"A"},"data":"h:abc","chat_instance":"c","message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"reply_markup":{"inline_keyboard":[[{"text":"x","callback_data":"h:abc"}]]}}}}`,
		`{"update_id":2,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"from":{"id":1,"first_name":"A"},"photo":[]}}`,
		`{"update_id":3,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"from":{"id":1,"first_name":"A"},"sticker":{"file_id":"s"}}}`,
		`{"update_id":4,"edited_message":{}}`, `{"update_id":-1}`, `{}`, `null`, `[]`, `{"update_id":1e40}`, "\x00",
	} {
		f.Add(s)
	}
	ch, _ := newStubChannel(f, bot.HandlerFunc(func(ctx context.Context, m bot.Message) error { return nil }), func(c *Config) {
		c.Logger = nil // the fuzzer's millions of lines stay out of the token check's buffer
		c.TypingDelay = time.Hour
	})
	f.Fuzz(func(t *testing.T, body string) {
		w := post(ch, testSecret, body)
		if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
			t.Errorf("status %d for %q", w.Code, body)
		}
	})
}

// TestAHangingTelegramFailsASendAtItsCallTimeout: a Bot API that takes
// the request and never answers fails the call at CallTimeout, so the
// engine's retry gets the reply instead of a goroutine stuck for good.
func TestAHangingTelegramFailsASendAtItsCallTimeout(t *testing.T) {
	fake := telegramfake.New(t)
	fake.SetHook(func(ctx context.Context, method string, v url.Values) (int, string, bool) {
		if method == "sendMessage" {
			<-ctx.Done() // accepted, never answered
		}
		return 0, "", false
	})
	ch, err := New(Config{Token: testToken, APIURL: fake.URL(), Handler: &recorder{}, Logger: testLogger(),
		CallTimeout: 200 * time.Millisecond, SendTimeout: time.Minute, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	err = ch.Send(context.Background(), bot.Reply{Address: bot.Address{Channel: Name, ChatID: "5"}, Text: "hi"})
	if took := time.Since(began); took > 2*time.Second {
		t.Fatalf("Send took %s against a hanging Bot API, want about the 200 ms call timeout", took)
	}
	if err == nil || errors.Is(err, bot.ErrUndeliverable) {
		t.Fatalf("Send = %v, want an error the engine retries", err)
	}
	mustNotLeak(t, err)
}

func TestTheDefaultClientHasATimeoutBeyondTheLongPoll(t *testing.T) {
	ch, err := New(Config{Token: testToken, Handler: &recorder{}, PollTimeout: 25 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if got := ch.cfg.HTTPClient.Timeout; got <= 25*time.Second || got > time.Minute {
		t.Fatalf("the default client's timeout is %s, want a little more than the 25 s long poll", got)
	}
}
