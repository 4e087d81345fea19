package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/sportello/sportello/adapters/review"
	"github.com/sportello/sportello/adapters/slack/slackfake"
	"github.com/sportello/sportello/bot"
)

// TestWebChatTokenNotInLogsNorSlack: the visitor token is the key to a
// conversation, so it must reach nothing that people read or that leaves
// the server: not the log (at debug level), not Slack (cards, button
// values, thread messages, answers to Slack's requests), not the review
// pages and exports. What they show is the conversation's chat ID, which
// is derived from the token one way and does not work as one.
func TestWebChatTokenNotInLogsNorSlack(t *testing.T) {
	fs := fakeSlack(t)
	var mu sync.Mutex
	var seen bytes.Buffer // everything that went to Slack or came back to it
	record := func(what string, b []byte) {
		mu.Lock()
		defer mu.Unlock()
		seen.WriteString(what + "\n")
		seen.Write(b)
		if s, err := url.QueryUnescape(string(b)); err == nil {
			seen.WriteString("\n" + s)
		}
		seen.WriteString("\n")
	}
	// Slack's Web API, through a recorder.
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		record(r.Method+" "+r.URL.String(), body)
		req, _ := http.NewRequest(r.Method, fs.URL+r.URL.RequestURI(), bytes.NewReader(body))
		req.Header = r.Header.Clone()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode)
		io.Copy(w, res.Body)
	}))
	t.Cleanup(api.Close)
	slackEnvHTTP := slackEnv(fs, "http")
	getenv := func(k string) string {
		if k == "SLACK_API_URL" {
			return api.URL + "/api/"
		}
		return slackEnvHTTP(k)
	}

	var logs bytes.Buffer
	var logMu sync.Mutex
	log := slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t.Cleanup(func() {
		if t.Failed() {
			logMu.Lock()
			t.Logf("server log:\n%s", logs.String())
			logMu.Unlock()
		}
	})
	const password = "manager-password"
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	cfg := defaultConfig()
	cfg.Review.Managers = []review.Manager{{Name: "anna", PasswordHash: string(hash)}}
	srv, err := newServer(context.Background(), cfg, getenv, shopBot(t, true), log, deps{poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	base := start(t, srv)
	signed := func(path string, body []byte) {
		t.Helper()
		res, err := http.DefaultClient.Do(slackfake.SignedRequest(base+path, e2eSecret, body, time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %s %s", path, res.Status, answer)
		}
		record("answer to "+path, answer)
	}

	// A whole handoff: the sales flow, a claim, the agent's reply in the
	// thread, the customer's answer, the resolution.
	anna := newCustomer(t, base)
	token := anna.visitor
	anna.buysTwoLaptops()
	card := onlyCard(t, fs, salesCh)
	signed("/slack/interactivity", slackfake.InteractionForm(slackfake.Click(marco, card, "sportello_claim")))
	anna.waitFor("system", "Marco si è unito")
	signed("/slack/events", slackfake.ThreadReply("EvTok1", marco, salesCh, card.TS, "Buongiorno, sono Marco: le preparo un'offerta."))
	anna.waitFor("agent", "le preparo un'offerta")
	anna.say("perfetto, grazie")
	waitUntil(t, "the customer's answer in the thread", func() bool {
		return inOrder(threadTexts(fs, card), "perfetto, grazie")
	})
	now, _ := fs.Card(salesCh, card.TS)
	signed("/slack/interactivity", slackfake.InteractionForm(slackfake.Click(marco, now, "sportello_resolve")))
	anna.waitFor("bot", "Come valuti l'aiuto ricevuto")
	anna.press("★★★★★")
	anna.waitFor("bot", "Grazie del voto")
	// Past the flood limit the web chat logs the conversation it refuses.
	for range 25 {
		body := `{"visitor":"` + token + `","id":"again","text":"grazie"}`
		res, err := http.Post(base+"/chat/messages", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}

	// The conversation, as every place shows it.
	value := slackfake.Button(card, "sportello_claim")
	_, ref, ok := strings.Cut(value, "|")
	chatID, isWeb := strings.CutPrefix(ref, "web:")
	if !ok || !isWeb {
		t.Fatalf("the claim button's value %q names no web chat address", value)
	}
	addr := bot.Address{Channel: "web", ChatID: chatID}
	waitUntil(t, "the archive", func() bool {
		_, evs, err := srv.archive.Transcript(context.Background(), addr.String())
		if err != nil {
			return false
		}
		for _, e := range evs {
			if e.Type == bot.EventResolved {
				return true
			}
		}
		return false
	})
	pages := reviewPages(t, base, "anna", password,
		"/review/", "/review/export?format=csv", "/review/export?format=json",
		"/review/c?id="+url.QueryEscape(addr.String()), "/review/c/export?format=json&id="+url.QueryEscape(addr.String()))
	if !strings.Contains(pages, chatID) {
		t.Fatalf("the review pages do not show the conversation %s: the check would prove nothing", chatID)
	}

	// The token, and its parts in any encoding a careless line could use.
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(token, "v1."))
	if err != nil || len(raw) != 32 {
		t.Fatalf("token %q: %v", token, err)
	}
	needles := map[string]string{
		"the token":                   token,
		"the token without prefix":    strings.TrimPrefix(token, "v1."),
		"its random part in hex":      hex.EncodeToString(raw[:16]),
		"its random part in base64":   base64.RawURLEncoding.EncodeToString(raw[:16])[:20],
		"its signature in hex":        hex.EncodeToString(raw[16:]),
		"its random part, std base64": base64.StdEncoding.EncodeToString(raw[:16])[:20],
	}
	logMu.Lock()
	logText := logs.String()
	logMu.Unlock()
	mu.Lock()
	slackText := seen.String()
	mu.Unlock()
	for _, c := range fs.Cards(salesCh) {
		slackText += "\n" + slackfake.BlockText(c) + "\n" + string(c.Blocks)
	}
	for _, m := range fs.Thread(card.Channel, card.TS) {
		slackText += "\n" + m.Text + "\n" + string(m.Blocks)
	}
	// The log names the conversation by its reference, never its chat ID.
	if ref := (bot.Address{Channel: "web", ChatID: chatID}).Ref(); !strings.Contains(slackText, "web:"+chatID) || !strings.Contains(logText, ref) {
		t.Fatal("neither Slack nor the log saw the conversation: the check would prove nothing")
	}
	if strings.Contains(logText, chatID) {
		t.Errorf("the log holds the chat ID %q", chatID)
	}
	for what, needle := range needles {
		for place, text := range map[string]string{"the log": logText, "Slack": slackText, "the review pages": pages} {
			if strings.Contains(text, needle) {
				t.Errorf("%s contains %s (%q)", place, what, needle)
			}
		}
	}
	// And the chat ID that they show does not work as a visitor.
	res, err := http.Get(base + "/chat/history?visitor=" + chatID)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("the chat ID from Slack read the conversation: %s", res.Status)
	}
}

// reviewPages signs in to the review pages as name and returns the
// bodies of paths, one after the other.
func reviewPages(t *testing.T, base, name, password string, paths ...string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(path string) string {
		t.Helper()
		res, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s", path, res.Status)
		}
		return string(b)
	}
	m := csrfField.FindStringSubmatch(get("/review/signin"))
	if m == nil {
		t.Fatal("no CSRF field on the sign-in page")
	}
	res, err := c.PostForm(base+"/review/signin", url.Values{"csrf": {m[1]}, "name": {name}, "password": {password}, "next": {"/review/"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var all strings.Builder
	for _, p := range paths {
		all.WriteString(get(p))
		all.WriteString("\n")
	}
	return all.String()
}
