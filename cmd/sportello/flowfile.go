package main

import (
	"errors"
	"fmt"

	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
)

// loadBot loads the flow file at path, or the embedded demo shop when path
// is empty. Errors of the file are printed one a line, as file:line:col.
func loadBot(e *env, path string) (*flows.Bot, error) {
	var b *flows.Bot
	var err error
	if path == "" {
		b, err = flows.Load(examples.Shop, "shop")
	} else {
		b, err = flows.LoadPath(path)
	}
	if err == nil {
		return b, nil
	}
	var list flows.ErrorList
	if errors.As(err, &list) {
		for _, fe := range list {
			fmt.Fprintln(e.stderr, fe)
		}
		fmt.Fprintf(e.stderr, "%d error(s) in the flow file\n", len(list))
		return nil, errFailed
	}
	return nil, err
}
