package flows

import (
	"maps"
	"slices"
	"strings"

	"github.com/sportello/sportello/flows/extract"
)

// varNarrowed holds the products the customer's words narrowed the
// pending model question to: "flow slot id id...".
const varNarrowed = "narrowed"

// narrowedBy returns the products of the catalogue (of category cat, when
// set) that text narrows the choice to: those of a kind it names ("un
// robot aspirapolvere", when the shop sells several) and those whose
// name gives a screen size it gives ("55 pollici" of `LG OLED 55" C3`).
// It returns nil when text narrows nothing, or to no product.
func (b *Bot) narrowedBy(text, cat string) []string {
	var ids []string
	for _, p := range b.Products {
		if cat == "" || p.Category == cat {
			ids = append(ids, p.ID)
		}
	}
	all := len(ids)
	said := " " + strings.Join(words(text), " ") + " "
	kind := ""
	for key := range b.kinds {
		// The longest kind named wins; of two as long, the first by
		// name, so that the same words narrow the same way every time.
		if (len(key) > len(kind) || len(key) == len(kind) && key < kind) && strings.Contains(said, " "+key+" ") {
			kind = key
		}
	}
	if kind != "" {
		ids = slices.DeleteFunc(ids, func(id string) bool { return !slices.Contains(b.kinds[kind], id) })
	}
	if sizes := extract.ScreenSizes(text); len(sizes) > 0 {
		ids = slices.DeleteFunc(ids, func(id string) bool {
			return !slices.ContainsFunc(extract.ScreenSizes(b.products[id].Name), func(n int) bool { return slices.Contains(sizes, n) })
		})
	}
	if len(ids) == 0 || len(ids) == all {
		return nil
	}
	return ids
}

// narrow answers an answer to the model question st of f that names no
// model but narrows the choice ("55 pollici, sui 1000 euro" of two 55"
// TVs): one product left is the answer, and it reports false so the
// flow goes on; several are the question put again with them alone as
// its choices (it reports true), rather than "I didn't understand" or
// the question let go. Put twice in a row already, the question is
// left to the usual retries.
func (c *conv) narrow(f *Flow, st *Step, cmds []Command) bool {
	s := c.b.Slots[st.Slot]
	if s == nil || s.Type != SlotProduct || c.askedInARow(st.Slot) >= 2 ||
		hasKind(cmds, CmdNotSold, CmdFAQ, CmdDocuments, CmdHuman, CmdCancel, CmdSkip) {
		return false
	}
	if hasKind(cmds, CmdStartFlow) && !c.bareNarrowing() {
		return false // "voglio comprarne uno da 55 pollici": a new request
	}
	ids := c.b.narrowedBy(c.text, c.category())
	if prev := c.narrowedTo(st.Slot); len(prev) > 0 && len(ids) > 0 {
		// Narrowed once already: the new words narrow those further.
		ids = slices.DeleteFunc(ids, func(id string) bool { return !slices.Contains(prev, id) })
	}
	switch len(ids) {
	case 0:
		return false
	case 1:
		c.fill(f, st.Slot, ids[0], false)
		return false
	}
	c.s.SetVar(varNarrowed, c.s.Flow+" "+st.Slot+" "+strings.Join(ids, " "))
	c.noted(cmds, st.Slot)
	c.prompt(st)
	return true
}

// narrowedTo returns the products the model question of slot was
// narrowed to in the current flow, if it was.
func (c *conv) narrowedTo(slot string) []string {
	fs := strings.Fields(c.s.Vars[varNarrowed])
	if len(fs) < 3 || fs[0] != c.s.Flow || fs[1] != slot {
		return nil
	}
	return fs[2:]
}

// bareNarrowing reports whether the message is little more than what
// narrows a model question: "55 pollici", "55 inch, around 1000". The
// classifier reads a bare size as shopping; at the model question of a
// claim it answers the question.
func (c *conv) bareNarrowing() bool {
	rest := 0
	for _, w := range words(c.text) {
		if strings.Trim(w, "0123456789") == "" || screenUnits[w] || slices.ContainsFunc(slices.Collect(maps.Keys(c.b.kinds)), func(k string) bool { return slices.Contains(strings.Fields(k), w) }) {
			continue
		}
		rest++
	}
	return rest <= 2
}

// screenUnits are the words of a screen's size after its number.
var screenUnits = map[string]bool{"pollici": true, "pollice": true, "inch": true, "inches": true}

// sizeStays drops the request for another flow that a bare narrowing
// of the pending model question st seems to make: "55 pollici" at the
// claim's "which model?" reads as shopping to the classifier, and
// answers the question.
func (c *conv) sizeStays(cmds []Command, st *Step) []Command {
	if st == nil || st.Kind != StepAsk || c.b.Slots[st.Slot] == nil || c.b.Slots[st.Slot].Type != SlotProduct ||
		!hasKind(cmds, CmdStartFlow) || !c.bareNarrowing() || c.b.narrowedBy(c.text, c.category()) == nil {
		return cmds
	}
	return slices.DeleteFunc(slices.Clone(cmds), func(o Command) bool { return o.Kind == CmdStartFlow && o.Flow != c.s.Flow })
}
