package flows

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestZZPairs(t *testing.T) {
	b := mustShop(t)
	data, _ := os.ReadFile(os.Getenv("PAIRS"))
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		s, err := strconv.Unquote(line)
		if err != nil {
			continue
		}
		ab := strings.SplitN(s, " -> ", 2)
		lang := "en"
		if strings.Contains(os.Getenv("IT"), "x") {
			lang = "it"
		}
		for _, l := range []string{"it", "en"} {
			_ = l
		}
		ca, _ := rules{b}.Understand(context.Background(), Input{Text: ab[0], Lang: lang, Now: june2025})
		cb, _ := rules{b}.Understand(context.Background(), Input{Text: ab[1], Lang: lang, Now: june2025})
		if x, y := commandsText(ca), commandsText(cb); x != y {
			t.Logf("\n  %s\n    %s\n  %s\n    %s", ab[0], x, ab[1], y)
		}
	}
}
