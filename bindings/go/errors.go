package docspace

// #include "docspace_auth.h"
import "C"

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Kind is the stable category of a failure, shared by every language binding of the
// library. Its values are the C ABI's docspace_result codes; [Kind.String] gives the
// cross-language name ("invalid_code", …).
type Kind int

// The kinds of [Error]. New kinds may be added; values are never renumbered.
const (
	// KindInvalidArgument: an argument is unusable (empty, too long, a NUL byte, a bad
	// URL…), or a closed value was used.
	KindInvalidArgument Kind = 1
	// KindInternal: a bug in the library (it caught a panic). Not produced by portals.
	KindInternal Kind = 4
	// KindNetwork: the connection could not be made or broke (DNS, refused, reset, proxy).
	KindNetwork Kind = 10
	// KindTimeout: the connect or total timeout elapsed.
	KindTimeout Kind = 11
	// KindTLS: the TLS handshake failed (untrusted or invalid certificate, protocol error).
	KindTLS Kind = 12
	// KindInvalidCredentials: the portal rejected the user name or password.
	KindInvalidCredentials Kind = 20
	// KindInvalidCode: the portal rejected the TOTP, backup or SMS code.
	KindInvalidCode Kind = 21
	// KindLockedOut: too many failed attempts; the portal blocks this login for a while.
	KindLockedOut Kind = 22
	// KindRateLimited: the portal's rate limiter answered 429; see [Error.RetryAfter].
	KindRateLimited Kind = 23
	// KindTfaNotAvailable: 2FA by app is not available for this request (policy off, app
	// already linked for setup, not linked for backup codes).
	KindTfaNotAvailable Kind = 24
	// KindConfirmContext: the challenge's confirm context is missing, expired or refused;
	// sign in again.
	KindConfirmContext Kind = 25
	// KindAccessDenied: the portal refused the operation for this account (user disabled,
	// not an administrator).
	KindAccessDenied Kind = 26
	// KindSessionInvalid: the session is not (or no longer) valid: signed out, revoked or
	// expired.
	KindSessionInvalid Kind = 27
	// KindServerError: the portal failed (5xx), often with an HTML error page.
	KindServerError Kind = 30
	// KindUnexpectedResponse: the answer did not have the expected shape.
	KindUnexpectedResponse Kind = 31
)

// C-only result codes, folded into the kinds above.
const (
	resultNullParameter  = 2
	resultBufferTooSmall = 3
)

// String returns the kind's cross-language name, such as "invalid_code": the library's own
// name (docspace_result_kind_name), "internal" for [KindInternal] (a C-only code), or
// "kind(N)" for a value the library does not know.
func (k Kind) String() string {
	if k == KindInternal {
		return "internal"
	}
	if k >= 0 && uint64(k) <= math.MaxUint32 {
		if name := C.docspace_result_kind_name(C.uint32_t(k)); name != nil {
			return C.GoString(name)
		}
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Sentinel errors, one per [Kind], for [errors.Is]: every [*Error] matches the sentinel
// of its kind. To read the details, use [errors.As] with an [*Error].
var (
	ErrInvalidArgument    = errors.New("docspace: invalid_argument")
	ErrInternal           = errors.New("docspace: internal")
	ErrNetwork            = errors.New("docspace: network")
	ErrTimeout            = errors.New("docspace: timeout")
	ErrTLS                = errors.New("docspace: tls")
	ErrInvalidCredentials = errors.New("docspace: invalid_credentials")
	ErrInvalidCode        = errors.New("docspace: invalid_code")
	ErrLockedOut          = errors.New("docspace: locked_out")
	ErrRateLimited        = errors.New("docspace: rate_limited")
	ErrTfaNotAvailable    = errors.New("docspace: tfa_not_available")
	ErrConfirmContext     = errors.New("docspace: confirm_context")
	ErrAccessDenied       = errors.New("docspace: access_denied")
	ErrSessionInvalid     = errors.New("docspace: session_invalid")
	ErrServerError        = errors.New("docspace: server_error")
	ErrUnexpectedResponse = errors.New("docspace: unexpected_response")
)

var sentinels = map[Kind]error{
	KindInvalidArgument:    ErrInvalidArgument,
	KindInternal:           ErrInternal,
	KindNetwork:            ErrNetwork,
	KindTimeout:            ErrTimeout,
	KindTLS:                ErrTLS,
	KindInvalidCredentials: ErrInvalidCredentials,
	KindInvalidCode:        ErrInvalidCode,
	KindLockedOut:          ErrLockedOut,
	KindRateLimited:        ErrRateLimited,
	KindTfaNotAvailable:    ErrTfaNotAvailable,
	KindConfirmContext:     ErrConfirmContext,
	KindAccessDenied:       ErrAccessDenied,
	KindSessionInvalid:     ErrSessionInvalid,
	KindServerError:        ErrServerError,
	KindUnexpectedResponse: ErrUnexpectedResponse,
}

// Error is the error of every failing call of this package. It never contains a secret.
type Error struct {
	// Kind is the category to branch on.
	Kind Kind
	// Message says what happened and what to do next, in plain words.
	Message string
	// Status is the HTTP status of the portal's answer, 0 when there was none.
	Status int
	// ServerMessage is the portal's own error message, "" when it sent none.
	ServerMessage string
	// RetryAfter is how long the portal asked to wait (Retry-After), valid when
	// HasRetryAfter is set.
	RetryAfter time.Duration
	// HasRetryAfter reports whether the portal sent a Retry-After delay.
	HasRetryAfter bool
}

// Error returns "docspace: <kind>: <message>", plus the Retry-After delay when the portal
// sent one; the library's message already names the HTTP status and the portal's message.
func (e *Error) Error() string {
	if e.HasRetryAfter {
		return fmt.Sprintf("docspace: %s: %s (retry after %s)", e.Kind, e.Message, e.RetryAfter)
	}
	return fmt.Sprintf("docspace: %s: %s", e.Kind, e.Message)
}

// Retryable reports whether repeating the same call later, unchanged, may succeed
// ([KindNetwork], [KindTimeout], [KindRateLimited]: after RetryAfter, [KindServerError],
// [KindLockedOut]), as the library says (docspace_result_is_retryable). Advice only: the
// library never retries, and a code must not be resent blindly.
func (e *Error) Retryable() bool {
	return e.Kind >= 0 && uint64(e.Kind) <= math.MaxUint32 && bool(C.docspace_result_is_retryable(C.uint32_t(e.Kind)))
}

// Is reports whether target is the Err… sentinel of e's kind.
func (e *Error) Is(target error) bool {
	sentinel, ok := sentinels[e.Kind]
	return ok && target == sentinel
}

// newError converts a failed call's result code and docspace_error (which may be nil for
// calls that report only a code) into an *Error, and frees the docspace_error. It is the
// one place where library failures become Go errors.
func newError(rc C.docspace_result, e *C.docspace_error) error {
	if e == nil {
		return &Error{Kind: kindOf(rc), Message: C.GoString(C.docspace_result_str(C.uint32_t(rc)))}
	}
	defer C.docspace_error_free(e)
	err := &Error{
		Kind:    kindOf(C.docspace_error_result(e)),
		Message: C.GoString(C.docspace_error_message(e)),
		Status:  int(C.docspace_error_status(e)),
	}
	if m := C.docspace_error_server_message(e); m != nil {
		err.ServerMessage = C.GoString(m)
	}
	if s := C.docspace_error_retry_after(e); s >= 0 {
		err.RetryAfter, err.HasRetryAfter = time.Duration(s)*time.Second, true
	}
	return err
}

// check returns nil for DOCSPACE_RESULT_OK, else the error of rc and e.
func check(rc C.docspace_result, e *C.docspace_error) error {
	if rc == C.DOCSPACE_RESULT_OK {
		return nil
	}
	return newError(rc, e)
}

// kindOf maps a result code onto its Kind; the C-only argument codes fold into
// KindInvalidArgument.
func kindOf(rc C.docspace_result) Kind {
	switch k := Kind(rc); k {
	case resultNullParameter, resultBufferTooSmall:
		return KindInvalidArgument
	default:
		return k
	}
}

// argumentError is a KindInvalidArgument error detected by this package (a NUL byte in a
// string, a negative duration, a closed value).
func argumentError(message string) error {
	return &Error{Kind: KindInvalidArgument, Message: message}
}
