// Command sportello is the customer-service bot: one binary that serves the
// channels, replays stories, validates flow files and measures the models.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// errUsage marks a command line mistake: the usage is printed, exit 2.
var errUsage = errors.New("usage")

// A command is one subcommand of sportello.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, e *env, args []string) error
}

// env is what a command may touch of the outside world, so tests can run
// commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// listening, if set, is told the address the server listens on.
	listening func(addr string)
}

func commands() []command {
	return []command{
		{"serve", "[--flows PATH] [--config FILE]", "run the bot: web chat, Telegram, Slack, review pages", runServe},
		{"chat", "[--flows PATH] [--lang it|en]", "talk to the bot in this terminal", runChat},
		{"validate", "PATH...", "check flow files and report every mistake with file:line:column", runValidate},
		{"test", "[--flows PATH] [--strict] STORY...", "replay conversation stories against a flow file", runTest},
		{"nlu", "eval --train A.tsv --test B.tsv [--predictions OUT.tsv] [--threshold X]", "measure the intent classifier", runNLU},
		{"knowledge", "eval --docs DIR --queries Q.tsv | fetch --sitemap URL --out DIR", "measure the answers from documents, or save a help centre as Markdown", runKnowledge},
		{"bench", "[queue | soak] [--redis URL] [FLAGS]", "measure the engine on the Redis store; queue: cases left waiting; soak: the whole server under web chat visitors", runBench},
		{"archive", "retry", "re-archive the events the archive set aside (DATABASE_URL)", runArchive},
		{"config", "check [--config FILE]", "print the configuration serve would run with, secrets hidden, and every mistake", runConfig},
		{"ref", "ADDRESS... | order NUMBER...", "print the log references of conversations or orders, as serve logs them (SPORTELLO_WEBCHAT_KEY)", runRef},
		{"health", "[--url URL]", "ask a running server's /healthz: the container's health check", runHealth},
		{"help", "", "list the commands", nil},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(run(ctx, e, os.Args[1:]))
}

// run runs the command line args and returns the exit code.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] || c.run == nil {
			continue
		}
		err := c.run(ctx, e, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(e.stderr, "%v\nusage: sportello %s %s\n", err, c.name, c.args)
			return 2
		case errors.Is(err, errFailed):
			return 1 // the command printed what failed
		default:
			fmt.Fprintf(e.stderr, "sportello %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(e.stderr, "sportello: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return 2
}

// errFailed reports a failure the command has already printed.
var errFailed = errors.New("failed")

func usage(w io.Writer) {
	fmt.Fprintln(w, "Sportello, the customer-service bot.\n\nUsage: sportello COMMAND [ARGS]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'sportello COMMAND -h' for a command's flags.")
}
