package main

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/adapters/woocommerce/wootest"
)

// TestOrderDatesAreTheShopsDays: a parcel that left at 00:30 in Rome
// (22:30 UTC the day before) left, for the Rome shop's customer, on the
// day of Rome, whatever the time zone of the machine the bot runs on
// (a container's is UTC): the days of an order are those of the
// configuration's timezone.
func TestOrderDatesAreTheShopsDays(t *testing.T) {
	o := wooOrder()
	left := time.Date(2025, 6, 2, 22, 30, 0, 0, time.UTC) // 3 June, 00:30 in Rome
	o.Completed, o.Tracking[0].Shipped = left, left
	woo := wootest.NewServer(t, o)
	env := wooEnv(woo.URL)
	env["SPORTELLO_TIMEZONE"] = "Europe/Rome"
	if time.Local.String() == "Europe/Rome" {
		env["SPORTELLO_TIMEZONE"] = "Asia/Tokyo" // 07:30 on 3 June: the same day to say
	}
	c := newCustomer(t, ordersServer(t, env))
	c.say("dov'è il mio ordine SP-482001?")
	c.waitFor("bot", "CAP")
	c.say("20121")
	got := c.waitFor("bot", "partito il")
	if !strings.Contains(got.Text, "partito il 03/06/2025") {
		t.Errorf("reply %q, want the parcel left on 03/06/2025, the shop's day", got.Text)
	}
}

// TestADayOfTheShopsSystemIsThatDayInTheShopsZone: the shop's own system
// answers the day the parcel left, "2025-06-02", with no time. For a
// shop in New Zealand (UTC+12) that is 2 June there, not 3 June, as
// noon UTC would make it.
func TestADayOfTheShopsSystemIsThatDayInTheShopsZone(t *testing.T) {
	const secret = "e2e-shop-secret-0123456789abcdef0123"
	var down atomic.Bool
	shop := contractBackend(t, secret, &down)
	base := ordersServer(t, map[string]string{"SPORTELLO_SHOP_SYSTEM": "http", "SPORTELLO_SHOP_URL": shop.URL,
		"SPORTELLO_SHOP_SECRET": secret, "SPORTELLO_LOOKUP_TIMEOUT": "500ms", "SPORTELLO_TIMEZONE": "Pacific/Auckland"})
	c := newCustomer(t, base)
	c.say("dov'è il mio ordine SP-123456?")
	c.waitFor("bot", "CAP")
	c.say("20121")
	got := c.waitFor("bot", "partito il")
	if !strings.Contains(got.Text, "partito il 02/06/2025") {
		t.Errorf("reply %q, want the parcel left on 02/06/2025, the day the shop's system says", got.Text)
	}
}

// TestTheDayShipmentTrackingSaysIsThatDayInTheShopsZone: WooCommerce's
// Shipment Tracking keeps the day a parcel left as midnight UTC of that
// day (it is a day, which WordPress shows as such). For a shop in New
// York the parcel left on that day, not the evening before.
func TestTheDayShipmentTrackingSaysIsThatDayInTheShopsZone(t *testing.T) {
	o := wooOrder()
	o.Tracking[0].Shipped = time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
	woo := wootest.NewServer(t, o)
	env := wooEnv(woo.URL)
	env["SPORTELLO_TIMEZONE"] = "America/New_York"
	c := newCustomer(t, ordersServer(t, env))
	c.say("dov'è il mio ordine SP-482001?")
	c.waitFor("bot", "CAP")
	c.say("20121")
	got := c.waitFor("bot", "partito il")
	if !strings.Contains(got.Text, "partito il 02/06/2025") {
		t.Errorf("reply %q, want the parcel left on 02/06/2025, the day Shipment Tracking says", got.Text)
	}
}
