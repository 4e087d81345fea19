package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
)

// loadBot loads the flow file at path, or the embedded demo shop when path
// is empty. Errors of the file are printed one a line, as file:line:col.
func loadBot(e *env, path string) (*flows.Bot, error) {
	b, err := openBot(path)
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

// openBot loads the flow file at path, or the embedded demo shop when
// path is empty; the mistakes of a file are a flows.ErrorList.
func openBot(path string) (*flows.Bot, error) {
	if path == "" {
		return loadDemo()
	}
	return flows.LoadPath(path)
}

// loadDemo loads the embedded demo shop. The commands only read the bot,
// so the tests, which start the demo a hundred times, load it once
// (main_test.go).
var loadDemo = func() (*flows.Bot, error) { return flows.Load(examples.Shop, "shop") }

// knowledgeProblems prints the mistakes of the shop's documents, one a
// line (file:line: message), and returns how many there are. The bot
// runs without the pages they name.
func knowledgeProblems(e *env, b *flows.Bot) int {
	if b.KnowledgeProblems == nil {
		return 0
	}
	lines := strings.Split(b.KnowledgeProblems.Error(), "\n")
	for _, l := range lines {
		fmt.Fprintln(e.stderr, l)
	}
	return len(lines)
}
