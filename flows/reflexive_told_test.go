package flows

import "testing"

// TestReflexivePastTellsNoQuestion: "si" before the auxiliary ("si è
// rotto", "si sono staccati", with or without the accent) tells what
// happened and asks nothing, so the fault told beside an accident is
// the claim's defect and the damage verdict comes at once; "si può",
// "si paga" still ask.
func TestReflexivePastTellsNoQuestion(t *testing.T) {
	for _, c := range []struct {
		text string
		asks bool
	}{
		{"si è crepato il vetro dietro", false},
		{"si e spento di colpo", false},
		{"si sono staccati due tasti", false},
		{"si era già graffiato lo schermo", false},
		// Near misses: a question still.
		{"si può riparare il vetro", true},
		{"si paga la riparazione", true},
		{"si puo fare il reso", true},
	} {
		if got := isQuestionOf(c.text, words(c.text)); got != c.asks {
			t.Errorf("isQuestionOf(%q) = %v, want %v", c.text, got, c.asks)
		}
	}
	for _, text := range []string{
		"mi è scivolato il portatile dal tavolo e si è piegata la cerniera",
		"ho rovesciato il caffè sulla friggitrice e si e fulminata",
	} {
		t.Run(text, func(t *testing.T) {
			d := newDriver(t, mustShop(t), june2025)
			d.hint = "it"
			out := d.say(text)
			if d.asking() != "repair_quote" || d.s.Slots["warranty"] != WarrantyDamage {
				t.Errorf("asks %q, verdict %q: want the damage verdict and the quote:\n%s", d.asking(), d.s.Slots["warranty"], out)
			}
		})
	}
}
