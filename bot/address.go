package bot

import (
	"fmt"
	"strings"
)

// An Address names one conversation with one customer on one channel,
// written "channel:chatid", for example "telegram:12345" or "web:7f3a...".
//
// ChatID is a string so that every channel fits: Telegram's 64-bit chat
// IDs are written in decimal, the web chat uses random visitor IDs.
type Address struct {
	Channel string `json:"channel"`
	ChatID  string `json:"chat_id"`
}

// String returns the address as "channel:chatid".
func (a Address) String() string { return a.Channel + ":" + a.ChatID }

// IsZero reports whether a is the zero Address.
func (a Address) IsZero() bool { return a.Channel == "" && a.ChatID == "" }

// ParseAddress parses the form written by Address.String.
func ParseAddress(s string) (Address, error) {
	ch, id, ok := strings.Cut(s, ":")
	if !ok || ch == "" || id == "" {
		return Address{}, fmt.Errorf("bot: address %q: want channel:chatid", s)
	}
	return Address{Channel: ch, ChatID: id}, nil
}
