package extract

import "testing"

// TestRepairDateIsNoPurchase: a date told of a repair ("riparato a
// marzo", "fixed in april") is the repair's; beside a purchase each date
// keeps its own cue.
func TestRepairDateIsNoPurchase(t *testing.T) {
	for _, tc := range []struct {
		text string
		cues []Cue
	}{
		{"me l'hanno riparato a marzo", []Cue{CueRepair}},
		{"il pixel non va, sistemato a marzo", []Cue{CueRepair}},
		{"it was fixed in april and now its broken again", []Cue{CueRepair}},
		{"got it repaired last month", []Cue{CueRepair}},
		// Near misses: the purchase keeps its date.
		{"comprato a marzo e riparato ad aprile", []Cue{CuePurchase, CueRepair}},
		{"bought my tv in january, repaired in march", []Cue{CuePurchase, CueRepair}},
		{"l'ho comprato a marzo", []Cue{CuePurchase}},
		{"bought it in may, can you fix it?", []Cue{CuePurchase}},
		{"consegnato a maggio", []Cue{CueDelivery}},
	} {
		var got []Cue
		for _, v := range Scan(tc.text, Options{Now: now}) {
			if v.Kind == KindDate {
				got = append(got, v.Cue)
			}
		}
		if len(got) != len(tc.cues) {
			t.Errorf("Scan(%q) date cues = %v, want %v", tc.text, got, tc.cues)
			continue
		}
		for i := range got {
			if got[i] != tc.cues[i] {
				t.Errorf("Scan(%q) date cues = %v, want %v", tc.text, got, tc.cues)
				break
			}
		}
	}
}

// TestNeedNotBePaidIsNoFault: "non va pagata sopra i 49 €" says a cost
// need not be paid; "non va" with a price after it is a fault.
func TestNeedNotBePaidIsNoFault(t *testing.T) {
	defect := func(text string) bool {
		for _, v := range Scan(text, Options{Lang: "it", Now: now}) {
			if v.Kind == KindDefect {
				return true
			}
		}
		return false
	}
	for _, text := range []string{"la spedizione non va pagata sopra 49 euro?", "la consegna non va pagata per ordini grandi?",
		"il reso non va pagato se si cambia idea?", "il ritiro non va pagato dai clienti privati"} {
		if defect(text) {
			t.Errorf("Scan(%q) holds a defect, want none", text)
		}
	}
	for _, text := range []string{"il pixel non va pagato 800 euro", "il frigo non va, pagato 500 euro", "la tv non va", "non va piu niente",
		"il portatile non va pagato a marzo 900 euro"} {
		if !defect(text) {
			t.Errorf("Scan(%q) holds no defect, want one", text)
		}
	}
}
