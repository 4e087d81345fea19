package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// helpCentre is a shop's help centre on a local server: a sitemap,
// robots.txt, pages in Italian and English that link to each other, and
// the mistakes real sites make.
func helpCentre(t *testing.T) (*httptest.Server, func(path string) int) {
	t.Helper()
	var mu sync.Mutex
	hits := map[string]int{}
	mux := http.NewServeMux()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("another host was asked for %s", r.URL)
	}))
	t.Cleanup(other.Close)
	var srv *httptest.Server
	page := func(lang, title, body string) string {
		return `<!doctype html><html lang="` + lang + `"><head><title>` + title + ` | Negozio Demo</title>
<script>window.track("visit")</script><style>nav{}</style></head><body>
<header><nav><a href="/">Home</a> <a href="/it/resi">Resi</a> <a href="/en/returns">Returns</a> <a href="` + other.URL + `/">Partner</a></nav></header>
<main>` + body + `</main><footer>© Negozio Demo · <a href="/privato/">area riservata</a></footer></body></html>`
	}
	html := func(path, content string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != path {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, content)
		})
	}
	html("/", page("it", "Aiuto", `<h1>Centro assistenza</h1><p>Come possiamo aiutarti?</p><ul><li><a href="/it/resi">Resi e rimborsi</a></li><li><a href="/it/pagamenti.html">Pagamenti</a></li><li><a href="/manuale.pdf">Manuale TV</a></li><li><a href="/it/vecchia">Vecchia pagina</a></li></ul>`))
	html("/it/resi", page("it-IT", "Resi e rimborsi", `<h1>Resi e rimborsi</h1><p>Hai <strong>14 giorni</strong> per restituire un prodotto. Leggi la <a href="/en/returns">versione inglese</a>.</p><button onclick="chat()">Chatta</button>`))
	html("/it/pagamenti.html", page("", "Pagamenti", `<h1>Pagamenti</h1><p>Puoi pagare con carta di credito, PayPal o bonifico bancario. Il pagamento alla consegna non è disponibile.</p>`))
	html("/en/returns", page("en", "Returns and refunds", `<h1>Returns and refunds</h1><p>You have 14 days to return a product. <a href="/it/resi">Italiano</a>.</p>`))
	html("/privato/", page("it", "Privato", `<p>Solo per il personale</p>`))
	html("/de/versand", page("de", "Versand", `<h1>Versand</h1><p>Wir liefern in zwei Tagen.</p>`))
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /privato/\n")
	})
	mux.HandleFunc("/enorme", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<p>"+strings.Repeat("garanzia ", 300_000)+"</p>")
	})
	mux.HandleFunc("/manuale.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		fmt.Fprint(w, "%PDF-1.4 binary")
	})
	mux.HandleFunc("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>%[1]s/sitemap.xml</loc></sitemap><sitemap><loc>%[1]s/sitemap-pages.xml</loc></sitemap></sitemapindex>`, srv.URL)
	})
	mux.HandleFunc("/sitemap-pages.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>%[1]s/it/resi</loc></url><url><loc>%[1]s/en/returns</loc></url><url><loc>%[1]s/it/pagamenti.html</loc></url>
<url><loc>%[1]s/de/versand</loc></url><url><loc>%[1]s/it/vecchia</loc></url><url><loc>%[1]s/enorme</loc></url><url><loc>%[2]s/elsewhere</loc></url></urlset>`, srv.URL, other.URL)
	})
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, func(path string) int {
		mu.Lock()
		defer mu.Unlock()
		return hits[path]
	}
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// TestKnowledgeFetchSavesTheHelpCentre crawls the site from its home
// page and checks what a shop owner finds in the folder.
func TestKnowledgeFetchSavesTheHelpCentre(t *testing.T) {
	srv, hits := helpCentre(t)
	out := t.TempDir()
	code, stdout, stderr := runCmd(t, "knowledge", "fetch", "--start", srv.URL+"/", "--out", out, "--delay", "2ms")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	files := readDir(t, out)
	if got, want := keys(files), []string{"en/returns.md", "index.md", "it/pagamenti.md", "it/resi.md"}; !slices.Equal(got, want) {
		t.Fatalf("files %q, want %q\n%s", got, want, stdout)
	}
	want := "---\ntitle: Resi e rimborsi\nlang: it\nurl: " + srv.URL + "/it/resi\n---\n\n# Resi e rimborsi\n\n" +
		"Hai **14 giorni** per restituire un prodotto. Leggi la [versione inglese](" + srv.URL + "/en/returns).\n"
	if files["it/resi.md"] != want {
		t.Errorf("it/resi.md:\n%s\nwant:\n%s", files["it/resi.md"], want)
	}
	// No lang attribute: the language is told from the text.
	if !strings.Contains(files["it/pagamenti.md"], "\nlang: it\n") {
		t.Errorf("it/pagamenti.md has no lang: it:\n%s", files["it/pagamenti.md"])
	}
	if !strings.Contains(files["en/returns.md"], "\nlang: en\n") {
		t.Errorf("en/returns.md has no lang: en:\n%s", files["en/returns.md"])
	}
	for name, f := range files {
		for _, bad := range []string{"track", "<script", "Partner", "Home", "Negozio Demo", "Chatta", "area riservata"} {
			if strings.Contains(f, bad) {
				t.Errorf("%s holds %q:\n%s", name, bad, f)
			}
		}
	}
	for _, line := range []string{
		"4 pages saved in " + out,
		"/it/vecchia: 404 Not Found",
		"/manuale.pdf: not an HTML page: application/pdf",
		"/privato/: disallowed by robots.txt",
		"1 links to other sites not followed",
	} {
		if !strings.Contains(stdout, line) {
			t.Errorf("the summary does not say %q:\n%s", line, stdout)
		}
	}
	if hits("/privato/") != 0 {
		t.Error("a page robots.txt forbids was fetched")
	}
	for _, p := range []string{"/", "/it/resi", "/en/returns", "/robots.txt"} {
		if n := hits(p); n != 1 {
			t.Errorf("%s fetched %d times", p, n)
		}
	}
}

func TestKnowledgeFetchFromASitemap(t *testing.T) {
	srv, hits := helpCentre(t)
	out := t.TempDir()
	code, stdout, stderr := runCmd(t, "knowledge", "fetch", "--sitemap", srv.URL+"/sitemap.xml", "--out", out, "--delay", "2ms")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	files := readDir(t, out)
	if got, want := keys(files), []string{"de/versand.md", "en/returns.md", "it/pagamenti.md", "it/resi.md"}; !slices.Equal(got, want) {
		t.Errorf("files %q, want %q\n%s", got, want, stdout)
	}
	for _, line := range []string{
		"/sitemap.xml: in sitemap " + srv.URL + "/sitemap.xml: sitemap already read",
		"/elsewhere: in sitemap " + srv.URL + "/sitemap-pages.xml: on another host",
		"/it/vecchia: 404 Not Found",
		"/enorme: page too big",
		`1 pages in language "de"`,
	} {
		if !strings.Contains(stdout, line) {
			t.Errorf("the summary does not say %q:\n%s", line, stdout)
		}
	}
	if hits("/") != 0 {
		t.Error("a page outside the sitemap was fetched")
	}
	if hits("/sitemap.xml") != 1 {
		t.Errorf("the sitemap that points at itself was read %d times", hits("/sitemap.xml"))
	}
}

// TestKnowledgeFetchOverwritesOnlyTheSamePage runs the fetch twice, with
// the shop's own file in the way of one page.
func TestKnowledgeFetchOverwritesOnlyTheSamePage(t *testing.T) {
	srv, _ := helpCentre(t)
	out := t.TempDir()
	mine := "---\ntitle: Resi (scritto a mano)\nurl: https://elsewhere.example/resi\n---\n\nI miei appunti.\n"
	if err := os.MkdirAll(filepath.Join(out, "it"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeTemp(t, out, "it/resi.md", mine)
	writeTemp(t, out, "it/pagamenti.md", "no front matter")
	args := []string{"knowledge", "fetch", "--sitemap", srv.URL + "/sitemap-pages.xml", "--out", out, "--delay", "1ms"}
	for range 2 {
		if code, stdout, stderr := runCmd(t, args...); code != 0 {
			t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
		}
	}
	files := readDir(t, out)
	if got, want := keys(files), []string{"de/versand.md", "en/returns.md", "it/pagamenti-2.md", "it/pagamenti.md", "it/resi-2.md", "it/resi.md"}; !slices.Equal(got, want) {
		t.Fatalf("files %q, want %q", got, want)
	}
	if files["it/resi.md"] != mine || files["it/pagamenti.md"] != "no front matter" {
		t.Error("the shop's own files were overwritten")
	}
	if !strings.Contains(files["it/resi-2.md"], "url: "+srv.URL+"/it/resi\n") {
		t.Errorf("it/resi-2.md:\n%s", files["it/resi-2.md"])
	}
}

func TestKnowledgeFetchFailsWhenNothingIsSaved(t *testing.T) {
	srv, _ := helpCentre(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"only a 404", []string{"--start", srv.URL + "/nothing-here"}, 1, "no page could be saved"},
		{"only a PDF", []string{"--start", srv.URL + "/manuale.pdf"}, 1, "no page could be saved"},
		{"no sitemap", []string{"--sitemap", srv.URL + "/missing.xml"}, 1, "404"},
		{"nobody there", []string{"--start", "http://127.0.0.1:1/"}, 1, "robots.txt"},
		{"no flags", nil, 2, "give --sitemap URL or --start URL"},
		{"both", []string{"--start", srv.URL, "--sitemap", srv.URL + "/sitemap.xml"}, 2, "one of the two"},
		{"no out", []string{"--start", srv.URL, "--out", ""}, 2, "--out is required"},
		{"bad delay", []string{"--start", srv.URL, "--delay", "0s"}, 2, "--delay"},
		{"bad limit", []string{"--start", srv.URL, "--max-pages", "0"}, 2, "--max-pages"},
		{"not a URL", []string{"--start", "shop.example"}, 1, "no http or https URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"knowledge", "fetch", "--out", t.TempDir(), "--delay", "1ms"}, tt.args...)
			code, stdout, stderr := runCmd(t, args...)
			if code != tt.code || !strings.Contains(stdout+stderr, tt.want) {
				t.Errorf("exit %d, want %d with %q\n%s\n%s", code, tt.code, tt.want, stdout, stderr)
			}
		})
	}
}

func TestPageName(t *testing.T) {
	tests := map[string]string{
		"/":                            "index",
		"":                             "index",
		"/help/":                       "help/index",
		"/help/Resi.html":              "help/resi",
		"/help/resi":                   "help/resi",
		"/it/perché-no":                "it/perché-no",
		"/a/../../etc/passwd":          "a/etc/passwd",
		"/%2e%2e/%2e%2e/etc/passwd":    "etc/passwd",
		"/..%2f..%2fetc%2fpasswd":      "etc-passwd",
		"/.git/config":                 "git/config",
		"/a b/c?d":                     "a-b/c",
		"/C:%5CWindows%5Csystem.ini":   "c-windows-system.ini",
		"/~user/page.php":              "user/page",
		"/" + strings.Repeat("x", 300): strings.Repeat("x", 80),
		"/1/2/3/4/5/6/7/8/9":           "1/2/3/4/5/6/7-8-9",
	}
	for in, want := range tests {
		u := &url.URL{Scheme: "https", Host: "shop.example", Path: in}
		if parsed, err := url.Parse("https://shop.example" + in); err == nil {
			u = parsed
		}
		got := pageName(u)
		if got != want {
			t.Errorf("pageName(%q) = %q, want %q", in, got, want)
		}
		if !filepath.IsLocal(filepath.FromSlash(got)) {
			t.Errorf("pageName(%q) = %q is not a local path", in, got)
		}
	}
}

// FuzzPageName checks that no URL makes a name outside the folder.
func FuzzPageName(f *testing.F) {
	for _, s := range []string{"/", "/a/../../b", "/%2e%2e%2f", "/.x/..y/...", "/C:%5C", "//x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		u, err := url.Parse("https://shop.example/" + p)
		if err != nil {
			return
		}
		name := pageName(u)
		if !filepath.IsLocal(filepath.FromSlash(name)) || name == "" {
			t.Fatalf("pageName(%q) = %q", p, name)
		}
		for _, part := range strings.Split(name, "/") {
			if part == "" || strings.HasPrefix(part, ".") || len(part) > maxSegmentSize {
				t.Fatalf("pageName(%q) = %q: part %q", p, name, part)
			}
		}
	})
}
