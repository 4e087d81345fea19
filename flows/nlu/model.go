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
	// the threshold chosen by cross-validation on the examples themselves
	// (see Calibration).
	Threshold float64
	// NoOffTopic leaves out the built-in pool of off-topic messages, for
	// measuring what the pool is worth. The pool is used only when no
	// example is labelled OOS.
	NoOffTopic bool
}

// DefaultThreshold is the abstention threshold when cross-validation cannot
// choose one: fewer than two intents, or too few examples to hold out.
const DefaultThreshold = 0.4

// Hyperparameters of the features and the trainer, tuned on CLINC150's
// validation set.
var groupWeight = [4]float32{gWord: 1, gStem: 1, gBigram: 1, gChar: 0.5}

var (
	epochs       = 5
	learningRate = 4.0
	// averageRuns is how many SGD runs are averaged when the off-topic
	// pool stands in for oos examples (fit).
	averageRuns = 4
	// seedFit and seedCV offset the seeds of the SGD shuffle and of the
	// folds' choice of intents; zero in the product, varied by
	// TestSeedSpread to measure how much a result owes to one draw.
	seedFit, seedCV uint64
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
	cal       Calibration

	space
	weights []float32 // rows x len(labels)
	bias    []float32
	words   map[string]wordInfo // the training words, read with no lock
	ops     []op                // per class, the operations its examples ask for

	scratch *sync.Pool // *buffers, shared by copies from WithThreshold
}

// space is a vocabulary: the row of each known feature and its idf.
type space struct {
	vocab  keyTable  // feature key -> row
	idf    []float32 // per row
	value  []float32 // per row, its group's weight times its idf: a feature's value before normalisation
	unseen float32   // idf of a feature never seen in training
	least  float64   // smallest non-zero term of a vector's norm (messageVector)
}

type buffers struct {
	keys   []uint64 // feature keys of a message (see probabilities)
	known  []int32  // rows of the known local features of its training words
	sort   []uint64 // scratch of sortKeys
	words  []stemmed
	tokens []string
	rows   []int32
	vals   []float32
	rowSet rowSet
	logits []float64
	acc    []float32
}

// Train trains a classifier on examples. It needs at least two labels,
// counting OOS. When no example is labelled OOS, the built-in off-topic
// messages (unless opts leaves them out) are its OOS examples; the
// threshold comes from cross-validation on the examples (see Calibration).
func Train(examples []Example, opts Options) (*Model, error) {
	if opts.Threshold < 0 || opts.Threshold > 1 {
		return nil, fmt.Errorf("nlu: train: threshold %v not in [0,1]", opts.Threshold)
	}
	m := &Model{oos: -1, words: map[string]wordInfo{}, temp: 1, scratch: &sync.Pool{}}
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

	// Features of every example, and the operations it asks for.
	keys := make([][]uint64, len(examples))
	ops := make([]op, len(examples))
	for i, e := range examples {
		keys[i], ops[i] = m.features(e.Text)
	}
	// The built-in off-topic messages stand in for the oos examples a shop
	// did not write; a shop that wrote its own has said what its off-topic
	// looks like (docs/nlu.md: with the demo's own, the pool lost more than
	// it gained).
	_, ownOOS := index[OOS]
	pool := 0
	if !opts.NoOffTopic && !ownOOS {
		var more [][]uint64
		for _, text := range offTopic() {
			k, _ := m.features(text)
			more = append(more, k)
		}
		var inScope [][]uint64
		for i, e := range examples {
			if e.Label != OOS {
				inScope = append(inScope, keys[i])
			}
		}
		more = unlike(more, inScope)
		examples = slices.Clip(examples) // never write into the caller's array
		for range more {
			examples = append(examples, Example{Label: OOS})
		}
		keys = append(keys, more...)
		pool = len(more)
		if pool > 0 {
			m.labels = append(m.labels, OOS)
		}
	}
	sort.Strings(m.labels)
	for i, l := range m.labels {
		index[l] = i
		if l == OOS {
			m.oos = i
		}
	}
	ys := make([]int, len(examples))
	m.ops = make([]op, len(m.labels))
	for i, e := range examples {
		ys[i] = index[e.Label]
		if i < len(ops) {
			m.ops[ys[i]] |= ops[i]
		}
	}
	ops = append(ops, make([]op, pool)...) // the off-topic ones are oos, whose operations never count
	wts := offTopicWeights(len(examples)-pool, len(m.labels), pool)

	// On large training sets, features of one example only are noise that
	// costs memory and time; on small ones they may be all there is.
	minDF := int32(1)
	if len(examples)-pool >= pruneAbove {
		minDF = 2
	}
	m.space = newSpace(keys, nil, minDF, len(keys)-pool)
	xs := make([]sparse, len(examples))
	for i, k := range keys {
		xs[i] = m.vector(k, nil, nil)
	}
	// Averaging runs steadies a model whose oos class has only the pool's
	// light weight to learn from (docs/nlu.md: on the demo, with its own
	// oos examples, it traded rejected off-topic requests for held-out
	// answers, and was left out there).
	runs := 1
	if pool > 0 && len(keys)-pool < cvLarge {
		runs = averageRuns
	}
	m.temp = calibrate(xs, ys, wts, len(m.idf), len(m.labels), len(keys)-pool, runs)
	m.cal = crossValidate(keys, ops, ys, wts, len(m.labels), m.oos, minDF, len(keys)-pool, m.temp, runs)
	m.cal.OffTopic = pool
	m.threshold = m.cal.Threshold
	if opts.Threshold > 0 {
		m.threshold = opts.Threshold
	}
	m.weights, m.bias = fit(xs, ys, wts, len(m.idf), len(m.labels), nil, runs)
	for t, w := range m.words {
		w.rows, w.unknown = m.vocab.split(w.local)
		m.words[t] = w
	}
	return m, nil
}

// A wordInfo is what the model knows of a training word: its stems, and
// the keys of its features that depend on it alone (appendLocal), which
// classifying a message then reads instead of hashing them again.
// For prediction, those keys are split into the rows of the known ones and
// the unknown ones, looked up once when training ends.
type wordInfo struct {
	en, it  string
	local   []uint64
	rows    []int32  // rows of the keys of local in the vocabulary
	unknown []uint64 // keys of local not in it
}

// features returns the sorted unique feature keys of text and the
// operations it asks for, remembering the stems of its words for prediction.
func (m *Model) features(text string) ([]uint64, op) {
	var words []stemmed
	tokens := appendTokens(nil, Normalize(text))
	for _, t := range tokens {
		w, ok := m.words[t]
		if !ok {
			w.en, w.it = Stems(t)
			w.local = appendLocal(nil, stemmed{word: t, en: w.en, it: w.it})
			m.words[t] = w
		}
		words = append(words, stemmed{t, w.en, w.it, w.local})
	}
	keys, _ := uniq(appendFeatures(nil, words), nil)
	return keys, operations(tokens)
}

// newSpace builds the vocabulary of the examples in subset (all if nil):
// the features in at least minDF of them, in sorted key order so that rows
// are deterministic, and their idf. Examples from index pool on (the
// off-topic ones) add their features but do not count in the idf, so that
// the pool does not change the weight of the shop's own words.
func newSpace(keys [][]uint64, subset []int, minDF int32, pool int) space {
	df := map[uint64]int32{}
	n := 0
	add := func(i int) {
		if i >= pool {
			for _, h := range keys[i] {
				if _, ok := df[h]; !ok {
					df[h] = 0
				}
			}
			return
		}
		n++
		for _, h := range keys[i] {
			df[h]++
		}
	}
	if subset == nil {
		for i := range keys {
			add(i)
		}
	} else {
		for _, i := range subset {
			add(i)
		}
	}
	all := make([]uint64, 0, len(df))
	for h, c := range df {
		if c >= minDF || c == 0 {
			all = append(all, h)
		}
	}
	slices.Sort(all)
	s := space{vocab: newKeyTable(all), idf: make([]float32, len(all)), value: make([]float32, len(all))}
	for i, h := range all {
		s.idf[i] = float32(math.Log((float64(n)+1)/(float64(df[h])+1)) + 1)
		s.value[i] = groupWeight[h&3] * s.idf[i]
	}
	s.unseen = float32(math.Log(float64(n)+1) + 1)
	s.least = s.leastTerm()
	return s
}

// sparse is a feature vector: rows of the vocabulary and their values.
type sparse struct {
	rows []int32
	vals []float32
}

// vector turns sorted unique feature keys into an L2-normalised vector.
// Features never seen in training count in the norm, so a message made
// mostly of unknown words gets a weak vector and a low confidence.
func (s *space) vector(keys []uint64, rows []int32, vals []float32) sparse {
	var norm float64
	for _, k := range keys {
		w := groupWeight[k&3]
		r, ok := s.vocab.get(k)
		if !ok {
			v := w * s.unseen
			norm += float64(v * v)
			continue
		}
		v := w * s.idf[r]
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

// fit trains a softmax regression with stochastic gradient descent, in a
// fixed shuffled order so that training is deterministic. With runs above
// 1, it trains runs models, each in its own shuffled order, and returns
// the mean of their weights: one run's weights depend on the order it
// happened to see the examples in, and on a few hundred examples that
// moves the confidences the threshold is chosen on.
func fit(xs []sparse, ys []int, wts []float32, rows, classes int, order []int, runs int) (weights, bias []float32) {
	for r := range max(1, runs) {
		o := order
		if runs > 1 && order != nil {
			o = slices.Clone(order)
		}
		w, b := fitOne(xs, ys, wts, rows, classes, o, uint64(r))
		if r == 0 {
			weights, bias = w, b
			continue
		}
		for i, v := range w {
			weights[i] += v
		}
		for i, v := range b {
			bias[i] += v
		}
	}
	if runs > 1 {
		inv := 1 / float32(runs)
		for i := range weights {
			weights[i] *= inv
		}
		for i := range bias {
			bias[i] *= inv
		}
	}
	return weights, bias
}

// fitOne is one run of fit, in the shuffled order of seed run.
func fitOne(xs []sparse, ys []int, wts []float32, rows, classes int, order []int, run uint64) (weights, bias []float32) {
	weights = make([]float32, rows*classes)
	bias = make([]float32, classes)
	if order == nil {
		order = make([]int, len(xs))
		for i := range order {
			order[i] = i
		}
	}
	rng := rand.New(rand.NewPCG(1+seedFit, 2+run))
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
			w := 1.0
			if wts != nil {
				w = float64(wts[i])
			}
			// Most classes have a negligible gradient once training is
			// under way: update only the others.
			grad = grad[:0]
			for k, g := range p {
				if g > -1e-4 && g < 1e-4 {
					continue
				}
				d := float32(lr * g * w)
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

// logits sets acc to bias + x·W. Each class's sum is added up in x's
// order, in a register, eight classes at a time (then four, two, one):
// float32 sums depend on their order, and training and prediction must
// agree on it.
func logits(acc []float32, x sparse, weights, bias []float32) {
	classes := len(bias)
	acc = acc[:classes]
	copy(acc, bias)
	vals := x.vals[:len(x.rows)]
	k := 0
	for ; k+8 <= classes; k += 8 {
		a := (*[8]float32)(acc[k : k+8])
		a0, a1, a2, a3, a4, a5, a6, a7 := a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]
		for j, r := range x.rows {
			v := vals[j]
			at := int(r)*classes + k
			w := (*[8]float32)(weights[at : at+8])
			a0 += v * w[0]
			a1 += v * w[1]
			a2 += v * w[2]
			a3 += v * w[3]
			a4 += v * w[4]
			a5 += v * w[5]
			a6 += v * w[6]
			a7 += v * w[7]
		}
		a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7] = a0, a1, a2, a3, a4, a5, a6, a7
	}
	if k+4 <= classes {
		a := (*[4]float32)(acc[k : k+4])
		a0, a1, a2, a3 := a[0], a[1], a[2], a[3]
		for j, r := range x.rows {
			v := vals[j]
			at := int(r)*classes + k
			w := (*[4]float32)(weights[at : at+4])
			a0 += v * w[0]
			a1 += v * w[1]
			a2 += v * w[2]
			a3 += v * w[3]
		}
		a[0], a[1], a[2], a[3] = a0, a1, a2, a3
		k += 4
	}
	if k+2 <= classes {
		a0, a1 := acc[k], acc[k+1]
		for j, r := range x.rows {
			v := vals[j]
			at := int(r)*classes + k
			w := (*[2]float32)(weights[at : at+2])
			a0 += v * w[0]
			a1 += v * w[1]
		}
		acc[k], acc[k+1] = a0, a1
		k += 2
	}
	if k < classes {
		a := acc[k]
		for j, r := range x.rows {
			a += vals[j] * weights[int(r)*classes+k]
		}
		acc[k] = a
	}
}

// softmax turns logits divided by temperature t into probabilities, in place.
func softmax(z []float64, t float64) {
	max := math.Inf(-1)
	for _, v := range z {
		if v > max { // math.Max, but for NaN and the sign of zero, which change nothing below
			max = v
		}
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
// b.logits, discounted by the operations it asks for, and false if no
// feature of text is known.
func (m *Model) probabilities(b *buffers, text string) ([]float64, bool) {
	b.tokens = appendTokens(b.tokens[:0], Normalize(text))
	b.words, b.known, b.keys = b.words[:0], b.known[:0], b.keys[:0]
	for _, t := range b.tokens {
		w, ok := m.words[t]
		if ok {
			b.words = append(b.words, stemmed{t, w.en, w.it, w.local})
			b.known = append(b.known, w.rows...)
			b.keys = append(b.keys, w.unknown...)
			continue
		}
		word := cachedStems.stemmed(t) // the other words customers write
		b.words = append(b.words, word)
		if word.local != nil {
			b.keys = append(b.keys, word.local...)
		} else {
			b.keys = appendLocal(b.keys, word)
		}
	}
	b.keys = appendBigrams(b.keys, b.words)
	x, exact := m.messageVector(b)
	if !exact {
		b.keys, b.sort = uniq(appendFeatures(b.keys[:0], b.words), b.sort)
		x = m.vector(b.keys, b.rows[:0], b.vals[:0])
	}
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
	discount(p, operations(b.tokens), m.ops, m.oos)
	return p, true
}

// discount cuts the confidence of the intents none of whose examples asks
// for an operation that the message asks for (ops.go). The cut confidence
// goes to no other intent: the message is about something none covers.
func discount(p []float64, asked op, ops []op, oos int) {
	if asked == 0 {
		return
	}
	for k := range p {
		if k != oos && asked&^ops[k] != 0 {
			p[k] *= opPenalty
		}
	}
}

// Predict returns the best intent and its confidence, or OOS and the best
// in-scope confidence when the model abstains: when that confidence is below
// the threshold. It decides as the flow engine does with Classify's first
// intent and the bot's threshold; the out-of-scope class, when there is one,
// has already taken its share of the probability.
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
	if p[best] < m.threshold {
		return OOS, p[best]
	}
	return m.labels[best], p[best]
}

// OffTopic returns the confidence that text is out of scope: the share of
// the out-of-scope class (the oos examples, or the built-in off-topic
// pool), 0 when no feature of text is known or the model has no such
// class. A message none of whose words the model knows is no sure
// off-topic: it may be garbled.
func (m *Model) OffTopic(text string) float64 {
	if m.oos < 0 {
		return 0
	}
	b, _ := m.scratch.Get().(*buffers)
	if b == nil {
		b = &buffers{}
	}
	defer m.scratch.Put(b)
	p, known := m.probabilities(b, text)
	if !known {
		return 0
	}
	return p[m.oos]
}

// Temperature returns the softmax temperature fitted in training: above 1
// the raw model was over-confident, below 1 under-confident.
func (m *Model) Temperature() float64 { return m.temp }
