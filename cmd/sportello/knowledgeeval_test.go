package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestKnowledgeEvalPrintsTheMeasuresAndWritesPredictions runs the command
// on a small help centre.
func TestKnowledgeEvalPrintsTheMeasuresAndWritesPredictions(t *testing.T) {
	docs := writeFiles(t, map[string]string{
		"it/pagamenti.md": "---\ntitle: Pagamenti\nlang: it\n---\nAccettiamo carte di credito, PayPal e bonifico bancario. Il pagamento in contrassegno costa 5 euro.\n",
		"en/reset.md":     "---\ntitle: Resetting the TV\nlang: en\nurl: https://shop.example/help/reset\n---\nTo reset the TV to factory settings, open Settings, then General, then Reset, and enter your PIN.\n",
		"en/shipping.md":  "---\ntitle: Shipping\nlang: en\n---\nOrders ship within two working days. Delivery in Italy takes three to five days.\n",
	})
	dir := t.TempDir()
	queries := filepath.Join(dir, "q.tsv")
	os.WriteFile(queries, []byte("posso pagare con PayPal?\tit/pagamenti\nhow do I reset the TV to factory settings?\ten/reset\nhow long does delivery take\ten/shipping\nwho won the football world cup in 1982\t-\n"), 0o644)
	out := filepath.Join(dir, "out.tsv")
	code, stdout, stderr := runCmd(t, "knowledge", "eval", "--docs", docs, "--queries", queries, "--predictions", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"3 documents", "4 queries, 3 answerable", "recall@1               1.000", "MRR@10", "abstention precision", "abstention recall", "end-to-end accuracy    1.000"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("predictions: %d lines, want 4:\n%s", len(lines), data)
	}
	if f := strings.Split(lines[0], "\t"); len(f) != 4 || f[0] != "posso pagare con PayPal?" || !strings.HasPrefix(f[2], "it/pagamenti") {
		t.Errorf("first prediction %q, want the query, its gold, it/pagamenti first, a score", lines[0])
	}
	if f := strings.Split(lines[3], "\t"); len(f) != 4 || f[2] != "" {
		t.Errorf("abstained prediction %q, want no documents", lines[3])
	}
}

func TestKnowledgeEvalReportsBadInput(t *testing.T) {
	docs := writeFiles(t, map[string]string{"a.md": "---\ntitle: A\n---\nSome text about returns.\n"})
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.tsv")
	os.WriteFile(bad, []byte("a query with no gold\n"), 0o644)
	good := filepath.Join(dir, "good.tsv")
	os.WriteFile(good, []byte("returns\ta\n"), 0o644)
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no docs flag", []string{"--queries", bad}, 2, "--docs is required"},
		{"no queries flag", []string{"--docs", docs}, 2, "--queries is required"},
		{"malformed queries", []string{"--docs", docs, "--queries", bad}, 1, "bad.tsv:1: no tab"},
		{"empty folder", []string{"--docs", t.TempDir(), "--queries", good}, 1, "no documents"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, append([]string{"knowledge", "eval"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}
