package postgres_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/postgres"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// searches is a day of searches of the documents in a shop in Rome, 2
// March 2026, with what must not be read beside them: an order lookup,
// another action, searches the evening before and just after midnight
// there.
func searches() []bot.Event {
	lookup := func(value, question string, passages ...string) bot.Event {
		return bot.Event{Type: bot.EventLookup, Action: bot.LookupDocuments, Value: value, Text: question,
			Confidence: 0.31, Passages: passages}
	}
	feedback := func(value, question string) bot.Event {
		return bot.Event{Type: bot.EventAction, Action: bot.DocumentsFeedback, Value: value, Text: question}
	}
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	abstained := newScript("10", day.Add(9*time.Hour), "it").
		say(bot.EventCustomer, "Posso pagare con PayPal?").
		add(lookup(bot.DocumentsAbstained, "Posso pagare con PayPal?", "it/pagamenti#2", "it/spedizioni#0")).
		say(bot.EventBot, "Non ho trovato la risposta: vuoi parlare con una persona?").
		add(bot.Event{Type: bot.EventLookup, Action: "order", Value: "found", Text: "A-1001"})
	notHelped := newScript("11", day.Add(10*time.Hour), "it").
		say(bot.EventCustomer, "Accettate PayPal?").
		add(lookup(bot.DocumentsAnswered, "Accettate PayPal?", "it/pagamenti#2")).
		say(bot.EventBot, "Accettiamo carte e bonifico.").
		say(bot.EventCustomer, "No").
		add(feedback(bot.FeedbackNotHelped, "Accettate PayPal?")).
		add(bot.Event{Type: bot.EventAction, Action: "order_status", Value: "shipped"})
	// 23:30 in Rome; the customer asks for a person at 00:20 there.
	lateEvening := newScript("12", day.Add(22*time.Hour+30*time.Minute), "en").
		say(bot.EventCustomer, "Can I return a gift?").
		add(lookup(bot.DocumentsAnswered, "Can I return a gift?", "en/returns#1")).
		say(bot.EventBot, "You have 14 days to return what you bought.").
		wait(50 * time.Minute).
		add(feedback(bot.FeedbackPerson, "Can I return a gift?"))
	afterMidnight := newScript("13", day.Add(23*time.Hour+10*time.Minute), "en").
		add(lookup(bot.DocumentsAbstained, "Do you ship to Norway?"))
	dayBefore := newScript("14", day.Add(-90*time.Minute), "en").
		add(lookup(bot.DocumentsAbstained, "Do you ship to Norway?"))
	return slices.Concat(abstained.evs, notHelped.evs, lateEvening.evs, afterMidnight.evs, dayBefore.evs)
}

func romeDay(t *testing.T) report.Period {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, rome)
	return report.Period{From: from, To: report.NextDay(from, rome), Zone: rome}
}

// TestDocumentEventsOfADayInTheShopsZone: the archive gives the searches
// of the shop's day and the feedback on them, nothing else, each with its
// conversation, as the memory archive does; the gaps report of both is
// the same.
func TestDocumentEventsOfADayInTheShopsZone(t *testing.T) {
	ctx := context.Background()
	pg, mem := mustOpen(t), memory.NewArchive()
	evs := searches()
	for _, a := range []report.Archive{pg, mem} {
		if err := a.Append(ctx, evs...); err != nil {
			t.Fatal(err)
		}
	}
	p := romeDay(t)
	ids := func(list []report.DocumentEvent) []string {
		var out []string
		for _, de := range list {
			out = append(out, de.Conversation+" "+de.ID)
		}
		return out
	}
	got, err := pg.DocumentEvents(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"telegram:10@" + convSuffix(evs[0].Time) + " telegram:10|m1|0",
		"telegram:11@" + convSuffix(evs[4].Time) + " telegram:11|m1|0",
		"telegram:11@" + convSuffix(evs[4].Time) + " telegram:11|m4|0",
		"telegram:12@" + convSuffix(evs[10].Time) + " telegram:12|m1|0",
		"telegram:12@" + convSuffix(evs[10].Time) + " telegram:12|m3|0",
	}
	if !slices.Equal(ids(got), want) {
		t.Errorf("postgres gives\n%q\nwant\n%q", ids(got), want)
	}
	fromMem, err := mem.DocumentEvents(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(fromMem), ids(got)) {
		t.Errorf("memory gives\n%q\npostgres\n%q", ids(fromMem), ids(got))
	}
	// The events come back whole: a transcript's conversation, its
	// passages, its times.
	if g := got[0]; g.Text != "Posso pagare con PayPal?" || !slices.Equal(g.Passages, []string{"it/pagamenti#2", "it/spedizioni#0"}) ||
		!g.Time.Equal(evs[1].Time) || g.Language != "it" {
		t.Errorf("the first search comes back as %+v", g)
	}
	if _, _, err := pg.Transcript(ctx, got[0].Conversation); err != nil {
		t.Errorf("the search's conversation %q: %v", got[0].Conversation, err)
	}
	gp, gm := report.ComputeGaps(got, p, report.GapOptions{}), report.ComputeGaps(fromMem, p, report.GapOptions{})
	for i := range gm.Groups {
		gm.Groups[i].First, gm.Groups[i].Last = gm.Groups[i].First.UTC(), gm.Groups[i].Last.UTC()
	}
	for i := range gp.Groups {
		gp.Groups[i].First, gp.Groups[i].Last = gp.Groups[i].First.UTC(), gp.Groups[i].Last.UTC()
		for j := range gp.Groups[i].Examples {
			gp.Groups[i].Examples[j].Time = gp.Groups[i].Examples[j].Time.UTC()
			gm.Groups[i].Examples[j].Time = gm.Groups[i].Examples[j].Time.UTC()
		}
	}
	if !reflect.DeepEqual(gp.Groups, gm.Groups) {
		t.Errorf("gaps from postgres\n%+v\nfrom memory\n%+v", gp.Groups, gm.Groups)
	}
	if gp.Searches != 3 || gp.Questions != 3 || len(gp.Groups) != 2 || gp.Groups[0].Customers != 2 || gp.Groups[1].Person != 1 {
		t.Errorf("gaps: %d searches, %d questions, groups %+v; want 3, 3, PayPal by 2 customers then the gift", gp.Searches, gp.Questions, gp.Groups)
	}
}

func convSuffix(started time.Time) string {
	id := report.ConversationID(bot.Address{}, started)
	return id[strings.IndexByte(id, '@')+1:]
}

// TestDocumentEventsReadTheirIndex: the query reads the partial index of
// the searches, not every event of the period.
func TestDocumentEventsReadTheirIndex(t *testing.T) {
	ctx := context.Background()
	mustOpen(t)
	conn, err := pgx.Connect(ctx, testURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// The table is nearly empty: without this the planner rightly reads it all.
	if _, err := conn.Exec(ctx, "SET enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	p := romeDay(t)
	rows, err := conn.Query(ctx, "EXPLAIN "+postgres.DocumentEventsSQL, p.From, p.To, p.To.Add(report.FeedbackWindow), report.MaxDocumentEvents)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if s := strings.Join(plan, "\n"); !strings.Contains(s, "events_documents") {
		t.Errorf("the plan does not read events_documents:\n%s", s)
	}
}

// BenchmarkDocumentEvents reads a week of searches from an archive of
// 30 days: 6,000 conversations of five events, one in three with a search
// of the documents and its feedback, the rest messages, intents and
// flows. The gaps page reads this, then groups it (report's
// BenchmarkComputeGaps).
func BenchmarkDocumentEvents(b *testing.B) {
	ctx := context.Background()
	a := mustOpen(b)
	end := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	const convs = 6000
	var evs []bot.Event
	for i := range convs {
		s := newScript(fmt.Sprint("b", i), end.Add(-time.Duration(i)*30*24*time.Hour/convs), []string{"it", "en"}[i%2]).
			say(bot.EventCustomer, fmt.Sprintf("domanda numero %d sul prodotto", i%300))
		if i%3 == 0 {
			q := fmt.Sprintf("posso pagare con paypal il prodotto %d?", i%50)
			s.add(bot.Event{Type: bot.EventLookup, Action: bot.LookupDocuments, Value: bot.DocumentsAnswered, Text: q,
				Confidence: 0.5, Passages: []string{"it/pagamenti#2", "faq#3"}}).
				say(bot.EventBot, "Accettiamo carte e bonifico.").
				add(bot.Event{Type: bot.EventAction, Action: bot.DocumentsFeedback, Value: bot.FeedbackNotHelped, Text: q})
		} else {
			s.add(bot.Event{Type: bot.EventIntent, Intent: "warranty", Confidence: 0.9}).
				add(bot.Event{Type: bot.EventFlowStarted, Flow: "warranty"}).
				say(bot.EventBot, "La garanzia è di 24 mesi.")
		}
		s.add(bot.Event{Type: bot.EventFlowEnded, Flow: "warranty"})
		evs = append(evs, s.evs...)
		if len(evs) >= 3000 || i == convs-1 {
			if err := a.Append(ctx, evs...); err != nil {
				b.Fatal(err)
			}
			evs = evs[:0]
		}
	}
	exec(b, "ANALYZE events")
	p := report.Period{From: end.AddDate(0, 0, -7), To: end}
	var n int
	for b.Loop() {
		got, err := a.DocumentEvents(ctx, p)
		if err != nil {
			b.Fatal(err)
		}
		n = len(got)
	}
	b.ReportMetric(float64(n), "events")
	if os.Getenv("SPORTELLO_PLAN") != "" {
		conn, err := pgx.Connect(ctx, testURL)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close(ctx)
		rows, _ := conn.Query(ctx, "EXPLAIN ANALYZE "+postgres.DocumentEventsSQL, p.From, p.To, p.To.Add(report.FeedbackWindow), report.MaxDocumentEvents)
		plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			b.Fatal(err)
		}
		b.Log("\n" + strings.Join(plan, "\n"))
	}
}
