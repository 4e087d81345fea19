package flows

import (
	"strings"
	"testing"
)

// A chat spelling ("nn" for "non") reads as the word it stands for in
// the intents' cues and in the choices' synonyms too: "nn e ancora
// arrivata" asks where the order is, "nn ho ricevuto nulla" says the
// parcel never came. The same words with nothing of an order keep
// their own reading.
func TestChatSpellingsInCuesAndChoices(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text string
		want []string
		not  []string
	}{
		{"SP-111222 20121 la lavatrice nn e ancora arrivata", []string{"start_flow(order_status"}, []string{"start_flow(warranty", "queue_flow"}},
		{"la friggitrice nn e ancora arrivata, l ho ordinata 10 giorni fa", []string{"start_flow(order_status"}, []string{"warranty"}},
		{"SP-111222 cap 20121, risulta consegnato ma nn ho ricevuto nulla", []string{"start_flow(order_status", "parcel=missing"}, nil},
		{"ordine SP-111222, dice che e stato consegnato ma io nn ho ricevuto niente", []string{"start_flow(order_status", "parcel=missing"}, nil},
		// Near misses: a fault, a purchase, a doubt.
		{"il pixel 8 nn si accende piu", []string{"start_flow(warranty"}, []string{"order_status", "parcel"}},
		{"nn funziona il touch del mio a55", []string{"start_flow(warranty"}, []string{"order_status", "parcel"}},
		{"nn ho ancora deciso quale tv comprare", []string{"start_flow(sales"}, []string{"order_status", "parcel"}},
		{"nn so se il mio pc e in garanzia", nil, []string{"order_status", "parcel"}},
		{"x me va bene", nil, []string{"buyer", "start_flow"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := commandsText(understandIn(t, b, "it", tc.text))
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("commands %s lack %s", got, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("commands %s hold %s", got, w)
				}
			}
		})
	}
}
