package extract

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"
)

// benchMessages are messages as customers write them to the demo shop,
// short and long, Italian and English, for BenchmarkScan.
var benchMessages = []string{
	"ciao",
	"sì",
	"il mio pixel 8 è morto",
	"da tre giorni lo schermo sfarfalla",
	"a monitor for about 300 euros",
	"you can call me on +44 7700 900123",
	"buongiorno, ho comprato un macbook air a marzo dell'anno scorso e da qualche giorno non si accende più, cosa posso fare?",
	"Hi, I bought a Samsung Galaxy A55 from you last summer, order SP-482001, and since yesterday it won't charge at all. Can you help?",
	"vorrei un preventivo per 10 portatili per la mia azienda, budget massimo 800 euro a pezzo, partita iva 01234567890",
	"l'ho fatto cadere e lo schermo è crepato, è coperto dalla garanzia?",
	"ordine 482001",
	"il mio numero è 333 1234567, mi richiamate?",
	"quanto dura la garanzia su un portatile?",
	"my Philips TV has dead pixels, bought it around Easter",
	"salve, la macchina del caffè delonghi perde acqua da una settimana, l'ho presa a natale",
	"I need three phones for my company, max 600 each, my email is anna.bianchi@example.com",
	"comprato a setembre, consegnato il 3/10, ora fa un rumore strano",
	"un huawei p30 lo riparate?",
	"2",
	"non lo so",
}

// BenchmarkScan reads each message of benchMessages in turn, with the demo
// shop's catalogue, and reports the 50th and 99th percentiles of one Scan,
// in wall time and in the thread's CPU time (which other work on a busy
// machine does not inflate).
func BenchmarkScan(b *testing.B) {
	o := Options{Lang: "it", Now: now, Shop: demoShop}
	for _, m := range benchMessages {
		Scan(m, o) // the phrase lists are compiled on first use
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	wall := make([]time.Duration, 0, b.N)
	cpu := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := benchMessages[i%len(benchMessages)]
		t0, c0 := time.Now(), threadCPU()
		Scan(m, o)
		cpu = append(cpu, threadCPU()-c0)
		wall = append(wall, time.Since(t0))
	}
	b.StopTimer()
	pct := func(d []time.Duration, p int) float64 {
		slices.Sort(d)
		return float64(d[len(d)*p/100].Nanoseconds()) / 1e3
	}
	b.ReportMetric(pct(wall, 50), "p50-µs")
	b.ReportMetric(pct(wall, 99), "p99-µs")
	b.ReportMetric(pct(cpu, 50), "p50-cpu-µs")
	b.ReportMetric(pct(cpu, 99), "p99-cpu-µs")
}

// BenchmarkScanEach reads each message of benchMessages on its own.
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
