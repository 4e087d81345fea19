package webchat

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"net/http"
	"path"
	"time"
	"unicode"
)

//go:embed assets
var assetFS embed.FS

var pageTemplate = template.Must(template.ParseFS(assetFS, "assets/index.html"))

// An asset is an embedded file with its validator.
type asset struct {
	body  []byte
	ctype string
	etag  string
}

// assets are the files served as they are, by name.
var assets = loadAssets("chat.js", "chat.css", "widget.js")

func loadAssets(names ...string) map[string]asset {
	m := make(map[string]asset)
	types := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
	for _, n := range names {
		b, err := assetFS.ReadFile("assets/" + n)
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		m[n] = asset{b, types[path.Ext(n)], `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	return m
}

// renderPage renders the chat page for a shop.
func renderPage(title string, embed bool) []byte {
	var b bytes.Buffer
	err := pageTemplate.Execute(&b, map[string]any{
		"Title":   title,
		"Initial": initial(title),
		"Embed":   embed,
		"Build":   assets["chat.js"].etag[1:9] + assets["chat.css"].etag[1:9],
	})
	if err != nil {
		panic(err) // the template is embedded: a bug, caught by any test
	}
	return b.Bytes()
}

// initial returns the first letter of title, upper case, for the avatar.
func initial(title string) string {
	for _, r := range title {
		return string(unicode.ToUpper(r))
	}
	return "?"
}

func (c *Chat) servePage(w http.ResponseWriter, r *http.Request) {
	page := c.page
	if r.URL.Query().Get("embed") == "1" {
		page = c.embed
	}
	h := w.Header()
	h.Set("Content-Security-Policy", c.csp)
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	w.Write(page)
}

func (c *Chat) serveWidget(w http.ResponseWriter, r *http.Request) {
	// The widget is loaded by other sites, including those that require
	// cross-origin resources to opt in (COEP).
	w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
	serveAsset(w, r, assets["widget.js"])
}

func (c *Chat) serveAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	a, ok := assets[name]
	if !ok || name == "widget.js" {
		http.NotFound(w, r)
		return
	}
	serveAsset(w, r, a)
}

func serveAsset(w http.ResponseWriter, r *http.Request, a asset) {
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	// Revalidate each time: a new binary brings new files at the same URL,
	// and the ETag makes the check cheap.
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}
