package extract

import (
	"fmt"
	"testing"
)

func BenchmarkScanEach(b *testing.B) {
	o := Options{Lang: "it", Now: now, Shop: demoShop}
	for i, m := range benchMessages {
		b.Run(fmt.Sprint(i), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Scan(m, o)
			}
		})
	}
}
