package report

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v5"

	"github.com/sportello/sportello/bot"
)

// ArchiverConfig configures an Archiver. Log and Archive are required.
type ArchiverConfig struct {
	Log     bot.EventLog
	Archive Archive
	Group   string // "archive" when empty
	Batch   int    // events per write; 1000 when zero
	// Workers write batches at once, so that reading, preparing and
	// writing overlap; 2 when zero. The archive keeps concurrent writes
	// consistent.
	Workers int
	// Redact, when set, rewrites every customer-visible text of an event
	// (text, slot values, attachment names and captions) before it is
	// archived: the bot/redact package removes payment cards, IBANs,
	// e-mail addresses and phone numbers.
	Redact func(string) string
	// Retention, when positive, deletes conversations whose last event is
	// older, once an hour.
	Retention time.Duration
	// Timeout bounds one call to the archive (a batch's append, setting
	// an event aside); 30 s when zero. A call that runs out is tried
	// again, as when the archive is down.
	Timeout time.Duration
	Logger  *slog.Logger
	Clock   bot.Clock
}

// An Archiver copies the event log into the archive in batches, off the
// message path. It acknowledges a batch only after the archive stored it,
// so while the archive is down events wait in the log and arrive later.
// An event the archive refuses on its own (ErrRejected) is set aside as
// a dead letter, and the rest of its batch is archived: no entry can stop
// the archive.
type Archiver struct {
	cfg ArchiverConfig
	log *slog.Logger
}

// NewArchiver returns an archiver for cfg.
func NewArchiver(cfg ArchiverConfig) (*Archiver, error) {
	if cfg.Log == nil || cfg.Archive == nil {
		return nil, errors.New("report: archiver needs an event log and an archive")
	}
	if cfg.Group == "" {
		cfg.Group = "archive"
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 1000
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = bot.SystemClock{}
	}
	return &Archiver{cfg: cfg, log: cfg.Logger.With("component", "archiver")}, nil
}

// Run archives until ctx is done, then returns nil. Failures are logged
// and retried with a growing pause.
func (a *Archiver) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for i := range a.cfg.Workers {
		wg.Go(func() { a.work(ctx, i == 0) })
	}
	wg.Wait()
	return nil
}

// work archives batches until ctx is done; the first worker also applies
// the retention.
func (a *Archiver) work(ctx context.Context, purge bool) {
	var lastPurge time.Time
	for ctx.Err() == nil {
		if now := a.cfg.Clock.Now(); purge && a.cfg.Retention > 0 && now.Sub(lastPurge) >= time.Hour {
			if n, err := a.cfg.Archive.Delete(ctx, now.Add(-a.cfg.Retention)); err != nil {
				a.log.Error("retention", "err", err)
			} else {
				lastPurge = now
				if n > 0 {
					a.log.Info("retention deleted conversations", "count", n)
				}
			}
		}
		// The log is down (or the acknowledgement failed): read again,
		// after a growing pause.
		backoff.Retry(ctx, func() (int, error) { return a.Step(ctx, time.Second) }, a.retryOptions("archive events")...)
	}
}

// Step reads one batch, waiting up to wait for it, archives it and
// acknowledges it. It returns how many events it took off the log:
// archived, or set aside as dead letters. On an error nothing is
// acknowledged: the log hands the events out again.
func (a *Archiver) Step(ctx context.Context, wait time.Duration) (int, error) {
	entries, err := a.cfg.Log.ReadEvents(ctx, a.cfg.Group, a.cfg.Batch, wait)
	if err != nil {
		return 0, fmt.Errorf("report: read the event log: %w", err)
	}
	if len(entries) == 0 {
		return 0, nil
	}
	evs := make([]bot.Event, len(entries))
	for i, en := range entries {
		evs[i] = a.redact(en.Event)
	}
	// The same batch is retried here while the archive is down, so that
	// events are not read past, and arrive in order, once it is back.
	if err := a.store(ctx, evs); err != nil {
		return 0, err
	}
	if err := a.cfg.Log.AckEvents(ctx, a.cfg.Group, entries...); err != nil {
		return len(evs), fmt.Errorf("report: acknowledge %d events: %w", len(evs), err) // the log hands them out again
	}
	return len(evs), nil
}

// store appends evs, trying again while the archive is down, until ctx
// is done. When the archive refuses the batch, store halves it until it
// finds the events refused on their own, and sets those aside: a batch of
// n events with one poison costs about 2·log2(n) more appends.
func (a *Archiver) store(ctx context.Context, evs []bot.Event) error {
	err := a.retry(ctx, "archive events", len(evs), func(ctx context.Context) error {
		return a.cfg.Archive.Append(ctx, evs...)
	})
	if !errors.Is(err, ErrRejected) {
		return err
	}
	if len(evs) > 1 {
		half := len(evs) / 2
		if err := a.store(ctx, evs[:half]); err != nil {
			return err
		}
		return a.store(ctx, evs[half:])
	}
	l := NewDeadLetter(evs[0], err, a.cfg.Clock.Now())
	a.log.Warn("event refused by the archive, set aside", "event", l.Event.Address.LogID(l.Event.ID), "addr", l.Event.Address, "err", l.Err)
	err = a.retry(ctx, "set aside", 1, func(ctx context.Context) error { return a.cfg.Archive.SetAside(ctx, l) })
	if errors.Is(err, ErrRejected) {
		// Not even kept aside (it should not happen: dead letters keep
		// what the archive cannot). This line is all that is left of it.
		a.log.Error("event refused as a dead letter too, dropped", "event", l.Event.Address.LogID(l.Event.ID), "addr", l.Event.Address,
			"refused", l.Err, "err", err)
		return nil
	}
	return err
}

// retry calls op, each time with the archive's timeout, until it succeeds,
// the archive refuses (ErrRejected, returned at once), or ctx is done.
func (a *Archiver) retry(ctx context.Context, what string, n int, op func(context.Context) error) error {
	_, err := backoff.Retry(ctx, func() (struct{}, error) {
		ctx, cancel := context.WithTimeout(ctx, a.cfg.Timeout)
		defer cancel()
		err := op(ctx)
		if errors.Is(err, ErrRejected) {
			return struct{}{}, backoff.Permanent(err)
		}
		return struct{}{}, err
	}, a.retryOptions(what, "count", n)...)
	return err
}

// retryOptions are the archiver's retries: forever (until ctx is done),
// pauses from 0.5 s doubling up to 30 s, with jitter so that replicas do
// not try again in step; each failure is logged with its pause.
func (a *Archiver) retryOptions(what string, logArgs ...any) []backoff.RetryOption {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.Multiplier, b.MaxInterval, b.RandomizationFactor = 500*time.Millisecond, 2, 30*time.Second, 0.2
	return []backoff.RetryOption{
		backoff.WithBackOff(b),
		backoff.WithMaxElapsedTime(0),
		backoff.WithNotify(func(err error, d time.Duration) {
			a.log.Error(what, append(slices.Clip(logArgs), "err", err, "retry_in", d)...)
		}),
	}
}

func (a *Archiver) redact(e bot.Event) bot.Event {
	r := a.cfg.Redact
	if r == nil {
		return e
	}
	e.Text, e.Value = r(e.Text), r(e.Value)
	if len(e.Attachments) > 0 {
		att := slices.Clone(e.Attachments)
		for i := range att {
			att[i].Name, att[i].Caption = r(att[i].Name), r(att[i].Caption)
		}
		e.Attachments = att
	}
	return e
}
