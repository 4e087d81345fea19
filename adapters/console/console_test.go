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

// TestANumberPressedAButtonOfAnEarlierReply: a number typed after a reply
// without buttons pressed a button of an earlier reply. Only the last
// reply's buttons count; a system line after them does not take them away.
func TestANumberPressedAButtonOfAnEarlierReply(t *testing.T) {
	// The bot asks with two buttons on "menu", adds a system line to them
	// on "menu+", and otherwise says what it got, without buttons.
	bot1 := bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
		switch m := t.Message; {
		case m.Payload != "":
			t.Say("pressed " + m.Payload)
		case m.Text == "menu" || m.Text == "menu+":
			t.Say("Pick one:", bot.Button{Title: "Warranty", Payload: "w"}, bot.Button{Title: "Buy", Payload: "b"})
			if m.Text == "menu+" {
				t.System("Anna joined the conversation")
			}
		default:
			t.Say("text " + m.Text)
		}
		return nil
	})
	for _, tc := range []struct {
		name, script string
		last         string // the bot's last line
	}{
		{"a number after a reply without buttons is text", "menu\n1\n2\n", "bot> text 2\n"},
		{"a number after a reply with buttons presses one", "menu\nhello\nmenu\n2\n", "bot> pressed b\n"},
		{"a system line keeps the buttons", "menu+\n1\n", "bot> pressed w\n"},
		{"a number beyond the buttons is text", "menu\n3\n", "bot> text 3\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			e, err := bot.NewEngine(bot.Config{Store: memory.NewStore(), Responder: bot1})
			if err != nil {
				t.Fatal(err)
			}
			c := console.New(console.Config{In: strings.NewReader(tc.script), Out: &out, Handler: e})
			e.SetChannel(console.Channel, c)
			if err := c.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(out.String(), tc.last) {
				t.Fatalf("transcript:\n%s\nwant it to end with %q", out.String(), tc.last)
			}
		})
	}
}
