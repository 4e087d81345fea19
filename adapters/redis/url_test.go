package redis

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestURLForms(t *testing.T) {
	tests := []struct {
		name, url string
		check     func(t *testing.T, c redis.UniversalClient)
	}{
		{"plain with user, password and db", "redis://ann:s3cret@10.0.0.1:6380/2", func(t *testing.T, c redis.UniversalClient) {
			o := c.(*redis.Client).Options()
			if o.Addr != "10.0.0.1:6380" || o.Username != "ann" || o.Password != "s3cret" || o.DB != 2 || o.TLSConfig != nil {
				t.Errorf("options = %+v", o)
			}
		}},
		{"TLS", "rediss://:pw@cache.example.com", func(t *testing.T, c redis.UniversalClient) {
			o := c.(*redis.Client).Options()
			if o.Addr != "cache.example.com:6379" || o.Password != "pw" || o.TLSConfig == nil || o.TLSConfig.ServerName != "cache.example.com" {
				t.Errorf("options = %+v", o)
			}
		}},
		{"go-redis options", "redis://localhost/0?dial_timeout=3s&pool_size=7", func(t *testing.T, c redis.UniversalClient) {
			o := c.(*redis.Client).Options()
			if o.PoolSize != 7 || o.DialTimeout.Seconds() != 3 {
				t.Errorf("options = %+v", o)
			}
		}},
		{"cluster", "redis-cluster://u:p@h1:7000,h2:7001,h3:7002?read_only=true", func(t *testing.T, c redis.UniversalClient) {
			o := c.(*redis.ClusterClient).Options()
			if strings.Join(o.Addrs, " ") != "h1:7000 h2:7001 h3:7002" || o.Username != "u" || o.Password != "p" || !o.ReadOnly {
				t.Errorf("options = %+v", o)
			}
		}},
		{"cluster of one seed with TLS", "rediss-cluster://:p@seed:6379", func(t *testing.T, c redis.UniversalClient) {
			o := c.(*redis.ClusterClient).Options()
			if len(o.Addrs) != 1 || o.TLSConfig == nil {
				t.Errorf("options = %+v", o)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := newClient(tt.url)
			if err != nil {
				t.Fatalf("newClient(%s): %v", tt.url, err)
			}
			defer c.Close()
			tt.check(t, c)
		})
	}
}

func TestSentinelURL(t *testing.T) {
	// go-redis hides the failover options inside the client; what it
	// parses is checked through the URL we hand it.
	u, hosts, err := splitHosts("redis-sentinel://ann:pw@s1:26379,s2:26379/3?master=shop&sentinel_password=sp")
	if err != nil || len(hosts) != 2 || u.Host != "s1:26379" || u.Path != "/3" {
		t.Fatalf("splitHosts = %v, %v, %v", u, hosts, err)
	}
	c, err := newClient("redis-sentinel://ann:pw@s1:26379,s2:26379/3?master=shop&sentinel_password=sp")
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := newClient("redis-sentinel://s1:26379"); err == nil || !strings.Contains(err.Error(), "master") {
		t.Errorf("a sentinel URL without master: err = %v", err)
	}
}

func TestBadURLsNeverShowThePassword(t *testing.T) {
	for _, u := range []string{
		"redis://ann:TOPSECRET@host:notaport",
		"redis-cluster://ann:TOPSECRET@h1:7000,,h2",
		"redis-sentinel://ann:TOPSECRET@s1:x,s2?master=m",
		"ftp://ann:TOPSECRET@host",
		"redis://ann:TOPSECRET@host/0?password=TOPSECRET&bogus=1",
	} {
		_, err := Open(context.Background(), u, Options{})
		if err == nil {
			t.Errorf("Open(%q) accepted it", Redacted(u))
			continue
		}
		if strings.Contains(err.Error(), "TOPSECRET") {
			t.Errorf("Open error shows the password: %v", err)
		}
	}
}

func TestRedacted(t *testing.T) {
	tests := map[string]string{
		"redis://ann:s3cret@h:6379/1":                   "redis://ann:xxxxx@h:6379/1",
		"redis://:s3cret@h":                             "redis://:xxxxx@h",
		"redis://h:6379":                                "redis://h:6379",
		"redis://ann@h":                                 "redis://ann@h",
		"rediss-cluster://u:p@@x@h1:1,h2:2?pool_size=3": "rediss-cluster://u:xxxxx@h1:1,h2:2?pool_size=3",
		"redis-sentinel://u:p@s1,s2?master=m&sentinel_password=sp": "redis-sentinel://u:xxxxx@s1,s2?master=m&sentinel_password=xxxxx",
		"redis://h/0?password=p":                                   "redis://h/0?password=xxxxx",
		"redis://:Zx9/Qa+s3cret@redis.internal:6379/0":             "redis://:xxxxx@redis.internal:6379/0",
		"redis://ann:a?b#c@h:6379":                                 "redis://ann:xxxxx@h:6379",
		"redis://ann:12/34@h":                                      "redis://ann:xxxxx@h",
		"not a url":                                                "(not a URL)",
	}
	for in, want := range tests {
		if got := Redacted(in); got != want {
			t.Errorf("Redacted(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAutoPipelineOption(t *testing.T) {
	tests := []struct {
		in, rest string
		want     *bool
	}{
		{"redis://h/0", "redis://h/0", nil},
		{"redis://h/0?autopipeline=true", "redis://h/0", ptr(true)},
		{"redis://h/0?pool_size=3&autopipeline=false", "redis://h/0?pool_size=3", ptr(false)},
	}
	for _, tt := range tests {
		rest, got, err := cutAutoPipeline(tt.in)
		if err != nil || rest != tt.rest || (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
			t.Errorf("cutAutoPipeline(%q) = %q, %v, %v; want %q, %v", tt.in, rest, got, err, tt.rest, tt.want)
		}
	}
	if _, _, err := cutAutoPipeline("redis://h?autopipeline=maybe"); err == nil {
		t.Error("autopipeline=maybe accepted")
	}
}

func ptr[T any](v T) *T { return &v }

// TestOpenErrorHidesThePassword: a password with "/" makes the URL
// unreadable; the error must say so without quoting any of it.
func TestOpenErrorHidesThePassword(t *testing.T) {
	_, err := Open(context.Background(), "redis://:Zx9/Qa+s3cret@redis.internal:6379/0", Options{})
	if err == nil {
		t.Fatal("Open accepted an unreadable URL")
	}
	for _, part := range []string{"Zx9", "Qa", "s3cret"} {
		if strings.Contains(err.Error(), part) {
			t.Fatalf("the error %q shows part of the password (%q)", err, part)
		}
	}
}

func TestMasterBudgetOption(t *testing.T) {
	tests := []struct {
		in, rest string
		want     time.Duration
	}{
		{"redis-cluster://h1,h2", "redis-cluster://h1,h2", 0},
		{"redis-cluster://h1,h2?master_budget=4s", "redis-cluster://h1,h2", 4 * time.Second},
		{"redis-cluster://h1?pool_size=3&master_budget=250ms&autopipeline=true", "redis-cluster://h1?autopipeline=true&pool_size=3", 250 * time.Millisecond},
	}
	for _, tt := range tests {
		rest, got, err := cutMasterBudget(tt.in)
		if err != nil || rest != tt.rest || got != tt.want {
			t.Errorf("cutMasterBudget(%q) = %q, %v, %v; want %q, %v", tt.in, rest, got, err, tt.rest, tt.want)
		}
	}
	for _, bad := range []string{"redis://h?master_budget=soon", "redis://h?master_budget=0", "redis://h?master_budget=-1s", "redis://h?master_budget="} {
		if _, _, err := cutMasterBudget(bad); err == nil || !strings.Contains(err.Error(), "master_budget") {
			t.Errorf("cutMasterBudget(%q): err = %v, want one naming master_budget", bad, err)
		}
	}
}
