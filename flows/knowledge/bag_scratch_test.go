package knowledge

import (
	"hash/fnv"
	"math/rand"
	"os"
	"slices"
	"testing"
)

type bsample struct {
	x           []float64
	right, none bool
	half        int
}

func bagAccuracy(m model, sets [][]bsample) float64 {
	var sum float64
	for _, ss := range sets {
		ok := 0
		for _, s := range ss {
			answer := s.x != nil && m.confidence(s.x) >= DefaultThreshold
			if answer && s.right || !answer && s.none {
				ok++
			}
		}
		sum += float64(ok) / float64(max(1, len(ss)))
	}
	return sum / float64(len(sets))
}

func coordSearch(start model, sets [][]bsample) model {
	m := model{bias: start.bias, weights: slices.Clone(start.weights)}
	best := bagAccuracy(m, sets)
	for _, step := range []float64{4, 2, 1, 0.5, 0.25, 0.125} {
		for improved := true; improved; {
			improved = false
			for j := -1; j < len(m.weights); j++ {
				for _, d := range []float64{step, -step} {
					c := model{bias: m.bias, weights: slices.Clone(m.weights)}
					if j < 0 {
						c.bias += d
					} else {
						c.weights[j] += d
						if c.weights[j] < 0 {
							continue
						}
					}
					if a := bagAccuracy(c, sets); a > best+1e-9 {
						m, best, improved = c, a, true
					}
				}
			}
		}
	}
	return m
}

func bagged(start model, sets [][]bsample, b int, rng *rand.Rand) model {
	var avg model
	avg.weights = make([]float64, len(start.weights))
	for i := 0; i < b; i++ {
		var bs [][]bsample
		for _, ss := range sets {
			var r []bsample
			for range ss {
				r = append(r, ss[rng.Intn(len(ss))])
			}
			bs = append(bs, r)
		}
		m := coordSearch(start, bs)
		avg.bias += m.bias / float64(b)
		for j := range m.weights {
			avg.weights[j] += m.weights[j] / float64(b)
		}
	}
	return avg
}

func TestScratchBag(t *testing.T) {
	if os.Getenv("KNOWLEDGE_BAG") == "" {
		t.Skip()
	}
	sets := []devSet{mustDevSet(t, "squad_it"), mustDevSet(t, "emanual_tv"), mustShopDev(t)}
	var all [][]bsample
	for _, set := range sets {
		ix := NewIndex(set.docs, Options{})
		tune, _ := splitQueries(set.queries)
		if set.name == "shop_dev" {
			tune = set.queries
		}
		var ss []bsample
		for _, q := range tune {
			h := fnv.New64a()
			h.Write([]byte(q.Text))
			half := int(h.Sum64() / 10 % 2)
			rs, qs := ix.ix.search(q.Text, "", candidates)
			if len(rs) == 0 {
				ss = append(ss, bsample{none: q.Gold == NoAnswer, half: half})
				continue
			}
			ss = append(ss, bsample{x: ix.features(rs, qs), right: ix.passages[rs[0].p].Doc.ID == q.Gold, none: q.Gold == NoAnswer, half: half})
		}
		all = append(all, ss)
	}
	pick := func(h int) [][]bsample {
		var out [][]bsample
		for _, ss := range all {
			var r []bsample
			for _, s := range ss {
				if s.half == h {
					r = append(r, s)
				}
			}
			out = append(out, r)
		}
		return out
	}
	per := func(m model, sets [][]bsample) []float64 {
		var out []float64
		for _, ss := range sets {
			out = append(out, bagAccuracy(m, [][]bsample{ss}))
		}
		return out
	}
	rng := rand.New(rand.NewSource(1))
	for h := 0; h < 2; h++ {
		fit, other := pick(h), pick(1-h)
		plain := coordSearch(defaultModel, fit)
		bag := bagged(defaultModel, fit, 30, rng)
		t.Logf("fit on half %d: current %.3v | plain %.3v (%v) | bagged %.3v (%.2f %.3v)", h, per(defaultModel, other), per(plain, other), plain, per(bag, other), bag.bias, bag.weights)
	}
	bag := bagged(defaultModel, all, 30, rng)
	t.Logf("bagged on all tuning: %.3v in-sample %.3v vs current %.3v", bag, per(bag, all), per(defaultModel, all))
}

func TestScratchGapStart(t *testing.T) {
	if os.Getenv("KX_GAP") == "" {
		t.Skip()
	}
	sets := []devSet{mustDevSet(t, "squad_it"), mustDevSet(t, "emanual_tv"), mustShopDev(t)}
	var all [][]bsample
	for _, set := range sets {
		ix := NewIndex(set.docs, Options{})
		tune, _ := splitQueries(set.queries)
		if set.name == "shop_dev" {
			tune = set.queries
		}
		var ss []bsample
		for _, q := range tune {
			rs, qs := ix.ix.search(q.Text, "", candidates)
			if len(rs) == 0 {
				ss = append(ss, bsample{none: q.Gold == NoAnswer})
				continue
			}
			ss = append(ss, bsample{x: ix.features(rs, qs), right: ix.passages[rs[0].p].Doc.ID == q.Gold, none: q.Gold == NoAnswer})
		}
		all = append(all, ss)
	}
	start := model{bias: -4, weights: []float64{7.25, 2, 0, 1, 16, 2, 8.5}}
	m := coordSearch(start, all)
	t.Logf("from the gap in the margin's place: %v accuracy %.4f; current %.4f", m, bagAccuracy(m, all), bagAccuracy(model{bias: -4, weights: []float64{7.25, 2, 8.5, 1, 16, 2, 0}}, all))
}
