package report

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sportello/sportello/bot"
)

// ErrRejected: the archive refused the data it was given, for good: the
// same data will be refused again until the cause is fixed (PostgreSQL's
// data exceptions, integrity violations, program limits). Any other error
// of an archive means it is down, and the same call may pass later.
// Archives wrap it, so check it with errors.Is.
var ErrRejected = errors.New("report: the archive refused the data")

// A DeadLetter is an event the archive refused on its own, set aside with
// why, so that the events after it are archived all the same.
type DeadLetter struct {
	Event bot.Event `json:"event"`
	// Err is why the archive refused it, the last time it was tried.
	Err string `json:"error"`
	// At is when it was first set aside.
	At time.Time `json:"at"`
}

// A DeadLetterBox keeps the events an archive refused, until they are
// archived after all. Its contents survive a restart, as the archive's.
type DeadLetterBox interface {
	// SetAside keeps letters. A letter whose event ID is kept already
	// replaces its error and keeps its time.
	SetAside(ctx context.Context, letters ...DeadLetter) error
	// DeadLetters returns up to limit letters from offset, oldest first
	// (by At, then event ID).
	DeadLetters(ctx context.Context, limit, offset int) ([]DeadLetter, error)
	// CountDeadLetters returns how many letters are kept.
	CountDeadLetters(ctx context.Context) (int, error)
	// TakeBack removes the letters of the event IDs given: they were
	// archived after all. Unknown IDs are ignored.
	TakeBack(ctx context.Context, ids ...string) error
}

// MaxDeadLetterError bounds the error kept with a dead letter, in
// characters.
const MaxDeadLetterError = 1000

// NewDeadLetter returns the letter of e refused with err, at now, its
// error cleaned and bounded for keeping.
func NewDeadLetter(e bot.Event, err error, now time.Time) DeadLetter {
	return DeadLetter{Event: e, Err: bot.CleanLine(err.Error(), MaxDeadLetterError), At: now}
}

// A RetryResult says what RetryDeadLetters did.
type RetryResult struct {
	Passed int // archived now, and taken back
	// Refused are the letters the archive still refuses, with the new
	// error; they stay set aside.
	Refused []DeadLetter
}

// retryPage is how many letters RetryDeadLetters reads at a time.
const retryPage = 100

// RetryDeadLetters appends every set-aside event to the archive again,
// one at a time, and takes back those it now accepts. Those it still
// refuses stay set aside with the new error. It stops at the first error
// that is not a refusal (the archive is down): what it archived until
// then stays archived, the rest stays set aside.
func RetryDeadLetters(ctx context.Context, a Archive, clock bot.Clock) (RetryResult, error) {
	if clock == nil {
		clock = bot.SystemClock{}
	}
	var res RetryResult
	for {
		// The refused keep their place, first in the order: read past them.
		page, err := a.DeadLetters(ctx, retryPage, len(res.Refused))
		if err != nil {
			return res, fmt.Errorf("report: read the dead letters: %w", err)
		}
		for _, l := range page {
			err := a.Append(ctx, l.Event)
			switch {
			case errors.Is(err, ErrRejected):
				again := NewDeadLetter(l.Event, err, clock.Now())
				if err := a.SetAside(ctx, again); err != nil {
					return res, fmt.Errorf("report: keep dead letter %s: %w", l.Event.ID, err)
				}
				again.At = l.At
				res.Refused = append(res.Refused, again)
			case err != nil:
				return res, fmt.Errorf("report: archive dead letter %s: %w", l.Event.ID, err)
			default:
				if err := a.TakeBack(ctx, l.Event.ID); err != nil {
					return res, fmt.Errorf("report: take back dead letter %s: %w", l.Event.ID, err)
				}
				res.Passed++
			}
		}
		if len(page) < retryPage {
			return res, nil
		}
	}
}
