package telegram

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/sportello/sportello/bot"
)

// Limits of the Bot API.
const (
	maxText         = 4096 // characters (UTF-16 code units) of a message
	maxCallbackData = 64   // bytes of a button's callback_data
)

// hashPrefix marks callback_data that stands for a longer payload.
const hashPrefix = "h:"

// payloadTTL is how long a long payload is remembered: a button older
// than that still works, as its title typed (see payload).
const payloadTTL = 30 * 24 * time.Hour

// maxPayloads bounds the in-memory payload map, when there is no Directory.
const maxPayloads = 10000

// Send delivers r: its text in messages of at most 4,096 characters, cut
// at paragraph or sentence ends, the buttons under the last one. Agents'
// replies show the agent's name in bold, system lines in italics. It
// returns an error wrapping bot.ErrUndeliverable when Telegram refuses for
// good (403: the customer blocked the bot; 400: the chat is gone).
func (c *Channel) Send(ctx context.Context, r bot.Reply) error {
	chatID, err := strconv.ParseInt(r.Address.ChatID, 10, 64)
	if r.Address.Channel != Name || err != nil {
		return fmt.Errorf("telegram: send to %s: not a telegram chat: %w", r.Address.Ref(), bot.ErrUndeliverable)
	}
	c.typing.stop(chatID)
	ctx, cancel := context.WithTimeout(ctx, c.cfg.SendTimeout)
	defer cancel()

	prefix, budget := "", maxText
	if r.From != "" {
		prefix = "<b>" + escapeHTML(r.From) + "</b>\n"
		budget -= utf16Len(r.From) + 1
	}
	chunks := splitText(r.Text, budget)
	if len(chunks) == 0 {
		if len(r.Buttons) == 0 {
			return nil // nothing to show
		}
		chunks = []string{"…"} // a keyboard needs a message to hang on
	}
	keyboard, err := c.keyboard(ctx, r.Buttons)
	if err != nil {
		return fmt.Errorf("telegram: send to %s: %w", r.Address.Ref(), err)
	}

	// A reply cut in several messages resumes where a failure stopped it,
	// so the customer does not read the first part twice.
	key := progressKey(r)
	from := c.resume(key)
	for i := from; i < len(chunks); i++ {
		m := tgbotapi.NewMessage(chatID, chunks[i])
		switch {
		case r.System:
			m.Text, m.ParseMode = "<i>"+escapeHTML(chunks[i])+"</i>", tgbotapi.ModeHTML
		case r.From != "":
			m.Text, m.ParseMode = escapeHTML(chunks[i]), tgbotapi.ModeHTML
			if i == 0 {
				m.Text = prefix + m.Text
			}
		}
		if i == len(chunks)-1 && keyboard != nil {
			m.ReplyMarkup = *keyboard
		}
		if _, err := c.call(ctx, m); err != nil {
			c.remember(key, i)
			var ae *APIError
			if errors.As(err, &ae) && ae.permanent() {
				return fmt.Errorf("telegram: send to %s: %w: %w", r.Address.Ref(), bot.ErrUndeliverable, err)
			}
			return fmt.Errorf("telegram: send to %s: %w", r.Address.Ref(), err)
		}
	}
	c.forget(key)
	return nil
}

// call makes one request with the channel's retries.
func (c *Channel) call(ctx context.Context, ch tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	return c.retry.do(ctx, func(ctx context.Context) (*tgbotapi.APIResponse, error) {
		ctx, cancel := context.WithTimeout(ctx, c.cfg.CallTimeout)
		defer cancel()
		return c.api.Request(ctx, ch)
	})
}

// keyboard returns the inline keyboard of buttons, one per row so that
// long titles stay readable, or nil when there are none.
func (c *Channel) keyboard(ctx context.Context, buttons []bot.Button) (*tgbotapi.InlineKeyboardMarkup, error) {
	if len(buttons) == 0 {
		return nil, nil
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, b := range buttons {
		data, err := c.callbackData(ctx, b.Payload)
		if err != nil {
			return nil, err
		}
		title := b.Title
		if strings.TrimSpace(title) == "" {
			title = b.Payload
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(title, data)))
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return &kb, nil
}

// callbackData returns the callback_data for payload: the payload itself
// when it fits in 64 bytes, else "h:" and a hash of it, the payload kept in
// the Directory (or in memory) for the press to find.
func (c *Channel) callbackData(ctx context.Context, payload string) (string, error) {
	if len(payload) <= maxCallbackData && !strings.HasPrefix(payload, hashPrefix) && payload != "" {
		return payload, nil
	}
	sum := sha256.Sum256([]byte(payload))
	data := hashPrefix + base64.RawURLEncoding.EncodeToString(sum[:16])
	if d := c.cfg.Directory; d != nil {
		if err := d.Put(ctx, "telegram:cb:"+data, payload, payloadTTL); err != nil {
			return "", fmt.Errorf("keep button payload: %w", err)
		}
		return data, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.payloads) >= maxPayloads {
		clear(c.payloads) // crude, and bounded: old buttons fall back to their titles
	}
	c.payloads[data] = payload
	return data, nil
}

// payload returns the payload behind callback data; ok is false when a
// hashed payload is unknown (the process restarted without a Directory).
func (c *Channel) payload(ctx context.Context, data string) (p string, ok bool) {
	if !strings.HasPrefix(data, hashPrefix) {
		return data, true
	}
	if d := c.cfg.Directory; d != nil {
		p, err := d.Get(ctx, "telegram:cb:"+data)
		if err != nil {
			c.log.Warn("button payload unavailable", "err", err)
		}
		return p, p != ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok = c.payloads[data]
	return p, ok
}

// sent is how far a long reply got.
type sent struct {
	chunks int
	at     time.Time
}

func progressKey(r bot.Reply) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%v\x00%t", r.Address, r.From, r.Text, r.Buttons, r.System)
	return string(h.Sum(nil))
}

func (c *Channel) resume(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.progress[key].chunks
}

func (c *Channel) remember(key string, chunks int) {
	if chunks == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	for k, s := range c.progress {
		if now.Sub(s.at) > time.Hour {
			delete(c.progress, k)
		}
	}
	c.progress[key] = sent{chunks: chunks, at: now}
}

func (c *Channel) forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.progress, key)
}

// escapeHTML escapes text for parse_mode HTML, which wants <, > and &
// escaped and nothing else.
func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// utf16Len is the length of s as Telegram counts it.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// splitText cuts text into pieces of at most max UTF-16 code units, at a
// paragraph end if there is one in the second half of the piece, else at a
// line end, a sentence end, a space, and only then anywhere (between
// runes). Pieces are trimmed; empty ones are dropped.
func splitText(text string, max int) []string {
	var out []string
	text = strings.TrimSpace(text)
	for text != "" {
		if utf16Len(text) <= max {
			out = append(out, text)
			break
		}
		// head is the longest prefix that fits.
		n, end := 0, 0
		for i, r := range text {
			if n+utf16.RuneLen(r) > max {
				break
			}
			n += utf16.RuneLen(r)
			end = i + utf8.RuneLen(r)
		}
		head := text[:end]
		cut := cutPoint(head)
		piece := strings.TrimSpace(text[:cut])
		if piece != "" {
			out = append(out, piece)
		}
		text = strings.TrimSpace(text[cut:])
	}
	return out
}

// cutPoint returns where to cut head, the longest prefix that fits.
func cutPoint(head string) int {
	half := len(head) / 2
	if i := strings.LastIndex(head, "\n\n"); i >= half {
		return i + 2
	}
	if i := strings.LastIndex(head, "\n"); i >= half {
		return i + 1
	}
	if i := lastSentenceEnd(head); i >= half {
		return i
	}
	if i := strings.LastIndexFunc(head, unicode.IsSpace); i >= half {
		return i + 1
	}
	return len(head)
}

// lastSentenceEnd returns the index just after the last ". ", "! ", "? "
// or "… " in s, or -1.
func lastSentenceEnd(s string) int {
	best := -1
	for _, p := range []string{". ", "! ", "? ", "… ", ".\t", "!\t", "?\t"} {
		if i := strings.LastIndex(s, p); i >= 0 && i+len(p) > best {
			best = i + len(p)
		}
	}
	return best
}

// typists send "typing…" to chats while the engine works on their
// messages, and stop as soon as a reply goes out: Telegram would show the
// action for five more seconds after the answer.
type typists struct {
	c      *Channel
	mu     sync.Mutex
	active map[int64]map[*typist]struct{}
}

type typist struct{ cancel context.CancelFunc }

// start shows "typing…" in chat after TypingDelay, renewed every four
// seconds, until the returned function or a Send to the chat stops it.
func (t *typists) start(ctx context.Context, chatID int64) (stop func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	tp := &typist{cancel: cancel}
	t.mu.Lock()
	if t.active == nil {
		t.active = make(map[int64]map[*typist]struct{})
	}
	if t.active[chatID] == nil {
		t.active[chatID] = make(map[*typist]struct{})
	}
	t.active[chatID][tp] = struct{}{}
	t.mu.Unlock()

	done := make(chan struct{})
	go func() {
		defer close(done)
		wait := t.c.cfg.TypingDelay
		for sleep(ctx, wait) == nil {
			// Best effort, no retries: a missed "typing…" hurts nobody.
			cctx, ccancel := context.WithTimeout(ctx, 5*time.Second)
			_, err := t.c.api.Request(cctx, tgbotapi.NewChatAction(chatID, tgbotapi.ChatTyping))
			ccancel()
			if err != nil && ctx.Err() == nil {
				t.c.log.Debug("typing action failed", "chat", chatAddress(chatID), "err", err)
			}
			wait = 4 * time.Second
		}
	}()
	return func() {
		t.remove(chatID, tp)
		<-done
	}
}

// stop stops the typists of chat, before a reply goes out.
func (t *typists) stop(chatID int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for tp := range t.active[chatID] {
		tp.cancel()
	}
}

func (t *typists) remove(chatID int64, tp *typist) {
	tp.cancel()
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.active[chatID], tp)
	if len(t.active[chatID]) == 0 {
		delete(t.active, chatID)
	}
}
