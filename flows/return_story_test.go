package flows

import (
	"context"
	"strings"
	"testing"
)

// TestReturnDatedIsNoClaim: a return whose purchase and date are told in
// a clause of their own ("I bought X on 5 May and want to send it back")
// is one request: read alone that clause looks like a claim with its
// purchase date, but the date is the return's delivery and no fault is
// told, so no warranty goes on the agenda. A fault told beside it is a
// claim, queued as before.
func TestReturnDatedIsNoClaim(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		name, lang, text string
		queued           bool
	}{
		{"air fryer, en", "en", "I got an air fryer on 20 May and I want to return it", false},
		{"dyson, not keen, en", "en", "I bought a dyson on 18 May and I'd like to send it back, I don't like it", false},
		{"friggitrice, it", "it", "ho preso una friggitrice il 19 maggio e voglio restituirla perché non mi piace", false},
		{"macchina, it", "it", "ho comprato la magnifica il 17 maggio e la vorrei rendere, non fa per me", false},
		// Near misses: a fault told in its own clause is a claim.
		{"fault beside, en", "en", "I bought a dyson on 18 May and I want to return it, and my pixel 8 won't turn on", true},
		{"guasto accanto, it", "it", "voglio restituire la friggitrice presa il 19 maggio, e il mio pixel 8 non si accende più", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmds, _ := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: tc.lang, Now: june3})
			got := commandsText(cmds)
			if q := strings.Contains(got, "queue_flow(warranty"); q != tc.queued {
				t.Errorf("%q: commands %s, queued warranty %v, want %v", tc.text, got, q, tc.queued)
			}
		})
	}
}
