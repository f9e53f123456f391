package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"text/template"
	"time"

	"go.yaml.in/yaml/v3"
)

// corpusFile holds the malicious and broken requests; its header documents
// the format.
const corpusFile = "../../testdata/requests/corpus.yaml"

// corpusCase is one request of the corpus and the outcome it must have.
type corpusCase struct {
	Name          string         `yaml:"name"`
	Method        string         `yaml:"method"`
	Query         *string        `yaml:"query"`
	OperationName string         `yaml:"operationName"`
	Variables     map[string]any `yaml:"variables"`
	Body          *string        `yaml:"body"`
	ContentType   *string        `yaml:"contentType"`
	Chunked       bool           `yaml:"chunked"`
	Want          struct {
		Status       int      `yaml:"status"`
		Code         string   `yaml:"code"`
		Data         *string  `yaml:"data"`
		DataContains []string `yaml:"dataContains"`
	} `yaml:"want"`
}

// corpusFuncs are the template functions a corpus string may use between
// << and >>.
var corpusFuncs = template.FuncMap{
	// repeat s n: s n times.
	"repeat": strings.Repeat,
	// seq n: 0, 1, …, n-1.
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	},
	// add a b: a+b.
	"add": func(a, b int) int { return a + b },
	// bytes h: the raw bytes of the hex string h, valid UTF-8 or not.
	"bytes": func(h string) (string, error) {
		b, err := hex.DecodeString(h)
		return string(b), err
	},
}

// expand runs s as a template with corpusFuncs.
func expand(tb testing.TB, name, s string) string {
	tb.Helper()
	tmpl, err := template.New(name).Delims("<<", ">>").Funcs(corpusFuncs).Parse(s)
	if err != nil {
		tb.Fatalf("%s: bad template: %v", name, err)
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, nil); err != nil {
		tb.Fatalf("%s: template: %v", name, err)
	}
	return b.String()
}

// expandValue expands every string inside a decoded YAML value.
func expandValue(tb testing.TB, name string, v any) any {
	tb.Helper()
	switch x := v.(type) {
	case string:
		return expand(tb, name, x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = expandValue(tb, name, e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = expandValue(tb, name, e)
		}
		return out
	}
	return v
}

// readCorpus reads and checks the corpus: unique names, a query or a body,
// an outcome for each case.
func readCorpus(tb testing.TB) []corpusCase {
	tb.Helper()
	b, err := os.ReadFile(corpusFile)
	if err != nil {
		tb.Fatal(err)
	}
	var cases []corpusCase
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&cases); err != nil {
		tb.Fatalf("%s: %v", corpusFile, err)
	}
	seen := map[string]bool{}
	for i, c := range cases {
		switch {
		case c.Name == "" || seen[c.Name]:
			tb.Fatalf("%s: case %d: got name %q, want a unique name", corpusFile, i, c.Name)
		case (c.Query == nil) == (c.Body == nil):
			tb.Fatalf("%s: %s: want exactly one of query and body", corpusFile, c.Name)
		case c.Want.Status == 0:
			tb.Fatalf("%s: %s: want.status is missing", corpusFile, c.Name)
		}
		seen[c.Name] = true
	}
	return cases
}

// corpusRequest builds the HTTP request of c against base.
func corpusRequest(tb testing.TB, base string, c corpusCase) (*http.Request, []byte) {
	tb.Helper()
	method := c.Method
	if method == "" {
		method = http.MethodPost
	}
	var body []byte
	target := base + "/graphql"
	switch {
	case c.Body != nil:
		body = []byte(expand(tb, c.Name, *c.Body))
	case method == http.MethodGet:
		v := url.Values{"query": {expand(tb, c.Name, *c.Query)}}
		if c.Variables != nil {
			vars, _ := json.Marshal(expandValue(tb, c.Name, c.Variables))
			v.Set("variables", string(vars))
		}
		if c.OperationName != "" {
			v.Set("operationName", c.OperationName)
		}
		target += "?" + v.Encode()
	default:
		params := map[string]any{"query": expand(tb, c.Name, *c.Query)}
		if c.Variables != nil {
			params["variables"] = expandValue(tb, c.Name, c.Variables)
		}
		if c.OperationName != "" {
			params["operationName"] = c.OperationName
		}
		var err error
		if body, err = json.Marshal(params); err != nil {
			tb.Fatalf("%s: %v", c.Name, err)
		}
	}
	var r io.Reader = bytes.NewReader(body)
	if c.Chunked {
		r = io.MultiReader(r) // hides the length: sent chunked
	}
	req, err := http.NewRequest(method, target, r)
	if err != nil {
		tb.Fatalf("%s: %v", c.Name, err)
	}
	if c.Chunked {
		req.ContentLength = -1
	}
	ct := "application/json"
	if c.ContentType != nil {
		ct = *c.ContentType
	}
	if ct != "" && method != http.MethodGet {
		req.Header.Set("Content-Type", ct)
	}
	return req, []byte(target + "\n" + string(body))
}

// leaks are what no response may show: driver, query-language and runtime
// details, stack traces and source paths. A pattern that the request itself
// contains is not held against the response, which may echo the input.
var leaks = []*regexp.Regexp{
	regexp.MustCompile(`(?i)neo4j`),
	regexp.MustCompile(`(?i)cypher`),
	regexp.MustCompile(`(?i)bolt`),
	regexp.MustCompile(`(?i)panic`),
	regexp.MustCompile(`goroutine \d+`),
	regexp.MustCompile(`runtime\.|runtime/`),
	regexp.MustCompile(`\.go:\d+`),
	regexp.MustCompile(`github\.com/`),
	regexp.MustCompile(`/(work|home|root|tmp|usr)/`),
	regexp.MustCompile(`(?i)lucene|fulltext|queryNodes`),
	regexp.MustCompile(`\*network\.|\*errors\.|\*fmt\.`),
}

// corpusTimeout bounds each answer: every case must be refused or answered
// quickly, far under the server's 10 s deadline.
const corpusTimeout = 5 * time.Second

// corpusOutcome is what one case gave on one store.
type corpusOutcome struct {
	status int
	data   string
}

// Every request of testdata/requests/corpus.yaml gets its asserted status,
// error code and data from both stores, quickly, without internal details;
// the two stores give the same data.
func TestRequestCorpus(t *testing.T) {
	cases := readCorpus(t)
	if len(cases) < 50 {
		t.Fatalf("%s: got %d cases, want at least 50", corpusFile, len(cases))
	}
	outcomes := map[string]map[string]corpusOutcome{}
	for _, store := range []struct{ name, uri string }{{"store=memory", ""}, {"store=neo4j", neo4jURI(t)}} {
		t.Run(store.name, func(t *testing.T) {
			m := mainServing(t, store.uri, "--data", "../../data")
			client := &http.Client{Timeout: 3 * corpusTimeout}
			outcomes[store.name] = map[string]corpusOutcome{}
			for _, c := range cases {
				t.Run(c.Name, func(t *testing.T) {
					o, ok := checkCase(t, client, m.URL(), c)
					if ok {
						outcomes[store.name][c.Name] = o
					}
				})
			}
		})
	}
	for _, c := range cases {
		a, okA := outcomes["store=memory"][c.Name]
		b, okB := outcomes["store=neo4j"][c.Name]
		if okA && okB && a != b {
			t.Errorf("%s: memory gave %d %s, neo4j %d %s; want the same", c.Name, a.status, a.data, b.status, b.data)
		}
	}
}

// checkCase sends c and checks its outcome.
func checkCase(t *testing.T, client *http.Client, base string, c corpusCase) (corpusOutcome, bool) {
	t.Helper()
	req, sent := corpusRequest(t, base, c)
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		t.Errorf("%s: %v", c.Name, err)
		return corpusOutcome{}, false
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	elapsed := time.Since(start)
	if err != nil {
		t.Errorf("%s: reading the answer: %v", c.Name, err)
		return corpusOutcome{}, false
	}
	show := string(raw)
	if len(show) > 500 {
		show = show[:500] + "…"
	}
	ok := true
	if elapsed > corpusTimeout {
		t.Errorf("%s: got an answer after %v, want one within %v", c.Name, elapsed, corpusTimeout)
		ok = false
	}
	if resp.StatusCode != c.Want.Status {
		t.Errorf("%s: got status %d (%s), want %d", c.Name, resp.StatusCode, show, c.Want.Status)
		ok = false
	}
	for _, re := range leaks {
		if re.Match(raw) && !re.Match(sent) {
			t.Errorf("%s: the answer shows %q, an internal detail: %s", c.Name, re.Find(raw), show)
			ok = false
		}
	}
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Errorf("%s: got a body that is not JSON (%v): %s", c.Name, err, show)
		return corpusOutcome{}, false
	}
	switch {
	case c.Want.Code == "" && len(r.Errors) > 0:
		t.Errorf("%s: got errors %v, want none", c.Name, r.Errors)
		ok = false
	case c.Want.Code != "" && len(r.Errors) == 0:
		t.Errorf("%s: got no error (%s), want %s", c.Name, show, c.Want.Code)
		ok = false
	}
	for _, e := range r.Errors {
		if code := e.Extensions["code"]; c.Want.Code != "" && code != c.Want.Code {
			t.Errorf("%s: got an error with code %v (%q), want %s", c.Name, code, e.Message, c.Want.Code)
			ok = false
		}
	}
	data := string(r.Data)
	if c.Want.Data != nil {
		var want bytes.Buffer
		if err := json.Compact(&want, []byte(*c.Want.Data)); err != nil {
			t.Fatalf("%s: want.data is not JSON: %v", c.Name, err)
		}
		if data != want.String() {
			t.Errorf("%s: got data %s, want %s", c.Name, data, want.String())
			ok = false
		}
	}
	for _, s := range c.Want.DataContains {
		if !strings.Contains(data, s) {
			t.Errorf("%s: got data %s, want it to contain %s", c.Name, data, s)
			ok = false
		}
	}
	return corpusOutcome{resp.StatusCode, fmt.Sprintf("%.2000s", data)}, ok
}
