package auth

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"

	"github.com/allegiance/allegiance/network"
)

// Leeway is the clock skew allowed when checking a token's exp and nbf.
const Leeway = 30 * time.Second

// Claims are the claims of a token: the registered ones (exp is required)
// and role, which must be "reader" or "editor" for the token to allow
// anything.
type Claims struct {
	jwt.RegisteredClaims
	Role string `json:"role"`
}

// readJWKS reads a JSON Web Key Set; it must hold at least one key.
func readJWKS(ctx context.Context, path string) (keyfunc.Keyfunc, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, network.Errorf(network.EINVALID, "jwks file: %v", err)
	}
	kf, err := keyfunc.NewJWKSetJSON(b)
	if err != nil {
		return nil, network.Errorf(network.EINVALID, "jwks file %s: %v", path, err)
	}
	keys, err := kf.Storage().KeyReadAll(ctx)
	if err != nil {
		return nil, network.Errorf(network.EINVALID, "jwks file %s: %v", path, err)
	}
	if len(keys) == 0 {
		return nil, network.Errorf(network.EINVALID, "jwks file %s: no keys", path)
	}
	return kf, nil
}

// checkToken verifies a JWT: its algorithm is one configured, its signature
// verifies with the secret (HS256) or a JWKS key (RS256, ES256, chosen by
// kid), exp is present and not past, nbf is not future.
func (a *Authenticator) checkToken(ctx context.Context, raw string) (Principal, error) {
	if len(a.methods) == 0 {
		return a.refuse(ctx, "bearer tokens are not accepted", "bearer token sent, but no jwt secret or jwks is configured")
	}
	var claims Claims
	parser := jwt.NewParser(jwt.WithValidMethods(a.methods), jwt.WithExpirationRequired(), jwt.WithLeeway(Leeway))
	if _, err := parser.ParseWithClaims(raw, &claims, a.keyFor(ctx)); err != nil {
		return a.refuse(ctx, "invalid or expired token", err.Error())
	}
	role, _ := ParseRole(claims.Role)
	return Principal{Subject: claims.Subject, Role: role, Method: "jwt"}, nil
}

// keyFor picks the verification key by the token's algorithm: the secret
// for HS256, and for the others only the JWKS, so that no public key is
// ever used as an HMAC secret.
func (a *Authenticator) keyFor(ctx context.Context) jwt.Keyfunc {
	return func(t *jwt.Token) (any, error) {
		switch t.Method.(type) {
		case *jwt.SigningMethodHMAC:
			if a.secret == nil {
				return nil, fmt.Errorf("no jwt secret configured")
			}
			return a.secret, nil
		case *jwt.SigningMethodRSA, *jwt.SigningMethodECDSA:
			if a.jwks == nil {
				return nil, fmt.Errorf("no jwks configured")
			}
			return a.jwks.KeyfuncCtx(ctx)(t)
		}
		return nil, fmt.Errorf("unexpected signing method %s", t.Method.Alg())
	}
}
