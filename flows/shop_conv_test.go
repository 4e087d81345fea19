package flows

import (
	"strings"
	"testing"

	"github.com/sportello/sportello/bot"
)

func TestShopWarrantyItalian(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	contains(t, d.say("il mio telefono non si accende, è ancora in garanzia?"), "modello")
	if d.s.Flow != "warranty" || d.s.Slots["category"] != "phone" {
		t.Fatalf("flow %q, slots %v: want warranty with category phone", d.s.Flow, d.s.Slots)
	}
	d.press("Google Pixel 8")
	contains(t, d.say("l'ho comprato il 15/03/2024"), "privato o come azienda")
	// "non si accende" was the defect: it is not asked again.
	out := d.press("Privato")
	contains(t, out, "in garanzia", "24 mesi", "15/03/2026", "Assistenza")
	if d.last.Handoff == nil || d.last.Handoff.Team != "support" {
		t.Fatalf("handoff %+v, want support", d.last.Handoff)
	}
	if !d.hasEvent(bot.EventAction, "warranty_check=covered") {
		t.Errorf("no covered warranty_check event in %+v", d.last.Events)
	}
	if got := d.last.Handoff.Slots["product"]; got != "Google Pixel 8" {
		t.Errorf("case product %q", got)
	}
}

func TestShopWarrantyEnglishExpired(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.hint = "en"
	contains(t, d.say("my phone won't turn on, is it still under warranty?"), "which model")
	contains(t, d.say("the iphone 15"), "when did you buy")
	// March 2024: past a business's 12 months, within a consumer's 24:
	// the buyer decides, and is asked.
	contains(t, d.say("March 2024"), "private customer or as a business")
	contains(t, d.press("Business"), "no longer under warranty", "12 months")
	contains(t, d.press("No"), "replacement")
	if d.last.Handoff != nil || d.s.Flow != "" {
		t.Errorf("handoff %v, flow %q: want the flow ended without a case", d.last.Handoff, d.s.Flow)
	}
}

func TestShopSalesItalian(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	contains(t, d.say("vorrei comprare due portatili per l'ufficio"), "modello")
	want := map[string]string{"category": "laptop", "quantity": "2", "buyer": "business"}
	for k, v := range want {
		if d.s.Slots[k] != v {
			t.Errorf("slot %s = %q after the first message, want %q", k, d.s.Slots[k], v)
		}
	}
	contains(t, d.press("Salta"), "budget")
	contains(t, d.say("circa 900 euro a pezzo"), "email")
	contains(t, d.say("mario.rossi@example.com"), "Vendite")
	h := d.last.Handoff
	if h == nil || h.Team != "sales" || h.Intent != "buy" {
		t.Fatalf("handoff %+v, want sales for buy", h)
	}
	for _, line := range []string{"Cerca: Portatile", "Quantità: 2", "Budget: 900 EUR", "Cliente: Azienda", "Contatto: mario.rossi@example.com"} {
		if !containsLine(h.Summary, line) {
			t.Errorf("summary %q lacks %q", h.Summary, line)
		}
	}
	if containsLine(h.Summary, "Modello: ") {
		t.Errorf("summary %q has the skipped model", h.Summary)
	}
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want || (want[len(want)-1] == ' ' && len(l) >= len(want) && l[:len(want)] == want) {
			return true
		}
	}
	return false
}

func TestShopSalesEnglish(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	contains(t, d.say("I'd like to buy two laptops for the office"), "model in mind")
	if d.s.Slots["category"] != "laptop" || d.s.Slots["quantity"] != "2" {
		t.Fatalf("slots %v after the first message", d.s.Slots)
	}
	contains(t, d.say("the thinkpad"), "budget")
	contains(t, d.say("1000 euros each"), "email address or a phone number")
	contains(t, d.say("+39 333 1234567"), "Sales team")
	if h := d.last.Handoff; h == nil || h.Team != "sales" || h.Slots["product"] != "Lenovo ThinkPad E14" || h.Language != "" && h.Language != "en" {
		t.Fatalf("handoff %+v", h)
	}
	if d.s.Language != "en" {
		t.Errorf("language %q, want en", d.s.Language)
	}
}

func TestShopDigressionAndResume(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.say("la mia tv non si accende")
	d.press(`LG OLED 55" C3`)
	contains(t, d.say("vorrei fare un reso"), "14 giorni", "avviare un reso")
	if d.s.Flow != "returns" || len(d.s.Stack) != 1 {
		t.Fatalf("flow %q, stack %v: want returns over warranty", d.s.Flow, d.s.Stack)
	}
	contains(t, d.say("no"), "riprendere", "garanzia")
	contains(t, d.press("Sì"), "quando l'hai acquistato")
	if d.s.Flow != "warranty" || d.s.Slots["product"] != "lg-oled-55" || !d.hasEvent(bot.EventFlowResumed, "warranty") {
		t.Fatalf("flow %q, slots %v after resuming", d.s.Flow, d.s.Slots)
	}
	// LG OLED: 24 months for a consumer plus 12 extended, the longest
	// term for any buyer: past it, the buyer is not asked.
	contains(t, d.say("gennaio 2022"), "non è più in garanzia", "36 mesi", "31/01/2025")
	d.press("Sì")
	if h := d.last.Handoff; h == nil || h.Intent != "warranty" {
		t.Fatalf("handoff %+v, want the warranty intent", h)
	}
}

// TestShopResumeByStartingAgain: at "shall we pick up where we left
// off?", a message that asks for the interrupted flow again, with a
// "thanks" before it, goes on with that flow: what it holds stays.
func TestShopResumeByStartingAgain(t *testing.T) {
	for _, tc := range []struct {
		name, hint, open, model, digress, decline, again, next string
	}{
		{"it", "it", "la mia tv non si accende", `LG OLED 55" C3`, "vorrei fare un reso", "no",
			"va bene grazie. il televisore l'ho comprato a marzo 2024", "privato o come azienda"},
		{"en", "en", "my tv won't switch on", `LG OLED 55" C3`, "I'd like to return something", "no",
			"ok thanks. about the tv, I got it in march 2024", "private customer or as a business"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = tc.hint
			d.say(tc.open)
			d.press(tc.model)
			d.say(tc.digress)
			d.say(tc.decline)
			if d.s.Vars[varResume] == "" {
				t.Fatalf("no resume offer after the digression; flow %q, stack %v", d.s.Flow, d.s.Stack)
			}
			out := d.say(tc.again)
			if d.s.Flow != "warranty" || d.s.Slots["product"] != "lg-oled-55" || d.s.Slots["purchase_date"] != "2024-03" {
				t.Fatalf("flow %q, slots %v: want warranty going on with the LG OLED bought 2024-03", d.s.Flow, d.s.Slots)
			}
			if !d.hasEvent(bot.EventFlowResumed, "warranty") {
				t.Errorf("no flow_resumed event in %+v", d.last.Events)
			}
			// The model and the date are known: the next question is the buyer.
			contains(t, out, tc.next)
		})
	}
}

func TestShopFAQDuringQuestion(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.say("il mio portatile è rotto, è in garanzia?")
	out := d.say("quanto costa la spedizione?")
	contains(t, out, "24-48 ore", "modello esatto")
	if d.s.Flow != "warranty" || len(d.s.Stack) != 0 {
		t.Errorf("flow %q, stack %v: an FAQ answer keeps the flow", d.s.Flow, d.s.Stack)
	}
}

func TestShopHumanAnyTime(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.say("vorrei comprare un televisore")
	contains(t, d.say("voglio parlare con una persona"), "Vendite")
	if h := d.last.Handoff; h == nil || h.Team != "sales" {
		t.Fatalf("handoff %+v, want the sales flow's team", h)
	}
	if d.s.Flow != "" || d.s.Step != "" {
		t.Errorf("flow %q step %q after the handoff", d.s.Flow, d.s.Step)
	}
}

func TestShopDigressionToSalesEnglish(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.hint = "en"
	d.say("my laptop is broken, is it under warranty?")
	d.press("HP Pavilion 15")
	// The category is remembered: the sales flow does not ask it again.
	contains(t, d.say("actually I'd rather buy a new one"), "model in mind")
	if d.s.Flow != "sales" || len(d.s.Stack) != 1 || d.s.Stack[0].Flow != "warranty" {
		t.Fatalf("flow %q, stack %+v: want sales over warranty", d.s.Flow, d.s.Stack)
	}
	if d.s.Stack[0].Slots["product"] != "pavilion-15" {
		t.Errorf("the interrupted flow lost its product: %+v", d.s.Stack[0])
	}
}

// TestCaseIsWrittenInTheAgentsLanguage: an English conversation handed to
// an Italian team reads Italian on the card, and a team of English agents
// reads English, with readable values, never "covered".
func TestCaseIsWrittenInTheAgentsLanguage(t *testing.T) {
	for _, tc := range []struct {
		agents string
		want   []string
	}{
		{"it", []string{"Prodotto: Google Pixel 8", "Garanzia: in garanzia fino al"}},
		{"en", []string{"Product: Google Pixel 8", "Warranty: covered until"}},
	} {
		t.Run(tc.agents, func(t *testing.T) {
			b := freshShop(t)
			b.Teams["support"].Language = tc.agents
			d := newDriver(t, b, june2025)
			d.hint = "en"
			d.say("my pixel 8 won't turn on, bought it in march")
			d.press("Private customer")
			h := d.last.Handoff
			if h == nil {
				t.Fatal("no handoff")
			}
			joined := strings.Join(h.Summary, "\n")
			for _, w := range tc.want {
				if !strings.Contains(joined, w) {
					t.Errorf("summary %q does not contain %q", joined, w)
				}
			}
			if tc.agents == "it" && !strings.Contains(h.Reason, "Riparazione") || tc.agents == "en" && !strings.Contains(h.Reason, "Warranty repair") {
				t.Errorf("reason %q, want the agents' language", h.Reason)
			}
		})
	}
}

// "Then I'll buy the same one": the sales flow takes the product the
// warranty case was about, and a "no" for a later question ("no budget")
// skips that one, not the question asked.
func TestShopSameProductAfterExpiredWarranty(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.hint = "en"
	contains(t, d.say("my dyson v8 stopped sucking properly"), "when did you buy")
	contains(t, d.say("jan 2022"), "no longer under warranty", "36 months")
	out := d.say("nah, I'd rather get the same one again")
	if d.s.Flow != "sales" || d.s.Slots["product"] != "dyson-v8" {
		t.Fatalf("flow %q, slots %v: want sales with the Dyson V8", d.s.Flow, d.s.Slots)
	}
	contains(t, out, "how many")
	out = d.say("only one, no budget really")
	if d.s.Slots["quantity"] != "1" {
		t.Errorf("quantity %q, want 1 (slots %v)", d.s.Slots["quantity"], d.s.Slots)
	}
	if v, ok := d.s.Slots["budget"]; !ok || v != "" {
		t.Errorf("budget %q (known %v), want declined", v, ok)
	}
	if strings.Contains(strings.ToLower(out), "budget") {
		t.Errorf("the budget was asked after \"no budget\":\n%s", out)
	}
}

func TestShopSameProductItalian(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	contains(t, d.say("la macchinetta delonghi non fa piu il caffe"), "Quando l'hai acquistato")
	contains(t, d.say("gennaio 2022"), "non è più in garanzia", "24 mesi")
	d.say("no guarda, allora ne compro una identica")
	if d.s.Flow != "sales" || d.s.Slots["product"] != "delonghi-magnifica" {
		t.Fatalf("flow %q, slots %v: want sales with the Magnifica", d.s.Flow, d.s.Slots)
	}
}

// A symptom no phrase of the lexicon knows is still a symptom: the
// message that starts the claim is its description, and the bot does not
// ask "what is the problem?".
func TestShopUnknownSymptomIsTheDefect(t *testing.T) {
	for _, c := range []struct{ lang, text, first string }{
		{"it", "il mio portatile hp fa un rumore metallico strano quando lo accendo", "Quando l'hai acquistato"},
		{"en", "my galaxy a55 gets weird green lines across the display after a call", "when did you buy"},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		contains(t, d.say(c.text), c.first)
		if d.s.Flow != "warranty" || d.s.Slots["defect"] == "" {
			t.Errorf("%q: flow %q, slots %v: want warranty with the defect", c.text, d.s.Flow, d.s.Slots)
		}
	}
}

// Asked how many, a number that counts the thing beats a bare number
// said before it.
func TestShopQuantityThatCountsBeatsABareNumber(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	contains(t, d.say("vorrei comprare dei portatili per l'ufficio"), "modello")
	contains(t, d.press("Salta"), "Quanti")
	d.say("siamo in 5 in ufficio ma ne servono due")
	if got := d.s.Slots["quantity"]; got != "2" {
		t.Errorf("quantity %q, want 2", got)
	}
}

// TestShopProductToldForLater: a product named beside another request,
// in a flow that does not ask for it, is the product of the flow that
// starts next: the sale does not ask what is wanted again.
func TestShopProductToldForLater(t *testing.T) {
	for _, tc := range []struct {
		name, hint, first, proof, then, next string
	}{
		{"it", "it", "a che punto è l'ordine SP-200107? dopo mi interessa anche la friggitrice philips", "70121",
			"una sola, per casa, sui 150 euro", "email"},
		{"en", "en", "any news on order SP-200107? after that I'm after the philips airfryer too", "70121",
			"just one, for home, around 150 euros", "email address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = tc.hint
			d.say(tc.first)
			d.say(tc.proof)
			out := d.say(tc.then)
			if d.s.Flow != "sales" || d.s.Slots["product"] != "philips-airfryer" {
				t.Fatalf("flow %q, slots %v: want the sale of the airfryer", d.s.Flow, d.s.Slots)
			}
			contains(t, out, tc.next)
		})
	}
}

// TestShopProductAsideNotForAnother: the product told aside is not the
// one of a later request about another kind of product.
func TestShopProductAsideNotForAnother(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.say("a che punto è l'ordine SP-200107? dopo mi interessa anche la friggitrice philips")
	d.say("70121")
	d.say("il mio televisore non si accende più")
	if _, held := d.s.Slots["product"]; d.s.Flow != "warranty" || held {
		t.Fatalf("flow %q, slots %v: want a claim for the tv, its model to be asked", d.s.Flow, d.s.Slots)
	}
}
