package flows

import (
	"strings"
	"testing"
)

// A yes to "start a return?" that also gives the order number goes on as
// the number alone would: the order is looked up (its proof asked), and
// the order tells when it was delivered. A bare yes, or a yes with the
// day of delivery, asks or checks the day as before.
func TestAYesWithTheOrderNumberLooksTheOrderUp(t *testing.T) {
	for _, tc := range []struct {
		first, answer, want, not string
	}{
		{"how many days do I have to send something back?", "ok then I want to return the vacuum from order SP-200101", "To check order SP-200101", "When was it delivered"},
		{"entro quanti giorni posso fare un reso?", "si, è l'ordine SP-200101", "Per controllare l'ordine SP-200101", "Quando ti è stato consegnato"},
		{"what's your return policy?", "yes please, order SP-200101", "To check order SP-200101", "When was it delivered"},
		// Near misses: no number told.
		{"how many days do I have to send something back?", "yes", "When was it delivered", "To check order"},
		{"how many days do I have to send something back?", "yes, it came on the 30th of may", "14 days", "To check order"},
	} {
		t.Run(tc.answer, func(t *testing.T) {
			d, _ := orderDriver(t, &fakeOrders{}, OrderOptions{})
			d.say(tc.first)
			out := d.say(tc.answer)
			contains(t, out, tc.want)
			if strings.Contains(out, tc.not) {
				t.Errorf("reply %q, want none of %q", out, tc.not)
			}
		})
	}
}
