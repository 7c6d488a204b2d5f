package docspace

// #include "docspace_auth.h"
import "C"

import (
	"fmt"
	"io"
	"time"
)

// TOTP returns the portal's code (RFC 6238: HMAC-SHA1, 6 digits, 30 s steps) for the
// base32 secret at time at.
func TOTP(secret string, at time.Time) (string, error) {
	var a cArgs
	defer a.free()
	csecret := a.str(secret)
	if a.err != nil {
		return "", a.err
	}
	return codeString(func(buf *C.char, n C.size_t, e **C.docspace_error) C.docspace_result {
		return C.docspace_totp_code_at(csecret, C.int64_t(at.Unix()), buf, n, e)
	})
}

// VerifyTOTP checks a code against the base32 secret (SHA-1, 6 digits, 30 s) at time at,
// accepting window steps before and after. On a match, offset is the matching step
// relative to at's (-1: the previous step). A mismatch is ok == false with a nil error.
func VerifyTOTP(secret, code string, at time.Time, window uint32) (offset int, ok bool, err error) {
	var a cArgs
	defer a.free()
	csecret, ccode := a.str(secret), a.str(code)
	if a.err != nil {
		return 0, false, a.err
	}
	var matched C.bool
	var off C.int32_t
	var e *C.docspace_error
	rc := C.docspace_totp_verify_at(csecret, ccode, C.int64_t(at.Unix()), C.uint32_t(window), &matched, &off, &e)
	if err := check(rc, e); err != nil {
		return 0, false, err
	}
	return int(off), bool(matched), nil
}

// SecondsRemaining returns how many seconds the code of time at stays current for any
// TOTP generator with the given period (a whole number of seconds from 1 s to 1 h;
// DocSpace's is 30 s): 1 to the period, the whole period exactly at the start of a step.
// It needs no secret; [Totp.SecondsRemaining] uses a generator's own period.
//
// Errors: [KindInvalidArgument] (a time before 1970, a period out of range).
func SecondsRemaining(at time.Time, period time.Duration) (int, error) {
	cperiod, err := periodSeconds(period)
	if err != nil {
		return 0, err
	}
	var seconds C.uint32_t
	var e *C.docspace_error
	if err := check(C.docspace_totp_seconds_remaining_at(C.int64_t(at.Unix()), cperiod, &seconds, &e), e); err != nil {
		return 0, err
	}
	return int(seconds), nil
}

// periodSeconds converts a TOTP period to the C ABI's whole seconds.
func periodSeconds(period time.Duration) (C.uint32_t, error) {
	if period < 0 || period%time.Second != 0 {
		return 0, argumentError("period is not a whole, positive number of seconds")
	}
	return cUint32(int64(period / time.Second)), nil
}

// codeString runs a call that writes a code into a buffer of
// DOCSPACE_TOTP_CODE_BUFFER_SIZE bytes (and its error into e), and copies the code out.
func codeString(generate func(buf *C.char, n C.size_t, e **C.docspace_error) C.docspace_result) (string, error) {
	var buf [C.DOCSPACE_TOTP_CODE_BUFFER_SIZE]C.char
	var e *C.docspace_error
	if err := check(generate(&buf[0], C.size_t(len(buf)), &e), e); err != nil {
		return "", err
	}
	return C.GoString(&buf[0]), nil
}

// Algorithm is a TOTP hash algorithm.
type Algorithm int

// The TOTP algorithms; the values are the C ABI's docspace_totp_algorithm.
const (
	// AlgorithmSHA1 is HMAC-SHA1, what DocSpace and most authenticator apps use.
	AlgorithmSHA1 Algorithm = 0
	// AlgorithmSHA256 is HMAC-SHA256.
	AlgorithmSHA256 Algorithm = 1
	// AlgorithmSHA512 is HMAC-SHA512.
	AlgorithmSHA512 Algorithm = 2
	// AlgorithmInvalid is not an algorithm: [Totp.Algorithm] returns it for a closed (or nil)
	// generator, and [NewTotp] refuses it.
	AlgorithmInvalid Algorithm = 255
)

// String returns "SHA1", "SHA256" or "SHA512".
func (a Algorithm) String() string {
	switch a {
	case AlgorithmSHA1:
		return "SHA1"
	case AlgorithmSHA256:
		return "SHA256"
	case AlgorithmSHA512:
		return "SHA512"
	}
	return fmt.Sprintf("Algorithm(%d)", int(a))
}

// Totp is a TOTP generator with its own parameters. Its secret stays in the library's
// memory. It is safe for concurrent use. Call Close when done.
type Totp struct {
	h       handle[*C.docspace_totp]
	issuer  string
	account string
}

func freeTotp(p *C.docspace_totp) { C.docspace_totp_free(p) }

func newTotp(p *C.docspace_totp, issuer, account string) *Totp {
	t := &Totp{issuer: issuer, account: account}
	own(t, &t.h, "TOTP generator", p, freeTotp)
	return t
}

// NewTotp returns a generator for the base32 secret with the given algorithm, number of
// digits and period (a whole number of seconds).
func NewTotp(secret string, alg Algorithm, digits int, period time.Duration) (*Totp, error) {
	if digits < 0 {
		return nil, argumentError("digits is negative")
	}
	cperiod, err := periodSeconds(period)
	if err != nil {
		return nil, err
	}
	var a cArgs
	defer a.free()
	csecret := a.str(secret)
	if a.err != nil {
		return nil, a.err
	}
	var p *C.docspace_totp
	var e *C.docspace_error
	rc := C.docspace_totp_new(csecret, cUint32(int64(alg)), cUint32(int64(digits)), cperiod, &p, &e)
	if err := check(rc, e); err != nil {
		return nil, err
	}
	return newTotp(p, "", ""), nil
}

// ParseOtpauthURI returns a generator for an otpauth://totp/… URI (algorithm, digits and
// period from the URI, authenticator defaults otherwise); [Totp.Issuer] and
// [Totp.Account] give its label.
func ParseOtpauthURI(uri string) (*Totp, error) {
	var a cArgs
	defer a.free()
	curi := a.str(uri)
	if a.err != nil {
		return nil, a.err
	}
	var p *C.docspace_totp
	var issuer, account *C.char
	var e *C.docspace_error
	if err := check(C.docspace_totp_from_uri(curi, &p, &issuer, &account, &e), e); err != nil {
		return nil, err
	}
	return newTotp(p, takeString(issuer), takeString(account)), nil
}

// use runs f with the generator's C handle.
func (t *Totp) use(f func(*C.docspace_totp) error) error {
	if t == nil {
		return argumentError("the TOTP generator is nil")
	}
	return t.h.use(f)
}

// Issuer returns the issuer of the URI the generator was parsed from, else "".
func (t *Totp) Issuer() string { return t.issuer }

// Account returns the account of the URI the generator was parsed from, else "".
func (t *Totp) Account() string { return t.account }

// Algorithm returns the generator's hash algorithm, or [AlgorithmInvalid] when the
// generator is closed or nil.
func (t *Totp) Algorithm() Algorithm {
	alg := AlgorithmInvalid
	_ = t.use(func(p *C.docspace_totp) error {
		alg = Algorithm(C.docspace_totp_get_algorithm(p))
		return nil
	})
	return alg
}

// Digits returns the generator's code length (6, 7 or 8), or 0 when the generator is
// closed or nil.
func (t *Totp) Digits() int {
	var digits int
	_ = t.use(func(p *C.docspace_totp) error {
		digits = int(C.docspace_totp_digits(p))
		return nil
	})
	return digits
}

// Period returns the generator's step (1 s to 1 h; 30 s for DocSpace), or 0 when the
// generator is closed or nil.
func (t *Totp) Period() time.Duration {
	var period time.Duration
	_ = t.use(func(p *C.docspace_totp) error {
		period = time.Duration(C.docspace_totp_period(p)) * time.Second
		return nil
	})
	return period
}

// CodeAt returns the code at time at.
func (t *Totp) CodeAt(at time.Time) (string, error) {
	var code string
	err := t.use(func(p *C.docspace_totp) error {
		var err error
		code, err = codeString(func(buf *C.char, n C.size_t, e **C.docspace_error) C.docspace_result {
			return C.docspace_totp_generate(p, C.int64_t(at.Unix()), buf, n, e)
		})
		return err
	})
	return code, err
}

// Check checks a code at time at, accepting window steps before and after; see
// [VerifyTOTP] for offset and ok.
func (t *Totp) Check(code string, at time.Time, window uint32) (offset int, ok bool, err error) {
	var a cArgs
	defer a.free()
	ccode := a.str(code)
	if a.err != nil {
		return 0, false, a.err
	}
	var matched C.bool
	var off C.int32_t
	err = t.use(func(p *C.docspace_totp) error {
		var e *C.docspace_error
		return check(C.docspace_totp_check(p, ccode, C.int64_t(at.Unix()), C.uint32_t(window), &matched, &off, &e), e)
	})
	if err != nil {
		return 0, false, err
	}
	return int(off), bool(matched), nil
}

// SecondsRemaining returns how many seconds the code of time at stays current.
func (t *Totp) SecondsRemaining(at time.Time) (int, error) {
	var seconds C.uint32_t
	err := t.use(func(p *C.docspace_totp) error {
		var e *C.docspace_error
		return check(C.docspace_totp_seconds_remaining(p, C.int64_t(at.Unix()), &seconds, &e), e)
	})
	return int(seconds), err
}

// URI returns an otpauth://totp/… URI for the generator, for an authenticator app or a QR
// code; issuer may be "". The URI contains the secret.
func (t *Totp) URI(issuer, account string) (string, error) {
	var a cArgs
	defer a.free()
	cissuer, caccount := a.optStr(issuer), a.str(account)
	if a.err != nil {
		return "", a.err
	}
	var uri string
	err := t.use(func(p *C.docspace_totp) error {
		var out *C.char
		var e *C.docspace_error
		if err := check(C.docspace_totp_to_uri(p, cissuer, caccount, &out, &e), e); err != nil {
			return err
		}
		uri = takeString(out)
		return nil
	})
	return uri, err
}

// Close frees the generator (its secret is wiped). Closing again does nothing.
func (t *Totp) Close() error {
	t.h.close()
	return nil
}

// String describes the generator with its secret masked.
func (t *Totp) String() string {
	if t == nil {
		return "<nil>"
	}
	return fmt.Sprintf("docspace.Totp{Secret:*** Issuer:%q Account:%q}", t.issuer, t.account)
}

// Format prints [Totp.String] for every verb.
func (t *Totp) Format(f fmt.State, _ rune) { io.WriteString(f, t.String()) }
