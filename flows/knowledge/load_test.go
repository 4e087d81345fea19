package knowledge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadReadsMarkdownAndFAQs(t *testing.T) {
	dir := mustDir(t, map[string]string{
		"it/pagamenti.md": "---\ntitle: Pagamenti\nlang: it\nurl: https://negozio.example/aiuto/pagamenti\n---\n\nAccettiamo PayPal.\n",
		"en/returns.md":   "# Returns\n\nYou have 14 days to return an item.\n",
		"faq.csv":         "question,answer,lang\n\"Do you ship to Spain?\",\"Yes, in 5 days.\",en\nSi può ritirare in negozio?,\"Sì, a Milano.\",it\n",
		"faq2.tsv":        "answer\tquestion\nEntro 24 ore.\tQuando spedite?\n",
		"image.png":       "\x89PNG",
		".git/config":     "[core]",
	})
	docs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Document{}
	for _, d := range docs {
		got[d.ID] = d
	}
	if len(docs) != 5 {
		t.Fatalf("got %d documents, want 5: %v", len(docs), got)
	}
	for id, want := range map[string]Document{
		"it/pagamenti": {Title: "Pagamenti", Lang: "it", URL: "https://negozio.example/aiuto/pagamenti", Body: "Accettiamo PayPal.", Line: 7},
		"en/returns":   {Title: "Returns", Lang: "en", Body: "# Returns\n\nYou have 14 days to return an item.", Line: 1},
		"faq#2":        {Title: "Do you ship to Spain?", Lang: "en", Body: "Yes, in 5 days.", Line: 2, FAQ: true},
		"faq#3":        {Title: "Si può ritirare in negozio?", Lang: "it", Body: "Sì, a Milano.", Line: 3, FAQ: true},
		"faq2#2":       {Title: "Quando spedite?", Lang: "it", Body: "Entro 24 ore.", Line: 2, FAQ: true},
	} {
		d := got[id]
		if d.Title != want.Title || d.Lang != want.Lang || d.URL != want.URL || d.Body != want.Body || d.Line != want.Line || d.FAQ != want.FAQ {
			t.Errorf("%s: got %+v, want %+v", id, d, want)
		}
	}
}

// TestLoadReportsMistakesWithFileAndLine: each mistake names its file and
// line, and the documents that are fine are loaded all the same.
func TestLoadReportsMistakesWithFileAndLine(t *testing.T) {
	for _, tt := range []struct {
		name, file, text string
		want             string // in the error, after the file's path
		kept             int    // documents loaded from the file
	}{
		{"empty page", "a.md", "---\ntitle: A\n---\n\n   \n", "a.md:1: empty page", 0},
		{"front matter never closed", "a.md", "---\ntitle: A\nSome text", "a.md:1: front matter opened with --- is never closed", 0},
		{"bad yaml", "a.md", "---\ntitle: A\nlang: [it\n---\ntext", "a.md:", 0},
		{"yaml of the wrong type", "a.md", "---\ntitle: [1, 2]\n---\ntext", "a.md:2: front matter", 0},
		{"third language", "a.md", "---\ntitle: A\nlang: de\n---\nDer Text.", `a.md:1: lang "de"`, 0},
		{"NUL byte", "a.md", "line one\nline\x00two", "a.md:2: not text", 0},
		{"invalid UTF-8", "a.md", "caf\xe9", "a.md:1: not text", 0},
		{"bad url", "a.md", "---\ntitle: A\nurl: javascript:alert(1)\n---\nText.", `a.md:1: url "javascript:alert(1)"`, 1},
		{"csv without answer column", "f.csv", "question,reply\nA?,B\n", "f.csv:1: the header must name", 0},
		{"csv row missing the answer", "f.csv", "question,answer\nA?\nB?,Yes.\n", "f.csv:2: row has 1 columns", 1},
		{"csv empty question", "f.csv", "question,answer\n,Yes.\nB?,Yes.\n", "f.csv:2: empty question", 1},
		{"csv empty answer", "f.csv", "question,answer\nA?,\nB?,Yes.\n", "f.csv:2: empty page", 1},
		{"csv broken quote", "f.csv", "question,answer\nA?,Yes.\n\"B?,Yes.\n", "f.csv:3", 1},
		{"csv bare quote", "f.csv", "question,answer\nA?,Yes.\nB \"x\",Yes\n", "f.csv:3", 1},
		{"csv third language", "f.csv", "question,answer,lang\nA?,Yes.,fr\nB?,Yes.,en\n", `f.csv:2: lang "fr"`, 1},
		{"empty csv", "f.csv", "", "f.csv:1: empty FAQ", 0},
		{"duplicated title", "f.csv", "question,answer,lang\nA?,Yes.,en\nA?,No.,en\n", `f.csv:3: title "A?" is also the title of`, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := mustDir(t, map[string]string{tt.file: tt.text, "ok.md": "---\ntitle: Fine\nlang: en\n---\nA page that is fine."})
			docs, err := Load(dir)
			if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, tt.want)) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			if len(docs) != 1+tt.kept {
				t.Errorf("%d documents loaded, want %d (ok.md and %d of %s)", len(docs), 1+tt.kept, tt.kept, tt.file)
			}
		})
	}
}

func TestLoadSkipsHugeFiles(t *testing.T) {
	dir := mustDir(t, map[string]string{"big.md": strings.Repeat("word ", MaxFileBytes/5+1), "ok.md": "Fine."})
	docs, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), "big.md: larger than 1024 KiB") {
		t.Errorf("error %v, want big.md larger than 1024 KiB", err)
	}
	if len(docs) != 1 {
		t.Errorf("%d documents, want ok.md alone", len(docs))
	}
}

func TestLoadOfAFolderWithNoDocumentsSaysSo(t *testing.T) {
	_, err := Load(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "no documents") {
		t.Errorf("error %v, want no documents", err)
	}
	_, err = Load(filepath.Join(t.TempDir(), "missing"))
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("error %v, want the missing folder named", err)
	}
}

func TestPassagesSplitAtHeadingsWithTheirPath(t *testing.T) {
	d := Document{ID: "en/returns", Title: "Returns", Lang: "en", Line: 5, Body: "# Returns\n\nIntro text.\n\n## Refunds\n\nMoney back in 14 days.\n\n```\n# not a heading\n```\n\n### By card\n\nOn the card.\n\n## Exchanges\n\n##### Small print\nSwap it."}
	ps := split(&d)
	want := []struct {
		heading, path, text string
		line                int
	}{
		{"Returns", "", "Intro text.", 7},
		{"Refunds", "Refunds", "Money back in 14 days.\n\n```\n# not a heading\n```", 11},
		{"By card", "Refunds > By card", "On the card.", 19},
		{"Exchanges", "Exchanges", "##### Small print\nSwap it.", 23},
	}
	if len(ps) != len(want) {
		t.Fatalf("%d passages, want %d: %+v", len(ps), len(want), ps)
	}
	for i, w := range want {
		p := ps[i]
		if p.Heading != w.heading || strings.Join(p.Path, " > ") != w.path || p.Text != w.text || p.Line != w.line {
			t.Errorf("passage %d: got %q %q %q line %d, want %+v", i, p.Heading, strings.Join(p.Path, " > "), p.Text, p.Line, w)
		}
	}
}

func TestLoadKeepsOnlyTheContentOfAnHTMLPage(t *testing.T) {
	dir := mustDir(t, map[string]string{"en/warranty.html": `<html><head><title>Warranty terms</title><script>alert("x")</script></head>
<body><nav><a href="/">Home</a></nav><main><h1>Warranty terms</h1><p>Every product has a 24-month legal guarantee.</p></main><footer>© Shop</footer></body></html>`})
	docs, err := Load(dir)
	if err != nil || len(docs) != 1 {
		t.Fatalf("%d documents, error %v", len(docs), err)
	}
	d := docs[0]
	if d.ID != "en/warranty" || d.Title != "Warranty terms" || d.Lang != "en" || !strings.Contains(d.Body, "24-month legal guarantee") {
		t.Errorf("got %+v", d)
	}
	if strings.Contains(d.Body, "alert") || strings.Contains(d.Body, "Home") {
		t.Errorf("the script or the navigation reached the body: %q", d.Body)
	}
}
