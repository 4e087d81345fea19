package flows

import (
	"context"
	"os"
	"strings"
	"testing"
)

// documentsIntent is an intent the shop's pages answer, known by its
// cues, added to base.
const documentsIntent = `intents:
  jobs:
    answer: documents
    instead_of: [any]
    cues: {it: [lavora con noi], en: [are you hiring]}
`

// withDocumentsIntent returns base with the documents intent, its lines
// replaced as by strings.Replace(old, new).
func withDocumentsIntent(old, new string) string {
	return strings.Replace(strings.Replace(base, "intents:\n", documentsIntent, 1), old, new, 1)
}

func TestDocumentsIntentLoads(t *testing.T) {
	b, err := Parse("docs.yaml", []byte(withDocumentsIntent("", "")))
	if err != nil {
		t.Fatalf("a documents intent does not load:\n%v", err)
	}
	in := b.intents["jobs"]
	if in == nil || in.Answer != AnswerDocuments || len(in.InsteadOf) != 1 || in.InsteadOf[0] != InsteadAny {
		t.Fatalf("intent jobs: %+v", in)
	}
}

// TestDocumentsIntentErrors: each mistake of a documents intent is told
// with its file:line.
func TestDocumentsIntentErrors(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"unknown answer", "answer: documents", "answer: pages",
			`docs.yaml:8:13: the answer of intent jobs should be documents, not "pages"`},
		{"answer not a text", "answer: documents", "answer: [documents]",
			`docs.yaml:8:13: the answer of intent jobs should be a text`},
		{"unknown instead_of", "instead_of: [any]", "instead_of: [faq, sales]",
			`docs.yaml:9:23: instead_of of intent jobs: unknown "sales", want one of faq, sale, claim, any, human`},
		{"instead_of twice", "instead_of: [any]", "instead_of: [faq, faq]",
			`docs.yaml:9:23: instead_of of intent jobs has faq twice`},
		{"instead_of not a list", "instead_of: [any]", "instead_of: any",
			`docs.yaml:9:17: instead_of of intent jobs should be a list`},
		{"no instead_of", "    instead_of: [any]\n", "",
			`docs.yaml:7:3: intent jobs answers from the documents in place of nothing: give it instead_of, some of faq, sale, claim, any, human`},
		{"instead_of without answer", "    answer: documents\n", "    flow: main\n",
			`docs.yaml:7:3: intent jobs has instead_of but no answer: documents`},
		{"no cues", "    cues: {it: [lavora con noi], en: [are you hiring]}\n", "",
			`docs.yaml:7:3: intent jobs answers from the documents but has no cues`},
		{"examples", "    cues: {it: [lavora con noi], en: [are you hiring]}\n", "    cues: {it: [lavora con noi], en: [are you hiring]}\n    examples: {en: [do you have openings]}\n",
			`docs.yaml:11:21: intent jobs answers from the documents by its cues and takes no examples`},
		{"two targets", "    answer: documents\n", "    answer: documents\n    reply: hi\n",
			`docs.yaml:7:3: intent jobs does more than one thing: give it one of flow, faq, reply, handoff, answer`},
		{"cue in an unknown language", "en: [are you hiring]}", "en: [are you hiring], de: [stellen sie ein]}",
			`docs.yaml:7:3: intent jobs has cues in "de", which is not in languages [it en]`},
		{"empty cue", "en: [are you hiring]}", "en: [are you hiring, '?']}",
			`docs.yaml:7:3: intent jobs has an empty cue`},
		{"also in an unknown language", "    cues:", "    also: {fr: [stage]}\n    cues:",
			`docs.yaml:7:3: intent jobs has also cues in "fr", which is not in languages [it en]`},
		{"empty also cue", "    cues:", "    also: {en: ['!']}\n    cues:",
			`docs.yaml:7:3: intent jobs has an empty also cue`},
		{"also without cues", "    cues: {it: [lavora con noi], en: [are you hiring]}\n", "    also: {en: [stage]}\n",
			`docs.yaml:7:3: intent jobs has also cues but no cues`},
		{"unless in an unknown language", "    cues:", "    unless: {de: [praktikum]}\n    cues:",
			`docs.yaml:7:3: intent jobs has unless cues in "de", which is not in languages [it en]`},
		{"empty unless cue", "    cues:", "    unless: {it: ['?']}\n    cues:",
			`docs.yaml:7:3: intent jobs has an empty unless cue`},
		{"unless without cues", "    cues: {it: [lavora con noi], en: [are you hiring]}\n", "    unless: {en: [stage]}\n",
			`docs.yaml:7:3: intent jobs has unless cues but no cues`},
		{"unless not a map", "    cues:", "    unless: [stage]\n    cues:",
			`docs.yaml:10:13: the unless cues of intent jobs`},
		{"cues of an intent that does nothing with them", "    reply: hi\n", "    reply: hi\n    cues: {en: [hey there]}\n",
			`intent hello has cues but starts no flow and has no answer: documents`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := withDocumentsIntent(tc.old, tc.new)
			if !strings.Contains(text, tc.new) {
				t.Fatalf("the case does not apply: %q", tc.old)
			}
			_, err := Parse("docs.yaml", []byte(text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v\nwant a line with %q", err, tc.want)
			}
		})
	}
}

// understandIn returns the commands of text for a first message to b.
func understandIn(t *testing.T, b *Bot, lang, text string) []Command {
	t.Helper()
	cmds, err := rules{b}.Understand(context.Background(), Input{Text: text, Lang: lang, Now: june3})
	if err != nil {
		t.Fatal(err)
	}
	return cmds
}

// TestDocumentsIntentReplacesTheGuess: a cue of an intent the pages
// answer takes the message from the flow the classifier guesses; the
// same words in a file without the intent start the flow.
func TestDocumentsIntentReplacesTheGuess(t *testing.T) {
	with, err := Parse("docs.yaml", []byte(withDocumentsIntent("", "")))
	if err != nil {
		t.Fatal(err)
	}
	without, err := Parse("base.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	narrowed, err := Parse("also.yaml", []byte(withDocumentsIntent("    cues:", "    also: {it: [negozio], en: [shop]}\n    cues:")))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		b        *Bot
		text     string
		wantFlow bool
	}{
		{"the flow's words alone", with, "start", true},
		{"a cue beside them", with, "start, are you hiring?", false},
		{"a cue of an intent the file lacks", without, "start, are you hiring?", true},
		{"a fault told beside the cue", with, "start, are you hiring? my P1 is broken", true},
		{"a cue without its also", narrowed, "start, are you hiring?", true},
		{"a cue with its also", narrowed, "start, are you hiring in the shop?", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds := understandIn(t, tc.b, "en", tc.text)
			if got := hasKind(cmds, CmdStartFlow); got != tc.wantFlow {
				t.Errorf("%q: commands %s, want a flow started: %v", tc.text, commandsText(cmds), tc.wantFlow)
			}
		})
	}
}

// miniSale is testdata/mini.yaml with a sale, an FAQ and, when docs is
// set, three topics the pages answer: recycling in place of the sale and
// the claim, vouchers in place of an FAQ, a SIM's operator in place of a
// person.
func miniSale(t *testing.T, docs bool) *Bot {
	t.Helper()
	mini, err := os.ReadFile("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	intents := `intents:
  buy:
    flow: sale
    examples:
      it: [vorrei comprare un telefono, quanto costa il nova, cerco un telefono nuovo]
      en: [i want to buy a phone, how much is the nova, i am looking for a new phone]
  shipping:
    faq: shipping
    examples:
      it: [spedite all estero, quanto costa la spedizione, in quanti giorni spedite]
      en: [do you ship abroad, how much is shipping, how fast do you ship]
`
	if docs {
		intents += `  recycling:
    answer: documents
    instead_of: [sale, claim]
    cues: {it: [riciclare, riciclate], en: [recycle, recycling]}
  vouchers:
    answer: documents
    instead_of: [faq]
    cues: {it: [buono regalo], en: [voucher, vouchers]}
  networks:
    answer: documents
    instead_of: [human]
    cues: {it: [sim], en: [sim]}
`
	}
	text := strings.Replace(string(mini), "intents:\n", intents, 1)
	text = strings.Replace(text, "slots:\n", `slots:
  quantity: {type: number, min: 1, max: 100}
`, 1)
	text = strings.Replace(text, "flows:\n", `faq:
  shipping:
    answer: {it: Spediamo in 24 ore., en: We ship in a day.}
flows:
  sale:
    team: support
    steps:
      - ask: product
        prompt: ask_product
      - ask: quantity
        prompt: ask_product
      - handoff: support
`, 1)
	b, err := Parse("mini-sale.yaml", []byte(text))
	if err != nil {
		t.Fatalf("load:\n%v", err)
	}
	return b
}

// TestDocumentsIntentInsteadOf: each instead_of replaces its guess of
// the classifier, and only when the message asks; the same words in a
// file without the topics keep the guess.
func TestDocumentsIntentInsteadOf(t *testing.T) {
	with, without := miniSale(t, true), miniSale(t, false)
	for _, tc := range []struct {
		name, lang, text string
		kind             CommandKind // what the file without the topics does
		keeps            bool        // whether the file with them does it too
	}{
		{"sale, asked", "en", "i want to buy a phone to recycle", CmdStartFlow, false},
		{"sale, no cue", "en", "i want to buy a phone", CmdStartFlow, true},
		{"claim, asked", "en", "my phone broke, is it under warranty? or should i recycle it?", CmdStartFlow, false},
		{"claim, told", "en", "my phone broke, is it under warranty?", CmdStartFlow, true},
		{"faq, asked", "en", "do you ship vouchers abroad?", CmdFAQ, false},
		{"faq, no cue", "en", "do you ship abroad?", CmdFAQ, true},
		{"human, guessed", "it", "operatore della sim", CmdHuman, false},
		{"human, asked in other words", "it", "operatore della sim, voglio parlare con una persona", CmdHuman, true},
		{"human, no cue", "it", "operatore", CmdHuman, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if cmds := understandIn(t, without, tc.lang, tc.text); !hasKind(cmds, tc.kind) {
				t.Fatalf("without the topics %q: commands %s, want %s", tc.text, commandsText(cmds), tc.kind)
			}
			if cmds := understandIn(t, with, tc.lang, tc.text); hasKind(cmds, tc.kind) != tc.keeps {
				t.Errorf("with the topics %q: commands %s, want %s: %v", tc.text, commandsText(cmds), tc.kind, tc.keeps)
			}
		})
	}
}

// An instead_of whose values are all wrong is one mistake, told where
// the value is: no second line says the intent replaces nothing.
func TestDocumentsIntentWrongInsteadOfIsOneMistake(t *testing.T) {
	_, err := Parse("docs.yaml", []byte(withDocumentsIntent("instead_of: [any]", "instead_of: [everything]")))
	if err == nil || strings.Contains(err.Error(), "in place of nothing") || strings.Count(err.Error(), "\n") > 0 {
		t.Errorf("got %v, want the unknown value alone", err)
	}
}
