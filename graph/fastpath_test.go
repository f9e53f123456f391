package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/allegiance/allegiance/graph"
	"github.com/allegiance/allegiance/network"
	"github.com/allegiance/allegiance/store/memory"
)

// The fast path writes exactly what gqlgen's ordinary execution writes:
// every query below is answered by two handlers over the same store, one
// with the fast path and one without, and the bodies must be equal byte
// for byte. fast says whether the fast path must have answered (at least
// one root field), so that a fast path that never applies cannot pass.
func TestFastPathWritesWhatGqlgenWrites(t *testing.T) {
	mem := bundledMemory(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	fast := graph.NewHandler(mem, graph.HandlerConfig{Log: log})
	slow := graph.NewHandler(mem, graph.HandlerConfig{Log: log, DisableFastPath: true})

	cases := []struct {
		name  string
		query string
		vars  map[string]any
		fast  bool
	}{
		{"the benchmark's neighbourhood",
			`query($id: ID!, $depth: Int) { neighborhood(id: $id, depth: $depth, limit: 500) { truncated nodes { id name kind } edges { id type since until from { id name } to { id name } } } }`,
			map[string]any{"id": "jnim", "depth": 2}, true},
		{"the web explorer's neighbourhood, hedges and all",
			`query($id: ID!) { neighborhood(id: $id, depth: 2, limit: 500) { nodes { id kind name } edges { id type from { id } to { id } since until qualifier } truncated } }`,
			map[string]any{"id": "iyad-ag-ghaly"}, true},
		{"nodes only", `{ neighborhood(id: "jnim", depth: 2) { nodes { kind id } } }`, nil, true},
		{"edges only, ends by type", `{ neighborhood(id: "jnim") { edges { qualifier from { ... on Person { name } ... on Organization { id kind } } } } }`, nil, true},
		{"aliases at every level",
			`{ n: neighborhood(id: "iyad-ag-ghaly") { t: truncated ns: nodes { i: id n: name } es: edges { i: id f: from { i: id } t: to { k: kind } } } }`, nil, true},
		{"__typename everywhere",
			`{ neighborhood(id: "aqim", depth: 2, limit: 20) { __typename nodes { __typename id } edges { __typename id from { __typename } } } }`, nil, true},
		{"every plain field",
			`{ neighborhood(id: "jnim", depth: 1) { nodes { id name kind description aliases } edges { id type since until role qualifier evidence note from { id name kind description aliases } to { id } } truncated } }`, nil, true},
		{"inline fragments by type",
			`{ neighborhood(id: "jnim", depth: 2, limit: 40) { nodes { id ... on Person { name } ... on Organization { kind aliases } } edges { from { ... on Person { id } } } } }`, nil, true},
		{"a named fragment",
			`query { neighborhood(id: "ansar-al-dine") { nodes { ...n } edges { to { ...n } } } } fragment n on Entity { id name }`, nil, true},
		{"skip and include",
			`query($s: Boolean!) { neighborhood(id: "jnim") { truncated @skip(if: $s) nodes { id @include(if: $s) name } } }`,
			map[string]any{"s": true}, true},
		{"types, asOf and a small limit",
			`{ neighborhood(id: "jnim", depth: 3, types: [MEMBER_OF, LEADER_OF, MERGED_INTO], asOf: "2018", limit: 5) { truncated nodes { id } edges { id type since until } } }`, nil, true},
		{"lineage both ways",
			`{ lineage(id: "jnim") { truncated nodes { id name } edges { id type from { id } to { id } } } }`, nil, true},
		{"lineage successors as of",
			`{ lineage(id: "gspc", direction: SUCCESSORS, asOf: "2010") { nodes { id } edges { id } } }`, nil, true},
		{"a shortest path",
			`{ shortestPath(from: "amadou-kouffa", to: "al-qaeda") { length nodes { id name kind } edges { id type since until } } }`, nil, true},
		{"no path is null",
			`{ shortestPath(from: "amadou-kouffa", to: "jnim", types: [FAMILY_OF]) { length } }`, nil, true},
		{"allegiance chains",
			`{ allegianceChains(from: "katibat-macina") { __typename length nodes { id } edges { id type from { name } } } }`, nil, true},
		{"two root fields",
			`{ a: neighborhood(id: "jnim") { nodes { id } } b: stats { entities } c: shortestPath(from: "jnim", to: "aqim") { length } }`, nil, true},
		{"a field the fast path does not write",
			`{ neighborhood(id: "jnim") { nodes { id relationships { id } } } }`, nil, false},
		{"sources of edges",
			`{ neighborhood(id: "jnim") { edges { id sources { id } } } }`, nil, false},
		{"unknown entity", `{ neighborhood(id: "nobody") { nodes { id } } }`, nil, false},
		{"depth over the limit", `{ neighborhood(id: "jnim", depth: 99) { nodes { id } } }`, nil, false},
		{"impossible asOf", `{ lineage(id: "jnim", asOf: "2020-13") { nodes { id } } }`, nil, false},
		{"unknown path end", `{ shortestPath(from: "jnim", to: "nobody") { length } }`, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := graph.FastPathAnswers()
			got := post(t, fast, c.query, c.vars)
			answered := graph.FastPathAnswers() > before
			want := post(t, slow, c.query, c.vars)
			if got != want {
				t.Errorf("%s:\nfast path: %.2000s\nordinary:  %.2000s", c.query, got, want)
			}
			if c.fast && !answered {
				t.Errorf("%s: the fast path did not answer, want it to", c.query)
			}
			if !c.fast && answered {
				t.Errorf("%s: the fast path answered, want the ordinary way", c.query)
			}
		})
	}
}

// post sends a GraphQL query and returns the response body.
func post(tb testing.TB, h http.Handler, query string, vars map[string]any) string {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if got, want := rec.Header().Get("Content-Length"), strconv.Itoa(rec.Body.Len()); got != want {
		tb.Errorf("%s: got Content-Length %s, want %s", query, got, want)
	}
	return rec.Body.String()
}

// A traversal the store refuses asks the store once, not once by the fast
// path and again by the resolver: with Neo4j down, each ask waits.
func TestFastPathErrorAsksTheStoreOnce(t *testing.T) {
	cs := &countingStore{Store: bundledMemory(t), calls: map[string]int{}}
	h := graph.NewHandler(cs, graph.HandlerConfig{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, q := range []string{
		`{ neighborhood(id: "nobody") { nodes { id } } }`,
		`{ neighborhood(id: "jnim", depth: 99) { nodes { id } } }`,
	} {
		cs.calls = map[string]int{}
		body := post(t, h, q, nil)
		if !strings.Contains(body, `"errors"`) {
			t.Errorf("%s: got %s, want an error", q, body)
		}
		if got := cs.calls["Neighborhood"] + cs.calls["NeighborhoodSummary"]; got != 1 {
			t.Errorf("%s: got %d Neighborhood and NeighborhoodSummary calls, want 1", q, got)
		}
	}
}

// A neighbourhood whose selection a network.SubgraphSummary holds is
// answered from Store.NeighborhoodSummary; one reading anything more
// (a description, an edge's role) from Store.Neighborhood. Both write what
// gqlgen writes (TestFastPathWritesWhatGqlgenWrites).
func TestFastPathAsksForASummaryWhenItIsEnough(t *testing.T) {
	cs := &countingStore{Store: bundledMemory(t), calls: map[string]int{}}
	h := graph.NewHandler(cs, graph.HandlerConfig{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, c := range []struct {
		query string
		want  string
	}{
		{`{ neighborhood(id: "jnim", depth: 2) { truncated nodes { id name kind } edges { id type since until qualifier from { id name } to { id __typename } } } }`, "NeighborhoodSummary"},
		{`{ neighborhood(id: "jnim") { __typename nodes { __typename } } }`, "NeighborhoodSummary"},
		{`{ neighborhood(id: "jnim") { nodes { id description } } }`, "Neighborhood"},
		{`{ neighborhood(id: "jnim") { edges { id role } } }`, "Neighborhood"},
		{`{ neighborhood(id: "jnim") { edges { from { aliases } } } }`, "Neighborhood"},
	} {
		cs.calls = map[string]int{}
		if body := post(t, h, c.query, nil); strings.Contains(body, `"errors"`) {
			t.Fatalf("%s: got %s, want no error", c.query, body)
		}
		if got := cs.calls[c.want]; got != 1 || len(cs.calls) != 1 {
			t.Errorf("%s: got store calls %v, want one %s", c.query, cs.calls, c.want)
		}
	}
}

// A large answer, 3,000 edges with HTML and line separators in names, is
// the same as gqlgen's, whether written from a summary or from whole
// entities.
func TestFastPathLargeAnswers(t *testing.T) {
	ds := &network.Dataset{}
	ds.Entities = append(ds.Entities, network.Entity{ID: "hub", Kind: network.Organization, Name: "Hub <&> \u2028"})
	for i := range 3000 {
		id := fmt.Sprintf("member-%04d", i)
		name := fmt.Sprintf("Member %d", i)
		if i%7 == 0 {
			name += " <b>&amp;</b> \u2029"
		}
		ds.Entities = append(ds.Entities, network.Entity{ID: id, Kind: network.Person, Name: name, Description: name})
		r := network.Relationship{ID: "rel-" + id, Type: network.MemberOf, From: id, To: "hub",
			Since: network.MustParsePartialDate("2012-03")}
		if i%3 == 0 {
			r.Qualifier = "reportedly"
		}
		ds.Relationships = append(ds.Relationships, r)
	}
	mem := memory.New()
	if _, err := mem.Load(context.Background(), ds); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	fast := graph.NewHandler(mem, graph.HandlerConfig{Log: log})
	slow := graph.NewHandler(mem, graph.HandlerConfig{Log: log, DisableFastPath: true})
	for _, q := range []string{
		`{ neighborhood(id: "hub", limit: 5000) { truncated nodes { id name kind } edges { id type since until qualifier from { id name } to { id name } } } }`,
		`{ neighborhood(id: "hub", limit: 5000) { nodes { id description } edges { id role from { id } to { name } } } }`,
		`{ a: neighborhood(id: "hub", limit: 2000) { nodes { id name } } b: neighborhood(id: "member-0007") { edges { from { name } } } }`,
	} {
		got := post(t, fast, q, nil)
		if len(got) < 64<<10 {
			t.Fatalf("%s: got %d bytes, want a large answer", q, len(got))
		}
		if want := post(t, slow, q, nil); got != want {
			t.Errorf("%s: the fast path's answer (%d bytes) differs from gqlgen's (%d bytes)", q, len(got), len(want))
		}
	}
}
