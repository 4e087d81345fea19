package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/sportello/sportello/flows/nlu"
)

// runNLU measures the intent classifier: "nlu eval" trains on one TSV file
// and measures on another, deciding out of scope as serve does unless told
// otherwise; "nlu tune" chooses the abstention threshold on a validation
// file.
func runNLU(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: nlu needs a subcommand: eval or tune", errUsage)
	}
	switch args[0] {
	case "eval":
		return runNLUEval(ctx, e, args[1:])
	case "tune":
		return runNLUTune(ctx, e, args[1:])
	}
	return fmt.Errorf("%w: unknown nlu subcommand %q (want eval or tune)", errUsage, args[0])
}

// nluFlags are the flags eval and tune share.
type nluFlags struct {
	fs                 *flag.FlagSet
	train, val         string
	threshold, maxDrop float64
	test, predictions  string
	noOffTopic         bool
}

func newNLUFlags(e *env, name string) *nluFlags {
	f := &nluFlags{fs: flag.NewFlagSet("nlu "+name, flag.ContinueOnError)}
	f.fs.SetOutput(e.stderr)
	f.fs.StringVar(&f.train, "train", "", "training `file` (TSV text<TAB>label, label oos for out of scope)")
	f.fs.StringVar(&f.val, "val", "", "validation `file` on which to choose the threshold (needs oos lines)")
	f.fs.Float64Var(&f.maxDrop, "max-drop", nlu.DefaultMaxDrop, "in-scope accuracy the tuned threshold may give up on the validation file")
	f.fs.BoolVar(&f.noOffTopic, "no-offtopic", false, "train without the built-in off-topic messages (serve uses them; for measuring what they are worth)")
	return f
}

func (f *nluFlags) parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if f.fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, f.fs.Arg(0))
	}
	if f.train == "" {
		return fmt.Errorf("%w: --train is required", errUsage)
	}
	if f.threshold < 0 || f.threshold >= 1 {
		return fmt.Errorf("%w: --threshold %v not in [0,1)", errUsage, f.threshold)
	}
	if f.maxDrop < 0 || f.maxDrop > 1 {
		return fmt.Errorf("%w: --max-drop %v not in [0,1]", errUsage, f.maxDrop)
	}
	return nil
}

// trainModel reads the training file and trains as serve does (nlu.Train
// with the default options, which flows.Load uses for a flow file that sets
// no threshold), printing what it did.
func trainModel(e *env, f *nluFlags) (*nlu.Model, error) {
	train, err := nlu.ReadTSV(f.train)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	m, err := nlu.Train(train, nlu.Options{NoOffTopic: f.noOffTopic})
	if err != nil {
		return nil, fmt.Errorf("train on %s: %w", f.train, err)
	}
	fmt.Fprintf(e.stdout, "train       %s: %d examples, %d labels, trained in %v\n",
		f.train, len(train), len(m.Labels()), time.Since(start).Round(time.Millisecond))
	c := m.Calibration()
	switch {
	case f.noOffTopic:
		fmt.Fprintf(e.stdout, "off-topic   none (--no-offtopic)\n")
	case c.OffTopic == 0:
		fmt.Fprintf(e.stdout, "off-topic   none: the training file has %s examples of its own\n", nlu.OOS)
	default:
		fmt.Fprintf(e.stdout, "off-topic   %d built-in messages as %s examples\n", c.OffTopic, nlu.OOS)
	}
	return m, nil
}

// printCalibration says how the model decides out of scope by itself.
func printCalibration(w io.Writer, m *nlu.Model) {
	c := m.Calibration()
	if c.Folds == 0 {
		fmt.Fprintf(w, "threshold   %.2f (default: too few intents or examples to cross-validate), temperature %.2f\n", m.Threshold(), c.Temperature)
		return
	}
	folds := "folds"
	if c.Folds == 1 {
		folds = "fold"
	}
	fmt.Fprintf(w, "threshold   %.2f, chosen by cross-validation on the training examples, as serve does (%d %s, temperature %.2f)\n",
		m.Threshold(), c.Folds, folds, c.Temperature)
	fmt.Fprintf(w, "            held out: in-scope accuracy %.2f%% (%.2f%% with no threshold), held-out intents rejected %.2f%%, oos and off-topic rejected %.2f%%\n",
		100*c.InScope, 100*c.RawInScope, 100*c.Near, 100*c.Far)
}

// tune chooses the threshold on the validation file and prints it.
func tune(e *env, m *nlu.Model, path string, maxDrop float64) (float64, error) {
	val, err := nlu.ReadTSV(path)
	if err != nil {
		return 0, err
	}
	t, r, err := nlu.Tune(m, val, maxDrop)
	if err != nil {
		return 0, fmt.Errorf("tune on %s: %w", path, err)
	}
	fmt.Fprintf(e.stdout, "threshold   %.2f, tuned on %s: the highest out-of-scope recall with in-scope accuracy at most %.1f points below no threshold\n",
		t, path, 100*maxDrop)
	fmt.Fprintf(e.stdout, "            validation at %.2f: in-scope accuracy %.2f%%, out-of-scope recall %.2f%%\n",
		t, 100*r.InScopeAccuracy, 100*r.OOSRecall)
	return t, nil
}

// runNLUTune prints the threshold that a validation file chooses.
func runNLUTune(ctx context.Context, e *env, args []string) error {
	f := newNLUFlags(e, "tune")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.val == "" {
		return fmt.Errorf("%w: --val is required", errUsage)
	}
	m, err := trainModel(e, f)
	if err != nil {
		return err
	}
	_, err = tune(e, m, f.val, f.maxDrop)
	return err
}

// runNLUEval trains, classifies every line of the test file and prints the
// measures.
func runNLUEval(ctx context.Context, e *env, args []string) error {
	f := newNLUFlags(e, "eval")
	f.fs.StringVar(&f.test, "test", "", "test `file` (TSV text<TAB>label)")
	f.fs.StringVar(&f.predictions, "predictions", "", "write text<TAB>gold<TAB>predicted<TAB>confidence per test line to `file`")
	f.fs.Float64Var(&f.threshold, "threshold", 0, "abstain below this confidence (0: tuned on --val if given, else chosen by cross-validation on --train, as serve does)")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.test == "" {
		return fmt.Errorf("%w: --test is required", errUsage)
	}
	test, err := nlu.ReadTSV(f.test)
	if err != nil {
		return err
	}
	m, err := trainModel(e, f)
	if err != nil {
		return err
	}
	switch {
	case f.threshold > 0:
		m = m.WithThreshold(f.threshold)
		fmt.Fprintf(e.stdout, "threshold   %.2f (--threshold)\n", f.threshold)
	case f.val != "":
		t, err := tune(e, m, f.val, f.maxDrop)
		if err != nil {
			return err
		}
		m = m.WithThreshold(t)
	default:
		printCalibration(e.stdout, m)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r := nlu.Evaluate(m, test)
	fmt.Fprintf(e.stdout, "test        %s: %d examples, %d in scope, %d out of scope\n\n", f.test, r.N, r.InScope, r.OutOfScope)
	printReport(e.stdout, r)
	if f.predictions != "" {
		if err := writePredictions(f.predictions, r.Predictions); err != nil {
			return err
		}
	}
	return nil
}

func printReport(w io.Writer, r nlu.Report) {
	pct := func(v float64) string { return fmt.Sprintf("%6.2f%%", 100*v) }
	fmt.Fprintf(w, "accuracy           %s\n", pct(r.Accuracy))
	fmt.Fprintf(w, "macro-F1           %s\n", pct(r.MacroF1))
	fmt.Fprintf(w, "in-scope accuracy  %s\n", pct(r.InScopeAccuracy))
	fmt.Fprintf(w, "oos recall         %s\n", pct(r.OOSRecall))
	fmt.Fprintf(w, "oos precision      %s\n", pct(r.OOSPrecision))
	fmt.Fprintf(w, "time per message   %v\n\n", r.PerMessage.Round(100*time.Nanosecond))
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "label\tprecision\trecall\tF1\tsupport\t")
	for _, s := range r.PerLabel {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%d\t\n", s.Label, s.Precision, s.Recall, s.F1, s.Support)
	}
	tw.Flush()
}

func writePredictions(path string, preds []nlu.Prediction) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write predictions: %w", err)
	}
	w := bufio.NewWriter(f)
	for _, p := range preds {
		fmt.Fprintf(w, "%s\t%s\t%s\t%.4f\n", p.Text, p.Gold, p.Predicted, p.Confidence)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write predictions %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write predictions %s: %w", path, err)
	}
	return nil
}
