package flows

import (
	"time"

	"github.com/sportello/sportello/bot"
)

// EngineTeams tells the message engine about the flow file's teams: their
// names, timeouts and business hours.
func (b *Bot) EngineTeams() bot.Teams {
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
