package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/cenkalti/backoff/v5"
	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// allowedUpdates are the kinds of update the channel asks Telegram for.
var allowedUpdates = []string{"message", "callback_query"}

// ServeHTTP receives the webhook's updates (mounted at WebhookPath). It
// answers 401 when X-Telegram-Bot-Api-Secret-Token is not the secret,
// 400 to a body that is not an update, 500 when the engine failed (so
// Telegram delivers the update again), and 200 to everything else,
// including every update the channel cannot use: Telegram never retries
// one for ever. It answers 404 in polling mode.
func (c *Channel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if c.cfg.Mode != ModeWebhook {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
	if subtle.ConstantTimeCompare([]byte(got), []byte(c.cfg.Secret)) != 1 {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, c.cfg.MaxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		// The secret says Telegram sent it; it would be as big next time.
		c.log.Warn("webhook update too large, dropped", "limit", c.cfg.MaxBody)
		w.WriteHeader(http.StatusOK)
		return
	case err != nil:
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	u, id, err := decodeUpdate(body)
	switch {
	case errors.Is(err, errMalformed):
		http.Error(w, "not an update", http.StatusBadRequest)
		return
	case err != nil:
		c.log.Warn("update unreadable, skipped", "update", id)
		w.WriteHeader(http.StatusOK)
		return
	}
	in := c.inbound(r.Context(), &u, id)
	if err := c.handle(r.Context(), &in); err != nil {
		c.log.Error("update not handled; Telegram will deliver it again", "update", id, "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// runWebhook registers the webhook with Telegram and waits for ctx.
// The webhook stays set at exit: the other replicas still serve it, and
// Telegram keeps the updates while none does.
func (c *Channel) runWebhook(ctx context.Context) error {
	allowed, _ := json.Marshal(allowedUpdates)
	params := tgbotapi.Params{
		"url":             c.cfg.WebhookURL,
		"secret_token":    c.cfg.Secret,
		"allowed_updates": string(allowed),
	}
	if err := c.startup(ctx, "setWebhook", params); err != nil {
		return err
	}
	c.log.Info("webhook set", "url", c.cfg.WebhookURL)
	<-ctx.Done()
	return nil
}

// startup calls method until it succeeds, ctx ends, or Telegram refuses
// it for good (a wrong token: 401 or 404). It returns nil when ctx ended.
func (c *Channel) startup(ctx context.Context, method string, params tgbotapi.Params) error {
	_, err := backoff.Retry(ctx, func() (struct{}, error) {
		cctx, cancel := context.WithTimeout(ctx, c.cfg.CallTimeout)
		defer cancel()
		_, err := c.api.Call(cctx, method, params)
		var ae *APIError
		if err != nil && errors.As(err, &ae) && ae.Code != 0 && !ae.temporary() {
			if ae.Code == http.StatusUnauthorized || ae.Code == http.StatusNotFound {
				err = errors.Join(err, errors.New("telegram: the Bot API refuses the token: check TELEGRAM_TOKEN"))
			}
			return struct{}{}, backoff.Permanent(err)
		}
		return struct{}{}, err
	}, backoff.WithBackOff(newBackOff(c.cfg.Backoff)), backoff.WithMaxElapsedTime(0), backoff.WithNotify(func(err error, _ time.Duration) {
		if ctx.Err() == nil {
			c.log.Warn("telegram unreachable at start-up; retrying", "method", method, "err", err)
		}
	}))
	if ctx.Err() != nil {
		return nil
	}
	return err
}
