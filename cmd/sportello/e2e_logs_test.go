package main

// What the logs hold of the customers, end to end: the whole server, a
// customer on Telegram (the fake Bot API) and visitors of the web chat
// behind a proxy, every record of the log at debug level.

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/telegram/telegramfake"
	"github.com/sportello/sportello/bot"
)

// TestTheLogsHoldNoCustomerData runs conversations that log on every path
// that names a customer (order lookups with wrong proofs, a shared contact,
// a flood of messages, a flood of new visitors from one client) and reads
// every record: no Telegram chat ID, no visitor token nor chat ID, no
// client address, no e-mail, phone or order number; conversations, orders
// and clients are there by their references.
func TestTheLogsHoldNoCustomerData(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	logs := func() string { mu.Lock(); defer mu.Unlock(); return buf.String() }
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs())
		}
	})

	tg := telegramfake.New(t)
	cfg := e2eConfig()
	cfg.TrustedProxies = []string{"loopback"}
	srv, err := newServer(context.Background(), cfg, telegramEnv(tg), shopBot(t, true), log, deps{poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	base := start(t, srv)

	// The visitors come through a proxy, which names their address in
	// X-Forwarded-For.
	const client = "198.51.100.77"
	target, _ := url.Parse(base)
	rp := httputil.NewSingleHostReverseProxy(target)
	direct := rp.Director
	rp.Director = func(r *http.Request) { direct(r); r.Header.Set("X-Forwarded-For", client) }
	proxy := httptest.NewServer(rp)
	t.Cleanup(proxy.Close)

	// On Telegram: an order asked for, a wrong e-mail as its proof, a
	// phone number written and one shared as a contact.
	const chat = 731946285
	mario := newTelegramCustomer(t, tg, chat)
	mario.say("dov'è il mio ordine SP-123456?")
	mario.waitFor("CAP")
	mario.say("mario.rossi@example.it")
	mario.waitFor("trovo un ordine")
	tg.Push(map[string]any{"message": tg.Message(chat, "it", map[string]any{
		"contact": map[string]any{"phone_number": "+393471234567", "first_name": "Mario"}})})
	mario.say("chiamatemi al 347 765 4321")
	waitUntil(t, "the bot to read the contact", func() bool { return strings.Contains(logs(), `"kind":"contact"`) })

	// On the web chat: the same order with a wrong postcode, then too many
	// messages at once.
	lucia := newCustomer(t, proxy.URL)
	lucia.say("dov'è il mio ordine SP-123456?")
	lucia.waitFor("bot", "CAP")
	lucia.say("20199")
	lucia.waitFor("bot", "trovo un ordine")
	for i := range 25 {
		body, _ := json.Marshal(map[string]string{"visitor": lucia.visitor, "id": "flood" + strconv.Itoa(i), "text": "lucia.ferri@example.org"})
		if res, err := http.Post(proxy.URL+"/chat/messages", "application/json", bytes.NewReader(body)); err == nil {
			res.Body.Close()
		}
	}
	// One client asks for more new visitors than it may.
	for range 125 {
		if res, err := http.Post(proxy.URL+"/chat/visitors", "application/json", nil); err == nil {
			res.Body.Close()
		}
	}
	waitUntil(t, "the floods to be logged", func() bool {
		l := logs()
		return strings.Contains(l, "flood: refusing messages") && strings.Contains(l, "flood: refusing new visitors")
	})

	got := logs()
	tgAddr := bot.Address{Channel: "telegram", ChatID: strconv.Itoa(chat)}
	for _, want := range []string{tgAddr.Ref(), lucia.addr().Ref(), bot.OrderRef("SP-123456"), "198.51.100.0/24",
		"order proof failed"} {
		if !strings.Contains(got, want) {
			t.Errorf("the logs lack %q", want)
		}
	}
	for _, leak := range []string{strconv.Itoa(chat), lucia.visitor, lucia.addr().ChatID, client,
		"mario.rossi", "example.it", "lucia.ferri", "3471234567", "347 765 4321", "123456", "20199"} {
		if strings.Contains(got, leak) {
			t.Errorf("the logs hold %q", leak)
		}
	}
}
