package flows

import (
	"strings"
	"testing"
)

// A brand reads with the category nearer to it: "la tv bravia dal
// mobile" is the shop's Bravia TV, not a Sony phone it does not sell;
// a brand whose nearest category is one it is not sold in still is not.
func TestBrandWithTheNearerCategory(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, want, not string
	}{
		{"it", "mi si e rovesciata la tv bravia dal mobile, display spaccato", "product=sony-bravia-43", "not_sold"},
		{"it", "la tv samsung sul mobile del salotto ha lo schermo nero", "start_flow(warranty", "not_sold"},
		{"it", "il portatile hp sul mobile della cucina non si accende", "category=laptop", "not_sold"},
		{"en", "the tv sony on the phone shelf has lines on the screen", "product=sony-bravia-43", "not_sold"},
		// Near misses: the brand's nearest category is one the shop
		// does not sell it in.
		{"it", "il telefono bravia che ho preso l anno scorso non si accende", "not_sold", "product=sony-bravia-43"},
		{"en", "my dyson phone is broken", "not_sold", "product=dyson-v8"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := commandsText(understandIn(t, b, tc.lang, tc.text))
			if !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
				t.Errorf("commands %s, want %s and no %s", got, tc.want, tc.not)
			}
		})
	}
}
