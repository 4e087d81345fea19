package bot

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
)

// logKey keys every LogRef of the process: random until SetLogKey names
// the deployment's.
var logKey atomic.Pointer[[]byte]

func init() {
	k := make([]byte, 32)
	rand.Read(k) // never fails (crypto/rand, Go 1.24)
	logKey.Store(&k)
}

// SetLogKey keys every LogRef of the process with key: the same key on
// every replica gives the same reference to the same value, across
// restarts too. Until it is called, the key is random, made at start:
// references then hold within one process only. The key is copied.
func SetLogKey(key []byte) {
	k := append([]byte(nil), key...)
	logKey.Store(&k)
}

// LogRef names value in a log line without showing it: label, a colon
// and the first 8 hex digits of the HMAC-SHA256 of label and value with
// the process's log key (SetLogKey). The same value gives the same
// reference on every line, and on every replica keyed alike, so that an
// operator can follow one order or one conversation through the logs;
// the logs never hold the value itself, and without the key a value
// from a small space (a six-digit order number, a Telegram chat ID)
// cannot be found by trying them all.
func LogRef(label, value string) string {
	m := hmac.New(sha256.New, *logKey.Load())
	m.Write([]byte(label + "\x00" + value))
	return label + ":" + hex.EncodeToString(m.Sum(nil)[:4])
}

// OrderRef is the LogRef of an order number, compared as OrderKey
// compares it: "#sp-482001" and "SP482001" are one reference.
func OrderRef(number string) string { return LogRef("order", OrderKey(number)) }

// Ref names the address in logs and in errors without its chat ID (a
// Telegram chat ID, a web chat visitor's ID): the channel, a colon and
// the LogRef of the address, "telegram:chat:1a2b3c4d".
func (a Address) Ref() string { return a.Channel + ":" + LogRef("chat", a.String()) }

// LogID returns id for logs and errors, with the address written in it
// replaced by its Ref: the IDs of outbox entries and events start with
// their address, the web chat's message IDs hold the visitor's chat ID.
// An ID without the address is returned as it is.
func (a Address) LogID(id string) string {
	if a.ChatID == "" {
		return id
	}
	return strings.ReplaceAll(id, a.String(), a.Ref())
}

// LogValue is Ref: an Address logged with slog never shows its chat ID.
func (a Address) LogValue() slog.Value { return slog.StringValue(a.Ref()) }

// RedactOrder returns text with the order number, as the customer gave
// it and as the shop systems name it (no spaces, no "#"), replaced by its
// OrderRef. Errors of the shop systems name the order they looked up;
// their text goes to the logs through it.
func RedactOrder(text, number string) string {
	ref := OrderRef(number)
	for _, v := range []string{number, strings.TrimPrefix(strings.TrimSpace(number), "#")} {
		if strings.TrimSpace(v) != "" {
			text = strings.ReplaceAll(text, v, ref)
		}
	}
	return text
}

// LinkKind says what is wrong with a link that IsTrackingURL refuses,
// in words that hold nothing of the link: a tracking link may carry the
// customer's postcode or a token in its path or query.
func LinkKind(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 }) {
		return "spaces or control characters"
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "not a URL"
	case u.Scheme == "":
		return "no scheme"
	case u.Scheme != "http" && u.Scheme != "https":
		return "scheme " + CleanLine(u.Scheme, 16)
	case u.Host == "":
		return "no host"
	case u.User != nil:
		return "user info"
	}
	return "too long"
}
