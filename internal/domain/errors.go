// Package domain holds custreg's records, their validation rules and its error
// codes. It does no I/O and imports no other internal package: the service,
// the stores and the adapters all speak in its terms.
package domain

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Code classifies an Error. Each code maps to exactly one HTTP status, in
// one table (internal/problem) that every HTTP edge answers through.
type Code string

// Error codes. The set is small on purpose: callers branch on the code, not on
// message text.
const (
	// EInvalid means the input broke a validation rule; Fields says which.
	EInvalid Code = "invalid"
	// EBadRequest means the request itself was malformed (bad JSON, unknown
	// field, bad query parameter).
	EBadRequest Code = "bad_request"
	// ENotFound means the object does not exist or is outside the caller's
	// scope: the two are indistinguishable on purpose.
	ENotFound Code = "not_found"
	// EConflict means the request conflicts with the current state.
	EConflict Code = "conflict"
	// EPrecondition means an If-Match version was stale.
	EPrecondition Code = "precondition_failed"
	// EUnauthorized means no valid credentials were presented.
	EUnauthorized Code = "unauthorized"
	// EForbidden means the caller is known but may not do this.
	EForbidden Code = "forbidden"
	// ETooLarge means the request body exceeded its limit.
	ETooLarge Code = "too_large"
	// EUnsupportedMedia means the request body is of a media type the
	// route does not take.
	EUnsupportedMedia Code = "unsupported_media_type"
	// ETooManyRequests means the caller must wait before trying again
	// (sign-in throttling); Error.RetryAfter says how long.
	ETooManyRequests Code = "too_many_requests"
	// EInternal means something went wrong that the caller cannot fix.
	EInternal Code = "internal"
)

// Error is the one error type of custreg. Message is safe to show to the
// caller; internal details are never put in it.
type Error struct {
	Code    Code
	Type    string // a stable slug refining Code, e.g. "msp-disabled"; optional
	Message string
	Fields  []FieldError
	// License names the license invariant a refused change would break;
	// Excesses lists every one it would break (License is the first), so
	// a request over the pool in several types hears of all of them.
	License  *LicenseExcess
	Excesses []LicenseExcess
	// RetryAfter, for ETooManyRequests, is how long to wait.
	RetryAfter time.Duration
}

// FieldError names one bad input field by its JSON path (for example
// "location.pin_code" or "entities[1].name").
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf returns an *Error with the given code and a formatted, caller-safe
// message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EInternal for errors that are not an
// *Error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the caller-safe message of err; errors that are not an
// *Error get a generic message so that internal details never leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An internal error occurred."
}

// FieldErrors collects validation failures so that one response can name
// every bad field at once.
type FieldErrors []FieldError

// Add records a failure of field.
func (fe *FieldErrors) Add(field, code, message string) {
	*fe = append(*fe, FieldError{Field: field, Code: code, Message: message})
}

// Has reports whether field already has an error.
func (fe FieldErrors) Has(field string) bool {
	for _, f := range fe {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Prefixed returns the errors with prefix prepended to each field path, for
// nested records ("location." or "entities[2].").
func (fe FieldErrors) Prefixed(prefix string) FieldErrors {
	out := make(FieldErrors, len(fe))
	for i, f := range fe {
		f.Field = prefix + f.Field
		out[i] = f
	}
	return out
}

// Err returns nil when there are no failures and an EInvalid *Error naming
// every failure otherwise.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "The request has invalid fields.", Fields: []FieldError(fe)}
}

// Field error codes used across records.
const (
	FieldRequired = "required"
	FieldTooLong  = "too_long"
	FieldTooShort = "too_short"
	FieldFormat   = "format"
	FieldTaken    = "taken"
	FieldUnknown  = "unknown"
	FieldType     = "type"
)
