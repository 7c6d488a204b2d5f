package docspace_test

import (
	"encoding/base32"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	docspace "github.com/docspace-auth/docspace-auth/bindings/go"
)

// The worked example of CONTRACT.md §4: the portal's secret for ASCII "Zk1NV2pGbU".
func TestTOTPContractExample(t *testing.T) {
	code, err := docspace.TOTP("LJVTCTSWGJYEOYSV", time.Unix(1767225600, 0))
	if err != nil || code != "157287" {
		t.Fatalf("TOTP = %q, %v; want 157287", code, err)
	}
}

// RFC 6238 appendix B, with the RFC's seeds (20, 32 and 64 ASCII bytes) and 8 digits.
func TestTotpRFC6238(t *testing.T) {
	seeds := map[docspace.Algorithm]string{
		docspace.AlgorithmSHA1:   "12345678901234567890",
		docspace.AlgorithmSHA256: "12345678901234567890123456789012",
		docspace.AlgorithmSHA512: "1234567890123456789012345678901234567890123456789012345678901234",
	}
	vectors := []struct {
		unix  int64
		codes map[docspace.Algorithm]string
	}{
		{59, map[docspace.Algorithm]string{docspace.AlgorithmSHA1: "94287082", docspace.AlgorithmSHA256: "46119246", docspace.AlgorithmSHA512: "90693936"}},
		{1111111109, map[docspace.Algorithm]string{docspace.AlgorithmSHA1: "07081804", docspace.AlgorithmSHA256: "68084774", docspace.AlgorithmSHA512: "25091201"}},
		{1111111111, map[docspace.Algorithm]string{docspace.AlgorithmSHA1: "14050471", docspace.AlgorithmSHA256: "67062674", docspace.AlgorithmSHA512: "99943326"}},
		{1234567890, map[docspace.Algorithm]string{docspace.AlgorithmSHA1: "89005924", docspace.AlgorithmSHA256: "91819424", docspace.AlgorithmSHA512: "93441116"}},
		{2000000000, map[docspace.Algorithm]string{docspace.AlgorithmSHA1: "69279037", docspace.AlgorithmSHA256: "90698825", docspace.AlgorithmSHA512: "38618901"}},
		{20000000000, map[docspace.Algorithm]string{docspace.AlgorithmSHA1: "65353130", docspace.AlgorithmSHA256: "77737706", docspace.AlgorithmSHA512: "47863826"}},
	}
	for alg, seed := range seeds {
		secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte(seed))
		totp, err := docspace.NewTotp(secret, alg, 8, 30*time.Second)
		if err != nil {
			t.Fatalf("NewTotp(%s): %v", alg, err)
		}
		for _, v := range vectors {
			at := time.Unix(v.unix, 0)
			if code, err := totp.CodeAt(at); err != nil || code != v.codes[alg] {
				t.Errorf("%s at %d: %q, %v; want %s", alg, v.unix, code, err, v.codes[alg])
			}
			if offset, ok, err := totp.Check(v.codes[alg], at, 0); err != nil || !ok || offset != 0 {
				t.Errorf("%s Check at %d = %d, %t, %v", alg, v.unix, offset, ok, err)
			}
		}
		totp.Close()
	}
}

func TestVerifyTOTP(t *testing.T) {
	const secret = "LJVTCTSWGJYEOYSV"
	at := time.Unix(1767225600, 0)
	previous, err := docspace.TOTP(secret, at.Add(-30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if offset, ok, err := docspace.VerifyTOTP(secret, previous, at, 1); err != nil || !ok || offset != -1 {
		t.Fatalf("previous step, window 1: %d, %t, %v; want -1, true", offset, ok, err)
	}
	if _, ok, err := docspace.VerifyTOTP(secret, previous, at, 0); err != nil || ok {
		t.Fatalf("previous step, window 0: %t, %v; want false, nil", ok, err)
	}
	if offset, ok, err := docspace.VerifyTOTP(secret, " 157287 ", at, 0); err != nil || !ok || offset != 0 {
		t.Fatalf("current code with spaces: %d, %t, %v", offset, ok, err)
	}
	if _, ok, err := docspace.VerifyTOTP(secret, "not a code", at, 1); err != nil || ok {
		t.Fatalf("malformed code: %t, %v; want false, nil", ok, err)
	}
	_, _, err = docspace.VerifyTOTP("not base32!", "123456", at, 1)
	wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
	_, err = docspace.TOTP("", at)
	wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
	_, err = docspace.TOTP(secret, time.Unix(-1, 0))
	wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
}

func TestTotpGenerator(t *testing.T) {
	const secret = "LJVTCTSWGJYEOYSV"
	at := time.Unix(1767225600, 0)
	totp, err := docspace.NewTotp(secret, docspace.AlgorithmSHA1, 6, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer totp.Close()
	if code, err := totp.CodeAt(at); err != nil || code != "157287" {
		t.Fatalf("CodeAt = %q, %v", code, err)
	}
	for _, c := range []struct {
		at   time.Time
		want int
	}{{at, 30}, {at.Add(10 * time.Second), 20}, {at.Add(29 * time.Second), 1}} {
		if got, err := totp.SecondsRemaining(c.at); err != nil || got != c.want {
			t.Errorf("SecondsRemaining(+%s) = %d, %v; want %d", c.at.Sub(at), got, err, c.want)
		}
	}

	uri, err := totp.URI("portal.example.com", "alice@example.com")
	if err != nil || !strings.HasPrefix(uri, "otpauth://totp/") {
		t.Fatalf("URI = %d chars, %v", len(uri), err)
	}
	parsed, err := docspace.ParseOtpauthURI(uri)
	if err != nil {
		t.Fatalf("ParseOtpauthURI: %v", err)
	}
	defer parsed.Close()
	if parsed.Issuer() != "portal.example.com" || parsed.Account() != "alice@example.com" {
		t.Fatalf("parsed label %q / %q", parsed.Issuer(), parsed.Account())
	}
	if code, err := parsed.CodeAt(at); err != nil || code != "157287" {
		t.Fatalf("parsed CodeAt = %q, %v", code, err)
	}
	if noIssuer, err := totp.URI("", "bob"); err != nil || strings.Contains(noIssuer, "issuer=") {
		t.Fatalf("URI without issuer: %v", err)
	}

	_, err = docspace.NewTotp(secret, docspace.AlgorithmSHA1, 5, 30*time.Second)
	wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
	_, err = docspace.NewTotp(secret, docspace.AlgorithmSHA1, 6, 1500*time.Millisecond)
	wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
	_, err = docspace.NewTotp(secret, docspace.Algorithm(7), 6, 30*time.Second)
	wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
	_, err = docspace.ParseOtpauthURI("https://example.com/")
	wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)

	totp.Close()
	_, err = totp.CodeAt(at)
	wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
}

// The getters return the parameters the generator was made or parsed with.
func TestTotpParameters(t *testing.T) {
	const secret = "LJVTCTSWGJYEOYSV"
	params := func(totp *docspace.Totp) string {
		return fmt.Sprintf("%s/%d/%s", totp.Algorithm(), totp.Digits(), totp.Period())
	}
	for _, c := range []struct {
		name string
		make func() (*docspace.Totp, error)
		want string
	}{
		{"NewTotp SHA256/8/60s", func() (*docspace.Totp, error) {
			return docspace.NewTotp(secret, docspace.AlgorithmSHA256, 8, time.Minute)
		}, "SHA256/8/1m0s"},
		{"NewTotp DocSpace", func() (*docspace.Totp, error) {
			return docspace.NewTotp(secret, docspace.AlgorithmSHA1, 6, 30*time.Second)
		}, "SHA1/6/30s"},
		{"ParseOtpauthURI with parameters", func() (*docspace.Totp, error) {
			return docspace.ParseOtpauthURI("otpauth://totp/Example:alice@example.com?secret=" + secret +
				"&issuer=Example&algorithm=SHA512&digits=7&period=45")
		}, "SHA512/7/45s"},
		{"ParseOtpauthURI defaults", func() (*docspace.Totp, error) {
			return docspace.ParseOtpauthURI("otpauth://totp/alice@example.com?secret=" + secret)
		}, "SHA1/6/30s"},
	} {
		totp, err := c.make()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := params(totp); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
		// A generator rebuilt from its own URI has the same parameters.
		uri, err := totp.URI("", "alice@example.com")
		if err != nil {
			t.Fatalf("%s: URI: %v", c.name, err)
		}
		again, err := docspace.ParseOtpauthURI(uri)
		if err != nil {
			t.Fatalf("%s: ParseOtpauthURI(URI()): %v", c.name, err)
		}
		if got := params(again); got != c.want {
			t.Errorf("%s: through its URI: %s, want %s", c.name, got, c.want)
		}
		again.Close()
		totp.Close()
		if totp.Algorithm() != docspace.AlgorithmInvalid || totp.Digits() != 0 || totp.Period() != 0 {
			t.Errorf("%s: closed generator: %s, want the zero parameters", c.name, params(totp))
		}
	}
	var none *docspace.Totp
	if none.Algorithm() != docspace.AlgorithmInvalid || none.Digits() != 0 || none.Period() != 0 {
		t.Errorf("nil generator: %s/%d/%s", none.Algorithm(), none.Digits(), none.Period())
	}

	// AlgorithmInvalid and values beyond uint32_t (which a plain conversion would wrap
	// around to valid ones: 2^32+6 digits to 6) are refused.
	_, err := docspace.NewTotp(secret, docspace.AlgorithmInvalid, 6, 30*time.Second)
	wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
	_, err = docspace.NewTotp(secret, docspace.AlgorithmSHA1, 6, (1<<32+30)*time.Second)
	wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
	if math.MaxInt > math.MaxUint32 {
		wide := int64(1) << 32
		_, err = docspace.NewTotp(secret, docspace.AlgorithmSHA1, int(wide+6), 30*time.Second)
		wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
		_, err = docspace.NewTotp(secret, docspace.Algorithm(-wide), 6, 30*time.Second)
		wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
	}
}

// The secret-free SecondsRemaining counts like a generator with the same period.
func TestSecondsRemaining(t *testing.T) {
	for _, c := range []struct {
		unix   int64
		period time.Duration
		want   int
	}{
		{0, 30 * time.Second, 30},
		{59, 30 * time.Second, 1},
		{60, 30 * time.Second, 30},
		{1767225615, 30 * time.Second, 15},
		{12345, time.Second, 1},
		{3599, time.Hour, 1},
		{100, time.Minute, 20},
	} {
		if got, err := docspace.SecondsRemaining(time.Unix(c.unix, 0), c.period); err != nil || got != c.want {
			t.Errorf("SecondsRemaining(%d, %s) = %d, %v; want %d", c.unix, c.period, got, err, c.want)
		}
	}
	totp, err := docspace.NewTotp("LJVTCTSWGJYEOYSV", docspace.AlgorithmSHA1, 6, 45*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer totp.Close()
	at := time.Unix(1767225607, 0) // 7 s into a 45 s step
	mine, err1 := totp.SecondsRemaining(at)
	free, err2 := docspace.SecondsRemaining(at, totp.Period())
	if err1 != nil || err2 != nil || mine != free || mine != 38 {
		t.Fatalf("generator %d (%v), package function %d (%v)", mine, err1, free, err2)
	}

	for _, c := range []struct {
		name   string
		unix   int64
		period time.Duration
	}{
		{"period 0", 60, 0},
		{"period 3601 s", 60, 3601 * time.Second},
		{"period 2^32+30 s", 60, (1<<32 + 30) * time.Second},
		{"negative period", 60, -30 * time.Second},
		{"period 1.5 s", 60, 1500 * time.Millisecond},
		{"negative time", -1, 30 * time.Second},
	} {
		got, err := docspace.SecondsRemaining(time.Unix(c.unix, 0), c.period)
		if got != 0 {
			t.Errorf("%s: %d with an error", c.name, got)
		}
		if e := wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument); e.Message == "" {
			t.Errorf("%s: no message", c.name)
		}
	}
	_, err = docspace.SecondsRemaining(time.Unix(60, 0), 3601*time.Second)
	if !strings.Contains(err.Error(), "between 1 and 3600") {
		t.Errorf("period 3601 s: %v", err)
	}
}

// The emulator's current code for the linked user is what TOTP computes from its secret.
func TestTOTPMatchesEmulator(t *testing.T) {
	control(t, "POST", "reset", nil, nil)
	u := seedUser(t, "linked")
	var state struct {
		TotpNow string `json:"totp_now"`
	}
	control(t, "GET", "users/"+u.Email, nil, &state)
	if _, ok, err := docspace.VerifyTOTP(*u.TotpSecret, state.TotpNow, time.Now(), 1); err != nil || !ok {
		t.Fatalf("the emulator's code does not verify: %t, %v", ok, err)
	}
}
