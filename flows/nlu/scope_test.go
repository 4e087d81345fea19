package nlu

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// bigShop is a training set large enough to cross-validate: eight intents
// of 40 examples, built from templates.
var bigShop = func() []Example {
	topics := map[string][]string{
		"warranty": {"is my %s under warranty", "how long is the warranty on the %s", "il %s è in garanzia", "quanto dura la garanzia del %s"},
		"broken":   {"my %s does not turn on", "the %s is broken", "il %s non si accende", "il %s si è rotto"},
		"buy":      {"i want to buy a %s", "how much is the %s", "vorrei comprare un %s", "quanto costa il %s"},
		"stock":    {"do you have the %s in stock", "is the %s available", "avete il %s disponibile", "il %s è disponibile"},
		"ship":     {"how long does shipping take for a %s", "when will my %s arrive", "quando arriva il %s", "quanto ci mette la spedizione del %s"},
		"return":   {"i want to return the %s", "can i send the %s back", "voglio restituire il %s", "posso fare il reso del %s"},
		"manual":   {"where is the manual of the %s", "how do i set up the %s", "dov'è il manuale del %s", "come configuro il %s"},
		"invoice":  {"i need the invoice for the %s", "send me the receipt of the %s", "mi serve la fattura del %s", "mandatemi la ricevuta del %s"},
	}
	products := []string{"phone", "laptop", "tv", "fridge", "printer", "router", "tablet", "monitor", "camera", "speaker"}
	var out []Example
	for _, label := range []string{"warranty", "broken", "buy", "stock", "ship", "return", "manual", "invoice"} {
		for _, p := range products {
			for _, tpl := range topics[label] {
				out = append(out, Example{Text: fmt.Sprintf(tpl, p), Label: label})
			}
		}
	}
	return out
}()

// bigShopModel is bigShop trained with the default options, once for
// the tests that only ask it (a training takes seconds under -race).
var bigShopModel = sync.OnceValues(func() (*Model, error) { return Train(bigShop, Options{}) })

func mustBigShop(tb testing.TB) *Model {
	tb.Helper()
	m, err := bigShopModel()
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func TestCalibration(t *testing.T) {
	m := mustBigShop(t)
	c := m.Calibration()
	if c.Folds != cvFolds {
		t.Fatalf("Calibration() = %+v, want %d folds", c, cvFolds)
	}
	if m.Threshold() != c.Threshold || c.Threshold < DefaultThreshold || c.Threshold >= 1 {
		t.Errorf("threshold %v, calibration %v: want one threshold in [%v, 1)", m.Threshold(), c.Threshold, DefaultThreshold)
	}
	if c.Temperature < cvMinTemp || m.Temperature() != c.Temperature {
		t.Errorf("temperature %v, calibration %v, want one temperature at least %v", m.Temperature(), c.Temperature, cvMinTemp)
	}
	for name, v := range map[string]float64{"InScope": c.InScope, "RawInScope": c.RawInScope, "Near": c.Near, "Far": c.Far} {
		if v < 0 || v > 1 {
			t.Errorf("%s = %v, not in [0,1]", name, v)
		}
	}
	if c.InScope > c.RawInScope || c.RawInScope-c.InScope > cvMaxDrop+1e-9 {
		t.Errorf("in-scope accuracy %v at the threshold, %v with none: want at most %v lost", c.InScope, c.RawInScope, cvMaxDrop)
	}
	if c.OffTopic == 0 || !slices.Contains(m.Labels(), OOS) {
		t.Errorf("the off-topic pool was not used: %+v, labels %v", c, m.Labels())
	}
	// Off-topic messages are rejected, the shop's own are not.
	for _, text := range []string{"tell me a joke", "che tempo fa domani", "who won the match last night", "qual è la capitale della francia"} {
		if l, conf := m.Predict(text); l != OOS {
			t.Errorf("Predict(%q) = %s (%.2f), want %s", text, l, conf, OOS)
		}
	}
	for text, want := range map[string]string{"is my phone under warranty": "warranty", "voglio restituire il tablet": "return"} {
		if l, conf := m.Predict(text); l != want {
			t.Errorf("Predict(%q) = %s (%.2f), want %s", text, l, conf, want)
		}
	}

	t.Run("explicit threshold wins", func(t *testing.T) {
		m := mustTrain(t, bigShop, Options{Threshold: 0.9})
		if m.Threshold() != 0.9 {
			t.Errorf("Threshold() = %v, want 0.9", m.Threshold())
		}
	})
	t.Run("no off-topic pool", func(t *testing.T) {
		m := mustTrain(t, bigShop, Options{NoOffTopic: true})
		if c := m.Calibration(); c.OffTopic != 0 || c.Far != 0 || slices.Contains(m.Labels(), OOS) {
			t.Errorf("NoOffTopic: %+v, labels %v", c, m.Labels())
		}
	})
	t.Run("the caller's examples are left alone", func(t *testing.T) {
		ex := make([]Example, len(bigShop), len(bigShop)+1000)
		copy(ex, bigShop)
		spare := ex[:cap(ex)]
		mustTrain(t, ex, Options{})
		for _, e := range spare[len(bigShop):] {
			if e != (Example{}) {
				t.Fatalf("Train wrote %+v past the caller's examples", e)
			}
		}
	})
}

// TestOffTopicYieldsToIntents: a shop that does answer about music keeps
// its intent; the pool's music lines are dropped, not fought.
func TestOffTopicYieldsToIntents(t *testing.T) {
	ex := slices.Clone(bigShop)
	for _, text := range []string{
		"play some music", "put on a song", "play something by the beatles", "i want to listen to jazz",
		"metti un po' di musica", "fammi sentire una canzone", "metti qualcosa dei beatles", "voglio ascoltare del jazz",
		"play the radio", "metti la radio", "music please", "musica per favore",
	} {
		ex = append(ex, Example{Text: text, Label: "music"})
	}
	m := mustTrain(t, ex, Options{})
	all := mustBigShop(t)
	if m.Calibration().OffTopic >= all.Calibration().OffTopic {
		t.Errorf("with a music intent the pool keeps %d lines, without %d: want fewer", m.Calibration().OffTopic, all.Calibration().OffTopic)
	}
	for _, text := range []string{"play something by the beatles", "metti un po' di musica rilassante"} {
		if l, conf := m.Predict(text); l != "music" {
			t.Errorf("Predict(%q) = %s (%.2f), want music", text, l, conf)
		}
	}
}

func TestOffTopicPool(t *testing.T) {
	pool := offTopic()
	seen := map[string]bool{}
	for _, line := range pool {
		n := Normalize(line)
		if seen[n] {
			t.Errorf("%q twice in the pool", line)
		}
		seen[n] = true
		if len(Tokenize(line)) == 0 {
			t.Errorf("%q has no word", line)
		}
	}
	for _, lang := range []string{"it", "en"} {
		lines := 0
		for _, line := range pool {
			if l, _ := DetectLanguage(line); l == lang {
				lines++
			}
		}
		if lines < 120 {
			t.Errorf("%d off-topic lines detected as %s, want at least 120", lines, lang)
		}
	}
	// The pool is our own writing: no line of the measurement datasets.
	dir := datasets
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no datasets at %s", dir)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.tsv"))
	more, _ := filepath.Glob(filepath.Join(dir, "clinc_near_oos", "*.tsv"))
	for _, f := range append(files, more...) {
		ex, err := ReadTSV(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ex {
			if seen[Normalize(strings.TrimSpace(e.Text))] {
				t.Errorf("off-topic line %q is a line of %s", e.Text, f)
			}
		}
	}
}
