//go:build !linux

package examples_test

import "time"

var start = time.Now()

// threadCPU falls back on the wall clock where the thread's CPU clock is
// not at hand.
func threadCPU() time.Duration { return time.Since(start) }
