package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// fragmentBomb builds a document whose fragment k spreads fragment k+1
// twice: walking it naively costs 2^n.
func fragmentBomb(n int) string {
	var b strings.Builder
	b.WriteString("{ entity(id: \"jnim\") { ...F0 } }\n")
	for k := 0; k < n; k++ {
		b.WriteString("fragment F")
		b.WriteString(itoa(k))
		b.WriteString(" on Entity { id ")
		if k+1 < n {
			b.WriteString("...F" + itoa(k+1) + " ...F" + itoa(k+1))
		}
		b.WriteString(" }\n")
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

// nested builds a query nesting relationships n times. It follows only
// FOUNDED edges from Ghaly, so running it stays cheap whatever its depth.
func nested(n int) string {
	q := "id"
	for i := 0; i < n; i++ {
		q = "relationships(types: [FOUNDED]) { to { " + q + " } }"
	}
	return `{ entity(id: "iyad-ag-ghaly") { ` + q + ` } }`
}

func aliased(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < n; i++ {
		b.WriteString(" a" + itoa(i) + ": stats { entities }")
	}
	b.WriteString(" }")
	return b.String()
}

func operations(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString("query Q" + itoa(i) + " { stats { entities } }\n")
	}
	return b.String()
}

func TestRequestLimits(t *testing.T) {
	m := mainServing(t, "")
	cases := []struct {
		name, query, code string
	}{
		{"complexity: depth and limit multiply", `{ neighborhood(id: "jnim", depth: 4, limit: 5000) { nodes { id name relationships { id } } } }`, "LIMIT_EXCEEDED"},
		{"complexity: nested relationships fan out", `{ search(query: "al", limit: 100) { entity { relationships { to { relationships { to { relationships { id } } } } } } } }`, "LIMIT_EXCEEDED"},
		{"aliases", aliased(31), "LIMIT_EXCEEDED"},
		{"operations", operations(11), "LIMIT_EXCEEDED"},
		// 2^40 fields once inlined: refused, and quickly.
		{"fragment bomb", fragmentBomb(40), "LIMIT_EXCEEDED"},
	}
	for _, c := range cases {
		op := ""
		if strings.HasPrefix(c.query, "query Q0") {
			op = "Q0"
		}
		_, r := postOp(t, m.URL(), c.query, op)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != c.code {
			t.Errorf("%s: got %v, want code %s", c.name, r.Errors, c.code)
		}
	}
	// Just under each limit is fine.
	for name, q := range map[string]string{
		"README-sized neighborhood": `{ neighborhood(id: "jnim", depth: 2, limit: 500) { nodes { id name } edges { id type } } }`,
		"30 aliases":                aliased(30),
		"10 operations":             operations(10),
	} {
		op := ""
		if strings.HasPrefix(q, "query Q0") {
			op = "Q0"
		}
		_, r := postOp(t, m.URL(), q, op)
		if len(r.Errors) != 0 {
			t.Errorf("%s: got errors %v, want none", name, r.Errors)
		}
	}
}

// postOp is post with an operation name.
func postOp(tb testing.TB, base, query, op string) (int, gqlResponse) {
	tb.Helper()
	if op == "" {
		return post(tb, base, query, nil)
	}
	return postBody(tb, base, map[string]any{"query": query, "operationName": op})
}

// postBody posts any JSON body to /graphql and decodes the answer.
func postBody(tb testing.TB, base string, body map[string]any) (int, gqlResponse) {
	tb.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(base+"/graphql", "application/json", bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("POST %v: %v", body, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var r gqlResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		tb.Fatalf("POST %v: bad JSON %q: %v", body, raw, err)
	}
	return resp.StatusCode, r
}

// The depth limit holds on its own, even where complexity would allow a
// query.
func TestDepthLimit(t *testing.T) {
	m := mainServing(t, "", "--max-complexity", "1000000000000000")
	if _, r := post(t, m.URL(), nested(6), nil); len(r.Errors) != 0 {
		t.Errorf("depth 14 (limit 15): got errors %v, want none", r.Errors)
	}
	if _, r := post(t, m.URL(), nested(8), nil); len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "LIMIT_EXCEEDED" {
		t.Errorf("depth 18 (limit 15): got %v, want LIMIT_EXCEEDED", r.Errors)
	}
}

func TestBodyLimit(t *testing.T) {
	m := mainServing(t, "", "--max-body-bytes", "1024")
	big := `{"query":"{ search(query: \"` + strings.Repeat("a", 2000) + `\") { score } }"}`
	resp, err := http.Post(m.URL()+"/graphql", "application/json", strings.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("POST of %d bytes with --max-body-bytes 1024: got status %d, want 413", len(big), resp.StatusCode)
	}
}

func TestIntrospectionSwitch(t *testing.T) {
	q := `{ __schema { queryType { name } } }`
	on := mainServing(t, "")
	if _, r := post(t, on.URL(), q, nil); len(r.Errors) != 0 {
		t.Errorf("introspection on: got errors %v, want the schema", r.Errors)
	}
	off := mainServing(t, "", "--introspection=false")
	if _, r := post(t, off.URL(), q, nil); len(r.Errors) == 0 {
		t.Errorf("--introspection=false: got %s, want an error", r.Data)
	}
}

func TestCORSAllowlist(t *testing.T) {
	m := mainServing(t, "", "--cors-origins", "https://analyst.example")
	cases := []struct {
		origin      string
		wantAllowed bool
		wantStatus  int
	}{
		{"https://analyst.example", true, http.StatusNoContent},
		{"https://evil.example", false, http.StatusForbidden},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(http.MethodOptions, m.URL()+"/graphql", nil)
		req.Header.Set("Origin", c.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := resp.Header.Get("Access-Control-Allow-Origin")
		if resp.StatusCode != c.wantStatus || (got == c.origin) != c.wantAllowed {
			t.Errorf("preflight from %s: got status %d, allow-origin %q; want %d, allowed %v", c.origin, resp.StatusCode, got, c.wantStatus, c.wantAllowed)
		}
	}
	// Without the flag no origin is allowed.
	none := mainServing(t, "")
	req, _ := http.NewRequest(http.MethodPost, none.URL()+"/graphql", bytes.NewReader([]byte(`{"query":"{ stats { entities } }"}`)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "https://analyst.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("no --cors-origins: got Access-Control-Allow-Origin %q, want none", got)
	}
}
