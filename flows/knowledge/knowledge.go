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
// This file is the package's contract; the index behind it is being built.
package knowledge

import (
	"errors"
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
}

// A Passage is one section of a document: the text under one heading.
type Passage struct {
	// ID is the document's ID, "#" and the passage's index in it.
	ID  string
	Doc *Document
	// Heading is the section's heading ("" for the text before the
	// first heading).
	Heading string
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

// A Hit is a passage found for a query and its score. Scores are
// comparable between queries: Answer compares the best with the threshold.
type Hit struct {
	Passage *Passage
	Score   float64
}

// An Answer is what the bot says from the documents.
type Answer struct {
	// Passage is the best passage and Score its score.
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
// its file:line; files it cannot use are skipped and the rest is loaded.
func Load(dir string) ([]Document, error) {
	return nil, errors.New("knowledge: Load is not built yet")
}

// An Index searches passages.
type Index struct {
	passages []*Passage
	opts     Options
}

// NewIndex indexes docs.
func NewIndex(docs []Document, opts Options) *Index {
	ix := &Index{opts: opts}
	for i := range docs {
		d := &docs[i]
		ix.passages = append(ix.passages, &Passage{ID: d.ID + "#0", Doc: d, Text: d.Body, Line: 1})
	}
	return ix
}

// Len is the number of passages indexed.
func (ix *Index) Len() int { return len(ix.passages) }

// Search returns at most k passages for query, best first. lang is the
// customer's language ("it", "en" or ""): where the shop has a page in
// both, the one in lang ranks first.
func (ix *Index) Search(query, lang string, k int) []Hit {
	// Placeholder: count the query's words in each passage.
	var hits []Hit
	words := strings.Fields(strings.ToLower(query))
	for _, p := range ix.passages {
		text := strings.ToLower(p.Doc.Title + " " + p.Text)
		n := 0
		for _, w := range words {
			if len(w) > 3 && strings.Contains(text, w) {
				n++
			}
		}
		if n > 0 {
			hits = append(hits, Hit{Passage: p, Score: float64(n) / float64(len(words))})
		}
	}
	if len(hits) > k {
		hits = hits[:k]
	}
	return hits
}

// Answer returns what to tell the customer for query, or false when no
// passage scores above the threshold: the bot then abstains.
func (ix *Index) Answer(query, lang string) (Answer, bool) {
	hits := ix.Search(query, lang, 5)
	if len(hits) == 0 || hits[0].Score < 0.5 {
		return Answer{Hits: hits}, false
	}
	p := hits[0].Passage
	cite := p.Doc.URL
	if cite == "" {
		cite = p.Doc.Title
	}
	return Answer{Passage: p, Score: hits[0].Score, Text: p.Text, Citation: cite, Hits: hits}, true
}
