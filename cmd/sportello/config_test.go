package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigFileAndEnvironment(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sportello.yaml")
	src := "addr: 0.0.0.0:9000\nflows: /srv/shop\nlog: json\nreview:\n  retention_days: 30\nslack:\n  channels: {sales: C1}\n"
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SPORTELLO_CONFIG": file, "SPORTELLO_ADDR": "127.0.0.1:7000"}
	c, err := loadConfig("", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" || c.Flows != "/srv/shop" || c.Log != "json" ||
		c.Review.RetentionDays != 30 || c.Slack.Channels["sales"] != "C1" {
		t.Fatalf("config = %+v: the file, then the environment, should set it", c)
	}
	if d, err := loadConfig("", func(string) string { return "" }); err != nil || d.Addr != "127.0.0.1:8080" {
		t.Fatalf("defaults = %+v, %v; want the demo on 127.0.0.1:8080", d, err)
	}
}

func TestBadConfigSaysWhatIsWrong(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unknown key", "adress: 1.2.3.4:80\n", "c.yaml:1: field adress not found"},
		{"not YAML", "addr: [\n", "config"},
		{"wrong type", "review:\n  retention_days: many\n", "c.yaml:2: cannot unmarshal !!str `many` into int"},
		{"bad log", "log: xml\n", `log: "xml": want text or json`},
		{"bad level", "log_level: loud\n", `log_level: "loud"`},
		{"negative retention", "review:\n  retention_days: -1\n", "review.retention_days: negative"},
		{"manager without hash", "review:\n  managers: [{name: anna, password_hash: secret}]\n", "review.managers[0]: want a name and a bcrypt password_hash"},
		{"empty addr", "addr: ''\n", "addr: empty"},
		{"bad proxy", "trusted_proxies: [10.0.0.0/40]\n", `trusted_proxies: trusted proxy "10.0.0.0/40"`},
		{"web chat origin without a scheme", "webchat:\n  allowed_origins: [shop.example]\n", `webchat.allowed_origins: allowed origin "shop.example": want http:// or https://`},
		{"web chat origin with a path", "webchat:\n  allowed_origins: ['https://shop.example/chat']\n", `webchat.allowed_origins: allowed origin "https://shop.example/chat"`},
		{"web chat origin of any site", "webchat:\n  allowed_origins: ['*']\n", `webchat.allowed_origins: allowed origin "*"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(file, []byte(tt.src), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := loadConfig(file, func(string) string { return "" })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to say %q", err, tt.want)
			}
		})
	}
	if _, err := loadConfig("/nonexistent/sportello.yaml", func(string) string { return "" }); err == nil ||
		!strings.Contains(err.Error(), "/nonexistent/sportello.yaml") {
		t.Fatalf("a missing file: err = %v, want it named", err)
	}
}

func TestWebchatAllowedOrigins(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(file, []byte("webchat:\n  allowed_origins: ['https://Shop.example/']\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := loadConfig(file, func(string) string { return "" })
	if err != nil || strings.Join(c.webchatOrigins(), " ") != "https://shop.example" {
		t.Fatalf("from the file: %q, %v", c.webchatOrigins(), err)
	}
	env := map[string]string{"SPORTELLO_WEBCHAT_ORIGINS": "https://shop.example, https://www.shop.example"}
	c, err = loadConfig(file, func(k string) string { return env[k] })
	if err != nil || strings.Join(c.webchatOrigins(), " ") != "https://shop.example https://www.shop.example" {
		t.Fatalf("from the environment: %q, %v", c.webchatOrigins(), err)
	}
	env["SPORTELLO_WEBCHAT_ORIGINS"] = "shop.example"
	if _, err := loadConfig("", func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "webchat.allowed_origins") {
		t.Fatalf("a bad origin in the environment: %v", err)
	}
}

// TestSharedStoreWithoutWebchatKeyIsAStartupError: replicas on one Redis
// that each made up a key would refuse each other's visitors, and every
// restart would cut the visitors off their conversations.
func TestSharedStoreWithoutWebchatKeyIsAStartupError(t *testing.T) {
	long := strings.Repeat("k", 32)
	for _, tc := range []struct {
		name    string
		env     map[string]string
		key     string // the key used, "" for a random one
		wantErr string
	}{
		{"memory store, no key: a random key", map[string]string{}, "", ""},
		{"memory store, a key", map[string]string{"SPORTELLO_WEBCHAT_KEY": long}, long, ""},
		{"Redis, no key", map[string]string{"REDIS_URL": "redis://127.0.0.1:6379/0"}, "", "SPORTELLO_WEBCHAT_KEY: not set"},
		{"Redis, a key", map[string]string{"REDIS_URL": "redis://127.0.0.1:6379/0", "SPORTELLO_WEBCHAT_KEY": long}, long, ""},
		{"a short key", map[string]string{"SPORTELLO_WEBCHAT_KEY": "secret"}, "", "SPORTELLO_WEBCHAT_KEY: too short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key, err := webchatKey(func(k string) string { return tc.env[k] })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "32 characters") {
					t.Fatalf("err = %v, want %q and how to make one", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Fatal("the error shows the key")
				}
				return
			}
			if err != nil || string(key) != tc.key {
				t.Fatalf("key %q, %v; want %q", key, err, tc.key)
			}
		})
	}
	// The server refuses to start, before it opens anything.
	_, err := newServer(context.Background(), e2eConfig(), func(k string) string {
		if k == "REDIS_URL" {
			return "redis://127.0.0.1:6379/0"
		}
		return ""
	}, shopBot(t, true), testLog(t), deps{})
	if err == nil || !strings.Contains(err.Error(), "SPORTELLO_WEBCHAT_KEY") {
		t.Fatalf("newServer on Redis without a key: %v, want an error naming SPORTELLO_WEBCHAT_KEY", err)
	}
}
