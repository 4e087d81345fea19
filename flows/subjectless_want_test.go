package flows

import (
	"strings"
	"testing"
)

// TestASubjectlessWantIsAPurchase: chats drop the "I" of a request
// ("need a new phone", "want a tv pls"): a message that opens with the
// verb of a want, before the thing of the catalogue, is a purchase as
// "I need ..." is. "need to ..." asks something else, and a "need"
// inside a question or after "no" requests nothing.
func TestASubjectlessWantIsAPurchase(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text string
		sale bool
	}{
		{"need a new phone", true},
		{"want a tv pls", true},
		{"need an airfryer", true},
		{"wanna get a macbook air", true},
		// Near misses.
		{"need to know your opening hours", false},
		{"do i need the receipt for the pixel 8?", false},
		{"want my pixel 8 fixed", false},
		{"need a pixel 8 charger", false},
	} {
		got := commandsText(understandIn(t, b, "en", tc.text))
		if strings.Contains(got, "start_flow(sales") != tc.sale {
			t.Errorf("%q: %s, want a sale: %v", tc.text, got, tc.sale)
		}
	}
}
