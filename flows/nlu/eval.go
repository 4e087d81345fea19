package nlu

import (
	"fmt"
	"sort"
	"time"
)

// WithThreshold returns a copy of m that abstains below threshold t. The copy
// shares the trained weights with m.
func (m *Model) WithThreshold(t float64) *Model {
	c := *m
	c.threshold = t
	return &c
}

// Prediction is the model's answer for one labelled example.
type Prediction struct {
	Text, Gold, Predicted string
	Confidence            float64
}

// LabelScore is precision, recall and F1 of one label.
type LabelScore struct {
	Label                 string
	Precision, Recall, F1 float64
	Support               int // examples with this gold label
}

// Report is the measure of a model on a labelled test set.
type Report struct {
	N        int
	Accuracy float64 // all examples, OOS counted as a label
	MacroF1  float64 // mean F1 over the gold labels, OOS included
	// InScopeAccuracy is the share of in-scope examples given their intent
	// (an abstention counts as wrong).
	InScopeAccuracy float64
	// OOSRecall is the share of out-of-scope examples the model rejected;
	// OOSPrecision the share of rejections that were out of scope.
	OOSRecall, OOSPrecision float64
	InScope, OutOfScope     int // numbers of examples
	PerLabel                []LabelScore
	Predictions             []Prediction
	PerMessage              time.Duration // mean time of one Predict
}

// Evaluate predicts every example with m and measures the answers.
func Evaluate(m *Model, examples []Example) Report {
	preds := make([]Prediction, len(examples))
	start := time.Now()
	for i, e := range examples {
		l, c := m.Predict(e.Text)
		preds[i] = Prediction{e.Text, e.Label, l, c}
	}
	r := score(preds)
	if len(examples) > 0 {
		r.PerMessage = time.Since(start) / time.Duration(len(examples))
	}
	return r
}

// score measures predictions.
func score(preds []Prediction) Report {
	r := Report{N: len(preds), Predictions: preds}
	tp, fp, fn := map[string]int{}, map[string]int{}, map[string]int{}
	support := map[string]int{}
	var correct, inCorrect, oosRejected, rejected int
	for _, p := range preds {
		support[p.Gold]++
		if p.Predicted == p.Gold {
			correct++
			tp[p.Gold]++
		} else {
			fp[p.Predicted]++
			fn[p.Gold]++
		}
		if p.Predicted == OOS {
			rejected++
		}
		if p.Gold == OOS {
			r.OutOfScope++
			if p.Predicted == OOS {
				oosRejected++
			}
			continue
		}
		r.InScope++
		if p.Predicted == p.Gold {
			inCorrect++
		}
	}
	r.Accuracy = ratio(correct, r.N)
	r.InScopeAccuracy = ratio(inCorrect, r.InScope)
	r.OOSRecall = ratio(oosRejected, r.OutOfScope)
	r.OOSPrecision = ratio(oosRejected, rejected)
	for l, n := range support {
		s := LabelScore{Label: l, Support: n}
		s.Precision = ratio(tp[l], tp[l]+fp[l])
		s.Recall = ratio(tp[l], tp[l]+fn[l])
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		r.PerLabel = append(r.PerLabel, s)
		r.MacroF1 += s.F1
	}
	if len(r.PerLabel) > 0 {
		r.MacroF1 /= float64(len(r.PerLabel))
	}
	sort.Slice(r.PerLabel, func(i, j int) bool { return r.PerLabel[i].Label < r.PerLabel[j].Label })
	return r
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// DefaultMaxDrop is the in-scope accuracy Tune may give up, by default, to
// reject out-of-scope messages: one point.
const DefaultMaxDrop = 0.01

// Tune chooses a threshold on a validation set val, which needs in-scope and
// out-of-scope examples. The criterion: the highest out-of-scope recall
// whose in-scope accuracy is at most maxDrop below the in-scope accuracy
// without a threshold (the lowest such threshold, in steps of 0.01). It
// returns the threshold and the report on val at that threshold.
func Tune(m *Model, val []Example, maxDrop float64) (float64, Report, error) {
	var in, out int
	for _, e := range val {
		if e.Label == OOS {
			out++
		} else {
			in++
		}
	}
	if in == 0 || out == 0 {
		return 0, Report{}, fmt.Errorf("nlu: tune: validation set needs in-scope and %q examples (has %d and %d)", OOS, in, out)
	}
	// Predict once at threshold 0, then replay the thresholds.
	raw := Evaluate(m.WithThreshold(0), val)
	floor := raw.InScopeAccuracy - maxDrop
	bestT, bestR := 0.0, raw
	for i := 1; i < 100; i++ {
		t := float64(i) / 100
		r := score(applyThreshold(raw.Predictions, t))
		if r.InScopeAccuracy < floor-1e-12 {
			break // accuracy only falls as the threshold rises
		}
		if r.OOSRecall > bestR.OOSRecall {
			bestT, bestR = t, r
		}
	}
	bestR.PerMessage = raw.PerMessage
	return bestT, bestR, nil
}

// applyThreshold returns preds as the model would have answered with
// threshold t, given predictions made at threshold 0.
func applyThreshold(preds []Prediction, t float64) []Prediction {
	out := make([]Prediction, len(preds))
	for i, p := range preds {
		if p.Predicted != OOS && p.Confidence < t {
			p.Predicted = OOS
		}
		out[i] = p
	}
	return out
}
