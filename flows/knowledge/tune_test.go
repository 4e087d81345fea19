package knowledge

import (
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestTuneAbstention chooses the abstention model (defaultModel) on the
// tuning part of both development sets and the shop's (shop_dev.tsv) and prints it, with the ranking's
// numbers for a few variations of its constants: on the tuning parts, and
// cross-validated on all dev queries (the abstention model refitted per
// fold, cv_test.go), the estimate a change is judged by. It runs only
// with KNOWLEDGE_TUNE=1: the model it prints first (the demo's weights
// kept, demoWeights) is pasted into answer.go.
func TestTuneAbstention(t *testing.T) {
	if os.Getenv("KNOWLEDGE_TUNE") == "" {
		t.Skip("set KNOWLEDGE_TUNE=1 to tune")
	}
	sets := []devSet{mustDevSet(t, "squad_it"), mustDevSet(t, "emanual_tv"), mustShopDev(t)}
	if only := os.Getenv("KNOWLEDGE_TUNE_SETS"); only != "" {
		sets = slices.DeleteFunc(sets, func(s devSet) bool { return !strings.Contains(only, s.name) })
	}
	type variant struct {
		name   string
		change func(*params)
	}
	variants := []variant{{"default", func(*params) {}}}
	for _, v := range strings.Split(os.Getenv("KNOWLEDGE_TUNE_VARIANTS"), ";") {
		if v == "" {
			continue
		}
		v := v
		variants = append(variants, variant{v, func(p *params) {
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
				case "rerank":
					p.rerank = int(x)
				case "span":
					p.span = x
				case "spanlen":
					p.spanLen = int(x)
				case "name":
					p.name = x
				case "prefix":
					p.prefix = x
				case "other":
					p.otherLang = x
				case "exact":
					p.exact = x
				case "phrase":
					p.phrase = x
				case "phrasetop":
					p.phraseTop = int(x)
				case "bh":
					p.b[fHeading] = x
				case "derive":
					p.derive = x
				case "typed":
					p.typed = x
				case "win":
					p.window = int(x)
				case "wlen":
					p.winLen = int(x)
				case "wbest":
					p.win = x
				case "wfrom":
					p.winFrom = int(x)
				case "wnorm":
					p.winNorm = x
				}
			}
		}})
	}
	var samples [][]sample
	// The default's cross-validated predictions, fresh and from
	// defaultModel: each variation is compared with them query by query.
	var before [2][]cvSet
	for _, v := range variants {
		name := v.name
		p := defaultParams
		v.change(&p)
		line := name + ":"
		var cvs []cvSet
		var extra [][]sample
		for _, set := range sets {
			ix := newIndex(set.docs, Options{}, p)
			if set.name == "shop_dev" {
				extra = append(extra, sampleAll(ix, set.queries))
			} else {
				cvs = append(cvs, measureSet(ix, nil, set.name, "", set.queries))
			}
			tune, _ := splitQueries(set.queries)
			if set.name == "shop_dev" {
				tune = set.queries // the shop's test queries are another file
			}
			preds := predictAll(ix, tune)
			r := Score(preds)
			var half [2][]Prediction
			for _, pr := range preds {
				h := fnv.New64a()
				h.Write([]byte(pr.Query.Text))
				half[h.Sum64()/10%2] = append(half[h.Sum64()/10%2], pr)
			}
			ra, rb := Score(half[0]), Score(half[1])
			line += fmt.Sprintf(" %s r@1 %.3f (%.3f %.3f) r@5 %.3f mrr %.3f acc %.3f (%.3f %.3f);", set.name, r.Recall1, ra.Recall1, rb.Recall1, r.Recall5, r.MRR10, r.Accuracy, ra.Accuracy, rb.Accuracy)
			if name != "default" {
				continue
			}
			samples = append(samples, sampleAll(ix, tune))
		}
		t.Log(line)
		// The test-like numbers: cross-validated on all dev queries.
		for fi, fit := range []struct {
			name string
			fit  func([][]sample) model
		}{{"fresh", fitFresh}, {"from defaultModel", fromDefault}} {
			crossValidate(cvs, extra, fit.fit)
			line := name + ", cross-validated " + fit.name + ":"
			for j, s := range cvs {
				r := Score(s.preds)
				line += fmt.Sprintf(" %s r@1 %.3f r@5 %.3f mrr %.3f acc %.3f", s.name, r.Recall1, r.Recall5, r.MRR10, r.Accuracy)
				if b := before[fi]; b != nil {
					line += fmt.Sprintf(" (against the default: r@1 %s acc %s)", paired(s.preds, b[j].preds, firstRight, true), paired(s.preds, b[j].preds, rightEndToEnd, false))
				}
				line += ";"
			}
			t.Log(line)
			if name == "default" {
				before[fi] = slices.Clone(cvs)
				for j := range cvs {
					before[fi][j].preds = slices.Clone(cvs[j].preds)
				}
			}
		}
	}
	t.Logf("current model: mean tuning accuracy %.4f", meanAccuracy(defaultModel, samples))
	m, best := fitKeeping(defaultModel, samples, demoWeights)
	t.Logf("defaultModel = model{bias: %.3f, weights: []float64{%s}}: mean tuning accuracy %.4f (the bias and the first %d weights kept: the demo's)", m.bias, floats(m.weights), best, demoWeights)
	m, best = fitModel(defaultModel, samples)
	t.Logf("every weight free (the demo's answers not kept): model{bias: %.3f, weights: []float64{%s}}: mean tuning accuracy %.4f", m.bias, floats(m.weights), best)
}

// demoWeights is how many of defaultModel's weights (the first ones, and
// the bias) the demo's help centre was written and tested with: a feature
// that is 0 on it (the neighbours, a folder per language) or a new one can
// be fitted on the development sets without changing any of its answers.
const demoWeights = 6

// mustShopDev is the demo's help centre and the shop-like questions to
// tune on (TestShopSets).
func mustShopDev(tb testing.TB) devSet {
	tb.Helper()
	docs, err := Load(shopDocs)
	if err != nil {
		tb.Fatal(err)
	}
	qs, err := ReadQueries(filepath.Join("testdata", "shop_dev.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	return devSet{"shop_dev", docs, qs}
}

func floats(xs []float64) string {
	var s []string
	for _, x := range xs {
		s = append(s, fmt.Sprintf("%.3f", x))
	}
	return strings.Join(s, ", ")
}

// A sample is what the abstention model reads of one query: the features
// of its best hit (nil when nothing matched), whether that hit is right,
// and whether the query has no answer.
type sample struct {
	x           []float64
	right, none bool
}

// sampleAll returns the sample of each of qs, in their order.
func sampleAll(ix *Index, qs []Query) []sample {
	ss := make([]sample, 0, len(qs))
	for _, q := range qs {
		rs, qts := ix.ix.search(q.Text, "", candidates)
		if len(rs) == 0 {
			ss = append(ss, sample{none: q.Gold == NoAnswer})
			continue
		}
		ss = append(ss, sample{x: ix.features(rs, qts), right: ix.passages[rs[0].p].Doc.ID == q.Gold, none: q.Gold == NoAnswer})
	}
	return ss
}

// answers reports whether the bot answers a sample under m, as Answer does.
func (m model) answers(s sample) bool {
	return s.x != nil && m.confidence(s.x) >= DefaultThreshold
}

// meanAccuracy is the mean over the sets of m's end-to-end accuracy.
func meanAccuracy(m model, sets [][]sample) float64 {
	var sum float64
	for _, ss := range sets {
		ok := 0
		for _, s := range ss {
			answer := m.answers(s)
			if answer && s.right || !answer && s.none {
				ok++
			}
		}
		sum += float64(ok) / float64(max(len(ss), 1))
	}
	return sum / float64(max(len(sets), 1))
}

// fitModel chooses the abstention model with the best mean accuracy of
// the sets at DefaultThreshold, by coordinate search from start (a weight
// per feature the samples have; one start has not is tried from 0).
func fitModel(start model, sets [][]sample) (model, float64) {
	return fitKeeping(start, sets, 0)
}

// fitKeeping is fitModel keeping start's first keep weights, and its bias
// when keep > 0.
func fitKeeping(start model, sets [][]sample, keep int) (model, float64) {
	m := model{bias: start.bias, weights: slices.Clone(start.weights)}
	for _, ss := range sets {
		for _, s := range ss {
			for len(m.weights) < len(s.x) {
				m.weights = append(m.weights, 0) // a feature being tried
			}
		}
	}
	best := meanAccuracy(m, sets)
	for _, step := range []float64{4, 2, 1, 0.5, 0.25, 0.125} {
		for improved := true; improved; {
			improved = false
			for j := -1; j < len(m.weights); j++ {
				if keep > 0 && j < keep {
					continue
				}
				for _, d := range []float64{step, -step} {
					c := model{bias: m.bias, weights: slices.Clone(m.weights)}
					if j < 0 {
						c.bias += d
					} else {
						c.weights[j] += d
						if c.weights[j] < 0 {
							continue // a feature that says "answerable" never counts against
						}
					}
					if a := meanAccuracy(c, sets); a > best+1e-9 {
						m, best, improved = c, a, true
					}
				}
			}
		}
	}
	return m, best
}
