package slack

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/slack/slackfake"
	"github.com/sportello/sportello/bot"
)

const (
	botToken = "xoxb-test-token"
	appToken = "xapp-test-token"
	secret   = "signing-secret"
	sales    = "C0SALES"
	support  = "C0SUPPORT"
)

// dir is a bot.Directory in a map.
type dir struct {
	mu sync.Mutex
	m  map[string]string
	// failGet makes Get fail for the keys with this prefix, as when
	// Redis is unreachable.
	failGet string
}

func (d *dir) Put(ctx context.Context, key, value string, ttl time.Duration) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil {
		d.m = map[string]string{}
	}
	d.m[key] = value
	return nil
}

func (d *dir) Get(ctx context.Context, key string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.failGet != "" && strings.HasPrefix(key, d.failGet) {
		return "", errors.New("directory unreachable")
	}
	return d.m[key], nil
}

// queues is a bot.Queues of a fixed list, oldest first, that counts the
// entries it hands out: the desk must never read a long queue whole.
type queues struct {
	list []bot.QueueOp
	read *atomic.Int64
}

func (q queues) team(team string) []bot.QueueOp {
	var out []bot.QueueOp
	for _, op := range q.list {
		if op.Team == team {
			out = append(out, op)
		}
	}
	return out
}

func (q queues) Apply(ctx context.Context, op bot.QueueOp) error { return nil }

func (q queues) Position(ctx context.Context, team, id string) (int, bool, error) {
	for i, op := range q.team(team) {
		if op.Case == id {
			return i, true, nil
		}
	}
	return 0, false, nil
}

func (q queues) Len(ctx context.Context, team string) (int, error) { return len(q.team(team)), nil }

func (q queues) Claimed(ctx context.Context, team string) (int, error) { return 0, nil }

func (q queues) Oldest(ctx context.Context, team string, limit int) ([]bot.QueueOp, error) {
	out := q.team(team)
	out = out[:min(limit, len(out))]
	q.read.Add(int64(len(out)))
	return out, nil
}

func (q queues) Moved(ctx context.Context, now time.Time, every time.Duration, limit int) ([]bot.QueueOp, error) {
	return nil, nil
}

// engine is a hand-written stand-in for bot.Engine's handoff: it
// de-duplicates by message ID, serialises actions, lets the first claim
// win and refuses the rest, and tells the desk, as the engine does.
type engine struct {
	mu    sync.Mutex
	desk  *Desk
	seen  map[string]bool
	cases map[bot.Address]*bot.Case
	got   []bot.Message
}

func (e *engine) open(c bot.Case) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cases == nil {
		e.cases = map[bot.Address]*bot.Case{}
	}
	e.cases[c.Address] = &c
}

func (e *engine) Handle(ctx context.Context, m bot.Message) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.seen == nil {
		e.seen = map[string]bool{}
	}
	if e.seen[m.ID] {
		return nil
	}
	e.seen[m.ID] = true
	e.got = append(e.got, m)
	c, a := e.cases[m.Address], m.Agent
	if c == nil || a == nil {
		return nil
	}
	refuse := func(why string) error {
		return e.desk.Post(ctx, bot.DeskNote{Kind: bot.DeskRefused, Case: *c, Actor: a.ID, Text: why})
	}
	switch a.Action {
	case "claim":
		if c.Agent != "" {
			if c.Agent != a.ID {
				return refuse("claimed")
			}
			return nil
		}
		c.Agent, c.AgentName = a.ID, a.Name
		return e.desk.Post(ctx, bot.DeskNote{Kind: bot.DeskUpdated, Case: *c, Text: "claimed"})
	case "reply":
		if c.Agent != a.ID {
			return refuse("not_yours")
		}
	case "resolve":
		return e.desk.Post(ctx, bot.DeskNote{Kind: bot.DeskClosed, Case: *c, Text: "resolved"})
	}
	return nil
}

// actions returns the handled actions of kind action.
func (e *engine) actions(action string) []bot.AgentAction {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []bot.AgentAction
	for _, m := range e.got {
		if m.Agent != nil && m.Agent.Action == action {
			out = append(out, *m.Agent)
		}
	}
	return out
}

func (e *engine) handled() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.got)
}

// rig is a desk against a fake Slack, with the fake engine behind it.
type rig struct {
	slack *slackfake.Server
	desk  *Desk
	dir   *dir
	eng   *engine
	http  *httptest.Server // the desk's HTTP handlers, in HTTP mode
}

// newRig starts a desk in Socket Mode ("socket") or HTTP mode ("http");
// opts change its configuration.
func newRig(t *testing.T, mode string, opts ...func(*Config)) *rig {
	t.Helper()
	r := &rig{slack: slackfake.NewServer(t, botToken, appToken), dir: &dir{}, eng: &engine{}}
	r.slack.AddChannel(sales, support)
	r.slack.AddUser("U1MARCO", "Marco")
	r.slack.AddUser("U2GIULIA", "Giulia")
	cfg := Config{
		BotToken: botToken, APIURL: r.slack.APIURL(),
		Channels: map[string]string{"sales": sales, "support": support},
		Handler:  r.eng, Directory: r.dir,
		Queues: queues{list: []bot.QueueOp{
			{Team: "sales", Case: "C-OLD", Address: bot.Address{Channel: "web", ChatID: "v1"}, Since: time.Now().Add(-12 * time.Minute)},
			{Team: "sales", Case: "C-NEW", Address: bot.Address{Channel: "telegram", ChatID: "7"}, Since: time.Now().Add(-30 * time.Second)},
		}, read: new(atomic.Int64)},
		Stats: func() bot.Stats { return bot.Stats{Handled: 42, Duplicates: 3, Delivered: 40} },
	}
	if mode == "socket" {
		cfg.AppToken = appToken
	} else {
		cfg.SigningSecret = secret
	}
	for _, o := range opts {
		o(&cfg)
	}
	d, err := NewDesk(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.desk, r.eng.desk = d, d
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	if mode == "socket" {
		waitFor(t, "a socket mode connection", func() bool { return r.slack.Connections() == 1 })
	} else {
		mux := httpMux(d)
		r.http = httptest.NewServer(mux)
		t.Cleanup(r.http.Close)
	}
	waitFor(t, "auth.test", func() bool { return d.botUser.Load().(string) != "" })
	return r
}

// waitFor polls cond until it holds, or fails the test after 5 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// lead is a sales case as the engine opens it.
func lead(id string) bot.Case {
	return bot.Case{
		ID: id, Team: "sales", TeamName: "Vendite", Address: bot.Address{Channel: "telegram", ChatID: "4242"},
		Customer: bot.Sender{Name: "Anna Rossi", Username: "anna_r"}, Language: "it", Intent: "buy",
		Reason:  "Nuovo contatto commerciale",
		Summary: []string{"Cerca: Portatile", "Quantità: 2", "Budget: 800 euro a pezzo", "Cliente: azienda", "Contatto: anna@example.it"},
		Last:    []string{"vorrei comprare due portatili per l'ufficio", "2"},
		Opened:  time.Date(2025, 3, 17, 10, 0, 0, 0, time.UTC),
	}
}

// mustPost posts n to the desk.
func (r *rig) mustPost(t *testing.T, n bot.DeskNote) {
	t.Helper()
	if err := r.desk.Post(context.Background(), n); err != nil {
		t.Fatalf("Post %s: %v", n.Kind, err)
	}
}

// openCase posts the card of c and tells the fake engine about it; it
// returns the card as Slack shows it.
func (r *rig) openCase(t *testing.T, c bot.Case) slackfake.Message {
	t.Helper()
	r.eng.open(c)
	r.mustPost(t, bot.DeskNote{Kind: bot.DeskOpened, Case: c, Position: 1})
	cards := r.slack.Cards(r.desk.cfg.Channels[c.Team])
	for _, m := range cards {
		if strings.Contains(slackfake.Button(m, actionResolve), c.ID+"|") {
			return m
		}
	}
	t.Fatalf("no card for %s among %d", c.ID, len(cards))
	return slackfake.Message{}
}

// card returns the card as it reads now.
func (r *rig) card(t *testing.T, m slackfake.Message) slackfake.Message {
	t.Helper()
	now, ok := r.slack.Card(m.Channel, m.TS)
	if !ok {
		t.Fatalf("card %s gone", m.TS)
	}
	return now
}

func (r *rig) ephemeralsTo(user string) []slackfake.Ephemeral {
	var out []slackfake.Ephemeral
	for _, e := range r.slack.Ephemerals() {
		if e.User == user {
			out = append(out, e)
		}
	}
	return out
}

func customerNote(c bot.Case) bot.DeskNote {
	return bot.DeskNote{Kind: bot.DeskMessage, Case: c, Text: "una domanda"}
}

func closedNote(c bot.Case) bot.DeskNote {
	return bot.DeskNote{Kind: bot.DeskClosed, Case: c, Text: "left"}
}
