// Package authtest makes credentials for tests, fresh for each test: a
// keys file with a reader and an editor key, an HS256 secret file, a JWKS
// file with an ES256 and an RS256 public key, and tokens signed by each.
package authtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/allegiance/allegiance/auth"
)

// The key ids of the JWKS.
const (
	ECKeyID  = "test-es256"
	RSAKeyID = "test-rs256"
)

// Fixture holds the files and the keys behind them.
type Fixture struct {
	// KeysFile lists ReaderKey (id "reader") and EditorKey (id "editor").
	KeysFile             string
	ReaderKey, EditorKey string
	// SecretFile holds Secret, the HS256 secret, and a newline.
	SecretFile string
	Secret     []byte
	// JWKSFile holds the public halves of EC and RSA.
	JWKSFile string
	EC       *ecdsa.PrivateKey
	RSA      *rsa.PrivateKey
}

// New writes a fresh fixture under tb.TempDir().
func New(tb testing.TB) *Fixture {
	tb.Helper()
	dir := tb.TempDir()
	f := &Fixture{
		KeysFile:   filepath.Join(dir, "keys.yaml"),
		SecretFile: filepath.Join(dir, "jwt-secret"),
		JWKSFile:   filepath.Join(dir, "jwks.json"),
		ReaderKey:  newKey(tb),
		EditorKey:  newKey(tb),
	}
	var random [48]byte
	rand.Read(random[:])
	f.Secret = []byte(base64.RawURLEncoding.EncodeToString(random[:]))
	var err error
	if f.EC, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		tb.Fatal(err)
	}
	if f.RSA, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		tb.Fatal(err)
	}
	keys := "keys:\n" + entry(tb, "reader", auth.Reader, f.ReaderKey) + entry(tb, "editor", auth.Editor, f.EditorKey)
	write(tb, f.KeysFile, []byte(keys))
	write(tb, f.SecretFile, append(slices.Clone(f.Secret), '\n'))
	write(tb, f.JWKSFile, JWKS(tb, map[string]any{ECKeyID: &f.EC.PublicKey, RSAKeyID: &f.RSA.PublicKey}))
	return f
}

// Config is the auth configuration of every file of f.
func (f *Fixture) Config() auth.Config {
	return auth.Config{KeysFile: f.KeysFile, JWTSecretFile: f.SecretFile, JWKSFile: f.JWKSFile}
}

// Claims returns claims for subject sub with role, expiring ttl from now
// (in the past when ttl is negative).
func Claims(sub, role string, ttl time.Duration) jwt.MapClaims {
	now := time.Now()
	return jwt.MapClaims{"sub": sub, "role": role, "iat": now.Unix(), "exp": now.Add(ttl).Unix()}
}

// Token signs claims with alg: HS256 with f's secret, ES256 or RS256 with
// f's JWKS key of that kind (kid set).
func (f *Fixture) Token(tb testing.TB, alg string, claims jwt.MapClaims) string {
	tb.Helper()
	switch alg {
	case "HS256":
		return Sign(tb, jwt.SigningMethodHS256, "", f.Secret, claims)
	case "ES256":
		return Sign(tb, jwt.SigningMethodES256, ECKeyID, f.EC, claims)
	case "RS256":
		return Sign(tb, jwt.SigningMethodRS256, RSAKeyID, f.RSA, claims)
	}
	tb.Fatalf("Token: unknown alg %q", alg)
	return ""
}

// Sign signs claims with method and key, with kid in the header unless it
// is "".
func Sign(tb testing.TB, method jwt.SigningMethod, kid string, key any, claims jwt.MapClaims) string {
	tb.Helper()
	t := jwt.NewWithClaims(method, claims)
	if kid != "" {
		t.Header["kid"] = kid
	}
	s, err := t.SignedString(key)
	if err != nil {
		tb.Fatalf("signing a %s token: %v", method.Alg(), err)
	}
	return s
}

// JWKS returns a JSON Web Key Set of the public keys (*ecdsa.PublicKey on
// P-256, *rsa.PublicKey), by kid.
func JWKS(tb testing.TB, keys map[string]any) []byte {
	tb.Helper()
	b64 := base64.RawURLEncoding.EncodeToString
	var set []map[string]string
	for kid, k := range keys {
		switch k := k.(type) {
		case *ecdsa.PublicKey:
			point, err := k.Bytes() // 0x04 || X || Y
			if err != nil {
				tb.Fatal(err)
			}
			set = append(set, map[string]string{"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": kid,
				"x": b64(point[1:33]), "y": b64(point[33:])})
		case *rsa.PublicKey:
			set = append(set, map[string]string{"kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid,
				"n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())})
		default:
			tb.Fatalf("JWKS: unsupported key %T", k)
		}
	}
	b, err := json.Marshal(map[string]any{"keys": set})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func newKey(tb testing.TB) string {
	tb.Helper()
	k, err := auth.NewKey()
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

func entry(tb testing.TB, id string, role auth.Role, key string) string {
	tb.Helper()
	e, err := auth.NewEntry(id, role, key)
	if err != nil {
		tb.Fatalf("NewEntry(%q, %q): %v", id, role, err)
	}
	return e.YAML()
}

func write(tb testing.TB, path string, b []byte) {
	tb.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		tb.Fatal(err)
	}
}
