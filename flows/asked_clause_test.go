package flows

import (
	"strings"
	"testing"
)

// TestAskedClauseAlone: a question of more clauses that tells first what
// the customer did ("vi ho rispedito tutto lunedì, ...") is asked of the
// pages by its last clause alone when the whole finds no page: the
// refund's section, in the words of money given back. A clause after the
// name of a product is not asked alone (it has lost what it asks of),
// and a question the whole answers keeps its answer.
func TestAskedClauseAlone(t *testing.T) {
	for _, c := range []struct{ text, want, not string }{
		{"vi ho rispedito tutto lunedì, quando mi ridate i soldi?", "14 giorni da quando il prodotto rientra", ""},
		{"ho già rimandato tutto, i soldi quando me li ridate?", "14 giorni da quando il prodotto rientra", ""},
		{"ho fatto tutto come dice la pagina, i soldi quando me li ridate?", "14 giorni da quando il prodotto rientra", ""},
		// The product before the clause; the whole answered.
		{"il portatile, come lo resetto?", "", "telecomando"},
		{"ho comprato la tv lg, come la resetto?", "telecomando", ""},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = "it"
		out := d.say(c.text)
		if c.want != "" && !strings.Contains(out, c.want) {
			t.Errorf("%q: the answer has no %q:\n%s", c.text, c.want, out)
		}
		if c.not != "" && strings.Contains(out, c.not) {
			t.Errorf("%q: the answer has %q:\n%s", c.text, c.not, out)
		}
	}
}
