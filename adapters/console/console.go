// Package console is the terminal channel: a customer types, the bot
// answers, buttons show as numbered choices. It is how a shop tries its
// flow file, and, when standard input is not a terminal, how scripts
// drive the bot one line at a time.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/sportello/sportello/bot"
)

// Channel is the name of the console channel in addresses.
const Channel = "console"

// Config configures a Console.
type Config struct {
	In  io.Reader
	Out io.Writer
	// Handler handles each line: the engine.
	Handler bot.Handler
	// Language is the customer's language hint ("it", "en"), if any.
	Language string
	// Interactive shows a prompt; scripts get the customer's lines echoed
	// instead, so the output reads as a transcript.
	Interactive bool
	// ChatID names the conversation; "local" when empty.
	ChatID string
}

// Console is a bot.Channel on a terminal.
type Console struct {
	cfg  Config
	addr bot.Address

	mu sync.Mutex
	// buttons are those of the last reply, for "type a number": a reply
	// without buttons leaves none, so a number typed then is text, not a
	// press of a stale button. System lines (an agent joined, the demo's
	// desk) are about the conversation and keep them.
	buttons []bot.Button
}

var _ bot.Channel = (*Console)(nil)

// New returns a console for cfg.
func New(cfg Config) *Console {
	if cfg.ChatID == "" {
		cfg.ChatID = "local"
	}
	return &Console{cfg: cfg, addr: bot.Address{Channel: Channel, ChatID: cfg.ChatID}}
}

// Address returns the address of the console's conversation.
func (c *Console) Address() bot.Address { return c.addr }

// Send prints a reply: the bot's text, agents' lines with their name,
// system lines set apart, and buttons as numbered choices.
func (c *Console) Send(ctx context.Context, r bot.Reply) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := c.cfg.Out
	switch {
	case r.System:
		fmt.Fprintf(w, "   · %s\n", r.Text)
	case r.From != "":
		fmt.Fprintf(w, "%s> %s\n", r.From, indent(r.Text))
	default:
		fmt.Fprintf(w, "bot> %s\n", indent(r.Text))
	}
	if !r.System {
		c.buttons = r.Buttons
	}
	for i, b := range r.Buttons {
		fmt.Fprintf(w, "     %d) %s\n", i+1, b.Title)
	}
	return nil
}

// indent keeps the lines of a long reply under the speaker's name.
func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n     ") }

// Run reads the customer's lines until the input ends, "/quit" is typed
// or ctx is done. A number that matches a button of the last reply
// presses it.
func (c *Console) Run(ctx context.Context) error {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(c.cfg.In)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		errc <- sc.Err()
		close(lines)
	}()
	for n := 1; ; n++ {
		c.prompt()
		var line string
		var ok bool
		select {
		case <-ctx.Done():
			return nil
		case line, ok = <-lines:
		}
		if !ok {
			if c.cfg.Interactive {
				fmt.Fprintln(c.cfg.Out)
			}
			return <-errc
		}
		if strings.TrimSpace(line) == "/quit" {
			return nil
		}
		if !c.cfg.Interactive {
			c.mu.Lock()
			fmt.Fprintf(c.cfg.Out, "you> %s\n", line)
			c.mu.Unlock()
		}
		m := c.message(n, line)
		if err := c.cfg.Handler.Handle(ctx, m); err != nil {
			if errors.Is(err, context.Canceled) {
				return nil
			}
			c.mu.Lock()
			fmt.Fprintf(c.cfg.Out, "   · (not delivered: %v)\n", err)
			c.mu.Unlock()
		}
	}
}

func (c *Console) prompt() {
	if c.cfg.Interactive {
		c.mu.Lock()
		fmt.Fprint(c.cfg.Out, "you> ")
		c.mu.Unlock()
	}
}

// message turns line n into a Message, pressing a button of the last
// reply when the line is the number of one.
func (c *Console) message(n int, line string) bot.Message {
	m := bot.Message{
		ID:      "console:" + strconv.Itoa(n),
		Address: c.addr,
		Sender:  bot.Sender{Name: "Console", Language: c.cfg.Language},
		Text:    line,
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if i, err := strconv.Atoi(strings.TrimSpace(line)); err == nil && i >= 1 && i <= len(c.buttons) {
		b := c.buttons[i-1]
		m.Text, m.Payload = b.Title, b.Payload
	}
	return m
}
