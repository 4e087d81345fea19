// Package prometheus is Sportello's /metrics: it turns what the engine,
// the stores and the adapters measure into Prometheus collectors, with
// github.com/prometheus/client_golang, the one package that imports it.
// The engine tells it of messages, sends and case steps as they happen
// (it is a bot.Meter); the Telegram channel and the Slack desk tell it of
// their API calls (API returns their Meter); what is counted where it is
// kept (queues, the event log, dead letters) is read at each scrape.
// docs/metrics.md lists every metric, its labels and the alerts.
package prometheus

import (
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"time"

	prom "github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sportello/sportello/bot"
)

// Options configure Metrics. The zero value is ready to use.
type Options struct {
	// Now tells the time of the ages read at a scrape (the oldest case
	// waiting in a queue, the archive's lag); time.Now when nil. Give
	// the engine's clock, so that ages are on the clock cases are dated by.
	Now func() time.Time
	// Timeout bounds the store calls of one scrape: 2 s when zero. A
	// source that does not answer in time is left out of that scrape and
	// counted in sportello_metrics_source_errors_total.
	Timeout time.Duration
	Logger  *slog.Logger // discarded when nil
}

// Metrics is the registry of /metrics and the Meter of the engine. It is
// safe for concurrent use.
type Metrics struct {
	opt Options
	log *slog.Logger
	reg *prom.Registry
	all []prom.Collector // what reg holds, for Names

	messages     *prom.CounterVec
	handle       *prom.HistogramVec
	sends        *prom.HistogramVec
	cases        *prom.CounterVec
	claim        *prom.HistogramVec
	apiCalls     *prom.CounterVec
	apiErrors    *prom.CounterVec
	sourceErrors *prom.CounterVec
}

var _ bot.Meter = (*Metrics)(nil)

// New returns the metrics of one process, with the Go runtime's and the
// process's own collectors registered. Watch adds the engine's and the
// stores' once they exist.
func New(opt Options) *Metrics {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 2 * time.Second
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{opt: opt, log: opt.Logger.With("component", "metrics"), reg: prom.NewRegistry()}
	m.messages = prom.NewCounterVec(prom.CounterOpts{
		Name: "sportello_messages_total",
		Help: "Messages the engine took, by channel, kind (customer, agent, timer, undeliverable) and outcome (handled, duplicate, failed).",
	}, []string{"channel", "kind", "outcome"})
	m.handle = prom.NewHistogramVec(prom.HistogramOpts{
		Name:    "sportello_handle_duration_seconds",
		Help:    "Time Engine.Handle took per message, from its call to the delivery of the replies, by channel and kind.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"channel", "kind"})
	m.sends = prom.NewHistogramVec(prom.HistogramOpts{
		Name:    "sportello_delivery_duration_seconds",
		Help:    "Time one try to deliver an outbox entry took, by kind (reply, desk, queue) and result (delivered, failed, undeliverable).",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"kind", "result"})
	m.cases = prom.NewCounterVec(prom.CounterOpts{
		Name: "sportello_cases_total",
		Help: "Steps of cases the engine committed, by team and step (opened, claimed, released, resolved, left, timed_out).",
	}, []string{"team", "step"})
	m.claim = prom.NewHistogramVec(prom.HistogramOpts{
		Name:    "sportello_time_to_claim_seconds",
		Help:    "Time from a case's handoff to its claim by an agent, by team.",
		Buckets: []float64{5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800, 57600},
	}, []string{"team"})
	m.apiCalls = prom.NewCounterVec(prom.CounterOpts{
		Name: "sportello_api_calls_total",
		Help: "Calls of the Telegram Bot API and the Slack Web API, by api and method, failed or not.",
	}, []string{"api", "method"})
	m.apiErrors = prom.NewCounterVec(prom.CounterOpts{
		Name: "sportello_api_errors_total",
		Help: "Failed calls of the Telegram Bot API and the Slack Web API, by api, method and kind (timeout, refused, network, rate_limited, server, auth, forbidden, setup, rejected, invalid).",
	}, []string{"api", "method", "kind"})
	m.sourceErrors = prom.NewCounterVec(prom.CounterOpts{
		Name: "sportello_metrics_source_errors_total",
		Help: "Scrapes that could not read a source (queues, event_log, dead_letters): its metrics were left out.",
	}, []string{"source"})
	for _, c := range []prom.Collector{m.messages, m.handle, m.sends, m.cases, m.claim, m.apiCalls, m.apiErrors, m.sourceErrors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		if err := m.register(c); err != nil {
			panic(err) // two of the package's own metrics share a name
		}
	}
	return m
}

func (m *Metrics) register(c prom.Collector) error {
	if err := m.reg.Register(c); err != nil {
		return err
	}
	m.all = append(m.all, c)
	return nil
}

// fqNameRE reads a metric's name out of a Desc, which has no getter.
var fqNameRE = regexp.MustCompile(`fqName: "([^"]+)"`)

// Names returns the name of every metric /metrics may export, sorted,
// those of vectors not observed yet included: what a dashboard or an
// alert may refer to. A histogram's series add _bucket, _sum and _count.
func (m *Metrics) Names() []string {
	ch := make(chan *prom.Desc)
	go func() {
		for _, c := range m.all {
			c.Describe(ch)
		}
		close(ch)
	}()
	var names []string
	for d := range ch {
		if n := fqNameRE.FindStringSubmatch(d.String()); n != nil && !slices.Contains(names, n[1]) {
			names = append(names, n[1])
		}
	}
	slices.Sort(names)
	return names
}

// Handler serves the registry in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slogPrinter{m.log},
		ErrorHandling: promhttp.ContinueOnError, // what could be gathered is served
		Registry:      m.reg,
		Timeout:       m.opt.Timeout + time.Second,
	})
}

// slogPrinter is promhttp's error log on slog.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) { p.log.Warn("metrics: serve", "err", v) }

// A label value must be one of few: a channel's name that is not a short
// word (a bug upstream) is counted as "other" rather than grow the
// series. word keeps [a-z][a-z0-9_-]{0,23}; it runs on every message, so
// it is a loop, not a regular expression.
func word(s string) string {
	return keep(s, 24, func(i int, c byte) bool {
		return c >= 'a' && c <= 'z' || i > 0 && (c >= '0' && c <= '9' || c == '_' || c == '-')
	})
}

// keep returns s when it is 1 to max bytes that ok accepts, else "other".
func keep(s string, max int, ok func(i int, c byte) bool) string {
	if len(s) == 0 || len(s) > max {
		return "other"
	}
	for i := range len(s) {
		if !ok(i, s[i]) {
			return "other"
		}
	}
	return s
}

func kindLabel(k bot.MessageKind) string {
	if k == bot.KindCustomer {
		return "customer"
	}
	return word(string(k))
}

// Handled counts a message and its latency; see bot.Meter.
func (m *Metrics) Handled(channel string, kind bot.MessageKind, outcome bot.Outcome, took time.Duration) {
	ch, k := word(channel), kindLabel(kind)
	m.messages.WithLabelValues(ch, k, string(outcome)).Inc()
	m.handle.WithLabelValues(ch, k).Observe(took.Seconds())
}

// Sent counts a try to deliver an outbox entry and its latency; see
// bot.Meter.
func (m *Metrics) Sent(kind string, result bot.SendResult, took time.Duration) {
	m.sends.WithLabelValues(word(kind), string(result)).Observe(took.Seconds())
}

// steps name the case steps in labels.
var steps = map[bot.EventType]string{
	bot.EventHandoff: "opened", bot.EventClaimed: "claimed", bot.EventReleased: "released",
	bot.EventResolved: "resolved", bot.EventLeftQueue: "left", bot.EventTimeout: "timed_out",
}

// Case counts a step of a case, and a claim's time to claim; see
// bot.Meter.
func (m *Metrics) Case(team string, step bot.EventType, open time.Duration) {
	s, ok := steps[step]
	if !ok {
		return
	}
	team = word(team)
	m.cases.WithLabelValues(team, s).Inc()
	if step == bot.EventClaimed {
		m.claim.WithLabelValues(team).Observe(open.Seconds())
	}
}

// An APIMeter counts the calls of one API (telegram, slack); it is the
// telegram.Meter and the slack.Meter.
type APIMeter struct {
	m   *Metrics
	api string
}

// API returns the Meter of the API named name. Its calls of methods and
// its failures of the kinds given start at zero (the adapters list them),
// so that the first failure of a kind is an increase that rate() and
// increase() see, not a series that appears at 1; others are counted too.
func (m *Metrics) API(name string, methods, failures []string) *APIMeter {
	a := &APIMeter{m: m, api: word(name)}
	for _, method := range methods {
		method = apiWord(method)
		m.apiCalls.WithLabelValues(a.api, method)
		for _, f := range failures {
			m.apiErrors.WithLabelValues(a.api, method, word(f))
		}
	}
	return a
}

// APICall counts a call of the API and, when failure is set, its failure.
func (a *APIMeter) APICall(method, failure string) {
	method = apiWord(method)
	a.m.apiCalls.WithLabelValues(a.api, method).Inc()
	if failure != "" {
		a.m.apiErrors.WithLabelValues(a.api, method, word(failure)).Inc()
	}
}

// apiWord keeps an API method's name (chat.postMessage, sendMessage):
// [A-Za-z][A-Za-z0-9_.]{0,39}.
func apiWord(s string) string {
	return keep(s, 40, func(i int, c byte) bool {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '_' || c == '.')
	})
}

// Sources are what Watch reads at each scrape, or exports under the
// names /metrics had before this package. A nil field leaves its
// metrics out.
type Sources struct {
	// Stats are the engine's counters (sportello_messages_handled_total
	// and the others of before).
	Stats func() bot.Stats
	// Backlog is the outbox this process holds (bot.Engine.Backlog).
	Backlog func() []bot.Backlog
	// Queues and Teams give each team's queue length and the age of its
	// oldest waiting case: two calls per team, O(log n) each.
	Queues bot.Queues
	Teams  []string
	// EventLog and Group tell how far the archive's consumer group is
	// behind (bot.EventLog.Backlog).
	EventLog bot.EventLog
	Group    string
	// DeadLetters counts the events the archive set aside.
	DeadLetters DeadLetterCounter
	// Channels are the customers' channels (web, telegram), whose
	// message counters start at zero, as do the teams' case counters.
	Channels []string
}

// A DeadLetterCounter counts the dead letters kept (report.Archive does).
type DeadLetterCounter interface {
	CountDeadLetters(ctx context.Context) (int, error)
}

// Watch registers the collectors of src. Call it once the engine and the
// stores exist.
func (m *Metrics) Watch(src Sources) error {
	m.start(src)
	if src.Stats != nil {
		if err := m.registerStats(src.Stats); err != nil {
			return err
		}
	}
	return m.register(&scrape{m: m, src: src})
}

// start makes the series of the channels, teams and kinds known in
// advance, at zero: a counter that first appears at 1 hides its first
// increase from rate() and increase(), and an alert on it would miss it.
func (m *Metrics) start(src Sources) {
	kinds := []bot.MessageKind{bot.KindCustomer, bot.KindAgent, bot.KindTimer, bot.KindUndeliverable}
	for _, ch := range src.Channels {
		for _, k := range kinds {
			m.handle.WithLabelValues(word(ch), kindLabel(k))
			for _, o := range []bot.Outcome{bot.OutcomeHandled, bot.OutcomeDuplicate, bot.OutcomeFailed} {
				m.messages.WithLabelValues(word(ch), kindLabel(k), string(o))
			}
		}
	}
	for _, k := range []string{bot.KindReply, bot.KindDesk, bot.KindQueue} {
		for _, r := range []bot.SendResult{bot.SendDelivered, bot.SendFailed, bot.SendUndeliverable} {
			m.sends.WithLabelValues(k, string(r))
		}
	}
	for _, team := range src.Teams {
		m.claim.WithLabelValues(word(team))
		for _, s := range steps {
			m.cases.WithLabelValues(word(team), s)
		}
	}
}

// registerStats exports the engine's counters under their former names,
// so that nothing an operator scraped disappears.
func (m *Metrics) registerStats(stats func() bot.Stats) error {
	for _, c := range []struct {
		name, help string
		v          func(bot.Stats) int64
	}{
		{"sportello_messages_handled_total", "Messages committed.", func(s bot.Stats) int64 { return s.Handled }},
		{"sportello_messages_duplicate_total", "Redelivered messages skipped.", func(s bot.Stats) int64 { return s.Duplicates }},
		{"sportello_commit_conflicts_total", "Commits retried after a concurrent update.", func(s bot.Stats) int64 { return s.Conflicts }},
		{"sportello_messages_failed_total", "Messages not committed (store failures).", func(s bot.Stats) int64 { return s.Failed }},
		{"sportello_errors_total", "Internal errors answered with an apology.", func(s bot.Stats) int64 { return s.Errors }},
		{"sportello_deliveries_total", "Outbox entries delivered.", func(s bot.Stats) int64 { return s.Delivered }},
		{"sportello_delivery_failures_total", "Deliveries that failed and will be retried.", func(s bot.Stats) int64 { return s.DeliveryFailures }},
		{"sportello_undeliverable_total", "Replies refused for good by the channel.", func(s bot.Stats) int64 { return s.Undeliverable }},
		{"sportello_redeliveries_total", "Deliveries tried again after the lease.", func(s bot.Stats) int64 { return s.Redelivered }},
	} {
		v := c.v
		f := prom.NewCounterFunc(prom.CounterOpts{Name: c.name, Help: c.help}, func() float64 { return float64(v(stats())) })
		if err := m.register(f); err != nil {
			return err
		}
	}
	return nil
}

// The metrics read at each scrape.
var (
	queueLenDesc = prom.NewDesc("sportello_queue_length",
		"Cases waiting in each team's queue, not claimed yet (the same on every replica).", []string{"team"}, nil)
	openCasesDesc = prom.NewDesc("sportello_open_cases",
		"Cases open for each team: waiting in its queue, or claimed by an agent and not resolved or released (the same on every replica).",
		[]string{"team", "state"}, nil)
	queueOldestDesc = prom.NewDesc("sportello_queue_oldest_seconds",
		"Age of the oldest case waiting in each team's queue; 0 when none waits.", []string{"team"}, nil)
	outboxDesc = prom.NewDesc("sportello_outbox_entries",
		"Outbox entries this process holds for delivery (waiting, being sent, or to be tried again), by kind.", []string{"kind"}, nil)
	outboxOldestDesc = prom.NewDesc("sportello_outbox_oldest_seconds",
		"Age of the oldest outbox entry this process holds, by kind; 0 when none.", []string{"kind"}, nil)
	archiveBacklogDesc = prom.NewDesc("sportello_archive_backlog",
		"Event log entries the archive has not stored yet (Redis: commits; memory: events); 0 when caught up.", nil, nil)
	archiveLagDesc = prom.NewDesc("sportello_archive_lag_seconds",
		"Age of the oldest event the archive has not stored yet; 0 when caught up.", nil, nil)
	deadLettersDesc = prom.NewDesc("sportello_archive_dead_letters",
		"Events the archive refused and set aside (sportello archive retry).", nil, nil)
)

// scrape is the collector of what is read where it is kept, at each
// scrape: a source that fails is left out of the scrape, logged and
// counted, rather than reported as a wrong zero.
type scrape struct {
	m   *Metrics
	src Sources
}

func (s *scrape) Describe(ch chan<- *prom.Desc) {
	for _, d := range []*prom.Desc{queueLenDesc, openCasesDesc, queueOldestDesc, outboxDesc, outboxOldestDesc,
		archiveBacklogDesc, archiveLagDesc, deadLettersDesc} {
		ch <- d
	}
}

func (s *scrape) Collect(ch chan<- prom.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), s.m.opt.Timeout)
	defer cancel()
	now := s.m.opt.Now()
	age := func(t time.Time) float64 {
		if t.IsZero() {
			return 0
		}
		return max(now.Sub(t).Seconds(), 0)
	}
	gauge := func(d *prom.Desc, v float64, labels ...string) {
		ch <- prom.MustNewConstMetric(d, prom.GaugeValue, v, labels...)
	}
	if s.src.Backlog != nil {
		for _, b := range s.src.Backlog() {
			gauge(outboxDesc, float64(b.Entries), b.Kind)
			gauge(outboxOldestDesc, b.Oldest.Seconds(), b.Kind)
		}
	}
	if q := s.src.Queues; q != nil {
		for _, team := range s.src.Teams {
			n, err := q.Len(ctx, team)
			if err != nil {
				s.failed("queues", err)
				break
			}
			claimed, err := q.Claimed(ctx, team)
			if err != nil {
				s.failed("queues", err)
				break
			}
			oldest, err := q.Oldest(ctx, team, 1)
			if err != nil {
				s.failed("queues", err)
				break
			}
			var since time.Time
			if len(oldest) > 0 {
				since = oldest[0].Since
			}
			gauge(queueLenDesc, float64(n), word(team))
			gauge(openCasesDesc, float64(n), word(team), "waiting")
			gauge(openCasesDesc, float64(claimed), word(team), "claimed")
			gauge(queueOldestDesc, age(since), word(team))
		}
	}
	if l := s.src.EventLog; l != nil {
		if n, oldest, err := l.Backlog(ctx, s.src.Group); err != nil {
			s.failed("event_log", err)
		} else {
			gauge(archiveBacklogDesc, float64(n))
			gauge(archiveLagDesc, age(oldest))
		}
	}
	if d := s.src.DeadLetters; d != nil {
		if n, err := d.CountDeadLetters(ctx); err != nil {
			s.failed("dead_letters", err)
		} else {
			gauge(deadLettersDesc, float64(n))
		}
	}
}

func (s *scrape) failed(source string, err error) {
	s.m.sourceErrors.WithLabelValues(source).Inc()
	s.m.log.Warn("metrics: a source did not answer; its metrics are left out of this scrape", "source", source, "err", err)
}
