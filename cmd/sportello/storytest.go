package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
	"github.com/sportello/sportello/flows/story"
)

func runTest(ctx context.Context, e *env, args []string) error {
	fl := flag.NewFlagSet("test", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	flowsPath := fl.String("flows", "", "flow file or folder (default: the embedded demo shop)")
	verbose := fl.Bool("v", false, "name every story as it runs")
	if err := fl.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	b, err := loadBot(e, *flowsPath)
	if err != nil {
		return err
	}
	var stories []story.Story
	if fl.NArg() == 0 {
		if *flowsPath != "" {
			return fmt.Errorf("%w: name the story files or folders", errUsage)
		}
		stories, err = story.ParseFiles(examples.Shop, "shop/stories")
	} else {
		for _, p := range fl.Args() {
			fsys, name := story.OSFS(p)
			ss, perr := story.ParseFiles(fsys, name)
			if perr != nil {
				err = perr
				break
			}
			stories = append(stories, ss...)
		}
	}
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return errFailed
	}
	r := &story.Runner{
		Responder: flows.NewRuntime(b),
		Texts:     engineTexts(b),
		Language:  b.DefaultLanguage,
		Teams:     teamsOf(b),
		NewStore: func(now func() time.Time) bot.Store {
			return memory.NewStoreWith(memory.Options{Now: now})
		},
	}
	passed, failed := 0, 0
	for _, s := range stories {
		fails := r.Run(ctx, s)
		if len(fails) == 0 {
			passed++
			if *verbose {
				fmt.Fprintf(e.stdout, "ok   %s (%s)\n", s.Name, s.Pos)
			}
			continue
		}
		failed++
		fmt.Fprintf(e.stdout, "FAIL %s (%s)\n", s.Name, s.Pos)
		for _, f := range fails {
			fmt.Fprintf(e.stdout, "  %s: %s\n", f.Pos, f.Msg)
		}
	}
	fmt.Fprintf(e.stdout, "stories: %d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return errFailed
	}
	return nil
}
