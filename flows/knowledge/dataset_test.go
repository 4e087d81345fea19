package knowledge

import (
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/sportello/sportello/flows/nlu"
)

// datasets is where the development datasets live, relative to this package.
const datasets = "../../../shared/datasets/knowledge"

// A devSet is one of the development sets: its documents and queries.
type devSet struct {
	name    string
	docs    []Document
	queries []Query
}

func mustDevSet(tb testing.TB, name string) devSet {
	tb.Helper()
	dir := filepath.Join(datasets, "docs", name)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("dataset %s not found in CI", dir)
		}
		tb.Skipf("dataset %s not found", dir)
	}
	docs, err := Load(dir)
	if err != nil {
		tb.Fatal(err)
	}
	qs, err := ReadQueries(filepath.Join(datasets, name+"_dev.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	return devSet{name, docs, qs}
}

// heldOut splits the queries deterministically by a hash of their text:
// about 30% held out, never tuned on.
func heldOut(q Query) bool {
	h := fnv.New64a()
	h.Write([]byte(q.Text))
	return h.Sum64()%10 >= 7
}

func splitQueries(qs []Query) (tune, held []Query) {
	for _, q := range qs {
		if heldOut(q) {
			held = append(held, q)
		} else {
			tune = append(tune, q)
		}
	}
	return tune, held
}

func predictAll(ix *Index, qs []Query) []Prediction {
	preds := make([]Prediction, len(qs))
	for i, q := range qs {
		preds[i] = ix.Predict(q)
	}
	return preds
}

// bm25 is the baseline: plain BM25 (k1 1.2, b 0.75) over each document's
// title and text, words stemmed with the Snowball stemmer of the
// document's language, no stop words, no fields.
type bm25 struct {
	ids      []string
	postings map[string][][2]int // term -> (doc, tf)
	length   []float64
	avg      float64
}

func newBM25(docs []Document) *bm25 {
	b := &bm25{postings: map[string][][2]int{}}
	var sum float64
	for i, d := range docs {
		tf := map[string]int{}
		var order []string
		n := 0
		for _, w := range words(d.Title + "\n" + d.Body) {
			t := baselineStem(w, d.Lang)
			if tf[t] == 0 {
				order = append(order, t)
			}
			tf[t]++
			n++
		}
		for _, t := range order {
			b.postings[t] = append(b.postings[t], [2]int{i, tf[t]})
		}
		b.ids = append(b.ids, d.ID)
		b.length = append(b.length, float64(n))
		sum += float64(n)
	}
	b.avg = sum / float64(len(docs))
	return b
}

func baselineStem(w, lang string) string {
	en, it := nlu.Stems(w)
	if lang == "en" {
		return en
	}
	return it
}

// search returns the IDs of the best 10 documents and the best score.
func (b *bm25) search(query, lang string) ([]string, float64) {
	score := map[int]float64{}
	n := float64(len(b.ids))
	seen := map[string]bool{}
	for _, w := range words(query) {
		t := baselineStem(w, lang)
		if seen[t] {
			continue
		}
		seen[t] = true
		ps := b.postings[t]
		idf := math.Log(1 + (n-float64(len(ps))+0.5)/(float64(len(ps))+0.5))
		for _, p := range ps {
			tf := float64(p[1])
			score[p[0]] += idf * tf * 2.2 / (tf + 1.2*(0.25+0.75*b.length[p[0]]/b.avg))
		}
	}
	docs := make([]int, 0, len(score))
	for d := range score {
		docs = append(docs, d)
	}
	slices.SortFunc(docs, func(x, y int) int {
		if score[x] != score[y] {
			if score[x] > score[y] {
				return -1
			}
			return 1
		}
		return x - y
	})
	var out []string
	for _, d := range docs[:min(10, len(docs))] {
		out = append(out, b.ids[d])
	}
	if len(docs) == 0 {
		return nil, 0
	}
	return out, score[docs[0]]
}

// baseline scores BM25 on qs: with no abstention, and with the best single
// threshold on its score chosen on tune (the threshold it would have).
func baseline(b *bm25, lang string, tune, qs []Query) (Report, float64) {
	predict := func(qs []Query) []Prediction {
		var ps []Prediction
		for _, q := range qs {
			ids, s := b.search(q.Text, lang)
			ps = append(ps, Prediction{Query: q, Docs: ids, Score: s})
		}
		return ps
	}
	at := func(ps []Prediction, th float64) Report {
		for i := range ps {
			ps[i].Answered = len(ps[i].Docs) > 0 && ps[i].Score >= th
		}
		return Score(ps)
	}
	best := bestThreshold(predict(tune))
	return at(predict(qs), best), best
}

// TestDevSets checks the numbers of docs/knowledge.md on the held-out part
// of each development set: recall@1 above plain BM25's by at least a
// margin, recall@5 not more than 0.025 below it, and end-to-end accuracy
// with abstention. The floors are a little under what the index reaches
// (issue 13 asks for a margin of 0.05, recall@5 not below BM25's and
// accuracies of 0.80 and 0.70: emanual_tv's recall@5 falls short by one
// query, see docs/knowledge.md; squad_it's accuracy, 0.816, is held at the
// issue's 0.80). .ci/run runs it outside -race.
func TestDevSets(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("indexes the development sets")
	}
	floors := map[string]struct{ margin, accuracy float64 }{
		"squad_it":   {0.06, 0.80},
		"emanual_tv": {0.12, 0.77},
	}
	for _, name := range []string{"squad_it", "emanual_tv"} {
		t.Run(name, func(t *testing.T) {
			set := mustDevSet(t, name)
			lang := set.docs[0].Lang
			start := time.Now()
			ix := NewIndex(set.docs, Options{})
			t.Logf("%d documents, %d passages, indexed in %v", len(set.docs), ix.Len(), time.Since(start))
			tune, held := splitQueries(set.queries)
			b := newBM25(set.docs)
			for _, part := range []struct {
				name string
				qs   []Query
			}{{"tuning", tune}, {"held-out", held}, {"all dev", set.queries}} {
				ours := Score(predictAll(ix, part.qs))
				base, th := baseline(b, lang, tune, part.qs)
				t.Logf("%s %s (%d queries): ours r@1 %.3f r@5 %.3f mrr %.3f abst P %.3f R %.3f acc %.3f | bm25 r@1 %.3f r@5 %.3f mrr %.3f acc %.3f (threshold %.2f)",
					name, part.name, len(part.qs), ours.Recall1, ours.Recall5, ours.MRR10, ours.AbstainPrecision, ours.AbstainRecall, ours.Accuracy,
					base.Recall1, base.Recall5, base.MRR10, base.Accuracy, th)
				if part.name != "held-out" {
					continue
				}
				// What the part can tell apart: the half-width of a 95%
				// interval.
				t.Logf("%s held-out: r@1 ±%.3f (one query %.3f), accuracy ±%.3f (one query %.3f)", name,
					half(ours.Recall1, ours.Answerable), 1/float64(max(ours.Answerable, 1)), half(ours.Accuracy, ours.Queries), 1/float64(max(ours.Queries, 1)))
				if ours.Recall1 < base.Recall1+floors[name].margin {
					t.Errorf("%s held-out recall@1 %.3f, want at least BM25's %.3f + %.2f", name, ours.Recall1, base.Recall1, floors[name].margin)
				}
				// Issue 13: recall@5 not below BM25's. emanual_tv's
				// held-out part has been level with it (53 of 55) since the
				// best window orders the places below the third
				// (docs/knowledge.md); one query under it before.
				if ours.Recall5 < base.Recall5-1e-9 {
					t.Errorf("%s held-out recall@5 %.3f, want at least BM25's %.3f", name, ours.Recall5, base.Recall5)
				}
				if ours.Accuracy < floors[name].accuracy {
					t.Errorf("%s held-out accuracy %.3f, want at least %.2f", name, ours.Accuracy, floors[name].accuracy)
				}
			}
		})
	}
}
