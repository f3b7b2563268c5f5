package fakeexo

import (
	"crypto/x509"
	"fmt"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/pki"
)

// session is a transaction as attribute sees it in the table below.
type session struct {
	source   netip.Addr
	tls      bool
	chain    []*x509.Certificate
	mailFrom string
	rcpts    []string
	// fromHybridHost: the source is a host the tenant's OnPremises
	// outbound connector delivers to (F20's requirement applies).
	fromHybridHost bool
}

// outcomeOf runs attribution on a directory built from tenants and returns
// the verdict and, per recipient, its refusal or where it goes.
func outcomeOf(t testing.TB, tenants []Tenant, s session) (Verdict, []string) {
	t.Helper()
	p, _ := labPKI(t)
	for i := range tenants {
		tenants[i] = tenantDefaults(tenants[i])
		if err := tenants[i].validate(); err != nil {
			t.Fatal(err)
		}
	}
	dir, err := newDirectory(tenants)
	if err != nil {
		t.Fatal(err)
	}
	check := func(chain []*x509.Certificate) pki.ChainStatus {
		return pki.CheckChain(chain[0], pki.ChainOptions{Presented: chain[1:], Store: p.EXOTrust(), Revocation: p, At: pki.DefaultTime})
	}
	in := arrival{sessionID: "08DE000000000001", source: s.source, tls: s.tls, chain: s.chain, mailFrom: s.mailFrom,
		now: pki.DefaultTime, hostname: "SIM1EUR01FT001.mail.protection.outlook.com",
		onPremises: func(*tenant) bool { return s.fromHybridHost }}
	at, refusal := attribute(dir, in, check)
	var results []string
	if refusal != nil {
		return copyVerdict(at.verdict), []string{"MAIL: " + refusal.String()}
	}
	for _, rcpt := range s.rcpts {
		p, refusal := at.recipient(rcpt)
		if refusal != nil {
			results = append(results, rcpt+": "+refusal.String())
			continue
		}
		results = append(results, rcpt+": "+p.String())
	}
	return copyVerdict(at.verdict), results
}

// String shows where a plan sends a recipient, for the table.
func (p *plan) String() string {
	where := "queue for " + p.target
	if p.mailbox != nil {
		where = "mailbox " + p.mailbox.PrimarySmtpAddress
	}
	return fmt.Sprintf("%s of %s, internal %v, promote %v, from on-prem %v", where, p.tenant.Name, p.internal, p.promote, p.fromOnPrem)
}

func TestAttribution(t *testing.T) {
	_, certs := labPKI(t)
	chain := func(p pki.Profile) []*x509.Certificate { return presented(certs[p]) }
	withRoot := func(p pki.Profile) []*x509.Certificate { return append(chain(p), certs[p].Root) }
	withInbound := func(t Tenant, cs ...InboundConnector) Tenant { t.InboundConnectors = cs; return t }
	addressConnector := InboundConnector{Name: "On-premises relay", ConnectorType: OnPremises, SenderDomains: []string{"*"},
		SenderIPAddresses: []string{"203.0.113.0/24"}, CloudServicesMailEnabled: true, Enabled: true}
	partner := InboundConnector{Name: "Contoso on-premises partner", ConnectorType: Partner, SenderDomains: []string{"contoso.com"},
		TlsSenderCertificateName: "*.contoso.com", RestrictDomainsToCertificate: true, RequireTls: true, Enabled: true}
	tests := []struct {
		name         string
		tenants      []Tenant
		session      session
		wantVerdict  Verdict
		wantOutcomes []string
	}{
		{
			name:    "CertificateAttributesAndRelays",
			tenants: []Tenant{contoso()},
			session: session{source: onPremAddr, tls: true, chain: chain(pki.Trusted), mailFrom: "kate@contoso.com",
				rcpts: []string{"adele@contoso.com", "kate@contoso.com", "bob@fabrikam.net"}},
			wantVerdict: Verdict{Certificate: "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US", Tenant: "contoso", Connector: "Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b", Rule: "TlsSenderCertificateName"},
			wantOutcomes: []string{
				"adele@contoso.com: mailbox adele@contoso.com of contoso, internal true, promote true, from on-prem true",
				"kate@contoso.com: queue for kate@contoso.com of contoso, internal true, promote true, from on-prem true",
				"bob@fabrikam.net: queue for bob@fabrikam.net of contoso, internal true, promote true, from on-prem true",
			},
		},
		{
			name:    "CertificateNameNotAcceptedInboundAttributionAndATTR36",
			tenants: []Tenant{withInbound(contoso(), hcwInbound("mail.contoso.com"))},
			session: session{source: onPremAddr, tls: true, chain: chain(pki.Trusted), mailFrom: "kate@contoso.com",
				rcpts: []string{"adele@contoso.com", "bob@fabrikam.net"}},
			wantVerdict: Verdict{Certificate: "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US", Tenant: "contoso", Rule: "MAIL FROM",
				Refusals: []string{inboundAttribution5751, "550 5.7.64 Relay Access Denied ATTR36. For more details please refer to KB 3169958."},
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): TlsSenderCertificateName mail.contoso.com is not an accepted domain of contoso; a name that is not a wildcard must be one, a wildcard's base must be one (S14)",
				}},
			wantOutcomes: []string{
				"adele@contoso.com: " + inboundAttribution5751,
				"bob@fabrikam.net: 550 5.7.64 Relay Access Denied ATTR36. For more details please refer to KB 3169958.",
			},
		},
		{
			name: "CertificateNameAccepted",
			tenants: []Tenant{func() Tenant {
				t := withInbound(contoso(), hcwInbound("mail.contoso.com"))
				t.AcceptedDomains = append(t.AcceptedDomains, AcceptedDomain{DomainName: "mail.contoso.com", DomainType: Authoritative})
				return t
			}()},
			session: session{source: onPremAddr, tls: true, chain: chain(pki.Trusted), mailFrom: "kate@contoso.com",
				rcpts: []string{"bob@fabrikam.net"}},
			wantVerdict: Verdict{Certificate: "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US", Tenant: "contoso", Connector: "Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b", Rule: "TlsSenderCertificateName"},
			wantOutcomes: []string{
				"bob@fabrikam.net: queue for bob@fabrikam.net of contoso, internal true, promote true, from on-prem true",
			},
		},
		{
			name:    "UntrustedRootRefused",
			tenants: []Tenant{contoso()},
			session: session{source: onPremAddr, tls: true, chain: withRoot(pki.InternalCA), mailFrom: "kate@contoso.com",
				rcpts: []string{"bob@fabrikam.net"}},
			wantVerdict: Verdict{Certificate: "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US",
				Refusals: []string{"454 4.7.0 Failed to establish appropriate TLS channel: UntrustedRoot: Access Denied"},
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): the client certificate's chain does not validate against Exchange Online's roots with only the certificates the client sent (CERT_TRUST_IS_UNTRUSTED_ROOT)",
				}},
			wantOutcomes: []string{
				"MAIL: 454 4.7.0 Failed to establish appropriate TLS channel: UntrustedRoot: Access Denied",
			},
		},
		{
			name:    "SelfSignedRefused",
			tenants: []Tenant{contoso()},
			session: session{source: onPremAddr, tls: true, chain: chain(pki.SelfSigned), mailFrom: "kate@contoso.com",
				rcpts: []string{"bob@fabrikam.net"}},
			wantVerdict: Verdict{Certificate: "CN=EX01",
				Refusals: []string{"454 4.7.0 Failed to establish appropriate TLS channel: UntrustedRoot: Access Denied"},
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): the client certificate's chain does not validate against Exchange Online's roots with only the certificates the client sent (CERT_TRUST_IS_UNTRUSTED_ROOT)",
				}},
			wantOutcomes: []string{
				"MAIL: 454 4.7.0 Failed to establish appropriate TLS channel: UntrustedRoot: Access Denied",
			},
		},
		{
			name:    "LeafOnlyTenantAttribution",
			tenants: []Tenant{contoso()},
			session: session{source: onPremAddr, tls: true, chain: chain(pki.LeafOnly), mailFrom: "kate@contoso.com",
				rcpts: []string{"adele@contoso.com", "bob@fabrikam.net"}},
			wantVerdict: Verdict{Certificate: "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US", Tenant: "contoso", Rule: "MAIL FROM",
				Refusals: []string{relayDeniedWire},
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): the client certificate's chain does not validate against Exchange Online's roots with only the certificates the client sent (CERT_TRUST_REVOCATION_STATUS_UNKNOWN, CERT_TRUST_IS_PARTIAL_CHAIN)",
				}},
			wantOutcomes: []string{
				"adele@contoso.com: mailbox adele@contoso.com of contoso, internal false, promote false, from on-prem false",
				"bob@fabrikam.net: " + relayDeniedWire,
			},
		},
		{
			name:    "ExpiredTenantAttribution",
			tenants: []Tenant{contoso()},
			session: session{source: onPremAddr, tls: true, chain: chain(pki.Expired), mailFrom: "kate@contoso.com",
				rcpts: []string{"bob@fabrikam.net"}},
			wantVerdict: Verdict{Certificate: "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US", Tenant: "contoso", Rule: "MAIL FROM",
				Refusals: []string{relayDeniedWire},
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): the client certificate's chain does not validate against Exchange Online's roots with only the certificates the client sent (CERT_TRUST_IS_NOT_TIME_VALID)",
				}},
			wantOutcomes: []string{
				"bob@fabrikam.net: " + relayDeniedWire,
			},
		},
		{
			name:    "RevokedTenantAttribution",
			tenants: []Tenant{contoso()},
			session: session{source: onPremAddr, tls: true, chain: chain(pki.Revoked), mailFrom: "kate@contoso.com",
				rcpts: []string{"bob@fabrikam.net"}},
			wantVerdict: Verdict{Certificate: "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US", Tenant: "contoso", Rule: "MAIL FROM",
				Refusals: []string{relayDeniedWire},
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): the client certificate's chain does not validate against Exchange Online's roots with only the certificates the client sent (CERT_TRUST_IS_REVOKED)",
				}},
			wantOutcomes: []string{
				"bob@fabrikam.net: " + relayDeniedWire,
			},
		},
		{
			name:    "RenamedCertificateTenantAttribution",
			tenants: []Tenant{contoso()},
			session: session{source: onPremAddr, tls: true, chain: chain(pki.WrongHost), mailFrom: "kate@contoso.com",
				rcpts: []string{"bob@fabrikam.net"}},
			wantVerdict: Verdict{Certificate: "CN=mail.fabrikam.com, OU=IT, O=fabrikam, L=location, S=location, C=US", Tenant: "contoso", Rule: "MAIL FROM",
				Refusals: []string{relayDeniedWire},
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): TlsSenderCertificateName *.contoso.com matches none of the certificate's names (mail.fabrikam.com)",
				}},
			wantOutcomes: []string{
				"bob@fabrikam.net: " + relayDeniedWire,
			},
		},
		{
			name:    "DisabledConnector",
			tenants: []Tenant{withInbound(contoso(), func() InboundConnector { c := hcwInbound("*.contoso.com"); c.Enabled = false; return c }())},
			session: session{source: onPremAddr, tls: true, chain: chain(pki.Trusted), mailFrom: "kate@contoso.com",
				rcpts: []string{"bob@fabrikam.net"}},
			wantVerdict: Verdict{Certificate: "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US", Tenant: "contoso", Rule: "MAIL FROM",
				Refusals: []string{relayDeniedWire},
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): Enabled is $false",
				}},
			wantOutcomes: []string{
				"bob@fabrikam.net: " + relayDeniedWire,
			},
		},
		{
			name:        "AddressAttributesAndRelays",
			tenants:     []Tenant{withInbound(contoso(), addressConnector)},
			session:     session{source: onPremAddr, mailFrom: "kate@contoso.com", rcpts: []string{"adele@contoso.com", "bob@fabrikam.net"}},
			wantVerdict: Verdict{Tenant: "contoso", Connector: "On-premises relay", Rule: "SenderIPAddresses"},
			wantOutcomes: []string{
				"adele@contoso.com: mailbox adele@contoso.com of contoso, internal true, promote true, from on-prem true",
				"bob@fabrikam.net: queue for bob@fabrikam.net of contoso, internal true, promote true, from on-prem true",
			},
		},
		{
			name:    "AddressRelayFromOtherDomainATTR36",
			tenants: []Tenant{withInbound(contoso(), addressConnector)},
			session: session{source: onPremAddr, mailFrom: "app@fabrikam.net", rcpts: []string{"bob@fabrikam.net"}},
			wantVerdict: Verdict{Tenant: "contoso", Connector: "On-premises relay", Rule: "SenderIPAddresses",
				Refusals: []string{"550 5.7.64 Relay Access Denied ATTR36. For more details please refer to KB 3169958."}},
			wantOutcomes: []string{
				"bob@fabrikam.net: 550 5.7.64 Relay Access Denied ATTR36. For more details please refer to KB 3169958.",
			},
		},
		{
			name:    "AddressRequireTls",
			tenants: []Tenant{withInbound(contoso(), func() InboundConnector { c := addressConnector; c.RequireTls = true; return c }())},
			session: session{source: onPremAddr, mailFrom: "kate@contoso.com", rcpts: []string{"bob@fabrikam.net"}},
			wantVerdict: Verdict{Tenant: "contoso", Connector: "On-premises relay", Rule: "SenderIPAddresses",
				Refusals: []string{"451 5.7.3 Must issue a STARTTLS command first"}},
			wantOutcomes: []string{
				"MAIL: 451 5.7.3 Must issue a STARTTLS command first",
			},
		},
		{
			name: "TreatMessagesAsInternal",
			tenants: []Tenant{withInbound(contoso(), func() InboundConnector {
				c := addressConnector
				c.CloudServicesMailEnabled, c.TreatMessagesAsInternal = false, true
				return c
			}())},
			session:     session{source: onPremAddr, mailFrom: "kate@contoso.com", rcpts: []string{"adele@contoso.com"}},
			wantVerdict: Verdict{Tenant: "contoso", Connector: "On-premises relay", Rule: "SenderIPAddresses"},
			wantOutcomes: []string{
				"adele@contoso.com: mailbox adele@contoso.com of contoso, internal true, promote false, from on-prem true",
			},
		},
		{
			name:        "NotCloudServicesMailEnabled",
			tenants:     []Tenant{withInbound(contoso(), func() InboundConnector { c := addressConnector; c.CloudServicesMailEnabled = false; return c }())},
			session:     session{source: onPremAddr, mailFrom: "kate@contoso.com", rcpts: []string{"adele@contoso.com"}},
			wantVerdict: Verdict{Tenant: "contoso", Connector: "On-premises relay", Rule: "SenderIPAddresses"},
			wantOutcomes: []string{
				"adele@contoso.com: mailbox adele@contoso.com of contoso, internal false, promote false, from on-prem true",
			},
		},
		{
			name:    "PlaintextFromHybridDomainMustStartTLS",
			tenants: []Tenant{contoso()},
			session: session{source: onPremAddr, mailFrom: "kate@contoso.com", rcpts: []string{"adele@contoso.com"}, fromHybridHost: true},
			wantVerdict: Verdict{Tenant: "contoso", Rule: "MAIL FROM",
				Refusals: []string{"451 5.7.3 Must issue a STARTTLS command first"},
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): an OnPremises connector of contoso requires TLS for its domains (RequireTls $true) and the session did not use STARTTLS",
				}},
			wantOutcomes: []string{
				"MAIL: 451 5.7.3 Must issue a STARTTLS command first",
			},
		},
		{
			// An application server elsewhere sends plaintext as contoso.com:
			// not the on-premises organization, so Direct Send's rules apply.
			name:    "PlaintextAppServerIsDirectSend",
			tenants: []Tenant{contoso()},
			session: session{source: appServerAddr, mailFrom: "scanner@contoso.com", rcpts: []string{"adele@contoso.com"}},
			wantVerdict: Verdict{Tenant: "contoso", Rule: "MAIL FROM",
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): TlsSenderCertificateName *.contoso.com needs a client certificate, but the session did not use STARTTLS",
				}},
			wantOutcomes: []string{
				"adele@contoso.com: mailbox adele@contoso.com of contoso, internal false, promote false, from on-prem false",
			},
		},
		{
			name:    "PlaintextAppServerRejectDirectSend",
			tenants: []Tenant{func() Tenant { t := contoso(); t.RejectDirectSend = true; return t }()},
			session: session{source: appServerAddr, mailFrom: "scanner@contoso.com", rcpts: []string{"adele@contoso.com"}},
			wantVerdict: Verdict{Tenant: "contoso", Rule: "MAIL FROM",
				Refusals: []string{"550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources"},
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): TlsSenderCertificateName *.contoso.com needs a client certificate, but the session did not use STARTTLS",
				}},
			wantOutcomes: []string{
				"adele@contoso.com: 550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources",
			},
		},
		{
			name:    "EnvelopeMailFrom",
			tenants: []Tenant{contoso(), {Name: "fabrikam", AcceptedDomains: []AcceptedDomain{{DomainName: "fabrikam.com", DomainType: Authoritative}}}},
			session: session{source: fabrikamAddr, tls: true, mailFrom: "megan@fabrikam.com", rcpts: []string{"adele@contoso.com"}},
			wantVerdict: Verdict{Tenant: "fabrikam", Rule: "MAIL FROM",
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): TlsSenderCertificateName *.contoso.com needs a client certificate, but the client presented none",
				}},
			wantOutcomes: []string{
				"adele@contoso.com: mailbox adele@contoso.com of contoso, internal false, promote false, from on-prem false",
			},
		},
		{
			name:    "EnvelopeRcptTo",
			tenants: []Tenant{contoso()},
			session: session{source: fabrikamAddr, tls: true, mailFrom: "megan@fabrikam.net", rcpts: []string{"adele@contoso.mail.onmicrosoft.com", "nobody@contoso.com"}},
			wantVerdict: Verdict{Tenant: "contoso", Rule: "RCPT TO",
				Refusals: []string{dbeb},
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): TlsSenderCertificateName *.contoso.com needs a client certificate, but the client presented none",
				}},
			wantOutcomes: []string{
				"adele@contoso.mail.onmicrosoft.com: mailbox adele@contoso.com of contoso, internal false, promote false, from on-prem false",
				"nobody@contoso.com: " + dbeb,
			},
		},
		{
			name: "InternalRelayDomain",
			tenants: []Tenant{func() Tenant {
				t := contoso()
				t.AcceptedDomains = append(t.AcceptedDomains, AcceptedDomain{DomainName: "contoso.net", DomainType: InternalRelay})
				return t
			}()},
			session: session{source: fabrikamAddr, tls: true, mailFrom: "megan@fabrikam.net", rcpts: []string{"sales@contoso.net"}},
			wantVerdict: Verdict{Tenant: "contoso", Rule: "RCPT TO",
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): TlsSenderCertificateName *.contoso.com needs a client certificate, but the client presented none",
				}},
			wantOutcomes: []string{
				"sales@contoso.net: queue for sales@contoso.net of contoso, internal false, promote false, from on-prem false",
			},
		},
		{
			name:    "NoConnectorRelayDenied",
			tenants: []Tenant{contoso()},
			session: session{source: fabrikamAddr, tls: true, mailFrom: "megan@fabrikam.net", rcpts: []string{"bob@fabrikam.net"}},
			wantVerdict: Verdict{
				Refusals: []string{relayDeniedWire}},
			wantOutcomes: []string{
				"bob@fabrikam.net: " + relayDeniedWire,
			},
		},
		{
			name:    "PartnerRestrictedToCertificate",
			tenants: []Tenant{withInbound(contoso(), hcwInbound("*.contoso.com"), partner)},
			session: session{source: onPremAddr, tls: true, chain: chain(pki.WrongHost), mailFrom: "kate@contoso.com",
				rcpts: []string{"adele@contoso.mail.onmicrosoft.com"}},
			wantVerdict: Verdict{Certificate: "CN=mail.fabrikam.com, OU=IT, O=fabrikam, L=location, S=location, C=US", Tenant: "contoso", Rule: "MAIL FROM",
				Refusals: []string{"550 5.7.51 TenantInboundAttribution; There is a partner connector configured that matched the message's recipient domain. The connector had either the RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set [SIM1EUR01FT001.mail.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE000000000001]"},
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): TlsSenderCertificateName *.contoso.com matches none of the certificate's names (mail.fabrikam.com)",
					"Contoso on-premises partner (contoso): RestrictDomainsToCertificate is $true and TlsSenderCertificateName *.contoso.com matches none of the certificate's names (mail.fabrikam.com)",
				}},
			wantOutcomes: []string{
				"adele@contoso.mail.onmicrosoft.com: 550 5.7.51 TenantInboundAttribution; There is a partner connector configured that matched the message's recipient domain. The connector had either the RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set [SIM1EUR01FT001.mail.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE000000000001]",
			},
		},
		{
			name: "PartnerRestrictedToAddresses",
			tenants: []Tenant{withInbound(contoso(), InboundConnector{Name: "Fabrikam partner", ConnectorType: Partner, SenderDomains: []string{"*.fabrikam.com"},
				SenderIPAddresses: []string{"192.0.2.128/25"}, RestrictDomainsToIPAddresses: true, Enabled: true})},
			session: session{source: fabrikamAddr, tls: true, mailFrom: "megan@fabrikam.com", rcpts: []string{"adele@contoso.com"}},
			wantVerdict: Verdict{Tenant: "contoso", Rule: "RCPT TO",
				Refusals: []string{"550 5.7.51 TenantInboundAttribution; There is a partner connector configured that matched the message's recipient domain. The connector had either the RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set [SIM1EUR01FT001.mail.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE000000000001]"},
				NotTaken: []string{
					"Fabrikam partner (contoso): RestrictDomainsToIPAddresses is $true and SenderIPAddresses (192.0.2.128/25) do not hold the source address 192.0.2.20",
				}},
			wantOutcomes: []string{
				"adele@contoso.com: 550 5.7.51 TenantInboundAttribution; There is a partner connector configured that matched the message's recipient domain. The connector had either the RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set [SIM1EUR01FT001.mail.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE000000000001]",
			},
		},
		{
			name: "PartnerAttributes",
			tenants: []Tenant{withInbound(contoso(), InboundConnector{Name: "Fabrikam partner", ConnectorType: Partner, SenderDomains: []string{"*.fabrikam.com"},
				SenderIPAddresses: []string{"192.0.2.0/24"}, RestrictDomainsToIPAddresses: true, Enabled: true})},
			session:     session{source: fabrikamAddr, tls: true, mailFrom: "megan@fabrikam.com", rcpts: []string{"adele@contoso.com"}},
			wantVerdict: Verdict{Tenant: "contoso", Connector: "Fabrikam partner", Rule: "SenderDomains"},
			wantOutcomes: []string{
				"adele@contoso.com: mailbox adele@contoso.com of contoso, internal false, promote false, from on-prem false",
			},
		},
		{
			name: "PartnerRequireTls",
			tenants: []Tenant{withInbound(contoso(), InboundConnector{Name: "Fabrikam partner", ConnectorType: Partner, SenderDomains: []string{"fabrikam.com"},
				RequireTls: true, Enabled: true})},
			session: session{source: fabrikamAddr, mailFrom: "megan@fabrikam.com", rcpts: []string{"adele@contoso.com"}},
			wantVerdict: Verdict{Tenant: "contoso", Rule: "RCPT TO",
				Refusals: []string{"451 5.7.3 Must issue a STARTTLS command first"},
				NotTaken: []string{
					"Fabrikam partner (contoso): RequireTls is $true but the session did not use STARTTLS",
				}},
			wantOutcomes: []string{
				"adele@contoso.com: 451 5.7.3 Must issue a STARTTLS command first",
			},
		},
		{
			name:    "RejectDirectSend",
			tenants: []Tenant{func() Tenant { t := contoso(); t.RejectDirectSend = true; return t }()},
			session: session{source: fabrikamAddr, tls: true, mailFrom: "ceo@contoso.com", rcpts: []string{"adele@contoso.com"}},
			wantVerdict: Verdict{Tenant: "contoso", Rule: "MAIL FROM",
				Refusals: []string{"550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources"},
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso): TlsSenderCertificateName *.contoso.com needs a client certificate, but the client presented none",
				}},
			wantOutcomes: []string{
				"adele@contoso.com: 550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources",
			},
		},
		{
			name: "TwoTenantsNameTheCertificate",
			tenants: []Tenant{
				{Name: "contosolab", AcceptedDomains: []AcceptedDomain{{DomainName: "mail.contoso.com", DomainType: Authoritative}},
					InboundConnectors: []InboundConnector{hcwInbound("mail.contoso.com")}},
				contoso(),
			},
			session: session{source: onPremAddr, tls: true, chain: chain(pki.Trusted), mailFrom: "kate@contoso.com", rcpts: []string{"bob@fabrikam.net"}},
			wantVerdict: Verdict{Certificate: "CN=mail.contoso.com, OU=IT, O=contoso, L=location, S=location, C=US", Tenant: "contoso", Connector: "Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b", Rule: "TlsSenderCertificateName",
				NotTaken: []string{
					"Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contosolab): it matched too, but Inbound from 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b (contoso) was taken first",
				}},
			wantOutcomes: []string{
				"bob@fabrikam.net: queue for bob@fabrikam.net of contoso, internal true, promote true, from on-prem true",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, outcomes := outcomeOf(t, tt.tenants, tt.session)
			want := tt.wantVerdict
			want.SessionID, want.Time, want.Source, want.MailFrom = "08DE000000000001", pki.DefaultTime, tt.session.source.String(), tt.session.mailFrom
			if diff := cmp.Diff(want, v); diff != "" {
				t.Errorf("verdict (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantOutcomes, outcomes); diff != "" {
				t.Errorf("outcomes (-want +got):\n%s", diff)
			}
		})
	}
}

// dbeb is Directory-Based Edge Blocking's refusal of nobody@contoso.com in
// these tests' session (real-artifacts §3.3).
const dbeb = "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) " +
	"[SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE000000000001]"

// relayDeniedWire is 5.7.64 as the front door answers it (real-artifacts §3.4).
const relayDeniedWire = "550 5.7.64 TenantAttribution; Relay Access Denied [SIM1EUR01FT001.eop-EUR01.prod.protection.outlook.com]"

// appServerAddr is an application server's address: not one of the
// tenant's on-premises hosts.
var appServerAddr = netip.MustParseAddr("203.0.113.77")

// inboundAttribution5751 is S14's 5.7.51 reply with the table's bracket.
const inboundAttribution5751 = "550 5.7.51 TenantInboundAttribution; There is a partner connector configured that matched the message's recipient domain. The connector had either the RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set [SIM1EUR01FT001.mail.protection.outlook.com 2026-01-05T09:00:00.000Z 08DE000000000001]"
