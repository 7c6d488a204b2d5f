// Command seedflows runs the three DocSpace 2FA seed flows with the Go binding: sign in
// with a TOTP code, link an authenticator app, read and regenerate backup codes.
//
// Without DOCSPACE_URL it starts the repository's docspace-emulator and runs all three
// flows against its seeded users:
//
//	go run ./examples/seedflows
//
// With DOCSPACE_URL, DOCSPACE_USER and DOCSPACE_PASSWORD it signs in to that portal
// (DOCSPACE_TOTP_SECRET computes the code; otherwise it asks for one), reads the backup
// codes and signs out:
//
//	DOCSPACE_URL=https://portal.example.com DOCSPACE_USER=me@example.com \
//	DOCSPACE_PASSWORD=… go run ./examples/seedflows [-qr setup.png] [-regenerate]
//
// Secrets (tokens, TOTP secrets, codes) are printed masked.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	docspace "github.com/docspace-auth/docspace-auth/bindings/go"
)

func main() {
	log.SetFlags(0)
	emulator := flag.String("emulator", envOr("DOCSPACE_EMULATOR", "../../target/debug/docspace-emulator"),
		"docspace-emulator binary, used when DOCSPACE_URL is not set")
	qrFile := flag.String("qr", "", "portal mode: if the account has no app linked, write the setup QR code (PNG) here and link the app")
	regenerate := flag.Bool("regenerate", false, "portal mode: also regenerate the backup codes (the old ones stop working; read the new ones in the portal)")
	flag.Parse()

	fmt.Println("docspace-auth", docspace.Version())
	var err error
	if url := os.Getenv("DOCSPACE_URL"); url != "" {
		err = runPortal(url, *qrFile, *regenerate)
	} else {
		err = runEmulator(*emulator)
	}
	if err != nil {
		log.Fatal(err)
	}
}

// ---- against the emulator ----

// seedUser is a seeded emulator user as GET /__emulator/users lists it.
type seedUser struct {
	Email      string `json:"email"`
	Password   string `json:"password"`
	Kind       string `json:"kind"`
	TotpSecret string `json:"totp_secret"`
}

func runEmulator(path string) error {
	cmd := exec.Command(path, "--port", "0")
	stdout, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		return fmt.Errorf("starting %s (run `cargo build` at the repository root, or pass -emulator): %w", path, err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return fmt.Errorf("reading the emulator's address: %w", err)
	}
	url := strings.TrimSpace(strings.TrimPrefix(line, "docspace-emulator listening on "))
	fmt.Println("emulator at", url)

	users, err := emulatorUsers(url)
	if err != nil {
		return err
	}
	client, err := docspace.NewClient(url, nil)
	if err != nil {
		return err
	}
	defer client.Close()

	if err := signInByCode(client, users["linked"]); err != nil {
		return fmt.Errorf("flow 1 (sign in by code): %w", err)
	}
	session, err := linkApp(client, users["not_linked"])
	if err != nil {
		return fmt.Errorf("flow 2 (link an app): %w", err)
	}
	defer session.Close()
	if err := backupCodes(client, session, users["not_linked"]); err != nil {
		return fmt.Errorf("flow 3 (backup codes): %w", err)
	}
	return client.Logout(session)
}

// emulatorUsers returns the seeded users by kind.
func emulatorUsers(url string) (map[string]seedUser, error) {
	resp, err := http.Get(strings.TrimSuffix(url, "/") + "/__emulator/users")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var list []seedUser
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return nil, fmt.Errorf("reading the emulator's users: %w", err)
	}
	users := make(map[string]seedUser)
	for _, u := range list {
		users[u.Kind] = u
	}
	return users, nil
}

// signInByCode: password, then a TOTP code computed from the linked app's secret.
func signInByCode(client *docspace.Client, u seedUser) error {
	fmt.Println("\n== 1. sign in by code:", u.Email)
	outcome, err := client.Login(u.Email, u.Password)
	if err != nil {
		return err
	}
	required, ok := outcome.(*docspace.CodeRequired)
	if !ok {
		return fmt.Errorf("expected a code request, got %v", outcome)
	}
	required.Challenge.Close()
	fmt.Println("portal asks for a code; TOTP secret", mask(u.TotpSecret))
	code, err := docspace.TOTP(u.TotpSecret, time.Now())
	if err != nil {
		return err
	}
	session, err := client.LoginWithCode(u.Email, u.Password, code)
	if err != nil {
		return err
	}
	defer session.Close()
	return showAndSignOut(client, session)
}

// linkApp: password, setup payload, first code: the app is linked and a session issued.
func linkApp(client *docspace.Client, u seedUser) (*docspace.Session, error) {
	fmt.Println("\n== 2. link an authenticator app:", u.Email)
	outcome, err := client.Login(u.Email, u.Password)
	if err != nil {
		return nil, err
	}
	required, ok := outcome.(*docspace.SetupRequired)
	if !ok {
		return nil, fmt.Errorf("expected a setup request, got %v", outcome)
	}
	defer required.Challenge.Close()
	fmt.Printf("portal asks to link an app: %v\n", required)
	setup, err := client.SetupApp(required.Challenge)
	if err != nil {
		return nil, err
	}
	fmt.Printf("setup: %v\n", setup)
	code, err := docspace.TOTP(setup.ManualEntryKey, time.Now())
	if err != nil {
		return nil, err
	}
	validation, err := client.ValidateApp(required.Challenge, code)
	if err != nil {
		return nil, err
	}
	fmt.Printf("validated: linked now %t, %v\n", validation.LinkedNow, validation.Session)
	return validation.Session, nil
}

// backupCodes: read, regenerate, then show that an old code fails and a new one works once.
func backupCodes(client *docspace.Client, session *docspace.Session, u seedUser) error {
	fmt.Println("\n== 3. backup codes:", u.Email)
	old, err := client.BackupCodes(session)
	if err != nil {
		return err
	}
	printCodes("current", old)
	fresh, err := client.RegenerateBackupCodes(session)
	if err != nil {
		return err
	}
	printCodes("regenerated", fresh)
	_, err = client.LoginWithCode(u.Email, u.Password, old[0].Code)
	if !errors.Is(err, docspace.ErrInvalidCode) {
		return fmt.Errorf("an old backup code gave %v, want invalid_code", err)
	}
	fmt.Println("an old code is refused:", err)
	s, err := client.LoginWithCode(u.Email, u.Password, fresh[0].Code)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Printf("a new code signs in: %v\n", s)
	return client.Logout(s)
}

// ---- against a portal ----

func runPortal(url, qrFile string, regenerate bool) error {
	user, password := os.Getenv("DOCSPACE_USER"), os.Getenv("DOCSPACE_PASSWORD")
	if user == "" || password == "" {
		return errors.New("set DOCSPACE_USER and DOCSPACE_PASSWORD with DOCSPACE_URL")
	}
	client, err := docspace.NewClient(url, nil)
	if err != nil {
		return err
	}
	defer client.Close()
	fmt.Println("portal", client.BaseURL(), "user", user)

	outcome, err := client.Login(user, password)
	if err != nil {
		return err
	}
	var session *docspace.Session
	switch o := outcome.(type) {
	case *docspace.Authenticated:
		fmt.Println("signed in without a second factor")
		session = o.Session
	case *docspace.CodeRequired:
		o.Challenge.Close()
		code, err := totpOrPrompt("code from your authenticator app (or a backup code)")
		if err != nil {
			return err
		}
		if session, err = client.LoginWithCode(user, password, code); err != nil {
			return err
		}
	case *docspace.SetupRequired:
		defer o.Challenge.Close()
		if session, err = linkPortalApp(client, o, qrFile); err != nil {
			return err
		}
	case *docspace.SmsRequired:
		fmt.Printf("a code was texted to %s (expires %s)\n", o.PhoneNoise, o.Expires)
		code, err := prompt("texted code")
		if err != nil {
			return err
		}
		if session, err = client.LoginWithCode(user, password, code); err != nil {
			return err
		}
	}
	defer session.Close()

	codes, err := client.BackupCodes(session)
	switch {
	case errors.Is(err, docspace.ErrTfaNotAvailable):
		fmt.Println("no backup codes: no authenticator app is linked")
	case err != nil:
		return err
	default:
		printCodes("current", codes)
		if regenerate {
			fresh, err := client.RegenerateBackupCodes(session)
			if err != nil {
				return err
			}
			printCodes("regenerated (also shown in the portal's settings)", fresh)
		}
	}
	return showAndSignOut(client, session)
}

// linkPortalApp writes the setup QR code to qrFile, then validates the code the user's
// app shows.
func linkPortalApp(client *docspace.Client, o *docspace.SetupRequired, qrFile string) (*docspace.Session, error) {
	if qrFile == "" {
		return nil, errors.New("this account has no authenticator app linked yet: link one in the portal, or rerun with -qr FILE")
	}
	setup, err := client.SetupApp(o.Challenge)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(qrFile, setup.QRCodePNG, 0o600); err != nil {
		return nil, err
	}
	fmt.Printf("scan %s with your authenticator app (%v)\n", qrFile, setup)
	code, err := prompt("code from your authenticator app")
	if err != nil {
		return nil, err
	}
	validation, err := client.ValidateApp(o.Challenge, code)
	if err != nil {
		return nil, err
	}
	fmt.Println("app linked:", validation.LinkedNow)
	return validation.Session, nil
}

// totpOrPrompt computes the code from DOCSPACE_TOTP_SECRET, or asks for one.
func totpOrPrompt(question string) (string, error) {
	if secret := os.Getenv("DOCSPACE_TOTP_SECRET"); secret != "" {
		fmt.Println("computing the code from DOCSPACE_TOTP_SECRET", mask(secret))
		return docspace.TOTP(secret, time.Now())
	}
	return prompt(question)
}

var stdin = bufio.NewReader(os.Stdin)

func prompt(question string) (string, error) {
	fmt.Print(question, ": ")
	line, err := stdin.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("reading the %s: %w", question, err)
	}
	return strings.TrimSpace(line), nil
}

// ---- shared ----

// showAndSignOut prints the session (token masked), checks it and signs out.
func showAndSignOut(client *docspace.Client, session *docspace.Session) error {
	token, err := session.Token()
	if err != nil {
		return err
	}
	fmt.Printf("session %v, token %s\n", session, mask(token))
	ok, err := client.IsAuthenticated(session)
	if err != nil {
		return err
	}
	fmt.Println("portal accepts the session:", ok)
	if err := client.Logout(session); err != nil {
		return err
	}
	ok, err = client.IsAuthenticated(session)
	fmt.Println("signed out; portal accepts the session:", ok)
	return err
}

func printCodes(label string, codes []docspace.BackupCode) {
	masked, unused := make([]string, len(codes)), 0
	for i, c := range codes {
		masked[i] = strings.Repeat("*", len(c.Code))
		if c.Used {
			masked[i] += "(used)"
		} else {
			unused++
		}
	}
	fmt.Printf("%s backup codes (%d, %d unused): %s\n", label, len(codes), unused, strings.Join(masked, " "))
}

// mask hides a secret but its length.
func mask(secret string) string {
	return fmt.Sprintf("%s (%d chars)", strings.Repeat("*", min(len(secret), 8)), len(secret))
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
