package flows

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/sportello/sportello/flows/knowledge"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The passages of the shop's documents are Markdown (a page written so,
// or an HTML page read as Markdown), and a reply is plain text, which
// every channel escapes for itself: Telegram sends it without a parse
// mode, Slack escapes &, < and >, the web chat writes it as text. So an
// answer is the passage's text as a reader of the page sees it: the
// words as written, without the markup ("**24 mesi**" is "24 mesi", a
// link is its label and its address, "&lt;" is "<"), lists kept as
// lines, and no HTML: a tag a Markdown page holds is dropped, with the
// content of a script or style.

// markdown parses CommonMark; nothing of it is rendered as HTML.
var markdown = goldmark.New()

// hiddenTag matches the start and the end of an element whose content
// no reader of the page sees.
var hiddenTag = regexp.MustCompile(`(?i)^<(/?)(script|style|template|noscript)\b`)

// lineBreakTag matches a <br>, a line break where a reader sees one.
var lineBreakTag = regexp.MustCompile(`(?i)^<br\b`)

var spaces = regexp.MustCompile(` {2,}`)

// plainText returns the text a reader of the Markdown src sees.
func plainText(src string) string {
	source := []byte(src)
	doc := markdown.Parser().Parse(text.NewReader(source))
	var b strings.Builder
	hidden := 0 // inside an inline <script> or <style> of a paragraph
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.HTMLBlock:
			// HTML pasted in a page, or an FAQ exported from a helpdesk
			// ("<p>...</p>"): its content, as an HTML page's is read.
			if entering {
				var raw bytes.Buffer
				for i := 0; i < n.Lines().Len(); i++ {
					seg := n.Lines().At(i)
					raw.Write(seg.Value(source))
				}
				if _, md, err := knowledge.HTMLToMarkdown(&raw, ""); err == nil {
					b.WriteString(plainText(md) + "\n\n")
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.ThematicBreak:
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			if entering && lineBreakTag.Match(n.Segments.Value(source)) {
				b.WriteByte('\n')
			}
			if entering {
				if m := hiddenTag.FindSubmatch(n.Segments.Value(source)); m != nil {
					if len(m[1]) == 0 {
						hidden++
					} else if hidden > 0 {
						hidden--
					}
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if !entering || hidden > 0 {
				break
			}
			v := n.Segment.Value(source)
			if !n.IsRaw() {
				v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
			}
			b.Write(v)
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte('\n')
			}
		case *ast.AutoLink:
			if entering {
				b.Write(n.URL(source))
			}
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			// The label, then the address when the label is not it.
			if !entering {
				label := plainInline(n, source)
				if dest := string(n.Destination); dest != "" && !strings.Contains(label, dest) {
					b.WriteString(" (" + dest + ")")
				}
			}
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			if entering {
				lines := n.Lines()
				for i := 0; i < lines.Len(); i++ {
					seg := lines.At(i)
					b.Write(seg.Value(source))
				}
				b.WriteString("\n\n")
			}
			return ast.WalkSkipChildren, nil
		case *ast.ListItem:
			if entering {
				b.WriteString(listMarker(n))
			} else {
				b.WriteByte('\n')
			}
		case *ast.List:
			if !entering {
				b.WriteByte('\n')
			}
		case *ast.Paragraph, *ast.Heading:
			if !entering {
				b.WriteString("\n\n")
			}
		case *ast.TextBlock:
			if !entering && n.NextSibling() != nil {
				b.WriteByte('\n')
			}
		}
		return ast.WalkContinue, nil
	})
	return tidyLines(b.String())
}

// plainInline returns the text of an inline node's children, as
// plainText writes them.
func plainInline(n ast.Node, source []byte) string {
	var b bytes.Buffer
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			b.Write(t.Segment.Value(source))
			continue
		}
		b.WriteString(plainInline(c, source))
	}
	return string(util.UnescapePunctuations(b.Bytes()))
}

// listMarker is the marker a list item is shown with: "- " in a list of
// bullets, its number in a numbered one.
func listMarker(item *ast.ListItem) string {
	l, ok := item.Parent().(*ast.List)
	if !ok || !l.IsOrdered() {
		return "- "
	}
	i := l.Start
	for s := item.PreviousSibling(); s != nil; s = s.PreviousSibling() {
		i++
	}
	return strconv.Itoa(i) + string(l.Marker) + " "
}

// tidyLines writes a run of spaces inside a line (where a tag was) as
// one, drops the spaces that end lines and keeps at most one empty line
// between blocks.
func tidyLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := true // no empty line at the start
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		indent := len(l) - len(strings.TrimLeft(l, " "))
		l = l[:indent] + spaces.ReplaceAllString(l[indent:], " ")
		if l == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
