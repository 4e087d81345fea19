package flows

import (
	"context"
	"strings"
	"testing"
)

// TestAFavourForMeTellsNoBuyer: "for me" after something done to the
// thing ("my daughter installed it for me", "he fixed them for me") is a
// favour, no use the thing was bought for: no buyer. "for me" that buys
// ("i want it for me", "my wife bought it for me") or names the thing
// wanted ("a laptop for me") still says a private buyer.
func TestAFavourForMeTellsNoBuyer(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text  string
		buyer bool
	}{
		{"dunno the model, my daughter installed it for me", false},
		{"my nephew configured it for me last week", false},
		{"a friend unboxed them for me", false},
		// Near misses.
		{"my wife bought it for me", true},
		{"i got it for me", true},
		{"the phone for me, personally", true},
		{"it s for me", true},
		{"it is for me, nobody else", true},
	} {
		cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: "en", Now: june3,
			State: State{Flow: "warranty", Slot: "product", Slots: map[string]string{"category": "phone", "purchase_date": "2025-01"}}})
		if err != nil {
			t.Fatal(err)
		}
		got := commandsText(cmds)
		if strings.Contains(got, "buyer=consumer") != tc.buyer {
			t.Errorf("%q: %s, want the buyer: %v", tc.text, got, tc.buyer)
		}
	}
}
