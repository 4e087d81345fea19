package story_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/memory"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows/story"
)

// shop is a tiny responder: "buy" hands off to sales, "menu" offers buttons.
var shop = bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
	switch {
	case t.Message.Payload == "w":
		t.Session.Flow = "warranty"
		t.Session.SetSlot("topic", "warranty")
		t.Say("Which product?")
	case t.Message.Text == "menu":
		t.Say("Pick one", bot.Button{Title: "Warranty", Payload: "w"}, bot.Button{Title: "Buy", Payload: "b"})
	case t.Message.Text == "buy":
		t.Record(bot.Event{Type: bot.EventIntent, Intent: "buy", Confidence: 0.9})
		t.Say("Passing you to sales")
		t.HandOff(bot.Case{Team: "sales"})
	default:
		t.Say("Sorry?")
	}
	return nil
})

func runner() *story.Runner {
	return &story.Runner{Responder: shop, NewStore: func(now func() time.Time) bot.Store {
		return memory.NewStoreWith(memory.Options{Now: now})
	}}
}

func TestPassingStory(t *testing.T) {
	src := `stories:
  - name: menu then buy
    turns:
      - say: menu
        reply: pick one
        buttons: [Warranty, Buy]
      - press: Warranty
        reply: which product
        flow: warranty
        slots: {topic: warranty}
      - say: buy
        intent: buy
        handoff: sales
        mode: queued
      - wait: 10m
`
	ss, err := story.Parse("shop.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if f := runner().Run(context.Background(), ss[0]); len(f) != 0 {
		t.Fatalf("failures: %v", f)
	}
}

func TestFailuresNameTheLine(t *testing.T) {
	src := `stories:
  - name: wrong
    turns:
      - say: menu
        reply: hello
      - press: Nothing
`
	ss, err := story.Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	f := runner().Run(context.Background(), ss[0])
	if len(f) != 2 {
		t.Fatalf("failures = %v, want 2", f)
	}
	if got := f[0].String(); !strings.HasPrefix(got, `s.yaml:4: wrong: no reply contains "hello"`) || !strings.Contains(got, "> Pick one") {
		t.Errorf("first failure = %q", got)
	}
	if got := f[1].String(); !strings.HasPrefix(got, `s.yaml:6: wrong: no button "Nothing" to press`) {
		t.Errorf("second failure = %q", got)
	}
}

func TestMalformedStoryFiles(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"not yaml", "stories: [", "s.yaml"},
		{"empty", "", "s.yaml: no stories"},
		{"no list", "foo: 1", `s.yaml:1: want a list under "stories:"`},
		{"no name", "stories:\n  - turns: [{say: hi}]", "s.yaml:2: a story needs a name"},
		{"no turns", "stories:\n  - name: x", "s.yaml:2: x: no turns"},
		{"typo", "stories:\n  - name: x\n    turns:\n      - say: hi\n        replly: x", `s.yaml:5: unknown key "replly"`},
		{"two actions", "stories:\n  - name: x\n    turns:\n      - {say: hi, press: Yes}", "s.yaml:4: x: a turn needs exactly one of say, press, wait or agent"},
		{"bad wait", "stories:\n  - name: x\n    turns:\n      - wait: soon", "s.yaml:4: x: wait: want a duration"},
		{"bad now", "stories:\n  - name: x\n    now: tomorrow\n    turns: [{say: hi}]", "s.yaml:2: x: now: want a time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := story.Parse("s.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add("stories:\n  - name: x\n    turns:\n      - say: hi\n        reply: [a, b]\n")
	f.Add("stories: [{name: y, turns: [{wait: 1h}, {press: '1'}]}]")
	f.Fuzz(func(t *testing.T, src string) {
		ss, err := story.Parse("f.yaml", []byte(src))
		if err == nil && len(ss) == 0 {
			t.Fatal("no error and no stories")
		}
	})
}
