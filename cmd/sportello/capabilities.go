package main

import (
	"fmt"

	"github.com/sportello/sportello/bot"
)

// A capabilityChoice is what the binary does without one of the store's
// capabilities (bot.Capabilities): the one list where each is decided,
// also in docs/engine.md ("Store capabilities").
type capabilityChoice struct {
	name string
	has  func(bot.Capabilities) bool
	// without says what runs without it, for the log line.
	without string
	// required: the server does not start without it.
	required bool
}

var capabilityChoices = []capabilityChoice{
	{name: "directory", has: func(c bot.Capabilities) bool { return c.Directory != nil }, required: true,
		without: "the review pages cannot keep the managers' sessions, the Slack desk its cards"},
	{name: "queues", has: func(c bot.Capabilities) bool { return c.Queues != nil },
		without: "customers are not told their place in the queue, the desk lists no waiting cases, /metrics has no queue lengths"},
	{name: "event log", has: func(c bot.Capabilities) bool { return c.EventLog != nil },
		without: "transcripts are not archived: the review pages stay empty and /metrics has no archive lag"},
	{name: "leases", has: func(c bot.Capabilities) bool { return c.Leaser != nil },
		without: "every replica polls Telegram: run a single replica, or use TELEGRAM_MODE=webhook"},
	{name: "bus", has: func(c bot.Capabilities) bool { return c.Bus != nil },
		without: "a web chat reply reaches only the pages connected to the replica that delivers it"},
	{name: "counters", has: func(c bot.Capabilities) bool { return c.Counters != nil },
		without: "order lookups and failed proofs are counted per replica: with N replicas a guesser gets N times the tries at an order's proof, and a restart forgets them"},
	{name: "ping", has: func(c bot.Capabilities) bool { return c.Ping != nil },
		without: "/readyz does not check the store (a store inside the process needs no check)"},
}

// wireCapabilities takes the store's capabilities, once, for the parts
// that use them, and logs each one the store lacks with what goes without
// it. A required one that is missing stops the start.
func (s *server) wireCapabilities() error {
	s.caps = s.store.Capabilities()
	for _, c := range capabilityChoices {
		switch {
		case c.has(s.caps):
		case c.required:
			return fmt.Errorf("the %s store has no %s (bot.Capabilities): %s", s.storeName, c.name, c.without)
		case c.name == "ping" && s.storeName == "memory":
			// Expected: nothing to reach.
		default:
			s.log.Warn("the store lacks a capability", "store", s.storeName, "capability", c.name, "so", c.without)
		}
	}
	return nil
}
