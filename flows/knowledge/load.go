package knowledge

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/sportello/sportello/flows/nlu"
)

// Bounds on what Load reads: a help centre is pages of text, not a data
// dump, and one huge file must not cost the whole process its memory.
const (
	// MaxFileBytes is the largest file Load reads; a larger one is skipped.
	MaxFileBytes = 1 << 20
	// MaxFiles is the most files Load reads from one folder.
	MaxFiles = 20_000
	// maxErrors is the most mistakes Load reports; past it, it stops
	// reporting and says how many more there were.
	maxErrors = 100
)

// Languages are the languages a page may be written in.
var Languages = []string{"it", "en"}

// loader gathers the documents and the mistakes of one Load.
type loader struct {
	docs   []Document
	errs   []error
	extra  int // mistakes past maxErrors
	titles map[[2]string]string
	fsys   fs.FS
}

func (l *loader) errorf(file string, line int, format string, args ...any) {
	if len(l.errs) >= maxErrors {
		l.extra++
		return
	}
	if line > 0 {
		file = fmt.Sprintf("%s:%d", file, line)
	}
	l.errs = append(l.errs, fmt.Errorf("%s: %s", file, fmt.Sprintf(format, args...)))
}

func (l *loader) err() error {
	if l.extra > 0 {
		l.errs = append(l.errs, fmt.Errorf("knowledge: %d more mistakes not shown", l.extra))
	}
	return errors.Join(l.errs...)
}

// load reads the folder dir; see Load.
func load(dir string) ([]Document, error) {
	return loadFS(os.DirFS(dir), ".", func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) })
}

// loadFS reads the folder root of fsys; name gives a file's name in
// messages and in Document.Source. See LoadFS.
func loadFS(fsys fs.FS, root string, name func(string) string) ([]Document, error) {
	l := &loader{titles: map[[2]string]string{}, fsys: fsys}
	var files []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			l.errorf(name(p), 0, "cannot read: %v", unwrapPath(err))
			if d != nil && d.IsDir() && p != root {
				return fs.SkipDir
			}
			return nil
		}
		base := d.Name()
		if p != root && strings.HasPrefix(base, ".") {
			if d.IsDir() {
				return fs.SkipDir // .git and the like
			}
			return nil
		}
		if d.IsDir() || kindOf(base) == "" {
			return nil
		}
		if len(files) == MaxFiles {
			l.errorf(name(p), 0, "more than %d files in %s: the rest is not read", MaxFiles, name(root))
			return fs.SkipAll
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("knowledge: read %s: %w", name(root), err)
	}
	for _, p := range files {
		rel := p
		if root != "." {
			rel = strings.TrimPrefix(p, root+"/")
		}
		l.file(p, name(p), rel)
	}
	return l.docs, l.err()
}

// unwrapPath drops the path an fs.PathError repeats.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// kindOf says how a file is read, from its name: "md", "html", "csv",
// "tsv", or "" for a file that is not a document (an image, a note).
func kindOf(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".md", ".markdown":
		return "md"
	case ".html", ".htm":
		return "html"
	case ".csv":
		return "csv"
	case ".tsv":
		return "tsv"
	}
	return ""
}

// file reads one file: p in the loader's fsys, shown as path; rel is its
// slash-separated path under the folder.
func (l *loader) file(p, path, rel string) {
	data, err := readBounded(l.fsys, p)
	if err != nil {
		l.errorf(path, 0, "%v", err)
		return
	}
	l.parse(path, strings.TrimSuffix(rel, filepath.Ext(rel)), data)
}

// parse reads the document(s) of one file's contents.
func (l *loader) parse(path, id string, data []byte) {
	if line, ok := binary(data); !ok {
		l.errorf(path, line, "not text (a NUL byte or invalid UTF-8): skipped")
		return
	}
	switch kindOf(path) {
	case "md":
		d, ok := l.markdown(path, id, data)
		if ok {
			l.add(d, 1)
		}
	case "html":
		l.html(path, id, data)
	case "csv":
		l.faq(path, id, data, ',')
	case "tsv":
		l.faq(path, id, data, '\t')
	}
}

// readBounded reads a file of at most MaxFileBytes.
func readBounded(fsys fs.FS, path string) ([]byte, error) {
	f, err := fsys.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read: %v", unwrapPath(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read: %v", unwrapPath(err))
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("larger than %d KiB: skipped", MaxFileBytes>>10)
	}
	return data, nil
}

// binary reports whether data is text (valid UTF-8 without NUL bytes) and,
// if it is not, the line of the first bad byte.
func binary(data []byte) (line int, ok bool) {
	bad := bytes.IndexByte(data, 0)
	if utf8.Valid(data) && bad < 0 {
		return 0, true
	}
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == 0 || (r == utf8.RuneError && n <= 1) {
			bad = i
			break
		}
		i += n
	}
	return 1 + bytes.Count(data[:max(bad, 0)], []byte("\n")), false
}

// add keeps d, reporting a title another document of its language
// already has (at line, the line of the title). Both are kept: the shop
// loses nothing, but a customer could not tell the citations apart.
func (l *loader) add(d Document, line int) {
	key := [2]string{d.Lang, nlu.Normalize(d.Title)}
	if first, dup := l.titles[key]; dup {
		l.errorf(d.Source, line, "title %q is also the title of %s", d.Title, first)
	} else {
		l.titles[key] = d.Source
	}
	l.docs = append(l.docs, d)
}

// frontMatter is what a page may say about itself.
type frontMatter struct {
	Title string `yaml:"title"`
	Lang  string `yaml:"lang"`
	URL   string `yaml:"url"`
}

// markdown reads a Markdown page: optional YAML front matter between two
// "---" lines, then the body.
func (l *loader) markdown(path, id string, data []byte) (Document, bool) {
	text := strings.TrimPrefix(string(data), "\uFEFF")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	d := Document{ID: id, Source: path}
	bodyLine := 1
	if rest, ok := strings.CutPrefix(text, "---\n"); ok {
		end := strings.Index(rest, "\n---\n")
		if end < 0 && strings.HasSuffix(rest, "\n---") {
			end = len(rest) - 4
		}
		if end < 0 {
			l.errorf(path, 1, "front matter opened with --- is never closed: skipped")
			return d, false
		}
		var fm frontMatter
		if end > 0 {
			if err := yaml.Unmarshal([]byte(rest[:end]), &fm); err != nil {
				line, msg := yamlLine(err)
				l.errorf(path, 1+line, "front matter: %s: skipped", msg)
				return d, false
			}
		}
		d.Title, d.Lang, d.URL = strings.TrimSpace(fm.Title), strings.TrimSpace(fm.Lang), strings.TrimSpace(fm.URL)
		bodyLine = 3 + strings.Count(rest[:end], "\n")
		if end > 0 {
			bodyLine++
		}
		text = rest[min(end+5, len(rest)):]
	}
	d.Body = strings.TrimSpace(text)
	d.Line = bodyLine + leadingLines(text)
	if d.Title == "" {
		d.Title = firstHeading(d.Body)
	}
	if d.Title == "" {
		d.Title = titleFromID(id)
	}
	return l.finish(d, 1)
}

// finish checks what every document needs (a body, a language it or en, a
// usable URL), reporting at line; it says whether d is kept.
func (l *loader) finish(d Document, line int) (Document, bool) {
	if strings.TrimSpace(nlu.Normalize(d.Body)) == "" || len(nlu.AppendWords(nil, nlu.Normalize(d.Body))) == 0 {
		l.errorf(d.Source, line, "empty page: skipped")
		return d, false
	}
	d.Lang = strings.ToLower(d.Lang)
	switch {
	case d.Lang == "":
		d.Lang, _ = nlu.DetectLanguage(d.Title + "\n" + d.Body)
	case !slices.Contains(Languages, d.Lang):
		l.errorf(d.Source, line, "lang %q: the bot reads only it and en: skipped", d.Lang)
		return d, false
	}
	if d.URL != "" && !strings.HasPrefix(d.URL, "https://") && !strings.HasPrefix(d.URL, "http://") && !strings.HasPrefix(d.URL, "/") {
		l.errorf(d.Source, line, "url %q is not an http(s) address or a path: the title is cited instead", d.URL)
		d.URL = ""
	}
	return d, true
}

// yamlLine finds the line in a yaml error ("yaml: line 3: ...").
func yamlLine(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var n int
	if _, e := fmt.Sscanf(msg, "line %d:", &n); e == nil {
		_, rest, _ := strings.Cut(msg, ": ")
		return n, rest
	}
	if strings.HasPrefix(msg, "unmarshal errors:") {
		// "unmarshal errors:\n  line 2: cannot unmarshal ..."
		first := strings.TrimSpace(strings.SplitN(msg, "\n", 3)[min(1, len(strings.SplitN(msg, "\n", 3))-1)])
		if _, e := fmt.Sscanf(first, "line %d:", &n); e == nil {
			_, rest, _ := strings.Cut(first, ": ")
			return n, rest
		}
	}
	return 1, msg
}

// leadingLines counts the blank lines TrimSpace removes before the body.
func leadingLines(text string) int {
	trimmed := strings.TrimLeft(text, " \t\n")
	return strings.Count(text[:len(text)-len(trimmed)], "\n")
}

// firstHeading is the text of the body's first "# " heading, or "".
func firstHeading(body string) string {
	for _, line := range strings.Split(body, "\n") {
		if level, text := heading(line); level == 1 {
			return text
		}
	}
	return ""
}

// titleFromID makes a title of a file name: "it/resi-e-rimborsi" gives
// "resi e rimborsi".
func titleFromID(id string) string {
	name := id[strings.LastIndex(id, "/")+1:]
	return strings.TrimSpace(strings.NewReplacer("-", " ", "_", " ").Replace(name))
}

// html reads an HTML page through HTMLToMarkdown.
func (l *loader) html(path, id string, data []byte) {
	title, md, err := HTMLToMarkdown(bytes.NewReader(data), "")
	if err != nil {
		l.errorf(path, 0, "%v: skipped", err)
		return
	}
	d := Document{ID: id, Title: strings.TrimSpace(title), Source: path, Body: strings.TrimSpace(md), Line: 1}
	if d.Title == "" {
		d.Title = firstHeading(d.Body)
	}
	if d.Title == "" {
		d.Title = titleFromID(id)
	}
	if d, ok := l.finish(d, 0); ok {
		l.add(d, 0)
	}
}

// faq reads a CSV or TSV FAQ: a header naming the columns question and
// answer (and optionally lang and url), then one question a row. Each row
// is a document whose ID is the file's, "#" and the row's line.
func (l *loader) faq(path, id string, data []byte, comma rune) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	if comma == '\t' {
		r.LazyQuotes = true
	}
	header, err := r.Read()
	if err == io.EOF {
		l.errorf(path, 1, "empty FAQ: want a header question%sanswer", string(comma))
		return
	}
	if err != nil {
		l.csvError(path, err)
		return
	}
	cols := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch name {
		case "question", "answer", "lang", "url":
			if _, dup := cols[name]; dup {
				l.errorf(path, 1, "column %q twice", name)
				return
			}
			cols[name] = i
		default:
			l.errorf(path, 1, "column %q is not one of question, answer, lang, url: ignored", h)
		}
	}
	qc, okq := cols["question"]
	ac, oka := cols["answer"]
	if !okq || !oka {
		l.errorf(path, 1, "the header must name the columns question and answer (got %q)", strings.Join(header, string(comma)))
		return
	}
	field := func(rec []string, name string) string {
		if i, ok := cols[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return
		}
		if err != nil && !errors.Is(err, csv.ErrFieldCount) {
			l.csvError(path, err)
			if errors.Is(err, csv.ErrQuote) || errors.Is(err, csv.ErrBareQuote) {
				// The reader cannot tell where the broken row ends.
				l.errorf(path, 0, "the rest of the file is not read")
				return
			}
			continue
		}
		if len(rec) == 0 || len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		line, _ := r.FieldPos(0)
		if qc >= len(rec) || ac >= len(rec) {
			l.errorf(path, line, "row has %d columns, the header %d: skipped", len(rec), len(header))
			continue
		}
		d := Document{
			ID:     fmt.Sprintf("%s#%d", id, line),
			Title:  field(rec, "question"),
			Lang:   field(rec, "lang"),
			URL:    field(rec, "url"),
			Source: path,
			Body:   faqAnswer(field(rec, "answer")),
			Line:   line,
			FAQ:    true,
		}
		if d.Title == "" {
			l.errorf(path, line, "empty question: skipped")
			continue
		}
		if d, ok := l.finish(d, line); ok {
			l.add(d, line)
		}
	}
}

// htmlTag finds an HTML tag in an FAQ's answer.
var htmlTag = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*[\s/>]`)

// faqAnswer returns an FAQ row's answer as the Markdown of a passage. A
// shop types a row as plain text, or exports it from a helpdesk as HTML;
// it does not see it rendered, as it sees a page. So plain text is
// escaped where Markdown would read it otherwise: "60*40*30 cm" is no
// emphasis (the customer would read "604030 cm"), "max_peso" keeps its
// underscore, a line starting "#1" is no heading. An answer that holds
// a tag is read as before: the HTML gives the form.
func faqAnswer(s string) string {
	if htmlTag.MatchString(s) {
		return s
	}
	var b strings.Builder
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		if t := strings.TrimLeft(line, " \t"); strings.HasPrefix(t, "#") {
			b.WriteString(line[:len(line)-len(t)])
			b.WriteByte('\\')
			line = t
		}
		for _, r := range line {
			if strings.ContainsRune("*_`~\\", r) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (l *loader) csvError(path string, err error) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		l.errorf(path, pe.Line, "%v", pe.Err)
		return
	}
	l.errorf(path, 0, "%v", err)
}
