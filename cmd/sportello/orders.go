package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/sportello/sportello/adapters/guard"
	"github.com/sportello/sportello/adapters/orderfile"
	"github.com/sportello/sportello/adapters/shopify"
	"github.com/sportello/sportello/bot"
	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows"
)

// The bounds of lookups when the configuration names none.
const (
	defaultConversationLookups = 10  // per conversation, per ten minutes
	defaultShopLookups         = 120 // per process, per minute
)

// openOrders returns the shop's order system of cfg and what it is, for
// the log: Shopify, or the orders file the configuration names, or the
// demo's sample orders when the bot is the embedded demo shop (demo),
// else none (nil). now moves the sample orders' dates to the present, so
// that the demo's parcel always left yesterday; nil keeps them as written
// (the stories' clock is the file's day). log gets the system's own lines.
func openOrders(cfg shopConfig, demo bool, now func() time.Time, log *slog.Logger) (bot.Orders, string, error) {
	opts := orderfile.Options{Now: now}
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
	case system == "file" && cfg.OrdersFile != "":
		f, err := orderfile.Open(cfg.OrdersFile, orderfile.Options{})
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
		return nil, "", fmt.Errorf("shop.system: %q: want file or shopify", system)
	}
	return nil, "", nil
}

// connectOrders gives rt the shop's order system of cfg, bounded by
// cfg's limits through guard's limiters (one per conversation, one for
// the whole shop), and logs which it is.
func connectOrders(rt *flows.Runtime, cfg shopConfig, demo bool, now func() time.Time, log *slog.Logger) error {
	orders, what, err := openOrders(cfg, demo, now, log)
	if err != nil {
		return err
	}
	if orders == nil {
		if rt.Bot().UsesAction("order_lookup") {
			log.Warn("orders: the flows look orders up but no shop system is connected: set shop.system and its settings, or shop.orders_file (docs/shop.md); order questions go to a person")
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
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = flows.DefaultLookupTimeout
	}
	conv := guard.NewLimiter(perConv, 10*time.Minute, 0)
	shop := guard.NewLimiter(perShop, time.Minute, 1)
	rt.SetOrders(orders, flows.OrderOptions{
		Timeout:      timeout,
		MaxFailures:  cfg.MaxFailedProofs,
		Conversation: func(key string, now time.Time) bool { return conv.Allow(key, now).OK },
		Shop:         func(now time.Time) bool { return shop.Allow("shop", now).OK },
		Logger:       log,
	})
	log.Info("orders: "+what, "timeout", timeout, "conversation_lookups", perConv, "shop_lookups_per_minute", perShop)
	return nil
}
