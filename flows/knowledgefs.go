package flows

// This file reads the shop's Markdown pages from an fs.FS (the embedded
// demo shop, a test's fstest.MapFS), because knowledge.Load reads only a
// folder of the operating system. It belongs in flows/knowledge, as a
// LoadFS(fsys, dir) that Load calls with os.DirFS, with the HTML pages
// and the CSV/TSV FAQs; until then it reads Markdown only.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/sportello/sportello/flows/knowledge"
)

// Bounds of what readDocuments reads: a page far past what a help centre
// writes is refused with its name, and so is a folder of too many files.
const (
	maxPageSize  = 1 << 20
	maxPageFiles = 5000
)

// readDocuments reads the Markdown pages (*.md) under dir in fsys. Each
// page may open with a YAML front matter (title, lang, url) between two
// --- lines. A page it cannot use is skipped and its mistake reported,
// as file:line, in the error (errors.Join of them); the rest is read.
func readDocuments(fsys fs.FS, dir string, display func(string) string) ([]knowledge.Document, error) {
	var docs []knowledge.Document
	var errs []error
	titles := map[string]string{} // lang+title -> the file that used it first
	n := 0
	err := fs.WalkDir(fsys, dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", display(p), err))
			return nil
		}
		if de.IsDir() || !strings.HasSuffix(p, ".md") {
			return nil
		}
		if n++; n > maxPageFiles {
			errs = append(errs, fmt.Errorf("%s: more than %d pages in the knowledge folder: the rest is not read", display(dir), maxPageFiles))
			return fs.SkipAll
		}
		d, err := readPage(fsys, p, display(p))
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		d.ID = strings.TrimSuffix(strings.TrimPrefix(p, dir+"/"), ".md")
		key := d.Lang + "\x00" + strings.ToLower(d.Title)
		if first, ok := titles[key]; ok {
			errs = append(errs, fmt.Errorf("%s:1: the title %q is the title of %s too: a customer could not tell the pages apart", d.Source, d.Title, first))
			return nil
		}
		titles[key] = d.Source
		docs = append(docs, d)
		return nil
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", display(dir), err))
	}
	slices.SortFunc(docs, func(a, b knowledge.Document) int { return strings.Compare(a.ID, b.ID) })
	return docs, errors.Join(errs...)
}

// frontMatter is what a page says of itself.
type frontMatter struct {
	Title string `yaml:"title"`
	Lang  string `yaml:"lang"`
	URL   string `yaml:"url"`
}

// readPage reads one Markdown page; name is its file for messages.
func readPage(fsys fs.FS, p, name string) (knowledge.Document, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return knowledge.Document{}, fmt.Errorf("%s: %w", name, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPageSize+1))
	if err != nil {
		return knowledge.Document{}, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxPageSize {
		return knowledge.Document{}, fmt.Errorf("%s: the page holds more than %s; a page may hold at most %s", name, mib(maxPageSize), mib(maxPageSize))
	}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return knowledge.Document{}, fmt.Errorf("%s:1: the page is not text (UTF-8)", name)
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	text = strings.TrimPrefix(text, "\ufeff")
	d := knowledge.Document{Source: name}
	if strings.TrimSpace(text) == "" {
		return d, fmt.Errorf("%s:1: the page is empty", name)
	}
	var fm frontMatter
	if rest, ok := strings.CutPrefix(text, "---\n"); ok {
		head, body, found := strings.Cut(rest, "\n---\n")
		if !found {
			head, found = strings.CutSuffix(rest, "\n---")
		}
		if !found {
			return d, fmt.Errorf("%s:1: the front matter opened by --- is never closed by a --- line", name)
		}
		var node yaml.Node
		if err := unmarshal([]byte(head), &node); err != nil {
			pos, msg := yamlError(name, err)
			pos.Line++ // the opening ---
			return d, fmt.Errorf("%s:%d: front matter: %s", name, pos.Line, msg)
		}
		if err := node.Decode(&fm); err != nil {
			return d, fmt.Errorf("%s:2: front matter: title, lang and url should be texts: %v", name, err)
		}
		text = body
	}
	d.Title, d.Lang, d.URL, d.Body = strings.TrimSpace(fm.Title), fm.Lang, strings.TrimSpace(fm.URL), text
	if d.Lang != "" && !isLanguage(d.Lang) {
		return d, fmt.Errorf("%s:1: lang %q should be a two-letter code like it or en", name, clip(d.Lang))
	}
	if d.URL != "" && !strings.HasPrefix(d.URL, "https://") && !strings.HasPrefix(d.URL, "http://") {
		return d, fmt.Errorf("%s:1: url %q should be a web address (https://...)", name, clip(d.URL))
	}
	if d.Title == "" {
		// The page's first heading names it when the front matter does not.
		for _, line := range strings.Split(text, "\n") {
			if h, ok := strings.CutPrefix(line, "# "); ok {
				d.Title = strings.TrimSpace(h)
				break
			}
		}
	}
	if d.Title == "" {
		return d, fmt.Errorf("%s:1: the page has no title: give it one in the front matter (title: ...) or a first heading (# ...)", name)
	}
	if strings.TrimSpace(d.Body) == "" {
		return d, fmt.Errorf("%s:1: the page is empty", name)
	}
	return d, nil
}
