package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const nluTrainTSV = `is my phone still under warranty	warranty
how long is the warranty	warranty
il telefono è ancora in garanzia	warranty
quanto dura la garanzia	warranty
does the guarantee cover the screen	warranty
la garanzia copre lo schermo	warranty
my phone does not turn on	support
the screen is broken	support
il telefono non si accende	support
lo schermo è rotto	support
the battery drains fast	support
la batteria si scarica subito	support
i want to buy a new phone	sales
how much does the laptop cost	sales
vorrei comprare un telefono nuovo	sales
quanto costa il portatile	sales
any discounts on tvs	sales
ci sono sconti sui televisori	sales
what's the weather tomorrow	oos
play some music	oos
che tempo fa domani	oos
metti una sveglia alle 7	oos
`

const nluTestTSV = `is the laptop under warranty	warranty
quanto dura la garanzia del portatile	warranty
my laptop won't turn on	support
il portatile non si accende	support
how much is the phone	sales
quanto costa il televisore	sales
set an alarm for six	oos
riproduci una canzone	oos
`

// runCmd runs sportello with args and returns the exit code and outputs.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, args)
	return code, stdout.String(), stderr.String()
}

func writeTemp(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNLUEval(t *testing.T) {
	dir := t.TempDir()
	train := writeTemp(t, dir, "train.tsv", nluTrainTSV)
	test := writeTemp(t, dir, "test.tsv", nluTestTSV)
	preds := filepath.Join(dir, "preds.tsv")

	code, out, errOut := runCmd(t, "nlu", "eval", "--train", train, "--test", test, "--predictions", preds)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	for _, want := range []string{"accuracy", "macro-F1", "in-scope accuracy", "oos recall", "oos precision",
		"time per message", "trained in", "threshold   0.40 (default: too few", "off-topic   ", "warranty", "support", "sales"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	data, err := os.ReadFile(preds)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 8 {
		t.Fatalf("predictions: %d lines, want 8:\n%s", len(lines), data)
	}
	for _, l := range lines {
		if f := strings.Split(l, "\t"); len(f) != 4 {
			t.Errorf("predictions line %q: %d fields, want 4", l, len(f))
		}
	}
	if !strings.HasPrefix(lines[0], "is the laptop under warranty\twarranty\t") {
		t.Errorf("first prediction line %q", lines[0])
	}

	t.Run("threshold", func(t *testing.T) {
		code, out, _ := runCmd(t, "nlu", "eval", "--train", train, "--test", test, "--threshold", "0.99", "--predictions", preds)
		if code != 0 || !strings.Contains(out, "threshold   0.99 (--threshold)") {
			t.Fatalf("exit %d:\n%s", code, out)
		}
		data, _ := os.ReadFile(preds)
		for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if f := strings.Split(l, "\t"); f[2] != "oos" {
				t.Errorf("at threshold 0.99 %q was not rejected", l)
			}
		}
	})
	t.Run("cross-validated as serve does", func(t *testing.T) {
		// Eight intents of 30 examples: enough to hold some out.
		var b strings.Builder
		for _, intent := range []string{"warranty", "repair", "buy", "stock", "ship", "returns", "manual", "invoice"} {
			for i := range 30 {
				fmt.Fprintf(&b, "%s question number %d about product %d\t%s\n", intent, i, i%7, intent)
			}
		}
		big := writeTemp(t, dir, "big.tsv", b.String())
		code, out, errOut := runCmd(t, "nlu", "eval", "--train", big, "--test", test)
		if code != 0 || !strings.Contains(out, "chosen by cross-validation on the training examples, as serve does (4 folds") ||
			!strings.Contains(out, "held-out intents rejected") {
			t.Fatalf("exit %d:\n%s\n%s", code, out, errOut)
		}
		code, out, _ = runCmd(t, "nlu", "eval", "--train", big, "--test", test, "--no-offtopic")
		if code != 0 || !strings.Contains(out, "off-topic   none (--no-offtopic)") {
			t.Fatalf("--no-offtopic: exit %d:\n%s", code, out)
		}
	})
	t.Run("val", func(t *testing.T) {
		code, out, errOut := runCmd(t, "nlu", "eval", "--train", train, "--test", test, "--val", test)
		if code != 0 || !strings.Contains(out, "tuned on "+test) {
			t.Fatalf("exit %d:\n%s\n%s", code, out, errOut)
		}
	})
}

func TestNLUTune(t *testing.T) {
	dir := t.TempDir()
	train := writeTemp(t, dir, "train.tsv", nluTrainTSV)
	val := writeTemp(t, dir, "val.tsv", nluTestTSV)
	code, out, errOut := runCmd(t, "nlu", "tune", "--train", train, "--val", val)
	if code != 0 || !strings.Contains(out, "threshold") || !strings.Contains(out, "validation at") {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errOut)
	}
}

func TestNLUErrors(t *testing.T) {
	dir := t.TempDir()
	train := writeTemp(t, dir, "train.tsv", nluTrainTSV)
	bad := writeTemp(t, dir, "bad.tsv", "fine line\tsales\nno tab on this line\n")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no subcommand", []string{"nlu"}, 2, "usage: sportello nlu"},
		{"unknown subcommand", []string{"nlu", "frobnicate"}, 2, "unknown nlu subcommand"},
		{"no train", []string{"nlu", "eval", "--test", train}, 2, "--train is required"},
		{"no test", []string{"nlu", "eval", "--train", train}, 2, "--test is required"},
		{"bad flag", []string{"nlu", "eval", "--nope"}, 2, "flag provided but not defined"},
		{"bad threshold", []string{"nlu", "eval", "--train", train, "--test", train, "--threshold", "2"}, 2, "not in [0,1)"},
		{"tune without val", []string{"nlu", "tune", "--train", train}, 2, "--val is required"},
		{"malformed training line", []string{"nlu", "eval", "--train", bad, "--test", train}, 1, bad + ":2: no tab"},
		{"missing file", []string{"nlu", "eval", "--train", filepath.Join(dir, "missing.tsv"), "--test", train}, 1, "missing.tsv"},
		{"val without oos", []string{"nlu", "tune", "--train", train, "--val", writeTemp(t, dir, "v.tsv", "hi\tsales\n")}, 1, "needs in-scope and"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCmd(t, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, want %d; stderr %q lacks %q", code, tt.code, errOut, tt.want)
			}
		})
	}
}
