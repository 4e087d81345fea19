package console_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sportello/sportello/adapters/console"
	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
)

// menu asks a question with two buttons and echoes what it gets.
var menu = bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
	if t.Message.Payload != "" {
		t.Say("you chose " + t.Message.Payload)
		return nil
	}
	t.Say("Hi "+t.Message.Text+"!\nPick one:", bot.Button{Title: "Warranty", Payload: "w"}, bot.Button{Title: "Buy", Payload: "b"})
	return nil
})

func TestScriptedConversation(t *testing.T) {
	var out strings.Builder
	e, err := bot.NewEngine(bot.Config{Store: memory.NewStore(), Responder: menu})
	if err != nil {
		t.Fatal(err)
	}
	c := console.New(console.Config{In: strings.NewReader("Anna\n2\n7\n"), Out: &out, Handler: e})
	e.SetChannel(console.Channel, c)
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := `you> Anna
bot> Hi Anna!
     Pick one:
     1) Warranty
     2) Buy
you> 2
bot> you chose b
you> 7
bot> Hi 7!
     Pick one:
     1) Warranty
     2) Buy
`
	if out.String() != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", out.String(), want)
	}
}
