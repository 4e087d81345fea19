package flows

import (
	"os"
	"strings"
	"testing"
)

func TestFixODebug(t *testing.T) {
	b := mustShop(t)
	for _, line := range strings.Split(os.Getenv("FIXO"), "|") {
		lang := "it"
		if strings.HasPrefix(line, "en:") {
			lang, line = "en", line[3:]
		}
		u := understandIn(t, b, lang, line)
		t.Logf("%q -> %s  scores=%v", line, commandsText(u), b.classifier.Classify(line)[:3])
	}
}
