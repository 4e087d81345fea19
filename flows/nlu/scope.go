package nlu

import (
	"bufio"
	"embed"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
)

// How the model learns where its scope ends, from its examples alone: a
// shop's bot has no validation set. See docs/nlu.md for the measurements
// behind these numbers (on the clinc_near_oos validation files).
var (
	// cvHeld is the share of the intents that each fold holds out whole:
	// their examples play the messages about the shop's business that no
	// intent covers.
	cvHeld = 0.25
	// cvFolds is the number of folds, and cvLarge the training set size
	// from which one fold is enough (and all that the time allows).
	cvFolds = 4
	cvLarge = 4000
	// cvRepeats is how many times the folds run, the intents shuffled anew
	// each time: which intents a fold holds out together moves the
	// threshold by several hundredths (docs/nlu.md), and the repeats average
	// that out. One fold (a large training set) runs once.
	cvRepeats = 3
	// cvMaxDrop is the held-out in-scope accuracy the threshold may give
	// up to reject out-of-scope messages.
	cvMaxDrop = 0.05
	// cvSE is how many standard errors of the best score the chosen
	// threshold may fall short by (threshold: the one-standard-error rule).
	cvSE = 1.0
	// cvMinTemp bounds the temperature from below: a few held-out examples
	// all answered right would otherwise sharpen every confidence to 1.
	cvMinTemp = 0.5
	// cvMinRows is the least number of held-out in-scope examples (and
	// twice the least number of out-of-scope ones) to trust the folds.
	cvMinRows = 50
	// offTopicMaxCos: an off-topic message this similar to an intent's
	// example is dropped from the pool; the shop's own examples win.
	offTopicMaxCos = 0.5
	// offTopicIntents is how many intents' worth of weight the pool has
	// in training: all of it at full weight would drown a small shop.
	offTopicIntents = 0.1
)

// offTopicWeights returns the training weight of each example: 1, and for
// the last pool examples (the off-topic ones) a share that gives the pool
// the weight of offTopicIntents average intents. Nil when all weigh 1.
func offTopicWeights(examples, labels, pool int) []float32 {
	if pool == 0 {
		return nil
	}
	perIntent := float64(examples) / float64(max(1, labels-1))
	w := float32(math.Min(1, offTopicIntents*perIntent/float64(pool)))
	wts := make([]float32, examples+pool)
	for i := range wts {
		wts[i] = 1
		if i >= examples {
			wts[i] = w
		}
	}
	return wts
}

// The operating point: a shop's messages are about half out of scope
// (docs/nlu.md), many of them close to the shop's own intents, so the
// threshold maximises accuracy over half in-scope, a quarter near and a
// quarter far out-of-scope messages.
const (
	weightIn   = 0.5
	weightNear = 0.25
	weightFar  = 0.25
)

// Calibration is what cross-validation on the training examples chose, and
// what it measured on the folds' held-out examples at that threshold.
type Calibration struct {
	Threshold   float64
	Temperature float64
	// Folds is the number of folds; 0 when there were too few intents or
	// examples to hold some out, and the defaults hold. Repeats is how many
	// times they ran, the intents shuffled anew.
	Folds, Repeats int
	// InScope is the share of held-out examples of the kept intents given
	// their intent; Near the share of the held-out intents' examples
	// rejected; Far the share of held-out oos and off-topic examples
	// rejected (0 if there were none).
	InScope, Near, Far float64
	// RawInScope is InScope with no threshold: the held-out examples of
	// the kept intents given their intent.
	RawInScope float64
	// OffTopic is the number of built-in off-topic messages used as oos
	// examples.
	OffTopic int
}

// Calibration returns what cross-validation chose when the model was
// trained.
func (m *Model) Calibration() Calibration { return m.cal }

//go:embed offtopic/*.txt
var offTopicFiles embed.FS

// offTopic returns the built-in off-topic messages, Italian and English.
var offTopic = sync.OnceValue(func() []string {
	var out []string
	for _, name := range []string{"offtopic/it.txt", "offtopic/en.txt"} {
		data, err := offTopicFiles.ReadFile(name)
		if err != nil {
			panic("nlu: embedded " + name + ": " + err.Error())
		}
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			out = append(out, line)
		}
	}
	return out
})

// unlike returns the messages of pool (feature keys) that are not too
// similar to any of the examples: an off-topic line about music must not
// fight a shop's own intent about music.
func unlike(pool, examples [][]uint64) [][]uint64 {
	if len(examples) == 0 {
		return pool
	}
	sp := newSpace(append(append([][]uint64{}, examples...), pool...), nil, 1, len(examples))
	type posting struct {
		ex int32
		v  float32
	}
	index := make([][]posting, len(sp.idf))
	for i, k := range examples {
		x := sp.vector(k, nil, nil)
		for j, r := range x.rows {
			index[r] = append(index[r], posting{int32(i), x.vals[j]})
		}
	}
	dots := make([]float32, len(examples))
	var touched []int32
	var out [][]uint64
	for _, k := range pool {
		x := sp.vector(k, nil, nil)
		var best float32
		for j, r := range x.rows {
			for _, p := range index[r] {
				if dots[p.ex] == 0 {
					touched = append(touched, p.ex)
				}
				dots[p.ex] += x.vals[j] * p.v
				best = max(best, dots[p.ex])
			}
		}
		for _, e := range touched {
			dots[e] = 0
		}
		touched = touched[:0]
		if float64(best) < offTopicMaxCos {
			out = append(out, k)
		}
	}
	return out
}

// A cvRow is one held-out example's logits over its fold's classes.
type cvRow struct {
	z    []float64 // nil: no feature known to the fold's model
	oos  int       // the fold's oos class, or -1
	gold int       // the fold's class of an in-scope example, or -1
	kind int       // rowIn, rowNear or rowFar
	ops  op        // the operations the example asks for
	// classOps are the operations the fold's examples of each class ask for.
	classOps []op
}

const (
	rowIn = iota
	rowNear
	rowFar
)

// crossValidate chooses the threshold from the examples alone, for
// confidences at temperature temp. Each fold holds out whole intents (a quarter of them: the
// near out-of-scope messages), every fifth example of the other intents
// (in scope) and of the oos class (far out of scope), and trains on the
// rest, averaging runs SGD runs (fit); the folds run cvRepeats times with
// the intents shuffled anew, their held-out examples pooled. The threshold
// is the lowest whose accuracy on the mix of weightIn, weightNear and
// weightFar is within cvSE standard errors of the best, giving up at most
// cvMaxDrop of in-scope accuracy (threshold).
func crossValidate(keys [][]uint64, ops []op, ys []int, wts []float32, classes, oos int, minDF int32, pool int, temp float64, runs int) Calibration {
	cal := Calibration{Threshold: DefaultThreshold, Temperature: temp}
	count := make([]int, classes)
	for _, y := range ys {
		count[y]++
	}
	var intents []int
	for c := range classes {
		if c != oos && count[c] > 0 {
			intents = append(intents, c)
		}
	}
	if len(intents) < 2 {
		return cal
	}
	rng := rand.New(rand.NewPCG(3+seedCV, 4))
	rng.Shuffle(len(intents), func(i, j int) { intents[i], intents[j] = intents[j], intents[i] })
	folds := cvFolds
	if len(ys) >= cvLarge {
		folds = 1
	}
	// Holding out one of two intents would leave a model of one.
	held := 0
	if len(intents) >= 3 {
		held = max(1, int(math.Round(cvHeld*float64(len(intents)))))
	}

	reps := cvRepeats
	if folds == 1 {
		reps = 1
	}
	var rows []cvRow
	for rf := range folds * reps {
		f, rep := rf%folds, rf/folds
		if f == 0 && rep > 0 {
			rng.Shuffle(len(intents), func(i, j int) { intents[i], intents[j] = intents[j], intents[i] })
		}
		out := map[int]bool{}
		for i := range held {
			out[intents[(f*held+i)%len(intents)]] = true
		}
		seen := make([]int, classes)
		var train, eval []int
		var kinds []int
		for i, y := range ys {
			seen[y]++
			switch {
			case out[y]:
				eval, kinds = append(eval, i), append(kinds, rowNear)
			case count[y] >= 3 && (seen[y]+f+rep)%5 == 0:
				k := rowIn
				if y == oos {
					k = rowFar
				}
				eval, kinds = append(eval, i), append(kinds, k)
			default:
				train = append(train, i)
			}
		}
		// The fold's classes, numbered afresh.
		local := make([]int, classes)
		for c := range local {
			local[c] = -1
		}
		n := 0
		for _, i := range train {
			if local[ys[i]] < 0 {
				local[ys[i]] = n
				n++
			}
		}
		if n < 2 {
			continue
		}
		sp := newSpace(keys, train, minDF, pool)
		xs := make([]sparse, len(train))
		fy := make([]int, len(train))
		var fw []float32
		if wts != nil {
			fw = make([]float32, len(train))
		}
		for j, i := range train {
			xs[j] = sp.vector(keys[i], nil, nil)
			fy[j] = local[ys[i]]
			if wts != nil {
				fw[j] = wts[i]
			}
		}
		w, b := fit(xs, fy, fw, len(sp.idf), n, nil, runs)
		foldOOS := -1
		if oos >= 0 {
			foldOOS = local[oos]
		}
		classOps := make([]op, n)
		for _, i := range train {
			classOps[local[ys[i]]] |= ops[i]
		}
		acc := make([]float32, n)
		for j, i := range eval {
			r := cvRow{oos: foldOOS, gold: -1, kind: kinds[j], ops: ops[i], classOps: classOps}
			if r.kind == rowIn {
				r.gold = local[ys[i]]
			}
			if x := sp.vector(keys[i], nil, nil); len(x.rows) > 0 {
				logits(acc, x, w, b)
				r.z = make([]float64, n)
				for k, v := range acc {
					r.z[k] = float64(v)
				}
			}
			rows = append(rows, r)
		}
	}

	var in []cvRow
	outs := 0
	for _, r := range rows {
		if r.kind == rowIn {
			in = append(in, r)
		} else {
			outs++
		}
	}
	// A few dozen held-out examples say little: below these counts the
	// threshold stays the default.
	if len(in) < cvMinRows*reps || outs < cvMinRows*reps/2 {
		return cal
	}
	cal.Folds, cal.Repeats = folds, reps
	cal.Threshold, cal.RawInScope, cal.InScope, cal.Near, cal.Far = threshold(rows, reps, cal.Temperature, DefaultThreshold)
	return cal
}

// calibrate returns the softmax temperature that makes confidences honest:
// it trains on four fifths of the examples (every fifth example of each
// label is held out, labels with fewer than 3 examples keep all theirs, the
// off-topic ones, from index pool on, are all trained on) and picks the
// temperature that minimises the log loss on the held-out fifth, but not
// below cvMinTemp. With fewer than cvMinRows held-out examples it returns 1.
func calibrate(xs []sparse, ys []int, wts []float32, rows, classes, pool, runs int) float64 {
	seen := make([]int, classes)
	count := make([]int, classes)
	for _, y := range ys[:pool] {
		count[y]++
	}
	var train, held []int
	for i, y := range ys {
		if i < pool {
			seen[y]++
			if count[y] >= 3 && seen[y]%5 == 0 {
				held = append(held, i)
				continue
			}
		}
		train = append(train, i)
	}
	if len(held) < cvMinRows {
		return 1
	}
	weights, bias := fit(xs, ys, wts, rows, classes, train, runs)
	acc := make([]float32, classes)
	var in []cvRow
	for _, i := range held {
		if len(xs[i].rows) == 0 {
			continue
		}
		logits(acc, xs[i], weights, bias)
		r := cvRow{z: make([]float64, classes), gold: ys[i]}
		for k, v := range acc {
			r.z[k] = float64(v)
		}
		in = append(in, r)
	}
	return max(cvMinTemp, temperature(in))
}

// temperature returns the softmax temperature that minimises the log loss
// of rows, whose gold classes are known.
func temperature(rows []cvRow) float64 {
	loss := func(t float64) float64 {
		var sum float64
		for _, r := range rows {
			if r.z == nil {
				continue
			}
			max := math.Inf(-1)
			for _, v := range r.z {
				max = math.Max(max, v)
			}
			var s float64
			for _, v := range r.z {
				s += math.Exp((v - max) / t)
			}
			sum += math.Log(s) - (r.z[r.gold]-max)/t
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

// threshold returns the threshold (in steps of 0.01) for the operating
// point's mix of held-out rows at temperature t: among those that keep
// in-scope accuracy within cvMaxDrop of no threshold, the lowest whose
// accuracy on the mix is within cvSE standard errors of the best; and the
// shares it measured there. Each example is in rows reps times (the folds'
// repeats): the standard error counts it once.
func threshold(rows []cvRow, reps int, t, floor float64) (best, raw, in, near, far float64) {
	conf := make([]float64, len(rows))
	right := make([]bool, len(rows))
	var n [3]int
	p := []float64{}
	for i, r := range rows {
		n[r.kind]++
		if r.z == nil {
			continue
		}
		p = append(p[:0], r.z...)
		softmax(p, t)
		discount(p, r.ops, r.classOps, r.oos)
		top := -1
		for k, v := range p {
			if k != r.oos && (top < 0 || v > p[top]) {
				top = k
			}
		}
		conf[i], right[i] = p[top], top == r.gold
	}
	weights := [3]float64{weightIn, weightNear, weightFar}
	var total float64
	for k := range weights {
		if n[k] == 0 {
			weights[k] = 0
		}
		total += weights[k]
	}
	share := func(th float64) [3]float64 {
		var hit [3]int
		for i, r := range rows {
			if r.kind == rowIn && right[i] && conf[i] >= th || r.kind != rowIn && conf[i] < th {
				hit[r.kind]++
			}
		}
		var s [3]float64
		for k := range s {
			if n[k] > 0 {
				s[k] = float64(hit[k]) / float64(n[k])
			}
		}
		return s
	}
	raw = share(0)[rowIn]
	type point struct {
		th, score, se float64
		s             [3]float64
	}
	var points []point
	top := -1
	for i := int(math.Round(100 * floor)); i < 100; i++ {
		th := float64(i) / 100
		s := share(th)
		if s[rowIn] < raw-cvMaxDrop-1e-9 && th > floor {
			break // in-scope accuracy only falls as the threshold rises
		}
		var v, se float64
		for k := range s {
			v += weights[k] * s[k] / total
			if n[k] > 0 {
				w := weights[k] / total
				se += w * w * s[k] * (1 - s[k]) / (float64(n[k]) / float64(reps))
			}
		}
		points = append(points, point{th, v, math.Sqrt(se), s})
		if top < 0 || v > points[top].score+1e-12 {
			top = len(points) - 1
		}
	}
	// The one-standard-error rule: a few hundred held-out lines measure the
	// score to a point or two, and past the first thresholds the curve is
	// often flat within that; the lowest threshold whose score is within
	// one standard error of the best answers the most customers for a
	// score the folds cannot tell from the best.
	for _, p := range points {
		if p.score >= points[top].score-cvSE*points[top].se {
			best, in, near, far = p.th, p.s[rowIn], p.s[rowNear], p.s[rowFar]
			break
		}
	}
	return best, raw, in, near, far
}
