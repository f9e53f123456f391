package network

import (
	"errors"
	"fmt"
)

// Error codes. Transports map them to their own statuses in one place each.
const (
	EINVALID     = "invalid"     // bad input: a malformed date, an unknown id
	ENOTFOUND    = "not_found"   // the entity does not exist
	ELIMIT       = "limit"       // a request over a documented maximum
	EUNAVAILABLE = "unavailable" // the store cannot be reached
	EINTERNAL    = "internal"    // anything else

	EUNAUTHENTICATED = "unauthenticated" // no valid credential
	EFORBIDDEN       = "forbidden"       // a valid credential whose role does not allow the request
)

// Error is the one error type of the domain. Message is safe to show to a
// client; anything else stays in logs.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err's *Error, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of err's *Error, or
// "internal error" for any other non-nil error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
