package flows

import (
	"strings"
	"testing"
)

// TestHowToOfAnotherProduct: a question how to do something with a
// product or a brand of the catalogue is not answered with the steps of
// a page that names neither (the Magnifica's descaling for the Dyson or
// the air fryer), nor taken for a purchase of it when no page tells. The
// page of the product named keeps its steps.
func TestHowToOfAnotherProduct(t *testing.T) {
	for _, c := range []struct{ lang, text, want, not string }{
		{"en", "how do i descale the dyson?", "", "descaler"},
		{"en", "how do i clean the airfryer?", "", "descaler"},
		{"it", "come pulisco il macbook?", "persona", "Quanti"},
		// The page names the product.
		{"en", "how do I descale my delonghi?", "descaler", ""},
		{"it", "come resetto la tv lg?", "telecomando", ""},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		out := d.say(c.text)
		if c.want != "" && !strings.Contains(out, c.want) {
			t.Errorf("%q: the answer has no %q:\n%s", c.text, c.want, out)
		}
		if c.not != "" && strings.Contains(out, c.not) {
			t.Errorf("%q: the answer has %q:\n%s", c.text, c.not, out)
		}
	}
}
