package main

import (
	"fmt"

	"github.com/sportello/sportello/adapters/telegram"
)

// setupTelegram connects Telegram when TELEGRAM_TOKEN is set: polling or
// a webhook at /telegram/webhook (docs/telegram.md).
func (s *server) setupTelegram() error {
	cfg, ok, err := telegram.ConfigFromEnv(s.getenv)
	if err != nil {
		return err
	}
	if !ok {
		return nil
	}
	cfg.Handler = s.engine
	cfg.Logger = s.log
	cfg.Leaser = s.caps.Leaser
	cfg.Directory = s.caps.Directory
	cfg.Meter = s.metrics.API(telegram.Name, telegram.Methods, telegram.Failures)
	ch, err := telegram.New(cfg)
	if err != nil {
		return fmt.Errorf("telegram: %w", err)
	}
	s.engine.SetChannel(telegram.Name, ch)
	s.channels = append(s.channels, telegram.Name)
	s.mux.Handle("POST "+telegram.WebhookPath, ch)
	s.addRunner("telegram", ch.Run)
	s.log.Info("telegram connected", "mode", cfg.Mode)
	return nil
}
