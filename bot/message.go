package bot

import "time"

// MaxTextLen is the longest customer text the engine accepts, in characters
// (runes). Longer texts are refused politely, never truncated in silence:
// the transcript keeps the first MaxTextLen characters and CutMarker
// (Message.Clean), never the whole.
const MaxTextLen = 4096

// A MessageKind tells who or what a Message comes from. Agent actions and
// fired timers take the same path as customer messages, so that they are
// de-duplicated, serialised with the conversation and recorded.
type MessageKind string

const (
	// KindCustomer is a message written by the customer (the zero value).
	KindCustomer MessageKind = ""
	// KindAgent is an action of an agent at the desk: see AgentAction.
	KindAgent MessageKind = "agent"
	// KindTimer is a timer of the conversation that has fired: see Timer.
	KindTimer MessageKind = "timer"
	// KindUndeliverable reports that the channel refused a reply for good
	// (the customer blocked the bot); Text is the reply. The engine sends
	// it to itself to record the refusal on the session.
	KindUndeliverable MessageKind = "undeliverable"
)

// A Message is one inbound event of a conversation: usually what a
// customer wrote or pressed, or an agent's action, or a fired timer.
type Message struct {
	// ID is unique within the channel and stable across redeliveries
	// (Telegram's update_id, Slack's event_id, the web chat's client ID).
	// The engine handles a message ID once.
	ID      string      `json:"id"`
	Kind    MessageKind `json:"kind,omitempty"`
	Address Address     `json:"address"`
	Sender  Sender      `json:"sender"`
	// Text is what the customer wrote, or the title of the button pressed.
	Text string `json:"text,omitempty"`
	// Payload is the payload of a pressed quick-reply button, or empty.
	Payload     string       `json:"payload,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	// Agent describes the action when Kind is KindAgent.
	Agent *AgentAction `json:"agent,omitempty"`
	// Timer is the timer that fired when Kind is KindTimer.
	Timer *Timer    `json:"timer,omitempty"`
	Time  time.Time `json:"time"`
}

// A Sender is who wrote a message, as the channel knows them.
type Sender struct {
	Name     string `json:"name,omitempty"`
	Username string `json:"username,omitempty"`
	// Language is the channel's hint of the customer's language ("it",
	// "en-GB"), such as Telegram's language_code. It may be empty.
	Language string `json:"language,omitempty"`
}

// An Attachment is a file the customer sent: a photo of a defect, a receipt.
// Channels keep a reference (FileID or URL), not the bytes.
type Attachment struct {
	// Kind is photo, document, video, audio (kept for the agents) or
	// voice, sticker, location, video_note, contact (the bot says it can
	// only read text, and records what came).
	Kind    string `json:"kind"`
	FileID  string `json:"file_id,omitempty"`
	Name    string `json:"name,omitempty"`
	URL     string `json:"url,omitempty"`
	Caption string `json:"caption,omitempty"`
}

// An AgentAction is what an agent did at the desk.
type AgentAction struct {
	Action string `json:"action"` // claim, reply, release, resolve
	ID     string `json:"id"`
	Name   string `json:"name,omitempty"`
	Text   string `json:"text,omitempty"`
	// Case is the case the agent acted on (a button on its card, a reply
	// in its thread). When set and the conversation's case is another
	// one (a stale card), the action is refused as "closed".
	Case string `json:"case,omitempty"`
}

// A Reply is one outbound message to a customer.
type Reply struct {
	Address Address  `json:"address"`
	Text    string   `json:"text"`
	Buttons []Button `json:"buttons,omitempty"`
	// From names the agent who wrote the reply; empty for the bot.
	From string `json:"from,omitempty"`
	// System marks a line about the conversation rather than in it ("an
	// agent will answer here"). Channels may show it differently.
	System bool `json:"system,omitempty"`
}

// A Button is a quick reply. Pressing it sends Payload back as
// Message.Payload with Title as Message.Text.
type Button struct {
	Title   string `json:"title"`
	Payload string `json:"payload"`
}
