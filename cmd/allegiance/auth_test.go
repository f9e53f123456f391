package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/allegiance/allegiance/auth"
	"github.com/allegiance/allegiance/auth/authtest"
)

// authAnswer decodes the answers of /graphql and /admin/reload alike.
type authAnswer struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	Status string         `json:"status"`
	Counts map[string]int `json:"counts"`
}

// code is the first error's extensions.code, or "".
func (a authAnswer) code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	c, _ := a.Errors[0].Extensions["code"].(string)
	return c
}

// cred is the credential headers of one request.
type cred struct{ authz, apiKey string }

func (c cred) String() string {
	return fmt.Sprintf("{Authorization: %.30q, X-Api-Key: %.12q}", c.authz, c.apiKey)
}

// send sends method to base+path with the credential and body, and decodes
// the JSON answer.
func send(tb testing.TB, method, u string, c cred, body string) (*http.Response, authAnswer) {
	tb.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.authz != "" {
		req.Header.Set("Authorization", c.authz)
	}
	if c.apiKey != "" {
		req.Header.Set("X-Api-Key", c.apiKey)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var a authAnswer
	if err := json.Unmarshal(b, &a); err != nil {
		tb.Fatalf("%s %s with %v: got %d and bad JSON %q: %v", method, u, c, resp.StatusCode, b, err)
	}
	return resp, a
}

// query posts a GraphQL query with the credential.
func query(tb testing.TB, base string, c cred, q string) (*http.Response, authAnswer) {
	tb.Helper()
	body, _ := json.Marshal(map[string]string{"query": q})
	return send(tb, "POST", base+"/graphql", c, string(body))
}

// authArgs are the serve flags of every credential source of f.
func authArgs(f *authtest.Fixture) []string {
	return []string{"--keys-file", f.KeysFile, "--jwt-secret-file", f.SecretFile, "--jwks-file", f.JWKSFile}
}

// With authentication on, /graphql answers only a valid credential, and
// answers a missing or bad one with 401 UNAUTHENTICATED and a challenge.
func TestAuthGraphQL(t *testing.T) {
	f := authtest.New(t)
	m := mainServing(t, "", authArgs(f)...)
	hour := time.Hour
	bearer := func(tok string) cred { return cred{authz: "Bearer " + tok} }
	cases := []struct {
		name       string
		cred       cred
		wantStatus int
		wantCode   string
	}{
		{"no credential", cred{}, 401, "UNAUTHENTICATED"},
		{"bad key", cred{apiKey: "ak_not-a-key"}, 401, "UNAUTHENTICATED"},
		{"expired HS256 token", bearer(f.Token(t, "HS256", authtest.Claims("svc", "reader", -hour))), 401, "UNAUTHENTICATED"},
		{"expired ES256 token", bearer(f.Token(t, "ES256", authtest.Claims("svc", "reader", -hour))), 401, "UNAUTHENTICATED"},
		{"token with a bad signature", bearer(badSignature(f.Token(t, "ES256", authtest.Claims("svc", "reader", hour)))), 401, "UNAUTHENTICATED"},
		{"token signed by a stranger", bearer(strangerToken(t)), 401, "UNAUTHENTICATED"},
		{"reader key", cred{apiKey: f.ReaderKey}, 200, ""},
		{"reader key, ApiKey scheme", cred{authz: "ApiKey " + f.ReaderKey}, 200, ""},
		{"editor key", cred{apiKey: f.EditorKey}, 200, ""},
		{"HS256 token", bearer(f.Token(t, "HS256", authtest.Claims("svc", "reader", hour))), 200, ""},
		{"ES256 token from the JWKS", bearer(f.Token(t, "ES256", authtest.Claims("svc", "reader", hour))), 200, ""},
		{"RS256 token from the JWKS", bearer(f.Token(t, "RS256", authtest.Claims("svc", "editor", hour))), 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, a := query(t, m.URL(), c.cred, `{ stats { entities } }`)
			if resp.StatusCode != c.wantStatus || a.code() != c.wantCode {
				t.Fatalf("POST /graphql with %v: got %d, code %q, want %d, code %q", c.cred, resp.StatusCode, a.code(), c.wantStatus, c.wantCode)
			}
			if c.wantStatus == 200 && string(a.Data) != `{"stats":{"entities":40}}` {
				t.Errorf("POST /graphql with %v: got data %s, want {\"stats\":{\"entities\":40}}", c.cred, a.Data)
			}
			if challenge := resp.Header.Get("WWW-Authenticate"); (c.wantStatus == 401) != strings.HasPrefix(challenge, "Bearer realm=") {
				t.Errorf("POST /graphql with %v: got %d with WWW-Authenticate %q, want a Bearer challenge exactly on 401", c.cred, resp.StatusCode, challenge)
			}
		})
	}
	// GET /graphql needs a credential too; /healthz and /readyz do not.
	get := m.URL() + "/graphql?query=" + url.QueryEscape(`{ stats { entities } }`)
	if resp, a := send(t, "GET", get, cred{}, ""); resp.StatusCode != 401 || a.code() != "UNAUTHENTICATED" {
		t.Errorf("GET /graphql without credential: got %d, code %q, want 401 UNAUTHENTICATED", resp.StatusCode, a.code())
	}
	if resp, a := send(t, "GET", get, cred{apiKey: f.ReaderKey}, ""); resp.StatusCode != 200 || len(a.Data) == 0 {
		t.Errorf("GET /graphql with the reader key: got %d, data %s, want 200 with data", resp.StatusCode, a.Data)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if resp, _ := send(t, "GET", m.URL()+path, cred{}, ""); resp.StatusCode != 200 {
			t.Errorf("GET %s without credential: got %d, want 200", path, resp.StatusCode)
		}
	}
}

// badSignature changes one character in the middle of tok's signature.
func badSignature(tok string) string {
	i := strings.LastIndex(tok, ".") + 10
	c := byte('A')
	if tok[i] == 'A' {
		c = 'B'
	}
	return tok[:i] + string(c) + tok[i+1:]
}

// strangerToken is a well-formed ES256 token with the JWKS's kid, signed by
// a key the server does not know.
func strangerToken(tb testing.TB) string {
	tb.Helper()
	return authtest.New(tb).Token(tb, "ES256", authtest.Claims("svc", "editor", time.Hour))
}

// POST /admin/reload needs the editor role.
func TestAuthAdminReload(t *testing.T) {
	f := authtest.New(t)
	m := mainServing(t, "", authArgs(f)...)
	hour := time.Hour
	cases := []struct {
		name       string
		method     string
		cred       cred
		wantStatus int
		wantCode   string
	}{
		{"no credential", "POST", cred{}, 401, "UNAUTHENTICATED"},
		{"bad key", "POST", cred{apiKey: "ak_not-a-key"}, 401, "UNAUTHENTICATED"},
		{"reader key", "POST", cred{apiKey: f.ReaderKey}, 403, "FORBIDDEN"},
		{"reader token", "POST", cred{authz: "Bearer " + f.Token(t, "HS256", authtest.Claims("svc", "reader", hour))}, 403, "FORBIDDEN"},
		{"token without role", "POST", cred{authz: "Bearer " + f.Token(t, "ES256", authtest.Claims("svc", "", hour))}, 403, "FORBIDDEN"},
		{"editor key", "POST", cred{apiKey: f.EditorKey}, 200, ""},
		{"editor token from the JWKS", "POST", cred{authz: "Bearer " + f.Token(t, "ES256", authtest.Claims("alice", "editor", hour))}, 200, ""},
		{"editor key, GET", "GET", cred{apiKey: f.EditorKey}, 405, "BAD_USER_INPUT"},
		{"reader key, GET", "GET", cred{apiKey: f.ReaderKey}, 403, "FORBIDDEN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, a := send(t, c.method, m.URL()+"/admin/reload", c.cred, "")
			if resp.StatusCode != c.wantStatus || a.code() != c.wantCode {
				t.Fatalf("%s /admin/reload with %v: got %d, code %q, want %d, code %q", c.method, c.cred, resp.StatusCode, a.code(), c.wantStatus, c.wantCode)
			}
			want := map[string]int{"entities": 40, "relationships": 78, "sources": 28, "designations": 3}
			if c.wantStatus == 200 && (a.Status != "reloaded" || fmt.Sprint(a.Counts) != fmt.Sprint(want)) {
				t.Errorf("%s /admin/reload with %v: got %q %v, want \"reloaded\" %v", c.method, c.cred, a.Status, a.Counts, want)
			}
		})
	}
	// A browser page on another origin cannot make an editor's browser
	// reload (CSRF), whatever the credential.
	req, _ := http.NewRequest("POST", m.URL()+"/admin/reload", nil)
	req.Header.Set("X-Api-Key", f.EditorKey)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("cross-site POST /admin/reload: got %d, want 403", resp.StatusCode)
	}
}

// /admin/reload picks up a changed dataset, and refuses a bad one with its
// problems, changing nothing; on both stores.
func TestReloadPicksUpChanges(t *testing.T) {
	for _, store := range []struct{ name, uri string }{{"store=memory", ""}, {"store=neo4j", neo4jURI(t)}} {
		t.Run(store.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, name := range []string{"01-sources-and-entities.yaml", "02-relationships.yaml"} {
				copyFile(t, filepath.Join("..", "..", "testdata", "good", name), filepath.Join(dir, name))
			}
			if store.uri != "" {
				// Start from the small dataset alone; leave the bundled one
				// behind for the other tests.
				if _, err := runLoad(t, store.uri, "--replace", dir); err != nil {
					t.Fatalf("load --replace %s: %v", dir, err)
				}
				t.Cleanup(func() {
					if _, err := runLoad(t, store.uri, "--replace"); err != nil {
						t.Errorf("load --replace of the bundled dataset: %v", err)
					}
				})
			}
			f := authtest.New(t)
			m := mainServing(t, store.uri, "--keys-file", f.KeysFile, "--data", dir)
			editor, reader := cred{apiKey: f.EditorKey}, cred{apiKey: f.ReaderKey}
			entities := func() string {
				t.Helper()
				_, a := query(t, m.URL(), reader, `{ stats { entities relationships } entity(id: "bob") { name } }`)
				return string(a.Data)
			}
			before := `{"stats":{"entities":3,"relationships":4},"entity":null}`
			if got := entities(); got != before {
				t.Fatalf("before reload: got %s, want %s", got, before)
			}

			copyFile(t, filepath.Join("testdata", "reload", "extra.yaml"), filepath.Join(dir, "03-extra.yaml"))
			resp, a := send(t, "POST", m.URL()+"/admin/reload", editor, "")
			want := map[string]int{"entities": 4, "relationships": 5, "sources": 2, "designations": 1}
			if resp.StatusCode != 200 || fmt.Sprint(a.Counts) != fmt.Sprint(want) {
				t.Fatalf("reload with 03-extra.yaml: got %d %v %v, want 200 %v", resp.StatusCode, a.Counts, a.Errors, want)
			}
			after := `{"stats":{"entities":4,"relationships":5},"entity":{"name":"Bob Example"}}`
			if got := entities(); got != after {
				t.Fatalf("after reload: got %s, want %s", got, after)
			}

			copyFile(t, filepath.Join("testdata", "reload", "extra-bad.yaml"), filepath.Join(dir, "03-extra.yaml"))
			resp, a = send(t, "POST", m.URL()+"/admin/reload", editor, "")
			if resp.StatusCode != 400 || len(a.Errors) != 2 || a.Counts != nil {
				t.Fatalf("reload with extra-bad.yaml: got %d, %d errors %v, counts %v, want 400 and its 2 problems", resp.StatusCode, len(a.Errors), a.Errors, a.Counts)
			}
			for i, e := range a.Errors {
				if e.Extensions["code"] != "BAD_USER_INPUT" {
					t.Errorf("reload with extra-bad.yaml: error %d: got code %v, want BAD_USER_INPUT", i, e.Extensions["code"])
				}
			}
			if got := entities(); got != after {
				t.Errorf("after the refused reload: got %s, want %s unchanged", got, after)
			}
		})
	}
}

func copyFile(tb testing.TB, from, to string) {
	tb.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// runServe parses and runs `serve` with args, closing the server at the
// end of the test.
func runServe(tb testing.TB, args ...string) (*Main, error) {
	tb.Helper()
	m := NewMain()
	var out bytes.Buffer
	m.Stdout, m.Stderr = &out, &out
	if err := m.ParseFlags(context.Background(), append([]string{"serve"}, args...)); err != nil {
		tb.Fatalf("ParseFlags(serve %v): %v", args, err)
	}
	m.Neo4j.URI = ""
	err := m.Run(context.Background())
	tb.Cleanup(func() {
		if err := m.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return m, err
}

// Without authentication the server listens on loopback addresses only,
// unless --insecure.
func TestServeRefusesOpenNonLoopback(t *testing.T) {
	f := authtest.New(t)
	cases := []struct {
		name       string
		args       []string
		wantStart  bool
		wantStatus int // of an anonymous query, when it starts
	}{
		{"all IPv4 interfaces", []string{"--addr", "0.0.0.0:0"}, false, 0},
		{"all interfaces", []string{"--addr", ":0"}, false, 0},
		{"all IPv6 interfaces", []string{"--addr", "[::]:0"}, false, 0},
		{"a private address", []string{"--addr", "10.1.2.3:0"}, false, 0},
		{"a host name", []string{"--addr", "example.org:0"}, false, 0},
		{"all interfaces, --insecure", []string{"--addr", "0.0.0.0:0", "--insecure"}, true, 200},
		{"all interfaces, keys file", []string{"--addr", "0.0.0.0:0", "--keys-file", f.KeysFile}, true, 401},
		{"localhost", []string{"--addr", "localhost:0"}, true, 200},
		{"127.0.0.2", []string{"--addr", "127.0.0.2:0"}, true, 200},
		{"loopback, missing keys file", []string{"--keys-file", filepath.Join(t.TempDir(), "none.yaml")}, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := runServe(t, c.args...)
			if (err == nil) != c.wantStart {
				t.Fatalf("serve %v: got error %v, want started %v", c.args, err, c.wantStart)
			}
			if !c.wantStart {
				return
			}
			port := m.listener.Addr().(*net.TCPAddr).Port
			host := "127.0.0.1"
			if strings.HasPrefix(c.args[1], "127.") {
				host = strings.Split(c.args[1], ":")[0]
			}
			resp, _ := query(t, fmt.Sprintf("http://%s:%d", host, port), cred{}, `{ stats { entities } }`)
			if resp.StatusCode != c.wantStatus {
				t.Errorf("serve %v: anonymous query got %d, want %d", c.args, resp.StatusCode, c.wantStatus)
			}
		})
	}
}

// runKeys runs `allegiance keys args…` with stdin and returns its output.
func runKeys(tb testing.TB, stdin string, args ...string) (string, error) {
	tb.Helper()
	m := NewMain()
	var out bytes.Buffer
	m.Stdout, m.Stderr, m.Stdin = &out, io.Discard, strings.NewReader(stdin)
	if err := m.ParseFlags(context.Background(), append([]string{"keys"}, args...)); err != nil {
		return out.String(), err
	}
	err := m.Run(context.Background())
	return out.String(), err
}

// `keys new` prints a key and an entry that, in a keys file, lets the key
// in with its role; `keys hash` prints the hash the entry holds.
func TestKeysCommands(t *testing.T) {
	out, err := runKeys(t, "", "new", "--id", "ci-deploy", "--role", "editor")
	if err != nil {
		t.Fatalf("keys new: %v\n%s", err, out)
	}
	keyLine, entry, _ := strings.Cut(out, "\n\n")
	key := keyLine[strings.LastIndex(keyLine, " ")+1:]
	if !strings.HasPrefix(key, auth.KeyPrefix) {
		t.Fatalf("keys new: got %q, want a first line ending in the key", out)
	}
	_, entry, _ = strings.Cut(entry, "\n")
	keysFile := filepath.Join(t.TempDir(), "keys.yaml")
	if err := os.WriteFile(keysFile, []byte("keys:\n"+entry), 0o600); err != nil {
		t.Fatal(err)
	}
	m := mainServing(t, "", "--keys-file", keysFile)
	if resp, a := send(t, "POST", m.URL()+"/admin/reload", cred{apiKey: key}, ""); resp.StatusCode != 200 {
		t.Errorf("reload with the new editor key: got %d %v, want 200", resp.StatusCode, a.Errors)
	}
	hash, err := runKeys(t, key+"\n", "hash")
	if err != nil || hash != auth.HashKey(key)+"\n" || !strings.Contains(entry, strings.TrimSpace(hash)) {
		t.Errorf("keys hash < %q: got %q, %v, want %s, the hash in the entry", key, hash, err, auth.HashKey(key))
	}

	bad := []struct {
		name, stdin string
		args        []string
	}{
		{"new without id", "", []string{"new"}},
		{"new with a bad id", "", []string{"new", "--id", "two words"}},
		{"new with an unknown role", "", []string{"new", "--id", "ci", "--role", "admin"}},
		{"hash of nothing", "\n", []string{"hash"}},
		{"hash of two words", "one two\n", []string{"hash"}},
		{"unknown subcommand", "", []string{"list"}},
		{"no subcommand", "", nil},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			if out, err := runKeys(t, c.stdin, c.args...); err == nil {
				t.Errorf("keys %v < %q: got %q and no error, want an error", c.args, c.stdin, out)
			}
		})
	}
}
