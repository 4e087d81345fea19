package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

var _ report.Archive = (*Archive)(nil)

// Archive is the transcript archive of one process, for the demo when no
// database is configured. Its full-text search matches words by prefix,
// ignoring case; it does not stem like PostgreSQL. It refuses what
// PostgreSQL would refuse of an event's data (a NUL, invalid UTF-8, a
// number JSON cannot write), so that the archiver's dead letters work the
// same on both; the refused are kept in memory too.
type Archive struct {
	mu     sync.RWMutex
	seen   map[string]bool // event IDs stored
	convs  map[string]*archived
	byAddr map[bot.Address][]*archived
	dead   map[string]report.DeadLetter // by event ID
}

type archived struct {
	sum    report.Conversation
	events []bot.Event
	text   string // the lower-cased texts, for search
}

// NewArchive returns an empty archive.
func NewArchive() *Archive {
	return &Archive{seen: map[string]bool{}, convs: map[string]*archived{}, byAddr: map[bot.Address][]*archived{},
		dead: map[string]report.DeadLetter{}}
}

// Append stores events once each, or none of them; see report.Archive.
func (a *Archive) Append(ctx context.Context, events ...bot.Event) error {
	for _, e := range events {
		if err := report.CheckEvent(e); err != nil {
			return fmt.Errorf("memory: append %d events: event %s: %w", len(events), e.Address.LogID(e.ID), err)
		}
	}
	evs := slices.Clone(events)
	report.SortEvents(evs)
	a.mu.Lock()
	defer a.mu.Unlock()
	touched := map[*archived]bool{}
	for _, e := range evs {
		if e.ID == "" || a.seen[e.ID] {
			continue
		}
		a.seen[e.ID] = true
		c := a.conversationFor(e)
		c.events = append(c.events, e)
		c.sum.Extend(e)
		touched[c] = true
	}
	for c := range touched {
		report.SortEvents(c.events)
		id := c.sum.ID
		c.sum = report.Summarize(id, c.events)
		var b strings.Builder
		for _, e := range c.events {
			if searchable(e.Type) {
				b.WriteString(strings.ToLower(e.Text))
				b.WriteByte('\n')
			}
		}
		c.text = b.String()
	}
	return nil
}

// conversationFor returns the conversation e joins, starting one if none.
func (a *Archive) conversationFor(e bot.Event) *archived {
	list := a.byAddr[e.Address]
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].sum.Joins(e.Time) {
			return list[i]
		}
	}
	c := &archived{sum: report.Conversation{ID: report.ConversationID(e.Address, e.Time), Address: e.Address, Started: e.Time, Last: e.Time}}
	a.convs[c.sum.ID] = c
	a.byAddr[e.Address] = append(list, c)
	return c
}

func searchable(t bot.EventType) bool {
	return t == bot.EventCustomer || t == bot.EventBot || t == bot.EventAgent || t == bot.EventSystem
}

// List returns the conversations matching f; see report.Archive.
func (a *Archive) List(ctx context.Context, f report.Filter) ([]report.Conversation, int, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	words := strings.Fields(strings.ToLower(f.Query))
	var out []report.Conversation
	for _, c := range a.convs {
		if f.Match(&c.sum) && matchWords(c.text, words) {
			out = append(out, c.sum)
		}
	}
	slices.SortFunc(out, func(x, y report.Conversation) int {
		if c := y.Last.Compare(x.Last); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	total := len(out)
	lo := min(max(f.Offset, 0), total)
	hi := min(lo+f.PageSize(), total)
	return slices.Clone(out[lo:hi]), total, nil
}

// matchWords reports whether every word starts a word of text.
func matchWords(text string, words []string) bool {
	for _, w := range words {
		found := false
		for i := strings.Index(text, w); i >= 0; {
			if i == 0 || !isLetter(text[i-1]) {
				found = true
				break
			}
			j := strings.Index(text[i+1:], w)
			if j < 0 {
				break
			}
			i += 1 + j
		}
		if !found {
			return false
		}
	}
	return true
}

func isLetter(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 0x80
}

// Transcript returns a conversation by ID or address; see report.Archive.
func (a *Archive) Transcript(ctx context.Context, ref string) (*report.Conversation, []bot.Event, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	c := a.convs[ref]
	if c == nil {
		if addr, err := bot.ParseAddress(ref); err == nil {
			if list := a.byAddr[addr]; len(list) > 0 {
				c = slices.MaxFunc(list, func(x, y *archived) int { return x.sum.Started.Compare(y.sum.Started) })
			}
		}
	}
	if c == nil {
		return nil, nil, report.ErrNoConversation
	}
	sum := c.sum
	return &sum, slices.Clone(c.events), nil
}

// Stats returns the numbers of period p; see report.Archive.
func (a *Archive) Stats(ctx context.Context, p report.Period) (*report.Stats, error) {
	a.mu.RLock()
	convs := make([]report.Conversation, 0, len(a.convs))
	for _, c := range a.convs {
		convs = append(convs, c.sum)
	}
	a.mu.RUnlock()
	return report.ComputeStats(convs, p), nil
}

// DocumentEvents returns the searches of the documents of p and the
// feedback on them; see report.Archive.
func (a *Archive) DocumentEvents(ctx context.Context, p report.Period) ([]report.DocumentEvent, error) {
	a.mu.RLock()
	var out []report.DocumentEvent
	for _, c := range a.convs {
		// A conversation that ended before p, or started after its
		// feedback window, holds none of them.
		if c.sum.Last.Before(p.From) || !c.sum.Started.Before(p.To.Add(report.FeedbackWindow)) {
			continue
		}
		for _, e := range c.events {
			if report.IsDocumentEvent(e) && report.InDocumentWindow(e, p) {
				out = append(out, report.DocumentEvent{Conversation: c.sum.ID, Event: e})
			}
		}
	}
	a.mu.RUnlock()
	slices.SortFunc(out, func(x, y report.DocumentEvent) int {
		return cmp.Or(x.Time.Compare(y.Time), strings.Compare(x.ID, y.ID))
	})
	return out[:min(len(out), report.MaxDocumentEvents)], nil
}

// Delete removes conversations last active before before; see report.Archive.
func (a *Archive) Delete(ctx context.Context, before time.Time) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for id, c := range a.convs {
		if !c.sum.Last.Before(before) {
			continue
		}
		n++
		delete(a.convs, id)
		for _, e := range c.events {
			delete(a.seen, e.ID)
		}
		a.byAddr[c.sum.Address] = slices.DeleteFunc(a.byAddr[c.sum.Address], func(x *archived) bool { return x == c })
		if len(a.byAddr[c.sum.Address]) == 0 {
			delete(a.byAddr, c.sum.Address)
		}
	}
	return n, nil
}

// SetAside keeps dead letters; see report.DeadLetterBox.
func (a *Archive) SetAside(ctx context.Context, letters ...report.DeadLetter) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, l := range letters {
		if old, ok := a.dead[l.Event.ID]; ok {
			l.At = old.At
		}
		a.dead[l.Event.ID] = l
	}
	return nil
}

// DeadLetters lists dead letters, oldest first; see report.DeadLetterBox.
func (a *Archive) DeadLetters(ctx context.Context, limit, offset int) ([]report.DeadLetter, error) {
	a.mu.RLock()
	list := make([]report.DeadLetter, 0, len(a.dead))
	for _, l := range a.dead {
		list = append(list, l)
	}
	a.mu.RUnlock()
	slices.SortFunc(list, func(x, y report.DeadLetter) int {
		return cmp.Or(x.At.Compare(y.At), strings.Compare(x.Event.ID, y.Event.ID))
	})
	lo := min(max(offset, 0), len(list))
	return list[lo:min(lo+max(limit, 0), len(list))], nil
}

// CountDeadLetters counts dead letters; see report.DeadLetterBox.
func (a *Archive) CountDeadLetters(ctx context.Context) (int, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return len(a.dead), nil
}

// TakeBack removes dead letters; see report.DeadLetterBox.
func (a *Archive) TakeBack(ctx context.Context, ids ...string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, id := range ids {
		delete(a.dead, id)
	}
	return nil
}
