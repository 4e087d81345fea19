// Package guard holds the bounds that every HTTP entry point of the
// binary shares: who the client is (X-Forwarded-For believed only from
// the proxies the configuration lists), rate limits per key with a
// bounded memory, and growing delays after failures. It is the one copy
// of each: the web chat, the review pages and the webhooks use it.
package guard

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies (load balancers) in front of the
// binary whose X-Forwarded-For header is believed. The zero value
// believes none: the client is the peer of the connection.
type Proxies struct {
	prefixes []netip.Prefix
}

// ParseProxies reads a list of addresses ("10.0.0.1") and networks
// ("10.0.0.0/8", "::1/128"); "loopback" and "private" stand for those
// ranges. It returns an error naming the first entry it cannot read.
func ParseProxies(list []string) (Proxies, error) {
	var p Proxies
	for _, s := range list {
		s = strings.TrimSpace(s)
		switch s {
		case "":
			continue
		case "loopback":
			p.prefixes = append(p.prefixes, netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"))
			continue
		case "private":
			for _, n := range []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"} {
				p.prefixes = append(p.prefixes, netip.MustParsePrefix(n))
			}
			continue
		}
		if pr, err := netip.ParsePrefix(s); err == nil {
			p.prefixes = append(p.prefixes, pr.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return Proxies{}, fmt.Errorf("trusted proxy %q: not an address or a network (10.0.0.0/8)", s)
		}
		a = a.Unmap()
		p.prefixes = append(p.prefixes, netip.PrefixFrom(a, a.BitLen()))
	}
	return p, nil
}

// trusted reports whether a is one of the proxies.
func (p Proxies) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, pr := range p.prefixes {
		if pr.Contains(a) {
			return true
		}
	}
	return false
}

// ClientAddr returns the address of the client that sent r, without a
// port. It is the connection's peer unless the peer is a trusted proxy;
// then it is the right-most address of X-Forwarded-For that is not a
// trusted proxy itself (the left part of the header is the client's own
// word and can be forged). A header it cannot read gives the last
// proxy's address, never a forged one.
func (p Proxies) ClientAddr(r *http.Request) string {
	peer := peerAddr(r.RemoteAddr)
	if !peer.IsValid() {
		return r.RemoteAddr
	}
	client := peer.Unmap()
	if len(p.prefixes) == 0 || !p.trusted(client) {
		return client.String()
	}
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, ok := hopAddr(parts[j])
			if !ok {
				return client.String()
			}
			client = a
			if !p.trusted(a) {
				return a.String()
			}
		}
	}
	return client.String()
}

// peerAddr reads the address of RemoteAddr ("1.2.3.4:5678", "[::1]:80").
func peerAddr(remote string) netip.Addr {
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		return ap.Addr()
	}
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, _ := netip.ParseAddr(host)
	return a
}

// hopAddr reads one entry of X-Forwarded-For, which proxies write as an
// address, sometimes with a port or in brackets.
func hopAddr(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if a, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return a.Unmap(), true
	}
	return netip.Addr{}, false
}
