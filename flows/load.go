package flows

import (
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads the flow file at path in fsys, or every .yaml and .yml file
// under path when it is a folder (merged into one bot), validates it and
// trains its intent classifier. When the file is not valid, the error is
// an ErrorList holding every mistake as file:line:column: message.
func Load(fsys fs.FS, name string) (*Bot, error) {
	return load(fsys, name, func(p string) string { return p }, false)
}

// LoadPath is Load for a file or folder of the operating system; errors
// name files by their OS path.
func LoadPath(p string) (*Bot, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil, fmt.Errorf("flows: %w", err)
	}
	dir, base := filepath.Dir(abs), filepath.Base(abs)
	return load(os.DirFS(dir), base, func(name string) string {
		rel, ok := strings.CutPrefix(name, base)
		if !ok {
			// Beside the flow file: its knowledge folder.
			return filepath.Join(filepath.Dir(p), filepath.FromSlash(name))
		}
		return filepath.Join(p, filepath.FromSlash(rel))
	}, true)
}

// MaxFileSize and MaxFolderSize bound what Load reads: one flow file, and
// the flow files of a folder together. Decoding takes about sixteen times
// a file's size in memory, so a file far past what a shop writes (the
// demo shop is 60 KB) is refused before it is read, with an error naming
// it and the limit.
const (
	MaxFileSize   = 4 << 20
	MaxFolderSize = 16 << 20
)

// Parse reads one flow file from data; name is used in error positions.
func Parse(name string, data []byte) (*Bot, error) {
	if len(data) > MaxFileSize {
		return nil, tooLarge(name, int64(len(data)))
	}
	l := newLoader()
	l.fsFile = filepath.Base(name)
	l.parse(name, data)
	// A knowledge folder is beside the file, on the operating system.
	dir := filepath.Dir(name)
	l.loadKnowledge(os.DirFS(dir), func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) })
	return l.finish()
}

// load reads name in fsys; display names its files for messages, and
// onOS says that fsys is the operating system's and display's names are
// paths of it.
func load(fsys fs.FS, name string, display func(string) string, onOS bool) (*Bot, error) {
	name = path.Clean(filepath.ToSlash(name))
	files, err := flowFiles(fsys, name)
	if err != nil {
		return nil, err
	}
	// Every file is read before any is decoded, so that a folder too
	// large costs no more than its limit.
	datas := make([][]byte, len(files))
	total := 0
	for i, f := range files {
		data, size, err := readFlowFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("flows: %w", err)
		}
		if data == nil {
			return nil, tooLarge(display(f), size)
		}
		if total += len(data); total > MaxFolderSize {
			return nil, ErrorList{{Pos: Pos{File: display(name)}, Msg: fmt.Sprintf(
				"the folder's flow files hold more than %s together (at %s); a folder may hold at most %s (flows.MaxFolderSize)",
				mib(MaxFolderSize), display(f), mib(MaxFolderSize))}}
		}
		datas[i] = data
	}
	l := newLoader()
	for i, f := range files {
		l.fsFile = f
		l.parse(display(f), datas[i])
	}
	l.loadKnowledge(fsys, display)
	return l.finish()
}

// readFlowFile reads the file name, or returns nil data and its size (-1
// when unknown: a device or a pipe) when it holds more than MaxFileSize.
func readFlowFile(fsys fs.FS, name string) (data []byte, size int64, err error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	size = -1
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		if size = st.Size(); size > MaxFileSize {
			return nil, size, nil
		}
	}
	// The size a file states may be wrong (it grows, it is no regular
	// file): the read stops past the limit all the same.
	data, err = io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, 0, err
	}
	if len(data) > MaxFileSize {
		return nil, -1, nil
	}
	return data, int64(len(data)), nil
}

// tooLarge is the error for a flow file past MaxFileSize; size is -1 when
// unknown.
func tooLarge(file string, size int64) error {
	what := "more than " + mib(MaxFileSize)
	if size >= 0 {
		what = mib(size)
	}
	return ErrorList{{Pos: Pos{File: file}, Msg: fmt.Sprintf(
		"the file holds %s; a flow file may hold at most %s (flows.MaxFileSize): split it into a folder of files",
		what, mib(MaxFileSize))}}
}

// mib writes a size in MiB, rounded up to a tenth, so that a size past a
// limit never reads as the limit.
func mib(n int64) string {
	m := math.Ceil(float64(n)/(1<<20)*10) / 10
	return strconv.FormatFloat(m, 'f', -1, 64) + " MiB"
}

// flowFiles returns name, or the YAML files under the folder name in
// lexical order. A folder named "stories" or "battery" holds conversation
// tests, not flow files, and is skipped.
func flowFiles(fsys fs.FS, name string) ([]string, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("flows: %w", err)
	}
	if !st.IsDir() {
		return []string{name}, nil
	}
	var files []string
	err = fs.WalkDir(fsys, name, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if de.IsDir() && p != name && (de.Name() == "stories" || de.Name() == "battery") {
			return fs.SkipDir
		}
		if !de.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("flows: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("flows: %s: no .yaml files in the folder", name)
	}
	slices.Sort(files)
	return files, nil
}

// A loader decodes the files of one bot and then validates the whole.
type loader struct {
	b     *Bot
	errs  ErrorList
	nodes int
	// defined records where each named thing was first defined, by
	// section and name, to report duplicates across files.
	defined map[string]Pos
	// Products' warranty fields the file left out are -1 until the
	// catalogue's default is known.
	defaultWarranty Warranty
	langsPos        Pos
	langTextPos     map[string]Pos // texts: keys -> position
	teamOrder       []string
	seen            bool           // some file had content
	fsFile          string         // the file being parsed, as fsys names it
	knowledge       *knowledgeConf // the knowledge: key
}

func newLoader() *loader {
	return &loader{
		b: &Bot{
			Texts:      map[string]Text{},
			Slots:      map[string]*Slot{},
			Flows:      map[string]*Flow{},
			FAQ:        map[string]*FAQ{},
			Teams:      map[string]*Team{},
			Hours:      map[string]*Hours{},
			intents:    map[string]*Intent{},
			products:   map[string]*Product{},
			categories: map[string]*Category{},
		},
		defined:         map[string]Pos{},
		defaultWarranty: Warranty{Consumer: 24, Business: 12},
		langTextPos:     map[string]Pos{},
	}
}

// define records section/name at pos, reporting a duplicate.
func (l *loader) define(section, name string, pos Pos) bool {
	key := section + "\x00" + name
	if first, ok := l.defined[key]; ok {
		l.errs.add(pos, "%s %q is defined twice (first at %s)", section, name, first)
		return false
	}
	l.defined[key] = pos
	return true
}

var topKeys = []string{"name", "languages", "default_language", "default_team", "nlu", "texts", "intents", "slots", "flows", "catalogue", "faq", "teams", "hours", "knowledge"}

// parse decodes one file into the bot.
func (l *loader) parse(file string, data []byte) {
	var doc yaml.Node
	if err := unmarshal(data, &doc); err != nil {
		pos, msg := yamlError(file, err)
		l.errs.add(pos, "%s", msg)
		return
	}
	d := &decoder{file: file, errs: &l.errs, nodes: &l.nodes}
	if len(doc.Content) == 0 {
		return // an empty file adds nothing
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return
	}
	l.seen = true
	d.fields(root, "the flow file", topKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "name":
			if l.define("setting", key, d.pos(k)) {
				l.b.Name, _ = d.str(v, "name")
			}
		case "languages":
			if l.define("setting", key, d.pos(k)) {
				l.langsPos = d.pos(k)
				d.list(v, "languages", func(_ int, n *yaml.Node) {
					if s, ok := d.str(n, "a language"); ok {
						if !isLanguage(s) {
							d.errorf(n, "language %q should be a two-letter code like it or en", clip(s))
						} else if slices.Contains(l.b.Languages, s) {
							d.errorf(n, "language %q is listed twice", s)
						} else {
							l.b.Languages = append(l.b.Languages, s)
						}
					}
				})
			}
		case "default_language":
			if l.define("setting", key, d.pos(k)) {
				l.b.DefaultLanguage, _ = d.str(v, key)
				l.defined["pos\x00default_language"] = d.pos(v)
			}
		case "default_team":
			if l.define("setting", key, d.pos(k)) {
				l.b.DefaultTeam, _ = d.str(v, key)
				l.defined["pos\x00default_team"] = d.pos(v)
			}
		case "nlu":
			if l.define("setting", key, d.pos(k)) {
				l.decodeNLU(d, v)
			}
		case "texts":
			d.fields(v, "texts", nil, func(name string, k, v *yaml.Node) {
				if !isName(name) {
					d.errorf(k, "text key %q should be a lower-case name of letters, digits, _ and -", clip(name))
					return
				}
				if l.define("text", name, d.pos(k)) {
					l.b.Texts[name] = d.langTexts(v, "text "+name)
					l.langTextPos[name] = d.pos(v)
				}
			})
		case "intents":
			l.decodeIntents(d, v)
		case "slots":
			l.decodeSlots(d, v)
		case "flows":
			l.decodeFlows(d, v)
		case "catalogue":
			l.decodeCatalogue(d, v)
		case "faq":
			l.decodeFAQ(d, v)
		case "teams":
			l.decodeTeams(d, v)
		case "hours":
			l.decodeHours(d, v)
		case "knowledge":
			if l.define("setting", key, d.pos(k)) {
				l.decodeKnowledge(d, v, d.pos(k))
			}
		}
	})
}

// unmarshal is yaml.Unmarshal that turns a panic of the parser on
// hostile input into an error.
func unmarshal(data []byte, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return yaml.Unmarshal(data, n)
}

// yamlLine finds the line of a YAML syntax error.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlError turns a YAML parser error into a positioned mistake.
func yamlError(file string, err error) (Pos, string) {
	msg := err.Error()
	pos := Pos{File: file, Line: 1, Col: 1}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	return pos, "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")
}

func isLanguage(s string) bool {
	if len(s) != 2 && len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

func (l *loader) decodeNLU(d *decoder, n *yaml.Node) {
	d.fields(n, "nlu", []string{"threshold", "margin"}, func(key string, k, v *yaml.Node) {
		f, ok := d.number(v, "nlu "+key)
		if !ok {
			return
		}
		if f < 0 || f > 1 {
			d.errorf(v, "nlu %s should be between 0 and 1, not %v", key, f)
			return
		}
		if key == "threshold" {
			l.b.Threshold = f
		} else {
			l.b.Margin = f
		}
	})
}
