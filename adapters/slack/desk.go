package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/sportello/sportello/bot"
)

// slackAPI is the part of the Slack Web API the desk uses; *slack.Client
// implements it, and unit tests pass a fake.
type slackAPI interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
	GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error)
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
}

var _ slackAPI = (*slack.Client)(nil)

// Config configures a Desk.
type Config struct {
	// BotToken (xoxb-...) calls the Web API. Required.
	BotToken string
	// AppToken (xapp-...) turns on Socket Mode: Run connects to Slack.
	AppToken string
	// SigningSecret turns on the HTTP Events API mode: the desk's HTTP
	// handlers accept requests signed with it. AppToken or SigningSecret
	// is required; with both, both work.
	SigningSecret string
	// APIURL is the Web API's base URL, for tests against a fake Slack;
	// slack.com's when empty.
	APIURL string
	// Channels maps a team ID (sales, support) to the Slack channel ID
	// where its cases go. Required.
	Channels map[string]string
	// Handler receives the agents' actions: the engine. Required.
	Handler bot.Handler
	// Directory keeps the card of each case and the case of each thread,
	// shared by replicas. Required.
	Directory bot.Directory
	// Queues answers /sportello queue; nil: the command says so.
	Queues bot.Queues
	// Stats answers /sportello stats; nil: the command says so.
	Stats  func() bot.Stats
	Logger *slog.Logger // discarded when nil
	// Now tells the time for the ages of waiting cases; time.Now when nil.
	Now func() time.Time
	// Timeout bounds each call of the Web API, whatever its caller's
	// context: a Slack that accepts the connection and never answers
	// fails the call then (DefaultTimeout when zero).
	Timeout time.Duration
	// Meter, when set, is told of every call of the Web API and how it
	// failed, for metrics.
	Meter Meter
}

// DefaultTimeout bounds a call of the Web API; Slack answers in well
// under a second.
const DefaultTimeout = 10 * time.Second

// Desk is the agent desk on Slack; see the package documentation.
type Desk struct {
	cfg    Config
	api    slackAPI
	client *slack.Client // the real client, for Socket Mode; nil in unit tests
	log    *slog.Logger

	names  nameCache
	serial serial
	work   inflight // inbound work in flight

	// Learned from auth.test: the bot's own user, to ignore its own
	// messages, the workspace's URL, for links to cards, and its ID, to
	// refuse clicks from elsewhere.
	botUser   atomic.Value // string
	workspace atomic.Value // string
	team      atomic.Value // string
}

var _ bot.Desk = (*Desk)(nil)

// NewDesk returns a desk for cfg, or an error naming what is missing.
func NewDesk(cfg Config) (*Desk, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	opts := []slack.Option{
		slack.OptionLog(quietLog()),
		slack.OptionHTTPClient(&http.Client{Timeout: cfg.Timeout}),
	}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	if cfg.APIURL != "" {
		u := cfg.APIURL
		if !strings.HasSuffix(u, "/") {
			u += "/" // slack-go appends the method name
		}
		opts = append(opts, slack.OptionAPIURL(u))
	}
	client := slack.New(cfg.BotToken, opts...)
	d := newDesk(cfg, client)
	d.client = client
	return d, nil
}

// newDesk returns a desk that calls api; cfg is checked already.
func newDesk(cfg Config, api slackAPI) *Desk {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Meter != nil {
		api = meteredAPI{api: api, meter: cfg.Meter}
	}
	d := &Desk{cfg: cfg, api: api, log: cfg.Logger.With("component", "slack")}
	d.botUser.Store("")
	d.workspace.Store("")
	d.team.Store("")
	return d
}

func (c Config) check() error {
	var errs []string
	switch {
	case c.BotToken == "":
		errs = append(errs, "no bot token (SLACK_BOT_TOKEN, xoxb-...)")
	case !strings.HasPrefix(c.BotToken, "xoxb-"):
		errs = append(errs, "the bot token (SLACK_BOT_TOKEN) must start with xoxb-")
	}
	switch {
	case c.AppToken == "" && c.SigningSecret == "":
		errs = append(errs, "neither an app token (SLACK_APP_TOKEN, xapp-..., for Socket Mode) nor a signing secret (SLACK_SIGNING_SECRET, for the HTTP Events API)")
	case c.AppToken != "" && !strings.HasPrefix(c.AppToken, "xapp-"):
		errs = append(errs, "the app token (SLACK_APP_TOKEN) must start with xapp-")
	}
	if len(c.Channels) == 0 {
		errs = append(errs, "no team channels")
	}
	for team, ch := range c.Channels {
		if ch == "" {
			errs = append(errs, fmt.Sprintf("no channel for team %s", team))
		}
	}
	if c.Handler == nil {
		errs = append(errs, "no handler")
	}
	if c.Directory == nil {
		errs = append(errs, "no directory")
	}
	if len(errs) > 0 {
		return fmt.Errorf("slack: %s", strings.Join(errs, "; "))
	}
	return nil
}

// logWriter swallows slack-go's own log lines: it logs only in debug mode,
// and its debug output may hold message contents.
type logWriter struct{}

func (*logWriter) Write(p []byte) (int, error) { return len(p), nil }

func quietLog() *log.Logger { return log.New(&logWriter{}, "", 0) }

// Directory keys and lifetimes. A case lives days at most; the records
// outlive it so that late clicks on its card still find it closed.
const (
	keyCard   = "slack:card:"   // case ID -> cardRec
	keyThread = "slack:thread:" // channel:ts -> threadRec
	keyConv   = "slack:conv:"   // address -> the latest card of the conversation
	keySeen   = "slack:seen:"   // event ID -> "1": handled
	recordTTL = 30 * 24 * time.Hour
	seenTTL   = time.Hour
)

// cardRec is where the card of a case is, and what the desk must know of
// the case to answer for it on any replica.
type cardRec struct {
	Channel  string `json:"c"`
	TS       string `json:"ts"`
	Case     string `json:"case"`
	Address  string `json:"addr"`
	Customer string `json:"who,omitempty"`
	Closed   bool   `json:"closed,omitempty"`
}

// threadRec is the case of a thread.
type threadRec struct {
	Case    string `json:"case"`
	Address string `json:"addr"`
}

func (d *Desk) getJSON(ctx context.Context, key string, v any) (bool, error) {
	s, err := d.cfg.Directory.Get(ctx, key)
	if err != nil || s == "" {
		return false, err
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return false, fmt.Errorf("decode %s: %w", key, err)
	}
	return true, nil
}

func (d *Desk) putJSON(ctx context.Context, key string, v any, ttl time.Duration) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return d.cfg.Directory.Put(ctx, key, string(b), ttl)
}

func (d *Desk) card(ctx context.Context, caseID string) (*cardRec, error) {
	var rec cardRec
	ok, err := d.getJSON(ctx, keyCard+caseID, &rec)
	if err != nil || !ok {
		return nil, err
	}
	return &rec, nil
}

func (d *Desk) saveCard(ctx context.Context, rec *cardRec) error {
	if err := d.putJSON(ctx, keyCard+rec.Case, rec, recordTTL); err != nil {
		return err
	}
	if err := d.putJSON(ctx, keyThread+rec.Channel+":"+rec.TS, threadRec{Case: rec.Case, Address: rec.Address}, recordTTL); err != nil {
		return err
	}
	return d.putJSON(ctx, keyConv+rec.Address, rec, recordTTL)
}

// Post tells the agents about a case; see bot.Desk. Every note finds or
// makes the case's card first, so a note seen twice, or a note of a case
// whose card is gone, still lands in one card and its thread.
func (d *Desk) Post(ctx context.Context, n bot.DeskNote) error {
	if n.Kind == bot.DeskRefused {
		return d.refused(ctx, n)
	}
	rec, fresh, err := d.ensureCard(ctx, n)
	if err != nil {
		return err
	}
	c := n.Case
	var line string
	switch n.Kind {
	case bot.DeskOpened:
		if fresh {
			return nil
		}
		// Posted before (the outbox delivers again after a crash): bring
		// the card up to date rather than post a second one.
	case bot.DeskMessage:
		return d.threadMessage(ctx, rec, n)
	case bot.DeskUpdated:
		switch n.Text {
		case "claimed":
			line = fmt.Sprintf(":raising_hand: %s claimed the case.", agentRef(c))
		case "released":
			line = fmt.Sprintf(":leftwards_arrow_with_hook: %s released the case: it is back in the queue.", agentRef(c))
		case "contact":
			line = ":memo: The customer left a contact: " + escapeLine(c.Slots["contact"])
		case "corrected":
			line = ":pencil2: The customer corrected a value of the case; the card shows it."
		}
	case bot.DeskTimedOut:
		line = ":alarm_clock: Nobody claimed the case in time. The customer was asked for a phone number or an e-mail; the case stays open."
	case bot.DeskClosed:
		rec.Closed = true
		switch n.Text {
		case "resolved":
			line = fmt.Sprintf(":white_check_mark: %s resolved the case. The customer is back with the bot.", agentRef(c))
		case "left":
			line = ":leftwards_arrow_with_hook: The customer left the queue and went back to the bot."
		default:
			line = ":white_check_mark: The case is closed."
		}
	}
	if !fresh {
		if err := d.updateCard(ctx, rec, n); err != nil {
			return err
		}
	}
	if rec.Closed {
		if err := d.saveCard(ctx, rec); err != nil {
			return fmt.Errorf("slack: save card of %s: %w", c.ID, err)
		}
	}
	if line == "" {
		return nil
	}
	return d.threadLine(ctx, rec, line)
}

// ensureCard returns the card of n's case, posting it if there is none
// yet; fresh reports that it was just posted, showing n.
func (d *Desk) ensureCard(ctx context.Context, n bot.DeskNote) (rec *cardRec, fresh bool, err error) {
	c := n.Case
	rec, err = d.card(ctx, c.ID)
	if err != nil {
		return nil, false, fmt.Errorf("slack: find card of %s: %w", c.ID, err)
	}
	if rec != nil {
		return rec, false, nil
	}
	channel, err := d.channelOf(c.Team)
	if err != nil {
		return nil, false, err
	}
	blocks, text := renderCard(n)
	ch, ts, err := d.api.PostMessageContext(ctx, channel,
		slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...),
		slack.MsgOptionDisableLinkUnfurl(), slack.MsgOptionDisableMediaUnfurl())
	if err != nil {
		return nil, false, apiErr("post card of "+c.ID, err)
	}
	if ch == "" {
		ch = channel
	}
	rec = &cardRec{Channel: ch, TS: ts, Case: c.ID, Address: c.Address.String(), Customer: customerName(c),
		Closed: n.Kind == bot.DeskClosed}
	if err := d.saveCard(ctx, rec); err != nil {
		// The card is in Slack but not findable: the next note posts
		// another. Better than losing the note.
		return nil, false, fmt.Errorf("slack: save card of %s: %w", c.ID, err)
	}
	d.log.Info("case card posted", "case", c.ID, "team", c.Team, "channel", ch, "ts", ts)
	return rec, true, nil
}

func (d *Desk) channelOf(team string) (string, error) {
	if ch := d.cfg.Channels[team]; ch != "" {
		return ch, nil
	}
	if ch := d.cfg.Channels["default"]; ch != "" {
		return ch, nil
	}
	return "", fmt.Errorf("slack: no channel for team %q: %w", team, bot.ErrUndeliverable)
}

func (d *Desk) updateCard(ctx context.Context, rec *cardRec, n bot.DeskNote) error {
	blocks, text := renderCard(n)
	_, _, _, err := d.api.UpdateMessageContext(ctx, rec.Channel, rec.TS,
		slack.MsgOptionText(text, false), slack.MsgOptionBlocks(blocks...))
	if err != nil {
		return apiErr("update card of "+n.Case.ID, err)
	}
	return nil
}

// threadMessage shows what the customer wrote in the case's thread.
func (d *Desk) threadMessage(ctx context.Context, rec *cardRec, n bot.DeskNote) error {
	var b strings.Builder
	fmt.Fprintf(&b, "*%s:*", escapeLine(customerName(n.Case)))
	if strings.TrimSpace(n.Text) != "" {
		if strings.Contains(n.Text, "\n") {
			b.WriteString("\n")
		} else {
			b.WriteString(" ")
		}
		b.WriteString(escape(n.Text))
	}
	for _, a := range n.Attachments {
		b.WriteString("\n" + attachmentLine(a))
	}
	return d.threadLine(ctx, rec, b.String())
}

func attachmentLine(a bot.Attachment) string {
	kind := a.Kind
	if kind == "" {
		kind = "file"
	}
	line := ":paperclip: " + escapeLine(kind)
	if a.Name != "" {
		line += " `" + strings.ReplaceAll(escapeLine(a.Name), "`", "'") + "`"
	}
	if a.Caption != "" {
		line += ": " + escapeLine(a.Caption)
	}
	return line
}

func (d *Desk) threadLine(ctx context.Context, rec *cardRec, text string) error {
	_, _, err := d.api.PostMessageContext(ctx, rec.Channel,
		slack.MsgOptionText(text, false), slack.MsgOptionTS(rec.TS),
		slack.MsgOptionDisableLinkUnfurl(), slack.MsgOptionDisableMediaUnfurl())
	if err != nil {
		return apiErr("post in thread of "+rec.Case, err)
	}
	return nil
}

// refused tells the agent privately why their action did nothing.
func (d *Desk) refused(ctx context.Context, n bot.DeskNote) error {
	if n.Actor == "" {
		return nil
	}
	c := n.Case
	var rec *cardRec
	var err error
	if c.ID != "" {
		rec, err = d.card(ctx, c.ID)
	} else {
		// A closed conversation: the note knows only its address.
		var r cardRec
		var ok bool
		ok, err = d.getJSON(ctx, keyConv+c.Address.String(), &r)
		if ok {
			rec = &r
		}
	}
	if err != nil {
		return fmt.Errorf("slack: find card for a refusal: %w", err)
	}
	if rec == nil {
		d.log.Warn("refusal without a card", "case", c.ID, "addr", c.Address, "why", n.Text)
		return nil
	}
	var text string
	switch n.Text {
	case "claimed":
		text = fmt.Sprintf("%s has this case already (%s).", agentRef(c), c.ID)
	case "not_yours":
		if c.Agent == "" {
			text = "Claim the case first: only the agent who claimed it can write to the customer. Start a reply with // for an internal note."
		} else {
			text = fmt.Sprintf("This case belongs to %s: your reply was not sent to the customer. Start a reply with // for an internal note.", agentRef(c))
		}
	case "closed":
		text = "This case is closed: nothing was sent to the customer."
	default:
		text = "That did not work: " + escapeLine(n.Text) + "."
	}
	// A refused reply was written in the thread: answer there. A refused
	// click was on the card: answer in the channel.
	return d.ephemeral(ctx, rec, n.Actor, text, n.Text == "not_yours")
}

func (d *Desk) ephemeral(ctx context.Context, rec *cardRec, user, text string, inThread bool) error {
	opts := []slack.MsgOption{slack.MsgOptionText(text, false)}
	if inThread {
		opts = append(opts, slack.MsgOptionTS(rec.TS))
	}
	_, err := d.api.PostEphemeralContext(ctx, rec.Channel, user, opts...)
	if err != nil {
		return apiErr("tell "+user, err)
	}
	return nil
}

// apiErr wraps an error of the Web API. Answers about this one message,
// which no retry can change, wrap bot.ErrUndeliverable. Answers about the
// set-up (a wrong channel, the app not invited, a revoked token) do not:
// the notes wait in the outbox, in their own lane so the customer's
// replies go on, until an operator fixes it, and then every case arrives.
func apiErr(what string, err error) error {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "msg_too_long", "invalid_blocks", "invalid_blocks_format", "no_text", "too_many_attachments",
			"user_not_in_channel", "user_not_found", "message_not_found", "cant_update_message",
			"edit_window_closed":
			return fmt.Errorf("slack: %s: %w: %w", what, bot.ErrUndeliverable, err)
		}
	}
	return fmt.Errorf("slack: %s: %w", what, err)
}

// customerName is how the desk names the customer of c.
func customerName(c bot.Case) string {
	switch s := c.Customer; {
	case s.Name != "" && s.Username != "":
		return s.Name + " (@" + s.Username + ")"
	case s.Name != "":
		return s.Name
	case s.Username != "":
		return "@" + s.Username
	}
	id := c.Address.ChatID
	if len(id) > 12 {
		id = id[:8] + "…" // a web chat visitor's random ID
	}
	return "Customer " + id
}

// agentRef names the agent of c: a mention when the ID is a Slack user's.
func agentRef(c bot.Case) string {
	if userIDRe.MatchString(c.Agent) {
		return "<@" + c.Agent + ">"
	}
	if c.AgentName != "" {
		return escapeLine(c.AgentName)
	}
	return "someone"
}
