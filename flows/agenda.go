package flows

import (
	"slices"
	"strings"
)

// The agenda: a message that asks for two flows ("has SP-200111
// shipped? and my pixel keeps rebooting") starts the first one; the
// second is queued, with the part of the message that asks for it, and
// starts when the first one ends, its values read from that part.

// CmdQueue puts Flow (for Intent) on the agenda: it starts when the
// flow the message starts ends; Span is the part of the message that
// asks for it.
const CmdQueue CommandKind = "queue_flow"

// varAgenda is the queued request, "flow intent\tspan", kept until the
// active flow ends (then it starts), a person takes the conversation or
// the customer cancels.
const varAgenda = "agenda"

// minQueued is how sure the reading of a part of the message alone must
// be that it asks for another flow, unless the part tells a value that
// flow asks and the first does not: a second request must be clear.
const minQueued = 0.5

// minOwn is how sure the reading of a value must be for the value to
// tell the request: a defect read as a known one, not a whole clause
// taken for one.
const minOwn = 0.85

// agendaJoins are the words that join two requests in one sentence.
var agendaJoins = []string{" e poi ", " and also ", " also ", " inoltre ", " e anche ", " e ", " and ", " poi ", " plus ", " then "}

// queue adds a queue_flow command when main starts a flow and a part of
// the message, read alone, clearly asks for another one. The parts are
// the sentences and what the joining words cut of them; the queued
// request's span runs from its part to the next part that asks for
// main's flow again.
func (u *understanding) queue(main *Command) {
	if u.sub || main == nil || main.Kind != CmdStartFlow || hasKind(u.cmds, CmdHuman, CmdCancel, CmdClarify, CmdNotSold) {
		return
	}
	var parts []string
	for _, sen := range sentences(u.text) {
		for _, p := range splitWords(sen, agendaJoins) {
			if strings.TrimSpace(p) != "" {
				parts = append(parts, strings.TrimSpace(p))
			}
		}
	}
	if len(parts) < 2 || len(parts) > 6 {
		return
	}
	flows := make([]*Command, len(parts))
	own := make([]bool, len(parts)) // the part tells a value only its flow asks
	first := u.b.Flows[main.Flow]
	mainSeen := false
	for i, p := range parts {
		if len(words(p)) < 3 {
			continue
		}
		sub := u.b.newUnderstanding(Input{Text: p, Lang: u.in.Lang, Now: u.in.Now})
		sub.sub = true
		for _, c := range sub.commands() {
			switch {
			case c.Kind == CmdStartFlow && flows[i] == nil:
				flows[i] = &c
			case c.Kind == CmdSetSlot && c.Value != "" && flows[i] != nil && !first.asks(c.Slot) && u.b.Flows[flows[i].Flow].asks(c.Slot) &&
				(c.Confidence == 0 || c.Confidence >= minOwn) && u.b.Slots[c.Slot].Type != SlotProduct && u.b.Slots[c.Slot].Type != SlotCategory:
				// A product or a category is no request's own: "the
				// pavilion" may be returned, repaired or bought.
				own[i] = true
			}
		}
		if flows[i] != nil && flows[i].Flow == main.Flow {
			mainSeen = true
		}
	}
	if !mainSeen {
		return
	}
	for i, c := range flows {
		if c == nil || c.Flow == main.Flow || c.Confidence < minQueued && !own[i] {
			continue
		}
		span := []string{parts[i]}
		for j := i + 1; j < len(parts) && (flows[j] == nil || flows[j].Flow == c.Flow); j++ {
			span = append(span, parts[j])
		}
		u.add(Command{Kind: CmdQueue, Flow: c.Flow, Intent: c.Intent, Span: strings.Join(span, ". "), Confidence: c.Confidence})
		return
	}
}

// enqueue keeps the request of a queue_flow command for when the
// active flow ends.
func (c *conv) enqueue(cmd Command) {
	if c.b.Flows[cmd.Flow] == nil || cmd.Flow == c.s.Flow {
		return
	}
	c.s.SetVar(varAgenda, cmd.Flow+" "+cmd.Intent+"\t"+cmd.Span)
}

// nextOnAgenda starts the queued request when a flow ends, with the
// values its part of the message told. It reports whether one started.
func (c *conv) nextOnAgenda() (bool, error) {
	head, span, _ := strings.Cut(c.s.Vars[varAgenda], "\t")
	c.s.SetVar(varAgenda, "")
	name, intent, _ := strings.Cut(head, " ")
	f := c.b.Flows[name]
	if f == nil {
		return false, nil
	}
	got, err := c.u.Understand(c.ctx, Input{Text: span, Lang: c.lang, Now: c.now, State: State{Flow: f.Name, Slots: c.s.Slots}})
	if err != nil {
		return false, err
	}
	c.begin(f, intent)
	for _, o := range c.b.check(got) {
		if (o.Kind == CmdSetSlot || o.Kind == CmdCorrectSlot) && o.Value != "" && (f.asks(o.Slot) || c.b.Slots[o.Slot].Remember) {
			o.Flow = f.Name
			c.setSlot(o)
		}
	}
	return true, c.run(f, 0)
}

// dropAgenda forgets the queued request: a person takes the
// conversation, or the customer cancels.
func (c *conv) dropAgenda() { c.s.SetVar(varAgenda, "") }

// claimInSale reports whether the message, in the middle of a sale,
// tells of a defect of a product the customer owns ("a proposito, il
// mio iphone 15 non carica più"), which top's flow decides a warranty
// for: a claim, a digression, whatever question of the sale its
// product would answer.
func (u *understanding) claimInSale(top *Intent) bool {
	f := u.b.Flows[top.Flow]
	if u.flow == nil || !u.flow.sells(u.b) || u.flow.checksWarranty() || f == nil || !f.checksWarranty() {
		return false
	}
	return u.possessive() && slices.ContainsFunc(u.facts, func(fa fact) bool { return fa.kind == factDefect || fa.kind == factDamage })
}

// answerFor takes back the answers read for the pending question when
// they belong to the request the message starts instead: their values
// are read again for flow, with the rest of the message.
func (u *understanding) answerFor(flow string) {
	f := u.b.Flows[flow]
	u.cmds = slices.DeleteFunc(u.cmds, func(c Command) bool {
		if c.Kind != CmdSetSlot || u.flow == nil || c.Flow != u.flow.Name || !f.asks(c.Slot) {
			return false
		}
		for i, fa := range u.facts {
			if fa.span == c.Span && fa.value == c.Value {
				u.used[i] = false
			}
		}
		return true
	})
}
