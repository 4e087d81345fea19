package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// documentEventsSQL selects the searches of the documents made in [$1,
// $2) and the feedback given in [$1, $3), the earliest $4.
const documentEventsSQL = `SELECT conversation_id, data FROM events
	WHERE ((type = 'lookup' AND data->>'action' = 'documents')
	    OR (type = 'action' AND data->>'action' = 'documents_feedback'))
	AND at >= $1 AND at < $3 AND (type = 'action' OR at < $2)
	ORDER BY at, idx LIMIT $4`

// DocumentEvents returns the searches of the documents of p and the
// feedback on them; see report.Archive. It reads them through the partial
// index of migration 005, whose condition the query repeats word for word
// so that the planner uses it.
func (a *Archive) DocumentEvents(ctx context.Context, p report.Period) ([]report.DocumentEvent, error) {
	rows, err := a.pool.Query(ctx, documentEventsSQL, p.From, p.To, p.To.Add(report.FeedbackWindow), report.MaxDocumentEvents)
	if err != nil {
		return nil, fmt.Errorf("postgres: document events: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (report.DocumentEvent, error) {
		var de report.DocumentEvent
		var data []byte
		if err := r.Scan(&de.Conversation, &data); err != nil {
			return de, err
		}
		var e bot.Event
		if err := json.Unmarshal(data, &e); err != nil {
			return de, fmt.Errorf("event of %s: %w", de.Conversation, err)
		}
		de.Event = e
		return de, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: document events: %w", err)
	}
	return out, nil
}
