package fakeonprem

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/pki"
)

// opensslSTARTTLS runs spec/interop.md's s_client line against a real listener address and
// returns its output (stdout and stderr) and exit error.
func opensslSTARTTLS(t testing.TB, addr string) (string, error) {
	t.Helper()
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("interop: openssl is not installed; run `apt-get install openssl` (.ci/run does) to run this test")
	}
	cmd := exec.Command(openssl, "s_client", "-connect", addr, "-starttls", "smtp", "-name", exoOutHost, "-crlf")
	cmd.Stdin = strings.NewReader("QUIT\r\n")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	return out.String(), err
}

// servedCertificate is the certificate s_client printed under "Server certificate".
func servedCertificate(t testing.TB, out string) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode([]byte(out[strings.Index(out, "-----BEGIN CERTIFICATE-----"):]))
	if block == nil {
		t.Fatalf("openssl printed no certificate:\n%s", out)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// lines splits output into lines without their ends.
func lines(out string) []string { return strings.Split(strings.ReplaceAll(out, "\r\n", "\n"), "\n") }

// TestOpenSSLSeesSelectedCertificate is the issue's done-when: openssl s_client -starttls smtp
// against the Default Frontend's real socket sees the certificate the rules chose (the
// renewal, newest NotAfter, over the older certificate with the same name); after
// Set-ReceiveConnector names a certificate that is not in the store, openssl finds no STARTTLS
// and event 12014 is logged (F01).
func TestOpenSSLSeesSelectedCertificate(t *testing.T) {
	l := newLab(t)
	old := l.issue(pki.Request{Profile: pki.Trusted})
	renewed := l.issue(pki.Request{Profile: pki.RenewedSameName})
	gone := l.issue(pki.Request{Profile: pki.RenewedNewIssuer})
	cfg := contoso()
	cfg.Servers[0].Certificates = []ExchangeCertificate{{Certificate: old, Services: SMTP}, {Certificate: renewed, Services: SMTP}}
	cfg.ReceiveConnectors = hybridFrontend(old.TlsCertificateName().String())
	o := l.start(cfg)
	var addr string
	for _, ep := range o.Endpoints() {
		if ep.Connector == "Default Frontend EX01" {
			addr = ep.Real.String()
		}
	}

	out, err := opensslSTARTTLS(t, addr)
	if err != nil {
		t.Fatalf("openssl s_client: %v\n%s", err, out)
	}
	served := servedCertificate(t, out)
	if got, want := pki.Thumbprint(served)+" "+pki.SubjectName(served), renewed.Thumbprint()+" "+renewed.Subject(); got != want {
		t.Errorf("openssl saw %s, want %s", got, want)
	}
	subject := "subject=C = US, ST = location, L = location, O = contoso, OU = IT, CN = mail.contoso.com"
	if !slices.Contains(lines(out), subject) {
		t.Errorf("openssl output has no line %q:\n%s", subject, out)
	}

	if err := o.SetReceiveConnector(`EX01\Default Frontend EX01`, func(c *ReceiveConnector) {
		c.TlsCertificateName = gone.TlsCertificateName().String()
	}); err != nil {
		t.Fatal(err)
	}
	out, err = opensslSTARTTLS(t, addr)
	if err == nil {
		t.Errorf("openssl s_client succeeded without STARTTLS:\n%s", out)
	}
	// OpenSSL 3 words it so (spec/interop.md quotes the first part) and goes on to fail.
	if line := "Didn't find STARTTLS in server response, trying anyway..."; !slices.Contains(lines(out), line) {
		t.Errorf("openssl output has no line %q:\n%s", line, out)
	}
	want := []Event{want12014(gone.TlsCertificateName().String(), "Default Frontend EX01", "ex01.contoso.com")}
	if diff := cmp.Diff(want, events(t, o, "EX01")); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
