package webchat

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sportello/sportello/bot"
)

// fakeHistory is a transcript in memory.
type fakeHistory struct {
	mu     sync.Mutex
	events map[bot.Address][]bot.Event
	fail   bool
}

func (h *fakeHistory) Transcript(ctx context.Context, addr bot.Address, limit int) ([]bot.Event, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fail {
		return nil, errors.New("fake history down")
	}
	ev := h.events[addr]
	if len(ev) > limit {
		ev = ev[len(ev)-limit:]
	}
	return append([]bot.Event(nil), ev...), nil
}

func (h *fakeHistory) add(e bot.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.events == nil {
		h.events = make(map[bot.Address][]bot.Event)
	}
	h.events[e.Address] = append(h.events[e.Address], e)
}

// echoEngine stands for the engine: it de-duplicates by message ID,
// records the transcript, and answers "echo: TEXT" with two buttons
// through the chat, as the engine's outbox would.
type echoEngine struct {
	chat    *Chat
	history *fakeHistory
	mu      sync.Mutex
	got     []bot.Message // every call, duplicates included
	done    map[string]bool
	failN   atomic.Int32 // fail this many next calls
	delay   time.Duration
	// replies, when set (under mu), makes the replies to m instead of the
	// echo, sent one after another as the outbox sends a commit's lines.
	replies func(m bot.Message) []bot.Reply
}

func (e *echoEngine) Handle(ctx context.Context, m bot.Message) error {
	e.mu.Lock()
	e.got = append(e.got, m)
	e.mu.Unlock()
	if e.delay > 0 {
		time.Sleep(e.delay)
	}
	if e.failN.Add(-1) >= 0 {
		return errors.New("fake engine: store down")
	}
	e.mu.Lock()
	if e.done[m.ID] {
		e.mu.Unlock()
		return nil
	}
	e.done[m.ID] = true
	makeReplies := e.replies
	e.mu.Unlock()
	e.history.add(bot.Event{Address: m.Address, Type: bot.EventCustomer, Text: m.Text, Time: m.Time})
	replies := []bot.Reply{{Address: m.Address, Text: "echo: " + m.Text,
		Buttons: []bot.Button{{Title: "Yes", Payload: "yes"}, {Title: "No", Payload: "no"}}}}
	if makeReplies != nil {
		replies = makeReplies(m)
	}
	for _, r := range replies {
		r.Address = m.Address
		ev := bot.Event{Address: m.Address, Type: bot.EventBot, Text: r.Text, Buttons: r.Buttons, Time: m.Time}
		if r.System {
			ev.Type, ev.Buttons = bot.EventSystem, nil
		}
		e.history.add(ev)
		if err := e.chat.Send(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

func (e *echoEngine) calls() []bot.Message {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]bot.Message(nil), e.got...)
}

// fakeClock is a clock that moves when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type fixture struct {
	chat    *Chat
	engine  *echoEngine
	history *fakeHistory
	srv     *httptest.Server
}

func newFixture(t testing.TB, cfg Config) *fixture {
	t.Helper()
	f := &fixture{history: &fakeHistory{}}
	f.engine = &echoEngine{history: f.history, done: make(map[string]bool)}
	cfg.Handler = f.engine
	if cfg.History == nil {
		cfg.History = f.history
	}
	f.chat = New(cfg)
	f.engine.chat = f.chat
	f.srv = httptest.NewServer(f.chat)
	t.Cleanup(func() {
		f.chat.Close()
		f.srv.Close()
	})
	return f
}

// mustVisitor asks the server for a new visitor ID.
func (f *fixture) mustVisitor(t testing.TB) string {
	t.Helper()
	res, err := http.Post(f.srv.URL+"/chat/visitors", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct{ Visitor string }
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("new visitor: %d %v", res.StatusCode, err)
	}
	if !validVisitor(body.Visitor) {
		t.Fatalf("new visitor %q has not the visitor form", body.Visitor)
	}
	return body.Visitor
}

// chatID returns the chat ID of the conversation of visitor token v.
func (f *fixture) chatID(t testing.TB, v string) string {
	t.Helper()
	id, ok := f.chat.tokens.verify(v)
	if !ok {
		t.Fatalf("visitor %q was not issued by this chat", v)
	}
	return id
}

// post posts a raw body and returns the status, the decoded JSON body and
// the response headers.
func (f *fixture) post(t testing.TB, body string) (int, map[string]any, http.Header) {
	t.Helper()
	res, err := http.Post(f.srv.URL+"/chat/messages", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(res.Body).Decode(&m); err != nil {
		t.Fatalf("POST %s: %d, body is not JSON: %v", body, res.StatusCode, err)
	}
	return res.StatusCode, m, res.Header
}

func (f *fixture) send(t testing.TB, visitor, id, text string) int {
	t.Helper()
	b, _ := json.Marshal(postRequest{Visitor: visitor, ID: id, Text: text, Lang: "it-IT"})
	status, _, _ := f.post(t, string(b))
	return status
}

func (f *fixture) historyLines(t testing.TB, visitor string) []line {
	t.Helper()
	res, err := http.Get(f.srv.URL + "/chat/history?visitor=" + visitor)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("history: %s", res.Status)
	}
	var body struct{ Lines []line }
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.Lines
}

// An sse is an open event stream, read by a goroutine.
type sse struct {
	events chan sseEvent
	cancel context.CancelFunc
	status int
}

type sseEvent struct{ name, data string }

// openStream opens the visitor's event stream; with a 200 it waits for
// the "ready" event.
func (f *fixture) openStream(t testing.TB, visitor string) *sse {
	t.Helper()
	return f.openStreamWith(t, visitor)
}

// openStreamWith opens the visitor's event stream with request headers
// (name, value, ...).
func (f *fixture) openStreamWith(t testing.TB, visitor string, header ...string) *sse {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", f.srv.URL+"/chat/events?visitor="+visitor, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	s := &sse{events: make(chan sseEvent, 100), cancel: cancel, status: res.StatusCode}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		cancel()
		return s
	}
	go func() {
		defer close(s.events)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		var ev sseEvent
		for sc.Scan() {
			l := sc.Text()
			switch {
			case l == "":
				if ev.name != "" || ev.data != "" {
					s.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(l, ":"):
				s.events <- sseEvent{name: "comment", data: l}
			case strings.HasPrefix(l, "event: "):
				ev.name = l[len("event: "):]
			case strings.HasPrefix(l, "data: "):
				ev.data = l[len("data: "):]
			}
		}
	}()
	if ev := s.next(t); ev.name != "ready" {
		t.Fatalf("first event %+v, want ready", ev)
	}
	return s
}

func (s *sse) next(t testing.TB) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		if !ok {
			t.Fatal("stream ended")
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event in 5 s")
	}
	return sseEvent{}
}

func (s *sse) nextReply(t testing.TB) line {
	t.Helper()
	for {
		ev := s.next(t)
		if ev.name != "reply" {
			continue
		}
		var l line
		if err := json.Unmarshal([]byte(ev.data), &l); err != nil {
			t.Fatalf("reply %q: %v", ev.data, err)
		}
		return l
	}
}

func TestMessageAndReplyOnStream(t *testing.T) {
	f := newFixture(t, Config{})
	v := f.mustVisitor(t)
	s := f.openStream(t, v)

	if got := f.send(t, v, "m1", "ciao"); got != http.StatusOK {
		t.Fatalf("POST: %d, want 200", got)
	}
	l := s.nextReply(t)
	if l.Type != "bot" || l.Text != "echo: ciao" || len(l.Buttons) != 2 || l.Buttons[0].Payload != "yes" {
		t.Errorf("reply = %+v, want the bot's echo with two buttons", l)
	}

	calls := f.engine.calls()
	want := bot.Message{
		ID:      "web:" + f.chatID(t, v) + ":m1",
		Address: bot.Address{Channel: "web", ChatID: f.chatID(t, v)},
		Sender:  bot.Sender{Language: "it-IT"},
		Text:    "ciao",
	}
	if len(calls) != 1 {
		t.Fatalf("engine called %d times, want 1", len(calls))
	}
	got := calls[0]
	if got.ID != want.ID || got.Address != want.Address || got.Sender != want.Sender || got.Text != want.Text || got.Time.IsZero() {
		t.Errorf("engine got %+v, want %+v with a time", got, want)
	}
}

func TestButtonPressSendsPayload(t *testing.T) {
	f := newFixture(t, Config{})
	v := f.mustVisitor(t)
	b, _ := json.Marshal(postRequest{Visitor: v, ID: "b1", Text: "Yes", Payload: "yes"})
	if status, _, _ := f.post(t, string(b)); status != http.StatusOK {
		t.Fatalf("POST: %d", status)
	}
	if m := f.engine.calls()[0]; m.Text != "Yes" || m.Payload != "yes" {
		t.Errorf("engine got text %q payload %q, want Yes/yes", m.Text, m.Payload)
	}
}

func TestEveryStreamOfVisitorGetsReply(t *testing.T) {
	f := newFixture(t, Config{})
	v, other := f.mustVisitor(t), f.mustVisitor(t)
	tab1, tab2 := f.openStream(t, v), f.openStream(t, v)
	elsewhere := f.openStream(t, other)

	f.send(t, v, "m1", "hello")
	for i, s := range []*sse{tab1, tab2} {
		if l := s.nextReply(t); l.Text != "echo: hello" {
			t.Errorf("tab %d got %q", i+1, l.Text)
		}
	}
	select {
	case ev := <-elsewhere.events:
		t.Errorf("another visitor's stream got %+v", ev)
	case <-time.After(50 * time.Millisecond):
	}
}

func TestHistoryAfterReload(t *testing.T) {
	f := newFixture(t, Config{})
	v := f.mustVisitor(t)
	addr := bot.Address{Channel: "web", ChatID: f.chatID(t, v)}

	// Without any open page: the replies are only in the transcript.
	f.send(t, v, "m1", "first")
	f.history.add(bot.Event{Address: addr, Type: bot.EventIntent, Intent: "warranty"})
	f.history.add(bot.Event{Address: addr, Type: bot.EventSystem, Text: "An agent will answer here."})
	f.history.add(bot.Event{Address: addr, Type: bot.EventAgent, Agent: "Anna", Text: "Hi, I'm Anna."})
	f.history.add(bot.Event{Address: addr, Type: bot.EventError, Text: "secret internal error"})

	got := f.historyLines(t, v)
	want := []line{
		{Type: "customer", Text: "first"},
		{Type: "bot", Text: "echo: first", Buttons: []bot.Button{{Title: "Yes", Payload: "yes"}, {Title: "No", Payload: "no"}}},
		{Type: "system", Text: "An agent will answer here."},
		{Type: "agent", Text: "Hi, I'm Anna.", From: "Anna"},
	}
	if len(got) != len(want) {
		t.Fatalf("history has %d lines, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g := got[i]
		g.Time = time.Time{}
		if fmt.Sprint(g) != fmt.Sprint(want[i]) {
			t.Errorf("line %d = %+v, want %+v", i, g, want[i])
		}
	}

	if lines := f.historyLines(t, f.mustVisitor(t)); len(lines) != 0 {
		t.Errorf("a new visitor has %d lines of history, want none", len(lines))
	}
}

func TestHistoryUnavailable(t *testing.T) {
	f := newFixture(t, Config{})
	f.history.fail = true
	res, err := http.Get(f.srv.URL + "/chat/history?visitor=" + f.mustVisitor(t))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Errorf("history with the store down: %s, Retry-After %q; want 503 with Retry-After",
			res.Status, res.Header.Get("Retry-After"))
	}
}

func TestEngineErrorThenRetryWithSameID(t *testing.T) {
	f := newFixture(t, Config{})
	v := f.mustVisitor(t)
	s := f.openStream(t, v)
	f.engine.failN.Store(1)

	body := fmt.Sprintf(`{"visitor":%q,"id":"c-42","text":"is it covered?"}`, v)
	status, m, h := f.post(t, body)
	if status != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || m["code"] != "retry" {
		t.Fatalf("engine failing: %d %v Retry-After %q; want 503, code retry, Retry-After", status, m, h.Get("Retry-After"))
	}
	if strings.Contains(fmt.Sprint(m), "store down") {
		t.Errorf("the internal error reached the visitor: %v", m)
	}
	// The page sends the same message again; so may a flaky network.
	for range 2 {
		if status, _, _ := f.post(t, body); status != http.StatusOK {
			t.Fatalf("retry: %d, want 200", status)
		}
	}
	calls := f.engine.calls()
	if len(calls) != 3 {
		t.Fatalf("engine called %d times, want 3", len(calls))
	}
	for _, c := range calls {
		if want := "web:" + f.chatID(t, v) + ":c-42"; c.ID != want {
			t.Errorf("message ID %q, want the same %s each time", c.ID, want)
		}
	}
	if l := s.nextReply(t); l.Text != "echo: is it covered?" {
		t.Errorf("reply %q", l.Text)
	}
	select {
	case ev := <-s.events:
		t.Errorf("a duplicate produced a second event: %+v", ev)
	case <-time.After(50 * time.Millisecond):
	}
}

func TestBadInput(t *testing.T) {
	f := newFixture(t, Config{MaxBody: 1024})
	v := f.mustVisitor(t)
	msg := func(fields string) string { return `{"visitor":"` + v + `","id":"x1",` + fields + `}` }

	tests := []struct {
		name, body string
		status     int
		code       string
	}{
		{"body over the limit", msg(`"text":"` + strings.Repeat("a", 2000) + `"`), 413, "too_large"},
		{"not JSON", `hello`, 400, "bad_json"},
		{"truncated JSON", `{"visitor":"` + v, 400, "bad_json"},
		{"JSON of the wrong shape", `["a","b"]`, 400, "bad_json"},
		{"text of the wrong type", msg(`"text":42`), 400, "bad_json"},
		{"empty body", ``, 400, "bad_json"},
		{"empty text, no payload", msg(`"text":""`), 400, "empty"},
		{"blank text, no payload", msg(`"text":"  \n\t "`), 400, "empty"},
		{"no visitor", `{"id":"x1","text":"hi"}`, 400, "bad_visitor"},
		{"visitor too short", `{"visitor":"abc","id":"x1","text":"hi"}`, 400, "bad_visitor"},
		{"visitor in capitals", `{"visitor":"` + strings.ToUpper(v) + `","id":"x1","text":"hi"}`, 400, "bad_visitor"},
		{"visitor with a colon", `{"visitor":"` + v[:31] + `:","id":"x1","text":"hi"}`, 400, "bad_visitor"},
		{"no message id", `{"visitor":"` + v + `","text":"hi"}`, 400, "bad_id"},
		{"message id with a colon", `{"visitor":"` + v + `","id":"a:b","text":"hi"}`, 400, "bad_id"},
		{"message id too long", `{"visitor":"` + v + `","id":"` + strings.Repeat("a", 65) + `","text":"hi"}`, 400, "bad_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(f.engine.calls())
			status, m, _ := f.post(t, tt.body)
			if status != tt.status || m["code"] != tt.code {
				t.Errorf("got %d %v, want %d code %q", status, m, tt.status, tt.code)
			}
			if s, _ := m["error"].(string); s == "" {
				t.Errorf("no error text in %v", m)
			}
			if n := len(f.engine.calls()); n != before {
				t.Errorf("the engine was called for a refused message")
			}
		})
	}

	for _, path := range []string{"/chat/history", "/chat/events"} {
		for _, visitor := range []string{"", "nope", strings.Repeat("g", 32), v + "0"} {
			t.Run("GET "+path+" visitor "+visitor, func(t *testing.T) {
				res, err := http.Get(f.srv.URL + path + "?visitor=" + visitor)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				var m map[string]string
				json.NewDecoder(res.Body).Decode(&m)
				if res.StatusCode != 400 || m["code"] != "bad_visitor" {
					t.Errorf("got %d %v, want 400 bad_visitor", res.StatusCode, m)
				}
			})
		}
	}
}

func TestAcceptedOddInput(t *testing.T) {
	f := newFixture(t, Config{})
	v := f.mustVisitor(t)
	tests := []struct {
		name, body    string
		text, payload string
		lang          string
		wantValidUTF8 bool
	}{
		{"invalid UTF-8 is replaced", "{\"visitor\":\"" + v + "\",\"id\":\"u1\",\"text\":\"caf\xe9 \xff\"}", "caf\uFFFD \uFFFD", "", "", true},
		{"payload without text", `{"visitor":"` + v + `","id":"u2","payload":"yes"}`, "", "yes", "", true},
		{"odd language hint is dropped", `{"visitor":"` + v + `","id":"u3","text":"hi","lang":"<script>"}`, "hi", "", "", true},
		{"unknown fields are ignored", `{"visitor":"` + v + `","id":"u4","text":"hi","lang":"en-GB","extra":1}`, "hi", "", "en-GB", true},
		{"script tag is passed as text", `{"visitor":"` + v + `","id":"u5","text":"<script>alert(1)</script>"}`, "<script>alert(1)</script>", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, m, _ := f.post(t, tt.body)
			if status != http.StatusOK {
				t.Fatalf("got %d %v, want 200", status, m)
			}
			calls := f.engine.calls()
			got := calls[len(calls)-1]
			if got.Text != tt.text || got.Payload != tt.payload || got.Sender.Language != tt.lang {
				t.Errorf("engine got text %q payload %q lang %q; want %q %q %q",
					got.Text, got.Payload, got.Sender.Language, tt.text, tt.payload, tt.lang)
			}
			if !utf8.ValidString(got.Text) {
				t.Errorf("text %q is not valid UTF-8", got.Text)
			}
		})
	}
}

func TestFloodIsRefusedPolitelyOthersServed(t *testing.T) {
	clock := &fakeClock{now: time.Date(2025, 3, 15, 10, 0, 0, 0, time.UTC)}
	f := newFixture(t, Config{Clock: clock})
	flooder, other := f.mustVisitor(t), f.mustVisitor(t)

	// The flooder sends 40 messages at once; 20 pass.
	var wg sync.WaitGroup
	var ok, refused atomic.Int32
	var once sync.Once
	var refusal map[string]any
	var retryAfter string
	for i := range 40 {
		wg.Go(func() {
			status, m, h := f.post(t, fmt.Sprintf(`{"visitor":%q,"id":"f%d","text":"spam"}`, flooder, i))
			switch status {
			case http.StatusOK:
				ok.Add(1)
			case http.StatusTooManyRequests:
				refused.Add(1)
				once.Do(func() { refusal, retryAfter = m, h.Get("Retry-After") })
			default:
				t.Errorf("flood: status %d", status)
			}
		})
	}
	// Meanwhile another visitor is served.
	s := f.openStream(t, other)
	start := time.Now()
	if got := f.send(t, other, "o1", "hello"); got != http.StatusOK {
		t.Errorf("another visitor during the flood: %d, want 200", got)
	}
	if l := s.nextReply(t); l.Text != "echo: hello" {
		t.Errorf("another visitor's reply %q", l.Text)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("another visitor waited %v during the flood", d)
	}
	wg.Wait()

	if ok.Load() != 20 || refused.Load() != 20 {
		t.Errorf("flood: %d accepted, %d refused; want 20 and 20", ok.Load(), refused.Load())
	}
	// 20 per 10 s is a token every half second: the page may try again in 1 s.
	if refusal["code"] != "flood" || !strings.Contains(refusal["error"].(string), "too fast") || retryAfter != "1" {
		t.Errorf("refusal %v Retry-After %q; want code flood, a polite text, Retry-After 1", refusal, retryAfter)
	}

	// Once the window has passed, the flooder may write again.
	clock.Add(10 * time.Second)
	if got := f.send(t, flooder, "later", "sorry"); got != http.StatusOK {
		t.Errorf("after the window: %d, want 200", got)
	}
}

func TestStreamsPerVisitorLimited(t *testing.T) {
	f := newFixture(t, Config{MaxStreams: 2})
	v := f.mustVisitor(t)
	a := f.openStream(t, v)
	f.openStream(t, v)
	if s := f.openStream(t, v); s.status != http.StatusTooManyRequests {
		t.Fatalf("third stream: %d, want 429", s.status)
	}
	if s := f.openStream(t, f.mustVisitor(t)); s.status != http.StatusOK {
		t.Fatalf("another visitor's stream: %d, want 200", s.status)
	}
	a.cancel()
	waitFor(t, func() bool { return f.chat.streams.count(f.chatID(t, v)) == 1 })
	if s := f.openStream(t, v); s.status != http.StatusOK {
		t.Fatalf("stream after one closed: %d, want 200", s.status)
	}
}

func TestStreamHeartbeat(t *testing.T) {
	f := newFixture(t, Config{Heartbeat: 10 * time.Millisecond})
	s := f.openStream(t, f.mustVisitor(t))
	if ev := s.next(t); ev.name != "comment" {
		t.Errorf("got %+v, want a keep-alive comment", ev)
	}
}

func TestSlowStreamIsEndedNotWaitedFor(t *testing.T) {
	h := newHub(hubLimits{perVisitor: 5, perAddress: 5, total: 5})
	s, err := h.open("v", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	for range cap(s.lines) + 1 {
		h.push("v", line{Type: "bot", Text: "x"}) // must not block
	}
	select {
	case <-s.gone:
	default:
		t.Error("a stream that fell behind was not ended")
	}
}

func TestSend(t *testing.T) {
	f := newFixture(t, Config{})
	ctx := context.Background()
	nobody := bot.Reply{Address: bot.Address{Channel: "web", ChatID: f.chatID(t, f.mustVisitor(t))}, Text: "hi"}
	if err := f.chat.Send(ctx, nobody); err != nil {
		t.Errorf("Send with no page open: %v, want nil (the page loads the history)", err)
	}
	wrong := bot.Reply{Address: bot.Address{Channel: "telegram", ChatID: "42"}, Text: "hi"}
	if err := f.chat.Send(ctx, wrong); !errors.Is(err, bot.ErrUndeliverable) {
		t.Errorf("Send to a telegram address: %v, want ErrUndeliverable", err)
	}

	v := f.mustVisitor(t)
	s := f.openStream(t, v)
	addr := bot.Address{Channel: "web", ChatID: f.chatID(t, v)}
	f.chat.Send(ctx, bot.Reply{Address: addr, Text: "Anna joined", System: true, Buttons: []bot.Button{{Title: "x"}}})
	f.chat.Send(ctx, bot.Reply{Address: addr, Text: "Hi, I'm Anna", From: "Anna"})
	if l := s.nextReply(t); l.Type != "system" || l.Text != "Anna joined" || l.Buttons != nil {
		t.Errorf("system reply = %+v", l)
	}
	if l := s.nextReply(t); l.Type != "agent" || l.From != "Anna" {
		t.Errorf("agent reply = %+v", l)
	}
}

func TestCloseEndsStreams(t *testing.T) {
	f := newFixture(t, Config{})
	v := f.mustVisitor(t)
	s := f.openStream(t, v)
	f.chat.Close()
	for range s.events {
	}
	if s := f.openStream(t, v); s.status != http.StatusServiceUnavailable {
		t.Errorf("stream after Close: %d, want 503", s.status)
	}
}

func TestVisitorHangsUpWhileHandled(t *testing.T) {
	f := newFixture(t, Config{})
	f.engine.delay = 100 * time.Millisecond
	var handlerErr atomic.Value
	f.chat.cfg.Handler = bot.HandlerFunc(func(ctx context.Context, m bot.Message) error {
		time.Sleep(100 * time.Millisecond)
		handlerErr.Store(fmt.Sprint(ctx.Err()))
		return nil
	})
	v := f.mustVisitor(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", f.srv.URL+"/chat/messages",
		strings.NewReader(`{"visitor":"`+v+`","id":"h1","text":"bye"}`))
	req.Header.Set("Content-Type", "application/json")
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("the request was not cut")
	}
	waitFor(t, func() bool { return handlerErr.Load() != nil })
	if got := handlerErr.Load(); got != "<nil>" {
		t.Errorf("handler context ended with the visitor's request: %v", got)
	}
}

func TestPageAndAssets(t *testing.T) {
	f := newFixture(t, Config{Title: `Elettro <b>&</b> Co`})
	get := func(t *testing.T, path string, hdr ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}

	t.Run("page", func(t *testing.T) {
		res, body := get(t, "/")
		csp := res.Header.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "frame-ancestors *", "default-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP %q lacks %q", csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("CSP %q allows inline or eval", csp)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Error("no X-Content-Type-Options: nosniff")
		}
		if !strings.Contains(body, "Elettro &lt;b&gt;&amp;&lt;/b&gt; Co") || strings.Contains(body, "<b>&</b>") {
			t.Error("the title is not escaped in the page")
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, " style=") {
			t.Error("the page has inline script or style, which the CSP refuses")
		}
		if strings.Contains(body, `id="close"`) {
			t.Error("the standalone page has the widget's close button")
		}
	})
	t.Run("embedded page", func(t *testing.T) {
		_, body := get(t, "/?embed=1")
		if !strings.Contains(body, `id="close"`) || !strings.Contains(body, `class="embed"`) {
			t.Error("the widget's page has no close button")
		}
	})
	t.Run("widget", func(t *testing.T) {
		res, body := get(t, "/widget.js")
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
			t.Errorf("Content-Type %q", ct)
		}
		if res.Header.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
			t.Error("widget.js cannot be loaded by sites that require CORP")
		}
		if !strings.Contains(body, "sportello:close") {
			t.Error("not the widget")
		}
	})
	t.Run("assets are revalidated cheaply", func(t *testing.T) {
		res, _ := get(t, "/chat/assets/chat.css")
		etag := res.Header.Get("ETag")
		if etag == "" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
			t.Fatalf("chat.css: ETag %q, Content-Type %q", etag, res.Header.Get("Content-Type"))
		}
		if res, _ := get(t, "/chat/assets/chat.css", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
			t.Errorf("revalidation: %d, want 304", res.StatusCode)
		}
	})
	for _, path := range []string{"/nope", "/chat/assets/index.html", "/chat/assets/../chat.go", "/chat/"} {
		t.Run("404 "+path, func(t *testing.T) {
			if res, _ := get(t, path); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, res.StatusCode)
			}
		})
	}
	t.Run("wrong method", func(t *testing.T) {
		res, err := http.Get(f.srv.URL + "/chat/messages")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("GET /chat/messages: %d, want 405", res.StatusCode)
		}
	})
}

func TestFrameAncestorsConfigurable(t *testing.T) {
	f := newFixture(t, Config{FrameAncestors: []string{"'self'", "https://shop.example"}})
	res, err := http.Get(f.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors 'self' https://shop.example") {
		t.Errorf("CSP %q", csp)
	}
}

func FuzzDecodePost(f *testing.F) {
	v, _ := newSigner(nil).issue()
	f.Add(`{"visitor":"` + v + `","id":"x","text":"ciao"}`)
	f.Add(`{"visitor":"` + v + `","id":"x","payload":"yes","lang":"it-IT"}`)
	f.Add("{\"visitor\":\"" + v + "\",\"id\":\"x\",\"text\":\"\xff\xfe\"}")
	f.Add(`{"visitor":"` + v + `","id":"x","text":"\ud800"}`)
	f.Add(`[]`)
	f.Add(`{"text":null}`)
	f.Fuzz(func(t *testing.T, body string) {
		p, err := decodePost(strings.NewReader(body), 4096)
		if err != nil {
			var re *requestError
			if !errors.As(err, &re) || re.status < 400 || re.code == "" {
				t.Fatalf("error %v is not a request error", err)
			}
			return
		}
		if !validVisitor(p.Visitor) || !validMessageID(p.ID) {
			t.Fatalf("accepted visitor %q id %q", p.Visitor, p.ID)
		}
		if !utf8.ValidString(p.Text) || !utf8.ValidString(p.Payload) {
			t.Fatalf("accepted invalid UTF-8: %q %q", p.Text, p.Payload)
		}
		if strings.TrimSpace(p.Text) == "" && p.Payload == "" {
			t.Fatal("accepted an empty message")
		}
		if p.Lang != "" && !validLang(p.Lang) {
			t.Fatalf("accepted language %q", p.Lang)
		}
	})
}

func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestNewVisitorsAreLimitedPerAddress: a script cannot dodge the flood
// limit by taking a new visitor ID for every message.
func TestNewVisitorsAreLimitedPerAddress(t *testing.T) {
	f := newFixture(t, Config{VisitorLimit: 3, VisitorWindow: time.Minute})
	for i := range 4 {
		res, err := http.Post(f.srv.URL+"/chat/visitors", "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		want := http.StatusCreated
		if i == 3 {
			want = http.StatusTooManyRequests
		}
		if res.StatusCode != want {
			t.Fatalf("visitor %d: %s, want %d", i+1, res.Status, want)
		}
		if want == http.StatusTooManyRequests && res.Header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
	}
}

// TestDemoDeskLinesWereShownAsSystemLines: the in-process desk's lines
// were system lines like any other, so the page could not show them apart.
// They are "desk" lines, the same on the stream and in the history; a
// customer's or the bot's text that starts the same way is not.
func TestDemoDeskLinesWereShownAsSystemLines(t *testing.T) {
	desk := bot.DeskLinePrefix + "Caso C-1 aperto per il team Assistenza"
	for _, tc := range []struct {
		name string
		r    bot.Reply
		e    bot.Event
		want string
	}{
		{"a desk line", bot.Reply{Text: desk, System: true}, bot.Event{Type: bot.EventSystem, Text: desk}, "desk"},
		{"a system line", bot.Reply{Text: "Anna joined the conversation", System: true},
			bot.Event{Type: bot.EventSystem, Text: "Anna joined the conversation"}, "system"},
		{"the bot quoting the desk", bot.Reply{Text: desk}, bot.Event{Type: bot.EventBot, Text: desk}, "bot"},
		{"an agent quoting the desk", bot.Reply{Text: desk, From: "Anna"}, bot.Event{Type: bot.EventAgent, Text: desk, Agent: "Anna"}, "agent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := lineOf(tc.r, time.Now()).Type; got != tc.want {
				t.Errorf("on the stream: %q, want %q", got, tc.want)
			}
			l, ok := lineOfEvent(tc.e)
			if !ok || l.Type != tc.want {
				t.Errorf("in the history: %q (%v), want %q", l.Type, ok, tc.want)
			}
		})
	}
	if l, _ := lineOfEvent(bot.Event{Type: bot.EventCustomer, Text: desk}); l.Type != "customer" {
		t.Errorf("a customer who types the prefix gets a %q line", l.Type)
	}
}
