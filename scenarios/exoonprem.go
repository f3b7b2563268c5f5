package scenarios

import (
	"net/netip"
	"time"

	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/sim"
)

// toOnPrem is the probe for mail from Exchange Online to on-premises.
var toOnPrem = Probe{From: alice, To: []string{bob}, Subject: "From the cloud to on-premises"}

// exoToOnPrem are the failures of mail from Exchange Online to the
// on-premises hybrid server.
func exoToOnPrem() []Entry {
	renewed := request(pki.Request{Profile: pki.RenewedNewIssuer})
	return []Entry{
		{
			ID: "F01", Slug: "stale-receive-tlscertificatename",
			Title:   "the certificate was renewed with a new issuer and the old one removed: the receive connector's TlsCertificateName finds nothing",
			Sources: []string{"S9 (KB 2989382)", "S14"}, Tag: "DOC", Direction: EXOToOnPrem,
			Labels: []string{KB2989382, AreaReceiveConnector, AreaCertificate},
			Break: []Step{
				importCertificate(hybridServer, "new", renewed),
				enableCertificate(hybridServer, "new", fakeonprem.IIS|fakeonprem.SMTP, false),
				removeCertificate(hybridServer, hybridCertName),
			},
			Probe: toOnPrem,
			Symptoms: []Symptom{
				{Where: ApplicationLog, Want: templated(event12014, func(r *Run) []any {
					return []any{r.tlsName(hybridCertName), "Default Frontend EX01", hybridFQDN}
				}), Infer: "the text after \"local computer.\" is S8's: KB 2989382 truncates it"},
				{Where: ReceiveLog, Want: ehloFromEXO},
				{Where: MessageTrace, Want: exoDeferral(ledStartTLSRequired, nil, startTLSRequired)},
			},
			Fix: []Step{
				setReceiveConnector(frontend, "-TlsCertificateName $null -TlsDomainCapabilities $null", func(_ *Run, c *fakeonprem.ReceiveConnector) {
					c.TlsCertificateName, c.TlsDomainCapabilities = "", nil
				}),
				runWizard("new", false),
			},
		},
		{
			ID: "F02", Slug: "self-signed-presented",
			Title:   "TlsCertificateName was cleared and not set again: the connector's FQDN finds only the self-signed certificate, which fails EXO's DomainValidation",
			Sources: []string{"S14"}, Tag: "DOC", Direction: EXOToOnPrem,
			Labels: []string{AreaReceiveConnector, AreaCertificate},
			Break: []Step{
				setReceiveConnector(frontend, "-TlsCertificateName $null", func(_ *Run, c *fakeonprem.ReceiveConnector) { c.TlsCertificateName = "" }),
			},
			Probe: toOnPrem,
			Symptoms: []Symptom{
				{Where: MessageTrace, Want: exoDeferral(ledSubjectMismatch, func(r *Run) []any {
					self := r.selfSigned(hybridServer)
					return []any{"*.contoso.com", self.Subject(), self.Thumbprint()}
				}, subjectMismatch, smtpSecurity)},
				// Every TLS session logs "Sending certificate": the records
				// that show the failure are the self-signed certificate's.
				{Where: ReceiveLog, Want: literal("*,CN=EX01,Certificate subject")},
				{Where: ReceiveLog, Want: literal("*,CN=EX01,Certificate issuer name")},
			},
			Fix: []Step{runWizard(hybridCertName, true)},
			Readings: []Reading{{Conflict: "C6", Name: "EXO's 2017 form of a name mismatch (S40)", Options: sim.Options{LegacySubjectMismatch: true},
				Symptoms: []Symptom{{Where: MessageTrace, Want: exoDeferral(ledSubjectMismatch2017, nil, subjectMismatch)}}}},
		},
		{
			ID: "F04", Slug: "revoked-certificate",
			Title:   "the certificate authority revoked the hybrid certificate: the server no longer loads it, so it offers no STARTTLS",
			Sources: []string{"S14"}, Tag: "DOC", Direction: EXOToOnPrem,
			Labels: []string{AreaReceiveConnector, AreaCertificate},
			Break: []Step{
				action("the certificate authority revokes the hybrid certificate: its CRL lists it", func(r *Run) error {
					return r.Lab.PKI.Revoke(r.cert(hybridCertName).Leaf, r.Lab.Now())
				}),
			},
			Probe: toOnPrem,
			Symptoms: []Symptom{
				{Where: TestCertificate, Want: literal(testCertificateRevoked)},
				{Where: ApplicationLog, Want: templated(event12014, func(r *Run) []any {
					return []any{r.tlsName(hybridCertName), "Default Frontend EX01", hybridFQDN}
				}), Infer: "the text after \"local computer.\" is S8's"},
				{Where: ReceiveLog, Want: ehloFromEXO},
				{Where: MessageTrace, Want: exoDeferral(ledStartTLSRequired, nil, startTLSRequired)},
			},
			Fix: []Step{
				importCertificate(hybridServer, "renewed", request(pki.Request{Profile: pki.RenewedSameName})),
				enableCertificate(hybridServer, "renewed", fakeonprem.IIS|fakeonprem.SMTP, false),
				removeCertificate(hybridServer, hybridCertName),
			},
		},
		{
			ID: "F05", Slug: "leaf-only-chain",
			Title:   "the issuing CA's certificate is missing from the server's store: the server presents its certificate without the chain, and EXO fetches no intermediates",
			Sources: []string{"S29"}, Tag: "DOC", Direction: EXOToOnPrem,
			Labels: []string{AreaCertificate},
			Break:  []Step{removeIntermediate(hybridServer)},
			Probe:  toOnPrem,
			Symptoms: []Symptom{
				{Where: MessageTrace, Want: exoDeferral(ledUntrustedRoot, nil, untrustedRoot)},
			},
			Fix: []Step{importIntermediate(hybridServer)},
		},
		{
			ID: "F06", Slug: "expired-certificate",
			Title:   "only last year's certificate is in the store: it has expired, Exchange still offers it, and EXO refuses it",
			Sources: []string{"S1", "S6", "S28"}, Tag: "DOC", Direction: EXOToOnPrem,
			Labels: []string{AreaReceiveConnector, AreaCertificate},
			Break: []Step{
				importCertificate(hybridServer, "expired", request(pki.Request{Profile: pki.Expired})),
				enableCertificate(hybridServer, "expired", fakeonprem.IIS|fakeonprem.SMTP, false),
				removeCertificate(hybridServer, hybridCertName),
			},
			Probe: toOnPrem,
			Symptoms: []Symptom{
				{Where: ApplicationLog, Want: templated(event12016, func(*Run) []any { return []any{hybridFQDN, hybridFQDN} })},
				{Where: MessageTrace, Want: exoDeferral(ledCertificateExpired, nil, certificateExpired),
					Infer: "no source names EXO's token for an expired certificate; CertificateExpired is the spec's placeholder (§9)"},
			},
			Fix: []Step{
				importCertificate(hybridServer, "renewed", request(pki.Request{Profile: pki.RenewedSameName})),
				enableCertificate(hybridServer, "renewed", fakeonprem.IIS|fakeonprem.SMTP, false),
				removeCertificate(hybridServer, "expired"),
			},
		},
		{
			ID: "F09", Slug: "expired-after-24-hours",
			Title:   "F01 left unfixed for 24 hours: EXO gives up and returns the message to its sender",
			Sources: []string{"S28", "S30"}, Tag: "DOC", Direction: EXOToOnPrem,
			Labels: []string{KB2989382, AreaExpiry},
			Break: []Step{
				importCertificate(hybridServer, "new", renewed),
				enableCertificate(hybridServer, "new", fakeonprem.IIS|fakeonprem.SMTP, false),
				removeCertificate(hybridServer, hybridCertName),
			},
			Probe: toOnPrem,
			Wait:  24 * time.Hour,
			Symptoms: []Symptom{
				{Where: NDR, Want: literal(expired)},
			},
			Fix: []Step{
				setReceiveConnector(frontend, "-TlsCertificateName $null -TlsDomainCapabilities $null", func(_ *Run, c *fakeonprem.ReceiveConnector) {
					c.TlsCertificateName, c.TlsDomainCapabilities = "", nil
				}),
				runWizard("new", false),
			},
			Undelivered: []string{bob},
			Readings: []Reading{{Conflict: "C10", Name: "the observed expiry wording (OBS)", Options: sim.Options{ObservedExpiryNDR: true},
				Symptoms: []Symptom{{Where: NDR, Want: templated(expiredObserved, func(*Run) []any { return []any{startTLSRequired} })}}}},
		},
		{
			ID: "F10", Slug: "connection-refused",
			Title:   "a firewall in front of the hybrid server refuses Exchange Online's connections",
			Sources: []string{"S28"}, Tag: "DOC", Direction: EXOToOnPrem,
			Labels: []string{AreaNetwork},
			Break: []Step{action("the firewall in front of mail.contoso.com starts refusing connections to port 25", func(r *Run) error {
				r.Lab.SetFirewall(netip.MustParseAddrPort(onPremIP+":25"), sim.Reject)
				return nil
			})},
			Probe: toOnPrem,
			Symptoms: []Symptom{
				{Where: MessageTrace, Want: exoDeferral(ledRefused, nil, refused), Infer: "the [Message=] detail; S28 gives the code and text"},
			},
			Fix: []Step{action("the firewall allows port 25 from Exchange Online again", func(r *Run) error {
				r.Lab.SetFirewall(netip.MustParseAddrPort(onPremIP+":25"), sim.Allow)
				return nil
			})},
		},
	}
}
