package flows

import (
	"context"
	"strings"
	"testing"
)

// A purchase that names the thing with an indefinite article wants one
// of it: the count is filled with 1 (with the article as its span, at a
// low confidence) and not asked; a plural, a number or "un paio" say
// otherwise, and money stays money.
func TestArticleCountsOne(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, want, not string
	}{
		{"it", "buongiorno, vorrei acquistare una friggitrice", `set_slot(quantity=1 "una friggitrice" 0.60)`, ""},
		{"it", "cerco uno smartphone per mio padre", `quantity=1 "uno smartphone"`, ""},
		{"it", "vorrei comprare un altro aspirapolvere dyson", `quantity=1 "un altro aspirapolvere"`, ""},
		{"it", "mi piacerebbe un portatile sui 700 euro", `quantity=1 "un portatile"`, "quantity=700"},
		{"en", "hi, I'm looking for a coffee machine", `quantity=1 "a coffee machine"`, ""},
		{"en", "we'd like to buy a new laptop for the reception", `quantity=1 "a new laptop"`, ""},
		{"en", "thinking of buying an iphone 15, budget 800", `quantity=1 "an iphone 15"`, "quantity=800"},
		// Near misses.
		{"it", "vorremmo dei portatili per lo studio", "start_flow(sales", "quantity="},
		{"en", "we need some laptops for the new hires", "", "quantity="},
		{"en", "i need a few phones for my staff", "", "quantity="},
		{"it", "vorrei un paio di friggitrici", "quantity=2", "quantity=1"},
		{"en", "we want laptops for 8 people", "quantity=8", "quantity=1"},
		{"en", "how much is the lg oled?", "", "quantity="},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := commandsText(understandIn(t, b, tc.lang, tc.text))
			if !strings.Contains(got, tc.want) || tc.not != "" && strings.Contains(got, tc.not) {
				t.Errorf("commands %s, want %q and no %q", got, tc.want, tc.not)
			}
		})
	}
}

// After a count of one, another count the customer tells corrects it,
// though the bot asked something else: "ne prendiamo tre", or a bare "3"
// for the question of the budget (which no budget is). The budget's own
// answers stay the budget's, and the count told again beside a budget
// ("solo una, massimo 500") corrects nothing.
func TestCountAfterOne(t *testing.T) {
	b := mustShop(t)
	slots := func() map[string]string {
		return map[string]string{"category": "appliance", "product": "philips-airfryer", "quantity": "1"}
	}
	for _, tc := range []struct {
		lang, pending, text, want, not string
	}{
		{"it", "budget", "3", "correct_slot(quantity=3", ""},
		{"en", "budget", "three", "correct_slot(quantity=3", ""},
		{"it", "buyer", "ah, ne prendiamo tre", "correct_slot(quantity=3", ""},
		{"it", "contact", "scusa, ne servono quattro", "correct_slot(quantity=4", ""},
		// Near misses.
		{"it", "budget", "500", "set_slot(budget=500", "quantity="},
		{"en", "budget", "just the one, 500 max", "budget=500", "quantity=500"},
		{"it", "budget", "solo una, massimo 500", "budget=500", "quantity=500"},
		{"it", "buyer", "250", "", "quantity="},
	} {
		t.Run(tc.pending+": "+tc.text, func(t *testing.T) {
			in := Input{Text: tc.text, Lang: tc.lang, Now: june3, State: State{Flow: "sales", Slot: tc.pending, Slots: slots()}}
			cmds, err := rules{b}.Understand(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			got := commandsText(cmds)
			if !strings.Contains(got, tc.want) || tc.not != "" && strings.Contains(got, tc.not) {
				t.Errorf("commands %s, want %q and no %q", got, tc.want, tc.not)
			}
		})
	}
}
