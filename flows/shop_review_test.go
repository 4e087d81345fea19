package flows

import (
	"strings"
	"testing"
)

// "no, budget 800" to "a model in mind?" says no model and gives the
// budget: the budget is kept, not declined, and the model is not asked
// again.
func TestShopNoThenBudgetKeepsTheBudget(t *testing.T) {
	for _, c := range []struct{ lang, text string }{
		{"it", "no, budget 800 euro a pezzo"},
		{"en", "no, budget is 800 euros"},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		d.say(map[string]string{"it": "vorrei comprare un portatile", "en": "I want to buy a laptop"}[c.lang])
		d.say(c.text)
		if d.s.Slots["budget"] != "800 EUR" {
			t.Errorf("%q: budget %q, want 800 EUR (slots %v)", c.text, d.s.Slots["budget"], d.s.Slots)
		}
	}
}

// "rendere" is also "to make": making the coffee hotter is no return.
func TestShopMakeItBetterIsNoReturn(t *testing.T) {
	for _, text := range []string{
		"come faccio a rendere il caffe della delonghi piu caldo?",
	} {
		d := newDriver(t, mustShop(t), june2025)
		out := d.say(text)
		if d.s.Flow == "returns" || strings.Contains(out, "diritto di recesso") {
			t.Errorf("%q started a return:\n%s", text, out)
		}
	}
}

// A question about the warranty is no description of a defect: the bot
// asks what is wrong instead of filing the question as the defect.
func TestShopWarrantyQuestionIsNoDefect(t *testing.T) {
	for _, c := range []struct{ lang, text string }{
		{"it", "ciao, ho comprato da voi un portatile lenovo a novembre per mia figlia che va all'universita, volevo sapere se la garanzia vale anche per la batteria"},
		{"en", "hi, I bought a lenovo laptop from your store in november for my daughter who studies abroad, does the warranty also cover the battery?"},
		{"it", "salve, il televisore samsung che ho preso da voi per mio padre, fino a quando e coperto dalla garanzia legale?"},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		d.say(c.text)
		if v := d.s.Slots["defect"]; v != "" {
			t.Errorf("%q: defect %q, want none", c.text, v)
		}
	}
}

// "My laptop has the same problem": the same problem, not the same
// product; the phone the customer bought before is not the laptop.
func TestShopSameProblemIsNotTheSameProduct(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.hint = "en"
	d.say("I want to buy an iphone 15")
	d.say("1")
	d.say("no budget")
	d.say("private")
	d.say("mario@example.com")
	d.say("my laptop has the same problem as last time, it won't turn on")
	if d.s.Flow != "warranty" || d.s.Slots["product"] != "" {
		t.Errorf("flow %q, slots %v: want warranty without a product", d.s.Flow, d.s.Slots)
	}
	d = newDriver(t, mustShop(t), june2025)
	d.say("il mio pixel 8 non si accende")
	d.say("marzo 2024")
	d.say("privato")
	d.say("vorrei comprare anche un portatile, lo stesso colore se possibile")
	if p := d.s.Slots["product"]; p == "pixel-8" {
		t.Errorf("flow %q, slots %v: the phone became the laptop's model", d.s.Flow, d.s.Slots)
	}
}

// A return asked about while giving the contact does not lose the sales
// lead: the contact answers, and the lead goes to Sales.
func TestShopReturnQuestionWithTheContactKeepsTheLead(t *testing.T) {
	for _, c := range []struct{ lang, text string }{
		{"it", "mario@example.com, ma se non mi piace posso restituirlo?"},
		{"en", "mario@example.com. and if it doesn't suit me can I send it back?"},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		if c.lang == "it" {
			d.say("vorrei comprare un portatile")
			d.say("salta")
			d.say("2")
			d.say("800")
			d.say("privato")
		} else {
			d.say("I want to buy a laptop")
			d.say("skip")
			d.say("2")
			d.say("800")
			d.say("private")
		}
		d.say(c.text)
		if h := d.last.Handoff; h == nil || h.Team != "sales" {
			t.Errorf("%q: flow %q, handoff %+v: want the lead handed to sales", c.text, d.s.Flow, h)
		}
	}
}

// A repair the shop sends back is no return.
func TestShopRepairSentBackIsNoReturn(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.hint = "en"
	text := "when will you send back my laptop from the repair?"
	d.say(text)
	if d.s.Flow != "warranty" {
		t.Errorf("%q: flow %q, want warranty", text, d.s.Flow)
	}
}

// A phone named while buying a laptop is not the laptop's model: the
// sales lead keeps the laptop.
func TestShopAnotherCategorysProductIsNotTheLeadsModel(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.hint = "en"
	d.say("I want to buy a laptop")
	d.say("skip")
	d.say("2")
	d.say("800")
	d.say("private. also my pixel 8 won't turn on anymore, can you help?")
	if d.s.Flow == "sales" && (d.s.Slots["product"] == "pixel-8" || d.s.Slots["category"] != "laptop") {
		t.Errorf("slots %v: the Pixel 8 became the laptop lead's model", d.s.Slots)
	}
}

// A person asked for about a purchase the message already describes is a
// salesperson, and the case card carries what was told.
func TestShopPersonForAPurchaseIsSales(t *testing.T) {
	for _, c := range []struct{ lang, text, slot, want string }{
		{"en", "I want to talk to a real person about buying 3 laptops, my number is 3331234567", "quantity", "3"},
		{"it", "posso parlare con una persona? mi servono 5 portatili per l'ufficio", "quantity", "5"},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		d.say(c.text)
		h := d.last.Handoff
		if h == nil || h.Team != "sales" || h.Slots[c.slot] != c.want {
			t.Errorf("%q: case %+v, want sales with %s %s", c.text, h, c.slot, c.want)
		}
	}
}

// A question without its question mark ("will the x fit the y") is still
// a question: no claim is opened from a product named in it.
func TestShopQuestionWithoutMarkIsNoClaim(t *testing.T) {
	for _, text := range []string{
		"will the thinkpad charger work with the hp pavilion",
		"would a magnifica descaler work on the philips airfryer too",
	} {
		d := newDriver(t, mustShop(t), june2025)
		out := d.say(text)
		if d.s.Flow == "warranty" {
			t.Errorf("%q started a claim:\n%s", text, out)
		}
	}
	if !isQuestion("avete anche le cover per il pixel") || isQuestion("the screen flickers") {
		t.Errorf("isQuestion reads a first word of a question wrong")
	}
}

// "e" after a clitic is "è" without its accent: "mi e caduto e si e rotto"
// is two clauses, not four, so a question after it is still read.
func TestAccentlessIsIsNoAnd(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int
	}{
		{"il frullatore mi e caduto e il vetro si e rotto", 2},
		{"non e arrivato e non e partito", 2},
		{"vorrei un portatile e una tv", 2},
	} {
		if got := len(splitClauses(tc.text)); got != tc.want {
			t.Errorf("splitClauses(%q) = %d clauses, want %d: %v", tc.text, got, tc.want, splitClauses(tc.text))
		}
	}
}

// A dot inside a word (an e-mail, a web address, a decimal) ends no
// sentence.
func TestSentencesKeepDottedWords(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int
	}{
		{"scrivete a mario.rossi@example.it. poi vi chiamo", 2},
		{"see www.shop.example.com. thanks", 2},
		{"the 1.5 litre one. and the blue one?", 2},
	} {
		if got := sentences(tc.text); len(got) != tc.want {
			t.Errorf("sentences(%q) = %q, want %d", tc.text, got, tc.want)
		}
	}
}

// A yes to "would you like a quote for a paid repair?" that says the
// quote again ("yes, send me the quote") asks for nothing new: the
// repair's case is handed off, no purchase starts.
func TestShopYesThatEchoesTheQuestionStartsNothing(t *testing.T) {
	for _, c := range []struct{ lang, claim, yes string }{
		{"it", "il mio pixel 8 comprato a gennaio 2022 non si accende piu, sono un privato", "si, vorrei un preventivo"},
		{"en", "my pixel 8 bought in january 2022 won't turn on anymore, I'm a private customer", "yes, I'd like a quote"},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		d.say(c.claim)
		if d.s.Slots["warranty"] != WarrantyExpired {
			t.Fatalf("%q: warranty %q, want expired (slots %v)", c.claim, d.s.Slots["warranty"], d.s.Slots)
		}
		out := d.say(c.yes)
		if d.s.Flow == "sales" || d.last.Handoff == nil || d.last.Handoff.Team != "support" {
			t.Errorf("%q: flow %q, handoff %+v, want the repair's case for support:\n%s", c.yes, d.s.Flow, d.last.Handoff, out)
		}
	}
}

// A question held back by a few words and a comma ("wait, where is...")
// or by "first", "prima" is a question; a greeting before a story is not.
func TestIsQuestionAfterAFewWords(t *testing.T) {
	for text, want := range map[string]bool{
		"wait, where is order SP-100200":        true,
		"first where is my parcel":              true,
		"ok, quando arriva il pacco":            true,
		"ciao, si è rotto lo schermo del pixel": false,
		"hi there, the tv flickers":             false,
	} {
		if got := isQuestion(text); got != want {
			t.Errorf("isQuestion(%q) = %v, want %v", text, got, want)
		}
	}
}

// At the offer to start a return, "wait, first where is my order X"
// asks for the order's status.
func TestShopOrderQuestionAtTheReturnOffer(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.hint = "en"
	d.say("how do returns work with you?")
	out := d.say("wait, first where is order SP-123456")
	if strings.Contains(out, "start a return") || !strings.Contains(out, "SP-123456") {
		t.Errorf("the order's status is not looked at:\n%s", out)
	}
}

// "a dead pixel line" on the customer's TV is a defect of the TV: the
// word "pixel" is no Google Pixel.
func TestShopDeadPixelIsNoPixelPhone(t *testing.T) {
	for _, c := range []struct{ lang, text string }{
		{"en", "my lg oled bought in march has a dead pixel line"},
		{"it", "la mia lg oled comprata a marzo ha un pixel morto"},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		out := d.say(c.text)
		if d.s.Flow != "warranty" || d.s.Slots["product"] != "lg-oled-55" || d.s.Slots["defect"] == "" {
			t.Errorf("%q: flow %q, slots %v, want a claim for the LG OLED:\n%s", c.text, d.s.Flow, d.s.Slots, out)
		}
	}
}

// The price or the stock of a product the shop sells is asked of a
// salesperson: the sale starts with the product; the cost of shipping
// stays the FAQ's.
func TestShopPriceOfAProductIsASale(t *testing.T) {
	for _, c := range []struct{ lang, text, flow string }{
		{"it", "quanto costa il thinkpad?", "sales"},
		{"en", "how much is the pixel 8?", "sales"},
		{"en", "what's the price of the macbook air?", "sales"},
		{"it", "c'è disponibile il dyson v8?", "sales"},
		{"it", "avete in negozio la sony bravia?", "sales"},
		{"it", "quanto costa riparare il pixel 8?", "warranty"}, // a repair's price: the claim's quote
		{"en", "how much does it cost to fix an lg oled?", "warranty"},
		{"it", "quanto costa la spedizione del televisore?", ""},
		{"en", "do you price match if the tv is cheaper elsewhere?", ""},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		out := d.say(c.text)
		if d.s.Flow != c.flow {
			t.Errorf("%q: flow %q, want %q:\n%s", c.text, d.s.Flow, c.flow, out)
		}
	}
}
