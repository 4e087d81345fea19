package slack

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/slack-go/slack"

	"github.com/sportello/sportello/adapters/slack/slackfake"
	"github.com/sportello/sportello/bot"
)

func TestCardShowsTheLeadInTheTeamsChannel(t *testing.T) {
	r := newRig(t, "socket")
	c := lead("C-1")
	r.eng.open(c)
	r.mustPost(t, bot.DeskNote{Kind: bot.DeskOpened, Case: c, Position: 2})

	if n := len(r.slack.Cards(support)); n != 0 {
		t.Fatalf("a sales lead went to the support channel (%d cards)", n)
	}
	cards := r.slack.Cards(sales)
	if len(cards) != 1 {
		t.Fatalf("sales channel has %d cards, want 1", len(cards))
	}
	card := slackfake.BlockText(cards[0])
	for _, want := range []string{
		"Sales lead · C-1", "Anna Rossi (@anna_r)", "Telegram", "it", "buy", "Nuovo contatto commerciale",
		"Cerca: Portatile", "Quantità: 2", "Budget: 800 euro a pezzo", "Contatto: anna@example.it",
		"> vorrei comprare due portatili per l'ufficio", "number 2 in the queue",
	} {
		if !strings.Contains(card, want) {
			t.Errorf("the card does not show %q:\n%s", want, card)
		}
	}
	if got := slackfake.Button(cards[0], actionClaim); got != "C-1|telegram:4242" {
		t.Errorf("Claim button value = %q, want the case and its address", got)
	}
	if slackfake.Button(cards[0], actionResolve) == "" || slackfake.Button(cards[0], actionRelease) != "" {
		t.Errorf("a waiting case shows Claim and Resolve only:\n%s", cards[0].Blocks)
	}
	if !strings.Contains(cards[0].Text, "C-1") {
		t.Errorf("notification text %q does not name the case", cards[0].Text)
	}

	s := c
	s.ID, s.Team, s.TeamName = "C-2", "support", "Assistenza"
	r.mustPost(t, bot.DeskNote{Kind: bot.DeskOpened, Case: s, Position: 1})
	if n := len(r.slack.Cards(support)); n != 1 {
		t.Fatalf("support channel has %d cards, want 1", n)
	}
}

func TestCardIsUpdatedInPlaceAtEveryChange(t *testing.T) {
	r := newRig(t, "socket")
	c := lead("C-1")
	card := r.openCase(t, c)
	// The outbox may deliver a note twice after a crash: still one card.
	r.mustPost(t, bot.DeskNote{Kind: bot.DeskOpened, Case: c, Position: 1})
	if n := len(r.slack.Cards(sales)); n != 1 {
		t.Fatalf("an opened note seen twice made %d cards", n)
	}

	steps := []struct {
		note       bot.DeskNote
		status     string
		buttons    []string
		threadLine string
	}{
		{bot.DeskNote{Kind: bot.DeskTimedOut}, "nobody claimed it in time", []string{actionClaim, actionResolve}, "Nobody claimed the case in time"},
		{bot.DeskNote{Kind: bot.DeskUpdated, Text: "contact"}, "Waiting for an agent", []string{actionClaim, actionResolve}, "left a contact: +39 333 1234567"},
		{bot.DeskNote{Kind: bot.DeskUpdated, Text: "corrected"}, "+39 333 7654321", []string{actionClaim, actionResolve}, "corrected a value of the case"},
		{bot.DeskNote{Kind: bot.DeskUpdated, Text: "claimed"}, "Claimed by <@U1MARCO>", []string{actionRelease, actionResolve}, "<@U1MARCO> claimed the case"},
		{bot.DeskNote{Kind: bot.DeskUpdated, Text: "released"}, "Waiting for an agent", []string{actionClaim, actionResolve}, "released the case"},
		{bot.DeskNote{Kind: bot.DeskUpdated, Text: "claimed"}, "Claimed by <@U1MARCO>", []string{actionRelease, actionResolve}, "claimed the case"},
		{bot.DeskNote{Kind: bot.DeskClosed, Text: "resolved"}, "Resolved by <@U1MARCO>", nil, "resolved the case"},
	}
	c.Slots = map[string]string{"contact": "+39 333 1234567"}
	for i, st := range steps {
		if st.note.Text == "claimed" {
			c.Agent, c.AgentName = "U1MARCO", "Marco"
		}
		if st.note.Text == "corrected" {
			c.Slots = map[string]string{"contact": "+39 333 7654321"}
		}
		if st.note.Text == "released" {
			c.Agent, c.AgentName = "", ""
		}
		n := st.note
		n.Case = c
		r.mustPost(t, n)
		now := r.card(t, card)
		if now.Edits != i+2 { // +1: the repeated opened note
			t.Errorf("after %s %s: %d edits of the card, want %d", n.Kind, n.Text, now.Edits, i+2)
		}
		text := slackfake.BlockText(now)
		if !strings.Contains(text, st.status) {
			t.Errorf("after %s %s the card says:\n%s\nwant %q", n.Kind, n.Text, text, st.status)
		}
		for _, b := range []string{actionClaim, actionRelease, actionResolve} {
			want := strings.Contains(strings.Join(st.buttons, " "), b)
			if got := slackfake.Button(now, b) != ""; got != want {
				t.Errorf("after %s %s: button %s shown %v, want %v", n.Kind, n.Text, b, got, want)
			}
		}
		thread := r.slack.Thread(sales, card.TS)
		if len(thread) == 0 || !strings.Contains(thread[len(thread)-1].Text, st.threadLine) {
			t.Errorf("after %s %s the thread ends with %+v, want %q", n.Kind, n.Text, thread, st.threadLine)
		}
	}
	if rec, _ := r.desk.card(context.Background(), "C-1"); rec == nil || !rec.Closed {
		t.Errorf("the card record is %+v, want closed", rec)
	}
}

func TestClosedHoursCardSaysSo(t *testing.T) {
	r := newRig(t, "socket")
	r.mustPost(t, bot.DeskNote{Kind: bot.DeskOpened, Case: lead("C-1"), Text: "closed"})
	if text := slackfake.BlockText(r.slack.Cards(sales)[0]); !strings.Contains(text, "while the team is closed") {
		t.Fatalf("a case opened while closed reads:\n%s", text)
	}
}

// Injections a customer might try in what they write or call themselves.
var injections = []struct{ name, text, mustNot string }{
	{"channel broadcast", "help <!channel> now", "<!channel>"},
	{"here broadcast", "ping <!here|here>", "<!here"},
	{"bare @here", "hey @here and @channel and @everyone", "@here"},
	{"user mention", "ask <@U123> please", "<@U123>"},
	{"disguised link", "<http://evil.example|click here for your refund>", "<http://evil"},
	{"markdown link", "[your order](http://evil.example)", "](http"},
	{"escaped entity", "&lt;!channel&gt;", "&lt;!channel&gt;"},
}

func TestCustomerTextCannotPingMentionOrLink(t *testing.T) {
	r := newRig(t, "socket")
	c := lead("C-1")
	card := r.openCase(t, c)
	for _, tc := range injections {
		t.Run(tc.name, func(t *testing.T) {
			r.mustPost(t, bot.DeskNote{Kind: bot.DeskMessage, Case: c, Text: tc.text + " *bold* _it_"})
			thread := r.slack.Thread(sales, card.TS)
			got := thread[len(thread)-1].Text
			if strings.Contains(got, tc.mustNot) {
				t.Errorf("customer text %q reached Slack as %q", tc.text, got)
			}
			if plain(got) == got && strings.ContainsAny(tc.text, "<>&") {
				t.Errorf("nothing was escaped in %q", got)
			}
		})
	}
	// Shown literally: what Slack renders is what the customer wrote.
	r.mustPost(t, bot.DeskNote{Kind: bot.DeskMessage, Case: c, Text: "a <b> & c"})
	thread := r.slack.Thread(sales, card.TS)
	if got := thread[len(thread)-1].Text; got != "*Anna Rossi (@anna_r):* a &lt;b&gt; &amp; c" {
		t.Errorf("thread reply = %q", got)
	}
}

func TestCardCannotBeInjectedThroughNamesSlotsOrMessages(t *testing.T) {
	r := newRig(t, "socket")
	c := lead("C-1")
	c.Customer = bot.Sender{Name: "<!channel> Boss", Username: "x<@U123>"}
	c.Summary = []string{"Modello: <http://evil.example|MacBook>", "Cliente: @here"}
	c.Last = []string{"<!everyone> *urgent*"}
	c.Slots = map[string]string{"contact": "<@U999>"}
	r.mustPost(t, bot.DeskNote{Kind: bot.DeskOpened, Case: c, Position: 1})
	card := r.slack.Cards(sales)[0]
	raw := string(card.Blocks) + card.Text
	for _, bad := range []string{"<!channel>", "<@U123>", "<http://evil", "<!everyone>", "<@U999>", "@here"} {
		if strings.Contains(raw, bad) {
			t.Errorf("the card carries %q:\n%s", bad, raw)
		}
	}
}

func TestAttachmentsAreListedInTheThread(t *testing.T) {
	r := newRig(t, "socket")
	c := lead("C-1")
	card := r.openCase(t, c)
	r.mustPost(t, bot.DeskNote{Kind: bot.DeskMessage, Case: c, Text: "ecco lo scontrino", Attachments: []bot.Attachment{
		{Kind: "photo", FileID: "AgAD", Name: "scontrino.jpg", Caption: "acquisto di marzo <@U1>"},
		{Kind: "document", Name: "fattura.pdf"},
	}})
	thread := r.slack.Thread(sales, card.TS)
	got := thread[len(thread)-1].Text
	for _, want := range []string{"ecco lo scontrino", "photo `scontrino.jpg`: acquisto di marzo &lt;@U1&gt;", "document `fattura.pdf`"} {
		if !strings.Contains(got, want) {
			t.Errorf("thread reply %q lacks %q", got, want)
		}
	}
}

func TestPlainUndoesSlackFormatting(t *testing.T) {
	for in, want := range map[string]string{
		"Ciao, ecco <https://shop.example/offerta|l'offerta>":   "Ciao, ecco l'offerta (https://shop.example/offerta)",
		"vedi <https://shop.example>":                           "vedi https://shop.example",
		"scrivi a <mailto:info@shop.example|info@shop.example>": "scrivi a info@shop.example",
		"3 &lt; 4 &amp;&amp; 5 &gt; 4":                          "3 < 4 && 5 > 4",
		"chiedo a <@U1MARCO|marco>":                             "chiedo a @marco",
		"<!here>":                                               "@here",
		"nel canale <#C0SALES|vendite>":                         "nel canale #vendite",
	} {
		if got := plain(in); got != want {
			t.Errorf("plain(%q) = %q, want %q", in, got, want)
		}
	}
}

// fakeAPI is a slackAPI that fails as told.
type fakeAPI struct {
	mu    sync.Mutex
	err   error
	users map[string]int // users.info calls
}

func (f *fakeAPI) PostMessageContext(ctx context.Context, ch string, o ...slack.MsgOption) (string, string, error) {
	return "", "", f.err
}
func (f *fakeAPI) UpdateMessageContext(ctx context.Context, ch, ts string, o ...slack.MsgOption) (string, string, string, error) {
	return "", "", "", f.err
}
func (f *fakeAPI) PostEphemeralContext(ctx context.Context, ch, user string, o ...slack.MsgOption) (string, error) {
	return "", f.err
}
func (f *fakeAPI) GetUserInfoContext(ctx context.Context, user string, o ...slack.GetUserInfoOption) (*slack.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.users == nil {
		f.users = map[string]int{}
	}
	f.users[user]++
	if f.err != nil {
		return nil, f.err
	}
	return &slack.User{ID: user, Name: "marco.r", Profile: slack.UserProfile{RealName: "Marco Rossi", DisplayName: "Marco"}}, nil
}
func (f *fakeAPI) AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error) {
	return &slack.AuthTestResponse{UserID: "U0BOT"}, f.err
}

// TestErrorsSlackWillNotChangeAreUndeliverable: an answer about the one
// message is final; an answer about the set-up (a wrong channel, the app
// not invited, a bad token) is retried, so that the cases arrive once an
// operator fixes it.
func TestErrorsSlackWillNotChangeAreUndeliverable(t *testing.T) {
	for _, tc := range []struct {
		err         error
		undelivered bool
	}{
		{slack.SlackErrorResponse{Err: "msg_too_long"}, true},
		{slack.SlackErrorResponse{Err: "message_not_found"}, true},
		{slack.SlackErrorResponse{Err: "channel_not_found"}, false},
		{slack.SlackErrorResponse{Err: "not_in_channel"}, false},
		{slack.SlackErrorResponse{Err: "invalid_auth"}, false},
		{&slack.RateLimitedError{}, false},
		{slack.SlackErrorResponse{Err: "internal_error"}, false},
		{errors.New("connection refused"), false},
	} {
		api := &fakeAPI{err: tc.err}
		d := newDesk(Config{Channels: map[string]string{"sales": sales}, Directory: &dir{}}, api)
		err := d.Post(context.Background(), bot.DeskNote{Kind: bot.DeskOpened, Case: lead("C-1")})
		if err == nil || errors.Is(err, bot.ErrUndeliverable) != tc.undelivered {
			t.Errorf("Post with Slack answering %v: err %v, want undeliverable %v", tc.err, err, tc.undelivered)
		}
	}
	d := newDesk(Config{Channels: map[string]string{"sales": sales}, Directory: &dir{}}, &fakeAPI{})
	c := lead("C-1")
	c.Team = "marketing"
	if err := d.Post(context.Background(), bot.DeskNote{Kind: bot.DeskOpened, Case: c}); !errors.Is(err, bot.ErrUndeliverable) {
		t.Errorf("a case of a team without a channel: %v, want undeliverable", err)
	}
}

func TestAgentNamesComeFromSlackOnce(t *testing.T) {
	api := &fakeAPI{}
	d := newDesk(Config{Directory: &dir{}}, api)
	for range 3 {
		if got := d.name(context.Background(), "U1"); got != "Marco" {
			t.Fatalf("name = %q, want the display name", got)
		}
	}
	if api.users["U1"] != 1 {
		t.Errorf("users.info called %d times for one agent, want 1", api.users["U1"])
	}
	api.err = errors.New("down")
	if got := d.name(context.Background(), "U2"); got != "U2" {
		t.Errorf("name without Slack = %q, want the ID", got)
	}
}

func TestConfigErrorsNameTheVariable(t *testing.T) {
	ok := Config{BotToken: "xoxb-1", AppToken: "xapp-1", Channels: map[string]string{"sales": "C1"}, Handler: &engine{}, Directory: &dir{}}
	for _, tc := range []struct {
		change func(*Config)
		want   string
	}{
		{func(c *Config) { c.BotToken = "" }, "SLACK_BOT_TOKEN"},
		{func(c *Config) { c.BotToken = "xoxp-1" }, "SLACK_BOT_TOKEN"},
		{func(c *Config) { c.AppToken = "" }, "SLACK_SIGNING_SECRET"},
		{func(c *Config) { c.AppToken = "xoxb-2" }, "SLACK_APP_TOKEN"},
		{func(c *Config) { c.Channels = map[string]string{"sales": ""} }, "team sales"},
	} {
		cfg := ok
		tc.change(&cfg)
		if _, err := NewDesk(cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewDesk: %v, want an error naming %s", err, tc.want)
		}
	}
	if _, err := NewDesk(ok); err != nil {
		t.Errorf("NewDesk(%+v): %v", ok, err)
	}
}
