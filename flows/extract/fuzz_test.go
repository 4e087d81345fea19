package extract

import (
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func FuzzDate(f *testing.F) {
	for _, s := range []string{"15/03/2025", "March 15, 2025", "2 mesi fa", "l'anno scorso", "03/15/2025", "29/02", "a gennaio", "un anno e mezzo fa", "venerdì scorso", "31/02/2025", "9999-99-99", "0\uFFFD/10/0000"} {
		f.Add(s, "it")
		f.Add(s, "en")
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		d, p, ok := Date(text, lang, now)
		d2, p2, ok2 := Date(text, lang, now)
		if !d.Equal(d2) || p != p2 || ok != ok2 {
			t.Fatalf("Date(%q) not deterministic", text)
		}
		if !ok {
			if p != PrecisionNone || !d.IsZero() {
				t.Fatalf("Date(%q) = %s, %v without ok", text, d, p)
			}
			return
		}
		if p < PrecisionDay || p > PrecisionYear {
			t.Fatalf("Date(%q) precision %v", text, p)
		}
		if d.Location() != now.Location() || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 {
			t.Fatalf("Date(%q) = %s, not midnight in now's location", text, d)
		}
		if p >= PrecisionMonth && d.Day() != 1 || p == PrecisionYear && d.Month() != time.January {
			t.Fatalf("Date(%q) = %s not truncated to %v", text, d, p)
		}
		if d.Year() < MinYear || d.Year() > MaxYear {
			t.Fatalf("Date(%q) = %s out of range", text, d)
		}
		if d, _, ok := DateAhead(text, lang, now); ok && (d.Year() < MinYear || d.Year() > MaxYear) {
			t.Fatalf("DateAhead(%q) = %s out of range", text, d)
		}
	})
}

func FuzzChoice(f *testing.F) {
	for _, s := range []string{"il mio nova x non si accende", "lavatrice bosh", "novax", "bosch", "", "garanzzia estesa", "ééé nova"} {
		f.Add(s)
	}
	values := map[string]bool{}
	for _, o := range shop {
		values[o.Value] = true
	}
	f.Fuzz(func(t *testing.T, text string) {
		m, ok := Choice(text, shop)
		m2, ok2 := Choice(text, shop)
		if m != m2 || ok != ok2 {
			t.Fatalf("Choice(%q) not deterministic: %+v %v, %+v %v", text, m, ok, m2, ok2)
		}
		if ok && (m.Score < minScore || m.Score > 1 || !values[m.Value] || m.Text == "" || !strings.Contains(text, m.Text)) {
			t.Fatalf("Choice(%q) = %+v", text, m)
		}
		prev := 2.0
		for _, c := range ChoiceCandidates(text, shop, 5) {
			if c.Score < 0 || c.Score > 1 || !values[c.Value] || !strings.Contains(text, c.Text) || c.Score > prev+tieScore {
				t.Fatalf("ChoiceCandidates(%q) = %+v", text, c)
			}
			prev = c.Score
		}
	})
}

func FuzzMoney(f *testing.F) {
	for _, s := range []string{"800 euro", "€1.200", "1.200,50 €", "1,5k", "$900", "tra 500 e 800 euro", "1.2.3", "99999999999999999999 €", "mille euro"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		a, c, ok := Money(text, "")
		a2, c2, ok2 := Money(text, "")
		if a != a2 || c != c2 || ok != ok2 {
			t.Fatalf("Money(%q) not deterministic", text)
		}
		if !ok {
			return
		}
		if a < 0 || math.IsNaN(a) || math.IsInf(a, 0) {
			t.Fatalf("Money(%q) = %v", text, a)
		}
		switch c {
		case "", "EUR", "USD", "GBP", "CHF":
		default:
			t.Fatalf("Money(%q) currency %q", text, c)
		}
	})
}

func FuzzPhone(f *testing.F) {
	for _, s := range []string{"+39 333 123 4567", "333-1234567", "02 1234567", "0039 333 1234567", "(+39) 333", "15/03/2025", "+++0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, ok := Phone(text)
		p2, ok2 := Phone(text)
		if p != p2 || ok != ok2 {
			t.Fatalf("Phone(%q) not deterministic", text)
		}
		if !ok {
			return
		}
		if len(p) < 8 || len(p) > 16 || p[0] != '+' || p[1] == '0' || !isDigits(p[1:]) {
			t.Fatalf("Phone(%q) = %q", text, p)
		}
	})
}

// TestConcurrent runs every extractor from many goroutines at once, for the
// race detector: the catalogue cache is the only shared state.
func TestConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			opts := shop
			if i%2 == 1 {
				opts = bigCatalogue(20 + i) // different catalogues, to churn the cache
			}
			for range 50 {
				Choice("lavatrice bosh", opts)
				ChoiceCandidates("nova", opts, 3)
				Date("2 mesi fa", "it", now)
				Money("tra 500 e 800 euro", "it")
				YesNo("sì", "it")
				Phone("+39 333 123 4567")
				Scan("il mio pixel 8 da tre giorni non si accende, ordine SP-482001", Options{Now: now, Shop: demoShop})
			}
		}()
	}
	wg.Wait()
}

func TestChoiceCacheSeesChanges(t *testing.T) {
	opts := []Option{{Value: "a", Synonyms: []string{"alfa"}}, {Value: "b", Synonyms: []string{"beta"}}}
	if m, ok := Choice("alfa", opts); !ok || m.Value != "a" {
		t.Fatalf("Choice(alfa) = %+v, %v", m, ok)
	}
	// The caller edits the same slice in place: the cache must not answer
	// from the old catalogue.
	opts[0].Synonyms[0] = "gamma"
	if m, ok := Choice("alfa", opts); ok {
		t.Fatalf("Choice(alfa) after edit = %+v, want no match", m)
	}
	if m, ok := Choice("gamma", opts); !ok || m.Value != "a" {
		t.Fatalf("Choice(gamma) = %+v, %v", m, ok)
	}
}

// FuzzScan asserts what every Scan keeps, whatever the text: no panic,
// the same answer twice, spans inside the text, in order and apart, each
// quoting the text, with a kind, a value and a confidence in (0, 1].
func FuzzScan(f *testing.F) {
	for _, s := range append(slices.Clone(benchMessages),
		"", "0\uFFFD/10/0000", "+++0", "sp-", "SP-48200", "€€1.2.3", "da da da tre", "1/1/1 1/1", "((+39)) 333",
		"la la la schermo schermo", "non non non", "iphone iphone 15 15", "tra e euro", "nn si acende",
		"\xff\xfe", "perché NON si accende?!", "ßß œ", "2 o 3 o 4 pezzi", "12/12/12/12/12",
	) {
		f.Add(s, "it")
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		o := Options{Lang: lang, Now: now, Shop: demoShop}
		vs := Scan(text, o)
		checkSpans(t, text, vs)
		again := Scan(text, o)
		if len(vs) != len(again) {
			t.Fatalf("Scan(%q) not deterministic: %v, then %v", text, vs, again)
		}
		for i := range vs {
			if vs[i].Kind != again[i].Kind || vs[i].Start != again[i].Start || vs[i].Value != again[i].Value {
				t.Fatalf("Scan(%q) not deterministic: %+v, then %+v", text, vs[i], again[i])
			}
		}
		checkSpans(t, text, Scan(text, Options{Lang: lang, Now: now, Expect: KindQuantity}))
	})
}
