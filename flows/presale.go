package flows

import (
	"slices"
	"strings"
)

// Questions before buying. A sale happens before the purchase: a
// customer who asks about a product they do not have yet (what it does,
// whether it suits them, which of two, which to take, what it costs,
// whether it is in stock, what is on offer) is a buyer, and the shop's
// salespeople answer them, with the question in front of them. The
// shop's flow file says so with a slot of type question that its sale
// reads (a branch on it, a line of its case card): the bot starts the
// sale with the products the question names and the question itself,
// and the flow decides what it asks before the salesperson answers.
// What the shop's help centre answers (payments, shipping, the
// warranty's terms) stays the FAQ's and the pages'; a product the
// customer owns (a how-to, a fault, an order) stays a service.

// questionSlot returns the slot of type question that f reads, in a
// branch or on the card of a handoff, or "" when it reads none.
func (f *Flow) questionSlot(b *Bot) string {
	for _, st := range f.Steps {
		for _, c := range st.Cases {
			if c.Cond == nil {
				continue
			}
			name := ""
			c.Cond.atoms(func(a *Cond) {
				if s := b.Slots[a.Slot]; name == "" && s != nil && s.Type == SlotQuestion {
					name = a.Slot
				}
			})
			if name != "" {
				return name
			}
		}
		lines := slices.Clone(st.Summary)
		for _, l := range st.Summaries {
			lines = append(lines, l...)
		}
		for _, l := range lines {
			for _, p := range placeholders(l) {
				if s := b.Slots[p]; s != nil && s.Type == SlotQuestion {
					return p
				}
			}
		}
	}
	return ""
}

// presaleQuestion returns the start of the sale for a question outside
// any flow about what the shop sells, asked before buying it ("does the
// pixel 8 take two sims?", "which laptop is best for a student?", "how
// much is the galaxy a55?"), with the slot the question goes in; nil
// when the message is no such question or the sale reads no question.
//
// intent is what the message was read as so far: the pages' search, a
// message not understood, or the sale itself (a price, the stock) may
// give way to it; an FAQ, a service, a person or small talk stand.
func (u *understanding) presaleQuestion(intent *Command) (*Command, string) {
	if u.flow != nil || u.sub || !(u.question || asksIndirectly(u.said)) || hasKind(u.cmds, CmdFAQ, CmdDocuments, CmdHuman, CmdNotSold) {
		return nil, ""
	}
	sale := u.b.saleIntent()
	if sale == nil {
		return nil, ""
	}
	slot := u.b.Flows[sale.Flow].questionSlot(u.b)
	if slot == "" {
		return nil, ""
	}
	if intent != nil {
		switch intent.Kind {
		case CmdDocuments, CmdOutOfScope:
		case CmdStartFlow:
			if intent.Flow != sale.Flow {
				return nil, ""
			}
		default:
			return nil, ""
		}
	}
	if !u.asksOfWhatIsSold() || u.ownsOrTroubled() {
		return nil, ""
	}
	// Read as no sale so far, the question asks the product: not the shop
	// for a service ("can you install it?", "fate anche il montaggio?"),
	// nor of the shop as a place ("is the shop accessible?"), nor of a
	// topic the shop's pages answer (its intents with answer: documents).
	if (intent == nil || intent.Kind != CmdStartFlow) && (u.said.has(doForMePhrases) || u.said.has(notOrderedPhrases) || addressesShop(u.words)) {
		return nil, ""
	}
	// A topic the pages answer in place of a sale or of anything (a
	// warranty plan, a price match, a discount for students, a gift card)
	// is the shop's policy, whatever product it names; so is what a page
	// of the shop's answers already.
	if u.asksPolicy() || u.pagesCued(InsteadAny) || u.pagesCued(InsteadFAQ) || u.pagesCued(InsteadSale) {
		return nil, ""
	}
	// A word only an FAQ's examples hold ("shipping", "paypal") asks the
	// help centre, whatever product it names ("how much is shipping for
	// the macbook air?").
	if _, written := u.b.ownWordBut(u.text, u.dateWord); written {
		return nil, ""
	}
	if intent == nil || intent.Kind != CmdStartFlow {
		if ix := u.b.Knowledge(); ix != nil {
			if _, ok := u.b.docsAnswer(ix, u.text, u.in.Lang); ok {
				return nil, ""
			}
		}
	}
	c := u.b.intentCommand(sale, u.score(sale.Name))
	return c, slot
}

// asksOfWhatIsSold reports whether the message names a product, a kind
// or a brand the shop sells before anything it does not sell.
func (u *understanding) asksOfWhatIsSold() bool {
	lower := strings.ToLower(u.text)
	first, unsold := -1, -1 // where the first thing sold and the first not sold are named
	for _, fa := range u.facts {
		at := strings.Index(lower, strings.ToLower(fa.span))
		switch {
		case at < 0:
		case fa.kind == factBrand && !fa.sold || fa.unsoldKind:
			if unsold < 0 || at < unsold {
				unsold = at
			}
		case fa.kind == factProduct || fa.kind == factCategory || fa.kind == factBrand:
			if first < 0 || at < first {
				first = at
			}
		}
	}
	// "la lg oled va bene con la ps5?" asks of the tv; "do you sell the
	// nintendo switch oled?" of the console.
	return first >= 0 && (unsold < 0 || first < unsold)
}

// addressesShop reports whether the words speak to the shop or of it,
// as a question of a service does: "you", "your", "voi", "vostro", the
// shop as a place, an Italian verb of the second person ("fate",
// "venite", "ritirate", "mi daresti"). A question about a product that
// speaks to nobody ("is the lg oled good for gaming?", "il pixel 8 ha il
// dual sim?") does not.
func addressesShop(w []string) bool {
	return slices.ContainsFunc(w, func(w string) bool {
		switch w {
		case "you", "u", "ya", "your", "yours", "voi", "vi", "vostro", "vostra", "vostri", "vostre":
			return true
		}
		n := len(w)
		return shopPlaceWords[w] || n >= 4 && (strings.HasSuffix(w, "ate") || strings.HasSuffix(w, "ete") || strings.HasSuffix(w, "ite")) ||
			n >= 6 && strings.HasSuffix(w, "esti")
	})
}

// ownsOrTroubled reports whether the message tells of a product the
// customer has, or of something wrong: a fault, damage, a date of buying
// or of a delivery, an order, a repair or a service centre, a return, the customer's own
// product ("my", "I bought"), a how-to, the papers or terms a product
// comes with. Such a question is a service's, or the help centre's.
func (u *understanding) ownsOrTroubled() bool {
	if slices.ContainsFunc(u.facts, func(fa fact) bool {
		switch fa.kind {
		case factDefect, factDamage, factOrder:
			return true
		case factDate:
			return !fa.future
		}
		return false
	}) {
		return true
	}
	return u.possessive() || asksHowToIn(u.said) || u.said.has(troublePhrases) || u.said.has(damageEventPhrases) ||
		u.said.has(repairPhrases) || u.said.has(servicePlacePhrases) || u.said.has(ownOrderPhrases) || u.said.has(policyPhrases) || u.said.has(notForSalePhrases)
}

// questionText is the text of the question for the case card: the message as
// the customer wrote it, in one line.
func (u *understanding) questionText() string {
	return strings.Join(strings.Fields(u.text), " ")
}
