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
