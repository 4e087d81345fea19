package memory_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/redact"
	"github.com/sportello/sportello/bot/report"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// script writes the events of one conversation, a second apart.
type script struct {
	addr bot.Address
	at   time.Time
	lang string
	evs  []bot.Event
}

func newScript(chat string, at time.Time, lang string) *script {
	return &script{addr: bot.Address{Channel: "telegram", ChatID: chat}, at: at, lang: lang}
}

func (s *script) add(e bot.Event) *script {
	e.ID = fmt.Sprintf("%s|m%d|0", s.addr, len(s.evs))
	e.Address, e.Time, e.Language = s.addr, s.at, s.lang
	s.at = s.at.Add(time.Second)
	s.evs = append(s.evs, e)
	return s
}

func (s *script) say(typ bot.EventType, text string) *script {
	return s.add(bot.Event{Type: typ, Text: text})
}

func (s *script) wait(d time.Duration) *script { s.at = s.at.Add(d); return s }

// conversations returns four conversations, one of each outcome.
func conversations() map[report.Outcome]*script {
	solved := newScript("1", t0, "it").
		say(bot.EventCustomer, "Quanto dura la garanzia del frullatore?").
		add(bot.Event{Type: bot.EventIntent, Intent: "warranty", Confidence: 0.91}).
		add(bot.Event{Type: bot.EventFlowStarted, Flow: "warranty"}).
		say(bot.EventBot, "La garanzia legale è di 24 mesi.").
		add(bot.Event{Type: bot.EventFlowEnded, Flow: "warranty"})
	sales := newScript("2", t0.Add(time.Hour), "en").
		say(bot.EventCustomer, "I want to buy ten espresso machines for my bar").
		add(bot.Event{Type: bot.EventIntent, Intent: "buy", Confidence: 0.8}).
		add(bot.Event{Type: bot.EventHandoff, Team: "sales", Case: "c2"}).
		say(bot.EventBot, "A salesperson will answer here.").
		wait(90*time.Second).
		add(bot.Event{Type: bot.EventClaimed, Team: "sales", Case: "c2", Agent: "Giulia"}).
		wait(30*time.Second).
		add(bot.Event{Type: bot.EventAgent, Text: "Hello, which model?", Agent: "Giulia"}).
		say(bot.EventCustomer, "The Duo 2").
		add(bot.Event{Type: bot.EventResolved, Team: "sales", Case: "c2", Agent: "Giulia"}).
		add(bot.Event{Type: bot.EventCSAT, Score: 5})
	support := newScript("3", t0.Add(2*time.Hour), "it").
		say(bot.EventCustomer, "Il tostapane è rotto, voglio parlare con una persona").
		add(bot.Event{Type: bot.EventIntent, Intent: "human", Confidence: 0.95}).
		add(bot.Event{Type: bot.EventHandoff, Team: "support", Case: "c3"}).
		// Nobody claims before the night: the case stays open, and the
		// conversation with it.
		wait(14 * time.Hour).
		add(bot.Event{Type: bot.EventClaimed, Team: "support", Case: "c3", Agent: "Marco"}).
		add(bot.Event{Type: bot.EventAgent, Text: "Buongiorno, mi manda una foto?", Agent: "Marco"})
	abandoned := newScript("4", t0.Add(3*time.Hour), "en").
		say(bot.EventCustomer, "<script>alert(1)</script> blorp").
		add(bot.Event{Type: bot.EventFallback, Text: "not understood"}).
		say(bot.EventBot, "Sorry, I did not understand.")
	return map[report.Outcome]*script{report.OutcomeBot: solved, report.OutcomeSales: sales,
		report.OutcomeSupport: support, report.OutcomeAbandoned: abandoned}
}

func allEvents(m map[report.Outcome]*script) []bot.Event {
	var evs []bot.Event
	for _, s := range m {
		evs = append(evs, s.evs...)
	}
	return evs
}

func mustList(t *testing.T, a report.Archive, f report.Filter) []report.Conversation {
	t.Helper()
	l, n, err := a.List(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if n < len(l) {
		t.Fatalf("List total %d < %d listed", n, len(l))
	}
	return l
}

func TestArchiveSummarisesOutcomes(t *testing.T) {
	ctx := context.Background()
	a := memory.NewArchive()
	convs := conversations()
	if err := a.Append(ctx, allEvents(convs)...); err != nil {
		t.Fatal(err)
	}
	for outcome, s := range convs {
		c, evs, err := a.Transcript(ctx, s.addr.String())
		if err != nil {
			t.Fatalf("%s: %v", outcome, err)
		}
		if c.Outcome != outcome || len(evs) != len(s.evs) {
			t.Errorf("%s: outcome %q with %d events, want %q with %d", s.addr, c.Outcome, len(evs), outcome, len(s.evs))
		}
	}
	sales, _, _ := a.Transcript(ctx, "telegram:2")
	want := report.Conversation{ID: sales.ID, Address: sales.Address, Started: t0.Add(time.Hour), Last: sales.Last,
		Language: "en", Team: "sales", Outcome: report.OutcomeSales, Intents: []string{"buy"}, CSAT: 5, Agent: "Giulia",
		Preview: "I want to buy ten espresso machines for my bar", Messages: 4, CustomerMessages: 2, BotMessages: 1,
		AgentMessages: 1, TimeToClaim: 92 * time.Second, TimeToFirstReply: 123 * time.Second}
	if fmt.Sprint(*sales) != fmt.Sprint(want) {
		t.Errorf("sales summary\n got %+v\nwant %+v", *sales, want)
	}
	if _, _, err := a.Transcript(ctx, "telegram:99"); !errors.Is(err, report.ErrNoConversation) {
		t.Errorf("unknown address: %v, want ErrNoConversation", err)
	}
}

func TestArchiveStoresEachEventOnce(t *testing.T) {
	ctx := context.Background()
	a := memory.NewArchive()
	evs := allEvents(conversations())
	for range 2 {
		if err := a.Append(ctx, evs...); err != nil {
			t.Fatal(err)
		}
	}
	// Out of order, one at a time, as a redelivery would bring them.
	for _, e := range slices.Backward(evs) {
		if err := a.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	l := mustList(t, a, report.Filter{})
	if len(l) != 4 {
		t.Fatalf("%d conversations, want 4", len(l))
	}
	_, got, _ := a.Transcript(ctx, "telegram:2")
	if len(got) != 9 {
		t.Errorf("%d events, want 9", len(got))
	}
}

func TestArchiveSplitsConversationsAfterSilence(t *testing.T) {
	ctx := context.Background()
	a := memory.NewArchive()
	s := newScript("5", t0, "en").say(bot.EventCustomer, "hi").say(bot.EventBot, "hello").
		wait(report.ConversationGap+time.Minute).say(bot.EventCustomer, "me again").say(bot.EventBot, "hello again")
	if err := a.Append(ctx, s.evs...); err != nil {
		t.Fatal(err)
	}
	l := mustList(t, a, report.Filter{Address: s.addr})
	if len(l) != 2 || l[0].Preview != "me again" || l[1].Preview != "hi" {
		t.Fatalf("conversations %+v, want two, latest first", l)
	}
	c, _, _ := a.Transcript(ctx, s.addr.String())
	if c.ID != l[0].ID {
		t.Errorf("Transcript(address) = %s, want the latest %s", c.ID, l[0].ID)
	}
	if c2, _, _ := a.Transcript(ctx, l[1].ID); c2 == nil || c2.Preview != "hi" {
		t.Errorf("Transcript(id) = %+v", c2)
	}
}

func TestArchiveFilters(t *testing.T) {
	ctx := context.Background()
	a := memory.NewArchive()
	if err := a.Append(ctx, allEvents(conversations())...); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		f    report.Filter
		want []string // chat IDs, latest first
	}{
		{"all", report.Filter{}, []string{"3", "4", "2", "1"}},
		{"team", report.Filter{Team: "sales"}, []string{"2"}},
		{"outcome", report.Filter{Outcome: report.OutcomeAbandoned}, []string{"4"}},
		{"language", report.Filter{Language: "it"}, []string{"3", "1"}},
		{"intent", report.Filter{Intent: "warranty"}, []string{"1"}},
		{"csat", report.Filter{CSAT: 5}, []string{"2"}},
		{"no csat", report.Filter{CSAT: -1}, []string{"3", "4", "1"}},
		{"agent", report.Filter{Agent: "Marco"}, []string{"3"}},
		{"dates", report.Filter{From: t0.Add(30 * time.Minute), To: t0.Add(150 * time.Minute)}, []string{"3", "2"}},
		{"channel", report.Filter{Channel: "web"}, nil},
		{"search", report.Filter{Query: "garanzia"}, []string{"1"}},
		{"search prefix, any case", report.Filter{Query: "ESPRESSO mach"}, []string{"2"}},
		{"search agent text", report.Filter{Query: "foto"}, []string{"3"}},
		{"search not a word start", report.Filter{Query: "spresso"}, nil},
		{"paging", report.Filter{Limit: 2, Offset: 1}, []string{"4", "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range mustList(t, a, tc.f) {
				got = append(got, c.Address.ChatID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestArchiveStats(t *testing.T) {
	ctx := context.Background()
	a := memory.NewArchive()
	if err := a.Append(ctx, allEvents(conversations())...); err != nil {
		t.Fatal(err)
	}
	st, err := a.Stats(ctx, report.Period{From: t0.Truncate(24 * time.Hour), To: t0.Truncate(24*time.Hour).AddDate(0, 0, 2)})
	if err != nil {
		t.Fatal(err)
	}
	if st.Conversations != 4 || len(st.PerDay) != 2 || st.PerDay[0].Count != 4 || st.PerDay[1].Count != 0 {
		t.Errorf("volume: %d conversations, per day %+v", st.Conversations, st.PerDay)
	}
	if st.Containment != 0.25 || st.Handoffs["sales"] != 1 || st.Handoffs["support"] != 1 {
		t.Errorf("containment %v, handoffs %v", st.Containment, st.Handoffs)
	}
	if st.MedianClaim != (92*time.Second+14*time.Hour+time.Second)/2 {
		t.Errorf("median claim %v", st.MedianClaim)
	}
	if st.CSAT[5] != 1 || st.AvgCSAT != 5 || st.FallbackRate != 0.2 || len(st.TopIntents) != 3 {
		t.Errorf("csat %v avg %v fallback rate %v intents %v", st.CSAT, st.AvgCSAT, st.FallbackRate, st.TopIntents)
	}
}

func TestArchiveDeletesOldConversations(t *testing.T) {
	ctx := context.Background()
	a := memory.NewArchive()
	if err := a.Append(ctx, allEvents(conversations())...); err != nil {
		t.Fatal(err)
	}
	n, err := a.Delete(ctx, t0.Add(150*time.Minute))
	if err != nil || n != 2 {
		t.Fatalf("Delete = %d, %v; want 2", n, err)
	}
	if l := mustList(t, a, report.Filter{}); len(l) != 2 {
		t.Errorf("%d conversations left, want 2", len(l))
	}
	if _, _, err := a.Transcript(ctx, "telegram:1"); !errors.Is(err, report.ErrNoConversation) {
		t.Errorf("deleted transcript: %v", err)
	}
}

// TestArchiverFeedsTheArchive runs the archiver over the store's event
// log, with redaction, and shows the events are acknowledged.
func TestArchiverFeedsTheArchive(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := memory.NewStore()
	a := memory.NewArchive()
	addr := bot.Address{Channel: "web", ChatID: "v1"}
	if err := s.Commit(ctx, &bot.Commit{Session: bot.NewSession(addr, t0), MessageID: "m1", Events: []bot.Event{
		{ID: "web:v1|m1|0", Address: addr, Type: bot.EventCustomer, Time: t0, Text: "mail me at anna@example.com"},
		{ID: "web:v1|m1|1", Address: addr, Type: bot.EventBot, Time: t0, Text: "Sure"},
	}}); err != nil {
		t.Fatal(err)
	}
	arc, err := report.NewArchiver(report.ArchiverConfig{Log: s, Archive: a,
		Redact: redact.New(redact.DefaultConfig()).String})
	if err != nil {
		t.Fatal(err)
	}
	go arc.Run(ctx)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, evs, err := a.Transcript(ctx, "web:v1"); err == nil && len(evs) == 2 {
			if evs[0].Text != "mail me at [email]" {
				t.Errorf("archived %q, want it redacted", evs[0].Text)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the archiver did not archive the events")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
}

// TestArchiveRefusesWhatPostgreSQLRefuses: the memory archive refuses the
// data PostgreSQL cannot hold, with report.ErrRejected, and stores none
// of a batch that holds it.
func TestArchiveRefusesWhatPostgreSQLRefuses(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		e    bot.Event
	}{
		{"NUL in the text", bot.Event{Type: bot.EventCustomer, Text: "a\x00b"}},
		{"NUL in a caption", bot.Event{Type: bot.EventCustomer, Attachments: []bot.Attachment{{Kind: "photo", Caption: "\x00"}}}},
		{"invalid UTF-8 in an agent's name", bot.Event{Type: bot.EventAgent, Text: "hi", Agent: "Mar\xffco"}},
		{"NUL in a button", bot.Event{Type: bot.EventBot, Buttons: []bot.Button{{Title: "ok", Payload: "a\x00"}}}},
		{"NaN confidence", bot.Event{Type: bot.EventIntent, Intent: "buy", Confidence: math.NaN()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := memory.NewArchive()
			good := newScript("1", t0, "en").say(bot.EventCustomer, "hello")
			bad := newScript("2", t0, "en").add(tc.e)
			err := a.Append(ctx, append(good.evs, bad.evs...)...)
			if !errors.Is(err, report.ErrRejected) {
				t.Fatalf("Append: %v, want ErrRejected", err)
			}
			if l := mustList(t, a, report.Filter{}); len(l) != 0 {
				t.Errorf("%d conversations stored of a refused batch", len(l))
			}
		})
	}
}

// TestArchiverSetsAsideInMemory: the memory archive's dead letters, fed
// by the archiver, as PostgreSQL's.
func TestArchiverSetsAsideInMemory(t *testing.T) {
	ctx := context.Background()
	s := memory.NewStore()
	a := memory.NewArchive()
	for i, text := range []string{"before", "a\x00b", "after"} {
		addr := bot.Address{Channel: "web", ChatID: fmt.Sprint("v", i)}
		if err := s.Commit(ctx, &bot.Commit{Session: bot.NewSession(addr, t0), MessageID: "m", Events: []bot.Event{
			{ID: addr.String() + "|m|0", Address: addr, Type: bot.EventCustomer, Time: t0, Text: text}}}); err != nil {
			t.Fatal(err)
		}
	}
	arc, _ := report.NewArchiver(report.ArchiverConfig{Log: s, Archive: a})
	if n, err := arc.Step(ctx, 0); n != 3 || err != nil {
		t.Fatalf("Step = %d, %v; want all 3 taken", n, err)
	}
	if l := mustList(t, a, report.Filter{}); len(l) != 2 {
		t.Errorf("%d conversations archived, want 2", len(l))
	}
	letters, _ := a.DeadLetters(ctx, 10, 0)
	if n, _ := a.CountDeadLetters(ctx); n != 1 || len(letters) != 1 || letters[0].Event.Address.ChatID != "v1" {
		t.Errorf("dead letters %+v", letters)
	}
	if err := a.TakeBack(ctx, letters[0].Event.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.CountDeadLetters(ctx); n != 0 {
		t.Errorf("%d dead letters after taking back", n)
	}
}

// TestDocumentEventsAreTheSearchesOfThePeriod: the archive gives the
// searches of the documents made in the period and the feedback on them
// (up to report.FeedbackWindow after it), with their conversations, and
// nothing else.
func TestDocumentEventsAreTheSearchesOfThePeriod(t *testing.T) {
	ctx := context.Background()
	a := memory.NewArchive()
	search := func(value, q string) bot.Event {
		return bot.Event{Type: bot.EventLookup, Action: bot.LookupDocuments, Value: value, Text: q, Passages: []string{"faq#3"}}
	}
	in := newScript("1", t0, "en").
		say(bot.EventCustomer, "Do you ship to Norway?").
		add(search(bot.DocumentsAnswered, "Do you ship to Norway?")).
		add(bot.Event{Type: bot.EventLookup, Action: "order", Value: "found"}).
		add(bot.Event{Type: bot.EventAction, Action: bot.DocumentsFeedback, Value: bot.FeedbackNotHelped, Text: "Do you ship to Norway?"})
	before := newScript("2", t0.Add(-25*time.Hour), "en").add(search(bot.DocumentsAbstained, "Norway?"))
	after := newScript("3", t0.Add(25*time.Hour), "en").add(search(bot.DocumentsAbstained, "Norway?"))
	if err := a.Append(ctx, slices.Concat(in.evs, before.evs, after.evs)...); err != nil {
		t.Fatal(err)
	}
	p := report.Period{From: report.DayOf(t0, nil), To: report.NextDay(t0, nil)}
	got, err := a.DocumentEvents(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := a.Transcript(ctx, "telegram:1")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, de := range got {
		if de.Conversation != c.ID {
			t.Errorf("event %s is of conversation %q, want %q", de.ID, de.Conversation, c.ID)
		}
		ids = append(ids, de.ID)
	}
	if want := []string{in.evs[1].ID, in.evs[3].ID}; !slices.Equal(ids, want) {
		t.Errorf("document events %q, want %q", ids, want)
	}
}
