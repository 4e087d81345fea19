package story_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/flows/story"
)

// script is a responder that does what the customer's message says, word
// by word, so a test can make the bot do anything:
//
//	flow:NAME           start flow NAME
//	ask:SLOT            ask for SLOT ("Which SLOT?")
//	retry:SLOT          ask for SLOT again after an answer it could not read
//	fill:SLOT=VALUE     fill SLOT
//	act:ACTION=VALUE    record an action's outcome
//	handoff:TEAM        hand off to TEAM
//	lang:XX             answer in language XX
//	offer               offer a person
//	say:TEXT            say TEXT (underscores for spaces)
//	cmd:TEXT            record the command TEXT, as understanding does
//	silent              say nothing at all
//
// Anything else is answered "Sorry?".
var script = bot.ResponderFunc(func(ctx context.Context, t *bot.Turn) error {
	if t.Session.Language == "" {
		t.Session.Language = "en"
	}
	said := false
	for _, w := range strings.Fields(t.Message.Text) {
		cmd, arg, _ := strings.Cut(w, ":")
		k, v, _ := strings.Cut(arg, "=")
		switch cmd {
		case "flow":
			t.Session.Flow = arg
			t.Record(bot.Event{Type: bot.EventFlowStarted, Flow: arg})
		case "ask":
			t.Record(bot.Event{Type: bot.EventAsked, Flow: t.Session.Flow, Slot: arg})
			t.Say("Which " + arg + "?")
		case "retry":
			t.Record(bot.Event{Type: bot.EventFallback, Slot: arg, Text: "invalid answer"})
			t.Say("Sorry, which " + arg + "?")
		case "fill":
			t.Session.SetSlot(k, v)
			t.Record(bot.Event{Type: bot.EventSlotFilled, Slot: k, Value: v})
		case "act":
			t.Record(bot.Event{Type: bot.EventAction, Action: k, Value: v})
		case "handoff":
			t.Say("Passing you on")
			t.HandOff(bot.Case{Team: arg, Slots: map[string]string{"product": "Google Pixel 8"}})
			t.Session.Flow = ""
		case "lang":
			t.Session.Language = arg
		case "offer":
			t.Say("Shall I find a person?", bot.Button{Title: "Talk to a person", Payload: "human"}, bot.Button{Title: "No", Payload: "nohuman"})
		case "say":
			t.Say(strings.ReplaceAll(arg, "_", " "))
		case "cmd":
			t.Record(bot.Event{Type: bot.EventCommand, Action: k, Text: arg})
		case "silent":
		default:
			continue
		}
		said = said || cmd == "ask" || cmd == "retry" || cmd == "handoff" || cmd == "offer" || cmd == "say"
	}
	if !said && !strings.Contains(t.Message.Text, "silent") && !strings.Contains(t.Message.Text, "lang:") {
		t.Say("Sorry?")
	}
	return nil
})

func scriptRunner(strict bool) *story.Runner {
	r := runner()
	r.Responder = script
	r.Strict = strict
	r.Teams = bot.TeamList{{ID: "support"}, {ID: "sales"}}
	return r
}

// runOne parses src (one story) and replays it.
func runOne(t *testing.T, r *story.Runner, src string) []story.Failure {
	t.Helper()
	ss, err := story.Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 1 {
		t.Fatalf("%d stories, want 1", len(ss))
	}
	return r.Run(context.Background(), ss[0])
}

func TestExpectations(t *testing.T) {
	const claim = `stories:
  - name: claim
    language: en
    turns:
      - say: flow:warranty fill:product=pixel-8 fill:purchase_date=2025-03-15 ask:buyer
        asks: buyer
      - say: fill:buyer=consumer act:warranty_check=covered act:faq=shipping handoff:support
        asks: none
`
	tests := []struct {
		name   string
		expect string
		want   []string // the failures' kind and start of message
	}{
		{"all hold", `{team: support, warranty: covered, case: {product: PIXEL, purchase_date: 2025-03, buyer: consumer}, faq: [shipping], flows: [warranty], language: en, return: none}`, nil},
		{"the card as the agents read it", `{case: {product: google pixel 8}}`, nil},
		{"wrong team", `{team: sales}`, []string{"team sales: handed off to support, want sales"}},
		{"no such team", `{team: billing}`, []string{"team billing: expect team billing: the bot has no such team", "team billing: handed off to support"}},
		{"wrong verdict", `{warranty: damage}`, []string{"warranty damage: the warranty verdict is covered, want damage"}},
		{"no return decision", `{return: open}`, []string{"return open: the return decision is none, want open"}},
		{"not on the card", `{case: {product: iphone, contact: "333"}}`, []string{`case contact: the case card has contact = nothing, want "333"`, `case product: the case card has product = "pixel-8" ("Google Pixel 8"), want "iphone"`}},
		{"faq none", `{faq: []}`, []string{"faq: FAQ answered [shipping], want none"}},
		{"flows exact", `{flows: [warranty, sales]}`, []string{"flows: flows started [warranty], want [warranty, sales]"}},
		{"no flows", `{flows: []}`, []string{"flows: flows started [warranty], want none"}},
		{"language", `{language: it}`, []string{`final language: the conversation ends in "en", want "it"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fails := runOne(t, scriptRunner(false), claim+"    expect: "+tt.expect+"\n")
			checkFailures(t, fails, tt.want, "s.yaml:9")
		})
	}
}

// The conversation a failed expectation quotes shows what understanding
// read in each message, so the flow's author sees why.
func TestFailuresQuoteTheCommands(t *testing.T) {
	src := `stories:
  - name: commands
    language: en
    turns:
      - say: cmd:start_flow(warranty) cmd:set_slot(product=pixel-8) flow:warranty ask:buyer
    expect: {team: support}
`
	fails := runOne(t, scriptRunner(false), src)
	if len(fails) != 1 {
		t.Fatalf("%d failures, want 1: %v", len(fails), fails)
	}
	if !strings.Contains(fails[0].Msg, "start_flow(warranty) set_slot(product=pixel-8)\n      bot> Which buyer?") {
		t.Errorf("the conversation does not show the message's commands before the bot's reply:\n%s", fails[0].Msg)
	}
}

func TestExpectNothingHappened(t *testing.T) {
	src := `stories:
  - name: chat
    turns:
      - say: hello
    expect: {team: none, warranty: none, return: none, faq: [], flows: [], case: {product: x}}
`
	fails := runOne(t, scriptRunner(false), src)
	checkFailures(t, fails, []string{"case (no handoff): no case was handed off, want one with {product: x}"}, "s.yaml:5")
}

func TestTurnQuestions(t *testing.T) {
	tests := []struct {
		name, turn string
		want       []string
	}{
		{"asks holds", "{say: flow:w ask:product, asks: product}", nil},
		{"asks another", "{say: flow:w ask:product, asks: purchase_date}", []string{"asks purchase_date: the pending question is for product, want purchase_date"}},
		{"no question outside a flow", "{say: hello, asks: none}", nil},
		{"a question is pending", "{say: flow:w ask:buyer, asks: none}", []string{"asks none: the pending question is for buyer, want none"}},
		{"not asked", "{say: flow:w ask:product, not_asks: [purchase_date, buyer]}", nil},
		{"asked what it must not", "{say: flow:w ask:purchase_date, not_asks: [purchase_date]}", []string{"not_asks purchase_date: the bot asked for purchase_date, which it must not"}},
		{"an intent it must not record", "{say: hi, not_intent: [goodbye]}", nil},
		{"never asked", "{say: flow:w ask:product, not_asks: [buyer]}\n    never_asks: [defect]", nil},
		{"asked what it was told", "{say: flow:w ask:defect}\n    never_asks: [defect]", []string{"never_asks defect: the bot asked for defect, which the customer had already told"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "stories:\n  - name: q\n    turns:\n      - " + tt.turn + "\n"
			checkFailures(t, runOne(t, scriptRunner(false), src), tt.want, "s.yaml:4")
		})
	}
}

func TestStrictChecks(t *testing.T) {
	tests := []struct {
		name  string
		turns string
		want  []string
	}{
		{"a clean conversation", `
      - say: flow:w ask:product
      - say: fill:product=pixel-8 ask:purchase_date
      - say: retry:purchase_date
      - say: fill:purchase_date=2025-03 handoff:support`, nil},
		{"the same reply three times", `
      - say: say:Hello
      - say: say:Hello
      - say: say:Hello`, []string{`s.yaml:7: loop reply: the bot sent the same reply a third time: "Hello"`}},
		{"the same question three times in a row", `
      - say: flow:w ask:product
      - say: retry:product
      - say: retry:product`, []string{"s.yaml:7: loop ask product: the bot asked for product three times in a row"}},
		{"an offer of a person breaks the row", `
      - say: flow:w ask:product
      - say: retry:product
      - say: retry:product offer
      - say: ask:product`, nil},
		{"going on without the answer breaks the row", `
      - say: flow:w ask:product
      - say: retry:product
      - say: retry:product fill:product= ask:quantity`, nil},
		{"asked again for a filled slot", `
      - say: flow:w fill:product=pixel-8 ask:product`, []string{"s.yaml:5: reask product: the bot asked again for product, which it already has (pixel-8)"}},
		{"a correction may ask again", `
      - say: flow:w fill:product=pixel-8 ask:purchase_date
      - say: ask:product
        reask: [product]
      - say: fill:product=macbook-air ask:purchase_date`, nil},
		{"a skipped slot may be asked again", `
      - say: flow:w fill:product= ask:product`, nil},
		{"the customer's language", `
      - say: lang:it say:Ciao`, []string{`s.yaml:5: language: the conversation's language is "it", want "en"`}},
		{"a switch the customer made", `
      - say: say:Hello
      - say: lang:it say:Ciao
        lang: it
      - say: say:Allora`, nil},
		{"silence", `
      - say: silent`, []string{"s.yaml:5: silence: the bot did not reply"}},
		{"quiet while an agent has it", `
      - say: handoff:support
      - say: silent`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "stories:\n  - name: s\n    language: en\n    turns:" + tt.turns + "\n"
			fails := runOne(t, scriptRunner(true), src)
			checkFailures(t, fails, tt.want, "")
			if tt.want == nil {
				return
			}
			// The same story passes when strict mode is off.
			if fails := runOne(t, scriptRunner(false), src); len(fails) != 0 {
				t.Errorf("not strict: %v", fails)
			}
		})
	}
}

func TestStrictFromTheFile(t *testing.T) {
	src := "strict: true\nstories:\n  - name: s\n    turns:\n      - say: silent\n"
	ss, err := story.Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !ss[0].Strict {
		t.Fatal("strict: true did not make the story strict")
	}
	fails := scriptRunner(false).Run(context.Background(), ss[0])
	checkFailures(t, fails, []string{"s.yaml:5: silence: the bot did not reply"}, "")
}

func TestMalformedBatteryKeys(t *testing.T) {
	story1 := func(body string) string { return "stories:\n  - name: x\n    turns: [{say: hi}]\n" + body }
	tests := []struct{ name, src, want string }{
		{"top-level typo", "strikt: true\nstories:\n  - name: x\n    turns: [{say: hi}]\n", `s.yaml:1: unknown key "strikt"`},
		{"strict not a bool", "strict: maybe\nstories:\n  - name: x\n    turns: [{say: hi}]\n", "s.yaml:1:"},
		{"expect typo", story1("    expect:\n      taem: sales\n"), `s.yaml:5: unknown key "taem"`},
		{"expect verdict", story1("    expect:\n      warranty: covred\n"), `s.yaml:5: x: expect warranty "covred": want covered, expired, unknown, damage, none`},
		{"expect return", story1("    expect:\n      team: none\n      return: maybe\n"), `s.yaml:6: x: expect return "maybe": want open, closed, none`},
		{"expect team", story1("    expect: {team: Sales Team}\n"), "s.yaml:4: x: expect team: want a team's name or none"},
		{"expect language", story1("    expect: {language: italian}\n"), "s.yaml:4: x: expect language: want a two-letter code"},
		{"expect case", story1("    expect:\n      case: {product: \"\"}\n"), `s.yaml:5: x: expect case: want slot: value pairs`},
		{"expect flows", story1("    expect:\n      flows: [Warranty]\n"), `s.yaml:5: x: expect flows: "Warranty" is not a name`},
		{"expect not a mapping", story1("    expect: [team]\n"), "s.yaml:4: want a mapping"},
		{"tags", "stories:\n  - name: x\n    tags: [Re Ask]\n    turns: [{say: hi}]\n", `s.yaml:3: x: tag "Re Ask": want a lower-case name`},
		{"language", "stories:\n  - name: x\n    language: Italian\n    turns: [{say: hi}]\n", "s.yaml:3: x: language: want a two-letter code"},
		{"asks", "stories:\n  - name: x\n    turns:\n      - say: hi\n        asks: Purchase Date\n", "s.yaml:5: x: asks: want a slot name or none"},
		{"not_asks", "stories:\n  - name: x\n    turns:\n      - say: hi\n        not_asks: [ok, Not OK]\n", `s.yaml:5: x: not_asks: "Not OK" is not a name`},
		{"lang", "stories:\n  - name: x\n    turns:\n      - say: hi\n        lang: english\n", "s.yaml:5: x: lang: want a two-letter code"},
		{"never_asks", "stories:\n  - name: x\n    never_asks: [Defect]\n    turns: [{say: hi}]\n", `s.yaml:3: x: never_asks: "Defect" is not a name`},
		{"asks on a wait", "stories:\n  - name: x\n    turns:\n      - wait: 1h\n        asks: product\n", "s.yaml:4: x: lang, asks, not_asks and reask go with a say or press turn"},
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

func TestSummary(t *testing.T) {
	src := `strict: true
stories:
  - name: fine
    language: it
    tags: [plain]
    turns: [{say: "lang:it say:Ciao"}]
  - name: silent
    tags: [plain, reask]
    turns:
      - say: silent
        lang: en
  - name: loops
    language: en
    tags: [reask]
    turns:
      - say: flow:w fill:product=pixel-8 ask:product
`
	ss, err := story.Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	sum := scriptRunner(false).RunAll(context.Background(), ss)
	if got := sum.Total(); got.Passed != 1 || got.Stories != 3 || got.String() != "1/3 (33.3%)" {
		t.Errorf("total = %v", got)
	}
	var b bytes.Buffer
	sum.WriteRates(&b)
	sum.WriteKinds(&b, 0, false)
	sum.WriteFailures(&b, true)
	want := `pass rate: 1/3 (33.3%)
  language en             0/2 (0.0%)
  language it             1/1 (100.0%)
  tag plain               1/2 (50.0%)
  tag reask               0/2 (0.0%)
     1 x silence                    e.g. s.yaml:10
     1 x reask product              e.g. s.yaml:16
  s.yaml:10: silent: the bot did not reply
  s.yaml:16: loops: the bot asked again for product, which it already has (pixel-8)
`
	if b.String() != want {
		t.Errorf("report:\n%s\nwant:\n%s", b.String(), want)
	}
}

// checkFailures compares failures with want, each "kind: message start"
// (or "file:line: kind: message start"); at, when set, is where each
// failure must be.
func checkFailures(t *testing.T, fails []story.Failure, want []string, at string) {
	t.Helper()
	if len(fails) != len(want) {
		t.Fatalf("failures:\n%s\nwant %d: %q", show(fails), len(want), want)
	}
	for i, f := range fails {
		got := f.Kind + ": " + f.Msg
		if strings.HasPrefix(want[i], "s.yaml:") {
			got = f.Pos.String() + ": " + got
		}
		if !strings.HasPrefix(got, want[i]) {
			t.Errorf("failure %d = %q, want %q", i, got, want[i])
		}
		if at != "" && f.Pos.String() != at {
			t.Errorf("failure %d at %s, want %s", i, f.Pos, at)
		}
	}
}

func show(fails []story.Failure) string {
	var b strings.Builder
	for _, f := range fails {
		b.WriteString("  " + f.Pos.String() + ": " + f.Kind + ": " + f.Msg + "\n")
	}
	return b.String()
}
