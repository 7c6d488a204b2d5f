package docspace_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	docspace "github.com/docspace-auth/docspace-auth/bindings/go"
)

// emulatorURL is the base URL of the docspace-emulator that TestMain runs for all tests.
var emulatorURL string

// TestMain runs target/debug/docspace-emulator (or $DOCSPACE_EMULATOR) on a free port for
// the whole test binary and kills it at the end.
func TestMain(m *testing.M) {
	os.Exit(runWithEmulator(m))
}

func runWithEmulator(m *testing.M) int {
	url, stop, err := startEmulator()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer stop()
	emulatorURL = url
	return m.Run()
}

// startEmulator starts an emulator with extra arguments and returns its URL and a function
// that kills it.
func startEmulator(args ...string) (url string, stop func(), err error) {
	path := os.Getenv("DOCSPACE_EMULATOR")
	if path == "" {
		path = filepath.Join("..", "..", "target", "debug", "docspace-emulator")
	}
	cmd := exec.Command(path, append([]string{"--port", "0"}, args...)...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		return "", nil, fmt.Errorf("cannot start %s (run `cargo build` at the repository root, or set DOCSPACE_EMULATOR): %w", path, err)
	}
	stop = func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	out := bufio.NewReader(stdout)
	line, err := out.ReadString('\n')
	const prefix = "docspace-emulator listening on "
	if err != nil || !strings.HasPrefix(line, prefix) {
		stop()
		return "", nil, fmt.Errorf("unexpected first line from the emulator: %q (%v)", line, err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return strings.TrimSpace(strings.TrimPrefix(line, prefix)), stop, nil
}

// emuUser is a seeded user as GET /__emulator/users lists it.
type emuUser struct {
	Email      string  `json:"email"`
	Password   string  `json:"password"`
	ID         string  `json:"id"`
	TotpSecret *string `json:"totp_secret"`
	APIKey     string  `json:"api_key"`
	Kind       string  `json:"kind"`
}

// emuUserState is a user's TFA state as GET /__emulator/users/{email} reports it.
type emuUserState struct {
	Linked      bool `json:"linked"`
	BackupCodes []struct {
		Code   string `json:"code"`
		IsUsed bool   `json:"isUsed"`
	} `json:"backup_codes"`
	TotpSecret *string `json:"totp_secret"`
	SmsCode    *string `json:"sms_code"`
}

// control calls the emulator's test controls and decodes the JSON answer into out (if not nil).
func control(t testing.TB, method, path string, body any, out any) {
	t.Helper()
	var payload io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		payload = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, strings.TrimSuffix(emulatorURL, "/")+"/__emulator/"+path, payload)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("emulator control %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("emulator control %s %s: HTTP %d %s (%v)", method, path, resp.StatusCode, data, err)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("emulator control %s %s: %v", method, path, err)
		}
	}
}

// newClient resets the emulator to its seeded state and returns a client of it, closed
// when the test ends.
func newClient(t testing.TB, opts *docspace.Options) *docspace.Client {
	t.Helper()
	control(t, http.MethodPost, "reset", nil, nil)
	c, err := docspace.NewClient(emulatorURL, opts)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// seedUser returns the seeded user of a kind (no_tfa, not_linked, linked, sms, disabled, admin).
func seedUser(t testing.TB, kind string) emuUser {
	t.Helper()
	var users []emuUser
	control(t, http.MethodGet, "users", nil, &users)
	for _, u := range users {
		if u.Kind == kind {
			return u
		}
	}
	t.Fatalf("the emulator has no %s user", kind)
	return emuUser{}
}

func userState(t testing.TB, email string) emuUserState {
	t.Helper()
	var state emuUserState
	control(t, http.MethodGet, "users/"+url.PathEscape(email), nil, &state)
	return state
}

// fault queues an emulator fault (see tests/emulator/src/faults.rs for the fields).
func fault(t testing.TB, f map[string]any) {
	t.Helper()
	control(t, http.MethodPost, "faults", f, nil)
}
