package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/allegiance/allegiance/export"
	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/store/memory"
)

// bundledStore is a memory store loaded with the bundled dataset.
func bundledStore(tb testing.TB) (*memory.Store, *network.Dataset) {
	tb.Helper()
	d := bundledDataset(tb)
	s := memory.New()
	if _, err := s.Load(context.Background(), d); err != nil {
		tb.Fatalf("loading the bundled dataset: %v", err)
	}
	return s, d
}

// getExport answers GET target with h.
func getExport(tb testing.TB, h http.Handler, target string) *httptest.ResponseRecorder {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

// graphologyKeys returns the node keys and the edge count of a graphology
// export.
func graphologyKeys(tb testing.TB, body []byte) (map[string]bool, int) {
	tb.Helper()
	var g struct {
		Nodes []struct{ Key string } `json:"nodes"`
		Edges []json.RawMessage      `json:"edges"`
	}
	if err := json.Unmarshal(body, &g); err != nil {
		tb.Fatalf("graphology body is not JSON: %v\n%s", err, body)
	}
	keys := map[string]bool{}
	for _, n := range g.Nodes {
		keys[n.Key] = true
	}
	return keys, len(g.Edges)
}

func TestHandlerFormats(t *testing.T) {
	s, d := bundledStore(t)
	h := export.Handler(s)
	for _, format := range export.Formats {
		t.Run(format, func(t *testing.T) {
			rec := getExport(t, h, "/export/"+format)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /export/%s: got status %d, want 200\n%s", format, rec.Code, rec.Body)
			}
			mime, ext := export.ContentType(format)
			if got := rec.Header().Get("Content-Type"); got != mime {
				t.Errorf("GET /export/%s: got Content-Type %q, want %q", format, got, mime)
			}
			if got := rec.Header().Get("Content-Disposition"); !strings.Contains(got, "allegiance"+ext) {
				t.Errorf("GET /export/%s: got Content-Disposition %q, want a filename allegiance%s", format, got, ext)
			}
			var want bytes.Buffer
			if err := export.Write(&want, format, d); err != nil {
				t.Fatalf("Write(%s): %v", format, err)
			}
			if !bytes.Equal(rec.Body.Bytes(), want.Bytes()) {
				t.Errorf("GET /export/%s: got a body (%d bytes) unlike Write of the bundled dataset (%d bytes)", format, rec.Body.Len(), want.Len())
			}
		})
	}
	t.Run("csv is a zip of two files", func(t *testing.T) {
		body := getExport(t, h, "/export/csv").Body.Bytes()
		z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		if err != nil {
			t.Fatalf("GET /export/csv: not a zip: %v", err)
		}
		var names []string
		for _, f := range z.File {
			names = append(names, f.Name)
		}
		if strings.Join(names, ",") != "nodes.csv,relationships.csv" {
			t.Errorf("GET /export/csv: got files %v, want [nodes.csv relationships.csv]", names)
		}
	})
}

func TestHandlerSubgraphs(t *testing.T) {
	s, d := bundledStore(t)
	h := export.Handler(s)
	whole, wholeEdges := graphologyKeys(t, getExport(t, h, "/export/graphology").Body.Bytes())
	if len(whole) != len(d.Entities) || wholeEdges != len(d.Relationships) {
		t.Fatalf("whole network: got %d nodes and %d edges, want %d and %d", len(whole), wholeEdges, len(d.Entities), len(d.Relationships))
	}
	alive := map[string]bool{}
	asOf := network.MustParsePartialDate("2012-12-31")
	for _, e := range d.Entities {
		if e.AliveAt(asOf) {
			alive[e.ID] = true
		}
	}
	tests := []struct {
		target string
		check  func(t *testing.T, nodes map[string]bool, edges int)
	}{
		{"/export/graphology?root=amadou-kouffa&depth=1", func(t *testing.T, nodes map[string]bool, edges int) {
			if !nodes["amadou-kouffa"] || len(nodes) < 2 || len(nodes) >= len(whole) || edges >= wholeEdges {
				t.Errorf("got %d nodes (root in: %v) and %d edges, want the root, a neighbour and fewer than %d nodes and %d edges", len(nodes), nodes["amadou-kouffa"], edges, len(whole), wholeEdges)
			}
		}},
		{"/export/graphology?root=amadou-kouffa", func(t *testing.T, nodes map[string]bool, edges int) {
			depth1, _ := graphologyKeys(t, getExport(t, h, "/export/graphology?root=amadou-kouffa&depth=1").Body.Bytes())
			if len(nodes) != len(depth1) {
				t.Errorf("without depth: got %d nodes, want %d as with depth=1", len(nodes), len(depth1))
			}
		}},
		{"/export/graphology?root=amadou-kouffa&depth=2", func(t *testing.T, nodes map[string]bool, edges int) {
			depth1, _ := graphologyKeys(t, getExport(t, h, "/export/graphology?root=amadou-kouffa&depth=1").Body.Bytes())
			if len(nodes) <= len(depth1) {
				t.Errorf("depth 2: got %d nodes, want more than depth 1's %d", len(nodes), len(depth1))
			}
		}},
		{"/export/graphology?asOf=2012-12-31", func(t *testing.T, nodes map[string]bool, edges int) {
			if len(nodes) != len(alive) || len(nodes) >= len(whole) {
				t.Errorf("asOf 2012-12-31: got %d nodes, want the %d alive then (of %d)", len(nodes), len(alive), len(whole))
			}
			for id := range nodes {
				if !alive[id] {
					t.Errorf("asOf 2012-12-31: got %s, which is not alive then", id)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := getExport(t, h, tt.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s: got status %d, want 200\n%s", tt.target, rec.Code, rec.Body)
			}
			nodes, edges := graphologyKeys(t, rec.Body.Bytes())
			tt.check(t, nodes, edges)
		})
	}
}

func TestHandlerErrors(t *testing.T) {
	s, _ := bundledStore(t)
	h := export.Handler(s)
	tests := []struct {
		target string
		status int
		code   string
	}{
		{"/export/dot", http.StatusBadRequest, network.EINVALID},
		{"/export/graphml?root=nobody-at-all", http.StatusNotFound, network.ENOTFOUND},
		{"/export/graphml?root=iyad-ag-ghaly&depth=two", http.StatusBadRequest, network.EINVALID},
		{"/export/graphml?root=iyad-ag-ghaly&depth=0", http.StatusBadRequest, network.EINVALID},
		{"/export/graphml?root=iyad-ag-ghaly&depth=99", http.StatusBadRequest, network.ELIMIT},
		{"/export/graphml?depth=2", http.StatusBadRequest, network.EINVALID},
		{"/export/graphml?root=", http.StatusBadRequest, network.EINVALID},
		{"/export/gexf?asOf=2013-02-30", http.StatusBadRequest, network.EINVALID},
		{"/export/gexf?asOf=", http.StatusBadRequest, network.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := getExport(t, h, tt.target)
			if rec.Code != tt.status {
				t.Errorf("GET %s: got status %d, want %d\n%s", tt.target, rec.Code, tt.status, rec.Body)
			}
			if got := rec.Header().Get("Content-Type"); got != "application/json" {
				t.Errorf("GET %s: got Content-Type %q, want application/json", tt.target, got)
			}
			var body struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("GET %s: body is not JSON: %v\n%s", tt.target, err, rec.Body)
			}
			if body.Error.Code != tt.code || body.Error.Message == "" {
				t.Errorf("GET %s: got error %+v, want code %q and a message", tt.target, body.Error, tt.code)
			}
		})
	}
}

func TestSubgraphCitesSources(t *testing.T) {
	s, d := bundledStore(t)
	sub, err := export.Subgraph(context.Background(), s, "amadou-kouffa", 1, network.PartialDate{})
	if err != nil {
		t.Fatalf("Subgraph(amadou-kouffa, 1): %v", err)
	}
	have := map[string]bool{}
	for _, src := range sub.Sources {
		have[src.ID] = true
	}
	cited := map[string]bool{}
	for _, e := range sub.Entities {
		for _, id := range e.SourceIDs {
			cited[id] = true
		}
		for _, des := range e.Designations {
			for _, id := range des.SourceIDs {
				cited[id] = true
			}
		}
	}
	for _, r := range sub.Relationships {
		for _, id := range r.SourceIDs {
			cited[id] = true
		}
	}
	for id := range cited {
		if !have[id] {
			t.Errorf("Subgraph(amadou-kouffa, 1): source %s is cited but missing", id)
		}
	}
	if len(sub.Sources) != len(cited) || len(sub.Sources) >= len(d.Sources) {
		t.Errorf("Subgraph(amadou-kouffa, 1): got %d sources, want the %d cited (of %d in all)", len(sub.Sources), len(cited), len(d.Sources))
	}
	_, err = export.Subgraph(context.Background(), s, "nobody-at-all", 1, network.PartialDate{})
	if network.ErrorCode(err) != network.ENOTFOUND {
		t.Errorf("Subgraph(nobody-at-all): got %v, want code %s", err, network.ENOTFOUND)
	}
}
