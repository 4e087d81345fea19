package flows

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sportello/sportello/bot"
)

// title is the title of the page that best answers query, or "".
func title(b *Bot, query string) string {
	hits := b.Knowledge().Search(query, "en", 1)
	if len(hits) == 0 {
		return ""
	}
	return hits[0].Passage.Doc.Title
}

func TestAnEditOfALinkedPageIsReloaded(t *testing.T) {
	// Pages kept elsewhere and linked into the folder (a shared drive, a
	// deploy's release folder) are read through their link: an edit of
	// the page itself is one of the folder's.
	dir, shared := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "flows.yaml"), miniWithKnowledge(t, "knowledge: {dir: help}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "help"), 0o755); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(shared, "shipping.md")
	if err := os.WriteFile(page, []byte("---\ntitle: Shipping\nlang: en\n---\nWe ship in two working days with the courier.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(page, filepath.Join(dir, "help", "shipping.md")); err != nil {
		t.Fatal(err)
	}
	b, err := LoadPath(filepath.Join(dir, "flows.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(2 * time.Second)
	if err := os.WriteFile(page, []byte("---\ntitle: Gift vouchers\nlang: en\n---\nGift vouchers are sold in the shop and online, from 10 euros.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(page, later, later); err != nil {
		t.Fatal(err)
	}
	if reloaded, _, err := b.ReloadKnowledge(context.Background()); !reloaded || err != nil {
		t.Fatalf("the linked page rewritten: ReloadKnowledge = %v, %v, want it read again", reloaded, err)
	}
	if got := title(b, "gift vouchers"); got != "Gift vouchers" {
		t.Fatalf("after the reload %q finds %q, want the page as rewritten", "gift vouchers", got)
	}
}

// lockedFS is a file system where one folder cannot be listed.
type lockedFS struct {
	fstest.MapFS
	locked string
}

func (f lockedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == f.locked {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.ReadDir(name)
}

func (f lockedFS) Open(name string) (fs.File, error) {
	if name == f.locked {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.Open(name)
}

func TestAFolderOfPagesThatCannotBeReadDoesNotStopTheReloads(t *testing.T) {
	// At start-up a subfolder the bot may not read (drafts of another
	// user) is left out with a problem, and the other pages are answered;
	// so is it at every reload, and the others' edits are still read.
	fsys := lockedFS{MapFS: fstest.MapFS{
		"flows.yaml":       {Data: miniWithKnowledge(t, "knowledge: {dir: help}")},
		"help/shipping.md": {Data: []byte("---\ntitle: Shipping\nlang: en\n---\nWe ship in two working days with the courier.\n")},
		"help/drafts/a.md": {Data: []byte("---\ntitle: Draft\nlang: en\n---\nNot yet.\n")},
	}, locked: "help/drafts"}
	b, err := Load(fsys, "flows.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if b.KnowledgeProblems == nil || !strings.Contains(b.KnowledgeProblems.Error(), "drafts") {
		t.Fatalf("the locked folder is not reported at load: %v", b.KnowledgeProblems)
	}
	fsys.MapFS["help/vouchers.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Gift vouchers\nlang: en\n---\nGift vouchers are sold in the shop and online, from 10 euros.\n")}
	reloaded, problems, err := b.ReloadKnowledge(context.Background())
	if !reloaded || err != nil || problems == nil || errors.Is(err, fs.ErrPermission) {
		t.Fatalf("a page added beside the locked folder: ReloadKnowledge = %v, %v, %v, want it read and the folder reported", reloaded, problems, err)
	}
	if got := title(b, "gift vouchers"); got != "Gift vouchers" {
		t.Fatalf("after the reload %q finds %q, want the new page", "gift vouchers", got)
	}
}

func TestAPageRewrittenWithinTheSameSecondIsReloaded(t *testing.T) {
	// Some file systems keep a file's time to the second (ext3, HFS+) or
	// two (FAT): a page fixed again in the second it was written, with
	// the same size ("12 mesi" for "24 mesi"), keeps its size and time.
	now := time.Now().Truncate(time.Second)
	fsys := fstest.MapFS{
		"flows.yaml":       {Data: miniWithKnowledge(t, "knowledge: {dir: help}")},
		"help/warranty.md": {Data: []byte("---\ntitle: Warranty\nlang: en\n---\nThe warranty lasts 24 months.\n"), ModTime: now},
	}
	b, err := Load(fsys, "flows.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fsys["help/warranty.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Warranty\nlang: en\n---\nThe warranty lasts 36 months.\n"), ModTime: now}
	if reloaded, _, err := b.ReloadKnowledge(context.Background()); !reloaded || err != nil {
		t.Fatalf("the page rewritten in its second: ReloadKnowledge = %v, %v, want it read again", reloaded, err)
	}
	if hits := b.Knowledge().Search("how long is the warranty", "en", 1); len(hits) == 0 || !strings.Contains(hits[0].Passage.Text, "36 months") {
		t.Fatalf("after the reload the warranty page says %v, want 36 months", hits)
	}
}

func TestAPageWithHTMLIsAnsweredWithItsText(t *testing.T) {
	// Pages pasted from a CMS and FAQs exported from a helpdesk hold
	// HTML: the customer reads the text, never an empty answer, never a
	// tag, never the words a <br> parts glued together.
	fsys := fstest.MapFS{
		"flows.yaml":      {Data: miniWithKnowledge(t, "knowledge: {dir: help}")},
		"help/returns.md": {Data: []byte("---\ntitle: Returns\nlang: en\n---\n<p>Returns are free within thirty days of delivery.</p>\n")},
		"help/hours.md":   {Data: []byte("---\ntitle: Opening hours\nlang: en\n---\nThe shop is open Monday to Friday 9-18<br>Saturday 9-13, closed on Sunday.\n")},
		"help/faq.csv": {Data: []byte("question,answer,lang\n" +
			"Do you ship abroad?,\"<div><p>We ship to every country of the <strong>European Union</strong>.</p><script>track()</script></div>\",en\n" +
			"Spedite all'estero?,\"<p>Spediamo in tutti i paesi dell'<strong>Unione Europea</strong>.</p>\",it\n")},
	}
	b, err := Load(fsys, "flows.yaml")
	if err != nil || b.KnowledgeProblems != nil {
		t.Fatal(err, b.KnowledgeProblems)
	}
	b.SetClassifier(fake, 0.5)
	for _, tc := range []struct{ lang, q, want string }{
		{"en", "Are returns free?", "Returns are free within thirty days of delivery.\n\nSource: Returns"},
		{"en", "When is the shop open on saturday?", "Monday to Friday 9-18\nSaturday 9-13, closed on Sunday."},
		{"en", "Do you ship abroad?", "We ship to every country of the European Union.\n\nSource:"},
		{"it", "Spedite all'estero?", "Spediamo in tutti i paesi dell'Unione Europea.\n\nFonte:"},
	} {
		d := newDriver(t, b, june2025)
		d.hint = tc.lang
		got := d.say(tc.q)
		if !strings.Contains(got, tc.want) || strings.ContainsAny(got, "<>") || strings.Contains(got, "track") {
			t.Errorf("%q is answered %q, want %q", tc.q, got, tc.want)
		}
		if e, ok := d.lookup(); !ok || e.Value != bot.DocumentsAnswered {
			t.Errorf("%q: lookup %+v", tc.q, e)
		}
	}
}

func TestAHiddenFileWrittenDoesNotIndexTheFolderAgain(t *testing.T) {
	// An editor's swap file written every few seconds, or the .git of a
	// help centre kept in git, is no page: indexing a large folder again
	// for it costs seconds each time the folder is looked at.
	fsys := fstest.MapFS{
		"flows.yaml":       {Data: miniWithKnowledge(t, "knowledge: {dir: help}")},
		"help/warranty.md": {Data: []byte("---\ntitle: Warranty\nlang: en\n---\nThe warranty lasts 24 months.\n")},
	}
	b, err := Load(fsys, "flows.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fsys["help/.warranty.md.swp"] = &fstest.MapFile{Data: []byte("swap")}
	fsys["help/.git/index"] = &fstest.MapFile{Data: []byte("index")}
	if reloaded, _, err := b.ReloadKnowledge(context.Background()); reloaded || err != nil {
		t.Fatalf("hidden files written: ReloadKnowledge = %v, %v, want nothing read again", reloaded, err)
	}
}

func TestAPlainFAQRowIsAnsweredAsTyped(t *testing.T) {
	// A shop types an FAQ row as plain text and never sees it rendered:
	// its stars, underscores and a leading # are the customer's to read,
	// not Markdown ("60*40*30 cm" read as emphasis was "604030 cm").
	fsys := fstest.MapFS{
		"flows.yaml": {Data: miniWithKnowledge(t, "knowledge: {dir: help}")},
		"help/faq.csv": {Data: []byte("question,answer,lang\n" +
			"How big can a parcel be?,\"Up to 60*40*30 cm and 20 kg; the code is SHIP_EU.\n#1 tip: weigh it first.\",en\n")},
	}
	b, err := Load(fsys, "flows.yaml")
	if err != nil || b.KnowledgeProblems != nil {
		t.Fatal(err, b.KnowledgeProblems)
	}
	b.SetClassifier(fake, 0.5)
	d := newDriver(t, b, june2025)
	d.hint = "en"
	got := d.say("How big can a parcel be?")
	for _, want := range []string{"60*40*30 cm", "SHIP_EU", "#1 tip"} {
		if !strings.Contains(got, want) {
			t.Errorf("the answer %q does not hold %q as typed", got, want)
		}
	}
	if strings.Contains(got, `\`) {
		t.Errorf("the answer %q shows an escape", got)
	}
}
