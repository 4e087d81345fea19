package flows

import (
	"slices"
	"strings"
	"testing"
)

// TestColourWantedIsAPurchase: a thing of the catalogue wanted in a
// colour ("the pixel in white", "il macbook grigio") is a bare request,
// a purchase however weak the classifier's guess; a colour told of what
// the customer has is no purchase.
func TestColourWantedIsAPurchase(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		sale       bool
	}{
		{"en", "ok and i want the pixel in white", true},
		{"en", "and i would like the macbook air in silver", true},
		{"it", "ok allora vorrei il pixel 8 nero", true},
		{"it", "e mi servirebbe un iphone 15 colore rosa", true},
		{"en", "we need the thinkpad in grey", true},
		{"it", "ok e voglio il pixel bianco", true},
		// Near misses: the customer's own, a colour that is a fault.
		{"en", "i want my pixel in white back", false},
		{"en", "my pixel screen went white", false},
		{"it", "il mio iphone bianco non si accende", false},
	} {
		cmds := understandIn(t, b, tc.lang, tc.text)
		got := slices.ContainsFunc(cmds, func(c Command) bool { return c.Kind == CmdStartFlow && c.Flow == "sales" })
		if got != tc.sale {
			t.Errorf("%q: sale %v, want %v: %s", tc.text, got, tc.sale, commandsText(cmds))
		}
	}
}

// TestTermsOfWhatIsNotSold: the warranty's terms asked of a brand or a
// kind the shop does not sell are answered with the news that it is not
// sold here and its warranty is the seller's, naming it, and a person
// offered; a bare name next asks the same of it. The terms of what the
// shop sells, or of goods bought here, are the terms.
func TestTermsOfWhatIsNotSold(t *testing.T) {
	for _, tc := range []struct {
		lang, text, want string
	}{
		{"en", "how long is the guarantee on my bosch fridge?", "bosch is not among"},
		{"en", "whats the warranty on a huawei tablet", "huawei is not among"},
		{"it", "che garanzia ha il mio huawei p30?", "huawei p30 non è tra"},
		{"it", "quanto dura la garanzia di una lavatrice whirlpool?", "non è tra i prodotti"},
		// Near misses: the catalogue's own, goods bought here.
		{"en", "how long is the warranty on the pixel 8?", "For Google Pixel 8"},
		{"it", "quanto dura la garanzia del mio samsung?", "Per Samsung"},
		{"it", "quanto dura la garanzia del mio huawei comprato da voi?", "Per il prodotto"},
	} {
		d := newDriver(t, mustShop(t), june3)
		d.hint = tc.lang
		got := d.say(tc.text)
		if !strings.Contains(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.text, got, tc.want)
		}
	}
	d := newDriver(t, mustShop(t), june3)
	d.hint = "en"
	d.say("how long is the warranty on my bosch fridge?")
	contains(t, d.say("and apple?"), "For Apple")
}

// TestToldInsteadOfTheNumber: asked for an identifier the step cannot do
// without, a customer who has not got it (or cannot find it) and tells
// what they have instead (the e-mail of the order) is not asked again:
// the bot notes it, says it cannot go on by itself and offers a person,
// who gets it on the case. Near misses: a bare "I don't have it" is asked
// once more as before; the number itself beside a doubt fills it.
func TestToldInsteadOfTheNumber(t *testing.T) {
	for _, tc := range []struct {
		lang, text, want string
		offer            bool
	}{
		{"it", "il numero non lo trovo, ho ordinato con lucia.bianchi@example.it", "Senza numero d'ordine", true},
		{"en", "cant find it, but my email is tom.b@example.com", "Without the order number", true},
		{"en", "i dont have the order number, the postcode is 20121", "Without the order number", true},
		{"it", "non ce l'ho, la mail dell'ordine è gianni@example.it", "Senza numero d'ordine", true},
		// Near misses: no number and nothing told instead goes on to
		// the order's e-mail (the order status's unknown: skip).
		{"it", "non ho il numero", "email usata per l'ordine", false},
		{"en", "i cant find it", "e-mail address you ordered with", false},
		{"en", "not sure, maybe SP-123456", "SP-123456", false},
	} {
		d := newDriver(t, mustShop(t), june3)
		d.hint = tc.lang
		d.say("dove si trova il mio ordine?")
		got := d.say(tc.text)
		contains(t, got, tc.want)
		if offered := d.s.Vars[varOffer] == offerHuman; offered != tc.offer {
			t.Errorf("%q: a person offered %v, want %v: %q", tc.text, offered, tc.offer, got)
		}
		if tc.offer {
			d.say("sì")
			if d.last.Handoff == nil || d.last.Handoff.Slots["order_proof"] == "" {
				t.Errorf("%q then yes: no case with the proof: %+v", tc.text, d.last.Handoff)
			}
		}
	}
}

// TestShopAddressAsked: the shop's address named ("l'indirizzo del vostro
// negozio", "the address of the store") or "dove vi trovo?" asks where
// the shop is, whatever else the message says ("avevo segnato male"),
// and the pages give it. Near misses: the order's address is the order's
// change; the shop's e-mail address is no place.
func TestShopAddressAsked(t *testing.T) {
	for _, tc := range []struct {
		lang, text string
		where      bool
	}{
		{"it", "avevo segnato male l'indirizzo del vostro negozio, dove vi trovo?", true},
		{"it", "mi ridate l'indirizzo della vostra sede? l'ho perso", true},
		{"en", "i wrote down the address of your store wrong, can you send it again", true},
		{"it", "scusate, dove vi trovo?", true},
		// Near misses.
		{"it", "ho sbagliato l'indirizzo di consegna", false},
		{"it", "qual è l'indirizzo email del negozio?", false},
		{"en", "i put the wrong address on my order", false},
	} {
		if got := asksWhereShopIn(saying(tc.text)); got != tc.where {
			t.Errorf("%q: asks where the shop is %v, want %v", tc.text, got, tc.where)
		}
	}
	d := newDriver(t, mustShop(t), june3)
	d.hint = "it"
	contains(t, d.say("avevo segnato male l'indirizzo del vostro negozio, dove vi trovo?"), "Via Roma")
}

// TestNothingToChange: "nothing to change" names the order's change and
// denies it: no flow starts, nothing is asked, and a thanks beside it is
// answered. Near misses: a change asked for, or one denied for another
// ("non voglio annullarlo, solo cambiare l'indirizzo"), still starts it.
func TestNothingToChange(t *testing.T) {
	for _, tc := range []struct {
		lang, text string
		flow       bool
	}{
		{"it", "tutto a posto, nell'ordine non c'è nulla da cambiare, grazie", false},
		{"en", "nothing to change on my order, thanks", false},
		{"en", "all fine, no need to cancel the order, thank you", false},
		{"it", "no non devo modificare niente dell'ordine grazie mille", false},
		// Near misses.
		{"it", "vorrei cambiare l'indirizzo dell'ordine", true},
		{"it", "non voglio annullare l'ordine, solo cambiare l'indirizzo", true},
		{"en", "i need to change the address on my order", true},
	} {
		d := newDriver(t, mustShop(t), june3)
		d.hint = tc.lang
		got := d.say(tc.text)
		if started := d.s.Flow != ""; started != tc.flow {
			t.Errorf("%q: flow %q started, want a flow %v: %q", tc.text, d.s.Flow, tc.flow, got)
		}
		if !tc.flow && strings.Contains(got, "SP-123456") {
			t.Errorf("%q: the order number asked: %q", tc.text, got)
		}
	}
}
