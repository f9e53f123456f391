package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/allegiance/allegiance/graph"
)

// fuzzCodes are the codes an error may carry. INTERNAL is among them but
// must never answer a request, however malformed: see FuzzGraphQLRequest.
var fuzzCodes = map[string]bool{
	graph.CodeBadUserInput: true, graph.CodeLimitExceeded: true, graph.CodeUnavailable: true,
	graph.CodeInternal: true, graph.CodeUnauthenticated: true, graph.CodeForbidden: true,
}

// fuzzSlow is how long one request may take before the fuzzer calls it a
// denial of service.
const fuzzSlow = 5 * time.Second

// fuzzHandler serves the bundled dataset from the embedded store, logging
// nowhere.
func fuzzHandler(tb testing.TB) http.Handler {
	tb.Helper()
	return graph.NewHandler(bundledMemory(tb), graph.HandlerConfig{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// corpusSeeds returns the queries and variables of
// testdata/requests/corpus.yaml that need no template expansion.
func corpusSeeds(tb testing.TB) [][2]string {
	tb.Helper()
	b, err := os.ReadFile("../testdata/requests/corpus.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	var cases []struct {
		Query     *string        `yaml:"query"`
		Variables map[string]any `yaml:"variables"`
	}
	if err := yaml.Unmarshal(b, &cases); err != nil {
		tb.Fatalf("testdata/requests/corpus.yaml: %v", err)
	}
	var seeds [][2]string
	for _, c := range cases {
		if c.Query == nil || strings.Contains(*c.Query, "<<") {
			continue
		}
		vars := ""
		if c.Variables != nil {
			v, err := json.Marshal(c.Variables)
			if err != nil {
				tb.Fatalf("variables %v: %v", c.Variables, err)
			}
			vars = string(v)
		}
		seeds = append(seeds, [2]string{*c.Query, vars})
	}
	if len(seeds) < 50 {
		tb.Fatalf("testdata/requests/corpus.yaml: got %d seeds, want at least 50", len(seeds))
	}
	return seeds
}

// FuzzGraphQLRequest sends arbitrary documents and variables through the
// real HTTP handler over the embedded store: it never panics, never answers
// 5xx, answers within fuzzSlow, and every error has a known
// extensions.code, never INTERNAL. variables is sent as JSON when it parses
// as JSON and as a string otherwise.
func FuzzGraphQLRequest(f *testing.F) {
	for _, s := range corpusSeeds(f) {
		f.Add(s[0], s[1], false)
	}
	for _, q := range []string{
		`{ entity(id: "iyad-ag-ghaly") { name relationships(types: [PLEDGED_ALLEGIANCE_TO], direction: OUTGOING) { to { name } since until sources { publisher } } } }`,
		`{ lineage(id: "jnim", direction: PREDECESSORS) { nodes { name } edges { from { id } since } } }`,
		`{ shortestPath(from: "amadou-kouffa", to: "ayman-al-zawahiri") { length nodes { name } edges { type since until } } }`,
		`{ allegianceChains(from: "iyad-ag-ghaly", asOf: "2021") { length nodes { id } edges { id until } } }`,
		`{ neighborhood(id: "jnim", depth: 2, asOf: "2017-03-02", limit: 5) { truncated nodes { id kind ... on Organization { founded } } edges { id type } } }`,
		`{ search(query: "Koufa", limit: 3, kinds: [PERSON]) { score entity { id name aliases ... on Person { born died } } } }`,
		`{ stats { entities relationships sources designations } __typename }`,
		`query Q($id: ID!, $d: PartialDate) { entity(id: $id) { ...E designations { id listedOn until } } } fragment E on Entity { id relationships(asOf: $d) { id } }`,
	} {
		f.Add(q, `{"id": "jnim", "d": "2012"}`, false)
		f.Add(q, "", true)
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, query, variables string, get bool) {
		var vars any
		if variables != "" {
			if err := json.Unmarshal([]byte(variables), &vars); err != nil {
				vars = variables
			}
		}
		var req *http.Request
		if get {
			v := url.Values{"query": {query}}
			if variables != "" {
				v.Set("variables", variables)
			}
			req = httptest.NewRequest(http.MethodGet, "/graphql?"+v.Encode(), nil)
		} else {
			body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
			if err != nil {
				t.Fatalf("encoding %q: %v", query, err)
			}
			req = httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
		}
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		if d := time.Since(start); d > fuzzSlow {
			t.Errorf("query %q, variables %q, GET %v: got an answer after %v, want one within %v", query, variables, get, d, fuzzSlow)
		}
		if rec.Code >= 500 {
			t.Fatalf("query %q, variables %q, GET %v: got status %d (%s), want < 500", query, variables, get, rec.Code, rec.Body)
		}
		var r struct {
			Errors []struct {
				Message    string         `json:"message"`
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
			t.Fatalf("query %q, variables %q, GET %v: got a body that is not JSON (%v): %s", query, variables, get, err, rec.Body)
		}
		for _, e := range r.Errors {
			code, _ := e.Extensions["code"].(string)
			if !fuzzCodes[code] || code == graph.CodeInternal {
				t.Fatalf("query %q, variables %q, GET %v: got an error with code %q (%q), want BAD_USER_INPUT, LIMIT_EXCEEDED or another non-internal code",
					query, variables, get, code, e.Message)
			}
		}
	})
}
