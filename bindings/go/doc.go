// Package docspace signs in to ONLYOFFICE DocSpace portals and runs their two-factor
// authentication (2FA) flows: password sign-in, a TOTP or backup code, linking an
// authenticator app, backup codes, the portal's 2FA policy.
//
// The package is a thin cgo layer over the docspace-auth C ABI (include/docspace_auth.h):
// the flows, the HTTP, the TOTP code and the error classification all live in the Rust
// library; this package converts types and errors.
//
//	client, err := docspace.NewClient("https://portal.example.com", nil)
//	if err != nil {
//		return err
//	}
//	defer client.Close()
//	outcome, err := client.Login(user, password)
//	if err != nil {
//		return err
//	}
//	switch o := outcome.(type) {
//	case *docspace.Authenticated:
//		// o.Session is signed in.
//	case *docspace.CodeRequired:
//		// An app is linked: client.LoginWithCode(user, password, code).
//	case *docspace.SetupRequired:
//		// No app yet: enrol o.Secret, then client.ValidateApp(o.Challenge, code).
//	case *docspace.SmsRequired:
//		// A code was texted: client.LoginWithCode(user, password, code).
//	}
//
// # Errors
//
// Every failure is an [*Error] (use [errors.As]) whose [Kind] is the library's stable
// category ("invalid_code", "rate_limited", …), with the HTTP status, the portal's own
// message and the Retry-After delay as data. [errors.Is] also matches the Err… sentinels:
// errors.Is(err, docspace.ErrInvalidCode). Error texts never contain a password, token,
// TOTP secret or code.
//
// # Concurrency
//
// A [Client] is safe for concurrent use by many goroutines: the calls run in parallel
// over the library's connection pool. [Session], [Challenge] and [Totp] values are
// immutable and may also be shared. Client calls block for the duration of the HTTP
// exchange (bounded by [Options.Timeout]); run them in their own goroutines for
// parallelism or cancellation.
//
// # Resources and secrets
//
// [Client], [Session], [Challenge] and [Totp] own memory of the C library. Call Close when
// done; a cleanup attached with [runtime.AddCleanup] frees whatever is forgotten once the
// value is garbage collected. Close waits for calls in progress on the same value; using a
// value after Close returns an error of kind [KindInvalidArgument] (the getters
// [Totp.Algorithm], [Totp.Digits] and [Totp.Period], which return no error, return
// [AlgorithmInvalid] and 0).
//
// Session tokens and confirm keys stay in the library's memory (wiped when freed); a token
// is copied into Go only by [Session.Token]. Values that carry secrets in Go fields
// ([SetupRequired], [AppSetup], [BackupCode]) print them masked with every fmt verb,
// including %+v and %#v.
//
// # Linking
//
// By default the package links target/debug/libdocspace_auth.so of the repository (run
// `cargo build` at its root first) and records that directory as the rpath. Build with
// `-tags docspace_static` to link target/release/libdocspace_auth.a statically instead
// (after `cargo build --release`), or set CGO_CFLAGS/CGO_LDFLAGS to use an installed copy:
// see the README.
package docspace
