package guard

import (
	"net/http"
	"net/netip"
)

// IPv6Net is the prefix an IPv6 client is counted by: the /64 that a home
// line, a phone or a cloud VM is given whole.
const IPv6Net = 64

// Network returns what limits per client count addr (as ClientAddr
// writes it) against: an IPv4 address itself, the /64 network of an IPv6
// one. An IPv6 client holds 2^64 addresses and may take a fresh one for
// every request, so a limit keyed by its address binds nobody. Anything
// that is not an address is returned as it is.
func Network(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, err := a.WithZone("").Prefix(IPv6Net)
	if err != nil {
		return addr
	}
	return p.String()
}

// ClientNet returns Network of the client that sent r: the key of its
// limits.
func (p Proxies) ClientNet(r *http.Request) string {
	return Network(p.ClientAddr(r))
}
