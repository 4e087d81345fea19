package nlu

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
)

// OOS is the label of out-of-scope examples and of abstentions.
const OOS = "oos"

// Example is one labelled utterance. Label OOS marks an out-of-scope example.
// Line is the line of the file it came from, 0 if none.
type Example struct {
	Text, Label string
	Line        int
}

// Scored is an intent with its calibrated confidence in [0, 1].
type Scored struct {
	Intent     string
	Confidence float64
}

// Options tune training. The zero value is the tuned default.
type Options struct {
	// Threshold is the confidence below which Predict abstains. Zero means
	// DefaultThreshold.
	Threshold float64
}

// DefaultThreshold is the abstention threshold used when Options.Threshold
// is zero, chosen on the CLINC150 validation set (see docs/nlu.md).
const DefaultThreshold = 0.4

// Hyperparameters of the features and the trainer, tuned on CLINC150's
// validation set.
var groupWeight = [4]float32{gWord: 1, gStem: 1, gBigram: 1, gChar: 0.5}

var (
	epochs       = 5
	learningRate = 4.0
)

const maxResults = 5

// pruneAbove is the training set size from which features seen in a single
// example are dropped.
var pruneAbove = 5000

// Model is a trained intent classifier. It is safe for concurrent use.
type Model struct {
	labels    []string // classes; index oos is the out-of-scope class, if any
	oos       int      // index of OOS in labels, or -1
	threshold float64
	temp      float64 // softmax temperature, fitted on held-out examples

	vocab   map[uint64]int32 // feature key -> row
	idf     []float32        // per row
	unseen  float32          // idf of a feature never seen in training
	weights []float32        // rows x len(labels)
	bias    []float32
	stems   map[string][2]string // stems of the training words

	scratch *sync.Pool // *buffers, shared by copies from WithThreshold
}

type buffers struct {
	keys   []uint64
	words  []stemmed
	tokens []string
	rows   []int32
	vals   []float32
	logits []float64
	acc    []float32
}

// Train trains a classifier on examples. It needs at least two labels,
// counting OOS.
func Train(examples []Example, opts Options) (*Model, error) {
	if opts.Threshold < 0 || opts.Threshold > 1 {
		return nil, fmt.Errorf("nlu: train: threshold %v not in [0,1]", opts.Threshold)
	}
	m := &Model{threshold: opts.Threshold, oos: -1, stems: map[string][2]string{}, temp: 1, scratch: &sync.Pool{}}
	if m.threshold == 0 {
		m.threshold = DefaultThreshold
	}
	// Labels, sorted so that training does not depend on the input order's labels.
	index := map[string]int{}
	for _, e := range examples {
		if e.Label == "" {
			return nil, fmt.Errorf("nlu: train: example %q has no label", e.Text)
		}
		if _, ok := index[e.Label]; !ok {
			index[e.Label] = 0
			m.labels = append(m.labels, e.Label)
		}
	}
	if len(m.labels) < 2 {
		return nil, errors.New("nlu: train: need examples of at least two labels")
	}
	sort.Strings(m.labels)
	for i, l := range m.labels {
		index[l] = i
		if l == OOS {
			m.oos = i
		}
	}

	// Features of every example, and how many examples have each.
	keys := make([][]uint64, len(examples))
	df := map[uint64]int32{}
	var b buffers
	for i, e := range examples {
		b.tokens = appendTokens(b.tokens[:0], Normalize(e.Text))
		b.words = b.words[:0]
		for _, t := range b.tokens {
			st, ok := m.stems[t]
			if !ok {
				en, it := Stems(t)
				st = [2]string{en, it}
				m.stems[t] = st
			}
			b.words = append(b.words, stemmed{t, st[0], st[1]})
		}
		k := uniq(appendFeatures(nil, b.words))
		keys[i] = k
		for _, h := range k {
			df[h]++
		}
	}
	// The vocabulary, in sorted key order so that rows are deterministic.
	all := make([]uint64, 0, len(df))
	// On large training sets, features of one example only are noise that
	// costs memory and time; on small ones they may be all there is.
	minDF := int32(1)
	if len(examples) >= pruneAbove {
		minDF = 2
	}
	for h, n := range df {
		if n < minDF {
			continue
		}
		all = append(all, h)
	}
	slices.Sort(all)
	m.vocab = make(map[uint64]int32, len(all))
	m.idf = make([]float32, len(all))
	n := float64(len(examples))
	for i, h := range all {
		m.vocab[h] = int32(i)
		m.idf[i] = float32(math.Log((n+1)/(float64(df[h])+1)) + 1)
	}
	m.unseen = float32(math.Log(n+1) + 1)

	// Sparse vectors.
	xs := make([]sparse, len(examples))
	ys := make([]int, len(examples))
	for i, k := range keys {
		xs[i] = m.vector(k, nil, nil)
		ys[i] = index[examples[i].Label]
	}
	m.temp = calibrate(xs, ys, len(all), len(m.labels))
	m.weights, m.bias = fit(xs, ys, len(all), len(m.labels), nil)
	return m, nil
}

// sparse is a feature vector: rows of the vocabulary and their values.
type sparse struct {
	rows []int32
	vals []float32
}

// vector turns sorted unique feature keys into an L2-normalised vector.
// Features never seen in training count in the norm, so a message made
// mostly of unknown words gets a weak vector and a low confidence.
func (m *Model) vector(keys []uint64, rows []int32, vals []float32) sparse {
	var norm float64
	for _, k := range keys {
		w := groupWeight[k&3]
		r, ok := m.vocab[k]
		if !ok {
			v := w * m.unseen
			norm += float64(v * v)
			continue
		}
		v := w * m.idf[r]
		norm += float64(v * v)
		rows = append(rows, r)
		vals = append(vals, v)
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for i := range vals {
			vals[i] *= inv
		}
	}
	return sparse{rows, vals}
}

// uniq sorts keys and removes duplicates.
func uniq(keys []uint64) []uint64 {
	slices.Sort(keys)
	return slices.Compact(keys)
}

// fit trains a softmax regression with stochastic gradient descent, in a
// fixed shuffled order so that training is deterministic.
func fit(xs []sparse, ys []int, rows, classes int, order []int) (weights, bias []float32) {
	weights = make([]float32, rows*classes)
	bias = make([]float32, classes)
	if order == nil {
		order = make([]int, len(xs))
		for i := range order {
			order[i] = i
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	acc := make([]float32, classes)
	p := make([]float64, classes)
	type step struct {
		k int
		d float32
	}
	var grad []step
	steps, total := 0, epochs*len(order)
	for range epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			lr := learningRate * (1 - float64(steps)/float64(total))
			steps++
			x := xs[i]
			logits(acc, x, weights, bias)
			for k, v := range acc {
				p[k] = float64(v)
			}
			softmax(p, 1)
			p[ys[i]] -= 1 // gradient of the loss in the logits
			// Most classes have a negligible gradient once training is
			// under way: update only the others.
			grad = grad[:0]
			for k, g := range p {
				if g > -1e-4 && g < 1e-4 {
					continue
				}
				d := float32(lr * g)
				bias[k] -= d
				grad = append(grad, step{k, d})
			}
			for j, r := range x.rows {
				row := weights[int(r)*classes : int(r+1)*classes]
				v := x.vals[j]
				for _, s := range grad {
					row[s.k] -= s.d * v
				}
			}
		}
	}
	return weights, bias
}

// calibrate returns the softmax temperature that makes confidences honest:
// it trains on four fifths of the examples (every fifth example of each
// label is held out, labels with fewer than 3 examples keep all theirs) and
// picks the temperature that minimises the log loss on the held-out fifth.
// With fewer than 20 held-out examples it returns 1.
func calibrate(xs []sparse, ys []int, rows, classes int) float64 {
	seen := make([]int, classes)
	count := make([]int, classes)
	for _, y := range ys {
		count[y]++
	}
	var train, held []int
	for i, y := range ys {
		seen[y]++
		if count[y] >= 3 && seen[y]%5 == 0 {
			held = append(held, i)
		} else {
			train = append(train, i)
		}
	}
	if len(held) < 20 {
		return 1
	}
	weights, bias := fit(xs, ys, rows, classes, train)
	z := make([][]float64, len(held))
	acc := make([]float32, classes)
	for j, i := range held {
		logits(acc, xs[i], weights, bias)
		z[j] = make([]float64, classes)
		for k, v := range acc {
			z[j][k] = float64(v)
		}
	}
	loss := func(t float64) float64 {
		var sum float64
		for j, i := range held {
			max := math.Inf(-1)
			for _, v := range z[j] {
				max = math.Max(max, v)
			}
			var s float64
			for _, v := range z[j] {
				s += math.Exp((v - max) / t)
			}
			sum += math.Log(s) - (z[j][ys[i]]-max)/t
		}
		return sum
	}
	// Golden-section search on log t in [1/20, 20]; the loss is convex in 1/t.
	lo, hi := math.Log(0.05), math.Log(20)
	const phi = 0.6180339887498949
	a, b := hi-phi*(hi-lo), lo+phi*(hi-lo)
	fa, fb := loss(math.Exp(a)), loss(math.Exp(b))
	for range 40 {
		if fa < fb {
			hi, b, fb = b, a, fa
			a = hi - phi*(hi-lo)
			fa = loss(math.Exp(a))
		} else {
			lo, a, fa = a, b, fb
			b = lo + phi*(hi-lo)
			fb = loss(math.Exp(b))
		}
	}
	return math.Exp((lo + hi) / 2)
}

// logits sets acc to bias + x·W.
func logits(acc []float32, x sparse, weights, bias []float32) {
	classes := len(bias)
	acc = acc[:classes]
	copy(acc, bias)
	for j, r := range x.rows {
		v := x.vals[j]
		row := weights[int(r)*classes : int(r+1)*classes]
		row = row[:len(acc)]
		k := 0
		for ; k+4 <= len(acc); k += 4 {
			a, w := acc[k:k+4:k+4], row[k:k+4:k+4]
			a[0] += v * w[0]
			a[1] += v * w[1]
			a[2] += v * w[2]
			a[3] += v * w[3]
		}
		for ; k < len(acc); k++ {
			acc[k] += v * row[k]
		}
	}
}

// softmax turns logits divided by temperature t into probabilities, in place.
func softmax(z []float64, t float64) {
	max := math.Inf(-1)
	for _, v := range z {
		max = math.Max(max, v)
	}
	var sum float64
	for k, v := range z {
		z[k] = math.Exp((v - max) / t)
		sum += z[k]
	}
	for k := range z {
		z[k] /= sum
	}
}

// Labels returns the classes the model knows, sorted, including OOS if it
// was trained with out-of-scope examples.
func (m *Model) Labels() []string { return slices.Clone(m.labels) }

// Threshold returns the confidence below which Predict abstains.
func (m *Model) Threshold() float64 { return m.threshold }

// Classify returns the in-scope intents most likely meant by text, best
// first, at most five, with calibrated confidences. It never returns OOS;
// a text with no word the model knows gives an empty list.
func (m *Model) Classify(text string) []Scored {
	b, _ := m.scratch.Get().(*buffers)
	if b == nil {
		b = &buffers{}
	}
	defer m.scratch.Put(b)
	p, known := m.probabilities(b, text)
	if !known {
		return nil
	}
	out := make([]Scored, 0, maxResults)
	for k, v := range p {
		if k == m.oos {
			continue
		}
		if len(out) == maxResults && v <= out[maxResults-1].Confidence {
			continue
		}
		if len(out) == maxResults {
			out = out[:maxResults-1]
		}
		i := len(out)
		for i > 0 && out[i-1].Confidence < v {
			i--
		}
		out = slices.Insert(out, i, Scored{m.labels[k], v})
	}
	return out
}

// probabilities returns the calibrated class probabilities of text in
// b.logits, and false if no feature of text is known.
func (m *Model) probabilities(b *buffers, text string) ([]float64, bool) {
	b.tokens = appendTokens(b.tokens[:0], Normalize(text))
	b.words = b.words[:0]
	for _, t := range b.tokens {
		st, ok := m.stems[t]
		if !ok {
			st[0], st[1] = Stems(t)
		}
		b.words = append(b.words, stemmed{t, st[0], st[1]})
	}
	b.keys = uniq(appendFeatures(b.keys[:0], b.words))
	x := m.vector(b.keys, b.rows[:0], b.vals[:0])
	b.rows, b.vals = x.rows, x.vals
	if len(x.rows) == 0 {
		return nil, false
	}
	if cap(b.logits) < len(m.labels) {
		b.logits = make([]float64, len(m.labels))
	}
	p := b.logits[:len(m.labels)]
	if cap(b.acc) < len(m.labels) {
		b.acc = make([]float32, len(m.labels))
	}
	logits(b.acc, x, m.weights, m.bias)
	for k, v := range b.acc[:len(p)] {
		p[k] = float64(v)
	}
	softmax(p, m.temp)
	return p, true
}

// Predict returns the best intent and its confidence, or OOS and the best
// in-scope confidence when the model abstains: below the threshold, or when
// the out-of-scope class is more likely than any intent.
func (m *Model) Predict(text string) (label string, confidence float64) {
	b, _ := m.scratch.Get().(*buffers)
	if b == nil {
		b = &buffers{}
	}
	defer m.scratch.Put(b)
	p, known := m.probabilities(b, text)
	if !known {
		return OOS, 0
	}
	best := -1
	for k, v := range p {
		if k != m.oos && (best < 0 || v > p[best]) {
			best = k
		}
	}
	if p[best] < m.threshold || (m.oos >= 0 && p[m.oos] > p[best]) {
		return OOS, p[best]
	}
	return m.labels[best], p[best]
}

// Temperature returns the softmax temperature fitted in training: above 1
// the raw model was over-confident, below 1 under-confident.
func (m *Model) Temperature() float64 { return m.temp }
