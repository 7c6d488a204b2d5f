package docspace_test

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	docspace "github.com/docspace-auth/docspace-auth/bindings/go"
)

// signInLinked signs the seeded linked user in with a TOTP code from its secret.
func signInLinked(t testing.TB, c *docspace.Client, u emuUser) *docspace.Session {
	t.Helper()
	outcome, err := c.Login(u.Email, u.Password)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	required, ok := outcome.(*docspace.CodeRequired)
	if !ok {
		t.Fatalf("Login: got %v, want *CodeRequired", outcome)
	}
	required.Challenge.Close()
	code, err := docspace.TOTP(*u.TotpSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	session, err := c.LoginWithCode(u.Email, u.Password, code)
	if err != nil {
		t.Fatalf("LoginWithCode: %v", err)
	}
	t.Cleanup(func() { session.Close() })
	return session
}

// signInPlain signs in a user without 2FA (kind no_tfa or admin).
func signInPlain(t testing.TB, c *docspace.Client, u emuUser) *docspace.Session {
	t.Helper()
	outcome, err := c.Login(u.Email, u.Password)
	if err != nil {
		t.Fatalf("Login(%s): %v", u.Email, err)
	}
	auth, ok := outcome.(*docspace.Authenticated)
	if !ok {
		t.Fatalf("Login(%s): got %v, want *Authenticated", u.Email, outcome)
	}
	t.Cleanup(func() { auth.Session.Close() })
	return auth.Session
}

// wrongCode returns a 6-digit code that the secret does not produce anywhere near now.
func wrongCode(t testing.TB, secret string) string {
	t.Helper()
	for n := 0; ; n++ {
		code := fmt.Sprintf("%06d", n)
		if _, ok, err := docspace.VerifyTOTP(secret, code, time.Now(), 10); err != nil {
			t.Fatal(err)
		} else if !ok {
			return code
		}
	}
}

// wantKind fails the test unless err is an *Error of the kind, also matched by errors.Is
// with the kind's sentinel.
func wantKind(t testing.TB, err error, kind docspace.Kind, sentinel error) *docspace.Error {
	t.Helper()
	var e *docspace.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v (%T), want a *docspace.Error of kind %s", err, err, kind)
	}
	if e.Kind != kind {
		t.Fatalf("got kind %s (%v), want %s", e.Kind, err, kind)
	}
	if !errors.Is(err, sentinel) {
		t.Fatalf("errors.Is(%v, %v) is false", err, sentinel)
	}
	return e
}

func TestVersion(t *testing.T) {
	if v := docspace.Version(); v == "" || strings.Count(v, ".") < 2 {
		t.Fatalf("Version() = %q", v)
	}
}

// Seed flow 1: sign in with a password, then a TOTP code computed from the linked secret.
func TestLoginByCode(t *testing.T) {
	c := newClient(t, nil)
	u := seedUser(t, "linked")

	outcome, err := c.Login(u.Email, u.Password)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	required, ok := outcome.(*docspace.CodeRequired)
	if !ok {
		t.Fatalf("Login: got %v, want *CodeRequired", outcome)
	}
	defer required.Challenge.Close()
	if ch := required.Challenge; ch.ConfirmType() != docspace.ConfirmTfaAuth || ch.UserID() != u.ID || ch.UserName() != u.Email {
		t.Fatalf("challenge %v: want TfaAuth for %s (%s)", ch, u.Email, u.ID)
	}
	if !strings.Contains(required.Challenge.ConfirmURL(), "type=TfaAuth") {
		t.Fatalf("confirm URL %q", required.Challenge.ConfirmURL())
	}

	code, err := docspace.TOTP(*u.TotpSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	session, err := c.LoginWithCode(u.Email, u.Password, code)
	if err != nil {
		t.Fatalf("LoginWithCode: %v", err)
	}
	defer session.Close()
	if token, err := session.Token(); err != nil || token == "" {
		t.Fatalf("Token() = %d chars, %v", len(token), err)
	}
	if ok, err := c.IsAuthenticated(session); err != nil || !ok {
		t.Fatalf("IsAuthenticated = %t, %v; want true", ok, err)
	}
	if err := c.Logout(session); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if ok, err := c.IsAuthenticated(session); err != nil || ok {
		t.Fatalf("IsAuthenticated after Logout = %t, %v; want false", ok, err)
	}
}

// A linked user can also finish the sign-in through the challenge (ValidateApp).
func TestLoginByCodeThroughValidate(t *testing.T) {
	c := newClient(t, nil)
	u := seedUser(t, "linked")
	outcome, err := c.Login(u.Email, u.Password)
	if err != nil {
		t.Fatal(err)
	}
	required := outcome.(*docspace.CodeRequired)
	defer required.Challenge.Close()
	code, _ := docspace.TOTP(*u.TotpSecret, time.Now())
	v, err := c.ValidateApp(required.Challenge, code)
	if err != nil {
		t.Fatalf("ValidateApp: %v", err)
	}
	defer v.Session.Close()
	if v.LinkedNow {
		t.Fatal("LinkedNow for an app that was already linked")
	}
	if ok, err := c.IsAuthenticated(v.Session); err != nil || !ok {
		t.Fatalf("IsAuthenticated = %t, %v", ok, err)
	}
	if v.Session.UserID() != u.ID {
		t.Fatalf("session user id %q, want %q", v.Session.UserID(), u.ID)
	}
}

// Seed flow 2a: link an app with SetupApp, then ValidateApp.
func TestLinkAppWithSetupAndValidate(t *testing.T) {
	c := newClient(t, nil)
	u := seedUser(t, "not_linked")

	outcome, err := c.Login(u.Email, u.Password)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	setupRequired, ok := outcome.(*docspace.SetupRequired)
	if !ok {
		t.Fatalf("Login: got %v, want *SetupRequired", outcome)
	}
	ch := setupRequired.Challenge
	defer ch.Close()
	if ch.ConfirmType() != docspace.ConfirmTfaActivation || setupRequired.Secret == "" ||
		!strings.HasPrefix(setupRequired.OtpauthURI, "otpauth://totp/") {
		t.Fatalf("unexpected %v (otpauth URI prefix ok: %t)", setupRequired, strings.HasPrefix(setupRequired.OtpauthURI, "otpauth://totp/"))
	}

	setup, err := c.SetupApp(ch)
	if err != nil {
		t.Fatalf("SetupApp: %v", err)
	}
	if setup.ManualEntryKey != setupRequired.Secret || setup.Account != u.Email {
		t.Fatalf("setup %v does not match the challenge", setup)
	}
	if !bytes.HasPrefix(setup.QRCodePNG, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("QR code is not a PNG (%d bytes)", len(setup.QRCodePNG))
	}
	totp, err := docspace.ParseOtpauthURI(setup.OtpauthURI)
	if err != nil {
		t.Fatalf("ParseOtpauthURI: %v", err)
	}
	defer totp.Close()
	now := time.Now()
	code, err := docspace.TOTP(setup.ManualEntryKey, now)
	if err != nil {
		t.Fatal(err)
	}
	if fromURI, err := totp.CodeAt(now); err != nil || fromURI != code {
		t.Fatalf("code from the otpauth URI %q, %v; want %q", fromURI, err, code)
	}

	v, err := c.ValidateApp(ch, code)
	if err != nil {
		t.Fatalf("ValidateApp: %v", err)
	}
	defer v.Session.Close()
	if !v.LinkedNow {
		t.Fatal("ValidateApp: LinkedNow is false for the first activation")
	}
	codes, err := c.BackupCodes(v.Session)
	if err != nil {
		t.Fatalf("BackupCodes: %v", err)
	}
	if len(codes) != 5 {
		t.Fatalf("got %d backup codes, want 5", len(codes))
	}
	if !userState(t, u.Email).Linked {
		t.Fatal("the emulator does not report the app as linked")
	}
	again, err := c.Login(u.Email, u.Password)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := again.(*docspace.CodeRequired); !ok {
		t.Fatalf("second Login: got %v, want *CodeRequired", again)
	} else {
		r.Challenge.Close()
	}
}

// Seed flow 2b: link an app by signing in with a code computed from the SetupRequired secret.
func TestLinkAppWithLoginWithCode(t *testing.T) {
	c := newClient(t, nil)
	u := seedUser(t, "not_linked")
	outcome, err := c.Login(u.Email, u.Password)
	if err != nil {
		t.Fatal(err)
	}
	setupRequired, ok := outcome.(*docspace.SetupRequired)
	if !ok {
		t.Fatalf("Login: got %v, want *SetupRequired", outcome)
	}
	setupRequired.Challenge.Close()
	code, err := docspace.TOTP(setupRequired.Secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	session, err := c.LoginWithCode(u.Email, u.Password, code)
	if err != nil {
		t.Fatalf("LoginWithCode: %v", err)
	}
	defer session.Close()
	state := userState(t, u.Email)
	if !state.Linked || state.TotpSecret == nil || *state.TotpSecret != setupRequired.Secret {
		t.Fatal("the emulator does not report the app as linked with the challenge's secret")
	}
	if codes, err := c.BackupCodes(session); err != nil || len(codes) != 5 {
		t.Fatalf("BackupCodes: %d codes, %v", len(codes), err)
	}
}

// Seed flow 3: read and regenerate backup codes; old codes die, a new one works once.
func TestBackupCodes(t *testing.T) {
	c := newClient(t, nil)
	u := seedUser(t, "linked")
	session := signInLinked(t, c, u)

	old, err := c.BackupCodes(session)
	if err != nil {
		t.Fatalf("BackupCodes: %v", err)
	}
	state := userState(t, u.Email)
	if len(old) != 5 || len(state.BackupCodes) != 5 {
		t.Fatalf("got %d codes, the emulator has %d; want 5", len(old), len(state.BackupCodes))
	}
	for i, code := range old {
		if code.Code != state.BackupCodes[i].Code || code.Used {
			t.Fatalf("code %d differs from the emulator's or is used", i)
		}
	}

	fresh, err := c.RegenerateBackupCodes(session)
	if err != nil {
		t.Fatalf("RegenerateBackupCodes: %v", err)
	}
	if len(fresh) != 5 {
		t.Fatalf("got %d new codes, want 5", len(fresh))
	}
	for _, n := range fresh {
		for _, o := range old {
			if n.Code == o.Code {
				t.Fatal("a regenerated code equals an old one")
			}
		}
	}

	_, err = c.LoginWithCode(u.Email, u.Password, old[0].Code)
	wantKind(t, err, docspace.KindInvalidCode, docspace.ErrInvalidCode)

	s, err := c.LoginWithCode(u.Email, u.Password, fresh[0].Code)
	if err != nil {
		t.Fatalf("LoginWithCode with a new backup code: %v", err)
	}
	s.Close()
	_, err = c.LoginWithCode(u.Email, u.Password, fresh[0].Code)
	wantKind(t, err, docspace.KindInvalidCode, docspace.ErrInvalidCode)

	now, err := c.BackupCodes(session)
	if err != nil {
		t.Fatal(err)
	}
	if !now[0].Used || now[1].Used {
		t.Fatalf("after one use: %v", now)
	}
}

func TestSmsLogin(t *testing.T) {
	c := newClient(t, nil)
	u := seedUser(t, "sms")
	outcome, err := c.Login(u.Email, u.Password)
	if err != nil {
		t.Fatal(err)
	}
	sms, ok := outcome.(*docspace.SmsRequired)
	if !ok || sms.PhoneNoise != "+1***0123" {
		t.Fatalf("Login: got %v, want *SmsRequired with the masked phone +1***0123", outcome)
	}
	// The emulator's link: <base>/confirm/PhoneAuth?type=PhoneAuth&uid=<id>.
	if want := "/confirm/PhoneAuth?type=PhoneAuth&uid=" + u.ID; u.ID == "" ||
		!strings.HasPrefix(sms.ConfirmURL, strings.TrimSuffix(emulatorURL, "/")+"/") || !strings.HasSuffix(sms.ConfirmURL, want) {
		t.Fatalf("ConfirmURL = %q, want the emulator's URL ending in %q", sms.ConfirmURL, want)
	}
	if sms.Expires == "" {
		t.Fatal("Expires is empty; the emulator says when the texted code expires")
	}
	state := userState(t, u.Email)
	if state.SmsCode == nil {
		t.Fatal("the emulator sent no SMS code")
	}
	session, err := c.LoginWithCode(u.Email, u.Password, *state.SmsCode)
	if err != nil {
		t.Fatalf("LoginWithCode with the texted code: %v", err)
	}
	session.Close()
}

func TestErrorKinds(t *testing.T) {
	t.Run("wrong password", func(t *testing.T) {
		c := newClient(t, nil)
		u := seedUser(t, "linked")
		const password = "Wrong#Password-1234"
		_, err := c.Login(u.Email, password)
		e := wantKind(t, err, docspace.KindInvalidCredentials, docspace.ErrInvalidCredentials)
		if e.Status != 401 || strings.Contains(err.Error(), password) {
			t.Fatalf("status %d, error %q", e.Status, err)
		}
	})
	t.Run("wrong code", func(t *testing.T) {
		c := newClient(t, nil)
		u := seedUser(t, "linked")
		code := wrongCode(t, *u.TotpSecret)
		_, err := c.LoginWithCode(u.Email, u.Password, code)
		wantKind(t, err, docspace.KindInvalidCode, docspace.ErrInvalidCode)
		if strings.Contains(err.Error(), code) {
			t.Fatalf("the error shows the code: %q", err)
		}
	})
	t.Run("wrong code at validate", func(t *testing.T) {
		c := newClient(t, nil)
		u := seedUser(t, "linked")
		outcome, err := c.Login(u.Email, u.Password)
		if err != nil {
			t.Fatal(err)
		}
		ch := outcome.(*docspace.CodeRequired).Challenge
		defer ch.Close()
		_, err = c.ValidateApp(ch, wrongCode(t, *u.TotpSecret))
		e := wantKind(t, err, docspace.KindInvalidCode, docspace.ErrInvalidCode)
		if e.Status != 400 {
			t.Fatalf("status %d, want 400", e.Status)
		}
	})
	t.Run("locked out", func(t *testing.T) {
		c := newClient(t, nil)
		u := seedUser(t, "no_tfa")
		var err error
		for i := 0; i < 6; i++ {
			_, err = c.Login(u.Email, "Wrong#Password-1234")
		}
		wantKind(t, err, docspace.KindLockedOut, docspace.ErrLockedOut)
	})
	t.Run("disabled user", func(t *testing.T) {
		c := newClient(t, nil)
		u := seedUser(t, "disabled")
		_, err := c.Login(u.Email, u.Password)
		wantKind(t, err, docspace.KindAccessDenied, docspace.ErrAccessDenied)
	})
	t.Run("bogus token", func(t *testing.T) {
		c := newClient(t, nil)
		s, err := docspace.SessionFromToken("bogus-token-that-the-portal-never-issued")
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if ok, err := c.IsAuthenticated(s); err != nil || ok {
			t.Fatalf("IsAuthenticated = %t, %v; want false, nil", ok, err)
		}
		_, err = c.BackupCodes(s)
		wantKind(t, err, docspace.KindSessionInvalid, docspace.ErrSessionInvalid)
	})
	t.Run("backup codes without an app", func(t *testing.T) {
		c := newClient(t, nil)
		s := signInPlain(t, c, seedUser(t, "no_tfa"))
		_, err := c.BackupCodes(s)
		wantKind(t, err, docspace.KindTfaNotAvailable, docspace.ErrTfaNotAvailable)
	})
	t.Run("timeout", func(t *testing.T) {
		c := newClient(t, &docspace.Options{Timeout: 300 * time.Millisecond})
		u := seedUser(t, "no_tfa")
		fault(t, map[string]any{"path": "/api/2.0/authentication", "delay_ms": 2000})
		start := time.Now()
		_, err := c.Login(u.Email, u.Password)
		wantKind(t, err, docspace.KindTimeout, docspace.ErrTimeout)
		if d := time.Since(start); d > 1500*time.Millisecond {
			t.Fatalf("the timeout took %s", d)
		}
	})
	t.Run("503 HTML", func(t *testing.T) {
		c := newClient(t, nil)
		u := seedUser(t, "no_tfa")
		fault(t, map[string]any{"path": "/api/2.0/authentication", "status": 503, "body": "html"})
		_, err := c.Login(u.Email, u.Password)
		e := wantKind(t, err, docspace.KindServerError, docspace.ErrServerError)
		if e.Status != 503 {
			t.Fatalf("status %d, want 503", e.Status)
		}
	})
	t.Run("429 Retry-After", func(t *testing.T) {
		c := newClient(t, nil)
		u := seedUser(t, "no_tfa")
		fault(t, map[string]any{"path": "/api/2.0/authentication", "status": 429, "retry_after": "120"})
		_, err := c.Login(u.Email, u.Password)
		e := wantKind(t, err, docspace.KindRateLimited, docspace.ErrRateLimited)
		if e.Status != 429 || !e.HasRetryAfter || e.RetryAfter != 120*time.Second || !strings.HasSuffix(err.Error(), "(retry after 2m0s)") {
			t.Fatalf("status %d, retry after %s (%t), error %q; want 429, 2m0s", e.Status, e.RetryAfter, e.HasRetryAfter, err)
		}
	})
	t.Run("truncated JSON", func(t *testing.T) {
		c := newClient(t, nil)
		u := seedUser(t, "no_tfa")
		fault(t, map[string]any{"path": "/api/2.0/authentication", "body": "truncated-json"})
		_, err := c.Login(u.Email, u.Password)
		wantKind(t, err, docspace.KindUnexpectedResponse, docspace.ErrUnexpectedResponse)
	})
	t.Run("no confirm key", func(t *testing.T) {
		c := newClient(t, nil)
		u := seedUser(t, "not_linked")
		fault(t, map[string]any{"path": "/api/2.0/authentication", "method": "POST", "body": "no-set-cookie"})
		outcome, err := c.Login(u.Email, u.Password)
		if err != nil {
			t.Fatal(err)
		}
		ch := outcome.(*docspace.SetupRequired).Challenge
		defer ch.Close()
		_, err = c.SetupApp(ch)
		wantKind(t, err, docspace.KindConfirmContext, docspace.ErrConfirmContext)
	})
	t.Run("network", func(t *testing.T) {
		c, err := docspace.NewClient("http://127.0.0.1:1", &docspace.Options{ConnectTimeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, err = c.Login("someone@example.com", "Some#Password-1")
		wantKind(t, err, docspace.KindNetwork, docspace.ErrNetwork)
	})
	t.Run("invalid arguments", func(t *testing.T) {
		c := newClient(t, nil)
		_, err := c.Login("", "password")
		wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
		_, err = c.Login("plain@example.com", "pass\x00word")
		wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
		for _, bad := range []string{"", "ftp://portal.example.com", "http://portal.example.com", "https://user:pw@portal.example.com"} {
			_, err = docspace.NewClient(bad, nil)
			wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
		}
		_, err = docspace.NewClient(emulatorURL, &docspace.Options{Timeout: -time.Second})
		wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
		_, err = docspace.NewClient(emulatorURL, &docspace.Options{CAFile: "/nonexistent/ca.pem"})
		wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
	})
	t.Run("setup with an auth challenge", func(t *testing.T) {
		c := newClient(t, nil)
		u := seedUser(t, "linked")
		outcome, err := c.Login(u.Email, u.Password)
		if err != nil {
			t.Fatal(err)
		}
		ch := outcome.(*docspace.CodeRequired).Challenge
		defer ch.Close()
		_, err = c.SetupApp(ch)
		wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
	})
	t.Run("closed values", func(t *testing.T) {
		c := newClient(t, nil)
		s := signInPlain(t, c, seedUser(t, "no_tfa"))
		s.Close()
		s.Close()
		_, err := s.Token()
		wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
		_, err = c.IsAuthenticated(s)
		wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
		_, err = c.IsAuthenticated(nil)
		wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
		c.Close()
		_, err = c.Login("plain@example.com", "password")
		wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
	})
}

func TestErrorIsMatchesOnlyItsKind(t *testing.T) {
	kinds := map[docspace.Kind]error{
		docspace.KindInvalidArgument:    docspace.ErrInvalidArgument,
		docspace.KindInternal:           docspace.ErrInternal,
		docspace.KindNetwork:            docspace.ErrNetwork,
		docspace.KindTimeout:            docspace.ErrTimeout,
		docspace.KindTLS:                docspace.ErrTLS,
		docspace.KindInvalidCredentials: docspace.ErrInvalidCredentials,
		docspace.KindInvalidCode:        docspace.ErrInvalidCode,
		docspace.KindLockedOut:          docspace.ErrLockedOut,
		docspace.KindRateLimited:        docspace.ErrRateLimited,
		docspace.KindTfaNotAvailable:    docspace.ErrTfaNotAvailable,
		docspace.KindConfirmContext:     docspace.ErrConfirmContext,
		docspace.KindAccessDenied:       docspace.ErrAccessDenied,
		docspace.KindSessionInvalid:     docspace.ErrSessionInvalid,
		docspace.KindServerError:        docspace.ErrServerError,
		docspace.KindUnexpectedResponse: docspace.ErrUnexpectedResponse,
	}
	for kind, sentinel := range kinds {
		err := fmt.Errorf("wrapped: %w", &docspace.Error{Kind: kind, Message: "m"})
		for other, otherSentinel := range kinds {
			if got := errors.Is(err, otherSentinel); got != (other == kind) {
				t.Errorf("errors.Is(%s error, Err for %s) = %t", kind, other, got)
			}
		}
		if want := "docspace: " + kind.String() + ": m"; err.Error() != "wrapped: "+want || sentinel.Error() != "docspace: "+kind.String() {
			t.Errorf("kind %d: %q / %q", int(kind), err, sentinel)
		}
	}
	if got := docspace.KindInvalidCode.String(); got != "invalid_code" {
		t.Errorf("KindInvalidCode.String() = %q", got)
	}
	if got := docspace.Kind(99).String(); got != "kind(99)" {
		t.Errorf("Kind(99).String() = %q", got)
	}
}

// Kind names and retryability come from the library (docspace_result_kind_name,
// docspace_result_is_retryable).
func TestKindNamesAndRetryableComeFromTheLibrary(t *testing.T) {
	for _, c := range []struct {
		kind      docspace.Kind
		name      string
		retryable bool
	}{
		{docspace.KindInvalidArgument, "invalid_argument", false},
		{docspace.KindInternal, "internal", false},
		{docspace.KindNetwork, "network", true},
		{docspace.KindTimeout, "timeout", true},
		{docspace.KindTLS, "tls", false},
		{docspace.KindInvalidCredentials, "invalid_credentials", false},
		{docspace.KindInvalidCode, "invalid_code", false},
		{docspace.KindLockedOut, "locked_out", true},
		{docspace.KindRateLimited, "rate_limited", true},
		{docspace.KindTfaNotAvailable, "tfa_not_available", false},
		{docspace.KindConfirmContext, "confirm_context", false},
		{docspace.KindAccessDenied, "access_denied", false},
		{docspace.KindSessionInvalid, "session_invalid", false},
		{docspace.KindServerError, "server_error", true},
		{docspace.KindUnexpectedResponse, "unexpected_response", false},
	} {
		if got := c.kind.String(); got != c.name {
			t.Errorf("Kind(%d).String() = %q; want %q", int(c.kind), got, c.name)
		}
		if got := (&docspace.Error{Kind: c.kind}).Retryable(); got != c.retryable {
			t.Errorf("%s: Retryable() = %t; want %t", c.name, got, c.retryable)
		}
	}
	for _, k := range []docspace.Kind{-1, 0, 2, 3, 99, 1 << 20} {
		if (&docspace.Error{Kind: k}).Retryable() {
			t.Errorf("Kind(%d) is retryable", int(k))
		}
	}
	if got := docspace.Kind(-1).String(); got != "kind(-1)" {
		t.Errorf("Kind(-1).String() = %q", got)
	}
}

// TOTP, session and option errors carry the library's own message.
func TestErrorMessagesSayWhatIsWrong(t *testing.T) {
	message := func(err error) string {
		t.Helper()
		var e *docspace.Error
		if !errors.As(err, &e) {
			t.Fatalf("not a *docspace.Error: %v", err)
		}
		if e.Kind != docspace.KindInvalidArgument || e.Retryable() {
			t.Errorf("%v: want a non-retryable invalid_argument", err)
		}
		return e.Message
	}
	_, err := docspace.TOTP("LJVT1CTSWGJYEOYSV", time.Now())
	if m := message(err); !strings.Contains(m, "base32") || strings.Contains(m, "LJVT1") {
		t.Errorf("TOTP with a bad secret: %q", m)
	}
	_, _, err = docspace.VerifyTOTP("", "123456", time.Now(), 1)
	if m := message(err); !strings.Contains(m, "empty") {
		t.Errorf("VerifyTOTP with an empty secret: %q", m)
	}
	_, err = docspace.NewTotp("LJVTCTSWGJYEOYSV", docspace.AlgorithmSHA1, 9, 30*time.Second)
	if m := message(err); !strings.Contains(m, "6, 7 or 8 digits") {
		t.Errorf("NewTotp with 9 digits: %q", m)
	}
	_, err = docspace.NewTotp("LJVTCTSWGJYEOYSV", docspace.AlgorithmSHA1, 6, 2*time.Hour)
	if m := message(err); !strings.Contains(m, "between 1 and 3600") {
		t.Errorf("NewTotp with a 2 h period: %q", m)
	}
	_, err = docspace.ParseOtpauthURI("otpauth://hotp/x?secret=LJVTCTSWGJYEOYSV")
	if m := message(err); !strings.Contains(m, "HOTP") {
		t.Errorf("ParseOtpauthURI of an HOTP URI: %q", m)
	}
	_, err = docspace.SessionFromToken("   ")
	if m := message(err); !strings.Contains(m, "`token` argument is empty") {
		t.Errorf("SessionFromToken of blanks: %q", m)
	}
	_, err = docspace.SessionFromAPIKey("")
	if m := message(err); !strings.Contains(m, "`key` argument is empty") {
		t.Errorf("SessionFromAPIKey(\"\"): %q", m)
	}
	_, err = docspace.NewClient("https://portal.example.com", &docspace.Options{UserAgent: "bad\nagent"})
	if m := message(err); !strings.Contains(m, "printable ASCII") {
		t.Errorf("NewClient with a bad user agent: %q", m)
	}
	_, err = docspace.NewClient("https://portal.example.com", &docspace.Options{CAPEM: "not a certificate"})
	if m := message(err); !strings.Contains(m, "CA PEM") {
		t.Errorf("NewClient with bad CA PEM: %q", m)
	}
	_, err = docspace.NewClient("https://portal.example.com", &docspace.Options{CAFile: "/nonexistent/ca.pem"})
	if m := message(err); !strings.Contains(m, "/nonexistent/ca.pem") {
		t.Errorf("NewClient with a missing CA file: %q", m)
	}
}

func TestPolicyConfirmContextAndReset(t *testing.T) {
	c := newClient(t, nil)
	admin := seedUser(t, "admin")
	adminSession := signInPlain(t, c, admin)

	policy, err := c.TfaPolicy(adminSession)
	if err != nil {
		t.Fatalf("TfaPolicy: %v", err)
	}
	if policy.Enabled != docspace.TfaMethodApp || !policy.App.Available || !policy.App.Enabled {
		t.Fatalf("policy %+v: want app 2FA on and available", policy)
	}
	if policy.App.Title != "By authenticator app" || policy.SMS.Title != "" || policy.SMS.Enabled {
		t.Fatalf("policy titles %q / %q, SMS enabled %t: want the app's title only", policy.App.Title, policy.SMS.Title, policy.SMS.Enabled)
	}
	_, err = c.SetTfaPolicy(adminSession, docspace.TfaPolicyUpdate{Method: docspace.TfaMethodApp, TrustedIPs: []string{"not an address"}})
	wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
	// Methods outside the enum are refused, not wrapped around to "none" (which is 0).
	for _, method := range []docspace.TfaMethod{1 << 32, -1, 7} {
		_, err = c.SetTfaPolicy(adminSession, docspace.TfaPolicyUpdate{Method: method})
		wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
	}
	if p, err := c.TfaPolicy(adminSession); err != nil || p.Enabled != docspace.TfaMethodApp {
		t.Fatalf("after refused updates the policy is %+v, %v; want app 2FA still on", p, err)
	}
	u := seedUser(t, "linked")
	enabled, err := c.SetTfaPolicy(adminSession, docspace.TfaPolicyUpdate{Method: docspace.TfaMethodNone})
	if err != nil || enabled {
		t.Fatalf("SetTfaPolicy(none) = %t, %v; want false, nil", enabled, err)
	}
	if p, err := c.TfaPolicy(adminSession); err != nil || p.Enabled != docspace.TfaMethodNone || p.App.Enabled {
		t.Fatalf("TfaPolicy after switching 2FA off = %+v, %v", p, err)
	}
	signInPlain(t, c, u) // no second factor while 2FA is off

	plainUser := seedUser(t, "no_tfa")
	enabled, err = c.SetTfaPolicy(adminSession, docspace.TfaPolicyUpdate{
		Method:         docspace.TfaMethodApp,
		TrustedIPs:     []string{"10.0.0.0/8"},
		MandatoryUsers: []string{plainUser.ID},
	})
	if err != nil || !enabled {
		t.Fatalf("SetTfaPolicy(app) = %t, %v", enabled, err)
	}
	if ok, err := c.IsAuthenticated(adminSession); err != nil || ok {
		t.Fatalf("switching app 2FA on must sign the admin out: IsAuthenticated = %t, %v", ok, err)
	}
	adminSession = signInPlain(t, c, admin)
	if policy, err = c.TfaPolicy(adminSession); err != nil {
		t.Fatal(err)
	}
	if policy.Enabled != docspace.TfaMethodApp || len(policy.App.TrustedIPs) != 1 || policy.App.TrustedIPs[0] != "10.0.0.0/8" ||
		len(policy.App.MandatoryUsers) != 1 || policy.App.MandatoryUsers[0] != plainUser.ID {
		t.Fatalf("policy after the update: %+v", policy)
	}

	plain := signInPlain(t, c, plainUser)
	if ch, err := c.ConfirmContext(plain); err != nil || ch != nil {
		t.Fatalf("ConfirmContext for a user without 2FA = %v, %v; want nil, nil", ch, err)
	}
	linked := signInLinked(t, c, u)
	ch, err := c.ConfirmContext(linked)
	if err != nil || ch == nil || ch.ConfirmType() != docspace.ConfirmTfaAuth || ch.UserID() != u.ID {
		t.Fatalf("ConfirmContext = %v, %v; want a TfaAuth challenge", ch, err)
	}
	ch.Close()

	reset, err := c.ResetApp(linked, u.ID)
	if err != nil {
		t.Fatalf("ResetApp: %v", err)
	}
	if reset.Session == nil || reset.Challenge == nil || reset.Challenge.ConfirmType() != docspace.ConfirmTfaActivation {
		t.Fatalf("ResetApp = %+v; want a session and an activation challenge", reset)
	}
	defer reset.Session.Close()
	defer reset.Challenge.Close()
	setup, err := c.SetupApp(reset.Challenge)
	if err != nil {
		t.Fatalf("SetupApp after ResetApp: %v", err)
	}
	if setup.ManualEntryKey == *u.TotpSecret {
		t.Fatal("the secret did not change with the reset")
	}
	code, _ := docspace.TOTP(setup.ManualEntryKey, time.Now())
	v, err := c.ValidateApp(reset.Challenge, code)
	if err != nil || !v.LinkedNow {
		t.Fatalf("ValidateApp after ResetApp = %+v, %v", v, err)
	}
	v.Session.Close()
}

func TestSessionsFromTokensAndKeys(t *testing.T) {
	c := newClient(t, nil)
	u := seedUser(t, "no_tfa")
	s := signInPlain(t, c, u)
	token, err := s.Token()
	if err != nil {
		t.Fatal(err)
	}
	restored, err := docspace.SessionFromToken(token)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if restored.IsAPIKey() || s.IsAPIKey() {
		t.Error("a login token reports IsAPIKey")
	}
	if ok, err := c.IsAuthenticated(restored); err != nil || !ok {
		t.Fatalf("IsAuthenticated(restored) = %t, %v", ok, err)
	}

	key, err := docspace.SessionFromAPIKey(u.APIKey)
	if err != nil {
		t.Fatal(err)
	}
	defer key.Close()
	if !key.IsAPIKey() {
		t.Error("an API key does not report IsAPIKey")
	}
	if ok, err := c.IsAuthenticated(key); err != nil || !ok {
		t.Fatalf("IsAuthenticated(API key) = %t, %v", ok, err)
	}
	wantKind(t, c.Logout(key), docspace.KindInvalidArgument, docspace.ErrInvalidArgument)

	_, err = docspace.SessionFromToken("")
	wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
}

// One client shared by 16 goroutines, each running whole flows.
func TestConcurrentGoroutinesShareOneClient(t *testing.T) {
	c := newClient(t, nil)
	plain, linked, admin := seedUser(t, "no_tfa"), seedUser(t, "linked"), seedUser(t, "admin")
	flows := []func() error{
		func() error { // password sign-in, check, sign-out
			outcome, err := c.Login(plain.Email, plain.Password)
			if err != nil {
				return err
			}
			s := outcome.(*docspace.Authenticated).Session
			defer s.Close()
			if ok, err := c.IsAuthenticated(s); err != nil || !ok {
				return fmt.Errorf("IsAuthenticated = %t, %v", ok, err)
			}
			return c.Logout(s)
		},
		func() error { // sign-in by code, then backup codes
			outcome, err := c.Login(linked.Email, linked.Password)
			if err != nil {
				return err
			}
			outcome.(*docspace.CodeRequired).Challenge.Close()
			code, err := docspace.TOTP(*linked.TotpSecret, time.Now())
			if err != nil {
				return err
			}
			s, err := c.LoginWithCode(linked.Email, linked.Password, code)
			if err != nil {
				return err
			}
			defer s.Close()
			codes, err := c.BackupCodes(s)
			if err == nil && len(codes) != 5 {
				err = fmt.Errorf("%d backup codes", len(codes))
			}
			return err
		},
		func() error { // policy read
			outcome, err := c.Login(admin.Email, admin.Password)
			if err != nil {
				return err
			}
			s := outcome.(*docspace.Authenticated).Session
			defer s.Close()
			_, err = c.TfaPolicy(s)
			return err
		},
		func() error { // errors from many goroutines (none that counts towards a lockout)
			s, err := docspace.SessionFromToken("bogus-token-that-the-portal-never-issued")
			if err != nil {
				return err
			}
			defer s.Close()
			if _, err = c.BackupCodes(s); !errors.Is(err, docspace.ErrSessionInvalid) {
				return fmt.Errorf("a bogus token gave %v", err)
			}
			return nil
		},
	}
	const goroutines, rounds = 16, 3
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*rounds)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(flow func() error) {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				if err := flow(); err != nil {
					errs <- err
				}
			}
		}(flows[g%len(flows)])
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// No fmt verb prints a token, secret, otpauth URI or backup code.
func TestFormattingHidesSecrets(t *testing.T) {
	c := newClient(t, nil)
	u := seedUser(t, "not_linked")
	outcome, err := c.Login(u.Email, u.Password)
	if err != nil {
		t.Fatal(err)
	}
	setupRequired := outcome.(*docspace.SetupRequired)
	defer setupRequired.Challenge.Close()
	setup, err := c.SetupApp(setupRequired.Challenge)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := docspace.TOTP(setup.ManualEntryKey, time.Now())
	validation, err := c.ValidateApp(setupRequired.Challenge, code)
	if err != nil {
		t.Fatal(err)
	}
	defer validation.Session.Close()
	codes, err := c.BackupCodes(validation.Session)
	if err != nil {
		t.Fatal(err)
	}
	token, _ := validation.Session.Token()
	totp, err := docspace.ParseOtpauthURI(setup.OtpauthURI)
	if err != nil {
		t.Fatal(err)
	}
	defer totp.Close()
	_, loginErr := c.LoginWithCode(u.Email, u.Password, "Abc-12")

	secrets := []string{token, setupRequired.Secret, setupRequired.OtpauthURI, setup.ManualEntryKey, setup.OtpauthURI, u.Password, "Abc-12"}
	for _, b := range codes {
		secrets = append(secrets, b.Code)
	}
	values := []any{
		validation.Session, setupRequired, *setupRequired, setupRequired.Challenge, setup, *setup,
		validation, *validation, codes, codes[0], &codes[0], totp, loginErr, outcome,
		struct{ Nested *docspace.AppSetup }{setup}, map[string]docspace.BackupCode{"k": codes[0]},
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.4v", "%-40s"} {
		for i, v := range values {
			out := fmt.Sprintf(verb, v)
			for _, secret := range secrets {
				if secret == "" {
					t.Fatal("empty secret in the test")
				}
				if strings.Contains(out, secret) || strings.Contains(strings.ToLower(out), fmt.Sprintf("%x", secret)) {
					t.Errorf("fmt %s of value %d (%T) shows a secret: %s", verb, i, v, out)
				}
			}
		}
	}
	if s := fmt.Sprint(setup); !strings.Contains(s, "ManualEntryKey:***") || !strings.Contains(s, u.Email) {
		t.Errorf("AppSetup prints as %s", s)
	}
}

// Closing a session and a client while other goroutines use them: calls in progress
// finish, later ones fail with KindInvalidArgument, nothing is freed twice or used after.
func TestCloseWhileInUse(t *testing.T) {
	c := newClient(t, nil)
	s := signInPlain(t, c, seedUser(t, "no_tfa"))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if _, err := c.IsAuthenticated(s); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	s.Close()
	c.Close()
	wg.Wait()
	close(errs)
	for err := range errs {
		wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
	}
}

// Values that are never closed are freed by their cleanups after garbage collection.
func TestCleanupFreesForgottenValues(t *testing.T) {
	for i := 0; i < 1000; i++ {
		if _, err := docspace.SessionFromToken(fmt.Sprintf("token-%d", i)); err != nil {
			t.Fatal(err)
		}
		if _, err := docspace.NewTotp("LJVTCTSWGJYEOYSV", docspace.AlgorithmSHA1, 6, 30*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	c, err := docspace.NewClient(emulatorURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.BaseURL()
	for i := 0; i < 3; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}
