package flows

import (
	"strings"
	"testing"
)

// TestOrderTrouble: what went wrong with an order the message names by
// its number, beside where it is (the wrong product, a part missing,
// opened or used goods, a payment taken twice, the invoice again), is
// the order's problem: the order's flow with the problem told, no claim
// queued, no question between the two. Near misses keep their reading:
// an invoice of a purchase is the buyer's, a "where is it" is a status.
func TestOrderTrouble(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		want, not  []string
	}{
		{"en", "you sent me the wrong colour, order SP-200107", []string{"start_flow(order_status", "set_slot(order_problem=wrong_item"}, []string{"warranty"}},
		{"en", "the lid of the blender is missing, order SP-200107", []string{"start_flow(order_status", "set_slot(order_problem=missing_item"}, []string{"warranty"}},
		{"it", "mi avete addebitato due volte l'ordine SP-200107", []string{"start_flow(order_status", "set_slot(order_problem=charged_twice"}, nil},
		{"en", "could you please resend the invoice of SP-200107?", []string{"start_flow(order_status", "set_slot(order_problem=invoice"}, []string{"buyer"}},
		{"it", "potete rimandarmi la fattura dell'ordine SP-200107?", []string{"start_flow(order_status", "set_slot(order_problem=invoice"}, []string{"buyer"}},
		{"it", "l'ordine SP-200107 è arrivato con la confezione già aperta e il frullatore sembra usato",
			[]string{"start_flow(order_status", "set_slot(order_problem=used_item"}, []string{"queue_flow", "warranty"}},
		// Came broken with the box: the parcel's, one request.
		{"en", "order SP-200107 arrived but the package was squashed and the laptop screen has a crack",
			[]string{"start_flow(order_status", "set_slot(parcel=arrived_damaged"}, []string{"queue_flow", "warranty"}},
		{"it", "l'ordine SP-200107 è arrivato con il pacco schiacciato e il portatile ha una crepa",
			[]string{"start_flow(order_status", "set_slot(parcel=arrived_damaged"}, []string{"queue_flow", "warranty"}},
		// Near misses.
		{"en", "I need an invoice, I want 3 pixel 8", []string{"start_flow(sales", "set_slot(buyer=business"}, []string{"order_problem"}},
		{"it", "ho comprato con fattura l'ordine SP-200107, quando arriva?", []string{"start_flow(order_status"}, []string{"order_problem"}},
		{"en", "where is my order SP-200107?", []string{"start_flow(order_status"}, []string{"order_problem", "parcel"}},
		{"en", "my pixel 8 stopped charging, bought in march 2024", []string{"start_flow(warranty"}, []string{"order_problem"}},
		{"en", "my order arrived and the box was fine, months later the screen has a crack", nil, []string{"parcel=arrived_damaged"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := commandsText(understandIn(t, b, tc.lang, tc.text))
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("commands %s lack %s", got, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("commands %s hold %s", got, n)
				}
			}
		})
	}
}
