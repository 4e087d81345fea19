package flows

import "testing"

// TestShopAsksForSeller: asking to talk to a salesperson is asking for a
// person, of the sales team, beside the answer to a question of the same
// message; complaining about one is not.
func TestShopAsksForSeller(t *testing.T) {
	for _, tc := range []struct {
		name, hint, text string
		team, reply      string
	}{
		{"it", "it", "vorrei parlare con un commesso, sto valutando un portatile", "sales", "Vendite"},
		{"it with a question", "it", "fino a che ora siete aperti oggi? e poi vorrei sentire un venditore per un telefono", "sales", "lunedì"},
		{"en", "en", "can I speak to a salesperson about a new tv please", "sales", "Sales"},
		{"the sales team named, it", "it", "mi passate qualcuno dell'ufficio vendite? ci servono sei portatili per lo studio", "sales", "Vendite"},
		{"the sales team named, en", "en", "could I talk to someone from sales? we need a dozen phones for the staff", "sales", "Sales"},
		{"a bulk order, en", "en", "I'd like to talk to someone in sales about a bulk order of air fryers for our restaurants", "sales", "Sales"},
		{"a bulk order with a count, en", "en", "I want to speak to someone in sales about a bulk order of 10 phones for our new shop", "sales", "Sales"},
		{"a bulk order, it", "it", "vorrei parlare con qualcuno delle vendite per un ordine di 12 portatili per il nostro studio", "sales", "Vendite"},
		{"a complaint", "it", "il vostro commesso mi ha trattato male al telefono", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = tc.hint
			out := d.say(tc.text)
			if tc.reply != "" {
				contains(t, out, tc.reply)
			}
			h := d.last.Handoff
			switch {
			case tc.team == "" && h != nil && h.Team == "sales":
				t.Fatalf("handoff %+v for a complaint", h)
			case tc.team != "" && (h == nil || h.Team != tc.team):
				t.Fatalf("handoff %+v, want %s", h, tc.team)
			}
		})
	}
}
