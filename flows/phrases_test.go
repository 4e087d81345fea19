package flows

import (
	"math/rand"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
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

// TestCorrectsWithin checks the shortcut of correctedInPlace: when it
// says no, none of the nine prefixes it stands for says "not" or
// corrects.
func TestCorrectsWithin(t *testing.T) {
	for _, rest := range []string{
		" e poi basta", ", anzi il 26", ", not the 4th", " oh no sorry the 26th", " no wait, 3", " l'ho pagato 200 euro nel negozio di via roma a milano",
		" perché? non lo so", " e\u0301 arrivato, scusa", " l’ho preso, sorry", " ½ ora dopo anzi", "", " ...",
	} {
		spans := rawSpans(rest, 13)
		n := min(len(spans), 9)
		if n == 0 || correctsWithin(rest, spans[:n]) {
			continue
		}
		for k := 1; k <= n; k++ {
			between := words(rest[:spans[k-1][1]])
			if slices.Contains(between, "not") || slices.Contains(between, "non") || hasCorrectionIn(sayWords(between)) {
				t.Errorf("%q: correctsWithin is false, but the words up to span %d %q correct", rest, k, between)
			}
		}
	}
}

// TestRawSpansASCII checks rawSpans, ASCII first and the first max
// only, against reading every rune with unicode.
func TestRawSpansASCII(t *testing.T) {
	ref := func(text string) [][2]int {
		raw := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' }
		var spans [][2]int
		for k := 0; k < len(text); {
			r, n := utf8.DecodeRuneInString(text[k:])
			if !raw(r) {
				k += n
				continue
			}
			e := k
			for e < len(text) {
				r, n := utf8.DecodeRuneInString(text[e:])
				if !raw(r) {
					break
				}
				e += n
			}
			spans = append(spans, [2]int{k, e})
			k = e
		}
		return spans
	}
	for _, text := range []string{"", " e poi basta", ", anzi il 26", " l'ho pagato 200 euro nel negozio di via roma a milano, poi a torino e a bari ieri",
		" perché? non lo so", " e\u0301 arrivato, scusa", " l’ho preso, sorry", " ½ ora dopo anzi", "\xff\xfe ok", "Ωmega 3 ÀB_c-d"} {
		want := ref(text)
		for _, max := range []int{1, 9, 13, 100} {
			w := want[:min(len(want), max)]
			if got := rawSpans(text, max); !slices.Equal(got, w) {
				t.Errorf("rawSpans(%q, %d) = %v, want %v", text, max, got, w)
			}
		}
	}
}

// TestSplitWordsOnce checks splitWords, which lowers its text once,
// against lowering each part again.
func TestSplitWordsOnce(t *testing.T) {
	var again func(s string, seps []string) []string
	again = func(s string, seps []string) []string {
		low := strings.ToLower(s)
		for _, sep := range seps {
			for from := 0; from < len(low); {
				i := strings.Index(low[from:], sep)
				if i < 0 {
					break
				}
				i += from
				if sep == " e " && i > 0 && accentlessIs(low[:i]) {
					from = i + 1
					continue
				}
				if i > 0 {
					return append(again(s[:i], seps), again(s[i+len(sep):], seps)...)
				}
				break
			}
		}
		return []string{s}
	}
	seps := []string{" e poi ", " and also ", " also ", " inoltre ", " e anche ", " e ", " and ", " poi ", " oppure ", " or ", " o "}
	for _, text := range []string{
		"", "Vorrei un telefono E poi un portatile", "mi e caduto e si e rotto", "shipping OR returns? and also paypal",
		"PERCHÉ È così E poi", "İstanbul e Ankara", "bad \xff utf8 e poi", "a e b e c oppure d",
	} {
		if got, want := splitWords(text, seps), again(text, seps); !slices.Equal(got, want) {
			t.Errorf("splitWords(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestLowerSameLength checks splitWords' lower case against
// strings.ToLower, on texts with accents, other scripts and bad bytes.
func TestLowerSameLength(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	alphabet := []rune("aZ9 .,'-éÈÀßœΩİK\u212a\u0301\xffẞ\ufffd")
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		for n := r.Intn(16); n > 0; n-- {
			b.WriteRune(alphabet[r.Intn(len(alphabet))])
		}
		if i%3 == 0 {
			b.WriteString("\xff") // not UTF-8
		}
		s := b.String()
		want := strings.ToLower(s)
		wantSame := len(want) == len(s) && !strings.ContainsRune(s, utf8.RuneError) && utf8.ValidString(s)
		for _, c := range s {
			if c >= utf8.RuneSelf && utf8.RuneLen(unicode.ToLower(c)) != utf8.RuneLen(c) {
				wantSame = false
			}
		}
		got, same := lowerSameLength(s)
		if same != wantSame || same && got != want {
			t.Errorf("lowerSameLength(%q) = %q, %v; want %q, %v", s, got, same, want, wantSame)
		}
	}
}
