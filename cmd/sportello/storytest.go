package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
	"github.com/sportello/sportello/flows/story"
)

func runTest(ctx context.Context, e *env, args []string) error {
	fl := flag.NewFlagSet("test", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	flowsPath := fl.String("flows", "", "flow file or folder (default: the embedded demo shop)")
	verbose := fl.Bool("v", false, "name every story as it runs")
	strict := fl.Bool("strict", false, "check every story as a battery does: no loop, no re-ask, the customer's language, a reply to every message")
	ordersFile := fl.String("orders", "", "orders file for order_lookup (default: the demo's sample orders with the demo shop, their dates as written)")
	if err := fl.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	b, err := loadBot(e, *flowsPath)
	if err != nil {
		return err
	}
	knowledgeProblems(e, b)
	var stories []story.Story
	if fl.NArg() == 0 {
		if *flowsPath != "" {
			return fmt.Errorf("%w: name the story files or folders", errUsage)
		}
		stories, err = story.ParseFiles(examples.Shop, "shop/stories")
	} else {
		stories, err = story.ParseOS(fl.Args()...)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return errFailed
	}
	// The stories' clock is the day the sample orders were written for:
	// their dates are read as written. Every story is one conversation
	// of the same address on the same morning: the rate limits, made for
	// customers, would count them all as one.
	rt := flows.NewRuntime(b)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	shop := shopConfig{OrdersFile: *ordersFile, ConversationLookups: 1 << 20, ShopLookups: 1 << 20,
		// Stories share one process: one story's wrong proofs must not
		// lock an order for the stories after it.
		OrderFailedProofs: 1 << 20}
	if err := connectOrders(rt, shop, *flowsPath == "", nil, nil, nil, quiet); err != nil {
		return err
	}
	r := &story.Runner{
		Responder: rt,
		Texts:     b.EngineTexts(),
		Language:  b.DefaultLanguage,
		Teams:     b.EngineTeams(),
		Strict:    *strict,
	}
	sum := &story.Summary{}
	battery := *strict
	for _, s := range stories {
		fails := r.Run(ctx, s)
		sum.Results = append(sum.Results, story.Result{Story: s, Failures: fails})
		battery = battery || s.Strict || len(s.Tags) > 0
		if len(fails) == 0 {
			if *verbose {
				fmt.Fprintf(e.stdout, "ok   %s (%s)\n", s.Name, s.Pos)
			}
			continue
		}
		fmt.Fprintf(e.stdout, "FAIL %s (%s)\n", s.Name, s.Pos)
		for _, f := range fails {
			fmt.Fprintf(e.stdout, "  %s: %s\n", f.Pos, f.Msg)
		}
	}
	total := sum.Total()
	fmt.Fprintf(e.stdout, "stories: %d passed, %d failed\n", total.Passed, total.Stories-total.Passed)
	if battery {
		// A battery is read by its numbers: the rates per language and
		// per class, and which checks fail most.
		sum.WriteRates(e.stdout)
		if total.Passed < total.Stories {
			fmt.Fprintln(e.stdout, "first failure of each story, by kind:")
			sum.WriteKinds(e.stdout, 0, true)
			fmt.Fprintln(e.stdout, "every failure, by kind (stories):")
			sum.WriteKinds(e.stdout, 0, false)
		}
	}
	if total.Passed < total.Stories {
		return errFailed
	}
	return nil
}
