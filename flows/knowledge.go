package flows

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sportello/sportello/flows/knowledge"
)

// The knowledge: key of a flow file names the folder of the shop's
// documents (its help centre), relative to the file, and tunes their
// index:
//
//	knowledge:
//	  dir: knowledge
//	  synonyms: [[reso, restituzione, rimborso]]
//	  threshold: 0 # the calibrated default
//
// Load reads the folder and builds the index; the bot answers from it
// the questions its flows and FAQ entries do not handle.

// knowledgeConf is the knowledge: key as the loader read it.
type knowledgeConf struct {
	dir  string // the folder in the loader's file system, resolved against the flow file
	pos  Pos    // where dir: is written
	opts knowledge.Options
	docs []knowledge.Document
	// problems are the documents' mistakes: the bot runs without the
	// files they name.
	problems error

	// Where the documents were read, for ReloadKnowledge: the file
	// system, how its names are shown, and the stamp of the folder then.
	fsys    fs.FS
	display func(string) string
	mu      sync.Mutex // serialises reloads; guards stamp
	stamp   uint64
}

func (l *loader) decodeKnowledge(d *decoder, n *yaml.Node, keyPos Pos) {
	kc := &knowledgeConf{pos: keyPos}
	hasDir := false
	d.fields(n, "knowledge", []string{"dir", "synonyms", "threshold"}, func(key string, k, v *yaml.Node) {
		switch key {
		case "dir":
			hasDir = true
			kc.pos = d.pos(v)
			if s, ok := d.str(v, "the dir of knowledge"); ok {
				dir := path.Join(path.Dir(l.fsFile), s)
				if s == "" || path.IsAbs(s) || !fs.ValidPath(dir) {
					d.errorf(v, "the dir of knowledge should be a folder beside or below the flow file, not %q", clip(s))
					return
				}
				kc.dir = dir
			}
		case "synonyms":
			d.list(v, "the synonyms of knowledge", func(_ int, g *yaml.Node) {
				words := d.strs(g, "a group of synonyms of knowledge")
				if len(words) == 1 {
					d.errorf(g, "a group of synonyms of knowledge needs at least two words")
					return
				}
				if len(words) > 1 {
					kc.opts.Synonyms = append(kc.opts.Synonyms, words)
				}
			})
		case "threshold":
			if f, ok := d.number(v, "the threshold of knowledge"); ok {
				if f < 0 {
					d.errorf(v, "the threshold of knowledge should be 0 (the calibrated default) or more, not %v", f)
					return
				}
				kc.opts.Threshold = f
			}
		}
	})
	if !hasDir {
		l.errs.add(keyPos, "knowledge has no dir: name the folder of the shop's documents, relative to the flow file")
	}
	l.knowledge = kc
}

// loadKnowledge reads the documents of the knowledge: folder from fsys;
// display names their files for messages. A missing folder is a mistake
// of the flow file; the documents' own mistakes are kept apart (see
// Bot.KnowledgeProblems). knowledge.LoadFS reads the folder (Markdown,
// HTML, CSV/TSV FAQs), from the operating system or the embedded demo.
func (l *loader) loadKnowledge(fsys fs.FS, display func(string) string) {
	kc := l.knowledge
	if kc == nil || kc.dir == "" {
		return
	}
	st, err := fs.Stat(fsys, kc.dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		l.errs.add(kc.pos, "the knowledge folder %s does not exist", display(kc.dir))
		return
	case err != nil:
		l.errs.add(kc.pos, "the knowledge folder %s: %v", display(kc.dir), err)
		return
	case !st.IsDir():
		l.errs.add(kc.pos, "the knowledge dir %s is a file, not a folder", display(kc.dir))
		return
	}
	kc.fsys, kc.display = fsys, display
	// Stamped before it is read: a file written meanwhile changes the
	// stamp, and the next reload reads it.
	kc.stamp, _ = stampFolder(fsys, kc.dir)
	kc.docs, kc.problems = knowledge.LoadFS(fsys, kc.dir, display)
}

// buildKnowledge indexes the documents read, once the bot is valid.
func (b *Bot) buildKnowledge(kc *knowledgeConf) {
	if kc == nil || kc.dir == "" {
		return
	}
	kc.opts.Synonyms = append(kc.opts.Synonyms, b.catalogueSynonyms()...)
	b.docs.Store(knowledge.NewIndex(kc.docs, kc.opts))
	b.KnowledgeProblems = kc.problems
	b.knowledgeConf = kc
	kc.docs = nil // the index keeps them
}

// catalogueSynonyms are the names of a product the catalogue writes both
// together and apart ("delonghi", "de longhi"; "airfryer", "air fryer"),
// each pair one group of synonyms for the pages' search: a customer who
// writes "delonghi" finds the page of the "De'Longhi Magnifica S". Only
// such pairs: a product's other names ("pixel", "pixel 8") would make a
// model's number a synonym of its name.
func (b *Bot) catalogueSynonyms() [][]string {
	var out [][]string
	seen := map[string]bool{}
	for _, id := range keysOf(b.products) {
		p := b.products[id]
		byJoined := map[string][]string{}
		for _, lang := range keysOf(p.Synonyms) {
			for _, w := range p.Synonyms[lang] {
				w = strings.Join(strings.Fields(strings.ToLower(w)), " ")
				j := strings.ReplaceAll(w, " ", "")
				if w != "" && !slices.Contains(byJoined[j], w) {
					byJoined[j] = append(byJoined[j], w)
				}
			}
		}
		for _, j := range keysOf(byJoined) {
			group := byJoined[j] // the spellings the shop wrote
			if key := strings.Join(group, "|"); len(group) > 1 && !seen[key] {
				seen[key] = true
				out = append(out, group)
			}
		}
	}
	return out
}

// Knowledge returns the index of the shop's documents: the one built at
// load, or by the latest ReloadKnowledge. It is nil when the flow file
// names no knowledge folder.
func (b *Bot) Knowledge() *knowledge.Index { return b.docs.Load() }

// ReloadKnowledge reads the knowledge folder again when a file in it was
// added, removed or changed since it was last read, and puts the new
// index in place of the old one: conversations in progress go on with
// it from their next message. It reports whether it did, and the new
// documents' mistakes (as KnowledgeProblems, for the pages left out). A
// folder that can no longer be read is an error and leaves the index as
// it was. Each call reads the folder's listing, so a caller calls it
// every few seconds at most; concurrent calls read the folder once.
//
// When ctx ends, the reading stops at the next file and ReloadKnowledge
// returns ctx's error, the index as it was: a large folder must not hold
// up a shutdown. An index being built is built to its end, then dropped.
func (b *Bot) ReloadKnowledge(ctx context.Context) (reloaded bool, problems, err error) {
	kc := b.knowledgeConf
	if kc == nil {
		return false, nil, nil
	}
	kc.mu.Lock()
	defer kc.mu.Unlock()
	fsys := ctxFS{ctx, kc.fsys}
	stamp, err := stampFolder(fsys, kc.dir)
	if ctx.Err() != nil {
		return false, nil, fmt.Errorf("knowledge: reload of %s stopped: %w", kc.display(kc.dir), ctx.Err())
	}
	if err != nil {
		return false, nil, fmt.Errorf("knowledge: the folder %s: %w (the documents loaded before are still answered from)", kc.display(kc.dir), err)
	}
	if stamp == kc.stamp {
		return false, nil, nil
	}
	docs, problems := knowledge.LoadFS(fsys, kc.dir, kc.display)
	if ctx.Err() != nil {
		// What was read is partial: the pages after the stop failed.
		return false, nil, fmt.Errorf("knowledge: reload of %s stopped: %w", kc.display(kc.dir), ctx.Err())
	}
	ix := knowledge.NewIndex(docs, kc.opts)
	if ctx.Err() != nil {
		return false, nil, fmt.Errorf("knowledge: reload of %s stopped: %w", kc.display(kc.dir), ctx.Err())
	}
	b.docs.Store(ix)
	kc.stamp = stamp
	return true, problems, nil
}

// ctxFS is a folder whose reading stops when ctx ends: every Open, Stat
// and ReadDir after that fails with ctx's error.
type ctxFS struct {
	ctx  context.Context
	fsys fs.FS
}

func (c ctxFS) Open(name string) (fs.File, error) {
	if err := c.ctx.Err(); err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return c.fsys.Open(name)
}

func (c ctxFS) Stat(name string) (fs.FileInfo, error) {
	if err := c.ctx.Err(); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	return fs.Stat(c.fsys, name)
}

func (c ctxFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := c.ctx.Err(); err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	return fs.ReadDir(c.fsys, name)
}

// stampFolder hashes the names, sizes and modification times of the
// files under dir: any file added, removed, renamed, resized or written
// changes it. A linked file counts as the file it links to, as it is
// read; what cannot be read below dir counts by its name, as the load
// leaves it out and goes on.
func stampFolder(fsys fs.FS, dir string) (uint64, error) {
	h := fnv.New64a()
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil && p != dir {
			fmt.Fprintf(h, "%s\x00unreadable\x00", p)
			return nil
		}
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") && d.IsDir() {
			return fs.SkipDir // .git, as the load skips it
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		info, err := fs.Stat(fsys, p)
		if err != nil {
			fmt.Fprintf(h, "%s\x00unreadable\x00", p)
			return nil
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00", p, info.Size(), info.ModTime().UnixNano())
		// A file written in the last seconds may be written again within
		// the same tick of a coarse clock (ext3's second, FAT's two) with
		// the same size: its bytes are in the stamp too.
		if time.Since(info.ModTime()) < 3*time.Second {
			if f, err := fsys.Open(p); err == nil {
				_, _ = io.CopyN(h, f, knowledge.MaxHTMLSize)
				f.Close()
			}
		}
		return nil
	})
	return h.Sum64(), err
}
