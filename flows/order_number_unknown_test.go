package flows

import (
	"strings"
	"testing"
)

// TestOrderNumberUnknown: at the order status's number question, a
// customer who has not got the number hears once where it is and is
// asked the e-mail of the order, then handed to support with it on the
// card; never the number's format again. A number given, or one
// mistyped, keeps the usual way.
func TestOrderNumberUnknown(t *testing.T) {
	for _, c := range []struct {
		lang, start, text, want, not string
	}{
		{"it", "dov'è finito il mio pacco?", "non mi ricordo il numero d'ordine", "email usata per l'ordine", "SP e sei cifre"},
		{"it", "il mio ordine non è ancora arrivato", "il numero non ce l'ho", "email usata per l'ordine", "SP e sei cifre"},
		{"en", "where's my parcel?", "i can't remember my order number", "e-mail address you ordered with", "six digits"},
		{"en", "my order hasn't arrived yet", "no idea what the order number is", "e-mail address you ordered with", "six digits"},
		// Near misses: a number, or a code of the wrong shape.
		{"en", "where's my parcel?", "it's SP-123456", "SP-123456", "ordered with (or"},
		{"it", "il mio ordine non è ancora arrivato", "SP-12", "SP e sei cifre", "email usata per l'ordine"},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		d.say(c.start)
		out := d.say(c.text)
		if !strings.Contains(out, c.want) || strings.Contains(out, c.not) {
			t.Errorf("%q: want %q and not %q:\n%s", c.text, c.want, c.not, out)
		}
	}
}

// TestOrderNumberUnknownHandoff: the e-mail asked goes on the case card
// with the number not known.
func TestOrderNumberUnknownHandoff(t *testing.T) {
	d := newDriver(t, mustShop(t), june2025)
	d.hint = "en"
	d.say("where's my parcel?")
	d.say("i don't have the order number")
	out := d.say("luca.bianchi@example.org")
	if !strings.Contains(out, "Support team") {
		t.Errorf("no hand-off to support:\n%s", out)
	}
	if got := d.s.Slots["order_proof"]; !strings.EqualFold(got, "luca.bianchi@example.org") {
		t.Errorf("order_proof = %q", got)
	}
}

// TestOrderNumberToldInsteadYes: the e-mail told with the news of no
// number gets a person offered by a say step's one button; "yes" takes
// the offer as the button would (the near misses, no e-mail told, are
// TestOrderNumberUnknown's: asked the e-mail).
func TestOrderNumberToldInsteadYes(t *testing.T) {
	for _, c := range []struct{ lang, news, yes, want string }{
		{"en", "i don't have the order number, i ordered with sara@example.net", "yes please", "Support team"},
		{"it", "non ho il numero d'ordine, ho ordinato con sara@example.net", "sì grazie", "team Assistenza"},
		{"en", "no clue about the order number, my email is sara@example.net", "ok yes", "Support team"},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		d.say("where's my parcel?")
		if out := d.say(c.news); !strings.Contains(out, c.want) {
			t.Errorf("%q: no person offered:\n%s", c.news, out)
			continue
		}
		if out := d.say(c.yes); !strings.Contains(out, c.want) || d.s.Vars[varOffer] == offerHuman {
			t.Errorf("%q: yes did not take the offer:\n%s", c.yes, out)
		}
	}
}

// TestOrderNumberTwoMisses: two answers that are no order number at its
// question ("unknown: skip") describe the order; a person is offered,
// the flow does not go on as though the customer had said they have none.
func TestOrderNumberTwoMisses(t *testing.T) {
	for _, c := range []struct{ lang, a, b, want string }{
		{"en", "the one i paid by card", "it was a blue hoodie", "person"},
		{"en", "the order from two days ago", "the one with the headphones", "person"},
		{"it", "quello di martedì scorso", "quello con le cuffie dentro", "persona"},
	} {
		d := newDriver(t, mustShop(t), june2025)
		d.hint = c.lang
		d.say("where's my parcel?")
		d.say(c.a)
		if out := d.say(c.b); !strings.Contains(out, c.want) || strings.Contains(out, "ordered with (or") || strings.Contains(out, "email usata per l'ordine") {
			t.Errorf("%q then %q: want a person offered:\n%s", c.a, c.b, out)
		}
	}
}
