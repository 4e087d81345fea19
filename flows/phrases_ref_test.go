package flows

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The phrase index against the naive reference it replaced: a phrase of
// a list is in a text where strings.Contains finds it in the text's words
// joined between spaces, " like this ", and each of its places there is
// one hit. These tests rebuild every builtin phrase from the index itself
// and compare, phrase by phrase, on texts made to be hard: phrases at the
// very start and end, repeated, overlapping, glued to their neighbours,
// with Unicode, punctuation and capitals around them.

// refPhrase is one phrase of the builtin index, as it was written.
type refPhrase struct {
	list, item int
	text       string // " a b "
}

// builtinPhrases returns every phrase of the builtin index.
func builtinPhrases() []refPhrase {
	var out []refPhrase
	for first, entries := range builtin.first {
		for _, e := range entries {
			w := append([]string{first}, e.rest...)
			out = append(out, refPhrase{e.list, e.item, " " + strings.Join(w, " ") + " "})
		}
	}
	slices.SortFunc(out, func(a, b refPhrase) int {
		if a.list != b.list {
			return a.list - b.list
		}
		return a.item - b.item
	})
	return out
}

// occurrences returns where phrase starts in joined, counted in words,
// overlapping occurrences included (they may share a space).
// strings.Index jumps to each candidate, which is what every position's
// HasPrefix found, in a fraction of the time (the texts are thousands,
// the phrases hundreds).
func occurrences(joined, phrase string) []int {
	var at []int
	for i := 0; i+len(phrase) <= len(joined); i++ {
		j := strings.Index(joined[i:], phrase)
		if j < 0 {
			break
		}
		i += j
		if joined[i] == ' ' {
			at = append(at, strings.Count(joined[:i], " "))
		}
	}
	return at
}

// checkAgainstContains compares said, hits included, with the reference
// for text.
func checkAgainstContains(t *testing.T, all []refPhrase, text string) {
	t.Helper()
	s := saying(text)
	joined := " " + strings.Join(s.words, " ") + " "
	// One int a phrase, list and item, for the map: a struct key's hash
	// was a third of the test's time.
	key := func(list, item int) int { return list<<32 | item }
	got := map[int][]int{}
	for _, h := range s.hits {
		got[key(h.list, h.item)] = append(got[key(h.list, h.item)], h.start)
	}
	lists := map[int]bool{}
	for _, p := range all {
		want := occurrences(joined, p.text)
		if g := got[key(p.list, p.item)]; !slices.Equal(g, want) {
			t.Errorf("%q: phrase %q (list %d) at words %v, want %v", text, p.text, p.list, g, want)
		}
		if len(want) > 0 {
			lists[p.list] = true
		}
		for _, start := range want {
			end := start + strings.Count(strings.TrimSpace(p.text), " ") + 1
			if w := strings.Join(s.words[start:end], " "); w != strings.TrimSpace(p.text) {
				t.Errorf("%q: phrase %q found as %q", text, p.text, w)
			}
		}
	}
	for list := range builtin.lists {
		if has, want := s.has(builtinList(list)), lists[list]; has != want {
			t.Errorf("%q: list %d has = %v, want strings.Contains's %v", text, list, has, want)
		}
	}
}

// builtinList names a builtin list by its number.
func builtinList(list int) phrases { return phrases{list: list} }

// refNoise are words and marks that are no phrase's, or that look like
// one's: accents, capitals, apostrophes, Unicode that folds or splits.
var refNoise = []string{
	"perché", "PERCHÉ", "è", "c'è", "l'ho", "don't", "ẞ", "Ðe", "Þorn", "naïve", "ﬁne", "İstanbul",
	"ß", "日本", "🙂", "e\u0301", "no.", "?", "!", ",", "...", "—", "\n", "\t", "  ", "-", "'", "2", "24", "x",
	"nonna", "snon", "grazie!!", "NON", "Mi", "SERVE", "a", "o",
}

// refTexts makes texts of phrases' words and noise; seeded, so a failure
// is the same every run.
func refTexts(phrases []refPhrase, n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	var vocab []string
	for _, p := range phrases {
		vocab = append(vocab, strings.Fields(p.text)...)
	}
	var out []string
	for range n {
		var b strings.Builder
		for range r.IntN(12) {
			switch k := r.IntN(10); {
			case k < 3: // a whole phrase, maybe twice in a row
				p := phrases[r.IntN(len(phrases))].text
				b.WriteString(p)
				if r.IntN(4) == 0 {
					b.WriteString(strings.TrimLeft(p, " "))
				}
			case k < 7:
				b.WriteString(vocab[r.IntN(len(vocab))])
			default:
				b.WriteString(refNoise[r.IntN(len(refNoise))])
			}
			switch r.IntN(4) {
			case 0: // glued: "ho" + "bisogno" is no phrase
			case 1:
				b.WriteString(", ")
			default:
				b.WriteByte(' ')
			}
		}
		out = append(out, b.String())
	}
	return out
}

func TestBuiltinPhrasesAsStringsContains(t *testing.T) {
	if raceEnabled {
		// Thousands of texts against every phrase, on one goroutine: 4 s,
		// 60 under -race, which the index runs under in the other tests.
		t.Skip("compares thousands of texts with every phrase; .ci/run runs it without -race")
	}
	phrases := builtinPhrases()
	if len(phrases) < 100 {
		t.Fatalf("%d builtin phrases: the index was not built", len(phrases))
	}
	texts := []string{"", " ", "?", "\n\n", "ẞ", "🙂🙂"}
	// Each phrase alone, at the very start, at the very end, repeated,
	// in capitals, and between punctuation.
	for _, p := range phrases {
		w := strings.TrimSpace(p.text)
		texts = append(texts, w, w+" dopo", "prima "+w, w+" "+w, w+w, strings.ToUpper(w), "«"+w+"»?", "x"+w+"x")
	}
	texts = append(texts, refTexts(phrases, 3000)...)
	for _, text := range texts {
		checkAgainstContains(t, phrases, text)
	}
}

// Phrases that overlap each other or themselves ("a b a" in "a b a b a"),
// on an index of their own.
func TestOverlappingPhrasesAsStringsContains(t *testing.T) {
	list := []string{" a b a ", " a ", " b a b ", " a a ", " a b ", " b ", " a b a b "}
	x := &phraseIndex{first: map[string][]phraseEntry{}, lists: len(list)}
	for i, p := range list {
		w, ok := phraseWords(p)
		if !ok {
			t.Fatalf("phraseWords(%q) not ok", p)
		}
		x.add(w, i, 0)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		var w []string
		for range r.IntN(9) {
			w = append(w, []string{"a", "b", "aa", "ab"}[r.IntN(4)])
		}
		joined := " " + strings.Join(w, " ") + " "
		got := make([][]int, len(list))
		for _, h := range x.scan(w, nil) {
			got[h.list] = append(got[h.list], h.start)
		}
		for i, p := range list {
			if want := occurrences(joined, p); !slices.Equal(got[i], want) {
				t.Errorf("%q: %q at %v, want %v", joined, p, got[i], want)
			}
		}
	}
}

func FuzzBuiltinPhrasesAsStringsContains(f *testing.F) {
	phrases := builtinPhrases()
	for _, s := range refTexts(phrases, 20) {
		f.Add(s)
	}
	f.Add("non mi serve che mi serve")
	f.Fuzz(func(t *testing.T, text string) {
		checkAgainstContains(t, phrases, text)
	})
}

// withoutNeedless against what it replaced: the two ReplaceAll of
// asksIn, " non mi serve " then " che mi serve ", on the joined words.
func TestWithoutNeedlessAsTwoReplaceAll(t *testing.T) {
	texts := []string{
		"", "non mi serve", "che mi serve", "non mi serve che mi serve", "che mi serve non mi serve",
		"non mi serve non mi serve", "che mi serve che mi serve", "quello che mi serve non mi serve più",
		"il cavo non mi serve che mi serve è il caricatore", "non che mi serve", "non mi serve mi serve",
	}
	r := rand.New(rand.NewPCG(5, 6))
	for range 3000 {
		var w []string
		for range r.IntN(10) {
			w = append(w, []string{"non", "che", "mi", "serve", "x"}[r.IntN(5)])
		}
		texts = append(texts, strings.Join(w, " "))
	}
	for _, text := range texts {
		w := words(text)
		want := strings.ReplaceAll(" "+strings.Join(w, " ")+" ", " non mi serve ", " ")
		want = strings.ReplaceAll(want, " che mi serve ", " ")
		if got := " " + strings.Join(withoutNeedless(w), " ") + " "; strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(want), " ") {
			t.Errorf("withoutNeedless(%q) = %q, want %q", text, got, want)
		}
	}
}
