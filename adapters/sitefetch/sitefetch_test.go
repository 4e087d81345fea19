package sitefetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// site is a local help centre: pages by path, and what it was asked.
type site struct {
	t     *testing.T
	srv   *httptest.Server
	mu    sync.Mutex
	hits  map[string]int
	times []time.Time
	agent []string
	pages map[string]func(w http.ResponseWriter, r *http.Request)
}

func newSite(t *testing.T) *site {
	s := &site{t: t, hits: map[string]int{}, pages: map[string]func(http.ResponseWriter, *http.Request){}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.RequestURI()]++
		s.times = append(s.times, time.Now())
		s.agent = append(s.agent, r.UserAgent())
		h := s.pages[r.URL.Path]
		s.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) html(path, body string) {
	s.pages[path] = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	}
}

func (s *site) file(path, contentType, body string) {
	s.pages[path] = func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		fmt.Fprint(w, body)
	}
}

func (s *site) hitsOf(uri string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[uri]
}

// hrefs is the test's Config.Links: the href attributes of a page.
func hrefs(page []byte, base *url.URL) (string, []string) {
	var links []string
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllSubmatch(page, -1) {
		if u, err := base.Parse(string(m[1])); err == nil {
			links = append(links, u.String())
		}
	}
	lang := ""
	if m := regexp.MustCompile(`<html lang="([^"]*)"`).FindSubmatch(page); m != nil {
		lang = string(m[1])
	}
	return lang, links
}

func crawl(t *testing.T, cfg Config) (pages []Page, res Result) {
	t.Helper()
	if cfg.Delay == 0 {
		cfg.Delay = 2 * time.Millisecond
	}
	if cfg.Links == nil {
		cfg.Links = hrefs
	}
	res, err := Crawl(context.Background(), cfg, func(p Page) error {
		pages = append(pages, p)
		return nil
	})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	return pages, res
}

func pathsOf(pages []Page) []string {
	var ps []string
	for _, p := range pages {
		u, _ := url.Parse(p.URL)
		ps = append(ps, u.RequestURI())
	}
	return ps
}

// failuresOf maps each skipped URL's path to why.
func failuresOf(res Result) map[string]error {
	m := map[string]error{}
	for _, f := range res.Failures {
		u, _ := url.Parse(f.URL)
		m[u.RequestURI()] = f.Err
	}
	return m
}

// TestCrawlFollowsTheSitesLinksOnce crawls a help centre from its home
// page: links that loop, a page robots.txt forbids, a 404, a huge page,
// a PDF, links and a redirect to another host.
func TestCrawlFollowsTheSitesLinksOnce(t *testing.T) {
	other := newSite(t)
	other.html("/", `<p>elsewhere</p>`)
	s := newSite(t)
	s.file("/robots.txt", "text/plain", "User-agent: *\nDisallow: /private\n")
	s.html("/", `<html lang="it"><a href="/a">A</a> <a href="b#top">B</a> <a href="/private/x">no</a>
		<a href="`+other.srv.URL+`/">other</a> <a href="mailto:x@shop.example">mail</a>`)
	s.html("/a", `<a href="/b">B</a> <a href="/">home</a> <a href="/missing">gone</a> <a href="/big">big</a>`)
	s.html("/b", `<html lang="en"><a href="/a">A</a> <a href="/manual.pdf">pdf</a> <a href="/out">out</a> <a href="/again">again</a> <a href="/c?x=1">c</a>`)
	s.html("/c", `<p>c</p>`)
	s.html("/private/x", `<p>secret</p>`)
	s.html("/big", "<p>"+strings.Repeat("x", 3<<20)+"</p>")
	s.file("/manual.pdf", "application/pdf", "%PDF-1.4")
	s.pages["/out"] = func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, other.srv.URL+"/", http.StatusFound) }
	s.pages["/again"] = func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusMovedPermanently) }

	pages, res := crawl(t, Config{Start: s.srv.URL + "/"})

	if got, want := pathsOf(pages), []string{"/", "/a", "/b", "/c?x=1"}; !slices.Equal(got, want) {
		t.Errorf("pages %q, want %q (breadth first)", got, want)
	}
	if pages[0].Lang != "it" || pages[2].Lang != "en" {
		t.Errorf("langs %q %q, want it en", pages[0].Lang, pages[2].Lang)
	}
	f := failuresOf(res)
	checks := map[string]func(error) bool{
		"/private/x": func(err error) bool { return errors.Is(err, ErrDisallowed) },
		"/missing":   func(err error) bool { var he *HTTPError; return errors.As(err, &he) && he.Status == 404 },
		"/big":       func(err error) bool { return errors.Is(err, ErrTooBig) },
		"/manual.pdf": func(err error) bool {
			return errors.Is(err, ErrNotHTML) && strings.Contains(err.Error(), "application/pdf")
		},
		"/out":   func(err error) bool { return errors.Is(err, ErrOtherHost) },
		"/again": func(err error) bool { return errors.Is(err, ErrDuplicate) },
	}
	for path, ok := range checks {
		if err, found := f[path]; !found || !ok(err) {
			t.Errorf("%s: failure %v", path, err)
		}
	}
	if len(res.Failures) != len(checks) {
		t.Errorf("failures %v, want %d", res.Failures, len(checks))
	}
	if res.Elsewhere != 1 {
		t.Errorf("links elsewhere %d, want 1", res.Elsewhere)
	}
	if n := other.hitsOf("/"); n != 0 {
		t.Errorf("the other host was asked %d times", n)
	}
	for uri, n := range s.hits {
		if n != 1 {
			t.Errorf("%s fetched %d times", uri, n)
		}
	}
	if s.hitsOf("/private/x") != 0 {
		t.Error("a disallowed page was fetched")
	}
	for _, ua := range s.agent {
		if !strings.HasPrefix(ua, "Sportello/") {
			t.Errorf("User-Agent %q", ua)
		}
	}
	if res.Kept != 4 {
		t.Errorf("kept %d, want 4", res.Kept)
	}
}

func TestCrawlWaitsBetweenRequests(t *testing.T) {
	tests := []struct {
		name, robots string
		delay, want  time.Duration
	}{
		{"the delay", "", 30 * time.Millisecond, 30 * time.Millisecond},
		{"a longer Crawl-delay", "User-agent: *\nCrawl-delay: 0.06", 5 * time.Millisecond, 60 * time.Millisecond},
		{"a shorter Crawl-delay", "User-agent: *\nCrawl-delay: 0.001", 30 * time.Millisecond, 30 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			if tt.robots != "" {
				s.file("/robots.txt", "text/plain", tt.robots)
			}
			s.html("/", `<a href="/a">a</a>`)
			s.html("/a", `<a href="/b">b</a>`)
			s.html("/b", `b`)
			// The times requests are sent, as the server's would count
			// the time to connect.
			var sent []time.Time
			client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				sent = append(sent, time.Now())
				return http.DefaultTransport.RoundTrip(r)
			})}
			_, res := crawl(t, Config{Start: s.srv.URL, Delay: tt.delay, Client: client})
			if res.Delay != tt.want {
				t.Errorf("delay %v, want %v", res.Delay, tt.want)
			}
			if len(sent) != 4 {
				t.Fatalf("%d requests, want 4 (robots.txt and three pages)", len(sent))
			}
			for i := 1; i < len(sent); i++ {
				if gap := sent[i].Sub(sent[i-1]); gap < tt.want {
					t.Errorf("request %d came %v after the one before, want at least %v", i, gap, tt.want)
				}
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestCrawlSitemapIndexThatLoops(t *testing.T) {
	s := newSite(t)
	base := s.srv.URL
	s.file("/sitemap_index.xml", "application/xml", `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>`+base+`/sitemap_index.xml</loc></sitemap>
  <sitemap><loc>`+base+`/sitemap-help.xml</loc></sitemap>
  <sitemap><loc>`+base+`/sitemap-gone.xml</loc></sitemap>
  <sitemap><loc>https://elsewhere.example/sitemap.xml</loc></sitemap>
</sitemapindex>`)
	s.file("/sitemap-help.xml", "text/xml; charset=utf-8", `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>`+base+`/help/resi</loc><lastmod>2026-01-01</lastmod></url>
  <url><loc> `+base+`/help/garanzia#top </loc></url>
  <url><loc>`+base+`/help/resi</loc></url>
  <url><loc>https://elsewhere.example/help</loc></url>
  <url><loc>`+strings.ToUpper(base[:4])+base[4:]+`/help/pagamenti</loc></url>
</urlset>`)
	s.html("/help/resi", `<a href="/help/not-in-the-sitemap">x</a>resi`)
	s.html("/help/garanzia", `garanzia`)
	s.html("/help/pagamenti", `pagamenti`)
	s.html("/help/not-in-the-sitemap", `x`)

	pages, res := crawl(t, Config{Sitemap: base + "/sitemap_index.xml"})
	if got, want := pathsOf(pages), []string{"/help/resi", "/help/garanzia", "/help/pagamenti"}; !slices.Equal(got, want) {
		t.Errorf("pages %q, want %q", got, want)
	}
	f := failuresOf(res)
	if !errors.Is(f["/sitemap_index.xml"], ErrLoop) {
		t.Errorf("the index naming itself: %v", f["/sitemap_index.xml"])
	}
	var he *HTTPError
	if !errors.As(f["/sitemap-gone.xml"], &he) || he.Status != 404 {
		t.Errorf("a missing sitemap: %v", f["/sitemap-gone.xml"])
	}
	if !errors.Is(f["/sitemap.xml"], ErrOtherHost) || !errors.Is(f["/help"], ErrOtherHost) {
		t.Errorf("URLs elsewhere: %v %v", f["/sitemap.xml"], f["/help"])
	}
	if s.hitsOf("/sitemap_index.xml") != 1 || s.hitsOf("/help/not-in-the-sitemap") != 0 {
		t.Errorf("hits %v", s.hits)
	}
}

func TestCrawlStopsAtThePageLimit(t *testing.T) {
	s := newSite(t)
	var links strings.Builder
	for i := range 20 {
		fmt.Fprintf(&links, `<a href="/p%d">p</a>`, i)
		s.html(fmt.Sprintf("/p%d", i), "page")
	}
	s.html("/", links.String())
	pages, res := crawl(t, Config{Start: s.srv.URL, MaxPages: 5})
	if len(pages) != 5 || res.Kept != 5 {
		t.Errorf("%d pages, want 5", len(pages))
	}
	if res.Unvisited != 16 {
		t.Errorf("unvisited %d, want 16", res.Unvisited)
	}
}

func TestCrawlBoundsRequestsToMissingPages(t *testing.T) {
	s := newSite(t)
	var links strings.Builder
	for i := range 50 {
		fmt.Fprintf(&links, `<a href="/gone%d">p</a>`, i)
	}
	s.html("/", links.String())
	_, res := crawl(t, Config{Start: s.srv.URL, MaxPages: 5})
	if n := len(s.times); n > 1+2*5 {
		t.Errorf("%d requests for a limit of 5 pages", n)
	}
	if res.Unvisited == 0 {
		t.Error("no URL left unvisited")
	}
}

func TestCrawlGivesUpOnASlowPage(t *testing.T) {
	s := newSite(t)
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	s.html("/", `<a href="/slow">slow</a><a href="/fast">fast</a>`)
	s.pages["/slow"] = func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}
	s.html("/fast", "fast")
	pages, res := crawl(t, Config{Start: s.srv.URL, Timeout: 300 * time.Millisecond})
	if got := pathsOf(pages); !slices.Equal(got, []string{"/", "/fast"}) {
		t.Errorf("pages %q", got)
	}
	if err := failuresOf(res)["/slow"]; err == nil || !strings.Contains(err.Error(), "no answer within 300ms") {
		t.Errorf("slow page: %v", err)
	}
}

func TestCrawlKeepsGoingWhenKeepFails(t *testing.T) {
	s := newSite(t)
	s.html("/", `<a href="/a">a</a>`)
	s.html("/a", "a")
	var kept []string
	res, err := Crawl(context.Background(), Config{Start: s.srv.URL, Delay: time.Millisecond, Links: hrefs}, func(p Page) error {
		if strings.HasSuffix(p.URL, "/") {
			return errors.New("no content")
		}
		kept = append(kept, p.URL)
		return nil
	})
	if err != nil || len(kept) != 1 || res.Kept != 1 || len(res.Failures) != 1 {
		t.Fatalf("kept %q, result %+v, err %v", kept, res, err)
	}
}

func TestCrawlCannotStart(t *testing.T) {
	s := newSite(t)
	s.pages["/robots.txt"] = func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) }
	s.html("/", "home")
	bad := newSite(t)
	bad.file("/sitemap.xml", "application/xml", "<urlset><url><loc>x</loc></url>\n<broken")
	html := newSite(t)
	html.html("/sitemap.xml", "<html>not a sitemap</html>")
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no URL", Config{}, "need a sitemap or a start URL"},
		{"both", Config{Start: "https://a.example", Sitemap: "https://a.example/s.xml"}, "not both"},
		{"not http", Config{Start: "ftp://a.example/"}, "no http or https URL"},
		{"robots.txt down", Config{Start: s.srv.URL}, "robots.txt"},
		{"broken sitemap", Config{Sitemap: bad.srv.URL + "/sitemap.xml"}, "line 2"},
		{"HTML for a sitemap", Config{Sitemap: html.srv.URL + "/sitemap.xml"}, "not XML"},
		{"no sitemap", Config{Sitemap: s.srv.URL + "/nothing.xml"}, "robots.txt"},
		{"nobody there", Config{Sitemap: "http://127.0.0.1:1/sitemap.xml"}, "robots.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Delay = time.Millisecond
			tt.cfg.Links = hrefs
			_, err := Crawl(context.Background(), tt.cfg, func(Page) error { return nil })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
		})
	}
	if s.hitsOf("/") != 0 {
		t.Error("a page was fetched though robots.txt could not be read")
	}
}

func TestCrawlEndsWithItsContext(t *testing.T) {
	s := newSite(t)
	s.html("/", `<a href="/a">a</a>`)
	s.html("/a", "a")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := Crawl(ctx, Config{Start: s.srv.URL, Delay: time.Hour, Links: hrefs}, func(Page) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Crawl returned %v after its context ended", d)
	}
}

func TestNormalise(t *testing.T) {
	tests := map[string]string{
		"HTTPS://Shop.Example:443/a#x": "https://shop.example/a",
		"http://shop.example:80":       "http://shop.example/",
		"http://shop.example:8080/a?b": "http://shop.example:8080/a?b",
		"https://[::1]:443/":           "https://[::1]/",
		"https://[::1]:8443/":          "https://[::1]:8443/",
	}
	for in, want := range tests {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := normalise(u).String(); got != want {
			t.Errorf("normalise(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestCrawlReadsTheStartOfAHugeRobotsTxt(t *testing.T) {
	s := newSite(t)
	s.file("/robots.txt", "text/plain", "User-agent: *\nDisallow: /private\n"+strings.Repeat("# padding\n", 100_000))
	s.html("/", `<a href="/private">p</a>`)
	s.html("/private", "secret")
	pages, res := crawl(t, Config{Start: s.srv.URL})
	if len(pages) != 1 || !errors.Is(failuresOf(res)["/private"], ErrDisallowed) {
		t.Errorf("pages %q, failures %v", pathsOf(pages), res.Failures)
	}
}

func TestCrawlTextSitemap(t *testing.T) {
	s := newSite(t)
	s.file("/sitemap.txt", "text/plain; charset=utf-8", s.srv.URL+"/a\n\n  "+s.srv.URL+"/b  \nhttps://elsewhere.example/c\n")
	s.html("/a", "a")
	s.html("/b", "b")
	pages, res := crawl(t, Config{Sitemap: s.srv.URL + "/sitemap.txt"})
	if got := pathsOf(pages); !slices.Equal(got, []string{"/a", "/b"}) || !errors.Is(failuresOf(res)["/c"], ErrOtherHost) {
		t.Errorf("pages %q, failures %v", got, res.Failures)
	}
}
