package main

// Stubs of commands under construction; each moves to its own file.

// setupTelegram connects Telegram when TELEGRAM_TOKEN is set.
func (s *server) setupTelegram() error { return nil }
