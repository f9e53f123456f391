package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// built is a stand-in for a Vite build.
var built = fstest.MapFS{
	".gitkeep":             {Data: nil},
	"index.html":           {Data: []byte(`<!doctype html><title>Allegiance explorer</title><script src="/assets/index-abc.js"></script>`)},
	"graphiql.html":        {Data: []byte(`<!doctype html><title>Allegiance GraphiQL</title>`)},
	"assets/index-abc.js":  {Data: []byte(`console.log("explorer")`)},
	"assets/index-abc.css": {Data: []byte(`body{}`)},
}

// unbuilt is dist/ in a clean clone.
var unbuilt = fstest.MapFS{".gitkeep": {Data: nil}}

func get(tb testing.TB, h http.Handler, method, path string) *http.Response {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec.Result()
}

func TestHandler(t *testing.T) {
	tests := []struct {
		name        string
		files       fstest.MapFS
		path        string
		status      int
		contentType string // prefix
		body        string // substring
		cache       string
	}{
		{"explorer", built, "/", 200, "text/html", "Allegiance explorer", "no-cache"},
		{"graphiql", built, "/graphiql", 200, "text/html", "Allegiance GraphiQL", "no-cache"},
		{"script", built, "/assets/index-abc.js", 200, "text/javascript", `console.log("explorer")`, "immutable"},
		{"style", built, "/assets/index-abc.css", 200, "text/css", "body{}", "immutable"},
		{"missing asset", built, "/assets/nope.js", 404, "", "", ""},
		{"dot-dot", built, "/assets/../index.html", 404, "", "", ""},
		{"other path", built, "/index.html", 404, "", "", ""},
		{"placeholder explorer", unbuilt, "/", 200, "text/html", "npm --prefix web run build", "no-cache"},
		{"placeholder graphiql", unbuilt, "/graphiql", 200, "text/html", "tools/run.sh", "no-cache"},
		{"no assets without a build", unbuilt, "/assets/index-abc.js", 404, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := get(t, newHandler(tt.files), http.MethodGet, tt.path)
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.status {
				t.Fatalf("GET %s: got status %d, want %d", tt.path, res.StatusCode, tt.status)
			}
			if got := res.Header.Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'self'") {
				t.Errorf("GET %s: got Content-Security-Policy %q, want one limited to 'self'", tt.path, got)
			}
			if tt.status != 200 {
				return
			}
			if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, tt.contentType) {
				t.Errorf("GET %s: got Content-Type %q, want %s…", tt.path, got, tt.contentType)
			}
			if !strings.Contains(string(body), tt.body) {
				t.Errorf("GET %s: got body %.200q, want it to contain %q", tt.path, body, tt.body)
			}
			if got := res.Header.Get("Cache-Control"); !strings.Contains(got, tt.cache) {
				t.Errorf("GET %s: got Cache-Control %q, want %q", tt.path, got, tt.cache)
			}
		})
	}
}

// TestPatternsMount checks that the patterns register beside the API's own
// on one ServeMux (which panics on a conflict) and route to the pages.
func TestPatternsMount(t *testing.T) {
	mux := http.NewServeMux()
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "api") })
	mux.Handle("/graphql", api)
	mux.Handle("GET /healthz", api)
	mux.Handle("POST /admin/reload", api)
	h := newHandler(built)
	for _, p := range Patterns() {
		mux.Handle(p, h)
	}
	tests := []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/", 200, "Allegiance explorer"},
		{"HEAD", "/", 200, ""},
		{"GET", "/graphiql", 200, "Allegiance GraphiQL"},
		{"GET", "/assets/index-abc.js", 200, "explorer"},
		{"GET", "/graphql", 200, "api"},
		{"POST", "/graphql", 200, "api"},
		{"GET", "/healthz", 200, "api"},
		{"GET", "/nothing-here", 404, ""},
		{"POST", "/", 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			res := get(t, mux, tt.method, tt.path)
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.status {
				t.Fatalf("%s %s: got status %d, want %d", tt.method, tt.path, res.StatusCode, tt.status)
			}
			if !strings.Contains(string(body), tt.body) {
				t.Errorf("%s %s: got body %.100q, want it to contain %q", tt.method, tt.path, body, tt.body)
			}
		})
	}
}

// TestEmbedded checks the real embedded files: the explorer when it was
// built before `go test`, the placeholder otherwise. Either way / answers.
func TestEmbedded(t *testing.T) {
	res := get(t, Handler(), http.MethodGet, "/")
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET /: got status %d, want 200", res.StatusCode)
	}
	want := "The explorer is not built"
	if Built() {
		want = "Allegiance explorer"
	}
	if !strings.Contains(string(body), want) {
		t.Errorf("GET / with Built()=%v: got body %.200q, want it to contain %q", Built(), body, want)
	}
}
