package extract

import "testing"

// A product, a category or a brand named with an indefinite article, right
// after it or after an adjective or a size, is named as one thing
// (Value.One); a plural, a definite article, a number or the Italian "a"
// (a preposition) name no count of one.
func TestNamedAsOne(t *testing.T) {
	for _, tc := range []struct {
		lang, text, want string
	}{
		{"it", "salve, mi interessa una friggitrice per la cucina", "una friggitrice"},
		{"it", "vorrei un bel televisore per la sala", "un bel televisore"},
		{"it", "cerco uno smartphone economico", "uno smartphone"},
		{"en", "thinking of getting a new coffee machine", "a new coffee machine"},
		{"en", "after an iphone for my dad", "an iphone"},
		{"en", "we want a 13 inch laptop for the front desk", "a 13 inch laptop"},
		// Near misses.
		{"it", "ci servono dei portatili per lo studio", ""},
		{"it", "la friggitrice philips costa tanto?", ""},
		{"it", "vorrei passare a samsung", ""},
		{"en", "we need a few laptops for the new hires", ""},
		{"en", "how much is the coffee machine", ""},
		{"en", "two laptops for the office", ""},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := ""
			for _, v := range Scan(tc.text, Options{Lang: tc.lang, Shop: demoShop}) {
				if v.One != "" {
					got = v.One
				}
			}
			if got != tc.want {
				t.Errorf("named as one %q, want %q (%+v)", got, tc.want, Scan(tc.text, Options{Lang: tc.lang, Shop: demoShop}))
			}
		})
	}
}

// A number that opens a message before the word of another answer counts
// only where that answer's amount follows: "one max 700 euros" is a count
// and a budget, "800 max" alone a budget.
func TestOpensAnswersWithAmount(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool // a quantity is read
	}{
		{"one max 800 euros", true},
		{"due circa 450 euro l'uno", true},
		{"una budget 300", true},
		{"800 max", false},
		{"450 circa", false},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := false
			for _, v := range Scan(tc.text, Options{Shop: demoShop}) {
				got = got || v.Kind == KindQuantity
			}
			if got != tc.want {
				t.Errorf("quantity read %v, want %v (%+v)", got, tc.want, Scan(tc.text, Options{Shop: demoShop}))
			}
		})
	}
}

// A number counts the shop's things named as theirs ("one of your
// airfryers", "uno dei vostri portatili"), and a number wanted before a
// condition ("I'd take three if...", "ne prenderei due se...") counts.
func TestCountOfYoursAndIf(t *testing.T) {
	for _, tc := range []struct {
		lang, text, want string // want: the quantity read, "" for none
	}{
		{"en", "i would like one of your dyson vacuums", "1"},
		{"it", "vorrei uno dei vostri portatili hp", "1"},
		{"en", "we'd take three if you can deliver by friday", "3"},
		{"it", "ne prenderei due se il prezzo va bene", "2"},
		// Near misses.
		{"en", "one of your staff called me yesterday", ""},
		{"en", "i'll buy it if the price is right", ""},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := ""
			for _, v := range Scan(tc.text, Options{Lang: tc.lang, Shop: demoShop}) {
				if v.Kind == KindQuantity {
					got = v.Value
				}
			}
			if got != tc.want {
				t.Errorf("quantity %q, want %q (%+v)", got, tc.want, Scan(tc.text, Options{Lang: tc.lang, Shop: demoShop}))
			}
		})
	}
}

// Wanting to give the purchase ("vorrei regalare", "voglio regalare a mio
// fratello") tells a private buyer; a gift to the business's clients a
// business.
func TestGiftVerbBuyer(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"voglio regalare un pixel 8 a mio fratello", "consumer"},
		{"volevo regalare una friggitrice a mia zia per natale", "consumer"},
		{"vorremmo regalare ai nostri clienti degli aspirapolvere", "business"},
		// Near miss.
		{"mi hanno detto di non regalare niente", ""},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := ""
			for _, v := range Scan(tc.text, Options{Lang: "it", Shop: demoShop}) {
				if v.Kind == KindBuyer {
					got = v.Value
				}
			}
			if got != tc.want {
				t.Errorf("buyer %q, want %q", got, tc.want)
			}
		})
	}
}
