package sitefetch

import (
	"net/url"
	"testing"
	"time"
)

func TestRobotsAllowed(t *testing.T) {
	tests := []struct {
		name, robots, path string
		want               bool
	}{
		{"nothing", ``, "/a", true},
		{"disallow prefix", "User-agent: *\nDisallow: /private", "/private/x", false},
		{"other paths allowed", "User-agent: *\nDisallow: /private", "/public", true},
		{"empty disallow allows", "User-agent: *\nDisallow:", "/a", true},
		{"disallow all", "User-agent: *\nDisallow: /", "/a", false},
		{"longest match wins", "User-agent: *\nDisallow: /help\nAllow: /help/faq", "/help/faq/1", true},
		{"longest match wins the other way", "User-agent: *\nAllow: /help\nDisallow: /help/drafts", "/help/drafts/1", false},
		{"allow wins a tie", "User-agent: *\nDisallow: /a\nAllow: /a", "/a", true},
		{"wildcard", "User-agent: *\nDisallow: /*.pdf", "/docs/manual.pdf", false},
		{"end anchor", "User-agent: *\nDisallow: /*.pdf$", "/docs/manual.pdf?x=1", true},
		{"end anchor matches", "User-agent: *\nDisallow: /*.pdf$", "/docs/manual.pdf", false},
		{"exact path", "User-agent: *\nDisallow: /$", "/", false},
		{"exact path only", "User-agent: *\nDisallow: /$", "/a", true},
		{"query", "User-agent: *\nDisallow: /search?", "/search?q=x", false},
		{"Sportello's group over *", "User-agent: *\nDisallow: /\n\nUser-agent: Sportello\nDisallow: /cart", "/help", true},
		{"Sportello's group rules", "User-agent: *\nDisallow: /\n\nUser-agent: sportello/2.0\nDisallow: /cart", "/cart", false},
		{"other agents' groups ignored", "User-agent: Googlebot\nDisallow: /\n\nUser-agent: *\nDisallow: /cart", "/help", true},
		{"group of several agents", "User-agent: Googlebot\nUser-agent: Sportello\nDisallow: /x", "/x", false},
		{"comments and case", "USER-AGENT: * # all\nDISALLOW: /x # no", "/x/y", false},
		{"rules before any agent ignored", "Disallow: /\nUser-agent: *\nDisallow: /x", "/a", true},
		{"percent-encoding", "User-agent: *\nDisallow: /caffè", "/caff%C3%A8", false},
		{"lower-case escapes", "User-agent: *\nDisallow: /caff%c3%a8", "/caff%C3%A8", false},
		{"CRLF lines", "User-agent: *\r\nDisallow: /x\r\n", "/x", false},
		{"garbage", "\x00\xff<html>not robots</html>", "/x", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse("https://shop.example" + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := parseRobots([]byte(tt.robots), "sportello").allowed(u); got != tt.want {
				t.Errorf("allowed(%s) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

func TestRobotsCrawlDelay(t *testing.T) {
	tests := []struct {
		robots string
		want   time.Duration
	}{
		{"User-agent: *\nCrawl-delay: 2", 2 * time.Second},
		{"User-agent: *\nCrawl-delay: 0.5", 500 * time.Millisecond},
		{"User-agent: *\nCrawl-delay: soon", 0},
		{"User-agent: *\nCrawl-delay: -3", 0},
		{"User-agent: Googlebot\nCrawl-delay: 9\n\nUser-agent: *\nDisallow: /x", 0},
		{"User-agent: Sportello\nCrawl-delay: 3\n\nUser-agent: *\nCrawl-delay: 9", 3 * time.Second},
	}
	for _, tt := range tests {
		if got := parseRobots([]byte(tt.robots), "sportello").delay; got != tt.want {
			t.Errorf("%q: delay %v, want %v", tt.robots, got, tt.want)
		}
	}
}

// FuzzRobots checks that any robots.txt parses without a panic.
func FuzzRobots(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /*.pdf$\nAllow: /a*b*\nCrawl-delay: 1"), "/a/b.pdf")
	f.Add([]byte("User-agent: sportello\nDisallow: /%zz"), "/%zz")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		r := parseRobots(data, "sportello")
		u, err := url.Parse("https://shop.example/" + path)
		if err != nil {
			return
		}
		r.allowed(u)
	})
}
