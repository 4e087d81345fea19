// Package knowledge answers questions from the shop's own documents: a
// folder of Markdown pages (YAML front matter: title, lang, url), HTML
// pages and CSV/TSV FAQs, split into passages at headings, indexed in
// memory with Italian and English analysis, and searched with a ranking
// that abstains when no passage holds the answer.
//
// Every replica builds the same index from the same files. An Index is
// immutable and safe for concurrent use; a change of the files builds a
// new one.
//
// This file is the package's contract: load.go reads the files,
// passage.go cuts them at headings, analyze.go and index.go index and rank
// the passages, answer.go decides whether to answer and what to quote.
package knowledge

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// A Document is one page of the shop's help centre.
type Document struct {
	// ID is the file's path under the folder, slash-separated, without
	// its extension ("it/pagamenti"); for a CSV/TSV FAQ, the file's ID,
	// "#" and the row's line number ("faq#12").
	ID    string
	Title string
	// Lang is "it", "en", or "" when the page does not say and it could
	// not be told.
	Lang string
	// URL is the page's public address, or "" (the title is the citation).
	URL string
	// Source is the file the document came from, for error messages.
	Source string
	// Body is the page as the shop wrote it, in Markdown.
	Body string
	// Line is the line of Body's first line in Source.
	Line int
	// FAQ is set for a question of a CSV/TSV FAQ: Title is the question,
	// Body its answer.
	FAQ bool
}

// A Passage is one section of a document: the text under one heading.
type Passage struct {
	// ID is the document's ID, "#" and the passage's index in it.
	ID  string
	Doc *Document
	// Heading is the section's heading ("" for the text before the
	// first heading).
	Heading string
	// Path is the headings above the section and its own, outermost
	// first, without the page's title.
	Path []string
	// Text is the section as the shop wrote it (Markdown), never
	// rewritten: channels escape it when they show it.
	Text string
	// Line is the line of the section's first line in Doc.Source.
	Line int
}

// Options tune an index. The zero value is the default.
type Options struct {
	// Synonyms are groups of words the shop treats as one ("reso",
	// "restituzione", "rimborso"); each word of a group matches the others.
	Synonyms [][]string
	// Threshold is the score under which Answer abstains; 0 takes the
	// calibrated default.
	Threshold float64
}

// A Hit is a passage found for a query and its score: how much of the
// best a query could match the passage matches, in [0, 1], comparable
// between queries. Answer's confidence is computed from the best hits'
// scores and what the query holds.
type Hit struct {
	Passage *Passage
	Score   float64
}

// An Answer is what the bot says from the documents.
type Answer struct {
	// Passage is the best passage and Score the confidence that it
	// answers the query, in [0, 1], which Answer compares with the
	// threshold.
	Passage *Passage
	Score   float64
	// Text is the passage trimmed to the sentences that answer the
	// query, as the shop wrote them.
	Text string
	// Citation is the page's URL, or its title when it has none.
	Citation string
	// Hits are the passages found, best first (at most 5), for the
	// transcript.
	Hits []Hit
}

// Load reads the documents of a folder: *.md, *.html and *.htm pages, and
// *.csv and *.tsv FAQs (question, answer). Each mistake is reported with
// its file:line; files it cannot use are skipped and the rest is loaded:
// Load returns the documents it could use and the mistakes, joined.
// docs/knowledge.md says what it checks.
func Load(dir string) ([]Document, error) {
	docs, err := load(dir)
	if len(docs) == 0 {
		err = errors.Join(fmt.Errorf("%w in %s", ErrNoDocuments, dir), err)
	}
	return docs, err
}

// LoadFS is Load of the folder dir of fsys (an embedded shop, a test's
// files); name gives each file's name in messages and Document.Source
// (nil: its path in fsys).
func LoadFS(fsys fs.FS, dir string, name func(string) string) ([]Document, error) {
	if name == nil {
		name = func(p string) string { return p }
	}
	docs, err := loadFS(fsys, dir, name)
	if len(docs) == 0 {
		err = errors.Join(fmt.Errorf("%w in %s", ErrNoDocuments, name(dir)), err)
	}
	return docs, err
}

// ErrNoDocuments is the mistake of a folder that holds no document Load
// could use.
var ErrNoDocuments = errors.New("knowledge: no documents")

// citation is what the bot cites for p: the page's URL, or its title.
func citation(p *Passage) string {
	if u := strings.TrimSpace(p.Doc.URL); u != "" {
		return u
	}
	return p.Doc.Title
}

// An Index searches passages.
type Index struct {
	passages []*Passage
	opts     Options
	ix       *index
	m        model // the abstention model, when a test sets one
	pages    int   // the number of documents
	// folderPassages is the number of passages of each language in each
	// folder, and in all (allFolders).
	folderPassages map[folderKey]int
}

// NewIndex indexes docs, which it keeps: the caller does not change them
// afterwards.
func NewIndex(docs []Document, opts Options) *Index {
	return newIndex(docs, opts, defaultParams)
}

func newIndex(docs []Document, opts Options, p params) *Index {
	ix := &Index{opts: opts, pages: len(docs)}
	for i := range docs {
		ix.passages = append(ix.passages, split(&docs[i])...)
	}
	ix.ix = build(ix.passages, opts, p)
	ix.folderPassages = map[folderKey]int{}
	for _, ps := range ix.passages {
		ix.folderPassages[folderKey{ps.Doc.Lang, folderOf(ps.Doc.ID)}]++
		ix.folderPassages[folderKey{ps.Doc.Lang, allFolders}]++
	}
	return ix
}

// Len is the number of passages indexed.
func (ix *Index) Len() int { return len(ix.passages) }

// Words calls fn with each word of the passages, as the index reads them
// (lower case, no accents), in no order.
func (ix *Index) Words(fn func(w string)) {
	for w := range ix.ix.vocab {
		fn(w)
	}
}

// Search returns at most k passages for query, best first. lang is the
// customer's language ("it", "en" or ""): where the shop has a page in
// both, the one in lang ranks first.
func (ix *Index) Search(query, lang string, k int) []Hit {
	rs, _ := ix.ix.search(query, lang, k)
	hits := make([]Hit, len(rs))
	for i, r := range rs {
		hits[i] = Hit{Passage: ix.passages[r.p], Score: r.norm}
	}
	return hits
}

// Answer returns what to tell the customer for query, or false when the
// confidence that the best passage answers is under the threshold: the
// bot then abstains.
func (ix *Index) Answer(query, lang string) (Answer, bool) {
	return ix.answer(query, lang)
}

// A folderKey is a language and a folder (folderOf), or allFolders.
type folderKey struct{ lang, folder string }

// allFolders is the folder of a folderKey that counts the passages of a
// language in every folder (no folder is written without a final slash).
const allFolders = "*"

// folderOf is the folder of a document's ID, with its final slash ("it/",
// "aiuto/resi/"), or "" for a document at the top of the folder.
func folderOf(id string) string {
	return id[:strings.LastIndex(id, "/")+1]
}
