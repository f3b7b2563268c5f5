package fakeonprem

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hybridsim/hybridsim/pki"
)

// errText is an error's whole text, "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

const frontendID = `EX01\Default Frontend EX01`

// TestSetReceiveConnectorValidation: Set-ReceiveConnector's rules (S16 §6, F28), whole error
// texts; a refused change is not applied.
func TestSetReceiveConnectorValidation(t *testing.T) {
	_, perr := pki.ParseTlsCertificateName("CN=mail.contoso.com")
	tests := []struct {
		name string
		edit func(c *ReceiveConnector)
		want string
	}{
		{name: "RequireTLSWithoutTlsF28", edit: func(c *ReceiveConnector) { c.RequireTLS, c.AuthMechanism = true, []string{"Integrated"} },
			want: `fakeonprem: receive connector "EX01\Default Frontend EX01": RequireTLS: The Receive connector requires TLS before the MailFrom command can be run. However, the connector is not configured to accept TLS. Check the authentication setting of this connector.`},
		{name: "MalformedTlsCertificateName", edit: func(c *ReceiveConnector) { c.TlsCertificateName = "CN=mail.contoso.com" },
			want: `fakeonprem: receive connector "EX01\Default Frontend EX01": TlsCertificateName: ` + errText(perr)},
		{name: "NoneNotAlone", edit: func(c *ReceiveConnector) { c.AuthMechanism = []string{"None", "Tls"} },
			want: `fakeonprem: receive connector "EX01\Default Frontend EX01": AuthMechanism: None cannot be combined with other values`},
		{name: "BasicAuthRequireTLSAlone", edit: func(c *ReceiveConnector) { c.AuthMechanism = []string{"Tls", "BasicAuthRequireTLS"} },
			want: `fakeonprem: receive connector "EX01\Default Frontend EX01": AuthMechanism: BasicAuthRequireTLS requires BasicAuth and Tls`},
		{name: "ExternalAuthoritativeWithOthers", edit: func(c *ReceiveConnector) {
			c.AuthMechanism, c.PermissionGroups = []string{"Tls", "ExternalAuthoritative", "Integrated"}, []string{"ExchangeServers"}
		}, want: `fakeonprem: receive connector "EX01\Default Frontend EX01": AuthMechanism: only Tls may accompany ExternalAuthoritative`},
		{name: "ExternalAuthoritativeWithoutExchangeServers", edit: func(c *ReceiveConnector) {
			c.AuthMechanism, c.PermissionGroups = []string{"Tls", "ExternalAuthoritative"}, []string{"AnonymousUsers"}
		}, want: `fakeonprem: receive connector "EX01\Default Frontend EX01": PermissionGroups: ExternalAuthoritative requires PermissionGroups ExchangeServers`},
		{name: "UnknownAuthMechanism", edit: func(c *ReceiveConnector) { c.AuthMechanism = []string{"Tls", "Kerberos"} },
			want: `fakeonprem: receive connector "EX01\Default Frontend EX01": AuthMechanism: "Kerberos" is not a valid value; use None, Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer, ExternalAuthoritative`},
		{name: "UnknownCapability", edit: func(c *ReceiveConnector) {
			c.TlsDomainCapabilities = []string{"mail.protection.outlook.com:AcceptEverything"}
		},
			want: `fakeonprem: receive connector "EX01\Default Frontend EX01": TlsDomainCapabilities: "mail.protection.outlook.com:AcceptEverything": unknown capability "AcceptEverything"; use AcceptCloudServicesMail, AcceptOorgProtocol`},
		{name: "CapabilityWithoutDomain", edit: func(c *ReceiveConnector) { c.TlsDomainCapabilities = []string{"AcceptCloudServicesMail"} },
			want: `fakeonprem: receive connector "EX01\Default Frontend EX01": TlsDomainCapabilities: "AcceptCloudServicesMail": write domain:Capability, e.g. mail.protection.outlook.com:AcceptCloudServicesMail`},
		{name: "BindingTaken", edit: func(c *ReceiveConnector) { c.Bindings = []string{"0.0.0.0:2525"} },
			want: `fakeonprem: receive connector "EX01\Default Frontend EX01": Bindings: 203.0.113.10:2525 is bound by receive connector "EX01\Default EX01"; IP address and port must be unique`},
		{name: "BindingNotAnAddress", edit: func(c *ReceiveConnector) { c.Bindings = []string{"port 25"} },
			want: `fakeonprem: receive connector "EX01\Default Frontend EX01": Bindings: "port 25": write IPAddress:Port, e.g. 0.0.0.0:25`},
		{name: "NameTaken", edit: func(c *ReceiveConnector) { c.Name = "Client Frontend EX01" },
			want: `fakeonprem: receive connector "EX01\Client Frontend EX01": Name: another receive connector of the server has this name`},
		{name: "Valid", edit: func(c *ReceiveConnector) {
			c.TlsDomainCapabilities = []string{"mail.protection.outlook.com:AcceptCloudServicesMail"}
		}},
	}
	l := newLab(t)
	o := l.start(contoso())
	before, _ := o.GetReceiveConnector(frontendID)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := o.SetReceiveConnector(frontendID, tt.edit)
			if got := errText(err); got != tt.want {
				t.Errorf("SetReceiveConnector error =\n%s\nwant\n%s", got, tt.want)
			}
			if err == nil {
				return
			}
			after, _ := o.GetReceiveConnector(frontendID)
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("a refused Set-ReceiveConnector changed the connector (-before +after):\n%s", diff)
			}
		})
	}
}

// TestSendConnectorValidation: New-/Set-SendConnector's rules (S16 §6), whole error texts.
func TestSendConnectorValidation(t *testing.T) {
	_, perr := pki.ParseTlsCertificateName("<I>CN=Issuer")
	tests := []struct {
		name string
		edit func(c *SendConnector)
		want string
	}{
		{name: "TlsAuthLevelWithoutRequireTLS", edit: func(c *SendConnector) { c.RequireTLS = false },
			want: `fakeonprem: send connector "` + hybridName + `": TlsAuthLevel: TlsAuthLevel cannot be set when IgnoreSTARTTLS is $true or RequireTLS is $false`},
		{name: "IgnoreSTARTTLSWithRequireTLS", edit: func(c *SendConnector) { c.IgnoreSTARTTLS = true },
			want: `fakeonprem: send connector "` + hybridName + `": IgnoreSTARTTLS: IgnoreSTARTTLS must be $false when RequireTLS is $true` + "\n" +
				`fakeonprem: send connector "` + hybridName + `": TlsAuthLevel: TlsAuthLevel cannot be set when IgnoreSTARTTLS is $true or RequireTLS is $false`},
		{name: "TlsDomainRequiredWithSmartHosts", edit: func(c *SendConnector) {
			c.DNSRoutingEnabled, c.SmartHosts, c.TlsDomain = false, []string{"contoso-com.mail.protection.outlook.com"}, ""
		}, want: `fakeonprem: send connector "` + hybridName + `": TlsDomain: TlsDomain is required when TlsAuthLevel is DomainValidation and DNSRoutingEnabled is $false`},
		{name: "SmartHostsWithDNSRouting", edit: func(c *SendConnector) { c.SmartHosts = []string{"relay.contoso.com"} },
			want: `fakeonprem: send connector "` + hybridName + `": SmartHosts: DNSRoutingEnabled must be $false when SmartHosts is set`},
		{name: "NoSmartHostsWithoutDNSRouting", edit: func(c *SendConnector) { c.DNSRoutingEnabled = false },
			want: `fakeonprem: send connector "` + hybridName + `": SmartHosts: SmartHosts is required when DNSRoutingEnabled is $false`},
		{name: "AddressSpaceEmbeddedWildcard", edit: func(c *SendConnector) { c.AddressSpaces = []string{"smtp:*contoso.com;1"} },
			want: `fakeonprem: send connector "` + hybridName + `": AddressSpaces: "smtp:*contoso.com;1": write *, *.contoso.com or contoso.com (not *contoso.com)`},
		{name: "AddressSpaceCost", edit: func(c *SendConnector) { c.AddressSpaces = []string{"smtp:contoso.com;0"} },
			want: `fakeonprem: send connector "` + hybridName + `": AddressSpaces: "smtp:contoso.com;0": the cost must be a number from 1 to 100`},
		{name: "AddressSpaceType", edit: func(c *SendConnector) { c.AddressSpaces = []string{"x400:c=US;1"} },
			want: `fakeonprem: send connector "` + hybridName + `": AddressSpaces: "x400:c=US;1": address space type "x400" is not supported; use SMTP`},
		{name: "MalformedTlsCertificateName", edit: func(c *SendConnector) { c.TlsCertificateName = "<I>CN=Issuer" },
			want: `fakeonprem: send connector "` + hybridName + `": TlsCertificateName: ` + errText(perr)},
		{name: "UnknownSourceServer", edit: func(c *SendConnector) { c.SourceTransportServers = []string{"EX09"} },
			want: `fakeonprem: send connector "` + hybridName + `": SourceTransportServers: "EX09" is not a server of the organization`},
		{name: "UnknownTlsAuthLevel", edit: func(c *SendConnector) { c.TlsAuthLevel = "NameValidation" },
			want: `fakeonprem: send connector "` + hybridName + `": TlsAuthLevel: "NameValidation": use EncryptionOnly, CertificateValidation, DomainValidation`},
		{name: "Valid", edit: func(c *SendConnector) { c.TlsAuthLevel = "CertificateValidation" }},
	}
	l := newLab(t)
	o := l.start(hybridOrg(""))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errText(o.SetSendConnector(hybridName, tt.edit)); got != tt.want {
				t.Errorf("SetSendConnector error =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	if got, want := errText(o.NewSendConnector(HybridSendConnector(hybridGUID, routingDom, "", "", "EX01"))),
		`fakeonprem: send connector "`+hybridName+`": Name: another send connector has this name`; got != want {
		t.Errorf("NewSendConnector error = %s, want %s", got, want)
	}
}

// TestConfigErrors: New refuses a configuration it cannot run, naming object and property.
func TestConfigErrors(t *testing.T) {
	ex01 := netip.MustParseAddr(ex01Addr)
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{name: "NoAcceptedDomain", cfg: Config{Servers: []Server{{Name: "EX01", IPAddresses: []netip.Addr{ex01}}}},
			want: "fakeonprem: organization: AcceptedDomains is empty: give the SMTP domains the organization accepts, e.g. contoso.com"},
		{name: "NoServer", cfg: Config{AcceptedDomains: []string{"contoso.com"}},
			want: "fakeonprem: organization: Servers is empty: give at least one Mailbox server"},
		{name: "ServerWithoutAddress", cfg: Config{AcceptedDomains: []string{"contoso.com"}, Servers: []Server{{Name: "EX01"}}},
			want: `fakeonprem: server "EX01": IPAddresses is empty: give its simulated address, e.g. 203.0.113.10`},
		{name: "UnknownRole", cfg: Config{AcceptedDomains: []string{"contoso.com"}, Servers: []Server{{Name: "EX01", Role: "CAS", IPAddresses: []netip.Addr{ex01}}}},
			want: `fakeonprem: server "EX01": Role "CAS": use Mailbox or Edge`},
		{name: "MailboxOutsideAcceptedDomains", cfg: Config{AcceptedDomains: []string{"contoso.com"},
			Servers:   []Server{{Name: "EX01", IPAddresses: []netip.Addr{ex01}}},
			Mailboxes: []Mailbox{{Name: "Kate", PrimarySmtpAddress: "kate@fabrikam.com"}}},
			want: `fakeonprem: mailbox "Kate": PrimarySmtpAddress "kate@fabrikam.com": fabrikam.com is not an accepted domain (contoso.com)`},
		{name: "ReceiveConnectorOnUnknownServer", cfg: Config{AcceptedDomains: []string{"contoso.com"},
			Servers:           []Server{{Name: "EX01", IPAddresses: []netip.Addr{ex01}}},
			ReceiveConnectors: []ReceiveConnector{{Name: "Relay", Server: "EX02", TransportRole: "FrontendTransport", Bindings: []string{"0.0.0.0:25"}}}},
			want: `fakeonprem: receive connector "Relay": Server "EX02": no such server`},
	}
	l := newLab(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := New(tt.cfg, l.net, l.clock, l.pki)
			if err == nil {
				o.Close()
			}
			if got := errText(err); got != tt.want {
				t.Errorf("New error =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestCertificateCmdlets: Get-, Import-, Enable-, Export-, Remove-, New-ExchangeCertificate and
// Test-Certificate as a renewal uses them (S14, S16).
func TestCertificateCmdlets(t *testing.T) {
	l := newLab(t)
	o := l.start(contoso())
	store, _ := o.GetExchangeCertificate("EX01", "")
	setup := store[0]
	if got, want := []string{setup.Identity, setup.Status, setup.Services.String(), setup.FriendlyName, setup.Certificate.Subject()},
		[]string{`ex01.contoso.com\` + setup.Certificate.Thumbprint(), "Valid", "IMAP, POP, IIS, SMTP", "Microsoft Exchange", "CN=EX01"}; !cmp.Equal(got, want) {
		t.Errorf("setup certificate = %q, want %q", got, want)
	}
	internal := setup.Certificate.Thumbprint()

	cert := l.issue(pki.Request{Profile: pki.Trusted})
	pfx, err := cert.PFX("p@ss", pki.TripleDESSHA1)
	if err != nil {
		t.Fatal(err)
	}
	imported, err := o.ImportExchangeCertificate("EX01", pfx, "p@ss", false)
	if err != nil {
		t.Fatal(err)
	}
	if imported.Services != ServiceNone || imported.Status != "Valid" || imported.PrivateKeyExportable {
		t.Errorf("imported = %v %s exportable %v, want None Valid not exportable", imported.Services, imported.Status, imported.PrivateKeyExportable)
	}
	if _, err := o.ExportExchangeCertificate("EX01", cert.Thumbprint(), "x"); !errors.Is(err, pki.ErrKeyNotExportable) {
		t.Errorf("Export-ExchangeCertificate of a non-exportable key = %v, want pki.ErrKeyNotExportable", err)
	}
	if err := o.EnableExchangeCertificate("EX01", cert.Thumbprint(), SMTP|IIS, false); err != nil {
		t.Fatal(err)
	}
	if ts, _ := o.GetTransportService("EX01"); ts.InternalTransportCertificateThumbprint != internal {
		t.Errorf("answering No changed InternalTransportCertificateThumbprint to %s", ts.InternalTransportCertificateThumbprint)
	}
	if err := o.EnableExchangeCertificate("EX01", cert.Thumbprint(), IIS, false); err != nil { // KB 2888788: unbind SMTP
		t.Fatal(err)
	}
	got, _ := o.GetExchangeCertificate("EX01", "mail.contoso.com")
	if len(got) != 1 || got[0].Services != IIS {
		t.Errorf("Get-ExchangeCertificate -DomainName mail.contoso.com = %+v, want the certificate with IIS only", got)
	}

	noKey := l.issue(pki.Request{Profile: pki.NoPrivateKey})
	if err := o.ImportCertificate("EX01", `Cert:\LocalMachine\Root`, noKey.Root); err != nil {
		t.Fatal(err)
	}
	crt, _ := o.NewExchangeCertificate("EX01", SMTP, true)
	if ts, _ := o.GetTransportService("EX01"); ts.InternalTransportCertificateThumbprint != crt.Certificate.Thumbprint() {
		t.Errorf("New-ExchangeCertificate -Services SMTP answered Yes left the thumbprint %s", ts.InternalTransportCertificateThumbprint)
	}
	if err := o.RemoveExchangeCertificate("EX01", cert.Thumbprint()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.TestCertificate("EX01", cert.Thumbprint()); errText(err) !=
		`fakeonprem: server "EX01": no certificate with thumbprint "`+cert.Thumbprint()+`" in LocalMachine\My; Get-ExchangeCertificate lists them` {
		t.Errorf("Test-Certificate of a removed certificate = %v", err)
	}
}

// TestTestCertificate: Test-Certificate's output for this server's chain (S14, S39).
func TestTestCertificate(t *testing.T) {
	l := newLab(t)
	c := newCerts(l)
	pub, _ := l.pki.Authority(pki.PublicRootCA)
	tests := []struct {
		name   string
		cert   *pki.Certificate
		remove string // a Remove-Item path first
		status pki.ChainStatus
		output string
	}{
		{name: "Valid", cert: c.trusted, output: "True"},
		{name: "Revoked", cert: c.revoked, status: pki.CertTrustIsRevoked,
			output: "WARNING: Chain status: \n    CERT_TRUST_IS_REVOKED\nTest-Certificate : The certificate is revoked. 0x80092010 (-2146885616 CRYPT_E_REVOKED)"},
		{name: "RootRemoved", cert: c.trusted, remove: `Cert:\LocalMachine\Root\` + pki.Thumbprint(pub.Cert),
			// The root is nowhere on the server any more: the chain stops at the issuing CA.
			status: pki.CertTrustRevocationStatusUnknown | pki.CertTrustIsPartialChain,
			output: "WARNING: Chain status: \n    CERT_TRUST_REVOCATION_STATUS_UNKNOWN\n    CERT_TRUST_IS_PARTIAL_CHAIN\n" +
				"Test-Certificate : A certificate chain could not be built to a trusted root authority. 0x800b010a (-2146762486 CERT_E_CHAINING)"},
		{name: "Expired", cert: c.expired, status: pki.CertTrustIsNotTimeValid,
			output: "WARNING: Chain status: \n    CERT_TRUST_IS_NOT_TIME_VALID\nTest-Certificate : A required certificate is not within its validity period when verifying against the current system clock or the timestamp in the signed file. 0x800b0101 (-2146762495 CERT_E_EXPIRED)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := l.fork(t)
			cfg := contoso()
			cfg.Servers[0].Certificates = []ExchangeCertificate{{Certificate: tt.cert, Services: SMTP}}
			o := l.start(cfg)
			if tt.remove != "" {
				if err := o.RemoveItem("EX01", tt.remove); err != nil {
					t.Fatal(err)
				}
			}
			status, output, err := o.TestCertificate("EX01", tt.cert.Thumbprint())
			if err != nil || status != tt.status || output != tt.output {
				t.Errorf("TestCertificate = %v, %q, %v\nwant %v, %q", status, output, err, tt.status, tt.output)
			}
		})
	}
}
