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
