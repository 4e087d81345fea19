package flows

import (
	"strings"
	"testing"
)

// The words of a request put on the agenda are that request's: no free
// answer (a return's reason) of the flow that starts. A reason told for
// the return itself stays its reason.
func TestAQueuedRequestIsNoReasonOfTheFirst(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, queued, reason string
	}{
		{"en", "I'd like to return the magnifica from order SP-300113, and separately my iphone 15 battery dies by lunchtime", "queue_flow(warranty", ""},
		{"en", "I want to send back the dyson from order SP-200101, and also my pixel 8 screen keeps flickering", "queue_flow(warranty", ""},
		{"it", "vorrei restituire la friggitrice dell'ordine SP-200101, e a parte il mio pixel 8 non si accende più", "queue_flow(warranty", ""},
		// Near miss: the reason is the return's own.
		{"en", "I want to return the airfryer from order SP-200101 because it's too big for my kitchen", "", "set_slot(return_reason="},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := understandWith(t, b, tc.lang, "", "", nil, tc.text)
			if tc.queued != "" && !strings.Contains(got, tc.queued) {
				t.Errorf("commands %s, want %q", got, tc.queued)
			}
			if has := strings.Contains(got, "set_slot(return_reason="); has != (tc.reason != "") {
				t.Errorf("commands %s: a reason set %v, want %v", got, has, tc.reason != "")
			}
		})
	}
}
