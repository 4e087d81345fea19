package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/sportello/sportello/bot"
)

// runRef prints the log references of conversations (telegram:12345) or
// of orders (ref order SP-482001), keyed as serve keys them with the
// deployment's key of the environment: the way from a conversation of
// the review pages, or an order a customer names, to its log lines.
func runRef(_ context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] == "order" && len(args) == 1) {
		return fmt.Errorf("%w: name conversations (telegram:12345, web:CHAT) or orders (order SP-482001)", errUsage)
	}
	if e.getenv("SPORTELLO_WEBCHAT_KEY") == "" {
		return errors.New("SPORTELLO_WEBCHAT_KEY not set: the references are keyed with the deployment's key, derived from it; a server without it keys them at random at each start, and they cannot be made again")
	}
	bot.SetLogKey(deploymentKey(e.getenv, "log references"))
	if args[0] == "order" {
		for _, n := range args[1:] {
			fmt.Fprintf(e.stdout, "%s\t%s\n", bot.OrderRef(n), n)
		}
		return nil
	}
	for _, a := range args {
		addr, err := bot.ParseAddress(a)
		if err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		fmt.Fprintf(e.stdout, "%s\t%s\n", addr.Ref(), a)
	}
	return nil
}
