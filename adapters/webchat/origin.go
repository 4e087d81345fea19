package webchat

import (
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// ParseOrigins reads the origins allowed to use the chat's API from
// their pages ("https://shop.example", "http://localhost:3000"): a scheme
// (http or https), a host and an optional port, nothing else. It returns
// them in the form browsers send in the Origin header (lower case, no
// default port, no trailing slash), or an error naming the first entry it
// cannot read. Empty entries are skipped.
func ParseOrigins(list []string) ([]string, error) {
	var out []string
	for _, raw := range list {
		s := strings.TrimSpace(raw)
		if s == "" {
			continue
		}
		o, err := parseOrigin(strings.TrimSuffix(s, "/"))
		if err != nil {
			return nil, fmt.Errorf("allowed origin %q: %v", s, err)
		}
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out, nil
}

// parseOrigin returns the canonical form of an origin.
func parseOrigin(s string) (string, error) {
	if s == "*" || s == "null" {
		return "", fmt.Errorf("not a site: name each shop's origin, like https://shop.example")
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("not a URL")
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("want http:// or https://")
	}
	if u.Host == "" || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("want only a scheme, a host and a port, like https://shop.example")
	}
	return scheme + "://" + hostKey(scheme, u.Host), nil
}

// hostKey returns host ("name" or "name:port") in lower case and without
// the scheme's default port, so "Shop.example:443" and "shop.example"
// compare equal under https.
func hostKey(scheme, host string) string {
	host = strings.ToLower(host)
	if h, port, err := net.SplitHostPort(host); err == nil {
		if scheme == "https" && port == "443" || scheme == "http" && port == "80" {
			if strings.Contains(h, ":") {
				return "[" + h + "]" // IPv6
			}
			return h
		}
	}
	return host
}

// Origin checks. A browser names the page that makes a request in the
// Origin header, on every cross-origin request and on same-origin POSTs;
// other clients (curl, a shop's server) send none. The check stops other
// sites' pages from using their visitors' browsers against the chat (a
// flood from thousands of addresses, messages in a visitor's name); a
// client that is not a browser can write any Origin it likes and is
// bound by the limits per address instead, so a request without Origin
// is let through.
type originPolicy struct {
	allowed []string // canonical origins, besides the chat's own host
}

// Verdicts of an origin check.
const (
	originNone    = iota // no Origin header: not a browser's cross-site request
	originSame           // the chat's own page (same host)
	originAllowed        // a listed shop's page: answer with CORS headers
	originRefused        // any other site, or "null"
)

// judge returns the verdict for r's Origin header.
func (p originPolicy) judge(r *http.Request) int {
	o := r.Header.Get("Origin")
	if o == "" {
		return originNone
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return originRefused // "null" (sandboxed frames, file:), garbage
	}
	// The chat's own page, wherever it is served from: the Origin's host
	// is the one the request was sent to. Behind a proxy that rewrites
	// Host, list the public origin instead.
	if hostKey(u.Scheme, u.Host) == hostKey(u.Scheme, r.Host) {
		return originSame
	}
	if slices.Contains(p.allowed, u.Scheme+"://"+hostKey(u.Scheme, u.Host)) {
		return originAllowed
	}
	return originRefused
}

// isJSON reports whether r says its body is JSON. Browsers send a
// cross-origin POST of this type only after a preflight, which refuses
// foreign origins, and HTML forms cannot send it at all.
func isJSON(r *http.Request) bool {
	t, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && t == "application/json"
}
