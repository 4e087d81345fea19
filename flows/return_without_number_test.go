package flows

import (
	"strings"
	"testing"
)

// A return goes on without the order number when the customer has not
// got it: the reason is asked next, and saying again that they have not
// got the number is no reason (the question is put again); the support
// team finds the order.
func TestAReturnGoesOnWithoutTheOrderNumber(t *testing.T) {
	for _, tc := range []struct {
		name     string
		turns    []string
		reason   string // on the case card; "" for no handoff yet
		repeated bool   // the reason question put again on the last turn
	}{
		{"it, then the reason", []string{"voglio restituire la tv consegnata il 30 maggio", "si", "non ho il numero d'ordine", "è troppo grande per il mobile"}, "è troppo grande per il mobile", false},
		{"it, the number again", []string{"voglio restituire la tv consegnata il 30 maggio", "si", "non ho il numero d'ordine", "non ce l'ho proprio, ho cancellato la mail di conferma"}, "", true},
		{"en, the number again", []string{"I want to return the tv delivered on 30 may", "yes", "I don't have the order number", "sorry I can't find it, I deleted the email"}, "", true},
		// Near miss: a reason that says what the customer has not got any more need of.
		{"it, a reason with non ho", []string{"voglio restituire la tv consegnata il 30 maggio", "si", "non ho il numero d'ordine", "non ho più bisogno della tv"}, "non ho più bisogno della tv", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			var out string
			for _, m := range tc.turns {
				out = d.say(m)
			}
			if tc.repeated && !strings.Contains(out, "restituirlo") && !strings.Contains(out, "return it") {
				t.Errorf("reply %q, want the reason asked again", out)
			}
			h := d.last.Handoff
			switch {
			case tc.reason == "" && h != nil:
				t.Errorf("handed off with %+v, want the reason asked again", h)
			case tc.reason != "" && (h == nil || h.Slots["return_reason"] != tc.reason):
				t.Errorf("handoff %+v, want the reason %q", h, tc.reason)
			}
		})
	}
}
