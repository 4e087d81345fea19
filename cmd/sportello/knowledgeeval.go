package main

import (
	"context"
	"errors"
)

// runKnowledgeEval measures the index serve uses on a set of queries.
func runKnowledgeEval(ctx context.Context, e *env, args []string) error {
	return errors.New("knowledge eval is not built yet")
}
