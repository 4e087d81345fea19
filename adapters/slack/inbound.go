package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/slack-go/slack"

	"github.com/sportello/sportello/bot"
)

// handleTimeout bounds the work on one inbound event, after its ack.
const handleTimeout = 30 * time.Second

// serial runs jobs of one key one at a time, in the order they were
// given, and jobs of different keys at once. Inbound events are keyed by
// their case thread, so an agent's replies reach the customer in order.
type serial struct {
	mu    sync.Mutex
	tails map[string]chan struct{}
}

func (s *serial) do(key string, job func()) {
	s.mu.Lock()
	if s.tails == nil {
		s.tails = make(map[string]chan struct{})
	}
	prev := s.tails[key]
	mine := make(chan struct{})
	s.tails[key] = mine
	s.mu.Unlock()
	go func() {
		defer func() {
			s.mu.Lock()
			if s.tails[key] == mine {
				delete(s.tails, key)
			}
			s.mu.Unlock()
			close(mine)
		}()
		if prev != nil {
			<-prev
		}
		job()
	}()
}

// dispatch handles an acknowledged event in the background: the request
// that brought it has ended or will in a moment, so the work gets a
// context of its own, which ctx's cancellation does not end.
func (d *Desk) dispatch(ctx context.Context, key string, job func(ctx context.Context)) {
	d.work.add()
	ctx = context.WithoutCancel(ctx)
	d.serial.do(key, func() {
		defer d.work.done()
		ctx, cancel := context.WithTimeout(ctx, handleTimeout)
		defer cancel()
		job(ctx)
	})
}

// wait waits for the inbound work in flight.
func (d *Desk) wait() { d.work.wait() }

// inflight counts jobs in flight. Unlike a sync.WaitGroup it may gain
// jobs while someone waits: HTTP requests keep coming during shutdown.
type inflight struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed when n drops to 0
}

func (f *inflight) add() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == 0 {
		f.idle = make(chan struct{})
	}
	f.n++
}

func (f *inflight) done() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n--; f.n == 0 {
		close(f.idle)
	}
}

func (f *inflight) wait() {
	f.mu.Lock()
	idle, n := f.idle, f.n
	f.mu.Unlock()
	if n > 0 {
		<-idle
	}
}

// seen reports whether event id was handled already, on any replica.
// The engine de-duplicates the actions it commits by their message ID;
// this catches the rest (clicks on closed cases, events it never sees)
// and spares the API calls of a retried event.
func (d *Desk) seen(ctx context.Context, id string) bool {
	v, err := d.cfg.Directory.Get(ctx, keySeen+id)
	if err != nil {
		d.log.Warn("de-duplication unavailable", "event", id, "err", err)
		return false
	}
	return v != ""
}

func (d *Desk) markSeen(ctx context.Context, id string) {
	if err := d.cfg.Directory.Put(ctx, keySeen+id, "1", seenTTL); err != nil {
		d.log.Warn("event not marked as handled", "event", id, "err", err)
	}
}

// eventCallback is the envelope of an Events API event, the same over
// HTTP and Socket Mode, with the one inner event the desk listens to.
type eventCallback struct {
	Type      string `json:"type"`
	Challenge string `json:"challenge"`
	EventID   string `json:"event_id"`
	Event     struct {
		Type     string `json:"type"`
		Subtype  string `json:"subtype"`
		User     string `json:"user"`
		BotID    string `json:"bot_id"`
		Text     string `json:"text"`
		Channel  string `json:"channel"`
		TS       string `json:"ts"`
		ThreadTS string `json:"thread_ts"`
	} `json:"event"`
}

// event takes an event callback in: a reply in a case thread becomes
// the agent's reply or note.
func (d *Desk) event(ctx context.Context, payload []byte) error {
	var cb eventCallback
	if err := json.Unmarshal(payload, &cb); err != nil {
		return fmt.Errorf("slack: decode event: %w", err)
	}
	ev := cb.Event
	if cb.Type != "event_callback" || ev.Type != "message" || cb.EventID == "" {
		return nil
	}
	switch {
	case ev.Subtype != "" && ev.Subtype != "thread_broadcast":
		return nil // edits, deletions, joins, bot messages
	case ev.BotID != "" || ev.User == "" || ev.User == d.botUser.Load().(string):
		return nil // the desk's own posts, other bots
	case ev.ThreadTS == "" || ev.ThreadTS == ev.TS:
		return nil // not a reply in a thread
	}
	text := strings.TrimSpace(ev.Text)
	if text == "" {
		return nil
	}
	d.dispatch(ctx, ev.Channel+":"+ev.ThreadTS, func(ctx context.Context) {
		if d.seen(ctx, cb.EventID) {
			return
		}
		thread := &cardRec{Channel: ev.Channel, TS: ev.ThreadTS}
		var th threadRec
		ok, err := d.getJSON(ctx, keyThread+ev.Channel+":"+ev.ThreadTS, &th)
		if err != nil {
			// Slack has its acknowledgement and will not send it again:
			// the agent must know to, rather than believe it was sent.
			d.log.Error("thread lookup failed; reply lost", "event", cb.EventID, "err", err)
			if err := d.ephemeral(ctx, thread, ev.User, notThrough, true); err != nil {
				d.log.Warn("hint not delivered", "event", cb.EventID, "err", err)
			}
			return
		}
		if !ok {
			return // a thread that is not a case's
		}
		action, body := "reply", plain(text)
		if note, ok := strings.CutPrefix(text, "//"); ok {
			action, body = "note", strings.TrimSpace(plain(note))
		}
		d.act(ctx, "slack:"+cb.EventID, th.Case, th.Address, ev.User, action, body, thread, nil)
	})
	return nil
}

// interaction takes a click on a card's button in.
func (d *Desk) interaction(ctx context.Context, cb slack.InteractionCallback) {
	if cb.Type != slack.InteractionTypeBlockActions {
		return
	}
	for _, a := range cb.ActionCallback.BlockActions {
		action, ok := actions[a.ActionID]
		if !ok {
			continue
		}
		caseID, addr, err := parseButtonValue(a.Value)
		if err != nil {
			d.log.Warn("click on an unknown button", "err", err)
			continue
		}
		ts := a.ActionTs
		if ts == "" {
			ts = cb.ActionTs
		}
		id := "slack:action:" + cb.User.ID + ":" + ts
		if ts == "" {
			id = "slack:trigger:" + cb.TriggerID
		}
		from := &origin{team: cb.Team.ID, channel: cb.Channel.ID, ts: cb.Container.MessageTs}
		if from.channel == "" {
			from.channel = cb.Container.ChannelID
		}
		key := from.channel + ":" + from.ts
		if from.ts == "" {
			key = addr.String()
		}
		d.dispatch(ctx, key, func(ctx context.Context) {
			if d.seen(ctx, id) {
				return
			}
			d.act(ctx, id, caseID, addr.String(), cb.User.ID, action, "", nil, from)
		})
	}
}

// origin is where a click says it was made: the workspace, the channel
// and the message its button was on.
type origin struct {
	team, channel, ts string
}

// foreign says why a click from o cannot be on rec, the card of the case
// its button names, or "" when it can. A signed request proves only that
// Slack sent it: the button's value is the clicker's to choose (any app
// in the workspace can post buttons with made-up values, and a forwarded
// or copied card carries its values elsewhere), so what it names is
// checked against where the card really is.
func (d *Desk) foreign(rec *cardRec, address string, o origin) string {
	switch team := d.team.Load().(string); {
	case rec == nil:
		return "no card for the case"
	case team != "" && o.team != "" && o.team != team:
		return "another workspace"
	case o.channel != rec.Channel:
		return "not the card's channel"
	case o.ts != rec.TS:
		return "not on the card"
	case address != rec.Address:
		return "not the card's conversation"
	}
	return ""
}

// cardGrace is how long a click waits for the record of its card: Slack
// shows a card as soon as it is posted, a moment before the desk has
// saved where it is.
const cardGrace = time.Second

var errNoCardYet = errors.New("no card yet")

// freshCard looks for the card of caseID for up to cardGrace; nil when
// there is none by then.
func (d *Desk) freshCard(ctx context.Context, caseID string) (*cardRec, error) {
	rec, err := backoff.Retry(ctx, func() (*cardRec, error) {
		rec, err := d.card(ctx, caseID)
		switch {
		case err != nil:
			return nil, backoff.Permanent(err)
		case rec == nil:
			return nil, errNoCardYet
		}
		return rec, nil
	}, backoff.WithBackOff(&backoff.ExponentialBackOff{InitialInterval: 20 * time.Millisecond, RandomizationFactor: 0.2,
		Multiplier: 2, MaxInterval: 200 * time.Millisecond}), backoff.WithMaxElapsedTime(cardGrace))
	if errors.Is(err, errNoCardYet) {
		return nil, nil
	}
	return rec, err
}

// act hands an agent's action on a case to the engine: a reply or a note
// written in thread, the case's thread, or a click (from) on a button,
// honoured only from the card of its case. The event is acknowledged
// already, so an action that cannot be carried out is told to the agent
// where it was made rather than lost in silence.
func (d *Desk) act(ctx context.Context, id, caseID, address, user, action, text string, thread *cardRec, from *origin) {
	log := d.log.With("event", id, "case", caseID, "agent", user, "action", action)
	inThread := thread != nil
	spot := thread // where the agent is told
	if from != nil {
		spot = &cardRec{Channel: from.channel, TS: from.ts}
	}
	lost := func(what string, err error) {
		log.Error(what, "err", err)
		if err := d.ephemeral(ctx, spot, user, notThrough, inThread); err != nil {
			log.Warn("hint not delivered", "err", err)
		}
	}
	addr, err := bot.ParseAddress(address)
	if err != nil {
		log.Error("case with a bad address", "err", err)
		return
	}
	rec, err := d.card(ctx, caseID)
	if err != nil {
		lost("card lookup failed; action lost", err)
		return
	}
	if from != nil && rec == nil {
		rec, err = d.freshCard(ctx, caseID)
		if err != nil {
			lost("card lookup failed; action lost", err)
			return
		}
	}
	if from != nil {
		if why := d.foreign(rec, address, *from); why != "" {
			// Nothing is said in the channel it came from: a forger
			// learns nothing, and no one is sent a message on its word.
			log.Warn("click refused", "why", why, "channel", from.channel, "team", from.team)
			d.markSeen(ctx, id)
			return
		}
	}
	if rec != nil && rec.Closed {
		// A late click or reply on a case that is over must not touch
		// the customer's next case.
		if err := d.ephemeral(ctx, rec, user, fmt.Sprintf("Case %s is closed: nothing was sent to the customer.", caseID), inThread); err != nil {
			log.Warn("hint not delivered", "err", err)
		}
		d.markSeen(ctx, id)
		return
	}
	m := bot.Message{
		ID: id, Kind: bot.KindAgent, Address: addr, Time: d.cfg.Now(),
		Agent: &bot.AgentAction{Action: action, ID: user, Name: d.name(ctx, user), Text: text, Case: caseID},
	}
	// The event is acknowledged already: try a few times before giving up
	// (the engine fails only while its store is unreachable).
	retry := &backoff.ExponentialBackOff{InitialInterval: 200 * time.Millisecond, RandomizationFactor: 0.2,
		Multiplier: 4, MaxInterval: 5 * time.Second}
	_, err = backoff.Retry(ctx, func() (struct{}, error) {
		return struct{}{}, d.cfg.Handler.Handle(ctx, m)
	}, backoff.WithBackOff(retry), backoff.WithMaxTries(3), backoff.WithMaxElapsedTime(0))
	if err == nil {
		d.markSeen(ctx, id)
		return
	}
	if rec != nil {
		spot = rec
	}
	lost("agent action lost", err)
}

// notThrough tells an agent that an acknowledged reply or click was lost.
const notThrough = "Sorry, that did not go through. Please try again."

// nameCache remembers agents' display names for an hour.
type nameCache struct {
	mu    sync.Mutex
	names map[string]cachedName
}

type cachedName struct {
	name    string
	expires time.Time
}

const nameTTL = time.Hour

// name returns the name user shows to customers: the Slack display name,
// else the real name; the ID if Slack does not answer.
func (d *Desk) name(ctx context.Context, user string) string {
	c := &d.names
	c.mu.Lock()
	n, ok := c.names[user]
	c.mu.Unlock()
	if ok && time.Now().Before(n.expires) {
		return n.name
	}
	u, err := d.api.GetUserInfoContext(ctx, user)
	if err != nil {
		d.log.Warn("users.info failed", "user", user, "err", err)
		return user
	}
	name := firstNonEmpty(u.Profile.DisplayName, u.Profile.RealName, u.RealName, u.Name, user)
	c.mu.Lock()
	if c.names == nil {
		c.names = make(map[string]cachedName)
	}
	c.names[user] = cachedName{name: name, expires: time.Now().Add(nameTTL)}
	c.mu.Unlock()
	return name
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// commandResponse is the private answer to a slash command.
type commandResponse struct {
	ResponseType string `json:"response_type"`
	Text         string `json:"text"`
}

// command answers /sportello queue and /sportello stats.
func (d *Desk) command(ctx context.Context, cmd slack.SlashCommand) commandResponse {
	var text string
	switch strings.ToLower(strings.TrimSpace(cmd.Text)) {
	case "queue", "q":
		// Slack signs a command from any channel, typed by any member of
		// the workspace: the cases (customers' names) are listed only in
		// the teams' channels, where agents work; elsewhere they are
		// counted.
		text = d.queueText(ctx, slices.Contains(slices.Collect(maps.Values(d.cfg.Channels)), cmd.ChannelID))
	case "stats":
		text = d.statsText()
	default:
		name := cmd.Command
		if name == "" {
			name = "/sportello"
		}
		text = fmt.Sprintf("`%[1]s queue`: the cases waiting for each team, oldest first.\n`%[1]s stats`: the bot's counters since it started.", name)
	}
	return commandResponse{ResponseType: "ephemeral", Text: text}
}

// queueShown is how many of a team's oldest cases /sportello queue lists.
const queueShown = 20

// queueText counts the cases waiting for each team and, with list, names
// the oldest.
func (d *Desk) queueText(ctx context.Context, list bool) string {
	if d.cfg.Queues == nil {
		return "The queues are not available on this server."
	}
	now := d.cfg.Now()
	var b strings.Builder
	for _, team := range slices.Sorted(maps.Keys(d.cfg.Channels)) {
		// The count and the oldest cases: a queue left to grow over a
		// weekend is never read whole.
		n, err := d.cfg.Queues.Len(ctx, team)
		var waiting []bot.QueueOp
		if err == nil && list {
			waiting, err = d.cfg.Queues.Oldest(ctx, team, queueShown)
		}
		if err != nil {
			d.log.Warn("queue unavailable", "team", team, "err", err)
			fmt.Fprintf(&b, "*%s*: unavailable right now\n", escapeLine(team))
			continue
		}
		n = max(n, len(waiting)) // a case may join between the two reads
		fmt.Fprintf(&b, "*%s* (<#%s>): %s\n", escapeLine(team), d.cfg.Channels[team], countCases(n))
		for _, w := range waiting {
			label := w.Case
			who := w.Address.String()
			if rec, err := d.card(ctx, w.Case); err == nil && rec != nil {
				if link := d.cardLink(rec); link != "" {
					label = "<" + link + "|" + w.Case + ">"
				}
				if rec.Customer != "" {
					who = rec.Customer
				}
			}
			fmt.Fprintf(&b, "• %s %s, waiting %s\n", label, escapeLine(who), age(now.Sub(w.Since)))
		}
		if n > len(waiting) && len(waiting) == queueShown {
			fmt.Fprintf(&b, "• … and %d more\n", n-len(waiting))
		}
	}
	if !list {
		b.WriteString("The cases are listed in the teams' channels.")
	}
	return strings.TrimSpace(b.String())
}

func countCases(n int) string {
	switch n {
	case 0:
		return "nobody waiting"
	case 1:
		return "1 case waiting"
	}
	return fmt.Sprintf("%d cases waiting", n)
}

// age writes a waiting time the way people say it.
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh %02dmin", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// cardLink is the URL of a card in the workspace, when auth.test told it.
func (d *Desk) cardLink(rec *cardRec) string {
	ws := d.workspace.Load().(string)
	if ws == "" {
		return ""
	}
	return strings.TrimSuffix(ws, "/") + "/archives/" + rec.Channel + "/p" + strings.ReplaceAll(rec.TS, ".", "")
}

func (d *Desk) statsText() string {
	if d.cfg.Stats == nil {
		return "The counters are not available on this server."
	}
	s := d.cfg.Stats()
	return fmt.Sprintf("*Since the bot started*\n"+
		"• Messages handled: %d (duplicates skipped: %d)\n"+
		"• Replies and notes delivered: %d (redelivered: %d)\n"+
		"• Delivery failures, retried: %d; undeliverable: %d\n"+
		"• Errors answered with an apology: %d; messages not committed: %d\n"+
		"• Concurrent updates retried: %d",
		s.Handled, s.Duplicates, s.Delivered, s.Redelivered, s.DeliveryFailures, s.Undeliverable,
		s.Errors, s.Failed, s.Conflicts)
}
