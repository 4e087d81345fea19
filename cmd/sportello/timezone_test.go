package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/flows"
)

// TestTimezoneSetting: the shop's time zone comes from the file or
// SPORTELLO_TIMEZONE, Rome for the demo, and a name that is no zone stops
// the start with what to write instead.
func TestTimezoneSetting(t *testing.T) {
	for _, tc := range []struct {
		name, file, env string
		want, err       string
	}{
		{"the demo's default", "", "", "Europe/Rome", ""},
		{"from the file", "timezone: America/New_York\n", "", "America/New_York", ""},
		{"the environment wins", "timezone: America/New_York\n", "Asia/Kolkata", "Asia/Kolkata", ""},
		{"UTC", "", "UTC", "UTC", ""},
		{"unknown", "timezone: Europe/Atlantis\n", "", "", `timezone: "Europe/Atlantis" is not a known time zone: want an IANA time zone name such as Europe/Rome or UTC`},
		{"an offset", "", "+01:00", "", `timezone (SPORTELLO_TIMEZONE): "+01:00" is not a known time zone`},
		{"a path", "timezone: ../../etc/passwd\n", "", "", "is not a known time zone"},
		{"the machine's", "timezone: Local\n", "", "", `timezone: "Local" depends on the machine`},
		{"empty in the file", "timezone: ''\n", "", "", "timezone: empty"},
		{"not a string", "timezone: [1, 2]\n", "", "", "c.yaml:1: cannot unmarshal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := ""
			if tc.file != "" {
				file = filepath.Join(t.TempDir(), "c.yaml")
				if err := os.WriteFile(file, []byte(tc.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			c, err := loadConfig(file, func(k string) string {
				if k == "SPORTELLO_TIMEZONE" {
					return tc.env
				}
				return ""
			})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want it to say %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.zone().String(); got != tc.want {
				t.Errorf("zone = %s, want %s", got, tc.want)
			}
		})
	}
}

// TestTimezoneFromTheFlowFile: a shop that wrote its zone only under the
// flow file's hours gets its days in that zone, not Rome's; a
// configuration that names another zone wins, with a warning that points
// at the hours.
func TestTimezoneFromTheFlowFile(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	withHours := &flows.Bot{Hours: map[string]*flows.Hours{"shop": {ID: "shop", Location: ny, Pos: flows.Pos{File: "flows.yaml", Line: 12, Col: 5}}}}
	for _, tc := range []struct {
		name, env string
		bot       *flows.Bot
		want      string
		warn      []string
	}{
		{"the flow file's zone", "", withHours, "America/New_York", nil},
		{"the configuration's wins, with a warning", "Europe/Rome", withHours, "Europe/Rome", []string{"Europe/Rome", "America/New_York", "flows.yaml:12:5"}},
		{"the same zone in both", "America/New_York", withHours, "America/New_York", nil},
		{"no hours: the default", "", &flows.Bot{}, "Europe/Rome", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loadConfig("", func(k string) string {
				if k == "SPORTELLO_TIMEZONE" {
					return tc.env
				}
				return ""
			})
			if err != nil {
				t.Fatal(err)
			}
			c, warn := c.flowZone(tc.bot)
			if got := c.zone().String(); got != tc.want {
				t.Errorf("zone = %s, want %s", got, tc.want)
			}
			if len(tc.warn) == 0 && warn != "" {
				t.Errorf("warning %q, want none", warn)
			}
			for _, w := range tc.warn {
				if !strings.Contains(warn, w) {
					t.Errorf("warning %q does not say %q", warn, w)
				}
			}
		})
	}
}
