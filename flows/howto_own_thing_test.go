package flows

import "testing"

// TestAProductPageAnswersNoOtherThingOfTheCustomers: a how-to question
// about a thing of the customer's that the catalogue does not hold ("my
// password", "il mio router") gets no answer from a product's page that
// only shares a word with it (the TV's factory reset says to write the
// Wi-Fi password down); the same page still answers the product's
// how-to, named or not.
func TestAProductPageAnswersNoOtherThingOfTheCustomers(t *testing.T) {
	b := mustShop(t)
	ix := b.Knowledge()
	if ix == nil {
		t.Fatal("the demo has no pages")
	}
	for _, tc := range []struct {
		lang, q string
		answers bool
	}{
		{"en", "how can I reset my password please?", false},
		{"en", "how do I reset my router to factory settings?", false},
		{"it", "come faccio a resettare la password del mio profilo?", false},
		{"it", "come ripristino il mio modem?", false},
		// Near misses: the page's own subject.
		{"en", "how do I reset it to factory settings?", true},
		{"en", "how do I do a factory reset on my lg tv?", true},
		{"it", "come si ripristinano le impostazioni di fabbrica?", true},
		{"en", "how do I descale my coffee machine?", true},
	} {
		if _, ok := b.docsAnswer(ix, tc.q, tc.lang); ok != tc.answers {
			t.Errorf("%q: answered %v, want %v", tc.q, ok, tc.answers)
		}
	}
}
