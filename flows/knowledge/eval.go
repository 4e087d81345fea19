package knowledge

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// A Query is one line of an evaluation file: a question and the ID of the
// document that answers it, or "-" when none does.
type Query struct {
	Text, Gold string
	Line       int
}

// NoAnswer is the gold of a query no document answers.
const NoAnswer = "-"

// ReadQueries reads an evaluation file of lines "query<TAB>gold". Blank
// lines are skipped; a malformed line is an error with its file:line.
func ReadQueries(path string) ([]Query, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("knowledge: read %s: %w", path, err)
	}
	defer f.Close()
	var out []Query
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 64*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		text, gold, ok := strings.Cut(line, "\t")
		text, gold = strings.TrimSpace(text), strings.TrimSpace(gold)
		switch {
		case !ok:
			return nil, fmt.Errorf("%s:%d: no tab between query and gold", path, n)
		case strings.Contains(gold, "\t"):
			return nil, fmt.Errorf("%s:%d: more than two columns", path, n)
		case text == "":
			return nil, fmt.Errorf("%s:%d: empty query", path, n)
		case gold == "":
			return nil, fmt.Errorf("%s:%d: empty gold (a document ID, or - when none answers)", path, n)
		}
		out = append(out, Query{Text: text, Gold: gold, Line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("knowledge: read %s: line too long or unreadable: %w", path, err)
	}
	return out, nil
}

// A Prediction is what the index did with one query: the documents it
// found, best first (at most 10), whether it answered, and its confidence.
type Prediction struct {
	Query    Query
	Docs     []string
	Answered bool
	Score    float64
}

// Predict answers q as the bot would (Answer, the customer's language not
// given) and lists the documents Search finds.
func (ix *Index) Predict(q Query) Prediction {
	pr := Prediction{Query: q}
	a, ok := ix.Answer(q.Text, "")
	pr.Answered, pr.Score = ok, a.Score
	seen := map[string]bool{}
	for _, h := range ix.Search(q.Text, "", 50) {
		id := h.Passage.Doc.ID
		if !seen[id] {
			seen[id] = true
			pr.Docs = append(pr.Docs, id)
		}
		if len(pr.Docs) == 10 {
			break
		}
	}
	return pr
}

// A Report is what an evaluation measured. Recall and MRR count the
// answerable queries (gold not "-"), whatever the abstention; abstention
// precision is the share of abstentions that were right (gold "-"), its
// recall the share of "-" queries abstained on; accuracy is end to end:
// the right document answered, or abstained on "-".
type Report struct {
	Queries, Answerable             int
	Recall1, Recall5, MRR10         float64
	AbstainPrecision, AbstainRecall float64
	Accuracy                        float64
}

// Score measures predictions.
func Score(preds []Prediction) Report {
	var r Report
	var r1, r5, correct, abst, abstRight, none int
	var mrr float64
	for _, p := range preds {
		r.Queries++
		gold := p.Query.Gold
		if gold == NoAnswer {
			none++
			if !p.Answered {
				abstRight++
				correct++
			}
		} else {
			r.Answerable++
			for i, d := range p.Docs {
				if d != gold {
					continue
				}
				if i == 0 {
					r1++
					if p.Answered {
						correct++
					}
				}
				if i < 5 {
					r5++
				}
				mrr += 1 / float64(i+1)
				break
			}
		}
		if !p.Answered {
			abst++
		}
	}
	r.Recall1 = ratio(r1, r.Answerable)
	r.Recall5 = ratio(r5, r.Answerable)
	r.MRR10 = mrr / float64(max(r.Answerable, 1))
	r.AbstainPrecision = ratio(abstRight, abst)
	r.AbstainRecall = ratio(abstRight, none)
	r.Accuracy = ratio(correct, r.Queries)
	return r
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
