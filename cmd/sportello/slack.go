package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/sportello/sportello/adapters/slack"
	"github.com/sportello/sportello/bot"
)

// setupSlack connects the Slack desk when SLACK_BOT_TOKEN is set: Socket
// Mode with SLACK_APP_TOKEN, the HTTP Events API with
// SLACK_SIGNING_SECRET, a channel per team from SLACK_<TEAM>_CHANNEL.
// Without the bot token the in-process desk stays.
func (s *server) setupSlack() error {
	token := s.getenv("SLACK_BOT_TOKEN")
	if token == "" {
		return nil
	}
	appToken, secret := s.getenv("SLACK_APP_TOKEN"), s.getenv("SLACK_SIGNING_SECRET")
	if appToken == "" && secret == "" {
		return fmt.Errorf("slack: SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode, xapp-...) nor SLACK_SIGNING_SECRET (HTTP Events API) is")
	}
	channels := map[string]string{}
	var missing []string
	for _, team := range slices.Sorted(maps.Keys(s.bot.Teams)) {
		name := teamChannelVar(team)
		ch := strings.TrimSpace(s.getenv(name))
		if ch == "" {
			ch = strings.TrimSpace(s.cfg.Slack.Channels[team])
		}
		if ch == "" {
			missing = append(missing, name)
			continue
		}
		channels[team] = ch
	}
	if len(missing) > 0 {
		return fmt.Errorf("slack: set %s (or slack.channels in the configuration file): the Slack channel ID (C...) where each team's cases go", strings.Join(missing, " and "))
	}
	if len(channels) == 0 {
		return fmt.Errorf("slack: the flow file has no teams to hand conversations to")
	}
	dir, ok := s.store.(bot.Directory)
	if !ok {
		return fmt.Errorf("slack: the %s store cannot share the desk's records (no bot.Directory)", s.storeName)
	}
	queues, _ := s.store.(bot.Queues)
	desk, err := slack.NewDesk(slack.Config{
		BotToken:      token,
		AppToken:      appToken,
		SigningSecret: secret,
		APIURL:        s.getenv("SLACK_API_URL"),
		Channels:      channels,
		Handler:       s.engine,
		Directory:     dir,
		Queues:        queues,
		Stats:         s.engine.Stats,
		Meter:         s.metrics.API("slack", slack.Methods, slack.Failures),
		Logger:        s.log,
	})
	if err != nil {
		return err
	}
	s.engine.SetDesk(desk)
	s.mux.Handle("/slack/events", desk.EventsHandler())
	s.mux.Handle("/slack/interactivity", desk.InteractivityHandler())
	s.mux.Handle("/slack/commands", desk.CommandsHandler())
	s.addRunner("slack", desk.Run)
	mode := "http"
	if appToken != "" {
		mode = "socket"
	}
	s.log.Info("slack desk on", "mode", mode, "channels", channels)
	return nil
}

// teamChannelVar names the variable of a team's channel: sales ->
// SLACK_SALES_CHANNEL, after-sales -> SLACK_AFTER_SALES_CHANNEL.
func teamChannelVar(team string) string {
	up := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return '_'
	}, team)
	return "SLACK_" + up + "_CHANNEL"
}
