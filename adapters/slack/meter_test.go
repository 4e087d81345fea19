package slack

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/sportello/sportello/bot"
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

// TestSlackFailuresAreCountedByKind: an operator tells a revoked token or
// an app left out of its channel from a Slack that rate-limits or is
// down, from what the desk's Meter is told when it posts a case's card to
// a Web API that answers each way.
func TestSlackFailuresAreCountedByKind(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header string // Retry-After
		body   string // "hang": no answer
		want   string
	}{
		{"posted", 200, "", `{"ok":true,"channel":"C0SALES","ts":"1.1"}`, "chat.postMessage ok"},
		{"rate limited", 429, "30", ``, "chat.postMessage rate_limited"},
		{"down", 503, "", `<html>Service Unavailable</html>`, "chat.postMessage server"},
		{"a revoked token", 200, "", `{"ok":false,"error":"token_revoked"}`, "chat.postMessage auth"},
		{"the app is not in the channel", 200, "", `{"ok":false,"error":"not_in_channel"}`, "chat.postMessage setup"},
		{"a card Slack refuses", 200, "", `{"ok":false,"error":"invalid_blocks"}`, "chat.postMessage rejected"},
		{"an answer that is not the Web API's", 200, "", `<html>captive portal</html>`, "chat.postMessage invalid"},
		{"no answer in time", 0, "", "hang", "chat.postMessage timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			release := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.body == "hang" {
					select {
					case <-r.Context().Done():
					case <-release:
					}
					return
				}
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			defer close(release)
			m := &calls{}
			postCard(t, srv.URL+"/api/", m, context.Background())
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
		closed := "http://" + ln.Addr().String() + "/api/"
		ln.Close()
		m := &calls{}
		postCard(t, closed, m, context.Background())
		if got, want := m.String(), "chat.postMessage refused"; got != want {
			t.Errorf("the meter was told %q, want %q", got, want)
		}
	})
	t.Run("a call its caller ends is no failure", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}))
		defer srv.Close()
		defer close(release)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		m := &calls{}
		postCard(t, srv.URL+"/api/", m, ctx)
		if got := m.String(); got != "" {
			t.Errorf("the meter was told %q of a call cut short by its caller, want nothing", got)
		}
	})
}

// postCard has a desk on the Web API at apiURL post the card of a new
// sales case.
func postCard(t *testing.T, apiURL string, m Meter, ctx context.Context) {
	t.Helper()
	d, err := NewDesk(Config{BotToken: botToken, SigningSecret: secret, APIURL: apiURL,
		Channels: map[string]string{"sales": sales}, Handler: bot.HandlerFunc(func(context.Context, bot.Message) error { return nil }),
		Directory: &dir{}, Timeout: 200 * time.Millisecond, Meter: m})
	if err != nil {
		t.Fatal(err)
	}
	_ = d.Post(ctx, bot.DeskNote{Kind: bot.DeskOpened, Case: bot.Case{ID: "C-1", Team: "sales",
		Address: bot.Address{Channel: "web", ChatID: "v1"}, Opened: time.Now()}})
}

// TestMethodsNameEveryCall: Methods lists every method the desk's Meter
// is told of, so that metrics count each from zero.
func TestMethodsNameEveryCall(t *testing.T) {
	m := &calls{}
	api := meteredAPI{api: nopAPI{}, meter: m}
	ctx := context.Background()
	api.PostMessageContext(ctx, "C")
	api.UpdateMessageContext(ctx, "C", "1")
	api.PostEphemeralContext(ctx, "C", "U")
	api.GetUserInfoContext(ctx, "U")
	api.AuthTestContext(ctx)
	for _, c := range m.got {
		method, _, _ := strings.Cut(c, " ")
		if !slices.Contains(Methods, method) {
			t.Errorf("Methods lacks %s", method)
		}
	}
	if len(m.got) != len(Methods) {
		t.Errorf("the meter was told of %d methods, Methods lists %d", len(m.got), len(Methods))
	}
}

// nopAPI answers every call with success.
type nopAPI struct{ slackAPI }

func (nopAPI) PostMessageContext(context.Context, string, ...slack.MsgOption) (string, string, error) {
	return "", "", nil
}
func (nopAPI) UpdateMessageContext(context.Context, string, string, ...slack.MsgOption) (string, string, string, error) {
	return "", "", "", nil
}
func (nopAPI) PostEphemeralContext(context.Context, string, string, ...slack.MsgOption) (string, error) {
	return "", nil
}
func (nopAPI) GetUserInfoContext(context.Context, string, ...slack.GetUserInfoOption) (*slack.User, error) {
	return &slack.User{}, nil
}
func (nopAPI) AuthTestContext(context.Context) (*slack.AuthTestResponse, error) {
	return &slack.AuthTestResponse{}, nil
}
