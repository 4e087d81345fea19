package extract

import "testing"

func TestNumber(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"2", 2}, {"10 pezzi", 10}, {"ne vorrei 3", 3}, {"1.000", 1000}, {"1,000 units", 1000},
		{"due", 2}, {"Due, grazie", 2}, {"tre pezzi", 3}, {"ventitré", 23}, {"ventuno", 21},
		{"trentotto", 38}, {"cento", 100}, {"centottanta", 180}, {"duecentocinquanta", 250},
		{"mille", 1000}, {"duemila", 2000}, {"duemilacinquecento", 2500}, {"due mila", 2000},
		{"two", 2}, {"Two please", 2}, {"twenty one", 21}, {"twenty-one", 21},
		{"a hundred and five", 105}, {"one hundred", 100}, {"two thousand", 2000},
		{"una dozzina", 12}, {"a dozen", 12}, {"mezza dozzina", 6}, {"half a dozen", 6},
		{"un paio", 2}, {"a couple", 2}, {"ne voglio una", 1}, {"uno solo", 1}, {"one", 1},
		{"zero", 0}, {"nessuno", 0}, {"sei", 6}, {"dodici", 12}, {"diciannove", 19},
		{"me ne servono 2 o 3", 2}, {"tre o 4", 3},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got, ok := Number(tt.text, ""); !ok || got != tt.want {
				t.Errorf("Number(%q) = %d, %v; want %d", tt.text, got, ok, tt.want)
			}
		})
	}
}

func TestNumberNone(t *testing.T) {
	for _, text := range []string{"", "ciao", "boh", "a", "non so", "tanti", "2,5", "several", "il mio telefono"} {
		t.Run(text, func(t *testing.T) {
			if got, ok := Number(text, ""); ok {
				t.Errorf("Number(%q) = %d; want none", text, got)
			}
		})
	}
}

func TestMoney(t *testing.T) {
	tests := []struct {
		text   string
		amount float64
		cur    string
	}{
		{"800 euro", 800, "EUR"},
		{"800€", 800, "EUR"},
		{"€1.200", 1200, "EUR"},
		{"€ 1.200", 1200, "EUR"},
		{"1.200,50 €", 1200.50, "EUR"},
		{"1,200.50 EUR", 1200.50, "EUR"},
		{"EUR 300", 300, "EUR"},
		{"1,5k", 1500, ""},
		{"1.5k euro", 1500, "EUR"},
		{"$900", 900, "USD"},
		{"900 dollars", 900, "USD"},
		{"£450", 450, "GBP"},
		{"tra 500 e 800 euro", 800, "EUR"},
		{"between 500 and 800 dollars", 800, "USD"},
		{"500-800€", 800, "EUR"},
		{"€500-800", 800, "EUR"},
		{"da 300 a 400 euro", 400, "EUR"},
		{"fino a 1000 euro", 1000, "EUR"},
		{"massimo 600 euro", 600, "EUR"},
		{"vorrei spendere sui 700 euro", 700, "EUR"},
		{"2 mila euro", 2000, "EUR"},
		{"mille euro", 1000, "EUR"},
		{"duemila euro", 2000, "EUR"},
		{"two hundred dollars", 200, "USD"},
		{"12,99 €", 12.99, "EUR"},
		{"800", 800, ""},
		{"budget 1200", 1200, ""},
		{"l'ho preso 2 anni fa a 800 euro", 800, "EUR"},
		{"il 15/03/2025 ho pagato 349 euro", 349, "EUR"},
		{"10 pezzi a 5 euro", 5, "EUR"},
		{"1'200 CHF", 1200, "CHF"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, cur, ok := Money(tt.text, "")
			if !ok || got != tt.amount || cur != tt.cur {
				t.Errorf("Money(%q) = %v %q %v; want %v %q", tt.text, got, cur, ok, tt.amount, tt.cur)
			}
		})
	}
}

func TestMoneyNone(t *testing.T) {
	for _, text := range []string{"", "ciao", "boh", "non lo so", "2 anni", "64 GB", "il 15/03/2025", "20%", "dieci pezzi", "euro"} {
		t.Run(text, func(t *testing.T) {
			if got, cur, ok := Money(text, ""); ok {
				t.Errorf("Money(%q) = %v %q; want none", text, got, cur)
			}
		})
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		s    string
		want float64
		ok   bool
	}{
		{"800", 800, true}, {"1.200", 1200, true}, {"1,200", 1200, true}, {"1.200,50", 1200.5, true},
		{"1,200.50", 1200.5, true}, {"1,5", 1.5, true}, {"12.50", 12.5, true}, {"1.000.000", 1e6, true},
		{"1'200", 1200, true}, {"15.03.2025", 0, false}, {"1.2.3", 0, false}, {"1.2000", 0, false},
		{"1,200,5", 0, false}, {"1.200.50", 0, false}, {"1234.567", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseAmount(tt.s)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("parseAmount(%q) = %v, %v; want %v, %v", tt.s, got, ok, tt.want, tt.ok)
		}
	}
}

func TestQuantityAfterInfinitiveWithNe(t *testing.T) {
	for _, text := range []string{"vorrei comprarne due", "devo ordinarne 5 per l'ufficio", "pensavo di prenderne tre"} {
		var got string
		for _, v := range Scan(text, Options{Lang: "it"}) {
			if v.Kind == KindQuantity {
				got = v.Value
			}
		}
		if got == "" {
			t.Errorf("%q: no quantity", text)
		}
	}
}

// "esterne", "interne" end like an infinitive with ne, but are adjectives:
// the number after them counts nothing.
func TestAdjectiveLikeAnInfinitiveWithNeCountsNothing(t *testing.T) {
	for _, text := range []string{"vorrei un hard disk con porte esterne 2", "le memorie interne 2"} {
		for _, v := range Scan(text, Options{Lang: "it"}) {
			if v.Kind == KindQuantity {
				t.Errorf("%q: quantity %s", text, v.Value)
			}
		}
	}
}

// TestCountOpeningSeveralAnswers: a number word that opens a message
// answering several questions without commas counts, as it does with
// them ("one, max 700"); an article before a noun, or a count per
// something, does not.
func TestCountOpeningSeveralAnswers(t *testing.T) {
	quantity := func(text, lang string) string {
		for _, v := range Scan(text, Options{Lang: lang}) {
			if v.Kind == KindQuantity {
				return v.Value
			}
		}
		return ""
	}
	for _, c := range []struct{ text, lang, want string }{
		{"one max 900 euros", "en", "1"},
		{"two around 400 each", "en", "2"},
		{"ok due budget 800 a testa", "it", "2"},
		{"una sui 300 euro per casa", "it", "1"},
		{"si tre massimo 1000", "it", "3"},
		{"three for the office", "en", "3"},
	} {
		if got := quantity(c.text, c.lang); got != c.want {
			t.Errorf("%q: quantity %q, want %q", c.text, got, c.want)
		}
	}
	for _, c := range []struct{ text, lang string }{
		{"a budget of 700 would do", "en"},
		{"an around the clock service?", "en"},
		{"un budget di 500", "it"},
		{"una spesa di 500 al massimo", "it"},
		{"one per room", "en"},
		{"one for each room", "en"},
		{"vorrei sapere una cosa sui 300 euro", "it"},
	} {
		if got := quantity(c.text, c.lang); got != "" {
			t.Errorf("%q: quantity %q, want none", c.text, got)
		}
	}
}
