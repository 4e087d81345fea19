package flows

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sportello/sportello/examples"
	"github.com/sportello/sportello/flows/knowledge"
)

// miniWithKnowledge is the mini shop's file with a knowledge: key.
func miniWithKnowledge(t testing.TB, key string) []byte {
	t.Helper()
	mini, err := os.ReadFile("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return append(mini, "\n"+key+"\n"...)
}

func TestKnowledgeKeyMistakesAreReportedWithTheirLine(t *testing.T) {
	page := &fstest.MapFile{Data: []byte("---\ntitle: A\n---\ntext\n")}
	for _, tc := range []struct {
		name, key, want string
	}{
		{"no dir", "knowledge: {threshold: 0.2}", "knowledge has no dir"},
		{"dir not a text", "knowledge: {dir: [a, b]}", "the dir of knowledge should be"},
		{"absolute dir", "knowledge: {dir: /etc}", "beside or below the flow file"},
		{"dir outside", "knowledge: {dir: ../elsewhere}", "beside or below the flow file"},
		{"missing folder", "knowledge: {dir: nothere}", "the knowledge folder nothere does not exist"},
		{"a file", "knowledge: {dir: help/a.md}", "is a file, not a folder"},
		{"one synonym", "knowledge: {dir: help, synonyms: [[reso]]}", "at least two words"},
		{"synonyms not lists", "knowledge: {dir: help, synonyms: {a: b}}", "should be a list"},
		{"negative threshold", "knowledge: {dir: help, threshold: -1}", "0 (the calibrated default) or more"},
		{"unknown key", "knowledge: {dir: help, folder: x}", `unknown key "folder" in knowledge`},
		{"not a mapping", "knowledge: help", "knowledge should be a mapping"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := miniWithKnowledge(t, tc.key)
			line := strings.Count(string(data), "\n")
			fsys := fstest.MapFS{"flows.yaml": {Data: data}, "help/a.md": page}
			_, err := Load(fsys, "flows.yaml")
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("err %v, want an ErrorList", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %q, want %q", err, tc.want)
			}
			if list[0].Pos.File != "flows.yaml" || list[0].Pos.Line != line {
				t.Errorf("at %s, want flows.yaml:%d", list[0].Pos, line)
			}
		})
	}
}

func TestKnowledgePagesMistakesNameTheFileAndLine(t *testing.T) {
	good := "---\ntitle: Good\nlang: en\nurl: https://x.example/good\n---\n# Good\ntext\n"
	for _, tc := range []struct {
		name, page, want string
	}{
		{"unclosed front matter", "---\ntitle: A\ntext\n", "bad.md:1: front matter opened with --- is never closed"},
		{"broken YAML", "---\ntitle: [a\n---\ntext\n", "bad.md:2: front matter"},
		{"title a list", "---\ntitle: [a, b]\n---\ntext\n", "bad.md:2: front matter"},
		{"empty", "", "bad.md:1: empty page"},
		{"only front matter", "---\ntitle: A\n---\n\n", "bad.md:1: empty page"},
		{"binary", "\x00\x01\x02PNG", "bad.md:1: not text"},
		{"not UTF-8", "caf\xe9", "bad.md:1: not text"},
		{"a third language", "---\ntitle: A\nlang: Deutsch\n---\ntext\n", `bad.md:1: lang "deutsch"`},
		{"an url that is no address", "---\ntitle: A\nurl: javascript:alert(1)\n---\ntext\n", "bad.md:1: url"},
		{"a duplicated title", "---\ntitle: good\nlang: en\n---\ntext\n", `good.md:1: title "Good" is also the title of help/bad.md`},
		{"huge", "# A\n" + strings.Repeat("x", knowledge.MaxFileBytes), "bad.md: larger than 1024 KiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"flows.yaml":   {Data: miniWithKnowledge(t, "knowledge: {dir: help}")},
				"help/good.md": {Data: []byte(good)},
				"help/bad.md":  {Data: []byte(tc.page)},
			}
			b, err := Load(fsys, "flows.yaml")
			if err != nil {
				t.Fatalf("a page's mistake stopped the bot: %v", err)
			}
			if b.KnowledgeProblems == nil || !strings.Contains(b.KnowledgeProblems.Error(), "help/"+tc.want) {
				t.Fatalf("problems %v, want %q", b.KnowledgeProblems, tc.want)
			}
			// The other page is still there.
			if b.Knowledge().Len() == 0 {
				t.Error("the good page was lost")
			}
		})
	}
}

func TestKnowledgePagesAreRead(t *testing.T) {
	fsys := fstest.MapFS{
		"flows.yaml":          {Data: miniWithKnowledge(t, "knowledge: {dir: help}")},
		"help/it/paga.md":     {Data: []byte("\ufeff---\r\ntitle: \"Pagamenti\"\r\nlang: it\r\nurl: https://x.example/it/paga\r\n---\r\nSi paga con PayPal.\r\n")},
		"help/en/pay.md":      {Data: []byte("# Payments\n\nPay with PayPal.\n")},
		"help/notes.txt":      {Data: []byte("not a page")},
		"help/en/only-fm.md":  {Data: []byte("---\ntitle: Closing at the end\n---")},
		"help/en/no-close.md": {Data: []byte("---\ntitle: T\n")},
	}
	b, err := Load(fsys, "flows.yaml")
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := knowledge.LoadFS(fsys, "help", nil)
	if len(docs) != 2 {
		t.Fatalf("docs %+v", docs)
	}
	en, it := docs[0], docs[1]
	if it.ID != "it/paga" || it.Title != "Pagamenti" || it.Lang != "it" || it.URL != "https://x.example/it/paga" ||
		strings.TrimSpace(it.Body) != "Si paga con PayPal." || it.Source != "help/it/paga.md" {
		t.Errorf("it %+v", it)
	}
	if en.ID != "en/pay" || en.Title != "Payments" || en.Lang != "en" || en.URL != "" { // the language told from the text
		t.Errorf("en %+v", en)
	}
	if b.KnowledgeProblems == nil || !strings.Contains(b.KnowledgeProblems.Error(), "only-fm.md:1: empty page") {
		t.Errorf("problems %v", b.KnowledgeProblems)
	}
}

func TestKnowledgeOfTheDemoShopLoads(t *testing.T) {
	b := mustShop(t)
	if b.KnowledgeProblems != nil {
		t.Fatalf("the demo's pages: %v", b.KnowledgeProblems)
	}
	if b.Knowledge() == nil || b.Knowledge().Len() < 12 {
		t.Fatalf("the demo's index holds %v", b.Knowledge())
	}
	// The same pages from the source tree, as `sportello validate examples/shop` reads them.
	b2, err := LoadPath("../examples/shop")
	if err != nil || b2.KnowledgeProblems != nil || b2.Knowledge().Len() != b.Knowledge().Len() {
		t.Fatalf("LoadPath: %v %v", err, b2.KnowledgeProblems)
	}
}

// BenchmarkKnowledgeOfTheDemo reads and indexes the demo's help centre,
// as flows.Load does at start-up.
func BenchmarkKnowledgeOfTheDemo(b *testing.B) {
	for b.Loop() {
		docs, err := knowledge.LoadFS(examples.Shop, "shop/knowledge", nil)
		if err != nil || len(docs) == 0 {
			b.Fatal(err)
		}
		knowledge.NewIndex(docs, knowledge.Options{})
	}
}

func TestAPageWrittenWhileServingIsAnsweredAfterReloadKnowledge(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("flows.yaml", string(miniWithKnowledge(t, "knowledge: {dir: help}")))
	write("help/shipping.md", "---\ntitle: Shipping\nlang: en\n---\nWe ship in two working days with the courier.\n")
	b, err := LoadPath(filepath.Join(dir, "flows.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	found := func(query string) string {
		hits := b.Knowledge().Search(query, "en", 1)
		if len(hits) == 0 {
			return ""
		}
		return hits[0].Passage.Doc.Title
	}
	if got := found("gift vouchers"); got != "" {
		t.Fatalf("before the page exists, %q is found in %q", "gift vouchers", got)
	}
	if reloaded, _, err := b.ReloadKnowledge(context.Background()); reloaded || err != nil {
		t.Fatalf("nothing changed, yet ReloadKnowledge = %v, %v", reloaded, err)
	}

	write("help/vouchers.md", "---\ntitle: Gift vouchers\nlang: en\n---\nGift vouchers are sold in the shop and online, from 10 euros.\n")
	old := b.Knowledge()
	// A reload stopped (the server shuts down) keeps the index, and the
	// next one reads the change.
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	if reloaded, _, err := b.ReloadKnowledge(stopped); reloaded || !errors.Is(err, context.Canceled) || b.Knowledge() != old {
		t.Fatalf("a reload whose context ended: ReloadKnowledge = %v, %v, want context.Canceled and the index kept", reloaded, err)
	}
	reloaded, problems, err := b.ReloadKnowledge(context.Background())
	if !reloaded || problems != nil || err != nil {
		t.Fatalf("a new page: ReloadKnowledge = %v, %v, %v, want it read", reloaded, problems, err)
	}
	if got := found("gift vouchers"); got != "Gift vouchers" {
		t.Fatalf("after the reload %q finds %q, want the new page", "gift vouchers", got)
	}
	if old.Len() == b.Knowledge().Len() {
		t.Errorf("the index still has %d passages", old.Len())
	}

	// A broken page is left out, as at start-up; the others stay.
	write("help/broken.md", "---\ntitle: [a\n---\ntext\n")
	reloaded, problems, err = b.ReloadKnowledge(context.Background())
	if !reloaded || err != nil || problems == nil || !strings.Contains(problems.Error(), "broken.md:2") {
		t.Fatalf("a broken page: ReloadKnowledge = %v, %v, %v, want it reported with its line", reloaded, problems, err)
	}
	if got := found("gift vouchers"); got != "Gift vouchers" {
		t.Fatalf("with a broken page beside it, %q finds %q", "gift vouchers", got)
	}

	// A folder gone (a deploy half done) keeps what was loaded.
	if err := os.RemoveAll(filepath.Join(dir, "help")); err != nil {
		t.Fatal(err)
	}
	if reloaded, _, err := b.ReloadKnowledge(context.Background()); reloaded || err == nil {
		t.Fatalf("the folder removed: ReloadKnowledge = %v, %v, want an error", reloaded, err)
	}
	if got := found("gift vouchers"); got != "Gift vouchers" {
		t.Fatalf("the folder removed, %q finds %q, want the index kept", "gift vouchers", got)
	}
}
