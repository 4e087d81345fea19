package flows

import (
	"strings"
	"testing"
)

// TestProductHowToBeforeTheClaim: a question how to do something with a
// product, beside the fault that made the customer ask, is answered by
// the product's own page, and starts no claim; a question how to get it
// repaired, or a fault told with its purchase date, stays the claim's.
func TestProductHowToBeforeTheClaim(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct{ lang, text, want string }{
		{"en", "how do I reset the lg oled? the picture flickers", "documents("},
		{"it", "come si resetta la tv lg? si blocca sempre", "documents("},
		{"en", "how can i restore the factory settings on my lg tv? the apps keep crashing", "documents("},
		// The claim's.
		{"en", "how do I get my LG tv fixed? it keeps freezing", "start_flow(warranty"},
		{"en", "my lg tv keeps freezing, how do I get it repaired?", "start_flow(warranty"},
		{"en", "how do I reset my lg tv? it keeps freezing, I bought it in march", "start_flow(warranty"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := commandsText(understandIn(t, b, tc.lang, tc.text)); !strings.HasPrefix(got, tc.want) {
				t.Errorf("commands %s, want %s...", got, tc.want)
			}
		})
	}
}
