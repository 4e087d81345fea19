package flows

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/sportello/sportello/examples"
)

// sharedShop is the demo shop loaded once per test binary: loading it
// trains its classifier (0.2 s, 2 s under -race), and nearly 300 tests
// talk to it. The bot is shared the way the engine shares it between
// conversations; TestMain checks that no test changed it.
var sharedShop = sync.OnceValues(func() (*Bot, error) {
	b, err := Load(examples.Shop, "shop")
	if err == nil {
		sharedParts = parts(b)
		shopShared.Store(true)
	}
	return b, err
})

// mustShop returns the demo shop that the tests share; a test that
// changes the bot (its teams, its classifier) loads its own, freshShop.
func mustShop(tb testing.TB) *Bot {
	tb.Helper()
	b, err := sharedShop()
	if err != nil {
		tb.Fatalf("load the demo shop:\n%v", err)
	}
	return b
}

// freshShop loads a demo shop of the test's own, to change.
func freshShop(tb testing.TB) *Bot {
	tb.Helper()
	b, err := Load(examples.Shop, "shop")
	if err != nil {
		tb.Fatalf("load the demo shop:\n%v", err)
	}
	return b
}

// TestShopTranscript prints a conversation given in SHOP_SAY, one message
// per line, for trying the demo by hand.
func TestShopTranscript(t *testing.T) {
	script := os.Getenv("SHOP_SAY")
	if script == "" {
		t.Skip("SHOP_SAY not set")
	}
	d := newDriver(t, mustShop(t), june2025)
	for _, line := range strings.Split(script, "\n") {
		var out string
		if p, ok := strings.CutPrefix(line, "press "); ok {
			out = d.press(p)
		} else {
			out = d.say(line)
		}
		t.Logf("> %s\n%s %v  [flow=%s step=%s slots=%v]", line, out, d.buttons(), d.s.Flow, d.s.Step, d.s.Slots)
		for _, e := range d.last.Events {
			if e.Type == "intent" {
				t.Logf("   intent %s %.2f", e.Intent, e.Confidence)
			}
		}
		if d.last.Handoff != nil {
			t.Logf("HANDOFF %+v", *d.last.Handoff)
		}
	}
}
