package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// SetAside keeps dead letters in dead_letters (migration 003); see
// report.DeadLetterBox. The event goes as JSON in bytea, which holds
// whatever was refused; the key columns are cleaned of what text cannot
// hold.
func (a *Archive) SetAside(ctx context.Context, letters ...report.DeadLetter) error {
	// One row per key: an upsert may not touch a row twice.
	byKey := map[string]int{}
	var ids, addrs, errs []string
	var ats, asides []time.Time
	var data [][]byte
	for _, l := range letters {
		b, err := json.Marshal(l.Event)
		if err != nil {
			id := l.Event.Address.LogID(l.Event.ID)
			return fmt.Errorf("postgres: set aside event %q: %w", id, classify(&encodeError{id, err}))
		}
		key := letterKey(l.Event.ID)
		i, seen := byKey[key]
		if !seen {
			i = len(ids)
			byKey[key] = i
			ids, addrs, errs = append(ids, key), append(addrs, ""), append(errs, "")
			ats, asides, data = append(ats, time.Time{}), append(asides, time.Time{}), append(data, nil)
		}
		addrs[i], ats[i], asides[i] = bot.CleanLine(l.Event.Address.String(), 0), l.Event.Time, l.At
		errs[i], data[i] = bot.CleanLine(l.Err, report.MaxDeadLetterError), b
	}
	n := len(ids)
	if n == 0 {
		return nil
	}
	_, err := a.pool.Exec(ctx, `INSERT INTO dead_letters (id, address, at, set_aside_at, error, data)
		SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::bytea[])
		ON CONFLICT (id) DO UPDATE SET error = excluded.error`, ids, addrs, ats, asides, errs, data)
	if err != nil {
		return fmt.Errorf("postgres: set aside %d events: %w", n, classify(err))
	}
	return nil
}

// letterKey is the key of an event's dead letter: its ID, cleaned of what
// a text column cannot hold (an event with a NUL in its ID is refused too).
func letterKey(id string) string { return bot.CleanLine(id, 0) }

// DeadLetters lists dead letters, oldest first; see report.DeadLetterBox.
func (a *Archive) DeadLetters(ctx context.Context, limit, offset int) ([]report.DeadLetter, error) {
	rows, err := a.pool.Query(ctx, `SELECT data, error, set_aside_at FROM dead_letters
		ORDER BY set_aside_at, id LIMIT $1 OFFSET $2`, max(limit, 0), max(offset, 0))
	if err != nil {
		return nil, fmt.Errorf("postgres: list dead letters: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (report.DeadLetter, error) {
		var l report.DeadLetter
		var data []byte
		if err := r.Scan(&data, &l.Err, &l.At); err != nil {
			return l, err
		}
		l.At = l.At.UTC()
		return l, json.Unmarshal(data, &l.Event)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list dead letters: %w", err)
	}
	return list, nil
}

// CountDeadLetters counts dead letters; see report.DeadLetterBox.
func (a *Archive) CountDeadLetters(ctx context.Context) (int, error) {
	var n int
	if err := a.pool.QueryRow(ctx, `SELECT count(*) FROM dead_letters`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count dead letters: %w", err)
	}
	return n, nil
}

// TakeBack removes dead letters; see report.DeadLetterBox.
func (a *Archive) TakeBack(ctx context.Context, ids ...string) error {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = letterKey(id)
	}
	if _, err := a.pool.Exec(ctx, `DELETE FROM dead_letters WHERE id = ANY($1)`, keys); err != nil {
		return fmt.Errorf("postgres: take back %d dead letters: %w", len(ids), err)
	}
	return nil
}
