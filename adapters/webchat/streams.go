package webchat

import (
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/sportello/sportello/bot"
)

// A line is one line of the conversation as the page shows it, the same
// in the history and on the stream.
type line struct {
	Type    string       `json:"type"` // customer, bot, agent, system, desk
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
		l.Type, l.Buttons = systemType(r.Text), nil
	case r.From != "":
		l.Type = "agent"
	}
	return l
}

// systemType is the type of a system line: "desk" for a line of the
// in-process desk (what the agents are told, in the demo), which the page
// shows apart, else "system".
func systemType(text string) string {
	if strings.HasPrefix(text, bot.DeskLinePrefix) {
		return "desk"
	}
	return "system"
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
		l.Type = systemType(e.Text)
	default:
		return line{}, false
	}
	return l, true
}

// Errors of the hub.
var (
	errTooManyStreams = errors.New("webchat: too many streams for one visitor")
	errAddressStreams = errors.New("webchat: too many streams from one client address")
	errServerStreams  = errors.New("webchat: too many streams on this server")
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

// hubLimits bound the open streams: each holds a connection, a goroutine
// and a buffer, so a flood of streams must not grow without bound.
type hubLimits struct {
	perVisitor int // tabs of one visitor
	perAddress int // streams from one client address, all visitors
	total      int // streams on this server
}

// A hub keeps the open streams of each visitor.
type hub struct {
	limits hubLimits
	mu     sync.Mutex
	byID   map[string]map[*stream]struct{}
	byAddr map[string]int
	total  int
	closed bool
}

func newHub(l hubLimits) *hub {
	return &hub{limits: l, byID: make(map[string]map[*stream]struct{}), byAddr: make(map[string]int)}
}

// open registers a stream of visitor from the client address addr.
func (h *hub) open(visitor, addr string) (*stream, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch set := h.byID[visitor]; {
	case h.closed:
		return nil, errClosed
	case h.total >= h.limits.total:
		return nil, errServerStreams
	case h.byAddr[addr] >= h.limits.perAddress:
		return nil, errAddressStreams
	case len(set) >= h.limits.perVisitor:
		return nil, errTooManyStreams
	}
	set := h.byID[visitor]
	if set == nil {
		set = make(map[*stream]struct{})
		h.byID[visitor] = set
	}
	// A reply burst is a few lines; 64 is plenty for a page that reads.
	s := &stream{lines: make(chan line, 64), gone: make(chan struct{})}
	set[s] = struct{}{}
	h.byAddr[addr]++
	h.total++
	return s, nil
}

// leave unregisters s, opened by visitor from addr.
func (h *hub) leave(visitor, addr string, s *stream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.byID[visitor][s]; !ok {
		return
	}
	delete(h.byID[visitor], s)
	if len(h.byID[visitor]) == 0 {
		delete(h.byID, visitor)
	}
	if h.byAddr[addr]--; h.byAddr[addr] <= 0 {
		delete(h.byAddr, addr)
	}
	h.total--
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

// size returns the number of open streams on the server.
func (h *hub) size() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.total
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
