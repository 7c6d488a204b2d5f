package docspace

// #include "docspace_auth.h"
import "C"

import (
	"fmt"
	"io"
	"time"
	"unsafe"
)

// Version returns the version of the docspace-auth library in use ("0.1.0").
func Version() string {
	return C.GoString(C.docspace_version())
}

// Options are a [Client]'s transport settings. The zero value of each field keeps the
// library's default.
type Options struct {
	// Timeout is the total time one request may take, connect included (default 30 s).
	Timeout time.Duration
	// ConnectTimeout is the time to establish a connection, TLS included (default 10 s).
	ConnectTimeout time.Duration
	// CAFile is a PEM file of CA certificates to trust in addition to the system roots.
	CAFile string
	// CAPEM is PEM text of CA certificates to trust in addition to the system roots.
	CAPEM string
	// UserAgent is a product token ("myapp/1.2") put before the library's own in the
	// User-Agent header.
	UserAgent string
	// MaxResponseBytes is the largest answer body accepted (default 1 MiB).
	MaxResponseBytes int
	// AllowInsecureHTTP allows plain http:// to hosts other than loopback. Passwords and
	// tokens would then cross the network unencrypted.
	AllowInsecureHTTP bool
	// NoProxy ignores the HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY variables.
	NoProxy bool
}

// Client is a DocSpace portal client. It is safe for concurrent use by many goroutines.
// Call Close when done.
type Client struct {
	h       handle[*C.docspace_client]
	baseURL string
}

func freeClient(p *C.docspace_client) { C.docspace_client_free(p) }

// NewClient returns a client of the portal at url ("https://portal.example.com"); opts
// may be nil. It fails with [KindInvalidArgument] for an unusable URL (not http(s), plain
// http to a non-loopback host without [Options.AllowInsecureHTTP], …) or CA.
func NewClient(url string, opts *Options) (*Client, error) {
	var a cArgs
	defer a.free()
	curl := a.str(url)
	if a.err != nil {
		return nil, a.err
	}
	var copts *C.docspace_options
	if opts != nil {
		var err error
		if copts, err = opts.toC(&a); err != nil {
			return nil, err
		}
		defer C.docspace_options_free(copts)
	}
	var p *C.docspace_client
	var e *C.docspace_error
	if err := check(C.docspace_client_new_with_options(curl, copts, &p, &e), e); err != nil {
		return nil, err
	}
	c := &Client{baseURL: C.GoString(C.docspace_client_base_url(p))}
	own(c, &c.h, "client", p, freeClient)
	return c, nil
}

// toC builds a docspace_options the caller frees.
func (o *Options) toC(a *cArgs) (*C.docspace_options, error) {
	timeout, err := millis("Timeout", o.Timeout)
	if err != nil {
		return nil, err
	}
	connectTimeout, err := millis("ConnectTimeout", o.ConnectTimeout)
	if err != nil {
		return nil, err
	}
	if o.MaxResponseBytes < 0 {
		return nil, argumentError("Options.MaxResponseBytes is negative")
	}
	caFile, caPEM, userAgent := a.optStr(o.CAFile), a.optStr(o.CAPEM), a.optStr(o.UserAgent)
	if a.err != nil {
		return nil, a.err
	}
	var p *C.docspace_options
	if err := check(C.docspace_options_new(&p), nil); err != nil {
		return nil, err
	}
	results := []C.docspace_result{
		C.docspace_options_set_allow_insecure_http(p, C.bool(o.AllowInsecureHTTP)),
		C.docspace_options_set_no_proxy(p, C.bool(o.NoProxy)),
	}
	if timeout != 0 {
		results = append(results, C.docspace_options_set_timeout_ms(p, timeout))
	}
	if connectTimeout != 0 {
		results = append(results, C.docspace_options_set_connect_timeout_ms(p, connectTimeout))
	}
	if caFile != nil {
		results = append(results, C.docspace_options_set_ca_file(p, caFile))
	}
	if caPEM != nil {
		results = append(results, C.docspace_options_set_ca_pem(p, caPEM))
	}
	if userAgent != nil {
		results = append(results, C.docspace_options_set_user_agent(p, userAgent))
	}
	if o.MaxResponseBytes != 0 {
		results = append(results, C.docspace_options_set_max_response_bytes(p, C.size_t(o.MaxResponseBytes)))
	}
	for _, rc := range results {
		if err := check(rc, nil); err != nil {
			C.docspace_options_free(p)
			return nil, err
		}
	}
	return p, nil
}

// millis converts a timeout to whole milliseconds, rounding up so that a positive
// duration never becomes 0 ("default").
func millis(name string, d time.Duration) (C.uint64_t, error) {
	if d < 0 {
		return 0, argumentError(fmt.Sprintf("Options.%s is negative", name))
	}
	return C.uint64_t((d + time.Millisecond - 1) / time.Millisecond), nil
}

// BaseURL returns the portal's base URL, normalised (it ends with "/").
func (c *Client) BaseURL() string { return c.baseURL }

// String describes the client by its base URL.
func (c *Client) String() string {
	if c == nil {
		return "<nil>"
	}
	return fmt.Sprintf("docspace.Client{BaseURL:%q}", c.baseURL)
}

// Format prints [Client.String] for every verb.
func (c *Client) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// Close frees the client after the calls in progress have returned. Closing again does
// nothing.
func (c *Client) Close() error {
	c.h.close()
	return nil
}

// use runs f with the client's C handle.
func (c *Client) use(f func(*C.docspace_client) error) error {
	if c == nil {
		return argumentError("the client is nil")
	}
	return c.h.use(f)
}

// withSession runs f with the client's and the session's C handles.
func (c *Client) withSession(s *Session, f func(*C.docspace_client, *C.docspace_session) error) error {
	return c.use(func(cp *C.docspace_client) error {
		return s.use(func(sp *C.docspace_session) error { return f(cp, sp) })
	})
}

// withChallenge runs f with the client's and the challenge's C handles.
func (c *Client) withChallenge(ch *Challenge, f func(*C.docspace_client, *C.docspace_challenge) error) error {
	return c.use(func(cp *C.docspace_client) error {
		return ch.use(func(chp *C.docspace_challenge) error { return f(cp, chp) })
	})
}

// Login signs in with a password and returns what the portal wants next: a session, a
// code, the linking of an app, or an SMS code.
//
// Errors: [KindInvalidArgument], [KindInvalidCredentials], [KindLockedOut],
// [KindAccessDenied] (user disabled), [KindRateLimited] and the transport kinds.
func (c *Client) Login(user, password string) (LoginOutcome, error) {
	var a cArgs
	defer a.free()
	cuser, cpassword := a.str(user), a.str(password)
	if a.err != nil {
		return nil, a.err
	}
	var outcome LoginOutcome
	err := c.use(func(cp *C.docspace_client) error {
		var l *C.docspace_login
		var e *C.docspace_error
		if err := check(C.docspace_client_login(cp, cuser, cpassword, &l, &e), e); err != nil {
			return err
		}
		defer C.docspace_login_free(l)
		var err error
		outcome, err = loginOutcome(l)
		return err
	})
	return outcome, err
}

// loginOutcome converts a docspace_login the caller frees.
func loginOutcome(l *C.docspace_login) (LoginOutcome, error) {
	switch kind := C.docspace_login_get_kind(l); kind {
	case C.DOCSPACE_LOGIN_KIND_AUTHENTICATED:
		var p *C.docspace_session
		if err := check(C.docspace_login_session(l, &p), nil); err != nil {
			return nil, err
		}
		s, err := newSession(p)
		if err != nil {
			return nil, err
		}
		return &Authenticated{Session: s}, nil
	case C.DOCSPACE_LOGIN_KIND_CODE_REQUIRED, C.DOCSPACE_LOGIN_KIND_SETUP_REQUIRED:
		var p *C.docspace_challenge
		if err := check(C.docspace_login_challenge(l, &p), nil); err != nil {
			return nil, err
		}
		ch, err := newChallenge(p)
		if err != nil {
			return nil, err
		}
		if kind == C.DOCSPACE_LOGIN_KIND_CODE_REQUIRED {
			return &CodeRequired{Challenge: ch}, nil
		}
		var r strReader
		setup := &SetupRequired{
			Challenge:  ch,
			Secret:     r.str(func(out **C.char) C.docspace_result { return C.docspace_challenge_secret(p, out) }),
			OtpauthURI: r.str(func(out **C.char) C.docspace_result { return C.docspace_challenge_otpauth_uri(p, out) }),
		}
		if r.err != nil {
			ch.Close()
			return nil, r.err
		}
		return setup, nil
	case C.DOCSPACE_LOGIN_KIND_SMS_REQUIRED:
		var r strReader
		sms := &SmsRequired{
			PhoneNoise: r.str(func(out **C.char) C.docspace_result { return C.docspace_login_sms_phone_noise(l, out) }),
			Expires:    r.str(func(out **C.char) C.docspace_result { return C.docspace_login_sms_expires(l, out) }),
			ConfirmURL: r.str(func(out **C.char) C.docspace_result { return C.docspace_login_sms_confirm_url(l, out) }),
		}
		return sms, r.err
	default:
		return nil, &Error{Kind: KindInternal, Message: fmt.Sprintf("unknown login outcome %d: the Go binding is older than the library", int(kind))}
	}
}

// LoginWithCode finishes a 2FA sign-in with a TOTP code, an unused backup code or an SMS
// code (the portal checks the password again). The first code accepted for an account
// without a linked app links the app.
//
// Errors: [KindInvalidCode] (wrong, expired or spent code, or too many codes),
// [KindInvalidArgument], [KindLockedOut], [KindAccessDenied], [KindRateLimited] and the
// transport kinds. Never retried: a backup code is consumed on success.
func (c *Client) LoginWithCode(user, password, code string) (*Session, error) {
	var a cArgs
	defer a.free()
	cuser, cpassword, ccode := a.str(user), a.str(password), a.str(code)
	if a.err != nil {
		return nil, a.err
	}
	var session *Session
	err := c.use(func(cp *C.docspace_client) error {
		var p *C.docspace_session
		var e *C.docspace_error
		if err := check(C.docspace_client_login_with_code(cp, cuser, cpassword, ccode, &p, &e), e); err != nil {
			return err
		}
		var err error
		session, err = newSession(p)
		return err
	})
	return session, err
}

// SetupApp returns the authenticator-app setup payload (secret, QR code) for an
// activation challenge.
//
// Errors: [KindInvalidArgument] (not an activation challenge), [KindConfirmContext]
// (missing or expired confirm key: sign in again), [KindTfaNotAvailable] (already linked,
// or the policy is off), [KindUnexpectedResponse] and the transport kinds.
func (c *Client) SetupApp(ch *Challenge) (*AppSetup, error) {
	var setup *AppSetup
	err := c.withChallenge(ch, func(cp *C.docspace_client, chp *C.docspace_challenge) error {
		var p *C.docspace_setup
		var e *C.docspace_error
		if err := check(C.docspace_client_setup_app(cp, chp, &p, &e), e); err != nil {
			return err
		}
		defer C.docspace_setup_free(p)
		var r strReader
		s := &AppSetup{
			Account:        r.str(func(out **C.char) C.docspace_result { return C.docspace_setup_account(p, out) }),
			ManualEntryKey: r.str(func(out **C.char) C.docspace_result { return C.docspace_setup_manual_entry_key(p, out) }),
			OtpauthURI:     r.str(func(out **C.char) C.docspace_result { return C.docspace_setup_otpauth_uri(p, out) }),
		}
		if r.err != nil {
			return r.err
		}
		var data *C.uint8_t
		var n C.size_t
		if err := check(C.docspace_setup_qr_png(p, &data, &n), nil); err != nil {
			return err
		}
		s.QRCodePNG = C.GoBytes(unsafe.Pointer(data), C.int(n))
		setup = s
		return nil
	})
	return setup, err
}

// ValidateApp checks a code with the challenge's confirm context. For an activation
// challenge it links the app (LinkedNow is true); for a linked app it signs the user in.
//
// Errors: [KindInvalidCode], [KindLockedOut] (too many wrong codes), [KindConfirmContext],
// [KindInvalidArgument], [KindUnexpectedResponse], [KindRateLimited] and the transport
// kinds. Never retried.
func (c *Client) ValidateApp(ch *Challenge, code string) (*AppValidation, error) {
	var a cArgs
	defer a.free()
	ccode := a.str(code)
	if a.err != nil {
		return nil, a.err
	}
	var validation *AppValidation
	err := c.withChallenge(ch, func(cp *C.docspace_client, chp *C.docspace_challenge) error {
		var linkedNow C.bool
		var p *C.docspace_session
		var e *C.docspace_error
		if err := check(C.docspace_client_validate_app(cp, chp, ccode, &linkedNow, &p, &e), e); err != nil {
			return err
		}
		s, err := newSession(p)
		if err != nil {
			return err
		}
		validation = &AppValidation{LinkedNow: bool(linkedNow), Session: s}
		return nil
	})
	return validation, err
}

// BackupCodes returns the user's backup codes, spent ones included.
//
// Errors: [KindTfaNotAvailable] (no app linked, or 2FA by app off), [KindSessionInvalid],
// [KindAccessDenied], [KindRateLimited] and the transport kinds.
func (c *Client) BackupCodes(s *Session) ([]BackupCode, error) {
	return c.codes(s, func(cp *C.docspace_client, sp *C.docspace_session, out **C.docspace_codes, e **C.docspace_error) C.docspace_result {
		return C.docspace_client_backup_codes(cp, sp, out, e)
	})
}

// RegenerateBackupCodes replaces the backup codes with a new set and returns it. The old
// codes stop working at once, and every call issues yet another set: show or store the
// result before anything else. Errors as [Client.BackupCodes].
func (c *Client) RegenerateBackupCodes(s *Session) ([]BackupCode, error) {
	return c.codes(s, func(cp *C.docspace_client, sp *C.docspace_session, out **C.docspace_codes, e **C.docspace_error) C.docspace_result {
		return C.docspace_client_regenerate_backup_codes(cp, sp, out, e)
	})
}

func (c *Client) codes(s *Session, call func(*C.docspace_client, *C.docspace_session, **C.docspace_codes, **C.docspace_error) C.docspace_result) ([]BackupCode, error) {
	var codes []BackupCode
	err := c.withSession(s, func(cp *C.docspace_client, sp *C.docspace_session) error {
		var p *C.docspace_codes
		var e *C.docspace_error
		if err := check(call(cp, sp, &p, &e), e); err != nil {
			return err
		}
		defer C.docspace_codes_free(p)
		n := C.docspace_codes_count(p)
		list := make([]BackupCode, 0, int(n))
		var r strReader
		for i := C.size_t(0); i < n; i++ {
			var used C.bool
			code := r.str(func(out **C.char) C.docspace_result { return C.docspace_codes_get(p, i, out, &used) })
			list = append(list, BackupCode{Code: code, Used: bool(used)})
		}
		codes = list
		return r.err
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// Logout signs out and revokes the session's login token. It does not close s.
//
// Errors: [KindInvalidArgument] (an API-key session: keys are revoked in the portal's
// settings), [KindRateLimited] and the transport kinds.
func (c *Client) Logout(s *Session) error {
	return c.withSession(s, func(cp *C.docspace_client, sp *C.docspace_session) error {
		var e *C.docspace_error
		return check(C.docspace_client_logout(cp, sp, &e), e)
	})
}

// IsAuthenticated reports whether the portal accepts the session; an invalid, revoked or
// expired token gives false, not an error.
func (c *Client) IsAuthenticated(s *Session) (bool, error) {
	var ok C.bool
	err := c.withSession(s, func(cp *C.docspace_client, sp *C.docspace_session) error {
		var e *C.docspace_error
		return check(C.docspace_client_is_authenticated(cp, sp, &ok, &e), e)
	})
	return bool(ok), err
}

// TfaPolicy returns the portal's 2FA policy; any signed-in user may read it.
func (c *Client) TfaPolicy(s *Session) (*TfaPolicy, error) {
	var policy *TfaPolicy
	err := c.withSession(s, func(cp *C.docspace_client, sp *C.docspace_session) error {
		var p *C.docspace_policy
		var e *C.docspace_error
		if err := check(C.docspace_client_tfa_policy(cp, sp, &p, &e), e); err != nil {
			return err
		}
		defer C.docspace_policy_free(p)
		pol := &TfaPolicy{Enabled: TfaMethod(C.docspace_policy_enabled_method(p))}
		var r strReader
		for _, m := range []struct {
			method TfaMethod
			dst    *TfaMethodPolicy
		}{{TfaMethodSMS, &pol.SMS}, {TfaMethodApp, &pol.App}} {
			method := C.uint32_t(m.method)
			var available, enabled C.bool
			if err := check(C.docspace_policy_available(p, method, &available), nil); err != nil {
				return err
			}
			if err := check(C.docspace_policy_enabled(p, method, &enabled), nil); err != nil {
				return err
			}
			title := r.str(func(out **C.char) C.docspace_result { return C.docspace_policy_title(p, method, out) })
			list := func(which C.uint32_t) []string {
				n := C.docspace_policy_list_len(p, method, which)
				var values []string
				for i := C.size_t(0); i < n; i++ {
					values = append(values, r.str(func(out **C.char) C.docspace_result {
						return C.docspace_policy_list_get(p, method, which, i, out)
					}))
				}
				return values
			}
			*m.dst = TfaMethodPolicy{
				Title:           title,
				Enabled:         bool(enabled),
				Available:       bool(available),
				TrustedIPs:      list(C.DOCSPACE_POLICY_LIST_TRUSTED_IPS),
				MandatoryUsers:  list(C.DOCSPACE_POLICY_LIST_MANDATORY_USERS),
				MandatoryGroups: list(C.DOCSPACE_POLICY_LIST_MANDATORY_GROUPS),
			}
		}
		policy = pol
		return r.err
	})
	if err != nil {
		return nil, err
	}
	return policy, nil
}

// SetTfaPolicy changes the portal's 2FA policy (owner or administrator) and reports
// whether a method is now on. Switching a method on signs every user of the portal out,
// the caller included.
//
// Errors: [KindInvalidArgument] (a malformed trusted IP or id), [KindAccessDenied] (not an
// administrator), [KindSessionInvalid] and the transport kinds.
func (c *Client) SetTfaPolicy(s *Session, update TfaPolicyUpdate) (bool, error) {
	var a cArgs
	defer a.free()
	ips, nIPs := a.list(update.TrustedIPs)
	users, nUsers := a.list(update.MandatoryUsers)
	groups, nGroups := a.list(update.MandatoryGroups)
	if a.err != nil {
		return false, a.err
	}
	var enabled C.bool
	err := c.withSession(s, func(cp *C.docspace_client, sp *C.docspace_session) error {
		var e *C.docspace_error
		// cUint32: a plain cast would wrap TfaMethod(1<<32) around to 0, which turns 2FA off.
		return check(C.docspace_client_set_tfa_policy(cp, sp, cUint32(int64(update.Method)),
			ips, nIPs, users, nUsers, groups, nGroups, &enabled, &e), e)
	})
	return bool(enabled), err
}

// ConfirmContext returns a fresh confirm context for the signed-in user: an activation
// challenge (link an app with [Client.SetupApp] and [Client.ValidateApp]) or an auth
// challenge. It returns nil, nil when app 2FA does not apply to the user.
func (c *Client) ConfirmContext(s *Session) (*Challenge, error) {
	var challenge *Challenge
	err := c.withSession(s, func(cp *C.docspace_client, sp *C.docspace_session) error {
		var p *C.docspace_challenge
		var e *C.docspace_error
		if err := check(C.docspace_client_confirm_context(cp, sp, &p, &e), e); err != nil || p == nil {
			return err
		}
		var err error
		challenge, err = newChallenge(p)
		return err
	})
	return challenge, err
}

// ResetApp unlinks the authenticator app of the user with id userID. Resetting yourself
// signs all your sessions out and returns a fresh session and an activation challenge;
// resetting another user needs the portal owner.
//
// Errors: [KindInvalidArgument], [KindTfaNotAvailable] (no app linked),
// [KindAccessDenied], [KindSessionInvalid] and the transport kinds.
func (c *Client) ResetApp(s *Session, userID string) (*AppReset, error) {
	var a cArgs
	defer a.free()
	cid := a.str(userID)
	if a.err != nil {
		return nil, a.err
	}
	var reset *AppReset
	err := c.withSession(s, func(cp *C.docspace_client, sp *C.docspace_session) error {
		var newSp *C.docspace_session
		var chp *C.docspace_challenge
		var e *C.docspace_error
		if err := check(C.docspace_client_reset_app(cp, sp, cid, &newSp, &chp, &e), e); err != nil {
			return err
		}
		r := &AppReset{}
		var err error
		if newSp != nil {
			if r.Session, err = newSession(newSp); err != nil {
				freeChallenge(chp)
				return err
			}
		}
		if chp != nil {
			if r.Challenge, err = newChallenge(chp); err != nil {
				if r.Session != nil {
					r.Session.Close()
				}
				return err
			}
		}
		reset = r
		return nil
	})
	return reset, err
}
