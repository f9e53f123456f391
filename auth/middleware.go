package auth

import (
	"net/http"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// ErrorWriter answers a refused request. err is a *network.Error with code
// EUNAUTHENTICATED (to answer 401) or EFORBIDDEN (403).
type ErrorWriter func(w http.ResponseWriter, r *http.Request, err error)

// Realm names the server in WWW-Authenticate challenges.
const Realm = "allegiance"

// Require returns middleware that lets a request through only with a valid
// credential whose role allows need, and puts its Principal in the
// request's context. It answers a missing or bad credential with a
// WWW-Authenticate challenge and fail's 401, and an insufficient role with
// fail's 403. A nil fail writes plain text.
func (a *Authenticator) Require(need Role, fail ErrorWriter) func(http.Handler) http.Handler {
	if fail == nil {
		fail = plainError
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			authz := r.Header.Get("Authorization")
			p, err := a.Authenticate(ctx, authz, r.Header.Get("X-Api-Key"))
			if err != nil {
				a.challenge(w, authz)
				fail(w, r, err)
				return
			}
			if !p.Role.Allows(need) {
				a.log.WarnContext(ctx, "request forbidden", "subject", p.Subject, "method", p.Method, "role", p.Role, "need", need)
				fail(w, r, network.Errorf(network.EFORBIDDEN, "this needs the %s role", need))
				return
			}
			next.ServeHTTP(w, r.WithContext(WithPrincipal(ctx, p)))
		})
	}
}

// challenge names the schemes the server accepts (RFC 7235), with
// error="invalid_token" when a bearer token was sent and refused
// (RFC 6750).
func (a *Authenticator) challenge(w http.ResponseWriter, authz string) {
	if len(a.methods) > 0 {
		c := `Bearer realm="` + Realm + `"`
		if scheme, _, _ := strings.Cut(authz, " "); strings.EqualFold(scheme, "Bearer") {
			c += `, error="invalid_token"`
		}
		w.Header().Add("WWW-Authenticate", c)
	}
	if a.keys != nil {
		w.Header().Add("WWW-Authenticate", `ApiKey realm="`+Realm+`"`)
	}
}

func plainError(w http.ResponseWriter, _ *http.Request, err error) {
	status := http.StatusUnauthorized
	if network.ErrorCode(err) == network.EFORBIDDEN {
		status = http.StatusForbidden
	}
	http.Error(w, network.ErrorMessage(err), status)
}
