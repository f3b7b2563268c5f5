package control

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/internal/smtpd"
)

// TestSessionCertificates reads the certificates of protocol logs in both
// forms: the one record (with distinguished names full of spaces and
// commas, and with no alternate names) and the older builds' blocks; a
// session without certificates has none.
func TestSessionCertificates(t *testing.T) {
	const pre = `2026-01-05T09:00:00.002Z,EX01\Default Frontend EX01,08DE4BC375C8F801,`
	line := func(seq, data, context string) string {
		if strings.ContainsAny(data, `,"`) {
			data = `"` + strings.ReplaceAll(data, `"`, `""`) + `"`
		}
		return pre + seq + ",203.0.113.10:25,198.51.100.50:49152,*," + data + "," + context
	}
	contoso := &loggedCertificate{
		Subject:    "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US",
		Issuer:     "CN=Hybridsim TLS Issuing CA 1, OU=Simulated PKI, O=Hybridsim Certificate Provider, C=US",
		Serial:     "4853B78DB5E1FD76101BCDBB9132007D",
		Thumbprint: "630621D440D0680126CE78C1D468E3CAED7DF1F5",
		NotBefore:  "2025-07-09T00:00:00.000Z",
		NotAfter:   "2026-07-08T23:59:59.000Z",
		Domains:    []string{"mail.contoso.com", "autodiscover.contoso.com"},
	}
	cloud := &loggedCertificate{
		Subject:    "CN=mail.protection.outlook.com, O=Microsoft Corporation, L=Redmond, S=Washington, C=US",
		Issuer:     "CN=Hybridsim Cloud TLS Issuing CA 1, OU=Simulated Microsoft PKI, O=Hybridsim Cloud Provider, C=US",
		Serial:     "48530F4BF1A844CD9A3111BD5766A15A",
		Thumbprint: "38DFF0E9EF6C6C813B329AA79BFFCE985AF2EB08",
		NotBefore:  "2025-11-06T00:00:00.000Z",
		NotAfter:   "2026-11-05T23:59:59.000Z",
	}
	record := func(c *loggedCertificate) string {
		return " " + strings.Join([]string{c.Subject, c.Issuer, c.Serial, c.Thumbprint, c.NotBefore, c.NotAfter, strings.Join(c.Domains, ";")}, " ")
	}
	tests := []struct {
		name         string
		lines        []string
		sent, remote *loggedCertificate
	}{
		{name: "one record each, the peer's without alternate names", lines: []string{
			line("5", "", "Sending certificate"), // not a block: the one record follows
			line("6", record(contoso), smtpd.SendingCertificateRecord),
			line("8", record(cloud), smtpd.RemoteCertificateRecord),
			line("10", "", "Client certificate chain validation status: 'Valid'"),
		}, sent: contoso, remote: cloud},
		{name: "Exchange's own sample (real-artifacts §1.7)", lines: []string{
			`2023-01-11T15:59:56.232Z,SERVER-HOSTNAME\Default Frontend SERVER-HOSTNAME,123453EC62278461,6,10.10.10.10:25,95.10.20.33:56026,*, CN=SERVER-HOSTNAME CN=SERVER-HOSTNAME 12DEABC6565646512346ABDC13456894 12DEABC6565646512346ABDC1345689413589876 2020-01-17T15:15:33.000Z 2025-01-17T15:15:33.000Z SERVER-HOSTNAME;SERVER-HOSTNAME.DOMAIN.TEST,Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names`,
		}, sent: &loggedCertificate{Subject: "CN=SERVER-HOSTNAME", Issuer: "CN=SERVER-HOSTNAME", Serial: "12DEABC6565646512346ABDC13456894",
			Thumbprint: "12DEABC6565646512346ABDC1345689413589876", NotBefore: "2020-01-17T15:15:33.000Z", NotAfter: "2025-01-17T15:15:33.000Z",
			Domains: []string{"SERVER-HOSTNAME", "SERVER-HOSTNAME.DOMAIN.TEST"}}},
		{name: "the older builds' blocks", lines: []string{
			line("6", "", "Sending certificate"),
			line("7", contoso.Subject, "Certificate subject"),
			line("8", contoso.Issuer, "Certificate issuer name"),
			line("9", contoso.Serial, "Certificate serial number"),
			line("10", contoso.Thumbprint, "Certificate thumbprint"),
			line("11", strings.Join(contoso.Domains, ";"), "Certificate alternate names"),
			line("12", "", "Received certificate"),
			line("13", cloud.Thumbprint, "Certificate thumbprint"),
		}, sent: &loggedCertificate{Subject: contoso.Subject, Issuer: contoso.Issuer, Serial: contoso.Serial, Thumbprint: contoso.Thumbprint, Domains: contoso.Domains},
			remote: &loggedCertificate{Thumbprint: cloud.Thumbprint}},
		{name: "no certificate", lines: []string{
			line("1", "", "Client certificate chain validation status: 'Valid'"),
			line("2", "not a certificate", smtpd.SendingCertificateRecord),
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sent, remote := sessionCertificates(strings.Join(tc.lines, "\n") + "\n")
			if diff := cmp.Diff(tc.sent, sent); diff != "" {
				t.Errorf("sent certificate (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.remote, remote); diff != "" {
				t.Errorf("remote certificate (-want +got):\n%s", diff)
			}
		})
	}
}
