package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v5"
	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// maxBackoff caps the waits between retries of the loops.
const maxBackoff = 30 * time.Second

// pollMargin is how much longer than its long-poll timeout a getUpdates
// may take before it is given up: Telegram answers at the timeout.
const pollMargin = 15 * time.Second

// Run receives updates until ctx ends. It checks the token with getMe,
// then in webhook mode calls setWebhook and waits; in polling mode it
// polls with getUpdates while it holds the poller's lease (always, with
// no Leaser), and stands by while another replica holds it.
//
// The offset moves past an update only once Handler.Handle returned nil
// for it: an update whose handling failed is retried, with backoff, and
// one that was handled but not yet confirmed when the process died comes
// again to the next poller, for the engine to recognise as a duplicate.
func (c *Channel) Run(ctx context.Context) error {
	if err := c.startup(ctx, "getMe", nil); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return nil
	}
	if c.cfg.Mode == ModeWebhook {
		return c.runWebhook(ctx)
	}
	for ctx.Err() == nil {
		if !c.acquire(ctx) {
			sleep(ctx, c.cfg.LeaseTTL/3)
			continue
		}
		c.log.Info("polling for updates", "holder", c.cfg.HolderID)
		c.poll(ctx)
		if c.cfg.Leaser != nil {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			if err := c.cfg.Leaser.Release(rctx, c.lease, c.cfg.HolderID); err != nil {
				c.log.Warn("poller lease not released; it will expire", "err", err)
			}
			cancel()
		}
	}
	return nil
}

// acquire takes or renews the poller's lease.
func (c *Channel) acquire(ctx context.Context) bool {
	if c.cfg.Leaser == nil {
		return true
	}
	ok, err := c.cfg.Leaser.Lease(ctx, c.lease, c.cfg.HolderID, c.cfg.LeaseTTL)
	if err != nil {
		if ctx.Err() == nil {
			c.log.Warn("poller lease unavailable", "err", err)
		}
		return false
	}
	return ok
}

// poll polls while this replica holds the lease and ctx lasts.
func (c *Channel) poll(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	if c.cfg.Leaser != nil {
		// Renew the lease while polling; stop polling as soon as it is
		// lost, or cannot be renewed, before another replica takes it.
		wg.Go(func() {
			t := time.NewTicker(c.cfg.LeaseTTL / 3)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
				if !c.acquire(ctx) {
					if ctx.Err() == nil {
						c.log.Warn("poller lease lost; standing by")
					}
					cancel()
					return
				}
			}
		})
	}

	// A webhook left from an earlier deployment makes getUpdates fail.
	if err := c.startup(ctx, "deleteWebhook", tgbotapi.Params{"drop_pending_updates": "false"}); err != nil {
		c.log.Error("deleteWebhook failed", "err", err)
	}

	offset := int64(0)
	bo := newBackOff(c.cfg.Backoff)
	for ctx.Err() == nil {
		// Until a poll succeeds: a 429 waits its retry_after (an
		// APIError unwraps to it), the rest backs off.
		raws, err := backoff.Retry(ctx, func() ([]json.RawMessage, error) {
			return c.getUpdates(ctx, offset)
		}, backoff.WithBackOff(bo), backoff.WithMaxElapsedTime(0), backoff.WithNotify(func(err error, _ time.Duration) {
			var ae *APIError
			if errors.As(err, &ae) && ae.Code == http.StatusConflict {
				c.log.Warn("another poller or a webhook is active for this bot", "err", err)
			} else if ctx.Err() == nil {
				c.log.Warn("getUpdates failed; retrying", "err", err)
			}
		}))
		if err != nil {
			return // ctx ended
		}
		next, ins := c.decodeBatch(ctx, raws, offset)
		if !c.handleBatch(ctx, ins) {
			return // ctx ended: the offset stays, the updates come again
		}
		offset = next
	}
}

// getUpdates long-polls for the updates from offset on.
func (c *Channel) getUpdates(ctx context.Context, offset int64) ([]json.RawMessage, error) {
	secs := int(math.Ceil(c.cfg.PollTimeout.Seconds()))
	cfg := tgbotapi.UpdateConfig{Offset: int(offset), Limit: 100, Timeout: secs, AllowedUpdates: allowedUpdates}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.PollTimeout+pollMargin)
	defer cancel()
	// The library's GetUpdates decodes the batch as a whole: one update
	// it cannot read would fail every poll. Each is decoded on its own.
	resp, err := c.api.Request(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var raws []json.RawMessage
	if err := decodeResult("getUpdates", resp, &raws); err != nil {
		return nil, err
	}
	return raws, nil
}

// decodeBatch decodes a batch and returns the offset that confirms it.
func (c *Channel) decodeBatch(ctx context.Context, raws []json.RawMessage, offset int64) (int64, []*inbound) {
	var ins []*inbound
	for _, raw := range raws {
		u, id, err := decodeUpdate(raw)
		if id >= offset {
			offset = id + 1
		}
		switch {
		case errors.Is(err, errMalformed):
			c.log.Error("getUpdates returned something that is not an update; skipped")
			continue
		case err != nil:
			c.log.Warn("update unreadable, skipped", "update", id)
			continue
		}
		in := c.inbound(ctx, &u, id)
		ins = append(ins, &in)
	}
	return offset, ins
}

// handleBatch handles a batch: the chats in parallel, each chat's updates
// in order, each retried until it is handled. It reports false when ctx
// ended first.
func (c *Channel) handleBatch(ctx context.Context, ins []*inbound) bool {
	var order []int64
	chats := make(map[int64][]*inbound)
	for _, in := range ins {
		if _, ok := chats[in.chatID]; !ok {
			order = append(order, in.chatID)
		}
		chats[in.chatID] = append(chats[in.chatID], in)
	}
	var wg sync.WaitGroup
	for _, chat := range order {
		wg.Go(func() {
			for _, in := range chats[chat] {
				if !c.handleUntilDone(ctx, in) {
					return
				}
			}
		})
	}
	wg.Wait()
	return ctx.Err() == nil
}

// handleUntilDone handles in until the handler takes it or ctx ends.
// An update is never skipped: the engine fails only while its store is
// unreachable, and the updates after it wait, in order.
func (c *Channel) handleUntilDone(ctx context.Context, in *inbound) bool {
	_, err := backoff.Retry(ctx, func() (struct{}, error) {
		return struct{}{}, c.handle(ctx, in)
	}, backoff.WithBackOff(newBackOff(c.cfg.Backoff)), backoff.WithMaxElapsedTime(0), backoff.WithNotify(func(err error, _ time.Duration) {
		if ctx.Err() == nil {
			c.log.Error("update not handled; retrying", "update", in.id, "chat", chatAddress(in.chatID), "err", err)
		}
	}))
	return err == nil
}
