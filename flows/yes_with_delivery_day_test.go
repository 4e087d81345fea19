package flows

import (
	"slices"
	"testing"

	"github.com/sportello/sportello/bot"
)

// TestAYesWithTheDayItCameStaysInTheReturn: at "start a return?", a
// yes with the day the thing came and the name of the thing ("sì, il
// dyson me l'hanno consegnato lunedì", "yes, the coffee machine came on
// monday") answers the return and tells its delivery day: no claim
// starts from the product's name. A fault, a request or a question told
// beside the yes still counts.
func TestAYesWithTheDayItCameStaysInTheReturn(t *testing.T) {
	opening := map[string]string{"en": "how do returns work?", "it": "come funzionano i resi?"}
	for _, tc := range []struct {
		lang, say string
		stays     bool // the return goes on with the delivery day
	}{
		{"en", "yes, the coffee machine came on monday", true},
		{"en", "yes please, the dyson was delivered on saturday", true},
		{"it", "sì, il dyson me l'hanno consegnato lunedì", true},
		{"it", "si, l'aspirapolvere è arrivato sabato", true},
		// Near misses.
		{"en", "yes, and my pixel 8 won't charge since saturday", false},
		{"it", "sì, e poi la friggitrice arrivata sabato non scalda", false},
	} {
		t.Run(tc.say, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.hint = tc.lang
			d.say(opening[tc.lang])
			if d.s.Flow != "returns" {
				t.Fatalf("%q: flow %q, want the return", opening[tc.lang], d.s.Flow)
			}
			out := d.say(tc.say)
			claim := slices.ContainsFunc(d.last.Events, func(e bot.Event) bool { return e.Type == bot.EventFlowStarted && e.Flow == "warranty" })
			stays := !claim && d.s.Slots["delivery_date"] != ""
			if stays != tc.stays {
				t.Errorf("%q: the bot said %q (claim started %v, delivery %q), want the return to go on: %v", tc.say, out, claim, d.s.Slots["delivery_date"], tc.stays)
			}
		})
	}
}
