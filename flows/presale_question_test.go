package flows

import (
	"strings"
	"testing"
)

// TestPresaleQuestionIsASale: a question about a product the customer
// has not bought yet (what it does, whether it suits, which of two,
// which to take, what it costs) starts the sale, with the question on
// the case card (a slot of type question). A question the help centre
// answers, a product the customer owns, a service asked of the shop or
// a product the shop does not sell keep their reading.
func TestPresaleQuestionIsASale(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		sale       bool // the sale starts with the question
	}{
		{"en", "does the macbook air come with a usb-c charger?", true},
		{"en", "is the dyson v8 any good for pet hair?", true},
		{"it", "la magnifica fa anche il cappuccino?", true},
		{"it", "è meglio il galaxy a55 o l'iphone 15 per le foto?", true},
		{"en", "which laptop is lighter, the thinkpad or the macbook air?", true},
		{"it", "quanto viene il thinkpad e14?", true},
		{"en", "how much is the sony bravia?", true},
		// Near misses: the help centre's, the customer's own, a service of
		// the shop's, something not sold.
		{"en", "how much is shipping for the macbook air?", false},
		{"it", "quanto dura la garanzia del galaxy a55?", false},
		{"en", "my macbook air won't charge, is the charger faulty?", false},
		{"it", "il mio pixel 8 si scalda, è normale?", false},
		{"en", "how do I turn off the screen of the lg oled?", false},
		{"it", "potete installarmi le app sul pixel 8 nuovo?", false},
		{"it", "fate anche la consegna al piano della tv?", false},
		{"en", "do you sell the nintendo switch oled?", false},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := understandWith(t, b, tc.lang, "", "", nil, tc.text)
			sale := strings.Contains(got, "start_flow(sales") && strings.Contains(got, "set_slot(question=")
			if sale != tc.sale {
				t.Errorf("commands %s, want a sale with the question: %v", got, tc.sale)
			}
		})
	}
}
