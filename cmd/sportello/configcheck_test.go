package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or writes it there with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it); got:\n%s\nwant:\n%s", path, got, want)
	}
}

// runEnv runs sportello with args and the environment env in-process.
func runEnv(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	code = run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

// testReviewKey is the review pages' key of the tests' replicas.
const testReviewKey = "test-review-key-0123456789abcdef0123456789"

// fullEnv sets every variable, the secrets to values a test can look for.
var fullEnv = map[string]string{
	"SPORTELLO_ADDR":        "0.0.0.0:8080",
	"SPORTELLO_WEBCHAT_KEY": "webchat-secret-0123456789abcdef0123456789",
	"SPORTELLO_REVIEW_KEY":  "review-secret-0123456789abcdef0123456789",
	"REDIS_URL":             "redis://:redis-secret-pw@redis:6379/0",
	"DATABASE_URL":          "postgres://sportello:pg-secret-pw@postgres:5432/sportello?sslmode=disable",
	"TELEGRAM_TOKEN":        "123456:tg-secret-token",
	"TELEGRAM_MODE":         "webhook",
	"TELEGRAM_WEBHOOK_URL":  "https://bot.example.com/telegram/webhook",
	"TELEGRAM_SECRET":       "tg-webhook-secret",
	"SLACK_BOT_TOKEN":       "xoxb-slack-secret",
	"SLACK_APP_TOKEN":       "xapp-slack-secret",
	"SLACK_SIGNING_SECRET":  "slack-signing-secret",
	"SLACK_SALES_CHANNEL":   "C0SALES",
	"GOMEMLIMIT":            "230MiB",
	"SHOPIFY_ACCESS_TOKEN":  "shpat_shopify-secret-token",
	"SHOPIFY_CLIENT_ID":     "shopify-client-id",
	"SHOPIFY_CLIENT_SECRET": "shpss_shopify-client-secret",
}

func TestConfigCheckPrintsTheConfigurationWithSecretsHidden(t *testing.T) {
	code, out, errs := runEnv(t, fullEnv, "config", "check", "--config", "testdata/config/full.yaml")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s%s", code, out, errs)
	}
	golden(t, "config/full.golden", out)
	for _, secret := range []string{"webchat-secret", "review-secret", "redis-secret-pw", "pg-secret-pw",
		"tg-secret-token", "tg-webhook-secret", "slack-secret", "slack-signing-secret", "$2a$04$", "shopify-secret-token", "shopify-client-secret"} {
		if strings.Contains(out+errs, secret) {
			t.Errorf("the output shows %q", secret)
		}
	}
	// Where each value came from: the variable over the file, the file
	// with its line, the default.
	for _, want := range [][]string{
		{"addr", "SPORTELLO_ADDR", "environment", "0.0.0.0:8080"},
		{"log", "SPORTELLO_LOG", "testdata/config/full.yaml:4", "json"},
		{"slack.channels.sales", "SLACK_SALES_CHANNEL", "environment", "C0SALES"},
		{"slack.channels.support", "SLACK_SUPPORT_CHANNEL", "testdata/config/full.yaml:20", "C0SUPPORT"},
		{"-", "REDIS_URL", "environment", "redis://:xxxxx@redis:6379/0"},
		{"-", "TELEGRAM_API_URL", "default", "https://api.telegram.org"},
	} {
		if !hasRow(out, want...) {
			t.Errorf("the output lacks the row %q", want)
		}
	}
}

// hasRow tells whether a line of out starts with the fields row.
func hasRow(out string, row ...string) bool {
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) >= len(row) && slices.Equal(f[:len(row)], row) {
			return true
		}
	}
	return false
}

// TestEveryConfigMistakeIsReportedWithItsLine: the loader stopped at the
// first key it did not know, and said where a key's value was wrong
// only for the file's syntax, so an operator fixed one mistake per start.
func TestEveryConfigMistakeIsReportedWithItsLine(t *testing.T) {
	code, out, errs := runEnv(t, map[string]string{"REDIS_URL": "redis://127.0.0.1:6379/0"}, "config", "check", "--config", "testdata/config/bad.yaml")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errs)
	}
	golden(t, "config/bad.golden", errs)
	if !hasRow(out, "log", "SPORTELLO_LOG", "testdata/config/bad.yaml:4", "xml") {
		t.Errorf("the configuration is not printed beside its mistakes:\n%s", out)
	}
	// serve refuses the same file with the same mistakes of the file.
	code, _, serveErrs := runEnv(t, nil, "serve", "--config", "testdata/config/bad.yaml")
	if code != 1 {
		t.Fatalf("serve: exit %d, want 1", code)
	}
	for _, want := range []string{"bad.yaml:3: field adress not found", "bad.yaml:4: log:", "bad.yaml:10: cannot unmarshal", "bad.yaml:16: field iban not found"} {
		if !strings.Contains(serveErrs, want) {
			t.Errorf("serve's error lacks %q:\n%s", want, serveErrs)
		}
	}
}

func TestConfigCheckOfBadConfigurations(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string // the configuration file; none when empty
		env  map[string]string
		want string // a line of stderr
	}{
		{"unknown key", "adress: 1.2.3.4:80\n", nil, "c.yaml:1: field adress not found"},
		{"unknown key in a section", "review:\n  retention: 3\n", nil, "c.yaml:2: field retention not found"},
		{"wrong type", "review:\n  retention_days: many\n", nil, "c.yaml:2: cannot unmarshal !!str `many` into int"},
		{"addr without a port", "addr: 0.0.0.0\n", nil, `c.yaml:1: addr: "0.0.0.0": want host:port`},
		{"addr without a port from the variable", "", map[string]string{"SPORTELLO_ADDR": "localhost"}, `addr (SPORTELLO_ADDR): "localhost": want host:port`},
		{"bad log", "\nlog: xml\n", nil, `c.yaml:2: log: "xml": want text or json`},
		{"bad level from the variable", "log_level: info\n", map[string]string{"SPORTELLO_LOG_LEVEL": "loud"}, `log_level (SPORTELLO_LOG_LEVEL): "loud"`},
		{"bad proxy", "trusted_proxies:\n  - loopback\n  - 10.0.0.0/40\n", nil, `c.yaml:1: trusted_proxies: trusted proxy "10.0.0.0/40"`},
		{"origin without a scheme", "webchat:\n  allowed_origins: [shop.example]\n", nil, `c.yaml:2: webchat.allowed_origins: allowed origin "shop.example"`},
		{"negative retention", "review:\n  retention_days: -1\n", nil, "c.yaml:2: review.retention_days: negative"},
		{"manager without a hash", "review:\n  managers:\n    - name: anna\n    - name: marco\n      password_hash: x\n", nil, "c.yaml:3: review.managers[0]: want a name and a bcrypt password_hash"},
		{"manager with a hash that is not bcrypt", "review:\n  managers:\n    - {name: anna, password_hash: \"$2a$10$REPLACE\"}\n", nil, "c.yaml:3: review.managers[0]: manager anna: the password hash is not a bcrypt hash"},
		{"flows that do not exist", "flows: /nonexistent/shop\n", nil, "c.yaml:1: flows: /nonexistent/shop: stat shop: no such file or directory"},
		{"Redis without the keys", "", map[string]string{"REDIS_URL": "redis://redis:6379/0"}, "SPORTELLO_WEBCHAT_KEY: not set"},
		{"Redis without the review key", "", map[string]string{"REDIS_URL": "redis://redis:6379/0", "SPORTELLO_WEBCHAT_KEY": testWebchatKey}, "SPORTELLO_REVIEW_KEY: not set"},
		{"a short review key", "", map[string]string{"SPORTELLO_REVIEW_KEY": "short"}, "SPORTELLO_REVIEW_KEY: too short"},
		{"secure cookies yes", "", map[string]string{"SPORTELLO_SECURE_COOKIES": "yes"}, `SPORTELLO_SECURE_COOKIES: "yes": want true or false`},
		{"Telegram token of the wrong shape", "", map[string]string{"TELEGRAM_TOKEN": "abc"}, "TELEGRAM_TOKEN does not look like a bot token"},
		{"Telegram webhook without its secret", "", map[string]string{"TELEGRAM_TOKEN": "1:a", "TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_URL": "https://b.example/telegram/webhook"}, "TELEGRAM_SECRET is required in webhook mode"},
		{"Slack without a mode", "", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, "neither SLACK_APP_TOKEN"},
		{"Slack without a team's channel", "slack:\n  channels: {sales: C1}\n", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, "slack: set SLACK_SUPPORT_CHANNEL"},
		{"Slack bot token of the wrong kind", "", map[string]string{"SLACK_BOT_TOKEN": "xoxp-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_SALES_CHANNEL": "C1", "SLACK_SUPPORT_CHANNEL": "C2"}, "the bot token (SLACK_BOT_TOKEN) must start with xoxb-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"config", "check"}
			if tc.file != "" {
				file := filepath.Join(t.TempDir(), "c.yaml")
				if err := os.WriteFile(file, []byte(tc.file), 0o600); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--config", file)
				tc.want = strings.ReplaceAll(tc.want, "c.yaml", file)
			}
			code, out, errs := runEnv(t, tc.env, args...)
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s%s", code, out, errs)
			}
			if !strings.Contains(errs, tc.want) {
				t.Fatalf("stderr lacks %q:\n%s", tc.want, errs)
			}
			for _, v := range tc.env {
				if strings.Contains(v, "secret") && strings.Contains(out+errs, v) {
					t.Errorf("the output shows %q", v)
				}
			}
		})
	}
}

func TestConfigCheckUsage(t *testing.T) {
	if code, _, errs := runEnv(t, nil, "config"); code != 2 || !strings.Contains(errs, "usage: sportello config check") {
		t.Errorf("config alone: exit %d, %q", code, errs)
	}
	if code, _, errs := runEnv(t, nil, "config", "check", "--config", "/nonexistent/s.yaml"); code != 1 || !strings.Contains(errs, "/nonexistent/s.yaml") {
		t.Errorf("a missing file: exit %d, %q", code, errs)
	}
	if code, _, errs := runEnv(t, nil, "config", "check", "--config", "testdata/config/not-yaml.yaml"); code != 1 || !strings.Contains(errs, "not-yaml.yaml:2:") {
		t.Errorf("not YAML: exit %d, %q", code, errs)
	}
	if code, out, _ := runEnv(t, nil, "config", "check"); code != 0 || !strings.HasSuffix(out, "\nno mistakes\n") {
		t.Errorf("the defaults: exit %d\n%s", code, out)
	}
}

// TestSharedStoreWithoutReviewKeyIsAStartupError: replicas on one Redis
// that each made up a key for the managers' cookies signed a manager out
// whenever the next request reached another replica.
func TestSharedStoreWithoutReviewKeyIsAStartupError(t *testing.T) {
	env := map[string]string{"REDIS_URL": "redis://127.0.0.1:6379/0", "SPORTELLO_WEBCHAT_KEY": testWebchatKey}
	_, err := newServer(context.Background(), e2eConfig(), func(k string) string { return env[k] }, shopBot(t, true), testLog(t), deps{})
	if err == nil || !strings.Contains(err.Error(), "SPORTELLO_REVIEW_KEY: not set") {
		t.Fatalf("newServer on Redis without a review key: %v, want an error naming SPORTELLO_REVIEW_KEY", err)
	}
	env["SPORTELLO_REVIEW_KEY"] = testReviewKey
	srv, err := newServer(context.Background(), e2eConfig(), func(k string) string { return env[k] }, shopBot(t, true), testLog(t), deps{})
	if err != nil {
		t.Fatalf("with the key: %v", err)
	}
	srv.close()
}

// TestSecureCookiesOfAnUnknownWordAreAStartupError: "yes" (or "on") read as
// false, so the managers' cookie went without its Secure flag.
func TestSecureCookiesOfAnUnknownWordAreAStartupError(t *testing.T) {
	for _, tc := range []struct {
		addr, value string
		want        bool
		wantErr     bool
	}{
		{"0.0.0.0:8080", "", true, false},
		{"127.0.0.1:8080", "", false, false},
		{"[::1]:8080", "", false, false},
		{"127.0.0.1:8080", "true", true, false},
		{"127.0.0.1:8080", "1", true, false},
		{"0.0.0.0:8080", "false", false, false},
		{"0.0.0.0:8080", "yes", false, true},
		{"0.0.0.0:8080", "on", false, true},
	} {
		got, err := secureCookies(tc.addr, func(string) string { return tc.value })
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("%s, SPORTELLO_SECURE_COOKIES=%q: %t, %v; want %t (error %t)", tc.addr, tc.value, got, err, tc.want, tc.wantErr)
		}
	}
	_, err := newServer(context.Background(), e2eConfig(), func(k string) string {
		if k == "SPORTELLO_SECURE_COOKIES" {
			return "yes"
		}
		return ""
	}, shopBot(t, true), testLog(t), deps{})
	if err == nil || !strings.Contains(err.Error(), "SPORTELLO_SECURE_COOKIES") {
		t.Fatalf("newServer with SPORTELLO_SECURE_COOKIES=yes: %v, want an error naming it", err)
	}
}

// TestConfigCheckTakesTheFlowFilesZone: config check shows the zone
// serve runs in; unset in the configuration, that is the flow file's
// hours zone, not the default Rome; set and different, it warns as serve
// does.
func TestConfigCheckTakesTheFlowFilesZone(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../examples/shop")); err != nil {
		t.Fatal(err)
	}
	shop := filepath.Join(dir, "shop.yaml")
	data, err := os.ReadFile(shop)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte("timezone: Europe/Rome"), []byte("timezone: America/New_York"), 1)
	if err := os.WriteFile(shop, data, 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SPORTELLO_FLOWS": dir}
	code, out, errs := runEnv(t, env, "config", "check")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s%s", code, out, errs)
	}
	// The place is the hours' line in shop.yaml (the one before the
	// zone's), wherever the file has it.
	line := bytes.Count(data[:bytes.Index(data, []byte("timezone: America/New_York"))], []byte("\n"))
	if !hasRow(out, "timezone", "SPORTELLO_TIMEZONE", fmt.Sprintf("%s:%d:3", shop, line), "America/New_York") {
		t.Errorf("the timezone row is not the flow file's zone:\n%s", out)
	}
	env["SPORTELLO_TIMEZONE"] = "Europe/Rome"
	code, out, errs = runEnv(t, env, "config", "check")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s%s", code, out, errs)
	}
	if !hasRow(out, "timezone", "SPORTELLO_TIMEZONE", "environment", "Europe/Rome") || !strings.Contains(out, "warning: timezone:") {
		t.Errorf("a zone other than the hours' gives no warning:\n%s", out)
	}
}
