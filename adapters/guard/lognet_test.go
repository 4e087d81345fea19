package guard

import "testing"

// TestLogNetShowsTheNetworkNotTheClient: a log line names a client by its
// /24 (IPv4) or /48 (IPv6), whatever form the address comes in, and never
// repeats text that is not an address.
func TestLogNetShowsTheNetworkNotTheClient(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"203.0.113.7", "203.0.113.0/24"},
		{"203.0.113.254:51234", "203.0.113.0/24"},
		{"::ffff:198.51.100.9", "198.51.100.0/24"},
		{"2001:db8:aa:bb::1", "2001:db8:aa::/48"},
		{"[2001:db8:aa:bb::1]:443", "2001:db8:aa::/48"},
		{"2001:db8:aa:bb::/64", "2001:db8:aa::/48"},
		{"fe80::1%eth0", "fe80::/48"},
		// Near misses: nothing that is not an address is echoed.
		{"", "unknown"},
		{"mario.rossi@example.it", "unknown"},
		{"pipe", "unknown"},
	} {
		if got := LogNet(tc.addr); got != tc.want {
			t.Errorf("LogNet(%q) = %q, want %q", tc.addr, got, tc.want)
		}
	}
	// Two clients of one /24 read alike; of two /24s, apart.
	if LogNet("192.0.2.1") != LogNet("192.0.2.200") || LogNet("192.0.2.1") == LogNet("192.0.3.1") {
		t.Error("LogNet does not group by /24")
	}
}
