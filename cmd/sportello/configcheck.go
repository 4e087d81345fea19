package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/adapters/redis"
	"github.com/sportello/sportello/adapters/review"
	"github.com/sportello/sportello/adapters/slack"
	"github.com/sportello/sportello/adapters/telegram"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows"
)

// runConfig runs `sportello config check [--config FILE]`: it prints the
// configuration serve would run with, every setting with where it came
// from and the secrets hidden, then every mistake (stderr), each with its
// place: file:line, or the variable. It exits 1 when there is one. It
// checks what serve checks before it connects to anything (the file, the
// flows, the keys, the channels' settings); it does not dial Redis,
// PostgreSQL, Telegram or Slack.
func runConfig(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		return fmt.Errorf("%w: want the subcommand check", errUsage)
	}
	fl := flag.NewFlagSet("config check", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	configFile := fl.String("config", "", "configuration file (default: $SPORTELLO_CONFIG)")
	if err := fl.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fl.Arg(0))
	}

	var mistakes []string
	cfg, err := loadConfig(*configFile, e.getenv)
	var ce configError
	switch {
	case errors.As(err, &ce):
		mistakes = append(mistakes, ce...)
	case err != nil: // unreadable, or not YAML: there is nothing to print
		fmt.Fprintln(e.stderr, err)
		return errFailed
	}
	r := resolved{cfg: cfg, getenv: e.getenv, file: *configFile, fromFlag: *configFile != ""}
	if r.file == "" {
		r.file = e.getenv("SPORTELLO_CONFIG")
	}
	if r.file != "" {
		data, err := os.ReadFile(r.file)
		if err != nil {
			return fmt.Errorf("config: %w", err)
		}
		r.lines = keyLines(data)
	}
	r.bot, err = openBot(cfg.Flows)
	if err != nil {
		var list flows.ErrorList
		if errors.As(err, &list) {
			for _, fe := range list {
				mistakes = append(mistakes, fe.Error())
			}
		} else { // the error may not name the path: say it
			what := strings.TrimPrefix(err.Error(), "flows: ")
			mistakes = append(mistakes, placeMistake("flows: "+cfg.Flows+": "+what, r.file, r.lines, e.getenv))
		}
	}
	// The zone serve runs in: the flow file's hours zone when the
	// configuration names none, as serve and chat take it.
	var zoneWarning string
	if r.bot != nil {
		r.cfg, zoneWarning = r.cfg.flowZone(r.bot)
	}
	mistakes = append(mistakes, r.startMistakes()...)

	fmt.Fprintln(e.stdout, "The configuration `sportello serve` would run with (secrets hidden):")
	fmt.Fprintln(e.stdout)
	r.print(e.stdout)
	if zoneWarning != "" {
		fmt.Fprintln(e.stdout, "\nwarning: timezone: "+bot.CleanLine(zoneWarning, 0))
	}
	if len(mistakes) == 0 {
		fmt.Fprintln(e.stdout, "\nno mistakes")
		return nil
	}
	for _, m := range mistakes {
		fmt.Fprintln(e.stderr, bot.CleanLine(m, 0))
	}
	fmt.Fprintf(e.stderr, "%d mistake(s)\n", len(mistakes))
	return errFailed
}

// resolved is a configuration as loaded, with what config check needs to
// say where each setting came from.
type resolved struct {
	cfg      config
	getenv   func(string) string
	file     string         // the configuration file, "" for none
	fromFlag bool           // file was given by --config
	lines    map[string]int // of the file's keys (keyLines)
	bot      *flows.Bot     // nil when the flows do not load
}

// startMistakes are the mistakes serve finds when it starts, past the
// file's: of the variables, the managers and the channels, found by the
// same functions.
func (r resolved) startMistakes() []string {
	var errs []string
	add := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	// The review pages check each manager's hash when they are made: made
	// with stand-ins, one manager at a time, they say which is wrong.
	for i, m := range r.cfg.Review.Managers {
		if m.Name == "" || !strings.HasPrefix(m.PasswordHash, "$2") {
			continue // check said so
		}
		_, err := review.New(review.Config{Archive: memory.NewArchive(), Managers: []review.Manager{m},
			SessionKey: make([]byte, 32), Sessions: memory.NewStore()})
		if err != nil {
			what := strings.TrimPrefix(err.Error(), "review: ")
			errs = append(errs, placeMistake(fmt.Sprintf("review.managers[%d]: %s", i, what), r.file, r.lines, r.getenv))
		}
	}
	_, err := webchatKey(r.getenv)
	add(err)
	_, err = reviewKey(r.getenv)
	add(err)
	_, err = secureCookies(r.cfg.Addr, r.getenv)
	add(err)
	_, _, err = telegram.ConfigFromEnv(r.getenv)
	add(err)
	if len(r.cfg.Shop.check()) == 0 {
		// The shop's system with its secrets and its orders file, as serve
		// opens it: nothing is dialled.
		_, _, err = openOrders(r.cfg.Shop, r.cfg.Flows == "", nil, r.getenv, slog.New(slog.DiscardHandler))
		add(err)
	}
	if r.bot != nil {
		sc, ok, err := slackConfig(r.teams(), r.cfg, r.getenv)
		add(err)
		if ok && err == nil {
			// The desk checks its tokens when it is made, and connects
			// only when it runs: made here with stand-ins for the engine
			// and the store, it says what serve would say.
			sc.Handler = bot.HandlerFunc(func(context.Context, bot.Message) error { return nil })
			sc.Directory = memory.NewStore()
			_, err = slack.NewDesk(sc)
			add(err)
		}
	}
	return errs
}

// teams are the flow file's teams, or those the file names channels for
// when the flows do not load.
func (r resolved) teams() []string {
	if r.bot != nil {
		return slices.Sorted(maps.Keys(r.bot.Teams))
	}
	return slices.Sorted(maps.Keys(r.cfg.Slack.Channels))
}

// A row is one line of config check's table.
type row struct{ key, env, from, value string }

func (r resolved) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "file key\tvariable\tfrom\tvalue")
	for _, s := range settings {
		for _, rw := range r.rows(s) {
			if rw.key == "" {
				rw.key = "-"
			}
			if rw.env == "" {
				rw.env = "-"
			}
			// The values are the operator's own, but a terminal should
			// not meet their control characters.
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", rw.key, rw.env, rw.from, bot.CleanLine(rw.value, 200))
		}
	}
	tw.Flush()
}

// rows returns the lines of s: one, or one per team for the channels.
func (r resolved) rows(s setting) []row {
	switch s.env {
	case "SPORTELLO_CONFIG":
		switch {
		case r.fromFlag:
			return []row{{s.key, s.env, "--config", r.file}}
		case r.file != "":
			return []row{{s.key, s.env, "environment", r.file}}
		}
		return []row{{s.key, s.env, "default", s.def}}
	case teamChannelEnv:
		var rows []row
		for _, t := range r.teams() {
			rw := r.row(setting{key: "slack.channels." + t, env: teamChannelVar(t), def: s.def})
			if rw.from != "default" && rw.from != "environment" {
				rw.value = r.cfg.Slack.Channels[t]
			}
			rows = append(rows, rw)
		}
		return rows
	case "SPORTELLO_SECURE_COOKIES":
		rw := r.row(s)
		if rw.from == "default" {
			on, _ := secureCookies(r.cfg.Addr, r.getenv)
			rw.value = fmt.Sprintf("%t (%s)", on, s.def)
		}
		return []row{rw}
	}
	rw := r.row(s)
	if s.key == "timezone" && rw.from == "default" && r.bot != nil {
		// Unset, the zone is the flow file's hours' (flowZone).
		for _, id := range slices.Sorted(maps.Keys(r.bot.Hours)) {
			if h := r.bot.Hours[id]; h.Location != nil && h.Location.String() == r.cfg.Timezone {
				rw.from = h.Pos.String()
				break
			}
		}
	}
	if s.key == "flows" && r.bot != nil {
		rw.value += fmt.Sprintf(" (%s: teams %s)", r.bot.Name, strings.Join(r.teams(), ", "))
	}
	return []row{rw}
}

// row returns the line of a setting of one key or variable: the
// variable's value when it is set, else the file's, else the default.
func (r resolved) row(s setting) row {
	rw := row{key: s.key, env: s.env}
	v := ""
	if s.env != "" {
		v = r.getenv(s.env)
	}
	switch n, inFile := r.lines[s.key]; {
	case v != "":
		rw.from = "environment"
	case s.key != "" && inFile:
		rw.from = fmt.Sprintf("%s:%d", r.file, n)
	default:
		rw.from = "default"
	}
	if s.show != nil {
		v = s.show(r.cfg) // the file's or the variable's, as loaded
	}
	switch {
	case v == "":
		rw.value = s.def
	case s.secret:
		rw.value = "(hidden)"
	case s.url:
		rw.value = redis.Redacted(v)
	default:
		rw.value = v
	}
	return rw
}
