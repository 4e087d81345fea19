// Package sitefetch is a polite crawler for one site: it reads a help
// centre's pages from its sitemap (sitemap.xml, or a sitemap index) or
// from a start page and the links of the pages it finds, breadth first.
//
// It keeps to the site it was given (also after a redirect), does what
// the site's robots.txt asks (Disallow and Allow, Crawl-delay), waits
// between requests, stops at a page limit, fetches each page once, puts a
// deadline on every request and bounds every body. One page's failure
// (a 404, a page too big, a PDF) is reported and the crawl goes on.
//
// It knows HTTP, not HTML: what a page links to, and its language, are
// told by the caller's Config.Links.
package sitefetch

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults of a Config.
const (
	DefaultDelay    = time.Second
	DefaultMaxPages = 200
	DefaultTimeout  = 10 * time.Second
	// DefaultMaxPageSize bounds a page: knowledge.MaxHTMLSize, what the
	// knowledge base takes.
	DefaultMaxPageSize = 2 << 20
	// DefaultUserAgent names the crawler, so a site's robots.txt and its
	// logs can tell it apart.
	DefaultUserAgent = "Sportello/1.0 (knowledge fetch; +https://github.com/sportello/sportello)"
)

// Bounds of what a crawl reads besides pages.
const (
	// maxSitemapSize is the sitemap protocol's own limit (50 MB).
	maxSitemapSize = 50 << 20
	// maxSitemaps bounds the sitemaps read, and maxSitemapDepth how far
	// sitemap indexes may point at further indexes.
	maxSitemaps     = 100
	maxSitemapDepth = 3
	// maxQueue bounds the URLs waiting to be fetched (a sitemap holds at
	// most 50,000).
	maxQueue = 50000
	// maxURLLen bounds a URL worth fetching: longer ones are traps.
	maxURLLen = 2048
	// maxRedirects bounds the redirects of one request.
	maxRedirects = 10
)

// The reasons a page is skipped; a Failure's Err wraps one of them (or
// is an *HTTPError).
var (
	ErrTooBig     = errors.New("page too big")
	ErrNotHTML    = errors.New("not an HTML page")
	ErrOtherHost  = errors.New("on another host")
	ErrDisallowed = errors.New("disallowed by robots.txt")
	ErrDuplicate  = errors.New("already fetched")
	ErrLoop       = errors.New("sitemap already read")
)

// An HTTPError is an answer other than 200 OK.
type HTTPError struct{ Status int }

func (e *HTTPError) Error() string {
	return fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
}

// A Config says what to crawl and how.
type Config struct {
	// Sitemap is the URL of a sitemap or sitemap index: its pages are
	// fetched, and no link of theirs is followed. Otherwise Start is the
	// URL of the first page: the pages it links to on its host, breadth
	// first. Exactly one of the two is set.
	Sitemap, Start string
	// Delay is the pause between two requests (DefaultDelay when 0); a
	// longer Crawl-delay in robots.txt wins.
	Delay time.Duration
	// MaxPages bounds the pages kept (DefaultMaxPages when 0); requests
	// are bounded at twice as many.
	MaxPages int
	// Timeout is each request's deadline, body included (DefaultTimeout
	// when 0).
	Timeout time.Duration
	// MaxPageSize bounds a page, in bytes (DefaultMaxPageSize when 0).
	MaxPageSize int64
	// UserAgent is sent with every request (DefaultUserAgent when "").
	UserAgent string
	// Client makes the requests (a client with no timeout of its own
	// when nil; Timeout applies). Its redirect policy is replaced.
	Client *http.Client
	// Links returns a page's language (its lang attribute) and its
	// links, absolute. Needed with Start.
	Links func(page []byte, base *url.URL) (lang string, links []string)
	// Log is told each request (nil: nothing is logged).
	Log *slog.Logger
}

// A Page is a page fetched.
type Page struct {
	// URL is the address it was found at (normalised), and FinalURL the
	// one it was served from, after redirects.
	URL, FinalURL string
	HTML          []byte
	// Lang is the page's language as Config.Links tells it, or "".
	Lang string
}

// A Failure is a URL skipped, and why.
type Failure struct {
	URL string
	Err error
}

func (f Failure) Error() string { return f.URL + ": " + f.Err.Error() }

// A Result is what a crawl did besides the pages it gave.
type Result struct {
	// Kept is how many pages keep took.
	Kept int
	// Failures are the URLs skipped, in the order met.
	Failures []Failure
	// Unvisited counts the URLs found but not fetched for the limits.
	Unvisited int
	// Elsewhere counts the distinct links to other hosts, not followed.
	Elsewhere int
	// Delay is the pause the crawl kept between requests.
	Delay time.Duration
}

// Crawl fetches the site's pages and gives each to keep, as it comes.
// An error of keep is that page's failure; the crawl goes on. Crawl
// returns an error, with what it did so far, when the crawl cannot
// start (a bad Config, robots.txt or the sitemap unreadable) or ctx ends.
func Crawl(ctx context.Context, cfg Config, keep func(Page) error) (Result, error) {
	c, seed, err := newCrawler(cfg)
	if err != nil {
		return Result{}, err
	}
	if err := c.readRobots(ctx, seed); err != nil {
		return c.res, err
	}
	if cfg.Sitemap != "" {
		if err := c.readSitemaps(ctx, seed); err != nil {
			return c.res, err
		}
	} else {
		c.enqueue(seed)
	}
	return c.res, c.crawl(ctx, keep)
}

type crawler struct {
	cfg    Config
	host   string // normalised host[:port] of the site
	client *http.Client
	robots *robots
	delay  time.Duration
	// last is when the last request ended.
	last time.Time

	queue   []*url.URL
	queued  map[string]bool // URLs queued or fetched, normalised
	fetched map[string]bool // final URLs of pages fetched
	// elsewhere are the links to other hosts met.
	elsewhere map[string]bool
	requests  int
	res       Result
}

func newCrawler(cfg Config) (*crawler, *url.URL, error) {
	if (cfg.Sitemap == "") == (cfg.Start == "") {
		return nil, nil, errors.New("sitefetch: need a sitemap or a start URL, not both")
	}
	if cfg.Start != "" && cfg.Links == nil {
		return nil, nil, errors.New("sitefetch: a crawl from a start URL needs Links")
	}
	raw := cfg.Sitemap + cfg.Start
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, nil, fmt.Errorf("sitefetch: %q is no http or https URL", raw)
	}
	u = normalise(u)
	if cfg.Delay <= 0 {
		cfg.Delay = DefaultDelay
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = DefaultMaxPages
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxPageSize <= 0 {
		cfg.MaxPageSize = DefaultMaxPageSize
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	c := &crawler{cfg: cfg, host: u.Host, queued: map[string]bool{}, fetched: map[string]bool{}, elsewhere: map[string]bool{}}
	client := http.Client{}
	if cfg.Client != nil {
		client = *cfg.Client
	}
	client.CheckRedirect = c.checkRedirect
	c.client = &client
	c.delay = cfg.Delay
	c.res.Delay = c.delay
	return c, u, nil
}

// checkRedirect follows a redirect only on the site, and only where
// robots.txt allows.
func (c *crawler) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("more than %d redirects", maxRedirects)
	}
	to := normalise(req.URL)
	if to.Host != c.host {
		return fmt.Errorf("redirected to %s: %w", to, ErrOtherHost)
	}
	if !c.robots.allowed(to) {
		return fmt.Errorf("redirected to %s: %w", to, ErrDisallowed)
	}
	if c.fetched[to.String()] {
		return fmt.Errorf("redirected to %s: %w", to, ErrDuplicate)
	}
	return nil
}

// normalise is u as the crawler compares URLs: scheme and host in lower
// case, no default port, no fragment, "/" for an empty path.
func normalise(u *url.URL) *url.URL {
	n := *u
	n.Scheme = strings.ToLower(n.Scheme)
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if port == "" || n.Scheme == "http" && port == "80" || n.Scheme == "https" && port == "443" {
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		n.Host = host
	} else {
		n.Host = net.JoinHostPort(host, port)
	}
	n.Fragment, n.RawFragment = "", ""
	if n.Path == "" && n.Opaque == "" {
		n.Path, n.RawPath = "/", ""
	}
	return &n
}

// wait holds the next request until the delay since the last one ended
// has passed: a slow site gets more time between requests, not less.
func (c *crawler) wait(ctx context.Context) error {
	if !c.last.IsZero() {
		if d := time.Until(c.last.Add(c.delay)); d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-t.C:
			}
		}
	}
	return nil
}

// get fetches u, waiting its turn, and reads at most max bytes of the
// body (too big: ErrTooBig, with the first max bytes when partial).
// accept tells whether the answer's media type is wanted (ErrNotHTML
// otherwise), before the body is read.
func (c *crawler) get(ctx context.Context, u *url.URL, max int64, partial bool, accept func(mediaType string) bool) (body []byte, final *url.URL, err error) {
	if err := c.wait(ctx); err != nil {
		return nil, nil, err
	}
	defer func() { c.last = time.Now() }()
	c.requests++
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.1")
	c.cfg.Log.Debug("fetch", "url", u.String())
	resp, err := c.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is the failure's already
		}
		if parent.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("no answer within %v", c.cfg.Timeout)
		}
		return nil, nil, err
	}
	defer resp.Body.Close()
	final = normalise(resp.Request.URL)
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return nil, final, &HTTPError{Status: resp.StatusCode}
	}
	if resp.ContentLength > max && !partial {
		return nil, final, fmt.Errorf("%w: %d bytes, at most %d", ErrTooBig, resp.ContentLength, max)
	}
	ct := resp.Header.Get("Content-Type")
	var sniffed []byte
	if ct == "" {
		// No type said: the first bytes tell.
		sniffed = make([]byte, 512)
		n, _ := io.ReadFull(resp.Body, sniffed)
		sniffed = sniffed[:n]
		ct = http.DetectContentType(sniffed)
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || !accept(mt) {
		return nil, final, fmt.Errorf("%w: %s", ErrNotHTML, ct)
	}
	body, err = io.ReadAll(io.LimitReader(io.MultiReader(bytes.NewReader(sniffed), resp.Body), max+1))
	if err != nil {
		if parent.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("not read within %v", c.cfg.Timeout)
		}
		return nil, final, fmt.Errorf("read: %w", err)
	}
	if int64(len(body)) > max {
		err := fmt.Errorf("%w: over %d bytes", ErrTooBig, max)
		if partial {
			return body[:max], final, err
		}
		return nil, final, err
	}
	return body, final, nil
}

// readRobots reads the site's robots.txt. None (404, or any 4xx) lets
// the crawler fetch anything; a server error or no answer at all stops
// the crawl, as RFC 9309 asks.
func (c *crawler) readRobots(ctx context.Context, seed *url.URL) error {
	u := &url.URL{Scheme: seed.Scheme, Host: seed.Host, Path: "/robots.txt"}
	body, _, err := c.get(ctx, u, maxRobotsSize, true, func(string) bool { return true })
	var he *HTTPError
	switch {
	case err == nil, errors.Is(err, ErrTooBig):
		// Of a longer robots.txt, its first 500 KiB (RFC 9309, 2.5).
		c.robots = parseRobots(body, "sportello")
	case errors.As(err, &he) && he.Status >= 400 && he.Status < 500,
		errors.Is(err, ErrOtherHost):
		c.robots = &robots{}
		c.cfg.Log.Info("no robots.txt: every page may be fetched", "url", u.String(), "err", err)
	case ctx.Err() != nil:
		return ctx.Err()
	default:
		return fmt.Errorf("sitefetch: robots.txt %s: %w (a site that cannot say what it allows is not crawled)", u, err)
	}
	if c.robots.delay > c.delay {
		c.delay = c.robots.delay
		c.res.Delay = c.delay
		c.cfg.Log.Info("robots.txt asks for a longer delay", "delay", c.delay)
	}
	return nil
}

// sitemapDoc is a sitemap (urlset) or a sitemap index, whatever their
// XML namespace.
type sitemapDoc struct {
	XMLName  xml.Name
	URLs     []sitemapLoc `xml:"url"`
	Sitemaps []sitemapLoc `xml:"sitemap"`
}

type sitemapLoc struct {
	Loc string `xml:"loc"`
}

// readSitemaps reads the sitemap at seed and the sitemaps its index
// names, breadth first, and queues their pages. The first sitemap must
// be read; a later one that fails is a failure of its own.
func (c *crawler) readSitemaps(ctx context.Context, seed *url.URL) error {
	type item struct {
		u     *url.URL
		depth int
	}
	read := map[string]bool{seed.String(): true}
	todo := []item{{seed, 0}}
	for len(todo) > 0 {
		it := todo[0]
		todo = todo[1:]
		doc, err := c.readSitemap(ctx, it.u)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if it.u == seed {
				return fmt.Errorf("sitefetch: sitemap %s: %w", it.u, err)
			}
			c.fail(it.u.String(), fmt.Errorf("sitemap: %w", err))
			continue
		}
		for _, s := range doc.Sitemaps {
			u, err := c.resolve(it.u, s.Loc)
			switch {
			case err != nil:
				c.fail(s.Loc, fmt.Errorf("in sitemap %s: %w", it.u, err))
			case read[u.String()]:
				c.fail(u.String(), fmt.Errorf("in sitemap %s: %w", it.u, ErrLoop))
			case it.depth+1 > maxSitemapDepth || len(read) >= maxSitemaps:
				c.fail(u.String(), fmt.Errorf("in sitemap %s: sitemaps nested deeper than %d or more than %d", it.u, maxSitemapDepth, maxSitemaps))
			default:
				read[u.String()] = true
				todo = append(todo, item{u, it.depth + 1})
			}
		}
		for _, p := range doc.URLs {
			u, err := c.resolve(it.u, p.Loc)
			if err != nil {
				c.fail(p.Loc, fmt.Errorf("in sitemap %s: %w", it.u, err))
				continue
			}
			c.enqueue(u)
		}
	}
	return nil
}

// readSitemap reads an XML sitemap or sitemap index, or a text sitemap
// (one URL a line).
func (c *crawler) readSitemap(ctx context.Context, u *url.URL) (*sitemapDoc, error) {
	text := false
	body, _, err := c.get(ctx, u, maxSitemapSize, false, func(mt string) bool {
		text = mt == "text/plain"
		return mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml") || text
	})
	if err != nil {
		if errors.Is(err, ErrNotHTML) {
			err = fmt.Errorf("not XML: %w", err)
		}
		return nil, err
	}
	if text && !bytes.HasPrefix(bytes.TrimSpace(body), []byte("<")) {
		doc := &sitemapDoc{XMLName: xml.Name{Local: "urlset"}}
		for line := range strings.Lines(string(body)) {
			if line = strings.TrimSpace(line); line != "" {
				doc.URLs = append(doc.URLs, sitemapLoc{Loc: line})
			}
		}
		return doc, nil
	}
	var doc sitemapDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("not a sitemap: %w", err)
	}
	if doc.XMLName.Local != "urlset" && doc.XMLName.Local != "sitemapindex" {
		return nil, fmt.Errorf("not a sitemap: <%s>, want <urlset> or <sitemapindex>", doc.XMLName.Local)
	}
	return &doc, nil
}

// resolve is the URL loc names, against the page or sitemap it was found
// in, when the crawler may fetch it: http or https, on the site.
func (c *crawler) resolve(from *url.URL, loc string) (*url.URL, error) {
	loc = strings.TrimSpace(loc)
	if len(loc) > maxURLLen {
		return nil, fmt.Errorf("URL over %d bytes", maxURLLen)
	}
	u, err := url.Parse(loc)
	if err != nil {
		return nil, errors.New("not a URL")
	}
	u = normalise(from.ResolveReference(u))
	if u.Scheme != "http" && u.Scheme != "https" || u.User != nil {
		return nil, fmt.Errorf("not an http or https URL")
	}
	if u.Host != c.host {
		return nil, ErrOtherHost
	}
	return u, nil
}

// enqueue queues u unless it was queued before.
func (c *crawler) enqueue(u *url.URL) {
	k := u.String()
	if c.queued[k] {
		return
	}
	c.queued[k] = true
	if len(c.queue) >= maxQueue {
		c.res.Unvisited++
		return
	}
	c.queue = append(c.queue, u)
}

func (c *crawler) fail(u string, err error) {
	c.res.Failures = append(c.res.Failures, Failure{URL: u, Err: err})
	c.cfg.Log.Info("skipped", "url", u, "err", err)
}

// crawl fetches the queued pages, breadth first, until the queue is
// empty or a limit is reached.
func (c *crawler) crawl(ctx context.Context, keep func(Page) error) error {
	maxRequests := c.requests + 2*c.cfg.MaxPages
	for len(c.queue) > 0 {
		if c.res.Kept >= c.cfg.MaxPages || c.requests >= maxRequests {
			c.res.Unvisited += len(c.queue)
			c.cfg.Log.Info("limit reached", "pages", c.res.Kept, "requests", c.requests, "left", len(c.queue))
			return nil
		}
		u := c.queue[0]
		c.queue = c.queue[1:]
		if !c.robots.allowed(u) {
			c.fail(u.String(), ErrDisallowed)
			continue
		}
		body, final, err := c.get(ctx, u, c.cfg.MaxPageSize, false, isHTML)
		if final != nil && final.String() != u.String() {
			if c.fetched[final.String()] {
				c.fail(u.String(), fmt.Errorf("%w: redirected to %s", ErrDuplicate, final))
				continue
			}
			c.queued[final.String()] = true // not fetched again when linked
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			c.fail(u.String(), err)
			continue
		}
		c.fetched[final.String()] = true
		p := Page{URL: u.String(), FinalURL: final.String(), HTML: body}
		if c.cfg.Links != nil {
			var links []string
			p.Lang, links = c.cfg.Links(body, final)
			if c.cfg.Start != "" {
				c.follow(final, links)
			}
		}
		if err := keep(p); err != nil {
			c.fail(u.String(), err)
			continue
		}
		c.res.Kept++
	}
	return nil
}

// follow queues the links of a page that stay on the site.
func (c *crawler) follow(from *url.URL, links []string) {
	for _, l := range links {
		u, err := c.resolve(from, l)
		if errors.Is(err, ErrOtherHost) {
			if !c.elsewhere[l] {
				c.elsewhere[l] = true
				c.res.Elsewhere++
			}
			continue
		}
		if err != nil {
			continue // not a link to a page (mailto:, too long)
		}
		c.enqueue(u)
	}
}

func isHTML(mediaType string) bool {
	return mediaType == "text/html" || mediaType == "application/xhtml+xml"
}
