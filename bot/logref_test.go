package bot

import (
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
