package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/bottest"
)

// Teams of the handoff tests: sales works 9-18 on weekdays and times out
// after 5 minutes.
var salesTeam = bot.Team{
	ID: "sales", Names: map[string]string{"en": "Sales", "it": "Vendite"}, Timeout: 5 * time.Minute,
	Open: func(t time.Time) (bool, time.Time) {
		h := t.Hour()
		if t.Weekday() != time.Saturday && t.Weekday() != time.Sunday && h >= 9 && h < 18 {
			return true, time.Time{}
		}
		next := time.Date(t.Year(), t.Month(), t.Day(), 9, 0, 0, 0, t.Location())
		if h >= 18 {
			next = next.AddDate(0, 0, 1)
		}
		for next.Weekday() == time.Saturday || next.Weekday() == time.Sunday {
			next = next.AddDate(0, 0, 1)
		}
		return false, next
	},
}

func withTeams(c *bot.Config) {
	c.Teams = bot.TeamList{salesTeam}
	c.Queues = c.Store.(bot.Queues)
}

func lastText(r *rig, a bot.Address) string {
	txt := r.ch.Texts(a)
	if len(txt) == 0 {
		return ""
	}
	return txt[len(txt)-1]
}

func agentMsg(a bot.Address, id, action, name, text string) bot.Message {
	return bot.Message{ID: id, Kind: bot.KindAgent, Address: a,
		Agent: &bot.AgentAction{Action: action, ID: "U" + name, Name: name, Text: text}}
}

func TestQueuePositionIsToldAndUpdated(t *testing.T) {
	r := newRig(t, handoffResponder, withTeams) // Saturday 15 March 2025 10:00 is closed...
	r.clock.Advance(48 * time.Hour)             // ...so go to Monday
	a, b := bot.Address{Channel: "test", ChatID: "a"}, bot.Address{Channel: "test", ChatID: "b"}
	r.mustHandle(t, bottest.Message(a, "a1", "agent"))
	r.mustHandle(t, bottest.Message(b, "b1", "agent"))
	if got := lastText(r, a); !strings.Contains(got, "number 1") {
		t.Fatalf("first customer was told %q, want number 1", got)
	}
	if got := lastText(r, b); !strings.Contains(got, "number 2") {
		t.Fatalf("second customer was told %q, want number 2", got)
	}
	// The first is claimed: the second moves up, and hears it once.
	r.mustHandle(t, agentMsg(a, "x1", "claim", "Marco", ""))
	r.clock.Advance(61 * time.Second)
	r.engine.FireTimers(context.Background())
	if got := lastText(r, b); got != "You're now number 1 in the queue." {
		t.Fatalf("after the claim the second customer heard %q", got)
	}
	before := len(r.ch.Texts(b))
	r.clock.Advance(61 * time.Second)
	r.engine.FireTimers(context.Background())
	if len(r.ch.Texts(b)) != before {
		t.Fatalf("an unchanged position was repeated: %q", lastText(r, b))
	}
}

func TestNobodyClaimsInTime(t *testing.T) {
	r := newRig(t, handoffResponder, withTeams)
	r.clock.Advance(48 * time.Hour) // Monday 10:00
	r.mustHandle(t, bottest.Message(alice, "m1", "agent"))
	r.clock.Advance(4 * time.Minute)
	r.engine.FireTimers(context.Background())
	if got := lastText(r, alice); strings.Contains(got, "busy") {
		t.Fatalf("timed out early: %q", got)
	}
	r.clock.Advance(2 * time.Minute)
	r.engine.FireTimers(context.Background())
	if got := lastText(r, alice); !strings.Contains(got, "everyone on our Sales team is busy") {
		t.Fatalf("after the timeout the customer heard %q", got)
	}
	if n := r.desk.Notes(); n[len(n)-1].Kind != bot.DeskTimedOut {
		t.Fatalf("the desk was not told of the timeout: %+v", n[len(n)-1])
	}
	r.mustHandle(t, bottest.Message(alice, "m2", "call me at +39 333 123 4567 please"))
	if got := lastText(r, alice); got != "Thanks! We'll get back to you at +39 333 123 4567." {
		t.Fatalf("contact answer = %q", got)
	}
	s := r.session(t, alice)
	if s.Mode != bot.ModeQueued || s.Case.Slots["contact"] != "+39 333 123 4567" {
		t.Fatalf("case after the contact: mode %s slots %v; want it open with the contact", s.Mode, s.Case.Slots)
	}
	// A claim after the timeout still works; the stale timer does nothing.
	r.mustHandle(t, agentMsg(alice, "x1", "claim", "Marco", ""))
	if s := r.session(t, alice); s.Mode != bot.ModeAgent {
		t.Fatalf("mode after the claim = %s", s.Mode)
	}
}

func TestClosedTeamSaysWhenItOpens(t *testing.T) {
	r := newRig(t, handoffResponder, withTeams) // Saturday 10:00
	r.mustHandle(t, bottest.Message(alice, "m1", "agent"))
	got := lastText(r, alice)
	if !strings.Contains(got, "closed now and opens Monday 17 March at 09:00") {
		t.Fatalf("closed answer = %q", got)
	}
	notes := r.desk.Notes()
	if len(notes) == 0 || notes[len(notes)-1].Kind != bot.DeskOpened {
		t.Fatal("the case was not posted while closed")
	}
	r.mustHandle(t, bottest.Message(alice, "m2", "anna.rossi@example.it"))
	if got := lastText(r, alice); !strings.Contains(got, "anna.rossi@example.it") {
		t.Fatalf("contact answer = %q", got)
	}
	// No timeout fires over the weekend.
	r.clock.Advance(10 * time.Minute)
	r.engine.FireTimers(context.Background())
	if got := lastText(r, alice); strings.Contains(got, "busy") {
		t.Fatalf("timeout fired while closed: %q", got)
	}
}

func TestTwoClaimsAtOnceOneWins(t *testing.T) {
	r := newRig(t, handoffResponder, withTeams)
	r.clock.Advance(48 * time.Hour)
	r.mustHandle(t, bottest.Message(alice, "m1", "agent"))
	var wg sync.WaitGroup
	for _, name := range []string{"Marco", "Giulia"} {
		wg.Go(func() { r.mustHandle(t, agentMsg(alice, "claim-"+name, "claim", name, "")) })
	}
	wg.Wait()
	s := r.session(t, alice)
	var refused []bot.DeskNote
	for _, n := range r.desk.Notes() {
		if n.Kind == bot.DeskRefused {
			refused = append(refused, n)
		}
	}
	if s.Mode != bot.ModeAgent || len(refused) != 1 || refused[0].Text != "claimed" ||
		refused[0].Actor == s.Case.Agent || refused[0].Case.AgentName != s.Case.AgentName {
		t.Fatalf("winner %q; refused notes %+v: want one refusal telling the loser who has it", s.Case.AgentName, refused)
	}
	var joined int
	for _, txt := range r.ch.Texts(alice) {
		if strings.HasSuffix(txt, "joined the conversation.") {
			joined++
		}
	}
	if joined != 1 {
		t.Fatalf("the customer was told of %d agents joining", joined)
	}
	if n, _ := r.store.Len(context.Background(), "sales"); n != 0 {
		t.Fatalf("a claimed case is still in the queue: %d waiting", n)
	}
}

func TestTypedBackToTheBotLeavesTheQueue(t *testing.T) {
	r := newRig(t, handoffResponder, withTeams)
	r.clock.Advance(48 * time.Hour)
	r.mustHandle(t, bottest.Message(alice, "m1", "agent"))
	r.mustHandle(t, bottest.Message(alice, "m2", "Back to the bot"))
	if s := r.session(t, alice); s.Mode != bot.ModeBot {
		t.Fatalf("mode = %s after typing the button's title", s.Mode)
	}
	if n, _ := r.store.Len(context.Background(), "sales"); n != 0 {
		t.Fatalf("the case stayed in the queue: %d waiting", n)
	}
}

func TestAStaleCardCannotTouchTheNextCase(t *testing.T) {
	r := newRig(t, handoffResponder, withTeams)
	r.clock.Advance(48 * time.Hour)
	r.mustHandle(t, bottest.Message(alice, "m1", "agent"))
	m := agentMsg(alice, "x1", "claim", "Marco", "")
	m.Agent.Case = "C-OLDCASE"
	r.mustHandle(t, m)
	if s := r.session(t, alice); s.Mode != bot.ModeQueued {
		t.Fatalf("a claim on an old card changed the new case: mode %s", s.Mode)
	}
	n := r.desk.Notes()
	if last := n[len(n)-1]; last.Kind != bot.DeskRefused || last.Text != "closed" || last.Case.ID != "C-OLDCASE" {
		t.Fatalf("last note = %+v, want the old case refused as closed", last)
	}
}

func TestAForgedRatingIsNotCounted(t *testing.T) {
	r := newRig(t, handoffResponder)
	r.mustHandle(t, bot.Message{ID: "m1", Address: alice, Text: "★★★★★", Payload: bot.PayloadCSAT + "5"})
	for _, e := range r.transcript(t, alice) {
		if e.Type == bot.EventCSAT {
			t.Fatal("a rating nobody asked for was counted")
		}
	}
}

func TestAgentsAreToldWhenTheCustomerBlocksTheBot(t *testing.T) {
	r := newRig(t, handoffResponder, withTeams)
	r.clock.Advance(48 * time.Hour)
	r.mustHandle(t, bottest.Message(alice, "m1", "agent"))
	r.mustHandle(t, agentMsg(alice, "x1", "claim", "Marco", ""))
	r.ch.Fail = func(bot.Reply) error { return fmt.Errorf("403: %w", bot.ErrUndeliverable) }
	r.mustHandle(t, agentMsg(alice, "x2", "reply", "Marco", "are you there?"))
	n := r.desk.Notes()
	if last := n[len(n)-1]; last.Kind != bot.DeskUpdated || last.Text != "blocked" {
		t.Fatalf("last desk note = %+v, want the agents told the customer blocked the bot", last)
	}
}
