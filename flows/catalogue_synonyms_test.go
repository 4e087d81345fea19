package flows

import (
	"strings"
	"testing"
)

// TestPagesKnowTheCatalogueNames: the pages' search reads the names a
// product's catalogue entry writes together and apart as one: "delonghi"
// finds the page of the "De'Longhi Magnifica S" as "de longhi" does. A
// question of another topic that names the product still finds no page.
func TestPagesKnowTheCatalogueNames(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, q, want string // want: a word of the page's address, "" for none
	}{
		{"it", "come decalcifico la mia delonghi?", "decalcificazione"},
		{"it", "come si decalcifica la de longhi?", "decalcificazione"},
		{"it", "come decalcifico la magnifica?", "decalcificazione"},
		{"en", "how do I descale my delonghi?", "descaling"},
		// Near misses: other topics, with the name.
		{"it", "avete una carta fedeltà per chi ha la delonghi?", ""},
		{"en", "do you give student discounts on the magnifica?", ""},
	} {
		a, ok := b.Knowledge().Answer(tc.q, tc.lang)
		got := ""
		if ok {
			got = a.Citation
		}
		if tc.want == "" && ok || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%q: answered %v %q, want %q", tc.q, ok, got, tc.want)
		}
	}
}
