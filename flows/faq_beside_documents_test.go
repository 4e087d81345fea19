package flows

import (
	"context"
	"strings"
	"testing"
)

// TestDocumentsBesideFAQ: a message of two questions, one an FAQ
// answers, gives the shop's pages only the other clause; both answers
// are said, in the message's order. A question in two clauses that
// both read as the FAQ is one question: one answer.
func TestDocumentsBesideFAQ(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		want       []string // in the order said
	}{
		{"en", "what are your opening hours on saturday and where is your store?", []string{"Saturday 9am-1pm", "Via Roma"}},
		{"en", "when do you open tomorrow and where are you located?", []string{"Saturday 9am-1pm", "Via Roma"}},
		{"en", "where is your shop and what time do you close on weekdays?", []string{"Via Roma", "Saturday 9am-1pm"}},
		{"it", "a che ora aprite sabato e dove si trova il vostro negozio?", []string{"sabato 9-13", "Via Roma"}},
		{"it", "dove siete di preciso e fino a che ora siete aperti?", []string{"Via Roma", "sabato 9-13"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			d := newDriver(t, b, june3)
			got := d.say(tc.text)
			at := 0
			for _, w := range tc.want {
				k := strings.Index(got[at:], w)
				if k < 0 {
					t.Fatalf("%q: want %q after %d; the bot said:\n%s", tc.text, w, at, got)
				}
				at += k + len(w)
			}
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june2025})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cmds {
				if c.Kind == CmdDocuments && strings.TrimSpace(c.Span) == strings.TrimSpace(tc.text) {
					t.Errorf("%q: the pages search the whole message: %s", tc.text, c)
				}
			}
		})
	}
	// Near misses: one question, one answer, whatever its clauses.
	for _, tc := range []struct{ lang, text string }{
		{"en", "what time do you open on saturday, and until when?"},
		{"en", "when are you open on saturday?"},
		{"it", "a che ora aprite il sabato e a che ora chiudete?"},
		{"it", "quali sono gli orari del negozio?"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june2025})
			if err != nil {
				t.Fatal(err)
			}
			var faq, docs int
			for _, c := range cmds {
				switch c.Kind {
				case CmdFAQ:
					faq++
				case CmdDocuments:
					docs++
				}
			}
			if faq != 1 || docs != 0 {
				t.Errorf("%q: commands %v, want the hours' answer alone", tc.text, cmds)
			}
		})
	}
}
