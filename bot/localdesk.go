package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// DeskLinePrefix starts every line of the LocalDesk, so that a channel can
// show them apart from the conversation (the web chat greys them) and a
// customer can tell them from the bot.
const DeskLinePrefix = "[desk] "

// LocalDesk is the in-process agent desk of the demo and the console: it
// shows what the agents would be told as system lines in the customer's
// own channel, so a new user sees the handoff happen without Slack.
//
// Its lines are lines of the conversation: the engine adds them to the
// turn that made the note (deskLines), so they are in the transcript (a
// web page that reloads shows them again) and are delivered with the
// replies, in order. Post itself has nothing left to do.
type LocalDesk struct{}

var _ Desk = (*LocalDesk)(nil)

// NewLocalDesk returns the in-process desk for e. Set it with e.SetDesk.
func NewLocalDesk(e *Engine) *LocalDesk { return &LocalDesk{} }

// Post does nothing: the note's line went out with the turn that made it.
func (d *LocalDesk) Post(ctx context.Context, n DeskNote) error { return nil }

// deskLines turns the desk notes of t into lines of the conversation when
// the desk is a LocalDesk, and drops the notes, which it would ignore.
func (e *Engine) deskLines(t *Turn) {
	d, ok := e.desk().(*LocalDesk)
	if !ok {
		return
	}
	for _, n := range t.notes {
		if text, ok := d.line(n); ok {
			t.System(text)
		}
	}
	t.notes = nil
}

// line returns the line that shows n to the customer, and false for the
// notes the demo does not show (updates, refusals).
func (d *LocalDesk) line(n DeskNote) (string, bool) {
	it := n.Case.Language == "it"
	switch n.Kind {
	case DeskOpened:
		lines := slices.Clone(n.Case.Summary)
		if len(lines) == 0 {
			for k, v := range n.Case.Slots {
				lines = append(lines, k+": "+v)
			}
			slices.Sort(lines)
		}
		text := fmt.Sprintf(DeskLinePrefix+"Case %s opened for the %s team", n.Case.ID, n.Case.TeamName)
		if it {
			text = fmt.Sprintf(DeskLinePrefix+"Caso %s aperto per il team %s", n.Case.ID, n.Case.TeamName)
		}
		if len(lines) > 0 {
			text += ": " + strings.Join(lines, "; ")
		}
		return text, true
	case DeskMessage:
		if it {
			return DeskLinePrefix + "Messaggio inoltrato al team " + n.Case.TeamName, true
		}
		return DeskLinePrefix + "Message passed to the " + n.Case.TeamName + " team", true
	}
	return "", false
}
