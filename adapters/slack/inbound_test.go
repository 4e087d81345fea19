package slack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/slack/slackfake"
	"github.com/sportello/sportello/bot"
)

func httpMux(d *Desk) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/slack/events", d.EventsHandler())
	mux.Handle("/slack/interactivity", d.InteractivityHandler())
	mux.Handle("/slack/commands", d.CommandsHandler())
	return mux
}

// deliver sends an event to the desk the way its mode receives them.
func (r *rig) deliver(t *testing.T, typ string, payload json.RawMessage) json.RawMessage {
	t.Helper()
	if r.http == nil {
		ack, err := r.slack.Deliver(typ, payload)
		if err != nil {
			t.Fatalf("deliver %s: %v", typ, err)
		}
		return ack
	}
	path, body := "/slack/events", []byte(payload)
	if typ == "interactive" {
		path, body = "/slack/interactivity", slackfake.InteractionForm(payload)
	}
	res := r.post(t, path, body, time.Now(), secret)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %s", path, res.Status)
	}
	out, _ := io.ReadAll(res.Body)
	return out
}

func (r *rig) post(t *testing.T, path string, body []byte, at time.Time, key string) *http.Response {
	t.Helper()
	res, err := http.DefaultClient.Do(slackfake.SignedRequest(r.http.URL+path, key, body, at))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func TestRequestsMustBeSignedAndFresh(t *testing.T) {
	r := newRig(t, "http")
	card := r.openCase(t, lead("C-1"))
	event := slackfake.ThreadReply("Ev1", "U1MARCO", sales, card.TS, "ciao")
	click := slackfake.InteractionForm(slackfake.Click("U1MARCO", card, actionClaim))
	_, cmd := slackfake.Command("U1MARCO", sales, "stats")
	for _, tc := range []struct {
		name   string
		path   string
		body   []byte
		at     time.Time
		key    string
		status int
	}{
		{"forged event", "/slack/events", event, time.Now(), "not-the-secret", http.StatusUnauthorized},
		{"stale event", "/slack/events", event, time.Now().Add(-6 * time.Minute), secret, http.StatusUnauthorized},
		{"event from the future", "/slack/events", event, time.Now().Add(6 * time.Minute), secret, http.StatusUnauthorized},
		{"forged click", "/slack/interactivity", click, time.Now(), "not-the-secret", http.StatusUnauthorized},
		{"stale click", "/slack/interactivity", click, time.Now().Add(-time.Hour), secret, http.StatusUnauthorized},
		{"forged command", "/slack/commands", []byte(cmd.Encode()), time.Now(), "x", http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if res := r.post(t, tc.path, tc.body, tc.at, tc.key); res.StatusCode != tc.status {
				t.Errorf("status %s, want %d", res.Status, tc.status)
			}
		})
	}
	t.Run("tampered body", func(t *testing.T) {
		req := slackfake.SignedRequest(r.http.URL+"/slack/events", secret, event, time.Now())
		req.Body = io.NopCloser(bytes.NewReader(bytes.Replace(event, []byte("ciao"), []byte("ciaO"), 1)))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("status %s, want 401", res.Status)
		}
	})
	t.Run("unsigned", func(t *testing.T) {
		res, err := http.Post(r.http.URL+"/slack/events", "application/json", bytes.NewReader(event))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("status %s, want 401", res.Status)
		}
	})
	t.Run("too large", func(t *testing.T) {
		big := append([]byte(`{"type":"event_callback","x":"`), bytes.Repeat([]byte("a"), maxBody)...)
		if res := r.post(t, "/slack/events", append(big, `"}`...), time.Now(), secret); res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("status %s, want 413", res.Status)
		}
	})
	t.Run("GET", func(t *testing.T) {
		res, err := http.Get(r.http.URL + "/slack/events")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("status %s, want 405", res.Status)
		}
	})
	r.desk.wait()
	if n := r.eng.handled(); n != 0 {
		t.Fatalf("%d refused requests reached the engine", n)
	}

	// The genuine ones go through.
	challenge := []byte(`{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	res := r.post(t, "/slack/events", challenge, time.Now(), secret)
	if got, _ := io.ReadAll(res.Body); res.StatusCode != 200 || string(got) != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("url_verification: %s %q", res.Status, got)
	}
	r.deliver(t, "interactive", slackfake.Click("U1MARCO", card, actionClaim))
	r.desk.wait()
	if got := r.eng.actions("claim"); len(got) != 1 || got[0].ID != "U1MARCO" || got[0].Name != "Marco" {
		t.Fatalf("claims handled: %+v, want Marco's", got)
	}
}

func TestEventDeliveredTwiceIsHandledOnce(t *testing.T) {
	for _, mode := range []string{"socket", "http"} {
		t.Run(mode, func(t *testing.T) {
			r := newRig(t, mode)
			c := lead("C-1")
			c.Agent, c.AgentName = "U1MARCO", "Marco"
			card := r.openCase(t, c)
			reply := slackfake.ThreadReply("Ev42", "U1MARCO", sales, card.TS, "Buongiorno Anna, le preparo l'offerta")
			r.deliver(t, "events_api", reply)
			r.desk.wait()
			// Slack retries when the ack is late: the same event again.
			if mode == "socket" {
				if _, err := r.slack.DeliverTo(0, "events_api", reply, 1); err != nil {
					t.Fatal(err)
				}
			} else {
				req := slackfake.SignedRequest(r.http.URL+"/slack/events", secret, reply, time.Now())
				req.Header.Set("X-Slack-Retry-Num", "1")
				req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
			}
			r.desk.wait()
			got := r.eng.actions("reply")
			if len(got) != 1 || got[0].Text != "Buongiorno Anna, le preparo l'offerta" || got[0].Name != "Marco" {
				t.Fatalf("replies handled: %+v, want one from Marco", got)
			}
			if r.eng.handled() != 1 {
				t.Errorf("the engine saw %d messages, want 1", r.eng.handled())
			}
		})
	}
}

func TestTwoClaimsAtOnceOneWinsTheOtherIsTold(t *testing.T) {
	r := newRig(t, "socket")
	card := r.openCase(t, lead("C-1"))
	var wg sync.WaitGroup
	for _, agent := range []string{"U1MARCO", "U2GIULIA"} {
		wg.Go(func() { r.deliver(t, "interactive", slackfake.Click(agent, card, actionClaim)) })
	}
	wg.Wait()
	r.desk.wait()

	claims := r.eng.actions("claim")
	if len(claims) != 2 {
		t.Fatalf("%d claims reached the engine, want both", len(claims))
	}
	winner, loser := claims[0], claims[1]
	now := slackfake.BlockText(r.card(t, card))
	if !strings.Contains(now, "Claimed by <@"+winner.ID+">") {
		t.Errorf("the card does not name the winner %s:\n%s", winner.Name, now)
	}
	if e := r.ephemeralsTo(winner.ID); len(e) != 0 {
		t.Errorf("the winner was told %+v", e)
	}
	told := r.ephemeralsTo(loser.ID)
	if len(told) != 1 || !strings.Contains(told[0].Text, "<@"+winner.ID+"> has this case already") || told[0].Channel != sales {
		t.Fatalf("the loser was told %+v, want who has the case", told)
	}
}

func TestThreadRepliesNotesAndOthersHints(t *testing.T) {
	r := newRig(t, "socket")
	c := lead("C-1")
	c.Agent, c.AgentName = "U1MARCO", "Marco"
	card := r.openCase(t, c)

	r.deliver(t, "events_api", slackfake.ThreadReply("Ev1", "U1MARCO", sales, card.TS, "// cliente già noto, sconto 5%"))
	r.deliver(t, "events_api", slackfake.ThreadReply("Ev2", "U2GIULIA", sales, card.TS, "Ciao! Posso aiutarti?"))
	r.deliver(t, "events_api", slackfake.ThreadReply("Ev3", "U1MARCO", sales, card.TS, "Ecco <https://shop.example/o/1|l'offerta> &amp; il listino"))
	r.deliver(t, "events_api", slackfake.ThreadReply("Ev4", "U1MARCO", sales, "1699999999.000001", "not a case thread"))
	r.desk.wait()

	if got := r.eng.actions("note"); len(got) != 1 || got[0].Text != "cliente già noto, sconto 5%" {
		t.Errorf("notes: %+v, want the // line without the slashes", got)
	}
	replies := r.eng.actions("reply")
	if len(replies) != 2 || replies[1].Text != "Ecco l'offerta (https://shop.example/o/1) & il listino" || replies[1].Name != "Marco" {
		t.Errorf("replies: %+v, want Giulia's (refused) and Marco's in plain text", replies)
	}
	hint := r.ephemeralsTo("U2GIULIA")
	if len(hint) != 1 || hint[0].ThreadTS != card.TS || !strings.Contains(hint[0].Text, "belongs to <@U1MARCO>") {
		t.Errorf("Giulia was told %+v, want a hint in the thread naming Marco", hint)
	}
	if n := r.eng.handled(); n != 3 {
		t.Errorf("the engine saw %d actions, want 3 (a reply outside a case thread is ignored)", n)
	}
}

// TestAReplyThatCannotBeLookedUpIsToldToTheAgent: the event is acknowledged
// before it is handled, so Slack will not send it again; when the thread
// cannot be looked up the agent must be told to send it again, in the
// thread, rather than believe the customer has it.
func TestAReplyThatCannotBeLookedUpIsToldToTheAgent(t *testing.T) {
	r := newRig(t, "http")
	c := lead("C-1")
	c.Agent, c.AgentName = "U1MARCO", "Marco"
	card := r.openCase(t, c)
	r.dir.mu.Lock()
	r.dir.failGet = keyThread
	r.dir.mu.Unlock()

	r.deliver(t, "events_api", slackfake.ThreadReply("EvLost", "U1MARCO", sales, card.TS, "Le mando il preventivo oggi"))
	r.desk.wait()

	if n := r.eng.handled(); n != 0 {
		t.Fatalf("the engine saw %d actions, want none: the thread was not found", n)
	}
	told := r.ephemeralsTo("U1MARCO")
	if len(told) != 1 || told[0].Channel != sales || told[0].ThreadTS != card.TS || !strings.Contains(told[0].Text, "did not go through") {
		t.Fatalf("Marco was told %+v, want a hint in the card's thread that the reply did not go through", told)
	}
}

// TestAClickThatCannotBeLookedUpIsToldToTheAgent: a click is acknowledged
// before its card is looked up; when the store cannot be read the agent
// who clicked is told in the card's channel, not left believing the case
// is claimed.
func TestAClickThatCannotBeLookedUpIsToldToTheAgent(t *testing.T) {
	r := newRig(t, "http")
	card := r.openCase(t, lead("C-1"))
	r.dir.mu.Lock()
	r.dir.failGet = keyCard
	r.dir.mu.Unlock()

	r.deliver(t, "interactive", slackfake.Click("U1MARCO", card, actionClaim))
	r.desk.wait()

	if n := r.eng.handled(); n != 0 {
		t.Fatalf("the engine saw %d actions, want none: the card was not found", n)
	}
	told := r.ephemeralsTo("U1MARCO")
	if len(told) != 1 || told[0].Channel != sales || told[0].ThreadTS != "" || !strings.Contains(told[0].Text, "did not go through") {
		t.Fatalf("Marco was told %+v, want a hint in the channel that the click did not go through", told)
	}
}

func TestOwnPostsAndOtherMessagesAreIgnored(t *testing.T) {
	r := newRig(t, "socket")
	r.slack.EchoBotMessages(true)
	c := lead("C-1")
	card := r.openCase(t, c)
	r.mustPost(t, customerNote(c))
	for _, ev := range []map[string]any{
		{"type": "message", "subtype": "message_changed", "channel": sales, "ts": "1.1", "thread_ts": card.TS},
		{"type": "message", "user": "U1MARCO", "text": "in the channel", "channel": sales, "ts": "1.2"},
		{"type": "reaction_added", "user": "U1MARCO", "reaction": "eyes"},
	} {
		b, _ := json.Marshal(map[string]any{"type": "event_callback", "event_id": "Ev" + ev["type"].(string), "event": ev})
		r.deliver(t, "events_api", b)
	}
	time.Sleep(100 * time.Millisecond) // the echoes travel on their own
	r.desk.wait()
	if n := r.eng.handled(); n != 0 {
		t.Fatalf("the engine saw %d messages from the desk's own posts and other events", n)
	}
}

func TestLateClicksOnAClosedCaseDoNothing(t *testing.T) {
	r := newRig(t, "socket")
	c := lead("C-1")
	card := r.openCase(t, c)
	r.mustPost(t, closedNote(c))
	r.deliver(t, "interactive", slackfake.Click("U2GIULIA", card, actionClaim))
	r.desk.wait()
	if n := r.eng.handled(); n != 0 {
		t.Fatalf("a click on a closed case reached the engine")
	}
	if e := r.ephemeralsTo("U2GIULIA"); len(e) != 1 || !strings.Contains(e[0].Text, "closed") {
		t.Fatalf("Giulia was told %+v", e)
	}
}

func TestSlashCommandAnswersPrivately(t *testing.T) {
	for _, mode := range []string{"socket", "http"} {
		t.Run(mode, func(t *testing.T) {
			r := newRig(t, mode)
			r.openCase(t, lead("C-OLD"))
			for text, wants := range map[string][]string{
				"queue": {"*sales* (<#C0SALES>): 2 cases waiting", "|C-OLD>", "Anna Rossi (@anna_r), waiting 12 min",
					"C-NEW telegram:7, waiting under a minute", "*support* (<#C0SUPPORT>): nobody waiting"},
				"stats": {"Messages handled: 42 (duplicates skipped: 3)"},
				"":      {"/sportello queue"},
			} {
				js, form := slackfake.Command("U1MARCO", sales, text)
				var body []byte
				if mode == "socket" {
					body = r.deliver(t, "slash_commands", js)
				} else {
					res := r.post(t, "/slack/commands", []byte(form.Encode()), time.Now(), secret)
					body, _ = io.ReadAll(res.Body)
				}
				var resp commandResponse
				if err := json.Unmarshal(body, &resp); err != nil {
					t.Fatalf("/sportello %s: answer %q: %v", text, body, err)
				}
				if resp.ResponseType != "ephemeral" {
					t.Errorf("/sportello %s answered %q, want ephemeral", text, resp.ResponseType)
				}
				for _, w := range wants {
					if !strings.Contains(resp.Text, w) {
						t.Errorf("/sportello %s answered:\n%s\nwant %q", text, resp.Text, w)
					}
				}
			}
		})
	}
}

// TestQueueCommandOutsideTheTeamChannelsNamesNoCustomer: Slack signs a
// slash command from any channel of the workspace, typed by any member,
// agent or not. The red-team attack listed the waiting customers' names
// with /sportello queue from a channel that is no team's
// (docs/security.md); outside the teams' channels it counts the cases
// and names nobody.
func TestQueueCommandOutsideTheTeamChannelsNamesNoCustomer(t *testing.T) {
	for _, mode := range []string{"socket", "http"} {
		t.Run(mode, func(t *testing.T) {
			r := newRig(t, mode)
			r.openCase(t, lead("C-OLD"))
			js, form := slackfake.Command("U9GUEST", "C0RANDOM", "queue")
			var body []byte
			if mode == "socket" {
				body = r.deliver(t, "slash_commands", js)
			} else {
				res := r.post(t, "/slack/commands", []byte(form.Encode()), time.Now(), secret)
				body, _ = io.ReadAll(res.Body)
			}
			var resp commandResponse
			if err := json.Unmarshal(body, &resp); err != nil {
				t.Fatalf("answer %q: %v", body, err)
			}
			for _, w := range []string{"*sales* (<#C0SALES>): 2 cases waiting", "*support* (<#C0SUPPORT>): nobody waiting"} {
				if !strings.Contains(resp.Text, w) {
					t.Errorf("/sportello queue from another channel answered:\n%s\nwant %q", resp.Text, w)
				}
			}
			for _, bad := range []string{"Anna Rossi", "anna_r", "C-OLD", "C-NEW", "telegram:7"} {
				if strings.Contains(resp.Text, bad) {
					t.Errorf("/sportello queue from a channel that is no team's names %q:\n%s", bad, resp.Text)
				}
			}
		})
	}
}

// A shop closed for a weekend has thousands of cases waiting: the queue
// command counts them and lists the oldest, without reading them all.
func TestQueueCommandDoesNotReadTheWholeQueue(t *testing.T) {
	long := queues{read: new(atomic.Int64)}
	start := time.Now().Add(-48 * time.Hour)
	for i := range 10_000 {
		long.list = append(long.list, bot.QueueOp{Team: "sales", Case: fmt.Sprintf("C-%05d", i),
			Address: bot.Address{Channel: "web", ChatID: fmt.Sprintf("v%d", i)}, Since: start.Add(time.Duration(i) * time.Second)})
	}
	r := newRig(t, "socket", func(c *Config) { c.Queues = long })
	js, _ := slackfake.Command("U1MARCO", sales, "queue")
	var resp commandResponse
	if err := json.Unmarshal(r.deliver(t, "slash_commands", js), &resp); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"*sales* (<#C0SALES>): 10000 cases waiting", "C-00000 web:v0, waiting 2 days",
		"C-00019 web:v19", "• … and 9980 more", "*support* (<#C0SUPPORT>): nobody waiting"} {
		if !strings.Contains(resp.Text, w) {
			t.Errorf("/sportello queue answered:\n%s\nwant %q", resp.Text, w)
		}
	}
	if strings.Contains(resp.Text, "C-00020") {
		t.Errorf("/sportello queue listed more than the oldest %d:\n%s", queueShown, resp.Text)
	}
	if n := long.read.Load(); n > queueShown {
		t.Fatalf("/sportello queue read %d queued cases, want at most %d", n, queueShown)
	}
}
