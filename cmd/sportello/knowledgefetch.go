package main

import (
	"context"
	"errors"
)

// runKnowledgeFetch saves a help centre as Markdown.
func runKnowledgeFetch(ctx context.Context, e *env, args []string) error {
	return errors.New("knowledge fetch is not built yet")
}
