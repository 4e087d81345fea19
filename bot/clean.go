package bot

import (
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The bounds of a Message's fields, in characters (runes), that
// Message.Clean applies before anything of a message is recorded. A longer
// field is cut to its bound and CutMarker is appended, so a reader sees it
// went on; it is never recorded in full. MaxTextLen (message.go) bounds
// the customer's text.
const (
	// MaxAgentTextLen bounds an agent's reply or note. Slack allows far
	// more; a reply this long is cut, not refused, so it still reaches
	// the customer.
	MaxAgentTextLen = 2 * MaxTextLen
	// MaxPayloadLen bounds a button payload; the flows' own payloads are
	// at most 64 bytes (Telegram's callback data).
	MaxPayloadLen = 256
	// MaxNameLen bounds a customer's or an agent's display name.
	MaxNameLen = 128
	// MaxUsernameLen bounds a customer's username (Telegram's are 32).
	MaxUsernameLen = 64
	// MaxLanguageLen bounds a language hint: a BCP 47 tag in practice.
	MaxLanguageLen = 35
	// MaxIDLen bounds the IDs of messages, files, agents, cases and
	// timers. A longer message, agent or timer ID is shortened to a
	// prefix and a hash of the whole, so distinct IDs stay distinct.
	MaxIDLen = 256
	// MaxKindLen bounds the kind of an attachment, of a message, of a
	// timer, and an agent's action.
	MaxKindLen = 32
	// MaxURLLen bounds an attachment's URL.
	MaxURLLen = 2048
	// MaxCaptionLen bounds an attachment's caption (Telegram's limit)
	// and name.
	MaxCaptionLen = 1024
	// MaxTimerDataLen bounds the data a timer carries.
	MaxTimerDataLen = 1024
	// MaxAttachments is how many attachments of one message are kept;
	// the rest are dropped.
	MaxAttachments = 10
	// MaxChannelLen bounds an address's channel name.
	MaxChannelLen = 32
)

// CutMarker ends a field that Clean cut to its bound.
const CutMarker = "[…]"

// CleanText returns s as valid UTF-8 (invalid bytes become U+FFFD),
// without NUL and the other control characters but newlines and tabs
// (a carriage return goes, a line or paragraph separator becomes a
// newline, bidirectional overrides go), cut to max characters with
// CutMarker appended when longer. max <= 0 bounds nothing.
//
// It is the one cleaning of outside text: Message.Clean applies it to
// every field at the engine's boundary, and an adapter that must keep
// outside text of its own (an archive's dead letters) uses it too.
func CleanText(s string, max int) string { return clean(s, max, true) }

// CleanLine is CleanText for one-line fields (names, IDs, payloads,
// language tags): newlines and tabs become spaces.
func CleanLine(s string, max int) string { return clean(s, max, false) }

func clean(s string, max int, multiline bool) string {
	if isPlain(s, max, multiline) {
		return s // nearly every field: printable ASCII within its bound
	}
	var b strings.Builder
	b.Grow(min(len(s), 4*max+len(CutMarker)))
	n := 0
	invalid := false // in a run of invalid bytes, which becomes one U+FFFD
	for i, r := range s {
		bad := r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD")
		if bad && invalid {
			continue
		}
		invalid = bad
		switch {
		case r == '\n' || r == '\t':
			if !multiline {
				r = ' '
			}
		case r == '\u2028' || r == '\u2029':
			r = '\n'
			if !multiline {
				r = ' '
			}
		case unicode.IsControl(r) || isBidiControl(r):
			continue
		}
		if max > 0 && n == max {
			b.WriteString(CutMarker)
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// isPlain reports whether s needs no cleaning: printable ASCII (and
// newlines and tabs in text) within max characters.
func isPlain(s string, max int, multiline bool) bool {
	if max > 0 && len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f || multiline && (c == '\n' || c == '\t') {
			continue
		}
		return false
	}
	return true
}

// isBidiControl reports whether r overrides or isolates the direction of
// text: invisible, and able to make a transcript read backwards.
func isBidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// cleanID cleans a one-line ID. An ID that needed no change stays as it
// is; one that did keeps a cleaned prefix and gets a hash of the whole,
// so two IDs that differ only in what was cleaned away stay two, and a
// redelivered message gets the same ID again.
func cleanID(id string) string {
	c := CleanLine(id, MaxIDLen)
	if c == id {
		return id
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	const hashLen = 1 + 16 // "~" and 16 hex digits
	prefix := []rune(CleanLine(id, 0))
	prefix = prefix[:min(len(prefix), MaxIDLen-hashLen)]
	return fmt.Sprintf("%s~%016x", string(prefix), h.Sum64())
}

// Clean returns m with every piece of outside text it holds cleaned and
// bounded: the text (CleanText, MaxTextLen), the payload, the sender,
// the attachments (at most MaxAttachments), an agent's action and reply,
// a timer's data; see the Max constants. The engine calls it first thing
// in Handle, so nothing of a message is recorded before. m itself is not
// changed.
//
// A text longer than MaxTextLen comes back cut, with CutMarker: longer
// than MaxTextLen still, so the engine refuses it as too long and records
// the cut text only.
func (m Message) Clean() Message {
	// Fields are cleaned in copies of their structs, so that a field
	// added later and forgotten here stays as it was, and
	// TestMessageCleanCoversEveryField finds it dirty.
	m.ID = cleanID(m.ID)
	m.Kind = MessageKind(CleanLine(string(m.Kind), MaxKindLen))
	m.Sender.Name = CleanLine(m.Sender.Name, MaxNameLen)
	m.Sender.Username = CleanLine(m.Sender.Username, MaxUsernameLen)
	m.Sender.Language = CleanLine(m.Sender.Language, MaxLanguageLen)
	m.Text = CleanText(m.Text, MaxTextLen)
	m.Payload = CleanLine(m.Payload, MaxPayloadLen)
	if len(m.Attachments) > 0 {
		att := make([]Attachment, min(len(m.Attachments), MaxAttachments))
		copy(att, m.Attachments)
		for i := range att {
			a := &att[i]
			a.Kind = CleanLine(a.Kind, MaxKindLen)
			a.FileID = CleanLine(a.FileID, MaxIDLen)
			a.Name = CleanLine(a.Name, MaxCaptionLen)
			a.URL = CleanLine(a.URL, MaxURLLen)
			a.Caption = CleanText(a.Caption, MaxCaptionLen)
		}
		m.Attachments = att
	}
	if m.Agent != nil {
		a := *m.Agent
		a.Action = CleanLine(a.Action, MaxKindLen)
		a.ID = cleanID(a.ID)
		a.Name = CleanLine(a.Name, MaxNameLen)
		a.Text = CleanText(a.Text, MaxAgentTextLen)
		a.Case = CleanLine(a.Case, MaxIDLen)
		m.Agent = &a
	}
	if m.Timer != nil {
		tm := *m.Timer // its Address is no text: the engine goes by m.Address
		tm.ID = cleanID(tm.ID)
		tm.Kind = CleanLine(tm.Kind, MaxKindLen)
		tm.Data = CleanLine(tm.Data, MaxTimerDataLen)
		m.Timer = &tm
	}
	return m
}

// errBadAddress: an address the engine does not take.
var errBadAddress = errors.New("bad address")

// check reports whether a can name a conversation: a channel and a chat
// ID, both clean one-line text within their bounds, and no ':' in the
// channel (Address.String must parse back). An address is never cleaned:
// two customers must not become one.
func (a Address) check() error {
	switch {
	case a.Channel == "" || a.ChatID == "":
		return fmt.Errorf("%w: no address", errBadAddress)
	case len(a.Channel) > MaxChannelLen || strings.Contains(a.Channel, ":") || CleanLine(a.Channel, 0) != a.Channel:
		return fmt.Errorf("%w: channel %q", errBadAddress, a.Channel)
	case len(a.ChatID) > MaxIDLen || CleanLine(a.ChatID, 0) != a.ChatID:
		// The ID itself stays out of the error, which reaches the logs.
		return fmt.Errorf("%w: a chat ID of %d bytes that is no clean line, or too long", errBadAddress, len(a.ChatID))
	}
	return nil
}
