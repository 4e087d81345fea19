package main

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"
	// The zone database in the binary: a static image has none of its own.
	_ "time/tzdata"

	"go.yaml.in/yaml/v3"

	"github.com/sportello/sportello/adapters/guard"
	"github.com/sportello/sportello/adapters/review"
	"github.com/sportello/sportello/adapters/webchat"
	"github.com/sportello/sportello/bot/redact"
)

// config is the server's configuration: defaults that run the demo, a
// YAML file (SPORTELLO_CONFIG or --config), then the environment, then
// flags. Secrets come only from the environment.
type config struct {
	// Addr is the one HTTP listener: web chat, webhooks, review, metrics.
	Addr string `yaml:"addr"`
	// Flows is the flow file or folder; empty runs the embedded demo shop.
	Flows string `yaml:"flows"`
	// Log is "text" or "json", LogLevel "debug", "info", "warn", "error".
	Log      string `yaml:"log"`
	LogLevel string `yaml:"log_level"`
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (addresses or networks, "loopback", "private"); none by
	// default, so a client cannot choose its own address.
	TrustedProxies []string `yaml:"trusted_proxies"`
	// Webchat names the shops' sites whose pages may embed and call the
	// web chat (SPORTELLO_WEBCHAT_ORIGINS, comma-separated); the chat's
	// own host always may.
	Webchat struct {
		AllowedOrigins []string `yaml:"allowed_origins"`
	} `yaml:"webchat"`
	// Timezone is the shop's time zone (an IANA name such as Europe/Rome,
	// SPORTELLO_TIMEZONE): the review pages show dates, cut days, count
	// the dashboard's days and write the exports in it.
	Timezone string `yaml:"timezone"`
	// Review configures the managers' pages and the archive.
	Review reviewConfig `yaml:"review"`
	// Slack names the team channels (team -> channel ID) when they are
	// not given as SLACK_<TEAM>_CHANNEL; the variables win.
	Slack struct {
		Channels map[string]string `yaml:"channels"`
	} `yaml:"slack"`
}

// reviewConfig is the "review:" section: who may sign in, how long
// conversations are kept, what is redacted before archiving.
type reviewConfig struct {
	Managers      []review.Manager `yaml:"managers"`
	RetentionDays int              `yaml:"retention_days"`
	Redact        *redact.Config   `yaml:"redact"` // all on when absent
}

func defaultConfig() config {
	return config{Addr: "127.0.0.1:8080", Log: "text", LogLevel: "info", Timezone: "Europe/Rome"}
}

// loadConfig reads file (if any) over the defaults, then the environment.
func loadConfig(file string, getenv func(string) string) (config, error) {
	c := defaultConfig()
	if file == "" {
		file = getenv("SPORTELLO_CONFIG")
	}
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return c, fmt.Errorf("config: %w", err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil && err.Error() != "EOF" {
			return c, fmt.Errorf("config: %s", yamlErrors(file, err))
		}
	}
	for name, dst := range map[string]*string{
		"SPORTELLO_ADDR":      &c.Addr,
		"SPORTELLO_FLOWS":     &c.Flows,
		"SPORTELLO_LOG":       &c.Log,
		"SPORTELLO_LOG_LEVEL": &c.LogLevel,
		"SPORTELLO_TIMEZONE":  &c.Timezone,
	} {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	if v := getenv("SPORTELLO_TRUSTED_PROXIES"); v != "" {
		c.TrustedProxies = strings.Split(v, ",")
	}
	if v := getenv("SPORTELLO_WEBCHAT_ORIGINS"); v != "" {
		c.Webchat.AllowedOrigins = strings.Split(v, ",")
	}
	return c, c.check()
}

// webchatOrigins returns the web chat's allowed origins; check has vetted them.
func (c config) webchatOrigins() []string {
	o, _ := webchat.ParseOrigins(c.Webchat.AllowedOrigins)
	return o
}

// webchatKey returns the key that signs the web chat's visitor tokens,
// SPORTELLO_WEBCHAT_KEY, which every replica must share. Without it, one
// process on the memory store makes a random key (nil here); with
// REDIS_URL, the replicas sharing the store would refuse each other's
// visitors and every restart would cut the visitors off their
// conversations, so that is a start-up error.
func webchatKey(getenv func(string) string) ([]byte, error) {
	const hint = "at least 32 characters, the same on every replica (openssl rand -hex 32)"
	switch key := getenv("SPORTELLO_WEBCHAT_KEY"); {
	case key == "" && getenv("REDIS_URL") != "":
		return nil, errors.New("SPORTELLO_WEBCHAT_KEY: not set; with REDIS_URL it signs the web chat's visitors for every replica: want " + hint)
	case key == "":
		return nil, nil
	case len(key) < webchat.KeyMinLen:
		return nil, errors.New("SPORTELLO_WEBCHAT_KEY: too short: want " + hint)
	default:
		return []byte(key), nil
	}
}

// proxies returns the trusted proxies; check has vetted them.
func (c config) proxies() guard.Proxies {
	p, _ := guard.ParseProxies(c.TrustedProxies)
	return p
}

// zone returns the shop's time zone; check has vetted it.
func (c config) zone() *time.Location {
	z, _ := loadZone(c.Timezone)
	return z
}

// loadZone reads an IANA time zone name. "Local" is refused: the shop's
// days must not move with the machine the binary happens to run on.
func loadZone(name string) (*time.Location, error) {
	const want = "want an IANA time zone name such as Europe/Rome or UTC"
	switch name {
	case "":
		return nil, errors.New("empty: " + want)
	case "Local":
		return nil, errors.New(`"Local" depends on the machine: ` + want)
	}
	z, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%q is not a known time zone: %s", name, want)
	}
	return z, nil
}

func (c config) check() error {
	var errs []string
	if c.Addr == "" {
		errs = append(errs, "addr: empty (set SPORTELLO_ADDR, e.g. 127.0.0.1:8080)")
	}
	if c.Log != "text" && c.Log != "json" {
		errs = append(errs, fmt.Sprintf("log: %q: want text or json", c.Log))
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		errs = append(errs, fmt.Sprintf("log_level: %q: want debug, info, warn or error", c.LogLevel))
	}
	if _, err := guard.ParseProxies(c.TrustedProxies); err != nil {
		errs = append(errs, "trusted_proxies: "+err.Error())
	}
	if _, err := webchat.ParseOrigins(c.Webchat.AllowedOrigins); err != nil {
		errs = append(errs, "webchat.allowed_origins: "+err.Error())
	}
	if _, err := loadZone(c.Timezone); err != nil {
		errs = append(errs, "timezone: "+err.Error())
	}
	if c.Review.RetentionDays < 0 {
		errs = append(errs, "review.retention_days: negative")
	}
	for i, m := range c.Review.Managers {
		if m.Name == "" || !strings.HasPrefix(m.PasswordHash, "$2") {
			errs = append(errs, fmt.Sprintf("review.managers[%d]: want a name and a bcrypt password_hash", i))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("config: %s", strings.Join(errs, "; "))
	}
	return nil
}

func (c config) logger(e *env) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.Log == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

// yamlErrors writes the decoder's errors as "file:line: what", one a line.
func yamlErrors(file string, err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	var out []string
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(l, "line "); ok {
			if n, what, ok := strings.Cut(rest, ": "); ok {
				l = file + ":" + n + ": " + what
			}
		} else {
			l = file + ": " + l
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
