package flows

import (
	"strings"
	"testing"
)

// TestOrderOnItsWay: a product ordered or bought a day ago, asked when it
// comes or leaves, is an order on its way, not a claim dated by the
// order; beside a fault of another product in a sentence of its own,
// both requests are taken, the claim with its own date. A fault told of
// the same product keeps it a claim.
func TestOrderOnItsWay(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		want, not  []string
	}{
		{"it", "la tv ordinata ieri quando arriva", []string{"start_flow(order_status"}, []string{"warranty"}},
		{"it", "il frullatore ordinato lunedi quando arriva? ordine SP-200107 cap 70121. poi il mio pixel 8 preso a marzo 2024 non si accende piu",
			[]string{"start_flow(order_status", `queue_flow(warranty "poi il mio pixel 8 preso a marzo 2024`}, []string{"purchase_date"}},
		{"en", "the laptop i ordered friday when does it ship", []string{"start_flow(order_status"}, []string{"warranty"}},
		{"it", "la friggitrice presa lunedi quando mi arriva?", []string{"start_flow(order_status"}, []string{"warranty", "purchase_date"}},
		{"it", "il portatile comprato sabato quando parte?", []string{"start_flow(order_status"}, []string{"warranty", "purchase_date"}},
		{"it", "la macchinetta del caffe comprata l altro ieri quando arriva? ordine SP-200107. inoltre il mio iphone 15 di luglio 2023 non carica",
			[]string{"start_flow(order_status", "set_slot(order_number=SP-200107", `queue_flow(warranty "inoltre il mio iphone`}, []string{"purchase_date"}},
		{"en", "the air fryer i bought yesterday when does it arrive? order SP-200107. also my galaxy a55 from april 2024 wont turn on",
			[]string{"start_flow(order_status", "set_slot(order_number=SP-200107", `queue_flow(warranty "also my galaxy a55 from april 2024`}, []string{"purchase_date"}},
		// Faults: a claim.
		{"it", "il frigo comprato a gennaio non si accende, quando arriva il tecnico?", []string{"start_flow(warranty"}, nil},
		{"it", "la tv arrivata ieri non si accende", []string{"start_flow(warranty"}, nil},
		// Came broken: the delivery's problem (docs/flows.md), no claim.
		{"it", "la tv arrivata ieri ha lo schermo rotto", []string{"start_flow(order_status", "set_slot(parcel=arrived_damaged"}, []string{"warranty"}},
		{"en", "the laptop i ordered in march stopped charging, when will it be fixed?", []string{"start_flow(warranty"}, nil},
		{"en", "my pixel bought in may is dead, when will it come back from repair?", []string{"start_flow(warranty"}, nil},
		{"it", "comprato a gennaio il pixel, quanto dura la garanzia?", []string{"faq(warranty_terms"}, []string{"order_status"}},
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
