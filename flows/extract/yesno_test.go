package extract

import (
	"strings"
	"testing"
)

func TestYesNo(t *testing.T) {
	tests := []struct {
		text string
		yes  bool
	}{
		{"sì", true}, {"si", true}, {"Sì!", true}, {"SI", true}, {"sisi", true}, {"certo", true},
		{"esatto", true}, {"va bene", true}, {"Va bene, grazie", true}, {"ok", true}, {"OK!", true},
		{"d'accordo", true}, {"perfetto", true}, {"confermo", true}, {"sì, non si accende più", true},
		{"certo che sì", true}, {"perché no", true}, {"yes", true}, {"Yes please", true}, {"yep", true},
		{"yeah sure", true}, {"sure", true}, {"of course", true}, {"why not", true}, {"that's right", true},
		{"ok go ahead", true}, {"sounds good to me", true}, {"vai pure", true}, {"sì, procedi", true},
		{"absolutely", true}, {"👍", true}, {"ok 👍", true},
		{"no", false}, {"No, grazie", false}, {"no grazie", false}, {"no ok grazie", false}, {"nope", false},
		{"non ancora", false}, {"not yet", false}, {"certo che no", false}, {"assolutamente no", false},
		{"of course not", false}, {"non proprio", false}, {"not really", false}, {"no, thanks", false},
		{"nah", false}, {"non si accende", false}, {"mai", false}, {"never", false}, {"👎", false},
		{"No.", false},
		// A decline wins over the yes that softens it.
		{"vabbè, lascia perdere", false}, {"ok never mind", false}, {"sì sì, fa niente", false}, {"forget it", false},
		{"sì, non mi serve più", true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if yes, ok := YesNo(tt.text, ""); !ok || yes != tt.yes {
				t.Errorf("YesNo(%q) = %v, %v; want %v", tt.text, yes, ok, tt.yes)
			}
		})
	}
}

func TestYesNoNone(t *testing.T) {
	for _, text := range []string{"", "boh", "forse", "maybe", "non lo so", "non so", "I don't know", "not sure", "ciao", "grazie", "il mio telefono", "?"} {
		t.Run(text, func(t *testing.T) {
			if yes, ok := YesNo(text, ""); ok {
				t.Errorf("YesNo(%q) = %v; want no answer", text, yes)
			}
		})
	}
}

// FuzzYesNoAgreesWithScan checks that YesNo, which tries at each word only
// the answers starting with it, reads as trying every answer at every word.
func FuzzYesNoAgreesWithScan(f *testing.F) {
	for _, s := range []string{"", "sì", "certo che no", "no ok grazie", "non lo so, forse", "yes of course not", "👍", "ma perché no?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		yes, ok := YesNo(s, "")
		wantYes, wantOK := yesNoByScan(s)
		if strings.ContainsAny(s, "👍✅✔👎❌") {
			return // read before the words
		}
		if yes != wantYes || ok != wantOK {
			t.Errorf("YesNo(%q) = %v, %v; want %v, %v", s, yes, ok, wantYes, wantOK)
		}
	})
}

func yesNoByScan(text string) (yes, ok bool) {
	toks := strings.Fields(Normalize(text))
	if aloneYesIn(toks) {
		return true, true
	}
	for i := range toks {
		for _, a := range answers {
			if hasSeqAt(toks, i, a.words...) {
				return a.kind == answerYes, a.kind != answerUnsure
			}
		}
	}
	return false, false
}

// TestYesNoCasual: the yes and no of everyday speech, and the words that
// say yes only as the whole answer.
func TestYesNoCasual(t *testing.T) {
	tests := []struct {
		text string
		yes  bool
	}{
		{"sure thing, book it", true}, {"yes please, whenever", true}, {"let's do it", true},
		{"sounds great", true}, {"that'd be great thanks", true}, {"I think so", true},
		{"magari!", true}, {"Magari, grazie", true}, {"dai dai", true}, {"volentieri", true},
		{"eccome", true}, {"direi di sì", true}, {"va benissimo così", true}, {"ovvio", true},
		{"please!", true}, {"cool", true}, {"fine then", true}, {"k", true}, {"kk thanks", true},
		{"nah I'm good", false}, {"I'm good thanks", false}, {"no need, thanks", false},
		{"I don't think so", false}, {"rather not", false}, {"meglio di no", false},
		{"preferisco di no", false}, {"credo di no", false}, {"nono", false},
		// A "fine" that goes on to agree; an intensifier that goes on to deny.
		{"im fine with it, thanks", true}, {"I'm good, go ahead", true}, {"i'm okay with the refund", true},
		{"certamente no, grazie", false}, {"naturalmente no", false}, {"obviously not", false}, {"sicuro che no", false},
		{"certo, perché no", true}, {"ovviamente sì", true},
		// The "no" of a trouble waved away agrees; a "fine with" that keeps things declines.
		{"of course, no problem", true}, {"certo no problem", true}, {"absolutely, no worries", true}, {"sicuramente, no problem!", true},
		{"i m ok with keeping it", false}, {"im good with what i have", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if yes, ok := YesNo(tt.text, ""); !ok || yes != tt.yes {
				t.Errorf("YesNo(%q) = %v, %v; want %v", tt.text, yes, ok, tt.yes)
			}
		})
	}
	// "magari" and "dai" beside other words are no answer.
	for _, text := range []string{"magari domani", "magari è la batteria", "dai la colpa al cavo", "please tell me the price"} {
		if yes, ok := YesNo(text, ""); ok {
			t.Errorf("YesNo(%q) = %v; want no answer", text, yes)
		}
	}
}

// TestOpeningYesNoGoesOn: the phrase that opens a long message is read
// whole, both ways.
func TestOpeningYesNoGoesOn(t *testing.T) {
	for _, tt := range []struct {
		text string
		yes  bool
	}{
		{"I'm good with that, the box is still sealed", true},
		{"im ok lets go then, I have the receipt", true},
		{"I'm good thanks, that was all", false},
		{"ovviamente no, l'ho usato solo una volta", false},
		{"certo che no, non l'ho mai aperto", false},
		{"ovviamente, ho ancora lo scontrino", true},
	} {
		t.Run(tt.text, func(t *testing.T) {
			if yes, ok := OpeningYesNo(strings.Fields(Normalize(tt.text))); !ok || yes != tt.yes {
				t.Errorf("OpeningYesNo(%q) = %v, %v; want %v", tt.text, yes, ok, tt.yes)
			}
		})
	}
}
