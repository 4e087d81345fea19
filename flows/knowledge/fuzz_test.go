package knowledge

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// checkParsed holds for whatever a file holds: no panic, every document
// kept has a title, a body with words, a language it, en or "", and every
// mistake names the file.
func checkParsed(t *testing.T, name string, data []byte) {
	l := &loader{titles: map[[2]string]string{}}
	l.parse(name, "doc", data)
	for _, d := range l.docs {
		if d.Title == "" || strings.TrimSpace(d.Body) == "" || !utf8.ValidString(d.Body) || !utf8.ValidString(d.Title) {
			t.Errorf("document %+v: want a title and a body of valid text", d)
		}
		if d.Lang != "" && d.Lang != "it" && d.Lang != "en" {
			t.Errorf("document %q kept with lang %q", d.ID, d.Lang)
		}
		if d.Line < 1 {
			t.Errorf("document %q at line %d", d.ID, d.Line)
		}
		for _, p := range split(&d) {
			if p.Line < d.Line || strings.TrimSpace(p.Text) == "" {
				t.Errorf("passage %q at line %d (document at %d) text %q", p.ID, p.Line, d.Line, p.Text)
			}
		}
	}
	for _, err := range l.errs {
		if !strings.HasPrefix(err.Error(), name) {
			t.Errorf("mistake %q does not name the file", err)
		}
	}
}

func FuzzFrontMatter(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: Pagamenti\nlang: it\nurl: https://x.example/p\n---\nAccettiamo PayPal.\n",
		"---\n---\n# Title\ntext",
		"---\ntitle: [\n---\n",
		"---\r\ntitle: A\r\n---\r\nBody\r\n",
		"# A\n## B\n### C\ntext\n#### D\n```\n# x\n```",
		"---\ntitle: &a [*a]\n---\nx",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParsed(t, "page.md", data)
	})
}

func FuzzFAQ(f *testing.F) {
	for _, s := range []string{
		"question,answer,lang,url\nA?,Yes.,en,https://x.example\n\"B,\"\"b\"\"?\",\"No,\nreally\",it,\n",
		"question,answer\nA?\n\"broken,x\n",
		"answer,question\n,\n,,,\n",
		"\uFEFFquestion,answer\nA?,B\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParsed(t, "faq.csv", data)
		checkParsed(t, "faq.tsv", []byte(strings.ReplaceAll(string(data), ",", "\t")))
	})
}
