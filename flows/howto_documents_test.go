package flows

import (
	"strings"
	"testing"
)

// TestHowToBeyondAWeakFAQ: a question how to do something that an FAQ's
// examples only resemble, with no word of its own, is for the pages that
// tell how; an FAQ its own word names, or a sure one, stays the FAQ's.
func TestHowToBeyondAWeakFAQ(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, want string }{
		{"en", "how do i get an invoice with my company vat no", "documents("},
		{"en", "how do i get the invoice with the vat number of my firm", "documents("},
		{"en", "how can i get a vat number invoice", "documents("},
		// The FAQ's.
		{"en", "how do i pay with klarna?", "faq(payments"},
		{"it", "come faccio a pagare a rate?", "faq(payments"},
		{"it", "come faccio ad avere la fattura con la partita iva?", "faq(payments"},
		{"en", "how long is the warranty?", "faq(warranty_terms"},
		{"en", "how can i track my parcel?", "start_flow(order_status"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := commandsText(understandIn(t, b, tc.lang, tc.text)); !strings.HasPrefix(got, tc.want) {
				t.Errorf("commands %s, want %s...", got, tc.want)
			}
		})
	}
}
