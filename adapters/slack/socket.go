package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// Run checks the bot token with auth.test and, in Socket Mode, keeps a
// connection to Slack open, acknowledging each request at once and
// handling it after, until ctx ends. In HTTP mode it only waits for ctx.
// Either way it returns when the events in hand are handled.
func (d *Desk) Run(ctx context.Context) error {
	defer d.wait()
	if err := d.authTest(ctx); err != nil {
		return err
	}
	if d.cfg.AppToken == "" || d.client == nil {
		<-ctx.Done()
		return nil
	}
	sm := socketmode.New(d.client, socketmode.OptionLog(quietLog()))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- sm.RunContext(ctx) }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack: socket mode: %w", err)
		case evt := <-sm.Events:
			d.socketEvent(ctx, sm, evt)
		}
	}
}

// authTest learns the bot's own user and the workspace URL. A token Slack
// refuses is fatal; a Slack that cannot be reached is not (yet).
func (d *Desk) authTest(ctx context.Context) error {
	res, err := d.api.AuthTestContext(ctx)
	if err != nil {
		var se slack.SlackErrorResponse
		if errors.As(err, &se) {
			return fmt.Errorf("slack: auth.test: %w (check SLACK_BOT_TOKEN)", err)
		}
		d.log.Warn("auth.test failed; continuing", "err", err)
		return nil
	}
	d.botUser.Store(res.UserID)
	d.workspace.Store(res.URL)
	d.team.Store(res.TeamID)
	d.log.Info("connected to Slack", "team", res.Team, "bot_user", res.UserID, "socket_mode", d.cfg.AppToken != "")
	return nil
}

// socketEvent handles one event of the Socket Mode client.
func (d *Desk) socketEvent(ctx context.Context, sm *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		d.log.Debug("socket mode connecting")
	case socketmode.EventTypeConnected:
		d.log.Info("socket mode connected")
	case socketmode.EventTypeConnectionError:
		if e, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			d.log.Warn("socket mode connection failed; retrying", "attempt", e.Attempt, "backoff", e.Backoff, "err", e.ErrorObj)
		}
	case socketmode.EventTypeInvalidAuth:
		d.log.Error("socket mode refused the app token (SLACK_APP_TOKEN)")
	case socketmode.EventTypeErrorBadMessage:
		// Acknowledge what cannot be read, or Slack sends it again.
		if e, ok := evt.Data.(*socketmode.ErrorBadMessage); ok {
			var env struct {
				EnvelopeID string `json:"envelope_id"`
			}
			if json.Unmarshal(e.Message, &env) == nil && env.EnvelopeID != "" {
				d.ack(ctx, sm, env.EnvelopeID, nil)
			}
			d.log.Warn("unreadable socket mode message acknowledged", "err", e.Cause)
		}
	case socketmode.EventTypeEventsAPI:
		if evt.Request == nil {
			return
		}
		// event only queues the work: the ack leaves before it is done.
		if err := d.event(ctx, evt.Request.Payload); err != nil {
			d.log.Warn("event ignored", "err", err)
		}
		d.ack(ctx, sm, evt.Request.EnvelopeID, nil)
	case socketmode.EventTypeInteractive:
		if evt.Request == nil {
			return
		}
		if cb, ok := evt.Data.(slack.InteractionCallback); ok {
			d.interaction(ctx, cb)
		}
		d.ack(ctx, sm, evt.Request.EnvelopeID, nil)
	case socketmode.EventTypeSlashCommand:
		if evt.Request == nil {
			return
		}
		// The answer travels in the acknowledgement.
		cmd, _ := evt.Data.(slack.SlashCommand)
		d.ack(ctx, sm, evt.Request.EnvelopeID, d.command(ctx, cmd))
	}
}

func (d *Desk) ack(ctx context.Context, sm *socketmode.Client, envelope string, payload any) {
	if err := sm.AckCtx(ctx, envelope, payload); err != nil {
		d.log.Warn("socket mode ack failed", "envelope", envelope, "err", err)
	}
}
