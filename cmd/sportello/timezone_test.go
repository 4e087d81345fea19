package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
