package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

// mainServing starts `allegiance serve` on a free port, with the embedded
// store when uri is "" and Neo4j otherwise.
func mainServing(tb testing.TB, uri string, extra ...string) *Main {
	tb.Helper()
	m := NewMain()
	out := &syncBuffer{}
	m.Stdout, m.Stderr = out, out
	args := append([]string{"serve", "--addr", "127.0.0.1:0"}, extra...)
	if err := m.ParseFlags(context.Background(), args); err != nil {
		tb.Fatalf("ParseFlags(%v): %v", args, err)
	}
	m.Neo4j.URI = uri
	if err := m.Run(context.Background()); err != nil {
		tb.Fatalf("Run(serve, neo4j %q): %v\n%s", uri, err, out.String())
	}
	tb.Cleanup(func() {
		if err := m.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return m
}

// neo4jURI is the test Neo4j; without one the test fails.
func neo4jURI(tb testing.TB) string {
	tb.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		tb.Fatal("NEO4J_URI is not set: run the tests with tools/test.sh, which starts Neo4j")
	}
	return uri
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// post sends a GraphQL query and decodes the answer.
func post(tb testing.TB, base, query string, vars map[string]any) (int, gqlResponse) {
	tb.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		tb.Fatalf("POST %s: %v", query, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var r gqlResponse
	if err := json.Unmarshal(b, &r); err != nil {
		tb.Fatalf("POST %s: bad JSON %q: %v", query, b, err)
	}
	return resp.StatusCode, r
}

// exampleQueries are the README's example queries, by name.
var exampleQueries = map[string]string{
	"pledges": `{ entity(id: "iyad-ag-ghaly") { name relationships(types: [PLEDGED_ALLEGIANCE_TO], direction: OUTGOING) {
  to { name } since until qualifier sources { title publisher published url } } } }`,
	"mergers":      `{ lineage(id: "jnim", direction: PREDECESSORS) { nodes { id name } edges { type from { id } to { id } since } } }`,
	"path":         `{ shortestPath(from: "amadou-kouffa", to: "ayman-al-zawahiri") { length nodes { id name } edges { type from { id } to { id } since qualifier } } }`,
	"asOf":         `{ entity(id: "iyad-ag-ghaly") { relationships(asOf: "2012-12-31") { type role from { id } to { id } since until qualifier } } }`,
	"search":       `{ search(query: "Koufa", limit: 3) { score entity { id name aliases ... on Person { born died } } } }`,
	"chains":       `{ allegianceChains(from: "iyad-ag-ghaly", asOf: "2021") { length nodes { id } edges { id until } } }`,
	"neighborhood": `{ neighborhood(id: "jnim", depth: 1, asOf: "2017-03-02", limit: 5) { truncated nodes { id kind } edges { id type } } }`,
	"designations": `{ entity(id: "iyad-ag-ghaly") { designations { authority program reference listedOn sources { title url } } } }`,
	"stats":        `{ stats { entities relationships sources designations } }`,
}

// The README's example queries give the same JSON on both stores, and the
// answers the README shows.
func TestExampleQueriesOnBothStores(t *testing.T) {
	mem := mainServing(t, "")
	neo := mainServing(t, neo4jURI(t), "--data", "../../data")
	for name, q := range exampleQueries {
		_, a := post(t, mem.URL(), q, nil)
		_, b := post(t, neo.URL(), q, nil)
		if len(a.Errors) > 0 || len(b.Errors) > 0 {
			t.Errorf("%s: errors memory %v, neo4j %v", name, a.Errors, b.Errors)
			continue
		}
		if string(a.Data) != string(b.Data) {
			t.Errorf("%s: memory %s\nneo4j %s", name, a.Data, b.Data)
		}
	}
	checks := []struct{ name, want string }{
		{"pledges", `"to":{"name":"Abdelmalek Droukdel"},"since":"2017-03-02","until":"2020-06"`},
		{"pledges", `"to":{"name":"Ayman al-Zawahiri"},"since":"2017-03-02","until":"2022-07-31"`},
		{"mergers", `{"type":"MERGED_INTO","from":{"id":"macina-liberation-front"},"to":{"id":"jnim"},"since":"2017-03-02"}`},
		{"path", `"nodes":[{"id":"amadou-kouffa","name":"Amadou Kouffa"},{"id":"iyad-ag-ghaly","name":"Iyad Ag Ghaly"},{"id":"ayman-al-zawahiri","name":"Ayman al-Zawahiri"}]`},
		{"asOf", `"type":"LEADER_OF","role":"leader","from":{"id":"iyad-ag-ghaly"},"to":{"id":"ansar-al-dine"},"since":"2011-12","until":"2017-03-02"`},
		{"search", `"entity":{"id":"amadou-kouffa"`},
		{"chains", `[{"length":1,"nodes":[{"id":"iyad-ag-ghaly"},{"id":"ayman-al-zawahiri"}]`},
		{"designations", `"authority":"United Nations Security Council","program":"Al-Qaida sanctions list (resolution 1267)","reference":null,"listedOn":"2013-02-25"`},
	}
	for _, c := range checks {
		_, r := post(t, mem.URL(), exampleQueries[c.name], nil)
		if !strings.Contains(string(r.Data), c.want) {
			t.Errorf("%s: got %s, want it to contain %s", c.name, r.Data, c.want)
		}
	}
	_, r := post(t, mem.URL(), exampleQueries["asOf"], nil)
	if strings.Contains(string(r.Data), `"jnim"`) || strings.Contains(string(r.Data), "PLEDGED_ALLEGIANCE_TO") {
		t.Errorf("asOf 2012-12-31: got %s, want neither JNIM nor the 2017 pledges", r.Data)
	}
}

func TestErrorCodes(t *testing.T) {
	cases := []struct {
		name, query, code string
	}{
		{"bad date", `{ entity(id: "iyad-ag-ghaly") { relationships(asOf: "2013-02-30") { id } } }`, "BAD_USER_INPUT"},
		{"bad date format", `{ neighborhood(id: "jnim", asOf: "March 2017") { truncated } }`, "BAD_USER_INPUT"},
		{"depth over max", `{ neighborhood(id: "jnim", depth: 99) { truncated } }`, "LIMIT_EXCEEDED"},
		{"limit over max", `{ search(query: "ghaly", limit: 1000) { score } }`, "LIMIT_EXCEEDED"},
		{"maxDepth over max", `{ shortestPath(from: "jnim", to: "aqim", maxDepth: 50) { length } }`, "LIMIT_EXCEEDED"},
		{"unknown id", `{ neighborhood(id: "nobody") { truncated } }`, "BAD_USER_INPUT"},
		{"zero limit", `{ neighborhood(id: "jnim", limit: 0) { truncated } }`, "BAD_USER_INPUT"},
		{"syntax error", `{ entity(id: "jnim") { `, "BAD_USER_INPUT"},
		{"unknown field", `{ entity(id: "jnim") { salary } }`, "BAD_USER_INPUT"},
		{"unknown enum", `{ neighborhood(id: "jnim", types: [LOVES]) { truncated } }`, "BAD_USER_INPUT"},
	}
	for _, store := range []struct{ name, uri string }{{"store=memory", ""}, {"store=neo4j", neo4jURI(t)}} {
		t.Run(store.name, func(t *testing.T) {
			m := mainServing(t, store.uri)
			for _, c := range cases {
				_, r := post(t, m.URL(), c.query, nil)
				if len(r.Errors) == 0 {
					t.Errorf("%s: %s: got no error, want %s", c.name, c.query, c.code)
					continue
				}
				if got := r.Errors[0].Extensions["code"]; got != c.code {
					t.Errorf("%s: %s: got code %v, want %s", c.name, c.query, got, c.code)
				}
			}
			// An unknown entity is null, not an error.
			_, r := post(t, m.URL(), `{ entity(id: "nobody") { id } }`, nil)
			if len(r.Errors) != 0 || string(r.Data) != `{"entity":null}` {
				t.Errorf("entity(nobody): got %s %v, want {\"entity\":null} and no error", r.Data, r.Errors)
			}
		})
	}
}

func TestGETAndHealth(t *testing.T) {
	m := mainServing(t, "")
	resp, err := http.Get(m.URL() + "/graphql?query=" + url.QueryEscape(`{ entity(id: "jnim") { name } }`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := `{"data":{"entity":{"name":"Jamaat Nusrat al-Islam wal Muslimeen"}}}`; resp.StatusCode != 200 || string(b) != want {
		t.Errorf("GET /graphql: got %d %s, want 200 %s", resp.StatusCode, b, want)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(m.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: got %d, want 200", path, resp.StatusCode)
		}
	}
}
