package auth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/allegiance/allegiance/auth"
	"github.com/allegiance/allegiance/auth/authtest"
	"github.com/allegiance/allegiance/network"
)

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// newAuthenticator builds an Authenticator from cfg or fails the test.
func newAuthenticator(tb testing.TB, cfg auth.Config) *auth.Authenticator {
	tb.Helper()
	a, err := auth.New(context.Background(), cfg, discard())
	if err != nil {
		tb.Fatalf("New(%+v): %v", cfg, err)
	}
	return a
}

func TestRoleAllows(t *testing.T) {
	cases := []struct {
		have, need auth.Role
		want       bool
	}{
		{auth.Reader, auth.Reader, true},
		{auth.Editor, auth.Reader, true},
		{auth.Editor, auth.Editor, true},
		{auth.Reader, auth.Editor, false},
		{"", auth.Reader, false},
		{"admin", auth.Reader, false},
	}
	for _, c := range cases {
		t.Run(string(c.have)+"/"+string(c.need), func(t *testing.T) {
			if got := c.have.Allows(c.need); got != c.want {
				t.Errorf("Role(%q).Allows(%q): got %v, want %v", c.have, c.need, got, c.want)
			}
		})
	}
}

// credential is one request's Authorization and X-Api-Key headers.
type credential struct{ authz, apiKey string }

func TestAuthenticate(t *testing.T) {
	f := authtest.New(t)
	a := newAuthenticator(t, f.Config())
	hour := time.Hour
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsaPub, _ := x509.MarshalPKIXPublicKey(&f.RSA.PublicKey)
	rsaPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: rsaPub})
	noExp := authtest.Claims("svc", "reader", hour)
	delete(noExp, "exp")
	notYet := authtest.Claims("svc", "reader", 2*hour)
	notYet["nbf"] = time.Now().Add(hour).Unix()
	noRole := authtest.Claims("svc", "", hour)
	delete(noRole, "role")
	bearer := func(tok string) credential { return credential{authz: "Bearer " + tok} }

	cases := []struct {
		name        string
		cred        credential
		wantCode    string // "" for success
		wantRole    auth.Role
		wantSubject string
	}{
		{"no credential", credential{}, network.EUNAUTHENTICATED, "", ""},
		{"reader key", credential{apiKey: f.ReaderKey}, "", auth.Reader, "reader"},
		{"editor key", credential{apiKey: f.EditorKey}, "", auth.Editor, "editor"},
		{"ApiKey scheme", credential{authz: "ApiKey " + f.ReaderKey}, "", auth.Reader, "reader"},
		{"apikey scheme, lower case", credential{authz: "apikey " + f.EditorKey}, "", auth.Editor, "editor"},
		{"unknown key", credential{apiKey: f.ReaderKey + "x"}, network.EUNAUTHENTICATED, "", ""},
		{"the hash as the key", credential{apiKey: auth.HashKey(f.ReaderKey)}, network.EUNAUTHENTICATED, "", ""},
		{"key and token both", credential{authz: "Bearer " + f.Token(t, "HS256", authtest.Claims("svc", "reader", hour)), apiKey: f.ReaderKey}, network.EUNAUTHENTICATED, "", ""},
		{"HS256 reader", bearer(f.Token(t, "HS256", authtest.Claims("svc", "reader", hour))), "", auth.Reader, "svc"},
		{"ES256 editor", bearer(f.Token(t, "ES256", authtest.Claims("alice", "editor", hour))), "", auth.Editor, "alice"},
		{"RS256 reader", bearer(f.Token(t, "RS256", authtest.Claims("bob", "reader", hour))), "", auth.Reader, "bob"},
		{"bearer scheme, lower case", credential{authz: "bearer " + f.Token(t, "HS256", authtest.Claims("svc", "reader", hour))}, "", auth.Reader, "svc"},
		{"ES256 without kid", bearer(authtest.Sign(t, jwt.SigningMethodES256, "", f.EC, authtest.Claims("svc", "reader", hour))), "", auth.Reader, "svc"},
		{"expired within the leeway", bearer(f.Token(t, "HS256", authtest.Claims("svc", "reader", -auth.Leeway/3))), "", auth.Reader, "svc"},
		{"token without role", bearer(f.Token(t, "HS256", noRole)), "", "", "svc"},
		{"token with unknown role", bearer(f.Token(t, "HS256", authtest.Claims("svc", "admin", hour))), "", "", "svc"},
		{"expired", bearer(f.Token(t, "HS256", authtest.Claims("svc", "reader", -hour))), network.EUNAUTHENTICATED, "", ""},
		{"expired ES256", bearer(f.Token(t, "ES256", authtest.Claims("svc", "reader", -hour))), network.EUNAUTHENTICATED, "", ""},
		{"no exp", bearer(f.Token(t, "HS256", noExp)), network.EUNAUTHENTICATED, "", ""},
		{"not yet valid", bearer(f.Token(t, "HS256", notYet)), network.EUNAUTHENTICATED, "", ""},
		{"ES256 signed by another key", bearer(authtest.Sign(t, jwt.SigningMethodES256, authtest.ECKeyID, other, authtest.Claims("svc", "editor", hour))), network.EUNAUTHENTICATED, "", ""},
		{"HS256 with another secret", bearer(authtest.Sign(t, jwt.SigningMethodHS256, "", []byte(strings.Repeat("s", 48)), authtest.Claims("svc", "editor", hour))), network.EUNAUTHENTICATED, "", ""},
		{"HS256 keyed with the RSA public key", bearer(authtest.Sign(t, jwt.SigningMethodHS256, authtest.RSAKeyID, rsaPEM, authtest.Claims("svc", "editor", hour))), network.EUNAUTHENTICATED, "", ""},
		{"HS384, not accepted", bearer(authtest.Sign(t, jwt.SigningMethodHS384, "", f.Secret, authtest.Claims("svc", "editor", hour))), network.EUNAUTHENTICATED, "", ""},
		{"alg none", bearer(authtest.Sign(t, jwt.SigningMethodNone, "", jwt.UnsafeAllowNoneSignatureType, authtest.Claims("svc", "editor", hour))), network.EUNAUTHENTICATED, "", ""},
		{"unknown kid", bearer(authtest.Sign(t, jwt.SigningMethodES256, "nobody", f.EC, authtest.Claims("svc", "editor", hour))), network.EUNAUTHENTICATED, "", ""},
		{"ES256 with the RSA key's kid", bearer(authtest.Sign(t, jwt.SigningMethodES256, authtest.RSAKeyID, f.EC, authtest.Claims("svc", "editor", hour))), network.EUNAUTHENTICATED, "", ""},
		{"payload swapped", bearer(swapPayload(t, f.Token(t, "HS256", authtest.Claims("svc", "reader", hour)), authtest.Claims("svc", "editor", hour))), network.EUNAUTHENTICATED, "", ""},
		{"garbage token", credential{authz: "Bearer not.a.token"}, network.EUNAUTHENTICATED, "", ""},
		{"bearer without token", credential{authz: "Bearer"}, network.EUNAUTHENTICATED, "", ""},
		{"basic scheme", credential{authz: "Basic " + base64.StdEncoding.EncodeToString([]byte("reader:"+f.ReaderKey))}, network.EUNAUTHENTICATED, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := a.Authenticate(context.Background(), c.cred.authz, c.cred.apiKey)
			if got := network.ErrorCode(err); got != c.wantCode {
				t.Fatalf("Authenticate(%.40q, %.20q): got code %q (%v), want %q", c.cred.authz, c.cred.apiKey, got, err, c.wantCode)
			}
			if err == nil && (p.Role != c.wantRole || p.Subject != c.wantSubject) {
				t.Errorf("Authenticate(%.40q, %.20q): got %+v, want subject %q, role %q", c.cred.authz, c.cred.apiKey, p, c.wantSubject, c.wantRole)
			}
		})
	}
}

// swapPayload replaces the claims of a signed token, keeping its header
// and signature.
func swapPayload(tb testing.TB, tok string, claims jwt.MapClaims) string {
	tb.Helper()
	forged := authtest.Sign(tb, jwt.SigningMethodHS256, "", []byte("irrelevant"), claims)
	parts, fparts := strings.Split(tok, "."), strings.Split(forged, ".")
	return parts[0] + "." + fparts[1] + "." + parts[2]
}

// A server configured for one kind of credential refuses the other.
func TestAuthenticateOnlyConfiguredKinds(t *testing.T) {
	f := authtest.New(t)
	tok := "Bearer " + f.Token(t, "ES256", authtest.Claims("svc", "reader", time.Hour))
	cases := []struct {
		name       string
		cfg        auth.Config
		cred       credential
		wantAccept bool
	}{
		{"keys only, key", auth.Config{KeysFile: f.KeysFile}, credential{apiKey: f.ReaderKey}, true},
		{"keys only, token", auth.Config{KeysFile: f.KeysFile}, credential{authz: tok}, false},
		{"jwks only, token", auth.Config{JWKSFile: f.JWKSFile}, credential{authz: tok}, true},
		{"jwks only, HS256 token", auth.Config{JWKSFile: f.JWKSFile}, credential{authz: "Bearer " + f.Token(t, "HS256", authtest.Claims("svc", "reader", time.Hour))}, false},
		{"jwks only, key", auth.Config{JWKSFile: f.JWKSFile}, credential{apiKey: f.ReaderKey}, false},
		{"secret only, ES256 token", auth.Config{JWTSecretFile: f.SecretFile}, credential{authz: tok}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := newAuthenticator(t, c.cfg)
			_, err := a.Authenticate(context.Background(), c.cred.authz, c.cred.apiKey)
			if got := err == nil; got != c.wantAccept {
				t.Errorf("Authenticate(%.40q, %.20q) with %+v: got accepted %v (%v), want %v", c.cred.authz, c.cred.apiKey, c.cfg, got, err, c.wantAccept)
			}
		})
	}
}

// Bad configuration is refused, as EINVALID, when the server starts.
func TestNewRefusesBadConfig(t *testing.T) {
	f := authtest.New(t)
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name string
		cfg  auth.Config
	}{
		{"nothing configured", auth.Config{}},
		{"missing keys file", auth.Config{KeysFile: filepath.Join(dir, "none.yaml")}},
		{"missing secret file", auth.Config{JWTSecretFile: filepath.Join(dir, "none")}},
		{"short secret", auth.Config{JWTSecretFile: file("short", strings.Repeat("s", auth.MinSecretBytes-1)+"\n")}},
		{"missing jwks file", auth.Config{JWKSFile: filepath.Join(dir, "none.json")}},
		{"jwks not JSON", auth.Config{JWKSFile: file("bad.json", "keys:")}},
		{"jwks without keys", auth.Config{JWKSFile: file("empty.json", `{"keys":[]}`)}},
		{"good keys, bad jwks", auth.Config{KeysFile: f.KeysFile, JWKSFile: file("bad2.json", "{")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := auth.New(context.Background(), c.cfg, discard())
			if got := network.ErrorCode(err); got != network.EINVALID {
				t.Errorf("New(%+v): got code %q (%v), want %q", c.cfg, got, err, network.EINVALID)
			}
		})
	}
}
