package helhed

import (
	"errors"
	"fmt"
)

// Code classifies a domain error so the web adapter can choose an HTTP
// status and a message without knowing which rule failed. Codes are strings
// so they read well in logs.
type Code string

// The error codes. The set is deliberately small: the adapter only needs to
// tell "your fault" (invalid, conflict, forbidden, not found) from "ours"
// (internal).
const (
	// ENotFound means the requested page or record does not exist (or the
	// user may not know that it exists).
	ENotFound Code = "not_found"
	// EForbidden means the user is known but not allowed to do this.
	EForbidden Code = "forbidden"
	// EConflict means the action clashes with the current state, e.g. a
	// record changed by someone else or a referral in the wrong state.
	EConflict Code = "conflict"
	// EInvalid means the input broke a validation rule; the message (and
	// Fields, if any) tell the user what to correct.
	EInvalid Code = "invalid"
	// EInternal means something went wrong that the user cannot fix; details
	// belong in the log, never on the screen.
	EInternal Code = "internal"
)

// defaultMessages are shown when an *Error carries no message of its own, so
// the user always sees Danish text rather than a code.
var defaultMessages = map[Code]string{
	ENotFound:  "Siden eller posten findes ikke",
	EForbidden: "Du har ikke adgang til denne handling",
	EConflict:  "Posten er blevet ændret i mellemtiden. Genindlæs siden og prøv igen",
	EInvalid:   "Oplysningerne er ikke gyldige",
	EInternal:  "Der opstod en intern fejl. Prøv igen senere",
}

// Error is a domain error: a code for the adapter, a Danish message that is
// safe to show, optional per-field messages keyed by form field name, and an
// optional underlying error kept for logs and errors.Is/As.
type Error struct {
	// Code classifies the error; the zero value counts as EInternal.
	Code Code
	// Message is Danish and safe to show to the user.
	Message string
	// Fields maps form field names to Danish messages to show beside them.
	Fields map[string]string
	// Err is the underlying cause, if any. It is never shown to the user.
	Err error
}

// ErrNotFound is the generic not-found error. Because (*Error).Is compares
// codes, errors.Is(err, ErrNotFound) holds for any not-found error, whatever
// its message.
var ErrNotFound = &Error{Code: ENotFound, Message: defaultMessages[ENotFound]}

// Error returns the message followed by the cause, so logs keep both.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = "helhed: " + string(e.code())
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

// Unwrap exposes the cause to errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target stands for a class of errors that e belongs to: an *Error with
// the same code and no message of its own (ErrNotFound carries only its code's default), so
// callers can test for a class (errors.Is(err, ErrNotFound)) without caring about the
// message. A sentinel with a message of its own (store.ErrCaseWithdrawn) is one error, not a
// class: only itself matches it (errors.Is compares identity before it asks Is), never
// another error that happens to share its code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.class() && t.code() == e.code()
}

// class reports whether e names a whole class of errors rather than one error: no message
// beyond its code's default, no fields and no cause.
func (e *Error) class() bool {
	return (e.Message == "" || e.Message == defaultMessages[e.code()]) && e.Fields == nil && e.Err == nil
}

// ErrorCode makes *Error satisfy coder, the interface ErrorCode looks for.
func (e *Error) ErrorCode() Code { return e.code() }

// code maps the zero value and unknown codes to EInternal, so a
// half-built error is never treated as the user's fault.
func (e *Error) code() Code {
	if _, ok := defaultMessages[e.Code]; !ok {
		return EInternal
	}
	return e.Code
}

// coder is implemented by domain errors that keep structured details of
// their own (such as *CPRError) and still want to be classified. Their
// Error text must be Danish and safe to show.
type coder interface {
	error
	ErrorCode() Code
}

// Errorf returns an *Error with the given code and a message formatted with
// fmt.Sprintf. Use the Err field, not %w, to keep a cause.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first domain error in err's chain, ""
// for a nil error and EInternal for anything unclassified: an error nobody
// classified is a bug, and must not be blamed on the user.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var c coder
	if errors.As(err, &c) {
		return c.ErrorCode()
	}
	return EInternal
}

// ErrorMessage returns a Danish message that is safe to show for err: the
// message of the first domain error in the chain, its code's default
// message if it has none, and a generic message for unclassified errors so
// internal details never reach the screen. It returns "" for a nil error.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var c coder
	if !errors.As(err, &c) {
		return defaultMessages[EInternal]
	}
	if e, ok := c.(*Error); ok {
		if e.Message != "" {
			return e.Message
		}
		return defaultMessages[e.code()]
	}
	return c.Error()
}

// FieldErrorsOf returns the per-field messages of a validation error (EInvalid with Fields),
// or nil for any other error.
func FieldErrorsOf(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) && e.Code == EInvalid && len(e.Fields) > 0 {
		return e.Fields
	}
	return nil
}
