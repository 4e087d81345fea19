package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sportello/sportello/bot/report"
)

// The dashboard's numbers come from stats_days (migration 004): the
// conversations' counts rolled up by the days of one time zone, the
// shop's, kept as the archive writes. A period of 90 days reads some two
// thousand rows rather than every conversation in it. The medians are not
// sums: they come from the conversations handed to agents, through an
// index that holds their times.
//
// The roll-up counts the days of the zone in stats_zone, and every writer
// keeps it in that zone whatever its own, so replicas never mix zones. A
// period in another zone, or that does not run from midnight to midnight,
// is counted from the conversations themselves: slower, the same numbers.

// An Option changes how Open sets the archive up.
type Option func(*options)

type options struct {
	zone *time.Location
}

// DaysIn makes the archive roll the dashboard's numbers up by the days of
// zone, the shop's time zone (report.Period.Zone), building the roll-up
// again from the conversations at Open when it counted another zone or
// none. Without it the roll-up stays as it is; the dashboard asks for
// its own zone, so a server should always pass it.
func DaysIn(zone *time.Location) Option {
	return func(o *options) { o.zone = zone }
}

// statsLock is the advisory lock between the writers of stats_days (each
// append and deletion holds it shared) and a rebuild (exclusive): a
// rebuild counts every conversation committed before it, and every write
// after it counts into the new roll-up.
const statsLock = 0x5374_6174_73 // "Stats"

// zones caches the locations of the zone names read from stats_zone.
var zones sync.Map // string -> *time.Location

func loadZone(name string) (*time.Location, error) {
	if z, ok := zones.Load(name); ok {
		return z.(*time.Location), nil
	}
	z, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, z)
	return z, nil
}

// A dayKey is one row of stats_days.
type dayKey struct {
	day       string // YYYY-MM-DD in the roll-up's zone
	kind, key string
}

// dayCounts are changes to stats_days, or their sums.
type dayCounts map[dayKey]int64

// add counts conversation c into the days of zone, times sign (-1 takes
// it out). The kinds are what report.ComputeStats adds up.
func (dc dayCounts) add(c *report.Conversation, zone *time.Location, sign int64) {
	day := c.Started.In(zone).Format(time.DateOnly)
	inc := func(kind, key string, n int64) {
		if n != 0 {
			dc[dayKey{day, kind, key}] += sign * n
		}
	}
	inc("conversations", "", 1)
	inc("customer_messages", "", int64(c.CustomerMessages))
	inc("fallbacks", "", int64(c.Fallbacks))
	inc("outcome", string(c.Outcome), 1)
	if c.Team != "" {
		inc("team", c.Team, 1)
	}
	if c.CSAT >= 1 && c.CSAT <= 5 {
		inc("csat", strconv.Itoa(c.CSAT), 1)
	}
	for _, in := range c.Intents {
		inc("intent", in, 1)
		// What became of the conversations of each intent: containment.
		inc("intent_outcome", in+"/"+string(c.Outcome), 1)
	}
}

// rollUpZone returns the zone the roll-up counts in, after taking the
// writers' share of statsLock for tx (first, and in a statement of its
// own, so that what follows sees any rebuild that came before); nil when
// there is no roll-up to keep. A zone this process cannot load (another version's zone data)
// drops the roll-up rather than leave it wrong: the dashboard then counts
// from the conversations until a server opens the archive with DaysIn.
func rollUpZone(ctx context.Context, tx pgx.Tx) (*time.Location, error) {
	// One round trip; in READ COMMITTED the second statement's snapshot
	// is taken after the first has the lock.
	var name string
	b := &pgx.Batch{}
	b.Queue(`SELECT pg_advisory_xact_lock_shared($1)`, statsLock)
	b.Queue(`SELECT coalesce((SELECT zone FROM stats_zone), '')`).QueryRow(func(r pgx.Row) error { return r.Scan(&name) })
	if err := tx.SendBatch(ctx, b).Close(); err != nil || name == "" {
		return nil, err
	}
	zone, err := loadZone(name)
	if err != nil {
		_, err = tx.Exec(ctx, `DELETE FROM stats_zone`)
		return nil, err
	}
	return zone, nil
}

// summaryColumns are what stats_days counts of a conversation.
const summaryColumns = `started_at, outcome, team, csat, customer_messages, fallbacks, intents`

// applyDays adds dc to stats_days. The rows go in one order, so that two
// appends touching the same days never wait for each other in a cycle.
func applyDays(ctx context.Context, tx pgx.Tx, dc dayCounts) error {
	keys := make([]dayKey, 0, len(dc))
	for k, n := range dc {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, func(a, b dayKey) int {
		return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.kind, b.kind), cmp.Compare(a.key, b.key))
	})
	days, kinds, vals, ns := make([]string, len(keys)), make([]string, len(keys)), make([]string, len(keys)), make([]int64, len(keys))
	for i, k := range keys {
		days[i], kinds[i], vals[i], ns[i] = k.day, k.kind, k.key, dc[k]
	}
	_, err := tx.Exec(ctx, `INSERT INTO stats_days (day, kind, key, n)
		SELECT d::date, k, v, n FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS u(d, k, v, n, o)
		ORDER BY o
		ON CONFLICT (day, kind, key) DO UPDATE SET n = stats_days.n + excluded.n`, days, kinds, vals, ns)
	return err
}

// rollUp builds stats_days again for zone from every conversation, unless
// it counts zone already, and records the zone. It holds statsLock
// alone, so no write is counted twice or missed.
func (a *Archive) rollUp(ctx context.Context, zone *time.Location) error {
	err := pgx.BeginFunc(ctx, a.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, statsLock); err != nil {
			return err
		}
		var current string
		err := tx.QueryRow(ctx, `SELECT zone FROM stats_zone`).Scan(&current)
		if err == nil && current == zone.String() {
			return nil
		}
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		return a.countAll(ctx, tx, zone)
	})
	if err != nil {
		return fmt.Errorf("postgres: roll the days up in %s: %w", zone, err)
	}
	return nil
}

// countAll replaces stats_days with the counts of every conversation in
// zone's days, and records zone; the caller holds statsLock alone.
func (a *Archive) countAll(ctx context.Context, tx pgx.Tx, zone *time.Location) error {
	if _, err := loadZone(zone.String()); err != nil {
		return fmt.Errorf("the zone must have an IANA name the archive's readers can load: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT `+summaryColumns+` FROM conversations`)
	if err != nil {
		return err
	}
	dc := dayCounts{}
	var c report.Conversation
	var outcome string
	_, err = pgx.ForEachRow(rows, []any{&c.Started, &outcome, &c.Team, &c.CSAT, &c.CustomerMessages, &c.Fallbacks, &c.Intents}, func() error {
		c.Outcome = report.Outcome(outcome)
		dc.add(&c, zone, 1)
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM stats_days`); err != nil {
		return err
	}
	if err := applyDays(ctx, tx, dc); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO stats_zone (zone) VALUES ($1) ON CONFLICT (one) DO UPDATE SET zone = excluded.zone`, zone.String())
	return err
}

// CountDays builds the roll-up of the dashboard's numbers again from the
// conversations, in the zone it counts (UTC if none): after conversations
// were written behind the archive's back (a restore, a bulk load).
func (a *Archive) CountDays(ctx context.Context) error {
	err := pgx.BeginFunc(ctx, a.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, statsLock); err != nil {
			return err
		}
		zone := time.UTC
		var name string
		switch err := tx.QueryRow(ctx, `SELECT zone FROM stats_zone`).Scan(&name); {
		case err == nil:
			z, err := loadZone(name)
			if err != nil {
				return err
			}
			zone = z
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		return a.countAll(ctx, tx, zone)
	})
	if err != nil {
		return fmt.Errorf("postgres: count the days: %w", err)
	}
	return nil
}

// Stats counts the conversations started in p; see report.Archive. The
// numbers are those of report.ComputeStats. A period of whole days in the
// roll-up's zone is read from the roll-up and the medians' index, in one
// round trip; any other from the conversations.
func (a *Archive) Stats(ctx context.Context, p report.Period) (*report.Stats, error) {
	zone := p.Zone
	if zone == nil {
		zone = time.UTC
	}
	wholeDays := report.DayOf(p.From, zone).Equal(p.From) && report.DayOf(p.To, zone).Equal(p.To)
	st := newStats(p)
	b := &pgx.Batch{}
	queueMedians(b, st, p)
	if wholeDays && p.From.Before(p.To) {
		rolled := false
		dc := dayCounts{}
		b.Queue(`SELECT zone FROM stats_zone WHERE zone = $1`, zone.String()).QueryRow(func(r pgx.Row) error {
			var z string
			err := r.Scan(&z)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			rolled = err == nil
			return err
		})
		b.Queue(`SELECT day::text, kind, key, n FROM stats_days WHERE day >= $1::date AND day < $2::date AND n <> 0`,
			p.From.In(zone).Format(time.DateOnly), p.To.In(zone).Format(time.DateOnly)).Query(func(rows pgx.Rows) error {
			var k dayKey
			var n int64
			_, err := pgx.ForEachRow(rows, []any{&k.day, &k.kind, &k.key, &n}, func() error { dc[k] += n; return nil })
			return err
		})
		if err := a.pool.SendBatch(ctx, b).Close(); err != nil {
			return nil, fmt.Errorf("postgres: stats: %w", err)
		}
		if rolled {
			fromDays(st, dc, p, zone)
			st.Finish()
			return st, nil
		}
		b = &pgx.Batch{}
	}
	perDay := queueCounts(b, st, p)
	if err := a.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("postgres: stats: %w", err)
	}
	for i, d := range p.Days() {
		st.PerDay = append(st.PerDay, report.DayCount{Day: d, Count: perDay[i]})
	}
	st.Finish()
	return st, nil
}

func newStats(p report.Period) *report.Stats {
	return &report.Stats{Period: p, Outcomes: map[report.Outcome]int{}, Handoffs: map[string]int{}}
}

// queueMedians asks for the median times to claim and to the first agent
// reply, through the index of the conversations that have them.
func queueMedians(b *pgx.Batch, st *report.Stats, p report.Period) {
	b.Queue(`SELECT coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY claim_ms), 0),
		coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY first_reply_ms), 0)
		FROM conversations WHERE started_at >= $1 AND started_at < $2
		AND (claim_ms IS NOT NULL OR first_reply_ms IS NOT NULL)`, p.From, p.To).
		QueryRow(func(r pgx.Row) error {
			var claim, reply float64
			err := r.Scan(&claim, &reply)
			st.MedianClaim = time.Duration(claim * float64(time.Millisecond))
			st.MedianFirstReply = time.Duration(reply * float64(time.Millisecond))
			return err
		})
}

// fromDays fills st's counts from the roll-up's rows of p.
func fromDays(st *report.Stats, dc dayCounts, p report.Period, zone *time.Location) {
	perDay := map[string]int{}
	intents := map[string]int{}
	byIntent := map[string]map[report.Outcome]int{}
	for k, n := range dc {
		switch k.kind {
		case "conversations":
			st.Conversations += int(n)
			perDay[k.day] += int(n)
		case "customer_messages":
			st.CustomerMessages += int(n)
		case "fallbacks":
			st.Fallbacks += int(n)
		case "outcome":
			st.Outcomes[report.Outcome(k.key)] += int(n)
		case "team":
			st.Handoffs[k.key] += int(n)
		case "csat":
			if s, err := strconv.Atoi(k.key); err == nil && s >= 1 && s <= 5 {
				st.CSAT[s] += int(n)
			}
		case "intent":
			intents[k.key] += int(n)
		case "intent_outcome":
			in, o, _ := strings.Cut(k.key, "/")
			if byIntent[in] == nil {
				byIntent[in] = map[report.Outcome]int{}
			}
			byIntent[in][report.Outcome(o)] += int(n)
		}
	}
	for in, os := range byIntent {
		for o, n := range os {
			if n == 0 {
				delete(os, o)
			}
		}
		if len(os) == 0 {
			delete(byIntent, in)
		}
	}
	st.ByIntent = report.ByIntent(byIntent)
	// Counts that came to nothing (a conversation moved to another
	// outcome) are no outcome, team or intent of the period.
	for o, n := range st.Outcomes {
		if n == 0 {
			delete(st.Outcomes, o)
		}
	}
	for t, n := range st.Handoffs {
		if n == 0 {
			delete(st.Handoffs, t)
		}
	}
	for _, d := range p.Days() {
		st.PerDay = append(st.PerDay, report.DayCount{Day: d, Count: perDay[d.In(zone).Format(time.DateOnly)]})
	}
	for in, n := range intents {
		if n > 0 {
			st.TopIntents = append(st.TopIntents, report.IntentCount{Intent: in, Count: n})
		}
	}
	slices.SortFunc(st.TopIntents, func(a, b report.IntentCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Intent, b.Intent))
	})
	st.TopIntents = st.TopIntents[:min(len(st.TopIntents), report.TopIntents)]
}

// queueCounts asks for st's counts from the conversations started in p,
// and returns the counts of p's days, filled once the batch has run.
func queueCounts(b *pgx.Batch, st *report.Stats, p report.Period) []int {
	const in = ` FROM conversations WHERE started_at >= $1 AND started_at < $2`
	b.Queue(`SELECT count(*), coalesce(sum(customer_messages), 0), coalesce(sum(fallbacks), 0)`+in, p.From, p.To).
		QueryRow(func(r pgx.Row) error {
			return r.Scan(&st.Conversations, &st.CustomerMessages, &st.Fallbacks)
		})
	// The days' first instants come from Go, so both archives cut days
	// with the same zone data; width_bucket finds each conversation's.
	days := p.Days()
	perDay := make([]int, len(days))
	if len(days) > 0 {
		b.Queue(`SELECT width_bucket(started_at, $3::timestamptz[]), count(*)`+in+` GROUP BY 1`, p.From, p.To, days).
			Query(func(rows pgx.Rows) error {
				var i, n int
				_, err := pgx.ForEachRow(rows, []any{&i, &n}, func() error {
					if i >= 1 && i <= len(days) {
						perDay[i-1] = n
					}
					return nil
				})
				return err
			})
	}
	b.Queue(`SELECT outcome, count(*)`+in+` GROUP BY 1`, p.From, p.To).Query(func(rows pgx.Rows) error {
		var o string
		var n int
		_, err := pgx.ForEachRow(rows, []any{&o, &n}, func() error { st.Outcomes[report.Outcome(o)] = n; return nil })
		return err
	})
	b.Queue(`SELECT team, count(*)`+in+` AND team <> '' GROUP BY 1`, p.From, p.To).Query(func(rows pgx.Rows) error {
		var t string
		var n int
		_, err := pgx.ForEachRow(rows, []any{&t, &n}, func() error { st.Handoffs[t] = n; return nil })
		return err
	})
	b.Queue(`SELECT csat, count(*)`+in+` AND csat BETWEEN 1 AND 5 GROUP BY 1`, p.From, p.To).Query(func(rows pgx.Rows) error {
		var s, n int
		_, err := pgx.ForEachRow(rows, []any{&s, &n}, func() error { st.CSAT[s] = n; return nil })
		return err
	})
	b.Queue(`SELECT i, count(*) FROM conversations, unnest(intents) AS i
		WHERE started_at >= $1 AND started_at < $2 GROUP BY i ORDER BY 2 DESC, 1 LIMIT $3`, p.From, p.To, report.TopIntents).
		Query(func(rows pgx.Rows) error {
			var ic report.IntentCount
			_, err := pgx.ForEachRow(rows, []any{&ic.Intent, &ic.Count}, func() error {
				st.TopIntents = append(st.TopIntents, ic)
				return nil
			})
			return err
		})
	byIntent := map[string]map[report.Outcome]int{}
	b.Queue(`SELECT i, outcome, count(*) FROM conversations, unnest(intents) AS i
		WHERE started_at >= $1 AND started_at < $2 GROUP BY 1, 2`, p.From, p.To).
		Query(func(rows pgx.Rows) error {
			var in, o string
			var n int
			_, err := pgx.ForEachRow(rows, []any{&in, &o, &n}, func() error {
				if byIntent[in] == nil {
					byIntent[in] = map[report.Outcome]int{}
				}
				byIntent[in][report.Outcome(o)] = n
				return nil
			})
			if err == nil {
				st.ByIntent = report.ByIntent(byIntent)
			}
			return err
		})
	return perDay
}
