package extract

import (
	"os"
	"strings"
	"testing"
)

func TestFixGScan(t *testing.T) {
	for _, line := range strings.Split(os.Getenv("FIXGX"), "\n") {
		if line != "" {
			for _, v := range Scan(line, Options{Shop: demoShop}) {
				t.Logf("%q => %s %q %s %.2f", line, v.Kind, v.Text, v.Value, v.Confidence)
			}
		}
	}
}
