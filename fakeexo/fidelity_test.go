package fakeexo

import (
	"crypto/tls"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hybridsim/hybridsim/internal/fidelity"
	"github.com/hybridsim/hybridsim/pki"
)

// Fidelity tests of Exchange Online's artifacts against the real samples of
// real-artifacts.md (the spec's reference), section by section: the sample,
// the template abstracting only what the reference marks as varying, and the
// lab's string (internal/fidelity).

// eopBracketTemplate is §4.1's closing bracket: host, time, id.
const eopBracketTemplate = "[{text}.eop-{text}.prod.protection.outlook.com {time} {sid}]"

// ledOf is the LED inside a trace Reason.
func ledOf(reason string) string {
	_, led, _ := strings.Cut(reason, "{LED=")
	led, _, _ = strings.Cut(led, "};{MSG=")
	return led
}

// TestFidelityExpiredCertificate: §4.1, §4.2 and §4.3 through a delivery to a server that
// presents an expired certificate.
func TestFidelityExpiredCertificate(t *testing.T) {
	tenant := contoso()
	tenant.OutboundConnectors[0].TlsSettings = DomainValidation
	lab := newLab(t, Config{Tenants: []Tenant{tenant}})
	lab.newOnPrem(pki.Expired)
	if _, err := lab.svc.Submit("adele@contoso.com", []string{"kate@contoso.com"}, "fidelity"); err != nil {
		t.Fatal(err)
	}
	lab.runDue()
	details := lab.details("contoso", "kate@contoso.com")
	got := ledOf(details[len(details)-1].Detail)
	const sample = "450 4.4.317 Cannot connect to remote server [Message=CertificateExpired Expected Subject: email.domain.com. Presented Subject: CN=email.domain.com. Thumbprint: 94E711DD84BC285CD2911DAC3D0C9E3ABB29671E.] [LastAttemptedServerName=email.domain.com] [LastAttemptedIP=x.147.128.25:25] [SmtpSecurity=-1;-1] [DM6NAM11FT035.eop-nam11.prod.protection.outlook.com 2025-01-04T16:37:07.429Z 08DD2CB85E2FE9DB]"
	// Varies: names, the address (the source redacts it: x.147...), the thumbprint, the bracket.
	const template = "450 4.4.317 Cannot connect to remote server [Message=CertificateExpired Expected Subject: {host}. Presented Subject: {text}. Thumbprint: {hex}.] [LastAttemptedServerName={host}] [LastAttemptedIP={text}:25] [SmtpSecurity=-1;-1] " + eopBracketTemplate
	if err := fidelity.Check(template, sample, got); err != nil {
		t.Errorf("real-artifacts §4.3: %v", err)
	}
}

// TestFidelityTLSNegotiationFailed: §4.2 and §4.4, a TLS failure's LED.
func TestFidelityTLSNegotiationFailed(t *testing.T) {
	lab := newLab(t, Config{Tenants: []Tenant{contoso()}})
	out := sessionFailure(errors.New("tls: handshake failure"), outcome{})
	got := lab.svc.led(out.fail, "mail.contoso.com", "203.0.113.10", pki.DefaultTime, "08DE4BBB14049000")
	const sample = "450 4.4.317 Cannot connect to remote server [Message=451 4.4.0 TLS negotiation failed with error ConnectionAborted] [LastAttemptedServerName=email.domain.com] [LastAttemptedIP=x.147.128.25:25] [SmtpSecurity=-2;-2] [CO1NAM11FT009.eop-nam11.prod.protection.outlook.com 2025-01-08T20:32:00.975Z 08DD2F9B58D61006]"
	const template = "450 4.4.317 Cannot connect to remote server [Message=451 4.4.0 TLS negotiation failed with error {text}] [LastAttemptedServerName={host}] [LastAttemptedIP={text}:25] [SmtpSecurity=-2;-2] " + eopBracketTemplate
	if err := fidelity.Check(template, sample, got); err != nil {
		t.Errorf("real-artifacts §4.4: %v", err)
	}
}

// TestFidelityEstablishSessionWording: §4.5, the 2026 wording as an option (the sample is
// cut by its source after the [Message=] element).
func TestFidelityEstablishSessionWording(t *testing.T) {
	lab := newLab(t, Config{Tenants: []Tenant{contoso()}, EstablishSessionWording: true})
	led := lab.svc.led(newFailure(ledCannotConnect, detailStartTLSRequired), "mail.contoso.com", "203.0.113.10", pki.DefaultTime, "08DE4BBB14049000")
	got, _, _ := strings.Cut(led, "] ")
	const sample = "450 4.4.317 Cannot establish session with remote server [Message=451 5.7.3 STARTTLS is required to send mail"
	if err := fidelity.Check(sample, sample, got); err != nil {
		t.Errorf("real-artifacts §4.5: %v", err)
	}
}

// TestFidelityReplies: §3.2's queued reply (the source cuts it after "deli"), §3.3's DBEB
// refusal and §4.7's trace detail.
func TestFidelityReplies(t *testing.T) {
	lab := newLab(t, Config{Tenants: []Tenant{contoso()}})
	queued := lab.svc.queuedReply("<20230706070639.614B41E0008A@fr1-prod-mailer.shuttle-cloud.com>", 11251, 64*time.Millisecond).String()
	queued = queued[:strings.Index(queued, "Queued mail for deli")+len("Queued mail for deli")]
	dbeb := dbebRefusal(lab.svc.cfg.Hostname, pki.DefaultTime, "08DE4BBB14049000").String()
	received := "Message received by: " + lab.svc.mailboxHost() + " using " + tlsDetail(tls.VersionTLS12, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)
	tests := []struct {
		section, template, sample, got string
	}{
		{section: "§3.2", template: "250 2.6.0 {id} [InternalId={n}, Hostname={text}PR{n}MB{n}.{text}prd{n}.prod.outlook.com] {n} bytes in {dec}, {dec} KB/sec Queued mail for deli",
			sample: "250 2.6.0 <20230706070639.614B41E0008A@fr1-prod-mailer.shuttle-cloud.com> [InternalId=901943135827, Hostname=DB5PR07MB9516.eurprd07.prod.outlook.com] 11251 bytes in 0.064, 171.566 KB/sec Queued mail for deli",
			got:    queued},
		{section: "§3.3", template: "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) " + eopBracketTemplate,
			sample: "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR01FT088.eop-EUR01.prod.protection.outlook.com 2023-06-22T08:26:31.592Z 08DB72B25E50380B]",
			got:    dbeb},
		{section: "§3.4", template: "550 5.7.64 TenantAttribution; Relay Access Denied [{text}.eop-{text}.prod.protection.outlook.com]",
			// QA-304252's NDR line without the NDR's `#` and ` ##` framing.
			sample: "550 5.7.64 TenantAttribution; Relay Access Denied [AM5EUR02FT025.eop-EUR02.prod.protection.outlook.com]",
			got:    relayDenied(lab.svc.cfg.Hostname).String()},
		{section: "§4.7", template: "Message received by: {text}PR{n}MB{n}.{text}prd{n}.prod.outlook.com using TLS1.2 with AES256",
			sample: "Message received by: MWHPR14MB1808.namprd14.prod.outlook.com using TLS1.2 with AES256", got: received},
	}
	for _, tt := range tests {
		if err := fidelity.Check(tt.template, tt.sample, tt.got); err != nil {
			t.Errorf("real-artifacts %s: %v", tt.section, err)
		}
	}
}
