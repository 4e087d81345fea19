package flows

import (
	"context"
	"strings"
	"testing"
)

// A greeting, or two, before a first message changes nothing of what it
// asks: the rest reads as it does written alone; small talk after a
// greeting stays small talk, and gibberish stays unread.
func TestOpeningGreetingChangesNothing(t *testing.T) {
	b := mustShop(t)
	read := func(lang, text string) string {
		t.Helper()
		cmds, err := rules{b}.Understand(context.Background(), Input{Text: text, Lang: lang, Now: june2025})
		if err != nil {
			t.Fatal(err)
		}
		return commandsText(cmds)
	}
	for _, tc := range []struct{ lang, greeting, rest string }{
		{"it", "ciao, ", "accettate il bancomat?"},
		{"it", "salve! ", "la mia lavatrice fa un rumore strano e non centrifuga"},
		{"it", "ciao, buongiorno, ", "a che ora chiudete sabato"},
		{"en", "hi, ", "can u ship to ireland"},
		{"en", "hello! hey, ", "my laptop screen went black after a week"},
		{"en", "hi, ", "zzzq wxv"},
	} {
		t.Run(tc.greeting+tc.rest, func(t *testing.T) {
			if got, want := read(tc.lang, tc.greeting+tc.rest), read(tc.lang, tc.rest); got != want {
				t.Errorf("commands %s, want those of %q alone: %s", got, tc.rest, want)
			}
		})
	}
	for _, text := range []string{"ciao! come va?", "hello, hope you are all well"} {
		if got := read(map[bool]string{true: "it", false: "en"}[strings.HasPrefix(text, "ciao")], text); !strings.Contains(got, "small_talk(greeting") {
			t.Errorf("%q: commands %s, want small_talk(greeting", text, got)
		}
	}
	for _, tc := range []struct{ in, rest string }{
		{"ciao, ciao! vorrei un preventivo", "vorrei un preventivo"},
		{"Good morning. Where is my parcel", "Where is my parcel"},
		{"ciao volevo sapere", ""}, // no mark: read as written
		{"hiking boots?", ""},      // no greeting
		{"morning delivery?", ""},  // a word of the request
		{"salve!!!", ""},           // nothing else
		{"hey, ciao!", ""},         // greetings only
	} {
		if rest, _ := pastOpeningGreeting(tc.in); rest != tc.rest {
			t.Errorf("pastOpeningGreeting(%q) = %q, want %q", tc.in, rest, tc.rest)
		}
	}
}

// A message typed without apostrophes ("dont", "Im", "id like") reads as
// it does with them.
func TestDroppedApostrophesChangeNothing(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ with, without string }{
		{"my blender won't start and the light doesn't blink", "my blender wont start and the light doesnt blink"},
		{"I'd like a quote for ten monitors for the office", "Id like a quote for ten monitors for the office"},
		{"I'll take the cheaper one, I'm a private customer", "Ill take the cheaper one, Im a private customer"},
	} {
		t.Run(tc.without, func(t *testing.T) {
			read := func(text string) string {
				cmds, err := rules{b}.Understand(context.Background(), Input{Text: text, Lang: "en", Now: june2025})
				if err != nil {
					t.Fatal(err)
				}
				// The spans quote the message as written.
				return strings.ReplaceAll(commandsText(cmds), "'", "")
			}
			if got, want := read(tc.without), read(tc.with); got != want {
				t.Errorf("commands %s, want those with the apostrophes: %s", got, want)
			}
		})
	}
}

// In a sale, a return on a condition of the product still to buy is a
// question for the pages: the sale goes on.
func TestReturnIfBuyingIsAQuestion(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ opening, question string }{
		{"i want to buy a laptop", "can i send it back if i don't like it?"},
		{"vorrei comprare una tv", "e se non mi piace posso renderla?"},
		{"looking for a coffee machine", "returns if i change my mind, how does it work"},
	} {
		t.Run(tc.question, func(t *testing.T) {
			d := newDriver(t, b, june3)
			d.say(tc.opening)
			flow := d.s.Flow
			if flow == "" {
				t.Fatalf("%q started no flow", tc.opening)
			}
			d.say(tc.question)
			if d.s.Flow != flow {
				t.Errorf("%q in the sale: the flow is %q, want %q; the bot said:\n%s", tc.question, d.s.Flow, flow, replies(d.last))
			}
		})
	}
}

// A message that names something of the catalogue's kind in words small
// talk shares with requests ("have" of "have a nice day") asks of it: no
// goodbye before the answer. Small talk in its own words stays small talk.
func TestGoodsAreNoSmallTalk(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		talk       bool
	}{
		{"en", "have you got tablets", false},
		{"en", "have ya got projectors?", false},
		{"en", "have you got e-readers in stock", false},
		{"en", "have a nice day", true},
		{"en", "bye, have a good evening", true},
		{"it", "grazie mille, buona giornata", true},
		{"it", "ok grazie ciao", true},
	} {
		got := commandsText(understandIn(t, b, tc.lang, tc.text))
		if talk := strings.Contains(got, "small_talk"); talk != tc.talk {
			t.Errorf("%q: %s; want small talk %v", tc.text, got, tc.talk)
		}
	}
}

// Small talk after a greeting stays small talk however much its day's word
// resembles the opening hours' examples; a question of the hours after a
// greeting is the hours'.
func TestHowAreYouAfterAGreeting(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, want string }{
		{"en", "hi, how are you today", "small_talk(greeting"},
		{"en", "hello, how r u today", "small_talk(greeting"},
		{"en", "hi, are you open today?", "faq(hours"},
		{"it", "ciao, siete aperti oggi?", "faq(hours"},
	} {
		if got := commandsText(understandIn(t, b, tc.lang, tc.text)); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%q: %s; want %s...", tc.text, got, tc.want)
		}
	}
}

// TestBareGreetingBeforeARequest: a greeting written without its mark
// before a request that names a value ("hello wheres SP-135790") is read
// as the request; small talk that goes on, or nothing known after it,
// stays small talk.
func TestBareGreetingBeforeARequest(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, want string }{
		{"en", "hello wheres SP-200104", "start_flow(order_status"},
		{"en", "hello has SP-200101 shipped", "start_flow(order_status"},
		{"it", "buongiorno SP-200105 dove si trova", "start_flow(order_status"},
		{"en", "hiya any news on SP-200109", "start_flow(order_status"},
		{"it", "ciao dov e il pacco SP-200107", "start_flow(order_status"},
		// Small talk.
		{"en", "hello there how are you doing today", "small_talk(greeting"},
		{"en", "hi hope you are well", "small_talk(greeting"},
		{"en", "hey good morning to you", "small_talk(greeting"},
		{"it", "ciao come va", "small_talk(greeting"},
		{"en", "hello asdfgh", "small_talk(greeting"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := commandsText(understandIn(t, b, tc.lang, tc.text)); !strings.HasPrefix(got, tc.want) {
				t.Errorf("commands %s, want %s...", got, tc.want)
			}
		})
	}
}
