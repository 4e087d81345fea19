package flows

import (
	"testing"
)

// A claim dropped with "never mind" and started again by the next
// message ("ok I checked, it's still leaking") is about the same product:
// the model is not asked again. Another product named, or another kind
// of product, is the new claim's; another flow does not take it.
func TestAClaimDroppedAndStartedAgainKeepsItsProduct(t *testing.T) {
	for _, tc := range []struct {
		name, second, want string
	}{
		{"same claim", "ok I checked, it's still leaking from the bottom. bought it in january, for home", "delonghi-magnifica"},
		{"same claim, it", "ok ho controllato, perde ancora acqua. l'ho presa a gennaio, per casa", "delonghi-magnifica"},
		// Near misses.
		{"another product", "my pixel 8 won't turn on, bought it in march, for home", "pixel-8"},
		{"another kind", "my laptop won't turn on, bought it in january, for home", ""},
		{"a sale", "then I would like to buy a new appliance", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june3)
			d.say("my magnifica is leaking")
			d.say("never mind, I'll check the manual first")
			d.say(tc.second)
			if got := d.s.Slots["product"]; got != tc.want {
				t.Errorf("product %q, want %q", got, tc.want)
			}
		})
	}
}
