package flows

import (
	"context"
	"strconv"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows/extract"
)

// A CommandKind says what a Command asks the dialogue to do.
type CommandKind string

// The commands. Understanding turns one customer message into an ordered
// list of them; the dialogue manager carries them out against the flow.
const (
	// CmdStartFlow starts Flow (Intent is the intent that asked for it).
	CmdStartFlow CommandKind = "start_flow"
	// CmdSetSlot sets Slot to Value; Span is the text it came from.
	CmdSetSlot CommandKind = "set_slot"
	// CmdCorrectSlot replaces the value of a filled Slot ("no, I meant
	// the laptop").
	CmdCorrectSlot CommandKind = "correct_slot"
	// CmdSkip declines the question for Slot, or says "I don't know".
	CmdSkip CommandKind = "skip"
	// CmdCancel drops the current flow.
	CmdCancel CommandKind = "cancel"
	// CmdHuman asks for a person.
	CmdHuman CommandKind = "human"
	// CmdFAQ answers the FAQ entry FAQ.
	CmdFAQ CommandKind = "faq"
	// CmdDocuments answers the question in Span from the shop's
	// documents, or says the bot does not know.
	CmdDocuments CommandKind = "documents"
	// CmdClarify asks whether the customer meant Intent or Alt.
	CmdClarify CommandKind = "clarify"
	// CmdSmallTalk answers Intent's reply (hello, thanks, bye), or
	// without an intent the text Value: help (help asked for, and
	// nothing else), about_bot (is this a bot?).
	CmdSmallTalk CommandKind = "small_talk"
	// CmdOutOfScope: the message asks for nothing the bot knows.
	CmdOutOfScope CommandKind = "out_of_scope"
	// CmdAffirm and CmdDeny answer the bot's last offer (a person? go
	// back? is it this one?).
	CmdAffirm CommandKind = "affirm"
	CmdDeny   CommandKind = "deny"
	// CmdNotSold: the customer named Value, which the shop does not sell
	// (another brand's TV, a console).
	CmdNotSold CommandKind = "not_sold"
	// CmdInvalid: the answer to Slot is a value it cannot take, for the
	// reason in Span's place: a purchase date in the future.
	CmdInvalid CommandKind = "invalid"
	// CmdPause: the customer asks for time to find the answer to the
	// pending question ("wait, I'm looking for the receipt"): it stays
	// open.
	CmdPause CommandKind = "pause"
	// CmdLanguage: the message only asks the bot to write in Value, a
	// language's code ("english please", "parlate tedesco?"), which may
	// be none of the bot's.
	CmdLanguage CommandKind = "language"
)

// A Command is one thing a customer's message asks for.
type Command struct {
	Kind   CommandKind
	Intent string // start_flow, faq, small_talk, clarify: the intent
	Alt    string // clarify: the other intent
	Flow   string // start_flow: the flow; set_slot: the flow the slot is for
	Slot   string
	Value  string
	FAQ    string
	// Span is the part of the message the command came from, as the
	// understanding read it (respelt: spelling.go).
	Span string
	// Written is Span as the customer wrote it, when the respelling wrote
	// a word of it otherwise ("graanzia" for Span's "garanzia"); "" when
	// it is Span. The transcript records it in Span's place.
	Written string
	// Confidence is how sure understanding is, in [0, 1].
	Confidence float64
}

// String writes the command as the transcript shows it:
// set_slot(product=pixel-8 "pixel 8" 0.92).
func (c Command) String() string {
	// Written into one buffer: a transcript records every command of
	// every message.
	b := make([]byte, 0, 32+len(c.Slot)+len(c.Value)+len(c.Intent)+len(c.Alt)+len(c.Flow)+len(c.FAQ)+len(c.written())*5/4)
	b = append(b, c.Kind...)
	b = append(b, '(')
	sep := false
	switch {
	case c.Slot != "":
		b = append(append(append(b, c.Slot...), '='), c.Value...)
		sep = true
	case c.Kind == CmdClarify:
		b = append(append(append(b, c.Intent...), '|'), c.Alt...)
		sep = true
	case c.Flow != "":
		b, sep = append(b, c.Flow...), true
	case c.FAQ != "":
		b, sep = append(b, c.FAQ...), true
	case c.Intent != "":
		b, sep = append(b, c.Intent...), true
	case c.Value != "":
		b, sep = append(b, c.Value...), true
	}
	if span := c.written(); span != "" {
		if sep {
			b = append(b, ' ')
		}
		b, sep = strconv.AppendQuote(b, span), true
	}
	if c.Confidence > 0 && c.Confidence < 1 {
		if sep {
			b = append(b, ' ')
		}
		b = strconv.AppendFloat(b, c.Confidence, 'f', 2, 64)
	}
	return string(append(b, ')'))
}

// written returns the span as the customer wrote it.
func (c Command) written() string {
	if c.Written != "" {
		return c.Written
	}
	return c.Span
}

// event records c in the transcript, so that a manager (and a test) can
// see why the bot did what it did.
func (c Command) event(lang string) bot.Event {
	return bot.Event{Type: bot.EventCommand, Action: string(c.Kind), Intent: c.Intent, Flow: c.Flow,
		Slot: c.Slot, Value: c.Value, Text: c.String(), Confidence: c.Confidence, Language: lang}
}

// An Understander turns a customer's message, read with the
// conversation's state, into commands. The built-in one (the rules of
// this package, with the classifier and flows/extract) is deterministic
// and embedded; a language model may be a second one. Whatever produces
// them, the dialogue manager checks every command against the flow file
// before it acts (an unknown slot, flow or FAQ is dropped).
type Understander interface {
	Understand(ctx context.Context, in Input) ([]Command, error)
}

// Input is what understanding reads: the message and the state of the
// conversation it answers.
type Input struct {
	Text    string
	Payload string
	Lang    string
	Now     time.Time
	State   State
	// Spelling is the respelling of the customer's message (spelling.go)
	// when Text is it, or a string of it, respelt already (Runtime.Respond):
	// the built-in understanding does not respell Text again, and
	// records what the customer wrote (Command.Written). Nil: Text is
	// respelt when read.
	Spelling *extract.Respelt
}

// State is what understanding knows of the conversation.
type State struct {
	// Flow and Slot are the active flow and the slot of the question the
	// bot is waiting for ("" when none).
	Flow, Slot string
	// Offer is the bot's open offer: "human", "resume", "confirm".
	Offer string
	// Slots are the values collected so far.
	Slots map[string]string
	// Stack are the flows interrupted by a digression, innermost last.
	Stack []string
	// Refused is the value the bot refused for the pending question in
	// its last reply (a purchase date in the future), or "".
	Refused string
	// Ended is the flow that ended at the bot's last reply without a
	// case, or "".
	Ended string
	// Answered is the FAQ entry the bot's last reply answered outside
	// any flow, or "".
	Answered string
}
