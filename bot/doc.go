// Package bot holds Sportello's domain: the conversation, its messages, the
// session the bot remembers, the transcript events, the cases handed to
// agents, and Engine.Handle, the one path every message takes.
//
// The package uses the standard library only. It knows nothing of Telegram,
// Slack, Redis or SQL: those live in adapters and speak to the engine through
// the small interfaces (ports) declared in ports.go.
package bot
