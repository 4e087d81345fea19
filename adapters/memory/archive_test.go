package memory_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/bottest"
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

// TestArchiveConformance: the memory archive keeps the contract of
// report.Archive, as PostgreSQL's does.
func TestArchiveConformance(t *testing.T) {
	bottest.ArchiveSuite(t, func(t *testing.T) report.Archive { return memory.NewArchive() })
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
	if l, _, _ := a.List(ctx, report.Filter{}); len(l) != 2 {
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
