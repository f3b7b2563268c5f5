package fakeonprem

import (
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/pki"
)

const (
	frontend = "ex01.contoso.com:25"
	banner   = "220 ex01.contoso.com Microsoft ESMTP MAIL Service ready at Mon, 5 Jan 2026 09:00:00 +0000"
	// ehloFrontend is the Default Frontend's EHLO reply to EXO (S14's list, S4's lines).
	ehloFrontend = "250-ex01.contoso.com Hello [198.51.100.20]\n250-SIZE 37748736\n250-PIPELINING\n250-DSN\n" +
		"250-ENHANCEDSTATUSCODES\n250-STARTTLS\n250-X-ANONYMOUSTLS\n250-AUTH NTLM\n250-X-EXPS GSSAPI NTLM\n" +
		"250-8BITMIME\n250-BINARYMIME\n250-CHUNKING\n250-SMTPUTF8\n250 XRDST"
	// ehloNoStartTLS is the same without STARTTLS (F01, F04).
	ehloNoStartTLS = "250-ex01.contoso.com Hello [198.51.100.20]\n250-SIZE 37748736\n250-PIPELINING\n250-DSN\n" +
		"250-ENHANCEDSTATUSCODES\n250-X-ANONYMOUSTLS\n250-AUTH NTLM\n250-X-EXPS GSSAPI NTLM\n" +
		"250-8BITMIME\n250-BINARYMIME\n250-CHUNKING\n250-SMTPUTF8\n250 XRDST"
)

// event12014 renders the expected 12014 of the Default Frontend for a name.
func want12014(name, connector, fqdn string) Event {
	return Event{TimeCreated: pki.DefaultTime, MachineName: "ex01.contoso.com", Source: "MSExchangeFrontEndTransport",
		EventID: 12014, TaskCategory: "TransportService", Level: "Error",
		Message: "Microsoft Exchange could not find a certificate that contains the domain name " + name +
			" in the personal store on the local computer. Therefore, it is unable to support the STARTTLS SMTP verb for the connector " +
			connector + " with a FQDN parameter of " + fqdn + ". If the connector's FQDN is not specified, the computer's FQDN is used. Verify the connector configuration and the installed certificates to make sure that there is a certificate with a domain name for that FQDN. If this certificate exists, run Enable-ExchangeCertificate -Services SMTP to make sure that the Microsoft Exchange Transport service has access to the certificate key."}
}

// hybridFrontend returns the HCW's Default Frontend of EX01 naming cert.
func hybridFrontend(name string) []ReceiveConnector {
	rcs := DefaultReceiveConnectors(Server{Name: "EX01", Fqdn: "ex01.contoso.com", Role: RoleMailbox})
	rcs[0] = HybridReceiveConnector(rcs[0], name)
	return rcs
}

func events(t testing.TB, o *Organization, server string) []Event {
	t.Helper()
	ev, err := o.GetEventLog(server)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func logLines(t testing.TB, o *Organization, server string) []string {
	t.Helper()
	o.WaitIdle()
	recs, err := o.ProtocolLog(server, "")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		out = append(out, r.String())
	}
	return out
}

// TestInboundSTARTTLS: what the Default Frontend offers EXO, which certificate chain it
// presents, and the events, for each documented case (F01, F02, F04, F05, F06, hybrid).
func TestInboundSTARTTLS(t *testing.T) {
	l := newLab(t)
	c := newCerts(l)
	internalRoot, _ := l.pki.Authority(pki.InternalRootCA)
	publicChain := []string{"CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US", pki.PublicIssuingCA, pki.PublicRootCA}
	tests := []struct {
		name  string
		store []*pki.Certificate
		roots []*x509.Certificate
		// intermediates is Cert:\LocalMachine\CA; nil: what the PKI says on-prem has.
		intermediates []*x509.Certificate
		rcName        *pki.Certificate // HCW TlsCertificateName; nil: the default connectors
		ehlo          string
		chain         []string // nil: no STARTTLS
		events        []Event
	}{
		{name: "SelfSignedByServerFQDNF02", ehlo: ehloFrontend, chain: []string{"CN=EX01"}},
		{name: "HybridCertificateWithChainAndRoot", store: []*pki.Certificate{c.trusted}, rcName: c.trusted,
			ehlo: ehloFrontend, chain: publicChain},
		{name: "StaleTlsCertificateNameF01", store: []*pki.Certificate{c.newIssuer}, rcName: c.trusted, ehlo: ehloNoStartTLS,
			events: []Event{want12014(c.trusted.TlsCertificateName().String(), "Default Frontend EX01", "ex01.contoso.com")}},
		{name: "IssuingCANotInStoreF05", store: []*pki.Certificate{c.trusted}, rcName: c.trusted, intermediates: []*x509.Certificate{},
			ehlo: ehloFrontend, chain: publicChain[:1]},
		{name: "LeafOnlyProfileWithItsCAInStore", store: []*pki.Certificate{l.issue(pki.Request{Profile: pki.LeafOnly})}, rcName: c.trusted,
			ehlo: ehloFrontend, chain: publicChain},
		{name: "InternalCAPresentsItsRoot", store: []*pki.Certificate{c.internalCA}, rcName: c.internalCA, ehlo: ehloFrontend,
			chain: []string{"CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US", pki.InternalRootCA}},
		{name: "RootNotTrustedF04", store: []*pki.Certificate{c.trusted}, rcName: c.trusted, roots: []*x509.Certificate{internalRoot.Cert},
			ehlo: ehloNoStartTLS, events: []Event{want12014(c.trusted.TlsCertificateName().String(), "Default Frontend EX01", "ex01.contoso.com")}},
		{name: "RevokedF04", store: []*pki.Certificate{c.revoked}, rcName: c.revoked, ehlo: ehloNoStartTLS,
			events: []Event{want12014(c.revoked.TlsCertificateName().String(), "Default Frontend EX01", "ex01.contoso.com")}},
		{name: "ExpiredStillOfferedF06", store: []*pki.Certificate{c.expired}, rcName: c.expired, ehlo: ehloFrontend,
			chain: publicChain, events: []Event{{TimeCreated: pki.DefaultTime, MachineName: "ex01.contoso.com",
				Source: "MSExchangeFrontEndTransport", EventID: 12016, TaskCategory: "TransportService", Level: "Warning",
				Message: "There is no valid SMTP Transport Layer Security (TLS) certificate for the FQDN of ex01.contoso.com. The existing certificate for that FQDN has expired. The continued use of that FQDN will cause mail flow problems. A new certificate that contains the FQDN of ex01.contoso.com should be installed on this server as soon as possible. You can create a new certificate by using the New-ExchangeCertificate task."}}},
		{name: "ExpiresSoonF26", store: []*pki.Certificate{c.expiring}, rcName: c.expiring, ehlo: ehloFrontend, chain: publicChain,
			events: []Event{{TimeCreated: pki.DefaultTime, MachineName: "ex01.contoso.com", Source: "MSExchangeFrontEndTransport",
				EventID: 12018, TaskCategory: "TransportService", Level: "Warning",
				Message: "The STARTTLS certificate will expire soon: subject: CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US, thumbprint: " +
					c.expiring.Thumbprint() + ", hours remaining: 240. Run the New-ExchangeCertificate cmdlet to create a new certificate."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.fork(t)
			cfg := contoso()
			for _, cert := range tt.store {
				cfg.Servers[0].Certificates = append(cfg.Servers[0].Certificates, ExchangeCertificate{Certificate: cert, Services: SMTP})
			}
			if tt.roots != nil {
				cfg.Servers[0].TrustedRoots = tt.roots
			}
			if tt.intermediates != nil {
				cfg.Servers[0].Intermediates = tt.intermediates
			}
			if tt.rcName != nil {
				cfg.ReceiveConnectors = hybridFrontend(tt.rcName.TlsCertificateName().String())
			}
			o := l.start(cfg)
			c := l.dialRaw(exoOutHost, frontend)
			got := []string{c.reply(), c.cmd("EHLO " + exoOutHost)}
			want := []string{banner, tt.ehlo}
			var chain []string
			if tt.chain != nil {
				got = append(got, c.cmd("STARTTLS"))
				want = append(want, "220 2.0.0 SMTP server ready")
				chain = c.startTLS(nil)
			}
			c.cmd("QUIT")
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("replies (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.chain, chain); diff != "" {
				t.Errorf("presented chain (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.events, events(t, o, "EX01")); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReceiveLogCertificateBlock: the receive log of a STARTTLS session shows the certificate
// block after the 220 2.0.0 (§10), whole lines (F02: the self-signed CN=EX01).
func TestReceiveLogCertificateBlock(t *testing.T) {
	l := newLab(t)
	o := l.start(contoso())
	setup, err := o.GetExchangeCertificate("EX01", "")
	if err != nil {
		t.Fatal(err)
	}
	c := l.dialRaw(exoOutHost, frontend)
	c.reply()
	c.cmd("EHLO " + exoOutHost)
	c.cmd("STARTTLS")
	c.startTLS(nil)
	c.cmd("QUIT")
	cert := setup[0].Certificate
	const pre = `2026-01-05T09:00:00.000Z,EX01\Default Frontend EX01,`
	sid := sessionOf(t, o, "EX01", 0)
	ep := ",203.0.113.10:25,198.51.100.20:49152,"
	line := func(seq int, rest string) string { return fmt.Sprintf("%s%s,%d%s%s", pre, sid, seq, ep, rest) }
	want := []string{
		line(0, "+,,"),
		line(1, `>,"`+banner+`",`),
		line(2, "<,EHLO "+exoOutHost+","),
		line(3, ">,250 ex01.contoso.com Hello [198.51.100.20] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS X-ANONYMOUSTLS AUTH NTLM X-EXPS GSSAPI NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST,"),
		line(4, "<,STARTTLS,"),
		line(5, ">,220 2.0.0 SMTP server ready,"),
		line(6, "*,,Sending certificate"),
		line(7, "*,CN=EX01,Certificate subject"),
		line(8, "*,CN=EX01,Certificate issuer name"),
		line(9, "*,"+cert.SerialNumber()+",Certificate serial number"),
		line(10, "*,"+cert.Thumbprint()+",Certificate thumbprint"),
		line(11, "*,EX01;ex01.contoso.com,Certificate alternate names"),
		line(12, "<,QUIT,"),
		line(13, ">,221 2.0.0 Service closing transmission channel,"),
		line(14, "-,,Local"),
	}
	if diff := cmp.Diff(want, logLines(t, o, "EX01")); diff != "" {
		t.Errorf("receive log (-want +got):\n%s", diff)
	}
}

// sessionOf returns the id of the server's n-th SMTP session in its protocol log.
func sessionOf(t testing.TB, o *Organization, server string, n int) string {
	t.Helper()
	o.WaitIdle()
	recs, err := o.ProtocolLog(server, "")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range recs {
		if !slices.Contains(ids, r.SessionID) {
			ids = append(ids, r.SessionID)
		}
	}
	if n >= len(ids) {
		t.Fatalf("%s has %d sessions, want at least %d", server, len(ids), n+1)
	}
	return ids[n]
}

// TestUnknownCredentialsOnReceive: conflict C1. By default a certificate matched by
// TlsCertificateName but not enabled for SMTP is chosen and the handshake fails (S1's note,
// S14); under the Always reading it is skipped: no STARTTLS, 12014 (S1's list, S7).
func TestUnknownCredentialsOnReceive(t *testing.T) {
	l := newLab(t)
	cert := l.issue(pki.Request{Profile: pki.Trusted})
	tests := []struct {
		name   string
		option SMTPEligibility
		ehlo   string
		log    []string // the records after EHLO's reply, data and context only
		events []Event
	}{
		{name: "Default", ehlo: ehloFrontend, log: []string{
			"<,STARTTLS,", ">,220 2.0.0 SMTP server ready,", "*,,Sending certificate",
			"*,\"CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US\",Certificate subject",
			"*,\"" + pki.PublicIssuingCA + "\",Certificate issuer name", "*," + cert.SerialNumber() + ",Certificate serial number",
			"*," + cert.Thumbprint() + ",Certificate thumbprint", "*,mail.contoso.com;autodiscover.contoso.com,Certificate alternate names",
			"*,,TLS negotiation failed with error UnknownCredentials", "-,,Local"}},
		{name: "SMTPEligibilityAlways", option: SMTPEligibilityAlways, ehlo: ehloNoStartTLS, log: []string{"<,QUIT,", ">,221 2.0.0 Service closing transmission channel,", "-,,Local"},
			events: []Event{want12014(cert.TlsCertificateName().String(), "Default Frontend EX01", "ex01.contoso.com")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.fork(t)
			cfg := contoso()
			cfg.Options.SMTPEligibility = tt.option
			cfg.Servers[0].Certificates = []ExchangeCertificate{{Certificate: cert, Services: IIS}}
			cfg.ReceiveConnectors = hybridFrontend(cert.TlsCertificateName().String())
			o := l.start(cfg)
			c := l.dialRaw(exoOutHost, frontend)
			c.reply()
			if got := c.cmd("EHLO " + exoOutHost); got != tt.ehlo {
				t.Errorf("EHLO = %q, want %q", got, tt.ehlo)
			}
			if tt.option != SMTPEligibilityDefault {
				c.cmd("QUIT")
			} else {
				c.cmd("STARTTLS")
				if err := c.tryTLS(); err == nil {
					t.Errorf("the handshake with a certificate not enabled for SMTP succeeded")
				}
			}
			lines := logLines(t, o, "EX01")
			var tail []string
			for _, ln := range lines[4:] {
				_, rest, _ := strings.Cut(ln, ",203.0.113.10:25,198.51.100.20:49152,")
				tail = append(tail, rest)
			}
			if diff := cmp.Diff(tt.log, tail); diff != "" {
				t.Errorf("receive log after EHLO (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.events, events(t, o, "EX01")); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}
