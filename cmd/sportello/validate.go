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
		fmt.Fprintf(e.stdout, "%s: ok (%s: %d flows, %d intents, languages %v)\n", p, b.Name, len(b.Flows), len(b.Intents), b.Languages)
	}
	if failed {
		return errFailed
	}
	return nil
}
