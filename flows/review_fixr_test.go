package flows

import (
	"context"
	"testing"
)

// TestPraiseTurnedOrDenied: praise that turns to a problem ("solo che",
// "only thing is") or is denied ("no longer works well") tells a defect.
func TestPraiseTurnedOrDenied(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"funziona benissimo, grazie!", true},
		{"the new headphones work great and the tv looks amazing", true},
		{"la friggitrice è fantastica, solo che il cestello si graffia", false},
		{"è perfetto, peccato che lo schermo si spenga da solo", false},
		{"it's great, only thing is the remote won't pair", false},
		{"the laptop is amazing, except that the fan is noisy", false},
		{"my speaker no longer works well after the update", false},
		{"il frullatore non funziona bene da ieri", false},
		{"the printer never works well with my wifi", false},
	} {
		if got := praises(tc.text); got != tc.want {
			t.Errorf("praises(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestReceivedDenied: "non è arrivato", "hasn't arrived" tell that the
// product did not come, so a change of mind is no return after delivery.
func TestReceivedDenied(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"ho cambiato idea, il frullatore è arrivato ieri", true},
		{"the kettle arrived on monday but I changed my mind", true},
		{"ho cambiato idea sul tostapane, non è arrivato", false},
		{"I changed my mind about the blender, it hasn't arrived", false},
		{"changed my mind, the parcel has not yet arrived", false},
	} {
		if got := saying(tc.text).hasUndenied(receivedPhrases); got != tc.want {
			t.Errorf("received in %q = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestRentingBesideAPurchase: a rental cue in a clause of its own does not
// stop the purchase of a product the shop sells in another; renting the
// product itself still asks the pages.
func TestRentingBesideAPurchase(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text, flow string
	}{
		{"en", "we just moved into a rented house and I want to buy a samsung qled", "sales"},
		{"en", "I rent a room in town, so I'd like to purchase a small airfryer", "sales"},
		{"it", "abito in affitto e vorrei comprare un portatile per studiare", "sales"},
		{"en", "can I rent a macbook air for two weeks?", ""},
		{"it", "posso noleggiare un iphone 15 per un mese?", ""},
	} {
		t.Run(tc.text, func(t *testing.T) {
			cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june2025})
			if err != nil {
				t.Fatal(err)
			}
			started := ""
			for _, c := range cmds {
				if c.Kind == CmdStartFlow {
					started = c.Flow
				}
			}
			if started != tc.flow {
				t.Errorf("flow started %q, want %q (%v)", started, tc.flow, cmds)
			}
		})
	}
}
