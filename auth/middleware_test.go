package auth_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/allegiance/allegiance/auth"
	"github.com/allegiance/allegiance/auth/authtest"
	"github.com/allegiance/allegiance/network"
)

// The middleware answers 401 with a challenge, 403 for a weak role, and
// otherwise passes the request on with its principal.
func TestRequire(t *testing.T) {
	f := authtest.New(t)
	a := newAuthenticator(t, f.Config())
	expired := "Bearer " + f.Token(t, "HS256", authtest.Claims("svc", "editor", -time.Hour))
	readerTok := "Bearer " + f.Token(t, "ES256", authtest.Claims("svc", "reader", time.Hour))
	cases := []struct {
		name       string
		need       auth.Role
		cred       credential
		wantStatus int
		wantCode   string // the code the ErrorWriter got
		wantBearer string // the Bearer challenge, "" for none
	}{
		{"reader, no credential", auth.Reader, credential{}, 401, network.EUNAUTHENTICATED, `Bearer realm="allegiance"`},
		{"reader, bad key", auth.Reader, credential{apiKey: "nope"}, 401, network.EUNAUTHENTICATED, `Bearer realm="allegiance"`},
		{"reader, expired token", auth.Reader, credential{authz: expired}, 401, network.EUNAUTHENTICATED, `Bearer realm="allegiance", error="invalid_token"`},
		{"reader, reader key", auth.Reader, credential{apiKey: f.ReaderKey}, 200, "", ""},
		{"reader, editor key", auth.Reader, credential{apiKey: f.EditorKey}, 200, "", ""},
		{"reader, reader token", auth.Reader, credential{authz: readerTok}, 200, "", ""},
		{"editor, reader key", auth.Editor, credential{apiKey: f.ReaderKey}, 403, network.EFORBIDDEN, ""},
		{"editor, reader token", auth.Editor, credential{authz: readerTok}, 403, network.EFORBIDDEN, ""},
		{"reader, token without role", auth.Reader, credential{authz: "Bearer " + f.Token(t, "RS256", authtest.Claims("svc", "", time.Hour))}, 403, network.EFORBIDDEN, ""},
		{"editor, editor key", auth.Editor, credential{apiKey: f.EditorKey}, 200, "", ""},
		{"editor, no credential", auth.Editor, credential{}, 401, network.EUNAUTHENTICATED, `Bearer realm="allegiance"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var gotCode string
			var gotPrincipal auth.Principal
			fail := func(w http.ResponseWriter, r *http.Request, err error) {
				gotCode = network.ErrorCode(err)
				status := map[string]int{network.EUNAUTHENTICATED: 401, network.EFORBIDDEN: 403}[gotCode]
				w.WriteHeader(status)
			}
			h := a.Require(c.need, fail)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotPrincipal, _ = auth.FromContext(r.Context())
			}))
			req := httptest.NewRequest("POST", "/graphql", nil)
			if c.cred.authz != "" {
				req.Header.Set("Authorization", c.cred.authz)
			}
			if c.cred.apiKey != "" {
				req.Header.Set("X-Api-Key", c.cred.apiKey)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != c.wantStatus || gotCode != c.wantCode {
				t.Fatalf("%s with %+v: got %d, code %q, want %d, code %q", c.need, c.cred, rec.Code, gotCode, c.wantStatus, c.wantCode)
			}
			challenges := rec.Header().Values("WWW-Authenticate")
			if c.wantBearer != "" {
				want := []string{c.wantBearer, `ApiKey realm="allegiance"`}
				if strings.Join(challenges, "|") != strings.Join(want, "|") {
					t.Errorf("%s with %+v: got WWW-Authenticate %q, want %q", c.need, c.cred, challenges, want)
				}
			}
			if rec.Code == 200 && gotPrincipal.Role == "" {
				t.Errorf("%s with %+v: the handler got no principal", c.need, c.cred)
			}
		})
	}
}

// Without an ErrorWriter the middleware answers in plain text, with the
// same statuses.
func TestRequirePlainErrors(t *testing.T) {
	f := authtest.New(t)
	a := newAuthenticator(t, auth.Config{KeysFile: f.KeysFile})
	h := a.Require(auth.Editor, nil)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	cases := []struct {
		apiKey     string
		wantStatus int
	}{{"", 401}, {"bad", 401}, {f.ReaderKey, 403}, {f.EditorKey, 200}}
	for _, c := range cases {
		t.Run(c.apiKey, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/admin/reload", nil)
			req.Header.Set("X-Api-Key", c.apiKey)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != c.wantStatus {
				t.Errorf("POST /admin/reload with key %.10q: got %d, want %d", c.apiKey, rec.Code, c.wantStatus)
			}
			if got := rec.Header().Values("WWW-Authenticate"); c.wantStatus == 401 && (len(got) != 1 || got[0] != `ApiKey realm="allegiance"`) {
				t.Errorf("POST /admin/reload with key %.10q: got WWW-Authenticate %q, want only the ApiKey challenge", c.apiKey, got)
			}
		})
	}
}
