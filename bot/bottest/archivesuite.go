package bottest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// ArchiveSuite runs the report.Archive contract against fresh archives
// made by newArchive. Every implementation calls it from its tests:
//
//	func TestArchiveConformance(t *testing.T) {
//		bottest.ArchiveSuite(t, func(t *testing.T) report.Archive { return memory.NewArchive() })
//	}
//
// newArchive is called once per subtest and must return an empty archive.
func ArchiveSuite(t *testing.T, newArchive func(t *testing.T) report.Archive) {
	tests := []struct {
		name string
		run  func(t *testing.T, a report.Archive)
	}{
		{"SummarisesEveryOutcome", testArchiveOutcomes},
		{"TranscriptByAddressAndByID", testArchiveTranscript},
		{"StoresEachEventOnce", testArchiveOnce},
		{"SplitsConversationsAfterSilence", testArchiveSilence},
		{"Filters", testArchiveFilters},
		{"Stats", testArchiveStats},
		{"StatsCountDaysInTheZone", testArchiveZone},
		{"StatsAreComputeStatsOfTheList", testArchiveSameAsComputeStats},
		{"DocumentEventsOfThePeriod", testArchiveDocumentEvents},
		{"LateFeedbackRatesItsAnswer", testArchiveLateFeedback},
		{"DeleteBefore", testArchiveDelete},
		{"RefusesWhatItCannotHold", testArchiveRefuses},
		{"DeadLetters", testArchiveDeadLetters},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newArchive(t))
		})
	}
}

// archiveT0 is when the suite's first conversation starts.
var archiveT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// script writes the events of one conversation, a second apart, with the
// IDs the engine gives them.
type script struct {
	addr bot.Address
	at   time.Time
	lang string
	evs  []bot.Event
}

func newScript(channel, chat string, at time.Time, lang string) *script {
	return &script{addr: bot.Address{Channel: channel, ChatID: chat}, at: at, lang: lang}
}

func (s *script) add(e bot.Event) *script {
	e.ID = fmt.Sprintf("%s|m%d|0", s.addr, len(s.evs))
	e.MessageID = fmt.Sprintf("m%d", len(s.evs))
	e.Address, e.Time, e.Language = s.addr, s.at, s.lang
	s.at = s.at.Add(time.Second)
	s.evs = append(s.evs, e)
	return s
}

func (s *script) say(typ bot.EventType, text string) *script {
	return s.add(bot.Event{Type: typ, Text: text})
}

func (s *script) wait(d time.Duration) *script { s.at = s.at.Add(d); return s }

// archiveFixture is five conversations: one of each outcome on Telegram,
// in two languages, and one on the web chat the next day.
func archiveFixture() map[string]*script {
	t0 := archiveT0
	solved := newScript("telegram", "1", t0, "it").
		say(bot.EventCustomer, "Quanto dura la garanzia del frullatore?").
		add(bot.Event{Type: bot.EventIntent, Intent: "warranty", Confidence: 0.91}).
		add(bot.Event{Type: bot.EventFlowStarted, Flow: "warranty"}).
		say(bot.EventBot, "La garanzia legale è di 24 mesi.").
		add(bot.Event{Type: bot.EventFlowEnded, Flow: "warranty"})
	sales := newScript("telegram", "2", t0.Add(time.Hour), "en").
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
	support := newScript("telegram", "3", t0.Add(2*time.Hour), "it").
		say(bot.EventCustomer, "Il tostapane è rotto, voglio parlare con una persona").
		add(bot.Event{Type: bot.EventIntent, Intent: "human", Confidence: 0.95}).
		add(bot.Event{Type: bot.EventHandoff, Team: "support", Case: "c3"}).
		// Nobody claims before the night: the case stays open, and the
		// conversation with it.
		wait(14 * time.Hour).
		add(bot.Event{Type: bot.EventClaimed, Team: "support", Case: "c3", Agent: "Marco"}).
		add(bot.Event{Type: bot.EventAgent, Text: "Buongiorno, mi manda una foto?", Agent: "Marco"})
	abandoned := newScript("telegram", "4", t0.Add(3*time.Hour), "en").
		say(bot.EventCustomer, "<script>alert(1)</script> blorp").
		add(bot.Event{Type: bot.EventFallback, Text: "not understood"}).
		say(bot.EventBot, "Sorry, I did not understand.")
	web := newScript("web", "v5", t0.Add(26*time.Hour), "en").
		say(bot.EventCustomer, "Do you ship to Malta?").
		add(bot.Event{Type: bot.EventIntent, Intent: "shipping", Confidence: 0.9}).
		say(bot.EventBot, "Yes, in five days.").
		add(bot.Event{Type: bot.EventCSAT, Score: 3})
	return map[string]*script{"solved": solved, "sales": sales, "support": support, "abandoned": abandoned, "web": web}
}

// archiveEvents returns the events of the fixture, conversation by
// conversation.
func archiveEvents(m map[string]*script) []bot.Event {
	var evs []bot.Event
	for _, name := range []string{"solved", "sales", "support", "abandoned", "web"} {
		evs = append(evs, m[name].evs...)
	}
	return evs
}

func mustAppend(t *testing.T, a report.Archive, evs ...bot.Event) {
	t.Helper()
	if err := a.Append(context.Background(), evs...); err != nil {
		t.Fatalf("Append: %v", err)
	}
}

// mustListAll returns the conversations f selects, and checks the total.
func mustListAll(t *testing.T, a report.Archive, f report.Filter) ([]report.Conversation, int) {
	t.Helper()
	l, n, err := a.List(context.Background(), f)
	if err != nil {
		t.Fatalf("List(%+v): %v", f, err)
	}
	if n < len(l) {
		t.Fatalf("List(%+v): total %d < %d listed", f, n, len(l))
	}
	return l, n
}

func chatIDs(l []report.Conversation) []string {
	var ids []string
	for _, c := range l {
		ids = append(ids, c.Address.ChatID)
	}
	return ids
}

func testArchiveOutcomes(t *testing.T, a report.Archive) {
	ctx := context.Background()
	fx := archiveFixture()
	mustAppend(t, a, archiveEvents(fx)...)
	for name, want := range map[string]report.Outcome{"solved": report.OutcomeBot, "sales": report.OutcomeSales,
		"support": report.OutcomeSupport, "abandoned": report.OutcomeAbandoned, "web": report.OutcomeBot} {
		s := fx[name]
		c, evs, err := a.Transcript(ctx, s.addr.String())
		if err != nil {
			t.Fatalf("%s: Transcript: %v", name, err)
		}
		if c.Outcome != want || len(evs) != len(s.evs) {
			t.Errorf("%s: outcome %q with %d events, want %q with %d", name, c.Outcome, len(evs), want, len(s.evs))
		}
	}
	sales, _, _ := a.Transcript(ctx, "telegram:2")
	want := report.Conversation{ID: report.ConversationID(fx["sales"].addr, archiveT0.Add(time.Hour)),
		Address: fx["sales"].addr, Started: archiveT0.Add(time.Hour), Last: fx["sales"].evs[8].Time,
		Language: "en", Team: "sales", Outcome: report.OutcomeSales, Intents: []string{"buy"}, CSAT: 5, Agent: "Giulia",
		Preview: "I want to buy ten espresso machines for my bar", Messages: 4, CustomerMessages: 2, BotMessages: 1,
		AgentMessages: 1, TimeToClaim: 92 * time.Second, TimeToFirstReply: 123 * time.Second}
	if !sameConversation(*sales, want) {
		t.Errorf("sales summary\n got %+v\nwant %+v", *sales, want)
	}
	// The support case waited overnight: still one conversation.
	if c, _, _ := a.Transcript(ctx, "telegram:3"); c.Agent != "Marco" || c.Messages != 2 || c.TimeToClaim != 14*time.Hour+time.Second {
		t.Errorf("support summary %+v: want the overnight claim in the same conversation", *c)
	}
}

// sameConversation compares summaries, their times as instants.
func sameConversation(a, b report.Conversation) bool {
	a.Started, a.Last = a.Started.UTC(), a.Last.UTC()
	b.Started, b.Last = b.Started.UTC(), b.Last.UTC()
	return reflect.DeepEqual(a, b)
}

func testArchiveTranscript(t *testing.T, a report.Archive) {
	ctx := context.Background()
	fx := archiveFixture()
	mustAppend(t, a, archiveEvents(fx)...)
	c, evs, err := a.Transcript(ctx, "telegram:2")
	if err != nil {
		t.Fatal(err)
	}
	want := fx["sales"].evs
	if len(evs) != len(want) {
		t.Fatalf("%d events, want %d", len(evs), len(want))
	}
	for i := range want {
		got := evs[i]
		got.Time = got.Time.UTC()
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("event %d\n got %+v\nwant %+v", i, got, want[i])
		}
	}
	byID, evs2, err := a.Transcript(ctx, c.ID)
	if err != nil || byID.ID != c.ID || len(evs2) != len(want) {
		t.Errorf("Transcript(%q) = %+v with %d events, %v", c.ID, byID, len(evs2), err)
	}
	for _, ref := range []string{"telegram:99", "telegram:2@0", "nonsense", ""} {
		if _, _, err := a.Transcript(ctx, ref); !errors.Is(err, report.ErrNoConversation) {
			t.Errorf("Transcript(%q): %v, want ErrNoConversation", ref, err)
		}
	}
}

func testArchiveOnce(t *testing.T, a report.Archive) {
	ctx := context.Background()
	fx := archiveFixture()
	evs := archiveEvents(fx)
	mustAppend(t, a, evs...)
	mustAppend(t, a, evs...)
	// Redelivered out of order, in small batches, with repeats inside.
	for i := len(evs) - 1; i >= 1; i -= 2 {
		mustAppend(t, a, evs[i], evs[i-1], evs[i])
	}
	if l, n := mustListAll(t, a, report.Filter{}); len(l) != 5 || n != 5 {
		t.Fatalf("%d conversations (total %d), want 5", len(l), n)
	}
	for name, s := range fx {
		_, got, err := a.Transcript(ctx, s.addr.String())
		if err != nil || len(got) != len(s.evs) {
			t.Errorf("%s: %d events, %v; want %d", name, len(got), err, len(s.evs))
		}
	}
	if c, _, _ := a.Transcript(ctx, "telegram:2"); c.Messages != 4 {
		t.Errorf("sales counts %d messages after redelivery, want 4", c.Messages)
	}
}

func testArchiveSilence(t *testing.T, a report.Archive) {
	ctx := context.Background()
	s := newScript("telegram", "5", archiveT0, "en").say(bot.EventCustomer, "hi").say(bot.EventBot, "hello").
		wait(report.ConversationGap+time.Minute).say(bot.EventCustomer, "me again").say(bot.EventBot, "hello again")
	mustAppend(t, a, s.evs...)
	l, _ := mustListAll(t, a, report.Filter{Address: s.addr})
	if len(l) != 2 || l[0].Preview != "me again" || l[1].Preview != "hi" {
		t.Fatalf("conversations %+v, want two, latest first", l)
	}
	c, _, err := a.Transcript(ctx, s.addr.String())
	if err != nil || c.ID != l[0].ID {
		t.Errorf("Transcript(address) = %+v, %v; want the latest %s", c, err, l[0].ID)
	}
	if c2, evs, err := a.Transcript(ctx, l[1].ID); err != nil || c2.Preview != "hi" || len(evs) != 2 {
		t.Errorf("Transcript(id of the first) = %+v with %d events, %v", c2, len(evs), err)
	}
}

func testArchiveFilters(t *testing.T, a report.Archive) {
	mustAppend(t, a, archiveEvents(archiveFixture())...)
	t0 := archiveT0
	for _, tc := range []struct {
		name string
		f    report.Filter
		want []string // chat IDs, latest first
	}{
		{"all", report.Filter{}, []string{"v5", "3", "4", "2", "1"}},
		{"address", report.Filter{Address: bot.Address{Channel: "telegram", ChatID: "4"}}, []string{"4"}},
		{"channel", report.Filter{Channel: "web"}, []string{"v5"}},
		{"no such channel", report.Filter{Channel: "slack"}, nil},
		{"team", report.Filter{Team: "sales"}, []string{"2"}},
		{"outcome bot", report.Filter{Outcome: report.OutcomeBot}, []string{"v5", "1"}},
		{"outcome abandoned", report.Filter{Outcome: report.OutcomeAbandoned}, []string{"4"}},
		{"language", report.Filter{Language: "it"}, []string{"3", "1"}},
		{"intent", report.Filter{Intent: "warranty"}, []string{"1"}},
		{"csat", report.Filter{CSAT: 5}, []string{"2"}},
		{"no csat", report.Filter{CSAT: -1}, []string{"3", "4", "1"}},
		{"agent", report.Filter{Agent: "Marco"}, []string{"3"}},
		{"dates", report.Filter{From: t0.Add(30 * time.Minute), To: t0.Add(150 * time.Minute)}, []string{"3", "2"}},
		{"from is inclusive, to exclusive", report.Filter{From: t0.Add(time.Hour), To: t0.Add(2 * time.Hour)}, []string{"2"}},
		{"several fields", report.Filter{Language: "en", CSAT: -1}, []string{"4"}},
		{"search customer text", report.Filter{Query: "garanzia"}, []string{"1"}},
		{"search any case", report.Filter{Query: "ESPRESSO"}, []string{"2"}},
		{"search agent text", report.Filter{Query: "foto"}, []string{"3"}},
		{"search bot text", report.Filter{Query: "salesperson"}, []string{"2"}},
		{"search and a field", report.Filter{Query: "garanzia", Language: "en"}, nil},
		{"search nothing like it", report.Filter{Query: "zzyzx"}, nil},
		{"paging", report.Filter{Limit: 2, Offset: 1}, []string{"3", "4"}},
		{"paging past the end", report.Filter{Limit: 2, Offset: 10}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, n := mustListAll(t, a, tc.f)
			if got := chatIDs(l); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if tc.f.Limit == 0 && n != len(tc.want) {
				t.Errorf("total %d, want %d", n, len(tc.want))
			}
		})
	}
	if _, n := mustListAll(t, a, report.Filter{Limit: 2, Offset: 1}); n != 5 {
		t.Errorf("a page's total is %d, want all 5 that match", n)
	}
}

func testArchiveStats(t *testing.T, a report.Archive) {
	mustAppend(t, a, archiveEvents(archiveFixture())...)
	day := report.DayOf(archiveT0, time.UTC)
	st, err := a.Stats(context.Background(), report.Period{From: day, To: day.AddDate(0, 0, 3)})
	if err != nil {
		t.Fatal(err)
	}
	var perDay []int
	for _, d := range st.PerDay {
		perDay = append(perDay, d.Count)
	}
	if st.Conversations != 5 || !slices.Equal(perDay, []int{4, 1, 0}) {
		t.Errorf("volume: %d conversations, per day %v; want 5, [4 1 0]", st.Conversations, perDay)
	}
	if st.Containment != 0.4 || st.Outcomes[report.OutcomeBot] != 2 || st.Handoffs["sales"] != 1 || st.Handoffs["support"] != 1 {
		t.Errorf("containment %v, outcomes %v, handoffs %v", st.Containment, st.Outcomes, st.Handoffs)
	}
	if want := (92*time.Second + 14*time.Hour + time.Second) / 2; st.MedianClaim != want {
		t.Errorf("median claim %v, want %v", st.MedianClaim, want)
	}
	if st.CSAT[5] != 1 || st.CSAT[3] != 1 || st.AvgCSAT != 4 || st.Fallbacks != 1 || st.CustomerMessages != 6 {
		t.Errorf("csat %v avg %v, %d fallbacks in %d customer messages", st.CSAT, st.AvgCSAT, st.Fallbacks, st.CustomerMessages)
	}
	if len(st.TopIntents) != 4 {
		t.Errorf("top intents %v, want 4", st.TopIntents)
	}
	// A period that holds none.
	empty, err := a.Stats(context.Background(), report.Period{From: day.AddDate(0, 1, 0), To: day.AddDate(0, 1, 1)})
	if err != nil || empty.Conversations != 0 || len(empty.PerDay) != 1 || empty.Containment != 0 {
		t.Errorf("empty period: %+v, %v", empty, err)
	}
}

// nearMidnight is two conversations on either side of midnight in Rome:
// 22:30 UTC on 20 March is 23:30 on the 20th there, 23:30 UTC is 00:30
// on the 21st.
func nearMidnight() []bot.Event {
	before := newScript("telegram", "rome-20", time.Date(2026, 3, 20, 22, 30, 0, 0, time.UTC), "it").
		say(bot.EventCustomer, "Buonasera, a che ora aprite domani?").
		add(bot.Event{Type: bot.EventIntent, Intent: "opening_hours", Confidence: 0.9}).
		say(bot.EventBot, "Alle 9.")
	after := newScript("telegram", "rome-21", time.Date(2026, 3, 20, 23, 30, 0, 0, time.UTC), "it").
		say(bot.EventCustomer, "Il frullatore si è rotto, è in garanzia?").
		add(bot.Event{Type: bot.EventIntent, Intent: "warranty", Confidence: 0.9}).
		add(bot.Event{Type: bot.EventHandoff, Team: "support", Case: "c21"}).
		wait(3 * time.Minute).
		add(bot.Event{Type: bot.EventClaimed, Team: "support", Case: "c21", Agent: "Marco"}).
		add(bot.Event{Type: bot.EventCSAT, Score: 4})
	return slices.Concat(before.evs, after.evs)
}

func mustRome(t *testing.T) *time.Location {
	t.Helper()
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatalf("the time zone database: %v", err)
	}
	return rome
}

func testArchiveZone(t *testing.T, a report.Archive) {
	ctx := context.Background()
	rome := mustRome(t)
	mustAppend(t, a, nearMidnight()...)
	p := report.Period{From: time.Date(2026, 3, 20, 0, 0, 0, 0, rome), To: time.Date(2026, 3, 22, 0, 0, 0, 0, rome), Zone: rome}
	st, err := a.Stats(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.PerDay) != 2 || st.PerDay[0].Count != 1 || st.PerDay[1].Count != 1 {
		t.Errorf("per day %+v, want one conversation on the 20th and one on the 21st (Rome)", st.PerDay)
	}
	for _, d := range st.PerDay {
		if d.Day.In(rome).Hour() != 0 {
			t.Errorf("day %v does not start at midnight in Rome", d.Day)
		}
	}
	l, _ := mustListAll(t, a, report.Filter{From: time.Date(2026, 3, 21, 0, 0, 0, 0, rome), To: time.Date(2026, 3, 22, 0, 0, 0, 0, rome)})
	if got := chatIDs(l); !slices.Equal(got, []string{"rome-21"}) {
		t.Errorf("21 March in Rome lists %v, want the conversation of 23:30 UTC on the 20th", got)
	}
	// The same days in UTC hold both on the 20th.
	utc, err := a.Stats(ctx, report.Period{From: time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 22, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if len(utc.PerDay) != 2 || utc.PerDay[0].Count != 2 || utc.PerDay[1].Count != 0 {
		t.Errorf("per day in UTC %+v, want both on the 20th", utc.PerDay)
	}
}

// testArchiveSameAsComputeStats: Stats gives the numbers report.ComputeStats
// gives of the conversations the archive lists, in any zone, over whole
// days or not.
func testArchiveSameAsComputeStats(t *testing.T, a report.Archive) {
	ctx := context.Background()
	rome := mustRome(t)
	mustAppend(t, a, slices.Concat(archiveEvents(archiveFixture()), nearMidnight())...)
	all, _ := mustListAll(t, a, report.Filter{Limit: 1000})
	day := report.DayOf(archiveT0, time.UTC)
	for _, p := range []report.Period{
		{From: day, To: day.AddDate(0, 0, 30)},
		{From: time.Date(2026, 3, 1, 0, 0, 0, 0, rome), To: time.Date(2026, 4, 1, 0, 0, 0, 0, rome), Zone: rome},
		{From: time.Date(2026, 3, 21, 0, 0, 0, 0, rome), To: time.Date(2026, 3, 22, 0, 0, 0, 0, rome), Zone: rome},
		{From: archiveT0.Add(30 * time.Minute), To: archiveT0.Add(20 * 24 * time.Hour), Zone: rome},
	} {
		got, err := a.Stats(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		want := report.ComputeStats(all, p)
		if !sameStats(got, want) {
			t.Errorf("Stats(%v – %v in %v)\n got %+v\nwant %+v", p.From, p.To, p.Zone, got, want)
		}
	}
}

// sameStats compares numbers, their days as instants.
func sameStats(a, b *report.Stats) bool {
	norm := func(s report.Stats) report.Stats {
		s.Period = report.Period{From: s.Period.From.UTC(), To: s.Period.To.UTC()}
		s.PerDay = slices.Clone(s.PerDay)
		for i := range s.PerDay {
			s.PerDay[i].Day = s.PerDay[i].Day.UTC()
		}
		return s
	}
	return reflect.DeepEqual(norm(*a), norm(*b))
}

func testArchiveDelete(t *testing.T, a report.Archive) {
	ctx := context.Background()
	mustAppend(t, a, archiveEvents(archiveFixture())...)
	// The solved and the sales conversations ended before 11:30; the
	// support one went on overnight, the others started later.
	n, err := a.Delete(ctx, archiveT0.Add(150*time.Minute))
	if err != nil || n != 2 {
		t.Fatalf("Delete = %d, %v; want 2", n, err)
	}
	if l, _ := mustListAll(t, a, report.Filter{}); !slices.Equal(chatIDs(l), []string{"v5", "3", "4"}) {
		t.Errorf("left %v, want v5, 3, 4", chatIDs(l))
	}
	for _, ref := range []string{"telegram:1", "telegram:2"} {
		if _, _, err := a.Transcript(ctx, ref); !errors.Is(err, report.ErrNoConversation) {
			t.Errorf("deleted %s: %v, want ErrNoConversation", ref, err)
		}
	}
	if n, err := a.Delete(ctx, archiveT0.Add(150*time.Minute)); err != nil || n != 0 {
		t.Errorf("Delete again = %d, %v; want 0", n, err)
	}
	// Deleted events may come again (a redelivery): they are stored anew.
	mustAppend(t, a, archiveFixture()["solved"].evs...)
	if _, evs, err := a.Transcript(ctx, "telegram:1"); err != nil || len(evs) != 5 {
		t.Errorf("appended again after delete: %d events, %v", len(evs), err)
	}
}

func testArchiveRefuses(t *testing.T, a report.Archive) {
	ctx := context.Background()
	for i, tc := range []struct {
		name string
		e    bot.Event
	}{
		{"NUL in the text", bot.Event{Type: bot.EventCustomer, Text: "a\x00b"}},
		{"invalid UTF-8 in the text", bot.Event{Type: bot.EventCustomer, Text: "caff\xe8"}},
		{"NUL in a caption", bot.Event{Type: bot.EventCustomer, Attachments: []bot.Attachment{{Kind: "photo", Caption: "\x00"}}}},
		{"invalid UTF-8 in an agent's name", bot.Event{Type: bot.EventAgent, Text: "hi", Agent: "Mar\xffco"}},
		{"NUL in a button", bot.Event{Type: bot.EventBot, Buttons: []bot.Button{{Title: "ok", Payload: "a\x00"}}}},
		{"NaN confidence", bot.Event{Type: bot.EventIntent, Intent: "buy", Confidence: math.NaN()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			good := newScript("web", fmt.Sprint("good", i), archiveT0, "en").say(bot.EventCustomer, "hello")
			bad := newScript("web", fmt.Sprint("bad", i), archiveT0, "en").add(tc.e)
			err := a.Append(ctx, append(good.evs, bad.evs...)...)
			if !errors.Is(err, report.ErrRejected) {
				t.Fatalf("Append: %v, want ErrRejected", err)
			}
			if _, _, err := a.Transcript(ctx, good.addr.String()); !errors.Is(err, report.ErrNoConversation) {
				t.Errorf("the good event of a refused batch was stored: %v", err)
			}
			// The good one alone passes.
			mustAppend(t, a, good.evs...)
		})
	}
}

func testArchiveDeadLetters(t *testing.T, box report.Archive) {
	ctx := context.Background()
	ev := func(i int, text string) bot.Event {
		return bot.Event{ID: fmt.Sprintf("web:v|m%d|0", i), Address: bot.Address{Channel: "web", ChatID: "v"},
			Type: bot.EventCustomer, Time: archiveT0.Add(time.Duration(i) * time.Second), Text: text}
	}
	set := func(ls ...report.DeadLetter) {
		t.Helper()
		if err := box.SetAside(ctx, ls...); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := box.CountDeadLetters(ctx); err != nil || n != 0 {
		t.Fatalf("CountDeadLetters of a new archive = %d, %v", n, err)
	}
	set(report.DeadLetter{Event: ev(2, "two\x00"), Err: "refused", At: archiveT0.Add(2 * time.Hour)},
		report.DeadLetter{Event: ev(1, "one"), Err: "refused", At: archiveT0.Add(time.Hour)})
	set(report.DeadLetter{Event: ev(3, "three"), Err: "refused", At: archiveT0.Add(2 * time.Hour)})
	// Set aside again: the new error, the first time.
	set(report.DeadLetter{Event: ev(1, "one"), Err: "refused again", At: archiveT0.Add(5 * time.Hour)})
	if n, err := box.CountDeadLetters(ctx); err != nil || n != 3 {
		t.Fatalf("CountDeadLetters = %d, %v; want 3", n, err)
	}
	list, err := box.DeadLetters(ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range list {
		got = append(got, fmt.Sprintf("%s %s %s %q", l.Event.ID, l.At.UTC().Format(time.TimeOnly), l.Err, l.Event.Text))
	}
	want := []string{`web:v|m1|0 10:00:00 refused again "one"`, `web:v|m2|0 11:00:00 refused "two\x00"`,
		`web:v|m3|0 11:00:00 refused "three"`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("DeadLetters:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if page, _ := box.DeadLetters(ctx, 1, 1); len(page) != 1 || page[0].Event.ID != "web:v|m2|0" {
		t.Errorf("page 2 of 1: %+v", page)
	}
	if err := box.TakeBack(ctx, "web:v|m2|0", "web:v|unknown|0"); err != nil {
		t.Fatal(err)
	}
	if n, _ := box.CountDeadLetters(ctx); n != 2 {
		t.Errorf("%d dead letters after taking one back, want 2", n)
	}
	// The letters are beside the archive, not in it.
	if l, _ := mustListAll(t, box, report.Filter{}); len(l) != 0 {
		t.Errorf("dead letters listed as conversations: %v", chatIDs(l))
	}
}

// testArchiveLateFeedback: a customer who presses "no" to "did this
// help?" more than report.ConversationGap after the answer does so in
// the archive's next conversation; the gaps still count the answer as
// not helped, in the conversation where it was asked.
func testArchiveLateFeedback(t *testing.T, a report.Archive) {
	day := report.DayOf(archiveT0, time.UTC)
	s := newScript("web", "late", day.Add(10*time.Hour), "en").
		say(bot.EventCustomer, "Do you ship to Norway?").
		add(bot.Event{Type: bot.EventLookup, Action: bot.LookupDocuments, Value: bot.DocumentsAnswered,
			Text: "Do you ship to Norway?", Passages: []string{"shipping#1"}}).
		say(bot.EventBot, "We ship to the EU. Did this help?").
		wait(report.ConversationGap + 10*time.Minute).
		add(bot.Event{Type: bot.EventAction, Action: bot.DocumentsFeedback, Value: bot.FeedbackNotHelped, Text: "Do you ship to Norway?"})
	mustAppend(t, a, s.evs...)
	p := report.Period{From: day, To: day.AddDate(0, 0, 1)}
	evs, err := a.DocumentEvents(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	g := report.ComputeGaps(evs, p, report.GapOptions{})
	if g.Answered != 1 || len(g.Groups) != 1 || g.Groups[0].NotHelped != 1 {
		t.Fatalf("answered %d, gaps %+v; want the answer about Norway listed as not helped", g.Answered, g.Groups)
	}
	if ex, want := g.Groups[0].Examples, report.ConversationID(s.addr, s.evs[0].Time); len(ex) != 1 || ex[0].Conversation != want {
		t.Errorf("examples %+v, want the conversation %s where it was asked", ex, want)
	}
}

// testArchiveDocumentEvents: DocumentEvents gives the searches of the
// documents made in the period and the feedback on them up to
// report.FeedbackWindow after it, in order, each with its conversation
// and as it was appended; nothing else.
func testArchiveDocumentEvents(t *testing.T, a report.Archive) {
	ctx := context.Background()
	search := func(value, q string) bot.Event {
		return bot.Event{Type: bot.EventLookup, Action: bot.LookupDocuments, Value: value, Text: q, Passages: []string{"faq#3", "shipping#1"}}
	}
	feedback := bot.Event{Type: bot.EventAction, Action: bot.DocumentsFeedback, Value: bot.FeedbackNotHelped, Text: "Do you ship to Norway?"}
	day := report.DayOf(archiveT0, time.UTC)
	in := newScript("web", "d1", day.Add(23*time.Hour+58*time.Minute), "en").
		say(bot.EventCustomer, "Do you ship to Norway?").
		add(search(bot.DocumentsAnswered, "Do you ship to Norway?")).
		add(bot.Event{Type: bot.EventLookup, Action: "order", Value: "found"}).
		wait(5 * time.Minute). // past midnight: feedback of the day before
		add(feedback)
	before := newScript("web", "d2", day.Add(-2*time.Hour), "en").add(search(bot.DocumentsAbstained, "Norway?"))
	after := newScript("web", "d3", day.Add(25*time.Hour), "en").add(search(bot.DocumentsAbstained, "Norway?"))
	lateFeedback := newScript("web", "d4", day.Add(24*time.Hour+report.FeedbackWindow+time.Minute), "en").add(feedback)
	mustAppend(t, a, slices.Concat(in.evs, before.evs, after.evs, lateFeedback.evs)...)
	got, err := a.DocumentEvents(ctx, report.Period{From: day, To: day.AddDate(0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := a.Transcript(ctx, in.addr.String())
	if err != nil {
		t.Fatal(err)
	}
	want := []bot.Event{in.evs[1], in.evs[3]}
	if len(got) != len(want) {
		t.Fatalf("%d document events %+v, want the search and the feedback of d1", len(got), got)
	}
	for i, de := range got {
		if de.Conversation != c.ID {
			t.Errorf("event %s is of conversation %q, want %q", de.ID, de.Conversation, c.ID)
		}
		e := de.Event
		e.Time = e.Time.UTC()
		if !reflect.DeepEqual(e, want[i]) {
			t.Errorf("document event %d\n got %+v\nwant %+v", i, e, want[i])
		}
	}
}
