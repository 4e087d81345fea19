package nlu

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"case", "Ciao MONDO", "ciao mondo"},
		{"accents", "Perché è già così", "perche e gia cosi"},
		{"typographic apostrophe", "L’ordine dell’altro", "l'ordine dell'altro"},
		{"fullwidth", "ＡＢＣ１２３", "abc123"},
		{"ligature", "ﬁne", "fine"},
		{"spaces", "  two\t\nwords  ", "two words"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"italian elision", "l'ordine n. 123 è arrivato?", []string{"l", "ordine", "n", "123", "e", "arrivato"}},
		{"articulated elision", "Dell’ordine all'indirizzo", []string{"dell", "ordine", "all", "indirizzo"}},
		{"english contraction", "I don't know", []string{"i", "don", "t", "know"}},
		{"punctuation and emoji", "garanzia?!? 😡😡", []string{"garanzia"}},
		{"emoji only", "🙂🙂🙂", nil},
		{"long word is dropped", "ok " + strings.Repeat("a", 4000), []string{"ok"}},
		{"longest word kept", strings.Repeat("é", maxTokenBytes), []string{strings.Repeat("e", maxTokenBytes)}},
		{"cyrillic too long", strings.Repeat("ж", maxTokenBytes/2+1), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Tokenize(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if n := len(Tokenize(strings.Repeat("word ", 1000))); n != maxTokens {
		t.Errorf("1000 words give %d tokens, want %d", n, maxTokens)
	}
}

func TestStems(t *testing.T) {
	tests := []struct{ word, en, it string }{
		{"running", "run", "running"},
		{"telefoni", "telefoni", "telefon"},
		{"garanzia", "garanzia", "garanz"},
		{"ok", "ok", "ok"},
		{"iphone15", "iphone15", "iphone15"},
	}
	for _, tt := range tests {
		en, it := Stems(tt.word)
		if en != tt.en || it != tt.it {
			t.Errorf("Stems(%q) = %q, %q; want %q, %q", tt.word, en, it, tt.en, tt.it)
		}
	}
}

func TestDetectLanguage(t *testing.T) {
	tests := []struct{ text, want string }{
		{"ciao", "it"},
		{"hi", "en"},
		{"garanzia?", "it"},
		{"my phone broke", "en"},
		{"Buongiorno, vorrei comprare un telefono", "it"},
		{"il telefno non si accnde", "it"}, // misspelled
		{"the scren is brokn", "en"},       // misspelled
		{"perché non funziona più?", "it"}, // accents
		{"È rotto", "it"},                  // accent, short
		{"grazie mille", "it"},
		{"thanks a lot", "en"},
		{"where is my order", "en"},
		{"dov'è il mio ordine", "it"},
		{"voglio parlare con un operatore", "it"},
		{"I want to talk to a human", "en"},
		{"lavatrice", "it"},
		{"refund", "en"},
		{"", ""},
		{"🙂", ""},
		{"12345", ""},
		{"¿Dónde está mi pedido?", ""},        // Spanish
		{"Wo ist meine Bestellung?", ""},      // German
		{"Bonjour, où est ma commande ?", ""}, // French
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, conf := DetectLanguage(tt.text)
			if got != tt.want {
				t.Errorf("DetectLanguage(%q) = %q (%.2f), want %q", tt.text, got, conf, tt.want)
			}
			if got == "" && conf != 0 || got != "" && (conf < 0.5 || conf > 1) {
				t.Errorf("DetectLanguage(%q) confidence %v out of range", tt.text, conf)
			}
		})
	}
}

func TestReadTSV(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.tsv")
	mustWrite(t, good, "# comment\nciao\tgreet\n\nmy phone broke\tsupport\r\n")
	ex, err := ReadTSV(good)
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{{"ciao", "greet", 2}, {"my phone broke", "support", 4}}
	if !reflect.DeepEqual(ex, want) {
		t.Errorf("ReadTSV = %+v, want %+v", ex, want)
	}
	for name, content := range map[string]string{
		"no tab":      "ciao\tgreet\nno tab here\n",
		"empty label": "ciao\tgreet\nhello\t\n",
		"empty text":  "ciao\tgreet\n\tgreet\n",
		"three cols":  "ciao\tgreet\nhello\tgreet\textra\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".tsv")
			mustWrite(t, path, content)
			_, err := ReadTSV(path)
			if err == nil || !strings.HasPrefix(err.Error(), path+":2: ") {
				t.Errorf("ReadTSV error = %v, want %s:2: ...", err, path)
			}
		})
	}
	if _, err := ReadTSV(filepath.Join(dir, "missing.tsv")); err == nil {
		t.Error("ReadTSV of a missing file: no error")
	}
}

func mustWrite(tb testing.TB, path, content string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// shopExamples is a small bilingual training set.
var shopExamples = func() []Example {
	data := map[string][]string{
		"warranty": {
			"is my phone still under warranty", "how long is the warranty", "warranty on the washing machine",
			"does the guarantee cover a broken screen", "i bought it last year is it covered",
			"il telefono è ancora in garanzia", "quanto dura la garanzia", "la garanzia copre lo schermo rotto",
			"l'ho comprato l'anno scorso, è coperto dalla garanzia?", "garanzia lavatrice",
		},
		"support": {
			"my phone does not turn on", "the screen is broken", "the battery drains fast",
			"the printer won't print", "how do i reset the router", "it stopped working",
			"il telefono non si accende", "lo schermo è rotto", "la batteria si scarica subito",
			"la stampante non stampa", "come resetto il modem", "non funziona più",
		},
		"sales": {
			"i want to buy a new phone", "how much does the laptop cost", "do you have headphones in stock",
			"what is the price of this tv", "any discounts on washing machines", "i'd like to order a fridge",
			"vorrei comprare un telefono nuovo", "quanto costa il portatile", "avete delle cuffie disponibili",
			"qual è il prezzo di questo televisore", "ci sono sconti sulle lavatrici", "vorrei ordinare un frigorifero",
		},
		"human": {
			"i want to talk to a person", "can i speak with an agent", "get me a human",
			"voglio parlare con un operatore", "posso parlare con una persona", "passami un umano",
		},
		"oos": {
			"what's the weather tomorrow", "set an alarm for 7", "play some music", "tell me a joke",
			"che tempo fa domani", "metti una sveglia alle 7", "riproduci della musica", "raccontami una barzelletta",
		},
	}
	var out []Example
	for _, label := range []string{"warranty", "support", "sales", "human", "oos"} {
		for _, text := range data[label] {
			out = append(out, Example{Text: text, Label: label})
		}
	}
	return out
}()

func mustTrain(tb testing.TB, ex []Example, opts Options) *Model {
	tb.Helper()
	m, err := Train(ex, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func TestTrainSmall(t *testing.T) {
	m := mustTrain(t, shopExamples, Options{})
	if got, want := m.Labels(), []string{"human", "oos", "sales", "support", "warranty"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Labels() = %v, want %v", got, want)
	}
	// 48 examples are too few to cross-validate: the default holds.
	if m.Threshold() != DefaultThreshold || m.Calibration().Folds != 0 {
		t.Errorf("Threshold() = %v after %d folds, want the default %v", m.Threshold(), m.Calibration().Folds, DefaultThreshold)
	}
	tests := []struct{ text, want string }{
		{"is the tv under warranty?", "warranty"},
		{"quanto dura la garanzia del frigo", "warranty"},
		{"garanzia?", "warranty"},
		{"my laptop won't turn on", "support"},
		{"il portatile non si accende", "support"},
		{"lo schermo si è rotto", "support"},
		{"how much is the printer", "sales"},
		{"quanto costa un frigorifero?", "sales"},
		{"vorei conprare un telefonno", "sales"}, // misspelled
		{"talk to a person please", "human"},
		{"voglio un operatore", "human"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, conf := m.Predict(tt.text)
			if got != tt.want {
				t.Errorf("Predict(%q) = %q (%.2f), want %q; Classify: %v", tt.text, got, conf, tt.want, m.Classify(tt.text))
			}
		})
	}
}

// TestAbstain: on junk a confident wrong intent is the failure to avoid.
func TestAbstain(t *testing.T) {
	m := mustTrain(t, shopExamples, Options{})
	for _, text := range []string{
		"",
		"   ",
		"🙂🙂🙂",
		"???!!!",
		strings.Repeat("garanzia", 500),
		strings.Repeat("x", 4000),
		"asdfgh qwerty zxcvb",
		"Wie wird das Wetter morgen in Berlin?", // German
		"Quel temps fera-t-il demain ?",         // French
		"что такое гарантия",                    // Russian
		"che tempo fa a Roma",
		"set an alarm for six",
	} {
		label, conf := m.Predict(text)
		if label != OOS {
			t.Errorf("Predict(%.40q) = %q (%.2f), want %q", text, label, conf, OOS)
		}
		if conf < 0 || conf > 1 {
			t.Errorf("Predict(%.40q) confidence %v not in [0,1]", text, conf)
		}
	}
}

func TestClassify(t *testing.T) {
	m := mustTrain(t, shopExamples, Options{})
	got := m.Classify("il telefono è in garanzia?")
	if len(got) == 0 || len(got) > maxResults {
		t.Fatalf("Classify returned %d intents", len(got))
	}
	if got[0].Intent != "warranty" {
		t.Errorf("best intent %q, want warranty: %v", got[0].Intent, got)
	}
	var sum float64
	for i, s := range got {
		if s.Intent == OOS {
			t.Errorf("Classify returned %q", OOS)
		}
		if i > 0 && s.Confidence > got[i-1].Confidence {
			t.Errorf("not ranked: %v", got)
		}
		sum += s.Confidence
	}
	if sum > 1+1e-9 {
		t.Errorf("confidences sum to %v > 1", sum)
	}
	if got := m.Classify("🙂"); len(got) != 0 {
		t.Errorf("Classify(emoji) = %v, want nothing", got)
	}
}

func TestTrainErrors(t *testing.T) {
	if _, err := Train([]Example{{Text: "a", Label: "x"}}, Options{}); err == nil {
		t.Error("one label: no error")
	}
	if _, err := Train([]Example{{Text: "a", Label: "x"}, {Text: "b"}}, Options{}); err == nil {
		t.Error("empty label: no error")
	}
	if _, err := Train(shopExamples, Options{Threshold: 1.5}); err == nil {
		t.Error("threshold 1.5: no error")
	}
}

func TestDeterministic(t *testing.T) {
	a := mustTrain(t, shopExamples, Options{})
	b := mustTrain(t, shopExamples, Options{})
	for _, text := range []string{"garanzia", "my phone broke", "vorrei parlare con qualcuno"} {
		if x, y := a.Classify(text), b.Classify(text); !reflect.DeepEqual(x, y) {
			t.Errorf("%q: two trainings disagree: %v and %v", text, x, y)
		}
	}
}

func TestConcurrentClassify(t *testing.T) {
	m := mustTrain(t, shopExamples, Options{})
	want := m.Classify("quanto costa il telefono")
	done := make(chan bool)
	for range 8 {
		go func() {
			ok := true
			for range 200 {
				ok = ok && reflect.DeepEqual(m.Classify("quanto costa il telefono"), want)
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Error("concurrent Classify disagrees")
		}
	}
}

func TestEvaluateAndTune(t *testing.T) {
	m := mustTrain(t, shopExamples, Options{})
	test := []Example{
		{Text: "is it under warranty", Label: "warranty"},
		{Text: "non si accende", Label: "support"},
		{Text: "quanto costa", Label: "sales"},
		{Text: "che ore sono a Tokyo", Label: OOS},
		{Text: "play a song", Label: OOS},
	}
	r := Evaluate(m, test)
	if r.N != 5 || r.InScope != 3 || r.OutOfScope != 2 || len(r.Predictions) != 5 {
		t.Errorf("report counts: %+v", r)
	}
	for _, v := range []float64{r.Accuracy, r.MacroF1, r.InScopeAccuracy, r.OOSRecall, r.OOSPrecision} {
		if v < 0 || v > 1 || math.IsNaN(v) {
			t.Errorf("measure %v not in [0,1]", v)
		}
	}
	th, _, err := Tune(m, test, DefaultMaxDrop)
	if err != nil || th < 0 || th >= 1 {
		t.Errorf("Tune = %v, %v", th, err)
	}
	if _, _, err := Tune(m, test[:3], DefaultMaxDrop); err == nil {
		t.Error("Tune without oos examples: no error")
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"", "ciao", "l'ordine", "😡", "ÀÉÎ", strings.Repeat("a", 100), "a\x00b", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokenize(s)
		if len(toks) > maxTokens {
			t.Errorf("%d tokens", len(toks))
		}
		for _, tok := range toks {
			if tok == "" || len(tok) > maxTokenBytes {
				t.Errorf("token %q", tok)
			}
			Stems(tok)
		}
		if !reflect.DeepEqual(toks, Tokenize(s)) {
			t.Error("not deterministic")
		}
		if lang, conf := DetectLanguage(s); conf < 0 || conf > 1 || (lang == "") != (conf == 0) {
			t.Errorf("DetectLanguage = %q, %v", lang, conf)
		}
	})
}

var fuzzModel = func() *Model {
	m, err := Train(shopExamples, Options{})
	if err != nil {
		panic(err)
	}
	return m
}()

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"", "garanzia?", "my phone broke", "🙂", strings.Repeat("zz", 3000), "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := fuzzModel.Classify(s)
		for _, sc := range got {
			if sc.Confidence < 0 || sc.Confidence > 1 || math.IsNaN(sc.Confidence) || sc.Intent == OOS {
				t.Errorf("Classify(%q) gives %+v", s, sc)
			}
		}
		label, conf := fuzzModel.Predict(s)
		if conf < 0 || conf > 1 || math.IsNaN(conf) {
			t.Errorf("Predict(%q) confidence %v", s, conf)
		}
		if l2, c2 := fuzzModel.Predict(s); l2 != label || c2 != conf {
			t.Errorf("Predict(%q) not deterministic", s)
		}
		if !reflect.DeepEqual(got, fuzzModel.Classify(s)) {
			t.Errorf("Classify(%q) not deterministic", s)
		}
	})
}

// FuzzNormalize checks that Normalize, with its ASCII path and NFKD alone,
// gives what the definition says: NFKC, then NFKD, combining accents
// dropped, apostrophes made plain, spaces collapsed, lower case.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "Ciao MONDO", "Perché è già così", "L’ordine `x`", "ＡＢＣ１２３", "ﬁne", "  two\t\nwords  ",
		"a\u00a0b\u0085c", "e\u0301 x", "\xff\xfe", "Ω K Å ẛ̣", "ǅ ﬃ ㎒", "\u1e9b\u0323"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Normalize(s), normalizeByDefinition(s); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", s, got, want)
		}
	})
}

func normalizeByDefinition(text string) string {
	var b strings.Builder
	space := true
	for _, r := range norm.NFKD.String(norm.NFKC.String(text)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case isApostrophe(r):
			r = '\''
		case unicode.IsSpace(r):
			if space {
				continue
			}
			space = true
			b.WriteByte(' ')
			continue
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRight(b.String(), " ")
}
