package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/sportello/sportello/adapters/console"
	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows"
)

func runChat(ctx context.Context, e *env, args []string) error {
	fl := flag.NewFlagSet("chat", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	flowsPath := fl.String("flows", "", "flow file or folder (default: the embedded demo shop)")
	lang := fl.String("lang", "", "the customer's language: it or en (default: detected)")
	ordersFile := fl.String("orders", "", "orders file for order_lookup (default: the demo's sample orders with the demo shop)")
	if err := fl.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *lang != "" && *lang != "it" && *lang != "en" {
		return fmt.Errorf("%w: --lang %q: want it or en", errUsage, *lang)
	}
	b, err := loadBot(e, *flowsPath)
	if err != nil {
		return err
	}
	knowledgeProblems(e, b)
	interactive := false
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		interactive = true
	}
	return chat(ctx, e, b, chatOptions{lang: *lang, interactive: interactive, orders: *ordersFile, demo: *flowsPath == ""})
}

// chatOptions are the settings of a terminal conversation.
type chatOptions struct {
	lang        string    // the customer's language hint
	interactive bool      // a person at a terminal, not a script
	clock       bot.Clock // the system clock when nil; tests set it
	orders      string    // an orders file for order_lookup
	demo        bool      // the demo shop: its sample orders by default
}

// chat runs a conversation with b in the terminal of e. The engine is
// built as serve builds it, so the terminal is a faithful try of the flow
// file: the teams with their names, hours and timeouts, their queues, and
// the engine's timers (nobody claims in time) running beside the
// conversation. The desk is the in-process one.
func chat(ctx context.Context, e *env, b *flows.Bot, o chatOptions) error {
	clock := o.clock
	if clock == nil {
		clock = bot.SystemClock{}
	}
	// The shop's days are those of its time zone, as serve has them (the
	// timezone setting), not the machine's: "yesterday" at 00:30 in Rome
	// is the day before in Rome, wherever the terminal is.
	cfg := defaultConfig()
	if v := e.getenv("SPORTELLO_TIMEZONE"); v != "" {
		cfg.Timezone, cfg.timezoneSet = v, true
	}
	if _, err := loadZone(cfg.Timezone); err != nil {
		return fmt.Errorf("%w: SPORTELLO_TIMEZONE: %v", errUsage, err)
	}
	cfg, warn := cfg.flowZone(b)
	if warn != "" {
		fmt.Fprintln(e.stderr, "timezone: "+warn)
	}
	zone := cfg.zone()
	st := memory.NewStoreWith(memory.Options{Now: clock.Now})
	rt := flows.NewRuntime(b)
	rt.SetZone(zone)
	quiet := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := connectOrders(rt, shopConfig{OrdersFile: o.orders, zone: zone}, o.demo, time.Now, nil, st.Capabilities().Counters, quiet); err != nil {
		return err
	}
	engine, err := bot.NewEngine(bot.Config{
		Store:     st,
		Responder: rt,
		Texts:     b.EngineTexts(),
		Language:  b.DefaultLanguage,
		Queues:    st,
		Teams:     b.EngineTeams(),
		Clock:     clock,
	})
	if err != nil {
		return err
	}
	c := console.New(console.Config{In: e.stdin, Out: e.stdout, Handler: engine, Language: o.lang, Interactive: o.interactive})
	engine.SetChannel(console.Channel, c)
	engine.SetDesk(bot.NewLocalDesk(engine))
	if o.interactive {
		fmt.Fprintf(e.stdout, "You are talking to %s. Type /quit to leave; type a number to press a button of the last reply.\n\n", b.Name)
	}

	// Run fires the timers and retries deliveries; it ends, and delivers
	// what is left, once the conversation does.
	rctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { engine.Run(rctx) })
	err = c.Run(ctx)
	stop()
	wg.Wait()
	return err
}
