// Package postgres is the transcript archive in PostgreSQL: conversations
// and their events, searchable in Italian and English, counted for the
// managers' dashboard. report.Archiver feeds it from the event log in
// batches, off the message path.
package postgres

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

var _ report.Archive = (*Archive)(nil)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the advisory lock that lets one replica migrate at a time.
const migrationLock = 0x5370_6f72_7465 // "Sporte"

// Archive is a report.Archive in PostgreSQL.
type Archive struct {
	pool *pgxpool.Pool
}

// The deadlines of the archive's calls to PostgreSQL, unless the URL says
// otherwise: a PostgreSQL that hangs delays the archive, never forever.
const (
	ConnectTimeout   = 5 * time.Second
	StatementTimeout = 60 * time.Second
)

// Open connects to the database at url (postgres://user@host/db), applies
// the migrations it has not applied yet, and returns the archive.
func Open(ctx context.Context, url string, opts ...Option) (*Archive, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	// Every call has a deadline: connecting, and each statement, unless
	// the URL sets its own (connect_timeout, statement_timeout).
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = ConnectTimeout
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["statement_timeout"]; !ok {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = strconv.Itoa(int(StatementTimeout.Milliseconds()))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	a := &Archive{pool: pool}
	if err := a.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if o.zone != nil {
		if err := a.rollUp(ctx, o.zone); err != nil {
			pool.Close()
			return nil, err
		}
	}
	return a, nil
}

// Close closes the connections.
func (a *Archive) Close() { a.pool.Close() }

// Ping checks that the database answers.
func (a *Archive) Ping(ctx context.Context) error { return a.pool.Ping(ctx) }

// migrate applies the embedded migrations in the order of their numbers,
// each in a transaction, recording each in schema_migrations.
func (a *Archive) migrate(ctx context.Context) error {
	conn, err := a.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("postgres: migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	for _, f := range files {
		name := strings.TrimPrefix(f, "migrations/")
		num, _, _ := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if err != nil {
			return fmt.Errorf("postgres: migration %s: want a number first", name)
		}
		var done bool
		if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, version).Scan(&done); err != nil {
			return fmt.Errorf("postgres: migrate: %w", err)
		}
		if done {
			continue
		}
		sql, _ := migrations.ReadFile(f)
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(sql)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, version, name)
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migration %s: %w", name, err)
		}
	}
	return nil
}

// Append stores events once each and updates their conversations; see
// report.Archive. Under an advisory lock per address, it skips the events
// stored already, assigns the others to conversations, copies them in,
// folds them into their conversations' summaries (from all their events
// when one comes before the last folded), and moves their counts in the
// dashboard's roll-up (stats.go).
func (a *Archive) Append(ctx context.Context, events ...bot.Event) error {
	// What the columns would refuse, PostgreSQL refuses; what only the
	// JSON of an event holds (an agent's name, a button), json.Marshal
	// would quietly change: refuse both alike, before the transaction.
	for _, e := range events {
		if err := report.CheckEvent(e); err != nil {
			return fmt.Errorf("postgres: append %d events: event %q: %w", len(events), e.Address.LogID(e.ID), err)
		}
	}
	evs := dedupe(events)
	if len(evs) == 0 {
		return nil
	}
	err := pgx.BeginFunc(ctx, a.pool, func(tx pgx.Tx) error {
		zone, err := rollUpZone(ctx, tx)
		if err != nil {
			return err
		}
		if err := lockAddresses(ctx, tx, evs); err != nil {
			return err
		}
		evs, err := skipStored(ctx, tx, evs)
		if err != nil || len(evs) == 0 {
			return err
		}
		convOf, stored, err := assign(ctx, tx, evs)
		if err != nil {
			return err
		}
		if err := copyEvents(ctx, tx, evs, convOf); err != nil {
			return err
		}
		return summarise(ctx, tx, evs, convOf, stored, zone)
	})
	if err != nil {
		return fmt.Errorf("postgres: append %d events: %w", len(events), classify(err))
	}
	return nil
}

// classify wraps report.ErrRejected around the errors that say PostgreSQL
// refused the data itself, which the same data will meet again: SQLSTATE
// classes 22 (data exception: a NUL, invalid UTF-8, a value out of
// range), 23 (integrity constraint violation) and 54 (program limit
// exceeded: a tsvector over 1 MB, a row too big), and an event that does
// not encode. Every other error (connections, timeouts, serialisation
// failures, a server shutting down) means the archive is down for now.
func classify(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code[:min(2, len(pgErr.Code))] {
		case "22", "23", "54":
			return fmt.Errorf("%w: %w", report.ErrRejected, err)
		}
	}
	var encErr *encodeError
	if errors.As(err, &encErr) {
		return fmt.Errorf("%w: %w", report.ErrRejected, err)
	}
	return err
}

// encodeError: an event that does not encode as JSON (a NaN confidence).
type encodeError struct {
	id  string
	err error
}

func (e *encodeError) Error() string { return fmt.Sprintf("encode event %q: %v", e.id, e.err) }
func (e *encodeError) Unwrap() error { return e.err }

// dedupe drops events without an ID and repeats within the batch, and
// sorts the rest in transcript order.
func dedupe(events []bot.Event) []bot.Event {
	seen := make(map[string]bool, len(events))
	evs := make([]bot.Event, 0, len(events))
	for _, e := range events {
		if e.ID != "" && !seen[e.ID] {
			seen[e.ID] = true
			evs = append(evs, e)
		}
	}
	report.SortEvents(evs)
	return evs
}

// lockAddresses serialises appends that touch the same conversations, so
// that replicas archiving at once assign events consistently. Locks are
// taken in one order, so two appends never wait for each other in a cycle.
func lockAddresses(ctx context.Context, tx pgx.Tx, evs []bot.Event) error {
	var keys []int64
	for _, e := range evs {
		h := fnv.New64a()
		h.Write([]byte(e.Address.String()))
		keys = append(keys, int64(h.Sum64()))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	_, err := tx.Exec(ctx, `SELECT count(pg_advisory_xact_lock(k)) FROM unnest($1::bigint[]) WITH ORDINALITY AS u(k, n)`, keys)
	return err
}

func skipStored(ctx context.Context, tx pgx.Tx, evs []bot.Event) ([]bot.Event, error) {
	ids := make([]string, len(evs))
	for i, e := range evs {
		ids[i] = e.ID
	}
	// Planned for its own IDs every time (not prepared): PostgreSQL keeps
	// a generic plan of a prepared statement after five runs, and on a new
	// archive chose a scan of the whole events table, kept for as long as
	// the connection lives (measured: 53 times slower once it had flipped
	// at 16,000 events).
	rows, err := tx.Query(ctx, `SELECT id FROM events WHERE id = ANY($1)`, pgx.QueryExecModeExec, ids)
	if err != nil {
		return nil, err
	}
	stored, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(stored) == 0 {
		return evs, err
	}
	return slices.DeleteFunc(evs, func(e bot.Event) bool { return slices.Contains(stored, e.ID) }), nil
}

// A storedConversation is what the archive holds of a conversation that a
// batch may touch: its summary, as the roll-up counted it, and its fold
// (migration 006) as JSON, nil when it has none.
type storedConversation struct {
	report.Conversation
	fold []byte
}

// assign finds or starts the conversation of every event: the latest
// conversation of its address that it joins (report.Conversation.Joins).
// It returns each event's conversation, and what is stored of the
// conversations the events may join.
func assign(ctx context.Context, tx pgx.Tx, evs []bot.Event) ([]string, map[string]storedConversation, error) {
	var addrs []string
	earliest := evs[0].Time
	for _, e := range evs {
		addrs = append(addrs, e.Address.String())
		if e.Time.Before(earliest) {
			earliest = e.Time
		}
	}
	slices.Sort(addrs)
	addrs = slices.Compact(addrs)
	// Not prepared (see readEvents): a generic plan made while the
	// archive was new scanned all conversations.
	rows, err := tx.Query(ctx, `SELECT id, address, last_at, open, fold, `+summaryColumns+` FROM conversations
		WHERE address = ANY($1) AND (last_at >= $2 OR open) ORDER BY started_at`,
		pgx.QueryExecModeExec, addrs, earliest.Add(-report.ConversationGap))
	if err != nil {
		return nil, nil, err
	}
	byAddr := map[bot.Address][]*report.Conversation{}
	stored := map[string]storedConversation{}
	var c report.Conversation
	var addr, outcome string
	var fold []byte
	_, err = pgx.ForEachRow(rows, []any{&c.ID, &addr, &c.Last, &c.Open, &fold,
		&c.Started, &outcome, &c.Team, &c.CSAT, &c.CustomerMessages, &c.Fallbacks, &c.Intents}, func() error {
		a, err := bot.ParseAddress(addr)
		if err != nil {
			return err
		}
		c.Address, c.Outcome = a, report.Outcome(outcome)
		// The next row may scan into the same arrays.
		c.Intents = slices.Clone(c.Intents)
		stored[c.ID] = storedConversation{c, slices.Clone(fold)}
		cc := c
		byAddr[a] = append(byAddr[a], &cc)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	convOf := make([]string, len(evs))
	for i, e := range evs {
		list := byAddr[e.Address]
		var conv *report.Conversation
		for j := len(list) - 1; j >= 0 && conv == nil; j-- {
			if list[j].Joins(e.Time) {
				conv = list[j]
			}
		}
		if conv == nil {
			conv = &report.Conversation{ID: report.ConversationID(e.Address, e.Time), Address: e.Address, Started: e.Time, Last: e.Time}
			byAddr[e.Address] = append(list, conv)
		}
		conv.Extend(e)
		convOf[i] = conv.ID
	}
	return convOf, stored, nil
}

func copyEvents(ctx context.Context, tx pgx.Tx, evs []bot.Event, convOf []string) error {
	rows := make([][]any, len(evs))
	for i, e := range evs {
		data, err := json.Marshal(e)
		if err != nil {
			return &encodeError{e.Address.LogID(e.ID), err}
		}
		idx, _ := strconv.Atoi(e.ID[strings.LastIndexByte(e.ID, '|')+1:])
		rows[i] = []any{e.ID, convOf[i], e.Time, idx, string(e.Type), e.Language, e.Text, string(data)}
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"events"},
		[]string{"id", "conversation_id", "at", "idx", "type", "lang", "text", "data"}, pgx.CopyFromRows(rows))
	return err
}

// A fold is what the archive keeps of a conversation to summarise the
// events that follow without reading those before (conversations.fold,
// migration 006): Summarize's state, and how many characters of text its
// search vector has taken in (searchChars of its events).
type fold struct {
	report.Fold
	SearchChars int `json:"search_chars"`
}

// resume returns the fold of conversation id with evs, its new events in
// order, folded in: from the stored fold when every one of them comes
// after the events it folded, from none for a new conversation. It
// reports false when the conversation has to be summarised from all its
// events: one of evs comes earlier, or it has no fold (archived before
// migration 006) or one that does not decode.
func resume(id string, old *storedConversation, evs []bot.Event) (*fold, bool) {
	f := &fold{Fold: *report.NewFold(id)}
	if old != nil {
		f = &fold{}
		if old.fold == nil || json.Unmarshal(old.fold, f) != nil || f.Conversation.ID != id || !sameSummary(f.Summary(), old.Conversation) {
			return nil, false
		}
	}
	for _, e := range evs {
		if !f.Follows(e) {
			return nil, false
		}
		f.Add(e)
	}
	f.SearchChars += searchChars(evs)
	return f, true
}

// sameSummary reports whether the fold's summary is the stored row's, as
// far as the row tells: a replica that knows no fold (before migration
// 006, in a rolling upgrade) updates the row and leaves the fold behind.
func sameSummary(f, row report.Conversation) bool {
	return f.Last.UTC().Truncate(time.Microsecond).Equal(row.Last.UTC()) &&
		f.Started.UTC().Truncate(time.Microsecond).Equal(row.Started.UTC()) &&
		f.Outcome == row.Outcome && f.Team == row.Team && f.Open == row.Open && f.CSAT == row.CSAT &&
		f.CustomerMessages == row.CustomerMessages && f.Fallbacks == row.Fallbacks && slices.Equal(f.Intents, row.Intents)
}

// summarise folds the batch's events (evs, in order, of conversations
// convOf) into the summaries of their conversations, and writes them.
// Each conversation goes on from its stored fold, reading none of its
// events before, unless the batch brings one that comes before the last
// it folded: that one is summarised again from all its events. With a
// zone, it moves their counts in the roll-up of its days, last, so that
// the roll-up's rows stay locked only until the commit that follows.
func summarise(ctx context.Context, tx pgx.Tx, evs []bot.Event, convOf []string, stored map[string]storedConversation, zone *time.Location) error {
	added := map[string][]bot.Event{}
	for i, e := range evs {
		added[convOf[i]] = append(added[convOf[i]], e)
	}
	ids := make([]string, 0, len(added))
	for id := range added {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	days := dayCounts{}
	if zone != nil {
		for _, id := range ids {
			if old, ok := stored[id]; ok {
				days.add(&old.Conversation, zone, -1)
			}
		}
	}
	folds := make([]*fold, len(ids))
	whole := make([]bool, len(ids)) // summarised from all its events
	var again []string
	for i, id := range ids {
		var old *storedConversation
		if c, ok := stored[id]; ok {
			old = &c
		}
		f, ok := resume(id, old, added[id])
		if !ok {
			again, whole[i] = append(again, id), true
		}
		folds[i] = f
	}
	if len(again) > 0 {
		all, err := readEvents(ctx, tx, again)
		if err != nil {
			return err
		}
		for i, id := range ids {
			if folds[i] == nil {
				f := &fold{Fold: *report.NewFold(id), SearchChars: searchChars(all[id])}
				for _, e := range all[id] {
					f.Add(e)
				}
				folds[i] = f
			}
		}
	}
	// The search vector of a conversation joins its events', each stemmed
	// in its own language (migration 002), over its first SearchChars
	// characters of text only: PostgreSQL refuses a tsvector over 1 MB,
	// and a conversation has no bound. Nearly every conversation is
	// shorter, and joins all its events' vectors as they are (vectorAll);
	// in a longer one, the events wholly within the bound bring theirs,
	// the one that crosses it is indexed up to it, and the rest are left
	// out (vectorLong). A conversation folded on from its stored fold
	// joins its stored vector and its new events' (vectorMore: the same
	// concatenations in the same order, so the same vector), or keeps it
	// when they bring no text or the bound was reached before them; when
	// they cross it, it is joined again from all its events, once.
	n := len(ids)
	vector, newEvents := make([]string, n), make([]string, n)
	since := make([]time.Time, n) // the earliest of the new events
	for i, id := range ids {
		f, evs := folds[i], added[id]
		switch {
		case whole[i] || f.SearchChars > SearchChars && f.SearchChars-searchChars(evs) < SearchChars:
			vector[i] = vectorAll
			if f.SearchChars > SearchChars {
				vector[i] = vectorLong
			}
		case !hasText(evs) || f.SearchChars > SearchChars:
			vector[i] = vectorKeep
		default:
			vector[i] = vectorMore
			evIDs := make([]string, len(evs))
			for j, e := range evs {
				evIDs[j] = e.ID
			}
			in, _ := json.Marshal(evIDs)
			newEvents[i] = string(in)
			since[i] = evs[0].Time
			for _, e := range evs {
				if e.Time.Before(since[i]) {
					since[i] = e.Time
				}
			}
		}
	}
	// One statement for all: the columns go as arrays, the intents of
	// each conversation and its new events' IDs as JSON arrays (SQL has no
	// arrays of arrays).
	addr, channel, chat := make([]string, n), make([]string, n), make([]string, n)
	started, last := make([]time.Time, n), make([]time.Time, n)
	lang, team, outcome, agent, preview, intents := make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n)
	open := make([]bool, n)
	csat, msgs, cust, bots, agents, falls := make([]int32, n), make([]int32, n), make([]int32, n),
		make([]int32, n), make([]int32, n), make([]int32, n)
	claim, reply := make([]*int64, n), make([]*int64, n)
	state := make([]string, n)
	for i, f := range folds {
		c := f.Summary()
		if zone != nil {
			days.add(&c, zone, 1)
		}
		addr[i], channel[i], chat[i] = c.Address.String(), c.Address.Channel, c.Address.ChatID
		started[i], last[i], lang[i], team[i], outcome[i] = c.Started, c.Last, c.Language, c.Team, string(c.Outcome)
		open[i], agent[i], preview[i] = c.Open, c.Agent, c.Preview
		in, _ := json.Marshal(nonNil(c.Intents))
		intents[i] = string(in)
		csat[i], msgs[i], cust[i] = int32(c.CSAT), int32(c.Messages), int32(c.CustomerMessages)
		bots[i], agents[i], falls[i] = int32(c.BotMessages), int32(c.AgentMessages), int32(c.Fallbacks)
		claim[i], reply[i] = millis(c.TimeToClaim), millis(c.TimeToFirstReply)
		data, err := json.Marshal(f)
		if err != nil {
			return err
		}
		state[i] = string(data)
	}
	// The vectors are computed in the statement that writes the rows, so
	// that a batch writes each row once, each by a small subquery of its
	// own (measured: a join of the batch's rows with the vectors computed
	// for all of them at once cost PostgreSQL 60-90 % more CPU per event on
	// long conversations). None computed (NULL) keeps the stored vector:
	// it is how a kept one is written, and a conversation whose events
	// give no vector (no text) has none stored either.
	_, err := tx.Exec(ctx, `INSERT INTO conversations (id, address, channel, chat_id, started_at, last_at, lang, team,
		outcome, open, intents, csat, agent, preview, messages, customer_messages, bot_messages,
		agent_messages, fallbacks, claim_ms, first_reply_ms, fold, tsv)
		SELECT u.id, u.address, u.channel, u.chat_id, u.started_at, u.last_at, u.lang, u.team, u.outcome, u.open,
			ARRAY(SELECT jsonb_array_elements_text(u.intents::jsonb)), u.csat, u.agent, u.preview, u.messages,
			u.customer_messages, u.bot_messages, u.agent_messages, u.fallbacks, u.claim_ms, u.first_reply_ms,
			u.fold::jsonb,
			CASE u.vector
			WHEN 'more' THEN (SELECT sportello_tsvector_agg(x.tsv ORDER BY x.n, x.at, x.idx) FROM (
				-- The stored vector first (no row for a new conversation;
				-- NULL before any text: the aggregate starts from the
				-- empty vector, as it did), then the new events'.
				SELECT coalesce(c.tsv, ''::tsvector) AS tsv, 0 AS n, NULL::timestamptz AS at, 0 AS idx
				FROM conversations c WHERE c.id = u.id
				UNION ALL
				-- Found by the conversation's index from the first new
				-- one on: by their IDs alone, a generic plan made while
				-- the archive was new scanned all events, kept for the
				-- connection's life.
				SELECT e.tsv, 1, e.at, e.idx FROM events e
				WHERE e.conversation_id = u.id AND e.at >= u.since
					AND e.id = ANY(ARRAY(SELECT jsonb_array_elements_text(u.new_events::jsonb))) AND e.tsv IS NOT NULL) x)
			WHEN 'all' THEN (SELECT sportello_tsvector_agg(e.tsv ORDER BY e.at, e.idx) FROM events e
				WHERE e.conversation_id = u.id AND e.tsv IS NOT NULL GROUP BY e.conversation_id)
			WHEN 'long' THEN (SELECT sportello_tsvector_agg(
					CASE WHEN e.upto <= $25 THEN e.tsv
					ELSE to_tsvector(sportello_ts_config(e.lang), left(e.text, ($25 - (e.upto - e.len))::integer)) END
					ORDER BY e.at, e.idx, e.id)
				FROM (SELECT conversation_id, at, idx, id, tsv, lang, text, char_length(text) AS len,
				             sum(char_length(text)) OVER (ORDER BY at, idx, id) AS upto
				      FROM events WHERE conversation_id = u.id AND tsv IS NOT NULL) e
				WHERE e.upto - e.len < $25
				GROUP BY e.conversation_id)
			END
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
			$7::text[], $8::text[], $9::text[], $10::bool[], $11::text[], $12::int[], $13::text[], $14::text[],
			$15::int[], $16::int[], $17::int[], $18::int[], $19::int[], $20::bigint[], $21::bigint[], $22::text[],
			$23::text[], $24::text[], $26::timestamptz[])
			AS u(id, address, channel, chat_id, started_at, last_at, lang, team, outcome, open, intents, csat,
			agent, preview, messages, customer_messages, bot_messages, agent_messages, fallbacks, claim_ms,
			first_reply_ms, fold, vector, new_events, since)
		ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, last_at = excluded.last_at,
			lang = excluded.lang, team = excluded.team, outcome = excluded.outcome, open = excluded.open,
			intents = excluded.intents, csat = excluded.csat, agent = excluded.agent, preview = excluded.preview,
			messages = excluded.messages, customer_messages = excluded.customer_messages,
			bot_messages = excluded.bot_messages, agent_messages = excluded.agent_messages,
			fallbacks = excluded.fallbacks, claim_ms = excluded.claim_ms, first_reply_ms = excluded.first_reply_ms,
			fold = excluded.fold, tsv = coalesce(excluded.tsv, conversations.tsv)`,
		ids, addr, channel, chat, started, last, lang, team, outcome, open, intents, csat, agent, preview,
		msgs, cust, bots, agents, falls, claim, reply, state, vector, newEvents, SearchChars, since)
	if err != nil {
		return err
	}
	return applyDays(ctx, tx, days)
}

// searchChars counts the characters of evs' texts that the events' own
// search vectors index: the messages' (migration 001's tsv).
func searchChars(evs []bot.Event) int {
	n := 0
	for _, e := range evs {
		if searchable(e.Type) {
			n += utf8.RuneCountInString(e.Text)
		}
	}
	return n
}

// hasText reports whether one of evs has a search vector of its own (an
// empty one for an empty text).
func hasText(evs []bot.Event) bool {
	return slices.ContainsFunc(evs, func(e bot.Event) bool { return searchable(e.Type) })
}

// searchable reports whether events of type t have a search vector: the
// messages (migration 001's tsv).
func searchable(t bot.EventType) bool {
	switch t {
	case bot.EventCustomer, bot.EventBot, bot.EventAgent, bot.EventSystem:
		return true
	}
	return false
}

// readEvents returns the stored events of the conversations ids, each
// conversation's in SortEvents order (PostgreSQL's timestamps keep
// microseconds, the events' times nanoseconds).
func readEvents(ctx context.Context, tx pgx.Tx, ids []string) (map[string][]bot.Event, error) {
	// Not prepared, as skipStored's look-up: a generic plan made while
	// the archive was new scans all events.
	rows, err := tx.Query(ctx, `SELECT conversation_id, data FROM events
		WHERE conversation_id = ANY($1) ORDER BY conversation_id, at, idx`, pgx.QueryExecModeExec, ids)
	if err != nil {
		return nil, err
	}
	byConv := map[string][]bot.Event{}
	var id string
	var data []byte
	_, err = pgx.ForEachRow(rows, []any{&id, &data}, func() error {
		var e bot.Event
		if err := json.Unmarshal(data, &e); err != nil {
			return fmt.Errorf("event of %s: %w", id, err)
		}
		byConv[id] = append(byConv[id], e)
		return nil
	})
	for _, evs := range byConv {
		report.SortEvents(evs)
	}
	return byConv, err
}

// How summarise computes a conversation's search vector.
const (
	vectorKeep = "keep" // as stored: the statement computes none
	vectorMore = "more" // the stored one and the new events'
	vectorAll  = "all"  // all the events'
	vectorLong = "long" // the events' up to SearchChars
)

// SearchChars is how many characters of a conversation's texts (customer,
// bot, agent and system messages, in order) its search vector indexes:
// about 10,000 words. Measured on PostgreSQL 15, a vector costs at most
// 6 bytes per character of text (single-letter words, every one
// different: 393 KB for 64 K characters), so this keeps it under half of
// PostgreSQL's 1 MB limit whatever the text.
const SearchChars = 64 << 10

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// millis returns d in milliseconds, or nil (NULL) for zero.
func millis(d time.Duration) *int64 {
	if d <= 0 {
		return nil
	}
	ms := d.Milliseconds()
	return &ms
}

const convColumns = `id, address, started_at, last_at, lang, team, outcome, open, intents, csat, agent,
	preview, messages, customer_messages, bot_messages, agent_messages, fallbacks,
	coalesce(claim_ms, 0), coalesce(first_reply_ms, 0)`

func scanConversation(row pgx.Row) (report.Conversation, error) {
	var c report.Conversation
	var addr, outcome string
	var claim, reply int64
	err := row.Scan(&c.ID, &addr, &c.Started, &c.Last, &c.Language, &c.Team, &outcome, &c.Open, &c.Intents,
		&c.CSAT, &c.Agent, &c.Preview, &c.Messages, &c.CustomerMessages, &c.BotMessages, &c.AgentMessages,
		&c.Fallbacks, &claim, &reply)
	if err != nil {
		return c, err
	}
	c.Address, _ = bot.ParseAddress(addr)
	c.Outcome = report.Outcome(outcome)
	c.TimeToClaim, c.TimeToFirstReply = time.Duration(claim)*time.Millisecond, time.Duration(reply)*time.Millisecond
	if len(c.Intents) == 0 {
		c.Intents = nil
	}
	c.Started, c.Last = c.Started.UTC(), c.Last.UTC()
	return c, nil
}

// where builds the WHERE clause of f and its arguments.
func where(f report.Filter) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	if !f.From.IsZero() {
		add("started_at >= $?", f.From)
	}
	if !f.To.IsZero() {
		add("started_at < $?", f.To)
	}
	if !f.Address.IsZero() {
		add("address = $?", f.Address.String())
	}
	if f.Channel != "" {
		add("channel = $?", f.Channel)
	}
	if f.Team != "" {
		add("team = $?", f.Team)
	}
	if f.Outcome != "" {
		add("outcome = $?", string(f.Outcome))
	}
	if f.Language != "" {
		add("lang = $?", f.Language)
	}
	if f.Intent != "" {
		add("intents @> ARRAY[$?::text]", f.Intent)
	}
	switch {
	case f.CSAT > 0:
		add("csat = $?", f.CSAT)
	case f.CSAT < 0:
		conds = append(conds, "csat = 0")
	}
	if f.Agent != "" {
		add("agent = $?", f.Agent)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		// The query's language is unknown: match it stemmed as Italian,
		// as English, or word for word, each against events stemmed in
		// their own language.
		add(`tsv @@ (websearch_to_tsquery('pg_catalog.italian', $?) ||
			websearch_to_tsquery('pg_catalog.english', $?) ||
			websearch_to_tsquery('pg_catalog.simple', $?))`, q)
	}
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// List returns the conversations matching f, latest first; see report.Archive.
func (a *Archive) List(ctx context.Context, f report.Filter) ([]report.Conversation, int, error) {
	w, args := where(f)
	var total int
	if err := a.pool.QueryRow(ctx, `SELECT count(*) FROM conversations`+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: count conversations: %w", err)
	}
	args = append(args, f.PageSize(), max(f.Offset, 0))
	q := fmt.Sprintf(`SELECT %s FROM conversations%s ORDER BY last_at DESC, id LIMIT $%d OFFSET $%d`,
		convColumns, w, len(args)-1, len(args))
	rows, err := a.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: list conversations: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (report.Conversation, error) { return scanConversation(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: list conversations: %w", err)
	}
	return list, total, nil
}

// Transcript returns a conversation by ID, or the latest of an address;
// see report.Archive.
func (a *Archive) Transcript(ctx context.Context, ref string) (*report.Conversation, []bot.Event, error) {
	c, err := scanConversation(a.pool.QueryRow(ctx, `SELECT `+convColumns+` FROM conversations WHERE id = $1`, ref))
	if errors.Is(err, pgx.ErrNoRows) {
		if addr, perr := bot.ParseAddress(ref); perr == nil {
			c, err = scanConversation(a.pool.QueryRow(ctx, `SELECT `+convColumns+` FROM conversations
				WHERE address = $1 ORDER BY started_at DESC LIMIT 1`, addr.String()))
		}
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, report.ErrNoConversation
	}
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: transcript %s: %w", ref, err)
	}
	// Not prepared (see readEvents).
	rows, err := a.pool.Query(ctx, `SELECT data FROM events WHERE conversation_id = $1 ORDER BY at, idx`, pgx.QueryExecModeExec, c.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: transcript %s: %w", ref, err)
	}
	evs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (bot.Event, error) {
		var e bot.Event
		var data []byte
		if err := r.Scan(&data); err != nil {
			return e, err
		}
		err := json.Unmarshal(data, &e)
		return e, err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: transcript %s: %w", ref, err)
	}
	return &c, evs, nil
}

// Delete removes the conversations last active before before, with their
// events; see report.Archive.
func (a *Archive) Delete(ctx context.Context, before time.Time) (int, error) {
	var n int
	err := pgx.BeginFunc(ctx, a.pool, func(tx pgx.Tx) error {
		zone, err := rollUpZone(ctx, tx)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `DELETE FROM conversations WHERE last_at < $1 RETURNING id, `+summaryColumns, before)
		if err != nil {
			return err
		}
		var ids []string
		days := dayCounts{}
		var id, outcome string
		var c report.Conversation
		_, err = pgx.ForEachRow(rows, []any{&id, &c.Started, &outcome, &c.Team, &c.CSAT, &c.CustomerMessages, &c.Fallbacks, &c.Intents},
			func() error {
				ids = append(ids, id)
				if zone != nil {
					c.Outcome = report.Outcome(outcome)
					days.add(&c, zone, -1)
				}
				return nil
			})
		if err != nil {
			return err
		}
		n = len(ids)
		if _, err := tx.Exec(ctx, `DELETE FROM events WHERE conversation_id = ANY($1)`, ids); err != nil {
			return err
		}
		return applyDays(ctx, tx, days)
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: delete before %s: %w", before.Format(time.DateOnly), err)
	}
	return n, nil
}
