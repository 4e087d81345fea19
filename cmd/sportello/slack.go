package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/sportello/sportello/adapters/slack"
)

// setupSlack connects the Slack desk when SLACK_BOT_TOKEN is set (see
// slackConfig). Without the bot token the in-process desk stays.
func (s *server) setupSlack() error {
	cfg, ok, err := slackConfig(slices.Sorted(maps.Keys(s.bot.Teams)), s.cfg, s.getenv)
	if err != nil || !ok {
		return err
	}
	cfg.Handler = s.engine
	cfg.Directory = s.caps.Directory // required: see capabilityChoices
	cfg.Queues = s.caps.Queues
	cfg.Stats = s.engine.Stats
	cfg.Meter = s.metrics.API("slack", slack.Methods, slack.Failures)
	cfg.Logger = s.log
	desk, err := slack.NewDesk(cfg)
	if err != nil {
		return err
	}
	s.engine.SetDesk(desk)
	s.mux.Handle("/slack/events", desk.EventsHandler())
	s.mux.Handle("/slack/interactivity", desk.InteractivityHandler())
	s.mux.Handle("/slack/commands", desk.CommandsHandler())
	s.addRunner("slack", desk.Run)
	mode := "http"
	if cfg.AppToken != "" {
		mode = "socket"
	}
	s.log.Info("slack desk on", "mode", mode, "channels", cfg.Channels)
	return nil
}

// slackConfig reads the Slack desk's settings: SLACK_BOT_TOKEN (Slack is
// off without it: ok is false), SLACK_APP_TOKEN (Socket Mode) or
// SLACK_SIGNING_SECRET (the HTTP Events API), SLACK_API_URL, and a
// channel for each of teams from SLACK_<TEAM>_CHANNEL or slack.channels.
// The caller fills in the handler, the directory and the rest.
func slackConfig(teams []string, c config, getenv func(string) string) (cfg slack.Config, ok bool, err error) {
	token := getenv("SLACK_BOT_TOKEN")
	if token == "" {
		return cfg, false, nil
	}
	appToken, secret := getenv("SLACK_APP_TOKEN"), getenv("SLACK_SIGNING_SECRET")
	if appToken == "" && secret == "" {
		return cfg, true, fmt.Errorf("slack: SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode, xapp-...) nor SLACK_SIGNING_SECRET (HTTP Events API) is")
	}
	channels := map[string]string{}
	var missing []string
	for _, team := range teams {
		name := teamChannelVar(team)
		ch := strings.TrimSpace(getenv(name))
		if ch == "" {
			ch = strings.TrimSpace(c.Slack.Channels[team])
		}
		if ch == "" {
			missing = append(missing, name)
			continue
		}
		channels[team] = ch
	}
	if len(missing) > 0 {
		return cfg, true, fmt.Errorf("slack: set %s (or slack.channels in the configuration file): the Slack channel ID (C...) where each team's cases go", strings.Join(missing, " and "))
	}
	if len(channels) == 0 {
		return cfg, true, fmt.Errorf("slack: the flow file has no teams to hand conversations to")
	}
	return slack.Config{BotToken: token, AppToken: appToken, SigningSecret: secret,
		APIURL: getenv("SLACK_API_URL"), Channels: channels}, true, nil
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
