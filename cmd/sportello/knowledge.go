package main

import (
	"context"
	"fmt"
)

// runKnowledge runs the knowledge subcommands: eval (knowledgeeval.go)
// and fetch (knowledgefetch.go).
func runKnowledge(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: knowledge needs a subcommand: eval or fetch", errUsage)
	}
	switch args[0] {
	case "eval":
		return runKnowledgeEval(ctx, e, args[1:])
	case "fetch":
		return runKnowledgeFetch(ctx, e, args[1:])
	}
	return fmt.Errorf("%w: unknown knowledge subcommand %q (want eval or fetch)", errUsage, args[0])
}
