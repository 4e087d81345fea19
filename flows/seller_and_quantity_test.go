package flows

import (
	"strings"
	"testing"
)

// A salesperson named before the verb ("can someone from sales call
// me", "un commerciale mi può richiamare?") asks for the sales team, as
// "talk to sales" does; a person of no team, or a seller who called,
// does not.
func TestSellerNamedFirst(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, want, not string
	}{
		{"en", "could somebody from sales give me a call re 20 pixels for the office", "human(sales", "start_flow"},
		{"en", "pls have a sales rep contact me, we need a quote for laptops", "human(sales", "start_flow"},
		{"it", "un commerciale mi puo richiamare per un preventivo di 10 portatili?", "human(sales", "start_flow"},
		{"it", "vorrei che qualcuno delle vendite mi contatti per delle tv per l hotel", "human(sales", "start_flow"},
		// Near misses.
		{"en", "can someone call me about my broken tv", "", "human(sales"},
		{"en", "the sales team called me yesterday about my order", "", "human(sales"},
		{"it", "un venditore mi ha chiamato ieri", "", "human(sales"},
		{"en", "can someone from support call me", "human(", "human(sales"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := commandsText(understandIn(t, b, tc.lang, tc.text))
			if !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
				t.Errorf("commands %s, want %q and no %q", got, tc.want, tc.not)
			}
		})
	}
}

// The quantity of an order already placed ("the quantity on my order",
// "la quantità dell'ordine") is the order's change, for a person, not
// its status; a quantity of a purchase or of an invoice is not.
func TestQuantityOfAnOrderIsAChange(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, want, not string
	}{
		{"en", "need to up the quantity on my order SP-111222 to 4 please", "start_flow(order_change", "order_status"},
		{"it", "si puo modificare la quantita del mio ordine SP-111222? ne volevo 2", "start_flow(order_change", "order_status"},
		{"en", "pls add one more to my order SP-111222, same model", "start_flow(order_change", "order_status"},
		{"it", "devo aggiungere al mio ordine un altro caricatore, SP-111222", "start_flow(order_change", "order_status"},
		// Near misses.
		{"en", "i want to buy 3 thinkpads, can i change the quantity later?", "", "order_change"},
		{"en", "where is my order SP-111222, it has 2 laptops", "start_flow(order_status", "order_change"},
		{"it", "quanti pezzi posso ordinare al massimo?", "", "order_change"},
		{"en", "the quantity on the invoice is wrong", "", "order_change"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := commandsText(understandIn(t, b, tc.lang, tc.text))
			if !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
				t.Errorf("commands %s, want %q and no %q", got, tc.want, tc.not)
			}
		})
	}
}
