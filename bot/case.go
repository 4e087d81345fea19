package bot

import (
	"maps"
	"slices"
	"time"
)

// A Case is a conversation handed to a team of agents, with what they need
// to know: who the customer is, what they want, what the bot learned.
type Case struct {
	ID   string `json:"id"`
	Team string `json:"team"` // sales, support...
	// TeamName is the team's name in the customer's language.
	TeamName string  `json:"team_name,omitempty"`
	Address  Address `json:"address"`
	Customer Sender  `json:"customer"`
	Language string  `json:"lang"`
	// Intent is what the customer wanted when the case opened.
	Intent string `json:"intent,omitempty"`
	// Reason says in a few words why the bot handed over.
	Reason string `json:"reason,omitempty"`
	// Slots are the values the bot collected (product, budget...).
	Slots map[string]string `json:"slots,omitempty"`
	// Summary is a line per collected fact, in the shop's words.
	Summary []string `json:"summary,omitempty"`
	// Last holds the customer's last messages, oldest first.
	Last   []string  `json:"last,omitempty"`
	Opened time.Time `json:"opened"`
	// Agent is the agent who claimed the case, if any.
	Agent     string `json:"agent,omitempty"`
	AgentName string `json:"agent_name,omitempty"`
	// Thread is the desk's reference to the case (a Slack message ts).
	Thread string `json:"thread,omitempty"`
}

// Clone returns a deep copy of c.
func (c *Case) Clone() *Case {
	d := *c
	d.Slots = maps.Clone(c.Slots)
	d.Summary = slices.Clone(c.Summary)
	d.Last = slices.Clone(c.Last)
	return &d
}
