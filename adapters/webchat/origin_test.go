package webchat

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPostWithoutJSONContentTypeIs415: a form or a text/plain POST (which
// any site's page can send without asking) is refused before it is read.
func TestPostWithoutJSONContentTypeIs415(t *testing.T) {
	f := newFixture(t, Config{})
	v := f.mustVisitor(t)
	for i, tc := range []struct {
		ctype string
		want  int
	}{
		{"", http.StatusUnsupportedMediaType},
		{"text/plain", http.StatusUnsupportedMediaType},
		{"text/plain; charset=utf-8", http.StatusUnsupportedMediaType},
		{"application/x-www-form-urlencoded", http.StatusUnsupportedMediaType},
		{"multipart/form-data; boundary=x", http.StatusUnsupportedMediaType},
		{"application/jsonp", http.StatusUnsupportedMediaType},
		{"application/json;;", http.StatusUnsupportedMediaType},
		{"application/json", http.StatusOK},
		{"Application/JSON; charset=utf-8", http.StatusOK},
	} {
		t.Run("messages "+tc.ctype, func(t *testing.T) {
			before := len(f.engine.calls())
			status, m, _ := f.do(t, "POST", "/chat/messages", message(v, fmt.Sprint("c", i), "hi"), "Content-Type", tc.ctype)
			if status != tc.want {
				t.Fatalf("Content-Type %q: %d %v, want %d", tc.ctype, status, m, tc.want)
			}
			if tc.want == http.StatusUnsupportedMediaType {
				if m["code"] != "content_type" {
					t.Errorf("code %v, want content_type", m["code"])
				}
				if len(f.engine.calls()) != before {
					t.Error("the engine was called")
				}
			}
		})
		t.Run("visitors "+tc.ctype, func(t *testing.T) {
			want := tc.want
			if want == http.StatusOK {
				want = http.StatusCreated
			}
			if status, m, _ := f.do(t, "POST", "/chat/visitors", "{}", "Content-Type", tc.ctype); status != want {
				t.Errorf("Content-Type %q: %d %v, want %d", tc.ctype, status, m, want)
			}
		})
	}
}

// TestForeignOriginIsRefused: another site's page cannot use its
// visitors' browsers against the chat; the chat's own page, a listed
// shop and clients that are not browsers (no Origin) can.
func TestForeignOriginIsRefused(t *testing.T) {
	f := newFixture(t, Config{AllowedOrigins: []string{"https://shop.example", "http://localhost:3000"}})
	v := f.mustVisitor(t)
	self := f.srv.URL // http://127.0.0.1:PORT
	n := 0
	for _, tc := range []struct {
		name, origin string
		want         int
		cors         bool // answered with Access-Control-Allow-Origin
	}{
		{"no Origin (curl, same-origin GET)", "", 200, false},
		{"the chat's own page", self, 200, false},
		{"a listed shop", "https://shop.example", 200, true},
		{"a listed shop with its port", "http://localhost:3000", 200, true},
		{"another site", "https://evil.example", 403, false},
		{"a listed shop's name over http", "http://shop.example", 403, false},
		{"a sub-domain of a listed shop", "https://x.shop.example", 403, false},
		{"a listed name as a prefix", "https://shop.example.evil.example", 403, false},
		{"null (sandboxed frame, file:)", "null", 403, false},
		{"garbage", "%%%", 403, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n++
			before := len(f.engine.calls())
			for _, req := range []struct{ method, path, body string }{
				{"POST", "/chat/messages", message(v, "o"+string(rune('a'+n)), "hi")},
				{"POST", "/chat/visitors", "{}"},
				{"GET", "/chat/history?visitor=" + v, ""},
			} {
				hdr := []string{"Content-Type", "application/json"}
				if tc.origin != "" {
					hdr = append(hdr, "Origin", tc.origin)
				}
				status, m, h := f.do(t, req.method, req.path, req.body, hdr...)
				want := tc.want
				if want == 200 && req.path == "/chat/visitors" {
					want = 201
				}
				if status != want {
					t.Errorf("%s %s: %d %v, want %d", req.method, req.path, status, m, want)
				}
				if want == 403 && m["code"] != "origin" {
					t.Errorf("%s %s: code %v, want origin", req.method, req.path, m["code"])
				}
				acao := ""
				if tc.cors {
					acao = tc.origin
				}
				if got := h.Get("Access-Control-Allow-Origin"); got != acao {
					t.Errorf("%s %s: Access-Control-Allow-Origin %q", req.method, req.path, got)
				}
				if !strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
					t.Errorf("%s %s: no Vary: Origin", req.method, req.path)
				}
			}
			if tc.want == 403 && len(f.engine.calls()) != before {
				t.Error("the engine got a message from a refused origin")
			}
			if tc.origin == "" {
				return
			}
			// The event stream too.
			s := f.openStreamWith(t, v, "Origin", tc.origin)
			if s.status != tc.want {
				t.Errorf("GET /chat/events: %d, want %d", s.status, tc.want)
			}
			s.cancel()
		})
	}
}

func TestPreflight(t *testing.T) {
	f := newFixture(t, Config{AllowedOrigins: []string{"https://shop.example"}})
	ask := func(origin string) (int, http.Header) {
		status, _, h := f.do(t, "OPTIONS", "/chat/messages", "", "Origin", origin,
			"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type")
		return status, h
	}
	status, h := ask("https://shop.example")
	if status != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != "https://shop.example" ||
		!strings.Contains(h.Get("Access-Control-Allow-Headers"), "Content-Type") || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("a listed shop's preflight: %d %v", status, h)
	}
	if status, h := ask("https://evil.example"); status != http.StatusForbidden || h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("another site's preflight: %d, Access-Control-Allow-Origin %q; want 403 and none", status, h.Get("Access-Control-Allow-Origin"))
	}
}

func TestAllowedOriginsFrameThePage(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     Config
		ancests string
	}{
		{"no origins listed: any site may embed the widget", Config{}, "frame-ancestors *"},
		{"listed origins", Config{AllowedOrigins: []string{"https://shop.example"}}, "frame-ancestors 'self' https://shop.example"},
		{"FrameAncestors wins", Config{AllowedOrigins: []string{"https://shop.example"}, FrameAncestors: []string{"'none'"}}, "frame-ancestors 'none'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.cfg)
			_, _, h := f.do(t, "GET", "/", "")
			if csp := h.Get("Content-Security-Policy"); !strings.HasSuffix(csp, tc.ancests) {
				t.Errorf("CSP %q, want it to end with %q", csp, tc.ancests)
			}
		})
	}
}

func TestParseOrigins(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" for an error
	}{
		{"https://shop.example", "https://shop.example"},
		{"https://Shop.Example/", "https://shop.example"},
		{"https://shop.example:443", "https://shop.example"},
		{"http://shop.example:80", "http://shop.example"},
		{"https://shop.example:8443", "https://shop.example:8443"},
		{"http://[::1]:3000", "http://[::1]:3000"},
		{"https://[2001:db8::1]:443", "https://[2001:db8::1]"},
		{"  https://shop.example  ", "https://shop.example"},
		{"*", ""},
		{"null", ""},
		{"shop.example", ""},
		{"ftp://shop.example", ""},
		{"https://", ""},
		{"https://shop.example/path", ""},
		{"https://shop.example?x=1", ""},
		{"https://shop.example#x", ""},
		{"https://user@shop.example", ""},
		{"javascript:alert(1)", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseOrigins([]string{tc.in})
			switch {
			case tc.want == "" && err == nil:
				t.Errorf("ParseOrigins(%q) = %q, want an error", tc.in, got)
			case tc.want != "" && (err != nil || len(got) != 1 || got[0] != tc.want):
				t.Errorf("ParseOrigins(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
	if got, err := ParseOrigins([]string{"", "https://a.example", "https://A.example/"}); err != nil || len(got) != 1 {
		t.Errorf("blanks and duplicates: %q %v", got, err)
	}
}

// FuzzOriginJudge: whatever the Origin header, the judge answers without
// panicking, and allows only the chat's own host and the listed origins.
func FuzzOriginJudge(f *testing.F) {
	for _, s := range []string{"https://shop.example", "http://127.0.0.1:8080", "null", "https://shop.example.evil", "http://[::1", "https://SHOP.example:443"} {
		f.Add(s)
	}
	p := originPolicy{allowed: []string{"https://shop.example"}}
	f.Fuzz(func(t *testing.T, origin string) {
		r, _ := http.NewRequest("GET", "http://127.0.0.1:8080/chat/history", nil)
		r.Header.Set("Origin", origin)
		switch p.judge(r) {
		case originAllowed:
			u, err := url.Parse(origin)
			if err != nil || hostKey(u.Scheme, u.Host) != "shop.example" || u.Scheme != "https" {
				t.Fatalf("allowed %q", origin)
			}
		case originSame:
			u, err := url.Parse(origin)
			if err != nil || hostKey(u.Scheme, u.Host) != "127.0.0.1:8080" {
				t.Fatalf("took %q for the chat's own page", origin)
			}
		}
	})
}
