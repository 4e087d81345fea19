package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/sportello/sportello/adapters/memory"
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
	defaultShopLookups         = 120 // per shop, per minute
	defaultOrderFailedProofs   = 10  // per order, per hour
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
// with getenv), bounded by cfg's limits, and logs which it is. The
// limits are counted by counters (the store's, shared by the replicas;
// nil: this process's own).
func connectOrders(rt *flows.Runtime, cfg shopConfig, demo bool, now func() time.Time, getenv func(string) string, counters bot.Counters, log *slog.Logger) error {
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
	l := newOrderLimits(cfg, getenv, counters, now)
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = flows.DefaultLookupTimeout
	}
	rt.SetOrders(orders, flows.OrderOptions{
		Timeout:      timeout,
		MaxFailures:  cfg.MaxFailedProofs,
		Conversation: l.conversationAdmits,
		Shop:         l.shopAdmits,
		Order:        l.orderAdmits,
		Failed:       l.failed,
		Logger:       log,
	})
	log.Info("orders: "+what, "timeout", timeout, "conversation_lookups", l.conversation,
		"shop_lookups_per_minute", l.shop, "order_failed_proofs_per_hour", l.order)
	return nil
}

// newOrderLimits returns the limits of cfg on counters (nil: this
// process's own, on the clock now, so that the hour of a lock is that
// clock's hour; time.Now when nil), keyed with the deployment's key of
// getenv.
func newOrderLimits(cfg shopConfig, getenv func(string) string, counters bot.Counters, now func() time.Time) orderLimits {
	if counters == nil {
		counters = memory.NewCounters(now)
	}
	return orderLimits{counters: counters, secret: counterKey(deploymentKey(getenv, "order limits"), cfg),
		conversation: orDefault(cfg.ConversationLookups, defaultConversationLookups),
		shop:         orDefault(cfg.ShopLookups, defaultShopLookups),
		order:        orDefault(cfg.OrderFailedProofs, defaultOrderFailedProofs)}
}

func orDefault(n, def int) int64 {
	if n == 0 {
		return int64(def)
	}
	return int64(n)
}

// The windows of the limits of lookups.
const (
	conversationWindow = 10 * time.Minute
	shopWindow         = time.Minute
	orderWindow        = time.Hour
)

// orderLimits bound the lookups of orders with counters: the lookups of a
// conversation in ten minutes, of the shop in a minute, and the failed
// proofs of an order in an hour. With the store's counters every replica
// counts on the same keys, so N replicas give an attacker no more guesses
// at an order's proof than one, and a restart forgives nothing.
//
// The keys hold no order number nor address in clear: each is an HMAC
// with counterKey (the same on every replica, and across a rotation of
// the shop system's token), so that the store's keys do not list the
// orders asked for, nor can a number be guessed from its key without the
// deployment's key.
type orderLimits struct {
	counters                  bot.Counters
	secret                    []byte
	conversation, shop, order int64
}

// key is the counter of kind for s: "orders:proof:<hmac of the number>".
func (l orderLimits) key(kind, s string) string {
	m := hmac.New(sha256.New, l.secret)
	m.Write([]byte(kind + "\x00" + s))
	return "orders:" + kind + ":" + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// conversationAdmits counts a lookup of the conversation addr and
// admits it within the conversation's limit.
func (l orderLimits) conversationAdmits(ctx context.Context, addr string) (bool, error) {
	n, err := l.counters.Add(ctx, l.key("conversation", addr), 1, l.conversation, conversationWindow)
	return err == nil && n <= l.conversation, err
}

// shopAdmits counts a lookup of the shop and admits it within the
// shop's limit.
func (l orderLimits) shopAdmits(ctx context.Context) (bool, error) {
	n, err := l.counters.Add(ctx, "orders:shop", 1, l.shop, shopWindow)
	return err == nil && n <= l.shop, err
}

// orderAdmits reports whether number has failed proofs left in its hour,
// counting none.
func (l orderLimits) orderAdmits(ctx context.Context, number string) (bool, error) {
	n, err := l.counters.Add(ctx, l.key("proof", number), 0, l.order, orderWindow)
	return err == nil && n < l.order, err
}

// failed counts a failed proof of number; the one that reaches the limit
// locks the order for a whole hour.
func (l orderLimits) failed(ctx context.Context, number string) error {
	_, err := l.counters.Add(ctx, l.key("proof", number), 1, l.order, orderWindow)
	return err
}

// counterKey is the key of the counters' hashes: the deployment's key
// (deploymentKey) with the identity of the shop of cfg (shopIdentity).
// Neither changes when the shop system's token or secret is rotated, so
// that a rotation forgives no failed proof; two shops counting in one
// store count apart.
func counterKey(deployment []byte, cfg shopConfig) []byte {
	m := hmac.New(sha256.New, deployment)
	m.Write([]byte("sportello order limits\x00" + shopIdentity(cfg)))
	return m.Sum(nil)
}

// shopIdentity names the shop of cfg by what stays when its secrets
// change: the system and the shop's address.
func shopIdentity(cfg shopConfig) string {
	switch cfg.System {
	case "shopify":
		base, _ := shopify.BaseURL(cfg.Shopify.Shop, cfg.Shopify.URL)
		return "shopify " + base
	case "woocommerce":
		return "woocommerce " + strings.TrimRight(cfg.WooCommerce.URL, "/")
	case "http":
		return "http " + cfg.HTTP.URL
	}
	return "file"
}
