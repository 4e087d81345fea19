package bot_test

import (
	"testing"

	"github.com/sportello/sportello/bot"
)

func TestOrderProves(t *testing.T) {
	o := &bot.Order{Customer: bot.OrderCustomer{Email: "Anna.Rossi@Example.it", Postcode: "20121"}}
	for _, tc := range []struct {
		name string
		p    bot.Proof
		want bool
	}{
		{"the e-mail, another case", bot.Proof{Email: " anna.rossi@example.IT "}, true},
		{"the postcode", bot.Proof{Postcode: "20121"}, true},
		{"the postcode with a space", bot.Proof{Postcode: "201 21"}, true},
		{"another e-mail", bot.Proof{Email: "mario@example.it"}, false},
		{"another postcode", bot.Proof{Postcode: "00100"}, false},
		{"nothing", bot.Proof{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := o.Proves(tc.p); got != tc.want {
				t.Errorf("Proves(%+v) = %v, want %v", tc.p, got, tc.want)
			}
		})
	}
	if (&bot.Order{}).Proves(bot.Proof{}) {
		t.Error("an order without a customer was proved by nothing")
	}
}

// TestAPostcodeProvesTheOrderWithOrWithoutItsHyphen: shops keep the
// postcode as the customer typed it at the checkout, "1000-001" in
// Portugal, "00-950" in Poland; the same customer writes it to the bot
// as "1000001" or "1000 001". It is the same postcode: the proof holds,
// and another postcode still proves nothing.
func TestAPostcodeProvesTheOrderWithOrWithoutItsHyphen(t *testing.T) {
	for _, tc := range []struct {
		order, proof string
		want         bool
	}{
		{"1000-001", "1000001", true},
		{"1000-001", "1000 001", true},
		{"1000001", "1000-001", true},
		{"00-950", "00950", true},
		{"00-950", "00-951", false},
		{"1000-001", "1000-002", false},
		{"1000-001", "-", false},
	} {
		o := &bot.Order{Customer: bot.OrderCustomer{Postcode: tc.order}}
		if got := o.Proves(bot.Proof{Postcode: tc.proof}); got != tc.want {
			t.Errorf("the order's postcode %q, the proof %q: Proves = %v, want %v", tc.order, tc.proof, got, tc.want)
		}
	}
}

func TestLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "127.0.0.1": true, "127.8.9.1": true, "::1": true,
		"127.0.0.1.evil.example": false, "127.example": false, "shop.example": false,
		"10.0.0.1": false, "": false, "LOCALHOST.": false,
	} {
		if got := bot.LoopbackHost(host); got != want {
			t.Errorf("LoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}
