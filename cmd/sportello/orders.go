package main

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/sportello/sportello/adapters/guard"
	"github.com/sportello/sportello/adapters/orderfile"
	"github.com/sportello/sportello/adapters/shophttp"
	"github.com/sportello/sportello/adapters/shopify"
	"github.com/sportello/sportello/adapters/woocommerce"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
)

// The bounds of lookups when the configuration names none.
const (
	defaultConversationLookups = 10  // per conversation, per ten minutes
	defaultShopLookups         = 120 // per process, per minute
	defaultOrderFailedProofs   = 10  // per order, per process, per hour
)

// openOrders returns the shop's order system of cfg and what it is, for
// the log: the system shop.system names (Shopify, WooCommerce, the
// shop's own endpoint; their secrets read with getenv), else the orders
// file the configuration names, else the demo's sample orders when the
// bot is the embedded demo shop (demo), else none (nil). now moves the
// sample orders' dates to the present, so that the demo's parcel always
// left yesterday; nil keeps them as written (the stories' clock is the
// file's day). log gets the system's own lines. Nothing is dialled: a
// system that is down is the lookups' failure, not the start's.
func openOrders(cfg shopConfig, demo bool, now func() time.Time, getenv func(string) string, log *slog.Logger) (bot.Orders, string, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	opts := orderfile.Options{Now: now, Zone: cfg.zone}
	system := cfg.System
	if system == "" && (cfg.OrdersFile != "" || demo) {
		system = "file"
	}
	switch {
	case system == "shopify":
		sh := cfg.Shopify
		c, err := shopify.New(shopify.Config{Shop: sh.Shop, APIVersion: sh.APIVersion, URL: sh.URL,
			Token: sh.token, ClientID: sh.clientID, ClientSecret: sh.clientSecret, Logger: log})
		if err != nil {
			return nil, "", fmt.Errorf("shop.shopify: %w", err)
		}
		base, _ := shopify.BaseURL(sh.Shop, sh.URL)
		version := sh.APIVersion
		if version == "" {
			version = shopify.DefaultAPIVersion
		}
		return c, fmt.Sprintf("Shopify, %s (Admin API %s)", base, version), nil
	case system == "woocommerce":
		key, secret := getenv("WOOCOMMERCE_CONSUMER_KEY"), getenv("WOOCOMMERCE_CONSUMER_SECRET")
		var missing []string
		if key == "" {
			missing = append(missing, "WOOCOMMERCE_CONSUMER_KEY")
		}
		if secret == "" {
			missing = append(missing, "WOOCOMMERCE_CONSUMER_SECRET")
		}
		if len(missing) > 0 {
			return nil, "", fmt.Errorf("shop.system woocommerce: %s not set: the consumer key (ck_...) and secret (cs_...) of a REST API key with Read permission (docs/shop.md)", strings.Join(missing, " and "))
		}
		statuses := map[string]bot.OrderStatus{}
		for k, v := range cfg.WooCommerce.Statuses {
			statuses[k] = bot.OrderStatus(v)
		}
		s, err := woocommerce.New(woocommerce.Config{URL: cfg.WooCommerce.URL, Key: key, Secret: secret, Statuses: statuses, Logger: log, Zone: cfg.zone})
		if err != nil {
			return nil, "", fmt.Errorf("shop.woocommerce: %w", err)
		}
		return s, "the WooCommerce site " + cfg.WooCommerce.URL, nil
	case system == "http":
		secret := getenv("SPORTELLO_SHOP_SECRET")
		if secret == "" {
			return nil, "", errors.New("shop.system http: SPORTELLO_SHOP_SECRET not set: the secret that signs the requests to shop.http.url, the same as the shop's endpoint checks (docs/shop.md)")
		}
		s, err := shophttp.New(shophttp.Config{URL: cfg.HTTP.URL, Secret: secret, Zone: cfg.zone})
		if err != nil {
			return nil, "", fmt.Errorf("shop.http (SPORTELLO_SHOP_SECRET): %w", err)
		}
		return s, "the shop's endpoint " + cfg.HTTP.URL, nil
	case system == "file" && cfg.OrdersFile != "":
		f, err := orderfile.Open(cfg.OrdersFile, orderfile.Options{Zone: cfg.zone})
		if err != nil {
			return nil, "", fmt.Errorf("shop.orders_file (SPORTELLO_ORDERS_FILE):\n%w", err)
		}
		return f, fmt.Sprintf("the orders file %s (%d orders)", cfg.OrdersFile, f.Len()), nil
	case system == "file" && demo:
		f, err := orderfile.Load(examples.Shop, examples.ShopOrders, opts)
		if err != nil {
			return nil, "", fmt.Errorf("the demo's sample orders: %w", err)
		}
		return f, fmt.Sprintf("the demo's %d sample orders", f.Len()), nil
	case system == "file":
		return nil, "", fmt.Errorf("shop.system file: no shop.orders_file (SPORTELLO_ORDERS_FILE)")
	case system != "":
		return nil, "", fmt.Errorf("shop.system: %q: want one of %s", system, strings.Join(shopSystems, ", "))
	}
	return nil, "", nil
}

// connectOrders gives rt the shop's order system of cfg (its secrets read
// with getenv), bounded by
// cfg's limits through guard's limiters (one per conversation, one for
// the whole shop), and logs which it is.
func connectOrders(rt *flows.Runtime, cfg shopConfig, demo bool, now func() time.Time, getenv func(string) string, log *slog.Logger) error {
	orders, what, err := openOrders(cfg, demo, now, getenv, log)
	if err != nil {
		return err
	}
	if orders == nil {
		if rt.Bot().UsesAction("order_lookup") {
			log.Warn("orders: the flows look orders up but no shop system is connected: set shop.system (SPORTELLO_SHOP_SYSTEM) and its settings, or shop.orders_file (SPORTELLO_ORDERS_FILE) (docs/shop.md); order questions go to a person")
		}
		return nil
	}
	perConv := cfg.ConversationLookups
	if perConv == 0 {
		perConv = defaultConversationLookups
	}
	perShop := cfg.ShopLookups
	if perShop == 0 {
		perShop = defaultShopLookups
	}
	perOrder := cfg.OrderFailedProofs
	if perOrder == 0 {
		perOrder = defaultOrderFailedProofs
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = flows.DefaultLookupTimeout
	}
	conv := guard.NewLimiter(perConv, 10*time.Minute, 0)
	shop := guard.NewLimiter(perShop, time.Minute, 1)
	failed := guard.NewLimiter(perOrder, time.Hour, 0)
	rt.SetOrders(orders, flows.OrderOptions{
		Timeout:      timeout,
		MaxFailures:  cfg.MaxFailedProofs,
		Conversation: func(key string, now time.Time) bool { return conv.Allow(key, now).OK },
		Shop:         func(now time.Time) bool { return shop.Allow("shop", now).OK },
		Order:        func(number string, now time.Time) bool { return !failed.Spent(number, now) },
		Failed:       func(number string, now time.Time) { failed.Allow(number, now) },
		Logger:       log,
	})
	log.Info("orders: "+what, "timeout", timeout, "conversation_lookups", perConv, "shop_lookups_per_minute", perShop)
	return nil
}
