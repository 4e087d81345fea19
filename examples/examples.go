// Package examples holds complete flow files of demo businesses. Shop is
// the default bot of sportello: a consumer-electronics shop that speaks
// Italian and English.
package examples

import "embed"

// Shop is the demo consumer-electronics shop: load it with
// flows.Load(examples.Shop, "shop").
//
//go:embed shop
var Shop embed.FS
