package flows

import (
	"strings"
	"testing"
)

// A request asked after a lead-in's colon ("two things: where's my
// order ...") is asked first: the requests are taken in the order they
// were asked, each with its own order number.
func TestQuestionAfterALeadIn(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, first, number, queued string
	}{
		{"en", "two things: where's my order SP-111223 and can i return the kettle from SP-111222, it came yesterday, dont need it", "start_flow(order_status", "order_number=SP-111223", "queue_flow(returns"},
		{"en", "two quick ones: where is my parcel SP-111223 and can i send back the toaster from SP-111222, it came yesterday, i dont need it", "start_flow(order_status", "order_number=SP-111223", "queue_flow(returns"},
		{"it", "due cose: dove si trova il mio ordine SP-111223 e vorrei restituire il tostapane dell ordine SP-111222, arrivato ieri, non mi serve piu", "start_flow(order_status", "order_number=SP-111223", "queue_flow(returns"},
		{"en", "questions: where's order SP-111223 and can i return the blender of SP-111222, came yesterday, dont need it", "start_flow(order_status", "order_number=SP-111223", "queue_flow(returns"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := commandsText(understandIn(t, b, tc.lang, tc.text))
			if !strings.HasPrefix(got, tc.first) || !strings.Contains(got, tc.number) || !strings.Contains(got, tc.queued) {
				t.Errorf("commands %s, want first %s with %s, then %s", got, tc.first, tc.number, tc.queued)
			}
		})
	}
	// Near misses: a lead-in before no question keeps the first request.
	for _, tc := range []struct{ lang, text, first string }{
		{"en", "quick question: i want to return the kettle from SP-111222, it came yesterday, and where is SP-111223", "start_flow(returns"},
		{"it", "allora: vorrei restituire il frullatore SP-111222 arrivato ieri, e dov e l ordine SP-111223?", "start_flow(returns"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := commandsText(understandIn(t, b, tc.lang, tc.text)); !strings.HasPrefix(got, tc.first) {
				t.Errorf("commands %s, want first %s", got, tc.first)
			}
		})
	}
}
