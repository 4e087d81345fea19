package flows

import (
	"strings"
	"testing"
)

// After a proof that matched no order, the flow asks the number again and
// then the proof in other words: the same number told again is followed
// by that question, not by the first proof question word for word (a
// loop the customer sees). Another number is looked up with the proof
// already given, as before.
func TestTheSameNumberAgainGetsTheFlowsNextQuestion(t *testing.T) {
	for _, tc := range []struct {
		name, first, proof, number, want, not string
		lookups                               int
	}{
		{"same number", "dov'è il mio ordine SP-123456?", "20122", "SP-123456", "E l'email o il CAP usati per quell'ordine?", "Per controllare l'ordine", 0},
		{"same number, loosely", "a che punto è l'ordine SP-123456?", "20122", "sp 123456", "E l'email o il CAP usati per quell'ordine?", "Per controllare l'ordine", 0},
		{"same number, in English", "where is my order SP-123456?", "20122", "SP-123456", "And the e-mail or the postcode used for that order?", "To check order", 0},
		// Near miss: another number is tried with the proof given, right
		// for it.
		{"another number", "dov'è il mio ordine SP-123465?", "20121", "SP-123456", "BRT", "Per controllare l'ordine", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeOrders{}
			d, _ := orderDriver(t, fake, OrderOptions{})
			d.say(tc.first)
			d.say(tc.proof)
			before := len(fake.lookups())
			out := d.say(tc.number)
			contains(t, out, tc.want)
			if strings.Contains(out, tc.not) {
				t.Errorf("reply %q repeats the first question", out)
			}
			if got := len(fake.lookups()) - before; got != tc.lookups {
				t.Errorf("%d lookups, want %d", got, tc.lookups)
			}
		})
	}
}
