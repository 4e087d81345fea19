package flows

import (
	"os"
	"testing"
	"testing/fstest"
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

func TestLoadSkipsStoryFolders(t *testing.T) {
	mini, err := os.ReadFile("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	story := &fstest.MapFile{Data: []byte("stories:\n  - name: x\n    turns: [{say: hi}]\n")}
	fsys := fstest.MapFS{
		"shop/mini.yaml":              {Data: mini},
		"shop/stories/it.yaml":        story,
		"shop/battery/dev/plain.yaml": story,
	}
	if _, err := Load(fsys, "shop"); err != nil {
		t.Fatalf("the stories were read as flow files:\n%v", err)
	}
}
