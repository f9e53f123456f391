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
)

// codes maps domain error codes to GraphQL codes; this is the one place the
// mapping lives.
var codes = map[string]string{
	network.EINVALID:     CodeBadUserInput,
	network.ENOTFOUND:    CodeBadUserInput,
	network.ELIMIT:       CodeLimitExceeded,
	network.EUNAVAILABLE: CodeUnavailable,
	network.EINTERNAL:    CodeInternal,
}

// PresentError fills extensions.code from the domain error code and hides
// the message of anything that is not a domain error.
func PresentError(ctx context.Context, err error) *gqlerror.Error {
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
		slog.ErrorContext(ctx, "unexpected resolver error", "err", err, "path", gerr.Path.String())
		gerr.Message = "internal error"
		gerr.Extensions["code"] = CodeInternal
	}
	return gerr
}

// Recover turns a resolver panic into an INTERNAL error and logs it.
func Recover(ctx context.Context, p any) error {
	slog.ErrorContext(ctx, "resolver panic", "panic", p)
	return network.Errorf(network.EINTERNAL, "internal error")
}
