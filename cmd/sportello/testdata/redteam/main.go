// Command redteam attacks a built sportello binary from outside, over
// HTTP only, as an anonymous visitor, a careless client and a forger
// would: it repeats each finding of issue 10 and checks that it is gone,
// checks that the protections that held still hold, and tries what an
// attacker would try next. See README.md.
//
//	go build -o /tmp/sportello ./cmd/sportello
//	go run ./cmd/sportello/testdata/redteam -bin /tmp/sportello
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// A check is one attack and what must be seen.
type check struct {
	id    string // F1..F11 for the findings of issue 10, P- for the protections, N- for what comes next
	title string
	run   func(c *C)
	slow  bool // runs in the background beside the others (it mostly waits)
}

// C records what a check did and saw.
type C struct {
	w      *world
	mu     sync.Mutex
	seen   []string
	failed []string
	limits []string
}

// Logf records what was seen.
func (c *C) Logf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen = append(c.seen, fmt.Sprintf(format, args...))
}

// Limit records a weakness that is known and documented: the check's
// verdict says so instead of held.
func (c *C) Limit(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.limits = append(c.limits, fmt.Sprintf(format, args...))
}

// Expect records a failure when ok is false; it returns ok.
func (c *C) Expect(ok bool, format string, args ...any) bool {
	if !ok {
		c.mu.Lock()
		c.failed = append(c.failed, fmt.Sprintf(format, args...))
		c.mu.Unlock()
	}
	return ok
}

// A result is a check's verdict.
type result struct {
	check
	verdict string
	seen    []string
	failed  []string
	took    time.Duration
}

func verdict(id string, ok bool) string {
	switch {
	case ok && strings.HasPrefix(id, "F"):
		return "fixed"
	case ok:
		return "held"
	case strings.HasPrefix(id, "F"):
		return "STILL OPEN"
	}
	return "HOLE"
}

func run(w *world, ch check) (res result) {
	c := &C{w: w}
	began := time.Now()
	defer func() {
		if p := recover(); p != nil {
			c.Expect(false, "the check broke: %v\n%s", p, debug.Stack())
		}
		if !w.alive() {
			c.Expect(false, "the server died:\n%s", tail(w.logText(), 2000))
		}
		res = result{check: ch, verdict: verdict(ch.id, len(c.failed) == 0), seen: append(c.seen, c.limits...), failed: c.failed, took: time.Since(began)}
		if len(c.failed) == 0 && len(c.limits) > 0 {
			res.verdict = "known limit"
		}
	}()
	ch.run(c)
	return
}

func main() {
	bin := flag.String("bin", "/tmp/redteam-sportello", "the sportello binary to attack (go build -o FILE ./cmd/sportello)")
	redisURL := flag.String("redis", "redis://127.0.0.1:6379/11", "an empty Redis database for the server; its keys are deleted at the end")
	pgAdmin := flag.String("pg", "postgres://root@127.0.0.1:5432/postgres", "PostgreSQL where the attack creates (and drops) a database of its own")
	only := flag.String("run", "", "run only the checks whose ID or title matches this regular expression")
	skipSlow := flag.Bool("quick", false, "skip the slow checks (connections held for a minute)")
	out := flag.String("out", "", "also write the results as Markdown to this file")
	keep := flag.Bool("keep", false, "keep the database, the Redis keys and the server's files (printed)")
	force := flag.Bool("force", false, "use the Redis database even if it holds keys")
	flag.IntVar(&waitingCases, "waiting", waitingCases, "cases left waiting for F11")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	w, err := setUp(ctx, *bin, *redisURL, *pgAdmin, *force)
	if err != nil {
		if w != nil {
			w.tearDown(*keep)
		}
		fmt.Fprintln(os.Stderr, "redteam:", err)
		os.Exit(2)
	}
	code := attack(ctx, w, *only, *skipSlow, *out)
	w.tearDown(*keep)
	if *keep {
		fmt.Printf("kept: %s, database %s, Redis %s\n", w.dir, w.dbName, w.redisURL)
	}
	os.Exit(code)
}

// attack runs the checks and reports; it returns the exit code.
func attack(ctx context.Context, w *world, only string, skipSlow bool, out string) int {
	fmt.Printf("attacking %s (pid %d), log %s, database %s\n", w.base, w.pid(), w.logPath, w.dbName)

	var re *regexp.Regexp
	if only != "" {
		re = regexp.MustCompile(only)
	}
	var results []result
	var mu sync.Mutex
	var bg sync.WaitGroup
	for _, ch := range checks() {
		if re != nil && !re.MatchString(ch.id) && !re.MatchString(ch.title) {
			continue
		}
		if ch.slow && skipSlow {
			continue
		}
		if ch.slow {
			bg.Go(func() {
				r := run(w, ch)
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
				fmt.Printf("%-8s %-10s %s (%s)\n", r.id, r.verdict, r.title, r.took.Round(time.Second))
			})
			continue
		}
		r := run(w, ch)
		mu.Lock()
		results = append(results, r)
		mu.Unlock()
		fmt.Printf("%-8s %-10s %s (%s)\n", r.id, r.verdict, r.title, r.took.Round(100*time.Millisecond))
		if ctx.Err() != nil {
			break
		}
	}
	bg.Wait()
	// Last: nothing secret reached the log during the whole attack.
	if re == nil || re.MatchString("P-secrets") {
		r := run(w, check{id: "P-secrets", title: "no token, password, key or visitor token in the debug log", run: checkSecretsInLog})
		results = append(results, r)
		fmt.Printf("%-8s %-10s %s\n", r.id, r.verdict, r.title)
	}

	md := report(results)
	fmt.Println()
	fmt.Println(md)
	if out != "" {
		os.WriteFile(out, []byte(md), 0o644)
	}
	for _, r := range results {
		if r.verdict != "held" && r.verdict != "fixed" && r.verdict != "known limit" {
			return 1
		}
	}
	return 0
}

// report writes the results as Markdown, in the order of checks().
func report(results []result) string {
	order := map[string]int{}
	for i, c := range checks() {
		order[c.id] = i
	}
	order["P-secrets"] = len(order)
	sortResults(results, order)
	var b strings.Builder
	fmt.Fprintf(&b, "| check | verdict | what was done and seen |\n|---|---|---|\n")
	for _, r := range results {
		what := strings.Join(r.seen, "; ")
		if len(r.failed) > 0 {
			what += "; **failed:** " + strings.Join(r.failed, "; ")
		}
		what = strings.ReplaceAll(strings.ReplaceAll(what, "|", "\\|"), "\n", " ")
		fmt.Fprintf(&b, "| %s %s | %s | %s |\n", r.id, r.title, r.verdict, what)
	}
	return b.String()
}

func sortResults(rs []result, order map[string]int) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && order[rs[j].id] < order[rs[j-1].id]; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}
