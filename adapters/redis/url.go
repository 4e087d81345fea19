package redis

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Open connects to the Redis named by rawURL (REDIS_URL) and returns a
// store on it. The forms, documented in docs/redis.md:
//
//	redis://[user:password@]host:port[/db][?option=value...]
//	rediss://...                                            (TLS)
//	unix://[user:password@]/path/to/redis.sock[?db=N]
//	redis-sentinel://[user:password@]host1:26379,host2:26379[/db]?master=NAME
//	    [&sentinel_username=U&sentinel_password=P]          (rediss-sentinel: TLS)
//	redis-cluster://[user:password@]host1:6379,host2:6379  (rediss-cluster: TLS)
//
// Options are go-redis's URL options (dial_timeout, pool_size...), and
// autopipeline=true or false, which overrides Options.AutoPipeline.
// dial_timeout, read_timeout and write_timeout are 5 s unless set, and
// cannot be turned off: every call to Redis has a deadline. Open
// fails only for a URL it cannot read. When Redis does not answer, Open
// logs so and returns the store anyway: its calls fail until Redis is
// back, and the client reconnects by itself (Ping tells when).
func Open(ctx context.Context, rawURL string, opt Options) (*Store, error) {
	rest, ap, err := cutAutoPipeline(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redis: open %s: %w", Redacted(rawURL), err)
	}
	if ap != nil {
		opt.AutoPipeline = *ap
	}
	rest, budget, err := cutMasterBudget(rest)
	if err != nil {
		return nil, fmt.Errorf("redis: open %s: %w", Redacted(rawURL), err)
	}
	if budget > 0 {
		opt.MasterBudget = budget
	}
	rdb, err := newClient(rest)
	if err != nil {
		return nil, fmt.Errorf("redis: open %s: %w", Redacted(rawURL), err)
	}
	if opt.Logger != nil {
		routeClientLogs(opt.Logger)
	}
	s := NewStore(rdb, opt)
	s.url = Redacted(rawURL)
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := s.Ping(pctx); err != nil {
		s.log.Warn("redis does not answer yet; the store fails until it does", "url", s.url, "err", err)
		return s, nil
	}
	// The archive's group exists before the first event, so it misses
	// none; ReadEvents creates it too, if Redis was away now.
	if err := s.createGroup(pctx, s.opt.ArchiveGroup); err != nil {
		s.log.Warn("consumer group not created yet", "group", s.opt.ArchiveGroup, "err", err)
	}
	return s, nil
}

// cutAutoPipeline removes the autopipeline option from rawURL's query and
// returns its value, nil when absent.
func cutAutoPipeline(rawURL string) (string, *bool, error) {
	rest, raw, ok := cutOption(rawURL, "autopipeline")
	if !ok {
		return rawURL, nil, nil
	}
	v, err := strconv.ParseBool(raw)
	if err != nil {
		return "", nil, fmt.Errorf("autopipeline=%q: want true or false", raw)
	}
	return rest, &v, nil
}

// cutMasterBudget removes the master_budget option (Options.MasterBudget)
// from rawURL's query and returns its value, 0 when absent.
func cutMasterBudget(rawURL string) (string, time.Duration, error) {
	rest, raw, ok := cutOption(rawURL, "master_budget")
	if !ok {
		return rawURL, 0, nil
	}
	d, err := time.ParseDuration(raw)
	if err != nil || d <= 0 {
		return "", 0, fmt.Errorf("master_budget=%q: want a positive duration such as %s", raw, DefaultMasterBudget)
	}
	return rest, d, nil
}

// cutOption removes one of our options, which go-redis's parser would
// refuse, from rawURL's query: the URL without it, and its value.
func cutOption(rawURL, name string) (rest, value string, ok bool) {
	base, query, found := strings.Cut(rawURL, "?")
	if !found {
		return rawURL, "", false
	}
	q, err := url.ParseQuery(query)
	if err != nil || !q.Has(name) {
		return rawURL, "", false
	}
	value = q.Get(name)
	q.Del(name)
	if len(q) == 0 {
		return base, value, true
	}
	return base + "?" + q.Encode(), value, true
}

// Deadlines of every call to Redis, unless the URL sets others
// (dial_timeout, read_timeout, write_timeout): a Redis that accepts the
// connection and never answers fails the call then. go-redis defaults to
// 5 s for each; a command that blocks on purpose (the event log's
// XREADGROUP) gets its block time on top.
const (
	DefaultDialTimeout  = 5 * time.Second
	DefaultReadTimeout  = 5 * time.Second
	DefaultWriteTimeout = 5 * time.Second
)

// deadlines fills in the timeouts the URL leaves unset and refuses those
// it turns off (0 or a negative value, which go-redis reads as "none"):
// every call to Redis has a deadline. The client is also made to honour
// the context's deadline when it comes sooner (ContextTimeoutEnabled):
// go-redis otherwise waits for read_timeout whatever the context says,
// and the store's background calls give each Cluster master less
// (Options.MasterBudget).
func deadlines(dial, read, write *time.Duration) error {
	for _, t := range []struct {
		name string
		d    *time.Duration
		def  time.Duration
	}{{"dial_timeout", dial, DefaultDialTimeout}, {"read_timeout", read, DefaultReadTimeout}, {"write_timeout", write, DefaultWriteTimeout}} {
		switch {
		case *t.d == 0:
			*t.d = t.def
		case *t.d < 0:
			return fmt.Errorf("%s: want a positive duration such as %s; every call to Redis needs a deadline", t.name, t.def)
		}
	}
	return nil
}

// newClient makes the go-redis client for one of Open's URL forms.
func newClient(rawURL string) (redis.UniversalClient, error) {
	scheme, _, _ := strings.Cut(rawURL, "://")
	switch scheme {
	case "redis", "rediss", "unix":
		o, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, quiet(err)
		}
		if err := deadlines(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout); err != nil {
			return nil, err
		}
		o.ContextTimeoutEnabled = true // see deadlines
		return redis.NewClient(o), nil
	case "redis-cluster", "rediss-cluster":
		u, hosts, err := splitHosts(rawURL)
		if err != nil {
			return nil, err
		}
		u.Scheme = strings.TrimSuffix(scheme, "-cluster")
		q := u.Query()
		for _, h := range hosts[1:] {
			q.Add("addr", h)
		}
		u.RawQuery = q.Encode()
		o, err := redis.ParseClusterURL(u.String())
		if err != nil {
			return nil, quiet(err)
		}
		if err := deadlines(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout); err != nil {
			return nil, err
		}
		o.ContextTimeoutEnabled = true // see deadlines
		return redis.NewClusterClient(o), nil
	case "redis-sentinel", "rediss-sentinel":
		u, hosts, err := splitHosts(rawURL)
		if err != nil {
			return nil, err
		}
		u.Scheme = strings.TrimSuffix(scheme, "-sentinel")
		q := u.Query()
		master := q.Get("master")
		if master == "" {
			master = q.Get("master_name")
		}
		if master == "" {
			return nil, errors.New("a sentinel URL needs ?master=NAME")
		}
		q.Del("master")
		q.Set("master_name", master)
		// go-redis reads the user info as the sentinels' credentials; ours
		// is the data nodes', as in every other form.
		if u.User != nil {
			q.Set("username", u.User.Username())
			if p, ok := u.User.Password(); ok {
				q.Set("password", p)
			}
		}
		u.User = nil
		if su, sp := q.Get("sentinel_username"), q.Get("sentinel_password"); su != "" || sp != "" {
			u.User = url.UserPassword(su, sp)
		}
		q.Del("sentinel_username")
		q.Del("sentinel_password")
		for _, h := range hosts[1:] {
			q.Add("addr", h)
		}
		u.RawQuery = q.Encode()
		o, err := redis.ParseFailoverURL(u.String())
		if err != nil {
			return nil, quiet(err)
		}
		if err := deadlines(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout); err != nil {
			return nil, err
		}
		o.ContextTimeoutEnabled = true // see deadlines
		return redis.NewFailoverClient(o), nil
	}
	return nil, fmt.Errorf("unknown scheme %q: want redis, rediss, unix, redis-sentinel or redis-cluster", scheme)
}

// splitHosts parses a URL whose host is a comma-separated list: it returns
// the URL with the first host and the list.
func splitHosts(rawURL string) (*url.URL, []string, error) {
	scheme, rest, _ := strings.Cut(rawURL, "://")
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	userinfo := ""
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		userinfo, authority = authority[:at+1], authority[at+1:]
	}
	hosts := strings.Split(authority, ",")
	for _, h := range hosts {
		if h == "" {
			return nil, nil, errors.New("empty host in the host list")
		}
	}
	u, err := url.Parse(scheme + "://" + userinfo + hosts[0] + tail)
	if err != nil {
		return nil, nil, quiet(err)
	}
	return u, hosts, nil
}

// quiet drops the URL from a parse error: it may hold a password.
func quiet(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		// The parser's own words may quote part of the password ("invalid
		// port \":pa\""): say what to do instead.
		return fmt.Errorf("%s URL: not a valid URL (percent-encode special characters such as / ? # @ in the password)", ue.Op)
	}
	return err
}

// secretParams are the query parameters that hold secrets.
var secretParams = []string{"password", "sentinel_password"}

// Redacted returns rawURL with its passwords replaced by "xxxxx", for logs.
// It errs on the side of hiding: everything before the last "@" is the
// user information, even when a password holds "/", "?" or "#" that a
// URL parser would read as the start of the path.
func Redacted(rawURL string) string {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return "(not a URL)"
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		user, _, hasPass := strings.Cut(rest[:at], ":")
		if hasPass {
			user += ":xxxxx"
		}
		if strings.ContainsAny(user, "/?#") {
			user = "xxxxx" // not a user name: part of a password
		}
		rest = user + "@" + rest[at+1:]
	}
	path, query, hasQuery := strings.Cut(rest, "?")
	if hasQuery {
		query, _, _ = strings.Cut(query, "#")
		q, err := url.ParseQuery(query)
		if err != nil {
			query = "xxxxx"
		} else {
			for _, k := range secretParams {
				if q.Has(k) {
					q.Set(k, "xxxxx")
				}
			}
			query = q.Encode()
		}
		path += "?" + query
	}
	return scheme + "://" + path
}
