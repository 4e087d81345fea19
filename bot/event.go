package bot

import "time"

// An EventType says what a transcript Event records.
type EventType string

// The event types. Messages first, then what happened.
const (
	EventCustomer EventType = "customer" // a customer message (Text, Attachments)
	EventBot      EventType = "bot"      // a bot reply (Text)
	EventAgent    EventType = "agent"    // an agent reply (Text, Agent)
	EventSystem   EventType = "system"   // a system line shown to the customer

	EventIntent        EventType = "intent"           // Intent, Confidence
	EventFallback      EventType = "fallback"         // the bot did not understand
	EventFlowStarted   EventType = "flow_started"     // Flow
	EventFlowResumed   EventType = "flow_resumed"     // Flow, after a digression
	EventFlowEnded     EventType = "flow_ended"       // Flow
	EventSlotFilled    EventType = "slot_filled"      // Slot, Value
	EventAsked         EventType = "asked"            // Flow, Slot: the bot asked the customer for a slot
	EventCommand       EventType = "command"          // Action (the command), Text (as written), Slot, Value, Flow, Intent, Confidence
	EventLookup        EventType = "lookup"           // Action (what was looked up: order, documents), Value (the outcome), Text (the query, redacted)
	EventAction        EventType = "action"           // Action, Value (its outcome)
	EventHandoff       EventType = "handoff_queued"   // Team, Case
	EventClaimed       EventType = "handoff_claimed"  // Team, Case, Agent
	EventReleased      EventType = "handoff_released" // Team, Case, Agent
	EventResolved      EventType = "handoff_resolved" // Team, Case, Agent
	EventLeftQueue     EventType = "handoff_left"     // Team, Case: the customer went back to the bot
	EventTimeout       EventType = "timeout"          // Team, Case
	EventCSAT          EventType = "csat"             // Score
	EventNote          EventType = "note"             // Text, Agent: an agents' internal note
	EventContact       EventType = "contact"          // Value: a phone or e-mail left for a call back
	EventQueue         EventType = "queue_position"   // Value: the customer's place in the queue
	EventError         EventType = "error"            // Text: what failed (never shown to the customer)
	EventRefused       EventType = "refused"          // Text: why an input was refused (too long, flood...)
	EventUndeliverable EventType = "undeliverable"    // Text: a reply the channel refused for good
)

// An Event is one entry of a conversation's transcript.
type Event struct {
	// ID is unique across all conversations: the address, the message
	// that caused the event and its index, so a retried commit writes the
	// same IDs and an archive can de-duplicate.
	ID      string    `json:"id"`
	Address Address   `json:"address"`
	Type    EventType `json:"type"`
	Time    time.Time `json:"time"`
	// MessageID is the inbound message that caused the event.
	MessageID string `json:"message_id,omitempty"`

	Text        string       `json:"text,omitempty"`
	Buttons     []Button     `json:"buttons,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	Language    string       `json:"lang,omitempty"`
	Intent      string       `json:"intent,omitempty"`
	Confidence  float64      `json:"confidence,omitempty"`
	Flow        string       `json:"flow,omitempty"`
	Slot        string       `json:"slot,omitempty"`
	Value       string       `json:"value,omitempty"`
	Action      string       `json:"action,omitempty"`
	Team        string       `json:"team,omitempty"`
	Case        string       `json:"case,omitempty"`
	Agent       string       `json:"agent,omitempty"` // the agent's display name
	Score       int          `json:"score,omitempty"`
	// Passages are the passages a search of the documents found, best
	// first (EventLookup of LookupDocuments).
	Passages []string `json:"passages,omitempty"`
}

// Searches of the shop's documents are recorded as an EventLookup with
// Action LookupDocuments, Text the customer's question (redacted), Value
// the outcome (DocumentsAnswered or DocumentsAbstained), Confidence the
// best passage's score and Passages the passages found; an FAQ entry's
// answer that cites a page is recorded the same way, answered, with
// Intent "faq:" and the entry's ID. The customer's
// answer to "did this help?" is an EventAction with Action
// DocumentsFeedback, Text the question it answers and Value one of the
// Feedback values.
const (
	LookupDocuments    = "documents"
	DocumentsAnswered  = "answered"
	DocumentsAbstained = "abstained"

	DocumentsFeedback = "documents_feedback"
	FeedbackHelped    = "helped"     // "yes, it helped"
	FeedbackNotHelped = "not_helped" // "no"
	FeedbackPerson    = "person"     // "I want a person"
)
