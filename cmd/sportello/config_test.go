package main

import (
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
