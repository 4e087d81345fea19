package slack

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/slack-go/slack"

	"github.com/sportello/sportello/adapters/guard"
)

// maxBody bounds a request from Slack; real ones are a few kilobytes.
const maxBody = 1 << 20

// EventsHandler serves Slack's Events API requests (/slack/events): the
// URL verification challenge, and event callbacks, acknowledged at once
// and handled after. Requests that are not signed with the signing
// secret, or are older than five minutes, get 401.
func (d *Desk) EventsHandler() http.Handler {
	return d.signed(func(w http.ResponseWriter, r *http.Request, body []byte) {
		var cb eventCallback
		if err := json.Unmarshal(body, &cb); err != nil {
			http.Error(w, "invalid JSON", http.StatusBadRequest)
			return
		}
		if cb.Type == "url_verification" {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, cb.Challenge)
			return
		}
		if err := d.event(r.Context(), body); err != nil {
			d.log.Warn("event ignored", "err", err)
		}
		w.WriteHeader(http.StatusOK)
	})
}

// InteractivityHandler serves clicks on the cards' buttons
// (/slack/interactivity), acknowledged at once and handled after.
func (d *Desk) InteractivityHandler() http.Handler {
	return d.signed(func(w http.ResponseWriter, r *http.Request, body []byte) {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, "invalid form", http.StatusBadRequest)
			return
		}
		var cb slack.InteractionCallback
		if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
			http.Error(w, "invalid payload", http.StatusBadRequest)
			return
		}
		d.interaction(r.Context(), cb)
		w.WriteHeader(http.StatusOK)
	})
}

// CommandsHandler serves the slash command (/slack/commands) with a
// private answer.
func (d *Desk) CommandsHandler() http.Handler {
	return d.signed(func(w http.ResponseWriter, r *http.Request, body []byte) {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, "invalid form", http.StatusBadRequest)
			return
		}
		cmd := slack.SlashCommand{
			TeamID: form.Get("team_id"), ChannelID: form.Get("channel_id"), UserID: form.Get("user_id"),
			UserName: form.Get("user_name"), Command: form.Get("command"), Text: form.Get("text"),
			ResponseURL: form.Get("response_url"), TriggerID: form.Get("trigger_id"),
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(d.command(r.Context(), cmd))
	})
}

// signed checks a request's method, size, timestamp and signature before
// serve sees its body.
func (d *Desk) signed(serve func(w http.ResponseWriter, r *http.Request, body []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d.cfg.SigningSecret == "" {
			http.Error(w, "the Slack HTTP endpoints are off: set SLACK_SIGNING_SECRET", http.StatusNotFound)
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read the request", http.StatusBadRequest)
			return
		}
		// NewSecretsVerifier rejects timestamps more than five minutes
		// away from now, so a captured request cannot be replayed later.
		sv, err := slack.NewSecretsVerifier(r.Header, d.cfg.SigningSecret)
		if err == nil {
			_, _ = sv.Write(body)
			err = sv.Ensure()
		}
		if err != nil {
			d.log.Warn("unsigned or stale request refused", "path", r.URL.Path, "net", guard.LogNet(r.RemoteAddr), "err", err)
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		serve(w, r, body)
	})
}
