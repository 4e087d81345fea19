package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/sportello/sportello/adapters/sitefetch"
	"github.com/sportello/sportello/flows/knowledge"
	"github.com/sportello/sportello/flows/nlu"
)

// runKnowledgeFetch saves a help centre as Markdown: each page of the
// site (from its sitemap, or from a start page and its links) becomes a
// file of DIR with front matter (title, lang, url), named after its URL.
// It fails only when no page could be saved.
func runKnowledgeFetch(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("knowledge fetch", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	sitemap := fs.String("sitemap", "", "`URL` of the site's sitemap.xml (or sitemap index): its pages are saved")
	start := fs.String("start", "", "`URL` of a first page: it and the pages it links to on its site are saved")
	out := fs.String("out", "", "`folder` to save the pages in, as Markdown")
	delay := fs.Duration("delay", sitefetch.DefaultDelay, "pause between two requests (a longer Crawl-delay of robots.txt wins)")
	maxPages := fs.Int("max-pages", sitefetch.DefaultMaxPages, "most pages to save")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	case (*sitemap == "") == (*start == ""):
		return fmt.Errorf("%w: give --sitemap URL or --start URL (one of the two)", errUsage)
	case *out == "":
		return fmt.Errorf("%w: --out is required", errUsage)
	case *delay <= 0:
		return fmt.Errorf("%w: --delay %v must be positive", errUsage, *delay)
	case *maxPages <= 0:
		return fmt.Errorf("%w: --max-pages %d must be positive", errUsage, *maxPages)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(*out)
	if err != nil {
		return err
	}
	defer root.Close()

	w := &pageWriter{root: root, written: map[string]string{}}
	otherLangs := map[string]int{}
	cfg := sitefetch.Config{
		Sitemap: *sitemap, Start: *start, Delay: *delay, MaxPages: *maxPages,
		Links: func(page []byte, base *url.URL) (string, []string) {
			p, err := knowledge.ReadHTML(bytes.NewReader(page), base.String())
			if err != nil {
				return "", nil
			}
			return p.Lang, p.Links
		},
	}
	res, crawlErr := sitefetch.Crawl(ctx, cfg, func(p sitefetch.Page) error {
		title, md, err := knowledge.HTMLToMarkdown(bytes.NewReader(p.HTML), p.FinalURL)
		if err != nil {
			return err
		}
		if strings.TrimSpace(md) == "" {
			return errors.New("no content: the page holds no text outside its navigation")
		}
		lang := pageLang(p.Lang, title+"\n"+md)
		if lang != "" && lang != "it" && lang != "en" {
			otherLangs[lang]++
		}
		name, err := w.save(p.FinalURL, title, lang, md)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "saved %s\t%s\n", name, p.FinalURL)
		return nil
	})

	fmt.Fprintf(e.stdout, "\n%d pages saved in %s", res.Kept, *out)
	if res.Delay > 0 {
		fmt.Fprintf(e.stdout, " (%v between requests)", res.Delay)
	}
	fmt.Fprintln(e.stdout)
	if len(res.Failures) > 0 {
		fmt.Fprintf(e.stdout, "%d skipped:\n", len(res.Failures))
		for _, f := range res.Failures {
			fmt.Fprintf(e.stdout, "  %s: %v\n", f.URL, f.Err)
		}
	}
	if res.Unvisited > 0 {
		fmt.Fprintf(e.stdout, "%d URLs not fetched: the limit of %d pages (--max-pages) was reached\n", res.Unvisited, *maxPages)
	}
	if res.Elsewhere > 0 {
		fmt.Fprintf(e.stdout, "%d links to other sites not followed\n", res.Elsewhere)
	}
	for _, lang := range slices.Sorted(maps.Keys(otherLangs)) {
		n := otherLangs[lang]
		fmt.Fprintf(e.stdout, "%d pages in language %q: the bot answers in Italian and English\n", n, lang)
	}
	switch {
	case crawlErr != nil && res.Kept == 0:
		return crawlErr
	case crawlErr != nil:
		fmt.Fprintf(e.stdout, "stopped: %v\n", crawlErr)
	case res.Kept == 0:
		fmt.Fprintln(e.stderr, "sportello knowledge fetch: no page could be saved")
		return errFailed
	}
	return nil
}

// pageLang is a page's language: its lang attribute's language ("it"
// of "it-IT"), or else the one its text is written in, or "".
func pageLang(attr, text string) string {
	l, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(attr)), "-")
	l, _, _ = strings.Cut(l, "_")
	if l != "" && len(l) <= 8 && strings.IndexFunc(l, func(r rune) bool { return r < 'a' || r > 'z' }) < 0 {
		return l
	}
	l, _ = nlu.DetectLanguage(text)
	return l
}

// frontMatter is what a saved page says of itself.
type frontMatter struct {
	Title string `yaml:"title"`
	Lang  string `yaml:"lang,omitempty"`
	URL   string `yaml:"url"`
}

// A pageWriter saves pages in a folder, and nowhere else: os.Root keeps
// every name, and every symbolic link in the folder, inside it.
type pageWriter struct {
	root *os.Root
	// written are the files saved by this run, with their URLs.
	written map[string]string
}

// maxNameTries bounds the names tried for one page ("faq.md",
// "faq-2.md"...).
const maxNameTries = 100

// save writes a page as Markdown under a name made of its URL's path,
// and returns the name. A file of that name is overwritten only when it
// holds the same URL; otherwise the page gets a name of its own.
func (w *pageWriter) save(pageURL, title, lang, md string) (string, error) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return "", err
	}
	if title == "" {
		title = u.Host + u.Path
	}
	var doc bytes.Buffer
	doc.WriteString("---\n")
	enc := yaml.NewEncoder(&doc)
	if err := enc.Encode(frontMatter{Title: title, Lang: lang, URL: pageURL}); err != nil {
		return "", err
	}
	enc.Close()
	doc.WriteString("---\n\n")
	doc.WriteString(md)

	stem := pageName(u)
	for i := 1; i <= maxNameTries; i++ {
		name := stem + ".md"
		if i > 1 {
			name = fmt.Sprintf("%s-%d.md", stem, i)
		}
		if !w.free(name, pageURL) {
			continue
		}
		if err := w.write(name, doc.Bytes()); err != nil {
			return "", err
		}
		w.written[name] = pageURL
		return name, nil
	}
	return "", fmt.Errorf("no free name for %s after %d tries", stem, maxNameTries)
}

// free reports whether name may hold the page of pageURL: no file is
// there, or one saved from the same URL (by an earlier run).
func (w *pageWriter) free(name, pageURL string) bool {
	if u, ok := w.written[name]; ok {
		return u == pageURL
	}
	f, err := w.root.Open(filepath.FromSlash(name))
	if errors.Is(err, fs.ErrNotExist) {
		return true
	}
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return false
	}
	return savedURL(f) == pageURL
}

// savedURL is the url of a Markdown file's front matter, or "".
func savedURL(r io.Reader) string {
	data, _ := io.ReadAll(io.LimitReader(r, 64<<10))
	s, ok := strings.CutPrefix(string(data), "---\n")
	if !ok {
		return ""
	}
	head, _, ok := strings.Cut(s, "\n---\n")
	if !ok {
		return ""
	}
	var fm frontMatter
	if yaml.Unmarshal([]byte(head), &fm) != nil {
		return ""
	}
	return fm.URL
}

// write writes a file whole or not at all: a temporary file renamed.
func (w *pageWriter) write(name string, data []byte) error {
	p := filepath.FromSlash(name)
	if dir := filepath.Dir(p); dir != "." {
		if err := w.root.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("save %s: %w", name, err)
		}
	}
	tmp := fmt.Sprintf("%s.%d.tmp", p, time.Now().UnixNano())
	if err := w.root.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	if err := w.root.Rename(tmp, p); err != nil {
		_ = w.root.Remove(tmp)
		return fmt.Errorf("save %s: %w", name, err)
	}
	return nil
}

// Bounds of a saved page's name.
const (
	maxNameDepth   = 6  // folders
	maxSegmentSize = 80 // bytes of one folder's or file's name
)

// pageName is the name, slash-separated and without extension, that a
// page's URL path gives its file: "/help/Resi.html" is "help/resi", "/"
// and "/help/" are "index" and "help/index". Each part keeps letters,
// digits, "-", "_" and inner dots; no part is "." or "..", none starts
// with a dot, and the name is never absolute.
func pageName(u *url.URL) string {
	var parts []string
	raw := strings.Split(u.EscapedPath(), "/")
	for i, seg := range raw {
		if s, err := url.PathUnescape(seg); err == nil {
			seg = s
		}
		if i == len(raw)-1 {
			ext := strings.ToLower(path.Ext(seg))
			switch ext {
			case ".html", ".htm", ".php", ".asp", ".aspx", ".jsp", ".shtml", ".md":
				seg = seg[:len(seg)-len(ext)]
			}
		}
		if seg = safeSegment(seg); seg != "" {
			parts = append(parts, seg)
		}
	}
	if len(parts) == 0 || strings.HasSuffix(u.Path, "/") {
		parts = append(parts, "index")
	}
	if len(parts) > maxNameDepth+1 {
		// The deepest folders join into the file's name.
		parts = append(parts[:maxNameDepth], safeSegment(strings.Join(parts[maxNameDepth:], "-")))
	}
	return strings.Join(parts, "/")
}

// safeSegment is one part of a file name: lower case, letters, digits,
// "-", "_" and dots inside; anything else becomes "-".
func safeSegment(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.':
			if b.Len()+len(string(r)) > maxSegmentSize {
				return strings.Trim(b.String(), ".-")
			}
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), ".-")
}
