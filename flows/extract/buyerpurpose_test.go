package extract

import "testing"

// TestBuyerFromPurpose: what a purchase is for says who buys.
func TestBuyerFromPurpose(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "cerco una friggitrice da regalare a mio fratello", want: []string{"category|friggitrice|appliance", "buyer|da regalare|consumer"}},
		{text: "guarda, è un regalo", want: []string{"buyer|è un regalo|consumer"}},
		{text: "me l'hanno regalato", want: []string{"buyer|me l'hanno regalato|consumer"}},
		{text: "looking for a laptop for my nephew", want: []string{"category|laptop|laptop", "buyer|for my nephew|consumer"}},
		{text: "it was a present from my aunt", want: []string{"buyer|it was a present|consumer"}},
		{text: "a birthday present", want: []string{"buyer|a birthday present|consumer"}},
		// "per me" buys where it ends a clause that buys, or is the clause.
		{text: "un portatile comprato a marzo x me", want: []string{"category|portatile|laptop", "date|marzo|2025-03|cue=purchase", "buyer|x me|consumer"}},
		{text: "I need a phone for me", want: []string{"category|phone|phone", "buyer|for me|consumer"}},
		{text: "x me", want: []string{"buyer|x me|consumer"}},
		{text: "x me va bene", want: []string{}},
		// A business the customer runs.
		{text: "gestisco un bar in centro", want: []string{"buyer|gestisco un bar|business"}},
		{text: "we run a small hotel", want: []string{"buyer|we run a small hotel|business"}},
		// A gift a business gives, the company named as the customer's:
		// a business, whatever the gift.
		{text: "dieci cuffie da regalare ai dipendenti", want: []string{"quantity|dieci|10", "category|cuffie|headphones", "buyer|da regalare ai dipendenti|business"}},
		{text: "some gifts for our clients", want: []string{"buyer|gifts for our clients|business"}},
		{text: "un regalo per i collaboratori", want: []string{"buyer|un regalo per i collaboratori|business"}},
		{text: "il portatile della nostra ditta", want: []string{"category|portatile|laptop", "buyer|della nostra ditta|business"}},
	})
}

// TestHomeDevice: a device of the home or the family is a private
// buyer's; a phone of the home is a landline.
func TestHomeDevice(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "il portatile di casa nn si acende piu", want: []string{"category|portatile|laptop", "buyer|di casa|consumer", "defect|nn si acende piu|no_power"}},
		{text: "la tv di famiglia", want: []string{"category|tv|tv", "buyer|di famiglia|consumer"}},
		{text: "our family laptop", want: []string{"buyer|family|consumer", "category|laptop|laptop"}},
		{text: "the household tv", want: []string{"buyer|household|consumer", "category|tv|tv"}},
		// Not the buyer: a landline, a place, a button, someone else's.
		{text: "il telefono di casa", want: []string{"category|telefono|phone"}},
		{text: "consegna a casa del portatile", want: []string{"category|portatile|laptop"}},
		{text: "the laptop, home delivery please", want: []string{"category|laptop|laptop"}},
		{text: "il portatile di mia sorella", want: []string{"category|portatile|laptop"}},
		{text: "la chiave di casa", want: []string{}},
		// Who bought it, told otherwise, is the buyer: not whose home it is in.
		{text: "la tv di casa, presa con partita iva", want: []string{"category|tv|tv", "buyer|partita iva|business"}},
		{text: "the family laptop, bought for my company", want: []string{"category|laptop|laptop", "buyer|for my company|business"}},
		{text: "il portatile di casa, per la mia azienda", want: []string{"category|portatile|laptop", "buyer|per la mia azienda|business"}},
	})
}

// TestCountInWords: a count said in words, without a digit.
func TestCountInWords(t *testing.T) {
	runScanCases(t, []scanCase{
		{text: "a coffee machine, just the one", want: []string{"category|coffee machine|appliance", "quantity|one|1"}},
		{text: "one will do", want: []string{"quantity|one|1"}},
		{text: "ne basta uno", want: []string{"quantity|uno|1"}},
		{text: "un paio di portatili", want: []string{"quantity|un paio di|2", "category|portatili|laptop"}},
		{text: "a couple of tvs", want: []string{"quantity|a couple of|2", "category|tvs|tv"}},
		{text: "half a dozen phones", want: []string{"quantity|half a dozen|6", "category|phones|phone"}},
	})
}
