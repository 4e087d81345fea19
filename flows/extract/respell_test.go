package extract

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// testSpeller knows a few words of its own, two of them the intents'.
func testSpeller(tb testing.TB) *Speller {
	tb.Helper()
	return NewSpeller(func(add func(string, bool)) {
		for _, w := range []string{"garanzia", "batteria", "assistenza", "vorrei", "accende", "pavilion",
			"galaxy", "scaduta", "cuffie", "rossi", "mentre", "tastiera", "telefono", "telefoni"} {
			add(w, false)
		}
		for _, w := range []string{"spedizione", "shipping", "reso"} {
			add(w, true)
		}
	})
}

// TestRespellSpans: a respelt word is written as the word known, and a
// span of the respelt text maps back to what the customer wrote, accents,
// apostrophes, capitals and marks included.
func TestRespellSpans(t *testing.T) {
	sp := testSpeller(t)
	for _, tc := range []struct {
		in, want   string
		span, was  string // a span of want, and what it was in in
		start, end int    // Original of want[start:end], if end > 0
		from, to   int    //   is in[from:to]
	}{
		// Two letters swapped; a span around the word, and inside it.
		{in: "la garnazia è scaduta?", want: "la garanzia è scaduta?", span: "garanzia è scaduta", was: "garnazia è scaduta",
			start: 6, end: 8, from: 3, to: 11},
		// An accent on the word dropped with the mistake, others kept.
		{in: "perché la batteira?", want: "perché la batteria?", span: "perché la batteria", was: "perché la batteira"},
		{in: "la graanzìa è scaduta", want: "la garanzia è scaduta", span: "garanzia", was: "graanzìa"},
		// After an apostrophe.
		{in: "parlo dell'asistenza, grazie", want: "parlo dell'assistenza, grazie", span: "dell'assistenza,", was: "dell'asistenza,"},
		// A double letter written once, a letter written twice, and two
		// words of different lengths: the second span is shifted by both.
		{in: "Vorei sapere se si acceende", want: "Vorrei sapere se si accende", span: "si accende", was: "si acceende",
			start: 0, end: 27, from: 0, to: 27},
		{in: "VOREI LA GARNAZIA", want: "VORREI LA GARANZIA", span: "LA GARANZIA", was: "LA GARNAZIA"},
		// A span that is no string of the text: its words mapped.
		{in: "vorei la garnazia", want: "vorrei la garanzia", span: "garanzia vorrei", was: "garnazia vorei"},
		// Nothing respelt: the span is itself.
		{in: "la garanzia è scaduta", want: "la garanzia è scaduta", span: "garanzia", was: "garanzia"},
	} {
		r := sp.Respell(tc.in)
		if r.Text != tc.want {
			t.Errorf("Respell(%q).Text = %q, want %q", tc.in, r.Text, tc.want)
			continue
		}
		if got := r.OriginalOf(tc.span); got != tc.was {
			t.Errorf("Respell(%q).OriginalOf(%q) = %q, want %q", tc.in, tc.span, got, tc.was)
		}
		if got := r.OriginalOf(r.Text); got != tc.in {
			t.Errorf("Respell(%q).OriginalOf(the whole text) = %q, want the text as written", tc.in, got)
		}
		if tc.end > 0 {
			if from, to := r.Original(tc.start, tc.end); from != tc.from || to != tc.to {
				t.Errorf("Respell(%q).Original(%d, %d) = %d, %d, want %d, %d", tc.in, tc.start, tc.end, from, to, tc.from, tc.to)
			}
		}
	}
}

// TestRespellLeaves: what is no word mistyped is left as written: order
// numbers, models, e-mails and sites, names (a capital inside a sentence),
// product names the bot knows, short words, and words one letter more,
// less or changed from a known one (another word as often as a typo).
func TestRespellLeaves(t *testing.T) {
	sp := testSpeller(t)
	for _, in := range []string{
		"ordine SP-12345 e 48200l", "il modello galxay5", "scrivimi a mario.rosis@example.com",
		"il sito www.garnazia.it", "vedi garnazia.com", "batteira/garnazia",
		"ne ho parlato con Marcelo Rosis", // names
		"un hp pavilion e un galaxy",      // product names
		"si noo okk", "mente", "ventre",   // short, or another word
		"tastiere", "telefona", // the last letter only: an inflection
	} {
		if got := sp.Respell(in).Text; got != in {
			t.Errorf("Respell(%q).Text = %q, want it as written", in, got)
		}
	}
	// At the start of a sentence a capital is no name.
	if got := sp.Respell("ok. Batteira scarica").Text; got != "ok. Batteria scarica" {
		t.Errorf("Respell(ok. Batteira scarica).Text = %q", got)
	}
	var nilSpeller *Speller
	if got := nilSpeller.Respell("la garnazia").Text; got != "la garnazia" {
		t.Errorf("a nil Speller respelt %q", got)
	}
}

// TestRespellLoose: the classifier's and the phrase matcher's readings of
// a word, looser than the text's, each from its own words.
func TestRespellLoose(t *testing.T) {
	sp := testSpeller(t)
	r := sp.Respell("quanto costa la spedizone? e lo shippin")
	if r.Text != "quanto costa la spedizone? e lo shippin" {
		t.Errorf("a letter left out is no sure typo: Text = %q", r.Text)
	}
	got, ok := r.IntentWords([]string{"quanto", "costa", "la", "spedizone", "e", "lo", "shippin"})
	if want := []string{"quanto", "costa", "la", "spedizione", "e", "lo", "shipping"}; !ok || !slices.Equal(got, want) {
		t.Errorf("IntentWords = %v, %v, want %v", got, ok, want)
	}
	// A known word is none, a short one neither, nor a word with a digit.
	for _, w := range []string{"tastiera", "rese", "shippin8", "shopping"} {
		if got, ok := r.IntentWords([]string{w}); ok {
			t.Errorf("IntentWords(%q) = %v, want it as written", w, got)
		}
	}
	// The phrase lists' words: one edit, a letter changed too.
	if got := phraseFix("ricaroca"); got != "ricarica" {
		t.Errorf("phraseFix(ricaroca) = %q, want ricarica", got)
	}
	for _, w := range []string{"charged", "change", "ricaro", "ricar0ca"} {
		if got := phraseFix(w); got != "" {
			t.Errorf("phraseFix(%q) = %q, want none", w, got)
		}
	}
	var none *Respelt
	if got, _ := none.IntentWords([]string{"ricaroca"}); got != nil {
		t.Errorf("nil Respelt: IntentWords(ricaroca) = %q", got)
	}
}

// oneLetterMore is an edit distance of 1 for words one letter apart in
// length, found without the table.
func TestOneLetterMoreIsDistanceOne(t *testing.T) {
	for _, tc := range [][2]string{
		{"shiping", "shipping"}, {"shippin", "shipping"}, {"hipping", "shipping"},
		{"shippinga", "shipping"}, {"shopping", "shippin"}, {"abcd", "abd"}, {"abcd", "xbc"},
		{"spedizone", "spedizione"}, {"spedizoine", "spedizione"}, {"ab", "b"}, {"ab", "c"},
	} {
		if len(tc[0])-len(tc[1]) != 1 && len(tc[1])-len(tc[0]) != 1 {
			continue // of one length: a swap is one edit to osaDistance
		}
		for _, p := range [][2]string{tc, {tc[1], tc[0]}} {
			a, b := p[0], p[1]
			if got, want := oneLetterMore(a, b), osaDistance([]rune(a), []rune(b), 1) == 1; got != want {
				t.Errorf("oneLetterMore(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

// FuzzRespellSpans: whatever the text, the respelling maps back onto it:
// the whole text to the whole text, spans in order to spans in order,
// bytes outside the respelt words to the same bytes, and the respelt
// words, written back, give the text.
func FuzzRespellSpans(f *testing.F) {
	for _, s := range []string{"la garnazia è scaduta?", "Vorei sapere se si acceende", "VOREI LA GARNAZIA graanzìa",
		"dell'asistenza,garnazia.vorei", "", "ok. Batteira", "\xff\xfe vorei", "SP-123 vorei"} {
		f.Add(s, 3, 9)
	}
	sp := testSpeller(f)
	f.Fuzz(func(t *testing.T, text string, i, j int) {
		r := sp.Respell(text)
		if r.Written() != text {
			t.Fatalf("Written() = %q, want %q", r.Written(), text)
		}
		if a, b := r.Original(0, len(r.Text)); a != 0 || b != len(text) {
			t.Fatalf("Original(0, %d) = %d, %d, want 0, %d", len(r.Text), a, b, len(text))
		}
		if got := r.OriginalOf(r.Text); r.Text != "" && got != text {
			t.Fatalf("OriginalOf(Text) = %q, want %q", got, text)
		}
		// The respelt words written back give the text.
		var back strings.Builder
		last := 0
		for _, e := range r.edits {
			if e.at < last || e.end < e.at || e.from > e.to {
				t.Fatalf("respelt words out of order: %+v", r.edits)
			}
			back.WriteString(r.Text[last:e.at])
			back.WriteString(text[e.from:e.to])
			last = e.end
		}
		back.WriteString(r.Text[last:])
		if back.String() != text {
			t.Fatalf("written back: %q, want %q", back.String(), text)
		}
		// Any span: within the text, in order, the same bytes where no
		// word was respelt.
		n := len(r.Text)
		if n == 0 {
			return
		}
		i, j = abs(i)%(n+1), abs(j)%(n+1)
		if i > j {
			i, j = j, i
		}
		a, b := r.Original(i, j)
		if a < 0 || b > len(text) || a > b {
			t.Fatalf("Original(%d, %d) = %d, %d: outside the text of %d bytes", i, j, a, b, len(text))
		}
		a2, b2 := r.Original(j, n)
		if a2 < a || b2 < b || b2 != len(text) {
			t.Fatalf("Original(%d, %d) = %d, %d, then Original(%d, %d) = %d, %d: out of order", i, j, a, b, j, n, a2, b2)
		}
		touched := slices.ContainsFunc(r.edits, func(e respeltWord) bool { return e.at < j && e.end > i || e.at == e.end })
		if !touched && r.Text[i:j] != text[a:b] {
			t.Fatalf("Original(%d, %d) of %q is %q in %q", i, j, r.Text[i:j], text[a:b], text)
		}
		if !utf8.ValidString(text) {
			return
		}
		if w := r.OriginalOf(r.Text[i:j]); !strings.Contains(text, w) && !touched {
			t.Fatalf("OriginalOf(%q) = %q, no string of %q", r.Text[i:j], w, text)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
