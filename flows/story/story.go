// Package story replays scripted conversations (stories) against a bot and
// reports every expectation that does not hold with the story's
// file:line. Stories are how a shop tests its flow file: `sportello test`
// runs them, and `go test ./...` runs the demo shop's.
//
// A story file is YAML:
//
//	strict: true                # battery checks on every story of the file (optional)
//	stories:
//	  - name: phone under warranty
//	    language: it            # the customer's language hint (optional)
//	    now: 2025-06-01T10:00:00+02:00   # the clock during the story (optional)
//	    tags: [reask, plain]    # classes, for a battery's summary (optional)
//	    never_asks: [defect]    # slots the bot must not ask for in any turn (optional)
//	    turns:
//	      - say: il mio telefono non si accende, è in garanzia?
//	        reply: quale prodotto        # some reply of this turn contains it (case-insensitive)
//	        flow: warranty               # the active flow after the turn
//	        asks: product                # the bot's pending question is for this slot ("none": no question)
//	        not_asks: [category]         # no question for these slots in this turn
//	      - press: Privato               # press a button of the last reply, by title or number
//	        slots: {buyer: consumer}     # slots set after the turn
//	      - say: marzo 2025
//	        reply: [in garanzia, "24 mesi"]   # every item must appear
//	        not: scaduta                 # no reply of the turn contains it
//	        buttons: [Sì, No]            # the last reply's buttons, in order
//	        handoff: support             # the conversation is queued for this team
//	        mode: queued                 # bot, queued, agent
//	        intent: warranty             # the intent recorded in this turn
//	        not_intent: [goodbye]        # intents that must not be recorded in this turn
//	      - say: sorry, can we speak English?
//	        lang: en                     # the customer switched: from now on English is expected
//	        reask: [product]             # the bot may ask for these filled slots again
//	      - wait: 30m                    # move the clock
//	      - agent: {action: claim, name: Marco}   # an agent acts: claim, reply (text), release, resolve
//	    expect:                          # outcomes, checked after the last turn
//	      team: support                  # the last handoff's team, or none
//	      warranty: covered              # warranty_check's verdict: covered, expired, unknown, damage, none
//	      return: open                   # return_check's decision: open, closed, none
//	      case: {product: pixel-8, purchase_date: 2025-03}   # on the case card handed off
//	      faq: [shipping]                # the FAQ entries answered (any order; [] for none)
//	      flows: [warranty]              # exactly the flows started, in order ([] for none)
//	      language: it                   # the session's language at the end
//
// In strict mode (Runner.Strict, or strict: true in the file) every story
// is also checked for what no conversation may do: loop (the same reply
// three times, or the same question three times in a row), ask again for
// a slot it already has, answer in another language than the customer's,
// or leave a message in bot mode without a reply.
package story

import (
	"fmt"
	"time"

	"github.com/sportello/sportello/bot"
)

// A Story is one scripted conversation.
type Story struct {
	Name     string
	Language string
	Now      time.Time
	// Tags name the classes of conversation the story belongs to.
	Tags []string
	// Strict turns on the battery checks (see Runner.Strict).
	Strict bool
	// NeverAsks are slots the bot must not ask for in any turn: what the
	// customer told before the bot could ask (the defect described in
	// the first message).
	NeverAsks []string
	// Expect holds the outcomes checked after the last turn; nil for none.
	Expect *Expect
	Turns  []Turn
	Pos    Pos
}

// Lang returns the language the customer writes in at the start: the
// channel's hint, else the first turn's lang, else the expected final
// language; "" when the story does not say.
func (s Story) Lang() string {
	if s.Language != "" {
		return s.Language
	}
	for _, t := range s.Turns {
		if t.Lang != "" {
			return t.Lang
		}
	}
	if s.Expect != nil {
		return s.Expect.Language
	}
	return ""
}

// Expect is what a conversation must have come to after its last turn.
// Empty strings and nil lists are not checked.
type Expect struct {
	// Team is the team of the last handoff, or "none".
	Team string
	// Warranty is the last verdict of the warranty_check action
	// (covered, expired, unknown, damage), or "none".
	Warranty string
	// Return is the last decision of the return_check action (open:
	// within the withdrawal period, closed: past it), or "none".
	Return string
	// Case holds values the case card of the last handoff must carry:
	// each is a case-insensitive substring of the slot's stored value
	// (or of its value as the agents read it).
	Case map[string]string
	// FAQ are the FAQ entries answered, in any order; empty: none.
	FAQ []string
	// Flows are exactly the flows started, in order; empty: none.
	Flows []string
	// Language is the session's language at the end.
	Language string
	Pos      Pos
}

// A Turn is one customer action and what must follow it.
type Turn struct {
	Say     string
	Press   string
	Wait    time.Duration
	Agent   *bot.AgentAction
	Reply   []string
	Not     []string
	Buttons []string
	Flow    *string // nil: not checked; "": no active flow
	Slots   map[string]string
	Handoff string
	Mode    string
	Intent  string
	// NotIntent are intents that must not be recorded in this turn.
	NotIntent []string
	// Asks is the slot the bot's pending question is for after the turn,
	// or "none"; "" is not checked.
	Asks string
	// NotAsks are slots the bot must not ask for in this turn.
	NotAsks []string
	// Reask are filled slots the bot may ask for again from this turn on
	// (a correction, a new claim), until they are filled again.
	Reask []string
	// Lang is the language the customer switched to with this turn; from
	// then on it is the expected one.
	Lang string
	Pos  Pos
}

// Pos is a place in a story file.
type Pos struct {
	File string
	Line int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// A Failure is an expectation that did not hold.
type Failure struct {
	Story string
	Pos   Pos
	// Kind names the check that failed, with what it was about
	// ("reask product", "team support", "never_asks defect", "loop
	// reply"), for a battery's summary; Msg says what happened.
	Kind string
	Msg  string
}

func (f Failure) String() string { return fmt.Sprintf("%s: %s: %s", f.Pos, f.Story, f.Msg) }
