package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// LocalDesk is the in-process agent desk of the demo and the console: it
// shows what the agents would be told as system lines in the customer's
// own channel, so a new user sees the handoff happen without Slack.
type LocalDesk struct {
	e *Engine
}

var _ Desk = (*LocalDesk)(nil)

// NewLocalDesk returns a desk that writes to e's channels.
func NewLocalDesk(e *Engine) *LocalDesk { return &LocalDesk{e: e} }

// Post shows n to the customer as a system line.
func (d *LocalDesk) Post(ctx context.Context, n DeskNote) error {
	ch := d.e.channel(n.Case.Address.Channel)
	if ch == nil {
		return nil
	}
	var text string
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
		head := fmt.Sprintf("[desk] Case %s opened for the %s team", n.Case.ID, n.Case.TeamName)
		if it {
			head = fmt.Sprintf("[desk] Caso %s aperto per il team %s", n.Case.ID, n.Case.TeamName)
		}
		text = head
		if len(lines) > 0 {
			text += ": " + strings.Join(lines, "; ")
		}
	case DeskMessage:
		text = "[desk] Message passed to the " + n.Case.TeamName + " team"
		if it {
			text = "[desk] Messaggio inoltrato al team " + n.Case.TeamName
		}
	default:
		return nil
	}
	return ch.Send(ctx, Reply{Address: n.Case.Address, Text: text, System: true})
}
