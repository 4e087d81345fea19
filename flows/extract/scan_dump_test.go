package extract

import (
	"bufio"
	"fmt"
	"os"
	"testing"
)

// TestScanDump prints what Scan reads in the lines of $SCAN_DUMP, for
// looking at by hand.
func TestScanDump(t *testing.T) {
	path := os.Getenv("SCAN_DUMP")
	if path == "" {
		t.Skip("SCAN_DUMP not set")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fmt.Printf("%s\n", line)
		for _, v := range Scan(line, Options{Now: now, Shop: demoShop}) {
			extra := ""
			if v.Kind == KindDate {
				extra = fmt.Sprintf(" cue=%s fut=%v approx=%v dur=%s", v.Cue, v.Future, v.Approx, v.Duration)
			}
			if v.NotSold || v.Model != "" || v.Category != "" || len(v.Others) > 0 {
				extra += fmt.Sprintf(" notsold=%v model=%q cat=%q others=%v", v.NotSold, v.Model, v.Category, v.Others)
			}
			if v.Negated || v.Each || v.Slot != "" {
				extra += fmt.Sprintf(" neg=%v each=%v slot=%s", v.Negated, v.Each, v.Slot)
			}
			fmt.Printf("    %-8s %-28q %-22s %.2f%s\n", v.Kind, v.Text, v.Value, v.Confidence, extra)
		}
	}
}
