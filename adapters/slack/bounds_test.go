package slack

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/slack/slackfake"
	"github.com/sportello/sportello/bot"
)

func TestACallToAHangingSlackEndsAtItsTimeout(t *testing.T) {
	r := newRig(t, "http", func(c *Config) { c.Timeout = 200 * time.Millisecond })
	release := r.slack.Hang()
	defer release()
	done := make(chan error, 1)
	began := time.Now()
	// No deadline from the caller: the desk's own bounds the call.
	go func() {
		done <- r.desk.Post(context.Background(), bot.DeskNote{Kind: bot.DeskOpened, Case: lead("C-1")})
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Post succeeded against a Slack that never answers")
		}
		if took := time.Since(began); took > 2*time.Second {
			t.Fatalf("Post failed after %s, want about the 200 ms timeout", took)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Post against a hanging Slack did not return within 5 s")
	}
	// Slack answers again: the note goes through, once. (A call its client
	// gave up on must not be served meanwhile: Slack would post it.)
	waitFor(t, "the fake to see the call given up", func() bool { return r.slack.Hanging() == 0 })
	release()
	r.mustPost(t, bot.DeskNote{Kind: bot.DeskOpened, Case: lead("C-1")})
	if cards := r.slack.Cards(sales); len(cards) != 1 {
		t.Fatalf("%d cards after the hang, want 1", len(cards))
	}
}

// reshape changes a payload of Slack's as JSON.
func reshape(t *testing.T, payload json.RawMessage, change func(m map[string]any)) json.RawMessage {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(payload, &m); err != nil {
		t.Fatal(err)
	}
	change(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAClickFromAnotherChannelChangesNothing(t *testing.T) {
	for _, mode := range []string{"socket", "http"} {
		t.Run(mode, func(t *testing.T) {
			r := newRig(t, mode)
			card := r.openCase(t, lead("C-1"))
			other := r.openCase(t, bot.Case{ID: "C-2", Team: "support", TeamName: "Assistenza",
				Address: bot.Address{Channel: "telegram", ChatID: "77"}, Customer: bot.Sender{Name: "Bruno"}})
			elsewhere := card
			elsewhere.Channel = support // the same buttons, in the support channel
			onOther := card
			onOther.TS = other.TS // the same buttons, on another card's message

			type forgery struct {
				name  string
				click json.RawMessage
			}
			var forged []forgery
			for _, action := range []string{actionClaim, actionRelease, actionResolve} {
				click := func() json.RawMessage { return slackfake.Click("U1MARCO", card, action) }
				value := func(v string) json.RawMessage {
					return reshape(t, click(), func(m map[string]any) { m["actions"].([]any)[0].(map[string]any)["value"] = v })
				}
				forged = append(forged,
					forgery{action + " from another channel", slackfake.Click("U1MARCO", elsewhere, action)},
					forgery{action + " on another card", slackfake.Click("U1MARCO", onOther, action)},
					forgery{action + " from another workspace", reshape(t, click(), func(m map[string]any) {
						m["team"] = map[string]any{"id": "T0OTHER", "domain": "elsewhere"}
					})},
					forgery{action + " naming another conversation", value("C-1|telegram:77")},
				)
			}
			// Refused after a moment's grace (the card may be new).
			forged = append(forged, forgery{"a case without a card", reshape(t, slackfake.Click("U1MARCO", card, actionResolve), func(m map[string]any) {
				m["actions"].([]any)[0].(map[string]any)["value"] = "C-NOCARD|telegram:4242"
			})})
			for _, f := range forged {
				t.Run(f.name, func(t *testing.T) {
					r.deliver(t, "interactive", f.click)
					r.desk.wait()
					if n := r.eng.handled(); n != 0 {
						t.Fatalf("the forged click reached the engine: %d actions", n)
					}
				})
			}
			if now := r.card(t, card); now.Edits != 0 || strings.Contains(slackfake.BlockText(now), "claimed") {
				t.Errorf("the card changed after forged clicks: %d edits\n%s", now.Edits, slackfake.BlockText(now))
			}
			if e := r.ephemeralsTo("U1MARCO"); len(e) != 0 {
				t.Errorf("the forger was told %+v", e)
			}

			// From the card itself, the click works.
			r.deliver(t, "interactive", slackfake.Click("U1MARCO", card, actionClaim))
			r.desk.wait()
			if got := r.eng.actions("claim"); len(got) != 1 || got[0].ID != "U1MARCO" || got[0].Case != "C-1" {
				t.Fatalf("claims handled: %+v, want Marco's on C-1", got)
			}
		})
	}
}

func TestAClickOnACardJustPostedIsHonoured(t *testing.T) {
	r := newRig(t, "http")
	card := r.openCase(t, lead("C-1"))
	// Slack shows a card as soon as it is posted, a moment before the desk
	// has saved its record: the click lands in between.
	r.dir.mu.Lock()
	saved := r.dir.m[keyCard+"C-1"]
	delete(r.dir.m, keyCard+"C-1")
	r.dir.mu.Unlock()
	r.deliver(t, "interactive", slackfake.Click("U1MARCO", card, actionClaim))
	time.Sleep(100 * time.Millisecond)
	if err := r.dir.Put(context.Background(), keyCard+"C-1", saved, 0); err != nil {
		t.Fatal(err)
	}
	r.desk.wait()
	if got := r.eng.actions("claim"); len(got) != 1 || got[0].ID != "U1MARCO" {
		t.Fatalf("claims handled: %+v, want Marco's", got)
	}
}
