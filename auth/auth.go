// Package auth authenticates API requests and authorizes them by role.
//
// A request carries one credential: an API key (X-Api-Key: KEY, or
// Authorization: ApiKey KEY), checked against the SHA-256 hashes of a keys
// file, or a JWT (Authorization: Bearer TOKEN), signed with HS256 and a
// shared secret or with RS256/ES256 and a key of a local JWKS. A reader may
// query; an editor may also write.
package auth

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"

	"github.com/allegiance/allegiance/network"
)

// Role is what a credential may do.
type Role string

// The roles, weakest first: an editor may do everything a reader may.
const (
	Reader Role = "reader"
	Editor Role = "editor"
)

// ParseRole returns the role named s, or EINVALID.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Reader, Editor:
		return r, nil
	}
	return "", network.Errorf(network.EINVALID, "role must be %q or %q, got %q", Reader, Editor, s)
}

// Allows reports whether r may do what need may; an unknown or empty role
// allows nothing.
func (r Role) Allows(need Role) bool {
	rank := map[Role]int{Reader: 1, Editor: 2}
	return rank[r] > 0 && rank[r] >= rank[need]
}

// Principal is who sent a request.
type Principal struct {
	// Subject is the key's id, or the token's sub claim.
	Subject string
	// Role is what the credential may do; empty for a token without a
	// known role.
	Role Role
	// Method is "api-key" or "jwt".
	Method string
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal the middleware authenticated.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// Config names the files credentials are checked against. Any combination
// may be set; none set means authentication is off.
type Config struct {
	// KeysFile is a YAML keys file (see ReadKeys).
	KeysFile string
	// JWTSecretFile holds the HS256 secret, at least MinSecretBytes long;
	// a trailing newline is ignored.
	JWTSecretFile string
	// JWKSFile is a JSON Web Key Set whose public keys verify RS256 and
	// ES256 tokens.
	JWKSFile string
}

// Enabled reports whether any credential source is configured.
func (c Config) Enabled() bool {
	return c.KeysFile != "" || c.JWTSecretFile != "" || c.JWKSFile != ""
}

// MinSecretBytes is the shortest HS256 secret accepted: as long as the hash.
const MinSecretBytes = 32

// Authenticator checks credentials against the configured sources. It is
// safe for concurrent use.
type Authenticator struct {
	keys    []Key
	secret  []byte
	jwks    keyfunc.Keyfunc
	methods []string
	log     *slog.Logger
}

// New reads the files cfg names. It returns EINVALID when one is missing,
// malformed or weak, and when cfg names none.
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Authenticator, error) {
	if !cfg.Enabled() {
		return nil, network.Errorf(network.EINVALID, "no credential source configured")
	}
	if log == nil {
		log = slog.Default()
	}
	a := &Authenticator{log: log}
	if cfg.KeysFile != "" {
		keys, err := ReadKeysFile(cfg.KeysFile)
		if err != nil {
			return nil, err
		}
		a.keys = keys
	}
	if cfg.JWTSecretFile != "" {
		b, err := os.ReadFile(cfg.JWTSecretFile)
		if err != nil {
			return nil, network.Errorf(network.EINVALID, "jwt secret file: %v", err)
		}
		a.secret = []byte(strings.TrimRight(string(b), "\r\n"))
		if len(a.secret) < MinSecretBytes {
			return nil, network.Errorf(network.EINVALID, "jwt secret file %s: the secret has %d bytes, want at least %d",
				cfg.JWTSecretFile, len(a.secret), MinSecretBytes)
		}
		a.methods = append(a.methods, jwt.SigningMethodHS256.Alg())
	}
	if cfg.JWKSFile != "" {
		kf, err := readJWKS(ctx, cfg.JWKSFile)
		if err != nil {
			return nil, err
		}
		a.jwks = kf
		a.methods = append(a.methods, jwt.SigningMethodRS256.Alg(), jwt.SigningMethodES256.Alg())
	}
	return a, nil
}

// refuse logs why a credential was refused and returns the short
// EUNAUTHENTICATED message the client sees, which never says why.
func (a *Authenticator) refuse(ctx context.Context, msg, reason string) (Principal, error) {
	a.log.WarnContext(ctx, "credential refused", "reason", reason)
	return Principal{}, network.Errorf(network.EUNAUTHENTICATED, "%s", msg)
}

// Authenticate returns who sent a request with the given Authorization and
// X-Api-Key header values. Every failure is EUNAUTHENTICATED with a short
// message; the reason goes to the log only.
func (a *Authenticator) Authenticate(ctx context.Context, authorization, apiKey string) (Principal, error) {
	switch {
	case authorization == "" && apiKey == "":
		return Principal{}, network.Errorf(network.EUNAUTHENTICATED, "missing credentials")
	case authorization != "" && apiKey != "":
		return a.refuse(ctx, "send one credential, not two", "both Authorization and X-Api-Key headers")
	case apiKey != "":
		return a.checkKey(ctx, apiKey)
	}
	scheme, cred, _ := strings.Cut(authorization, " ")
	cred = strings.TrimSpace(cred)
	switch {
	case cred == "":
		return a.refuse(ctx, "malformed authorization header", "authorization header without credentials")
	case strings.EqualFold(scheme, "Bearer"):
		return a.checkToken(ctx, cred)
	case strings.EqualFold(scheme, "ApiKey"):
		return a.checkKey(ctx, cred)
	}
	return a.refuse(ctx, "unsupported authorization scheme", fmt.Sprintf("authorization scheme %.20q", scheme))
}
