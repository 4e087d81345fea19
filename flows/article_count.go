package flows

import "slices"

// countedByArticle fills the count of a flow that sells with one when the
// message names the thing it buys as one thing, with an indefinite
// article: "vorrei comprare una tv lg oled", "looking for an air fryer",
// "un portatile per mia figlia" want one, and the bot does not ask how
// many. The count is the first number the flow asks for (the quantity
// of the demo shop), and the thing is the product or category this
// message gives the flow. It is a guess of the article, so it comes with
// a low confidence and its span, for the salesperson to see; a number
// the message states ("a laptop for 5 people", "un paio di portatili"),
// a plural ("dei portatili", "some monitors"), a count already told or a
// pending question of how many leave it to the flow, and a later "anzi
// ne servono due" corrects it as any count.
func (u *understanding) countedByArticle(f *Flow) {
	if !f.asksProduct(u.b) {
		return
	}
	var count *Slot
	for _, st := range f.Steps {
		if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && s.Type == SlotNumber {
			if st == u.ask {
				return // "una" answers "how many?" by itself
			}
			count = s
			break
		}
	}
	if count == nil {
		return
	}
	if _, told := u.in.State.Slots[count.Name]; told || slices.ContainsFunc(u.cmds, func(c Command) bool { return c.Slot == count.Name }) ||
		slices.ContainsFunc(u.facts, func(x fact) bool { return x.kind == factNumber }) {
		return
	}
	for _, c := range u.cmds {
		s := u.b.Slots[c.Slot]
		if c.Kind != CmdSetSlot && c.Kind != CmdCorrectSlot || c.Flow != f.Name || c.Value == "" || s == nil ||
			s.Type != SlotProduct && s.Type != SlotCategory {
			continue
		}
		for _, x := range u.facts {
			if x.one != "" && x.span == c.Span && !x.unsoldKind {
				u.add(Command{Kind: CmdSetSlot, Slot: count.Name, Flow: f.Name, Value: "1", Span: x.one, Confidence: 0.6})
				return
			}
		}
	}
}

// countAfterOne corrects a count of one with another count the message
// tells, though the bot asked something else: the one of "vorrei una tv"
// was read from the article, and "ne vorrei 2", "two of them", or a bare
// "2" for the question of the budget (which no budget is) tell how many
// after all. A count other than one, a number the pending question
// takes ("500" for the budget) and a bare number for another question
// are left to the rules of corrections.
func (u *understanding) countAfterOne(f *Flow) {
	if f != u.flow || !f.asksProduct(u.b) {
		return
	}
	var count *Slot
	for _, st := range f.Steps {
		if s := u.b.slotOf(st); st.Kind == StepAsk && s != nil && s.Type == SlotNumber {
			if st == u.ask {
				return
			}
			count = s
			break
		}
	}
	if count == nil || u.in.State.Slots[count.Name] != "1" || slices.ContainsFunc(u.cmds, func(c Command) bool { return c.Slot == count.Name }) {
		return
	}
	for _, x := range u.facts {
		if x.kind != factNumber || x.value == "1" || !u.b.fits(count, x) {
			continue
		}
		bare := len(u.facts) == 1 && len(u.words) <= 2 && u.slot != nil && u.slot.Type == SlotMoney && !u.b.fits(u.slot, x)
		if x.conf >= 0.9 || bare {
			u.add(Command{Kind: CmdCorrectSlot, Slot: count.Name, Flow: f.Name, Value: x.value, Span: x.span, Confidence: 0.8})
			return
		}
	}
}
