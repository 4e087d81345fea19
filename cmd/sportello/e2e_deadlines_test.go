package main

// End-to-end tests of the bounds on the way out: a Slack that accepts
// connections and never answers must not stall the customers, the other
// conversations or the timers, and the desk catches up when it is back.

import (
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot/botfake"
)

// quick fails the test when do takes longer than a customer would wait.
func quick(t *testing.T, what string, do func()) {
	t.Helper()
	began := time.Now()
	do()
	if took := time.Since(began); took > 2*time.Second {
		t.Fatalf("%s took %s while Slack hung; want it within 2 s", what, took.Round(time.Millisecond))
	}
}

func TestAHangingSlackStallsNeitherTheCustomerNorTheTimers(t *testing.T) {
	loc := rome(t)
	fs := fakeSlack(t)
	clock := botfake.NewClock(time.Date(2025, 6, 3, 10, 0, 0, 0, loc)) // a Tuesday
	st := memory.NewStoreWith(memory.Options{Now: clock.Now})
	srv := newTestServer(t, shopBot(t, false), slackEnv(fs, "http"), st, clock)
	base := start(t, srv)
	waitUntil(t, "auth.test", func() bool { return fs.Calls("auth.test") > 0 })
	time.Sleep(50 * time.Millisecond) // its answer is in
	release := fs.Hang()              // from now on Slack takes every call and says nothing
	defer release()

	// The customer reaches the sales team: every message is answered at
	// once, the place in the queue too, while the card waits on Slack.
	anna := newCustomer(t, base)
	quick(t, "the first message", func() { anna.say("vorrei comprare due portatili per l'ufficio") })
	anna.waitFor("bot", "Hai già in mente un modello")
	quick(t, "a button", func() { anna.press("Lenovo ThinkPad E14") })
	anna.waitFor("bot", "budget")
	quick(t, "the budget", func() { anna.say("circa 900 euro a pezzo") })
	anna.waitFor("bot", "Come può ricontattarti")
	quick(t, "the handoff", func() { anna.say("scrivetemi a giulia.bianchi@example.it") })
	anna.waitFor("bot", "sei il numero 1")
	waitUntil(t, "the card to be stuck in Slack", func() bool { return fs.Hanging() > 0 })

	// In the queue, what she writes goes to the desk without a wait.
	quick(t, "a message to the desk", func() { anna.say("avete anche la garanzia estesa?") })
	quick(t, "another message to the desk", func() { anna.say("e la consegna in ufficio?") })

	// Another customer, with the bot, is not held up.
	bruno := newCustomer(t, base)
	quick(t, "another customer's message", func() { bruno.say("vorrei comprare due portatili per l'ufficio") })
	bruno.waitFor("bot", "Hai già in mente un modello")

	// Nobody claims in time (the sales team waits 10 minutes): the timer
	// fires and the customer is told, Slack still hanging.
	clock.Advance(11 * time.Minute)
	anna.waitFor("bot", "sono tutti occupati")
	quick(t, "the contact", func() { anna.say("chiamatemi al 333 123 4567") })
	anna.waitFor("bot", "333 123 4567")
	if n := len(fs.Cards(salesCh)); n != 0 {
		t.Fatalf("%d cards posted by a hanging Slack", n)
	}

	// Slack answers again: the desk gets the card and, in its thread,
	// everything it missed, in order.
	release()
	card := onlyCard(t, fs, salesCh)
	want := []string{"avete anche la garanzia estesa?", "e la consegna in ufficio?",
		"Nobody claimed the case in time", "left a contact: 333 123 4567"}
	waitUntil(t, "the desk to catch up", func() bool { return inOrder(threadTexts(fs, card), want...) })
	if got := threadTexts(fs, card); len(got) != len(want) {
		t.Errorf("the thread holds %d lines, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
}
