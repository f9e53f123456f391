// Package web serves the explorer (a Cytoscape.js drawing of the network)
// and GraphiQL, both built by Vite from this directory into dist/ and
// embedded in the binary. Nothing they load comes from another origin.
//
// A clean clone has no build: dist/ then holds only a .gitkeep, and every
// page is a placeholder that says how to build the explorer
// (tools/web-build.sh). The Go code builds and tests either way.
package web

import (
	"bytes"
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed all:dist
var dist embed.FS

//go:embed placeholder.html
var placeholder []byte

// Patterns are the http.ServeMux patterns Handler answers. They are exact
// paths and one subtree, so they sit beside "/graphql" and the other
// endpoints without conflict ("GET /" would conflict with "/graphql").
func Patterns() []string {
	return []string{"GET /{$}", "GET /graphiql", "GET /assets/"}
}

// Handler serves the explorer at /, GraphiQL at /graphiql and their bundled
// assets under /assets/. Without a build it serves the placeholder page.
func Handler() http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil { // cannot happen: "dist" is a valid path
		panic(err)
	}
	return newHandler(sub)
}

// Built reports whether the embedded build is present (dist/index.html).
func Built() bool {
	_, err := fs.Stat(dist, "dist/index.html")
	return err == nil
}

// contentSecurityPolicy allows nothing but this origin (and data: fonts
// and images, blob: downloads), so a page can never reach a CDN. Styles
// may be inline because Monaco and Cytoscape set them at run time.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; " +
	"object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

type handler struct {
	files fs.FS
	built bool
}

func newHandler(files fs.FS) http.Handler {
	_, err := fs.Stat(files, "index.html")
	return &handler{files: files, built: err == nil}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", contentSecurityPolicy)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	switch p := r.URL.Path; {
	case p == "/":
		h.page(w, r, "index.html")
	case p == "/graphiql":
		h.page(w, r, "graphiql.html")
	case strings.HasPrefix(p, "/assets/") && h.built:
		h.asset(w, r, strings.TrimPrefix(p, "/"))
	default:
		http.NotFound(w, r)
	}
}

// page serves an HTML entry point, never cached, so a new build shows at
// once; or the placeholder when there is no build.
func (h *handler) page(w http.ResponseWriter, r *http.Request, name string) {
	w.Header().Set("Cache-Control", "no-cache")
	body := placeholder
	if h.built {
		b, err := fs.ReadFile(h.files, name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		body = b
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

// asset serves a bundled file. Vite puts a content hash in every asset's
// name, so it may be cached for good.
func (h *handler) asset(w http.ResponseWriter, r *http.Request, name string) {
	name = path.Clean(name)
	if !fs.ValidPath(name) || !strings.HasPrefix(name, "assets/") {
		http.NotFound(w, r)
		return
	}
	b, err := fs.ReadFile(h.files, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}
