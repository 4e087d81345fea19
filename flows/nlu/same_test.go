package nlu

import (
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"
)

// TestSameAnswers checks that the classifier's fast prediction path (stem
// and feature caches, pooled buffers, the vocabulary table, the bucket sort)
// gives the probabilities of the plain one below, written as the path was
// before it was made faster: every word stemmed and hashed anew, a Go map
// for the vocabulary, a plain sort and plain loops. It reads the demo
// shop's intents and test lines, and CLINC150's test set when present.
func TestSameAnswers(t *testing.T) {
	shop := mustShopIntents(t)
	var texts []string
	for _, e := range shop {
		texts = append(texts, e.Text)
	}
	for _, lang := range []string{"en", "it"} {
		ex, err := ReadTSV("../../examples/shop/nlu_test_" + lang + ".tsv")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ex {
			texts = append(texts, e.Text)
		}
	}
	// Texts of junk and limits: accents, long words, more than 64 tokens.
	texts = append(texts, "", "   ", "PERCHÉ l’ordine non è arrivato?", strings.Repeat("a", 40)+" ordine",
		strings.Repeat("dove è il mio ordine ", 20), "ＦＵＬＬ width ﬁ ligature", "😀 emoji only 😀")
	t.Run("shop", func(t *testing.T) {
		m := mustTrain(t, shop, Options{})
		// Twice: the second time the caches are warm.
		compareAnswers(t, m, texts)
		compareAnswers(t, m, texts)
		// And when the norm cannot be shown exact, so that the keys are sorted.
		sorting := *m
		sorting.least = math.SmallestNonzeroFloat64
		compareAnswers(t, &sorting, texts)
	})
	t.Run("clinc150", func(t *testing.T) {
		if testing.Short() || raceEnabled {
			t.Skip("trains on CLINC150")
		}
		test := mustDataset(t, "clinc150_test.tsv")
		m := mustCLINC(t)
		var texts []string
		for _, e := range test {
			texts = append(texts, e.Text)
		}
		compareAnswers(t, m, texts)
	})
}

// mustShopIntents returns the examples of examples/shop/intents.yaml,
// labelled by intent.
func mustShopIntents(tb testing.TB) []Example {
	tb.Helper()
	data, err := os.ReadFile("../../examples/shop/intents.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	var f struct {
		Intents map[string]struct {
			Examples map[string][]string
		}
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		tb.Fatal(err)
	}
	var out []Example
	for name, in := range f.Intents {
		for _, lang := range []string{"en", "it"} {
			for _, text := range in.Examples[lang] {
				out = append(out, Example{Text: text, Label: name})
			}
		}
	}
	slices.SortFunc(out, func(a, b Example) int { return strings.Compare(a.Text+a.Label, b.Text+b.Label) })
	if len(out) < 100 {
		tb.Fatalf("%d examples in intents.yaml; want the demo's hundreds", len(out))
	}
	return out
}

// compareAnswers fails if m's probabilities, Classify or Predict of a text
// differ from the plain path's.
func compareAnswers(t *testing.T, m *Model, texts []string) {
	t.Helper()
	rows := map[uint64]int32{}
	for i, k := range m.vocab.keys {
		if k != 0 {
			rows[k] = m.vocab.rows[i]
		}
	}
	if m.vocab.zero > 0 {
		rows[0] = m.vocab.zero - 1
	}
	bad := 0
	for _, text := range texts {
		want, wantKnown := plainProbabilities(m, rows, text)
		b := &buffers{}
		got, known := m.probabilities(b, text)
		if known != wantKnown || len(got) != len(want) {
			t.Errorf("%q: known %v, %d classes; want %v, %d", text, known, len(got), wantKnown, len(want))
			bad++
			continue
		}
		for k := range want {
			if math.Abs(got[k]-want[k]) > 1e-12 {
				t.Errorf("%q: p(%s) = %v, want %v", text, m.labels[k], got[k], want[k])
				bad++
				break
			}
		}
		label, conf := m.Predict(text)
		wantLabel, wantConf := OOS, 0.0
		if wantKnown {
			best := -1
			for k, v := range want {
				if k != m.oos && (best < 0 || v > want[best]) {
					best = k
				}
			}
			wantLabel, wantConf = m.labels[best], want[best]
			if wantConf < m.threshold {
				wantLabel = OOS
			}
		}
		if label != wantLabel || math.Abs(conf-wantConf) > 1e-12 {
			t.Errorf("Predict(%q) = %s %v, want %s %v", text, label, conf, wantLabel, wantConf)
			bad++
		}
		if c := m.Classify(text); wantKnown && (len(c) == 0 || math.Abs(c[0].Confidence-wantConf) > 1e-12) {
			t.Errorf("Classify(%q) = %v, want first confidence %v", text, c, wantConf)
			bad++
		}
		if bad > 10 {
			t.Fatal("too many differences")
		}
	}
}

// plainProbabilities is probabilities as it was written before the
// prediction path was made faster, with no cache of any kind.
func plainProbabilities(m *Model, rows map[uint64]int32, text string) ([]float64, bool) {
	tokens := plainTokens(plainNormalize(text))
	var keys []uint64
	prev := "^"
	for _, t := range tokens {
		en, it := stem(t)
		keys = append(keys, key(hashString(seed(groupWord), t), gWord))
		keys = append(keys, key(hashString(seed(groupStem), en), gStem))
		if it != en {
			keys = append(keys, key(hashString(seed(groupStem), it), gStem))
		}
		n := len(t) + 2
		gram := "<" + t + ">"
		for i := 0; i+3 <= n; i++ {
			keys = append(keys, key(hashString(seed(groupChar), gram[i:i+3]), gChar))
		}
		keys = append(keys, key(hashString(seed(groupBigram), prev+" "+en), gBigram))
		prev = en
	}
	if len(tokens) > 0 {
		keys = append(keys, key(hashString(seed(groupBigram), prev+" $"), gBigram))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)

	var x sparse
	var norm float64
	for _, k := range keys {
		w := groupWeight[k&3]
		r, ok := rows[k]
		if !ok {
			v := w * m.unseen
			norm += float64(v * v)
			continue
		}
		v := w * m.idf[r]
		norm += float64(v * v)
		x.rows = append(x.rows, r)
		x.vals = append(x.vals, v)
	}
	if len(x.rows) == 0 {
		return nil, false
	}
	inv := float32(1 / math.Sqrt(norm))
	for i := range x.vals {
		x.vals[i] *= inv
	}
	classes := len(m.labels)
	acc := slices.Clone(m.bias)
	for j, r := range x.rows {
		for k := range classes {
			acc[k] += x.vals[j] * m.weights[int(r)*classes+k]
		}
	}
	p := make([]float64, classes)
	max := math.Inf(-1)
	for k, v := range acc {
		p[k] = float64(v)
		max = math.Max(max, p[k])
	}
	var sum float64
	for k, v := range p {
		p[k] = math.Exp((v - max) / m.temp)
		sum += p[k]
	}
	for k := range p {
		p[k] /= sum
	}
	if asked := operations(tokens); asked != 0 {
		for k := range p {
			if k != m.oos && asked&^m.ops[k] != 0 {
				p[k] *= opPenalty
			}
		}
	}
	return p, true
}

// plainNormalize is Normalize as it was: NFKD, then lower case, accents
// dropped, apostrophes made plain, spaces collapsed.
func plainNormalize(text string) string {
	var b strings.Builder
	space := true
	for _, r := range norm.NFKD.String(text) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case isApostrophe(r):
			r = '\''
		case unicode.IsSpace(r):
			if !space {
				space = true
				b.WriteByte(' ')
			}
			continue
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRight(b.String(), " ")
}

// plainTokens is Tokenize of normalised text as it was.
func plainTokens(s string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(t) > maxTokenBytes {
			continue
		}
		out = append(out, t)
		if len(out) == maxTokens {
			break
		}
	}
	return out
}

// TestNormalizeSame checks Normalize and the tokens against the plain
// versions above on random texts of ASCII, accents, apostrophes, spaces
// of every kind and invalid UTF-8.
func TestNormalizeSame(t *testing.T) {
	pieces := []string{"a", "Z", "q", "7", " ", "  ", "\t", "\n", "\r\n", "\v", "`", "'", "’", ",", ".", "?",
		"é", "È", "ß", "ﬁ", "Ｆ", "\u00a0", "\u2003", "😀", "\xff", "\xc3", "e\u0301", "-", "_", "İ"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String()
		if got, want := Normalize(text), plainNormalize(text); got != want {
			t.Fatalf("Normalize(%q) = %q, want %q", text, got, want)
		}
		if got, want := Tokenize(text), plainTokens(plainNormalize(text)); !slices.Equal(got, want) {
			t.Fatalf("Tokenize(%q) = %q, want %q", text, got, want)
		}
	}
}
