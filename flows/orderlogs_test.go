package flows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sportello/sportello/bot"
)

// noCustomerData fails t when logs hold any of the customer's values,
// and when they lack any of want.
func noCustomerData(t *testing.T, logs string, want []string, values ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(logs, w) {
			t.Errorf("the logs lack %q:\n%s", w, logs)
		}
	}
	for _, v := range values {
		if strings.Contains(logs, v) {
			t.Errorf("the logs hold the customer's %q:\n%s", v, logs)
		}
	}
}

// The order lookups log what an operator needs (the conversation, the
// order's reference, the kind of failure) and nothing the customer gave:
// no order number, no proof, no tracking link.
func TestOrderLogsHoldNoCustomerData(t *testing.T) {
	ref := bot.OrderRef("SP-123456")
	customer := []string{"SP-123456", "123456", "20121", "20122", "20123", "giulia", "GIULIA", "track("}

	t.Run("wrong proofs until locked", func(t *testing.T) {
		d, logs := orderDriver(t, &fakeOrders{}, OrderOptions{})
		d.say("dov'è il mio ordine?")
		for _, guess := range []string{"20122", "20123", "giulia.rossi@example.it"} {
			d.say("SP-123456")
			d.say(guess)
		}
		noCustomerData(t, logs.String(), []string{"order proof failed", "order lookups locked", "order=" + ref}, customer...)
	})
	t.Run("a shop error that names the order", func(t *testing.T) {
		fake := &fakeOrders{errs: map[string]error{"SP-123456": fmt.Errorf("shopify: order SP-123456: HTTP 503: %w", bot.ErrShopUnavailable)}}
		d, logs := orderDriver(t, fake, OrderOptions{})
		d.say("dov'è il mio ordine SP-123456?")
		d.say("giulia.bianchi@example.it")
		noCustomerData(t, logs.String(), []string{"order lookup failed", "HTTP 503", "shopify: order " + ref}, customer...)
	})
	t.Run("a panic that names the order", func(t *testing.T) {
		d, logs := orderDriver(t, &fakeOrders{panic: "SP-123456"}, OrderOptions{})
		d.say("dov'è il mio ordine SP-123456?")
		d.say("20121")
		noCustomerData(t, logs.String(), []string{"order lookup failed", "panicked"}, customer...)
	})
	t.Run("limits that fail naming the order", func(t *testing.T) {
		d, logs := orderDriver(t, &fakeOrders{}, OrderOptions{
			Order: func(_ context.Context, n string) (bool, error) {
				return false, errors.New("redis: count " + n + ": i/o timeout")
			},
		})
		d.say("dov'è il mio ordine SP-123456?")
		d.say("20121")
		noCustomerData(t, logs.String(), []string{"its limits could not be read", "i/o timeout", "order=" + ref}, customer...)
	})
	t.Run("a tracking link that carries the postcode", func(t *testing.T) {
		fake := &fakeOrders{orders: sampleOrders()}
		fake.orders["SP-123456"].TrackingURL = "javascript:track('SP-123456','20121')"
		d, logs := orderDriver(t, fake, OrderOptions{})
		d.say("dov'è il mio ordine SP-123456?")
		d.say("20121")
		noCustomerData(t, logs.String(), []string{"tracking link that is not http(s) was dropped", `link="scheme javascript"`}, customer...)
	})
}
