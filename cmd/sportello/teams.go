package main

import (
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows"
)

// teamsOf tells the engine about the flow file's teams: their names,
// timeouts and business hours.
func teamsOf(b *flows.Bot) bot.Teams {
	var list bot.TeamList
	for id, t := range b.Teams {
		team := bot.Team{ID: id, Names: map[string]string(t.Name.Text), Timeout: t.Timeout}
		if t.Name.Key != "" {
			team.Names = map[string]string(b.Texts[t.Name.Key])
		}
		if t.Hours != "" {
			team.Open = func(at time.Time) (bool, time.Time) { return b.Open(id, at) }
		}
		list = append(list, team)
	}
	return list
}
