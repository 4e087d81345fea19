package flows

import (
	"strings"
	"testing"
)

// TestHowToOwnWordNeedsTheLean: a question how to do something keeps
// the FAQ its own word names ("invoice", the payments') only when the
// classifier gives that FAQ half the threshold or more; under it the
// pages tell the steps. A question that asks no how, or one the
// classifier leans to the FAQ for, stays the FAQ's.
func TestHowToOwnWordNeedsTheLean(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, want string }{
		{"en", "if I order for my business how do I get an invoice", "documents("},
		{"en", "if I order for the company how can I get the invoice", "documents("},
		{"en", "when I order for my shop how do I get an invoice", "documents("},
		{"it", "se ordino per l'azienda come faccio ad avere la fattura?", "documents("},
		// The FAQ's: no how, or the classifier's lean.
		{"en", "if I order for my company do you send an invoice?", "faq(payments"},
		{"it", "se pago con bonifico quando parte l'ordine?", "faq(payments"},
		{"it", "se ordino oggi come faccio a pagare con bonifico?", "faq(payments"},
		{"it", "come faccio ad avere la fattura con la partita iva?", "faq(payments"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := commandsText(understandIn(t, b, tc.lang, tc.text)); !strings.Contains(got, tc.want) {
				t.Errorf("commands %s, want %s...", got, tc.want)
			}
		})
	}
}
