package report

import (
	"cmp"
	"slices"
)

// An IntentContainment counts, for one intent, the conversations where it
// was recognised by how each ended (its Outcome, see Summarize):
//
//   - Resolved: the bot answered by itself (OutcomeBot): no case was
//     handed to a team, every flow it started ended, and the last thing
//     it did was not a failure to understand, an error or a refusal. An
//     order question answered from the shop's system, a return decided
//     from the order, an FAQ answered.
//   - HandedOff: a case went to a team (sales, support) and the customer
//     did not leave its queue, whether or not an agent answered.
//   - Lost: the customer left without an answer (OutcomeAbandoned): out of
//     the queue, after a message the bot did not understand, or in the
//     middle of a flow.
//
// A conversation counts once for each intent it recognised: one that
// asked where an order is and then for a person counts for order_status
// and for human. Resolved + HandedOff + Lost == Conversations.
type IntentContainment struct {
	Intent        string `json:"intent"`
	Conversations int    `json:"conversations"`
	Resolved      int    `json:"resolved"`
	HandedOff     int    `json:"handed_off"`
	Lost          int    `json:"lost"`
}

// Rate is the share of the intent's conversations the bot resolved.
func (ic IntentContainment) Rate() float64 {
	if ic.Conversations == 0 {
		return 0
	}
	return float64(ic.Resolved) / float64(ic.Conversations)
}

// ContainmentIntents is how many intents Stats.ByIntent holds at most, the
// most frequent first.
const ContainmentIntents = 20

// ByIntent turns counts of conversations per intent and outcome into
// Stats.ByIntent: most conversations first, then by name, at most
// ContainmentIntents. Archives that count elsewhere (in SQL) call it with
// their counts, so every archive ranks and cuts alike.
func ByIntent(counts map[string]map[Outcome]int) []IntentContainment {
	var out []IntentContainment
	for in, byOutcome := range counts {
		ic := IntentContainment{Intent: in}
		for o, n := range byOutcome {
			ic.Conversations += n
			switch o {
			case OutcomeBot:
				ic.Resolved += n
			case OutcomeAbandoned:
				ic.Lost += n
			default: // a team's name
				ic.HandedOff += n
			}
		}
		if ic.Conversations > 0 {
			out = append(out, ic)
		}
	}
	slices.SortFunc(out, func(a, b IntentContainment) int {
		return cmp.Or(cmp.Compare(b.Conversations, a.Conversations), cmp.Compare(a.Intent, b.Intent))
	})
	return out[:min(len(out), ContainmentIntents)]
}
