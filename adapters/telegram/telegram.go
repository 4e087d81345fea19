// Package telegram is the customers' channel on Telegram: a bot that
// receives updates by long polling (our own getUpdates loop, which moves
// the offset only once the engine has committed an update) or by webhook
// (checked with the secret token), and sends the engine's replies with
// quick replies as an inline keyboard.
//
// github.com/go-telegram-bot-api/telegram-bot-api/v5 builds the requests
// and holds the types; this package adds what it lacks: contexts, retries
// that honour retry_after, errors without the token, updates decoded one
// at a time so that one the library cannot read never stops the others.
//
// What the channel does with each kind of update:
//
//   - text messages, photos, documents, videos and audio files in private
//     chats go to the engine; files as bot.Attachment (the largest size of
//     a photo), their caption as the text;
//   - voice notes, video notes, stickers, locations, contacts and the like
//     go to the engine as a message with no text, so the engine answers
//     "I didn't receive any text" in the customer's language, and the
//     transcript records that the customer wrote;
//   - button presses (callback queries) are answered at once and go to the
//     engine with the button's payload and title;
//   - everything else (edited messages, channel posts, group chats, kinds
//     the channel does not know) is acknowledged and ignored.
package telegram

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/sportello/sportello/bot"
)

// Name is the channel's name in addresses: "telegram:<chat id>", the chat
// ID in decimal.
const Name = "telegram"

// Modes of receiving updates.
const (
	ModePolling = "polling"
	ModeWebhook = "webhook"
)

// DefaultAPIURL is the Bot API of Telegram.
const DefaultAPIURL = "https://api.telegram.org"

// WebhookPath is where cmd mounts Channel.ServeHTTP.
const WebhookPath = "/telegram/webhook"

// Config configures a Channel. Token and Handler are required; so are
// WebhookURL and Secret in webhook mode.
type Config struct {
	// Token is the bot's token from BotFather. It is in every request URL
	// and nowhere else: never in a log line or an error.
	Token string
	// Mode is ModePolling (the default) or ModeWebhook.
	Mode string
	// WebhookURL is the public HTTPS URL that reaches ServeHTTP, given to
	// Telegram with setWebhook at start-up (webhook mode).
	WebhookURL string
	// Secret is the webhook's secret_token: 1-256 characters of A-Z, a-z,
	// 0-9, _ and -. Telegram sends it in X-Telegram-Bot-Api-Secret-Token.
	Secret string
	// APIURL is the Bot API's base URL (DefaultAPIURL when empty): a local
	// Bot API server, or a fake in tests.
	APIURL string

	// Handler handles the customers' messages: the engine.
	Handler bot.Handler
	// Leaser, with several replicas, lets one of them poll at a time; nil
	// means this process is the only poller.
	Leaser bot.Leaser
	// HolderID names this replica to the Leaser (host name, process ID
	// and a random suffix when empty).
	HolderID string
	// Directory keeps the payloads of buttons too long for Telegram's
	// 64-byte callback_data, shared by the replicas; in memory when nil.
	Directory bot.Directory

	Logger *slog.Logger // discarded when nil
	// HTTPClient makes the calls; each has its own deadline (CallTimeout,
	// or the long poll's). When nil, a client whose own timeout, the long
	// poll's plus a margin, stops any call a deadline would miss.
	HTTPClient *http.Client

	// Tuning; the zero values are the defaults, tests shorten them.
	PollTimeout time.Duration // long-poll timeout of getUpdates: 30 s
	LeaseTTL    time.Duration // the poller's lease: 10 s, renewed every third
	Backoff     time.Duration // first wait after a 5xx or network error: 500 ms
	Attempts    int           // tries of one call on 5xx, 429 and network errors: 5
	// CallTimeout bounds one call of the Bot API, each try of it: 10 s.
	// getUpdates waits PollTimeout and pollMargin more instead.
	CallTimeout time.Duration
	// SendTimeout bounds one Send with its retries and 429 waits: 20 s.
	// Keep it under the engine's outbox lease (bot.Config.Lease, 30 s),
	// or the engine may deliver the same reply again meanwhile. A
	// retry_after longer than what is left fails the Send at once; the
	// engine retries it later.
	SendTimeout time.Duration
	// TypingDelay is how long the engine may work before the customer
	// sees "typing…": 500 ms (quick answers need none).
	TypingDelay time.Duration
	// MaxBody limits a webhook request's body: 1 MiB.
	MaxBody int64
	// Meter, when set, is told of every call of the Bot API and how it
	// failed, for metrics.
	Meter Meter
}

// String describes the configuration without the token and the secret.
func (c Config) String() string {
	return fmt.Sprintf("telegram.Config{Mode:%q WebhookURL:%q APIURL:%q Token:%s Secret:%s}",
		c.Mode, c.WebhookURL, c.APIURL, hidden(c.Token), hidden(c.Secret))
}

// GoString is String, so %#v hides the secrets too.
func (c Config) GoString() string { return c.String() }

// LogValue is String, so a Config logged with slog hides the secrets.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

func hidden(s string) string {
	if s == "" {
		return `""`
	}
	return "<hidden>"
}

var secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// ConfigFromEnv reads the Telegram settings from the environment:
// TELEGRAM_TOKEN (Telegram is off when it is empty: ok is false),
// TELEGRAM_MODE (polling or webhook; polling when empty),
// TELEGRAM_WEBHOOK_URL and TELEGRAM_SECRET (both required for webhook),
// TELEGRAM_API_URL. Errors name the variable; none holds a secret. The
// caller fills in Handler, Leaser, Logger and the rest.
func ConfigFromEnv(getenv func(string) string) (cfg Config, ok bool, err error) {
	cfg = Config{
		Token:      strings.TrimSpace(getenv("TELEGRAM_TOKEN")),
		Mode:       strings.ToLower(strings.TrimSpace(getenv("TELEGRAM_MODE"))),
		WebhookURL: strings.TrimSpace(getenv("TELEGRAM_WEBHOOK_URL")),
		Secret:     strings.TrimSpace(getenv("TELEGRAM_SECRET")),
		APIURL:     strings.TrimSpace(getenv("TELEGRAM_API_URL")),
	}
	if cfg.Token == "" {
		return Config{}, false, nil
	}
	if cfg.Mode == "" {
		cfg.Mode = ModePolling
	}
	if err := cfg.check(); err != nil {
		return Config{}, true, err
	}
	return cfg, true, nil
}

// check validates the settings that come from the environment, naming
// the variables.
func (c *Config) check() error {
	if err := checkToken(c.Token); err != nil {
		return err
	}
	if c.APIURL != "" {
		u, err := url.Parse(c.APIURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("telegram: TELEGRAM_API_URL %q: want an http or https URL such as %s", c.APIURL, DefaultAPIURL)
		}
	}
	switch c.Mode {
	case ModePolling:
		return nil
	case ModeWebhook:
	default:
		return fmt.Errorf("telegram: TELEGRAM_MODE %q: want polling or webhook", c.Mode)
	}
	if c.WebhookURL == "" {
		return errors.New("telegram: TELEGRAM_WEBHOOK_URL is required in webhook mode: the public https URL of " + WebhookPath)
	}
	u, err := url.Parse(c.WebhookURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && c.APIURL != "")) {
		// Telegram calls HTTPS webhooks only; a local Bot API server may
		// call plain HTTP.
		return fmt.Errorf("telegram: TELEGRAM_WEBHOOK_URL %q: want an absolute https URL", c.WebhookURL)
	}
	if c.Secret == "" {
		return errors.New("telegram: TELEGRAM_SECRET is required in webhook mode: 1-256 characters of A-Z, a-z, 0-9, _ and -")
	}
	if !secretRE.MatchString(c.Secret) {
		return errors.New("telegram: TELEGRAM_SECRET: want 1-256 characters of A-Z, a-z, 0-9, _ and - only")
	}
	return nil
}

// checkToken rejects what cannot be a token without saying what it is.
func checkToken(token string) error {
	if token == "" {
		return errors.New("telegram: TELEGRAM_TOKEN is empty")
	}
	if strings.ContainsAny(token, " \t\r\n/?#%") || !strings.Contains(token, ":") {
		return errors.New("telegram: TELEGRAM_TOKEN does not look like a bot token from BotFather (123456:ABC-DEF...)")
	}
	return nil
}

// Channel is the Telegram channel: a bot.Channel for the engine's replies,
// Run to receive updates, and ServeHTTP for the webhook.
type Channel struct {
	cfg   Config
	api   telegramAPI
	log   *slog.Logger
	retry retrier
	lease string // the poller's lease name, per bot

	typing typists

	mu       sync.Mutex
	payloads map[string]string // hashed callback_data -> payload, without Directory
	progress map[string]sent   // chunks of long replies already sent
}

var _ bot.Channel = (*Channel)(nil)

// New returns a channel for cfg. It does no I/O: Run checks the token.
func New(cfg Config) (*Channel, error) {
	if cfg.Mode == "" {
		cfg.Mode = ModePolling
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if cfg.Handler == nil {
		return nil, errors.New("telegram: no handler")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	setDefault(&cfg.PollTimeout, 30*time.Second)
	if cfg.HTTPClient == nil {
		// No call lasts longer than the long poll.
		cfg.HTTPClient = &http.Client{Timeout: cfg.PollTimeout + pollMargin}
	}
	if cfg.HolderID == "" {
		host, _ := os.Hostname()
		var b [4]byte
		rand.Read(b[:])
		cfg.HolderID = fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	}
	setDefault(&cfg.LeaseTTL, 10*time.Second)
	setDefault(&cfg.Backoff, 500*time.Millisecond)
	setDefault(&cfg.CallTimeout, 10*time.Second)
	setDefault(&cfg.SendTimeout, 20*time.Second)
	setDefault(&cfg.TypingDelay, 500*time.Millisecond)
	if cfg.Attempts <= 0 {
		cfg.Attempts = 5
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 1 << 20
	}
	c := &Channel{
		cfg:      cfg,
		api:      newLibAPI(cfg.Token, cfg.APIURL, cfg.HTTPClient),
		log:      cfg.Logger.With("component", "telegram"),
		retry:    retrier{attempts: cfg.Attempts, backoff: cfg.Backoff},
		lease:    "telegram:poll:" + botID(cfg.Token),
		payloads: make(map[string]string),
		progress: make(map[string]sent),
	}
	if cfg.Meter != nil {
		c.api = meteredAPI{api: c.api, meter: cfg.Meter}
	}
	c.typing.c = c
	return c, nil
}

func setDefault(d *time.Duration, v time.Duration) {
	if *d <= 0 {
		*d = v
	}
}

// String describes the channel without its token, should it be printed.
func (c *Channel) String() string { return "telegram.Channel(" + c.cfg.Mode + ")" }

// LogValue is String, for slog.
func (c *Channel) LogValue() slog.Value { return slog.StringValue(c.String()) }

// botID returns the bot's numeric ID, the public part of its token before
// the colon, so that bots sharing a store have their own lease.
func botID(token string) string {
	id, _, _ := strings.Cut(token, ":")
	return id
}
