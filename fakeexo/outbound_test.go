package fakeexo

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/pki"
)

// The trace details of the first delivery attempt to mail.contoso.com
// (203.0.113.10) at the lab's start, spelled out from §9's forms.
const (
	sentTLS13 = "Message sent to mail.contoso.com at 203.0.113.10 using TLS1.3 with AES128"
	sentPlain = "Message sent to mail.contoso.com at 203.0.113.10"

	deferStartTLS = "Reason: [{LED=450 4.4.317 Cannot connect to remote server [Message=451 5.7.3 STARTTLS is required to send mail] " +
		"[LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]};" +
		"{MSG=451 5.7.3 STARTTLS is required to send mail};{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/5/2026 9:00:00 AM}]. " +
		"OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com"
	deferUntrustedRoot = "Reason: [{LED=450 4.4.317 Cannot connect to remote server [Message=UntrustedRoot] " +
		"[LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SmtpSecurity=-1;-1] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]};" +
		"{MSG=UntrustedRoot};{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/5/2026 9:00:00 AM}]. " +
		"OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com"
	// real-artifacts §4.3's form (QA-2195248).
	deferExpired             = deferExpiredPrefix + "D2566405A0F4330F41362D9425C57DAB7AE469FD" + deferExpiredSuffix
	deferExpiredIntermediate = deferExpiredPrefix + "BE8D44DAB323E3414675E605598BE194C503B8C9" + deferExpiredSuffix
	deferExpiredPrefix       = "Reason: [{LED=450 4.4.317 Cannot connect to remote server [Message=CertificateExpired Expected Subject: mail.contoso.com. " +
		"Presented Subject: CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US. Thumbprint: "
	deferExpiredSuffix = ".] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SmtpSecurity=-1;-1] " +
		"[SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]};" +
		"{MSG=CertificateExpired};{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/5/2026 9:00:00 AM}]. " +
		"OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com"
	deferNotYetValid = "Reason: [{LED=450 4.7.320 Certificate validation failed [Message=CertificateNotYetValid] " +
		"[LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]};" +
		"{MSG=CertificateNotYetValid};{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/5/2026 9:00:00 AM}]. " +
		"OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com"
	deferRevoked = "Reason: [{LED=450 4.7.320 Certificate validation failed [Message=CertificateRevoked] " +
		"[LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]};" +
		"{MSG=CertificateRevoked};{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/5/2026 9:00:00 AM}]. " +
		"OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com"
	// S14's SubjectMismatch, for the wrong-host and the self-signed certificate.
	deferWrongHost = "Reason: [{LED=450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch Expected Subject: mail.contoso.com. " +
		"Presented Subject: CN=mail.fabrikam.com, OU=IT, O=fabrikam, L=location, S=location, C=US. Thumbprint: E77FAFDF8A32CBDCC76C00A46E625A1593ABA5F0.] " +
		"[LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SmtpSecurity=-1;-1] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]};" +
		"{MSG=SubjectMismatch};{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/5/2026 9:00:00 AM}]. " +
		"OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com"
	deferSelfSigned = "Reason: [{LED=450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch Expected Subject: mail.contoso.com. " +
		"Presented Subject: CN=EX01. Thumbprint: A39E150659B3E0261B13DC74C93F7E669348C86A.] " +
		"[LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.10:25] [SmtpSecurity=-1;-1] [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE4BBB14049000]};" +
		"{MSG=SubjectMismatch};{FQDN=mail.contoso.com};{IP=203.0.113.10};{LRT=1/5/2026 9:00:00 AM}]. " +
		"OutboundProxyTargetIP: 203.0.113.10. OutboundProxyTargetHostName: mail.contoso.com"
)

// TestTlsSettingsAgainstProfiles sends one message from a cloud mailbox to a
// mail user through the HCW's outbound connector with each TlsSettings value,
// to an on-prem server presenting each certificate of the pki's catalogue,
// and compares the trace detail of the attempt: SEND, or DEFER with the
// documented LED.
func TestTlsSettingsAgainstProfiles(t *testing.T) {
	tests := []struct {
		profile pki.Profile // names the case
		// want per TlsSettings: $null, EncryptionOnly, CertificateValidation, DomainValidation
		null, encryptionOnly, certificateValidation, domainValidation string
	}{
		{profile: pki.Trusted, null: sentTLS13, encryptionOnly: sentTLS13, certificateValidation: sentTLS13, domainValidation: sentTLS13},
		{profile: pki.Wildcard, null: sentTLS13, encryptionOnly: sentTLS13, certificateValidation: sentTLS13, domainValidation: sentTLS13},
		{profile: pki.InternalCA, null: sentTLS13, encryptionOnly: sentTLS13, certificateValidation: deferUntrustedRoot, domainValidation: deferUntrustedRoot},
		{profile: pki.UntrustedRoot, null: sentTLS13, encryptionOnly: sentTLS13, certificateValidation: deferUntrustedRoot, domainValidation: deferUntrustedRoot},
		{profile: pki.SelfSigned, null: sentTLS13, encryptionOnly: sentTLS13, certificateValidation: deferUntrustedRoot, domainValidation: deferSelfSigned},
		{profile: pki.Expired, null: sentTLS13, encryptionOnly: sentTLS13, certificateValidation: deferExpired, domainValidation: deferExpired},
		{profile: pki.NotYetValid, null: sentTLS13, encryptionOnly: sentTLS13, certificateValidation: deferNotYetValid, domainValidation: deferNotYetValid},
		{profile: pki.WrongHost, null: sentTLS13, encryptionOnly: sentTLS13, certificateValidation: sentTLS13, domainValidation: deferWrongHost},
		{profile: pki.NoCN, null: sentTLS13, encryptionOnly: sentTLS13, certificateValidation: sentTLS13, domainValidation: sentTLS13},
		{profile: pki.Revoked, null: sentTLS13, encryptionOnly: sentTLS13, certificateValidation: deferRevoked, domainValidation: deferRevoked},
		{profile: pki.LeafOnly, null: sentTLS13, encryptionOnly: sentTLS13, certificateValidation: deferUntrustedRoot, domainValidation: deferUntrustedRoot},
		{profile: pki.ExpiredIntermediate, null: sentTLS13, encryptionOnly: sentTLS13, certificateValidation: deferExpiredIntermediate, domainValidation: deferExpiredIntermediate},
		{profile: pki.RenewedSameName, null: sentTLS13, encryptionOnly: sentTLS13, certificateValidation: sentTLS13, domainValidation: sentTLS13},
		{profile: pki.RenewedNewIssuer, null: sentTLS13, encryptionOnly: sentTLS13, certificateValidation: sentTLS13, domainValidation: sentTLS13},
		{profile: pki.NoPrivateKey, null: sentPlain, encryptionOnly: deferStartTLS, certificateValidation: deferStartTLS, domainValidation: deferStartTLS},
	}
	for _, tt := range tests {
		for _, setting := range []struct {
			settings TlsAuthLevel
			want     string
		}{{"", tt.null}, {EncryptionOnly, tt.encryptionOnly}, {CertificateValidation, tt.certificateValidation}, {DomainValidation, tt.domainValidation}} {
			t.Run(string(tt.profile)+"/"+tlsSettingsName(setting.settings), func(t *testing.T) {
				tenant := contoso()
				tenant.OutboundConnectors[0].TlsSettings = setting.settings
				if setting.settings != DomainValidation {
					tenant.OutboundConnectors[0].TlsDomain = ""
				}
				lab := newLab(t, Config{Tenants: []Tenant{tenant}})
				lab.newOnPrem(tt.profile)
				if _, err := lab.svc.Submit("adele@contoso.com", []string{"kate@contoso.com"}, "TLS check"); err != nil {
					t.Fatal(err)
				}
				if n := lab.runDue(); n != 1 {
					t.Fatalf("RunDue() = %d, want 1", n)
				}
				details := lab.details("contoso", "kate@contoso.com")
				if got := details[len(details)-1].Detail; got != setting.want {
					t.Errorf("trace detail:\n got %s\nwant %s\n%s", got, setting.want, cmp.Diff(setting.want, got))
				}
			})
		}
	}
}
