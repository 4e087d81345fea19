package flows

import (
	"strings"
	"testing"
)

// The warranty flow asks only what can change its verdict: accidental
// damage is not covered whoever bought what and when, and a purchase
// older than the longest term any model of the kind has for any buyer
// is expired whatever the model and the buyer. Where the buyer's term
// decides (a business's 12 months, a consumer's 24), the buyer is asked.

// asking is the slot of the question the conversation is at, "" for none.
func (d *driver) asking() string {
	f := d.r.b.Flows[d.s.Flow]
	if f == nil {
		return ""
	}
	i, ok := f.index[d.s.Step]
	if !ok || f.Steps[i].Kind != StepAsk {
		return ""
	}
	return f.Steps[i].Slot
}

// TestDamageToldNeedsNoQuestion: accidental damage told in the first
// message gives the paid repair's verdict and the quote's question at
// once, with no kind, model, date or buyer asked; a denied accident is a
// fault, and the claim asks on.
func TestDamageToldNeedsNoQuestion(t *testing.T) {
	for _, c := range []struct {
		lang, text, asks, warranty string
	}{
		{"en", "my laptop slipped off the desk and the hinge snapped", "repair_quote", WarrantyDamage},
		{"en", "the dog chewed my phone and now the charging port is loose", "repair_quote", WarrantyDamage},
		{"en", "I spilled tea over my macbook keyboard", "repair_quote", WarrantyDamage},
		{"it", "ho fatto cadere la friggitrice dal tavolo e si è staccato il manico", "repair_quote", WarrantyDamage},
		{"it", "il telefono l'ho bagnato e adesso non si accende", "repair_quote", WarrantyDamage},
		{"it", "mi è caduto il portatile dalle scale", "repair_quote", WarrantyDamage},
		// Near misses: the accident denied, the claim goes on.
		{"en", "my phone stopped charging, I never dropped it", "product", ""},
		{"it", "non è caduto, ma lo schermo del telefono non si accende più", "product", ""},
		{"en", "I need help with a fault on my phone", "product", ""},
	} {
		t.Run(c.text, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = c.lang
			out := d.say(c.text)
			if d.asking() != c.asks || d.s.Slots["warranty"] != c.warranty {
				t.Errorf("asks %q, verdict %q, want %q, %q:\n%s", d.asking(), d.s.Slots["warranty"], c.asks, c.warranty, out)
			}
			for _, slot := range []string{"buyer", "purchase_date"} {
				if c.warranty != "" && d.s.Slots[slot] != "" {
					t.Errorf("%s %q filled, want it never asked", slot, d.s.Slots[slot])
				}
			}
		})
	}
}

// TestOldPurchaseNeedsNoModelOrBuyer: a purchase older than every term
// that could apply (the kind's longest, for any buyer) is expired without
// the model or the buyer asked, and the reply says the date and the
// term; one that a longer term could still cover asks on (the LG's 36
// months for a TV, a consumer's 24 where a business has 12).
func TestOldPurchaseNeedsNoModelOrBuyer(t *testing.T) {
	for _, c := range []struct {
		lang, text, asks, warranty, says string
	}{
		{"en", "my TV bought in 2020 has no sound", "repair_quote", WarrantyExpired, "36 months"},
		{"it", "il portatile comprato a gennaio 2022 non si accende più", "repair_quote", WarrantyExpired, "24 mesi"},
		{"en", "the airfryer from march 2022 stopped heating", "repair_quote", WarrantyExpired, "31 March 2024"},
		{"it", "la dyson comprata a febbraio 2022 non aspira più", "repair_quote", WarrantyExpired, "36 mesi"},
		// Near misses: a longer term could still cover it.
		{"it", "la tv comprata a settembre 2022 non si accende", "product", "", ""},
		{"en", "my pixel 8 bought in October 2023 stopped charging", "buyer", "", ""},
		{"it", "il pixel 8 preso a novembre 2023 non carica", "buyer", "", ""},
	} {
		t.Run(c.text, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = c.lang
			out := d.say(c.text)
			if d.asking() != c.asks || d.s.Slots["warranty"] != c.warranty {
				t.Errorf("asks %q, verdict %q, want %q, %q:\n%s", d.asking(), d.s.Slots["warranty"], c.asks, c.warranty, out)
			}
			if c.says != "" && !strings.Contains(out, c.says) {
				t.Errorf("reply lacks %q:\n%s", c.says, out)
			}
		})
	}
}

// TestBuyerAskedWhereItDecides: between a business's 12 months and a
// consumer's 24 the buyer's answer is the verdict.
func TestBuyerAskedWhereItDecides(t *testing.T) {
	for _, c := range []struct {
		lang, text, buyer, warranty string
	}{
		{"en", "the galaxy a55 bought in January 2024 keeps rebooting", "Business", WarrantyExpired},
		{"en", "the galaxy a55 bought in January 2024 keeps rebooting", "Private customer", WarrantyCovered},
		{"it", "la macchina del caffè delonghi presa a dicembre 2023 perde acqua", "Azienda", WarrantyExpired},
		{"it", "la macchina del caffè delonghi presa a dicembre 2023 perde acqua", "Privato", WarrantyCovered},
	} {
		t.Run(c.text+" "+c.buyer, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = c.lang
			out := d.say(c.text)
			if d.asking() != "buyer" {
				t.Fatalf("asks %q, want the buyer:\n%s", d.asking(), out)
			}
			d.press(c.buyer)
			if d.s.Slots["warranty"] != c.warranty {
				t.Errorf("verdict %q, want %q", d.s.Slots["warranty"], c.warranty)
			}
		})
	}
}

// TestDamageTakenBack: "no wait, it didn't fall" after the damage's
// verdict takes the damage back: the questions it made needless are
// asked, and the fault's verdict follows. A plain no to the quote keeps
// the verdict.
func TestDamageTakenBack(t *testing.T) {
	for _, c := range []struct {
		lang, first, then, asks string
	}{
		{"en", "I dropped my pixel 8 and the screen went black, bought it in March 2025", "sorry no, it did not fall, it just went black on its own", "buyer"},
		{"en", "my iphone 15 fell off the table and won't charge", "wait, it never fell actually, it stopped charging by itself", "purchase_date"},
		{"it", "mi è caduto il galaxy a55 e non si accende, preso ad aprile 2025", "anzi no, non è caduto: si è spento da solo", "buyer"},
		{"it", "ho fatto cadere la tv e adesso non si vede niente", "scusa, non l'ho fatto cadere, si è spenta da sola", "product"},
	} {
		t.Run(c.then, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = c.lang
			d.say(c.first)
			if d.asking() != "repair_quote" {
				t.Fatalf("asks %q after the damage, want the quote", d.asking())
			}
			out := d.say(c.then)
			if d.asking() != c.asks || d.s.Slots["damage"] != "" || d.s.Slots["warranty"] != "" {
				t.Errorf("asks %q, damage %q, verdict %q, want %q asked again:\n%s", d.asking(), d.s.Slots["damage"], d.s.Slots["warranty"], c.asks, out)
			}
		})
	}
	// Near misses: no to the quote, or another word of the accident.
	for _, c := range []struct{ lang, first, then string }{
		{"en", "I dropped my pixel 8 and the screen went black", "no thanks, not now"},
		{"it", "mi è caduto il galaxy a55 e non si accende", "no grazie, non mi serve"},
		{"en", "my iphone 15 fell off the table and won't charge", "it fell from quite high, yes"},
	} {
		t.Run(c.then, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = c.lang
			d.say(c.first)
			out := d.say(c.then)
			if d.s.Slots["damage"] == "" || d.s.Slots["warranty"] != WarrantyDamage {
				t.Errorf("damage %q, verdict %q, want the damage kept:\n%s", d.s.Slots["damage"], d.s.Slots["warranty"], out)
			}
		})
	}
}
