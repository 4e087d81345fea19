package webchat

import (
	"errors"
	"sync"
	"time"

	"github.com/sportello/sportello/bot"
)

// A line is one line of the conversation as the page shows it, the same
// in the history and on the stream.
type line struct {
	Type    string       `json:"type"` // customer, bot, agent, system
	Text    string       `json:"text"`
	Buttons []bot.Button `json:"buttons,omitempty"`
	From    string       `json:"from,omitempty"` // the agent's name
	Time    time.Time    `json:"time,omitzero"`
}

// lineOf returns the line of a reply sent at now.
func lineOf(r bot.Reply, now time.Time) line {
	l := line{Type: "bot", Text: r.Text, Buttons: r.Buttons, From: r.From, Time: now}
	switch {
	case r.System:
		l.Type, l.Buttons = "system", nil
	case r.From != "":
		l.Type = "agent"
	}
	return l
}

// lineOfEvent returns the line of a transcript event, and false for events
// the customer does not see (intents, flows, errors).
func lineOfEvent(e bot.Event) (line, bool) {
	l := line{Text: e.Text, Time: e.Time}
	switch e.Type {
	case bot.EventCustomer:
		l.Type = "customer"
		if l.Text == "" && len(e.Attachments) > 0 {
			l.Text = "[" + e.Attachments[0].Kind + "]"
		}
	case bot.EventBot:
		l.Type, l.Buttons = "bot", e.Buttons
	case bot.EventAgent:
		l.Type, l.From = "agent", e.Agent
	case bot.EventSystem:
		l.Type = "system"
	default:
		return line{}, false
	}
	return l, true
}

// Errors of the hub.
var (
	errTooManyStreams = errors.New("webchat: too many streams for one visitor")
	errClosed         = errors.New("webchat: closed")
)

// A stream is one open event stream of a visitor (one tab).
type stream struct {
	lines chan line
	// gone is closed when the stream must end: it fell behind, or the
	// Chat is closing.
	gone chan struct{}
	once sync.Once
}

func (s *stream) end() { s.once.Do(func() { close(s.gone) }) }

// A hub keeps the open streams of each visitor.
type hub struct {
	max    int
	mu     sync.Mutex
	byID   map[string]map[*stream]struct{}
	closed bool
}

func newHub(max int) *hub { return &hub{max: max, byID: make(map[string]map[*stream]struct{})} }

// open registers a stream of visitor.
func (h *hub) open(visitor string) (*stream, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, errClosed
	}
	set := h.byID[visitor]
	if len(set) >= h.max {
		return nil, errTooManyStreams
	}
	if set == nil {
		set = make(map[*stream]struct{})
		h.byID[visitor] = set
	}
	// A reply burst is a few lines; 64 is plenty for a page that reads.
	s := &stream{lines: make(chan line, 64), gone: make(chan struct{})}
	set[s] = struct{}{}
	return s, nil
}

// leave unregisters s.
func (h *hub) leave(visitor string, s *stream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.byID[visitor], s)
	if len(h.byID[visitor]) == 0 {
		delete(h.byID, visitor)
	}
}

// push hands l to every stream of visitor without waiting: a stream that
// is full is ended, and its page reloads the history when it reconnects.
func (h *hub) push(visitor string, l line) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.byID[visitor] {
		select {
		case s.lines <- l:
		default:
			s.end()
		}
	}
}

// count returns the number of open streams of visitor.
func (h *hub) count(visitor string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.byID[visitor])
}

// close ends every stream and refuses new ones.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, set := range h.byID {
		for s := range set {
			s.end()
		}
	}
}
