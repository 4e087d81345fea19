package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sportello/sportello/adapters/shopify"
)

// A setting is one thing an operator sets: a key of the configuration
// file, an environment variable, or both (then the variable wins).
// settings is the one list of them: `sportello config check` prints it,
// docs/configuration.md documents it, and TestSettingsAreWhatTheCodeReads
// fails the day the code reads a variable or a key the list does not
// name, or the list names one the docs or the code do not.
type setting struct {
	key string // the file key, dotted (review.retention_days); "" for none
	env string // the variable; SLACK_<TEAM>_CHANNEL stands for one per team
	// def says what applies when neither is set; config check prints it.
	def string
	// secret settings are printed as "(hidden)"; url ones through
	// redis.Redacted, which hides the passwords a URL may hold.
	secret, url bool
	// runtime settings are read by the Go runtime, not by our code.
	runtime bool
	// show returns the value in effect of a file key ("" when empty).
	show func(c config) string
}

// teamChannelEnv stands for the variables of the teams' Slack channels,
// one per team of the flow file (teamChannelVar).
const teamChannelEnv = "SLACK_<TEAM>_CHANNEL"

var settings = []setting{
	{env: "SPORTELLO_CONFIG", def: "none: defaults and the environment"},
	{key: "addr", env: "SPORTELLO_ADDR", def: "127.0.0.1:8080", show: func(c config) string { return c.Addr }},
	{key: "flows", env: "SPORTELLO_FLOWS", def: "the demo shop, embedded", show: func(c config) string { return c.Flows }},
	{key: "log", env: "SPORTELLO_LOG", def: "text", show: func(c config) string { return c.Log }},
	{key: "log_level", env: "SPORTELLO_LOG_LEVEL", def: "info", show: func(c config) string { return c.LogLevel }},
	{key: "timezone", env: "SPORTELLO_TIMEZONE", def: "Europe/Rome", show: func(c config) string { return c.Timezone }},
	{key: "trusted_proxies", env: "SPORTELLO_TRUSTED_PROXIES", def: "none: X-Forwarded-For is ignored",
		show: func(c config) string { return strings.Join(c.TrustedProxies, ", ") }},
	{key: "webchat.allowed_origins", env: "SPORTELLO_WEBCHAT_ORIGINS", def: "only the chat's own host",
		show: func(c config) string { return strings.Join(c.Webchat.AllowedOrigins, ", ") }},
	{env: "SPORTELLO_WEBCHAT_KEY", secret: true, def: "a random key at each start (required with REDIS_URL)"},
	{key: "review.managers", def: "demo, with a random password printed at start", show: showManagers},
	{key: "review.retention_days", def: "0: conversations are kept for ever", show: func(c config) string {
		if c.Review.RetentionDays == 0 {
			return ""
		}
		return strconv.Itoa(c.Review.RetentionDays)
	}},
	{key: "review.redact", def: "cards, ibans, emails, phones", show: showRedact},
	{env: "SPORTELLO_REVIEW_KEY", secret: true, def: "a random key at each start (required with REDIS_URL)"},
	{env: "SPORTELLO_SECURE_COOKIES", def: "on unless the listener is on localhost"},
	{key: "knowledge.reload", env: "SPORTELLO_KNOWLEDGE_RELOAD", def: "30s; 0 turns it off", show: func(c config) string {
		if c.Knowledge.Reload == nil {
			return ""
		}
		return c.Knowledge.Reload.String()
	}},
	{key: "shop.orders_file", env: "SPORTELLO_ORDERS_FILE", def: "the demo's sample orders with the demo shop, else none",
		show: func(c config) string { return c.Shop.OrdersFile }},
	{key: "shop.system", env: "SPORTELLO_SHOP_SYSTEM", def: "file with shop.orders_file, the demo's sample orders with the demo shop, else none",
		show: func(c config) string { return c.Shop.System }},
	{key: "shop.shopify.shop", env: "SHOPIFY_SHOP", def: "none (required with shop.system shopify)",
		show: func(c config) string { return c.Shop.Shopify.Shop }},
	{key: "shop.shopify.api_version", env: "SHOPIFY_API_VERSION", def: shopify.DefaultAPIVersion,
		show: func(c config) string { return c.Shop.Shopify.APIVersion }},
	{key: "shop.shopify.url", env: "SHOPIFY_API_URL", url: true, def: "https://{shop}.myshopify.com",
		show: func(c config) string { return c.Shop.Shopify.URL }},
	{env: "SHOPIFY_CLIENT_ID", def: "none (with shop.system shopify, this and the secret, or the token)"},
	{env: "SHOPIFY_CLIENT_SECRET", secret: true, def: "none (with shop.system shopify, this and the ID, or the token)"},
	{env: "SHOPIFY_ACCESS_TOKEN", secret: true, def: "none (with shop.system shopify, this or the client ID and secret)"},
	{key: "shop.timeout", env: "SPORTELLO_LOOKUP_TIMEOUT", def: "3s", show: func(c config) string {
		if c.Shop.Timeout == 0 {
			return ""
		}
		return c.Shop.Timeout.String()
	}},
	{key: "shop.conversation_lookups", def: "10 in ten minutes", show: func(c config) string { return showInt(c.Shop.ConversationLookups) }},
	{key: "shop.shop_lookups_per_minute", def: "120", show: func(c config) string { return showInt(c.Shop.ShopLookups) }},
	{key: "shop.max_failed_proofs", def: "3", show: func(c config) string { return showInt(c.Shop.MaxFailedProofs) }},
	{key: "shop.order_failed_proofs_per_hour", def: "10", show: func(c config) string { return showInt(c.Shop.OrderFailedProofs) }},
	{key: "shop.woocommerce.url", env: "WOOCOMMERCE_URL", url: true, def: "none (required with system woocommerce)",
		show: func(c config) string { return c.Shop.WooCommerce.URL }},
	{key: "shop.woocommerce.statuses", def: "WooCommerce's own, completed read as shipped", show: func(c config) string {
		var pairs []string
		for _, k := range slices.Sorted(maps.Keys(c.Shop.WooCommerce.Statuses)) {
			pairs = append(pairs, k+": "+c.Shop.WooCommerce.Statuses[k])
		}
		return strings.Join(pairs, ", ")
	}},
	{env: "WOOCOMMERCE_CONSUMER_KEY", secret: true, def: "none (required with system woocommerce)"},
	{env: "WOOCOMMERCE_CONSUMER_SECRET", secret: true, def: "none (required with system woocommerce)"},
	{key: "shop.http.url", env: "SPORTELLO_SHOP_URL", url: true, def: "none (required with system http)",
		show: func(c config) string { return c.Shop.HTTP.URL }},
	{env: "SPORTELLO_SHOP_SECRET", secret: true, def: "none (required with system http)"},
	{env: "REDIS_URL", url: true, def: "the memory store: one process"},
	{env: "DATABASE_URL", url: true, def: "the memory archive: transcripts end with the process"},
	{env: "TELEGRAM_TOKEN", secret: true, def: "Telegram off"},
	{env: "TELEGRAM_MODE", def: "polling"},
	{env: "TELEGRAM_WEBHOOK_URL", url: true, def: "none (required in webhook mode)"},
	{env: "TELEGRAM_SECRET", secret: true, def: "none (required in webhook mode)"},
	{env: "TELEGRAM_API_URL", url: true, def: "https://api.telegram.org"},
	{env: "SLACK_BOT_TOKEN", secret: true, def: "Slack off: the desk is in-process"},
	{env: "SLACK_APP_TOKEN", secret: true, def: "none: no Socket Mode"},
	{env: "SLACK_SIGNING_SECRET", secret: true, def: "none: no HTTP Events API"},
	{env: "SLACK_API_URL", url: true, def: "https://slack.com/api/"},
	{key: "slack.channels", env: teamChannelEnv, def: "none (one per team required with Slack)"},
	{env: "GOGC", def: "400, set by sportello"},
	{env: "GOMEMLIMIT", runtime: true, def: "none"},
}

// settingOf returns the setting of a file key or a variable.
func settingOf(name string) (setting, bool) {
	for _, s := range settings {
		if name != "" && (s.key == name || s.env == name) {
			return s, true
		}
	}
	return setting{}, false
}

func showManagers(c config) string {
	var names []string
	for _, m := range c.Review.Managers {
		names = append(names, m.Name)
	}
	if len(names) == 0 {
		return ""
	}
	return strings.Join(names, ", ") + " (password hashes hidden)"
}

func showRedact(c config) string {
	r := c.Review.Redact
	if r == nil {
		return ""
	}
	var on []string
	for _, f := range []struct {
		name string
		on   bool
	}{{"cards", r.Cards}, {"ibans", r.IBANs}, {"emails", r.Emails}, {"phones", r.Phones}} {
		if f.on {
			on = append(on, f.name)
		}
	}
	if len(on) == 0 {
		return "nothing"
	}
	return strings.Join(on, ", ")
}

// keyLines returns the line of every key of a configuration file, by its
// dotted path (review.retention_days, review.managers[0]), or nil when
// data is not YAML. Aliases are not followed: their key has a line.
func keyLines(data []byte) map[string]int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	lines := map[string]int{}
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := n.Content[i].Value
				if path != "" {
					p = path + "." + p
				}
				lines[p] = n.Content[i].Line
				walk(n.Content[i+1], p)
			}
		case yaml.SequenceNode:
			for i, item := range n.Content {
				p := path + "[" + strconv.Itoa(i) + "]"
				lines[p] = item.Line
				walk(item, p)
			}
		}
	}
	walk(doc.Content[0], "")
	return lines
}

// placeMistake says where the key of a mistake of check ("key: what")
// was set: the variable that overrides the file, or file:line.
func placeMistake(m, file string, lines map[string]int, getenv func(string) string) string {
	key, what, ok := strings.Cut(m, ": ")
	if !ok {
		return m
	}
	base, _, _ := strings.Cut(key, "[")
	if s, ok := settingOf(base); ok && s.env != "" && getenv(s.env) != "" {
		return key + " (" + s.env + "): " + what
	}
	for _, k := range []string{key, base} {
		if n, ok := lines[k]; ok {
			return fmt.Sprintf("%s:%d: %s", file, n, m)
		}
	}
	return m
}

// showInt shows a number setting, "" when unset.
func showInt(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
