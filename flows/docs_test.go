package flows

import (
	"os"
	"strings"
	"testing"
)

// TestDocsExample loads the complete small file of docs/flows.md, so the
// reference never shows a file that does not load.
func TestDocsExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/flows.md")
	if err != nil {
		t.Skip("docs/flows.md not found")
	}
	_, rest, ok := strings.Cut(string(doc), "## A complete small file")
	if !ok {
		t.Fatal("docs/flows.md has no complete small file")
	}
	_, rest, _ = strings.Cut(rest, "```yaml\n")
	src, _, _ := strings.Cut(rest, "```")
	b, err := Parse("flows.md", []byte(src))
	if err != nil {
		t.Fatalf("the example does not load:\n%v", err)
	}
	d := newDriver(t, b, june2025)
	d.say("dov'è il mio ordine")
	contains(t, d.say("è BB-1234"), "controllo l'ordine BB-1234")
	if d.last.Handoff == nil {
		t.Error("no handoff")
	}
}
