package main

// End-to-end tests of the handoff to Slack: the whole binary's server
// against a fake Slack (Web API, Socket Mode WebSocket, signed HTTP
// requests), with a customer on the web chat. The whole path with a
// customer on Telegram, and the replicas sharing Redis, are in
// e2e_telegram_test.go.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/review"
	"github.com/sportello/sportello/adapters/slack/slackfake"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
)

const (
	e2eBotToken = "xoxb-e2e"
	e2eAppToken = "xapp-e2e"
	e2eSecret   = "e2e-signing-secret"
	salesCh     = "C0SALES"
	supportCh   = "C0SUPPORT"
	marco       = "U1MARCO"
	giulia      = "U2GIULIA"
)

// e2eConfig is the default configuration with a manager of the review
// pages, so that the servers do not hash a fresh demo password each (a
// second under -race).
func e2eConfig() config {
	cfg := defaultConfig()
	cfg.Review.Managers = []review.Manager{{Name: "e2e", PasswordHash: "$2a$04$nBO0eZezUSAr8OTjYG7MQ.cpU0J8MfEnp.jeg173dnndg5IjkOFqi"}}
	return cfg
}

// fakeSlack starts a fake Slack workspace with the shop's two channels and
// two agents.
func fakeSlack(t *testing.T) *slackfake.Server {
	fs := slackfake.NewServer(t, e2eBotToken, e2eAppToken)
	fs.AddChannel(salesCh, supportCh)
	fs.AddUser(marco, "Marco")
	fs.AddUser(giulia, "Giulia")
	return fs
}

// slackEnv is the environment of a server on fs, in Socket Mode ("socket")
// or HTTP mode ("http").
func slackEnv(fs *slackfake.Server, mode string) func(string) string {
	env := map[string]string{
		"SLACK_BOT_TOKEN": e2eBotToken, "SLACK_API_URL": fs.APIURL(),
		"SLACK_SALES_CHANNEL": salesCh, "SLACK_SUPPORT_CHANNEL": supportCh,
	}
	if mode == "socket" {
		env["SLACK_APP_TOKEN"] = e2eAppToken
	} else {
		env["SLACK_SIGNING_SECRET"] = e2eSecret
	}
	return func(k string) string { return env[k] }
}

// shopBot returns the demo shop; alwaysOpen drops the teams' hours, for
// tests on the real clock. The servers and commands only read the bot, so
// the tests share two, each loaded once (training its classifier takes
// seconds under -race).
func shopBot(t *testing.T, alwaysOpen bool) *flows.Bot {
	t.Helper()
	load := shopWithHours
	if alwaysOpen {
		load = shopAlwaysOpen
	}
	b, err := load()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var (
	shopWithHours  = sync.OnceValues(func() (*flows.Bot, error) { return flows.Load(examples.Shop, "shop") })
	shopAlwaysOpen = sync.OnceValues(func() (*flows.Bot, error) {
		b, err := flows.Load(examples.Shop, "shop")
		if err == nil {
			for _, team := range b.Teams {
				team.Hours = ""
			}
		}
		return b, err
	})
)

// testLog collects the server's log and prints it if the test fails.
func testLog(t *testing.T) *slog.Logger {
	var mu sync.Mutex
	var buf bytes.Buffer
	t.Cleanup(func() {
		if t.Failed() {
			mu.Lock()
			t.Logf("server log:\n%s", buf.String())
			mu.Unlock()
		}
	})
	return slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// start serves s on a free port until the test ends, and returns its URL.
func start(t testing.TB, s *server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("server: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("the server did not shut down within 10 s")
		}
	})
	return "http://" + ln.Addr().String()
}

// newTestServer builds a server on store and with clock, so replicas can
// share a store and tests can move time, and a short poll.
func newTestServer(t *testing.T, b *flows.Bot, getenv func(string) string, st bot.Store, clock bot.Clock) *server {
	t.Helper()
	s, err := newServer(context.Background(), e2eConfig(), getenv, b, testLog(t),
		deps{store: st, clock: clock, poll: 100 * time.Millisecond, metricsTimeout: 15 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A customer talks to the shop on the web chat of a server.
type customer struct {
	t       *testing.T
	base    string
	visitor string
	n       int
}

// webLine is a line of the web chat's history.
type webLine struct {
	Type    string       `json:"type"`
	Text    string       `json:"text"`
	Buttons []bot.Button `json:"buttons"`
	From    string       `json:"from"`
}

func newCustomer(t *testing.T, base string) *customer {
	t.Helper()
	res, err := http.Post(base+"/chat/visitors", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var v struct{ Visitor string }
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil || v.Visitor == "" {
		t.Fatalf("new visitor: %s %v", res.Status, err)
	}
	return &customer{t: t, base: base, visitor: v.Visitor}
}

func (c *customer) post(text, payload string) {
	c.t.Helper()
	c.n++
	body, _ := json.Marshal(map[string]string{"visitor": c.visitor, "id": fmt.Sprintf("m%d", c.n), "text": text, "payload": payload, "lang": "it-IT"})
	res, err := http.Post(c.base+"/chat/messages", "application/json", bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(res.Body)
		c.t.Fatalf("customer says %q: %s %s", text, res.Status, msg)
	}
}

// say sends text as the customer.
func (c *customer) say(text string) { c.t.Helper(); c.post(text, "") }

// press presses the button titled title of the bot's latest buttons.
func (c *customer) press(title string) {
	c.t.Helper()
	lines := c.lines()
	for i := len(lines) - 1; i >= 0; i-- {
		for _, b := range lines[i].Buttons {
			if b.Title == title {
				c.post(b.Title, b.Payload)
				return
			}
		}
	}
	c.t.Fatalf("no button %q in the conversation: %+v", title, lines)
}

func (c *customer) lines() []webLine {
	c.t.Helper()
	res, err := http.Get(c.base + "/chat/history?visitor=" + c.visitor)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	var h struct{ Lines []webLine }
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil {
		c.t.Fatalf("history: %v", err)
	}
	return h.Lines
}

// last returns the text of the latest line from the bot or an agent.
func (c *customer) last() string {
	c.t.Helper()
	lines := c.lines()
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i].Type != "customer" {
			return lines[i].Text
		}
	}
	return ""
}

// waitFor waits until the customer's conversation has a line of type typ
// containing text, and returns it.
func (c *customer) waitFor(typ, text string) webLine {
	c.t.Helper()
	var lines []webLine
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		lines = c.lines()
		for _, l := range lines {
			if (typ == "" || l.Type == typ) && strings.Contains(l.Text, text) {
				return l
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.t.Fatalf("the customer never saw a %s line with %q; the conversation:\n%s", typ, text, dump(lines))
	return webLine{}
}

func dump(lines []webLine) string {
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "  [%s %s] %s\n", l.Type, l.From, l.Text)
	}
	return b.String()
}

// count returns how many lines of type typ contain text.
func (c *customer) count(typ, text string) int {
	n := 0
	for _, l := range c.lines() {
		if l.Type == typ && strings.Contains(l.Text, text) {
			n++
		}
	}
	return n
}

// buysTwoLaptops plays the shop's sales flow up to the handoff.
func (c *customer) buysTwoLaptops() {
	c.t.Helper()
	c.say("vorrei comprare due portatili per l'ufficio")
	c.waitFor("bot", "Hai già in mente un modello")
	c.press("Lenovo ThinkPad E14")
	c.waitFor("bot", "budget")
	c.say("circa 900 euro a pezzo")
	c.waitFor("bot", "Come può ricontattarti")
	c.say("scrivetemi a giulia.bianchi@example.it")
	c.waitFor("bot", "sei il numero 1")
}

// waitUntil polls cond for up to 5 seconds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// onlyCard waits for the one card in channel and returns it as it reads now.
func onlyCard(t *testing.T, fs *slackfake.Server, channel string) slackfake.Message {
	t.Helper()
	waitUntil(t, "a card in "+channel, func() bool { return len(fs.Cards(channel)) > 0 })
	cards := fs.Cards(channel)
	if len(cards) != 1 {
		t.Fatalf("%d cards in %s, want 1", len(cards), channel)
	}
	return cards[0]
}

func deliver(t *testing.T, fs *slackfake.Server, typ string, payload json.RawMessage) json.RawMessage {
	t.Helper()
	ack, err := fs.Deliver(typ, payload)
	if err != nil {
		t.Fatalf("Slack could not deliver %s: %v", typ, err)
	}
	return ack
}

// threadTexts returns the texts of the card's thread.
func threadTexts(fs *slackfake.Server, card slackfake.Message) []string {
	var out []string
	for _, m := range fs.Thread(card.Channel, card.TS) {
		out = append(out, m.Text)
	}
	return out
}

// inOrder reports whether wants appear in texts in this order.
func inOrder(texts []string, wants ...string) bool {
	i := 0
	for _, t := range texts {
		if i < len(wants) && strings.Contains(t, wants[i]) {
			i++
		}
	}
	return i == len(wants)
}

func ephemeralsTo(fs *slackfake.Server, user string) []slackfake.Ephemeral {
	var out []slackfake.Ephemeral
	for _, e := range fs.Ephemerals() {
		if e.User == user {
			out = append(out, e)
		}
	}
	return out
}

func TestSlackTwoAgentsClaimAtOnce(t *testing.T) {
	fs := fakeSlack(t)
	srv, err := newServer(context.Background(), e2eConfig(), slackEnv(fs, "socket"), shopBot(t, true), testLog(t), deps{})
	if err != nil {
		t.Fatal(err)
	}
	base := start(t, srv)
	waitUntil(t, "the socket mode connection", func() bool { return fs.Connections() == 1 })
	anna := newCustomer(t, base)
	anna.buysTwoLaptops()
	card := onlyCard(t, fs, salesCh)

	var wg sync.WaitGroup
	for _, agent := range []string{marco, giulia} {
		wg.Go(func() { deliver(t, fs, "interactive", slackfake.Click(agent, card, "sportello_claim")) })
	}
	wg.Wait()
	waitUntil(t, "the loser to be told", func() bool { return len(fs.Ephemerals()) == 1 })
	anna.waitFor("system", "si è unito alla conversazione")
	loser := fs.Ephemerals()[0]
	winner, winnerName := marco, "Marco"
	if loser.User == marco {
		winner, winnerName = giulia, "Giulia"
	}
	if !strings.Contains(loser.Text, "<@"+winner+"> has this case already") {
		t.Errorf("the loser was told %q, want who has the case", loser.Text)
	}
	time.Sleep(100 * time.Millisecond)
	if n := anna.count("system", "si è unito alla conversazione"); n != 1 {
		t.Errorf("the customer was told of %d agents joining", n)
	}
	anna.waitFor("system", winnerName+" si è unito")
}

func TestSlackHTTPModeEndToEnd(t *testing.T) {
	fs := fakeSlack(t)
	srv, err := newServer(context.Background(), e2eConfig(), slackEnv(fs, "http"), shopBot(t, true), testLog(t), deps{})
	if err != nil {
		t.Fatal(err)
	}
	base := start(t, srv)
	anna := newCustomer(t, base)
	anna.buysTwoLaptops()
	card := onlyCard(t, fs, salesCh)

	send := func(path string, body []byte, at time.Time, key string, header ...string) int {
		t.Helper()
		req := slackfake.SignedRequest(base+path, key, body, at)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	claim := slackfake.InteractionForm(slackfake.Click(marco, card, "sportello_claim"))
	if code := send("/slack/interactivity", claim, time.Now(), "forged"); code != http.StatusUnauthorized {
		t.Errorf("forged click: %d, want 401", code)
	}
	if code := send("/slack/interactivity", claim, time.Now().Add(-10*time.Minute), e2eSecret); code != http.StatusUnauthorized {
		t.Errorf("stale click: %d, want 401", code)
	}
	time.Sleep(100 * time.Millisecond)
	if anna.count("system", "si è unito") != 0 {
		t.Fatal("a refused click claimed the case")
	}
	if code := send("/slack/interactivity", claim, time.Now(), e2eSecret); code != http.StatusOK {
		t.Fatalf("signed click: %d", code)
	}
	anna.waitFor("system", "Marco si è unito alla conversazione")

	// Slack retries an event whose 200 came late: the customer reads it once.
	reply := slackfake.ThreadReply("EvHTTP1", marco, salesCh, card.TS, "Eccomi, sono Marco.")
	for i := range 2 {
		if code := send("/slack/events", reply, time.Now(), e2eSecret, "X-Slack-Retry-Num", fmt.Sprint(i)); code != http.StatusOK {
			t.Fatalf("event delivery %d: %d", i, code)
		}
	}
	anna.waitFor("agent", "Eccomi, sono Marco.")
	time.Sleep(200 * time.Millisecond)
	if n := anna.count("agent", "Eccomi"); n != 1 {
		t.Errorf("the customer read the reply %d times", n)
	}
	_, form := slackfake.Command(marco, salesCh, "stats")
	req := slackfake.SignedRequest(base+"/slack/commands", e2eSecret, []byte(form.Encode()), time.Now())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `"response_type":"ephemeral"`) || !strings.Contains(string(body), "Messages handled") {
		t.Errorf("/sportello stats answered %s", body)
	}
}

// rome is where the demo shop keeps its hours.
func rome(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	return loc
}

func TestSlackTimeoutAndClosedHours(t *testing.T) {
	loc := rome(t)
	t.Run("nobody claims in time", func(t *testing.T) {
		fs := fakeSlack(t)
		clock := botfake.NewClock(time.Date(2025, 6, 3, 10, 0, 0, 0, loc)) // a Tuesday
		st := memory.NewStoreWith(memory.Options{Now: clock.Now})
		srv := newTestServer(t, shopBot(t, false), slackEnv(fs, "socket"), st, clock)
		base := start(t, srv)
		waitUntil(t, "the socket mode connection", func() bool { return fs.Connections() == 1 })
		anna := newCustomer(t, base)
		anna.buysTwoLaptops()
		card := onlyCard(t, fs, salesCh)

		clock.Advance(11 * time.Minute) // the sales team's timeout is 10
		anna.waitFor("bot", "sono tutti occupati")
		waitUntil(t, "the card to show the timeout", func() bool {
			now, _ := fs.Card(salesCh, card.TS)
			return strings.Contains(slackfake.BlockText(now), "nobody claimed it in time")
		})
		anna.say("chiamatemi al 333 123 4567")
		anna.waitFor("bot", "333 123 4567")
		waitUntil(t, "the contact in the thread", func() bool {
			return inOrder(threadTexts(fs, card), "Nobody claimed the case in time", "left a contact: 333 123 4567")
		})
		// The case stays open: a claim still works.
		now, _ := fs.Card(salesCh, card.TS)
		deliver(t, fs, "interactive", slackfake.Click(giulia, now, "sportello_claim"))
		anna.waitFor("system", "Giulia si è unito")
	})
	t.Run("the team is closed", func(t *testing.T) {
		fs := fakeSlack(t)
		clock := botfake.NewClock(time.Date(2025, 6, 8, 21, 0, 0, 0, loc)) // a Sunday evening
		st := memory.NewStoreWith(memory.Options{Now: clock.Now})
		srv := newTestServer(t, shopBot(t, false), slackEnv(fs, "socket"), st, clock)
		base := start(t, srv)
		waitUntil(t, "the socket mode connection", func() bool { return fs.Connections() == 1 })
		anna := newCustomer(t, base)
		anna.say("vorrei comprare due portatili per l'ufficio")
		anna.press("Lenovo ThinkPad E14")
		anna.say("circa 900 euro a pezzo")
		anna.say("scrivetemi a giulia.bianchi@example.it")
		anna.waitFor("bot", "riapre domani alle 09:00")
		card := onlyCard(t, fs, salesCh)
		if text := slackfake.BlockText(card); !strings.Contains(text, "while the team is closed") || !strings.Contains(text, "giulia.bianchi@example.it") {
			t.Errorf("the card of a case opened while closed:\n%s", text)
		}
		// No timeout fires overnight; the morning shift finds the case.
		clock.Advance(11 * time.Minute)
		time.Sleep(300 * time.Millisecond)
		if strings.Contains(anna.last(), "occupati") {
			t.Errorf("a timeout fired while the team was closed: %q", anna.last())
		}
		clock.Advance(12 * time.Hour)
		deliver(t, fs, "interactive", slackfake.Click(marco, card, "sportello_claim"))
		anna.waitFor("system", "Marco si è unito")
	})
}

func TestSlackStartupErrorsNameTheVariable(t *testing.T) {
	fs := fakeSlack(t)
	for _, tc := range []struct {
		name  string
		unset []string
		want  string
	}{
		{"no app token nor signing secret", []string{"SLACK_APP_TOKEN"}, "SLACK_APP_TOKEN"},
		{"no sales channel", []string{"SLACK_SALES_CHANNEL"}, "SLACK_SALES_CHANNEL"},
		{"no channels", []string{"SLACK_SALES_CHANNEL", "SLACK_SUPPORT_CHANNEL"}, "SLACK_SALES_CHANNEL and SLACK_SUPPORT_CHANNEL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := slackEnv(fs, "socket")
			getenv := func(k string) string {
				for _, u := range tc.unset {
					if k == u {
						return ""
					}
				}
				return env(k)
			}
			_, err := newServer(context.Background(), e2eConfig(), getenv, shopBot(t, false), testLog(t), deps{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("newServer: %v, want an error naming %s", err, tc.want)
			}
			if strings.Contains(err.Error(), e2eBotToken) {
				t.Fatalf("the error shows the token: %v", err)
			}
		})
	}
	t.Run("channels from the configuration file", func(t *testing.T) {
		env := slackEnv(fs, "socket")
		getenv := func(k string) string {
			if strings.HasSuffix(k, "_CHANNEL") {
				return ""
			}
			return env(k)
		}
		cfg := e2eConfig()
		cfg.Slack.Channels = map[string]string{"sales": salesCh, "support": supportCh}
		s, err := newServer(context.Background(), cfg, getenv, shopBot(t, false), testLog(t), deps{})
		if err != nil {
			t.Fatalf("newServer with slack.channels in the file: %v", err)
		}
		s.close()
	})
	t.Run("no bot token: the in-process desk stays", func(t *testing.T) {
		s, err := newServer(context.Background(), e2eConfig(), func(string) string { return "" }, shopBot(t, false), testLog(t), deps{})
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPost, "/slack/events", nil)
		if _, pattern := s.mux.Handler(req); pattern == "/slack/events" {
			t.Error("the Slack endpoints are served without SLACK_BOT_TOKEN")
		}
	})
}
