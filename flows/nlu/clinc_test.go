package nlu

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// datasets is where the development datasets live, relative to this package.
const datasets = "../../../shared/datasets"

func mustDataset(tb testing.TB, name string) []Example {
	tb.Helper()
	path := filepath.Join(datasets, name)
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("dataset %s not found in CI", path)
		}
		tb.Skipf("dataset %s not found", path)
	}
	ex, err := ReadTSV(path)
	if err != nil {
		tb.Fatal(err)
	}
	return ex
}

// TestCLINC checks the numbers of docs/nlu.md: train on CLINC150's training
// set, choose the threshold on its validation set, measure on its test set.
func TestCLINC(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("trains on CLINC150")
	}
	train := mustDataset(t, "clinc150_train.tsv")
	val := mustDataset(t, "clinc150_val.tsv")
	test := mustDataset(t, "clinc150_test.tsv")
	start := time.Now()
	m, err := Train(train, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trained in %v, temperature %.3f", time.Since(start), m.Temperature())
	th, vr, err := Tune(m, val, DefaultMaxDrop)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("validation: threshold %.2f, in-scope accuracy %.4f, oos recall %.4f", th, vr.InScopeAccuracy, vr.OOSRecall)
	r := Evaluate(m.WithThreshold(th), test)
	t.Logf("test: in-scope accuracy %.4f, oos recall %.4f, oos precision %.4f, %v/message", r.InScopeAccuracy, r.OOSRecall, r.OOSPrecision, r.PerMessage)
	if r.InScopeAccuracy < 0.91 || r.OOSRecall < 0.45 {
		t.Errorf("CLINC150 test: in-scope accuracy %.4f, oos recall %.4f; want at least 0.91 and 0.45", r.InScopeAccuracy, r.OOSRecall)
	}
}
