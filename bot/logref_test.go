package bot

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strings"
	"testing"
)

func TestOrderRefIsOneReferencePerOrder(t *testing.T) {
	ref := OrderRef("SP-482001")
	if !strings.HasPrefix(ref, "order:") || len(ref) != len("order:")+8 {
		t.Fatalf("OrderRef = %q, want order: and 8 hex digits", ref)
	}
	for _, same := range []string{"#SP-482001", "sp 482001", "SP482001", " #sp-482001 "} {
		if got := OrderRef(same); got != ref {
			t.Errorf("OrderRef(%q) = %q, want %q (the same order)", same, got, ref)
		}
	}
	for _, other := range []string{"SP-482002", "SP-48200", "482001X"} {
		if OrderRef(other) == ref {
			t.Errorf("OrderRef(%q) = %q, the reference of another order", other, ref)
		}
	}
	if LogRef("order", "X") == LogRef("chat", "X") {
		t.Error("two labels give one reference")
	}
}

func TestRedactOrderReplacesTheNumberOnly(t *testing.T) {
	ref := OrderRef("#SP-771203")
	for _, tc := range []struct{ number, text, want string }{
		{"#SP-771203", "shopify: order SP-771203: HTTP 502", "shopify: order " + ref + ": HTTP 502"},
		{"#SP-771203", `woocommerce: order "#SP-771203": not found`, `woocommerce: order "` + ref + `": not found`},
		{"SP-771203", "the order system panicked: lookup SP-771203 twice", "the order system panicked: lookup " + ref + " twice"},
		// Near misses: nothing of the number, or an empty one, changes nothing.
		{"SP-771203", "redis: i/o timeout", "redis: i/o timeout"},
		{"SP-771203", "order SP-771204: HTTP 502", "order SP-771204: HTTP 502"},
		{"", "order : HTTP 502", "order : HTTP 502"},
	} {
		if got := RedactOrder(tc.text, tc.number); got != tc.want {
			t.Errorf("RedactOrder(%q, %q) = %q, want %q", tc.text, tc.number, got, tc.want)
		}
	}
}

func TestLinkKindHoldsNothingOfTheLink(t *testing.T) {
	for _, tc := range []struct{ link, want string }{
		{"javascript:track('SP-1','20121')", "scheme javascript"},
		{"ftp://mario@example.com/x", "scheme ftp"},
		{"tracking.example.com/?cap=20121", "no scheme"},
		{"https://", "no host"},
		{"https://user:pw@tracking.example.com/x", "user info"},
		{"https://a b.example/20121", "spaces or control characters"},
		{"https://tracking.example.com/" + strings.Repeat("x", 2001), "too long"},
	} {
		if got := LinkKind(tc.link); got != tc.want {
			t.Errorf("LinkKind(%.40q) = %q, want %q", tc.link, got, tc.want)
		}
	}
}

// withLogKey keys the process's references with key until the test ends.
func withLogKey(t *testing.T, key string) {
	t.Helper()
	was := logKey.Load()
	t.Cleanup(func() { logKey.Store(was) })
	SetLogKey([]byte(key))
}

func TestOrderRefIsKeyedByTheDeploymentsKey(t *testing.T) {
	withLogKey(t, "one deployment's key")
	refs := map[string]string{}
	for _, n := range []string{"SP-482001", "100234", "7"} {
		refs[n] = OrderRef(n)
	}
	// Without the key, trying the numbers one by one finds nothing: the
	// unkeyed hash that the references were once made of is not theirs.
	for n, ref := range refs {
		if plain := plainRef("order", OrderKey(n)); plain == ref {
			t.Errorf("OrderRef(%q) = %q, the unkeyed SHA-256 of the number", n, ref)
		}
	}
	withLogKey(t, "another deployment's key")
	for n, ref := range refs {
		if OrderRef(n) == ref {
			t.Errorf("OrderRef(%q) = %q under two keys", n, ref)
		}
	}
	// The same key again, as another replica or a restart has it: the
	// same references.
	withLogKey(t, "one deployment's key")
	for n, ref := range refs {
		if got := OrderRef(n); got != ref {
			t.Errorf("OrderRef(%q) = %q, then %q with the same key", n, ref, got)
		}
	}
}

// plainRef is the unkeyed reference: what a brute force would compute.
func plainRef(label, value string) string {
	s := sha256.Sum256([]byte(label + "\x00" + value))
	return label + ":" + hex.EncodeToString(s[:4])
}

func TestAnAddressIsLoggedWithoutItsChatID(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	addrs := []Address{{"telegram", "421337001"}, {"web", "3f9c2a7be01d44c5"}, {"telegram", "-100987654321"}}
	for _, a := range addrs {
		log.Info("a line", "addr", a, "nested", slog.GroupValue(slog.Any("conversation", a)))
	}
	out := buf.String()
	for _, a := range addrs {
		if strings.Contains(out, a.ChatID) {
			t.Errorf("the log holds the chat ID %q:\n%s", a.ChatID, out)
		}
		if !strings.Contains(out, `"`+a.Ref()+`"`) || !strings.HasPrefix(a.Ref(), a.Channel+":chat:") {
			t.Errorf("the log lacks %q (the channel and the reference):\n%s", a.Ref(), out)
		}
	}
	// Near misses: one chat ID on two channels, two chat IDs on one, are
	// four conversations.
	seen := map[string]bool{}
	for _, a := range []Address{{"telegram", "1"}, {"web", "1"}, {"telegram", "2"}, {"web", "2"}} {
		seen[a.Ref()] = true
	}
	if len(seen) != 4 {
		t.Errorf("four addresses give %d references", len(seen))
	}
}

func TestLogIDHidesTheAddressInAnID(t *testing.T) {
	tg, web := Address{"telegram", "421337001"}, Address{"web", "3f9c2a7be01d44c5"}
	for _, tc := range []struct {
		addr     Address
		id, want string
	}{
		{tg, "telegram:421337001|tg:9001|o0", tg.Ref() + "|tg:9001|o0"},
		{web, "web:3f9c2a7be01d44c5:m-17", web.Ref() + ":m-17"},
		{web, "web:3f9c2a7be01d44c5|web:3f9c2a7be01d44c5:m-17|d1", web.Ref() + "|" + web.Ref() + ":m-17|d1"},
		// Near misses: an ID without the address, another conversation's,
		// the bare chat ID in another ID, stay as they are.
		{tg, "tg:9001", "tg:9001"},
		{tg, "telegram:421337002|tg:9001|o0", "telegram:421337002|tg:9001|o0"},
		{Address{"telegram", "1"}, "timer:handoff_timeout:1abc", "timer:handoff_timeout:1abc"},
	} {
		if got := tc.addr.LogID(tc.id); got != tc.want {
			t.Errorf("%v.LogID(%q) = %q, want %q", tc.addr.ChatID, tc.id, got, tc.want)
		}
	}
}
