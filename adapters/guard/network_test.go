package guard

import (
	"net/http/httptest"
	"testing"
)

// TestNetworkCountsAnIPv6ClientByItsSlash64: limits keyed by the whole
// IPv6 address let one client with a /64 take a fresh address for every
// request (the red-team attack, docs/security.md).
func TestNetworkCountsAnIPv6ClientByItsSlash64(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"203.0.113.7", "203.0.113.7"},
		{"::ffff:203.0.113.7", "203.0.113.7"},
		{"2001:db8:1:2::1", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"},
		{"2001:db8:1:3::1", "2001:db8:1:3::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"::1", "::/64"},
		{"", ""},
		{"not an address", "not an address"},
		{"pipe", "pipe"},
	} {
		t.Run(tc.addr, func(t *testing.T) {
			if got := Network(tc.addr); got != tc.want {
				t.Errorf("Network(%q) = %q, want %q", tc.addr, got, tc.want)
			}
		})
	}
	proxies, _ := ParseProxies([]string{"loopback"})
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:5000"
	r.Header.Set("X-Forwarded-For", "2001:db8:7:7:1:2:3:4")
	if got := proxies.ClientNet(r); got != "2001:db8:7:7::/64" {
		t.Errorf("ClientNet = %q", got)
	}
}
