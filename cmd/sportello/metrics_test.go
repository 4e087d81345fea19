package main

// /metrics end to end: the binary's server, a customer on the web chat
// handed to sales, a fake Slack that hangs, then refuses once, then lets
// an agent claim the case; a scrape at each step shows what an operator
// would watch move.

import (
	"bufio"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/slack/slackfake"
	"github.com/sportello/sportello/bot/botfake"
)

// series are the values of one scrape, by metric name, then by labels
// written sorted (`kind="desk"`, `channel="web",kind="customer",outcome="handled"`).
type series map[string]map[string]float64

var seriesRE = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$`)
var labelRE = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`)

// scrape reads base's /metrics in the text format.
func scrape(t *testing.T, base string) series {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("/metrics: %s %s", res.Status, b)
	}
	out := series{}
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		m := seriesRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue // # HELP, # TYPE
		}
		var labels []string
		for _, l := range labelRE.FindAllStringSubmatch(m[2], -1) {
			labels = append(labels, l[1]+`="`+l[2]+`"`)
		}
		sort.Strings(labels)
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			t.Fatalf("/metrics: %q: %v", sc.Text(), err)
		}
		if out[m[1]] == nil {
			out[m[1]] = map[string]float64{}
		}
		out[m[1]][strings.Join(labels, ",")] = v
	}
	return out
}

// get returns the value of name with labels (sorted, as in series), and
// whether it was exported.
func (s series) get(name, labels string) (float64, bool) {
	v, ok := s[name][labels]
	return v, ok
}

// want checks the value of name{labels} with check, naming it on failure.
func (s series) want(t *testing.T, name, labels, what string, check func(float64) bool) {
	t.Helper()
	v, ok := s.get(name, labels)
	switch {
	case !ok:
		t.Errorf("%s{%s} is not exported; want %s (it has %v)", name, labels, what, s[name])
	case !check(v):
		t.Errorf("%s{%s} = %v, want %s", name, labels, v, what)
	}
}

func is(want float64) func(float64) bool   { return func(v float64) bool { return v == want } }
func atLeast(n float64) func(float64) bool { return func(v float64) bool { return v >= n } }

func TestMetricsMoveThroughAHandoff(t *testing.T) {
	fs := fakeSlack(t)
	clock := botfake.NewClock(time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC))
	st := memory.NewStoreWith(memory.Options{Now: clock.Now})
	srv := newTestServer(t, shopBot(t, true), slackEnv(fs, "socket"), st, clock)
	base := start(t, srv)
	waitUntil(t, "the socket mode connection", func() bool { return fs.Connections() == 1 })

	// Slack hangs: the customer is answered, the case waits in the queue,
	// and its card waits in the outbox.
	release := fs.Hang("chat.postMessage")
	anna := newCustomer(t, base)
	anna.buysTwoLaptops()
	waitUntil(t, "the card to hang", func() bool { return fs.Hanging() == 1 })
	clock.Advance(20 * time.Second)
	m := scrape(t, base)
	m.want(t, "sportello_messages_total", `channel="web",kind="customer",outcome="handled"`, "the customer's 4 messages", atLeast(4))
	m.want(t, "sportello_handle_duration_seconds_count", `channel="web",kind="customer"`, "a latency per message", atLeast(4))
	m.want(t, "sportello_delivery_duration_seconds_count", `kind="reply",result="delivered"`, "the bot's replies", atLeast(4))
	m.want(t, "sportello_delivery_duration_seconds_count", `kind="queue",result="delivered"`, "the case joining the queue", is(1))
	m.want(t, "sportello_cases_total", `step="opened",team="sales"`, "one case opened", is(1))
	m.want(t, "sportello_queue_length", `team="sales"`, "one customer waiting", is(1))
	m.want(t, "sportello_queue_length", `team="support"`, "nobody waiting", is(0))
	m.want(t, "sportello_open_cases", `state="waiting",team="sales"`, "one case open, waiting", is(1))
	m.want(t, "sportello_open_cases", `state="claimed",team="sales"`, "no case claimed yet", is(0))
	m.want(t, "sportello_queue_oldest_seconds", `team="sales"`, "the case's 20 s", is(20))
	m.want(t, "sportello_outbox_entries", `kind="desk"`, "the card stuck in Slack", atLeast(1))
	m.want(t, "sportello_outbox_oldest_seconds", `kind="desk"`, "about 20 s", func(v float64) bool { return v > 19 && v <= 20 })
	m.want(t, "sportello_outbox_entries", `kind="reply"`, "none: the customer was answered", is(0))
	m.want(t, "sportello_messages_handled_total", "", "the former counter, kept", atLeast(4))
	if _, ok := m.get("go_goroutines", ""); !ok {
		t.Error("no Go runtime metrics")
	}
	if _, ok := m.get("process_resident_memory_bytes", ""); !ok {
		t.Error("no process metrics")
	}

	// Slack answers again, refusing the next post once: the operator sees
	// what kind of failure it was.
	fs.FailNext("chat.postMessage", "not_in_channel")
	release()
	card := onlyCard(t, fs, salesCh)
	waitUntil(t, "the refusal to be counted", func() bool {
		v, _ := scrape(t, base).get("sportello_api_errors_total", `api="slack",kind="setup",method="chat.postMessage"`)
		return v == 1
	})

	// An agent claims the case 90 s after the handoff.
	clock.Advance(70 * time.Second)
	deliver(t, fs, "interactive", slackfake.Click(marco, card, "sportello_claim"))
	anna.waitFor("system", "Marco si è unito")
	waitUntil(t, "the queue to empty", func() bool {
		v, _ := scrape(t, base).get("sportello_queue_length", `team="sales"`)
		return v == 0
	})
	waitUntil(t, "the desk's outbox to empty", func() bool {
		v, _ := scrape(t, base).get("sportello_outbox_entries", `kind="desk"`)
		return v == 0
	})
	m = scrape(t, base)
	m.want(t, "sportello_cases_total", `step="claimed",team="sales"`, "one claim", is(1))
	m.want(t, "sportello_time_to_claim_seconds_count", `team="sales"`, "one claim", is(1))
	m.want(t, "sportello_time_to_claim_seconds_sum", `team="sales"`, "90 s", is(90))
	m.want(t, "sportello_time_to_claim_seconds_bucket", `le="60",team="sales"`, "not within a minute", is(0))
	m.want(t, "sportello_time_to_claim_seconds_bucket", `le="120",team="sales"`, "within two minutes", is(1))
	m.want(t, "sportello_queue_oldest_seconds", `team="sales"`, "0: nobody waits", is(0))
	m.want(t, "sportello_open_cases", `state="waiting",team="sales"`, "nobody waits", is(0))
	m.want(t, "sportello_open_cases", `state="claimed",team="sales"`, "the case Marco claimed, still open", is(1))
	m.want(t, "sportello_open_cases", `state="claimed",team="support"`, "none", is(0))
	m.want(t, "sportello_messages_total", `channel="web",kind="agent",outcome="handled"`, "the claim", atLeast(1))
	m.want(t, "sportello_delivery_duration_seconds_count", `kind="desk",result="delivered"`, "the card and the claim's line", atLeast(2))
	m.want(t, "sportello_delivery_duration_seconds_count", `kind="desk",result="failed"`, "the refused post", atLeast(1))
	m.want(t, "sportello_api_calls_total", `api="slack",method="chat.postMessage"`, "the posts", atLeast(3))
	m.want(t, "sportello_archive_backlog", "", "a number", atLeast(0))
	m.want(t, "sportello_archive_lag_seconds", "", "a number", atLeast(0))
	m.want(t, "sportello_archive_dead_letters", "", "none", is(0))
	for name := range m {
		for labels := range m[name] {
			if strings.Contains(labels, anna.visitor) || strings.Contains(labels, "C-") {
				t.Errorf("a conversation or a case reached a label: %s{%s}", name, labels)
			}
		}
	}
}
