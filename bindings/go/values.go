package docspace

// #include "docspace_auth.h"
import "C"

import (
	"fmt"
	"io"
)

// Session is a signed-in session: a portal login token or a personal API key. The token
// stays in the library's memory until read with [Session.Token]. Call Close when done.
type Session struct {
	h        handle[*C.docspace_session]
	userID   string
	expires  string
	isAPIKey bool
}

func freeSession(p *C.docspace_session) { C.docspace_session_free(p) }

// newSession takes ownership of p.
func newSession(p *C.docspace_session) (*Session, error) {
	s := &Session{isAPIKey: bool(C.docspace_session_is_api_key(p))}
	own(s, &s.h, "session", p, freeSession)
	var r strReader
	s.userID = r.str(func(out **C.char) C.docspace_result { return C.docspace_session_user_id(p, out) })
	s.expires = r.str(func(out **C.char) C.docspace_result { return C.docspace_session_expires(p, out) })
	if r.err != nil {
		s.Close()
		return nil, r.err
	}
	return s, nil
}

// SessionFromToken makes a session from a login token obtained earlier (for example
// stored between runs with [Session.Token]).
func SessionFromToken(token string) (*Session, error) {
	return sessionFrom(token, func(t *C.char, out **C.docspace_session, e **C.docspace_error) C.docspace_result {
		return C.docspace_session_new(t, out, e)
	})
}

// SessionFromAPIKey makes a session from a personal API key ("sk-…"). API keys cannot be
// used to link an app.
func SessionFromAPIKey(key string) (*Session, error) {
	return sessionFrom(key, func(k *C.char, out **C.docspace_session, e **C.docspace_error) C.docspace_result {
		return C.docspace_session_new_api_key(k, out, e)
	})
}

func sessionFrom(credential string,
	create func(*C.char, **C.docspace_session, **C.docspace_error) C.docspace_result) (*Session, error) {
	var a cArgs
	defer a.free()
	c := a.str(credential)
	if a.err != nil {
		return nil, a.err
	}
	var p *C.docspace_session
	var e *C.docspace_error
	if err := check(create(c, &p, &e), e); err != nil {
		return nil, err
	}
	return newSession(p)
}

// use runs f with the session's C handle.
func (s *Session) use(f func(*C.docspace_session) error) error {
	if s == nil {
		return argumentError("the session is nil")
	}
	return s.h.use(f)
}

// Token returns the login token or API key. It is a secret: keep it out of logs.
func (s *Session) Token() (string, error) {
	var token string
	err := s.use(func(p *C.docspace_session) error {
		var r strReader
		token = r.str(func(out **C.char) C.docspace_result { return C.docspace_session_token(p, out) })
		return r.err
	})
	return token, err
}

// UserID returns the user's id when the flow that made the session learnt it, else "".
func (s *Session) UserID() string { return s.userID }

// Expires returns the expiry the portal reported (ISO 8601), else "".
func (s *Session) Expires() string { return s.expires }

// IsAPIKey reports whether the session is a personal API key ([SessionFromAPIKey]) rather
// than a login token.
func (s *Session) IsAPIKey() bool { return s.isAPIKey }

// Close frees the session (its token is wiped). It does not sign out: see [Client.Logout].
// Closing again does nothing.
func (s *Session) Close() error {
	s.h.close()
	return nil
}

// String describes the session with its token masked.
func (s *Session) String() string {
	if s == nil {
		return "<nil>"
	}
	return fmt.Sprintf("docspace.Session{Token:*** UserID:%q Expires:%q}", s.userID, s.expires)
}

// Format prints [Session.String] for every verb, so no verb or flag shows the token.
func (s *Session) Format(f fmt.State, _ rune) { io.WriteString(f, s.String()) }

// ConfirmType says which confirm link the portal issued with a 2FA challenge.
type ConfirmType int

// The confirm types; the values are the C ABI's docspace_confirm_type.
const (
	// ConfirmTfaActivation: no app is linked yet; link one (setup, then validate).
	ConfirmTfaActivation ConfirmType = 1
	// ConfirmTfaAuth: an app is linked; a code finishes the sign-in.
	ConfirmTfaAuth ConfirmType = 2
)

// String returns the portal's name: "TfaActivation" or "TfaAuth".
func (t ConfirmType) String() string {
	switch t {
	case ConfirmTfaActivation:
		return "TfaActivation"
	case ConfirmTfaAuth:
		return "TfaAuth"
	}
	return fmt.Sprintf("ConfirmType(%d)", int(t))
}

// Challenge is a pending app-2FA sign-in: the confirm context that [Client.SetupApp] and
// [Client.ValidateApp] need. Its confirm key stays in the library's memory. Call Close
// when done.
type Challenge struct {
	h           handle[*C.docspace_challenge]
	confirmType ConfirmType
	userID      string
	userName    string
	confirmURL  string
}

func freeChallenge(p *C.docspace_challenge) { C.docspace_challenge_free(p) }

// newChallenge takes ownership of p.
func newChallenge(p *C.docspace_challenge) (*Challenge, error) {
	c := &Challenge{confirmType: ConfirmType(C.docspace_challenge_confirm_type(p))}
	own(c, &c.h, "challenge", p, freeChallenge)
	var r strReader
	c.userID = r.str(func(out **C.char) C.docspace_result { return C.docspace_challenge_user_id(p, out) })
	c.userName = r.str(func(out **C.char) C.docspace_result { return C.docspace_challenge_user_name(p, out) })
	c.confirmURL = r.str(func(out **C.char) C.docspace_result { return C.docspace_challenge_confirm_url(p, out) })
	if r.err != nil {
		c.Close()
		return nil, r.err
	}
	return c, nil
}

// use runs f with the challenge's C handle.
func (c *Challenge) use(f func(*C.docspace_challenge) error) error {
	if c == nil {
		return argumentError("the challenge is nil")
	}
	return c.h.use(f)
}

// ConfirmType returns [ConfirmTfaActivation] (link an app) or [ConfirmTfaAuth] (enter a code).
func (c *Challenge) ConfirmType() ConfirmType { return c.confirmType }

// UserID returns the user's id (the confirm URL's uid).
func (c *Challenge) UserID() string { return c.userID }

// UserName returns the user name the sign-in was made with ("" for challenges from
// [Client.ConfirmContext] and [Client.ResetApp]).
func (c *Challenge) UserName() string { return c.userName }

// ConfirmURL returns the confirm link the portal sent (it contains no key).
func (c *Challenge) ConfirmURL() string { return c.confirmURL }

// Close frees the challenge (its confirm key is wiped). Closing again does nothing.
func (c *Challenge) Close() error {
	c.h.close()
	return nil
}

// String describes the challenge; it holds no secret in Go memory.
func (c *Challenge) String() string {
	if c == nil {
		return "<nil>"
	}
	return fmt.Sprintf("docspace.Challenge{ConfirmType:%s UserID:%q UserName:%q}", c.confirmType, c.userID, c.userName)
}

// Format prints [Challenge.String] for every verb.
func (c *Challenge) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// LoginOutcome is what [Client.Login] led to: exactly one of [*Authenticated],
// [*CodeRequired], [*SetupRequired] and [*SmsRequired]. Use a type switch.
type LoginOutcome interface {
	loginOutcome()
}

// Authenticated: signed in, no second factor applies.
type Authenticated struct {
	// Session is the new session.
	Session *Session
}

// CodeRequired: an authenticator app is linked; finish with [Client.LoginWithCode] (a TOTP
// or backup code) or [Client.ValidateApp] with Challenge.
type CodeRequired struct {
	// Challenge is the confirm context for [Client.ValidateApp].
	Challenge *Challenge
}

// SetupRequired: 2FA by app applies but no app is linked. Enrol Secret in an authenticator
// (or show OtpauthURI as a QR code), then finish with [Client.LoginWithCode], or with
// [Client.SetupApp] and [Client.ValidateApp] on Challenge.
type SetupRequired struct {
	// Challenge is the activation confirm context.
	Challenge *Challenge
	// Secret is the TOTP secret (base32). A secret: printed masked.
	Secret string
	// OtpauthURI is an otpauth://totp/… URI for Secret. A secret: printed masked.
	OtpauthURI string
}

// SmsRequired: SMS 2FA applies; finish with [Client.LoginWithCode] and the texted code.
type SmsRequired struct {
	// PhoneNoise is the masked phone number ("+1***1234"); "" when the user must first
	// register a phone in a browser.
	PhoneNoise string
	// Expires is when the texted code expires (ISO 8601), "" when the portal did not say.
	Expires string
	// ConfirmURL is the confirm link the portal issued: PhoneAuth, or PhoneActivation when
	// the user must first register a phone in a browser; "" when the portal sent none.
	ConfirmURL string
}

func (*Authenticated) loginOutcome() {}
func (*CodeRequired) loginOutcome()  {}
func (*SetupRequired) loginOutcome() {}
func (*SmsRequired) loginOutcome()   {}

// String describes the outcome with Secret and OtpauthURI masked.
func (s SetupRequired) String() string {
	return fmt.Sprintf("docspace.SetupRequired{Challenge:%v Secret:%s OtpauthURI:%s}", s.Challenge, redact(s.Secret), redact(s.OtpauthURI))
}

// Format prints [SetupRequired.String] for every verb, so no verb or flag shows a secret.
func (s SetupRequired) Format(f fmt.State, _ rune) { io.WriteString(f, s.String()) }

// AppSetup is the payload for linking an authenticator app ([Client.SetupApp]).
type AppSetup struct {
	// Account is the account label (the user's e-mail).
	Account string
	// ManualEntryKey is the base32 secret to type into an app. A secret: printed masked.
	ManualEntryKey string
	// QRCodePNG is the portal's QR code (of OtpauthURI) as PNG bytes. Printed as its size.
	QRCodePNG []byte
	// OtpauthURI is an otpauth://totp/… URI for the secret. A secret: printed masked.
	OtpauthURI string
}

// String describes the setup with the secrets masked.
func (s AppSetup) String() string {
	return fmt.Sprintf("docspace.AppSetup{Account:%q ManualEntryKey:%s QRCodePNG:<%d bytes> OtpauthURI:%s}",
		s.Account, redact(s.ManualEntryKey), len(s.QRCodePNG), redact(s.OtpauthURI))
}

// Format prints [AppSetup.String] for every verb, so no verb or flag shows a secret.
func (s AppSetup) Format(f fmt.State, _ rune) { io.WriteString(f, s.String()) }

// AppValidation is the answer of [Client.ValidateApp].
type AppValidation struct {
	// LinkedNow is true when this call linked the app (backup codes now exist), false when
	// the app was already linked and the code signed the user in.
	LinkedNow bool
	// Session is the new session.
	Session *Session
}

// BackupCode is one single-use backup code.
type BackupCode struct {
	// Code is the code (6 characters, case-sensitive). A secret: printed masked.
	Code string
	// Used reports whether the code was already spent.
	Used bool
}

// String describes the backup code with the code masked.
func (b BackupCode) String() string {
	return fmt.Sprintf("docspace.BackupCode{Code:%s Used:%t}", redact(b.Code), b.Used)
}

// Format prints [BackupCode.String] for every verb, so no verb or flag shows the code.
func (b BackupCode) Format(f fmt.State, _ rune) { io.WriteString(f, b.String()) }

// TfaMethod is a portal 2FA method.
type TfaMethod int

// The 2FA methods; the values are the C ABI's docspace_tfa_method.
const (
	// TfaMethodNone: 2FA off.
	TfaMethodNone TfaMethod = 0
	// TfaMethodSMS: codes by text message.
	TfaMethodSMS TfaMethod = 1
	// TfaMethodApp: codes from an authenticator app (TOTP).
	TfaMethodApp TfaMethod = 2
)

// String returns "none", "sms" or "app".
func (m TfaMethod) String() string {
	switch m {
	case TfaMethodNone:
		return "none"
	case TfaMethodSMS:
		return "sms"
	case TfaMethodApp:
		return "app"
	}
	return fmt.Sprintf("TfaMethod(%d)", int(m))
}

// TfaPolicy is the portal's 2FA policy ([Client.TfaPolicy]).
type TfaPolicy struct {
	// Enabled is the method that is on, [TfaMethodNone] when 2FA is off.
	Enabled TfaMethod
	// SMS and App are the settings of each method.
	SMS, App TfaMethodPolicy
}

// TfaMethodPolicy is the policy of one 2FA method.
type TfaMethodPolicy struct {
	// Title is the portal's localised name of the method ("By authenticator app"), "" when
	// the portal does not list the method.
	Title string
	// Enabled reports whether the policy is switched on for this method (at most one
	// method is; see [TfaPolicy.Enabled]).
	Enabled bool
	// Available reports whether the method can be used on this portal.
	Available bool
	// TrustedIPs are addresses and ranges from which 2FA is skipped.
	TrustedIPs []string
	// MandatoryUsers are the ids of users for whom 2FA is always required.
	MandatoryUsers []string
	// MandatoryGroups are the ids of groups for whom 2FA is always required.
	MandatoryGroups []string
}

// TfaPolicyUpdate is a change to the portal's 2FA policy ([Client.SetTfaPolicy]).
type TfaPolicyUpdate struct {
	// Method is the method to switch on, or [TfaMethodNone] to switch 2FA off.
	Method TfaMethod
	// TrustedIPs are addresses (single IP, from-to range or CIDR) that skip 2FA.
	TrustedIPs []string
	// MandatoryUsers are user ids for whom 2FA is always required.
	MandatoryUsers []string
	// MandatoryGroups are group ids for whom 2FA is always required.
	MandatoryGroups []string
}

// AppReset is the answer of [Client.ResetApp]. For a self-reset both fields are set: the
// old sessions are dead, and Challenge links a new app right away. Each may be nil.
type AppReset struct {
	// Session is the fresh session the portal set, or nil.
	Session *Session
	// Challenge is an activation challenge for linking a new app, or nil.
	Challenge *Challenge
}

// redact shows whether a secret is set, never what it is.
func redact(secret string) string {
	if secret == "" {
		return `""`
	}
	return "***"
}
