package flows

import (
	"context"
	"strings"
	"testing"
)

// TestNoFigureDeclines reads the ways a customer says they have no
// figure in mind, and leaves it to the shop, as a declined question.
func TestNoFigureDeclines(t *testing.T) {
	for _, text := range []string{
		"un budget non ne ho, decidete voi",
		"non ne abbiamo, fateci voi un'offerta",
		"no set budget really",
		"nothing planned, just give us your best offer",
	} {
		if !isSkip(text) {
			t.Errorf("isSkip(%q) = false, want true", text)
		}
	}
}

// TestPluralRequest reads a business asking in the plural as a request.
func TestPluralRequest(t *testing.T) {
	for _, text := range []string{
		"ci servono 5 portatili per l'ufficio",
		"abbiamo bisogno di due frullatori",
		"we own a bakery and need 2 blenders",
		"we are looking for 10 phones for the staff",
	} {
		if !isRequestIn(saying(text)) {
			t.Errorf("isRequestIn(%q) = false, want true", text)
		}
	}
}

// TestDictatedYesAsksNothing reads an opening "si" without its accent,
// before the telling, as a yes and not as a question.
func TestDictatedYesAsksNothing(t *testing.T) {
	for _, text := range []string{
		"si allora il frullatore che ho preso fa un odore di bruciato",
		"si ecco il telefono non carica più",
		"si volevo dire che il portatile si spegne da solo",
	} {
		if isQuestion(text) {
			t.Errorf("isQuestion(%q) = true, want false", text)
		}
	}
	if !isQuestion("si può pagare alla consegna") {
		t.Error(`"si può pagare alla consegna" is a question`)
	}
}

// TestQuestionWithAValueBesideARequest answers an FAQ asked in a clause
// that holds a value, or put as "tell me if", beside another request.
func TestQuestionWithAValueBesideARequest(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, want string }{
		{"it", "buonasera, quanto costa la spedizione di un ordine da 45 euro? e poi vorrei sapere dove si trova il mio ordine SP-123456, cap 20121", "faq(shipping"},
		{"en", "hello, is delivery free on a 40 euro order? and also where is my order SP-123456, postcode 20121", "faq(shipping"},
		{"it", "vorrei prendere un pixel 8 però ditemi se accettate paypal, grazie mille", "faq(payments"},
	} {
		cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
		if got := commandsText(cmds); !strings.Contains(got, tc.want) {
			t.Errorf("%q: commands %s lack %s", tc.text, got, tc.want)
		}
	}
}
