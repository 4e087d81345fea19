package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sportello/sportello/bot"
)

// MaxHTMLSize bounds an HTML page, in bytes: a help-centre page is a few
// tens of kilobytes; a bigger one is refused, not cut, so no half page is
// indexed as if whole.
const MaxHTMLSize = 2 << 20

// ErrTooBig reports a page over MaxHTMLSize.
var ErrTooBig = errors.New("page too big")

// An HTMLPage is what ReadHTML keeps of a page.
type HTMLPage struct {
	// Title is the page's <title> without the shop's name after it
	// ("Resi | Negozio" is "Resi"), or its first h1.
	Title string
	// Lang is the lang attribute of <html>, as the page wrote it
	// ("it-IT"), or "".
	Lang string
	// Markdown is the page's content: headings, paragraphs, lists,
	// simple tables and links, as Markdown.
	Markdown string
	// Links are the page's http and https links, absolute, in the order
	// they appear (navigation included: a crawler follows those too),
	// each once.
	Links []string
}

// HTMLToMarkdown keeps the content of an HTML page (no script, style,
// navigation, header or footer) as Markdown, with its title. base is the
// page's URL, to make its links absolute.
func HTMLToMarkdown(r io.Reader, base string) (title, markdown string, err error) {
	p, err := ReadHTML(r, base)
	return p.Title, p.Markdown, err
}

// ReadHTML reads an HTML page of at most MaxHTMLSize bytes (ErrTooBig
// otherwise) and keeps its content, title, language and links. base is
// the page's URL: links are made absolute against it (or against the
// page's <base href>), and only http and https links are kept as links;
// others (javascript:, data:, mailto:...) keep only their text.
//
// What is not content goes: script, style, noscript, template, iframe,
// svg, forms, nav, aside, the page's header and footer, and elements
// that are hidden (the hidden attribute, aria-hidden, role=navigation).
// Where the page marks its content with <main> (or role=main) or
// <article>, only that is kept. Images go, with their alt text where it
// says something. The text is cleaned (bot.CleanText): valid UTF-8, no
// control characters.
func ReadHTML(r io.Reader, base string) (HTMLPage, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxHTMLSize+1))
	if err != nil {
		return HTMLPage{}, fmt.Errorf("knowledge: read html: %w", err)
	}
	if len(data) > MaxHTMLSize {
		return HTMLPage{}, fmt.Errorf("knowledge: html over %d bytes: %w", MaxHTMLSize, ErrTooBig)
	}
	if looksBinary(data) {
		return HTMLPage{}, errors.New("knowledge: not an HTML page: binary data")
	}
	// html.Parse refuses a page nested deeper than 512 elements, which
	// also bounds the recursion below.
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return HTMLPage{}, fmt.Errorf("knowledge: parse html: %w", err)
	}
	baseURL, _ := url.Parse(base)
	if baseURL != nil && !baseURL.IsAbs() {
		baseURL = nil
	}
	if b := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Base && attr(n, "href") != "" }); b != nil {
		if u, err := url.Parse(strings.TrimSpace(attr(b, "href"))); err == nil {
			if baseURL != nil {
				u = baseURL.ResolveReference(u)
			}
			if u.IsAbs() && (u.Scheme == "http" || u.Scheme == "https") {
				baseURL = u
			}
		}
	}
	c := &converter{base: baseURL, seen: map[string]bool{}}
	var page HTMLPage
	if h := find(doc, isElem(atom.Html)); h != nil {
		page.Lang = defuse(bot.CleanLine(strings.TrimSpace(attr(h, "lang")), bot.MaxLanguageLen))
	}
	c.collectLinks(doc)
	page.Links = c.links

	root := contentRoot(doc)
	// A header inside the content is the content's own (its h1).
	c.inContent = root.DataAtom != atom.Body && root.Type == html.ElementNode
	c.blocks(root)
	c.flush()
	if len(c.out) == 0 && c.inContent {
		// An empty <main> (filled by a script): the body says more.
		root = body(doc)
		c.inContent = false
		c.blocks(root)
		c.flush()
	}
	page.Markdown = defuse(bot.CleanText(strings.Join(c.out, "\n\n"), 0))
	if page.Markdown != "" {
		page.Markdown += "\n"
	}

	var h1 string
	if n := find(root, isElem(atom.H1)); n != nil {
		h1 = collapse(c.inline(n, false))
	}
	if t := find(doc, isElem(atom.Title)); t != nil {
		page.Title = pageTitle(collapse(textOf(t)), h1)
	}
	if page.Title == "" {
		page.Title = h1
	}
	page.Title = defuse(bot.CleanLine(page.Title, 0))
	return page, nil
}

// defuse writes each "<" that could open a tag ("<script", "</p",
// "<!--") as "&lt;", which Markdown shows as "<": the text of a page may
// quote HTML, but the Markdown made of it holds none, so no renderer
// can run it.
func defuse(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '<' && i+1 < len(s) && (isASCIILetter(s[i+1]) || strings.IndexByte("/!?", s[i+1]) >= 0) {
			b.WriteString("&lt;")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// looksBinary reports whether data is no text: NUL bytes in its first
// kilobytes (an image or an archive served as a page).
func looksBinary(data []byte) bool {
	return bytes.IndexByte(data[:min(len(data), 8<<10)], 0) >= 0
}

// pageTitle is the <title> without the site's name after it: the last
// part after " | ", " - ", " – ", " — " or " · " when the title has one,
// unless the title is the h1 itself.
func pageTitle(title, h1 string) string {
	if title == "" || title == h1 {
		return title
	}
	if h1 != "" && strings.HasPrefix(title, h1) {
		// "Returns - Shop": the page's own heading, then the site.
		rest := strings.TrimSpace(title[len(h1):])
		if rest == "" || strings.ContainsAny(rest[:1], "|-–—·:") {
			return h1
		}
	}
	for _, sep := range []string{" | ", " – ", " — ", " · ", " - "} {
		if i := strings.LastIndex(title, sep); i > 0 {
			if t := strings.TrimSpace(title[:i]); t != "" {
				return t
			}
		}
	}
	return title
}

// contentRoot is where the page's content is: its <main> (or
// role=main), else its <article> when it has one (a page of several is
// a list: its body holds them all), else its body.
func contentRoot(doc *html.Node) *html.Node {
	if n := findContent(doc, func(n *html.Node) bool {
		return n.DataAtom == atom.Main || strings.EqualFold(attr(n, "role"), "main")
	}); n != nil {
		return n
	}
	var articles []*html.Node
	findContent(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Article {
			articles = append(articles, n)
		}
		return len(articles) > 1
	})
	if len(articles) == 1 {
		return articles[0]
	}
	return body(doc)
}

func body(doc *html.Node) *html.Node {
	if n := find(doc, isElem(atom.Body)); n != nil {
		return n
	}
	return doc
}

// dropped reports whether n is no content. inContent keeps the
// content's own header and footer (its title, its date).
func dropped(n *html.Node, inContent bool) bool {
	switch n.Type {
	case html.CommentNode, html.DoctypeNode, html.RawNode:
		return true
	case html.ElementNode:
	default:
		return false
	}
	if n.Namespace != "" {
		return true // svg and math content
	}
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe,
		atom.Svg, atom.Math, atom.Form, atom.Nav, atom.Aside, atom.Object,
		atom.Embed, atom.Canvas, atom.Audio, atom.Video, atom.Button,
		atom.Select, atom.Textarea, atom.Input, atom.Dialog, atom.Head,
		atom.Link, atom.Meta, atom.Frameset, atom.Frame, atom.Applet:
		return true
	case atom.Header, atom.Footer:
		if !inContent {
			return true
		}
	case 0:
		// An element html.Parse does not know (<x-widget>, <script2>):
		// its text is kept, but one named like a script never.
		if strings.Contains(strings.ToLower(n.Data), "script") {
			return true
		}
	}
	if hasAttr(n, "hidden") || strings.EqualFold(attr(n, "aria-hidden"), "true") {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(attr(n, "role"))) {
	case "navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alert", "menu", "menubar":
		return true
	}
	style := strings.ToLower(strings.Join(strings.Fields(attr(n, "style")), ""))
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
}

// A converter writes Markdown blocks.
type converter struct {
	base *url.URL
	// out are the finished blocks; para is the paragraph being written.
	out  []string
	para strings.Builder
	// inContent is set inside an <article>.
	inContent bool
	links     []string
	seen      map[string]bool
}

// flush ends the paragraph being written.
func (c *converter) flush() {
	if p := cleanParagraph(c.para.String()); p != "" {
		c.out = append(c.out, escapeBlockStart(p))
	}
	c.para.Reset()
}

// sub converts n's children into blocks of their own (a list item's, a
// quote's).
func (c *converter) sub(n *html.Node) []string {
	s := &converter{base: c.base, inContent: c.inContent, seen: c.seen}
	s.children(n)
	s.flush()
	return s.out
}

// subNode converts n itself into blocks of their own.
func (c *converter) subNode(n *html.Node) []string {
	s := &converter{base: c.base, inContent: c.inContent, seen: c.seen}
	s.node(n)
	s.flush()
	return s.out
}

func (c *converter) blocks(n *html.Node) {
	if n.Type == html.DocumentNode {
		c.children(n)
		return
	}
	c.node(n)
}

func (c *converter) children(n *html.Node) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.node(ch)
	}
}

// node writes n: a block of its own, or inline text of the paragraph.
func (c *converter) node(n *html.Node) {
	if dropped(n, c.inContent) {
		return
	}
	if n.Type == html.TextNode {
		c.para.WriteString(spaced(n.Data))
		return
	}
	if n.Type != html.ElementNode {
		c.children(n)
		return
	}
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		c.flush()
		level := min(int(n.Data[1]-'0'), 4)
		if t := collapse(c.inline(n, false)); t != "" {
			c.out = append(c.out, strings.Repeat("#", level)+" "+t)
		}
	case atom.P:
		c.flush()
		c.children(n)
		c.flush()
	case atom.Ul, atom.Ol, atom.Menu:
		c.flush()
		if l := c.list(n); l != "" {
			c.out = append(c.out, l)
		}
	case atom.Table:
		c.flush()
		c.table(n)
	case atom.Pre:
		c.flush()
		code := strings.Trim(textOf(n), "\n")
		if strings.TrimSpace(code) != "" {
			fence := "```"
			for strings.Contains(code, fence) {
				fence += "`"
			}
			c.out = append(c.out, fence+"\n"+code+"\n"+fence)
		}
	case atom.Blockquote:
		c.flush()
		if q := strings.Join(c.sub(n), "\n\n"); q != "" {
			c.out = append(c.out, "> "+strings.ReplaceAll(q, "\n", "\n> "))
		}
	case atom.Dt:
		c.flush()
		if t := collapse(c.inline(n, true)); t != "" {
			c.out = append(c.out, "**"+t+"**")
		}
	case atom.Br:
		c.para.WriteString("\n")
	case atom.Hr:
		c.flush()
	case atom.Article:
		c.flush()
		was := c.inContent
		c.inContent = true
		c.children(n)
		c.flush()
		c.inContent = was
	case atom.A, atom.Img, atom.Strong, atom.B, atom.Em, atom.I, atom.Code, atom.Kbd:
		c.para.WriteString(c.inlineNode(n, true))
	default:
		if isBlock(n.DataAtom) {
			c.flush()
			c.children(n)
			c.flush()
			return
		}
		c.children(n)
	}
}

// isBlock reports whether an element ends the paragraph before it.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.Div, atom.Section, atom.Main, atom.Address, atom.Dl, atom.Dd,
		atom.Figure, atom.Figcaption, atom.Details, atom.Summary, atom.Li,
		atom.Tr, atom.Td, atom.Th, atom.Caption, atom.Fieldset, atom.Legend,
		atom.Center, atom.Header, atom.Footer, atom.Body, atom.Html:
		return true
	}
	return false
}

// inline is n's content as one line of Markdown text; links and
// emphasis are written where markup is true.
func (c *converter) inline(n *html.Node, markup bool) string {
	var b strings.Builder
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		b.WriteString(c.inlineNode(ch, markup))
	}
	return b.String()
}

func (c *converter) inlineNode(n *html.Node, markup bool) string {
	if dropped(n, c.inContent) {
		return ""
	}
	switch n.Type {
	case html.TextNode:
		return spaced(n.Data)
	case html.ElementNode:
	default:
		return c.inline(n, markup)
	}
	switch n.DataAtom {
	case atom.Br:
		return "\n"
	case atom.Img:
		return " " + altText(attr(n, "alt")) + " "
	case atom.A:
		raw := c.inline(n, false)
		text := collapse(raw)
		href := c.absolute(attr(n, "href"))
		if !markup || text == "" || href == "" {
			return raw
		}
		text = brackets.Replace(text)
		return spacesOf(raw, fmt.Sprintf("[%s](%s)", text, href))
	case atom.Strong, atom.B:
		return emphasis(c.inline(n, markup), "**", markup)
	case atom.Em, atom.I:
		return emphasis(c.inline(n, markup), "*", markup)
	case atom.Code, atom.Kbd:
		return emphasis(c.inline(n, false), "`", markup)
	}
	if isBlock(n.DataAtom) || n.DataAtom == atom.P || n.DataAtom == atom.Ul || n.DataAtom == atom.Ol {
		return " " + c.inline(n, markup) + " "
	}
	return c.inline(n, markup)
}

var brackets = strings.NewReplacer("[", `\[`, "]", `\]`)

// emphasis wraps text in mark, outside its spaces ("** bold **" is no
// emphasis in Markdown).
func emphasis(text, mark string, markup bool) string {
	t := collapse(text)
	if !markup || t == "" {
		return text
	}
	return spacesOf(text, mark+t+mark)
}

// spacesOf is s with the spaces that raw starts and ends with, so that
// markup around a word does not glue it to its neighbours.
func spacesOf(raw, s string) string {
	if strings.TrimLeftFunc(raw, unicode.IsSpace) != raw {
		s = " " + s
	}
	if strings.TrimRightFunc(raw, unicode.IsSpace) != raw {
		s += " "
	}
	return s
}

// altText is an image's alt text where it says something: not a file
// name, not "image" or "logo".
func altText(alt string) string {
	a := collapse(alt)
	switch strings.ToLower(a) {
	case "", "image", "img", "immagine", "logo", "icon", "icona", "photo", "foto", "picture":
		return ""
	}
	l := strings.ToLower(a)
	for _, ext := range []string{".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"} {
		if strings.HasSuffix(l, ext) {
			return ""
		}
	}
	return a
}

// absolute is href made absolute against the page, when it is an http
// or https link; "" otherwise (javascript:, data:, mailto:, a fragment of
// the page itself).
func (c *converter) absolute(href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if c.base != nil {
		u = c.base.ResolveReference(u)
	}
	if !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	s := escapeInvalid(u.String())
	if strings.ContainsAny(s, " ()<>\"'`") {
		// Markdown would end the link early; the escaped form is the
		// same address.
		s = linkEscapes.Replace(s)
	}
	return s
}

// escapeInvalid percent-escapes the bytes of s that are not UTF-8 (a
// query of another encoding), which url.String leaves as they are.
func escapeInvalid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			fmt.Fprintf(&b, "%%%02X", s[i])
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

var linkEscapes = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", `"`, "%22", "'", "%27", "`", "%60")

// collectLinks gathers the page's links, everywhere in it.
func (c *converter) collectLinks(doc *html.Node) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.DataAtom == atom.A || n.DataAtom == atom.Area) {
			if h := c.absolute(attr(n, "href")); h != "" {
				if u, err := url.Parse(h); err == nil {
					u.Fragment, u.RawFragment = "", ""
					h = u.String()
				}
				if !c.seen[h] {
					c.seen[h] = true
					c.links = append(c.links, h)
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
}

// list writes a ul or ol, nested lists indented under their item.
func (c *converter) list(n *html.Node) string {
	var items []string
	num := 1
	if s := attr(n, "start"); s != "" {
		fmt.Sscanf(s, "%d", &num)
	}
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode && (li.Type != html.TextNode || collapse(li.Data) == "") || dropped(li, c.inContent) {
			continue
		}
		var blocks []string
		if li.DataAtom == atom.Li {
			blocks = c.sub(li)
		} else {
			// Not an item (a list right inside a list): an item of its own.
			blocks = c.subNode(li)
		}
		if len(blocks) == 0 {
			continue
		}
		marker := "- "
		if n.DataAtom == atom.Ol {
			marker = fmt.Sprintf("%d. ", num)
			num++
		}
		body := strings.Join(blocks, "\n\n")
		indent := strings.Repeat(" ", len(marker))
		body = strings.ReplaceAll(body, "\n", "\n"+indent)
		body = strings.ReplaceAll(body, "\n"+indent+"\n", "\n\n")
		items = append(items, marker+body)
	}
	return strings.Join(items, "\n")
}

// table writes a simple table as a Markdown table: its rows of cells,
// the first row the header. A table of one column is its cells as
// paragraphs (a layout table).
func (c *converter) table(n *html.Node) {
	var rows [][]string
	cols := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if dropped(ch, c.inContent) {
				continue
			}
			switch ch.DataAtom {
			case atom.Tr:
				var row []string
				for td := ch.FirstChild; td != nil; td = td.NextSibling {
					if td.DataAtom != atom.Td && td.DataAtom != atom.Th || dropped(td, c.inContent) {
						continue
					}
					cell := collapse(strings.Join(c.sub(td), " "))
					row = append(row, strings.ReplaceAll(cell, "|", `\|`))
				}
				if len(row) > 0 {
					rows = append(rows, row)
					cols = max(cols, len(row))
				}
			case atom.Caption:
				if t := collapse(c.inline(ch, true)); t != "" {
					c.out = append(c.out, escapeBlockStart(t))
				}
			case atom.Thead, atom.Tbody, atom.Tfoot:
				walk(ch)
			}
		}
	}
	walk(n)
	if cols <= 1 {
		for _, r := range rows {
			if len(r) > 0 && r[0] != "" {
				c.out = append(c.out, escapeBlockStart(strings.ReplaceAll(r[0], `\|`, "|")))
			}
		}
		return
	}
	var b strings.Builder
	for i, r := range rows {
		for len(r) < cols {
			r = append(r, "")
		}
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			b.WriteString("|" + strings.Repeat(" --- |", cols) + "\n")
		}
	}
	c.out = append(c.out, strings.TrimRight(b.String(), "\n"))
}

// cleanParagraph collapses the spaces of a paragraph's text, keeping the
// line breaks of <br>.
func cleanParagraph(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = collapse(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// spaced is the text of a page's source with its line breaks as
// spaces: only <br> breaks a line.
func spaced(s string) string { return lineBreaks.Replace(s) }

var lineBreaks = strings.NewReplacer("\n", " ", "\r", " ", "\f", " ")

// collapse turns each run of white space into one space, trimmed.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// escapeBlockStart escapes what would make a line of text a heading, a
// list item or a quote in Markdown.
func escapeBlockStart(p string) string {
	lines := strings.Split(p, "\n")
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "#"), strings.HasPrefix(l, ">"),
			strings.HasPrefix(l, "- "), strings.HasPrefix(l, "+ "), strings.HasPrefix(l, "* "),
			strings.HasPrefix(l, "---"), strings.HasPrefix(l, "```"):
			lines[i] = `\` + l
		default:
			// "1. " at the start: an ordered list item.
			j := strings.IndexFunc(l, func(r rune) bool { return r < '0' || r > '9' })
			if j > 0 && j < 10 && strings.HasPrefix(l[j:], ". ") {
				lines[i] = l[:j] + `\` + l[j:]
			}
		}
	}
	return strings.Join(lines, "\n")
}

// textOf is all the text under n, as it is (a <pre>'s, a <title>'s).
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Br {
			b.WriteString("\n")
		}
		if dropped(n, true) && n.DataAtom != atom.Title {
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return strings.ToValidUTF8(b.String(), string(utf8.RuneError))
}

// find returns the first node under n (n included), in document order,
// that ok accepts, not looking inside scripts, templates, svg or math.
func find(n *html.Node, ok func(*html.Node) bool) *html.Node {
	if ok(n) {
		return n
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && (ch.DataAtom == atom.Script || ch.DataAtom == atom.Template || ch.Namespace != "") {
			continue
		}
		if f := find(ch, ok); f != nil {
			return f
		}
	}
	return nil
}

// findContent is find outside what is dropped: a <main> inside a <nav>
// is the menu's.
func findContent(n *html.Node, ok func(*html.Node) bool) *html.Node {
	if dropped(n, false) {
		return nil
	}
	if ok(n) {
		return n
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if f := findContent(ch, ok); f != nil {
			return f
		}
	}
	return nil
}

func isElem(a atom.Atom) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.DataAtom == a }
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return true
		}
	}
	return false
}
