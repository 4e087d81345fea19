package knowledge

import (
	"math"
	"strings"
	"unicode"
)

// Abstention. How well the best passage matches says little on its own: a
// long question matches more than a short one, and a question about
// something the shop never wrote about still shares words with some page.
// The confidence is a logistic model over features that are comparable
// between queries (below), fitted on the tuning part of the development
// sets; the bot answers when it is at least the threshold.

// features of a query's best hit, in the order of model.weights.
func (ix *Index) features(rs []result, qs []qterm) []float64 {
	passages := ix.passages
	var total, known, cov, names, namesHeld float64
	for j, q := range qs {
		total += q.idf
		if len(q.alts) > 0 {
			known += q.idf
		}
		if rs[0].matched&(1<<j) != 0 {
			cov += q.idf
		}
		if q.boost > 1 {
			names += q.idf
			if rs[0].matched&(1<<j) != 0 {
				namesHeld += q.idf
			}
		}
	}
	nameShare := 1.0
	if names > 0 {
		nameShare = namesHeld / names
	}
	// For a question that asks for a year, a number or a name: how much of
	// it no sentence of the passage holding one holds.
	typed := 0.0
	if rs[0].typed >= 0 {
		typed = rs[0].typed - 1
	}
	second := 0.0
	for _, r := range rs[1:] {
		if passages[r.p].Doc != passages[rs[0].p].Doc {
			second = r.norm
			break
		}
	}
	return []float64{
		rs[0].norm,
		cov / total,
		rs[0].norm - second,
		known / total,
		ix.smallness() * min(0, cov/total-smallFloor),
		nameShare - 1,
		ix.neighbours(rs),
		typed,
	}
}

// neighbours is the share of the other hits (rs[1:]) in the best one's
// language whose page is in the best one's folder, less the share of the
// passages in that language the folder holds: what the search found is
// gathered in one part of the documents rather than scattered over them.
// Where the shop keeps a folder per topic or per article, a question the
// documents answer meets the page that answers and its neighbours, which
// speak of the same thing; a question about something else shares a word
// or two with pages here and there. Within a language, so that a folder
// per language ("it/", "en/") says nothing: on documents in one folder, or
// in one folder per language, it is 0.
func (ix *Index) neighbours(rs []result) float64 {
	best := ix.passages[rs[0].p].Doc
	folder := folderOf(best.ID)
	same, n := 0, 0
	for _, r := range rs[1:] {
		if d := ix.passages[r.p].Doc; d.Lang == best.Lang {
			n++
			if folderOf(d.ID) == folder {
				same++
			}
		}
	}
	if n == 0 {
		return 0
	}
	k := folderKey{best.Lang, folder}
	return float64(same)/float64(n) - float64(ix.folderPassages[k])/float64(ix.folderPassages[folderKey{best.Lang, allFolders}])
}

// A small help centre. On a few dozen pages a question about something
// the shop never wrote about ("avete una carta fedeltà?") often shares one
// word with one page only ("carta di credito"): that page then leads by a
// wide margin, which on a collection of thousands of pages says the page
// is the one, and here says little. So under smallPages pages the
// confidence also falls when the best passage holds less than smallFloor
// of the question (by idf), the more so the fewer the pages: in full at
// tinyPages pages or fewer.
const (
	tinyPages  = 20
	smallPages = 200
	smallFloor = 0.5
)

// smallness is 1 for a help centre of tinyPages pages or fewer, 0 from
// smallPages on, and in between by the logarithm of the number of pages.
func (ix *Index) smallness() float64 {
	n := float64(max(ix.pages, 1))
	return max(0, min(1, math.Log(smallPages/n)/math.Log(smallPages/tinyPages)))
}

// model is the abstention model: confidence = σ(bias + weights·features).
type model struct {
	bias    float64
	weights []float64
}

// defaultModel is the abstention model, one for every collection. The
// features: the best hit's score, the share of the query it holds, its
// margin over the best hit of another page, the share of the query some
// page holds, the shortfall of the share it holds under smallFloor in a
// small help centre (smallness), the share of the query's names it lacks
// (a name survives a paraphrase: "Quando è morto Harvey Martin?" is not
// answered by a page that names Martin Luther King alone), and the share
// of the other hits in the best one's folder (neighbours). The first six
// weights are the ones the demo's help centre was written and tested with
// (its every answer and abstention depends on them; neighbours is 0 on it,
// a folder per language); the neighbours' weight was chosen by
// TestTuneAbstention (KNOWLEDGE_TUNE=1) on the tuning part of squad_it and
// emanual_tv (1,802 and 231 pages): the best mean end-to-end accuracy at
// DefaultThreshold with those six kept.
var defaultModel = model{bias: -4, weights: []float64{7.25, 2, 8.5, 1, 16, 2, 1.75, 2.5}}

// DefaultThreshold is the confidence under which Answer abstains when
// Options.Threshold is 0.
const DefaultThreshold = 0.5

// confidence is σ of m's linear score of the features x.
func (m model) confidence(x []float64) float64 {
	return 1 / (1 + math.Exp(-m.z(x)))
}

// z is the model's linear score of the features x.
func (m model) z(x []float64) float64 {
	z := m.bias
	for i, w := range m.weights {
		z += w * x[i]
	}
	return z
}

// candidates is how many passages a search for an answer looks at.
const candidates = 10

func (ix *Index) answer(query, lang string) (Answer, bool) {
	rs, qs := ix.ix.search(query, lang, candidates)
	var a Answer
	for i, r := range rs {
		if i == 5 {
			break
		}
		a.Hits = append(a.Hits, Hit{Passage: ix.passages[r.p], Score: r.norm})
	}
	if len(rs) == 0 {
		return a, false
	}
	a.Score = ix.model().confidence(ix.features(rs, qs))

	th := ix.opts.Threshold
	if th == 0 {
		th = DefaultThreshold
	}
	if a.Score < th {
		return a, false
	}
	p := ix.passages[ix.inLanguage(rs, lang)]
	a.Passage = p
	a.Citation = citation(p)
	a.Text = ix.trim(p.Text, qs)
	return a, true
}

// sameLanguageShare is how close to the best passage, in another
// language than the customer's, one in the customer's language must
// score for the bot to quote it instead: where the shop wrote a page in
// both, the customer reads their own (the other's score is already cut
// by otherLang).
const sameLanguageShare = 0.85

// inLanguage returns the passage to quote of rs, the search's results
// best first: the best, unless it is in another language than lang and a
// passage in lang scores nearly as well.
func (ix *Index) inLanguage(rs []result, lang string) int32 {
	best := rs[0]
	if lang == "" || ix.passages[best.p].Doc.Lang == "" || ix.passages[best.p].Doc.Lang == lang {
		return best.p
	}
	for _, r := range rs[1:] {
		if ix.passages[r.p].Doc.Lang == lang {
			if r.norm >= sameLanguageShare*best.norm {
				return r.p
			}
			break
		}
	}
	return best.p
}

func (ix *Index) model() model {
	if ix.m.weights != nil {
		return ix.m
	}
	return defaultModel
}

// Trimming. A passage is quoted as the shop wrote it, cut to the sentences
// that answer: a short passage whole; otherwise the sentence that holds
// most of the query, with the sentence before or after it when that one
// holds query words too, at most three, in their order. A list (lines
// starting with "-", "*", "+" or "1.") is one unit, with the line that
// introduces it, and is never cut.

// shortPassage is the length (bytes) under which a passage is quoted whole.
const shortPassage = 320

// A unit is a span of a passage's text quoted whole: a sentence or a list.
type unit struct{ start, end int }

func (ix *Index) trim(text string, qs []qterm) string {
	units := sentences(text)
	if len(text) <= shortPassage || len(units) <= 2 {
		return text
	}
	score := make([]float64, len(units))
	for i, u := range units {
		var held uint64
		for _, w := range words(text[u.start:u.end]) {
			st := stems(w)
			for j, q := range qs {
				for _, a := range q.alts {
					for _, key := range st {
						if key != "" && ix.ix.terms[key] == a.term {
							held |= 1 << j
						}
					}
				}
			}
		}
		for j, q := range qs {
			if held&(1<<j) != 0 {
				score[i] += q.idf
			}
		}
	}
	best := 0
	for i := range units {
		if score[i] > score[best] {
			best = i
		}
	}
	lo, hi := best, best
	for hi-lo < 2 {
		before, after := -1.0, -1.0
		if lo > 0 {
			before = score[lo-1]
		}
		if hi+1 < len(units) {
			after = score[hi+1]
		}
		switch {
		case after > 0 && after >= before:
			hi++
		case before > 0:
			lo--
		case hi == lo && hi+1 < len(units) && units[hi].end-units[hi].start < 80:
			hi++ // a short sentence alone says too little: take the next
		default:
			return strings.TrimSpace(text[units[lo].start:units[hi].end])
		}
	}
	return strings.TrimSpace(text[units[lo].start:units[hi].end])
}

// listItem reports whether a line is an item of a Markdown list.
func listItem(line string) bool {
	t := strings.TrimLeft(line, " \t")
	if len(t) >= 2 && strings.ContainsRune("-*+", rune(t[0])) && t[1] == ' ' {
		return true
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && t[i+1] == ' '
}

// sentences cuts text into units: sentences (ending in . ! ? before a
// space and a capital letter or a new paragraph), and lists whole, with
// the line before them when it ends in ":".
func sentences(text string) []unit {
	var us []unit
	lines := strings.SplitAfter(text, "\n")
	off := 0
	start := -1 // start of the sentence being read
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if listItem(line) {
			ls := off
			if start >= 0 && strings.HasSuffix(strings.TrimSpace(text[start:off]), ":") {
				ls = start // the introduction belongs to the list
				start = -1
			}
			if start >= 0 {
				us = append(us, unit{start, off})
				start = -1
			}
			end := off
			for i < len(lines) && (listItem(lines[i]) || (strings.HasPrefix(lines[i], "  ") && strings.TrimSpace(lines[i]) != "")) {
				end += len(lines[i])
				i++
			}
			i--
			us = append(us, unit{ls, end})
			off = end
			continue
		}
		if strings.TrimSpace(line) == "" {
			if start >= 0 {
				us = append(us, unit{start, off})
				start = -1
			}
			off += len(line)
			continue
		}
		for j := 0; j < len(line); j++ {
			if start < 0 {
				if line[j] == ' ' || line[j] == '\t' || line[j] == '\n' {
					continue
				}
				start = off + j
			}
			c := line[j]
			if c != '.' && c != '!' && c != '?' {
				continue
			}
			k := j + 1
			for k < len(line) && (line[k] == ' ' || line[k] == '"' || line[k] == ')') {
				k++
			}
			if k == len(line) || k > j+1 && startsUpper(line[k:]) {
				us = append(us, unit{start, off + j + 1})
				start = -1
			}
		}
		off += len(line)
	}
	if start >= 0 {
		us = append(us, unit{start, len(text)})
	}
	return us
}

func startsUpper(s string) bool {
	for _, r := range s {
		return unicode.IsUpper(r) || unicode.IsDigit(r)
	}
	return false
}
