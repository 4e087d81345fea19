package flows

import (
	"testing"
)

func mustLoad(tb testing.TB, path string) *Bot {
	tb.Helper()
	b, err := LoadPath(path)
	if err != nil {
		tb.Fatalf("load %s:\n%v", path, err)
	}
	return b
}

func TestLoadMini(t *testing.T) {
	b := mustLoad(t, "testdata/mini.yaml")
	if b.Name != "Mini Shop" || b.DefaultLanguage != "it" || b.DefaultTeam != "support" {
		t.Errorf("got name %q, default language %q, team %q", b.Name, b.DefaultLanguage, b.DefaultTeam)
	}
}
