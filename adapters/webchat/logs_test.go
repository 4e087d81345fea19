package webchat

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/sportello/sportello/bot"
)

// syncBuffer is a log buffer that the server's goroutines share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The logs of the web chat name a conversation by its reference
// (bot.Address.Ref, a keyed hash of its chat ID): never the chat ID nor
// the token, never what the visitor wrote, even on the lines about
// failures and floods.
func TestWebchatLogsHoldNoVisitorTokenNorText(t *testing.T) {
	var logs syncBuffer
	f := newFixture(t, Config{Logger: slog.New(slog.NewTextHandler(&logs, nil)), FloodLimit: 2})
	v := f.mustVisitor(t)
	texts := []string{
		"il mio ordine SP-482913 non arriva, CAP 20145",
		"scrivetemi a lucia.ferri@example.org o al 347 123 4567",
		"my card is 4111 1111 1111 1111",
	}
	f.engine.failN.Store(1) // the first message fails: "handle message" is logged
	for i, text := range texts {
		f.send(t, v, "m"+string(rune('1'+i)), text)
	}
	f.history.mu.Lock()
	f.history.fail = true // the history fails: "load history" is logged
	f.history.mu.Unlock()
	if res, err := http.Get(f.srv.URL + "/chat/history?visitor=" + v); err == nil {
		res.Body.Close()
	}
	got := logs.String()
	addr := bot.Address{Channel: "web", ChatID: f.chatID(t, v)}
	for _, want := range []string{"handle message", "flood: refusing messages", "load history", addr.Ref()} {
		if !strings.Contains(got, want) {
			t.Errorf("the logs lack %q:\n%s", want, got)
		}
	}
	secrets := []string{v, addr.ChatID, "SP-482913", "20145", "lucia.ferri", "347 123 4567", "4111"}
	for _, s := range secrets {
		if strings.Contains(got, s) {
			t.Errorf("the logs hold %q:\n%s", s, got)
		}
	}
}
