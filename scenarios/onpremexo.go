package scenarios

import (
	"fmt"
	"net/netip"
	"regexp"
	"time"

	"github.com/hybridsim/hybridsim/fakeexo"
	"github.com/hybridsim/hybridsim/fakeonprem"
	"github.com/hybridsim/hybridsim/pki"
	"github.com/hybridsim/hybridsim/sim"
)

// The probes for mail from on-premises: to a cloud mailbox, and relayed
// through Exchange Online to the internet.
var (
	toEXO      = Probe{From: bob, To: []string{alice}, Subject: "From on-premises to the cloud"}
	toInternet = Probe{From: bob, To: []string{carol}, Subject: "From on-premises to the internet through Exchange Online"}
)

// relayConnector is the send connector that relays Contoso's internet
// mail for fabrikam.com through Exchange Online (centralized outbound).
const relayConnector = "Relay to the internet via Office 365"

// withRelay adds the relay connector: mail to fabrikam.com goes through
// the tenant's front door with the hybrid certificate, as the hybrid send
// connector's mail does.
func withRelay(cfg *sim.Config) {
	hybrid := cfg.OnPrem.SendConnectors[0]
	cfg.OnPrem.SendConnectors = append(cfg.OnPrem.SendConnectors, fakeonprem.SendConnector{
		Name: relayConnector, AddressSpaces: []string{"smtp:fabrikam.com;1"}, SourceTransportServers: []string{hybridServer},
		SmartHosts: []string{"contoso-com.mail.protection.outlook.com"}, Port: 25, Fqdn: hybrid.Fqdn,
		RequireTLS: true, TlsAuthLevel: hybrid.TlsAuthLevel, TlsDomain: hybrid.TlsDomain,
		TlsCertificateName: hybrid.TlsCertificateName, CloudServicesMailEnabled: true})
}

// onPremToEXO are the failures of mail from on-premises to Exchange Online.
func onPremToEXO() []Entry {
	renewed := request(pki.Request{Profile: pki.RenewedNewIssuer})
	wildcard := setInboundConnector("-TlsSenderCertificateName *.contoso.com", func(_ *Run, c *fakeexo.InboundConnector) {
		c.TlsSenderCertificateName = "*.contoso.com"
	})
	mismatch := setInboundConnector("-TlsSenderCertificateName hybrid.contoso.com", func(_ *Run, c *fakeexo.InboundConnector) {
		c.TlsSenderCertificateName = "hybrid.contoso.com"
	})
	return []Entry{
		{
			ID: "F11", Slug: "stale-send-tlscertificatename",
			Title:   "the certificate was renewed with a new issuer and the old one removed: the send connector's TlsCertificateName finds nothing",
			Sources: []string{"S13 (KB 3156771)", "S14", "S15"}, Tag: "DOC", Direction: OnPremToEXO,
			Labels: []string{KB3156771, AreaSendConnector, AreaCertificate},
			Break: []Step{
				importCertificate(hybridServer, "new", renewed),
				enableCertificate(hybridServer, "new", fakeonprem.IIS|fakeonprem.SMTP, false),
				removeCertificate(hybridServer, hybridCertName),
			},
			Probe:    toEXO,
			Symptoms: []Symptom{{Where: Queue, Want: queueError(notFound454)}},
			Fix:      []Step{setSendConnectorCertificate("new"), retryQueues(hybridServer)},
			Readings: []Reading{{Conflict: "C5", Name: "KB 3156771's lower-case wording (S13)", Options: sim.Options{LegacyNotFoundWording: true},
				Symptoms: []Symptom{{Where: Queue, Want: queueError(notFound454Legacy)}}}},
		},
		{
			ID: "F12", Slug: "certificate-without-private-key",
			Title:   "the hybrid certificate was replaced by a copy imported from a .cer file: TlsCertificateName still finds it, without its private key",
			Sources: []string{"S11 (KB 4495258)"}, Tag: "DOC", Direction: OnPremToEXO,
			Labels: []string{KB4495258, AreaSendConnector, AreaCertificate},
			Break: []Step{
				removeCertificate(hybridServer, hybridCertName),
				importCertificateFile(hybridServer, hybridCertName),
			},
			Probe: toEXO,
			Symptoms: []Symptom{
				{Where: SendLog, Want: literal("*,," + noCredentials)},
				{Where: Queue, Want: queueError(fmt.Sprintf(primaryTarget, connectionTimedOut))},
			},
			Fix: []Step{
				removeCertificate(hybridServer, hybridCertName),
				importPFX(hybridServer, hybridCertName),
				enableCertificate(hybridServer, hybridCertName, fakeonprem.IIS|fakeonprem.SMTP, false),
				retryQueues(hybridServer),
			},
		},
		{
			ID: "F13", Slug: "certificate-not-enabled-for-smtp",
			Title:   "the hybrid certificate is no longer enabled for SMTP: the send connector still picks it by TlsCertificateName, and the handshake fails",
			Sources: []string{"S12 (KB 4051498)"}, Tag: "DOC", Direction: OnPremToEXO,
			Labels: []string{KB4051498, AreaSendConnector, AreaCertificate},
			Break:  []Step{enableCertificate(hybridServer, hybridCertName, fakeonprem.IIS, false)},
			Probe:  toEXO,
			Symptoms: []Symptom{
				{Where: SendLog, Want: literal("*,," + unknownCredentials)},
				{Where: Queue, Want: queueError(fmt.Sprintf(primaryTarget, connectionTimedOut))},
			},
			Fix: []Step{enableCertificate(hybridServer, hybridCertName, fakeonprem.IIS|fakeonprem.SMTP, false), retryQueues(hybridServer)},
			Readings: []Reading{{Conflict: "C1", Name: "SMTP as a selection criterion on every path (S1's list, S7, S8)",
				Options:  sim.Options{SMTPEligibility: fakeonprem.SMTPEligibilityAlways},
				Symptoms: []Symptom{{Where: Queue, Want: queueError(notFound454)}}}},
		},
		{
			ID: "F14", Slug: "internal-ca-certificate-chosen",
			Title:   "a newer certificate for the same name from the internal CA is enabled for SMTP, and the send connector picks its certificate by FQDN: EXO does not trust it",
			Sources: []string{"S10 (KB 2888788)"}, Tag: "DOC", Direction: OnPremToEXO,
			Labels: []string{KB2888788, AreaSendConnector, AreaCertificate},
			Break: []Step{
				importCertificate(hybridServer, "internal", func(r *Run) pki.Request {
					return pki.Request{Profile: pki.InternalCA, NotBefore: r.Lab.Now().Add(-time.Hour), NotAfter: r.Lab.Now().AddDate(0, 6, 0)}
				}),
				enableCertificate(hybridServer, "internal", fakeonprem.IIS|fakeonprem.SMTP, false),
				setSendConnector("-TlsCertificateName $null", func(_ *Run, c *fakeonprem.SendConnector) { c.TlsCertificateName = "" }),
			},
			Probe: toEXO,
			Symptoms: []Symptom{
				{Where: ApplicationLog, Want: event2004For},
				{Where: SendLog, Want: sendLogReply(untrustedRoot454)},
			},
			Fix: []Step{
				enableCertificate(hybridServer, "internal", fakeonprem.IIS|fakeonprem.POP|fakeonprem.IMAP, false),
				retryQueues(hybridServer),
			},
			// The internal-CA certificate is the newer by NotBefore, the older
			// by NotAfter: under C2's other reading the hybrid one is sent. What
			// trips F14 under that reading is an internal-CA certificate that
			// outlives the hybrid one, however old.
			Readings: []Reading{{Conflict: "C2", Name: "newest NotAfter first on every path (S14, seed 000)",
				Options: sim.Options{TieBreak: fakeonprem.TieBreakNotAfter},
				Break: []Step{
					importCertificate(hybridServer, "internal", func(r *Run) pki.Request {
						return pki.Request{Profile: pki.InternalCA, NotBefore: r.Lab.Now().AddDate(-2, 0, 0), NotAfter: r.Lab.Now().AddDate(3, 0, 0)}
					}),
					enableCertificate(hybridServer, "internal", fakeonprem.IIS|fakeonprem.SMTP, false),
					setSendConnector("-TlsCertificateName $null", func(_ *Run, c *fakeonprem.SendConnector) { c.TlsCertificateName = "" }),
				},
				Symptoms: []Symptom{{Where: ApplicationLog, Want: event2004For}}}},
		},
		{
			ID: "F15", Slug: "renewed-with-a-new-name",
			Title:   "the certificate was renewed with a new name and the on-premises connectors updated, but not EXO's inbound connector: relayed mail is refused",
			Sources: []string{"S21"}, Tag: "DOC", Direction: OnPremToEXO,
			Labels: []string{AreaAttribution, AreaCertificate},
			Lab: func(cfg *sim.Config) {
				withRelay(cfg)
				t := &cfg.EXO.Tenants[0]
				t.AcceptedDomains = append(t.AcceptedDomains, fakeexo.AcceptedDomain{DomainName: "mail.contoso.com", DomainType: fakeexo.Authoritative})
				t.InboundConnectors[0].TlsSenderCertificateName = "mail.contoso.com"
			},
			Break: []Step{
				importCertificate(hybridServer, "new", request(pki.Request{Profile: pki.Trusted,
					Subject: "CN=smtp.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US", DNSNames: []string{"smtp.contoso.com"}})),
				enableCertificate(hybridServer, "new", fakeonprem.IIS|fakeonprem.SMTP, false),
				setSendConnectorCertificate("new"),
				removeCertificate(hybridServer, hybridCertName),
			},
			Probe:       toInternet,
			Symptoms:    refusedByEXO(relayDenied, exoRelayHost, ""),
			Fix:         []Step{wildcard},
			Undelivered: []string{carol},
		},
		{
			ID: "F16", Slug: "chain-not-sent",
			Title:   "the issuing CA's certificate is missing from the server's store: the server sends its certificate without the chain, and EXO cannot attribute relayed mail",
			Sources: []string{"S22 (KB 3212877)"}, Tag: "DOC", Direction: OnPremToEXO,
			Labels:      []string{KB3212877, AreaAttribution, AreaCertificate},
			Lab:         withRelay,
			Break:       []Step{removeIntermediate(hybridServer)},
			Probe:       toInternet,
			Symptoms:    refusedByEXO(relayDenied, exoRelayHost, "S22 prints the reply without S21's final period"),
			Fix:         []Step{importIntermediate(hybridServer)},
			Undelivered: []string{carol},
		},
		{
			ID: "F17", Slug: "connector-name-not-registered",
			Title:   "EXO's inbound connector names the certificate by a name that is not an accepted domain: relayed mail is refused",
			Sources: []string{"S23 (KB 3169958)", "S14"}, Tag: "DOC", Direction: OnPremToEXO,
			Labels: []string{KB3169958, AreaAttribution},
			Lab:    withRelay,
			Break: []Step{setInboundConnector("-TlsSenderCertificateName mail.contoso.com", func(_ *Run, c *fakeexo.InboundConnector) {
				c.TlsSenderCertificateName = "mail.contoso.com"
			})},
			Probe:       toInternet,
			Symptoms:    refusedByEXO(attr36, exoRelayHost, ""),
			Fix:         []Step{wildcard},
			Undelivered: []string{carol},
		},
		{
			ID: "F18", Slug: "restricted-partner-connector",
			Title:   "the certificate no longer matches the OnPremises connector, and a Partner connector restricted to a certificate covers the sender",
			Sources: []string{"S14"}, Tag: "DOC", Direction: OnPremToEXO,
			Labels: []string{AreaAttribution},
			Break: []Step{
				{Cmdlet: `New-InboundConnector -Name "From partners" -ConnectorType Partner -SenderDomains * -RequireTls $true -RestrictDomainsToCertificate $true -TlsSenderCertificateName mail.fabrikam.com`,
					Do: func(r *Run) error {
						org, err := r.Lab.EXO.Organization(tenant)
						if err != nil {
							return err
						}
						_, err = org.NewInboundConnector(fakeexo.InboundConnector{Name: "From partners", ConnectorType: fakeexo.Partner,
							SenderDomains: []string{"*"}, RequireTls: true, RestrictDomainsToCertificate: true,
							TlsSenderCertificateName: "mail.fabrikam.com", Enabled: true})
						return err
					}},
				mismatch,
			},
			Probe: toEXO,
			Symptoms: []Symptom{
				{Where: SendLog, Want: Expectation{text: func(r *Run) string { return "<," + partnerReplyText(r) + "," },
					pattern: regexp.MustCompile("^<," + templatePattern(partnerRestricted) + ",$")}},
				{Where: TrackingLog, Want: templated(trackingFailForm, func(r *Run) []any {
					return []any{partnerReplyText(r), exoMXRouting, r.exoFrontDoorIP(), r.SentAt.Format(lrtForm)}
				})},
			},
			Fix:         []Step{wildcard},
			Undelivered: []string{alice},
		},
		{
			ID: "F19", Slug: "exo-root-missing-on-premises",
			Title:   "the Exchange server lacks the root of Exchange Online's certificate: DomainValidation fails on the send connector",
			Sources: []string{"S40 (Microsoft Q&A)"}, Tag: "DOC-3P", Direction: OnPremToEXO,
			Labels: []string{AreaSendConnector},
			Break:  []Step{removeRoot(hybridServer, pki.MicrosoftRootCA)},
			Probe:  toEXO,
			Symptoms: []Symptom{
				{Where: Queue, Want: queueError(validationFailure)},
			},
			Fix: []Step{importRoot(hybridServer, pki.MicrosoftRootCA), retryQueues(hybridServer)},
		},
		{
			ID: "F20", Slug: "exo-offers-no-starttls",
			Title:   "Exchange Online offers no STARTTLS to the on-premises address while the send connector is opportunistic: EXO requires TLS of the hybrid sender",
			Sources: []string{"S40 (365lab; Microsoft archive blog)"}, Tag: "DOC-3P", Direction: OnPremToEXO,
			Labels: []string{AreaSendConnector, AreaAttribution},
			Break: []Step{
				setSendConnector("-TlsAuthLevel $null -RequireTLS $false", func(_ *Run, c *fakeonprem.SendConnector) {
					c.TlsAuthLevel, c.RequireTLS = "", false
				}),
				action("Exchange Online stops offering STARTTLS to 203.0.113.10 (the address is on a block list)", func(r *Run) error {
					r.Lab.EXO.WithholdStartTLS(netip.MustParseAddr(onPremIP), true)
					return nil
				}),
			},
			Probe:    toEXO,
			Symptoms: []Symptom{{Where: Queue, Want: queueError(fmt.Sprintf(primaryTarget, mustStartTLS))}},
			Fix: []Step{
				action("the address is removed from the block list: Exchange Online offers STARTTLS to it again", func(r *Run) error {
					r.Lab.EXO.WithholdStartTLS(netip.MustParseAddr(onPremIP), false)
					return nil
				}),
				setSendConnector("-RequireTLS $true -TlsAuthLevel DomainValidation", func(_ *Run, c *fakeonprem.SendConnector) {
					c.RequireTLS, c.TlsAuthLevel = true, "DomainValidation"
				}),
				retryQueues(hybridServer),
			},
		},
		{
			ID: "F22", Slug: "direct-send-rejected",
			Title:   "RejectDirectSend is on and on-premises mail is not attributed to the OnPremises connector: it looks like Direct Send",
			Sources: []string{"DOC-3P (Microsoft, 2025)"}, Tag: "DOC-3P", Direction: OnPremToEXO,
			Labels: []string{AreaAttribution},
			Break: []Step{
				{Cmdlet: "Set-OrganizationConfig -RejectDirectSend $true", Do: func(r *Run) error {
					org, err := r.Lab.EXO.Organization(tenant)
					if err != nil {
						return err
					}
					return org.SetOrganizationConfig(true)
				}},
				mismatch,
			},
			Probe:       toEXO,
			Symptoms:    refusedByEXO(directSend, exoMXRouting, ""),
			Fix:         []Step{wildcard},
			Undelivered: []string{alice},
		},
	}
}

// exoMXRouting is EXO's front door for the tenant's routing domain, as
// on-premises sees it.
var exoMXRouting = fakeexo.MXHost("contoso.mail.onmicrosoft.com")

// partnerReply is S14's 5.7.51 reply with this run's bracket: EXO's
// server, the time of the refusal and the front-door session.
var partnerReply = templated(partnerRestricted, func(r *Run) []any {
	return []any{r.exoServer(), r.SentAt.Format("2006-01-02T15:04:05.000Z"), refusedSession(r)}
})

func partnerReplyText(r *Run) string { return partnerReply.text(r) }

// refusedSession is the front-door session that refused the probe.
func refusedSession(r *Run) string {
	for _, v := range r.Lab.EXO.Verdicts() {
		if len(v.Refusals) > 0 {
			return v.SessionID
		}
	}
	return ""
}

// queueError is the on-premises queue's LastError for a delivery to EXO
// whose last attempt failed with led.
func queueError(led string) Expectation {
	return queueErrorAt(led, exoMXRouting, (*Run).exoFrontDoorIP)
}

// queueErrorAt is a queue's LastError for a delivery to host at ip.
func queueErrorAt(led, host string, ip func(*Run) string) Expectation {
	return Expectation{
		text: func(r *Run) string {
			return fmt.Sprintf(lastErrorForm, r.SentAt.Format(lrtForm), led, "", host, ip(r))
		},
		pattern: regexp.MustCompile(`;\{LED=` + regexp.QuoteMeta(led) + `\};`),
	}
}
