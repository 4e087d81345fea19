package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/sportello/sportello/bot"
)

// Errors of decodeUpdate.
var (
	// errMalformed: not an update at all (not JSON, no update_id).
	// Telegram never sends one.
	errMalformed = errors.New("telegram: malformed update")
	// errUnreadable: an update the library cannot decode (a field of a
	// newer Bot API with a type it does not expect). It is skipped, never
	// retried: it would fail the same way for ever.
	errUnreadable = errors.New("telegram: unreadable update")
)

// decodeUpdate decodes one update. The ID comes back whenever the update
// has one, even when the rest is unreadable, so the offset can move on.
func decodeUpdate(raw []byte) (u tgbotapi.Update, id int64, err error) {
	var probe struct {
		ID *int64 `json:"update_id"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil || probe.ID == nil {
		return u, 0, errMalformed
	}
	if err := json.Unmarshal(raw, &u); err != nil {
		return u, *probe.ID, errUnreadable
	}
	return u, *probe.ID, nil
}

// An inbound is an update as the channel acts on it.
type inbound struct {
	id int64
	// callback is the callback query to answer, if any.
	callback string
	// use reports whether msg goes to the engine; ignored says why not.
	use     bool
	ignored string
	msg     bot.Message
	chatID  int64
}

// kinds of message the customer can send but the bot cannot read: they go
// to the engine without text, which asks the customer to write.
func unreadableKind(m *tgbotapi.Message) string {
	switch {
	case m.Voice != nil:
		return "voice"
	case m.VideoNote != nil:
		return "video_note"
	case m.Sticker != nil:
		return "sticker"
	case m.Venue != nil, m.Location != nil:
		return "location"
	case m.Contact != nil:
		return "contact"
	case m.Animation != nil:
		return "animation"
	case m.Dice != nil:
		return "dice"
	case m.Poll != nil:
		return "poll"
	case m.Game != nil:
		return "game"
	}
	return ""
}

// inbound decides what to do with u.
func (c *Channel) inbound(ctx context.Context, u *tgbotapi.Update, id int64) inbound {
	in := inbound{id: id}
	switch {
	case u.Message != nil:
		c.fromMessage(&in, u.Message)
	case u.CallbackQuery != nil:
		c.fromCallback(ctx, &in, u.CallbackQuery)
	case u.EditedMessage != nil:
		in.ignored = "edited message"
	case u.ChannelPost != nil, u.EditedChannelPost != nil:
		in.ignored = "channel post"
	default:
		in.ignored = "update kind not used"
	}
	return in
}

func (c *Channel) fromMessage(in *inbound, m *tgbotapi.Message) {
	if m.Chat == nil || m.Chat.Type != "private" {
		in.ignored = "not a private chat"
		return
	}
	if m.From == nil || m.From.IsBot {
		in.ignored = "not from a person"
		return
	}
	in.chatID = m.Chat.ID
	in.msg = c.message(in.id, m.Chat.ID, m.From)
	if m.Date > 0 {
		in.msg.Time = time.Unix(int64(m.Date), 0)
	}
	in.msg.Text = m.Text
	switch {
	case len(m.Photo) > 0:
		in.msg.Attachments = []bot.Attachment{{Kind: "photo", FileID: largest(m.Photo).FileID, Caption: m.Caption}}
	case m.Document != nil:
		in.msg.Attachments = []bot.Attachment{{Kind: "document", FileID: m.Document.FileID, Name: m.Document.FileName, Caption: m.Caption}}
	case m.Video != nil:
		in.msg.Attachments = []bot.Attachment{{Kind: "video", FileID: m.Video.FileID, Name: m.Video.FileName, Caption: m.Caption}}
	case m.Audio != nil:
		in.msg.Attachments = []bot.Attachment{{Kind: "audio", FileID: m.Audio.FileID, Name: m.Audio.FileName, Caption: m.Caption}}
	case m.Text != "":
	case unreadableKind(m) != "":
		// No text and no attachment: the engine answers "I didn't receive
		// any text" in the customer's language, and records the message.
		c.log.Info("message without text", "chat", chatAddress(m.Chat.ID), "kind", unreadableKind(m))
	default:
		in.ignored = "service message"
		return
	}
	if in.msg.Text == "" {
		in.msg.Text = m.Caption
	}
	in.use = true
}

// largest returns the photo size with the most pixels.
func largest(sizes []tgbotapi.PhotoSize) tgbotapi.PhotoSize {
	best := sizes[0]
	for _, s := range sizes[1:] {
		if s.Width*s.Height > best.Width*best.Height ||
			s.Width*s.Height == best.Width*best.Height && s.FileSize > best.FileSize {
			best = s
		}
	}
	return best
}

func (c *Channel) fromCallback(ctx context.Context, in *inbound, q *tgbotapi.CallbackQuery) {
	in.callback = q.ID
	if q.Message == nil || q.Message.Chat == nil || q.Message.Chat.Type != "private" || q.From == nil {
		in.ignored = "button outside a private chat"
		return
	}
	if q.Data == "" {
		in.ignored = "button without data"
		return
	}
	in.chatID = q.Message.Chat.ID
	in.msg = c.message(in.id, q.Message.Chat.ID, q.From)
	in.msg.Text = buttonTitle(q.Message.ReplyMarkup, q.Data)
	p, ok := c.payload(ctx, q.Data)
	if !ok {
		// A hashed payload this process does not know (restarted, without
		// a Directory): the title, as if typed, is the best left.
		c.log.Warn("button payload unknown; using its title", "chat", chatAddress(in.chatID))
		if in.msg.Text == "" {
			in.ignored = "unknown button"
			return
		}
		p = ""
	}
	in.msg.Payload = p
	in.use = true
}

// buttonTitle returns the title of the button with callback data in kb.
func buttonTitle(kb *tgbotapi.InlineKeyboardMarkup, data string) string {
	if kb == nil {
		return ""
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData != nil && *b.CallbackData == data {
				return b.Text
			}
		}
	}
	return ""
}

// chatAddress is the address of the Telegram chat chatID. Logs name a
// chat by it (bot.Address.LogValue), never by its number.
func chatAddress(chatID int64) bot.Address {
	return bot.Address{Channel: Name, ChatID: strconv.FormatInt(chatID, 10)}
}

// message returns the start of a message of update id in chat from u.
func (c *Channel) message(id, chatID int64, u *tgbotapi.User) bot.Message {
	return bot.Message{
		// The update ID is stable across redeliveries, by getUpdates and
		// by webhook alike.
		ID:      "tg:" + strconv.FormatInt(id, 10),
		Address: chatAddress(chatID),
		Sender: bot.Sender{
			Name:     strings.TrimSpace(u.FirstName + " " + u.LastName),
			Username: u.UserName,
			Language: u.LanguageCode,
		},
	}
}

// handle acts on in: answers its callback query, shows "typing…" while
// the engine works, and returns the engine's error.
func (c *Channel) handle(ctx context.Context, in *inbound) error {
	if in.callback != "" {
		// Stop the spinner on the button at once; best effort (a retried
		// update answers a query twice, and Telegram refuses the second).
		actx, cancel := context.WithTimeout(ctx, 5*time.Second)
		if _, err := c.api.Request(actx, tgbotapi.NewCallback(in.callback, "")); err != nil {
			c.log.Debug("callback query not answered", "update", in.id, "err", err)
		}
		cancel()
		in.callback = ""
	}
	if !in.use {
		c.log.Debug("update ignored", "update", in.id, "why", in.ignored)
		return nil
	}
	stop := c.typing.start(ctx, in.chatID)
	err := c.cfg.Handler.Handle(ctx, in.msg)
	stop()
	return err
}
