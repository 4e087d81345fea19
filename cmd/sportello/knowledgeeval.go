package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/sportello/sportello/flows/knowledge"
)

// runKnowledgeEval measures the index serve uses on a set of queries:
// knowledge.Load, knowledge.NewIndex with the default options, and
// Index.Answer and Index.Search for each query, as the bot answers.
func runKnowledgeEval(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("knowledge eval", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	docs := fs.String("docs", "", "the documents' `folder` (Markdown, HTML, CSV/TSV FAQs)")
	queries := fs.String("queries", "", "queries `file`: query<TAB>gold per line, gold a document ID or - when none answers")
	predictions := fs.String("predictions", "", "write query<TAB>gold<TAB>predicted IDs<TAB>score per query to `file`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	case *docs == "":
		return fmt.Errorf("%w: --docs is required", errUsage)
	case *queries == "":
		return fmt.Errorf("%w: --queries is required", errUsage)
	}
	qs, err := knowledge.ReadQueries(*queries)
	if err != nil {
		return err
	}
	start := time.Now()
	ds, err := knowledge.Load(*docs)
	if len(ds) == 0 {
		return err
	}
	if err != nil {
		// As serve does: the mistakes are reported, the rest is used.
		fmt.Fprintf(e.stderr, "%v\n", err)
	}
	ix := knowledge.NewIndex(ds, knowledge.Options{})
	fmt.Fprintf(e.stdout, "documents   %s: %d documents, %d passages, loaded and indexed in %v\n",
		*docs, len(ds), ix.Len(), time.Since(start).Round(time.Millisecond))
	preds := make([]knowledge.Prediction, 0, len(qs))
	start = time.Now()
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return err
		}
		preds = append(preds, ix.Predict(q))
	}
	per := time.Since(start) / time.Duration(max(len(qs), 1))
	r := knowledge.Score(preds)
	fmt.Fprintf(e.stdout, "queries     %s: %d queries, %d answerable, %d with no answer (-); %v per query\n\n",
		*queries, r.Queries, r.Answerable, r.Queries-r.Answerable, per.Round(time.Microsecond))
	fmt.Fprintf(e.stdout, "recall@1               %.3f\n", r.Recall1)
	fmt.Fprintf(e.stdout, "recall@5               %.3f\n", r.Recall5)
	fmt.Fprintf(e.stdout, "MRR@10                 %.3f\n", r.MRR10)
	fmt.Fprintf(e.stdout, "abstention precision   %.3f\n", r.AbstainPrecision)
	fmt.Fprintf(e.stdout, "abstention recall      %.3f\n", r.AbstainRecall)
	fmt.Fprintf(e.stdout, "end-to-end accuracy    %.3f  (right document first, or abstained on -)\n", r.Accuracy)
	if *predictions != "" {
		return writeKnowledgePredictions(*predictions, preds)
	}
	return nil
}

// writeKnowledgePredictions writes query, gold, the documents found (none
// when the bot abstained) and the confidence, one query a line.
func writeKnowledgePredictions(path string, preds []knowledge.Prediction) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write predictions: %w", err)
	}
	w := bufio.NewWriter(f)
	for _, p := range preds {
		ids := ""
		if p.Answered {
			ids = strings.Join(p.Docs, ",")
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%.4f\n", p.Query.Text, p.Query.Gold, ids, p.Score)
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
