package flows

import "testing"

// TestHowToThePagesDoNotTell: a how-to question is not answered by a page
// that only seems to tell it: one about a kind the shop does not sell (a
// kettle, a dishwasher, an iron: the Magnifica's descaling is no answer),
// or one that holds only the product's name (the warranty page names the
// Dyson; how to reset it, it does not say). The near misses keep their
// page: how-to questions about what the pages tell, named or not.
func TestHowToThePagesDoNotTell(t *testing.T) {
	b := mustShop(t)
	ix := b.Knowledge()
	for _, tc := range []struct {
		lang, q string
		answers bool
	}{
		{"en", "how do I descale my kettle?", false},
		{"en", "how can i descale the dishwasher?", false},
		{"it", "come si decalcifica il ferro da stiro?", false},
		{"en", "how do i reset the dyson?", false},
		{"it", "come faccio a resettare il dyson v8?", false},
		// Near misses.
		{"en", "how do I descale the magnifica?", true},
		{"en", "how do i factory reset the lg oled tv?", true},
		{"it", "come si ripristina il televisore lg?", true},
		{"it", "come decalcifico la macchina del caffè?", true},
		{"en", "how can i pay in instalments?", true},
	} {
		if _, ok := b.docsAnswer(ix, tc.q, tc.lang); ok != tc.answers {
			t.Errorf("%q: answered %v, want %v", tc.q, ok, tc.answers)
		}
	}
}
