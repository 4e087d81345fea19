package extract

import "testing"

// TestSlippedFall: a product that slipped from a hand, a bag or a table,
// named after the verb or not, is a fall; a price or a date that slipped
// or dropped is none.
func TestSlippedFall(t *testing.T) {
	for _, tc := range []struct {
		text string
		drop bool
	}{
		{"ieri mi è scivolato il telefono dalla tasca e ora lo schermo è nero", true},
		{"mi è sfuggito di mano il tablet", true},
		{"gli è scivolato il portatile dal tavolo", true},
		{"mi è sfuggito il cellulare dallo zaino mentre correvo", true},
		{"it slipped out of my hand this morning", true},
		{"my son knocked it off the table", true},
		{"l'ho fatto cadere in cucina", true},
		// Near misses.
		{"il prezzo è scivolato sotto i 300 euro?", false},
		{"the price dropped last week, can I get the difference?", false},
		{"mi è sfuggito il vostro messaggio di ieri", false},
		{"la consegna è scivolata a lunedì", false},
	} {
		got := false
		for _, v := range Scan(tc.text, Options{Now: now, Shop: demoShop}) {
			got = got || v.Kind == KindDamage && v.Value == "drop"
		}
		if got != tc.drop {
			t.Errorf("%q: drop %v, want %v: %v", tc.text, got, tc.drop, Scan(tc.text, Options{Now: now, Shop: demoShop}))
		}
	}
}
