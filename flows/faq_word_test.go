package flows

import (
	"context"
	"strings"
	"testing"
)

// TestQuestionNamedByAnFAQWord: a question that names a word only one
// FAQ's examples have is for that FAQ, whatever its other words.
func TestQuestionNamedByAnFAQWord(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, want string }{
		{"en", "gpay works with u lot?", "faq(payments"},
		{"en", "u guys do klarna or nah?", "faq(payments"},
		{"it", "raga satispay lo prendete?", "faq(payments"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			u := b.newUnderstanding(Input{Text: tc.text, Lang: tc.lang, Now: june2025})
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june2025})
			if err != nil {
				t.Fatal(err)
			}
			if all := commandsText(cmds); !strings.Contains(all, tc.want) {
				t.Errorf("%q: commands %s, want %s (scores %v)", tc.text, all, tc.want, u.classify(tc.text)[:2])
			}
		})
	}
}
