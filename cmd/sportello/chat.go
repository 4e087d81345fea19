package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
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
	rt := flows.NewRuntime(b)
	quiet := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := connectOrders(rt, shopConfig{OrdersFile: *ordersFile}, *flowsPath == "", time.Now, quiet); err != nil {
		return err
	}
	engine, err := bot.NewEngine(bot.Config{
		Store:     memory.NewStore(),
		Responder: rt,
		Texts:     b.EngineTexts(),
		Language:  b.DefaultLanguage,
	})
	if err != nil {
		return err
	}
	interactive := false
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		interactive = true
	}
	c := console.New(console.Config{In: e.stdin, Out: e.stdout, Handler: engine, Language: *lang, Interactive: interactive})
	engine.SetChannel(console.Channel, c)
	engine.SetDesk(bot.NewLocalDesk(engine))
	if interactive {
		fmt.Fprintf(e.stdout, "You are talking to %s. Type /quit to leave; type a number to press a button.\n\n", b.Name)
	}
	return c.Run(ctx)
}
