package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

const base = "https://shop.example/help/resi"

func mustReadHTML(t *testing.T, page string) HTMLPage {
	t.Helper()
	p, err := ReadHTML(strings.NewReader(page), base)
	if err != nil {
		t.Fatalf("ReadHTML: %v", err)
	}
	return p
}

// TestHTMLToMarkdownKeepsTheContent converts a help-centre page as a shop
// would serve it, navigation and all, and checks the Markdown a reader
// gets.
func TestHTMLToMarkdownKeepsTheContent(t *testing.T) {
	page := `<!doctype html><html lang="it-IT"><head><title>Resi e rimborsi | Negozio Demo</title>
<style>body { color: red }</style><script>var tracking = "secret";</script></head>
<body><header><a href="/">Home</a><nav><a href="/a">Prodotti</a></nav></header>
<aside>Offerte del giorno</aside>
<main><header><h1>Resi e <em>rimborsi</em></h1></header>
<p>Puoi restituire un prodotto entro <strong>14 giorni</strong>. Vedi <a href="/help/garanzia?x=1#top">la garanzia</a>
e <a href="javascript:alert(1)">questo</a>.</p>
<h2>Come fare</h2>
<ol><li>Apri il tuo ordine</li><li>Scegli <b>Restituisci</b></li></ol>
<ul><li>Etichetta gratuita</li><li>Rimborso in 5 giorni<ul><li>sulla carta usata</li></ul></li></ul>
<h5>Nota</h5>
<table><thead><tr><th>Prodotto</th><th>Giorni</th></tr></thead><tbody><tr><td>TV</td><td>30</td></tr><tr><td>Cuffie | auricolari</td><td>14</td></tr></tbody></table>
<p><img src="a.png" alt="Schema del reso"><img src="logo.png" alt="logo"><img src="b.png" alt="IMG_0042.jpg"></p>
<div hidden>bozza nascosta</div><div aria-hidden="true">icona</div><div style="display: none">nascosto</div>
<form action="/search"><label>Cerca</label><input name=q></form>
<p>Riga uno<br>riga due</p>
</main><footer>© Negozio Demo</footer></body></html>`
	p := mustReadHTML(t, page)
	want := `# Resi e rimborsi

Puoi restituire un prodotto entro **14 giorni**. Vedi [la garanzia](https://shop.example/help/garanzia?x=1#top) e questo.

## Come fare

1. Apri il tuo ordine
2. Scegli **Restituisci**

- Etichetta gratuita
- Rimborso in 5 giorni

  - sulla carta usata

#### Nota

| Prodotto | Giorni |
| --- | --- |
| TV | 30 |
| Cuffie \| auricolari | 14 |

Schema del reso

Riga uno
riga due
`
	if p.Markdown != want {
		t.Errorf("markdown:\n%s\nwant:\n%s", p.Markdown, want)
	}
	if p.Title != "Resi e rimborsi" {
		t.Errorf("title %q, want %q", p.Title, "Resi e rimborsi")
	}
	if p.Lang != "it-IT" {
		t.Errorf("lang %q, want it-IT", p.Lang)
	}
	wantLinks := []string{"https://shop.example/", "https://shop.example/a", "https://shop.example/help/garanzia?x=1"}
	if strings.Join(p.Links, " ") != strings.Join(wantLinks, " ") {
		t.Errorf("links %q, want %q", p.Links, wantLinks)
	}
	title, md, err := HTMLToMarkdown(strings.NewReader(page), base)
	if err != nil || title != p.Title || md != p.Markdown {
		t.Errorf("HTMLToMarkdown = %q, %q, %v; want what ReadHTML gives", title, md, err)
	}
}

func TestHTMLContentRoot(t *testing.T) {
	tests := []struct {
		name, page string
		want       string
	}{
		{"main over the rest", `<body><div>menu</div><main><p>dentro</p></main><div>fuori</div></body>`, "dentro\n"},
		{"role main", `<body><div>menu</div><div role="main"><p>dentro</p></div></body>`, "dentro\n"},
		{"article when no main", `<body><div>menu</div><article><header><h2>Titolo</h2></header><p>testo</p><footer>del 3 marzo</footer></article></body>`, "## Titolo\n\ntesto\n\ndel 3 marzo\n"},
		{"several articles: all of them", `<body><nav>menu</nav><article><h2>Uno</h2><p>a</p></article><article><h2>Due</h2><p>b</p></article></body>`, "## Uno\n\na\n\n## Due\n\nb\n"},
		{"an empty main: the body", `<body><nav>menu</nav><main><div id="app"></div></main><div><p>testo</p></div></body>`, "testo\n"},
		{"body when neither", `<body><header>logo</header><div>uno</div><div>due</div><footer>fine</footer></body>`, "uno\n\ndue\n"},
		{"main inside nav is not the content", `<body><nav><main>menu</main></nav><p>testo</p></body>`, "testo\n"},
		{"role navigation", `<body><div role="navigation"><a href="/x">x</a></div><p>testo</p></body>`, "testo\n"},
		{"details keep their text", `<main><details><summary>Quanto costa?</summary><p>Nulla.</p></details></main>`, "Quanto costa?\n\nNulla.\n"},
		{"definition list", `<main><dl><dt>Reso</dt><dd>entro 14 giorni</dd></dl></main>`, "**Reso**\n\nentro 14 giorni\n"},
		{"blockquote", `<main><blockquote><p>uno</p><p>due</p></blockquote></main>`, "> uno\n> \n> due\n"},
		{"layout table of one column", `<main><table><tr><td>uno</td></tr><tr><td>due</td></tr></table></main>`, "uno\n\ndue\n"},
		{"text that looks like Markdown stays text", `<main><p># non un titolo</p><p>- non una lista</p><p>1. non numerata</p></main>`, "\\# non un titolo\n\n\\- non una lista\n\n1\\. non numerata\n"},
		{"empty page", `<html><body><script>x()</script></body></html>`, ""},
		{"no html at all", `solo testo`, "solo testo\n"},
		{"entities", `<p>Prezzo &lt; 50&nbsp;&euro; &amp; spedizione</p>`, "Prezzo < 50 € & spedizione\n"},
		{"ordered list start", `<main><ol start="3"><li>tre</li><li>quattro</li></ol></main>`, "3. tre\n4. quattro\n"},
		{"pre keeps its lines", "<main><pre>reset\n  hold 5 s</pre></main>", "```\nreset\n  hold 5 s\n```\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustReadHTML(t, tt.page).Markdown; got != tt.want {
				t.Errorf("got:\n%q\nwant:\n%q", got, tt.want)
			}
		})
	}
}

func TestHTMLLinks(t *testing.T) {
	tests := []struct {
		name, href, want string
	}{
		{"relative", `garanzia`, "[x](https://shop.example/help/garanzia)"},
		{"root relative", `/faq?q=1`, "[x](https://shop.example/faq?q=1)"},
		{"dot segments", `../../faq`, "[x](https://shop.example/faq)"},
		{"absolute elsewhere", `http://other.example/p`, "[x](http://other.example/p)"},
		{"scheme relative", `//cdn.example/p`, "[x](https://cdn.example/p)"},
		{"javascript", `javascript:alert(1)`, "x"},
		{"javascript with spaces and case", "  JavaScript:alert(1)", "x"},
		{"data", `data:text/html,<script>alert(1)</script>`, "x"},
		{"mailto", `mailto:help@shop.example`, "x"},
		{"fragment only", `#top`, "x"},
		{"user info", `https://user:pw@shop.example/`, "x"},
		{"parentheses escaped", `/a(b)`, "[x](https://shop.example/a%28b%29)"},
		{"broken", `http://[::1`, "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustReadHTML(t, `<p><a href="`+tt.href+`">x</a></p>`).Markdown
			if got != tt.want+"\n" {
				t.Errorf("got %q, want %q", got, tt.want+"\n")
			}
		})
	}
	t.Run("base href", func(t *testing.T) {
		got := mustReadHTML(t, `<head><base href="https://shop.example/it/"></head><p><a href="resi">x</a></p>`).Markdown
		if want := "[x](https://shop.example/it/resi)\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("javascript base href is ignored", func(t *testing.T) {
		got := mustReadHTML(t, `<head><base href="javascript:alert(1)//"></head><p><a href="resi">x</a></p>`).Markdown
		if want := "[x](https://shop.example/help/resi)\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestHTMLTitle(t *testing.T) {
	tests := []struct {
		name, page, want string
	}{
		{"shop after a bar", `<title>Spedizioni | Negozio</title>`, "Spedizioni"},
		{"shop after a dash", `<title>Shipping - Demo Shop</title>`, "Shipping"},
		{"shop after an en dash", `<title>Shipping – Demo Shop</title>`, "Shipping"},
		{"several parts", `<title>Resi | Aiuto | Negozio</title>`, "Resi | Aiuto"},
		{"no suffix", `<title>Wi-Fi setup</title>`, "Wi-Fi setup"},
		{"h1 when no title", `<body><h1>Garanzia</h1></body>`, "Garanzia"},
		{"h1 prefix of the title", `<title>Reset - how to - Shop</title><h1>Reset - how to</h1>`, "Reset - how to"},
		{"h1 when the title is empty", `<title>  </title><h1>Pagamenti</h1>`, "Pagamenti"},
		{"spaces collapsed", "<title>\n  Resi\n  e rimborsi\n</title>", "Resi e rimborsi"},
		{"svg title is not the page's", `<body><svg><title>icon</title></svg><h1>Garanzia</h1></body>`, "Garanzia"},
		{"nothing", `<p>testo</p>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustReadHTML(t, tt.page).Title; got != tt.want {
				t.Errorf("title %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHTMLNoScriptSurvives feeds hostile pages: no script text, and no
// markup that a renderer could run, may reach the Markdown.
func TestHTMLNoScriptSurvives(t *testing.T) {
	pages := map[string]string{
		"script":                 `<p>a</p><script>alert("pwned")</script><p>b</p>`,
		"script in head":         `<head><script>alert("pwned")</script></head><body>a b</body>`,
		"script upper case":      `<SCRIPT>alert("pwned")</SCRIPT>a b`,
		"unclosed script":        `<p>a b</p><script>alert("pwned")`,
		"script in attributes":   `<p onclick="alert('pwned')" title="<script>alert('pwned')</script>">a b</p>`,
		"script in comment":      `<!-- <script>alert("pwned")</script> -->a b`,
		"broken comment":         `<!--> <script>alert("pwned")</script> a b`,
		"cdata":                  `<![CDATA[<script>alert("pwned")</script>]]>a b`,
		"cdata in svg":           `<svg><![CDATA[<script>alert("pwned")</script>]]></svg>a b`,
		"escaped script":         `<p>a b &lt;script&gt;alert("pwned")&lt;/script&gt;</p>`,
		"double escaped":         `<p>a b &amp;lt;script&amp;gt;</p>`,
		"numeric entities":       `<p>a b &#60;script&#62;alert("pwned")&#x3c;/script></p>`,
		"nested in tags":         `<p>a b <scr<script>alert("pwned")</script>ipt>alert("pwned")</script></p>`,
		"script in noscript":     `<noscript><script>alert("pwned")</script>pwned</noscript>a b`,
		"script in template":     `<template><script>alert("pwned")</script>pwned</template>a b`,
		"xmp raw text":           `<xmp><script>alert("pwned")</script></xmp>a b`,
		"textarea":               `<textarea><script>alert("pwned")</script></textarea>a b`,
		"title raw text":         `<title><script>alert("pwned")</script></title>a b`,
		"style with tags":        `<style></style><script>alert("pwned")</script></style>a b`,
		"iframe srcdoc":          `<iframe srcdoc="<script>alert('pwned')</script>">pwned</iframe>a b`,
		"svg script":             `<svg><script>alert("pwned")</script></svg>a b`,
		"math":                   `<math><mi><script>alert("pwned")</script></mi></math>a b`,
		"javascript link":        `<a href="javascript:alert('pwned')">a b</a>`,
		"javascript entity link": `<a href="jav&#x09;ascript:alert('pwned')">a b</a>`,
		"link with script query": `<a href="/x?<script>alert('pwned')</script>">a b</a>`,
		"img onerror":            `<img src=x onerror="alert('pwned')" alt="a b">`,
		"plaintext":              `a b<plaintext><script>alert("pwned")</script>`,
		"custom element":         `<x-script>alert("pwned")</x-script>a b`,
		"object":                 `<object data="x.swf">pwned</object>a b`,
	}
	// Pages whose script text a browser shows as text (and so do we,
	// without the tags).
	visible := map[string]bool{
		"cdata": true, "escaped script": true, "numeric entities": true,
		"xmp raw text": true, "plaintext": true, "title raw text": true,
		"link with script query": true, // percent-escaped in the address
	}
	for name, page := range pages {
		t.Run(name, func(t *testing.T) {
			p := mustReadHTML(t, page)
			out := strings.ToLower(p.Title + "\n" + p.Markdown)
			for _, bad := range []string{"<script", "javascript:", "onerror", "onclick", "<iframe", "<img", "<svg"} {
				if strings.Contains(out, bad) {
					t.Errorf("%q survived:\n%s", bad, out)
				}
			}
			if !visible[name] && strings.Contains(strings.ToLower(p.Title+p.Markdown), "pwned") {
				t.Errorf("script text survived:\n%s", p.Markdown)
			}
		})
	}
}

func TestHTMLBadInput(t *testing.T) {
	t.Run("too big", func(t *testing.T) {
		big := "<p>" + strings.Repeat("a", MaxHTMLSize) + "</p>"
		_, err := ReadHTML(strings.NewReader(big), base)
		if !errors.Is(err, ErrTooBig) {
			t.Fatalf("err %v, want ErrTooBig", err)
		}
	})
	t.Run("binary", func(t *testing.T) {
		png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
		if _, err := ReadHTML(strings.NewReader(png), base); err == nil || !strings.Contains(err.Error(), "binary") {
			t.Fatalf("err %v, want binary data refused", err)
		}
	})
	t.Run("invalid UTF-8 and control characters", func(t *testing.T) {
		p := mustReadHTML(t, "<title>a\xffb\x07</title><p>c\xfe\xfed\x1be\u202e</p>")
		if !utf8.ValidString(p.Markdown) || !utf8.ValidString(p.Title) {
			t.Fatalf("invalid UTF-8: %q %q", p.Title, p.Markdown)
		}
		if p.Markdown != "c\uFFFDde\n" || p.Title != "a\uFFFDb" {
			t.Errorf("got %q %q", p.Title, p.Markdown)
		}
	})
	t.Run("deep nesting", func(t *testing.T) {
		deep := strings.Repeat("<div><ul><li>", 50) + "fondo" + strings.Repeat("</li></ul></div>", 50)
		if p := mustReadHTML(t, deep); !strings.Contains(p.Markdown, "fondo") {
			t.Errorf("the text at the bottom is lost: %q", p.Markdown[:min(len(p.Markdown), 200)])
		}
	})
	t.Run("too deep", func(t *testing.T) {
		deep := strings.Repeat("<div>", 2000) + "fondo"
		if _, err := ReadHTML(strings.NewReader(deep), base); err == nil || !strings.Contains(err.Error(), "parse html") {
			t.Fatalf("err %v, want a parse error", err)
		}
	})
	t.Run("read error", func(t *testing.T) {
		_, err := ReadHTML(errReader{}, base)
		if err == nil {
			t.Fatal("no error")
		}
	})
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

// FuzzHTMLToMarkdown checks, on any bytes, that conversion does not
// panic, writes valid UTF-8 and never lets a script tag through.
func FuzzHTMLToMarkdown(f *testing.F) {
	seeds := []string{
		`<html lang="en"><title>T | S</title><main><h1>A</h1><p>b <a href="/c">c</a></p></main>`,
		`<script>alert(1)</script><p>x</p>`,
		`<p>&lt;script&gt;</p>`,
		`<table><tr><td><table><tr><td>x</td><td>y</td></tr></table></td></tr></table>`,
		`<ul><li><ol><li><pre>x</pre></li></ol></li></ul>`,
		`<svg><![CDATA[<script>]]></svg>`,
		"\xff\xfe<p>\x00</p>",
		`<a href="javascript:x">y</a><img alt="<script>">`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadHTML(bytes.NewReader(data), base)
		if err != nil {
			return
		}
		for _, s := range append([]string{p.Title, p.Markdown, p.Lang}, p.Links...) {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 %q", s)
			}
			if strings.Contains(strings.ToLower(s), "<script") {
				t.Fatalf("<script in %q", s)
			}
		}
	})
}

// BenchmarkReadHTML converts a help-centre page of about 60 KB.
func BenchmarkReadHTML(b *testing.B) {
	var page strings.Builder
	page.WriteString(`<html lang="it"><head><title>Garanzia | Negozio</title><script>x()</script></head><body><nav><a href="/">Home</a></nav><main>`)
	for i := range 100 {
		fmt.Fprintf(&page, `<h2>Domanda %d</h2><p>La garanzia legale dura <strong>24 mesi</strong> dalla consegna; vedi <a href="/help/%d">le condizioni</a>.</p><ul><li>uno</li><li>due</li></ul>`, i, i)
	}
	page.WriteString(`</main></body></html>`)
	data := []byte(page.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadHTML(bytes.NewReader(data), base); err != nil {
			b.Fatal(err)
		}
	}
}
