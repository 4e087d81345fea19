// Package report is the reporting domain beside the message lifecycle:
// the transcript archive's port (Archive), conversations and their
// summaries, the managers' filters and numbers, and the Archiver that
// feeds the archive from the store's event log, off the message path,
// setting aside (dead letters) what the archive refuses on its own.
// Besides the standard library and bot, it uses one package:
// github.com/cenkalti/backoff/v5 for the archiver's retries.
package report

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/bot"
)

// ErrNoConversation: the archive holds no conversation by that reference.
var ErrNoConversation = errors.New("report: no such conversation")

// An Archive keeps every transcript for good (until retention deletes it),
// split into conversations, for the managers' review pages. The archiver
// feeds it from the bot.EventLog, off the message path. adapters/postgres and
// adapters/memory implement it.
type Archive interface {
	// Append stores events, skipping those whose ID is stored already, and
	// updates the summaries of their conversations. Events may come more
	// than once and out of order. It stores all of them or none; an error
	// wrapping ErrRejected means the archive refused their data (one of
	// them, or their sum), any other that it is down.
	Append(ctx context.Context, events ...bot.Event) error
	// List returns the conversations that match f, latest first, and how
	// many match in all.
	List(ctx context.Context, f Filter) ([]Conversation, int, error)
	// Transcript returns a conversation and its events in order. ref is a
	// conversation ID, or an address ("telegram:42") for the latest
	// conversation of that customer. It returns ErrNoConversation when
	// there is none.
	Transcript(ctx context.Context, ref string) (*Conversation, []bot.Event, error)
	// Stats returns the numbers of the conversations started in p, its
	// days counted in p.Zone: the same numbers as ComputeStats.
	Stats(ctx context.Context, p Period) (*Stats, error)
	// DocumentEvents returns the searches of the shop's documents made in
	// p and the feedback given on them in p or within FeedbackWindow after
	// it (InDocumentWindow), each with its conversation, in the order they
	// happened, at most MaxDocumentEvents: the input of ComputeGaps.
	DocumentEvents(ctx context.Context, p Period) ([]DocumentEvent, error)
	// Delete removes the conversations whose last event is older than
	// before, with their events, and returns how many it removed.
	Delete(ctx context.Context, before time.Time) (int, error)
	// The events Append refused on their own are set aside beside the
	// archive, for the managers to see and an operator to retry.
	DeadLetterBox
}

// An Outcome says how a conversation ended. A handed-off conversation's
// outcome is its team's name: OutcomeSales and OutcomeSupport are the
// teams of the design; a flow file may name others.
type Outcome string

// The outcomes. See Summarize for how each is derived from the events.
const (
	OutcomeBot       Outcome = "bot"       // solved by the bot
	OutcomeSales     Outcome = "sales"     // handed to sales
	OutcomeSupport   Outcome = "support"   // handed to support
	OutcomeAbandoned Outcome = "abandoned" // the customer left without an answer
)

// ConversationGap is the silence that ends a conversation: the next event
// of the same address starts a new one, unless a case is still open (a
// customer may wait overnight for an agent in the same conversation).
const ConversationGap = time.Hour

// A Conversation is the summary of one conversation, as the archive lists
// it. Summarize derives it from the conversation's events.
type Conversation struct {
	ID       string      `json:"id"`
	Address  bot.Address `json:"address"`
	Started  time.Time   `json:"started"`
	Last     time.Time   `json:"last"`
	Language string      `json:"lang,omitempty"`
	// Team is the last team the conversation was handed to, if any.
	Team    string  `json:"team,omitempty"`
	Outcome Outcome `json:"outcome"`
	// Open is true while a case is queued or claimed.
	Open bool `json:"open,omitempty"`
	// Intents are the intents recognised, in the order first seen
	// (button presses, recorded as "button:..." intents, are left out).
	Intents []string `json:"intents,omitempty"`
	// CSAT is the last satisfaction score (1 to 5), 0 for none.
	CSAT int `json:"csat,omitempty"`
	// Agent is the name of the last agent who claimed the case.
	Agent string `json:"agent,omitempty"`
	// Preview is the first customer text, for the list.
	Preview string `json:"preview,omitempty"`

	Messages         int `json:"messages"` // customer, bot and agent messages
	CustomerMessages int `json:"customer_messages"`
	BotMessages      int `json:"bot_messages"`
	AgentMessages    int `json:"agent_messages"`
	Fallbacks        int `json:"fallbacks"`

	// TimeToClaim runs from the first handoff to the first claim;
	// TimeToFirstReply from the first handoff to the first agent reply.
	// Zero when it did not happen.
	TimeToClaim      time.Duration `json:"time_to_claim,omitempty"`
	TimeToFirstReply time.Duration `json:"time_to_first_reply,omitempty"`
}

// ConversationID returns the ID of the conversation of addr that started
// at t: stable, readable, and safe in a URL path once escaped.
func ConversationID(addr bot.Address, started time.Time) string {
	return addr.String() + "@" + strconv.FormatInt(started.UnixMilli(), 36)
}

// Joins reports whether an event at t belongs to conversation c: it falls
// within ConversationGap of c's events, or c has a case open and t is not
// before it started.
func (c *Conversation) Joins(t time.Time) bool {
	if t.Before(c.Started.Add(-ConversationGap)) {
		return false
	}
	return c.Open || !t.After(c.Last.Add(ConversationGap))
}

// Extend takes e into c as far as Joins needs for the events that follow
// in the same batch: its start, its last time, whether a case is open.
// Summarize computes the rest once the batch is in.
func (c *Conversation) Extend(e bot.Event) {
	if e.Time.Before(c.Started) {
		c.Started = e.Time
	}
	if e.Time.After(c.Last) {
		c.Last = e.Time
	}
	switch e.Type {
	case bot.EventHandoff:
		c.Open = true
	case bot.EventResolved, bot.EventLeftQueue:
		c.Open = false
	}
}

// SortEvents orders events by time; events of one commit share their time
// and keep their order by the index that ends their ID.
func SortEvents(evs []bot.Event) {
	slices.SortStableFunc(evs, func(a, b bot.Event) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return cmp.Compare(eventIndex(a.ID), eventIndex(b.ID))
	})
}

func eventIndex(id string) int {
	n, _ := strconv.Atoi(id[strings.LastIndexByte(id, '|')+1:])
	return n
}

// Summarize derives the summary of conversation id from its events, in
// order. The outcome is:
//
//   - a team's name (sales, support) when a case was handed to that team
//     and the customer did not leave its queue; the last such team counts,
//     whether or not an agent claimed it;
//   - abandoned when no case stands and the customer left the queue, or
//     the last thing the bot did was not understand (a fallback), fail
//     (an error), or refuse the input, or a flow started and never ended;
//   - bot (solved by the bot) otherwise: the bot answered and its flows
//     ended.
//
// It is a Fold of the events: an archive may keep the fold and add the
// events that follow instead.
func Summarize(id string, evs []bot.Event) Conversation {
	f := NewFold(id)
	for _, e := range evs {
		f.Add(e)
	}
	return f.Summary()
}

// A Filter selects conversations. Zero fields select everything.
type Filter struct {
	// From and To are instants: conversations started in [From, To). A
	// filter by days gives the midnights of the shop's time zone (DayOf,
	// NextDay), so a conversation is found on the day it has there.
	From, To time.Time
	Address  bot.Address
	Channel  string
	Team     string
	Outcome  Outcome
	Language string
	Intent   string
	// CSAT selects a score from 1 to 5; -1 selects conversations without one.
	CSAT  int
	Agent string
	// Query is a full-text search over the customer, bot and agent texts.
	// The PostgreSQL archive stems words in Italian and English.
	Query  string
	Limit  int // 50 when zero
	Offset int
}

// DefaultLimit is the page size of a Filter without Limit.
const DefaultLimit = 50

// PageSize returns f.Limit, or DefaultLimit when it is not set.
func (f Filter) PageSize() int {
	if f.Limit <= 0 {
		return DefaultLimit
	}
	return f.Limit
}

// Match reports whether c passes every field of f but Query and paging.
func (f Filter) Match(c *Conversation) bool {
	switch {
	case !f.From.IsZero() && c.Started.Before(f.From),
		!f.To.IsZero() && !c.Started.Before(f.To),
		!f.Address.IsZero() && c.Address != f.Address,
		f.Channel != "" && c.Address.Channel != f.Channel,
		f.Team != "" && c.Team != f.Team,
		f.Outcome != "" && c.Outcome != f.Outcome,
		f.Language != "" && c.Language != f.Language,
		f.Intent != "" && !slices.Contains(c.Intents, f.Intent),
		f.CSAT > 0 && c.CSAT != f.CSAT,
		f.CSAT < 0 && c.CSAT != 0,
		f.Agent != "" && c.Agent != f.Agent:
		return false
	}
	return true
}

// A Period is a span of days of Stats: [From, To), its days counted in
// Zone. From and To are instants, normally midnights of Zone: a shop in
// Rome counts a conversation started at 23:30 UTC on the next day, as its
// managers saw it.
type Period struct {
	From, To time.Time
	// Zone is the time zone whose days are counted; UTC when nil.
	Zone *time.Location `json:"-"`
}

// zone returns p's time zone, UTC when none is set.
func (p Period) zone() *time.Location {
	if p.Zone == nil {
		return time.UTC
	}
	return p.Zone
}

// DayOf returns the first instant of t's day in zone (UTC when nil): the
// day a person there would say t happened on. Days have 23 or 25 hours
// where the clocks change.
func DayOf(t time.Time, zone *time.Location) time.Time {
	if zone == nil {
		zone = time.UTC
	}
	y, m, d := t.In(zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, zone)
}

// NextDay returns the first instant of the day after t's day in zone.
func NextDay(t time.Time, zone *time.Location) time.Time {
	if zone == nil {
		zone = time.UTC
	}
	y, m, d := t.In(zone).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, zone)
}

// Stats are the numbers of a period, for the dashboard.
type Stats struct {
	Period        Period          `json:"period"`
	Conversations int             `json:"conversations"`
	PerDay        []DayCount      `json:"per_day"` // every day of the period, in its zone
	Outcomes      map[Outcome]int `json:"outcomes"`
	// Containment is the share of conversations solved by the bot.
	Containment float64        `json:"containment"`
	Handoffs    map[string]int `json:"handoffs"` // conversations handed to each team
	// MedianClaim and MedianFirstReply are over the conversations that
	// were claimed, or got an agent reply.
	MedianClaim      time.Duration `json:"median_claim"`
	MedianFirstReply time.Duration `json:"median_first_reply"`
	// CSAT[s] counts the conversations scored s (1 to 5); CSAT[0] is unused.
	CSAT       [6]int        `json:"csat"`
	AvgCSAT    float64       `json:"avg_csat"`
	TopIntents []IntentCount `json:"top_intents"` // at most TopIntents, most frequent first
	// ByIntent is containment per intent: of the conversations where an
	// intent was recognised, how many the bot resolved by itself, handed
	// off or lost (see IntentContainment); at most ContainmentIntents.
	ByIntent []IntentContainment `json:"by_intent"`
	// FallbackRate is fallbacks per customer message: how often the bot
	// did not understand.
	FallbackRate     float64 `json:"fallback_rate"`
	CustomerMessages int     `json:"customer_messages"`
	Fallbacks        int     `json:"fallbacks"`
}

// TopIntents is how many intents Stats ranks.
const TopIntents = 10

// A DayCount is the number of conversations started on a day.
type DayCount struct {
	Day   time.Time `json:"day"` // its first instant, in the period's zone
	Count int       `json:"count"`
}

// An IntentCount is the number of conversations where an intent was seen.
type IntentCount struct {
	Intent string `json:"intent"`
	Count  int    `json:"count"`
}

// MaxDays bounds the days of a period that Days lists: ten years.
const MaxDays = 3660

// Days returns the first instant of every day of p in its zone (midnight
// there), from the day of From to the last day before To.
func (p Period) Days() []time.Time {
	var days []time.Time
	for d := DayOf(p.From, p.zone()); d.Before(p.To) && len(days) < MaxDays; d = NextDay(d, p.zone()) {
		days = append(days, d)
	}
	return days
}

// ComputeStats returns the numbers of the conversations started in p, of
// all those given. Archives that hold their summaries in memory use it;
// others compute the same numbers where they keep them.
func ComputeStats(convs []Conversation, p Period) *Stats {
	st := &Stats{Period: p, Outcomes: map[Outcome]int{}, Handoffs: map[string]int{}}
	perDay := map[time.Time]int{}
	intents := map[string]int{}
	outcomes := map[string]map[Outcome]int{}
	var claims, replies []time.Duration
	var csatSum int
	for i := range convs {
		c := &convs[i]
		if c.Started.Before(p.From) || !c.Started.Before(p.To) {
			continue
		}
		st.Conversations++
		perDay[DayOf(c.Started, p.zone())]++
		st.Outcomes[c.Outcome]++
		if c.Team != "" {
			st.Handoffs[c.Team]++
		}
		if c.TimeToClaim > 0 {
			claims = append(claims, c.TimeToClaim)
		}
		if c.TimeToFirstReply > 0 {
			replies = append(replies, c.TimeToFirstReply)
		}
		if c.CSAT >= 1 && c.CSAT <= 5 {
			st.CSAT[c.CSAT]++
			csatSum += c.CSAT
		}
		for _, in := range c.Intents {
			intents[in]++
			if outcomes[in] == nil {
				outcomes[in] = map[Outcome]int{}
			}
			outcomes[in][c.Outcome]++
		}
		st.CustomerMessages += c.CustomerMessages
		st.Fallbacks += c.Fallbacks
	}
	for _, d := range p.Days() {
		st.PerDay = append(st.PerDay, DayCount{Day: d, Count: perDay[d]})
	}
	for in, n := range intents {
		st.TopIntents = append(st.TopIntents, IntentCount{in, n})
	}
	slices.SortFunc(st.TopIntents, func(a, b IntentCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Intent, b.Intent))
	})
	st.TopIntents = st.TopIntents[:min(len(st.TopIntents), TopIntents)]
	st.ByIntent = ByIntent(outcomes)
	st.MedianClaim, st.MedianFirstReply = median(claims), median(replies)
	st.finish(csatSum)
	return st
}

// finish computes the rates from the counts.
func (st *Stats) finish(csatSum int) {
	if st.Conversations > 0 {
		st.Containment = float64(st.Outcomes[OutcomeBot]) / float64(st.Conversations)
	}
	if n := st.CSAT[1] + st.CSAT[2] + st.CSAT[3] + st.CSAT[4] + st.CSAT[5]; n > 0 {
		st.AvgCSAT = float64(csatSum) / float64(n)
	}
	if st.CustomerMessages > 0 {
		st.FallbackRate = float64(st.Fallbacks) / float64(st.CustomerMessages)
	}
}

// Finish computes Containment, AvgCSAT and FallbackRate from the counts,
// for archives that count elsewhere.
func (st *Stats) Finish() {
	sum := 0
	for s := 1; s <= 5; s++ {
		sum += s * st.CSAT[s]
	}
	st.finish(sum)
}

// median returns the median of ds (the mean of the middle two when even),
// as PostgreSQL's percentile_cont(0.5) does; zero for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	m := len(ds) / 2
	if len(ds)%2 == 1 {
		return ds[m]
	}
	return (ds[m-1] + ds[m]) / 2
}
