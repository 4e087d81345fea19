package flows

import (
	"context"
	"strings"
	"testing"
)

// TestTheBrandsOneInDigits: chats write "one" as "1" ("the lg 1 pls"):
// a lone "1" after a brand, at the product question, is the brand's one,
// no model the shop lacks. A line's "1" ("pixel 1") or a model with more
// ("sony 1000xm") is still a model.
func TestTheBrandsOneInDigits(t *testing.T) {
	b := mustShop(t)
	for _, tc := range []struct {
		text, want string
	}{
		{"the lg 1 pls", "set_slot(product=lg-oled-55"},
		{"ok the sony 1", "set_slot(product=sony-bravia-43"},
		{"samsung 1 is good for me", "set_slot(product=samsung-qled-55"},
		// Near misses: a line's model, a longer model.
		{"the pixel 1", "not_sold("},
		{"the sony 1000xm4", "not_sold("},
	} {
		cmds, err := rules{b}.Understand(context.Background(), Input{Text: tc.text, Lang: "en", Now: june3,
			State: State{Flow: "sales", Slot: "product", Slots: map[string]string{"category": "tv"}}})
		if err != nil {
			t.Fatal(err)
		}
		if got := commandsText(cmds); !strings.Contains(got, tc.want) {
			t.Errorf("%q: %s, want %q", tc.text, got, tc.want)
		}
	}
}
