package knowledge

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// TestTuneAbstention fits the abstention model (defaultModel) on the
// tuning part of both development sets and prints it, with the ranking's
// numbers for a few variations of its constants. It runs only with
// KNOWLEDGE_TUNE=1: the model it prints is pasted into answer.go.
func TestTuneAbstention(t *testing.T) {
	if os.Getenv("KNOWLEDGE_TUNE") == "" {
		t.Skip("set KNOWLEDGE_TUNE=1 to tune")
	}
	sets := []devSet{mustDevSet(t, "squad_it"), mustDevSet(t, "emanual_tv")}
	variants := map[string]func(*params){"default": func(*params) {}}
	for _, v := range strings.Split(os.Getenv("KNOWLEDGE_TUNE_VARIANTS"), ";") {
		if v == "" {
			continue
		}
		v := v
		variants[v] = func(p *params) {
			for _, kv := range strings.Split(v, ",") {
				var name string
				var x float64
				fmt.Sscanf(strings.Replace(kv, "=", " ", 1), "%s %g", &name, &x)
				switch name {
				case "k1":
					p.k1 = x
				case "wt":
					p.weight[fTitle] = x
				case "wh":
					p.weight[fHeading] = x
				case "bt":
					p.b[fTitle] = x
				case "bb":
					p.b[fBody] = x
				case "typo":
					p.typo = x
				case "prox":
					p.proximity = x
				case "prefix":
					p.prefix = x
				case "other":
					p.otherLang = x
				case "win":
					p.window = int(x)
				}
			}
		}
	}
	var xs [][]float64
	var ys []float64
	for name, change := range variants {
		p := defaultParams
		change(&p)
		line := name + ":"
		for _, set := range sets {
			ix := newIndex(set.docs, Options{}, p)
			tune, _ := splitQueries(set.queries)
			r := Score(predictAll(ix, tune))
			line += fmt.Sprintf(" %s r@1 %.3f r@5 %.3f mrr %.3f acc %.3f;", set.name, r.Recall1, r.Recall5, r.MRR10, r.Accuracy)
			if name != "default" {
				continue
			}
			for _, q := range tune {
				rs, qs := ix.ix.search(q.Text, "", candidates)
				if len(rs) == 0 {
					continue
				}
				xs = append(xs, features(rs, qs, ix.passages))
				y := 0.0
				if q.Gold != NoAnswer && ix.passages[rs[0].p].Doc.ID == q.Gold {
					y = 1
				}
				ys = append(ys, y)
			}
		}
		t.Log(line)
	}
	m := fitLogistic(xs, ys)
	t.Logf("defaultModel = model{bias: %.3f, weights: []float64{%s}}", m.bias, floats(m.weights))
	for th := 0.3; th <= 0.71; th += 0.05 {
		line := fmt.Sprintf("threshold %.2f:", th)
		for _, set := range sets {
			ix := newIndex(set.docs, Options{Threshold: th}, defaultParams)
			ix.m = m
			tune, _ := splitQueries(set.queries)
			line += fmt.Sprintf(" %s acc %.3f", set.name, Score(predictAll(ix, tune)).Accuracy)
		}
		t.Log(line)
	}
}

func floats(xs []float64) string {
	var s []string
	for _, x := range xs {
		s = append(s, fmt.Sprintf("%.3f", x))
	}
	return strings.Join(s, ", ")
}

// fitLogistic fits a logistic regression by gradient descent (a little L2),
// in a fixed order: the same data gives the same model.
func fitLogistic(xs [][]float64, ys []float64) model {
	m := model{weights: make([]float64, len(xs[0]))}
	const rate, l2 = 0.5, 1e-4
	for epoch := 0; epoch < 3000; epoch++ {
		gb := 0.0
		gw := make([]float64, len(m.weights))
		for i, x := range xs {
			d := m.confidence(x) - ys[i]
			gb += d
			for j := range gw {
				gw[j] += d * x[j]
			}
		}
		n := float64(len(xs))
		m.bias -= rate * gb / n
		for j := range m.weights {
			m.weights[j] -= rate * (gw[j]/n + l2*m.weights[j])
		}
	}
	_ = math.Abs
	return m
}
