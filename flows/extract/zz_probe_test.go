package extract

import (
	"os"
	"strings"
	"testing"
)

func TestZZProbe(t *testing.T) {
	for _, s := range strings.Split(os.Getenv("PROBE"), "|") {
		got := Scan(s, Options{Now: now, Shop: demoShop})
		var out []string
		for _, v := range got {
			out = append(out, string(v.Kind)+":"+v.Text+"="+v.Value)
		}
		t.Logf("%q -> %v", s, out)
	}
}
