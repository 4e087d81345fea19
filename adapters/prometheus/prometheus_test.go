package prometheus

import (
	"context"
	"errors"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
)

// scrapeText returns what m's /metrics serves.
func scrapeText(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("/metrics: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// value returns the value of the series (name and labels as exported,
// e.g. `sportello_queue_length{team="sales"}`), or "" when it is absent.
func value(body, series string) string {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// TestScrapeShowsCustomersWaitingAndTheArchiveBehind: with a case waiting
// five minutes in the sales queue and two commits the archive has not
// read for 90 s, a scrape shows both, read from a real store.
func TestScrapeShowsCustomersWaitingAndTheArchiveBehind(t *testing.T) {
	now := time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)
	st := memory.NewStoreWith(memory.Options{Now: func() time.Time { return now }})
	ctx := context.Background()
	a := bot.Address{Channel: "web", ChatID: "v1"}
	if err := st.Apply(ctx, bot.QueueOp{Add: true, Team: "sales", Case: "C-1", Address: a, Since: now.Add(-5 * time.Minute), Seq: 1}); err != nil {
		t.Fatal(err)
	}
	// C-2 was claimed by an agent: open, not waiting.
	for _, op := range []bot.QueueOp{
		{Add: true, Team: "sales", Case: "C-2", Address: bot.Address{Channel: "web", ChatID: "v2"}, Since: now.Add(-9 * time.Minute), Seq: 1},
		{Team: "sales", Case: "C-2", Address: bot.Address{Channel: "web", ChatID: "v2"}, Seq: 2, Claimed: true},
	} {
		if err := st.Apply(ctx, op); err != nil {
			t.Fatal(err)
		}
	}
	s := bot.NewSession(a, now)
	for i, id := range []string{"m1", "m2"} {
		ev := bot.Event{ID: id, Address: a, Type: bot.EventCustomer, Time: now.Add(-90*time.Second + time.Duration(i)*time.Second), Text: "ciao"}
		if err := st.Commit(ctx, &bot.Commit{Session: s, MessageID: id, Events: []bot.Event{ev}}); err != nil {
			t.Fatal(err)
		}
	}
	m := New(Options{Now: func() time.Time { return now }})
	err := m.Watch(Sources{
		Queues: st, Teams: []string{"sales", "support"}, EventLog: st, Group: "archive",
		Backlog: func() []bot.Backlog { return []bot.Backlog{{Kind: bot.KindDesk, Entries: 3, Oldest: time.Minute}} },
	})
	if err != nil {
		t.Fatal(err)
	}
	body := scrapeText(t, m)
	for series, want := range map[string]string{
		`sportello_queue_length{team="sales"}`:                 "1",
		`sportello_queue_oldest_seconds{team="sales"}`:         "300",
		`sportello_queue_length{team="support"}`:               "0",
		`sportello_open_cases{state="waiting",team="sales"}`:   "1",
		`sportello_open_cases{state="claimed",team="sales"}`:   "1",
		`sportello_open_cases{state="waiting",team="support"}`: "0",
		`sportello_open_cases{state="claimed",team="support"}`: "0",
		`sportello_queue_oldest_seconds{team="support"}`:       "0",
		`sportello_archive_backlog`:                            "2",
		`sportello_archive_lag_seconds`:                        "90",
		`sportello_outbox_entries{kind="desk"}`:                "3",
		`sportello_outbox_oldest_seconds{kind="desk"}`:         "60",
	} {
		if got := value(body, series); got != want {
			t.Errorf("%s = %q, want %s", series, got, want)
		}
	}
	if value(body, "go_goroutines") == "" || !strings.Contains(body, "process_cpu_seconds_total") {
		t.Errorf("no Go runtime or process metrics:\n%s", body)
	}
}

// failingQueues is a bot.Queues whose store is down.
type failingQueues struct{ bot.Queues }

func (failingQueues) Len(context.Context, string) (int, error) {
	return 0, errors.New("redis: connection refused")
}

// TestAStoreThatIsDownIsNotReportedAsEmpty: a queue that cannot be read
// must not read as empty (an operator would think nobody waits): its
// gauges are left out, and the failure is counted.
func TestAStoreThatIsDownIsNotReportedAsEmpty(t *testing.T) {
	m := New(Options{})
	if err := m.Watch(Sources{Queues: failingQueues{}, Teams: []string{"sales"}}); err != nil {
		t.Fatal(err)
	}
	scrapeText(t, m)
	body := scrapeText(t, m)
	if got := value(body, `sportello_queue_length{team="sales"}`); got != "" {
		t.Errorf("an unreadable queue is reported as %s waiting", got)
	}
	// A scrape gathers its collectors at once, so the count of a scrape
	// may show in the next one: after two, at least the first is counted.
	if got, _ := strconv.Atoi(value(body, `sportello_metrics_source_errors_total{source="queues"}`)); got < 1 {
		t.Errorf(`sportello_metrics_source_errors_total{source="queues"} = %d after two scrapes, want at least 1`, got)
	}
	body = scrapeText(t, m)
	if got, _ := strconv.Atoi(value(body, `sportello_metrics_source_errors_total{source="queues"}`)); got < 2 {
		t.Errorf(`sportello_metrics_source_errors_total{source="queues"} = %d after three scrapes, want at least 2`, got)
	}
}

// TestAChatIDNeverBecomesALabel: whatever a channel's name looks like, a
// series is never made per conversation.
func TestAChatIDNeverBecomesALabel(t *testing.T) {
	m := New(Options{})
	for _, ch := range []string{"web", "telegram:123456789", "Telegram", strings.Repeat("x", 100), ""} {
		m.Handled(ch, bot.KindCustomer, bot.OutcomeHandled, time.Millisecond)
	}
	m.API("slack", nil, nil).APICall("chat.postMessage?channel=C123&ts=1.2", "")
	body := scrapeText(t, m)
	for series, want := range map[string]string{
		`sportello_messages_total{channel="web",kind="customer",outcome="handled"}`:   "1",
		`sportello_messages_total{channel="other",kind="customer",outcome="handled"}`: "4",
		`sportello_api_calls_total{api="slack",method="other"}`:                       "1",
	} {
		if got := value(body, series); got != want {
			t.Errorf("%s = %q, want %s", series, got, want)
		}
	}
	if strings.Contains(body, "123456789") || strings.Contains(body, "C123") {
		t.Errorf("an ID reached a label:\n%s", body)
	}
}

// TestNamesListEveryMetric: Names lists the metrics of vectors no one has
// observed yet, which a scrape does not show, and the Go runtime's.
func TestNamesListEveryMetric(t *testing.T) {
	m := New(Options{})
	if err := m.Watch(Sources{Stats: func() bot.Stats { return bot.Stats{} }, Backlog: func() []bot.Backlog { return nil }}); err != nil {
		t.Fatal(err)
	}
	names := strings.Join(m.Names(), " ")
	for _, want := range []string{"sportello_api_errors_total", "sportello_time_to_claim_seconds", "sportello_messages_handled_total",
		"sportello_archive_lag_seconds", "go_goroutines", "process_resident_memory_bytes"} {
		if !strings.Contains(" "+names+" ", " "+want+" ") {
			t.Errorf("Names() lacks %s: %s", want, names)
		}
	}
}

// TestFirstFailureIsAnIncrease: the first auth failure of Slack must be an
// increase from 0, which increase() sees, so that the alert on it fires;
// a series that first appears at 1 would hide it.
func TestFirstFailureIsAnIncrease(t *testing.T) {
	m := New(Options{})
	if err := m.Watch(Sources{Channels: []string{"web"}, Teams: []string{"sales"}}); err != nil {
		t.Fatal(err)
	}
	slack := m.API("slack", []string{"chat.postMessage", "auth.test"}, []string{"auth", "setup"})
	body := scrapeText(t, m)
	for _, series := range []string{
		`sportello_api_errors_total{api="slack",kind="setup",method="chat.postMessage"}`,
		`sportello_api_calls_total{api="slack",method="auth.test"}`,
		`sportello_cases_total{step="claimed",team="sales"}`,
		`sportello_messages_total{channel="web",kind="customer",outcome="failed"}`,
		`sportello_time_to_claim_seconds_count{team="sales"}`,
		`sportello_delivery_duration_seconds_count{kind="desk",result="failed"}`,
	} {
		if got := value(body, series); got != "0" {
			t.Errorf("%s = %q before anything happened, want 0", series, got)
		}
	}
	slack.APICall("chat.postMessage", "setup")
	if got := value(scrapeText(t, m), `sportello_api_errors_total{api="slack",kind="setup",method="chat.postMessage"}`); got != "1" {
		t.Errorf("after one failure: %q, want 1", got)
	}
}
