package telegram

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/sportello/sportello/adapters/telegram/telegramfake"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
)

// calls is a Meter that remembers what it was told, "method kind" each
// ("method ok" for a success).
type calls struct {
	mu  sync.Mutex
	got []string
}

func (c *calls) APICall(method, failure string) {
	if failure == "" {
		failure = "ok"
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, method+" "+failure)
}

func (c *calls) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.got, ", ")
}

// TestTelegramFailuresAreCountedByKind: an operator tells a Telegram that
// refuses the token from one that rate-limits or is down, from what the
// channel's Meter is told of each try of a Send against a fake Bot API.
func TestTelegramFailuresAreCountedByKind(t *testing.T) {
	tests := []struct {
		name    string
		answers []string // status and body per try of sendMessage; "hang" never answers; then success
		want    string
	}{
		{"delivered", nil, "sendMessage ok"},
		{"blocked by the user", []string{`403 {"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`}, "sendMessage forbidden"},
		{"chat not found", []string{`400 {"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`}, "sendMessage rejected"},
		{"a revoked token", []string{`401 {"ok":false,"error_code":401,"description":"Unauthorized"}`}, "sendMessage auth"},
		{"flood control", []string{`429 {"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}`}, "sendMessage rate_limited"},
		{"5xx, a proxy's page, then ok", []string{`500 {"ok":false,"error_code":500,"description":"Internal Server Error"}`, "502 <html>Bad Gateway</html>"},
			"sendMessage server, sendMessage server, sendMessage ok"},
		{"an answer that is not the Bot API's", []string{"200 <html>captive portal</html>"}, "sendMessage invalid, sendMessage ok"},
		{"no answer in time", []string{"hang"}, "sendMessage timeout"},
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
				if tt.answers[i] == "hang" {
					<-ctx.Done()
					return 0, "", false
				}
				status, body, _ := strings.Cut(tt.answers[i], " ")
				code := 0
				fmt.Sscan(status, &code)
				return code, body, true
			})
			m := &calls{}
			ch, err := New(Config{Token: testToken, APIURL: fake.URL(), Handler: &recorder{}, Logger: testLogger(),
				Backoff: time.Millisecond, CallTimeout: 200 * time.Millisecond, SendTimeout: time.Second, Meter: m})
			if err != nil {
				t.Fatal(err)
			}
			_ = ch.Send(context.Background(), bot.Reply{Address: bot.Address{Channel: Name, ChatID: "5"}, Text: "hi"})
			if got := m.String(); got != tt.want {
				t.Errorf("the meter was told %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("the connection is refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		closed := "http://" + ln.Addr().String()
		ln.Close()
		m := &calls{}
		ch, err := New(Config{Token: testToken, APIURL: closed, Handler: &recorder{}, Logger: testLogger(),
			Backoff: time.Millisecond, Attempts: 2, Meter: m})
		if err != nil {
			t.Fatal(err)
		}
		_ = ch.Send(context.Background(), bot.Reply{Address: bot.Address{Channel: Name, ChatID: "5"}, Text: "hi"})
		if got, want := m.String(), "sendMessage refused, sendMessage refused"; got != want {
			t.Errorf("the meter was told %q, want %q", got, want)
		}
	})
	t.Run("a call its caller ends is no failure", func(t *testing.T) {
		fake := telegramfake.New(t)
		fake.SetHook(func(ctx context.Context, method string, v url.Values) (int, string, bool) {
			<-ctx.Done()
			return 0, "", false
		})
		m := &calls{}
		ch, err := New(Config{Token: testToken, APIURL: fake.URL(), Handler: &recorder{}, Logger: testLogger(), Meter: m})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		_ = ch.Send(ctx, bot.Reply{Address: bot.Address{Channel: Name, ChatID: "5"}, Text: "hi"})
		if got := m.String(); got != "" {
			t.Errorf("the meter was told %q of a call cut short by its caller, want nothing", got)
		}
	})
}

// TestMethodsNameEveryCall: Methods lists every method the channel's
// Meter is told of, in both modes, so that metrics count each from zero.
func TestMethodsNameEveryCall(t *testing.T) {
	for _, mode := range []string{ModePolling, ModeWebhook} {
		t.Run(mode, func(t *testing.T) {
			m := &calls{}
			rg := newRig(t, nil, nil, mode, botfake.Echo{}, func(s *rigSetup) { s.cfg.Meter = m })
			rg.fake.Say(t, 7, "it", "ciao")
			rg.stop()
			t.Logf("the meter heard: %s", m)
			seen := map[string]bool{}
			for _, c := range strings.Split(m.String(), ", ") {
				method, _, _ := strings.Cut(c, " ")
				seen[method] = true
			}
			for method := range seen {
				if !slices.Contains(Methods, method) {
					t.Errorf("Methods lacks %s (the meter heard %s)", method, m)
				}
			}
			if !seen["sendMessage"] {
				t.Errorf("the meter heard no sendMessage: %s", m)
			}
		})
	}
	for _, c := range []tgbotapi.Chattable{tgbotapi.MessageConfig{}, tgbotapi.ChatActionConfig{}, tgbotapi.CallbackConfig{},
		tgbotapi.UpdateConfig{}, tgbotapi.DeleteWebhookConfig{}} {
		if !slices.Contains(Methods, methodOf(c)) {
			t.Errorf("Methods lacks %s", methodOf(c))
		}
	}
}
