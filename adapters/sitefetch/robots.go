package sitefetch

import (
	"bufio"
	"bytes"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxRobotsSize bounds robots.txt: RFC 9309 asks crawlers to read at
// least 500 KiB of it, and to ignore the rest.
const maxRobotsSize = 500 << 10

// robots is what robots.txt allows the crawler: the rules of the group
// that names Sportello, or else of the group for every agent (*).
type robots struct {
	rules []rule
	delay time.Duration
	// none is set when robots.txt could not be read for a server error:
	// RFC 9309 has the crawler assume it may fetch nothing.
	none bool
}

type rule struct {
	allow   bool
	pattern string
}

// parseRobots reads robots.txt for the agent named agent (lower case).
func parseRobots(data []byte, agent string) *robots {
	type group struct {
		agents []string
		rules  []rule
		delay  time.Duration
	}
	var groups []*group
	var cur *group
	lastWasAgent := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxRobotsSize)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		switch key {
		case "user-agent":
			if cur == nil || !lastWasAgent {
				cur = &group{}
				groups = append(groups, cur)
			}
			// The product token: "Sportello/1.0" names Sportello.
			name, _, _ := strings.Cut(strings.ToLower(val), "/")
			cur.agents = append(cur.agents, strings.TrimSpace(name))
			lastWasAgent = true
			continue
		case "allow", "disallow":
			if cur != nil && val != "" {
				cur.rules = append(cur.rules, rule{allow: key == "allow", pattern: normalisePattern(val)})
			}
		case "crawl-delay":
			if cur != nil {
				if s, err := strconv.ParseFloat(val, 64); err == nil && s > 0 && s < 24*3600 {
					cur.delay = time.Duration(s * float64(time.Second))
				}
			}
		}
		lastWasAgent = false
	}
	// The groups that name the agent, or else those for *, merged (RFC
	// 9309, 2.2.1).
	r := &robots{}
	for _, want := range []string{agent, "*"} {
		found := false
		for _, g := range groups {
			if slices.Contains(g.agents, want) {
				found = true
				r.rules = append(r.rules, g.rules...)
				r.delay = max(r.delay, g.delay)
			}
		}
		if found {
			break
		}
	}
	return r
}

// allowed reports whether robots.txt lets the crawler fetch u: the
// longest matching rule decides, Allow on a tie; no rule allows.
func (r *robots) allowed(u *url.URL) bool {
	if r == nil {
		return true
	}
	if r.none {
		return false
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	path = normalisePattern(path)
	best, allow := -1, true
	for _, ru := range r.rules {
		if !match(ru.pattern, path) {
			continue
		}
		n := len(ru.pattern)
		if n > best || n == best && ru.allow {
			best, allow = n, ru.allow
		}
	}
	return allow
}

// normalisePattern writes a rule's path as URLs escape theirs, so that
// "/caffè" and "/caff%C3%A8" are one.
func normalisePattern(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= 0x80 || c == ' ':
			b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c)|0x100, 16)[1:]))
		case c == '%' && i+2 < len(p):
			b.WriteString(strings.ToUpper(p[i : i+3]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// match reports whether path matches a robots.txt pattern: a prefix, in
// which * stands for any characters and a final $ ends the path.
func match(pattern, path string) bool {
	end := strings.HasSuffix(pattern, "$")
	if end {
		pattern = pattern[:len(pattern)-1]
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(path, parts[0]) {
		return false
	}
	rest := path[len(parts[0]):]
	for i, p := range parts[1:] {
		if end && i == len(parts)-2 {
			// The last part must end the path.
			return strings.HasSuffix(rest, p)
		}
		j := strings.Index(rest, p)
		if j < 0 {
			return false
		}
		rest = rest[j+len(p):]
	}
	return !end || rest == ""
}
