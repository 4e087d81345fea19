package extract

import (
	"hash/maphash"
	"slices"
	"sync"
)

// The flow engine passes the same catalogue on every turn, often as a fresh
// slice decoded from the flow file. Preparing it costs far more than matching,
// so Choice keeps the catalogues it prepared, found by content: the cache is
// invisible to callers, who may change their options at any time.
const maxCatalogs = 32

var catalogs = struct {
	sync.Mutex
	seed maphash.Seed
	m    map[uint64]cachedCatalog
}{seed: maphash.MakeSeed(), m: map[uint64]cachedCatalog{}}

type cachedCatalog struct {
	options []Option // a private copy, to compare against
	catalog *Catalog
}

func catalogFor(options []Option) *Catalog {
	var h maphash.Hash
	h.SetSeed(catalogs.seed)
	for _, o := range options {
		h.WriteString(o.Value)
		h.WriteByte(0)
		for _, s := range o.Synonyms {
			h.WriteString(s)
			h.WriteByte(1)
		}
		h.WriteByte(2)
	}
	key := h.Sum64()

	catalogs.Lock()
	e, ok := catalogs.m[key]
	catalogs.Unlock()
	if ok && equalOptions(e.options, options) {
		return e.catalog
	}

	c := NewCatalog(options)
	own := make([]Option, len(options))
	for i, o := range options {
		own[i] = Option{Value: o.Value, Synonyms: slices.Clone(o.Synonyms)}
	}
	catalogs.Lock()
	if len(catalogs.m) >= maxCatalogs {
		clear(catalogs.m) // rare: a bot has a handful of choice slots
	}
	catalogs.m[key] = cachedCatalog{options: own, catalog: c}
	catalogs.Unlock()
	return c
}

func equalOptions(a, b []Option) bool {
	return slices.EqualFunc(a, b, func(x, y Option) bool {
		return x.Value == y.Value && slices.Equal(x.Synonyms, y.Synonyms)
	})
}
