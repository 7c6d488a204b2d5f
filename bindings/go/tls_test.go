package docspace_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	docspace "github.com/docspace-auth/docspace-auth/bindings/go"
)

// writeTestPKI writes a CA and a localhost certificate it signed into dir and returns the
// paths of the CA certificate, the server certificate and the server key.
func writeTestPKI(t *testing.T, dir string) (caFile, certFile, keyFile string) {
	t.Helper()
	newKey := func() *ecdsa.PrivateKey {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return key
	}
	write := func(name, kind string, der []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	now := time.Now()
	caKey, serverKey := newKey(), newKey()
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "docspace-auth test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	server := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	serverDER, err := x509.CreateCertificate(rand.Reader, server, ca, &serverKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(serverKey)
	if err != nil {
		t.Fatal(err)
	}
	return write("ca.pem", "CERTIFICATE", caDER), write("server.pem", "CERTIFICATE", serverDER), write("server.key", "PRIVATE KEY", keyDER)
}

// An HTTPS emulator with a private CA: refused by default, trusted through CAPEM or CAFile.
func TestTLSWithPrivateCA(t *testing.T) {
	caFile, certFile, keyFile := writeTestPKI(t, t.TempDir())
	url, stop, err := startEmulator("--tls-cert", certFile, "--tls-key", keyFile)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	u := seedUser(t, "no_tfa")

	t.Run("untrusted certificate", func(t *testing.T) {
		c, err := docspace.NewClient(url, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, err = c.Login(u.Email, u.Password)
		wantKind(t, err, docspace.KindTLS, docspace.ErrTLS)
	})

	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	for name, opts := range map[string]*docspace.Options{
		"CAPEM":  {CAPEM: string(caPEM), UserAgent: "docspace-go-test/1.0", NoProxy: true, MaxResponseBytes: 1 << 20},
		"CAFile": {CAFile: caFile, ConnectTimeout: 5 * time.Second, Timeout: 10 * time.Second},
	} {
		c, err := docspace.NewClient(url, opts)
		if err != nil {
			t.Fatalf("%s: NewClient: %v", name, err)
		}
		outcome, err := c.Login(u.Email, u.Password)
		if err != nil {
			t.Fatalf("%s: Login: %v", name, err)
		}
		outcome.(*docspace.Authenticated).Session.Close()
		c.Close()
	}

	for name, opts := range map[string]*docspace.Options{
		"PEM that is no certificate": {CAPEM: "not a certificate"},
		"User-Agent with a control":  {UserAgent: "app/1\x01"},
	} {
		_, err := docspace.NewClient(url, opts)
		if err == nil {
			t.Fatalf("%s: NewClient succeeded", name)
		}
		wantKind(t, err, docspace.KindInvalidArgument, docspace.ErrInvalidArgument)
	}
}
