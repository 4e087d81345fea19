package flows

import (
	"slices"
	"strings"
	"testing"
)

// A kind of product the shop sells one model of is that model: the
// warranty claim for "the air fryer" does not ask which one.
func TestCategoryOfOneProductNamesIt(t *testing.T) {
	for _, tc := range []struct {
		name, lang, say, asks string
	}{
		{"it", "it", "la friggitrice fa fumo nero", "quando l'hai acquistato"},
		{"en", "en", "my air fryer smells of burnt plastic", "when did you buy"},
		{"several models: the model is asked", "it", "il mio elettrodomestico perde acqua", "modello"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = tc.lang
			contains(t, d.say(tc.say), tc.asks)
		})
	}
	var got []string
	for _, f := range mustShop(t).read("vorrei una friggitrice", "it", june2025, "") {
		got = append(got, string(f.kind)+"="+f.value)
	}
	if want := []string{"category=appliance", "product=philips-airfryer"}; !slices.Equal(got, want) {
		t.Errorf("\"vorrei una friggitrice\" reads as %v, want %v", got, want)
	}
}

// A doubt that still gives the value answers the question with it: "non
// ricordo di preciso" is no "I don't know" when a date follows.
func TestDoubtWithAValueGivesTheValue(t *testing.T) {
	for _, tc := range []struct {
		name, lang, answer, date string
	}{
		{"it", "it", "non ricordo di preciso, forse a novembre dell'anno scorso", "2024-11"},
		{"en", "en", "not sure, I think autumn of last year", "2024-10"},
		{"no value: skipped", "en", "I don't remember", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = tc.lang
			d.say("the pixel 8 screen flickers")
			if d.s.Step == "" || d.s.Slots["product"] != "pixel-8" {
				t.Fatalf("after the opening: step %q, slots %v", d.s.Step, d.s.Slots)
			}
			d.say(tc.answer)
			if got, ok := d.s.Slots["purchase_date"]; !ok || got != tc.date {
				t.Errorf("after %q the purchase date is %q (set %v), want %q", tc.answer, got, ok, tc.date)
			}
		})
	}
}

// A known value told again in answer to an optional question goes past
// it, as a new value would: the buyer known from "per mia madre", the
// budget question answered "privato" is not asked a third time.
func TestKnownValueToldAgainGoesPastTheQuestion(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.say("vorrei comprare un dyson v8 per mio padre")
	if d.s.Slots["buyer"] != "consumer" {
		t.Fatalf("buyer %q after \"per mio padre\", want consumer", d.s.Slots["buyer"])
	}
	d.say("uno")
	out := d.say("privato")
	if strings.Contains(out, "budget") {
		t.Errorf("after \"privato\" the bot asked the budget again:\n%s", out)
	}
}

// Not knowing the model, in answer to "which model?", goes on without
// it rather than asking again.
func TestModelNotKnownAnswersTheQuestion(t *testing.T) {
	for _, tc := range []struct{ lang, opening, answer string }{
		{"it", "il portatile non si accende più", "boh, il modello proprio non me lo ricordo"},
		{"en", "my tv has lines on the screen", "dunno the model, it's black"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = tc.lang
			d.say(tc.opening)
			d.say(tc.answer)
			if v, ok := d.s.Slots["product"]; !ok || v != "" {
				t.Errorf("after %q the product is %q (set %v), want it skipped", tc.answer, v, ok)
			}
		})
	}
}

// "make that 4" asked for the budget corrects how many: a budget of 4
// euros is no budget.
func TestMakeThatCorrectsTheCount(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.hint = "en"
	d.say("we need 2 macbook air for the office")
	if d.s.Slots["quantity"] != "2" {
		t.Fatalf("quantity %q after the opening, want 2", d.s.Slots["quantity"])
	}
	d.say("sorry, make that 5")
	if got := d.s.Slots["quantity"]; got != "5" {
		t.Errorf("quantity %q, want 5", got)
	}
	if got := d.s.Slots["budget"]; got != "" {
		t.Errorf("budget %q, want none", got)
	}
}

// A year given after the bot refused a date in the future keeps the day
// and the month of the refused one.
func TestYearAfterAFutureDateKeepsDayAndMonth(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.say("il pixel 8 non si accende")
	contains(t, d.say("l'ho comprato il 3 settembre 2025"), "futur")
	d.say("scusa, 2024")
	if got := d.s.Slots["purchase_date"]; got != "2024-09-03" {
		t.Errorf("purchase date %q, want 2024-09-03", got)
	}
}

// An order number and its postcode beside the products of the order
// fit the order's status as well as a claim: they do not make one.
func TestOrderValuesMakeNoClaim(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.say("sto a torino 10121, volevo sapere che fine ha fatto la spedizione SP-123456 con le due tv")
	if d.s.Flow == "warranty" {
		t.Errorf("flow %q, want no warranty claim (slots %v)", d.s.Flow, d.s.Slots)
	}
}

// An amount that says how much cheaper or dearer something is elsewhere is
// no budget: "a price match" is not a sale of that size.
func TestPriceDifferenceIsNoBudget(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text, lang string
		money      bool
	}{
		{"another shop sells this laptop 80 euros cheaper, can you do the same?", "en", false},
		{"the fridge costs 40 € less at the store down the road", "en", false},
		{"da un'altra parte lo trovo a 30 euro in meno", "it", false},
		{"il portatile da voi costa 60 euro di più che online", "it", false},
		{"they gave me 20 euros off there", "en", false},
		{"a tv for about 500 euros", "en", true},
		{"un portatile sui 700 euro, meno se possibile", "it", true},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := false
			for _, f := range b.read(tc.text, tc.lang, june2025, "") {
				got = got || f.kind == factMoney
			}
			if got != tc.money {
				t.Errorf("%q has a budget: %v, want %v", tc.text, got, tc.money)
			}
		})
	}
}

// A number or a date the same message corrects is replaced by the one
// after the correction: the customer's last word counts.
func TestCorrectedInTheSameMessage(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text, lang string
		kind       factKind
		want       string
	}{
		{"I need four laptops for the team, sorry, make it five", "en", factNumber, "5"},
		{"vorrei 2 pixel 8, anzi tre", "it", factNumber, "3"},
		{"delivered on the 3rd of may, no wait, the 13th", "en", factDate, "2025-05-13"},
		{"consegnato il 2 maggio, scusa il 12", "it", factDate, "2025-05-12"},
		// The value said first is meant: "not" names the wrong one.
		{"it came on the 14th of may, not the 4th", "en", factDate, "2025-05-14"},
		{"two laptops, not three", "en", factNumber, "2"},
		// The correction's clause is the value, whatever follows it.
		{"bought it on the 3rd of feb, sorry the 13th, 2025, it wont turn on", "en", factDate, "2025-02-13"},
		{"preso il 5 marzo, anzi il 15, e da allora non carica bene", "it", factDate, "2025-03-15"},
		// Near misses: the clause after the correction holds more than a value.
		{"bought it on the 3rd of feb, sorry i think the screen was broken from day one, it wont turn on", "en", factDate, "2025-02-03"},
		{"2 pixel 8, scusa se scrivo male, per mia figlia", "it", factNumber, "2"},
		// A bare "no" right after the value, before another alone in its
		// clause, corrects it.
		{"got it in april 2025... no, january, it's loud", "en", factDate, "2025-01"},
		{"l'ho preso a maggio 2024, no, a febbraio", "it", factDate, "2024-02"},
		{"ne prendo 4, no, 6, per il negozio", "it", factNumber, "6"},
		{"december 2024... no, january, the screen flickers", "en", factDate, "2025-01"},
		// Near misses: what follows the no is no value alone.
		{"bought in march 2025, no receipt though", "en", factDate, "2025-03"},
		{"vorrei 2 thinkpad, no 3 anni di garanzia in più", "it", factNumber, "2"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			var got []string
			for _, f := range b.correctedInPlace(tc.text, tc.lang, june2025, b.read(tc.text, tc.lang, june2025, "")) {
				if f.kind == tc.kind {
					got = append(got, f.value)
				}
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("%q reads %s %v, want %s", tc.text, tc.kind, got, tc.want)
			}
		})
	}
}

// Every way of not knowing declines the question asked, whatever else
// the answer says; a value given with a doubt is no skip.
func TestNotKnowingSkips(t *testing.T) {
	for _, tc := range []struct {
		text string
		skip bool
	}{
		{"no clue, my wife bought it", true},
		{"haven't a clue when they got it", true},
		{"non ne ho la minima idea, era un regalo", true},
		{"sorry I forgot the date", true},
		// Not having it, said for a company or a family.
		{"una cifra precisa non ce l abbiamo ancora", true},
		{"un tetto di spesa non l'abbiamo", true},
		{"we dont have one yet, its for the office", true},
		{"we have no fixed limit", true},
		{"march 2024", false},
		{"the screen flickers", false},
	} {
		if got := isSkip(tc.text); got != tc.skip {
			t.Errorf("isSkip(%q) = %v, want %v", tc.text, got, tc.skip)
		}
	}
}

// Still waiting for a parcel is a question about the order, whatever else
// the message names (a kind of product, a contact): no "order or warranty?".
func TestShopStillWaitingIsTheOrder(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ text, lang string }{
		{"salve, sto ancora aspettando la friggitrice, l'ordine è SP-123456", "it"},
		{"il portatile non mi è ancora arrivato, mario@example.com", "it"},
		{"hi, my tv still hasn't arrived, order SP-654321", "en"},
		{"still waiting for the vacuum I ordered, anna@example.com", "en"},
		{"the headphones still hasnt come, SP-111222", "en"},
	} {
		u := b.newUnderstanding(Input{Text: tc.text, Lang: tc.lang, Now: june2025})
		cmds := u.commands()
		if len(cmds) == 0 || cmds[0].Kind != CmdStartFlow || cmds[0].Flow != "order_status" {
			t.Errorf("%q: commands %v, want the order's status first", tc.text, cmds)
		}
	}
}

// The demo shop's buyer type is read from where the thing is used: the
// ways people say "for the home" beside the ones it had, and the places a
// business buys for (a hotel, a practice, a clinic, its employees). No
// need to ask "private or business?".
func TestShopBuyerFromWhereItIsUsed(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ text, want string }{
		{"the kettle is leaking, I bought it for the home", "consumer"},
		{"la friggitrice non scalda, è per uso privato", "consumer"},
		{"è una macchina per uso casa", "consumer"},
		{"no idea when, it was a present from my sister", "consumer"},
		{"home", "consumer"},
		{"we need 6 laptops for our employees", "business"},
		{"three tvs for the lobby of my hotel", "business"},
		{"una macchina del caffè per il ristorante", "business"},
		{"due portatili per la clinica veterinaria", "business"},
		{"a tv for the waiting room of my physio practice", "business"},
	} {
		got := ""
		for _, f := range b.read(tc.text, "", june2025, "") {
			if f.kind == factChoice && f.slot == "buyer" {
				got = f.value
			}
		}
		if got != tc.want {
			t.Errorf("%q reads the buyer as %q, want %s", tc.text, got, tc.want)
		}
	}
}

// A brand's wallet is a way to pay, not the brand's product.
func TestWalletIsNoProduct(t *testing.T) {
	b := mustShop(t)
	for _, text := range []string{"posso pagare con google pay?", "do you take apple pay", "samsung pay works?"} {
		for _, f := range b.read(text, "", june2025, "") {
			if f.kind == factProduct || f.kind == factBrand {
				t.Errorf("%q reads %s %s", text, f.kind, f.value)
			}
		}
	}
}

// Broken on arrival is the shop's matter, not the customer's accident; a
// dented box is no damage of the product.
func TestArrivedBrokenIsNoAccident(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text   string
		damage bool
	}{
		{"the kettle arrived with a cracked lid", false},
		{"il portatile è arrivato con il vetro rotto", false},
		{"the box was crushed", false},
		{"la confezione era tutta rotta", false},
		{"I dropped the phone and the screen is cracked", true},
	} {
		got := false
		for _, f := range b.read(tc.text, "", june2025, "") {
			got = got || f.kind == factDamage
		}
		if got != tc.damage {
			t.Errorf("%q has a damage: %v, want %v", tc.text, got, tc.damage)
		}
	}
}

// Delivered with the damage, far back in the clause ("il corriere mi ha
// consegnato la tv con lo scatolone sfondato e lo schermo in mille
// pezzi"), is broken on arrival too; a delivery the telling turns past
// ("poi", "but then", a comma) dates no arrival of the damage.
func TestDeliveredWithTheDamageIsNoAccident(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text    string
		arrived bool
	}{
		{"il corriere mi ha consegnato la tv con lo scatolone sfondato e lo schermo in mille pezzi", true},
		{"they delivered the new tv with the outer carton torn open and the screen smashed", true},
		{"il corriere mi ha consegnato il portatile nuovo con la cerniera tutta piegata", true},
		// Near misses: the damage came after the delivery.
		{"mi hanno consegnato la tv con il supporto da tavolo poi col tempo lo schermo si è crepato", false},
		{"they delivered the tv with the wall bracket in march but months later the screen cracked", false},
		{"il corriere mi ha consegnato la tv con il telecomando giusto, ieri lo schermo si è crepato", false},
	} {
		got := false
		for _, f := range b.read(tc.text, "", june2025, "") {
			got = got || f.code == codeArrivedDamaged
		}
		if got != tc.arrived {
			t.Errorf("%q is broken on arrival: %v, want %v", tc.text, got, tc.arrived)
		}
	}
}

// A parcel the tracking calls delivered and the customer never had is
// told in many ways; each reads as missing.
func TestShopParcelNeverReceived(t *testing.T) {
	b := mustShop(t)
	for _, text := range []string{
		"the courier says delivered but nothing came",
		"i never received anything, order SP-101010",
		"risulta consegnato ma non mi è arrivato nulla",
	} {
		got := ""
		for _, f := range b.read(text, "", june2025, "") {
			if f.kind == factChoice && f.slot == "parcel" {
				got = f.value
			}
		}
		if got != "missing" {
			t.Errorf("%q reads the parcel as %q, want missing", text, got)
		}
	}
}

// A date told again with the word that says what it is the date of, and
// another value, corrects the one given, whatever the question pending.
func TestDateToldAgainCorrectsIt(t *testing.T) {
	for _, tc := range []struct {
		name, lang, first, again, want string
	}{
		{"en", "en", "the galaxy a55 won't charge, got it in April", "actually I purchased it in January 2024", "2024-01"},
		{"it", "it", "il pixel 8 non si accende più, preso a maggio", "l'ho comprato a dicembre 2023", "2023-12"},
		{"the same month: no correction", "en", "the galaxy a55 won't charge, got it on 3 April", "bought it in April", "2025-04-03"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = tc.lang
			if out := d.say(tc.first); !strings.Contains(strings.ToLower(out), "priva") {
				t.Fatalf("after the opening the bot did not ask private or business:\n%s", out)
			}
			d.say(tc.again)
			if got := d.s.Slots["purchase_date"]; got != tc.want {
				t.Errorf("purchase_date %q after %q, want %q", got, tc.again, tc.want)
			}
		})
	}
}

// Damage needs a cause: a crack or a melted part that came by itself, or
// whose accident the customer denies, is a defect; a fall stays a fall.
func TestDamageWithoutACauseIsADefect(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text   string
		damage bool
	}{
		{"the tv panel cracked on its own overnight", false},
		{"il display si è incrinato da solo", false},
		{"there's a crack in the corner but nobody ever dropped it", false},
		{"the plastic around the fan melted", false},
		{"l'ho messa vicino al termosifone e si è deformata", true},
		{"it slipped off the desk by itself", true},
		{"my son dropped it and now the glass is cracked", true},
	} {
		got := false
		for _, f := range b.read(tc.text, "", june2025, "") {
			got = got || f.kind == factDamage
		}
		if got != tc.damage {
			t.Errorf("%q has a damage: %v, want %v (facts %v)", tc.text, got, tc.damage, b.read(tc.text, "", june2025, ""))
		}
	}
}

// A fault of the box is no fault of the product; a thing in the box is
// the thing, and its fault is read.
func TestWhatIsInTheBoxIsNoBox(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text  string
		fault bool
	}{
		{"the charger in the box is broken", true},
		{"il caricatore dentro la scatola non funziona", true},
		{"the cable inside the package doesnt work", true},
		{"il pacco e arrivato tutto ammaccato", false},
		{"the tv arrived in a box that was all broken", false},
		{"la scatola era rotta", false},
	} {
		got := slices.ContainsFunc(b.read(tc.text, "", june2025, ""), func(f fact) bool { return f.kind == factDefect || f.kind == factDamage })
		if got != tc.fault {
			t.Errorf("%q has a fault: %v, want %v (facts %v)", tc.text, got, tc.fault, b.read(tc.text, "", june2025, ""))
		}
	}
}

// A date told with another product is that product's: no correction of
// the conversation's.
func TestOtherProductsDateCorrectsNothing(t *testing.T) {
	b := mustShop(t)
	st := State{Flow: "warranty", Slot: "buyer", Slots: map[string]string{"product": "galaxy-a55", "category": "phone", "purchase_date": "2025-04"}}
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"I bought it in January 2024", true},
		{"also my macbook air, bought in March, won't boot", false},
	} {
		u := b.newUnderstanding(Input{Text: tc.text, Lang: "en", Now: june2025, State: st})
		if got := u.restatesFilled(); got != tc.want {
			t.Errorf("restatesFilled(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestBuyerIsWhoBought: a message that tells both who the product is
// for or what kind it is and how it was bought keeps the buyer of the
// purchase; one that does not say how it was bought, or that says both
// were, is read as before.
func TestBuyerIsWhoBought(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		want       []string // the buyer values read
	}{
		{"en", "its a business laptop but i bought it privately", []string{"consumer"}},
		{"it", "e un portatile aziendale pero l ho comprato da privato", []string{"consumer"}},
		{"en", "company phone, but i paid for it myself as a private customer", []string{"consumer"}},
		{"it", "sono un privato ma l ho preso con la partita iva", []string{"business"}},
		{"en", "I'm a private person but I bought it for my company", []string{"business"}},
		// Near misses: one value, or no purchase said, or both bought.
		{"en", "i bought it privately", []string{"consumer"}},
		{"it", "l ho comprato per l ufficio", []string{"business"}},
		{"en", "its my own laptop", []string{"consumer"}},
		{"it", "l ho comprato con partita iva e poi l ho comprato da privato", []string{"business", "consumer"}},
		{"en", "a business laptop, for home use", []string{"business", "consumer"}},
		{"it", "preso come privato... no aspetta, era con la fattura della mia ditta", []string{"business", "consumer"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			var got []string
			for _, f := range b.read(tc.text, tc.lang, june2025, "") {
				if f.kind == factChoice && f.slot == "buyer" && !slices.Contains(got, f.value) {
					got = append(got, f.value)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("buyer values %v, want %v", got, tc.want)
			}
		})
	}
}
