package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/sportello/sportello/adapters/postgres"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/bot/report"
)

// runArchive runs `sportello archive retry`: it appends every event the
// archive set aside (a dead letter) to the PostgreSQL archive at
// DATABASE_URL again, removes those that pass, and prints how many passed
// and why the others are still refused. It exits 1 while some are.
func runArchive(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "retry" {
		return fmt.Errorf("%w: want the subcommand retry", errUsage)
	}
	fl := flag.NewFlagSet("archive retry", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	if err := fl.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fl.Arg(0))
	}
	url := e.getenv("DATABASE_URL")
	if url == "" {
		return errors.New("DATABASE_URL is not set: the dead letters are kept in the PostgreSQL archive")
	}
	pg, err := postgres.Open(ctx, url)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	defer pg.Close()
	res, err := report.RetryDeadLetters(ctx, pg, nil)
	// What was done is printed even when the archive went down half-way.
	fmt.Fprintf(e.stdout, "%d re-archived, %d still refused\n", res.Passed, len(res.Refused))
	for _, l := range res.Refused {
		// An ID or an error may hold what a terminal should not print.
		fmt.Fprintf(e.stdout, "  %s (%s): %s\n", bot.CleanLine(l.Event.ID, bot.MaxIDLen),
			bot.CleanLine(l.Event.Address.String(), bot.MaxIDLen), l.Err)
	}
	if err != nil {
		return err
	}
	if len(res.Refused) > 0 {
		return errFailed
	}
	return nil
}
