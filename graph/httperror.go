package graph

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/allegiance/allegiance/network"
)

// statuses maps domain error codes to the HTTP statuses of the endpoints
// that answer outside GraphQL execution: authentication and /admin.
var statuses = map[string]int{
	network.EINVALID:         http.StatusBadRequest,
	network.ENOTFOUND:        http.StatusNotFound,
	network.ELIMIT:           http.StatusBadRequest,
	network.EUNAVAILABLE:     http.StatusServiceUnavailable,
	network.EINTERNAL:        http.StatusInternalServerError,
	network.EUNAUTHENTICATED: http.StatusUnauthorized,
	network.EFORBIDDEN:       http.StatusForbidden,
}

// errorJSON is one entry of a GraphQL-shaped errors list.
type errorJSON struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// ErrorWriter returns a function that answers a request with err as a
// GraphQL-shaped body, {"errors":[{"message", "extensions":{"code"}}]},
// with the HTTP status of err's domain code (EUNAUTHENTICATED 401,
// EFORBIDDEN 403, EINVALID 400, …). An errors.Join of several errors gives
// one entry each and the status of the first. A non-domain error is logged
// to log and shown as "internal error". It fits auth.ErrorWriter.
func ErrorWriter(log *slog.Logger) func(w http.ResponseWriter, r *http.Request, err error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		list := []error{err}
		if j, ok := err.(interface{ Unwrap() []error }); ok && len(j.Unwrap()) > 0 {
			list = j.Unwrap()
		}
		out := make([]errorJSON, len(list))
		for i, e := range list {
			var derr *network.Error
			if !errors.As(e, &derr) {
				log.ErrorContext(r.Context(), "unexpected error", "request_id", RequestID(r.Context()), "err", e)
			}
			code := codes[network.ErrorCode(e)]
			out[i] = errorJSON{network.ErrorMessage(e), map[string]any{"code": code}}
			recordErrorCodes(r.Context(), code)
		}
		writeJSON(w, statuses[network.ErrorCode(list[0])], map[string]any{"errors": out})
	}
}
