package flows

import (
	"strings"
	"testing"
)

// TestPhrasesAsContains checks that a phrase list finds a phrase where
// strings.Contains found it in the words joined between spaces.
func TestPhrasesAsContains(t *testing.T) {
	list := append([]string{" no ", " non e ", " a b a ", " lo stesso ", " don t know ", " 2 anni ", " perche "}, notKnowing...)
	x := &phraseIndex{first: map[string][]phraseEntry{}, lists: len(list)}
	for i, p := range list {
		w, ok := phraseWords(p)
		if !ok {
			t.Fatalf("phraseWords(%q) is not ok", p)
		}
		x.add(w, i, 0)
	}
	for _, text := range []string{
		"", "no", "No, non è così", "a b a b a", "Lo stesso problema: non so, don't know!", "nonna e nipote",
		"garanzia di 2 anni?", "Perché? perche no", "boh... mah", "i dont know, i don t remember", "snon so",
	} {
		w := words(text)
		joined := " " + strings.Join(w, " ") + " "
		found := make([]bool, len(list))
		for _, h := range x.scan(w, nil) {
			if got := w[h.start:h.end]; strings.Join(got, " ") != strings.TrimSpace(list[h.list]) {
				t.Errorf("%q: hit %v is %q, not %q", text, h, got, list[h.list])
			}
			found[h.list] = true
		}
		for i, p := range list {
			if want := strings.Contains(joined, p); found[i] != want {
				t.Errorf("%q: phrase %q found %v, want %v", text, p, found[i], want)
			}
		}
	}
}

// TestPhraseWords rejects what strings.Contains could never find in
// words between spaces.
func TestPhraseWords(t *testing.T) {
	for _, p := range []string{"no", " no", "no ", "  ", " a  b ", " Ciao ", " c'è ", " perché "} {
		if _, ok := phraseWords(p); ok {
			t.Errorf("phraseWords(%q) is ok", p)
		}
	}
}

// TestWithoutNeedless matches replacing " non mi serve " in the joined
// words.
func TestWithoutNeedless(t *testing.T) {
	for _, text := range []string{"", "non mi serve", "non mi serve più", "il dyson non mi serve non mi serve", "a non mi serve b non mi serve c", "non mi"} {
		w := words(text)
		want := strings.ReplaceAll(" "+strings.Join(w, " ")+" ", " non mi serve ", " ")
		if got := " " + strings.Join(withoutNeedless(w), " ") + " "; strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(want), " ") {
			t.Errorf("withoutNeedless(%q) = %q, want %q", text, got, want)
		}
	}
}
