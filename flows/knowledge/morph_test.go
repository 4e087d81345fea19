package knowledge

import "testing"

// TestDerivedFormsMeet: a question asking with one form of a word finds
// the page that has another, which the stemmer and the prefix leave apart
// (nato and nacque, morto and morì, vinto and vittoria, scritto and
// scrisse): each right page is the second of two that hold the question's
// other words alike, so that without the families the first is found.
func TestDerivedFormsMeet(t *testing.T) {
	doc := func(id, body string) Document {
		return Document{ID: id, Title: "Storie", Lang: "it", Line: 1, Body: body}
	}
	docs := []Document{
		doc("pittore-mostra", "Il pittore Mario Bianchi espose a Siena."),
		doc("pittore-nascita", "Il pittore Mario Bianchi nacque a Siena."),
		doc("poeta-vita", "Il poeta Luca Neri abitava a Lucca."),
		doc("poeta-morte", "Il poeta Luca Neri morì a Lucca."),
		doc("regata-partenza", "La partenza della regata toccò al circolo del porto."),
		doc("regata-vittoria", "La vittoria della regata toccò al circolo del porto."),
		doc("romanzo-radio", "Il romanzo della valle lo lesse Anna Riva alla radio."),
		doc("romanzo-autrice", "Il romanzo della valle lo scrisse Anna Riva da giovane."),
		doc("stati", "Gli Stati Uniti contano cinquanta stati."),
		doc("unione", "L'unione dei comuni conta cinquanta stati membri."),
	}
	ix := NewIndex(docs, Options{})
	p := defaultParams
	p.derive = 0
	plain := newIndex(docs, Options{}, p)
	for _, tt := range []struct{ q, want, before string }{
		{"Dove è nato il pittore Mario Bianchi?", "pittore-nascita", "pittore-mostra"},
		{"Dove è morto il poeta Luca Neri?", "poeta-morte", "poeta-vita"},
		{"Chi ha vinto la regata del porto?", "regata-vittoria", "regata-partenza"},
		{"Chi ha scritto il romanzo della valle?", "romanzo-autrice", "romanzo-radio"},
		// Near misses: no family, the order is the words' alone.
		{"Quanti stati contano gli Stati Uniti?", "stati", "stati"}, // uniti is not unione
		{"Chi lesse il romanzo della valle alla radio?", "romanzo-radio", "romanzo-radio"},
	} {
		if got := top(t, plain, tt.q, "it"); got != tt.before {
			t.Errorf("without the families %q found %s first, want %s (the test's premise)", tt.q, got, tt.before)
		}
		if got := top(t, ix, tt.q, "it"); got != tt.want {
			t.Errorf("%q found %s first, want %s", tt.q, got, tt.want)
		}
	}
	if fam := familiesIT[stems("uniti")[langIT]]; len(fam) != 0 {
		t.Errorf("uniti has a family %v: the Stati Uniti would meet every unione", fam)
	}
}
