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
