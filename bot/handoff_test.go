package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/botfake"
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
	r.mustHandle(t, botfake.Message(a, "a1", "agent"))
	r.mustHandle(t, botfake.Message(b, "b1", "agent"))
	if got := lastText(r, a); !strings.Contains(got, "number 1") {
		t.Fatalf("first customer was told %q, want number 1", got)
	}
	if got := lastText(r, b); !strings.Contains(got, "number 2") {
		t.Fatalf("second customer was told %q, want number 2", got)
	}
	// The first is claimed: the second moves up, and hears it once.
	r.mustHandle(t, agentMsg(a, "x1", "claim", "Marco", ""))
	r.clock.Advance(61 * time.Second)
	r.fire(t)
	if got := lastText(r, b); got != "You're now number 1 in the queue." {
		t.Fatalf("after the claim the second customer heard %q", got)
	}
	before := len(r.ch.Texts(b))
	r.clock.Advance(61 * time.Second)
	r.fire(t)
	if len(r.ch.Texts(b)) != before {
		t.Fatalf("an unchanged position was repeated: %q", lastText(r, b))
	}
}

func TestNobodyClaimsInTime(t *testing.T) {
	r := newRig(t, handoffResponder, withTeams)
	r.clock.Advance(48 * time.Hour) // Monday 10:00
	r.mustHandle(t, botfake.Message(alice, "m1", "agent"))
	r.clock.Advance(4 * time.Minute)
	r.fire(t)
	if got := lastText(r, alice); strings.Contains(got, "busy") {
		t.Fatalf("timed out early: %q", got)
	}
	r.clock.Advance(2 * time.Minute)
	r.fire(t)
	if got := lastText(r, alice); !strings.Contains(got, "everyone on our Sales team is busy") {
		t.Fatalf("after the timeout the customer heard %q", got)
	}
	if n := r.desk.Notes(); n[len(n)-1].Kind != bot.DeskTimedOut {
		t.Fatalf("the desk was not told of the timeout: %+v", n[len(n)-1])
	}
	r.mustHandle(t, botfake.Message(alice, "m2", "call me at +39 333 123 4567 please"))
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
	r.mustHandle(t, botfake.Message(alice, "m1", "agent"))
	got := lastText(r, alice)
	if !strings.Contains(got, "closed now and opens Monday 17 March at 09:00") {
		t.Fatalf("closed answer = %q", got)
	}
	notes := r.desk.Notes()
	if len(notes) == 0 || notes[len(notes)-1].Kind != bot.DeskOpened {
		t.Fatal("the case was not posted while closed")
	}
	r.mustHandle(t, botfake.Message(alice, "m2", "anna.rossi@example.it"))
	if got := lastText(r, alice); !strings.Contains(got, "anna.rossi@example.it") {
		t.Fatalf("contact answer = %q", got)
	}
	// No timeout fires over the weekend.
	r.clock.Advance(10 * time.Minute)
	r.fire(t)
	if got := lastText(r, alice); strings.Contains(got, "busy") {
		t.Fatalf("timeout fired while closed: %q", got)
	}
}

func TestTwoClaimsAtOnceOneWins(t *testing.T) {
	r := newRig(t, handoffResponder, withTeams)
	r.clock.Advance(48 * time.Hour)
	r.mustHandle(t, botfake.Message(alice, "m1", "agent"))
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
	r.mustHandle(t, botfake.Message(alice, "m1", "agent"))
	r.mustHandle(t, botfake.Message(alice, "m2", "Back to the bot"))
	if s := r.session(t, alice); s.Mode != bot.ModeQueued || !strings.Contains(lastText(r, alice), "Close it and go back") {
		t.Fatalf("typing the button's title: mode %s, the bot said %q; want the question first", s.Mode, lastText(r, alice))
	}
	r.mustHandle(t, botfake.Message(alice, "m3", "yes, close it!"))
	if s := r.session(t, alice); s.Mode != bot.ModeBot {
		t.Fatalf("mode = %s after typing the answer's title", s.Mode)
	}
	if n, _ := r.store.Len(context.Background(), "sales"); n != 0 {
		t.Fatalf("the case stayed in the queue: %d waiting", n)
	}
}

func TestAStaleCardCannotTouchTheNextCase(t *testing.T) {
	r := newRig(t, handoffResponder, withTeams)
	r.clock.Advance(48 * time.Hour)
	r.mustHandle(t, botfake.Message(alice, "m1", "agent"))
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
	r.mustHandle(t, botfake.Message(alice, "m1", "agent"))
	r.mustHandle(t, agentMsg(alice, "x1", "claim", "Marco", ""))
	r.ch.Fail = func(bot.Reply) error { return fmt.Errorf("403: %w", bot.ErrUndeliverable) }
	r.mustHandle(t, agentMsg(alice, "x2", "reply", "Marco", "are you there?"))
	n := r.desk.Notes()
	if last := n[len(n)-1]; last.Kind != bot.DeskUpdated || last.Text != "blocked" {
		t.Fatalf("last desk note = %+v, want the agents told the customer blocked the bot", last)
	}
}

// queueProbe is the memory store's queues seen by the engine: it counts
// the engine's reads, and answers Len with lag cases fewer than wait (a
// length read before others joined).
type queueProbe struct {
	bot.Queues
	positions, lens, listed, lag atomic.Int64
}

func (q *queueProbe) Position(ctx context.Context, team, id string) (int, bool, error) {
	q.positions.Add(1)
	return q.Queues.Position(ctx, team, id)
}

func (q *queueProbe) Len(ctx context.Context, team string) (int, error) {
	q.lens.Add(1)
	n, err := q.Queues.Len(ctx, team)
	return max(n-int(q.lag.Load()), 0), err
}

func (q *queueProbe) Oldest(ctx context.Context, team string, limit int) ([]bot.QueueOp, error) {
	w, err := q.Queues.Oldest(ctx, team, limit)
	q.listed.Add(int64(len(w)))
	return w, err
}

// withProbe sets the sales team, here without a timeout, and the probe.
func withProbe(p *queueProbe) func(*bot.Config) {
	return func(c *bot.Config) {
		team := salesTeam
		team.Timeout = 0
		c.Teams = bot.TeamList{team}
		p.Queues = c.Store.(bot.Queues)
		c.Queues = p
	}
}

// queueUp opens a case for each of n customers, a millisecond apart.
func queueUp(t *testing.T, r *rig, n int) []bot.Address {
	t.Helper()
	var out []bot.Address
	for i := range n {
		a := bot.Address{Channel: "test", ChatID: fmt.Sprintf("c%04d", i)}
		r.clock.Advance(time.Millisecond)
		r.mustHandle(t, botfake.Message(a, "m1", "agent"))
		out = append(out, a)
	}
	last := lastTexts(r)
	for i, a := range out {
		if got := last[a]; !strings.Contains(got, fmt.Sprintf("number %d.", i+1)) {
			t.Fatalf("customer %d was told %q", i+1, got)
		}
	}
	return out
}

// lastTexts returns the last reply of every conversation, in one pass.
func lastTexts(r *rig) map[bot.Address]string {
	last := map[bot.Address]string{}
	for _, rep := range r.ch.Replies() {
		last[rep.Address] = rep.Text
	}
	return last
}

// tick lets a minute and a second pass and fires what is due.
func tick(r *rig) {
	r.clock.Advance(61 * time.Second)
	r.engine.FireTimers(context.Background())
}

func TestOnlyThoseWhosePlaceChangedAreTold(t *testing.T) {
	p := &queueProbe{}
	r := newRig(t, handoffResponder, withProbe(p))
	r.clock.Advance(48 * time.Hour)
	cs := queueUp(t, r, 5)
	told := func() []int {
		var n []int
		for _, a := range cs {
			n = append(n, len(r.ch.Texts(a)))
		}
		return n
	}
	before := told()
	tick(r) // everyone joined at the place they were told
	if got := told(); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Fatalf("places that did not change were told: %v, before %v", got, before)
	}
	// The third leaves: the fourth and fifth move up at the next tick,
	// the first two do not.
	r.mustHandle(t, botfake.Message(cs[2], "m2", "Back to the bot"))
	r.mustHandle(t, botfake.Message(cs[2], "m3", "Yes, close it"))
	before[2] = len(r.ch.Texts(cs[2]))
	r.clock.Advance(time.Second)
	r.engine.FireTimers(context.Background())
	after := told()
	for i, want := range []string{"", "", "", "You're now number 3 in the queue.", "You're now number 4 in the queue."} {
		switch {
		case want == "" && after[i] != before[i]:
			t.Errorf("customer %d, whose place did not change, heard %q", i+1, lastText(r, cs[i]))
		case want != "" && (after[i] != before[i]+1 || lastText(r, cs[i]) != want):
			t.Errorf("customer %d heard %q, want %q once", i+1, r.ch.Texts(cs[i])[before[i]:], want)
		}
	}
	// The first is claimed a few seconds later: the others hear it once
	// the minute since the last notices has passed, not before.
	r.mustHandle(t, agentMsg(cs[0], "x1", "claim", "Marco", ""))
	r.clock.Advance(10 * time.Second)
	r.engine.FireTimers(context.Background())
	if got := lastText(r, cs[4]); got != "You're now number 4 in the queue." {
		t.Fatalf("a place was told twice within a minute: %q", got)
	}
	tick(r)
	for i, want := range map[int]string{1: "You're now number 1 in the queue.", 3: "You're now number 2 in the queue.", 4: "You're now number 3 in the queue."} {
		if got := lastText(r, cs[i]); got != want {
			t.Errorf("after the claim, customer %d heard %q, want %q", i+1, got, want)
		}
	}
	if n := p.listed.Load(); n != 0 {
		t.Fatalf("the engine listed %d queued cases: it needs places, not the queue", n)
	}
}

func TestPlacesCostWhatTheCustomersToldCost(t *testing.T) {
	p := &queueProbe{}
	r := newRig(t, handoffResponder, withProbe(p))
	r.clock.Advance(48 * time.Hour)
	const n = 300
	cs := queueUp(t, r, n)
	if got := p.lens.Load(); got != n {
		t.Fatalf("opening %d cases read the queue's length %d times", n, got)
	}
	// Nobody claims for ten minutes: nobody's place changes, nothing is
	// read (each joined behind everyone, at the place they were told).
	replies := len(r.ch.Replies())
	for range 10 {
		tick(r)
	}
	if got := p.positions.Load(); got != 0 {
		t.Fatalf("ten minutes of an unchanged queue read %d places, want none", got)
	}
	if got := len(r.ch.Replies()); got != replies {
		t.Fatalf("an unchanged queue sent %d replies", got-replies)
	}
	// The first is claimed: everyone else moves up, and each is told once.
	r.mustHandle(t, agentMsg(cs[0], "x1", "claim", "Marco", ""))
	tick(r)
	if got := p.positions.Load(); got != n-1 {
		t.Fatalf("telling %d customers read %d places", n-1, got)
	}
	last := lastTexts(r)
	for i, a := range cs[1:] {
		if got, want := last[a], fmt.Sprintf("You're now number %d in the queue.", i+1); got != want {
			t.Fatalf("customer %d heard %q, want %q", i+2, got, want)
		}
	}
}

func TestTwoCasesOpenedAtOnceHearTheirRightPlaces(t *testing.T) {
	p := &queueProbe{}
	r := newRig(t, handoffResponder, withProbe(p))
	r.clock.Advance(48 * time.Hour)
	a, b := bot.Address{Channel: "test", ChatID: "a"}, bot.Address{Channel: "test", ChatID: "b"}
	r.mustHandle(t, botfake.Message(a, "a1", "agent"))
	// b read the queue's length before a joined: both are told number 1.
	p.lag.Store(1)
	r.clock.Advance(time.Millisecond)
	r.mustHandle(t, botfake.Message(b, "b1", "agent"))
	p.lag.Store(0)
	if !strings.Contains(lastText(r, b), "number 1") {
		t.Fatalf("b was told %q", lastText(r, b))
	}
	r.engine.FireTimers(context.Background())
	if got := lastText(r, b); got != "You're now number 2 in the queue." {
		t.Fatalf("once both joined, b heard %q, want number 2", got)
	}
	if got := lastText(r, a); strings.Contains(got, "now number") {
		t.Fatalf("a, rightly number 1, heard %q", got)
	}
}

// A case whose add has not reached the queue yet is told no place.
func TestNoPlaceIsToldForACaseNotInTheQueueYet(t *testing.T) {
	p := &queueProbe{}
	r := newRig(t, handoffResponder, withProbe(p))
	r.clock.Advance(48 * time.Hour)
	r.mustHandle(t, botfake.Message(alice, "m1", "agent"))
	s := r.session(t, alice)
	// As if its add still waited in the outbox.
	if err := p.Queues.Apply(context.Background(), bot.QueueOp{Team: "sales", Case: s.Case.ID}); err != nil {
		t.Fatal(err)
	}
	before := len(r.ch.Texts(alice))
	r.mustHandle(t, bot.Message{Kind: bot.KindTimer, Address: alice,
		Timer: &bot.Timer{ID: bot.TimerQueuePosition, Kind: bot.TimerQueuePosition, Address: alice, Due: r.clock.Now(), Data: s.Case.ID}})
	if got := r.ch.Texts(alice)[before:]; len(got) != 0 {
		t.Fatalf("a case not in the queue was told %q", got)
	}
}

func TestAReleasedCustomerHearsTheirPlace(t *testing.T) {
	r := newRig(t, handoffResponder, withTeams)
	r.clock.Advance(48 * time.Hour)
	a, b := bot.Address{Channel: "test", ChatID: "a"}, bot.Address{Channel: "test", ChatID: "b"}
	r.mustHandle(t, botfake.Message(a, "a1", "agent"))
	r.clock.Advance(time.Second)
	r.mustHandle(t, botfake.Message(b, "b1", "agent"))
	r.mustHandle(t, agentMsg(a, "x1", "claim", "Marco", ""))
	tick(r)
	if got := lastText(r, b); got != "You're now number 1 in the queue." {
		t.Fatalf("b heard %q", got)
	}
	// Released, a goes back to their place, ahead of b.
	r.mustHandle(t, agentMsg(a, "x2", "release", "Marco", ""))
	tick(r)
	if got := lastText(r, a); got != "You're now number 1 in the queue." {
		t.Fatalf("the released customer heard %q, want their place", got)
	}
	if got := lastText(r, b); got != "You're now number 2 in the queue." {
		t.Fatalf("b, now behind the released case, heard %q", got)
	}
}

// A session of an older version has a position timer armed: it fires
// once, tells the place if it changed, and is not armed again.
func TestAnOldPositionTimerFiresOnce(t *testing.T) {
	r := newRig(t, handoffResponder, withTeams)
	r.clock.Advance(48 * time.Hour)
	r.mustHandle(t, botfake.Message(alice, "m1", "agent"))
	s := r.session(t, alice)
	old := bot.Message{ID: "timer:queue_position:1", Kind: bot.KindTimer, Address: alice,
		Timer: &bot.Timer{ID: bot.TimerQueuePosition, Kind: bot.TimerQueuePosition, Address: alice, Due: r.clock.Now(), Data: s.Case.ID}}
	before := len(r.ch.Texts(alice))
	r.mustHandle(t, old)
	if got := len(r.ch.Texts(alice)); got != before {
		t.Fatalf("an unchanged place was told again: %q", lastText(r, alice))
	}
	due, err := r.store.DueTimers(context.Background(), r.clock.Now().Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range due {
		if tm.Kind == bot.TimerQueuePosition {
			t.Fatalf("the position timer was armed again: %+v", tm)
		}
	}
}

// A long queue is told in turns of a thousand, a tick apart, and everyone
// hears their place within seconds.
func TestALongQueueIsToldInTurns(t *testing.T) {
	r := newRig(t, handoffResponder, withProbe(&queueProbe{}))
	r.clock.Advance(48 * time.Hour)
	cs := queueUp(t, r, 1500)
	tick(r)
	tick(r)
	r.mustHandle(t, agentMsg(cs[0], "x1", "claim", "Marco", ""))
	tick(r)
	heard := func() (n int) {
		last := lastTexts(r)
		for i, a := range cs[1:] {
			if last[a] == fmt.Sprintf("You're now number %d in the queue.", i+1) {
				n++
			}
		}
		return n
	}
	if n := heard(); n != 1000 {
		t.Fatalf("%d customers heard their new place in the first turn, want 1000", n)
	}
	r.clock.Advance(time.Second)
	r.engine.FireTimers(context.Background())
	if n := heard(); n != len(cs)-1 {
		t.Fatalf("%d of %d customers heard their new place a second later", n, len(cs)-1)
	}
}

// While the team is closed, nobody hears their place: they were told when
// it opens. Once it is open and the queue moves, they do.
func TestPlacesAreNotToldWhileTheTeamIsClosed(t *testing.T) {
	r := newRig(t, handoffResponder, withTeams) // Saturday 10:00: closed
	a, b := bot.Address{Channel: "test", ChatID: "a"}, bot.Address{Channel: "test", ChatID: "b"}
	r.mustHandle(t, botfake.Message(a, "a1", "agent"))
	r.clock.Advance(time.Second)
	r.mustHandle(t, botfake.Message(b, "b1", "agent"))
	before := len(r.ch.Texts(b))
	tick(r)
	tick(r)
	if got := r.ch.Texts(b)[before:]; len(got) != 0 {
		t.Fatalf("while closed, b heard %q", got)
	}
	r.clock.Advance(47 * time.Hour) // Monday 09:02
	r.mustHandle(t, agentMsg(a, "x1", "claim", "Marco", ""))
	tick(r)
	if got := lastText(r, b); got != "You're now number 1 in the queue." {
		t.Fatalf("once open and the queue moved, b heard %q", got)
	}
}

// handoffIn hands off to sales on "agent", in lang, and echoes otherwise.
func handoffIn(lang string) bot.Responder {
	return bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
		if t.Message.Text == "agent" {
			t.Session.Language = lang
			t.HandOff(bot.Case{Team: "sales", Intent: "buy", Summary: []string{"Product: laptop"}})
			return nil
		}
		t.Say("echo: " + t.Message.Text)
		return nil
	})
}

// press presses the button of payload among the last buttons alice got.
func press(t *testing.T, r *rig, id, payload string) {
	t.Helper()
	replies := r.ch.Replies()
	for i := len(replies) - 1; i >= 0; i-- {
		if len(replies[i].Buttons) == 0 {
			continue
		}
		for _, b := range replies[i].Buttons {
			if b.Payload == payload {
				r.mustHandle(t, bot.Message{ID: id, Address: alice, Text: b.Title, Payload: b.Payload})
				return
			}
		}
		t.Fatalf("no button %q in the last buttons %+v", payload, replies[i].Buttons)
	}
	t.Fatalf("no buttons at all: %q", r.ch.Texts(alice))
}

// TestBackToTheBotClosedTheCaseWithoutAWord: the button "Back to the bot"
// of an open case (queued, or claimed since) used to close it at once,
// with nothing said of the request. It asks first, in the customer's
// language, naming the team; "no" keeps the case; "yes" closes it, tells
// the agents, and says so.
func TestBackToTheBotClosedTheCaseWithoutAWord(t *testing.T) {
	for _, tc := range []struct {
		name, lang string
		claimed    bool
		ask        string // what the question says
		yes, no    string // the titles of its answers
		kept       string // the answer to "no"
		closed     string // the answer to "yes"
	}{
		{"queued, in English", "en", false,
			"Going back to the bot closes your request to our Sales team", "Yes, close it", "No, keep it open",
			"your request stays open: our Sales team will answer you here", "I've closed your request to our Sales team"},
		{"queued, in Italian", "it", false,
			"la tua richiesta al team Vendite viene chiusa", "Sì, chiudi la richiesta", "No, resto in attesa",
			"la tua richiesta resta aperta: il team Vendite ti risponderà qui", "Ho chiuso la tua richiesta al team Vendite"},
		{"claimed by an agent", "en", true,
			"closes your request to our Sales team", "Yes, close it", "No, keep it open",
			"your request stays open", "I've closed your request to our Sales team"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, handoffIn(tc.lang), withTeams)
			r.clock.Advance(48 * time.Hour) // Monday 10:00, open
			r.mustHandle(t, botfake.Message(alice, "m1", "agent"))
			want := bot.ModeQueued
			if tc.claimed {
				// The agent joins: the button stays on the customer's
				// screen (a system line does not replace it).
				r.mustHandle(t, agentMsg(alice, "x1", "claim", "Marco", ""))
				want = bot.ModeAgent
			}
			open := func(step string) {
				t.Helper()
				s := r.session(t, alice)
				if s.Mode != want || s.Case == nil {
					t.Fatalf("%s: mode %s, case %v; want the case still %s", step, s.Mode, s.Case, want)
				}
				for _, n := range r.desk.Notes() {
					if n.Kind == bot.DeskClosed {
						t.Fatalf("%s: the agents were told the case closed", step)
					}
				}
			}

			press(t, r, "m2", bot.PayloadLeaveAsk)
			open("after pressing Back to the bot")
			replies := r.ch.Replies()
			q := replies[len(replies)-1]
			if !strings.Contains(q.Text, tc.ask) || len(q.Buttons) != 2 || q.Buttons[0].Title != tc.yes || q.Buttons[1].Title != tc.no {
				t.Fatalf("the question: %q %+v; want %q with %q and %q", q.Text, q.Buttons, tc.ask, tc.yes, tc.no)
			}

			press(t, r, "m3", bot.PayloadLeaveNo)
			open("after no")
			if got := lastText(r, alice); !strings.Contains(got, tc.kept) {
				t.Fatalf("after no the bot said %q, want %q", got, tc.kept)
			}

			r.mustHandle(t, bot.Message{ID: "m4", Address: alice, Text: "x", Payload: bot.PayloadLeaveAsk})
			press(t, r, "m5", bot.PayloadLeaveQueue)
			if s := r.session(t, alice); s.Mode != bot.ModeBot || s.Case != nil {
				t.Fatalf("after yes: mode %s, case %v; want back with the bot", s.Mode, s.Case)
			}
			if got := lastText(r, alice); !strings.Contains(got, tc.closed) {
				t.Fatalf("after yes the bot said %q, want %q", got, tc.closed)
			}
			n := r.desk.Notes()
			if last := n[len(n)-1]; last.Kind != bot.DeskClosed || last.Text != "left" {
				t.Fatalf("the agents' last note: %+v, want the case closed as left", last)
			}
			left := 0
			for _, e := range r.transcript(t, alice) {
				if e.Type == bot.EventLeftQueue {
					left++
				}
			}
			if left != 1 {
				t.Fatalf("%d left events, want 1", left)
			}
			if n, _ := r.store.Len(context.Background(), "sales"); n != 0 {
				t.Fatalf("the case stayed in the queue: %d waiting", n)
			}
			// The question's buttons, pressed again later, are stale.
			r.mustHandle(t, bot.Message{ID: "m6", Address: alice, Text: tc.yes, Payload: bot.PayloadLeaveQueue})
			if got := lastText(r, alice); got != "echo: "+tc.yes {
				t.Fatalf("a stale answer got %q, want the bot to go on", got)
			}
		})
	}
}

// panickyQueues panics on every read of the queue; its writes work.
type panickyQueues struct{ bot.Queues }

func (panickyQueues) Len(context.Context, string) (int, error) { panic("the queue has a bug") }
func (panickyQueues) Position(context.Context, string, string) (int, bool, error) {
	panic("the queue has a bug")
}
func (panickyQueues) Moved(context.Context, time.Time, time.Duration, int) ([]bot.QueueOp, error) {
	panic("the queue has a bug")
}

// A queue whose reads panic is a queue that is unavailable: the customer
// is still handed to the team and told a place, the timers still fire,
// and the caller's goroutine (a poller, the process) goes on.
func TestPanickingQueueReadsAreAnUnavailableQueue(t *testing.T) {
	r := newRig(t, handoffResponder, func(c *bot.Config) {
		c.Teams = bot.TeamList{salesTeam}
		c.Queues = panickyQueues{c.Store.(bot.Queues)}
	})
	r.clock.Advance(48 * time.Hour) // Monday, open
	a := bot.Address{Channel: "test", ChatID: "a"}
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("a panicking queue took the caller down: %v", p)
			}
		}()
		r.mustHandle(t, botfake.Message(a, "a1", "agent"))
		r.clock.Advance(61 * time.Second)
		r.fire(t)
	}()
	if got := lastText(r, a); !strings.Contains(got, "number 1") {
		t.Fatalf("the customer was told %q, want a place in the queue", got)
	}
}

// amender is handoffResponder that also corrects the open case's contact
// when the customer writes "typo: ADDRESS", and fails on "boom".
type amender struct{ bot.ResponderFunc }

func (amender) Amend(ctx context.Context, t *bot.Turn) (bool, error) {
	if t.Message.Text == "boom" {
		t.Session.SetSlot("contact", "half@example.org")
		t.Session.Case.Slots = map[string]string{"contact": "half@example.org"}
		t.Say("half a reply")
		return false, fmt.Errorf("understand: boom")
	}
	v, ok := strings.CutPrefix(t.Message.Text, "typo: ")
	if !ok {
		return false, nil
	}
	t.Session.Case.Slots = map[string]string{"contact": v}
	t.Say("corrected")
	return true, nil
}

// TestACorrectionUpdatesTheOpenCase: a responder that amends cases
// corrects the open case from a queued customer's message; the desk is
// told of the update and still gets the message. One that fails changes
// nothing the customer sees.
func TestACorrectionUpdatesTheOpenCase(t *testing.T) {
	r := newRig(t, amender{handoffResponder})
	r.mustHandle(t, botfake.Message(alice, "m1", "agent"))
	r.ch.Reset()
	r.mustHandle(t, botfake.Message(alice, "m2", "typo: jo@example.org"))
	if s := r.session(t, alice); s.Case == nil || s.Case.Slots["contact"] != "jo@example.org" {
		t.Fatalf("case %+v, want the contact corrected", s.Case)
	}
	if got := lastText(r, alice); got != "corrected" {
		t.Errorf("the customer was told %q, want the correction's reply", got)
	}
	n := r.desk.Notes()
	if len(n) < 2 || n[len(n)-2].Kind != bot.DeskUpdated || n[len(n)-2].Text != "corrected" || n[len(n)-1].Kind != bot.DeskMessage {
		t.Fatalf("desk notes %+v, want the update then the message", n)
	}
	r.ch.Reset()
	r.mustHandle(t, botfake.Message(alice, "m3", "boom"))
	if txt := r.ch.Texts(alice); len(txt) != 0 {
		t.Errorf("a failed correction said %q", txt)
	}
	n = r.desk.Notes()
	if last := n[len(n)-1]; last.Kind != bot.DeskMessage || last.Text != "boom" || last.Case.Slots["contact"] != "jo@example.org" {
		t.Errorf("last desk note %+v, want the message passed on with the case as it was", last)
	}
	if s := r.session(t, alice); s.Slots["contact"] == "half@example.org" || s.Case.Slots["contact"] != "jo@example.org" {
		t.Errorf("session slots %v, case %v: a failed correction changed them", s.Slots, s.Case.Slots)
	}
	for _, ev := range r.transcript(t, alice) {
		if ev.Text == "half a reply" {
			t.Errorf("the transcript has %+v, a reply of the failed correction the customer never got", ev)
		}
	}
}

// TestACorrectedContactAnswersTheAskForOne: after the timeout the bot
// asks for a contact; a customer who corrects the contact the case holds
// has given one, and is told once, by the correction, not thanked for it
// a second time.
func TestACorrectedContactAnswersTheAskForOne(t *testing.T) {
	r := newRig(t, amender{handoffResponder}, withTeams)
	r.clock.Advance(48 * time.Hour) // Monday 10:00
	r.mustHandle(t, botfake.Message(alice, "m1", "agent"))
	r.clock.Advance(6 * time.Minute)
	r.fire(t)
	r.ch.Reset()
	r.mustHandle(t, botfake.Message(alice, "m2", "typo: jo@example.org"))
	if txt := r.ch.Texts(alice); len(txt) != 1 || txt[0] != "corrected" {
		t.Errorf("the customer was told %q, want the correction only", txt)
	}
	if s := r.session(t, alice); s.Case == nil || s.Case.Slots["contact"] != "jo@example.org" {
		t.Fatalf("case %+v, want the contact corrected", s.Case)
	}
	if n := r.desk.Notes(); n[len(n)-1].Kind != bot.DeskMessage {
		t.Errorf("last desk note %+v, want the message passed on", n[len(n)-1])
	}
}

// contactResponder hands off with the customer's e-mail on the case, as a
// flow that asked for it does.
var contactResponder = bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
	t.Session.Language = "en"
	t.HandOff(bot.Case{Team: "sales", TeamName: "Sales", Intent: "buy", Slots: map[string]string{"contact": "anna.rossi@example.it"}})
	return nil
})

// A customer who gave a contact before the handoff is not asked for one
// again, neither when the team is closed nor when nobody claims in time.
func TestAContactGivenIsNotAskedAgain(t *testing.T) {
	r := newRig(t, contactResponder, withTeams) // Saturday 10:00: closed
	r.mustHandle(t, botfake.Message(alice, "m1", "three laptops please"))
	got := lastText(r, alice)
	if !strings.Contains(got, "opens Monday 17 March at 09:00") || !strings.Contains(got, "anna.rossi@example.it") || strings.Contains(got, "Leave me") {
		t.Fatalf("closed answer = %q; want when it opens and the contact, no request for one", got)
	}
	// Another contact told now is taken, as one asked for would be.
	r.mustHandle(t, botfake.Message(alice, "m2", "or call 333 1234567"))
	if got := lastText(r, alice); !strings.Contains(got, "333 1234567") {
		t.Fatalf("another contact was not taken: %q", got)
	}

	r = newRig(t, contactResponder, withTeams)
	r.clock.Advance(48 * time.Hour) // Monday 10:00: open
	r.mustHandle(t, botfake.Message(alice, "m1", "three laptops please"))
	r.clock.Advance(6 * time.Minute)
	r.fire(t)
	got = lastText(r, alice)
	if !strings.Contains(got, "busy") || !strings.Contains(got, "anna.rossi@example.it") || strings.Contains(got, "Leave me") {
		t.Fatalf("timeout answer = %q; want busy and the contact, no request for one", got)
	}
}

// A shop that wrote its own closed line, but none for a case that has the
// contact, hears its own words in both cases.
func TestOwnClosedLineKeptForACaseWithAContact(t *testing.T) {
	own := func(c *bot.Config) {
		c.Texts = bot.Texts{bot.TextClosed: {"en": "We're shut until {next}, leave us a number."}}
	}
	r := newRig(t, contactResponder, withTeams, own) // Saturday 10:00: closed
	r.mustHandle(t, botfake.Message(alice, "m1", "three laptops please"))
	if got := lastText(r, alice); !strings.HasPrefix(got, "We're shut until Monday") {
		t.Fatalf("closed answer = %q; want the shop's own line", got)
	}
}
