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

// What a log line shows of a client: its IPv4 /24 or its IPv6 /48.
const (
	LogIPv4Net = 24
	LogIPv6Net = 48
)

// LogNet returns what a log line shows of the client addr (an address,
// with or without a port, or a network as Network writes it): the /24
// network of an IPv4 address, the /48 of an IPv6 one, "203.0.113.0/24".
// A client's own address is personal data and stays out of the logs; its
// network is enough to block a flood at the proxy, or to recognise a
// proxy missing from trusted_proxies. Anything else is "unknown", never
// the text itself.
func LogNet(addr string) string {
	var a netip.Addr
	if p, err := netip.ParsePrefix(addr); err == nil {
		a = p.Addr()
	} else {
		a = peerAddr(addr)
	}
	if !a.IsValid() {
		return "unknown"
	}
	a = a.Unmap().WithZone("")
	bits := LogIPv6Net
	if a.Is4() {
		bits = LogIPv4Net
	}
	p, err := a.Prefix(bits)
	if err != nil {
		return "unknown"
	}
	return p.String()
}
