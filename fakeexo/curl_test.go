package fakeexo

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/pki"
)

// longLivedEXOCertificate is EXO's certificate re-issued by the same
// Microsoft issuing CA for the CA's whole validity: curl checks the server's
// certificate against the wall clock, which the lab's clock is not, and the
// catalogue's EXO certificate is valid for one year around pki.DefaultTime.
// It comes from a PKI of its own, so the shared one issues nothing new.
func longLivedEXOCertificate(t testing.TB) *pki.Certificate {
	t.Helper()
	p, err := pki.New(pki.Options{At: pki.DefaultTime})
	if err != nil {
		t.Fatal(err)
	}
	ca, err := p.Authority(pki.MicrosoftIssuingCA)
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.Issue(pki.Request{Issuer: pki.MicrosoftIssuingCA, Subject: pki.EXOSubject,
		DNSNames:  []string{"mail.protection.outlook.com", "*.mail.protection.outlook.com"},
		NotBefore: ca.Cert.NotBefore, NotAfter: ca.Cert.NotAfter})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// writeFile writes data into dir and returns the path.
func writeFile(t testing.TB, dir, name string, data ...[]byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, bytes.Join(data, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCurl sends to the front door with curl (spec/interop.md), presenting a
// client certificate of the pki's catalogue: 250 and the message in the
// cloud mailbox when the certificate matches the OnPremises connector's
// TlsSenderCertificateName and its domain is accepted, the documented
// refusal otherwise: every server line of curl's verbose output, whole.
func TestCurl(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("interop: curl is not installed; run `apt-get install curl` (.ci/run does) to run this test")
	}
	tests := []struct {
		name    string
		tenant  func(Tenant) Tenant
		profile pki.Profile
		rcpt    string
		want    string // the RCPT refusal, whole; "" when delivered
	}{
		{name: "Delivered", profile: pki.Trusted, rcpt: "adele@contoso.com"},
		{name: "DeliveredWildcardCertificate", profile: pki.Wildcard, rcpt: "adele@contoso.com"},
		{name: "TenantAttribution", profile: pki.WrongHost, rcpt: "bob@fabrikam.net",
			want: relayDeniedWire},
		{name: "ATTR36", profile: pki.Trusted, rcpt: "bob@fabrikam.net",
			tenant: func(t Tenant) Tenant { t.InboundConnectors[0].TlsSenderCertificateName = "mail.contoso.com"; return t },
			want:   "550 5.7.64 Relay Access Denied ATTR36. For more details please refer to KB 3169958."},
		{name: "PartnerRestricted", profile: pki.WrongHost, rcpt: "adele@contoso.com",
			tenant: func(t Tenant) Tenant {
				t.InboundConnectors = append(t.InboundConnectors, InboundConnector{Name: "Contoso partner", ConnectorType: Partner,
					SenderDomains: []string{"contoso.com"}, TlsSenderCertificateName: "*.contoso.com", RestrictDomainsToCertificate: true, Enabled: true})
				return t
			},
			want: "550 5.7.51 TenantInboundAttribution; There is a partner connector configured that matched the message's recipient domain. " +
				"The connector had either the RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set " +
				"[SIM1EUR01FT001.mail.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]"},
	}
	exo := longLivedEXOCertificate(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tenant := contoso()
			if tt.tenant != nil {
				tenant = tt.tenant(tenant)
			}
			lab := newLab(t, Config{Tenants: []Tenant{tenant}, Certificate: exo})
			dir := t.TempDir()
			cert, chain, key, err := lab.certs[tt.profile].PEM()
			if err != nil {
				t.Fatal(err)
			}
			trust := lab.pki.EXOTrust()
			_, port, _ := net.SplitHostPort(lab.svc.Endpoints()[0].Real)
			cmd := exec.Command(curl, "--verbose", "--silent", "--show-error",
				"--url", "smtp://"+routingMX+":"+port+"/mail.contoso.com",
				"--resolve", routingMX+":"+port+":127.0.0.1", "--ssl-reqd",
				"--cacert", writeFile(t, dir, "exo.pem", trust.PEM()),
				"--cert", writeFile(t, dir, "cli.pem", cert, chain), "--key", writeFile(t, dir, "cli.key", key),
				"--mail-from", "kate@contoso.com", "--mail-rcpt", tt.rcpt,
				"--upload-file", writeFile(t, dir, "msg.eml", []byte("Subject: curl\r\n\r\nhi\r\n")))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err = cmd.Run()
			lab.svc.WaitIdle()
			var exit *exec.ExitError
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("curl: %v\n%s", err, stderr.String())
			case tt.want != "" && !(errors.As(err, &exit) && exit.ExitCode() == 55):
				t.Fatalf("curl exited %v, want 55 (RCPT refused)\n%s", err, stderr.String())
			}
			var server []string // what curl shows the server said: its "< " lines
			for _, line := range strings.Split(stderr.String(), "\n") {
				if reply, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), "< "); ok {
					server = append(server, reply)
				}
			}
			tail := []string{tt.want, "221 2.0.0 Service closing transmission channel"}
			if tt.want == "" {
				tail = []string{"250 2.1.5 Recipient OK", "354 Start mail input; end with <CRLF>.<CRLF>",
					"250 2.6.0 <08DE000000000001@SIM1EUR01FT001.mail.protection.outlook.com> [InternalId=901943135001, Hostname=SIMPR01MB0001.eurprd01.prod.outlook.com] 21 bytes in 0.006, 3.418 KB/sec Queued mail for delivery"}
				// curl sends QUIT after a delivery without showing the 221.
			}
			if diff := cmp.Diff(append(curlSession(), tail...), server); diff != "" {
				t.Errorf("server replies curl shows (-want +got):\n%s", diff)
			}
			if tt.want != "" {
				return
			}
			inbox, err := lab.svc.Mailbox("adele@contoso.com")
			if err != nil || len(inbox) != 1 {
				t.Fatalf("Mailbox(adele) = %d messages, %v; want curl's", len(inbox), err)
			}
			if got := inbox[0].Header(headerAuthAs); got != "Internal" {
				t.Errorf("X-MS-Exchange-Organization-AuthAs = %q, want Internal", got)
			}
		})
	}
}

// curlSession is the front door's side of curl's session up to MAIL FROM:
// banner, EHLO, STARTTLS, EHLO under TLS, Sender OK (curl connects from
// 127.0.0.1, outside the lab's simulated hosts).
func curlSession() []string {
	ehlo := func(tls bool) []string {
		lines := []string{"250-SIM1EUR01FT001.mail.protection.outlook.com Hello [127.0.0.1]", "250-SIZE 157286400", "250-PIPELINING",
			"250-DSN", "250-ENHANCEDSTATUSCODES"}
		if !tls {
			lines = append(lines, "250-STARTTLS")
		}
		return append(lines, "250-8BITMIME", "250-BINARYMIME", "250-CHUNKING", "250 SMTPUTF8")
	}
	out := []string{"220 SIM1EUR01FT001.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Mon, 5 Jan 2026 09:00:00 +0000 [08DE4BBB14049000]"}
	out = append(out, ehlo(false)...)
	out = append(out, "220 2.0.0 SMTP server ready")
	out = append(out, ehlo(true)...)
	return append(out, "250 2.1.0 Sender OK")
}
