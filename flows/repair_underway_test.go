package flows

import (
	"strings"
	"testing"
)

// TestRepairUnderway: news asked of a repair already given in, with no
// fault told, is for a person of the claim's team, who knows the repair:
// no new claim asking the model and the date. A fault told, or a repair
// not given in yet, keeps the claim.
func TestRepairUnderway(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		lang, text string
		want, not  []string
	}{
		{"en", "my laptop has been in for repair since april, any update?", []string{"human(warranty"}, []string{"start_flow"}},
		{"it", "ho lasciato la macchina del caffè in assistenza dieci giorni fa, ci sono novità?", []string{"human(warranty"}, []string{"start_flow"}},
		{"en", "I sent the galaxy for repair three weeks ago, is there any news?", []string{"human(warranty"}, []string{"start_flow"}},
		// Near misses.
		{"en", "my pixel bought in may is dead, when will it come back from repair?", []string{"start_flow(warranty"}, []string{"human"}},
		{"en", "can I send my phone for repair? any news on the prices?", nil, []string{"human"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := commandsText(understandIn(t, b, tc.lang, tc.text))
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("commands %s lack %s", got, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("commands %s hold %s", got, n)
				}
			}
		})
	}
}
