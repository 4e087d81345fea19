package flows

import (
	"context"
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
			`docs.yaml:9:23: instead_of of intent jobs: unknown "sales", want one of faq, sale, claim, any`},
		{"instead_of twice", "instead_of: [any]", "instead_of: [faq, faq]",
			`docs.yaml:9:23: instead_of of intent jobs has faq twice`},
		{"instead_of not a list", "instead_of: [any]", "instead_of: any",
			`docs.yaml:9:17: instead_of of intent jobs should be a list`},
		{"no instead_of", "    instead_of: [any]\n", "",
			`docs.yaml:7:3: intent jobs answers from the documents in place of nothing: give it instead_of, some of faq, sale, claim, any`},
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
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds := understandIn(t, tc.b, "en", tc.text)
			if got := hasKind(cmds, CmdStartFlow); got != tc.wantFlow {
				t.Errorf("%q: commands %s, want a flow started: %v", tc.text, commandsText(cmds), tc.wantFlow)
			}
		})
	}
}
