package graph

import (
	"context"
	"errors"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/allegiance/allegiance/network"
)

// The values of extensions.code.
const (
	CodeBadUserInput  = "BAD_USER_INPUT"
	CodeLimitExceeded = "LIMIT_EXCEEDED"
	CodeUnavailable   = "UNAVAILABLE"
	CodeInternal      = "INTERNAL"
	// CodeUnauthenticated and CodeForbidden answer HTTP 401 and 403 (see
	// WriteError): the request had no valid credential, or its role does
	// not allow it.
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeForbidden       = "FORBIDDEN"
)

// codes maps domain error codes to GraphQL codes; this is the one place the
// mapping lives.
var codes = map[string]string{
	network.EINVALID:     CodeBadUserInput,
	network.ENOTFOUND:    CodeBadUserInput,
	network.ELIMIT:       CodeLimitExceeded,
	network.EUNAVAILABLE: CodeUnavailable,
	network.EINTERNAL:    CodeInternal,

	network.EUNAUTHENTICATED: CodeUnauthenticated,
	network.EFORBIDDEN:       CodeForbidden,
}

// PresentError fills extensions.code from the domain error code and hides
// the message of anything that is not a domain error, which it logs to
// slog.Default(). NewHandler uses ErrorPresenter(HandlerConfig.Log).
func PresentError(ctx context.Context, err error) *gqlerror.Error {
	return presentError(ctx, err, slog.Default())
}

// ErrorPresenter is PresentError logging to log. Every line it logs carries
// the request's id as request_id.
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error { return presentError(ctx, err, log) }
}

func presentError(ctx context.Context, err error, log *slog.Logger) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	var derr *network.Error
	if gerr.Extensions == nil {
		gerr.Extensions = map[string]any{}
	}
	switch {
	case errors.As(err, &derr):
		gerr.Message = derr.Message
		gerr.Extensions["code"] = codes[derr.Code]
	case gerr.Extensions["code"] == CodeLimitExceeded || gerr.Extensions["code"] == "COMPLEXITY_LIMIT_EXCEEDED":
		gerr.Extensions["code"] = CodeLimitExceeded
	case gerr.Extensions["code"] != nil:
		// gqlgen's own parse and validation errors: the request is at fault.
		gerr.Extensions["code"] = CodeBadUserInput
	default:
		log.ErrorContext(ctx, "unexpected resolver error", "request_id", RequestID(ctx), "err", err, "path", gerr.Path.String())
		gerr.Message = "internal error"
		gerr.Extensions["code"] = CodeInternal
	}
	return gerr
}

// Recover turns a resolver panic into an INTERNAL error and logs it to
// slog.Default(). NewHandler uses Recoverer(HandlerConfig.Log).
func Recover(ctx context.Context, p any) error {
	return Recoverer(slog.Default())(ctx, p)
}

// Recoverer is Recover logging to log, with the request's id as request_id.
func Recoverer(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "resolver panic", "request_id", RequestID(ctx), "panic", p)
		return network.Errorf(network.EINTERNAL, "internal error")
	}
}
