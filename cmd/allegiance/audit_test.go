package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// auditDir is the npm project that runs graphql-http's server audit.
const auditDir = "../../tools/graphql-http-audit"

// maxAuditWarnings is how many failed SHOULD audits are accepted; the README
// ("GraphQL over HTTP conformance") explains each one. None are, now.
const maxAuditWarnings = 0

// auditCounts is the last line audit.mjs prints.
type auditCounts struct {
	OK     int `json:"ok"`
	Notice int `json:"notice"`
	Warn   int `json:"warn"`
	Error  int `json:"error"`
	Total  int `json:"total"`
}

// runAudit runs every graphql-http server audit (MUST, SHOULD and MAY)
// against endpoint and returns the counts and the full report. A missing
// node or node_modules fails the test: it never skips.
func runAudit(tb testing.TB, endpoint string) (auditCounts, string) {
	tb.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		tb.Fatalf("node is not on PATH (%v): install Node 20, then run `npm ci --prefix tools/graphql-http-audit`", err)
	}
	if _, err := os.Stat(filepath.Join(auditDir, "node_modules", "graphql-http", "package.json")); err != nil {
		tb.Fatalf("graphql-http is not installed (%v): run `npm ci --prefix tools/graphql-http-audit`", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(auditDir, "audit.mjs"), endpoint)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	var exitErr *exec.ExitError
	if err != nil && !(errors.As(err, &exitErr) && exitErr.ExitCode() == 1) {
		// Exit code 1 means failed MUSTs, reported below; anything else is
		// the audit itself failing.
		tb.Fatalf("node audit.mjs %s: %v\n%s", endpoint, err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var c auditCounts
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &c); err != nil || c.Total == 0 {
		tb.Fatalf("node audit.mjs %s: no counts on the last line (%v):\n%s", endpoint, err, out.String())
	}
	if (c.Error > 0) != (err != nil) {
		tb.Errorf("node audit.mjs %s: got exit error %v with %d MUST failures, want a non-zero exit exactly when a MUST fails", endpoint, err, c.Error)
	}
	return c, out.String()
}

// failures keeps the report lines of the audits that did not pass.
func failures(report string) string {
	var b strings.Builder
	keep := false
	for _, line := range strings.Split(report, "\n") {
		if !strings.HasPrefix(line, " ") {
			keep = !strings.HasPrefix(line, "ok ") && !strings.HasPrefix(line, "{")
		}
		if keep {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// The server passes the GraphQL-over-HTTP audit of graphql-http on both
// stores: no MUST fails, and no SHOULD fails beyond those the README
// explains.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	for _, store := range []struct{ name, uri string }{{"store=memory", ""}, {"store=neo4j", neo4jURI(t)}} {
		t.Run(store.name, func(t *testing.T) {
			m := mainServing(t, store.uri)
			// One request from this process first: the race detector cannot
			// see that node's requests come after Run's writes to the log
			// buffer, but it sees this socket write.
			resp, err := http.Get(m.URL() + "/readyz")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /readyz: got %d, want 200", resp.StatusCode)
			}
			c, report := runAudit(t, m.URL()+"/graphql")
			t.Logf("graphql-http audit: %d ok, %d warn (SHOULD), %d notice (MAY), %d error (MUST) of %d", c.OK, c.Warn, c.Notice, c.Error, c.Total)
			if c.Error > 0 {
				t.Errorf("got %d MUST failures, want 0:\n%s", c.Error, failures(report))
			}
			if c.Warn > maxAuditWarnings {
				t.Errorf("got %d SHOULD failures, want at most %d (fix them or explain them in the README):\n%s", c.Warn, maxAuditWarnings, failures(report))
			}
		})
	}
}

// The HTTP layer: media types, status codes, and extensions.code on every
// error.
func TestHTTPTransport(t *testing.T) {
	m := mainServing(t, "")
	const (
		js = "application/json"
		gr = "application/graphql-response+json"
	)
	ok := `{"query":"{ stats { entities } }"}`
	cases := []struct {
		name              string
		method, query     string // query: the raw URL query of a GET
		contentType, body string
		accept            string
		wantStatus        int
		wantType          string
		wantCode          string // "" means no errors
		wantData          bool   // the response has a data entry
	}{
		{"POST, no Accept", "POST", "", js, ok, "", 200, js, "", true},
		{"POST, Accept */*", "POST", "", js, ok, "*/*", 200, js, "", true},
		{"POST, Accept graphql-response", "POST", "", js, ok, gr, 200, gr, "", true},
		{"POST, Accept prefers graphql-response by q", "POST", "", js, ok, js + ";q=0.5, " + gr, 200, gr, "", true},
		{"POST, Accept prefers json by order", "POST", "", js, ok, js + ", " + gr, 200, js, "", true},
		{"POST, charset utf-8", "POST", "", js + "; charset=utf-8", ok, "", 200, js, "", true},
		{"POST, Accept allows neither", "POST", "", js, ok, "text/html", 406, js, "BAD_USER_INPUT", false},
		{"field error, json", "POST", "", js, `{"query":"{ neighborhood(id: \"nobody\") { truncated } }"}`, js, 200, js, "BAD_USER_INPUT", true},
		{"field error, graphql-response", "POST", "", js, `{"query":"{ neighborhood(id: \"nobody\") { truncated } }"}`, gr, 200, gr, "BAD_USER_INPUT", true},
		{"parse error, json", "POST", "", js, `{"query":"{"}`, js, 200, js, "BAD_USER_INPUT", false},
		{"parse error, graphql-response", "POST", "", js, `{"query":"{"}`, gr, 400, gr, "BAD_USER_INPUT", false},
		{"validation error, graphql-response", "POST", "", js, `{"query":"{ salary }"}`, gr, 400, gr, "BAD_USER_INPUT", false},
		{"variable coercion, json", "POST", "", js, `{"query":"query($d: Int) { neighborhood(id: \"jnim\", depth: $d) { truncated } }","variables":{"d":"x"}}`, js, 200, js, "BAD_USER_INPUT", false},
		{"variable coercion, graphql-response", "POST", "", js, `{"query":"query($d: Int) { neighborhood(id: \"jnim\", depth: $d) { truncated } }","variables":{"d":"x"}}`, gr, 400, gr, "BAD_USER_INPUT", false},
		{"unknown operationName, graphql-response", "POST", "", js, `{"query":"query X { stats { entities } }","operationName":"Y"}`, gr, 400, gr, "BAD_USER_INPUT", false},
		{"request limit, json", "POST", "", js, `{"query":"{` + strings.Repeat(" a: stats { entities }", 31) + ` }"}`, js, 200, js, "LIMIT_EXCEEDED", false},
		{"request limit, graphql-response", "POST", "", js, `{"query":"{` + strings.Repeat(" a: stats { entities }", 31) + ` }"}`, gr, 400, gr, "LIMIT_EXCEEDED", false},
		{"no Content-Type", "POST", "", "", ok, "", 415, js, "BAD_USER_INPUT", false},
		{"text/plain body", "POST", "", "text/plain", ok, "", 415, js, "BAD_USER_INPUT", false},
		{"latin1 body", "POST", "", js + "; charset=iso-8859-1", ok, "", 415, js, "BAD_USER_INPUT", false},
		{"empty body", "POST", "", js, "", "", 400, js, "BAD_USER_INPUT", false},
		{"bad JSON", "POST", "", js, `{"query":`, gr, 400, gr, "BAD_USER_INPUT", false},
		{"JSON array", "POST", "", js, `[]`, "", 400, js, "BAD_USER_INPUT", false},
		{"JSON null", "POST", "", js, `null`, "", 400, js, "BAD_USER_INPUT", false},
		{"trailing data", "POST", "", js, ok + ` {}`, "", 400, js, "BAD_USER_INPUT", false},
		{"no query", "POST", "", js, `{"variables":{}}`, "", 400, js, "BAD_USER_INPUT", false},
		{"null query", "POST", "", js, `{"query":null}`, "", 400, js, "BAD_USER_INPUT", false},
		{"number query", "POST", "", js, `{"query":1}`, "", 400, js, "BAD_USER_INPUT", false},
		{"object operationName", "POST", "", js, `{"query":"{ stats { entities } }","operationName":{}}`, "", 400, js, "BAD_USER_INPUT", false},
		{"string variables", "POST", "", js, `{"query":"{ stats { entities } }","variables":"{}"}`, "", 400, js, "BAD_USER_INPUT", false},
		{"array extensions", "POST", "", js, `{"query":"{ stats { entities } }","extensions":[]}`, "", 400, js, "BAD_USER_INPUT", false},
		{"null variables, operationName, extensions", "POST", "", js, `{"query":"{ stats { entities } }","variables":null,"operationName":null,"extensions":null}`, "", 200, js, "", true},
		{"GET", "GET", "query=" + url.QueryEscape(`{ stats { entities } }`), "", "", gr, 200, gr, "", true},
		{"GET with variables", "GET", "query=" + url.QueryEscape(`query($id: ID!) { entity(id: $id) { id } }`) + "&variables=" + url.QueryEscape(`{"id":"jnim"}`), "", "", "", 200, js, "", true},
		{"GET without query", "GET", "", "", "", "", 400, js, "BAD_USER_INPUT", false},
		{"GET, variables not an object", "GET", "query=" + url.QueryEscape(`{ stats { entities } }`) + "&variables=5", "", "", gr, 400, gr, "BAD_USER_INPUT", false},
		{"GET, bad extensions JSON", "GET", "query=" + url.QueryEscape(`{ stats { entities } }`) + "&extensions=%7B", "", "", "", 400, js, "BAD_USER_INPUT", false},
		{"PUT", "PUT", "", js, ok, "", 405, js, "BAD_USER_INPUT", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := m.URL() + "/graphql"
			if c.query != "" {
				target += "?" + c.query
			}
			req, err := http.NewRequest(c.method, target, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			if c.contentType != "" {
				req.Header.Set("Content-Type", c.contentType)
			}
			if c.accept != "" {
				req.Header.Set("Accept", c.accept)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.wantStatus {
				t.Errorf("status: got %d, want %d (body %s)", resp.StatusCode, c.wantStatus, raw)
			}
			if got := resp.Header.Get("Content-Type"); got != c.wantType {
				t.Errorf("Content-Type: got %q, want %q", got, c.wantType)
			}
			var body struct {
				Data   *json.RawMessage `json:"data"`
				Errors []struct {
					Extensions map[string]any `json:"extensions"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatalf("body: got %q, want JSON: %v", raw, err)
			}
			var fields map[string]json.RawMessage
			json.Unmarshal(raw, &fields)
			if _, got := fields["data"]; got != c.wantData {
				t.Errorf("data entry present: got %v, want %v (body %s)", got, c.wantData, raw)
			}
			if c.wantCode == "" {
				if len(body.Errors) != 0 {
					t.Errorf("errors: got %s, want none", raw)
				}
				return
			}
			if len(body.Errors) == 0 {
				t.Fatalf("errors: got none, want code %s (body %s)", c.wantCode, raw)
			}
			for i, e := range body.Errors {
				if got := e.Extensions["code"]; got != c.wantCode {
					t.Errorf("errors[%d].extensions.code: got %v, want %s", i, got, c.wantCode)
				}
			}
		})
	}
}
