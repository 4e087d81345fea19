package main

import "runtime/debug"

// tuneGC lets the heap grow to five times what is live between
// collections (GOGC=400) unless the operator set GOGC. A replica's live
// heap is small (sessions live in the store), so the memory is cheap,
// and the collector's CPU share halves: on two cores that is a fifth more
// messages a second (docs/benchmarks.md).
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}
