package main

// The whole path of the handoff with a customer on Telegram: the server
// polls a fake Telegram (adapters/telegram/telegramfake) and hands off to
// a fake Slack; and three such servers as replicas sharing a real Redis.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/redis"
	"github.com/sportello/sportello/adapters/slack/slackfake"
	"github.com/sportello/sportello/adapters/telegram/telegramfake"
	"github.com/sportello/sportello/bot"
)

// telegramEnv is the environment of a server whose Telegram bot polls tg.
func telegramEnv(tg *telegramfake.Server) func(string) string {
	env := map[string]string{
		"TELEGRAM_TOKEN": telegramfake.Token, "TELEGRAM_API_URL": tg.URL(), "TELEGRAM_MODE": "polling",
	}
	return func(k string) string { return env[k] }
}

// envs looks a variable up in each environment in turn.
func envs(all ...func(string) string) func(string) string {
	return func(k string) string {
		for _, getenv := range all {
			if v := getenv(k); v != "" {
				return v
			}
		}
		return ""
	}
}

// A tgCustomer talks to the shop in a private Telegram chat, through the
// fake Telegram: Mario Rossi, whose phone speaks Italian.
type tgCustomer struct {
	t    *testing.T
	tg   *telegramfake.Server
	chat int64
}

func newTelegramCustomer(t *testing.T, tg *telegramfake.Server, chat int64) *tgCustomer {
	return &tgCustomer{t: t, tg: tg, chat: chat}
}

func (c *tgCustomer) addr() bot.Address {
	return bot.Address{Channel: "telegram", ChatID: strconv.FormatInt(c.chat, 10)}
}

// say sends text as the customer; Telegram queues it for the bot.
func (c *tgCustomer) say(text string) { c.tg.Text(c.chat, "it", text) }

// press presses the button titled title under the bot's latest keyboard.
func (c *tgCustomer) press(title string) {
	c.t.Helper()
	if _, err := c.tg.Press(c.chat, "it", title); err != nil {
		c.t.Fatalf("the customer presses %q: %v", title, err)
	}
}

// received returns what the bot sent the customer, in order.
func (c *tgCustomer) received() []telegramfake.Sent { return c.tg.Sent(c.chat) }

// waitFor waits until the customer received a message containing text,
// and returns the first such.
func (c *tgCustomer) waitFor(text string) telegramfake.Sent {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range c.received() {
			if strings.Contains(m.Text, text) {
				return m
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.t.Fatalf("the customer never read %q on Telegram; the chat:\n  %s", text, strings.Join(c.tg.Texts(c.chat), "\n  "))
	return telegramfake.Sent{}
}

// count returns how many messages the customer received containing text.
func (c *tgCustomer) count(text string) int {
	n := 0
	for _, m := range c.received() {
		if strings.Contains(m.Text, text) {
			n++
		}
	}
	return n
}

// buysTwoLaptops plays the shop's sales flow up to the handoff, answering
// the bot's questions with a button and texts, as the flow asks.
func (c *tgCustomer) buysTwoLaptops() {
	c.t.Helper()
	c.say("vorrei comprare due portatili per l'ufficio")
	c.waitFor("Hai già in mente un modello")
	c.press("Lenovo ThinkPad E14")
	c.waitFor("budget")
	c.say("circa 900 euro a pezzo")
	c.waitFor("Come può ricontattarti")
	c.say("scrivetemi a mario.rossi@example.it")
	c.waitFor("sei il numero 1")
}

// agentLines returns the agents' messages the customer read, as "name:
// text": Telegram shows the agent's name in bold on the first line.
func agentLines(tb testing.TB, sent []telegramfake.Sent) []string {
	tb.Helper()
	var out []string
	for _, m := range sent {
		name, text, ok := strings.Cut(m.Text, "\n")
		if !ok || !strings.HasPrefix(name, "<b>") {
			continue
		}
		if m.ParseMode != "HTML" {
			tb.Errorf("an agent's message was sent with parse mode %q: %q", m.ParseMode, m.Text)
		}
		out = append(out, strings.TrimSuffix(strings.TrimPrefix(name, "<b>"), "</b>")+": "+text)
	}
	return out
}

// TestSlackHandoffEndToEnd is the whole path of issue 6, as people see
// it: a customer on Telegram wants to buy, the lead reaches the sales
// channel in Slack, an agent claims it and talks to the customer from the
// case's thread, resolves, and the customer rates with a button.
func TestSlackHandoffEndToEnd(t *testing.T) {
	fs := fakeSlack(t)
	fs.EchoBotMessages(true) // Slack echoes the app's posts: they must be ignored
	tg := telegramfake.New(t)
	srv, err := newServer(context.Background(), e2eConfig(), envs(slackEnv(fs, "socket"), telegramEnv(tg)),
		shopBot(t, true), testLog(t), deps{poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start(t, srv)
	waitUntil(t, "the socket mode connection", func() bool { return fs.Connections() == 1 })

	// A customer on Telegram wants to buy; the bot asks what the
	// salesperson needs, with buttons where it offers choices.
	mario := newTelegramCustomer(t, tg, 4_200_001)
	mario.buysTwoLaptops()

	// The card appears in the sales channel with the lead summary.
	card := onlyCard(t, fs, salesCh)
	if n := len(fs.Cards(supportCh)); n != 0 {
		t.Errorf("the lead also went to support (%d cards)", n)
	}
	text := slackfake.BlockText(card)
	for _, want := range []string{"Sales lead", "Mario Rossi", "*Channel*\nTelegram", "*Language*\nit",
		"Cerca: Portatile", "Modello: Lenovo ThinkPad E14", "Quantità: 2", "Budget: 900 EUR", "Contatto: mario.rossi@example.it",
		"vorrei comprare due portatili per l'ufficio", "number 1 in the queue"} {
		if !strings.Contains(text, want) {
			t.Errorf("the card lacks %q:\n%s", want, text)
		}
	}

	// /sportello queue shows it waiting. The queue changes right after the
	// card is posted, so the agent may have to ask twice.
	var answer struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	waitUntil(t, "/sportello queue to show the case", func() bool {
		js, _ := slackfake.Command(giulia, salesCh, "queue")
		_ = json.Unmarshal(deliver(t, fs, "slash_commands", js), &answer)
		return strings.Contains(answer.Text, "1 case waiting")
	})
	if answer.ResponseType != "ephemeral" {
		t.Errorf("/sportello queue answered %+v, want an ephemeral answer", answer)
	}

	// An agent claims it; the customer is told on Telegram who joined.
	deliver(t, fs, "interactive", slackfake.Click(marco, card, "sportello_claim"))
	joined := mario.waitFor("Marco si è unito alla conversazione")
	if joined.ParseMode != "HTML" || !strings.HasPrefix(joined.Text, "<i>") {
		t.Errorf("the join line reads %q (parse mode %q), want it in italics", joined.Text, joined.ParseMode)
	}
	waitUntil(t, "the card to show the claim", func() bool {
		now, _ := fs.Card(salesCh, card.TS)
		return strings.Contains(slackfake.BlockText(now), "Claimed by <@"+marco+">")
	})
	afterJoin := len(mario.received())

	// Messages flow both ways, in order: the customer's Telegram messages
	// become thread replies, the agent's thread replies reach Telegram
	// under the agent's name; a note starting with // stays in Slack.
	asked := []string{"Buongiorno Marco!", "Avete i ThinkPad disponibili subito?", "Servono entro venerdì"}
	for _, text := range asked {
		mario.say(text)
	}
	waitUntil(t, "the customer's messages in the thread", func() bool { return inOrder(threadTexts(fs, card), asked...) })
	answered := []string{"Buongiorno Mario, sì: ne abbiamo 5 in magazzino.", "// cliente business, proporre estensione garanzia",
		"Le mando l'offerta entro oggi.", "Consegna in 48 ore."}
	for i, text := range answered {
		deliver(t, fs, "events_api", slackfake.ThreadReply(fmt.Sprintf("EvR%d", i), marco, salesCh, card.TS, text))
	}
	mario.waitFor("Consegna in 48 ore.")
	want := []string{"Marco: Buongiorno Mario, sì: ne abbiamo 5 in magazzino.", "Marco: Le mando l'offerta entro oggi.", "Marco: Consegna in 48 ore."}
	if got := agentLines(t, mario.received()); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("the customer read the agent's replies as %q, want %q", got, want)
	}
	if mario.count("estensione garanzia") != 0 {
		t.Error("the internal note reached the customer")
	}
	if thread := threadTexts(fs, card); !inOrder(thread, asked...) {
		t.Errorf("the thread shows the customer's messages out of order:\n%s", strings.Join(thread, "\n"))
	}

	// Another agent's reply is not sent; they get a hint.
	deliver(t, fs, "events_api", slackfake.ThreadReply("EvG", giulia, salesCh, card.TS, "Ciao, sono Giulia"))
	waitUntil(t, "a hint to Giulia", func() bool { return len(ephemeralsTo(fs, giulia)) == 1 })
	if mario.count("Giulia") != 0 {
		t.Error("Giulia's reply reached the customer")
	}
	// The bot stayed quiet while the agent had the conversation.
	for _, m := range mario.received()[afterJoin:] {
		if !strings.HasPrefix(m.Text, "<b>Marco</b>\n") {
			t.Errorf("while Marco had the conversation the customer also read %q", m.Text)
		}
	}

	// The agent resolves; the customer rates by pressing a button.
	now, _ := fs.Card(salesCh, card.TS)
	deliver(t, fs, "interactive", slackfake.Click(marco, now, "sportello_resolve"))
	ask := mario.waitFor("Come valuti l'aiuto ricevuto")
	if titles := ask.Titles(); len(titles) != 5 || titles[4] != "★★★★★" {
		t.Errorf("the satisfaction question offers %q, want five buttons from ★ to ★★★★★", titles)
	}
	mario.press("★★★★★")
	mario.waitFor("Grazie del voto")
	waitUntil(t, "the card to show the case resolved", func() bool {
		now, _ := fs.Card(salesCh, card.TS)
		return strings.Contains(slackfake.BlockText(now), "Resolved by <@"+marco+">") && slackfake.Button(now, "sportello_claim") == ""
	})
	if n := len(tg.Calls("answerCallbackQuery")); n != 2 {
		t.Errorf("answerCallbackQuery called %d times, want 2 (the model and the score)", n)
	}
	events, err := srv.store.Transcript(context.Background(), mario.addr(), 200)
	if err != nil {
		t.Fatal(err)
	}
	var csat, notes, agent int
	for _, e := range events {
		switch e.Type {
		case bot.EventCSAT:
			csat = e.Score
		case bot.EventNote:
			notes++
		case bot.EventAgent:
			agent++
		}
	}
	if csat != 5 || notes != 1 || agent != 3 {
		t.Errorf("transcript: CSAT %d, %d notes, %d agent replies; want 5, the one note and the 3 replies", csat, notes, agent)
	}
}

// redisTestURL is the Redis the tests share: REDIS_TEST_URL, or the one
// that runs on every development and CI machine.
func redisTestURL() string {
	if u := os.Getenv("REDIS_TEST_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// redisReplicaStores opens n stores on the test Redis, each with its own
// client, all under one fresh key prefix, so they share their state as
// replicas do. The keys are purged and the stores closed when the test
// ends, after the servers started later have stopped.
func redisReplicaStores(t *testing.T, n int) []*redis.Store {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	prefix := "sportello-test:" + hex.EncodeToString(b) + ":"
	var stores []*redis.Store
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if len(stores) > 0 {
			if _, err := stores[0].Purge(ctx); err != nil {
				t.Errorf("purge %s: %v", prefix, err)
			}
		}
		for _, st := range stores {
			st.Close()
		}
	})
	for range n {
		st, err := redis.Open(context.Background(), redisTestURL(), redis.Options{Prefix: prefix, Logger: testLog(t)})
		if err != nil {
			t.Fatal(err)
		}
		stores = append(stores, st)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := stores[0].Ping(ctx); err != nil {
		t.Fatalf("this test needs Redis at %s (set REDIS_TEST_URL): %v", redis.Redacted(redisTestURL()), err)
	}
	return stores
}

// TestSlackThreeReplicasShareRedis runs three servers as three replicas
// would: each with its own connection to one Redis, its own Socket Mode
// connection to Slack, and the one Telegram bot, which one of them polls
// at a time. Slack gives each event to one connection, and retries it on
// another; every event is handled once, the claim decided once.
func TestSlackThreeReplicasShareRedis(t *testing.T) {
	stores := redisReplicaStores(t, 3)
	fs := fakeSlack(t)
	fs.EchoBotMessages(true)
	tg := telegramfake.New(t)
	b := shopBot(t, true)
	var replicas []*server
	for _, st := range stores {
		s := newTestServer(t, b, envs(slackEnv(fs, "socket"), telegramEnv(tg)), st, nil)
		replicas = append(replicas, s)
		start(t, s)
	}
	waitUntil(t, "three socket mode connections", func() bool { return fs.Connections() == 3 })

	mario := newTelegramCustomer(t, tg, 4_200_003)
	mario.buysTwoLaptops()
	card := onlyCard(t, fs, salesCh)

	// Two agents click Claim at once, on two replicas: one wins.
	var wg sync.WaitGroup
	for i, agent := range []string{marco, giulia} {
		wg.Go(func() {
			if _, err := fs.DeliverTo(i+1, "interactive", slackfake.Click(agent, card, "sportello_claim"), 0); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	waitUntil(t, "the loser to be told", func() bool { return len(fs.Ephemerals()) == 1 })
	winner, name := marco, "Marco"
	if fs.Ephemerals()[0].User == marco {
		winner, name = giulia, "Giulia"
	}
	mario.waitFor(name + " si è unito")

	// Each event goes to one connection; a retried event to another.
	replies := []string{"Prima risposta.", "Seconda risposta.", "Terza risposta."}
	for i, text := range replies {
		ev := slackfake.ThreadReply(fmt.Sprintf("EvRep%d", i), winner, salesCh, card.TS, text)
		if _, err := fs.DeliverTo(i%3, "events_api", ev, 0); err != nil {
			t.Fatal(err)
		}
		mario.waitFor(text) // a person waits to read before writing again
		if _, err := fs.DeliverTo((i+1)%3, "events_api", ev, 1); err != nil {
			t.Fatal(err)
		}
	}
	// The customer answers on Telegram; the thread shows it.
	mario.say("Grazie, attendo l'offerta")
	waitUntil(t, "the customer's message in the thread", func() bool {
		return inOrder(threadTexts(fs, card), "Grazie, attendo l'offerta")
	})
	time.Sleep(300 * time.Millisecond) // let any stray double arrive
	var want []string
	for _, r := range replies {
		want = append(want, name+": "+r)
	}
	if got := agentLines(t, mario.received()); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("across replicas the customer read %q, want each reply once, in order: %q", got, want)
	}
	if n := mario.count("si è unito"); n != 1 {
		t.Errorf("the customer was told of %d claims", n)
	}
	if n := mario.count("Hai già in mente un modello"); n != 1 {
		t.Errorf("the customer was asked for the model %d times", n)
	}
	if n := tg.Conflicts(); n != 0 {
		t.Errorf("%d getUpdates requests overlapped (409 Conflict): more than one replica polled at once", n)
	}
	if n := len(fs.Cards(salesCh)); n != 1 {
		t.Errorf("%d cards for one case", n)
	}
	if n := countText(threadTexts(fs, card), "Grazie, attendo l'offerta"); n != 1 {
		t.Errorf("the customer's message is %d times in the thread", n)
	}
	var dups int64
	for _, s := range replicas {
		dups += s.engine.Stats().Duplicates
	}
	for i, n := range fs.Delivered() {
		if n == 0 {
			t.Errorf("connection %d got no events", i)
		}
	}
	t.Logf("events per connection %v; duplicates the engines skipped: %d (the rest the desk's record caught)", fs.Delivered(), dups)
}

// countText returns how many of texts contain text.
func countText(texts []string, text string) int {
	n := 0
	for _, t := range texts {
		if strings.Contains(t, text) {
			n++
		}
	}
	return n
}
