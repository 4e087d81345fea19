package main

import (
	"context"
	"fmt"
)

func runValidate(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: name a flow file or folder", errUsage)
	}
	failed := false
	for _, p := range args {
		b, err := loadBot(e, p)
		if err != nil {
			if err != errFailed {
				fmt.Fprintf(e.stderr, "%s: %v\n", p, err)
			}
			failed = true
			continue
		}
		if n := knowledgeProblems(e, b); n > 0 {
			fmt.Fprintf(e.stderr, "%d error(s) in the knowledge folder's pages\n", n)
			failed = true
			continue
		}
		docs := ""
		if b.Knowledge() != nil {
			docs = fmt.Sprintf(", %d passages of documents", b.Knowledge().Len())
		}
		fmt.Fprintf(e.stdout, "%s: ok (%s: %d flows, %d intents, languages %v%s)\n", p, b.Name, len(b.Flows), len(b.Intents), b.Languages, docs)
	}
	if failed {
		return errFailed
	}
	return nil
}
