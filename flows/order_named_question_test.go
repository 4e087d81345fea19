package flows

import (
	"strings"
	"testing"
)

// TestQuestionOfTheOrderNamed: between an FAQ and the order's flow, a
// question of the order the message names by its number is the order's;
// a word only the FAQ's examples hold still asks the FAQ, and without a
// number the FAQ answers.
func TestQuestionOfTheOrderNamed(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, want, not string }{
		{"en", "when will SP-200103 ship? paid on monday", "start_flow(order_status", ""},
		{"en", "when will SP-200105 ship? we paid 2 days ago", "start_flow(order_status", ""},
		{"en", "when is SP-200104 going to ship? i paid 3 days ago", "start_flow(order_status", ""},
		// Not the order's: an FAQ's own word, or no order named.
		{"en", "SP-200107: can i pay it with paypal?", "faq(payments", "order_status"},
		{"en", "SP-200107 do you ship to sardinia?", "faq(shipping", "order_status"},
		{"en", "when will you ship to sardinia? paid on monday", "", "start_flow(order_status"},
		{"it", "quanto costa la spedizione per l ordine SP-200107?", "faq(shipping", ""},
		{"en", "order SP-200107, how long does shipping take to san marino?", "faq(shipping", "order_status"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := commandsText(understandIn(t, b, tc.lang, tc.text))
			if tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("commands %s lack %s", got, tc.want)
			}
			if tc.not != "" && strings.Contains(got, tc.not) {
				t.Errorf("commands %s hold %s", got, tc.not)
			}
		})
	}
}

// TestPaymentNotMadeYet: "if I pay by ..., when does it ship?" asks of
// an order not paid yet: no status to look up, the FAQ of the way to
// pay named. Paid already, it is the order's.
func TestPaymentNotMadeYet(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, want string }{
		{"it", "se pago col bonifico quando mi spedite l ordine?", "faq(payments"},
		{"en", "if i pay by bank transfer when will my order ship?", "faq(payments"},
		{"en", "if i pay with paypal when does my order leave?", "faq(payments"},
		{"it", "se pago con carta quando parte il pacco?", "faq(payments"},
		// Paid, or ordered: the order's; not paying: no payment's FAQ.
		{"it", "ho pagato con bonifico ieri, quando parte l ordine?", "start_flow(order_status"},
		{"en", "i paid by bank transfer on monday, when will my order ship?", "faq(shipping 0.01) start_flow(order_status"},
		{"it", "se ordino oggi quando arriva?", "documents("},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := commandsText(understandIn(t, b, tc.lang, tc.text)); !strings.HasPrefix(got, tc.want) {
				t.Errorf("commands %s, want %s...", got, tc.want)
			}
		})
	}
}

// TestFAQAskedOfTheOrderNamed: one question of an order named by its
// number, which the order's flow only guesses at, with a word only an
// FAQ's examples hold ("fattura", "invoice"), asks that FAQ of the
// order. Where it is, when it comes, a fault, or a second question keep
// the order's flow.
func TestFAQAskedOfTheOrderNamed(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, want string }{
		{"en", "where is the invoice of SP-200104?", "faq(payments"},
		{"en", "in SP-200103 where do i get the invoice?", "faq(payments"},
		{"it", "nel ordine SP-200104 trovo la fattura?", "faq(payments"},
		{"en", "is there an invoice in order SP-200101?", "faq(payments"},
		// The order's.
		{"it", "dov e il mio ordine SP-200101?", "start_flow(order_status"},
		{"en", "SP-200107 when will it arrive?", "start_flow(order_status"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := commandsText(understandIn(t, b, tc.lang, tc.text)); !strings.HasPrefix(got, tc.want) {
				t.Errorf("commands %s, want %s...", got, tc.want)
			}
		})
	}
	for _, text := range []string{"ordine SP-200107 dov e? posso pagare alla consegna?", "il mio ordine SP-200101 e arrivato con lo schermo rotto, serve la fattura?"} {
		if got := commandsText(understandIn(t, b, "it", text)); !strings.Contains(got, "start_flow(") {
			t.Errorf("%q: commands %s start no flow", text, got)
		}
	}
}
