// Package examples holds complete flow files of demo businesses. Shop is
// the default bot of sportello: a consumer-electronics shop that speaks
// Italian and English.
package examples

import "embed"

// Shop is the demo consumer-electronics shop: load it with
// flows.Load(examples.Shop, "shop"). Its stories come along (`sportello
// test` runs them), and its sample orders (ShopOrders), which the demo's
// order_lookup reads when no shop system is configured; its battery
// (shop/battery) is a test of the understanding, read from the source
// tree, and stays out of the binary.
//
//go:embed shop/*.yaml shop/stories shop/orders.json shop/knowledge
var Shop embed.FS

// ShopOrders is the path in Shop of the demo's sample orders, for
// adapters/orderfile.Load.
const ShopOrders = "shop/orders.json"
